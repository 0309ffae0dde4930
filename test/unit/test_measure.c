// SPDX-License-Identifier: MIT
/*
 * hp_capacity_measure and hp_new_blocks on before/after snapshots built
 * by hand for one 128M block (32768 pages of 4K, 512 pages of memmap at
 * 64 bytes per struct page): the memmap in RAM (present and managed grow
 * alike), on the device (present - managed = the altmap), force padding
 * (present - managed - memmap = reserve), a kernel without
 * nr_memmap_pages, and a device longer than its blocks.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "../../bench/measure.h"

#define PAGE 4096
#define BLOCK (128ULL << 20)
#define BLOCK_PAGES 32768

static struct agent_snapshot *snap_new(void)
{
	struct agent_snapshot *s = calloc(1, sizeof(*s));

	cr_assert_not_null(s);
	return s;
}

static void add_zone(struct agent_snapshot *s, int node, const char *name,
		     uint64_t present, uint64_t managed)
{
	struct agent_zone *z = &s->zones[s->nr_zones++];

	z->node = node;
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->present = present;
	z->managed = managed;
	z->spanned = present;
}

static void add_node(struct agent_snapshot *s, int node, uint64_t total_kb,
		     uint64_t used_kb)
{
	struct agent_node *n = &s->nodes[s->nr_nodes++];

	n->node = node;
	n->mem_total_kb = total_kb;
	n->mem_used_kb = used_kb;
	n->mem_free_kb = total_kb - used_kb;
}

static void add_block(struct agent_snapshot *s, long id, int node)
{
	struct agent_block *b = &s->blocks[s->nr_blocks++];

	b->id = id;
	b->node = node;
	snprintf(b->state, sizeof(b->state), "online");
}

/*
 * A two-node guest at boot: blocks 0..7 on node 0 and 8..15 on node 1
 * (ids only; the counts do not matter), nr_memmap_pages 0.
 */
static struct agent_snapshot *boot(void)
{
	struct agent_snapshot *s = snap_new();

	s->mem_total_kb = 2000000;
	s->mem_free_kb = 1800000;
	s->nr_memmap_pages = 0;
	s->nr_memmap_boot_pages = 8192;
	add_zone(s, 0, "DMA", 3998, 3840);
	add_zone(s, 0, "DMA32", 262144, 250000);
	add_zone(s, 1, "Normal", 262144, 256000);
	add_zone(s, 1, "Movable", 0, 0);
	add_node(s, 0, 1000000, 150000);
	add_node(s, 1, 1000000, 50000);
	for (long id = 0; id < 16; id++)
		add_block(s, id, id < 8 ? 0 : 1);
	return s;
}

/*
 * After one block (id 40) went online to node 1's Movable zone with
 * present +@present, managed +@managed, MemTotal +@total_kb and
 * nr_memmap_pages +@memmap; node @paid's MemUsed grew by @used_kb.
 */
static struct agent_snapshot *after_add(const struct agent_snapshot *b,
					uint64_t present, uint64_t managed,
					uint64_t total_kb, int64_t memmap,
					int paid, uint64_t used_kb)
{
	struct agent_snapshot *a = snap_new();

	*a = *b;
	a->zones[3].present += present;
	a->zones[3].managed += managed;
	a->zones[3].spanned += present;
	a->mem_total_kb += total_kb;
	a->nr_memmap_pages =
		b->nr_memmap_pages < 0 ? -1 : b->nr_memmap_pages + memmap;
	/* node 1 got the RAM: its MemTotal and MemFree grow alike */
	a->nodes[1].mem_total_kb += total_kb;
	a->nodes[1].mem_free_kb += total_kb;
	a->nodes[paid].mem_used_kb += used_kb;
	a->nodes[paid].mem_free_kb -= used_kb;
	add_block(a, 40, 1);
	return a;
}

