// SPDX-License-Identifier: MIT
/*
 * Kernel rules for memory hot-add, one function per rule, each naming
 * the kernel function it mirrors.  "6.1" and "6.12" are Debian's
 * linux-source-6.1 (6.1.192) and linux-source-6.12 (6.12.95) trees.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../common/size.h"
#include "rules.h"

#define SZ_8K 8192ULL
#define SZ_2M (2ULL << 20)
#define SUBSECTION_SHIFT 21 /* include/linux/mmzone.h, all arches */
/* drivers/nvdimm/nd.h / include/linux/mm_types.h: MAX_STRUCT_PAGE_SIZE */
#define MAX_STRUCT_PAGE_SIZE 64ULL

uint64_t hp_block_memmap_bytes(const struct hp_platform *p,
			       const struct hp_geometry *g)
{
	/* PHYS_PFN(memory_block_size_bytes()) * sizeof(struct page) */
	return (g->block_size >> p->page_shift) * p->struct_page_size;
}

/*
 * 6.12 mm/memory_hotplug.c:mhp_supports_memmap_on_memory(), checks in
 * the kernel's order, after arch_supports_memmap_on_memory() from
 * mm/memory_hotplug.c (generic: PMD-aligned vmemmap) or
 * arch/powerpc/include/asm/pgtable.h (radix only; 4K pages need PMD
 * alignment, 64K pages anything).
 */
static void mom_decide_612(const struct hp_platform *p,
			   const struct hp_geometry *g, enum hp_mode mode,
			   struct hp_mom_result *res)
{
	const uint64_t page = g->page_size;
	const uint64_t pmd = 1ULL << g->pmd_shift;
	const uint64_t pageblock = 1ULL << g->pageblock_order;
	const uint64_t block_pages = g->block_size >> p->page_shift;
	const uint64_t vmemmap_size = res->memmap_bytes_per_block;
	uint64_t memmap_pages = res->memmap_pages_per_block;

	/* memory_block_memmap_on_memory_pages(): force rounds up */
	if (mode == HP_MODE_FORCE)
		memmap_pages = align_up_u64(memmap_pages, pageblock);
	res->altmap_pages_per_block = memmap_pages;

	if (!g->memmap_on_memory_config) {
		res->verdict = HP_MOM_NOT_BUILT;
		return;
	}
	if (mode == HP_MODE_OFF) {
		res->verdict = HP_MOM_MODE_OFF;
		return;
	}
	if (vmemmap_size % page) {
		res->verdict = HP_MOM_NOT_PAGE_ALIGNED;
		return;
	}
	if (memmap_pages % pageblock) {
		res->verdict = HP_MOM_NOT_PAGEBLOCK;
		return;
	}
	if (memmap_pages == block_pages) {
		res->verdict = HP_MOM_FILLS_BLOCK;
		return;
	}
	if (p->arch == HP_ARCH_PPC64LE) {
		if (p->mmu != HP_MMU_RADIX) {
			res->verdict = HP_MOM_ARCH_HASH;
			return;
		}
		if (p->page_shift == 12 && vmemmap_size % pmd) {
			res->verdict = HP_MOM_ARCH_PMD;
			return;
		}
		res->verdict = HP_MOM_OK;
		return;
	}
	res->verdict = vmemmap_size % pmd ? HP_MOM_ARCH_PMD : HP_MOM_OK;
}

/*
 * 6.1 mm/memory_hotplug.c:mhp_supports_memmap_on_memory(size): a bool
 * parameter, one request of exactly one block, PMD-aligned vmemmap, and
 * the rest of the block whole pageblocks.  No arch hook, no force.
 */
static void mom_decide_61(const struct hp_geometry *g, enum hp_mode mode,
			  uint64_t request_bytes, struct hp_mom_result *res)
{
	const uint64_t pmd = 1ULL << g->pmd_shift;
	const uint64_t pageblock_bytes = (uint64_t)g->page_size
					 << g->pageblock_order;
	const uint64_t vmemmap_size = res->memmap_bytes_per_block;

	res->altmap_pages_per_block = res->memmap_pages_per_block;
	if (!g->memmap_on_memory_config)
		res->verdict = HP_MOM_NOT_BUILT;
	else if (mode == HP_MODE_FORCE)
		res->verdict = HP_MOM_FORCE_61;
	else if (mode == HP_MODE_OFF)
		res->verdict = HP_MOM_MODE_OFF;
	else if (request_bytes != g->block_size)
		res->verdict = HP_MOM_SIZE_NOT_BLOCK;
	else if (vmemmap_size % pmd)
		res->verdict = HP_MOM_ARCH_PMD;
	else if ((g->block_size - vmemmap_size) % pageblock_bytes)
		res->verdict = HP_MOM_NOT_PAGEBLOCK;
	else
		res->verdict = HP_MOM_OK;
}

