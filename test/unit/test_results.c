// SPDX-License-Identifier: MIT
/*
 * The run directory: hp_results_open creates latency.csv and
 * capacity.csv with one header line each, every row is on disk as soon
 * as it is written (read back with the files still open), fields are
 * quoted as RFC 4180 says, a second run never mixes into the first, a
 * resumed run appends without a second header, the done-marks match
 * whole keys only, and the capacity.csv written is what hpplan --check
 * (hp_check_run) reads and agrees with.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bench/results.h"
#include "../../planner/check.h"

static char tmpdirs[2][64];

static void rm_dir(char *dir)
{
	static const char *const files[] = {"latency.csv", "capacity.csv",
					    "done", "device.cfg",
					    "placement.csv"};
	char path[128];

	if (!dir[0])
		return;
	for (unsigned int i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	dir[0] = '\0';
}

static void cleanup(void)
{
	rm_dir(tmpdirs[0]);
	rm_dir(tmpdirs[1]);
}

TestSuite(results, .fini = cleanup);

static const char *make_dir(int i)
{
	snprintf(tmpdirs[i], sizeof(tmpdirs[i]), "/tmp/hpbench-results-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdirs[i]), "mkdtemp: %s", strerror(errno));
	return tmpdirs[i];
}

/* the file as it is on disk now; the caller frees */
static char *read_back(const char *dir, const char *name)
{
	char path[128], *buf;
	size_t len = 0, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	buf = malloc(1 << 16);
	cr_assert_not_null(buf);
	while ((n = fread(buf + len, 1, (1 << 16) - 1 - len, f)) > 0)
		len += n;
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* line @i (0-based) of @text, without its newline, into @out */
static void line_at(const char *text, unsigned int i, char *out, size_t len)
{
	const char *p = text, *nl;

	for (; i; i--) {
		p = strchr(p, '\n');
		cr_assert_not_null(p);
		p++;
	}
	nl = strchr(p, '\n');
	cr_assert_not_null(nl, "line %u is not terminated", i);
	cr_assert_lt((size_t)(nl - p), len);
	memcpy(out, p, (size_t)(nl - p));
	out[nl - p] = '\0';
}

static const struct hp_latency_row lat_row = {
	.config = "acpi-dimm/128M/off",
	.path = "acpi-dimm",
	.mode = "off",
	.online = "online_movable",
	.block_size = 134217728,
	.size_bytes = 268435456,
	.trial = 2,
	.request = 1,
	.online_before_bytes = 134217728,
	.block = 41,
	.operation = "online",
	.side = "guest",
	.latency_ns = 1234567,
	.status = "ok",
};

/* 128M acpi-dimm, memmap_on_memory=off: what the planner predicts */
static const struct hp_capacity cap_off = {
	.blocks = 1,
	.present_delta_pages = 32768,
	.managed_delta_pages = 32768,
	.memtotal_delta_bytes = 134217728,
	.memmap_delta_pages = 512,
	.memmap_on_device = false,
	.memmap_pages = 512,
	.reserve_pages = 0,
	.usable_bytes = 134217728,
	.trimmed_bytes = 0,
	.memmap_node = 0,
	.node_used_delta_kb = {2048, 12},
};

static const char latency_header[] =
	"schema_version,run_id,config,path,mode,online,block_size,size_bytes,"
	"trial,request,online_before_bytes,block,operation,side,latency_ns,"
	"status,arch,page_size";

static const char capacity_header[] =
	"schema_version,device,memory_block_size,memmap_on_memory,blocks,"
	"memmap_on_device,memmap_pages,reserve_pages,trimmed_bytes,"
	"usable_bytes,memmap_location,status,path,size_bytes,trial,config,"
	"present_delta_pages,managed_delta_pages,memtotal_delta_bytes,"
	"memmap_delta_pages,node0_used_delta_kb,node1_used_delta_kb,"
	"memmap_report,memmap_mapped_pmd,memmap_mapped_pte,arch,page_size,"
	"withheld_pages,blocks_node";

Test(results, fresh_dir_headers)
{
	const char *dir = make_dir(0);
	struct hp_results r;
	char line[1024], *text;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_str_eq(r.run_id, strrchr(dir, '/') + 1);

	text = read_back(dir, "latency.csv");
	cr_assert_eq(count_lines(text), 1, "%s", text);
	line_at(text, 0, line, sizeof(line));
	cr_assert_str_eq(line, latency_header);
	free(text);

	text = read_back(dir, "capacity.csv");
	cr_assert_eq(count_lines(text), 1, "%s", text);
	line_at(text, 0, line, sizeof(line));
	cr_assert_str_eq(line, capacity_header);
	free(text);

	text = read_back(dir, "done");
	cr_assert_str_eq(text, "");
	free(text);
	hp_results_close(&r);
}

Test(results, rows_flushed_as_written)
{
	const char *dir = make_dir(0);
	const char *run = strrchr(dir, '/') + 1;
	struct hp_latency_row x = lat_row;
	struct hp_results r;
	char line[1024], want[1024], *text;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_latency(&r, &x), 0);
	/* no close, no fflush by the test: on disk already */
	text = read_back(dir, "latency.csv");
	cr_assert_eq(count_lines(text), 2, "%s", text);
	line_at(text, 1, line, sizeof(line));
	snprintf(want, sizeof(want),
		 "1,%s,acpi-dimm/128M/off,acpi-dimm,off,online_movable,"
		 "134217728,268435456,2,1,134217728,41,online,guest,1234567,ok,"
		 ",",
		 run);
	cr_assert_str_eq(line, want);
	free(text);

	/* the whole request, not yet timed, with a failure text */
	x.block = -1;
	x.latency_ns = -1;
	x.status = "qmp: timeout, \"device_add\" gave no reply";
	cr_assert_eq(hp_results_latency(&r, &x), 0);
	text = read_back(dir, "latency.csv");
	cr_assert_eq(count_lines(text), 3, "%s", text);
	line_at(text, 2, line, sizeof(line));
	snprintf(want, sizeof(want),
		 "1,%s,acpi-dimm/128M/off,acpi-dimm,off,online_movable,"
		 "134217728,268435456,2,1,134217728,-1,online,guest,,"
		 "\"qmp: timeout, \"\"device_add\"\" gave no reply\",,",
		 run);
	cr_assert_str_eq(line, want);
	free(text);
	hp_results_close(&r);
}

