// SPDX-License-Identifier: MIT
/*
 * options.c - hpbench's command line: the options, their defaults, and
 * what the lab refuses before anything boots (with the reason).
 */
#include "options.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/size.h"
#include "../planner/config.h"

void hp_usage(FILE *f)
{
	fputs("usage: hpbench [OPTIONS]\n"
	      "Measure memory hot-add (latency, memmap placement, capacity) on "
	      "the QEMU lab.\n\n"
	      "  --sizes LIST        request sizes (default 256M,1G: whole "
	      "blocks\n"
	      "                      everywhere, ppc64le LMBs and CXL regions "
	      "too)\n"
	      "  --modes LIST        memmap_on_memory: off,on,force (default "
	      "off,on)\n"
	      "  --paths LIST        acpi-dimm,virtio-mem,dax-kmem,"
	      "nvdimm-kmem,cxl,probe,\n"
	      "                      pseries-dlpar; default by arch: "
	      "x86_64 acpi-dimm,\n"
	      "                      virtio-mem,dax-kmem,nvdimm-kmem,cxl; "
	      "arm64 virtio-mem,\n"
	      "                      acpi-dimm,nvdimm-kmem; ppc64le "
	      "pseries-dlpar,nvdimm-kmem\n"
	      "                      (what the kernel cannot run is left "
	      "out, with a note)\n"
	      "  --kmem-attr LIST    dax-kmem memmap_on_memory attribute: "
	      "off,on (default off,on)\n"
	      "  --trials N          add/remove cycles per size (default 3)\n"
	      "  --grow N            stacked adds of the smallest size "
	      "(default 4, 0: none)\n"
	      "  --online MODE       manual (agent onlines, movable) or auto "
	      "(default manual)\n"
	      "  --dax-source S      dax-kmem ranges: hmem (soft reserved, "
	      "default) or\n"
	      "                      pmem (legacy memmap=!, made devdax like "
	      "ndctl does)\n"
	      "  --online-type T     online_movable (default) or online (the "
	      "kernel picks\n"
	      "                      the zone; offlining may then fail)\n"
	      "  --block-sizes LIST  boot with memory_block_size= each (the "
	      "patched kernel;\n"
	      "                      a kernel that ignores it is detected)\n"
	      "  --arch LIST         x86_64 (default), arm64 (-M virt), "
	      "ppc64le (-M pseries)\n"
	      "                      or all: Debian's kernel of each (make "
	      "labs), TCG\n"
	      "  --page-sizes LIST   4K (default), 16K, 64K or all: "
	      "Debian's flavour with\n"
	      "                      those pages (arm64-16k, "
	      "powerpc64le-64k)\n"
	      "                      A list in either is the matrix: one run "
	      "per (arch, page\n"
	      "                      size) in OUT/ARCH-PAGE, merged CSVs, "
	      "matrix.csv saying\n"
	      "                      why a cell or path cannot run\n"
	      "  --jobs N            matrix cells at once (default: online "
	      "CPUs)\n"
	      "  --node N            0, or 1: a memory-less node like a CXL "
	      "expander (default 0)\n"
	      "  --kernel K          stock (Debian 6.12 cloud from backports, "
	      "default),\n"
	      "                      patched (make kernel; built if needed) or "
	      "a bzImage path\n"
	      "  --initrd PATH       guest initramfs (default: the project's)\n"
	      "  --boot-mem SIZE     guest boot RAM (default 512M)\n"
	      "  --timeout SEC       per operation (default 60)\n"
	      "  --out DIR           result directory (default "
	      "results/<run-id>)\n"
	      "  --resume DIR        continue an interrupted run in DIR\n"
	      "  --target lab|host   where to measure (default lab)\n"
	      "  --yes               host target: really do it (else: print "
	      "the plan)\n"
	      "  --sysfs-root DIR    host target dry run on a recorded sysfs "
	      "tree\n"
	      "  --json              one JSON object on stdout at the end\n"
	      "  -q, --quiet         no progress\n"
	      "  -h, --help          this text;  -V, --version\n\n"
	      "Exit: 0 ok and the planner agrees, 1 the planner disagrees, 2 "
	      "bad usage,\n"
	      "3 lab missing (run `make lab`), 4 some measurement failed (a "
	      "kernel refusal\nthe planner predicted is a result, not a "
	      "failure).\n",
	      f);
}

/* ---- option parsing ---- */

