/* SPDX-License-Identifier: MIT */
/*
 * agent_proto.h - what the agent measures and how it travels.
 *
 * Shared by the in-guest agent and the host: the parsers of the guest's
 * /proc and /sys text and the JSON form of a snapshot and of a uevent.
 * Pure functions over buffers, so the unit tests feed them recorded text.
 */
#ifndef HP_BENCH_AGENT_PROTO_H
#define HP_BENCH_AGENT_PROTO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define AGENT_PROTOCOL 1
#define AGENT_MAX_NODES 16
#define AGENT_MAX_ZONES 64
#define AGENT_MAX_BLOCKS 4096

struct agent_event {
	char action[16]; /* add, remove, online, offline */
	long block;	 /* memoryN; -1 when not a memory block */
	int64_t t_ns;	 /* guest CLOCK_MONOTONIC on arrival */
};

struct agent_zone {
	int node;
	char name[16];
	uint64_t present, managed, spanned; /* pages */
};

struct agent_node {
	int node;
	uint64_t mem_total_kb, mem_free_kb, mem_used_kb;
};

struct agent_block {
	long id;
	int node;
	char state[16];
};

struct agent_snapshot {
	int64_t t_ns;
	uint64_t mem_total_kb, mem_free_kb;
	int64_t nr_memmap_pages;      /* -1: the kernel has no such counter */
	int64_t nr_memmap_boot_pages; /* -1 likewise */
	unsigned int nr_zones, nr_nodes, nr_blocks;
	struct agent_zone zones[AGENT_MAX_ZONES];
	struct agent_node nodes[AGENT_MAX_NODES];
	struct agent_block blocks[AGENT_MAX_BLOCKS];
};

/* one completed call from the function_graph tracer */
struct agent_call {
	char func[64];
	int64_t ns;
};

/*
 * " 1) + 17.690 us   |  online_pages();" -> online_pages, 17690 ns.
 * -1 for headers, entry/exit lines of deeper graphs and anything else.
 */
int agent_parse_graph_line(const char *line, struct agent_call *c);

/* mm_memory_hotplug_begin/end of the patched kernel (kernel-patches/0003) */
struct agent_phase_event {
	bool begin;
	char phase[32];
	uint64_t pfn;
	int64_t t_ns; /* trace clock */
};

/*
 * "  1.775161 |   0)    |  /\* mm_memory_hotplug_begin: phase=X pfn=0x.. *\/"
 * (function_graph with funcgraph-abstime) -> event; -1 for other lines.
 */
int agent_parse_phase_event(const char *line, struct agent_phase_event *e);

/* memoryX/memmap of the patched kernel (kernel-patches/0002) */
struct agent_memmap {
	bool altmap;
	/* the altmap, when there is one (pages) */
	uint64_t altmap_base_pfn, altmap_reserve, altmap_free, altmap_alloc;
	unsigned int nr_ranges; /* physically contiguous vmemmap ranges */
	uint64_t pages_on_block, pages_elsewhere, mapped_pmd, mapped_pte;
	uint64_t node_pages[AGENT_MAX_NODES]; /* memmap pages per node */
};

/* 0, or -1 when the text is not such a report */
int agent_parse_memmap_report(const char *text, unsigned int page_size,
			      struct agent_memmap *m);

/* "ACTION@DEVPATH\0KEY=VAL\0..." -> event; -1 unless a memory block. */
int agent_parse_uevent(const char *buf, size_t len, struct agent_event *e);

void agent_parse_meminfo(const char *text, struct agent_snapshot *s);
void agent_parse_vmstat(const char *text, struct agent_snapshot *s);
void agent_parse_zoneinfo(const char *text, struct agent_snapshot *s);
void agent_parse_node_meminfo(const char *text, int nid,
			      struct agent_snapshot *s);

json_t *agent_snapshot_to_json(const struct agent_snapshot *s);
/* 0, or -1 when a required member is missing or has the wrong type */
int agent_snapshot_from_json(json_t *j, struct agent_snapshot *s);

json_t *agent_event_to_json(const struct agent_event *e);
int agent_event_from_json(json_t *j, struct agent_event *e);

/* one compact JSON line, flushed */
int agent_send(FILE *out, json_t *msg);

/* sums over zones/nodes, for deltas */
uint64_t agent_present_pages(const struct agent_snapshot *s, int node);
uint64_t agent_managed_pages(const struct agent_snapshot *s, int node);
const struct agent_node *agent_node_get(const struct agent_snapshot *s,
					int node);

#endif