Test(results, capacity_rows)
{
	const char *dir = make_dir(0);
	struct hp_capacity_row x = {
		.device = "acpi-dimm-128M",
		.mode = "off",
		.path = "acpi-dimm",
		.config = "acpi-dimm/128M/off",
		.block_size = 134217728,
		.size_bytes = 134217728,
		.trial = 0,
		.cap = &cap_off,
		.status = "ok",
	};
	struct hp_results r;
	char line[1024], *text;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	text = read_back(dir, "capacity.csv");
	cr_assert_eq(count_lines(text), 2, "%s", text);
	line_at(text, 1, line, sizeof(line));
	cr_assert_str_eq(line, "1,acpi-dimm-128M,134217728,off,1,false,512,0,"
			       "0,134217728,node 0,ok,acpi-dimm,134217728,0,"
			       "acpi-dimm/128M/off,32768,32768,134217728,512,"
			       "2048,12,,,,,,0,0");
	free(text);

	/* not measured: every measured field empty, same column count */
	x.cap = NULL;
	x.trial = 1;
	x.status = "guest crashed, \"panic\"";
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	text = read_back(dir, "capacity.csv");
	cr_assert_eq(count_lines(text), 3, "%s", text);
	line_at(text, 2, line, sizeof(line));
	cr_assert_str_eq(line, "1,acpi-dimm-128M,134217728,off,,,,,,,,"
			       "\"guest crashed, \"\"panic\"\"\",acpi-dimm,"
			       "134217728,1,acpi-dimm/128M/off,,,,,,,,,,,,,");
	free(text);
	hp_results_close(&r);
}

