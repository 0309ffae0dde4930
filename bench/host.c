// SPDX-License-Identifier: MIT
/*
 * host.c - inventory of a real machine for --target host.
 *
 * Candidates are dax devices that are not system RAM (bound to device_dax
 * or to nothing: binding them to kmem is an add hpbench makes, so it may
 * undo it) and memory blocks that are offline (hpbench onlines them, so it
 * may offline them again; it never removes them).  Everything else is
 * listed and left alone.
 */
#include "host.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_str(const char *root, const char *rel, char *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static uint64_t read_u64(const char *root, const char *rel, int base)
{
	char buf[64];

	if (read_str(root, rel, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, base);
}

static void scan_dax(const char *root, struct host_inventory *inv)
{
	char dir[512];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/bus/dax/devices", root);
	d = opendir(dir);
	while (d && (de = readdir(d)) && inv->nr < HOST_MAX_ITEMS) {
		struct host_item *it = &inv->items[inv->nr];
		char rel[160], link[512], target[512], buf[16];
		ssize_t n;

		if (strncmp(de->d_name, "dax", 3))
			continue;
		memset(it, 0, sizeof(*it));
		it->kind = HOST_DAX;
		snprintf(it->name, sizeof(it->name), "%s", de->d_name);
		snprintf(rel, sizeof(rel), "sys/bus/dax/devices/%s/size",
			 it->name);
		it->size = read_u64(root, rel, 0);
		snprintf(rel, sizeof(rel), "sys/bus/dax/devices/%s/resource",
			 it->name);
		it->start = read_u64(root, rel, 16);
		snprintf(rel, sizeof(rel), "sys/bus/dax/devices/%s/target_node",
			 it->name);
		it->node = (int)read_u64(root, rel, 10);
		it->memmap_attr = -1;
		snprintf(rel, sizeof(rel),
			 "sys/bus/dax/devices/%s/memmap_on_memory", it->name);
		if (!read_str(root, rel, buf, sizeof(buf)))
			it->memmap_attr =
				buf[0] == '1' || buf[0] == 'Y' || buf[0] == 'y';
		snprintf(link, sizeof(link), "%s/sys/bus/dax/devices/%s/driver",
			 root, it->name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			snprintf(it->driver, sizeof(it->driver), "%s",
				 strrchr(target, '/') ? strrchr(target, '/') + 1
						      : target);
		}
		if (!strcmp(it->driver, "kmem")) {
			snprintf(it->why, sizeof(it->why),
				 "already system RAM (kmem): hpbench only "
				 "removes memory it added");
		} else if (it->size < inv->block_size) {
			snprintf(it->why, sizeof(it->why),
				 "smaller than one memory block: kmem would "
				 "add nothing");
		} else {
			it->ours = true;
		}
		inv->nr++;
	}
	if (d)
		closedir(d);
}

static int cmp_item(const void *a, const void *b)
{
	const struct host_item *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return (x->start > y->start) - (x->start < y->start);
}

static void scan_blocks(const char *root, struct host_inventory *inv)
{
	char dir[512];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/devices/system/memory", root);
	d = opendir(dir);
	while (d && (de = readdir(d)) && inv->nr < HOST_MAX_ITEMS) {
		struct host_item *it = &inv->items[inv->nr];
		char rel[160], state[32];
		unsigned long id;
		char *end;

		if (strncmp(de->d_name, "memory", 6))
			continue;
		id = strtoul(de->d_name + 6, &end, 10);
		if (end == de->d_name + 6 || *end)
			continue;
		snprintf(rel, sizeof(rel), "sys/devices/system/memory/%s/state",
			 de->d_name);
		if (read_str(root, rel, state, sizeof(state)) ||
		    strcmp(state, "offline"))
			continue;
		memset(it, 0, sizeof(*it));
		it->kind = HOST_OFFLINE_BLOCK;
		snprintf(it->name, sizeof(it->name), "%s", de->d_name);
		it->size = inv->block_size;
		it->start = id * inv->block_size;
		it->node = -1;
		it->memmap_attr = -1;
		it->ours = true;
		for (int n = 0; n < 64; n++) {
			char p[600];

			snprintf(p, sizeof(p),
				 "%s/sys/devices/system/memory/%s/node%d", root,
				 de->d_name, n);
			if (access(p, F_OK) == 0) {
				it->node = n;
				break;
			}
		}
		inv->nr++;
	}
	if (d)
		closedir(d);
}

int host_discover(const char *root, struct host_inventory *inv)
{
	char buf[16];

	memset(inv, 0, sizeof(*inv));
	inv->block_size = read_u64(
		root, "sys/devices/system/memory/block_size_bytes", 16);
	if (!inv->block_size)
		return -ENOENT; /* no memory hotplug in this kernel */
	if (!read_str(root, "sys/devices/system/memory/auto_online_blocks", buf,
		      sizeof(buf)))
		inv->auto_online = strncmp(buf, "offline", 7) != 0;
	scan_dax(root, inv);
	scan_blocks(root, inv);
	qsort(inv->items, inv->nr, sizeof(inv->items[0]), cmp_item);
	return 0;
}

void host_print_plan(FILE *out, const struct host_inventory *inv,
		     unsigned int trials)
{
	unsigned int n = 0;

	fprintf(out, "memory block size %llu MiB, new blocks come %s\n",
		(unsigned long long)(inv->block_size >> 20),
		inv->auto_online ? "online (auto_online_blocks)" : "offline");
	for (unsigned int i = 0; i < inv->nr; i++) {
		const struct host_item *it = &inv->items[i];

		if (!it->ours) {
			fprintf(out, "  leave %-10s %6llu MiB node %d: %s\n",
				it->name, (unsigned long long)(it->size >> 20),
				it->node, it->why);
			continue;
		}
		n++;
		if (it->kind == HOST_DAX)
			fprintf(out,
				"  would %u x: unbind %s (%llu MiB at %#llx, "
				"node %d) from %s, bind it to kmem "
				"(memmap_on_memory=%d), online its blocks "
				"movable, offline them, unbind kmem, %s%s\n",
				trials, it->name,
				(unsigned long long)(it->size >> 20),
				(unsigned long long)it->start, it->node,
				it->driver[0] ? it->driver : "no driver",
				it->memmap_attr,
				it->driver[0] ? "give it back to "
					      : "leave it unbound as found",
				it->driver);
		else
			fprintf(out,
				"  would %u x: online %s (node %d) movable, "
				"then offline it again (never remove it)\n",
				trials, it->name, it->node);
	}
	if (!n)
		fprintf(out, "  nothing to measure: no dax device outside "
			     "system RAM and no offline memory block\n");
	else
		fprintf(out, "run again with --yes to do it\n");
}
