// SPDX-License-Identifier: MIT
/*
 * summary.c - a run's entries as summary.csv, the printed tables and the
 * runs of --json: per (configuration, size, operation) the measuring
 * side's totals, and where the kernel was traced its own total, the
 * overhead between the two and the patched kernel's phases.
 */
#include <stdlib.h>
#include <string.h>

#include "../common/size.h"
#include "run.h"
#include "stats.h"

static json_t *summary_json(const double *v, size_t n, const char *side)
{
	struct hp_summary s;

	/* not measured (auto-online has no separate online step): null */
	if (!n)
		return json_pack("{s:n, s:n, s:n, s:n, s:n, s:i, s:s}",
				 "median", "p10", "p90", "ci95_lo", "ci95_hi",
				 "n", 0, "side", "none");
	hp_summarize(v, n, &s);
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:I, s:s}", "median",
			 s.median, "p10", s.p10, "p90", s.p90, "ci95_lo",
			 s.ci95_lo, "ci95_hi", s.ci95_hi, "n", (json_int_t)s.n,
			 "side", side);
}

/*
 * One operation: the measuring side's total, and where the kernel was
 * traced its own total ("kernel"), the difference ("overhead") and the
 * patched kernel's phases.
 */
static json_t *lat_json(const struct entry *e, int op)
{
	json_t *j = summary_json(e->lat[op], e->n[op],
				 e->host[op] ? "host" : "guest");
	json_t *by_phase = json_object();

	for (unsigned int i = 0; i < e->nr_sides; i++) {
		const struct side_series *s = &e->sides[i];

		if (s->op != op)
			continue;
		if (!strncmp(s->side, "kernel/", 7))
			json_object_set_new(by_phase, s->side + 7,
					    summary_json(s->v, s->n, s->side));
		else
			json_object_set_new(j, s->side,
					    summary_json(s->v, s->n, s->side));
	}
	if (json_object_size(by_phase))
		json_object_set_new(j, "phases", by_phase);
	else
		json_decref(by_phase);
	return j;
}

static uint64_t entry_block_size(const struct entry *e)
{
	return e->block_size ? e->block_size : seen.block_size;
}

typedef void series_fn(FILE *f, const struct entry *e, int op, const char *side,
		       const double *v, size_t n);

/*
 * Every series of every entry, in the order the outputs list them: per
 * operation the measuring side's totals, then the kernel's.
 */
static void for_each_series(FILE *f, series_fn *fn)
{
	for (unsigned int i = 0; i < nr_entries; i++) {
		const struct entry *e = &entries[i];

		for (int op = 0; op < HP_OP_NR; op++) {
			if (e->n[op])
				fn(f, e, op, e->host[op] ? "host" : "guest",
				   e->lat[op], e->n[op]);
			for (unsigned int k = 0; k < e->nr_sides; k++)
				if (e->sides[k].op == op)
					fn(f, e, op, e->sides[k].side,
					   e->sides[k].v, e->sides[k].n);
		}
	}
}

static void summary_row(FILE *f, const struct entry *e, int op,
			const char *side, const double *v, size_t n)
{
	struct hp_summary s;

	hp_summarize(v, n, &s);
	fprintf(f,
		"1,%s,%s,%s,%s,%llu,%llu,%s,%s,%zu,%.0f,%.0f,%.0f,%.0f,%.0f,"
		"%.0f,%s,%u\n",
		e->config, e->ops->name, hp_mode_name(e->mode), e->online,
		(unsigned long long)entry_block_size(e),
		(unsigned long long)e->size, hp_op_names[op], side, s.n,
		s.median, s.p10, s.p90, s.mean, s.ci95_lo, s.ci95_hi, seen.arch,
		seen.page_size);
}

void hp_write_summary(const char *dir)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs("schema_version,config,path,mode,online,block_size,size_bytes,"
	      "operation,side,n,median_ns,p10_ns,p90_ns,mean_ns,ci95_lo_ns,"
	      "ci95_hi_ns,arch,page_size\n",
	      f);
	for_each_series(f, summary_row);
	fclose(f);
}

static void table_row(FILE *f, const struct entry *e, int op, const char *side,
		      const double *v, size_t n)
{
	struct hp_summary s;
	char h[32];

	format_size(e->size, h, sizeof(h));
	hp_summarize(v, n, &s);
	fprintf(f,
		"%-34s %6s %-7s %-34s %3zu %10.3f %10.3f %10.3f "
		"%10.3f..%-10.3f\n",
		e->config, h, hp_op_names[op], side, s.n, s.median / 1e6,
		s.p10 / 1e6, s.p90 / 1e6, s.ci95_lo / 1e6, s.ci95_hi / 1e6);
}