Test(results, capacity_unmeasurable_fields_empty)
{
	const char *dir = make_dir(0);
	struct hp_capacity c = cap_off;
	struct hp_capacity_row x = {
		.device = "d",
		.mode = "on",
		.path = "acpi-dimm",
		.config = "c",
		.block_size = 134217728,
		.size_bytes = 134217728,
		.cap = &c,
		.status = "ok",
	};
	struct hp_results r;
	char line[1024], *text;

	/* a 6.1 guest, memmap on the device: no counter, no reserve */
	c.memmap_on_device = true;
	c.memmap_pages = -1;
	c.reserve_pages = -1;
	c.memmap_delta_pages = -1;
	c.memmap_node = -1;
	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	text = read_back(dir, "capacity.csv");
	line_at(text, 1, line, sizeof(line));
	cr_assert_str_eq(line, "1,d,134217728,on,1,true,,,0,134217728,device,"
			       "ok,acpi-dimm,134217728,0,c,32768,32768,"
			       "134217728,-1,2048,12,,,,,,0,0");
	free(text);
	hp_results_close(&r);
}

/* the patched kernel's placement report travels in three more columns */
Test(results, capacity_reported_placement)
{
	const char *dir = make_dir(0);
	struct hp_capacity c = cap_off;
	struct agent_memmap m = {.pages_elsewhere = 1024, .mapped_pmd = 1024};
	struct hp_capacity_row x = {
		.device = "d",
		.mode = "off",
		.path = "acpi-dimm",
		.config = "c",
		.block_size = 134217728,
		.size_bytes = 268435456,
		.cap = &c,
		.status = "ok",
	};
	struct hp_results r;
	char line[1024], *text;

	/* split between nodes: the node with most pages names the location */
	m.node_pages[0] = 512;
	m.node_pages[1] = 513;
	hp_capacity_apply_report(&c, &m);
	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	text = read_back(dir, "capacity.csv");
	line_at(text, 1, line, sizeof(line));
	cr_assert(strstr(line, ",node 1,ok,") != NULL, "%s", line);
	cr_assert(strstr(line, ",node 0:512+node 1:513,1024,0") != NULL, "%s",
		  line);
	free(text);
	hp_results_close(&r);
}

/* placement.csv: created by its first row, one row per block */
Test(results, placement_rows)
{
	const char *dir = make_dir(0);
	char path[128], line[1024], expect[512], *text;
	struct agent_memmap on = {.altmap = true,
				  .altmap_base_pfn = 0x140000,
				  .altmap_free = 512,
				  .altmap_alloc = 512,
				  .nr_ranges = 1,
				  .pages_on_block = 512,
				  .mapped_pmd = 512};
	struct agent_memmap off = {
		.nr_ranges = 2, .pages_elsewhere = 512, .mapped_pte = 512};
	struct hp_placement_row x = {.config = "acpi-dimm/on/manual",
				     .path = "acpi-dimm",
				     .mode = "on",
				     .block_size = 134217728,
				     .size_bytes = 268435456,
				     .trial = 2,
				     .block = 40,
				     .report = &on};
	struct hp_results r;

	on.node_pages[1] = 512;
	off.node_pages[0] = 256;
	off.node_pages[1] = 256;
	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	snprintf(path, sizeof(path), "%s/placement.csv", dir);
	cr_assert_neq(access(path, F_OK), 0, "no rows, no file");
	cr_assert_eq(hp_results_placement(&r, &x), 0);
	x.block = 41;
	x.report = &off;
	cr_assert_eq(hp_results_placement(&r, &x), 0);
	text = read_back(dir, "placement.csv");
	cr_assert_eq(count_lines(text), 3, "%s", text);
	line_at(text, 0, line, sizeof(line));
	cr_assert(strncmp(line, "schema_version,run_id,config,", 29) == 0, "%s",
		  line);
	line_at(text, 1, line, sizeof(line));
	snprintf(expect, sizeof(expect),
		 "1,%s,acpi-dimm/on/manual,acpi-dimm,on,134217728,268435456,2,"
		 "40,0x140000000,yes,0x140000,0,512,512,1,512,0,512,0,device,,",
		 strrchr(dir, '/') + 1);
	cr_assert_str_eq(line, expect);
	line_at(text, 2, line, sizeof(line));
	cr_assert(strstr(line, ",41,0x148000000,no,0,0,0,0,2,0,512,0,512,"
			       "node 0:256+node 1:256") != NULL,
		  "%s", line);
	free(text);
	hp_results_close(&r);
	unlink(path);
}

