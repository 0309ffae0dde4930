// SPDX-License-Identifier: MIT
/*
 * stats.c - the summary a report prints for each (configuration,
 * operation, side): GSL does the arithmetic, this file only picks it.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

int hp_summarize(const double *v, size_t n, struct hp_summary *out)
{
	double *s;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return -1;
	/* quantiles need sorted data; the caller's order is its own */
	s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, v, n * sizeof(*s));
	gsl_sort(s, 1, n);

	out->n = n;
	out->median = gsl_stats_median_from_sorted_data(s, 1, n);
	out->p10 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.10);
	out->p90 = gsl_stats_quantile_from_sorted_data(s, 1, n, 0.90);
	out->mean = gsl_stats_mean(s, 1, n);
	out->ci95_lo = out->mean;
	out->ci95_hi = out->mean;
	/* one value has no spread: gsl_stats_sd would divide 0 by 0 */
	if (n >= 2) {
		double half;

		out->sd = gsl_stats_sd(s, 1, n);
		half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * out->sd /
		       sqrt((double)n);
		out->ci95_lo = out->mean - half;
		out->ci95_hi = out->mean + half;
	}
	free(s);
	return 0;
}
