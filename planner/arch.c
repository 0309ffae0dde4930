// SPDX-License-Identifier: MIT
/*
 * Per-architecture geometry: one table row per (arch, page size, MMU),
 * with the kernel series that differ spelled out in the row.  Values are
 * the Kconfig defaults Debian's kernels use; sources are cited per field.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/size.h"
#include "model.h"

#define SZ_256M (256ULL << 20)
#define SZ_2G (2ULL << 30)
#define SZ_64G (64ULL << 30)

enum block_rule {
	BLOCK_SECTION, /* drivers/base/memory.c: memory_block_size_bytes() weak
			  default */
	BLOCK_X86_PROBE, /* arch/x86/mm/init_64.c:probe_memory_block_size() */
	BLOCK_PPC_LMB, /* arch/powerpc/platforms/pseries/hotplug-memory.c:pseries_memory_block_size()
			*/
	BLOCK_S390_SCLP, /* drivers/s390/char/sclp_early.c / sclp_cmd.c: rzm */
};

struct arch_row {
	enum hp_arch arch;
	unsigned int page_shift;
	enum hp_mmu mmu;
	/* SECTION_SIZE_BITS: arch/<arch>/include/asm/sparsemem.h */
	unsigned int section_shift;
	/* PMD_SHIFT / PUD_SHIFT of the page-table layout */
	unsigned int pmd_shift;
	unsigned int pud_shift;
	/*
	 * pageblock_order (include/linux/pageblock-flags.h, and
	 * mm/mm_init.c:set_pageblock_order() where
	 * CONFIG_HUGETLB_PAGE_SIZE_VARIABLE, i.e. ppc64):
	 * min(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER).
	 */
	unsigned int pageblock_order;
	/* MAX_PAGE_ORDER (6.12) == MAX_ORDER - 1 (6.1): ARCH_FORCE_MAX_ORDER */
	unsigned int max_order[HP_KERNEL_NR];
	enum block_rule block_rule;
	/* ARCH_ENABLE_MEMORY_HOTPLUG in arch/<arch>/Kconfig */
	bool hotplug[HP_KERNEL_NR];
	/*
	 * CONFIG_MHP_MEMMAP_ON_MEMORY (mm/Kconfig) depends on the arch
	 * selecting ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE (arch/<arch>/Kconfig).
	 */
	bool memmap_on_memory[HP_KERNEL_NR];
	/* how vmemmap_populate() maps a memmap allocated from RAM */
	enum hp_map_granule vmemmap_granule;
	/* how arch_add_memory() maps hot-added RAM into the linear map */
	enum hp_map_granule linear_granule;
};

/*
 * Sources, per arch:
 * x86_64: arch/x86/include/asm/sparsemem.h SECTION_SIZE_BITS 27;
 *   pageblock_order = HUGETLB_PAGE_ORDER 9; MAX_PAGE_ORDER 10;
 *   arch/x86/mm/init_64.c:vmemmap_populate() uses
 *   vmemmap_populate_hugepages() with X86_FEATURE_PSE;
 *   arch_add_memory() -> init_memory_mapping() uses 1G pages with
 *   X86_FEATURE_GBPAGES (arch/x86/mm/init.c:split_mem_range()).
 * arm64: arch/arm64/include/asm/sparsemem.h SECTION_SIZE_BITS 29 for
 *   64K pages, else 27; ARCH_FORCE_MAX_ORDER (6.12: 10/11/13, 6.1
 *   MAX_ORDER 11/12/14 exclusive); arch/arm64/mm/mmu.c:vmemmap_populate()
 *   uses PMD blocks only with ARM64_4K_PAGES; arch_add_memory() maps
 *   with NO_BLOCK_MAPPINGS when can_set_direct_map() (rodata=full, the
 *   default), so hot-added RAM is mapped with base pages.
 * ppc64le: arch/powerpc/include/asm/sparsemem.h SECTION_SIZE_BITS 24;
 *   ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE "if PPC_RADIX_MMU" (6.12) is a
 *   build option Debian turns on, so hash rows have the config too and
 *   the runtime check arch_supports_memmap_on_memory() refuses;
 *   HPAGE_SHIFT = PMD_SHIFT (radix) or 24 (hash 16M pages),
 *   arch/powerpc/mm/hugetlbpage.c:hugetlbpage_init_defaultsize();
 *   ARCH_FORCE_MAX_ORDER 8 (64K) / 12 (4K) in 6.12, 9 / 13 exclusive in
 *   6.1; vmemmap: radix__vmemmap_populate() PMD (2M) leaves, hash maps
 *   vmemmap with mmu_vmemmap_psize (16M when available).
 * riscv64: arch/riscv/include/asm/sparsemem.h SECTION_SIZE_BITS 27;
 *   memory hotplug only since 6.11 (arch/riscv/Kconfig).
 * s390x: arch/s390/include/asm/sparsemem.h SECTION_SIZE_BITS 28;
 *   segment (PMD) 1M, region-third (PUD) 2G; HPAGE_SHIFT 20 ->
 *   pageblock_order 8; ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE since 6.10.
 */
