/* SPDX-License-Identifier: MIT */
/*
 * stats.h - summary statistics of repeated latency measurements (median,
 * p10/p90, mean, sd, 95% confidence interval of the mean), via GSL.
 */
#ifndef HP_BENCH_STATS_H
#define HP_BENCH_STATS_H

#include <stddef.h>

struct hp_summary {
	size_t n;
	double median, p10, p90, mean, sd;
	/* 95% CI of the mean, Student t; == mean when n < 2 */
	double ci95_lo, ci95_hi;
};

/*
 * Summarise the @n finite values at @v into @out.  @v is not modified (it
 * is copied and the copy sorted).  Quantiles interpolate linearly between
 * order statistics (GSL's definition); sd uses n - 1 and is 0 when n < 2.
 * Returns 0; with n == 0 (or when the copy can't be allocated) @out is all
 * zeros and the return is -1.
 */
int hp_summarize(const double *v, size_t n, struct hp_summary *out);

#endif
