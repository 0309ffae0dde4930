/* SPDX-License-Identifier: MIT */
/*
 * Individual kernel rules, exposed so tests can check each one against
 * the worked cases from the mailing-list threads and the kernel source.
 */
#ifndef HP_PLANNER_RULES_H
#define HP_PLANNER_RULES_H

#include "model.h"

/* Why mhp_supports_memmap_on_memory() said no (or HP_MOM_OK). */
enum hp_mom_verdict {
	HP_MOM_OK,
	HP_MOM_NOT_BUILT,	 /* CONFIG_MHP_MEMMAP_ON_MEMORY unavailable */
	HP_MOM_MODE_OFF,	 /* memory_hotplug.memmap_on_memory=off */
	HP_MOM_FORCE_61,	 /* 6.1: "force" is not a valid bool */
	HP_MOM_NOT_PAGE_ALIGNED, /* memmap not a whole number of pages */
	HP_MOM_NOT_PAGEBLOCK,	 /* memmap pages not whole pageblocks */
	HP_MOM_FILLS_BLOCK,	 /* no memory left after the memmap */
	HP_MOM_ARCH_PMD,  /* arch_supports_memmap_on_memory: PMD alignment */
	HP_MOM_ARCH_HASH, /* ppc64: hash MMU */
	HP_MOM_SIZE_NOT_BLOCK, /* 6.1: request must be exactly one block */
};

struct hp_mom_result {
	enum hp_mom_verdict verdict;
	uint64_t memmap_bytes_per_block; /* memory_block_memmap_size() */
	uint64_t memmap_pages_per_block; /* PFN_UP(memmap bytes) */
	uint64_t altmap_pages_per_block; /* set aside: memmap + force padding */
};

/* mm/memory_hotplug.c:memory_block_memmap_size() */
uint64_t hp_block_memmap_bytes(const struct hp_platform *p,
			       const struct hp_geometry *g);

/*
 * mm/memory_hotplug.c:mhp_supports_memmap_on_memory() for the platform's
 * kernel and mode.  @request_bytes is the size of one add_memory()
 * request (6.1 compares it with the block size; 6.12 splits requests).
 * @mode overrides the platform's mode, for "what if" reasons.
 */
void hp_mom_decide(const struct hp_platform *p, const struct hp_geometry *g,
		   enum hp_mode mode, uint64_t request_bytes,
		   struct hp_mom_result *res);

/*
 * What 6.12 logs while parsing memory_hotplug.memmap_on_memory=force
 * (mm/memory_hotplug.c:set_memmap_mode): "Memory hotplug will waste N
 * pages in each memory block", N the force padding.  Into buf; false when
 * the kernel logs nothing (6.1, another mode, no CONFIG_MHP_MEMMAP_...).
 */
bool hp_force_boot_message(const struct hp_platform *p,
			   const struct hp_geometry *g, char *buf, size_t len);

/* pfn layout of a pmem namespace in devdax/fsdax mode (nd_pfn info block) */
struct hp_pmem_layout {
	uint64_t align;
	uint64_t start_pad;
	uint64_t end_trunc;
	uint64_t info_bytes; /* info block area: SZ_8K from the start */
	uint64_t dataoff; /* offset of first data byte from namespace start */
	uint64_t memmap_reserved_bytes; /* on device, map=dev */
	uint64_t npfns;
	uint64_t data_bytes; /* usable by the application */
};

/*
 * drivers/nvdimm/pfn_devs.c:nd_pfn_init(): where the data starts and how
 * much memmap space is reserved.  Returns 0 or -EINVAL (too small).
 */
int hp_pmem_layout(const struct hp_platform *p, const struct hp_geometry *g,
		   uint64_t start, uint64_t size, uint64_t align, bool map_dev,
		   struct hp_pmem_layout *out);

/* kmalloc size class of a small allocation (mm/slab_common.c kmalloc_info) */
uint64_t hp_kmalloc_size(uint64_t bytes);

#endif
