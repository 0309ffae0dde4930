// SPDX-License-Identifier: MIT
#include "sysfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../common/size.h"

static int read_line(const char *root, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		buf[0] = '\0';
		return -EIO;
	}
	fclose(f);
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

static int read_u64(const char *root, const char *rel, int base, uint64_t *v)
{
	char buf[64], *end;
	int r = read_line(root, rel, buf, sizeof(buf));

	if (r)
		return r;
	errno = 0;
	*v = strtoull(buf, &end, base);
	return (errno || end == buf) ? -EINVAL : 0;
}

/* max_pfn's view: the highest end of a "System RAM" firmware map entry */
static uint64_t boot_memory_end(const char *root)
{
	char path[PATH_MAX], rel[PATH_MAX], type[64];
	struct dirent *de;
	uint64_t best = 0, end;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/firmware/memmap", root);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%s/type",
			 de->d_name);
		if (read_line(root, rel, type, sizeof(type)) ||
		    strcmp(type, "System RAM"))
			continue;
		snprintf(rel, sizeof(rel), "sys/firmware/memmap/%s/end",
			 de->d_name);
		if (!read_u64(root, rel, 16, &end) && end + 1 > best)
			best = end + 1;
	}
	closedir(d);
	return best;
}

static bool cpuinfo_has(const char *root, const char *word)
{
	char path[PATH_MAX], line[4096];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/cpuinfo", root);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, word) != NULL;
	fclose(f);
	return found;
}

static int add_device(struct hp_config *cfg, const char *name,
		      enum hp_path path, uint64_t start, uint64_t size,
		      int node)
{
	struct hp_device *d;

	if (cfg->nr_devices >= HP_MAX_DEVICES)
		return -ENOSPC;
	d = &cfg->devices[cfg->nr_devices++];
	hp_device_init(d);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->path = path;
	d->start = start;
	d->has_start = true;
	d->size = size;
	d->node = node < 0 ? 0 : node;
	return 0;
}

/* /sys/bus/dax/devices/daxX.Y: one dax-kmem device each */
static void scan_dax(const char *root, struct hp_config *cfg)
{
	char path[PATH_MAX], rel[PATH_MAX], buf[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/bus/dax/devices", root);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		uint64_t size = 0, start = 0, node = 0, mom;
		struct hp_device *dev;
		ssize_t n;

		if (strncmp(de->d_name, "dax", 3))
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/dax/devices/%s/size",
			 de->d_name);
		if (read_u64(root, rel, 0, &size) || !size)
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/dax/devices/%s/resource",
			 de->d_name);
		read_u64(root, rel, 16, &start);
		snprintf(rel, sizeof(rel), "sys/bus/dax/devices/%s/target_node",
			 de->d_name);
		if (read_u64(root, rel, 10, &node))
			node = 0;
		if (add_device(cfg, de->d_name, HP_PATH_DAX_KMEM, start, size,
			       (int)node))
			break;
		dev = &cfg->devices[cfg->nr_devices - 1];
		dev->has_start = start != 0;
		snprintf(rel, sizeof(rel),
			 "sys/bus/dax/devices/%s/memmap_on_memory", de->d_name);
		if (!read_u64(root, rel, 10, &mom))
			dev->memmap_request = mom ? HP_YES : HP_NO;
		/* the dax region's parent says which driver made it */
		snprintf(path, sizeof(path), "%s/sys/bus/dax/devices/%s", root,
			 de->d_name);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (strstr(buf, "cxl") || strstr(buf, "region"))
				dev->dax_source = HP_DAX_CXL;
			else if (strstr(buf, "hmem"))
				dev->dax_source = HP_DAX_HMEM;
		}
	}
	closedir(d);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Runs of offline memoryN blocks: memory already added, not yet online */