Test(measure, memmap_in_ram_node0)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;
	char loc[32];

	/* memmap 512 pages = 2048 kB from node 0; node 1 a little less */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES, 131072, 512, 0, 2048);
	a->nodes[1].mem_used_kb += 100;
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_eq(c.blocks, 1);
	cr_assert_eq(c.present_delta_pages, BLOCK_PAGES);
	cr_assert_eq(c.managed_delta_pages, BLOCK_PAGES);
	cr_assert_eq(c.memtotal_delta_bytes, 134217728);
	cr_assert_eq(c.memmap_delta_pages, 512);
	cr_assert_eq(c.blocks_node, 1, "block 40 joined node 1");
	cr_assert_not(c.memmap_on_device);
	cr_assert_eq(c.memmap_pages, 512);
	cr_assert_eq(c.reserve_pages, 0);
	cr_assert_eq(c.usable_bytes, 134217728);
	cr_assert_eq(c.trimmed_bytes, 0);
	cr_assert_eq(c.memmap_node, 0);
	cr_assert_eq(c.node_used_delta_kb[0], 2048);
	cr_assert_eq(c.node_used_delta_kb[1], 100);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "node 0");
	free(a);
	free(b);
}

Test(measure, memmap_in_ram_node1)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;
	char loc[32];

	/* node 1 paid; node 0's MemUsed grew less (page cache noise) */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES, 131072, 512, 1, 2048);
	a->nodes[0].mem_used_kb += 300;
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_not(c.memmap_on_device);
	cr_assert_eq(c.memmap_node, 1);
	cr_assert_eq(c.node_used_delta_kb[0], 300);
	cr_assert_eq(c.node_used_delta_kb[1], 2048);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "node 1");
	free(a);
	free(b);
}

Test(measure, memmap_in_ram_node_with_shrinking_use)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;

	/* node 0 freed memory meanwhile: node 1 still grew most */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES, 131072, 512, 1, 2048);
	a->nodes[0].mem_used_kb -= 4096;
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_eq(c.node_used_delta_kb[0], -4096);
	cr_assert_eq(c.memmap_node, 1);
	free(a);
	free(b);
}

Test(measure, altmap_on_device)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;
	char loc[32];

	/* 512 pages of the block hold its memmap: never managed */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES - 512, 129024, 512, 1, 0);
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_eq(c.blocks, 1);
	cr_assert(c.memmap_on_device);
	cr_assert_eq(c.memmap_pages, 512);
	cr_assert_eq(c.reserve_pages, 0);
	cr_assert_eq(c.usable_bytes, 32256LL * 4096);
	cr_assert_eq(c.trimmed_bytes, 0);
	cr_assert_eq(c.memmap_node, -1);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "device");
	free(a);
	free(b);
}

Test(measure, force_padding_reserve)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;

	/*
	 * memmap_on_memory=force with a memmap that is not pageblock
	 * aligned: 1024 pages never managed, 544 of them memmap, so 480 of
	 * padding.  MemTotal is what managed gives.
	 */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES - 1024,
		      (BLOCK_PAGES - 1024) * 4, 544, 1, 0);
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert(c.memmap_on_device);
	cr_assert_eq(c.present_delta_pages - c.managed_delta_pages, 1024);
	cr_assert_eq(c.memmap_pages, 544);
	cr_assert_eq(c.reserve_pages, 480);
	cr_assert_eq(c.usable_bytes, (BLOCK_PAGES - 1024) * 4096LL);
	free(a);
	free(b);
}

Test(measure, no_memmap_counter_on_device)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;

	/* 6.1: no nr_memmap_pages in /proc/vmstat */
	b->nr_memmap_pages = -1;
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES - 512, 129024, 0, 1, 0);
	cr_assert_eq(a->nr_memmap_pages, -1);
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert(c.memmap_on_device);
	cr_assert_eq(c.memmap_delta_pages, -1);
	cr_assert_eq(c.memmap_pages, -1);
	cr_assert_eq(c.reserve_pages, -1);
	cr_assert_eq(c.usable_bytes, 32256LL * 4096);
	free(a);
	free(b);
}