/* clang-format off */
#define ROW(a, pg, m, sec, pmd, pud, pb, mo, br, hp, mom, vg, lg)            \
	{ .arch = a, .page_shift = pg, .mmu = m, .section_shift = sec,       \
	  .pmd_shift = pmd, .pud_shift = pud, .pageblock_order = pb,         \
	  .max_order = { mo, mo }, .block_rule = br, .hotplug = hp,           \
	  .memmap_on_memory = mom, .vmemmap_granule = vg,                    \
	  .linear_granule = lg }
#define K61_K612(a, b) { a, b }
static const struct arch_row arch_rows[] = {
	/*  arch             page mmu           sec pmd pud pb max block rule       hotplug 6.1/6.12          memmap_on_memory 6.1/6.12  vmemmap     linear map */
	ROW(HP_ARCH_X86_64,  12, HP_MMU_NONE,  27, 21, 30,  9, 10, BLOCK_X86_PROBE, K61_K612(true, true),  K61_K612(true, true),  HP_MAP_PMD,  HP_MAP_PUD),
	ROW(HP_ARCH_ARM64,   12, HP_MMU_NONE,  27, 21, 30,  9, 10, BLOCK_SECTION,   K61_K612(true, true),  K61_K612(true, true),  HP_MAP_PMD,  HP_MAP_BASE),
	ROW(HP_ARCH_ARM64,   14, HP_MMU_NONE,  27, 25, 36, 11, 11, BLOCK_SECTION,   K61_K612(true, true),  K61_K612(true, true),  HP_MAP_BASE, HP_MAP_BASE),
	ROW(HP_ARCH_ARM64,   16, HP_MMU_NONE,  29, 29, 42, 13, 13, BLOCK_SECTION,   K61_K612(true, true),  K61_K612(true, true),  HP_MAP_BASE, HP_MAP_BASE),
	ROW(HP_ARCH_PPC64LE, 16, HP_MMU_RADIX, 24, 21, 30,  5,  8, BLOCK_PPC_LMB,   K61_K612(true, true),  K61_K612(false, true), HP_MAP_PMD,  HP_MAP_PMD),
	ROW(HP_ARCH_PPC64LE, 16, HP_MMU_HASH,  24, 24, 34,  8,  8, BLOCK_PPC_LMB,   K61_K612(true, true),  K61_K612(false, true), HP_MAP_PMD,  HP_MAP_PMD),
	ROW(HP_ARCH_PPC64LE, 12, HP_MMU_RADIX, 24, 21, 30,  9, 12, BLOCK_PPC_LMB,   K61_K612(true, true),  K61_K612(false, true), HP_MAP_PMD,  HP_MAP_PMD),
	ROW(HP_ARCH_PPC64LE, 12, HP_MMU_HASH,  24, 21, 30, 12, 12, BLOCK_PPC_LMB,   K61_K612(true, true),  K61_K612(false, true), HP_MAP_PMD,  HP_MAP_PMD),
	ROW(HP_ARCH_RISCV64, 12, HP_MMU_NONE,  27, 21, 30,  9, 10, BLOCK_SECTION,   K61_K612(false, true), K61_K612(false, true), HP_MAP_PMD,  HP_MAP_PMD),
	ROW(HP_ARCH_S390X,   12, HP_MMU_NONE,  28, 20, 31,  8, 10, BLOCK_S390_SCLP, K61_K612(true, true),  K61_K612(false, true), HP_MAP_PMD,  HP_MAP_PMD),
};
#undef ROW
#undef K61_K612
/* clang-format on */

