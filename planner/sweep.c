// SPDX-License-Identifier: MIT
/* The capacity-planning view: one device list, many platform variants. */
#include "sweep.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../common/size.h"
#include "report.h"

struct variant {
	unsigned int page_shift;
	uint64_t block_size;
	enum hp_mode mode;
	bool given; /* the configuration's own platform */
	struct hp_totals t;
	uint64_t waste; /* reserve + trimmed: memory nobody can use */
	int64_t net;	/* usable - RAM needed: what the system gains */
};

static const unsigned int page_shifts[] = {12, 14, 16};

/* Better: less waste, then more net gain, then the given platform. */
static int better(const struct variant *a, const struct variant *b)
{
	if (a->waste != b->waste)
		return a->waste < b->waste;
	if (a->net != b->net)
		return a->net > b->net;
	return a->given && !b->given;
}

int hp_sweep_run(const struct hp_config *cfg, int format, bool human, FILE *out,
		 FILE *err)
{
	struct hp_config *vcfg = malloc(sizeof(*vcfg));
	struct hp_run *run = malloc(sizeof(*run));
	struct variant *v = calloc(256, sizeof(*v));
	unsigned int nv = 0, best = 0;
	struct hp_geometry g0;
	char why[512];

	if (!vcfg || !run || !v) {
		fprintf(err, "hpplan: out of memory\n");
		free(vcfg);
		free(run);
		free(v);
		return HP_EXIT_NO_RESOURCE;
	}
	if (hp_geometry_derive(&cfg->platform, &g0, why, sizeof(why))) {
		fprintf(err, "hpplan: %s\n", why);
		free(vcfg);
		free(run);
		free(v);
		return HP_EXIT_USAGE;
	}
	for (size_t ps = 0; ps < sizeof(page_shifts) / sizeof(page_shifts[0]);
	     ps++) {
		for (uint64_t bs = 1ULL << 24; bs <= 2ULL << 30; bs <<= 1) {
			for (int m = 0; m < HP_MODE_NR; m++) {
				struct hp_geometry g;
				struct variant *x = &v[nv];

				*vcfg = *cfg;
				vcfg->platform.page_shift = page_shifts[ps];
				vcfg->platform.block_size = bs;
				vcfg->platform.mode = (enum hp_mode)m;
				/* 6.1 has no force; skip what cannot boot */
				if (m == HP_MODE_FORCE &&
				    cfg->platform.kernel == HP_KERNEL_6_1)
					continue;
				if (hp_geometry_derive(&vcfg->platform, &g, why,
						       sizeof(why)))
					continue;
				if (hp_run_plan(vcfg, run, why, sizeof(why)))
					continue;
				x->page_shift = page_shifts[ps];
				x->block_size = bs;
				x->mode = (enum hp_mode)m;
				x->given = page_shifts[ps] ==
						   cfg->platform.page_shift &&
					   bs == g0.block_size &&
					   m == (int)cfg->platform.mode;
				x->t = run->totals;
				x->waste =
					x->t.reserve_bytes + x->t.trimmed_bytes;
				x->net = (int64_t)x->t.usable_bytes -
					 (int64_t)x->t.ram_needed_bytes;
				if (nv && better(x, &v[best]))
					best = nv;
				if (++nv == 256)
					goto done;
			}
		}
	}
done:
	if (format == 1) {
		json_t *o = json_object(), *arr = json_array();

		for (unsigned int i = 0; i < nv; i++) {
			json_t *r = hp_totals_to_json(&v[i].t);

			json_object_set_new(
				r, "page_size",
				json_integer(1LL << v[i].page_shift));
			json_object_set_new(
				r, "block_size",
				json_integer((json_int_t)v[i].block_size));
			json_object_set_new(
				r, "memmap_on_memory",
				json_string(hp_mode_name(v[i].mode)));
			json_object_set_new(
				r, "waste_bytes",
				json_integer((json_int_t)v[i].waste));
			json_object_set_new(r, "net_gain_bytes",
					    json_integer(v[i].net));
			json_object_set_new(r, "given",
					    json_boolean(v[i].given));
			json_array_append_new(arr, r);
		}
		json_object_set_new(o, "schema_version",
				    json_integer(HPPLAN_SCHEMA_VERSION));
		json_object_set_new(o, "variants", arr);
		if (nv)
			json_object_set_new(o, "least_waste",
					    json_integer(best));
		json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(o);
	} else if (format == 2) {
		fprintf(out,
			"page_size,block_size,memmap_on_memory,usable_bytes,"
			"memmap_device_bytes,memmap_ram_bytes,reserve_bytes,"
			"trimmed_bytes,ram_needed_bytes,waste_bytes,"
			"net_gain_bytes,refused,given,least_waste\n");
		for (unsigned int i = 0; i < nv; i++)
			fprintf(out,
				"%u,%" PRIu64 ",%s,%" PRIu64 ",%" PRIu64
				",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				",%" PRIu64 ",%" PRId64 ",%u,%d,%d\n",
				1u << v[i].page_shift, v[i].block_size,
				hp_mode_name(v[i].mode), v[i].t.usable_bytes,
				v[i].t.memmap_device_bytes,
				v[i].t.memmap_ram_bytes, v[i].t.reserve_bytes,
				v[i].t.trimmed_bytes, v[i].t.ram_needed_bytes,
				v[i].waste, v[i].net, v[i].t.refused,
				v[i].given, i == best);
	} else {
		char a[32], b[32], c[32], d[32], e[32], f[32], pg[16], bsz[16];

		fprintf(out,
			"%-5s %-6s %-6s %12s %12s %12s %10s %10s %12s %s\n",
			"PAGE", "BLOCK", "MODE", "USABLE", "MEMMAP-DEV",
			"MEMMAP-RAM", "RESERVE", "TRIMMED", "RAM-NEEDED",
			"NOTE");
		for (unsigned int i = 0; i < nv; i++) {
			const struct hp_totals *t = &v[i].t;
			char sb[64], *s = sb;

			format_size(1ULL << v[i].page_shift, pg, sizeof(pg));
			format_size(v[i].block_size, bsz, sizeof(bsz));
#define S(x, buf)                                                              \
	(human ? format_size_human(x, buf, sizeof(buf))                        \
	       : (void)snprintf(buf, sizeof(buf), "%" PRIu64, x))
			S(t->usable_bytes, a);
			S(t->memmap_device_bytes, b);
			S(t->memmap_ram_bytes, c);
			S(t->reserve_bytes, d);
			S(t->trimmed_bytes, e);
			S(t->ram_needed_bytes, f);
#undef S
			sb[0] = '\0';
			if (i == best)
				s += sprintf(s, "least waste ");
			if (v[i].given)
				s += sprintf(s, "(configured) ");
			if (t->refused)
				sprintf(s, "%u refused", t->refused);
			fprintf(out,
				"%-5s %-6s %-6s %12s %12s %12s %10s %10s %12s "
				"%s\n",
				pg, bsz, hp_mode_name(v[i].mode), a, b, c, d, e,
				f, sb);
		}
		if (nv) {
			format_size(1ULL << v[best].page_shift, pg, sizeof(pg));
			format_size(v[best].block_size, bsz, sizeof(bsz));
			format_size_human(v[best].waste, a, sizeof(a));
			fprintf(out,
				"\nleast waste: %s pages, %s blocks, "
				"memmap_on_memory=%s "
				"(%s reserved or trimmed; ties broken by "
				"usable minus "
				"RAM needed)\n",
				pg, bsz, hp_mode_name(v[best].mode), a);
			fprintf(out, "note: block sizes other than the derived "
				     "one need a "
				     "platform that yields them (x86_64: "
				     "boot_memory_end and "
				     "hypervisor) or the patched kernel's "
				     "memory_block_size=.\n");
		}
	}
	free(vcfg);
	free(run);
	free(v);
	return HP_EXIT_OK;
}