Test(measure, no_memmap_counter_in_ram)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;

	/* not on the device: nothing reserved, whatever the counter */
	b->nr_memmap_pages = -1;
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES, 131072, 0, 0, 2048);
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_not(c.memmap_on_device);
	cr_assert_eq(c.memmap_pages, -1);
	cr_assert_eq(c.reserve_pages, 0);
	cr_assert_eq(c.memmap_node, 0);
	free(a);
	free(b);
}

Test(measure, counter_only_after)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;

	/* a counter missing on either side is missing */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES - 512, 129024, 512, 1, 0);
	a->nr_memmap_pages = -1;
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_eq(c.memmap_delta_pages, -1);
	cr_assert_eq(c.reserve_pages, -1);
	free(a);
	free(b);
}

Test(measure, trimmed_bytes)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;

	/* a 200M dax device: one 128M block, 72M left out */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES, 131072, 512, 0, 2048);
	hp_capacity_measure(b, a, PAGE, BLOCK, 200ULL << 20, &c);
	cr_assert_eq(c.blocks, 1);
	cr_assert_eq(c.trimmed_bytes, 72LL << 20);
	cr_assert_eq(c.usable_bytes, 128LL << 20);
	free(a);
	free(b);
}

Test(measure, nothing_added)
{
	struct agent_snapshot *b = boot();
	struct hp_capacity c;
	char loc[32];

	hp_capacity_measure(b, b, PAGE, BLOCK, BLOCK, &c);
	cr_assert_eq(c.blocks, 0);
	cr_assert_eq(c.present_delta_pages, 0);
	cr_assert_eq(c.usable_bytes, 0);
	cr_assert_eq(c.trimmed_bytes, (int64_t)BLOCK);
	cr_assert_not(c.memmap_on_device);
	hp_capacity_location(&c, loc, sizeof(loc));
	/* no node grew: the first one is taken */
	cr_assert_str_eq(loc, "node 0");
	free(b);
}

Test(measure, location_unknown_without_nodes)
{
	struct agent_snapshot *b = snap_new(), *a = snap_new();
	struct hp_capacity c;
	char loc[32];

	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_eq(c.memmap_node, -1);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "unknown");
	free(a);
	free(b);
}

Test(measure, new_blocks_sorted)
{
	struct agent_snapshot *b = boot(), *a = snap_new();
	static const long after_ids[] = {15, 300, 3, 41, 0, 40, 299, 8, 42};
	long ids[16];
	unsigned int n;

	for (unsigned int i = 0; i < sizeof(after_ids) / sizeof(*after_ids);
	     i++)
		add_block(a, after_ids[i], 1);
	n = hp_new_blocks(b, a, ids, 16);
	cr_assert_eq(n, 5);
	cr_assert_eq(ids[0], 40);
	cr_assert_eq(ids[1], 41);
	cr_assert_eq(ids[2], 42);
	cr_assert_eq(ids[3], 299);
	cr_assert_eq(ids[4], 300);
	free(a);
	free(b);
}

Test(measure, new_blocks_none_and_removed)
{
	struct agent_snapshot *b = boot(), *a = snap_new(), *empty = snap_new();
	long ids[4] = {-7, -7, -7, -7};

	/* after has fewer blocks than before: nothing is new */
	add_block(a, 3, 0);
	add_block(a, 9, 1);
	cr_assert_eq(hp_new_blocks(b, a, ids, 4), 0);
	cr_assert_eq(ids[0], -7);
	/* everything is new against an empty before */
	add_block(a, 1, 0);
	cr_assert_eq(hp_new_blocks(empty, a, ids, 4), 3);
	cr_assert_eq(ids[0], 1);
	cr_assert_eq(ids[1], 3);
	cr_assert_eq(ids[2], 9);
	cr_assert_eq(ids[3], -7);
	free(empty);
	free(a);
	free(b);
}