static int split_list(const char *arg, const char *what,
		      int (*one)(const char *tok, void *o), void *o)
{
	char *copy = strdup(arg), *save = NULL;
	int rc = 0;

	for (char *t = strtok_r(copy, ",", &save); t && !rc;
	     t = strtok_r(NULL, ",", &save))
		if (one(t, o)) {
			fprintf(stderr, "hpbench: --%s: '%s' is not valid\n",
				what, t);
			rc = -1;
		}
	free(copy);
	return rc;
}

static int one_size(const char *t, void *p)
{
	struct opts *o = p;
	uint64_t v;

	if (parse_size(t, &v) || !v || o->nr_sizes == HP_MAX_SIZES)
		return -1;
	for (unsigned int i = 0; i < o->nr_sizes; i++)
		if (o->sizes[i] == v)
			return 0;
	o->sizes[o->nr_sizes++] = v;
	return 0;
}

/* what the patched kernel's memory_block_size= accepts on x86-64 */
static int one_block_size(const char *t, void *p)
{
	struct opts *o = p;
	uint64_t v;

	if (parse_size(t, &v) || !is_pow2_u64(v) || v < (128ULL << 20) ||
	    v > (2ULL << 30) || o->nr_block_sizes == HP_MAX_SIZES) {
		fprintf(stderr,
			"hpbench: --block-sizes: '%s' is not a power of two "
			"from 128M to 2G\n",
			t);
		return -1;
	}
	o->block_sizes[o->nr_block_sizes++] = v;
	return 0;
}

static int one_mode(const char *t, void *p)
{
	struct opts *o = p;
	int m = hp_mode_from_name(t);

	if (m < 0 || o->nr_modes == HP_MODE_NR)
		return -1;
	o->modes[o->nr_modes++] = (enum hp_mode)m;
	return 0;
}

static int one_path(const char *t, void *p)
{
	struct opts *o = p;
	const struct hp_path_ops *ops = hp_path_ops_find(t);

	if (!ops || o->nr_paths == 8) {
		fprintf(stderr, "hpbench: unknown path '%s' (known:", t);
		for (int i = 0; hp_path_table[i]; i++)
			fprintf(stderr, " %s", hp_path_table[i]->name);
		fputs(")\n", stderr);
		return -1;
	}
	o->paths[o->nr_paths++] = ops;
	return 0;
}