static const struct arch_row *arch_row_find(const struct hp_platform *p)
{
	for (size_t i = 0; i < sizeof(arch_rows) / sizeof(arch_rows[0]); i++) {
		const struct arch_row *r = &arch_rows[i];

		if (r->arch == p->arch && r->page_shift == p->page_shift &&
		    r->mmu == p->mmu)
			return r;
	}
	return NULL;
}

static const char *page_sizes_for(enum hp_arch arch)
{
	switch (arch) {
	case HP_ARCH_ARM64:
		return "4K, 16K or 64K";
	case HP_ARCH_PPC64LE:
		return "4K or 64K";
	default:
		return "4K";
	}
}

/*
 * arch/x86/mm/init_64.c:probe_memory_block_size() (identical in 6.1 and
 * 6.12): below 64G of boot memory, or with nothing known, the section
 * size; on bare metal 2G; under a hypervisor the largest power of two
 * from 2G down that divides the end of boot memory, so DIMMs the VMM
 * places right after boot RAM stay block-aligned.
 */
static uint64_t x86_block_size(const struct hp_platform *p, uint64_t min_block,
			       char *why, size_t len)
{
	const uint64_t end = p->boot_memory_end;
	char e[32];
	uint64_t bz;

	format_size(end, e, sizeof(e));
	if (!end) {
		snprintf(why, len,
			 "boot_memory_end not given: assumed below 64G, so the "
			 "section size "
			 "(arch/x86/mm/init_64.c:probe_memory_block_size)");
		return min_block;
	}
	if (end < SZ_64G) {
		snprintf(why, len,
			 "boot memory ends at %s, below 64G: section size "
			 "(arch/x86/mm/init_64.c:probe_memory_block_size)",
			 e);
		return min_block;
	}
	if (p->hypervisor == HP_NO) {
		snprintf(why, len,
			 "bare metal with boot memory ending at %s (>= 64G): "
			 "2G blocks "
			 "(arch/x86/mm/init_64.c:probe_memory_block_size)",
			 e);
		return SZ_2G;
	}
	for (bz = SZ_2G; bz > min_block; bz >>= 1)
		if (!(end & (bz - 1)))
			break;
	snprintf(why, len,
		 "%sboot memory ends at %s (>= 64G): largest block from 2G "
		 "down that divides it "
		 "(arch/x86/mm/init_64.c:probe_memory_block_size)",
		 p->hypervisor == HP_UNSET
			 ? "hypervisor not given, assumed present "
			   "(X86_FEATURE_HYPERVISOR); "
			 : "under a hypervisor, ",
		 e);
	return bz;
}

