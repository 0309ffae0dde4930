// SPDX-License-Identifier: MIT
/*
 * Every worked case from the mailing-list threads in ../shared/seeds/,
 * each with the words it checks.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#define PPC64_64K(mode)                                                        \
	"[platform]\narch = ppc64le\npage_size = 64K\nkernel = 6.12\n"         \
	"mmu = radix\nmemory_block_size = 256M\nmemmap_on_memory = " mode      \
	"\n[device lmb]\npath = pseries-dlpar\nstart = 0x100000000\n"          \
	"size = 256M\n"

/*
 * 000: "with 64K page size and 256MiB memory block size, we require 4
 * pages to map vmemmap pages, To align things correctly we end up adding
 * a reserve of 28 pages. ie, for every 4096 pages 28 pages get reserved."
 */
Test(seed_000, ppc64_64k_256m_force_reserves_28_of_4096)
{
	const struct hp_plan *pl = &t_plan(PPC64_64K("force"))->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_OK);
	cr_assert_eq(pl->block_size, 256 * MiB);
	cr_assert_eq(pl->pageblock_pages, 32);
	cr_assert(pl->memmap_on_memory);
	cr_assert_eq(pl->memmap_pages_per_block, 4);
	cr_assert_eq(pl->reserve_pages_per_block, 28);
	cr_assert_eq(pl->usable_bytes, (4096 - 32) * 65536ULL);
	cr_assert_eq(pl->device_bytes - pl->usable_bytes, 2 * MiB);
	cr_assert(strstr(pl->reason, "28 pages per block reserved"), "%s",
		  pl->reason);
}

/*
 * 000 as the lab measured it (patched kernel, memoryX/memmap): the seed's
 * 4 + 28 holds for an LMB whose vmemmap PMD leaf (2M: 2G of memory at
 * 64K pages) boot RAM has not populated.  Below that boundary
 * radix__vmemmap_populate() reuses boot RAM's leaf: the struct pages stay
 * in node 0 and all 32 altmap pages are withheld unused.
 */
#define PPC64_64K_BOOT(start, size)                                            \
	"[platform]\narch = ppc64le\npage_size = 64K\nkernel = 6.12\n"         \
	"mmu = radix\nmemory_block_size = 256M\nboot_memory_end = 512M\n"      \
	"memmap_on_memory = force\n[device lmb]\npath = pseries-dlpar\n"       \
	"start = " start "\nsize = " size "\n"

Test(seed_000, ppc64_64k_force_in_boot_leaf_withholds_altmap_unused)
{
	const struct hp_plan *pl =
		&t_plan(PPC64_64K_BOOT("0x40000000", "256M"))->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_OK);
	cr_assert_not(pl->memmap_on_memory);
	cr_assert_eq(pl->memmap_node, 0);
	cr_assert_eq(pl->memmap_pages, 4);
	cr_assert_eq(pl->reserve_pages, 32);
	cr_assert_eq(pl->withheld_pages, 32);
	cr_assert_eq(pl->usable_bytes, (4096 - 32) * 65536ULL);
	cr_assert(strstr(pl->reason, "vmemmap PMD leaf (one maps 2G of "
				     "memory) that boot RAM already populated"),
		  "%s", pl->reason);

	/* at 2G the leaf is empty: the seed's 4 + 28 on the device */
	pl = &t_plan(PPC64_64K_BOOT("0x80000000", "256M"))->plans[0];
	cr_assert(pl->memmap_on_memory);
	cr_assert_eq(pl->memmap_pages, 4);
	cr_assert_eq(pl->reserve_pages, 28);
	cr_assert_eq(pl->withheld_pages, 32);

	/* 1G..3G: four LMBs in the boot leaf, four above it */
	pl = &t_plan(PPC64_64K_BOOT("0x40000000", "2G"))->plans[0];
	cr_assert_eq(pl->blocks, 8);
	cr_assert_not(pl->memmap_on_memory);
	cr_assert_eq(pl->reserve_pages, 4 * 32 + 4 * 28);
	cr_assert_eq(pl->withheld_pages, 8 * 32);
}

