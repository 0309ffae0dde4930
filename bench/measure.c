// SPDX-License-Identifier: MIT
/*
 * measure.c - capacity of one add from snapshot deltas.
 *
 * Pages of the added range whose memmap the kernel carved from the range
 * itself (vmem_altmap, plus force padding) are counted as present but
 * never as managed, so present - managed over the add is exactly the
 * on-device memmap and reserve.  nr_memmap_pages (6.12) counts the memmap
 * wherever it lives; the node whose MemUsed grew most paid for it when it
 * is not on the device.
 */
#include "measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

unsigned int hp_new_blocks(const struct agent_snapshot *before,
			   const struct agent_snapshot *after, long *ids,
			   unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < after->nr_blocks && n < max; i++) {
		bool old = false;

		for (unsigned int j = 0; j < before->nr_blocks && !old; j++)
			old = before->blocks[j].id == after->blocks[i].id;
		if (!old)
			ids[n++] = after->blocks[i].id;
	}
	qsort(ids, n, sizeof(*ids), cmp_long);
	return n;
}

void hp_capacity_measure(const struct agent_snapshot *before,
			 const struct agent_snapshot *after,
			 unsigned int page_size, uint64_t block_size,
			 uint64_t device_bytes, struct hp_capacity *c)
{
	long ids[AGENT_MAX_BLOCKS];
	int64_t on_device, best = 0;

	memset(c, 0, sizeof(*c));
	c->blocks = hp_new_blocks(before, after, ids, AGENT_MAX_BLOCKS);
	/* the node of the new blocks, -1 when they are on several */
	c->blocks_node = -1;
	{
		bool first = true, mixed = false;

		for (unsigned int i = 0; i < after->nr_blocks; i++)
			for (uint64_t k = 0; k < c->blocks; k++) {
				if (after->blocks[i].id != ids[k])
					continue;
				if (first)
					c->blocks_node = after->blocks[i].node;
				mixed |= !first && after->blocks[i].node !=
							   c->blocks_node;
				first = false;
			}
		if (mixed)
			c->blocks_node = -1;
	}
	c->present_delta_pages = (int64_t)agent_present_pages(after, -1) -
				 (int64_t)agent_present_pages(before, -1);
	c->managed_delta_pages = (int64_t)agent_managed_pages(after, -1) -
				 (int64_t)agent_managed_pages(before, -1);
	c->memtotal_delta_bytes =
		((int64_t)after->mem_total_kb - (int64_t)before->mem_total_kb) *
		1024;
	c->memmap_delta_pages =
		after->nr_memmap_pages < 0 || before->nr_memmap_pages < 0
			? -1
			: after->nr_memmap_pages - before->nr_memmap_pages;
	on_device = c->present_delta_pages - c->managed_delta_pages;
	c->withheld_pages = on_device;
	c->memmap_on_device = on_device > 0;
	c->memmap_pages = c->memmap_delta_pages;
	if (!c->memmap_on_device)
		c->reserve_pages = 0;
	else if (c->memmap_delta_pages >= 0)
		c->reserve_pages = on_device - c->memmap_delta_pages;
	else
		c->reserve_pages = -1;
	c->usable_bytes = c->memtotal_delta_bytes;
	c->trimmed_bytes =
		(int64_t)device_bytes - (int64_t)(c->blocks * block_size);

	c->memmap_node = -1;
	for (unsigned int i = 0; i < after->nr_nodes; i++) {
		const struct agent_node *a = &after->nodes[i];
		const struct agent_node *b = agent_node_get(before, a->node);
		int64_t d;

		if (a->node < 0 || a->node >= AGENT_MAX_NODES)
			continue;
		d = (int64_t)a->mem_used_kb - (b ? (int64_t)b->mem_used_kb : 0);
		c->node_used_delta_kb[a->node] = d;
		if (!c->memmap_on_device && (c->memmap_node < 0 || d > best)) {
			c->memmap_node = a->node;
			best = d;
		}
	}
	/*
	 * A node is named only if its MemUsed grew by half the memmap at
	 * least: where every node's stayed flat or fell (something freed
	 * memory meanwhile), which one paid is not known.
	 */
	if (c->memmap_node >= 0 && c->memmap_delta_pages > 0 &&
	    best * 1024 * 2 < c->memmap_delta_pages * (int64_t)page_size)
		c->memmap_node = -1;
}

void hp_capacity_location(const struct hp_capacity *c, char *buf,
			  unsigned long len)
{
	if (c->placement_unknown)
		snprintf(buf, len, "%s", "");
	else if (c->memmap_on_device)
		snprintf(buf, len, "device");
	else if (c->memmap_node >= 0)
		snprintf(buf, len, "node %d", c->memmap_node);
	else
		snprintf(buf, len, "unknown");
}

void hp_capacity_counter_inexact(struct hp_capacity *c)
{
	c->memmap_pages = -1;
	c->reserve_pages = -1;
	c->memmap_on_device = false;
	c->memmap_node = -1;
	c->placement_unknown = true;
}

void hp_capacity_apply_report(struct hp_capacity *c,
			      const struct agent_memmap *sum)
{
	uint64_t best = 0;

	c->reported = true;
	c->report = *sum;
	c->placement_unknown = false;
	/* the counter could not say: the report's pages are the memmap */
	if (c->memmap_pages < 0) {
		c->memmap_pages =
			(int64_t)(sum->pages_on_block + sum->pages_elsewhere);
		c->reserve_pages =
			c->withheld_pages - (int64_t)sum->pages_on_block;
	}
	c->memmap_on_device = sum->pages_on_block > 0 && !sum->pages_elsewhere;
	c->memmap_node = -1;
	if (c->memmap_on_device)
		return;
	for (int n = 0; n < AGENT_MAX_NODES; n++)
		if (sum->node_pages[n] > best) {
			best = sum->node_pages[n];
			c->memmap_node = n;
		}
}

void hp_memmap_report_text(const struct agent_memmap *m, char *buf,
			   unsigned long len)
{
	unsigned long off = 0;

	buf[0] = '\0';
	if (m->pages_on_block > 0 && !m->pages_elsewhere) {
		snprintf(buf, len, "device");
		return;
	}
	for (int n = 0; n < AGENT_MAX_NODES && off < len; n++)
		if (m->node_pages[n])
			off += (unsigned long)snprintf(
				buf + off, len - off, "%snode %d:%llu",
				off ? "+" : "", n,
				(unsigned long long)m->node_pages[n]);
}

void hp_capacity_report_text(const struct hp_capacity *c, char *buf,
			     unsigned long len)
{
	buf[0] = '\0';
	if (c->reported)
		hp_memmap_report_text(&c->report, buf, len);
}
