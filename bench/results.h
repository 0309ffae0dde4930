/* SPDX-License-Identifier: MIT */
/*
 * results.h - the run directory: rows appended and flushed as measured,
 * so a crash or Ctrl-C loses nothing already measured.  Schema in
 * results/README.md.
 */
#ifndef HP_BENCH_RESULTS_H
#define HP_BENCH_RESULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "measure.h"

#define HP_RESULTS_SCHEMA 1

struct hp_results {
	char dir[512];
	char run_id[64];
	/* every row's last two columns: the guest's arch and page size */
	char arch[16];
	unsigned int page_size;
	FILE *latency;
	FILE *capacity;
	FILE *done;
	FILE *placement; /* opened at the first row: patched kernels only */
};

/* one latency.csv row */
struct hp_latency_row {
	const char *config, *path, *mode, *online;
	uint64_t block_size, size_bytes;
	unsigned int trial, request;
	uint64_t online_before_bytes;
	long block; /* -1: the whole request */
	const char *operation, *side;
	int64_t latency_ns;
	const char *status;
};

/* one capacity.csv row */
struct hp_capacity_row {
	const char *device, *mode, *path, *config;
	uint64_t block_size, size_bytes;
	unsigned int trial;
	const struct hp_capacity *cap; /* NULL: not measured */
	const char *status;
};

/* create (or, resuming, reopen) dir; 0 or -errno */
int hp_results_open(struct hp_results *r, const char *dir, bool resume);
void hp_results_close(struct hp_results *r);

int hp_results_latency(struct hp_results *r, const struct hp_latency_row *row);
int hp_results_capacity(struct hp_results *r,
			const struct hp_capacity_row *row);

/* one placement.csv row: a block's memmap as memoryX/memmap reports it */
struct hp_placement_row {
	const char *config, *path, *mode;
	uint64_t block_size, size_bytes;
	unsigned int trial;
	long block;
	const struct agent_memmap *report;
};

int hp_results_placement(struct hp_results *r,
			 const struct hp_placement_row *row);

/* resume bookkeeping: a unit of work is a string key */
void hp_results_mark_done(struct hp_results *r, const char *unit);
bool hp_results_is_done(const char *dir, const char *unit);

/* CSV field: quoted when it contains a comma, quote or newline */
void hp_csv_field(FILE *f, const char *s);

#endif