int hp_geometry_derive(const struct hp_platform *p, struct hp_geometry *g,
		       char *why, size_t why_len)
{
	const struct arch_row *r;
	const uint64_t page = 1ULL << p->page_shift;
	uint64_t min_block;
	char bs[32], ms[32];

	memset(g, 0, sizeof(*g));
	if (p->arch == HP_ARCH_PPC64LE && p->mmu == HP_MMU_NONE) {
		snprintf(why, why_len,
			 "ppc64le needs mmu = radix or mmu = hash");
		return -EINVAL;
	}
	if (p->arch != HP_ARCH_PPC64LE && p->mmu != HP_MMU_NONE) {
		snprintf(why, why_len, "mmu applies to ppc64le only, not %s",
			 hp_arch_name(p->arch));
		return -EINVAL;
	}
	r = arch_row_find(p);
	if (!r) {
		format_size(page, bs, sizeof(bs));
		snprintf(why, why_len,
			 "%s has no %s page size in Linux; it supports %s",
			 hp_arch_name(p->arch), bs, page_sizes_for(p->arch));
		return -EINVAL;
	}
	g->page_size = (unsigned int)page;
	g->section_shift = r->section_shift;
	g->pmd_shift = r->pmd_shift;
	g->pud_shift = r->pud_shift;
	g->pageblock_order = r->pageblock_order;
	g->max_order = r->max_order[p->kernel];
	g->hotplug_supported = r->hotplug[p->kernel];
	g->memmap_on_memory_config = r->memmap_on_memory[p->kernel];
	g->vmemmap_ram_granule = r->vmemmap_granule;
	g->linear_map_granule = r->linear_granule;
	if (!g->hotplug_supported)
		g->unsupported_reason =
			"this kernel does not select "
			"ARCH_ENABLE_MEMORY_HOTPLUG for the architecture";

	/* drivers/base/memory.c: MIN_MEMORY_BLOCK_SIZE = 1 << SECTION_SIZE_BITS
	 */
	min_block = 1ULL << r->section_shift;
	if (p->block_size) {
		format_size(p->block_size, bs, sizeof(bs));
		format_size(min_block, ms, sizeof(ms));
		/*
		 * drivers/base/memory.c:memory_dev_init() panics unless the
		 * block size is a power-of-two multiple of the section size.
		 */
		if (!is_pow2_u64(p->block_size) || p->block_size < min_block) {
			snprintf(why, why_len,
				 "memory_block_size %s is not a power of two "
				 ">= the "
				 "section size %s "
				 "(drivers/base/memory.c:memory_dev_init)",
				 bs, ms);
			return -EINVAL;
		}
		g->block_size = p->block_size;
		snprintf(g->block_size_why, sizeof(g->block_size_why),
			 "given in the configuration");
		return 0;
	}
	switch (r->block_rule) {
	case BLOCK_X86_PROBE:
		g->block_size = x86_block_size(p, min_block, g->block_size_why,
					       sizeof(g->block_size_why));
		break;
	case BLOCK_PPC_LMB:
		/*
		 * pseries_memory_block_size() reads ibm,lmb-size from the
		 * device tree; QEMU's pseries machine uses 256M LMBs
		 * (hw/ppc/spapr.c SPAPR_MEMORY_BLOCK_SIZE).
		 */
		g->block_size = SZ_256M;
		snprintf(g->block_size_why, sizeof(g->block_size_why),
			 "the LMB size from ibm,lmb-size, assumed 256M as on "
			 "QEMU "
			 "pseries "
			 "(arch/powerpc/platforms/pseries/hotplug-memory.c:"
			 "pseries_memory_block_size); set memory_block_size if "
			 "yours differs");
		break;
	case BLOCK_S390_SCLP:
		/*
		 * 6.12 drivers/s390/char/sclp_cmd.c: the memory block size is
		 * the storage increment (rzm), at least the section size.
		 */
		g->block_size = min_block;
		snprintf(g->block_size_why, sizeof(g->block_size_why),
			 "max(storage increment, section size), increment not "
			 "given so the section size "
			 "(drivers/s390/char/sclp_cmd.c); "
			 "set memory_block_size if yours differs");
		break;
	case BLOCK_SECTION:
	default:
		g->block_size = min_block;
		snprintf(g->block_size_why, sizeof(g->block_size_why),
			 "the section size, the generic default "
			 "(drivers/base/memory.c:memory_block_size_bytes)");
		break;
	}
	return 0;
}
