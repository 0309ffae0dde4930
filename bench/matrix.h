/* SPDX-License-Identifier: MIT */
/*
 * matrix.h - hpbench --arch LIST [--page-sizes LIST]: one run per
 * (arch, page size) cell, each a child hpbench in OUT/ARCH-PAGE/, up to
 * --jobs at once; then the cells' rows merged into OUT and one matrix.csv
 * row per (cell, path) saying what ran, what agreed, or why not.
 */
#ifndef HP_BENCH_MATRIX_H
#define HP_BENCH_MATRIX_H

#include <stdbool.h>

struct hp_matrix_opts {
	const char *arches;	/* "x86_64,arm64" or "all" */
	const char *page_sizes; /* "4K,64K", "all", or NULL: 4K */
	const char *paths;	/* --paths, or NULL: each arch's defaults */
	const char *kernel;	/* --kernel, or NULL: Debian's */
	const char *out;	/* the matrix's directory */
	unsigned int jobs;	/* cells at once */
	bool resume, quiet, json;
};

/*
 * Runs the matrix.  argv is hpbench's own (the cells get it with their
 * cell's --arch, --page-sizes, --paths and --out appended); exit status in
 * hpbench's terms: 0 every cell ran and agrees, 1 some row differs,
 * 2 bad usage, 4 some cell failed.
 */
int hp_matrix_run(const struct hp_matrix_opts *mo, int argc, char **argv);

#endif
