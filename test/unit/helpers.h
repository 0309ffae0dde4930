/* SPDX-License-Identifier: MIT */
#ifndef HP_TEST_HELPERS_H
#define HP_TEST_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "../../planner/config.h"
#include "../../planner/report.h"
#include "../../planner/rules.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Load @text as a device.cfg; 0 or -1 with the message in @err. */
int t_load(const char *text, struct hp_config *cfg, char *err, size_t len);

/* Load and plan; asserts both succeed.  Returns the run (static). */
const struct hp_run *t_plan(const char *text);

#endif
