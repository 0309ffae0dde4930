// SPDX-License-Identifier: MIT
/*
 * matrix.c - one command across architectures and page sizes.
 *
 * Each (arch, page size) cell is an ordinary single-arch run of this same
 * program in OUT/ARCH-PAGE/ (its own device.cfg, planner check, console
 * logs, --resume), so a cell measures exactly what a run of its own
 * would.  Cells run in parallel up to --jobs; each QEMU is its own
 * process.  What cannot run is decided here, before anything boots, and
 * written as rows with the reason: a page size the arch does not have
 * (the planner's geometry table says so), a page size Debian builds no
 * kernel for, a path the arch's lab does not have.
 */
#include "matrix.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/size.h"
#include "../planner/check.h"
#include "../planner/model.h"
#include "bench.h"
#include "lab.h"
#include "options.h"
#include "results.h"

#define MAX_CELLS 24
#define MAX_REFUSED 8

struct refused {
	const char *path;
	char why[200];
};

struct cell {
	const struct lab_arch *arch;
	unsigned int page_size;
	char name[32];	  /* ARCH-PAGE: its directory under OUT */
	char page[8];	  /* "4K" */
	char paths[160];  /* what it runs; "" when nothing can */
	char reason[400]; /* why the whole cell cannot run */
	struct refused refused[MAX_REFUSED];
	unsigned int nr_refused;
	pid_t pid;
	int rc; /* the child's exit status; -1 not run */
	struct timespec t0;
	double wall_s;
	long agree, differ;
	json_t *check; /* the planner's rows, for per-path counts */
};

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* the next comma-separated token of *s into buf; false at the end */
static bool next_token(const char **s, char *buf, size_t len)
{
	size_t n;

	if (!*s || !**s)
		return false;
	n = strcspn(*s, ",");
	snprintf(buf, len, "%.*s", (int)n, *s);
	*s += n + ((*s)[n] == ',');
	return true;
}

static bool patched(const struct hp_matrix_opts *mo)
{
	return mo->kernel && !strcmp(mo->kernel, "patched");
}

/* why (arch, page) cannot run at all, or "" */
static void cell_reason(struct cell *c, bool debian_kernel)
{
	struct hp_platform p;
	struct hp_geometry g;
	char why[HP_REASON_MAX];
	int k = hp_arch_from_name(c->arch->name);

	hp_platform_init(&p);
	p.arch = (enum hp_arch)k;
	p.page_shift = ilog2_u64(c->page_size);
	p.mmu = p.arch == HP_ARCH_PPC64LE ? HP_MMU_RADIX : HP_MMU_NONE;
	p.kernel = HP_KERNEL_6_12;
	if (k < 0 || (1ULL << p.page_shift) != c->page_size ||
	    hp_geometry_derive(&p, &g, why, sizeof(why))) {
		snprintf(c->reason, sizeof(c->reason), "%s",
			 k < 0 ? "the planner has no such arch" : why);
		if ((1ULL << p.page_shift) != c->page_size)
			snprintf(c->reason, sizeof(c->reason),
				 "%s is not a power of two", c->page);
		return;
	}
	if (debian_kernel && !hp_list_has(c->arch->debian_page_sizes, c->page))
		snprintf(c->reason, sizeof(c->reason),
			 "Debian builds no %s kernel with %s pages (the lab "
			 "boots Debian's; it has %s)",
			 c->arch->name, c->page, c->arch->debian_page_sizes);
}

/*
 * Does the cell's Debian kernel lack an option the path needs?  Read from
 * the lab's kernels/VERSION/config (fetch-kernel.sh); a lab not made yet
 * says nothing here and the cell's run names the make target.
 */
static bool kernel_lacks_why(const struct hp_matrix_opts *mo,
			     const struct cell *c,
			     const struct hp_path_ops *ops, char *why,
			     size_t len)
{
	char dir[PATH_MAX - 32], which[32], pattern[PATH_MAX], missing[64];
	bool lacks = false;
	glob_t g;

	if (patched(mo) || !ops->needs_config)
		return false;
	lab_dir(c->arch, c->page_size, dir, sizeof(dir), which, sizeof(which));
	snprintf(pattern, sizeof(pattern), "%s/kernels/*/config", dir);
	if (glob(pattern, 0, NULL, &g))
		return false;
	if (g.gl_pathc &&
	    lab_config_lacks(g.gl_pathv[g.gl_pathc - 1], ops->needs_config,
			     missing, sizeof(missing))) {
		const char *ver =
			strstr(g.gl_pathv[g.gl_pathc - 1], "/kernels/");

		lacks = true;
		if (why)
			snprintf(why, len,
				 "Debian's kernel %.*s lacks %s (%s needs "
				 "it%s)",
				 ver ? (int)strcspn(ver + 9, "/") : 0,
				 ver ? ver + 9 : "", missing, ops->name,
				 lab_ours_has(c->arch, missing)
					 ? "; --kernel patched builds ours "
					   "with it"
					 : "");
	}
	globfree(&g);
	return lacks;
}