/* a page count, or "-" where it was not measurable (-1) */
static const char *count_or_dash(int64_t v, char *buf, size_t len)
{
	if (v < 0)
		return "-";
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

void hp_print_table(FILE *f)
{
	fprintf(f, "\n%-34s %6s %-7s %-34s %3s %10s %10s %10s %21s\n", "config",
		"size", "op", "side", "n", "median ms", "p10 ms", "p90 ms",
		"95% CI of mean ms");
	for_each_series(f, table_row);
	fprintf(f, "\n%-34s %6s %6s %8s %8s %8s %12s %-9s %s\n", "config",
		"size", "blocks", "memmap", "reserve", "withheld", "usable MiB",
		"memmap@", "planner");
	for (unsigned int i = 0; i < nr_entries; i++) {
		const struct entry *e = &entries[i];
		char h[32], loc[32] = "-", m[24], r[24], w[24];

		format_size(e->size, h, sizeof(h));
		if (!e->have_cap) {
			fprintf(f, "%-34s %6s %s\n", e->config, h,
				strcmp(e->status, "ok") || !e->check[0]
					? e->status
					: e->check);
			continue;
		}
		hp_capacity_location(&e->cap, loc, sizeof(loc));
		fprintf(f, "%-34s %6s %6llu %8s %8s %8s %12.1f %-9s %s\n",
			e->config, h, (unsigned long long)e->cap.blocks,
			count_or_dash(e->cap.memmap_pages, m, sizeof(m)),
			count_or_dash(e->cap.reserve_pages, r, sizeof(r)),
			count_or_dash(e->cap.withheld_pages, w, sizeof(w)),
			(double)e->cap.usable_bytes / (1 << 20),
			loc[0] ? loc : "?", e->check[0] ? e->check : "-");
	}
}

/* null where nothing was measured or the counters could not say (-1) */
static json_t *count_or_null(const struct entry *e, int64_t v)
{
	return e->have_cap && v >= 0 ? json_integer(v) : json_null();
}

json_t *hp_runs_json(void)
{
	json_t *runs = json_array();
	char kernel[160];
	snprintf(kernel, sizeof(kernel), "%s", seen.kernel_release);
	for (unsigned int i = 0; i < nr_entries; i++) {
		const struct entry *e = &entries[i];
		json_t *lat = json_object(), *r;
		char loc[32] = "", rep[128] = "";

		for (int op = 0; op < HP_OP_NR; op++)
			json_object_set_new(lat, hp_op_names[op],
					    lat_json(e, op));
		if (e->have_cap) {
			hp_capacity_location(&e->cap, loc, sizeof(loc));
			hp_capacity_report_text(&e->cap, rep, sizeof(rep));
		}
		r = json_pack(
			"{s:s, s:s, s:i, s:s, s:I, s:s, s:s, s:I, s:o, s:o, "
			"s:o, s:s, s:s, s:o, s:s}",
			"config", e->config, "arch",
			seen.arch[0] ? seen.arch : "x86_64", "page_size",
			(int)seen.page_size, "kernel", kernel, "block_size",
			(json_int_t)entry_block_size(e), "mode",
			hp_mode_name(e->mode), "path", e->ops->name,
			"size_bytes", (json_int_t)e->size, "usable_bytes",
			e->have_cap ? json_integer(e->cap.usable_bytes)
				    : json_null(),
			"memmap_pages_on_device",
			count_or_null(e, e->cap.placement_unknown ? -1
					 : e->cap.memmap_on_device
						 ? e->cap.memmap_pages
						 : 0),
			"reserve_pages", count_or_null(e, e->cap.reserve_pages),
			"memmap_location", loc, "status", e->status,
			"latency_ns", lat, "check",
			e->check[0] ? e->check : "not checked");
		if (e->kmem_attr >= 0)
			json_object_set_new(r, "kmem_memmap_on_memory",
					    json_boolean(e->kmem_attr));
		/* the patched kernel's memoryX/memmap, summed over the blocks
		 */
		json_object_set_new(r, "memmap_report",
				    rep[0] ? json_string(rep) : json_null());
		json_object_set_new(r, "memmap_pages",
				    count_or_null(e, e->cap.memmap_pages));
		json_object_set_new(r, "withheld_pages",
				    count_or_null(e, e->cap.withheld_pages));
		json_array_append_new(runs, r);
	}
	return runs;
}
