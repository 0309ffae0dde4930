// SPDX-License-Identifier: MIT
/*
 * hpbench - measure memory hot-add on the QEMU lab and check the planner.
 *
 * A configuration is (path, mode[, kmem attribute]); each boots one guest.
 * In it, every size is added and removed --trials times, then the smallest
 * size is added --grow times without removal (latency as the zone grows).
 * Rows go to results/<run-id>/ as they are measured; at the end the run's
 * capacity is compared with the planner and summarised.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef HPBENCH_NO_HWLOC
#include <hwloc.h>
#endif
#include <jansson.h>

#include "../common/size.h"
#include "../planner/check.h"
#include "../planner/config.h"
#include "../planner/rules.h"
#include "../planner/sysfs.h"
#include "bench.h"
#include "host.h"
#include "matrix.h"
#include "options.h"
#include "run.h"
#include "stats.h"

struct entry entries[MAX_ENTRIES];
unsigned int nr_entries;
struct run_seen seen;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void progress(const struct opts *o, const char *fmt_, ...)
	__attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void progress(const struct opts *o, const char *fmt_, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	va_start(ap, fmt_);
	/* a cell of the matrix says which (matrix.c sets it) */
	if (getenv("HPBENCH_TAG"))
		fprintf(stderr, "hpbench: %s: ", getenv("HPBENCH_TAG"));
	else
		fputs("hpbench: ", stderr);
	vfprintf(stderr, fmt_, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- assets ---- */

/*
 * --kernel patched: scripts/build-kernel.sh builds it (or finds it in its
 * cache) and prints the bzImage's path on its last line.
 */
static int patched_kernel(const struct opts *o, char *kernel, size_t len,
			  char *pkg, size_t pkg_len)
{
	char dir[PATH_MAX - 128], cmd[2 * PATH_MAX], line[PATH_MAX] = "";
	FILE *p;

	lab_exe_dir(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd),
		 "sh '%s/scripts/build-kernel.sh' --arch %s --page-size %uK "
		 "'%s/build/kernel'",
		 dir, o->arch->name, o->page_size ? o->page_size >> 10 : 4,
		 dir);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		;
	if (pclose(p) != 0 || !line[0]) {
		fprintf(stderr, "hpbench: the patched kernel did not build "
				"(make kernel shows why)\n");
		return -1;
	}
	line[strcspn(line, "\n")] = '\0';
	snprintf(kernel, len, "%s", line);
	/* .../cache/<key>/bzImage: the key names source + series + config */
	snprintf(pkg, pkg_len, "patched %.40s",
		 strstr(line, "/cache/") ? strstr(line, "/cache/") + 7 : line);
	return 0;
}

static int find_assets(const struct opts *o, char *kernel, char *initrd,
		       size_t len, char *pkg, size_t pkg_len)
{
	char lab[PATH_MAX - 64], pattern[PATH_MAX], which[32];
	glob_t g;

	/* build/lab, build/lab/ARCH, build/lab/ARCH-16k (lab.h: lab_dir) */
	lab_dir(o->arch, o->page_size, lab, sizeof(lab), which, sizeof(which));
	pkg[0] = '\0';
	if (o->kernel && !strcmp(o->kernel, "patched")) {
		if (patched_kernel(o, kernel, len, pkg, pkg_len))
			return -1;
	} else if (o->kernel && strcmp(o->kernel, "stock")) {
		snprintf(kernel, len, "%s", o->kernel);
	} else {
		snprintf(pattern, sizeof(pattern), "%s/kernels/*/vmlinuz", lab);
		if (glob(pattern, 0, NULL, &g) || !g.gl_pathc) {
			fprintf(stderr,
				"hpbench: no stock kernel in %s/kernels (run "
				"`make lab%s%s`, which fetches it with apt)\n",
				lab, which[0] ? "-" : "", which);
			return -1;
		}
		snprintf(kernel, len, "%s", g.gl_pathv[g.gl_pathc - 1]);
		globfree(&g);
		{
			char p[PATH_MAX];
			FILE *f;

			snprintf(p, sizeof(p), "%s", kernel);
			strcpy(strrchr(p, '/'), "/package-version");
			f = fopen(p, "r");
			if (f) {
				if (fgets(pkg, (int)pkg_len, f))
					pkg[strcspn(pkg, "\n")] = '\0';
				fclose(f);
			}
		}
	}
	if (o->initrd)
		snprintf(initrd, len, "%s", o->initrd);
	else
		snprintf(initrd, len, "%s/initramfs.cpio.gz", lab);
	/*
	 * The patched kernel has its drivers built in: with a page size
	 * Debian builds no kernel for (arm64 64K) it boots the arch's 4K
	 * lab initramfs, for the agent (whose module loads then fail).
	 */
	if (!o->initrd && o->kernel && !strcmp(o->kernel, "patched") &&
	    access(initrd, R_OK)) {
		lab_dir(o->arch, 0, lab, sizeof(lab), which, sizeof(which));
		snprintf(initrd, len, "%s/initramfs.cpio.gz", lab);
	}
	if (access(kernel, R_OK) || access(initrd, R_OK)) {
		fprintf(stderr, "hpbench: %s: %s (run `make lab%s%s`)\n",
			access(kernel, R_OK) ? kernel : initrd, strerror(errno),
			which[0] ? "-" : "", which);
		return -1;
	}
	return 0;
}

/* ---- meta.json ---- */

#ifdef HPBENCH_NO_HWLOC
/* the static build (the lab's own copy of hpbench) has no hwloc */
static json_t *host_topology(void)
{
	return json_pack("{s:i, s:s}", "pus",
			 (int)sysconf(_SC_NPROCESSORS_ONLN), "source",
			 "sysconf");
}
#else
static json_t *host_topology(void)
{
	hwloc_topology_t topo;
	json_t *j = json_object();
	int depth;

	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo))
		return j;
	json_object_set_new(j, "packages",
			    json_integer(hwloc_get_nbobjs_by_type(
				    topo, HWLOC_OBJ_PACKAGE)));
	json_object_set_new(
		j, "cores",
		json_integer(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE)));
	json_object_set_new(
		j, "pus",
		json_integer(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU)));
	depth = hwloc_get_type_depth(topo, HWLOC_OBJ_NUMANODE);
	{
		json_t *nodes = json_array();
		int n = hwloc_get_nbobjs_by_depth(topo, depth);

		for (int i = 0; i < n; i++) {
			hwloc_obj_t obj =
				hwloc_get_obj_by_depth(topo, depth, i);

			json_array_append_new(
				nodes,
				json_pack(
					"{s:i, s:I}", "os_index",
					(int)obj->os_index, "local_memory",
					(json_int_t)(obj->attr
							     ? obj->attr
								       ->numanode
								       .local_memory
							     : 0)));
		}
		json_object_set_new(j, "numa_nodes", nodes);
	}
	hwloc_topology_destroy(topo);
	return j;
}
#endif