static bool kernel_lacks(const struct hp_matrix_opts *mo, const struct cell *c,
			 const struct hp_path_ops *ops)
{
	return kernel_lacks_why(mo, c, ops, NULL, 0);
}

static int cells_build(const struct hp_matrix_opts *mo, struct cell *cells,
		       unsigned int *nr)
{
	const char *pages = mo->page_sizes ? mo->page_sizes : "4K";
	const char *al = mo->arches;
	char a[32], pg[16];

	if (!strcmp(pages, "all"))
		pages = "4K,16K,64K";
	*nr = 0;
	for (unsigned int i = 0;; i++) {
		const struct lab_arch *arch;

		if (!strcmp(mo->arches, "all")) {
			arch = lab_arch_at(i);
			if (!arch)
				break;
		} else {
			if (!next_token(&al, a, sizeof(a)))
				break;
			arch = lab_arch_find(a);
			if (!arch) {
				fprintf(stderr,
					"hpbench: --arch '%s' (expected "
					"x86_64, arm64, ppc64le or all)\n",
					a);
				return -1;
			}
		}
		for (const char *pl = pages; next_token(&pl, pg, sizeof(pg));) {
			struct cell *c = &cells[*nr];
			const char *want =
				mo->paths ? mo->paths : arch->default_paths;
			uint64_t ps;
			char t[32];

			if (parse_size(pg, &ps) || ps < 4096 ||
			    ps > (1 << 20)) {
				fprintf(stderr,
					"hpbench: --page-sizes '%s' (expected "
					"4K, 16K, 64K or all)\n",
					pg);
				return -1;
			}
			if (*nr == MAX_CELLS) {
				fprintf(stderr, "hpbench: more than %d cells\n",
					MAX_CELLS);
				return -1;
			}
			memset(c, 0, sizeof(*c));
			c->arch = arch;
			c->page_size = (unsigned int)ps;
			c->rc = -1;
			format_size(ps, c->page, sizeof(c->page));
			snprintf(c->name, sizeof(c->name), "%s-%s", arch->name,
				 c->page);
			for (unsigned int k = 0; k < *nr; k++)
				if (!strcmp(cells[k].name, c->name)) {
					fprintf(stderr,
						"hpbench: %s given twice\n",
						c->name);
					return -1;
				}
			cell_reason(c, !patched(mo));
			for (const char *wl = want;
			     next_token(&wl, t, sizeof(t));) {
				const struct hp_path_ops *ops =
					hp_path_ops_find(t);

				if (!ops)
					continue; /* parse_args said so */
				if (hp_list_has(ops->arches, arch->name) &&
				    !kernel_lacks(mo, c, ops)) {
					size_t l = strlen(c->paths);

					snprintf(c->paths + l,
						 sizeof(c->paths) - l, "%s%s",
						 l ? "," : "", ops->name);
				} else if (c->nr_refused < MAX_REFUSED) {
					struct refused *r =
						&c->refused[c->nr_refused++];

					r->path = ops->name;
					if (!hp_list_has(ops->arches,
							 arch->name))
						snprintf(r->why, sizeof(r->why),
							 "%s", ops->why_not);
					else
						kernel_lacks_why(
							mo, c, ops, r->why,
							sizeof(r->why));
				}
			}
			(*nr)++;
		}
	}
	return 0;
}