Test(results, csv_field_quoting)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	hp_csv_field(f, "plain");
	fputc('|', f);
	hp_csv_field(f, "a,b");
	fputc('|', f);
	hp_csv_field(f, "say \"hi\"");
	fputc('|', f);
	hp_csv_field(f, "");
	fputc('|', f);
	hp_csv_field(f, NULL);
	fputc('|', f);
	/* a newline would break the one-row-per-line promise */
	hp_csv_field(f, "two\nlines");
	fclose(f);
	cr_assert_str_eq(buf,
			 "plain|\"a,b\"|\"say \"\"hi\"\"\"|||\"two lines\"");
	free(buf);
}

Test(results, reopen_without_resume_fails)
{
	const char *dir = make_dir(0);
	struct hp_results r, r2;
	char *text;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_latency(&r, &lat_row), 0);
	hp_results_close(&r);
	cr_assert_eq(hp_results_open(&r2, dir, false), -EEXIST);
	/* and it left the first run alone */
	text = read_back(dir, "latency.csv");
	cr_assert_eq(count_lines(text), 2, "%s", text);
	free(text);
}

Test(results, reopen_while_open_fails)
{
	const char *dir = make_dir(0);
	struct hp_results r, r2;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_open(&r2, dir, false), -EEXIST);
	hp_results_close(&r);
}

Test(results, resume_appends_without_header)
{
	const char *dir = make_dir(0);
	struct hp_capacity_row x = {
		.device = "acpi-dimm-128M",
		.mode = "off",
		.path = "acpi-dimm",
		.config = "acpi-dimm/128M/off",
		.block_size = 134217728,
		.size_bytes = 134217728,
		.cap = &cap_off,
		.status = "ok",
	};
	struct hp_results r;
	char line[1024], *text;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_latency(&r, &lat_row), 0);
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	hp_results_close(&r);

	cr_assert_eq(hp_results_open(&r, dir, true), 0);
	cr_assert_eq(hp_results_latency(&r, &lat_row), 0);
	x.trial = 1;
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	text = read_back(dir, "latency.csv");
	cr_assert_eq(count_lines(text), 3, "%s", text);
	line_at(text, 0, line, sizeof(line));
	cr_assert_str_eq(line, latency_header);
	cr_assert_null(strstr(text + strlen(latency_header), "schema_version"),
		       "a second header: %s", text);
	free(text);
	text = read_back(dir, "capacity.csv");
	cr_assert_eq(count_lines(text), 3, "%s", text);
	cr_assert_null(strstr(text + strlen(capacity_header), "schema_version"),
		       "a second header: %s", text);
	free(text);
	hp_results_close(&r);
}

Test(results, resume_a_fresh_dir)
{
	/* --resume of a run that never started is a fresh run */
	const char *dir = make_dir(0);
	struct hp_results r;
	char *text;

	cr_assert_eq(hp_results_open(&r, dir, true), 0);
	text = read_back(dir, "latency.csv");
	cr_assert_eq(count_lines(text), 1, "%s", text);
	free(text);
	hp_results_close(&r);
}

Test(results, done_marks)
{
	const char *dir = make_dir(0);
	struct hp_results r;

	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_not(hp_results_is_done(dir, "acpi-dimm/128M/off/128M/0"));
	hp_results_mark_done(&r, "acpi-dimm/128M/off/128M/0");
	hp_results_mark_done(&r, "acpi-dimm/128M/off/grow");
	/* visible to a reader while still open */
	cr_assert(hp_results_is_done(dir, "acpi-dimm/128M/off/128M/0"));
	cr_assert(hp_results_is_done(dir, "acpi-dimm/128M/off/grow"));
	cr_assert_not(hp_results_is_done(dir, "acpi-dimm/128M/off/128M/1"));
	/* a prefix of a marked key, or a longer key, is not done */
	cr_assert_not(hp_results_is_done(dir, "acpi-dimm/128M/off/128M/"));
	cr_assert_not(hp_results_is_done(dir, "acpi-dimm/128M/off"));
	cr_assert_not(hp_results_is_done(dir, "acpi-dimm/128M/off/128M/01"));
	cr_assert_not(hp_results_is_done(dir, ""));
	hp_results_close(&r);

	/* and after a restart */
	cr_assert_eq(hp_results_open(&r, dir, true), 0);
	cr_assert(hp_results_is_done(dir, "acpi-dimm/128M/off/grow"));
	hp_results_close(&r);
}

