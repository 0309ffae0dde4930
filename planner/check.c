// SPDX-License-Identifier: MIT
#include "check.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../common/size.h"
#include "config.h"
#include "report.h"

#define CHECK_SCHEMA_VERSION 1
#define MAX_FIELDS 48

/* capacity.csv columns; a row may leave any measured field empty */
enum col {
	COL_SCHEMA,
	COL_DEVICE,
	COL_BLOCK_SIZE,
	COL_MODE,
	COL_BLOCKS,
	COL_ON_DEVICE,
	COL_MEMMAP_PAGES,
	COL_RESERVE_PAGES,
	COL_TRIMMED,
	COL_USABLE,
	COL_LOCATION,
	COL_STATUS,
	COL_WITHHELD,
	COL_NR,
};

static const char *const col_names[COL_NR] = {
	[COL_SCHEMA] = "schema_version",
	[COL_DEVICE] = "device",
	[COL_BLOCK_SIZE] = "memory_block_size",
	[COL_MODE] = "memmap_on_memory",
	[COL_BLOCKS] = "blocks",
	[COL_ON_DEVICE] = "memmap_on_device",
	[COL_MEMMAP_PAGES] = "memmap_pages",
	[COL_RESERVE_PAGES] = "reserve_pages",
	[COL_TRIMMED] = "trimmed_bytes",
	[COL_USABLE] = "usable_bytes",
	[COL_LOCATION] = "memmap_location",
	[COL_STATUS] = "status",
	[COL_WITHHELD] = "withheld_pages",
};

/* Split one CSV line in place ("" quoting as RFC 4180, one line only). */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *s = line;

	while (n < max) {
		char *w;

		fields[n++] = s;
		if (*s == '"') {
			w = s;
			s++;
			for (;;) {
				if (!*s)
					return -1; /* unterminated quote */
				if (*s == '"' && s[1] == '"') {
					*w++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					*w++ = *s++;
				}
			}
			/* unescaped text is written over the quoted form */
			if (*s == ',') {
				*w = '\0';
				s++;
				continue;
			}
			if (*s)
				return -1;
			*w = '\0';
			break;
		} else {
			while (*s && *s != ',')
				s++;
		}
		if (*s == ',') {
			*s++ = '\0';
			continue;
		}
		if (*s == '\0')
			break;
		return -1;
	}
	return n;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

struct diff_list {
	json_t *arr;
	unsigned int n;
	char text[1024];
};

static void differ(struct diff_list *dl, const char *field,
		   const char *predicted, const char *measured)
{
	size_t used = strlen(dl->text);

	json_array_append_new(dl->arr, json_pack("{s:s, s:s, s:s}", "field",
						 field, "predicted", predicted,
						 "measured", measured));
	snprintf(dl->text + used, sizeof(dl->text) - used,
		 "%s%s predicted %s, measured %s", dl->n ? "; " : "", field,
		 predicted, measured);
	dl->n++;
}

static void cmp_u64(struct diff_list *dl, const char *field, uint64_t pred,
		    const char *measured_text)
{
	char p[32];
	uint64_t m;

	if (!*measured_text)
		return;
	if (parse_size(measured_text, &m) || m != pred) {
		snprintf(p, sizeof(p), "%" PRIu64, pred);
		differ(dl, field, p, measured_text);
	}
}