static void write_meta(const char *dir, int argc, char **argv,
		       const struct opts *o, const char *kernel,
		       const char *qemu_cmdline)
{
	char path[600], tmp[610], host[256] = "";
	struct utsname u;
	json_t *m = json_object(), *args = json_array();

	uname(&u);
	gethostname(host, sizeof(host) - 1);
	for (int i = 0; i < argc; i++)
		json_array_append_new(args, json_string(argv[i]));
	json_object_set_new(m, "schema_version", json_integer(1));
	json_object_set_new(m, "hpbench_version", json_string(HPBENCH_VERSION));
	json_object_set_new(m, "invocation", args);
	json_object_set_new(m, "target", json_string(o->target));
	json_object_set_new(m, "host",
			    json_pack("{s:s, s:s, s:s, s:b, s:o}", "hostname",
				      host, "kernel", u.release, "machine",
				      u.machine, "kvm", lab_kvm_usable(),
				      "topology", host_topology()));
	json_object_set_new(m, "qemu",
			    json_pack("{s:s, s:s}", "version",
				      seen.qemu_version, "last_cmdline",
				      qemu_cmdline ? qemu_cmdline : ""));
	json_object_set_new(
		m, "guest",
		json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}", "kernel_image",
			  kernel, "kernel_package", seen.kernel_package,
			  "kernel_release", seen.kernel_release, "cmdline",
			  seen.kernel_cmdline, "page_size", seen.page_size,
			  "block_size", (json_int_t)seen.block_size));
	json_object_set(m, "boots", seen.boots);
	json_object_set_new(m, "peak_rss_kb", json_integer(seen.peak_rss_kb));
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!json_dump_file(m, tmp, JSON_INDENT(2)))
		rename(tmp, path);
	json_decref(m);
}

/* ---- measurement ---- */

void hp_emit(struct hp_bench_ctx *ctx, enum hp_op op, const char *side,
	     long block, int64_t ns, const char *status)
{
	struct hp_latency_row row = {
		.config = ctx->config,
		.path = ctx->ops->name,
		.mode = hp_mode_name(ctx->mode),
		.online = ctx->auto_online ? "auto" : "manual",
		.block_size = ctx->block_size,
		.size_bytes = ctx->size,
		.trial = ctx->trial,
		.request = ctx->request,
		.online_before_bytes = ctx->online_before,
		.block = block,
		.operation = hp_op_names[op],
		.side = side,
		.latency_ns = ns,
		.status = status,
	};

	hp_results_latency(ctx->res, &row);
}

static struct entry *entry_get(const struct hp_bench_ctx *ctx, uint64_t size)
{
	for (unsigned int i = 0; i < nr_entries; i++)
		if (entries[i].ops == ctx->ops &&
		    entries[i].mode == ctx->mode && entries[i].size == size &&
		    entries[i].kmem_attr == ctx->kmem_attr &&
		    entries[i].block_size_req == ctx->block_size_req &&
		    (!ctx->device[0] ||
		     !strcmp(ctx->device, entries[i].device)))
			return &entries[i];
	return NULL;
}

/*
 * The in-kernel time of the request in flight, summed per (operation,
 * side) over its blocks and ranges: filled by trace_collect, moved into
 * the entry's series when the request succeeded.
 */
static struct {
	int op;
	char side[48];
	int64_t ns;
} req_kernel[MAX_SIDES];
static unsigned int nr_req_kernel;

static void req_kernel_add(int op, const char *side, int64_t ns)
{
	unsigned int i;

	for (i = 0; i < nr_req_kernel; i++)
		if (req_kernel[i].op == op && !strcmp(req_kernel[i].side, side))
			break;
	if (i == nr_req_kernel) {
		if (i == MAX_SIDES)
			return;
		nr_req_kernel++;
		req_kernel[i].op = op;
		snprintf(req_kernel[i].side, sizeof(req_kernel[i].side), "%s",
			 side);
		req_kernel[i].ns = 0;
	}
	req_kernel[i].ns += ns;
}

static void series_append(struct entry *e, int op, const char *side, double v)
{
	struct side_series *s = NULL;

	for (unsigned int i = 0; i < e->nr_sides; i++)
		if (e->sides[i].op == op && !strcmp(e->sides[i].side, side))
			s = &e->sides[i];
	if (!s) {
		if (e->nr_sides == MAX_SIDES)
			return;
		s = &e->sides[e->nr_sides++];
		s->op = op;
		snprintf(s->side, sizeof(s->side), "%s", side);
	}
	s->v = realloc(s->v, (s->n + 1) * sizeof(double));
	s->v[s->n++] = v;
}

static void entry_add_latency(struct entry *e, const struct hp_bench_ctx *ctx)
{
	for (int op = 0; op < HP_OP_NR; op++) {
		if (ctx->op_ns[op] < 0)
			continue;
		e->lat[op] =
			realloc(e->lat[op], (e->n[op] + 1) * sizeof(double));
		e->lat[op][e->n[op]++] = (double)ctx->op_ns[op];
		e->host[op] = ctx->op_host[op];
	}
	for (unsigned int i = 0; i < nr_req_kernel; i++) {
		int op = req_kernel[i].op;

		series_append(e, op, req_kernel[i].side,
			      (double)req_kernel[i].ns);
		/* what the measuring side saw beyond the traced function */
		if (!strcmp(req_kernel[i].side, "kernel") &&
		    ctx->op_ns[op] >= 0)
			series_append(
				e, op, "overhead",
				(double)(ctx->op_ns[op] - req_kernel[i].ns));
	}
}

static int snapshot(struct hp_bench_ctx *ctx, struct agent_snapshot *s)
{
	json_t *q = json_pack("{s:s}", "cmd", "snapshot"), *rep;
	int rc = lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms);

	json_decref(q);
	if (rc)
		return -1;
	rc = agent_snapshot_from_json(rep, s);
	json_decref(rep);
	return rc;
}

static void device_name(const struct hp_bench_ctx *ctx, uint64_t size,
			char *buf, size_t len)
{
	char h[32];

	format_size(size, h, sizeof(h));
	if (ctx->kmem_attr >= 0)
		snprintf(buf, len, "%s-%s-attr%d", ctx->ops->name, h,
			 ctx->kmem_attr);
	else
		snprintf(buf, len, "%s-%s", ctx->ops->name, h);
}

/* The kernel functions that do each operation's work. */
static const struct {
	const char *func;
	enum hp_op op;
} traced[] = {
	{"add_memory_resource", HP_OP_ADD},
	{"online_pages", HP_OP_ONLINE},
	{"offline_pages", HP_OP_OFFLINE},
	{"try_remove_memory", HP_OP_REMOVE},
};

/*
 * Can present - managed and nr_memmap_pages split this guest's memmap from
 * its reserve (measure.h: hp_capacity_counter_inexact)?  Not when a
 * section's memmap is not a whole number of pages (the counter rounds it
 * up per section), nor when one vmemmap PMD leaf maps more than a block
 * (a block may then reuse boot RAM's leaf and withhold its altmap
 * unused).  Both from the planner's geometry of the guest's page size.
 */
static bool counters_exact(const struct opts *o, uint64_t block_size)
{
	struct hp_platform p;
	struct hp_geometry g;
	char why[HP_REASON_MAX];
	uint64_t section_memmap, leaf_maps;

	hp_lab_platform(o, seen.page_size, &p);
	if (hp_geometry_derive(&p, &g, why, sizeof(why)))
		return false;
	section_memmap =
		((1ULL << g.section_shift) / g.page_size) * p.struct_page_size;
	leaf_maps = (1ULL << g.pmd_shift) / p.struct_page_size * g.page_size;
	return section_memmap % g.page_size == 0 &&
	       (g.vmemmap_ram_granule != HP_MAP_PMD || leaf_maps <= block_size);
}

/*
 * The kernel's own words on memmap_on_memory at boot (the agent's
 * kernel_log), next to what the planner says it logs: printed, and kept
 * in the hello as kernel_boot_message {kernel, planner, agree}.
 */
