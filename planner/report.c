// SPDX-License-Identifier: MIT
#include "report.h"

#include <inttypes.h>
#include <string.h>

#include "rules.h"

#include "../common/size.h"

int hp_run_plan(const struct hp_config *cfg, struct hp_run *run, char *why,
		size_t why_len)
{
	struct hp_plan_state st;

	memset(run, 0, sizeof(*run));
	run->cfg = cfg;
	if (hp_geometry_derive(&cfg->platform, &run->geo, why, why_len))
		return -1;
	hp_plan_state_init(&cfg->platform, &run->geo, &st);
	for (unsigned int i = 0; i < cfg->nr_devices; i++) {
		hp_plan_device(&cfg->platform, &run->geo, &cfg->devices[i], &st,
			       &run->plans[i]);
		hp_totals_add(&run->totals, &run->plans[i]);
	}
	return 0;
}

void hp_plan_location(const struct hp_plan *pl, char *buf, size_t len)
{
	if (pl->status != HP_PLAN_OK)
		snprintf(buf, len, "none");
	else if (pl->memmap_on_memory)
		snprintf(buf, len, "device");
	else
		snprintf(buf, len, "node %d", pl->memmap_node);
}

static const char *status_name(const struct hp_plan *pl)
{
	return pl->status == HP_PLAN_OK ? "ok" : "refused";
}

json_t *hp_plan_to_json(const struct hp_plan *pl)
{
	char loc[32];
	json_t *o, *shares;

	hp_plan_location(pl, loc, sizeof(loc));
	o = json_pack(
		"{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:s, s:I, s:I, "
		"s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:I}",
		"name", pl->name, "path", hp_path_name(pl->path), "status",
		status_name(pl), "size_bytes", (json_int_t)pl->device_bytes,
		"added_bytes", (json_int_t)pl->added_bytes, "blocks",
		(json_int_t)pl->blocks, "block_size",
		(json_int_t)pl->block_size, "page_size",
		(json_int_t)pl->page_size, "memmap_on_memory",
		pl->memmap_on_memory, "reason", pl->reason,
		"memmap_pages_per_block",
		(json_int_t)pl->memmap_pages_per_block,
		"reserve_pages_per_block",
		(json_int_t)pl->reserve_pages_per_block, "memmap_pages",
		(json_int_t)pl->memmap_pages, "reserve_pages",
		(json_int_t)pl->reserve_pages, "trimmed_bytes",
		(json_int_t)pl->trimmed_bytes, "usable_bytes",
		(json_int_t)pl->usable_bytes, "memmap_bytes",
		(json_int_t)pl->memmap_bytes, "ram_needed_bytes",
		(json_int_t)pl->ram_needed_bytes, "ram_memmap_bytes",
		(json_int_t)pl->ram_memmap_bytes, "ram_pagetable_bytes",
		(json_int_t)pl->ram_pagetable_bytes, "ram_section_bytes",
		(json_int_t)pl->ram_section_bytes, "memmap_location", loc,
		"pageblock_pages", (json_int_t)pl->pageblock_pages,
		"memmap_pages_on_device",
		(json_int_t)(pl->memmap_on_memory ? pl->memmap_pages : 0));
	if (!o)
		return NULL;
	json_object_set_new(o, "withheld_pages",
			    json_integer((json_int_t)pl->withheld_pages));
	if (pl->nr_node_shares) {
		shares = json_array();
		for (unsigned int i = 0; i < pl->nr_node_shares; i++)
			json_array_append_new(
				shares,
				json_pack(
					"{s:i, s:I}", "node",
					pl->node_shares[i].node, "memmap_pages",
					(json_int_t)pl->node_shares[i].pages));
		json_object_set_new(o, "memmap_nodes", shares);
	}
	return o;
}