Test(results, done_without_a_run)
{
	cr_assert_not(hp_results_is_done("/nonexistent/hpbench-run", "x"));
}

static const char device_cfg[] = "; written by test/unit/test_results.c\n"
				 "[platform]\n"
				 "arch = x86_64\n"
				 "page_size = 4K\n"
				 "kernel = 6.12\n"
				 "memory_block_size = 128M\n"
				 "\n"
				 "[device acpi-dimm-128M]\n"
				 "path = acpi-dimm\n"
				 "size = 128M\n"
				 "node = 0\n";

/* a run dir with device.cfg and one capacity row of usable @usable */
static void write_run(const char *dir, int64_t usable)
{
	struct hp_capacity c = cap_off;
	struct hp_capacity_row x = {
		.device = "acpi-dimm-128M",
		.mode = "off",
		.path = "acpi-dimm",
		.config = "acpi-dimm/128M/off",
		.block_size = 134217728,
		.size_bytes = 134217728,
		.cap = &c,
		.status = "ok",
	};
	struct hp_results r;
	char path[128];
	FILE *f;

	c.usable_bytes = usable;
	c.memtotal_delta_bytes = usable;
	snprintf(path, sizeof(path), "%s/device.cfg", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(device_cfg, f);
	fclose(f);
	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	cr_assert_eq(hp_results_capacity(&r, &x), 0);
	hp_results_close(&r);
}

static int check(const char *dir, char **out, char **err)
{
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
	int rc;

	cr_assert_not_null(o);
	cr_assert_not_null(e);
	rc = hp_check_run(dir, NULL, false, o, e);
	fclose(o);
	fclose(e);
	return rc;
}

Test(results, planner_check_agrees)
{
	const char *dir = make_dir(0);
	char *out, *err;

	write_run(dir, 134217728);
	cr_assert_eq(check(dir, &out, &err), 0, "out: %s\nerr: %s", out, err);
	cr_assert_not_null(strstr(out, "1 row(s) agree, 0 differ"), "%s", out);
	free(out);
	free(err);
}

Test(results, planner_check_differs)
{
	const char *dir = make_dir(1);
	char *out, *err;

	write_run(dir, 134217728 - 4096);
	cr_assert_eq(check(dir, &out, &err), 1, "out: %s\nerr: %s", out, err);
	cr_assert_not_null(strstr(out, "usable_bytes predicted 134217728, "
				       "measured 134213632"),
			   "%s", out);
	free(out);
	free(err);
}

/* tab completion adds a slash: the run id must not become "" */
Test(results, trailing_slash_names_the_run)
{
	const char *dir = make_dir(0);
	struct hp_results r;
	char slashed[80];

	snprintf(slashed, sizeof(slashed), "%s//", dir);
	cr_assert_eq(hp_results_open(&r, slashed, false), 0);
	cr_assert_str_eq(r.run_id, strrchr(dir, '/') + 1);
	cr_assert_str_eq(r.dir, dir);
	hp_results_close(&r);
}

/* keys longer than any fixed line buffer still match exactly */
Test(results, long_done_keys)
{
	const char *dir = make_dir(0);
	struct hp_results r;
	char key[400], prefix[300];

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	memcpy(prefix, key, sizeof(prefix) - 1);
	prefix[sizeof(prefix) - 1] = '\0';
	cr_assert_eq(hp_results_open(&r, dir, false), 0);
	hp_results_mark_done(&r, key);
	cr_assert(hp_results_is_done(dir, key));
	cr_assert_not(hp_results_is_done(dir, prefix));
	hp_results_close(&r);
}