static void kernel_said(const struct opts *o, const struct hp_bench_ctx *ctx,
			json_t *hello)
{
	struct hp_platform p;
	struct hp_geometry g;
	char why[HP_REASON_MAX], want[96] = "";
	const char *got = NULL;
	json_t *line;
	size_t k;

	json_array_foreach(json_object_get(hello, "kernel_log"), k, line)
	{
		progress(o, "[%s] kernel: %s", ctx->config,
			 json_string_value(line));
		if (strstr(json_string_value(line), "will waste"))
			got = json_string_value(line);
	}
	hp_lab_platform(o, seen.page_size, &p);
	p.mode = ctx->mode;
	p.block_size = ctx->block_size;
	if (hp_geometry_derive(&p, &g, why, sizeof(why)) ||
	    !hp_force_boot_message(&p, &g, want, sizeof(want)))
		want[0] = '\0';
	if (!got && !want[0])
		return;
	json_object_set_new(hello, "kernel_boot_message",
			    json_pack("{s:s?, s:s?, s:b}", "kernel", got,
				      "planner", want[0] ? want : NULL, "agree",
				      got && want[0] && !strcmp(got, want)));
	if (!got || !want[0] || strcmp(got, want))
		fprintf(stderr,
			"hpbench: [%s] the kernel's boot message differs from "
			"the planner's: \"%s\" vs \"%s\"\n",
			ctx->config, got ? got : "(none)", want);
}

/* what the agent's hello says about the kernel, for meta.json */
static void note_hello(json_t *h)
{
	snprintf(seen.kernel_release, sizeof(seen.kernel_release), "%s",
		 json_string_value(json_object_get(h, "release")));
	snprintf(seen.kernel_cmdline, sizeof(seen.kernel_cmdline), "%s",
		 json_string_value(json_object_get(h, "cmdline")));
	seen.page_size = (unsigned int)json_integer_value(
		json_object_get(h, "page_size"));
	{
		/* hpbench's arch names: uname -m says aarch64 */
		const struct lab_arch *a = lab_arch_by_uname(
			json_string_value(json_object_get(h, "machine")));

		snprintf(seen.arch, sizeof(seen.arch), "%s", a ? a->name : "");
	}
}

/* kernel-patches/0003: which operation each traced phase belongs to */
static const struct {
	const char *phase;
	enum hp_op op;
} phases[] = {
	{"arch_add_memory", HP_OP_ADD},
	{"create_memory_block_devices", HP_OP_ADD},
	{"move_pfn_range_to_zone", HP_OP_ONLINE},
	{"online_pages_range", HP_OP_ONLINE},
	{"isolate", HP_OP_OFFLINE},
	{"migrate", HP_OP_OFFLINE},
	{"remove_memory_block_devices", HP_OP_REMOVE},
	{"arch_remove_memory", HP_OP_REMOVE},
};

static bool trace_start(struct hp_bench_ctx *ctx)
{
	json_t *fns = json_array(), *q, *rep;
	bool ok;

	for (size_t i = 0; i < sizeof(traced) / sizeof(traced[0]); i++)
		json_array_append_new(fns, json_string(traced[i].func));
	q = json_pack("{s:s, s:o}", "cmd", "trace_start", "functions", fns);
	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms)) {
		json_decref(q);
		return false;
	}
	ok = json_is_true(json_object_get(rep, "ok"));
	json_decref(q);
	json_decref(rep);
	return ok;
}

/* the memory block a phase's pfn range starts in, or -1 */
static long block_of_pfn(const struct hp_bench_ctx *ctx, const json_t *pfn)
{
	if (!json_is_integer(pfn) || !ctx->block_size || !seen.page_size)
		return -1;
	return (long)((uint64_t)json_integer_value(pfn) * seen.page_size /
		      ctx->block_size);
}

/* in-kernel time of every traced call, as "kernel" rows */
static void trace_collect(struct hp_bench_ctx *ctx)
{
	json_t *q = json_pack("{s:s}", "cmd", "trace_stop"), *rep, *v;
	size_t i;

	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms)) {
		json_decref(q);
		return;
	}
	json_decref(q);
	json_array_foreach(json_object_get(rep, "calls"), i, v)
	{
		const char *f = json_string_value(json_object_get(v, "func"));
		int64_t ns = json_integer_value(json_object_get(v, "ns"));
		json_t *pfn = json_object_get(v, "pfn");

		/* a phase of the patched kernel: its own side, per phase */
		for (size_t k = 0; f && !strncmp(f, "phase:", 6) &&
				   k < sizeof(phases) / sizeof(phases[0]);
		     k++)
			if (!strcmp(f + 6, phases[k].phase)) {
				char side[48];

				snprintf(side, sizeof(side), "kernel/%s",
					 phases[k].phase);
				hp_emit(ctx, phases[k].op, side,
					block_of_pfn(ctx, pfn), ns, "ok");
				req_kernel_add(phases[k].op, side, ns);
			}
		for (size_t k = 0; f && k < sizeof(traced) / sizeof(traced[0]);
		     k++)
			if (!strcmp(f, traced[k].func)) {
				hp_emit(ctx, traced[k].op, "kernel", -1, ns,
					"ok");
				req_kernel_add(traced[k].op, "kernel", ns);
			}
	}
	json_decref(rep);
}

/*
 * The patched kernel says where each new block's memmap is
 * (memoryX/memmap); a stock kernel has no such file and the placement
 * stays inferred.  Detected per add, never assumed.
 */
static void memmap_report(struct hp_bench_ctx *ctx,
			  const struct agent_snapshot *before,
			  const struct agent_snapshot *after,
			  struct hp_capacity *cap)
{
	static long ids[AGENT_MAX_BLOCKS];
	struct agent_memmap sum = {0};
	unsigned int n = hp_new_blocks(before, after, ids, AGENT_MAX_BLOCKS);

	for (unsigned int i = 0; i < n; i++) {
		char path[96], *text;
		struct agent_memmap one;
		json_t *q, *r;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%ld/memmap", ids[i]);
		q = json_pack("{s:s, s:s}", "cmd", "read", "path", path);
		if (lab_agent(&ctx->lab, q, &r, ctx->timeout_ms)) {
			json_decref(q);
			return;
		}
		json_decref(q);
		text = (char *)json_string_value(json_object_get(r, "data"));
		if (!text ||
		    agent_parse_memmap_report(text, seen.page_size, &one)) {
			json_decref(r);
			return; /* not the patched kernel */
		}
		hp_results_placement(ctx->res,
				     &(struct hp_placement_row){
					     .config = ctx->config,
					     .path = ctx->ops->name,
					     .mode = hp_mode_name(ctx->mode),
					     .block_size = ctx->block_size,
					     .size_bytes = ctx->size,
					     .trial = ctx->trial,
					     .block = ids[i],
					     .report = &one});
		sum.altmap |= one.altmap;
		sum.pages_on_block += one.pages_on_block;
		sum.pages_elsewhere += one.pages_elsewhere;
		sum.mapped_pmd += one.mapped_pmd;
		sum.mapped_pte += one.mapped_pte;
		for (int k = 0; k < AGENT_MAX_NODES; k++)
			sum.node_pages[k] += one.node_pages[k];
		json_decref(r);
	}
	if (n)
		hp_capacity_apply_report(cap, &sum);
}

