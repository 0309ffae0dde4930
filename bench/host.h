/* SPDX-License-Identifier: MIT */
/*
 * host.h - --target host: what this machine offers to measure, and the
 * rule that hpbench only takes back memory it added itself.
 */
#ifndef HP_BENCH_HOST_H
#define HP_BENCH_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HOST_MAX_ITEMS 64

enum host_item_kind {
	HOST_DAX,	    /* a dax device: bind to kmem, measure, give back */
	HOST_OFFLINE_BLOCK, /* an offline block: online, measure, offline */
};

struct host_item {
	enum host_item_kind kind;
	char name[32];	 /* dax0.0, memory40 */
	char driver[32]; /* dax: device_dax, kmem, or "" (unbound) */
	uint64_t size;	 /* bytes */
	uint64_t start;	 /* physical address */
	int node;
	int memmap_attr; /* dax: the kmem memmap_on_memory attribute, -1 n/a */
	bool ours;	 /* hpbench may add and remove it */
	char why[128];	 /* when not ours */
};

struct host_inventory {
	struct host_item items[HOST_MAX_ITEMS];
	unsigned int nr;
	uint64_t block_size;
	bool auto_online;
};

/* scan root/sys ("/" for this machine); 0, or -errno */
int host_discover(const char *root, struct host_inventory *inv);

/* what --target host would do, for the dry run */
void host_print_plan(FILE *out, const struct host_inventory *inv,
		     unsigned int trials);

#endif
