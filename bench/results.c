// SPDX-License-Identifier: MIT
/*
 * results.c - append-only CSVs of a run, flushed row by row.
 */
#include "results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char latency_header[] =
	"schema_version,run_id,config,path,mode,online,block_size,size_bytes,"
	"trial,request,online_before_bytes,block,operation,side,latency_ns,"
	"status,arch,page_size\n";

static const char capacity_header[] =
	"schema_version,device,memory_block_size,memmap_on_memory,blocks,"
	"memmap_on_device,memmap_pages,reserve_pages,trimmed_bytes,"
	"usable_bytes,memmap_location,status,path,size_bytes,trial,config,"
	"present_delta_pages,managed_delta_pages,memtotal_delta_bytes,"
	"memmap_delta_pages,node0_used_delta_kb,node1_used_delta_kb,"
	"memmap_report,memmap_mapped_pmd,memmap_mapped_pte,arch,page_size,"
	"withheld_pages,blocks_node\n";

static int mkdir_p(const char *path)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static FILE *open_csv(const char *dir, const char *name, const char *header)
{
	char path[600];
	struct stat st;
	bool fresh;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fresh = stat(path, &st) || st.st_size == 0;
	f = fopen(path, "a");
	if (f && fresh && header) {
		fputs(header, f);
		fflush(f);
	}
	return f;
}

int hp_results_open(struct hp_results *r, const char *dir, bool resume)
{
	const char *base;
	int err;

	memset(r, 0, sizeof(*r));
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	/* "results/ID/" from tab completion names the same run as "results/ID"
	 */
	for (size_t n = strlen(r->dir); n > 1 && r->dir[n - 1] == '/'; n--)
		r->dir[n - 1] = '\0';
	base = strrchr(r->dir, '/');
	snprintf(r->run_id, sizeof(r->run_id), "%s", base ? base + 1 : r->dir);
	if (!resume && access(dir, F_OK) == 0) {
		char probe[600];

		snprintf(probe, sizeof(probe), "%s/latency.csv", dir);
		if (access(probe, F_OK) == 0)
			return -EEXIST; /* never mix two runs in one dir */
	}
	err = mkdir_p(r->dir);
	if (err)
		return err;
	r->latency = open_csv(r->dir, "latency.csv", latency_header);
	r->capacity = open_csv(r->dir, "capacity.csv", capacity_header);
	r->done = open_csv(r->dir, "done", NULL);
	if (!r->latency || !r->capacity || !r->done) {
		err = -errno;
		hp_results_close(r);
		return err ? err : -EIO;
	}
	return 0;
}

void hp_results_close(struct hp_results *r)
{
	if (r->latency)
		fclose(r->latency);
	if (r->capacity)
		fclose(r->capacity);
	if (r->done)
		fclose(r->done);
	if (r->placement)
		fclose(r->placement);
	r->latency = r->capacity = r->done = r->placement = NULL;
}

void hp_csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('"', f);
}

/* the row's end: ",arch,page_size\n" */
static void row_end(const struct hp_results *r, FILE *f)
{
	fprintf(f, ",%s,", r->arch);
	if (r->page_size)
		fprintf(f, "%u", r->page_size);
	fputc('\n', f);
}

int hp_results_latency(struct hp_results *r, const struct hp_latency_row *x)
{
	FILE *f = r->latency;

	fprintf(f, "%d,", HP_RESULTS_SCHEMA);
	hp_csv_field(f, r->run_id);
	fputc(',', f);
	hp_csv_field(f, x->config);
	fprintf(f, ",%s,%s,%s,%llu,%llu,%u,%u,%llu,%ld,%s,%s,", x->path,
		x->mode, x->online, (unsigned long long)x->block_size,
		(unsigned long long)x->size_bytes, x->trial, x->request,
		(unsigned long long)x->online_before_bytes, x->block,
		x->operation, x->side);
	if (x->latency_ns >= 0)
		fprintf(f, "%lld", (long long)x->latency_ns);
	fputc(',', f);
	hp_csv_field(f, x->status);
	row_end(r, f);
	return fflush(f) ? -errno : 0;
}

static void num_or_empty(FILE *f, int64_t v)
{
	if (v >= 0)
		fprintf(f, "%lld", (long long)v);
}

