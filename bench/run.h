/* SPDX-License-Identifier: MIT */
/*
 * run.h - what a run of hpbench has measured so far: one entry per
 * (configuration, size), filled by the run loop (hpbench.c), reported by
 * summary.c (summary.csv, the table, --json).
 */
#ifndef HP_BENCH_RUN_H
#define HP_BENCH_RUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"

#define MAX_ENTRIES 256
#define MAX_SIDES 24

/* one (operation, side) series of per-request totals */
struct side_series {
	int op;
	char side[48];
	double *v;
	size_t n;
};

/* one (configuration, size): its rows summarised, its capacity, its verdict */
struct entry {
	const struct hp_path_ops *ops;
	enum hp_mode mode;
	int kmem_attr; /* -1 when not dax-kmem */
	uint64_t size;
	char config[128], device[HP_NAME_MAX];
	uint64_t dev_start, dev_size; /* dax-kmem: the dax device measured */
	uint64_t ns_start, ns_align;  /* dax-kmem over pmem: its namespace */
	uint64_t add_start;	      /* where the last add's blocks began */
	uint64_t block_size_req;      /* memory_block_size= asked for, or 0 */
	const char *online;	      /* "auto" or "manual" */
	char status[256];
	struct hp_capacity cap;
	bool have_cap;
	double *lat[HP_OP_NR];
	size_t n[HP_OP_NR];
	bool host[HP_OP_NR];
	uint64_t block_size; /* as the guest reported it */
	/* in-kernel series per request: kernel, kernel/PHASE, overhead */
	struct side_series sides[MAX_SIDES];
	unsigned int nr_sides;
	char check[512];
};

extern struct entry entries[MAX_ENTRIES];
extern unsigned int nr_entries;

/* what the guests said about themselves (meta.json, --json) */
struct run_seen {
	char kernel_release[128], kernel_cmdline[1024], kernel_package[64];
	char qemu_version[64];
	char arch[32]; /* the guest's arch, in hpbench's names (arm64) */
	unsigned int page_size;
	uint64_t block_size;
	long peak_rss_kb;
	json_t *boots;
};

extern struct run_seen seen;

/* summary.csv in dir, rewritten */
void hp_write_summary(const char *dir);
/* the latency and capacity tables */
void hp_print_table(FILE *f);
/* the runs array of --json */
json_t *hp_runs_json(void);

#endif