/* the child: this program, one cell, its output in OUT/CELL/ */
static pid_t cell_start(const struct hp_matrix_opts *mo, struct cell *c,
			int argc, char **argv)
{
	char dir[PATH_MAX], meta[PATH_MAX + 16], table[PATH_MAX];
	char **av = calloc((size_t)argc + 16, sizeof(*av));
	bool resume;
	int n = 0;
	pid_t pid;

	if (!av)
		return -1;
	snprintf(dir, sizeof(dir), "%s/%s", mo->out, c->name);
	snprintf(meta, sizeof(meta), "%s/meta.json", dir);
	resume = mo->resume && access(meta, F_OK) == 0;
	av[n++] = argv[0];
	if (resume) {
		av[n++] = "--resume";
		av[n++] = dir;
	} else {
		/* the invocation as given, then this cell's choices (last wins)
		 */
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--json"))
				continue;
			if (!strcmp(argv[i], "--out") ||
			    !strcmp(argv[i], "--jobs")) {
				i++;
				continue;
			}
			if (!strncmp(argv[i], "--out=", 6) ||
			    !strncmp(argv[i], "--jobs=", 7))
				continue;
			av[n++] = argv[i];
		}
		av[n++] = "--arch";
		av[n++] = (char *)c->arch->name;
		av[n++] = "--page-sizes";
		av[n++] = c->page;
		av[n++] = "--paths";
		av[n++] = c->paths;
		av[n++] = "--out";
		av[n++] = dir;
	}
	av[n] = NULL;
	mkdir(dir, 0755);
	snprintf(table, sizeof(table), "%s/table.txt", dir);
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	pid = fork();
	if (pid == 0) {
		int fd = open(table, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		setenv("HPBENCH_TAG", c->name, 1);
		/* this very program, even if the file was replaced meanwhile */
		execv("/proc/self/exe", av);
		fprintf(stderr, "hpbench: /proc/self/exe: %s\n",
			strerror(errno));
		_exit(127);
	}
	free(av);
	return pid;
}

/* the planner's verdicts on a finished cell (its own device.cfg) */
static void cell_check(const struct hp_matrix_opts *mo, struct cell *c)
{
	char dir[PATH_MAX], *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len), *null = fopen("/dev/null", "w");

	snprintf(dir, sizeof(dir), "%s/%s", mo->out, c->name);
	if (mem && null) {
		hp_check_run(dir, NULL, true, mem, null);
		fclose(mem);
		mem = NULL;
		c->check = json_loads(buf ? buf : "", 0, NULL);
		c->agree = (long)json_integer_value(
			json_object_get(c->check, "agree"));
		c->differ = (long)json_integer_value(
			json_object_get(c->check, "differ"));
	}
	if (mem)
		fclose(mem);
	if (null)
		fclose(null);
	free(buf);
}

/* agree/differ of the check rows whose device is this path's */
static void path_counts(const struct cell *c, const char *path, long *agree,
			long *differ)
{
	json_t *r;
	size_t i, n = strlen(path);

	*agree = *differ = 0;
	json_array_foreach(json_object_get(c->check, "rows"), i, r)
	{
		const char *dev =
			json_string_value(json_object_get(r, "device"));
		const char *v = json_string_value(json_object_get(r, "check"));

		/* devices are named PATH-SIZE[-attrN] (hpbench.c) */
		if (!dev || strncmp(dev, path, n) || dev[n] != '-')
			continue;
		if (v && !strcmp(v, "agree"))
			(*agree)++;
		else
			(*differ)++;
	}
}

/* OUT/NAME: every cell's OUT/CELL/NAME, one header */
static void merge_csv(const struct hp_matrix_opts *mo, const struct cell *cells,
		      unsigned int nr, const char *name)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	bool header = false;
	FILE *out = NULL;

	for (unsigned int i = 0; i < nr; i++) {
		FILE *in;
		ssize_t n;
		bool first = true;

		snprintf(path, sizeof(path), "%s/%s/%s", mo->out, cells[i].name,
			 name);
		in = fopen(path, "r");
		if (!in)
			continue;
		if (!out) {
			snprintf(path, sizeof(path), "%s/%s", mo->out, name);
			out = fopen(path, "w");
			if (!out) {
				fclose(in);
				break;
			}
		}
		while ((n = getline(&line, &cap, in)) > 0) {
			if (first && !strncmp(line, "schema_version,", 15)) {
				first = false;
				if (header)
					continue;
				header = true;
			}
			fputs(line, out);
		}
		fclose(in);
	}
	free(line);
	if (out)
		fclose(out);
}

static const char *cell_status(const struct cell *c)
{
	if (c->reason[0] || !c->paths[0])
		return "unsupported";
	if (c->rc < 0)
		return "not run";
	switch (c->rc) {
	case 0:
		return "agree";
	case 1:
		return "differs";
	case 3:
		return "no lab";
	default:
		return "failed";
	}
}