void hp_mom_decide(const struct hp_platform *p, const struct hp_geometry *g,
		   enum hp_mode mode, uint64_t request_bytes,
		   struct hp_mom_result *res)
{
	memset(res, 0, sizeof(*res));
	res->memmap_bytes_per_block = hp_block_memmap_bytes(p, g);
	res->memmap_pages_per_block =
		div_round_up_u64(res->memmap_bytes_per_block, g->page_size);
	if (p->kernel == HP_KERNEL_6_1)
		mom_decide_61(g, mode, request_bytes, res);
	else
		mom_decide_612(p, g, mode, res);
}

bool hp_force_boot_message(const struct hp_platform *p,
			   const struct hp_geometry *g, char *buf, size_t len)
{
	const uint64_t pageblock = 1ULL << g->pageblock_order;
	uint64_t memmap;

	if (p->kernel != HP_KERNEL_6_12 || p->mode != HP_MODE_FORCE ||
	    !g->memmap_on_memory_config)
		return false;
	memmap = div_round_up_u64(hp_block_memmap_bytes(p, g), g->page_size);
	snprintf(buf, len,
		 "Memory hotplug will waste %" PRIu64
		 " pages in each memory block",
		 (memmap + pageblock - 1) / pageblock * pageblock - memmap);
	return true;
}

/*
 * arch memremap_compat_align(): SUBSECTION_SIZE generically
 * (mm/memremap.c); ppc64 hash needs the linear-map page size, 16M
 * (arch/powerpc/mm/ioremap.c:memremap_compat_align()).
 */
static uint64_t pmem_compat_align(const struct hp_platform *p)
{
	if (p->arch == HP_ARCH_PPC64LE && p->mmu == HP_MMU_HASH)
		return 16ULL << 20;
	if (p->arch == HP_ARCH_PPC64LE)
		return 1ULL << p->page_shift > SZ_2M ? 1ULL << p->page_shift
						     : SZ_2M;
	return 1ULL << SUBSECTION_SHIFT;
}

int hp_pmem_layout(const struct hp_platform *p, const struct hp_geometry *g,
		   uint64_t start, uint64_t size, uint64_t align, bool map_dev,
		   struct hp_pmem_layout *out)
{
	const uint64_t compat = pmem_compat_align(p);
	uint64_t npfns, offset;

	memset(out, 0, sizeof(*out));
	/*
	 * drivers/nvdimm/pfn_devs.c:nd_pfn_default_alignment(): PMD_SIZE
	 * when transparent hugepages are possible (all Debian kernels).
	 */
	if (!align)
		align = 1ULL << g->pmd_shift;
	/* nd_pfn_init(): align = max(nd_pfn->align, memremap_compat_align()) */
	if (align < compat)
		align = compat;
	out->align = align;
	if (size <= SZ_8K)
		return -EINVAL;
	/* nd_pfn_init(): a misaligned start fails namespace creation */
	if (start % compat)
		return -EINVAL;
	npfns = (size - SZ_8K) >> p->page_shift;
	out->end_trunc = start + size - align_down_u64(start + size, align);
	out->info_bytes = SZ_8K;
	if (map_dev) {
		/* page_map_size = MAX_STRUCT_PAGE_SIZE * npfns, whatever
		 * sizeof(struct page) */
		uint64_t page_map = MAX_STRUCT_PAGE_SIZE * npfns;

		offset = align_up_u64(start + SZ_8K + page_map, align) - start;
		out->memmap_reserved_bytes = page_map;
	} else {
		offset = align_up_u64(start + SZ_8K, align) - start;
	}
	/* "unable to satisfy requested alignment" */
	if (offset >= size - out->end_trunc)
		return -EINVAL;
	out->dataoff = offset;
	out->npfns = (size - offset - out->end_trunc) >> p->page_shift;
	out->data_bytes = out->npfns << p->page_shift;
	return 0;
}

/*
 * mm/slab_common.c:kmalloc_info[]: power-of-two classes from 8 bytes,
 * plus 96 and 192.
 */
uint64_t hp_kmalloc_size(uint64_t bytes)
{
	uint64_t c = 8;

	if (bytes > 64 && bytes <= 96)
		return 96;
	if (bytes > 128 && bytes <= 192)
		return 192;
	while (c < bytes)
		c <<= 1;
	return c;
}