static int one_attr(const char *t, void *p)
{
	struct opts *o = p;
	int b = hp_bool_from_name(t);

	if (b < 0 || o->nr_kmem_attrs == 2)
		return -1;
	o->kmem_attrs[o->nr_kmem_attrs++] = b;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Requests that cannot work are refused here, before anything boots. */
/* does the comma list have name as one of its items? */
bool hp_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* the lab guest as the planner sees it: arch, page size, pseries radix */
void hp_lab_platform(const struct opts *o, unsigned int page_size,
		     struct hp_platform *p)
{
	int k = hp_arch_from_name(o->arch->name);

	hp_platform_init(p);
	p->arch = k < 0 ? HP_ARCH_X86_64 : (enum hp_arch)k;
	/* pseries under TCG: the radix MMU */
	if (p->arch == HP_ARCH_PPC64LE)
		p->mmu = HP_MMU_RADIX;
	p->page_shift = ilog2_u64(page_size ? page_size : 4096);
	p->kernel = HP_KERNEL_6_12;
	p->boot_memory_end = o->boot_mem;
	p->hypervisor = HP_YES;
}

/*
 * What the lab can do on the chosen arch, refused before anything boots
 * with the reason.  The block size is the kernel's default there, as the
 * planner derives it: 128M (x86_64 below 64G, arm64 with 4K or 16K
 * pages), 512M (arm64 64K), 256M on pseries (the LMB).
 */
int hp_validate_arch(const struct opts *o, uint64_t *block_size)
{
	const char *arch = o->arch->name;
	bool x86 = !strcmp(arch, "x86_64");
	struct hp_platform plat;
	struct hp_geometry g;
	char why[HP_REASON_MAX];

	hp_lab_platform(o, o->page_size, &plat);
	if (hp_geometry_derive(&plat, &g, why, sizeof(why))) {
		fprintf(stderr, "hpbench: %s\n", why);
		return -1;
	}
	*block_size = g.block_size;
	for (unsigned int p = 0; p < o->nr_paths; p++)
		if (!hp_list_has(o->paths[p]->arches, arch)) {
			fprintf(stderr,
				"hpbench: %s does not run on %s in the lab "
				"(it runs on %s)\n",
				o->paths[p]->name, arch, o->paths[p]->arches);
			return -1;
		}
	if (!x86 && o->nr_block_sizes) {
		fprintf(stderr, "hpbench: --block-sizes is x86_64 only "
				"(memory_block_size= is an x86 patch)\n");
		return -1;
	}
	return 0;
}

int hp_validate(const struct opts *o, uint64_t block_size)
{
	uint64_t largest = o->sizes[o->nr_sizes - 1];

	for (unsigned int p = 0; p < o->nr_paths; p++) {
		const char *name = o->paths[p]->name;

		for (unsigned int i = 0; i < o->nr_sizes; i++) {
			uint64_t s = o->sizes[i];
			char h[32];

			format_size(s, h, sizeof(h));
			/* ZONE_DEVICE: 2M sub-sections, not blocks */
			if (o->paths[p]->map_attr && s % (2ULL << 20)) {
				fprintf(stderr,
					"hpbench: %s %s: not a multiple of "
					"the 2M sub-section (a pmem namespace "
					"is 2M-aligned: memremap_compat_align)"
					"\n",
					name, h);
				return -1;
			}
			if (o->paths[p]->planner_path != HP_PATH_DAX_KMEM &&
			    !o->paths[p]->map_attr && s % block_size) {
				fprintf(stderr,
					"hpbench: %s %s: not a multiple of the "
					"lab's %lluM memory block; the kernel "
					"refuses it (add_memory checks block "
					"alignment)\n",
					name, h,
					(unsigned long long)(block_size >> 20));
				return -1;
			}
			if (o->paths[p]->size_granule &&
			    s % o->paths[p]->size_granule) {
				fprintf(stderr,
					"hpbench: %s %s: not a multiple of "
					"%lluM, the least it adds (a CXL "
					"region: interleave ways x 256M, "
					"drivers/cxl/core/region.c "
					"size_store)\n",
					name, h,
					(unsigned long long)(o->paths[p]
								     ->size_granule >>
							     20));
				return -1;
			}
			if (o->paths[p]->planner_path == HP_PATH_DAX_KMEM) {
				if (s < block_size) {
					fprintf(stderr,
						"hpbench: dax-kmem %s: smaller "
						"than one %lluM block, kmem "
						"would add nothing\n",
						h,
						(unsigned long long)(block_size >>
								     20));
					return -1;
				}
			}
		}
		/* the ranges are RAM of the guest: they count against maxmem */
		if (o->paths[p]->planner_path == HP_PATH_DAX_KMEM &&
		    hp_dax_span_end(o->sizes, o->nr_sizes) - HP_DAX_BASE >
			    o->lab_maxmem) {
			fprintf(stderr,
				"hpbench: dax-kmem: the ranges span %lluM "
				"above 4G (each on a 2G boundary), more than "
				"the lab's maxmem of %lluM\n",
				(unsigned long long)((hp_dax_span_end(
							      o->sizes,
							      o->nr_sizes) -
						      HP_DAX_BASE) >>
						     20),
				(unsigned long long)(o->lab_maxmem >> 20));
			return -1;
		}
	}
	if (largest > o->lab_maxmem ||
	    (uint64_t)o->grow * o->sizes[0] > o->lab_maxmem) {
		fprintf(stderr,
			"hpbench: %lluM at once is more than the lab's maxmem "
			"of %lluM\n",
			(unsigned long long)((largest > o->grow * o->sizes[0]
						      ? largest
						      : o->grow *
								o->sizes[0]) >>
					     20),
			(unsigned long long)(o->lab_maxmem >> 20));
		return -1;
	}
	for (unsigned int p = 0; p < o->nr_paths; p++)
		if (o->node == 1 &&
		    o->paths[p]->planner_path == HP_PATH_DAX_KMEM) {
			fprintf(stderr,
				"hpbench: dax-kmem with --node 1: the lab "
				"carves "
				"its dax ranges out of node 0's RAM, so their "
				"target node is 0, not the memory-less node\n");
			return -1;
		}
	for (unsigned int p = 0; p < o->nr_paths; p++) {
		uint64_t span = (uint64_t)o->grow * o->sizes[0];

		if (o->paths[p]->planner_path != HP_PATH_PROBE)
			continue;
		if (o->node == 1) {
			fprintf(stderr,
				"hpbench: probe with --node 1: probed memory "
				"joins the node that owns its address in the "
				"firmware tables, node 0 in the lab\n");
			return -1;
		}
		/* probed memory cannot be removed: each request takes new RAM
		 */
		for (unsigned int s = 0; s < o->nr_sizes; s++)
			span += (uint64_t)o->trials * o->sizes[s];
		if (span > o->lab_maxmem) {
			fprintf(stderr,
				"hpbench: probe: %u trials of every size and "
				"the grow series need %lluM of hidden RAM "
				"(nothing probed can be removed), more than "
				"the lab's maxmem of %lluM\n",
				o->trials, (unsigned long long)(span >> 20),
				(unsigned long long)(o->lab_maxmem >> 20));
			return -1;
		}
	}
	if (o->grow > 7) {
		fprintf(stderr,
			"hpbench: --grow %u: the lab has 8 DIMM slots\n",
			o->grow);
		return -1;
	}
	return 0;
}

int hp_parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"sizes", required_argument, NULL, 's'},
		{"modes", required_argument, NULL, 'm'},
		{"paths", required_argument, NULL, 'p'},
		{"kmem-attr", required_argument, NULL, 'a'},
		{"trials", required_argument, NULL, 't'},
		{"grow", required_argument, NULL, 'g'},
		{"online", required_argument, NULL, 'o'},
		{"node", required_argument, NULL, 'n'},
		{"kernel", required_argument, NULL, 'k'},
		{"initrd", required_argument, NULL, 'i'},
		{"boot-mem", required_argument, NULL, 'b'},
		{"timeout", required_argument, NULL, 'T'},
		{"out", required_argument, NULL, 'O'},
		{"resume", required_argument, NULL, 'R'},
		{"target", required_argument, NULL, 'X'},
		{"yes", no_argument, NULL, 'y'},
		{"online-type", required_argument, NULL, 'Z'},
		{"dax-source", required_argument, NULL, 'D'},
		{"block-sizes", required_argument, NULL, 'B'},
		{"arch", required_argument, NULL, 'A'},
		{"page-sizes", required_argument, NULL, 'P'},
		{"jobs", required_argument, NULL, 'J'},
		{"sysfs-root", required_argument, NULL, 'S'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	const char *sizes = "256M,1G", *modes = "off,on", *paths = NULL,
		   *attrs = "off,on";
	const char *block_sizes = NULL;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->trials = 3;
	o->grow = 4;
	o->boot_mem = 512ULL << 20;
	o->lab_maxmem = 16ULL << 30;
	o->timeout_ms = 60000;
	o->target = "lab";
	o->online_type = "online_movable";
	o->arch = lab_arch_find("x86_64");
	optind = 1;
	while ((c = getopt_long(argc, argv, "qhV", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			sizes = optarg;
			break;
		case 'm':
			modes = optarg;
			break;
		case 'p':
			paths = optarg;
			break;
		case 'a':
			attrs = optarg;
			break;
		case 't':
		case 'g':
		case 'n':
		case 'T': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || end == optarg || v > HP_MAX_TRIALS ||
			    (c == 't' && !v) || (c == 'n' && v > 1) ||
			    (c == 'T' && !v)) {
				fprintf(stderr,
					"hpbench: --%s '%s' is not valid\n",
					c == 't'   ? "trials"
					: c == 'g' ? "grow"
					: c == 'n' ? "node (0 or 1)"
						   : "timeout",
					optarg);
				return -1;
			}
			if (c == 't')
				o->trials = (unsigned int)v;
			else if (c == 'g')
				o->grow = (unsigned int)v;
			else if (c == 'n')
				o->node = (int)v;
			else
				o->timeout_ms = (int)v * 1000;
			break;
		}
		case 'o':
			if (strcmp(optarg, "auto") &&
			    strcmp(optarg, "manual")) {
				fprintf(stderr,
					"hpbench: --online '%s' (expected auto "
					"or manual)\n",
					optarg);
				return -1;
			}
			o->auto_online = !strcmp(optarg, "auto");
			break;
		case 'k':
			o->kernel = optarg;
			break;
		case 'i':
			o->initrd = optarg;
			break;
		case 'b':
			if (parse_size(optarg, &o->boot_mem) ||
			    o->boot_mem < (256ULL << 20) ||
			    o->boot_mem % (128ULL << 20)) {
				fprintf(stderr,
					"hpbench: --boot-mem '%s' (expected a "
					"multiple of 128M, at least 256M)\n",
					optarg);
				return -1;
			}
			break;
		case 'O':
			o->out = optarg;
			break;
		case 'R':
			o->resume = optarg;
			break;
		case 'X':
			if (strcmp(optarg, "lab") && strcmp(optarg, "host")) {
				fprintf(stderr,
					"hpbench: --target '%s' (expected lab "
					"or host)\n",
					optarg);
				return -1;
			}
			o->target = optarg;
			break;
		case 'B':
			block_sizes = optarg;
			break;
		case 'A':
			/* a list: the matrix, checked there */
			o->arch_list = NULL;
			if (strchr(optarg, ',') || !strcmp(optarg, "all")) {
				o->arch_list = optarg;
				break;
			}
			o->arch = lab_arch_find(optarg);
			if (!o->arch) {
				fprintf(stderr,
					"hpbench: --arch '%s' (expected "
					"x86_64, arm64 or ppc64le)\n",
					optarg);
				return -1;
			}
			break;
		case 'P': {
			uint64_t ps;

			o->page_list = NULL;
			o->page_size = 0;
			if (strchr(optarg, ',') || !strcmp(optarg, "all")) {
				o->page_list = optarg;
				break;
			}
			if (parse_size(optarg, &ps) || ps < 4096 ||
			    ps > (1 << 20) || (ps & (ps - 1))) {
				fprintf(stderr,
					"hpbench: --page-sizes '%s' (expected "
					"4K, 16K, 64K, a list, or all)\n",
					optarg);
				return -1;
			}
			o->page_size = (unsigned int)ps;
			break;
		}
		case 'J': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || end == optarg || !v || v > 16) {
				fprintf(stderr,
					"hpbench: --jobs '%s' (expected "
					"1..16)\n",
					optarg);
				return -1;
			}
			o->jobs = (unsigned int)v;
			break;
		}
		case 'D':
			if (strcmp(optarg, "hmem") && strcmp(optarg, "pmem")) {
				fprintf(stderr,
					"hpbench: --dax-source '%s' (expected "
					"hmem or pmem)\n",
					optarg);
				return -1;
			}
			o->dax_pmem = !strcmp(optarg, "pmem");
			break;
		case 'Z':
			if (strcmp(optarg, "online_movable") &&
			    strcmp(optarg, "online")) {
				fprintf(stderr,
					"hpbench: --online-type '%s' (expected "
					"online_movable or online)\n",
					optarg);
				return -1;
			}
			o->online_type = optarg;
			break;
		case 'S':
			o->sysfs_root = optarg;
			break;
		case 'y':
			o->yes = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			hp_usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("hpbench %s\n", HPBENCH_VERSION);
			exit(EXIT_OK);
		default:
			hp_usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hpbench: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (block_sizes &&
	    split_list(block_sizes, "block-sizes", one_block_size, o))
		return -1;
	/* the default: the paths Debian's kernel of the arch can run here */
	o->paths_arg = paths;
	if (!paths)
		paths = o->arch->default_paths;
	if (split_list(sizes, "sizes", one_size, o) ||
	    split_list(modes, "modes", one_mode, o) ||
	    split_list(paths, "paths", one_path, o) ||
	    split_list(attrs, "kmem-attr", one_attr, o))
		return -1;
	if (!o->nr_sizes || !o->nr_modes || !o->nr_paths || !o->nr_kmem_attrs) {
		fprintf(stderr, "hpbench: empty list\n");
		return -1;
	}
	qsort(o->sizes, o->nr_sizes, sizeof(o->sizes[0]), cmp_u64);
	return 0;
}

/* --resume DIR: the run's own invocation, from its meta.json */
int hp_resume_args(const char *dir, int *argc, char ***argv)
{
	char path[600];
	json_t *m, *inv, *v;
	size_t i;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	m = json_load_file(path, 0, NULL);
	inv = json_object_get(m, "invocation");
	if (!json_is_array(inv)) {
		fprintf(stderr, "hpbench: %s: no invocation to resume\n", path);
		json_decref(m);
		return -1;
	}
	*argc = (int)json_array_size(inv);
	*argv = calloc((size_t)*argc + 1, sizeof(char *));
	json_array_foreach(inv, i, v)(*argv)[i] = strdup(json_string_value(v));
	json_decref(m);
	return 0;
}