static json_t *write_outputs(const struct hp_matrix_opts *mo,
			     struct cell *cells, unsigned int nr, double wall_s,
			     int argc, char **argv)
{
	char path[PATH_MAX];
	json_t *jcells = json_array(), *inv = json_array(), *meta;
	FILE *f;

	snprintf(path, sizeof(path), "%s/matrix.csv", mo->out);
	f = fopen(path, "w");
	if (f)
		fputs("schema_version,arch,page_size,path,status,reason,agree,"
		      "differ,exit,wall_s,results_dir\n",
		      f);
	for (unsigned int i = 0; i < nr; i++) {
		struct cell *c = &cells[i];
		json_t *jr = json_array();
		const char *st = cell_status(c);
		char t[32];

		for (const char *pl = c->paths;
		     !c->reason[0] && next_token(&pl, t, sizeof(t));) {
			long ag, df;

			path_counts(c, t, &ag, &df);
			if (f) {
				fprintf(f, "1,%s,%u,%s,%s,,%ld,%ld,%d,%.1f,",
					c->arch->name, c->page_size, t, st, ag,
					df, c->rc, c->wall_s);
				hp_csv_field(f, c->name);
				fputc('\n', f);
			}
		}
		for (unsigned int k = 0; k < c->nr_refused; k++) {
			const char *why =
				c->reason[0] ? c->reason : c->refused[k].why;

			if (f) {
				fprintf(f, "1,%s,%u,%s,unsupported,",
					c->arch->name, c->page_size,
					c->refused[k].path);
				hp_csv_field(f, why);
				fputs(",,,,,\n", f);
			}
			json_array_append_new(jr,
					      json_pack("{s:s, s:s}", "path",
							c->refused[k].path,
							"reason", why));
		}
		if (c->reason[0]) {
			/* every path the cell would have run, with the reason
			 */
			for (const char *pl = c->paths;
			     next_token(&pl, t, sizeof(t));) {
				if (f) {
					fprintf(f, "1,%s,%u,%s,unsupported,",
						c->arch->name, c->page_size, t);
					hp_csv_field(f, c->reason);
					fputs(",,,,,\n", f);
				}
			}
		}
		json_array_append_new(
			jcells,
			json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:i, s:f, "
				  "s:i, s:i, s:s}",
				  "arch", c->arch->name, "page_size",
				  (int)c->page_size, "status", st, "reason",
				  c->reason, "paths", c->paths, "refused", jr,
				  "exit", c->rc, "wall_s", c->wall_s, "agree",
				  (int)c->agree, "differ", (int)c->differ,
				  "results_dir", c->name));
	}
	if (f)
		fclose(f);
	for (const char *const *n =
		     (const char *const[]){"latency.csv", "capacity.csv",
					   "placement.csv", "summary.csv",
					   NULL};
	     *n; n++)
		merge_csv(mo, cells, nr, *n);
	for (int i = 0; i < argc; i++)
		json_array_append_new(inv, json_string(argv[i]));
	meta = json_pack(
		"{s:i, s:s, s:o, s:b, s:i, s:f, s:O}", "schema_version", 1,
		"hpbench_version", HPBENCH_VERSION, "invocation", inv, "matrix",
		1, "jobs", (int)mo->jobs, "wall_s", wall_s, "cells", jcells);
	snprintf(path, sizeof(path), "%s/meta.json", mo->out);
	json_dump_file(meta, path, JSON_INDENT(2));
	json_decref(meta);
	return jcells;
}

static void print_table(FILE *f, const struct cell *cells, unsigned int nr,
			double wall_s, unsigned int jobs)
{
	int w = 5;

	/* the paths column as wide as its longest entry */
	for (unsigned int i = 0; i < nr; i++) {
		if ((int)strlen(cells[i].paths) > w)
			w = (int)strlen(cells[i].paths);
		for (unsigned int k = 0; k < cells[i].nr_refused; k++)
			if ((int)strlen(cells[i].refused[k].path) > w)
				w = (int)strlen(cells[i].refused[k].path);
	}
	fprintf(f, "\n%-12s %-*s %-11s %5s %6s %7s  %s\n", "cell", w, "paths",
		"status", "agree", "differ", "wall s", "why not / results");
	for (unsigned int i = 0; i < nr; i++) {
		const struct cell *c = &cells[i];

		if (c->reason[0] || !c->paths[0]) {
			fprintf(f, "%-12s %-*s %-11s %5s %6s %7s  %s\n",
				c->name, w, "-", "unsupported", "-", "-", "-",
				c->reason[0] ? c->reason
					     : "none of its paths runs here "
					       "(below)");
		} else {
			fprintf(f, "%-12s %-*s %-11s %5ld %6ld %7.1f  %s/\n",
				c->name, w, c->paths, cell_status(c), c->agree,
				c->differ, c->wall_s, c->name);
		}
		for (unsigned int k = 0; !c->reason[0] && k < c->nr_refused;
		     k++)
			fprintf(f, "%-12s %-*s %-11s %5s %6s %7s  %s\n",
				c->name, w, c->refused[k].path, "unsupported",
				"-", "-", "-", c->refused[k].why);
	}
	fprintf(f, "\nmatrix wall time %.1f s (%u cell%s at a time)\n", wall_s,
		jobs, jobs == 1 ? "" : "s");
}

