/* SPDX-License-Identifier: MIT */
/* --check: compare predictions with measured results (results/README.md). */
#ifndef HP_PLANNER_CHECK_H
#define HP_PLANNER_CHECK_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Read @dir/device.cfg (or @cfg_path) and @dir/capacity.csv; plan every
 * row's configuration and compare each measured field.  Returns an exit
 * code: 0 all agree, 1 some differ, 2 malformed input.
 */
int hp_check_run(const char *dir, const char *cfg_path, bool json, FILE *out,
		 FILE *err);

#endif