/* 000: without force, 4 pages are not a whole pageblock of 32 */
Test(seed_000, ppc64_64k_256m_on_falls_back_to_ram_and_says_force)
{
	const struct hp_plan *pl = &t_plan(PPC64_64K("on"))->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->usable_bytes, 256 * MiB);
	cr_assert_eq(pl->memmap_pages, 4);
	cr_assert_eq(pl->reserve_pages, 0);
	cr_assert(strstr(pl->reason,
			 "memmap of 4 pages is not a whole pageblock "
			 "(32 pages); memmap_on_memory=force would "
			 "reserve 28 more pages per block"),
		  "%s", pl->reason);
}

/* 000: the altmap set aside is pageblock_align(PFN_UP(memmap)) */
Test(seed_000, force_rounding_rule)
{
	struct hp_platform p;
	struct hp_geometry g;
	struct hp_mom_result r;
	char why[256];

	hp_platform_init(&p);
	p.arch = HP_ARCH_PPC64LE;
	p.page_shift = 16;
	p.mmu = HP_MMU_RADIX;
	p.block_size = 256 * MiB;
	cr_assert_eq(hp_geometry_derive(&p, &g, why, sizeof(why)), 0, "%s",
		     why);
	hp_mom_decide(&p, &g, HP_MODE_FORCE, g.block_size, &r);
	cr_assert_eq(r.verdict, HP_MOM_OK);
	cr_assert_eq(r.memmap_bytes_per_block, 4096 * 64);
	cr_assert_eq(r.memmap_pages_per_block, 4);
	cr_assert_eq(r.altmap_pages_per_block, 32);
	hp_mom_decide(&p, &g, HP_MODE_ON, g.block_size, &r);
	cr_assert_eq(r.verdict, HP_MOM_NOT_PAGEBLOCK);
}

/*
 * 003: "out of 256M, we get 252M to use as a real memory, as 4M will be
 * used for building the memmap array" (2M per 128M section).  6.12 keeps
 * the memmap per block rather than per DIMM, which gives the same total
 * for a 256M DIMM.
 */
Test(seed_003, dimm_256m_gives_252m_usable)
{
	const struct hp_plan *pl = &t_plan("[platform]\narch = x86_64\nkernel "
					   "= 6.12\nboot_memory_end = 4G\n"
					   "memmap_on_memory = on\n[device "
					   "dimm0]\npath = acpi-dimm\n"
					   "start = 0x100000000\nsize = 256M\n")
					    ->plans[0];

	cr_assert(pl->memmap_on_memory);
	cr_assert_eq(pl->blocks, 2);
	cr_assert_eq(pl->memmap_pages_per_block, 512); /* 2 MiB */
	cr_assert_eq(pl->memmap_bytes, 4 * MiB);
	cr_assert_eq(pl->usable_bytes, 252 * MiB);
	cr_assert_eq(pl->ram_memmap_bytes, 0);
}

/* 003 under 6.1: one request must be exactly one block, else RAM */
Test(seed_003, kernel_61_dimm_256m_memmap_in_ram)
{
	const struct hp_plan *pl = &t_plan("[platform]\narch = x86_64\nkernel "
					   "= 6.1\nboot_memory_end = 4G\n"
					   "memmap_on_memory = on\n[device "
					   "dimm0]\npath = acpi-dimm\n"
					   "start = 0x100000000\nsize = 256M\n")
					    ->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->usable_bytes, 256 * MiB);
	cr_assert_eq(pl->memmap_bytes, 4 * MiB);
	cr_assert_eq(pl->ram_memmap_bytes, 4 * MiB);
	cr_assert(strstr(pl->reason, "exactly one memory block"), "%s",
		  pl->reason);
}

Test(seed_003, kernel_61_dimm_128m_memmap_on_device)
{
	const struct hp_plan *pl = &t_plan("[platform]\narch = x86_64\nkernel "
					   "= 6.1\nboot_memory_end = 4G\n"
					   "memmap_on_memory = on\n[device "
					   "dimm0]\npath = acpi-dimm\n"
					   "start = 0x100000000\nsize = 128M\n")
					    ->plans[0];

	cr_assert(pl->memmap_on_memory);
	cr_assert_eq(pl->usable_bytes, 126 * MiB);
}