int hp_matrix_run(const struct hp_matrix_opts *mo, int argc, char **argv)
{
	struct cell cells[MAX_CELLS];
	unsigned int nr, next = 0, running = 0;
	struct sigaction sa = {.sa_handler = on_stop};
	struct timespec t0;
	double wall_s;
	json_t *jcells;
	bool forwarded = false;
	int rc = 0;

	/*
	 * stock: each cell's Debian kernel; patched: each cell's own build
	 * of our series (scripts/build-kernel.sh --arch --page-size, any
	 * page size the arch has); a path names one arch's image
	 */
	if (mo->kernel && strcmp(mo->kernel, "stock") &&
	    strcmp(mo->kernel, "patched")) {
		fprintf(stderr, "hpbench: --kernel PATH names one arch's "
				"kernel; the matrix boots each cell's own "
				"(stock or patched)\n");
		return 2;
	}
	if (cells_build(mo, cells, &nr))
		return 2;
	if (mkdir(mo->out, 0755) && errno != EEXIST) {
		fprintf(stderr, "hpbench: %s: %s\n", mo->out, strerror(errno));
		return 3;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the invocation first: --resume needs it if we die */
	json_decref(write_outputs(mo, cells, nr, 0, argc, argv));
	if (!mo->quiet)
		fprintf(stderr,
			"hpbench: matrix of %u cells in %s, %u at a time\n", nr,
			mo->out, mo->jobs);
	while ((next < nr && !stop) || running) {
		int status;
		pid_t pid;

		while (running < mo->jobs && next < nr && !stop) {
			struct cell *c = &cells[next++];

			if (c->reason[0] || !c->paths[0]) {
				if (!mo->quiet)
					fprintf(stderr,
						"hpbench: [%s] not run: %s\n",
						c->name,
						c->reason[0] ? c->reason
							     : "no path here");
				continue;
			}
			c->pid = cell_start(mo, c, argc, argv);
			if (c->pid > 0)
				running++;
			else
				c->rc = 4;
		}
		if (!running)
			break;
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			/*
			 * interrupted: the running cells stop too, keeping what
			 * they measured (a terminal's Ctrl-C reaches them
			 * anyway; a kill of this process alone does not)
			 */
			if (errno == EINTR && stop && !forwarded) {
				forwarded = true;
				for (unsigned int i = 0; i < nr; i++)
					if (cells[i].pid > 0)
						kill(cells[i].pid, SIGINT);
			}
			if (errno == EINTR)
				continue;
			break;
		}
		for (unsigned int i = 0; i < nr; i++) {
			struct cell *c = &cells[i];

			if (c->pid != pid)
				continue;
			c->pid = 0;
			c->rc = WIFEXITED(status) ? WEXITSTATUS(status) : 4;
			c->wall_s = since(&c->t0);
			running--;
			cell_check(mo, c);
			if (!mo->quiet)
				fprintf(stderr,
					"hpbench: [%s] %s in %.1f s (exit %d; "
					"planner: %ld agree, %ld differ)\n",
					c->name, cell_status(c), c->wall_s,
					c->rc, c->agree, c->differ);
		}
	}
	wall_s = since(&t0);
	jcells = write_outputs(mo, cells, nr, wall_s, argc, argv);
	print_table(mo->json ? stderr : stdout, cells, nr, wall_s, mo->jobs);
	fprintf(mo->json ? stderr : stdout, "results: %s\n", mo->out);
	if (mo->json) {
		json_t *j =
			json_pack("{s:i, s:s, s:f, s:i, s:O}", "schema_version",
				  1, "results_dir", mo->out, "wall_s", wall_s,
				  "jobs", (int)mo->jobs, "cells", jcells);

		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	}
	json_decref(jcells);
	rc = 3; /* until a cell ran: nothing asked for can run here */
	for (unsigned int i = 0; i < nr; i++) {
		const struct cell *c = &cells[i];

		if (c->reason[0] || !c->paths[0])
			continue;
		if (rc == 3)
			rc = 0;
		if (c->rc != 0 && c->rc != 1)
			rc = 4;
		else if (c->rc == 1 && rc == 0)
			rc = 1;
		json_decref(c->check);
	}
	if (stop) {
		fprintf(stderr,
			"hpbench: interrupted; rows so far are in %s (hpbench "
			"--resume %s continues)\n",
			mo->out, mo->out);
		rc = 4;
	}
	return rc;
}
