/* SPDX-License-Identifier: MIT */
#ifndef HP_PLANNER_SWEEP_H
#define HP_PLANNER_SWEEP_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/*
 * Plan the same devices under every block size, memmap_on_memory mode
 * and page size the architecture allows; print a table (format 0), JSON
 * (1) or CSV (2) and name the variant that wastes least.
 */
int hp_sweep_run(const struct hp_config *cfg, int format, bool human, FILE *out,
		 FILE *err);

#endif