static void scan_offline_blocks(const char *root, struct hp_config *cfg,
				uint64_t block)
{
	char path[PATH_MAX], rel[PATH_MAX], state[32];
	uint64_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/devices/system/memory", root);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char *end;
		uint64_t id;

		if (strncmp(de->d_name, "memory", 6) ||
		    !isdigit((unsigned char)de->d_name[6]))
			continue;
		id = strtoull(de->d_name + 6, &end, 10);
		snprintf(rel, sizeof(rel), "sys/devices/system/memory/%s/state",
			 de->d_name);
		if (read_line(root, rel, state, sizeof(state)) ||
		    strcmp(state, "offline"))
			continue;
		if (n == cap) {
			uint64_t *nids;

			cap = cap ? cap * 2 : 64;
			nids = realloc(ids, cap * sizeof(*ids));
			if (!nids)
				break;
			ids = nids;
		}
		ids[n++] = id;
	}
	closedir(d);
	qsort(ids, n, sizeof(*ids), cmp_u64);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		char name[64];

		while (j < n && ids[j] == ids[j - 1] + 1)
			j++;
		snprintf(name, sizeof(name),
			 "offline-memory%" PRIu64 "-%" PRIu64, ids[i],
			 ids[j - 1]);
		/* they were added block by block as far as sysfs can tell */
		if (add_device(cfg, name, HP_PATH_PROBE, ids[i] * block,
			       (j - i) * block, 0))
			break;
		i = j;
	}
	free(ids);
}

int hp_sysfs_build_config(const char *root, const char *kernel_override,
			  struct hp_config *cfg, char *err, size_t err_len)
{
	struct hp_platform *p = &cfg->platform;
	char buf[256];
	struct utsname u;
	uint64_t v;
	int k, a;

	memset(cfg, 0, sizeof(*cfg));
	hp_platform_init(p);
	/* architecture and kernel */
	if (!strcmp(root, "/") && !uname(&u)) {
		snprintf(buf, sizeof(buf), "%s", u.machine);
	} else if (read_line(root, "proc/sys/kernel/arch", buf, sizeof(buf))) {
		snprintf(err, err_len, "%s/proc/sys/kernel/arch: unreadable",
			 root);
		return -1;
	}
	a = hp_arch_from_name(buf);
	if (a < 0) {
		snprintf(err, err_len,
			 "architecture %s is not modelled (x86_64, arm64, "
			 "ppc64le, riscv64, s390x)",
			 buf);
		return -1;
	}
	p->arch = (enum hp_arch)a;
	if (kernel_override) {
		snprintf(buf, sizeof(buf), "%s", kernel_override);
	} else if (read_line(root, "proc/sys/kernel/osrelease", buf,
			     sizeof(buf))) {
		snprintf(err, err_len,
			 "%s/proc/sys/kernel/osrelease: unreadable", root);
		return -1;
	}
	k = hp_kernel_from_name(buf);
	if (k < 0) {
		snprintf(err, err_len,
			 "kernel %s: no rule set for that version; supported: "
			 "%s (use --kernel to pick one)",
			 buf, hp_kernel_supported_list());
		return -1;
	}
	p->kernel = (enum hp_kernel)k;
	p->page_shift = ilog2_u64((uint64_t)sysconf(_SC_PAGESIZE));
	if (p->arch == HP_ARCH_PPC64LE)
		p->mmu =
			cpuinfo_has(root, "Radix") ? HP_MMU_RADIX : HP_MMU_HASH;

	/* hotplug state */
	if (read_u64(root, "sys/devices/system/memory/block_size_bytes", 16,
		     &v) ||
	    !v) {
		snprintf(err, err_len,
			 "%s/sys/devices/system/memory/block_size_bytes: "
			 "unreadable; is CONFIG_MEMORY_HOTPLUG on?",
			 root);
		return -1;
	}
	p->block_size = v;
	if (!read_line(root,
		       "sys/module/memory_hotplug/parameters/memmap_on_memory",
		       buf, sizeof(buf))) {
		int m = hp_mode_from_name(buf);

		if (m >= 0)
			p->mode = (enum hp_mode)m;
	}
	if (!read_line(root, "sys/devices/system/memory/auto_online_blocks",
		       buf, sizeof(buf)))
		p->auto_online = strncmp(buf, "online", 6) ? HP_NO : HP_YES;
	if (!read_line(root, "sys/devices/system/node/has_memory", buf,
		       sizeof(buf))) {
		p->boot_nodes_set = !hp_nodes_from_list(buf, &p->boot_nodes);
	}
	p->boot_memory_end = boot_memory_end(root);
	if (p->arch == HP_ARCH_X86_64)
		p->hypervisor =
			cpuinfo_has(root, "hypervisor") ? HP_YES : HP_NO;

	scan_dax(root, cfg);
	scan_offline_blocks(root, cfg, p->block_size);
	return 0;
}
