// SPDX-License-Identifier: MIT
#include "helpers.h"

#include <criterion/criterion.h>

int t_load(const char *text, struct hp_config *cfg, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	cr_assert_not_null(f);
	r = hp_config_load_stream(f, "test.cfg", cfg, err, len);
	fclose(f);
	return r;
}

const struct hp_run *t_plan(const char *text)
{
	static struct hp_config cfg;
	static struct hp_run run;
	char err[512];

	cr_assert_eq(t_load(text, &cfg, err, sizeof(err)), 0, "config: %s",
		     err);
	cr_assert_eq(hp_run_plan(&cfg, &run, err, sizeof(err)), 0, "plan: %s",
		     err);
	return &run;
}