json_t *hp_totals_to_json(const struct hp_totals *t)
{
	return json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"size_bytes", (json_int_t)t->device_bytes, "added_bytes",
		(json_int_t)t->added_bytes, "trimmed_bytes",
		(json_int_t)t->trimmed_bytes, "usable_bytes",
		(json_int_t)t->usable_bytes, "memmap_bytes",
		(json_int_t)t->memmap_bytes, "memmap_device_bytes",
		(json_int_t)t->memmap_device_bytes, "memmap_ram_bytes",
		(json_int_t)t->memmap_ram_bytes, "reserve_bytes",
		(json_int_t)t->reserve_bytes, "ram_needed_bytes",
		(json_int_t)t->ram_needed_bytes, "blocks",
		(json_int_t)t->blocks, "refused", (json_int_t)t->refused);
}

json_t *hp_platform_to_json(const struct hp_platform *p,
			    const struct hp_geometry *g)
{
	char msg[96];
	json_t *o = json_pack(
		"{s:s, s:i, s:s, s:s, s:I, s:s, s:i, s:I, s:I, s:I, s:i, s:i}",
		"arch", hp_arch_name(p->arch), "page_size", (int)g->page_size,
		"kernel", hp_kernel_name(p->kernel), "memmap_on_memory",
		hp_mode_name(p->mode), "block_size", (json_int_t)g->block_size,
		"block_size_reason", g->block_size_why, "struct_page_size",
		(int)p->struct_page_size, "section_size",
		(json_int_t)(1ULL << g->section_shift), "pmd_size",
		(json_int_t)(1ULL << g->pmd_shift), "pageblock_pages",
		(json_int_t)(1ULL << g->pageblock_order), "pageblock_order",
		(int)g->pageblock_order, "max_order", (int)g->max_order);

	if (o && p->mmu != HP_MMU_NONE)
		json_object_set_new(o, "mmu", json_string(hp_mmu_name(p->mmu)));
	if (o && p->boot_memory_end)
		json_object_set_new(
			o, "boot_memory_end",
			json_integer((json_int_t)p->boot_memory_end));
	if (o && hp_force_boot_message(p, g, msg, sizeof(msg)))
		json_object_set_new(o, "kernel_boot_message", json_string(msg));
	return o;
}

json_t *hp_run_to_json(const struct hp_run *run)
{
	json_t *o = json_object(), *devs = json_array();

	json_object_set_new(o, "schema_version",
			    json_integer(HPPLAN_SCHEMA_VERSION));
	json_object_set_new(
		o, "platform",
		hp_platform_to_json(&run->cfg->platform, &run->geo));
	for (unsigned int i = 0; i < run->cfg->nr_devices; i++)
		json_array_append_new(devs, hp_plan_to_json(&run->plans[i]));
	json_object_set_new(o, "devices", devs);
	json_object_set_new(o, "totals", hp_totals_to_json(&run->totals));
	return o;
}

static void sz(uint64_t v, bool human, char *buf, size_t len)
{
	if (human)
		format_size_human(v, buf, len);
	else
		format_size(v, buf, len);
}