/* One add + measure + remove; false when the guest is gone. */
static bool one_request(struct hp_bench_ctx *ctx, uint64_t size,
			unsigned int trial)
{
	struct agent_snapshot *before = calloc(1, sizeof(*before));
	struct agent_snapshot *after = calloc(1, sizeof(*after));
	struct hp_request *req = calloc(1, sizeof(*req));
	struct entry *e = entry_get(ctx, size);
	struct hp_capacity cap;
	struct hp_capacity_row row = {
		.device = e->device,
		.mode = hp_mode_name(ctx->mode),
		.path = ctx->ops->name,
		.config = ctx->config,
		.block_size = ctx->block_size,
		.size_bytes = size,
		.trial = trial,
	};
	bool alive = true, tracing = false;

	ctx->size = size;
	ctx->trial = trial;
	e->block_size = ctx->block_size;
	ctx->online_before = 0;
	for (int op = 0; op < HP_OP_NR; op++)
		ctx->op_ns[op] = -1;
	req->size = size;
	req->dev_start = req->dev_size = 0;
	req->ns_start = req->ns_align = 0;
	nr_req_kernel = 0;
	snprintf(req->status, sizeof(req->status), "ok");
	/* set-up may fail making the devdax: the namespace is known first */
	if (ctx->ops->setup && ctx->ops->setup(ctx, req)) {
		e->ns_start = req->ns_start;
		e->ns_align = req->ns_align;
		row.status = req->status;
		hp_results_capacity(ctx->res, &row);
		goto out;
	}
	e->ns_start = req->ns_start;
	e->ns_align = req->ns_align;
	if (snapshot(ctx, before)) {
		snprintf(req->status, sizeof(req->status), "%s",
			 ctx->lab.error);
		req->guest_dead = true;
		goto out;
	}
	tracing = trace_start(ctx);
	if (ctx->ops->add(ctx, req)) {
		/* what was refused: the dax device kmem was given */
		e->dev_start = req->dev_start;
		e->dev_size = req->dev_size;
		row.status = req->status;
		hp_results_capacity(ctx->res, &row);
		goto out;
	}
	if (ctx->ops->no_capacity) {
		ctx->ops->remove(ctx, req);
		goto out;
	}
	if (snapshot(ctx, after)) {
		snprintf(req->status, sizeof(req->status), "%s",
			 ctx->lab.error);
		req->guest_dead = true;
		goto out;
	}
	/*
	 * kmem adds the dax device (a CXL region's); over pmem the whole
	 * namespace is the device: its devdax head counts as trimmed
	 */
	hp_capacity_measure(
		before, after, seen.page_size, ctx->block_size,
		req->dev_size && !req->ns_start ? req->dev_size : size, &cap);
	if (!ctx->counters_exact)
		hp_capacity_counter_inexact(&cap);
	if (ctx->ops->capacity)
		ctx->ops->capacity(ctx, req, &cap);
	{
		/* the lowest new block (a snapshot lists them unordered) */
		static long ids[AGENT_MAX_BLOCKS];

		if (hp_new_blocks(before, after, ids, AGENT_MAX_BLOCKS))
			e->add_start = (uint64_t)ids[0] * ctx->block_size;
	}
	e->dev_start = req->dev_start;
	e->dev_size = req->dev_size;
	memmap_report(ctx, before, after, &cap);
	row.cap = &cap;
	row.status = "ok";
	hp_results_capacity(ctx->res, &row);
	e->cap = cap;
	e->have_cap = true;
	if (ctx->ops->remove(ctx, req))
		goto out;
out:
	if (tracing && !req->guest_dead)
		trace_collect(ctx);
	if (strcmp(req->status, "ok"))
		snprintf(e->status, sizeof(e->status), "%s", req->status);
	else
		entry_add_latency(e, ctx);
	alive = !req->guest_dead && lab_alive(&ctx->lab);
	free(before);
	free(after);
	free(req);
	return alive;
}

/* the smallest size added `grow` times: does latency grow with the zone? */
static bool grow_series(struct hp_bench_ctx *ctx, uint64_t size,
			unsigned int grow)
{
	struct hp_request *reqs = calloc(grow, sizeof(*reqs));
	unsigned int done = 0;
	bool alive = true;

	ctx->size = size;
	ctx->trial = 0;
	for (; done < grow && alive; done++) {
		struct hp_request *r = &reqs[done];

		ctx->request = done;
		ctx->online_before = (uint64_t)done * size;
		r->size = size;
		snprintf(r->status, sizeof(r->status), "ok");
		if (ctx->ops->add(ctx, r)) {
			alive = !r->guest_dead;
			break;
		}
	}
	while (alive && done-- > 0) {
		ctx->request = done;
		ctx->online_before = (uint64_t)done * size;
		if (ctx->ops->remove(ctx, &reqs[done]))
			alive = !reqs[done].guest_dead;
	}
	ctx->request = 0;
	ctx->online_before = 0;
	free(reqs);
	return alive && lab_alive(&ctx->lab);
}

static void fail_remaining(struct hp_bench_ctx *ctx, const char *why)
{
	for (unsigned int i = 0; i < nr_entries; i++)
		if (entries[i].ops == ctx->ops &&
		    entries[i].mode == ctx->mode &&
		    entries[i].kmem_attr == ctx->kmem_attr &&
		    entries[i].block_size_req == ctx->block_size_req &&
		    !strcmp(entries[i].status, "ok") && !entries[i].have_cap)
			snprintf(entries[i].status, sizeof(entries[i].status),
				 "%s", why);
}

/*
 * The config of a kernel image: `config` next to a Debian one
 * (fetch-kernel.sh), `.config` next to ours (build-kernel.sh's cache).
 */
static void kernel_config(const char *kernel, char *cfg, size_t len)
{
	const char *slash = strrchr(kernel, '/');
	int dir = slash ? (int)(slash - kernel) : 1;

	snprintf(cfg, len, "%.*s/config", dir, slash ? kernel : ".");
	if (access(cfg, R_OK))
		snprintf(cfg, len, "%.*s/.config", dir, slash ? kernel : ".");
}

/* where a Debian kernel lacks an option ours has, say how to get it */
static const char *ours_hint(const struct opts *o, const char *missing)
{
	bool patched = o->kernel && !strcmp(o->kernel, "patched");

	return !patched && lab_ours_has(o->arch, missing)
		       ? "; --kernel patched builds ours with it"
		       : "";
}

/*
 * Why a default path is not measured here, into why (false: it is):
 * another arch's, sizes it cannot add, or, once the kernel is known
 * (cfg: its config file), an option that kernel lacks.
 */
static bool default_path_skipped(const struct opts *o,
				 const struct hp_path_ops *ops, const char *cfg,
				 char *why, size_t len)
{
	char missing[64];

	if (!hp_list_has(ops->arches, o->arch->name)) {
		snprintf(why, len, "%s", ops->why_not);
		return true;
	}
	for (unsigned int i = 0; i < o->nr_sizes; i++)
		if (ops->size_granule && o->sizes[i] % ops->size_granule) {
			snprintf(why, len,
				 "it adds multiples of %lluM only (--sizes)",
				 (unsigned long long)(ops->size_granule >> 20));
			return true;
		}
	if (cfg && lab_config_lacks(cfg, ops->needs_config, missing,
				    sizeof(missing))) {
		snprintf(why, len, "the kernel lacks %s%s", missing,
			 ours_hint(o, missing));
		return true;
	}
	return false;
}

/* leave out, with a note, the default paths that cannot run here */
static void filter_default_paths(struct opts *o, const char *cfg)
{
	unsigned int k = 0;
	char why[320];

	if (o->paths_arg)
		return;
	for (unsigned int p = 0; p < o->nr_paths; p++)
		if (default_path_skipped(o, o->paths[p], cfg, why, sizeof(why)))
			progress(o, "not measuring %s: %s", o->paths[p]->name,
				 why);
		else
			o->paths[k++] = o->paths[p];
	o->nr_paths = k;
}

