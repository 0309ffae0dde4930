/* SPDX-License-Identifier: MIT */
/*
 * measure.h - what one hot-add cost, from two agent snapshots.
 *
 * Pure: the deltas are arithmetic on the snapshots taken before the add
 * and after the added blocks are online.  The definitions are in
 * results/README.md (capacity.csv).
 */
#ifndef HP_BENCH_MEASURE_H
#define HP_BENCH_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "agent_proto.h"

struct hp_capacity {
	uint64_t blocks;
	int64_t present_delta_pages; /* zone present, all nodes */
	int64_t managed_delta_pages; /* zone managed, all nodes */
	int64_t memtotal_delta_bytes;
	int64_t memmap_delta_pages; /* nr_memmap_pages; -1: no counter */
	bool memmap_on_device;
	int64_t memmap_pages;  /* -1 when not measurable */
	int64_t reserve_pages; /* -1 when not measurable */
	/* present - managed: the added range's pages kept from the buddy */
	int64_t withheld_pages;
	bool placement_unknown; /* neither inferable nor reported */
	int64_t usable_bytes;
	int64_t trimmed_bytes;
	int memmap_node; /* -1: on the device */
	int blocks_node; /* the node the new blocks joined; -1 mixed/none */
	int64_t node_used_delta_kb[AGENT_MAX_NODES];
	bool reported; /* placement from the kernel's memoryX/memmap */
	struct agent_memmap report; /* summed over the added blocks */
};

/*
 * Replace the inferred placement with what the patched kernel reports:
 * on the device when every memmap page of the added blocks is on them,
 * else the node holding most of it.
 */
void hp_capacity_apply_report(struct hp_capacity *c,
			      const struct agent_memmap *sum);

/*
 * The kernel's counters cannot tell this arch's memmap apart: the
 * nr_memmap_pages delta is rounded up per section (a section's memmap is
 * not a whole number of pages: ppc64le with 64K pages counts 1 per 16M
 * section for 1/4 page), or a block may reuse boot RAM's vmemmap leaf so
 * withheld pages do not mean "on the device".  Only withheld_pages and
 * usable_bytes stay measured; the memmap/reserve split and placement come
 * from the patched kernel's report or are left empty.
 */
void hp_capacity_counter_inexact(struct hp_capacity *c);

/* one block's report in those words */
void hp_memmap_report_text(const struct agent_memmap *m, char *buf,
			   unsigned long len);
/* "device", "node N" or "node A:pages+node B:pages" from the report */
void hp_capacity_report_text(const struct hp_capacity *c, char *buf,
			     unsigned long len);

/* blocks in `after` that are not in `before`, in id order; returns count */
unsigned int hp_new_blocks(const struct agent_snapshot *before,
			   const struct agent_snapshot *after, long *ids,
			   unsigned int max);

void hp_capacity_measure(const struct agent_snapshot *before,
			 const struct agent_snapshot *after,
			 unsigned int page_size, uint64_t block_size,
			 uint64_t device_bytes, struct hp_capacity *c);

/* "device" or "node N" */
void hp_capacity_location(const struct hp_capacity *c, char *buf,
			  unsigned long len);

#endif