/* the kernel's report replaces the MemUsed inference */
Test(measure, report_overrides_inference)
{
	struct hp_capacity c = {.memmap_on_device = false, .memmap_node = 0};
	struct agent_memmap on = {.pages_on_block = 512};
	struct agent_memmap off = {.pages_elsewhere = 512};
	char buf[64];

	hp_capacity_apply_report(&c, &on);
	cr_assert(c.reported && c.memmap_on_device && c.memmap_node == -1);
	hp_capacity_report_text(&c, buf, sizeof(buf));
	cr_assert_str_eq(buf, "device");
	off.node_pages[1] = 512;
	hp_capacity_apply_report(&c, &off);
	cr_assert(!c.memmap_on_device && c.memmap_node == 1);
	hp_capacity_report_text(&c, buf, sizeof(buf));
	cr_assert_str_eq(buf, "node 1:512");
	/* memmap partly on the block, partly elsewhere: not "on the device" */
	off.pages_on_block = 1;
	hp_capacity_apply_report(&c, &off);
	cr_assert_not(c.memmap_on_device);
}

/*
 * ppc64le with 64K pages (measured in the lab, Debian's 6.12 and the
 * patched kernel): a 256M LMB with force withholds 32 pages, but
 * nr_memmap_pages grows by 16 (one per 16M section, each rounded up from
 * 1/4 page), and the memmap may sit in boot RAM's vmemmap leaf.  Only the
 * withheld total stays; the report fills the split.
 */
Test(measure, inexact_counters_keep_only_withheld)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;
	struct agent_memmap rep = {.altmap = true,
				   .altmap_free = 32,
				   .nr_ranges = 1,
				   .pages_elsewhere = 4,
				   .mapped_pmd = 4};
	char loc[32];

	a = after_add(b, 4096, 4096 - 32, (4096 - 32) * 64, 16, 0, 0);
	hp_capacity_measure(b, a, 65536, 256 << 20, 256 << 20, &c);
	cr_assert_eq(c.withheld_pages, 32);
	cr_assert_eq(c.memmap_pages, 16, "the rounded counter, as read");
	hp_capacity_counter_inexact(&c);
	cr_assert_eq(c.memmap_pages, -1);
	cr_assert_eq(c.reserve_pages, -1);
	cr_assert_eq(c.withheld_pages, 32);
	cr_assert_eq(c.usable_bytes, (4096 - 32) * 65536LL);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "", "placement unknown: left empty");

	/* the patched kernel: 4 memmap pages in node 0, the altmap unused */
	rep.node_pages[0] = 4;
	hp_capacity_apply_report(&c, &rep);
	cr_assert_eq(c.memmap_pages, 4);
	cr_assert_eq(c.reserve_pages, 32);
	cr_assert_not(c.memmap_on_device);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "node 0");

	/* on the device (an LMB above the boot leaf): 4 + 28 */
	hp_capacity_measure(b, a, 65536, 256 << 20, 256 << 20, &c);
	hp_capacity_counter_inexact(&c);
	rep.pages_elsewhere = 0;
	rep.node_pages[0] = 0;
	rep.pages_on_block = 4;
	rep.altmap_alloc = 4;
	hp_capacity_apply_report(&c, &rep);
	cr_assert(c.memmap_on_device);
	cr_assert_eq(c.memmap_pages, 4);
	cr_assert_eq(c.reserve_pages, 28);
	free(a);
	free(b);
}

Test(measure, memmap_node_unknown_when_no_node_grew)
{
	struct agent_snapshot *b = boot(), *a;
	struct hp_capacity c;
	char loc[32];

	/* 512 pages (2048 kB) of memmap in RAM, but node 0's MemUsed fell by
	 * 80 kB and node 1's stayed: no node can be named */
	a = after_add(b, BLOCK_PAGES, BLOCK_PAGES, 131072, 512, 0, 0);
	a->nodes[0].mem_used_kb -= 80;
	hp_capacity_measure(b, a, PAGE, BLOCK, BLOCK, &c);
	cr_assert_not(c.memmap_on_device);
	cr_assert_eq(c.memmap_node, -1);
	hp_capacity_location(&c, loc, sizeof(loc));
	cr_assert_str_eq(loc, "unknown");
	free(a);
	free(b);
}