static void run_config(const struct opts *o, struct hp_results *res,
		       struct hp_bench_ctx *ctx, const char *kernel,
		       const char *initrd, char *last_cmdline, size_t cl_len)
{
	struct lab_opts lo = {
		.arch = o->arch,
		.kernel = kernel,
		.initrd = initrd,
		.boot_mem = o->boot_mem,
		.maxmem = o->boot_mem + o->lab_maxmem,
		.slots = 8,
		.smp = 2,
		.memless_node = o->node == 1,
		.boot_timeout_ms = 120000,
	};
	char append[2048], console[600], unit[256];
	bool alive = true;
	char cfg[PATH_MAX], missing[64];

	/* a kernel built without what the path needs: say so, boot nothing */
	kernel_config(kernel, cfg, sizeof(cfg));
	if (lab_config_lacks(cfg, ctx->ops->needs_config, missing,
			     sizeof(missing))) {
		char why[256];

		snprintf(why, sizeof(why),
			 "the kernel lacks %s (%s needs it%s)", missing,
			 ctx->ops->name, ours_hint(o, missing));
		fprintf(stderr, "hpbench: [%s] %s\n", ctx->config, why);
		for (unsigned int s = 0; s < o->nr_sizes; s++)
			hp_results_capacity(
				res,
				&(struct hp_capacity_row){
					.device = entry_get(ctx, o->sizes[s])
							  ->device,
					.mode = hp_mode_name(ctx->mode),
					.path = ctx->ops->name,
					.config = ctx->config,
					.size_bytes = o->sizes[s],
					.status = why});
		fail_remaining(ctx, why);
		return;
	}

	snprintf(append, sizeof(append),
		 "console=%s panic=-1 quiet loglevel=4 "
		 "memory_hotplug.memmap_on_memory=%s memhp_default_state=%s",
		 o->arch->console,
		 ctx->mode == HP_MODE_FORCE ? "force"
		 : ctx->mode == HP_MODE_ON  ? "1"
					    : "0",
		 ctx->auto_online ? ctx->online_type : "offline");
	if (ctx->block_size_req)
		snprintf(append + strlen(append),
			 sizeof(append) - strlen(append),
			 " memory_block_size=%lluM",
			 (unsigned long long)(ctx->block_size_req >> 20));
	hp_lab_platform(o, o->page_size, &ctx->platform);
	if (ctx->ops->prepare(ctx, &lo, append, sizeof(append))) {
		fail_remaining(ctx, "lab set-up failed");
		return;
	}
	lo.append = append;
	{
		char flat[128];

		snprintf(flat, sizeof(flat), "%s", ctx->config);
		for (char *p = flat; *p; p++)
			if (*p == '/')
				*p = '-';
		snprintf(console, sizeof(console), "%s/console-%s.log",
			 res->dir, flat);
	}
	lo.console_log = console;
	progress(o, "[%s] booting %s", ctx->config,
		 lab_kvm_usable() ? "(KVM)" : "(TCG: no working KVM)");
	if (lab_start(&ctx->lab, &lo)) {
		fprintf(stderr, "hpbench: [%s] %s\n", ctx->config,
			ctx->lab.error);
		fail_remaining(ctx, ctx->lab.error);
		return;
	}
	snprintf(last_cmdline, cl_len, "%s", ctx->lab.cmdline);
	{
		json_t *h = ctx->lab.hello;

		note_hello(h);
		ctx->block_size = (uint64_t)json_integer_value(
			json_object_get(h, "block_size"));
		seen.block_size = ctx->block_size;
		ctx->counters_exact = counters_exact(o, ctx->block_size);
		ctx->page_size = seen.page_size;
		kernel_said(o, ctx, h);
		/* every row says what it was measured on: the guest's word */
		snprintf(res->arch, sizeof(res->arch), "%s", seen.arch);
		res->page_size = seen.page_size;
		if (o->page_size && seen.page_size != o->page_size) {
			char why[160];

			snprintf(why, sizeof(why),
				 "the guest has %uK pages, %uK were asked for "
				 "(kernel %s)",
				 seen.page_size >> 10, o->page_size >> 10,
				 seen.kernel_release);
			fprintf(stderr, "hpbench: [%s] %s\n", ctx->config, why);
			fail_remaining(ctx, why);
			lab_stop(&ctx->lab);
			return;
		}
		if (ctx->block_size_req &&
		    ctx->block_size != ctx->block_size_req) {
			char why[160];

			snprintf(
				why, sizeof(why),
				"kernel ignored memory_block_size=%lluM (block "
				"size %lluM): not the patched kernel?",
				(unsigned long long)(ctx->block_size_req >> 20),
				(unsigned long long)(ctx->block_size >> 20));
			fprintf(stderr, "hpbench: [%s] %s\n", ctx->config, why);
			fail_remaining(ctx, why);
			lab_stop(&ctx->lab);
			return;
		}
		qmp_version(&ctx->lab.qmp, seen.qemu_version,
			    sizeof(seen.qemu_version));
		json_t *q = json_pack("{s:s}", "cmd", "numa"), *numa = NULL;

		lab_agent(&ctx->lab, q, &numa, ctx->timeout_ms);
		json_decref(q);
		json_array_append_new(
			seen.boots,
			json_pack("{s:s, s:O, s:s, s:O*}", "config",
				  ctx->config, "hello", h, "qemu_cmdline",
				  ctx->lab.cmdline, "numa",
				  json_object_get(numa, "nodes")));
		json_decref(numa);
	}

	for (unsigned int s = 0; s < o->nr_sizes && alive && !interrupted;
	     s++) {
		for (unsigned int t = 0; t < o->trials && alive && !interrupted;
		     t++) {
			char h[32];

			format_size(o->sizes[s], h, sizeof(h));
			snprintf(unit, sizeof(unit), "%s/%s/%u", ctx->config, h,
				 t);
			if (hp_results_is_done(res->dir, unit))
				continue;
			progress(o, "[%s] %s trial %u/%u", ctx->config, h,
				 t + 1, o->trials);
			ctx->request = 0;
			alive = one_request(ctx, o->sizes[s], t);
			hp_results_mark_done(res, unit);
		}
	}
	if (alive && !interrupted && o->grow > 1 &&
	    ctx->ops->planner_path != HP_PATH_DAX_KMEM && !ctx->ops->map_attr) {
		snprintf(unit, sizeof(unit), "%s/grow", ctx->config);
		if (!hp_results_is_done(res->dir, unit)) {
			progress(o, "[%s] grow: %u x %lluM stacked",
				 ctx->config, o->grow,
				 (unsigned long long)(o->sizes[0] >> 20));
			alive = grow_series(ctx, o->sizes[0], o->grow);
			hp_results_mark_done(res, unit);
		}
	}
	if (!alive) {
		char tail[300];

		lab_console_tail(console, tail, sizeof(tail));
		fprintf(stderr, "hpbench: [%s] guest lost: %s%s%s\n",
			ctx->config, ctx->lab.error,
			tail[0] ? "; console: " : "", tail);
		fail_remaining(ctx, "guest lost before this was measured");
	}
	lab_stop(&ctx->lab);
	if (ctx->lab.peak_rss_kb > seen.peak_rss_kb)
		seen.peak_rss_kb = ctx->lab.peak_rss_kb;
	/* this boot's own peak, next to its hello in meta.json */
	{
		json_t *last = json_array_get(seen.boots,
					      json_array_size(seen.boots) - 1);

		if (last)
			json_object_set_new(last, "peak_rss_kb",
					    json_integer(ctx->lab.peak_rss_kb));
	}
	progress(o, "[%s] done, QEMU peak RSS %ld MiB", ctx->config,
		 ctx->lab.peak_rss_kb / 1024);
}

