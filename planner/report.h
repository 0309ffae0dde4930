/* SPDX-License-Identifier: MIT */
/* Rendering finished plans: text, JSON, CSV.  Nothing is computed here. */
#ifndef HP_PLANNER_REPORT_H
#define HP_PLANNER_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "config.h"
#include "model.h"

#define HPPLAN_SCHEMA_VERSION 1

struct hp_run {
	const struct hp_config *cfg;
	struct hp_geometry geo;
	struct hp_plan plans[HP_MAX_DEVICES];
	struct hp_totals totals;
};

/* Derive geometry and plan every device of @cfg (pure). */
int hp_run_plan(const struct hp_config *cfg, struct hp_run *run, char *why,
		size_t why_len);

/* memmap_location string: "device" or "node N" */
void hp_plan_location(const struct hp_plan *pl, char *buf, size_t len);

json_t *hp_plan_to_json(const struct hp_plan *pl);
json_t *hp_totals_to_json(const struct hp_totals *t);
json_t *hp_platform_to_json(const struct hp_platform *p,
			    const struct hp_geometry *g);
json_t *hp_run_to_json(const struct hp_run *run);

void hp_report_text(FILE *out, const struct hp_run *run, bool human);
void hp_report_csv_header(FILE *out);
void hp_report_csv(FILE *out, const struct hp_run *run);

#endif