/*
 * 002: kmem splits one add_memory() into memory-block-sized chunks with
 * memmap_on_memory, and "Retain the old behavior for dax devices, only
 * default to memmap_on_memory for CXL".
 */
#define KMEM(kernel, source, extra)                                            \
	"[platform]\narch = x86_64\nkernel = " kernel "\n"                     \
	"boot_memory_end = 16G\nmemmap_on_memory = on\nboot_nodes = 0\n"       \
	"[device cxl0]\npath = dax-kmem\ndax_source = " source "\n"            \
	"start = 0x1080000000\nsize = 16G\nnode = 1\n" extra

Test(seed_002, cxl_dax_defaults_to_memmap_on_memory_per_block)
{
	const struct hp_plan *pl = &t_plan(KMEM("6.12", "cxl", ""))->plans[0];

	cr_assert(pl->memmap_on_memory);
	cr_assert_eq(pl->blocks, 128);
	cr_assert_eq(pl->memmap_pages, 128 * 512);
	cr_assert_eq(pl->usable_bytes, 16 * GiB - 128 * 2 * MiB);
	cr_assert_eq(pl->memmap_node, -1);
}

Test(seed_002, pmem_dax_keeps_old_behaviour_memmap_in_ram)
{
	const struct hp_plan *pl = &t_plan(KMEM("6.12", "pmem", ""))->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->usable_bytes, 16 * GiB);
	/* node 1 has no memory yet: the memmap comes from node 0 */
	cr_assert_eq(pl->memmap_node, 0);
	cr_assert_eq(pl->ram_memmap_bytes, 256 * MiB);
	cr_assert(strstr(pl->reason, "defaults to 0 for pmem"), "%s",
		  pl->reason);
}

Test(seed_002, sysfs_opt_out_disables_it_for_cxl)
{
	const struct hp_plan *pl =
		&t_plan(KMEM("6.12", "cxl", "memmap_on_memory = no\n"))
			 ->plans[0];

	cr_assert(!pl->memmap_on_memory);
}

Test(seed_002, kernel_61_kmem_never_uses_it)
{
	const struct hp_plan *pl =
		&t_plan(KMEM("6.1", "cxl", "memmap_on_memory = yes\n"))
			 ->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert(strstr(pl->reason, "6.1 dax/kmem"), "%s", pl->reason);
}

/*
 * 001: ZONE_DEVICE uses 2 MiB sub-sections: a namespace need only be
 * 2M-aligned, not 128M (section) aligned, and with map=dev the memmap
 * is on the device.
 */
#define PMEM(start, size, map)                                                 \
	"[platform]\narch = x86_64\nkernel = 6.12\nboot_memory_end = 4G\n"     \
	"[device pmem0]\npath = pmem-fsdax\nstart = " start "\nsize = " size   \
	"\nmemmap_on_memory = " map "\n"

Test(seed_001, subsection_aligned_namespace_is_accepted)
{
	const struct hp_plan *pl =
		&t_plan(PMEM("0x140200000", "1G", "yes"))->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_OK, "%s", pl->reason);
	cr_assert(pl->memmap_on_memory);
}

Test(seed_001, namespace_not_2m_aligned_is_refused)
{
	const struct hp_plan *pl =
		&t_plan(PMEM("0x140100000", "1G", "yes"))->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_REFUSED);
}

/*
 * nd_pfn_init(), 16G at a 2M-aligned start, map=dev: dataoff =
 * ALIGN(8K + 64 * ((16G - 8K) / 4K), 2M) = 258M; 16126M of data.
 */
Test(seed_001, map_dev_16g_layout)
{
	const struct hp_plan *pl =
		&t_plan(PMEM("0x140000000", "16G", "yes"))->plans[0];

	cr_assert_eq(pl->usable_bytes, 16126 * MiB);
	cr_assert_eq(pl->memmap_pages, 16 * GiB / 4096 * 64 / 4096);
	cr_assert_eq(pl->ram_memmap_bytes, 0);
}

Test(seed_001, map_mem_keeps_only_info_block_padding)
{
	const struct hp_plan *pl =
		&t_plan(PMEM("0x140000000", "16G", "no"))->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->usable_bytes, 16 * GiB - 2 * MiB);
	cr_assert_eq(pl->ram_memmap_bytes, 256 * MiB);
	cr_assert_eq(pl->memmap_node, 0);
}