/* ---- the planner's view of this run ---- */

static int write_device_cfg(const struct opts *o, const char *dir)
{
	struct hp_config *cfg = calloc(1, sizeof(*cfg));
	char path[600];
	FILE *f;
	int k;

	hp_lab_platform(o, seen.page_size, &cfg->platform);
	k = hp_kernel_from_name(seen.kernel_release);
	cfg->platform.kernel = k < 0 ? HP_KERNEL_6_12 : (enum hp_kernel)k;
	cfg->platform.block_size = seen.block_size;
	/*
	 * The planner's auto_online means onlined to a kernel zone: only then
	 * can a block's memory hold the memmap of the next one.  Movable
	 * memory never does, so online_movable counts as "no" here.
	 */
	cfg->platform.auto_online =
		o->auto_online && !strcmp(o->online_type, "online") ? HP_YES
								    : HP_NO;
	for (unsigned int i = 0; i < nr_entries; i++) {
		struct entry *e = &entries[i];
		struct hp_device *d;
		bool dup = false;

		for (unsigned int j = 0; j < cfg->nr_devices; j++)
			dup |= !strcmp(cfg->devices[j].name, e->device);
		if (dup || cfg->nr_devices == HP_MAX_DEVICES)
			continue;
		d = &cfg->devices[cfg->nr_devices++];
		hp_device_init(d);
		snprintf(d->name, sizeof(d->name), "%s", e->device);
		d->path = e->ops->planner_path;
		d->size = e->size;
		/* a CXL window is its own node: the kernel makes node 1 */
		d->node = e->ops->cxl ? 1 : o->node;
		if (e->ops->map_attr) {
			unsigned int s = 0;

			/* a pmem namespace: its range, and map=dev or mem */
			while (s < o->nr_sizes && o->sizes[s] != e->size)
				s++;
			d->start = hp_dax_range_start(o->sizes, s);
			d->has_start = true;
			d->memmap_request = e->kmem_attr ? HP_YES : HP_NO;
		}
		/* where the guest put it: the address decides leaf sharing */
		else if (e->add_start &&
			 e->ops->planner_path != HP_PATH_DAX_KMEM) {
			d->start = e->add_start;
			d->has_start = true;
		}
		if (e->ops->planner_path == HP_PATH_DAX_KMEM) {
			unsigned int s = 0;

			while (s < o->nr_sizes && o->sizes[s] != e->size)
				s++;
			d->start = hp_dax_range_start(o->sizes, s);
			/* pmem: kmem gets the data area after the reserve */
			if (e->dev_size) {
				d->start = e->dev_start;
				d->size = e->dev_size;
			}
			/* pmem: the namespace, and the planner finds the head
			 */
			if (e->ns_start) {
				d->start = e->ns_start;
				d->size = e->size;
				d->pmem_namespace = HP_YES;
				d->align = e->ns_align;
			}
			d->has_start = true;
			d->dax_source = e->ops->cxl ? HP_DAX_CXL
					: o->dax_pmem || e->ops->on_pmem
						? HP_DAX_PMEM
						: HP_DAX_HMEM;
			d->memmap_request = e->kmem_attr ? HP_YES : HP_NO;
		}
	}
	snprintf(path, sizeof(path), "%s/device.cfg", dir);
	f = fopen(path, "w");
	if (!f) {
		free(cfg);
		return -1;
	}
	fprintf(f,
		"; the configuration hpbench measured, for hpplan --check\n");
	hp_config_write(f, cfg);
	fclose(f);
	free(cfg);
	return 0;
}

/*
 * A row whose only difference is a measured status other than ok/refused
 * is a measurement that failed (the entry's status says so), not the
 * planner being wrong.
 */
static bool only_failure(json_t *diffs)
{
	json_t *d;
	size_t i;

	if (!json_array_size(diffs))
		return false;
	json_array_foreach(diffs, i, d)
	{
		const char *field =
			json_string_value(json_object_get(d, "field"));
		const char *measured =
			json_string_value(json_object_get(d, "measured"));

		if (!field || strcmp(field, "status") || !measured ||
		    !strcmp(measured, "ok") || !strncmp(measured, "refused", 7))
			return false;
	}
	return true;
}

/* run the checker; attribute its verdicts to entries; exit-code style rc */
static int run_check(const char *dir, bool print)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	json_t *j, *rows, *r;
	size_t i;
	int rc;

	rc = hp_check_run(dir, NULL, true, mem, stderr);
	fclose(mem);
	j = json_loads(buf ? buf : "", 0, NULL);
	free(buf);
	rows = json_object_get(j, "rows");
	json_array_foreach(rows, i, r)
	{
		const char *dev =
			json_string_value(json_object_get(r, "device"));
		const char *mode =
			json_string_value(json_object_get(r, "mode"));
		const char *verdict =
			json_string_value(json_object_get(r, "check"));

		for (unsigned int k = 0; k < nr_entries; k++) {
			struct entry *e = &entries[k];
			char *d;

			if (!dev || !mode || strcmp(e->device, dev) ||
			    strcmp(hp_mode_name(e->mode), mode))
				continue;
			if (verdict && !strcmp(verdict, "agree")) {
				if (!e->check[0])
					snprintf(e->check, sizeof(e->check),
						 "agree");
				continue;
			}
			if (only_failure(json_object_get(r, "differences")))
				continue; /* a failed measurement: see status */
			d = json_dumps(json_object_get(r, "differences"),
				       JSON_COMPACT);
			snprintf(e->check, sizeof(e->check), "differs: %s",
				 d ? d : "?");
			free(d);
		}
	}
	if (print)
		fprintf(stderr,
			"hpbench: planner check: %lld agree, %lld differ\n",
			(long long)json_integer_value(
				json_object_get(j, "agree")),
			(long long)json_integer_value(
				json_object_get(j, "differ")));
	json_decref(j);
	return rc;
}

/* ---- main ---- */

/* the agent binary for --target host */
static int find_agent(char *buf, size_t len)
{
	const char *env = getenv("HPBENCH_AGENT");
	char dir[PATH_MAX - 64];

	if (env) {
		snprintf(buf, len, "%s", env);
		return access(buf, X_OK);
	}
	lab_exe_dir(dir, sizeof(dir));
	snprintf(buf, len, "%s/build/lab/hpbench-agent", dir);
	if (!access(buf, X_OK))
		return 0;
	snprintf(buf, len, "%s/hpbench-agent",
		 dir); /* installed side by side */
	return access(buf, X_OK);
}

static int finish(const struct opts *o, const char *dir, int check_rc);

/* --out, or results/PREFIX<date-time> */
static void out_dir(const struct opts *o, const char *prefix, char *buf,
		    size_t len)
{
	time_t now = time(NULL);
	char stamp[32];

	if (o->out) {
		snprintf(buf, len, "%s", o->out);
		return;
	}
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	snprintf(buf, len, "results/%s%s", prefix, stamp);
}

/*
 * --target host: the agent runs here, on this machine's own dax devices
 * and offline blocks.  Without --yes it only prints what it would do.
 */
