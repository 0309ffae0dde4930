// SPDX-License-Identifier: MIT
/*
 * hp_summarize: expected values worked by hand.  Quantiles follow GSL:
 * q(f) = x[i] + (x[i+1] - x[i]) * d where i + d = f * (n - 1) (0-based,
 * sorted); sd divides by n - 1; CI = mean +- t(0.975, n-1) * sd / sqrt(n).
 */
#include <criterion/criterion.h>

#include "../../bench/stats.h"

#define EPS 1e-5

Test(stats, one_to_ten)
{
	const double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	struct hp_summary s;

	cr_assert_eq(hp_summarize(v, 10, &s), 0);
	cr_assert_eq(s.n, 10);
	/* (5 + 6) / 2 */
	cr_assert_float_eq(s.median, 5.5, EPS);
	/* 0.1 * 9 = 0.9: x[0] + 0.9 * (x[1] - x[0]) = 1 + 0.9 = 1.9 */
	cr_assert_float_eq(s.p10, 1.9, EPS);
	/* 0.9 * 9 = 8.1: x[8] + 0.1 * (x[9] - x[8]) = 9 + 0.1 = 9.1 */
	cr_assert_float_eq(s.p90, 9.1, EPS);
	/* 55 / 10 */
	cr_assert_float_eq(s.mean, 5.5, EPS);
	/* sum (x - 5.5)^2 = 2 * (0.25 + 2.25 + 6.25 + 12.25 + 20.25) = 82.5;
	 * sqrt(82.5 / 9) = 3.0276504 */
	cr_assert_float_eq(s.sd, 3.0276504, EPS);
	/* t(0.975, 9) = 2.2621572; 2.2621572 * 3.0276504 / sqrt(10) = 2.1658506
	 */
	cr_assert_float_eq(s.ci95_lo, 5.5 - 2.1658506, EPS);
	cr_assert_float_eq(s.ci95_hi, 5.5 + 2.1658506, EPS);
}

Test(stats, odd_count_unsorted)
{
	const double v[] = {5, 1, 4, 2, 3};
	struct hp_summary s;

	cr_assert_eq(hp_summarize(v, 5, &s), 0);
	/* sorted 1 2 3 4 5: middle value */
	cr_assert_float_eq(s.median, 3.0, EPS);
	/* 0.1 * 4 = 0.4: 1 + 0.4 * 1 = 1.4; 0.9 * 4 = 3.6: 4 + 0.6 = 4.6 */
	cr_assert_float_eq(s.p10, 1.4, EPS);
	cr_assert_float_eq(s.p90, 4.6, EPS);
	cr_assert_float_eq(s.mean, 3.0, EPS);
	/* (4 + 1 + 0 + 1 + 4) / 4 = 2.5; sqrt(2.5) = 1.5811388 */
	cr_assert_float_eq(s.sd, 1.5811388, EPS);
	/* t(0.975, 4) = 2.7764451; 2.7764451 * 1.5811388 / sqrt(5) = 1.9632432
	 */
	cr_assert_float_eq(s.ci95_lo, 3.0 - 1.9632432, EPS);
	cr_assert_float_eq(s.ci95_hi, 3.0 + 1.9632432, EPS);
}

Test(stats, two_values)
{
	const double v[] = {3, 1};
	struct hp_summary s;

	cr_assert_eq(hp_summarize(v, 2, &s), 0);
	cr_assert_float_eq(s.median, 2.0, EPS);
	/* 0.1 * 1 = 0.1: 1 + 0.1 * 2 = 1.2; 0.9: 1 + 0.9 * 2 = 2.8 */
	cr_assert_float_eq(s.p10, 1.2, EPS);
	cr_assert_float_eq(s.p90, 2.8, EPS);
	/* (1 + 1) / 1 = 2; sd = sqrt(2) = 1.4142136 */
	cr_assert_float_eq(s.sd, 1.4142136, EPS);
	/* t(0.975, 1) = 12.7062047; * sqrt(2) / sqrt(2) = 12.7062047 */
	cr_assert_float_eq(s.ci95_lo, 2.0 - 12.7062047, EPS);
	cr_assert_float_eq(s.ci95_hi, 2.0 + 12.7062047, EPS);
}

Test(stats, empty)
{
	struct hp_summary s;

	memset(&s, 0xa5, sizeof(s));
	cr_assert_eq(hp_summarize(NULL, 0, &s), -1);
	cr_assert_eq(s.n, 0);
	cr_assert_eq(s.median, 0.0);
	cr_assert_eq(s.p10, 0.0);
	cr_assert_eq(s.p90, 0.0);
	cr_assert_eq(s.mean, 0.0);
	cr_assert_eq(s.sd, 0.0);
	cr_assert_eq(s.ci95_lo, 0.0);
	cr_assert_eq(s.ci95_hi, 0.0);
}

Test(stats, single_value)
{
	const double v[] = {42.5};
	struct hp_summary s;

	cr_assert_eq(hp_summarize(v, 1, &s), 0);
	cr_assert_eq(s.n, 1);
	/* every quantile of one value is that value; no spread, no interval */
	cr_assert_float_eq(s.median, 42.5, EPS);
	cr_assert_float_eq(s.p10, 42.5, EPS);
	cr_assert_float_eq(s.p90, 42.5, EPS);
	cr_assert_float_eq(s.mean, 42.5, EPS);
	cr_assert_eq(s.sd, 0.0);
	cr_assert_eq(s.ci95_lo, s.mean);
	cr_assert_eq(s.ci95_hi, s.mean);
}

Test(stats, input_not_modified)
{
	double v[] = {9, -2, 7.5, 0, 3};
	const double orig[] = {9, -2, 7.5, 0, 3};
	struct hp_summary s;

	cr_assert_eq(hp_summarize(v, 5, &s), 0);
	cr_assert_arr_eq(v, orig, sizeof(v));
	/* sorted -2 0 3 7.5 9 */
	cr_assert_float_eq(s.median, 3.0, EPS);
}