/*
 * 004: arm64 vmemmap for hot-added memory from the range itself (4K
 * pages, PMD-mapped); with 16K and 64K pages the memmap of a block
 * (512K) is never a multiple of the PMD size (32M / 512M).
 */
#define ARM64(page, mode)                                                      \
	"[platform]\narch = arm64\npage_size = " page "\nkernel = 6.12\n"      \
	"memmap_on_memory = " mode "\n[device dimm0]\npath = acpi-dimm\n"      \
	"start = 0x100000000\nsize = 1G\n"

Test(seed_004, arm64_4k_memmap_on_device)
{
	const struct hp_plan *pl = &t_plan(ARM64("4K", "on"))->plans[0];

	cr_assert(pl->memmap_on_memory);
	cr_assert_eq(pl->block_size, 128 * MiB);
	cr_assert_eq(pl->usable_bytes, 1 * GiB - 8 * 2 * MiB);
}

Test(seed_004, arm64_16k_never_even_with_force)
{
	const struct hp_plan *pl = &t_plan(ARM64("16K", "force"))->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->block_size, 128 * MiB);
	cr_assert_eq(pl->pageblock_pages, 2048);
	cr_assert(strstr(pl->reason, "not a multiple of the PMD size (32M)"),
		  "%s", pl->reason);
}

Test(seed_004, arm64_64k_never)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = arm64\npage_size = 64K\nkernel = "
			"6.12\n"
			"memmap_on_memory = force\n[device dimm0]\npath = "
			"acpi-dimm\n"
			"start = 0x100000000\nsize = 1G\n")
			 ->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->block_size, 512 * MiB);
	/* force would round 8 pages up to the 8192-page pageblock: the block */
	cr_assert(strstr(pl->reason, "fill the whole 512M block"), "%s",
		  pl->reason);
}

/*
 * 000 in the kernel's own words: 6.12 logs the force padding while it
 * parses the parameter; the lab's guests printed exactly these.
 */
Test(seed_000, force_boot_message_is_the_padding)
{
	static const struct {
		enum hp_arch arch;
		unsigned int shift;
		enum hp_mmu mmu;
		const char *want;
	} cases[] = {
		{HP_ARCH_PPC64LE, 16, HP_MMU_RADIX, "waste 28 pages"},
		{HP_ARCH_ARM64, 14, HP_MMU_NONE, "waste 2016 pages"},
		{HP_ARCH_X86_64, 12, HP_MMU_NONE, "waste 0 pages"},
	};
	struct hp_platform p;
	struct hp_geometry g;
	char why[256], msg[96];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hp_platform_init(&p);
		p.arch = cases[i].arch;
		p.page_shift = cases[i].shift;
		p.mmu = cases[i].mmu;
		p.kernel = HP_KERNEL_6_12;
		p.mode = HP_MODE_FORCE;
		cr_assert_eq(hp_geometry_derive(&p, &g, why, sizeof(why)), 0,
			     "%s", why);
		cr_assert(hp_force_boot_message(&p, &g, msg, sizeof(msg)));
		cr_assert(strstr(msg, cases[i].want), "%s", msg);
		p.mode = HP_MODE_ON;
		cr_assert_not(hp_force_boot_message(&p, &g, msg, sizeof(msg)),
			      "only force logs it");
	}
}

/*
 * The boot-leaf rule only where a leaf maps more than a block: on x86 a
 * 128M leaf is one block's own, so a device inside boot RAM's span (a
 * soft-reserved hole, as the lab's --target host test has) still gets
 * its memmap on the device.
 */
Test(seed_000, x86_leaf_is_the_blocks_own)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = x86_64\nkernel = "
			"6.12\nboot_memory_end = 1G\n"
			"memmap_on_memory = on\n[device d]\npath = dax-kmem\n"
			"start = 0x20000000\nsize = 256M\nmemmap_on_memory = "
			"yes\n")
			 ->plans[0];

	cr_assert(pl->memmap_on_memory, "%s", pl->reason);
	cr_assert_eq(pl->reserve_pages, 0);
	cr_assert_eq(pl->withheld_pages, 1024);
}
