/* SPDX-License-Identifier: MIT */
/* device.cfg: INI in, struct hp_platform + devices out. */
#ifndef HP_PLANNER_CONFIG_H
#define HP_PLANNER_CONFIG_H

#include <stdio.h>

#include "model.h"

#define HP_MAX_DEVICES 256

struct hp_config {
	struct hp_platform platform;
	struct hp_device devices[HP_MAX_DEVICES];
	unsigned int nr_devices;
};

/* exit codes shared by the tools (sysexits-like, documented in README) */
enum hp_exit {
	HP_EXIT_OK = 0,
	HP_EXIT_DISAGREE = 1,	 /* --check found differences */
	HP_EXIT_USAGE = 2,	 /* bad command line or configuration */
	HP_EXIT_NO_RESOURCE = 3, /* the machine lacks what was asked */
};

/*
 * Parse @path (or stdin for "-") into @cfg.  On error returns -1 and
 * writes "file:line: what was wrong, what was expected" into @err.
 */
int hp_config_load(const char *path, struct hp_config *cfg, char *err,
		   size_t err_len);

/* The same from an open stream; @name is used in messages. */
int hp_config_load_stream(FILE *f, const char *name, struct hp_config *cfg,
			  char *err, size_t err_len);

/* Write @cfg back as device.cfg text (used by --from-sysfs and --check). */
void hp_config_write(FILE *out, const struct hp_config *cfg);

/* Print the key reference (for --help-config and the README). */
void hp_config_print_keys(FILE *out);

#endif