int hp_results_capacity(struct hp_results *r, const struct hp_capacity_row *x)
{
	const struct hp_capacity *c = x->cap;
	FILE *f = r->capacity;
	char loc[32] = "";

	fprintf(f, "%d,", HP_RESULTS_SCHEMA);
	hp_csv_field(f, x->device);
	fprintf(f, ",%llu,%s,", (unsigned long long)x->block_size, x->mode);
	if (c) {
		hp_capacity_location(c, loc, sizeof(loc));
		fprintf(f, "%llu,%s,", (unsigned long long)c->blocks,
			c->placement_unknown  ? ""
			: c->memmap_on_device ? "true"
					      : "false");
		num_or_empty(f, c->memmap_pages);
		fputc(',', f);
		num_or_empty(f, c->reserve_pages);
		fprintf(f, ",%lld,%lld,%s,", (long long)c->trimmed_bytes,
			(long long)c->usable_bytes, loc);
	} else {
		fputs(",,,,,,,", f);
	}
	hp_csv_field(f, x->status);
	fprintf(f, ",%s,%llu,%u,", x->path, (unsigned long long)x->size_bytes,
		x->trial);
	hp_csv_field(f, x->config);
	if (c) {
		char rep[128];

		hp_capacity_report_text(c, rep, sizeof(rep));
		fprintf(f, ",%lld,%lld,%lld,%lld,%lld,%lld,",
			(long long)c->present_delta_pages,
			(long long)c->managed_delta_pages,
			(long long)c->memtotal_delta_bytes,
			(long long)c->memmap_delta_pages,
			(long long)c->node_used_delta_kb[0],
			(long long)c->node_used_delta_kb[1]);
		hp_csv_field(f, rep);
		if (c->reported)
			fprintf(f, ",%llu,%llu",
				(unsigned long long)c->report.mapped_pmd,
				(unsigned long long)c->report.mapped_pte);
		else
			fputs(",,", f);
	} else {
		fputs(",,,,,,,,,", f);
	}
	fprintf(f, ",%s,", r->arch);
	if (r->page_size)
		fprintf(f, "%u", r->page_size);
	fputc(',', f);
	if (c)
		num_or_empty(f, c->withheld_pages);
	fputc(',', f);
	if (c)
		num_or_empty(f, c->blocks_node);
	fputc('\n', f);
	return fflush(f) ? -errno : 0;
}

static const char placement_header[] =
	"schema_version,run_id,config,path,mode,block_size,size_bytes,trial,"
	"block,phys_start,altmap,altmap_base_pfn,altmap_reserve,altmap_free,"
	"altmap_alloc,vmemmap_ranges,pages_on_block,pages_elsewhere,"
	"mapped_pmd,mapped_pte,memmap_location,arch,page_size\n";

int hp_results_placement(struct hp_results *r, const struct hp_placement_row *x)
{
	const struct agent_memmap *m = x->report;
	char loc[128];

	if (!r->placement)
		r->placement =
			open_csv(r->dir, "placement.csv", placement_header);
	if (!r->placement)
		return -errno;
	hp_memmap_report_text(m, loc, sizeof(loc));
	fprintf(r->placement, "%d,%s,", HP_RESULTS_SCHEMA, r->run_id);
	hp_csv_field(r->placement, x->config);
	fprintf(r->placement,
		",%s,%s,%llu,%llu,%u,%ld,%#llx,%s,%#llx,%llu,%llu,%llu,%u,%llu,"
		"%llu,%llu,%llu,",
		x->path, x->mode, (unsigned long long)x->block_size,
		(unsigned long long)x->size_bytes, x->trial, x->block,
		(unsigned long long)x->block * x->block_size,
		m->altmap ? "yes" : "no",
		(unsigned long long)m->altmap_base_pfn,
		(unsigned long long)m->altmap_reserve,
		(unsigned long long)m->altmap_free,
		(unsigned long long)m->altmap_alloc, m->nr_ranges,
		(unsigned long long)m->pages_on_block,
		(unsigned long long)m->pages_elsewhere,
		(unsigned long long)m->mapped_pmd,
		(unsigned long long)m->mapped_pte);
	hp_csv_field(r->placement, loc);
	row_end(r, r->placement);
	return fflush(r->placement) ? -errno : 0;
}

void hp_results_mark_done(struct hp_results *r, const char *unit)
{
	fprintf(r->done, "%s\n", unit);
	fflush(r->done);
}

bool hp_results_is_done(const char *dir, const char *unit)
{
	char path[600], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/done", dir);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && (n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		found = !strcmp(line, unit);
	}
	free(line);
	fclose(f);
	return found;
}