void hp_report_text(FILE *out, const struct hp_run *run, bool human)
{
	const struct hp_platform *p = &run->cfg->platform;
	const struct hp_geometry *g = &run->geo;
	char msg[96];
	char a[32], b[32], c[32], d[32], loc[32];

	sz(g->block_size, false, a, sizeof(a));
	sz(g->page_size, false, b, sizeof(b));
	sz((uint64_t)g->page_size << g->pageblock_order, false, c, sizeof(c));
	fprintf(out,
		"platform: %s%s%s, %s pages, kernel %s, memmap_on_memory=%s\n",
		hp_arch_name(p->arch), p->mmu != HP_MMU_NONE ? " " : "",
		p->mmu != HP_MMU_NONE ? hp_mmu_name(p->mmu) : "", b,
		hp_kernel_name(p->kernel), hp_mode_name(p->mode));
	fprintf(out,
		"  memory block %s (%s)\n  pageblock %s (%llu pages), "
		"struct page %u bytes\n\n",
		a, g->block_size_why, c,
		(unsigned long long)(1ULL << g->pageblock_order),
		p->struct_page_size);
	if (hp_force_boot_message(p, g, msg, sizeof(msg)))
		fprintf(out, "  the kernel logs at boot: \"%s\"\n\n", msg);
	fprintf(out, "%-12s %-13s %8s %6s %-7s %9s %8s %9s %10s %-8s %9s\n",
		"DEVICE", "PATH", "SIZE", "BLOCKS", "ON-DEV", "MEMMAP-PG",
		"RSRV-PG", "TRIMMED", "USABLE", "MEMMAP@", "RAM-NEED");
	for (unsigned int i = 0; i < run->cfg->nr_devices; i++) {
		const struct hp_plan *pl = &run->plans[i];

		sz(pl->device_bytes, human, a, sizeof(a));
		sz(pl->trimmed_bytes, human, b, sizeof(b));
		sz(pl->usable_bytes, human, c, sizeof(c));
		sz(pl->ram_needed_bytes, human, d, sizeof(d));
		hp_plan_location(pl, loc, sizeof(loc));
		if (pl->status != HP_PLAN_OK) {
			fprintf(out, "%-12s %-13s %8s REFUSED\n", pl->name,
				hp_path_name(pl->path), a);
		} else {
			fprintf(out,
				"%-12s %-13s %8s %6" PRIu64 " %-7s %9" PRIu64
				" %8" PRIu64 " %9s %10s %-8s %9s\n",
				pl->name, hp_path_name(pl->path), a, pl->blocks,
				pl->memmap_on_memory ? "yes" : "no",
				pl->memmap_pages, pl->reserve_pages, b, c, loc,
				d);
		}
		fprintf(out, "    why: %s\n", pl->reason);
	}
	sz(run->totals.device_bytes, true, a, sizeof(a));
	sz(run->totals.usable_bytes, true, b, sizeof(b));
	sz(run->totals.memmap_device_bytes + run->totals.reserve_bytes, human,
	   c, sizeof(c));
	sz(run->totals.ram_needed_bytes, true, d, sizeof(d));
	fprintf(out,
		"\ntotal: %s of devices, %s usable, %s kept on the devices "
		"(memmap + reserve), %s of free RAM needed",
		a, b, c, d);
	sz(run->totals.trimmed_bytes, true, a, sizeof(a));
	if (run->totals.trimmed_bytes)
		fprintf(out, ", %s trimmed", a);
	if (run->totals.refused)
		fprintf(out, ", %u device(s) refused", run->totals.refused);
	fprintf(out, "\n");
}

void hp_report_csv_header(FILE *out)
{
	fprintf(out, "schema_version,arch,page_size,mmu,kernel,mode,block_size,"
		     "pageblock_pages,name,path,status,size_bytes,added_bytes,"
		     "blocks,memmap_on_memory,memmap_pages,reserve_pages,"
		     "trimmed_bytes,usable_bytes,memmap_bytes,ram_needed_bytes,"
		     "memmap_location,reason,withheld_pages\n");
}

static void csv_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void hp_report_csv(FILE *out, const struct hp_run *run)
{
	const struct hp_platform *p = &run->cfg->platform;
	char loc[32];

	for (unsigned int i = 0; i < run->cfg->nr_devices; i++) {
		const struct hp_plan *pl = &run->plans[i];

		hp_plan_location(pl, loc, sizeof(loc));
		fprintf(out,
			"%d,%s,%u,%s,%s,%s,%" PRIu64 ",%" PRIu64
			",%s,%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%s,",
			HPPLAN_SCHEMA_VERSION, hp_arch_name(p->arch),
			run->geo.page_size,
			p->mmu == HP_MMU_NONE ? "" : hp_mmu_name(p->mmu),
			hp_kernel_name(p->kernel), hp_mode_name(p->mode),
			run->geo.block_size, pl->pageblock_pages, pl->name,
			hp_path_name(pl->path), status_name(pl),
			pl->device_bytes, pl->added_bytes, pl->blocks,
			pl->memmap_on_memory ? "true" : "false",
			pl->memmap_pages, pl->reserve_pages, pl->trimmed_bytes,
			pl->usable_bytes, pl->memmap_bytes,
			pl->ram_needed_bytes, loc);
		csv_string(out, pl->reason);
		fprintf(out, ",%" PRIu64 "\n", pl->withheld_pages);
	}
}
