/* SPDX-License-Identifier: MIT */
/*
 * options.h - hpbench's options (options.c parses and checks them; the
 * run in hpbench.c, the matrix in matrix.c use them).
 */
#ifndef HP_BENCH_OPTIONS_H
#define HP_BENCH_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../planner/model.h"
#include "bench.h"
#include "lab.h"

#define EXIT_OK 0
#define EXIT_DIFFERS 1
#define EXIT_USAGE 2
#define EXIT_NO_RESOURCE 3
#define EXIT_FAILED 4

struct opts {
	uint64_t sizes[HP_MAX_SIZES];
	unsigned int nr_sizes;
	enum hp_mode modes[HP_MODE_NR];
	unsigned int nr_modes;
	const struct hp_path_ops *paths[8];
	unsigned int nr_paths;
	int kmem_attrs[2];
	unsigned int nr_kmem_attrs;
	unsigned int trials, grow;
	bool auto_online;
	const char *online_type;
	int node;
	const char *kernel, *initrd, *out, *resume;
	uint64_t boot_mem, lab_maxmem;
	int timeout_ms;
	bool json, quiet, yes;
	bool dax_pmem;			    /* --dax-source pmem */
	uint64_t block_sizes[HP_MAX_SIZES]; /* --block-sizes; none: the kernel's
					     */
	unsigned int nr_block_sizes;
	const char *target, *sysfs_root;
	const struct lab_arch *arch; /* --arch: the guest's */
	unsigned int page_size;	     /* --page-sizes: one; 0 the arch's 4K */
	/* a list in --arch or --page-sizes: the matrix (matrix.c) */
	const char *arch_list, *page_list, *paths_arg;
	unsigned int jobs;
};

/* the man-style text of --help */
void hp_usage(FILE *f);
/* argv into o (defaults first); 0, or -1 after saying why */
int hp_parse_args(int argc, char **argv, struct opts *o);
/* --resume DIR: the run's own invocation, from its meta.json */
int hp_resume_args(const char *dir, int *argc, char ***argv);
/* is name one of the comma-separated list's entries? */
bool hp_list_has(const char *list, const char *name);
/* the lab guest as the planner sees it: arch, page size, pseries radix */
void hp_lab_platform(const struct opts *o, unsigned int page_size,
		     struct hp_platform *p);
/* refused before boot, with the reason on stderr: 0 or -1 */
int hp_validate_arch(const struct opts *o, uint64_t *block_size);
int hp_validate(const struct opts *o, uint64_t block_size);

#endif