int hp_check_run(const char *dir, const char *cfg_path, bool json, FILE *out,
		 FILE *err)
{
	static struct hp_config base, cfg;
	static struct hp_run run;
	char path[PATH_MAX], line[4096], msg[1024];
	int colmap[COL_NR];
	unsigned int agree = 0, disagree = 0, lineno = 0;
	json_t *rows = json_array();
	int rc = 0;
	FILE *f;

	if (!cfg_path) {
		snprintf(path, sizeof(path), "%s/device.cfg", dir);
		cfg_path = path;
	}
	if (hp_config_load(cfg_path, &base, msg, sizeof(msg))) {
		fprintf(err, "hpplan: %s\n", msg);
		json_decref(rows);
		return HP_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/capacity.csv", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(err,
			"hpplan: %s: %s (expected a results directory with "
			"capacity.csv, see results/README.md)\n",
			path, strerror(errno));
		json_decref(rows);
		return HP_EXIT_USAGE;
	}
	for (int i = 0; i < COL_NR; i++)
		colmap[i] = -1;
	while (fgets(line, sizeof(line), f)) {
		char *fields[MAX_FIELDS];
		const char *val[COL_NR];
		struct diff_list dl = {.arr = json_array()};
		const struct hp_plan *pl = NULL;
		char loc[32], p[32];
		int n;

		lineno++;
		chomp(line);
		if (!line[0] || line[0] == '#') {
			json_decref(dl.arr);
			continue;
		}
		n = csv_split(line, fields, MAX_FIELDS);
		if (n < 0) {
			fprintf(err,
				"hpplan: %s:%u: malformed CSV line (unbalanced "
				"quotes or too many fields)\n",
				path, lineno);
			json_decref(dl.arr);
			rc = HP_EXIT_USAGE;
			break;
		}
		if (colmap[COL_DEVICE] < 0) {
			/* header */
			for (int i = 0; i < n; i++)
				for (int c = 0; c < COL_NR; c++)
					if (!strcmp(fields[i], col_names[c]))
						colmap[c] = i;
			json_decref(dl.arr);
			if (colmap[COL_DEVICE] < 0) {
				fprintf(err,
					"hpplan: %s:%u: header has no 'device' "
					"column (expected %s,%s,...)\n",
					path, lineno, col_names[0],
					col_names[1]);
				rc = HP_EXIT_USAGE;
				break;
			}
			continue;
		}
		for (int c = 0; c < COL_NR; c++)
			val[c] = colmap[c] >= 0 && colmap[c] < n
					 ? fields[colmap[c]]
					 : "";
		if (*val[COL_SCHEMA] &&
		    atoi(val[COL_SCHEMA]) != CHECK_SCHEMA_VERSION) {
			fprintf(err,
				"hpplan: %s:%u: schema_version %s (expected "
				"%d)\n",
				path, lineno, val[COL_SCHEMA],
				CHECK_SCHEMA_VERSION);
			json_decref(dl.arr);
			rc = HP_EXIT_USAGE;
			break;
		}
		cfg = base;
		if (*val[COL_BLOCK_SIZE] &&
		    parse_size(val[COL_BLOCK_SIZE], &cfg.platform.block_size)) {
			fprintf(err,
				"hpplan: %s:%u: memory_block_size '%s' "
				"(expected a size such as 128M)\n",
				path, lineno, val[COL_BLOCK_SIZE]);
			json_decref(dl.arr);
			rc = HP_EXIT_USAGE;
			break;
		}
		if (*val[COL_MODE]) {
			int m = hp_mode_from_name(val[COL_MODE]);

			if (m < 0) {
				fprintf(err,
					"hpplan: %s:%u: memmap_on_memory '%s' "
					"(expected off, on or force)\n",
					path, lineno, val[COL_MODE]);
				json_decref(dl.arr);
				rc = HP_EXIT_USAGE;
				break;
			}
			cfg.platform.mode = (enum hp_mode)m;
		}
		if (hp_run_plan(&cfg, &run, msg, sizeof(msg))) {
			fprintf(err, "hpplan: %s:%u: %s\n", path, lineno, msg);
			json_decref(dl.arr);
			rc = HP_EXIT_USAGE;
			break;
		}
		for (unsigned int i = 0; i < cfg.nr_devices; i++)
			if (!strcmp(run.plans[i].name, val[COL_DEVICE]))
				pl = &run.plans[i];
		if (!pl) {
			fprintf(err,
				"hpplan: %s:%u: device '%s' is not in %s\n",
				path, lineno, val[COL_DEVICE], cfg_path);
			json_decref(dl.arr);
			rc = HP_EXIT_USAGE;
			break;
		}
		if (*val[COL_STATUS]) {
			const char *ps =
				pl->status == HP_PLAN_OK ? "ok" : "refused";
			/* hpbench adds the kernel's words to a refusal */
			bool refused = !strncmp(val[COL_STATUS], "refused", 7);

			/* a measured failure other than a refusal is not a
			 * prediction */
			if (refused ? pl->status == HP_PLAN_OK
				    : strcmp(val[COL_STATUS], ps) != 0)
				differ(&dl, "status", ps, val[COL_STATUS]);
		}
		if (pl->status == HP_PLAN_OK &&
		    (!*val[COL_STATUS] || !strcmp(val[COL_STATUS], "ok"))) {
			cmp_u64(&dl, "blocks", pl->blocks, val[COL_BLOCKS]);
			if (*val[COL_ON_DEVICE]) {
				bool m = hp_bool_from_name(
						 val[COL_ON_DEVICE]) == 1;

				if (m != pl->memmap_on_memory)
					differ(&dl, "memmap_on_device",
					       pl->memmap_on_memory ? "true"
								    : "false",
					       val[COL_ON_DEVICE]);
			}
			cmp_u64(&dl, "memmap_pages", pl->memmap_pages,
				val[COL_MEMMAP_PAGES]);
			cmp_u64(&dl, "reserve_pages", pl->reserve_pages,
				val[COL_RESERVE_PAGES]);
			cmp_u64(&dl, "withheld_pages", pl->withheld_pages,
				val[COL_WITHHELD]);
			cmp_u64(&dl, "trimmed_bytes", pl->trimmed_bytes,
				val[COL_TRIMMED]);
			cmp_u64(&dl, "usable_bytes", pl->usable_bytes,
				val[COL_USABLE]);
			hp_plan_location(pl, loc, sizeof(loc));
			/* "unknown": no node's MemUsed told (hpbench) */
			if (*val[COL_LOCATION] &&
			    strcmp(val[COL_LOCATION], "unknown") &&
			    strcmp(loc, val[COL_LOCATION]))
				differ(&dl, "memmap_location", loc,
				       val[COL_LOCATION]);
		}
		format_size(cfg.platform.block_size ? cfg.platform.block_size
						    : run.geo.block_size,
			    p, sizeof(p));
		if (dl.n) {
			disagree++;
			if (!json)
				fprintf(out,
					"DIFFERS %s:%u %s (block %s, mode %s): "
					"%s\n",
					path, lineno, pl->name, p,
					hp_mode_name(cfg.platform.mode),
					dl.text);
		} else {
			agree++;
			if (!json)
				fprintf(out,
					"agree   %s:%u %s (block %s, mode "
					"%s)\n",
					path, lineno, pl->name, p,
					hp_mode_name(cfg.platform.mode));
		}
		json_array_append_new(
			rows,
			json_pack("{s:i, s:s, s:s, s:s, s:s, s:o}", "line",
				  (int)lineno, "device", pl->name, "block_size",
				  p, "mode", hp_mode_name(cfg.platform.mode),
				  "check", dl.n ? "differs" : "agree",
				  "differences", dl.arr));
	}
	fclose(f);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	if (json) {
		json_t *o = json_pack("{s:s, s:i, s:i, s:o}", "results", dir,
				      "agree", (int)agree, "differ",
				      (int)disagree, "rows", rows);

		json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(o);
	} else {
		json_decref(rows);
		fprintf(out, "%u row(s) agree, %u differ\n", agree, disagree);
	}
	if (!agree && !disagree) {
		fprintf(err, "hpplan: %s has no result rows\n", path);
		return HP_EXIT_USAGE;
	}
	return disagree ? HP_EXIT_DISAGREE : HP_EXIT_OK;
}