static int run_host(struct opts *o, int argc, char **argv)
{
	const char *root = o->sysfs_root ? o->sysfs_root : "/";
	static struct host_inventory inv;
	static struct hp_config cfg;
	static struct hp_bench_ctx ctx;
	struct hp_results res;
	char agent[PATH_MAX], outdir[512], err[256], path[600];
	unsigned int ours = 0;
	int rc, check_rc = EXIT_USAGE;
	FILE *f;

	rc = host_discover(root, &inv);
	if (rc) {
		fprintf(stderr,
			"hpbench: %s/sys/devices/system/memory: %s (no memory "
			"hotplug here)\n",
			root, strerror(-rc));
		return EXIT_NO_RESOURCE;
	}
	for (unsigned int i = 0; i < inv.nr; i++)
		ours += inv.items[i].ours;
	if (!o->yes) {
		host_print_plan(stdout, &inv, o->trials);
		return ours ? EXIT_OK : EXIT_NO_RESOURCE;
	}
	if (strcmp(root, "/")) {
		fprintf(stderr, "hpbench: --yes works on this machine's own "
				"/sys only, not on --sysfs-root\n");
		return EXIT_USAGE;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "hpbench: --target host --yes needs root\n");
		return EXIT_NO_RESOURCE;
	}
	if (!ours) {
		host_print_plan(stderr, &inv, o->trials);
		return EXIT_NO_RESOURCE;
	}
	if (find_agent(agent, sizeof(agent))) {
		fprintf(stderr,
			"hpbench: no hpbench-agent (make lab builds it; "
			"HPBENCH_AGENT names another)\n");
		return EXIT_NO_RESOURCE;
	}
	if (hp_sysfs_build_config("/", NULL, &cfg, err, sizeof(err))) {
		fprintf(stderr, "hpbench: %s\n", err);
		return EXIT_NO_RESOURCE;
	}
	out_dir(o, "host-", outdir, sizeof(outdir));
	rc = hp_results_open(&res, outdir, false);
	if (rc) {
		fprintf(stderr, "hpbench: %s: %s\n", outdir, strerror(-rc));
		return EXIT_NO_RESOURCE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	seen.boots = json_array();
	if (lab_start_local(&ctx.lab, agent)) {
		fprintf(stderr, "hpbench: %s\n", ctx.lab.error);
		hp_results_close(&res);
		return EXIT_NO_RESOURCE;
	}
	{
		note_hello(ctx.lab.hello);
		seen.block_size = inv.block_size;
		snprintf(res.arch, sizeof(res.arch), "%s", seen.arch);
		res.page_size = seen.page_size;
		/* this machine's arch decides what its counters can tell */
		if (lab_arch_find(seen.arch))
			o->arch = lab_arch_find(seen.arch);
		ctx.counters_exact = counters_exact(o, inv.block_size);
		ctx.page_size = seen.page_size;
	}
	write_meta(res.dir, argc, argv, o, "(this machine)", NULL);
	progress(o, "results in %s", res.dir);
	for (unsigned int i = 0; i < inv.nr && !interrupted; i++) {
		const struct host_item *it = &inv.items[i];
		struct entry *e;

		if (!it->ours || nr_entries == MAX_ENTRIES)
			continue;
		e = &entries[nr_entries++];
		e->ops = it->kind == HOST_DAX ? &hp_host_dax_ops
					      : &hp_host_block_ops;
		e->mode = cfg.platform.mode;
		e->kmem_attr = it->memmap_attr;
		e->size = it->size;
		e->online = inv.auto_online ? "auto" : "manual";
		snprintf(e->status, sizeof(e->status), "ok");
		snprintf(e->device, sizeof(e->device), "%s", it->name);
		snprintf(e->config, sizeof(e->config), "host/%s/%s", it->name,
			 hp_mode_name(e->mode));
		if (e->ops->no_capacity)
			snprintf(e->check, sizeof(e->check),
				 "not compared: the block was added before");

		ctx.res = &res;
		ctx.ops = e->ops;
		ctx.mode = e->mode;
		ctx.kmem_attr = e->kmem_attr;
		ctx.auto_online = inv.auto_online;
		ctx.online_type = o->online_type;
		ctx.node = it->node;
		ctx.block_size = inv.block_size;
		ctx.timeout_ms = o->timeout_ms;
		snprintf(ctx.config, sizeof(ctx.config), "%s", e->config);
		snprintf(ctx.device, sizeof(ctx.device), "%s", it->name);
		snprintf(ctx.device_driver, sizeof(ctx.device_driver), "%s",
			 it->driver);
		for (unsigned int t = 0; t < o->trials && !interrupted; t++) {
			progress(o, "[%s] trial %u/%u", e->config, t + 1,
				 o->trials);
			ctx.request = 0;
			if (!one_request(&ctx, it->size, t))
				break;
			if (strcmp(e->status, "ok"))
				break; /* a refusal will not change */
		}
	}
	lab_stop(&ctx.lab);
	hp_results_close(&res);
	write_meta(res.dir, argc, argv, o, "(this machine)", NULL);
	hp_write_summary(res.dir);
	snprintf(path, sizeof(path), "%s/device.cfg", res.dir);
	f = fopen(path, "w");
	if (f) {
		bool compared = false;

		fprintf(f, "; this machine as hpplan --from-sysfs saw it\n");
		hp_config_write(f, &cfg);
		fclose(f);
		for (unsigned int i = 0; i < nr_entries; i++)
			compared |= !entries[i].ops->no_capacity;
		/* onlining blocks added earlier has no capacity to compare */
		check_rc = compared ? run_check(res.dir, !o->quiet) : EXIT_OK;
	}
	return finish(o, res.dir, check_rc);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct hp_results res;
	char kernel[PATH_MAX], initrd[PATH_MAX], outdir[512];
	uint64_t lab_block;
	char qemu_cmdline[8192] = "";
	bool resume = false;
	int rc, check_rc;

	if (hp_parse_args(argc, argv, &o))
		return EXIT_USAGE;
	if (o.resume) {
		const char *dir = o.resume;

		if (hp_resume_args(dir, &argc, &argv) ||
		    hp_parse_args(argc, argv, &o))
			return EXIT_USAGE;
		o.out = dir;
		resume = true;
	}
	out_dir(&o, "", outdir, sizeof(outdir));
	if (o.arch_list || o.page_list) {
		char page[16] = "";
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		struct hp_matrix_opts mo = {
			.arches = o.arch_list ? o.arch_list : o.arch->name,
			.page_sizes = o.page_list ? o.page_list : page,
			.paths = o.paths_arg,
			.kernel = o.kernel,
			.out = outdir,
			/* a TCG guest keeps about one core busy */
			.jobs = o.jobs	   ? o.jobs
				: ncpu > 0 ? (unsigned)ncpu
					   : 1,
			.resume = resume,
			.quiet = o.quiet,
			.json = o.json,
		};

		if (o.page_size)
			format_size(o.page_size, page, sizeof(page));
		else if (!o.page_list)
			mo.page_sizes = NULL; /* 4K */
		if (strcmp(o.target, "lab") || o.nr_block_sizes) {
			fprintf(stderr, "hpbench: the matrix (--arch or "
					"--page-sizes lists) runs on the lab, "
					"without --block-sizes\n");
			return EXIT_USAGE;
		}
		return hp_matrix_run(&mo, argc, argv);
	}
	if (!strcmp(o.target, "host"))
		return run_host(&o, argc, argv);
	/* before validation: sizes a default path cannot take are not bad */
	filter_default_paths(&o, NULL);
	/* the lab's block size: 128M for a q35 guest below 64G of RAM */
	if (hp_validate_arch(&o, &lab_block) || hp_validate(&o, lab_block))
		return EXIT_USAGE;
	for (unsigned int b = 0; b < o.nr_block_sizes; b++)
		if (hp_validate(&o, o.block_sizes[b]))
			return EXIT_USAGE;
	if (find_assets(&o, kernel, initrd, sizeof(kernel), seen.kernel_package,
			sizeof(seen.kernel_package)))
		return EXIT_NO_RESOURCE;
	{
		char cfg[PATH_MAX];

		kernel_config(kernel, cfg, sizeof(cfg));
		filter_default_paths(&o, cfg);
	}
	rc = hp_results_open(&res, outdir, resume);
	if (rc) {
		fprintf(stderr, "hpbench: %s: %s%s\n", outdir, strerror(-rc),
			rc == -EEXIST ? " (holds a run; use --resume)" : "");
		return EXIT_NO_RESOURCE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	seen.boots = json_array();
	write_meta(res.dir, argc, argv, &o, kernel, NULL);
	progress(&o, "results in %s", res.dir);

	for (unsigned int b = 0; b < (o.nr_block_sizes ? o.nr_block_sizes : 1);
	     b++)
		for (unsigned int p = 0; p < o.nr_paths; p++) {
			const struct hp_path_ops *ops = o.paths[p];
			bool kmem = ops->planner_path == HP_PATH_DAX_KMEM;
			/* kmem's memmap_on_memory attribute, or pmem's map */
			bool dax = kmem || ops->map_attr;

			for (unsigned int m = 0; m < o.nr_modes; m++)
				for (unsigned int a = 0;
				     a < (dax ? o.nr_kmem_attrs : 1); a++) {
					if (kmem && o.kmem_attrs[a] &&
					    o.modes[m] == HP_MODE_OFF) {
						fprintf(stderr,
							"hpbench: skipping "
							"%s "
							"attr "
							"on with "
							"memmap_on_memory=off: "
							"the kernel refuses "
							"the "
							"attribute "
							"(EOPNOTSUPP, "
							"drivers/dax/bus.c "
							"memmap_on_memory_"
							"store)\n",
							ops->name);
						continue;
					}
					for (unsigned int s = 0; s < o.nr_sizes;
					     s++) {
						struct entry *e =
							&entries[nr_entries++];
						struct hp_bench_ctx tmp = {
							.ops = ops,
							.kmem_attr =
								dax ? o.kmem_attrs
										[a]
								    : -1,
						};

						e->ops = ops;
						e->block_size_req =
							o.nr_block_sizes
								? o.block_sizes
									  [b]
								: 0;
						e->mode = o.modes[m];
						e->kmem_attr = tmp.kmem_attr;
						e->size = o.sizes[s];
						snprintf(e->status,
							 sizeof(e->status),
							 "ok");
						device_name(&tmp, e->size,
							    e->device,
							    sizeof(e->device));
					}
				}
		}
	for (unsigned int i = 0; i < nr_entries && !interrupted;) {
		static struct hp_bench_ctx ctx;
		struct entry *e = &entries[i];

		memset(&ctx, 0, sizeof(ctx));
		ctx.res = &res;
		ctx.ops = e->ops;
		ctx.mode = e->mode;
		ctx.kmem_attr = e->kmem_attr;
		ctx.auto_online = o.auto_online || e->ops->auto_online;
		ctx.online_type = o.online_type;
		ctx.dax_pmem = o.dax_pmem;
		ctx.block_size_req = e->block_size_req;
		ctx.node = o.node;
		ctx.boot_mem = o.boot_mem;
		ctx.timeout_ms = o.timeout_ms;
		memcpy(ctx.sizes, o.sizes, sizeof(o.sizes));
		ctx.nr_sizes = o.nr_sizes;
		ctx.virtio_mem_capacity = o.sizes[o.nr_sizes - 1];
		if (o.grow * o.sizes[0] > ctx.virtio_mem_capacity)
			ctx.virtio_mem_capacity = o.grow * o.sizes[0];
		ctx.probe_span = (uint64_t)o.grow * o.sizes[0];
		for (unsigned int s = 0; s < o.nr_sizes; s++)
			ctx.probe_span += (uint64_t)o.trials * o.sizes[s];
		{
			char bs[24] = "";

			if (e->block_size_req)
				snprintf(
					bs, sizeof(bs), "/bs%lluM",
					(unsigned long long)(e->block_size_req >>
							     20));
			snprintf(ctx.config, sizeof(ctx.config),
				 "%s/%s/%s%s%s%s", e->ops->name,
				 hp_mode_name(e->mode),
				 ctx.auto_online ? "auto" : "manual",
				 strcmp(ctx.online_type, "online") ? ""
								   : ":online",
				 e->kmem_attr < 0 ? ""
				 : e->kmem_attr	  ? "/attr1"
						  : "/attr0",
				 bs);
		}
		for (unsigned int k = i; k < i + o.nr_sizes; k++) {
			snprintf(entries[k].config, sizeof(entries[k].config),
				 "%s", ctx.config);
			entries[k].online = ctx.auto_online ? "auto" : "manual";
		}
		run_config(&o, &res, &ctx, kernel, initrd, qemu_cmdline,
			   sizeof(qemu_cmdline));
		write_meta(res.dir, argc, argv, &o, kernel, qemu_cmdline);
		i += o.nr_sizes;
	}
	hp_results_close(&res);
	if (interrupted)
		fprintf(stderr,
			"hpbench: interrupted; rows so far are in %s (hpbench "
			"--resume %s continues)\n",
			res.dir, res.dir);
	hp_write_summary(res.dir);
	check_rc = EXIT_USAGE;
	if (seen.page_size && !write_device_cfg(&o, res.dir))
		check_rc = run_check(res.dir, !o.quiet);
	return finish(&o, res.dir, check_rc);
}

/* table, JSON, exit status: the same for the lab and the host */
static int finish(const struct opts *o, const char *dir, int check_rc)
{
	bool failed = false;

	/* a refusal the planner predicted is a result, not a failure */
	for (unsigned int i = 0; i < nr_entries; i++)
		failed |= strcmp(entries[i].status, "ok") != 0 &&
			  !(!strncmp(entries[i].status, "refused", 7) &&
			    !strcmp(entries[i].check, "agree"));
	hp_print_table(o->json ? stderr : stdout);
	if (seen.peak_rss_kb)
		fprintf(o->json ? stderr : stdout,
			"\nresults: %s (QEMU peak RSS %ld MiB)\n", dir,
			seen.peak_rss_kb / 1024);
	else
		fprintf(o->json ? stderr : stdout, "\nresults: %s\n", dir);
	if (o->json) {
		json_t *j =
			json_pack("{s:i, s:s, s:o}", "schema_version", 1,
				  "results_dir", dir, "runs", hp_runs_json());

		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	}
	for (unsigned int i = 0; i < nr_entries; i++) {
		for (int op = 0; op < HP_OP_NR; op++)
			free(entries[i].lat[op]);
		for (unsigned int k = 0; k < entries[i].nr_sides; k++)
			free(entries[i].sides[k].v);
	}
	json_decref(seen.boots);
	if (failed || interrupted)
		return EXIT_FAILED;
	if (check_rc == HP_EXIT_DISAGREE)
		return EXIT_DIFFERS;
	return check_rc == HP_EXIT_OK ? EXIT_OK : EXIT_FAILED;
}
