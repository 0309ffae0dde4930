// SPDX-License-Identifier: MIT
/*
 * Derived vectors: one per rule, with the arithmetic that gives the
 * expected value next to it.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "../../common/size.h"
#include "helpers.h"

/* ---- x86_64 probe_memory_block_size() ------------------------------ */

struct bs_vec {
	uint64_t boot_end;
	int hypervisor;
	uint64_t expect;
};

static struct hp_geometry derive_x86(uint64_t end, int hyp)
{
	struct hp_platform p;
	struct hp_geometry g;
	char why[256];

	hp_platform_init(&p);
	p.boot_memory_end = end;
	p.hypervisor = (enum hp_tristate)hyp;
	cr_assert_eq(hp_geometry_derive(&p, &g, why, sizeof(why)), 0);
	return g;
}

ParameterizedTestParameters(x86_block, probe)
{
	static struct bs_vec v[] = {
		{0, HP_UNSET, 128 * MiB},      /* unknown: below 64G assumed */
		{16 * GiB, HP_YES, 128 * MiB}, /* < 64G */
		{63 * GiB, HP_NO, 128 * MiB},  /* < 64G even on metal */
		{64 * GiB, HP_NO, 2 * GiB},    /* metal: MAX_BLOCK_SIZE */
		{65 * GiB, HP_NO, 2 * GiB},    /* metal ignores alignment */
		{64 * GiB, HP_YES, 2 * GiB},   /* 64G % 2G == 0 */
		{65 * GiB, HP_YES, 1 * GiB},   /* 65G % 1G == 0 */
		{64 * GiB + 512 * MiB, HP_YES, 512 * MiB},
		{64 * GiB + 256 * MiB, HP_YES, 256 * MiB},
		{64 * GiB + 128 * MiB, HP_YES, 128 * MiB}, /* loop ends */
		{66 * GiB, HP_UNSET, 2 * GiB}, /* hypervisor assumed */
	};
	return cr_make_param_array(struct bs_vec, v, sizeof(v) / sizeof(v[0]));
}

ParameterizedTest(struct bs_vec *v, x86_block, probe)
{
	struct hp_geometry g = derive_x86(v->boot_end, v->hypervisor);

	cr_assert_eq(g.block_size, v->expect,
		     "end %llu hyp %d: got %llu want %llu",
		     (unsigned long long)v->boot_end, v->hypervisor,
		     (unsigned long long)g.block_size,
		     (unsigned long long)v->expect);
}

/* ---- the memmap_on_memory decision, arch x mode x kernel ------------ */

struct mom_vec {
	enum hp_arch arch;
	unsigned int page_shift;
	enum hp_mmu mmu;
	enum hp_kernel kernel;
	enum hp_mode mode;
	uint64_t block;
	enum hp_mom_verdict expect;
	uint64_t altmap_pages;
};

ParameterizedTestParameters(mom, decide)
{
	static struct mom_vec v[] = {
		/* x86 128M: 32768 pages * 64 = 2M = 512 pages = 1 pageblock, 1
		   PMD */
		{HP_ARCH_X86_64, 12, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_ON,
		 128 * MiB, HP_MOM_OK, 512},
		{HP_ARCH_X86_64, 12, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_OFF,
		 128 * MiB, HP_MOM_MODE_OFF, 512},
		/* x86 2G blocks: 32M memmap = 8192 pages, 16 pageblocks */
		{HP_ARCH_X86_64, 12, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_ON,
		 2 * GiB, HP_MOM_OK, 8192},
		{HP_ARCH_X86_64, 12, HP_MMU_NONE, HP_KERNEL_6_1, HP_MODE_ON,
		 128 * MiB, HP_MOM_OK, 512},
		/* 6.1 has no force: kstrtobool("force") fails */
		{HP_ARCH_X86_64, 12, HP_MMU_NONE, HP_KERNEL_6_1, HP_MODE_FORCE,
		 128 * MiB, HP_MOM_FORCE_61, 512},
		/* ppc64 64K radix 2G: 32768 * 64 = 2M = 32 pages = 1 pageblock
		 */
		{HP_ARCH_PPC64LE, 16, HP_MMU_RADIX, HP_KERNEL_6_12, HP_MODE_ON,
		 2 * GiB, HP_MOM_OK, 32},
		/* ppc64 64K radix 1G: 16 pages; force pads to 32 */
		{HP_ARCH_PPC64LE, 16, HP_MMU_RADIX, HP_KERNEL_6_12,
		 HP_MODE_FORCE, 1 * GiB, HP_MOM_OK, 32},
		{HP_ARCH_PPC64LE, 16, HP_MMU_HASH, HP_KERNEL_6_12,
		 HP_MODE_FORCE, 256 * MiB, HP_MOM_ARCH_HASH, 256},
		/* ppc64 6.1: ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE not selected */
		{HP_ARCH_PPC64LE, 16, HP_MMU_RADIX, HP_KERNEL_6_1, HP_MODE_ON,
		 256 * MiB, HP_MOM_NOT_BUILT, 4},
		/* ppc64 4K radix 256M: 65536 * 64 = 4M, 2 PMDs, 1024 pages */
		{HP_ARCH_PPC64LE, 12, HP_MMU_RADIX, HP_KERNEL_6_12, HP_MODE_ON,
		 256 * MiB, HP_MOM_OK, 1024},
		/* ppc64 4K radix 16M: 256K memmap = 64 pages < pageblock 512 */
		{HP_ARCH_PPC64LE, 12, HP_MMU_RADIX, HP_KERNEL_6_12,
		 HP_MODE_FORCE, 16 * MiB, HP_MOM_ARCH_PMD, 512},
		/* s390x 256M: 4M memmap = 1024 pages, pageblock 256: ok, 4 PMD
		 */
		{HP_ARCH_S390X, 12, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_ON,
		 256 * MiB, HP_MOM_OK, 1024},
		{HP_ARCH_S390X, 12, HP_MMU_NONE, HP_KERNEL_6_1, HP_MODE_ON,
		 256 * MiB, HP_MOM_NOT_BUILT, 1024},
		{HP_ARCH_RISCV64, 12, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_ON,
		 128 * MiB, HP_MOM_OK, 512},
		/* arm64 16K 2G block: 131072 * 64 = 8M = 512 pages, pageblock
		   2048 */
		{HP_ARCH_ARM64, 14, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_ON,
		 2 * GiB, HP_MOM_NOT_PAGEBLOCK, 512},
		/* force: 2048 pages (32M) fits, but 8M is not a multiple of 32M
		 */
		{HP_ARCH_ARM64, 14, HP_MMU_NONE, HP_KERNEL_6_12, HP_MODE_FORCE,
		 2 * GiB, HP_MOM_ARCH_PMD, 2048},
	};
	return cr_make_param_array(struct mom_vec, v, sizeof(v) / sizeof(v[0]));
}

ParameterizedTest(struct mom_vec *v, mom, decide)
{
	struct hp_platform p;
	struct hp_geometry g;
	struct hp_mom_result r;
	char why[256];

	hp_platform_init(&p);
	p.arch = v->arch;
	p.page_shift = v->page_shift;
	p.mmu = v->mmu;
	p.kernel = v->kernel;
	p.block_size = v->block;
	cr_assert_eq(hp_geometry_derive(&p, &g, why, sizeof(why)), 0, "%s",
		     why);
	hp_mom_decide(&p, &g, v->mode, v->block, &r);
	cr_assert_eq(r.verdict, v->expect, "%s %s: verdict %d want %d",
		     hp_arch_name(v->arch), hp_kernel_name(v->kernel),
		     r.verdict, v->expect);
	cr_assert_eq(r.altmap_pages_per_block, v->altmap_pages,
		     "altmap %llu want %llu",
		     (unsigned long long)r.altmap_pages_per_block,
		     (unsigned long long)v->altmap_pages);
}

/* ---- paths ----------------------------------------------------------- */

/* kmem trims 0x100200000+1G to [0x108000000, 0x140000000): 896M added */
Test(path, kmem_trims_to_block_boundaries)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = x86_64\nboot_memory_end = 4G\n"
			"memmap_on_memory = on\n[device d]\npath = dax-kmem\n"
			"dax_source = cxl\nstart = 0x100200000\nsize = 1G\n")
			 ->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_OK);
	cr_assert_eq(pl->added_bytes, 896 * MiB);
	cr_assert_eq(pl->trimmed_bytes, 128 * MiB);
	cr_assert_eq(pl->blocks, 7);
	cr_assert_eq(pl->usable_bytes, 7 * 126 * MiB);
}

Test(path, kmem_range_without_a_whole_block_is_refused)
{
	const struct hp_plan *pl = &t_plan("[platform]\narch = x86_64\n[device "
					   "d]\npath = dax-kmem\n"
					   "start = 0x100200000\nsize = 200M\n")
					    ->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_REFUSED);
}

/*
 * namespace = yes: start/size are a pmem namespace made devdax; kmem gets
 * its data area, after ALIGN(8K + 64 B x (size - 8K) / page, align).
 */
struct ns_vec {
	/* arrays, not pointers: criterion runs each in a fresh process */
	char cfg[128]; /* [platform] + [device d] lines */
	bool refused;
	uint64_t blocks, trimmed;
	char why[16]; /* in the reason */
};

ParameterizedTestParameters(path, kmem_over_a_namespace)
{
	static struct ns_vec v[] = {
		/* x86 4K, 1088M at 4G: 8K + 64 x 278526 -> 18M head; data
		 * [4G+18M, 4G+1088M) trims to 7 blocks: 192M lost */
		{"arch = x86_64\nboot_memory_end = 4G\n[device d]\n"
		 "start = 0x100000000\nsize = 1088M\n",
		 false, 7, 192 * MiB, "first 18M"},
		/* arm64 64K: the default align is the 512M PMD, so 2M of
		 * info block and memmap pad to 512M: one of two blocks */
		{"arch = arm64\npage_size = 64K\n[device d]\n"
		 "start = 0x80000000\nsize = 1G\n",
		 false, 1, 512 * MiB, "first 512M"},
		/* ppc64le 64K: 8K + 64 x 4095 pads to 2M; no whole 256M
		 * LMB is left */
		{"arch = ppc64le\npage_size = 64K\n[device d]\nalign = 2M\n"
		 "start = 0x40000000\nsize = 256M\n",
		 true, 0, 0, "first 2M"},
	};
	return cr_make_param_array(struct ns_vec, v, sizeof(v) / sizeof(v[0]));
}

ParameterizedTest(struct ns_vec *v, path, kmem_over_a_namespace)
{
	char text[512];
	const struct hp_plan *pl;

	snprintf(text, sizeof(text),
		 "[platform]\n%.*s\npath = dax-kmem\nnamespace = yes\n%s",
		 (int)(strstr(v->cfg, "[device d]") - v->cfg) + 10, v->cfg,
		 strstr(v->cfg, "[device d]") + 11);
	pl = &t_plan(text)->plans[0];
	cr_assert_eq(pl->status, v->refused ? HP_PLAN_REFUSED : HP_PLAN_OK,
		     "%s", pl->reason);
	cr_assert(strstr(pl->reason, v->why), "%s", pl->reason);
	if (v->refused)
		return;
	cr_assert_eq(pl->blocks, v->blocks);
	cr_assert_eq(pl->trimmed_bytes, v->trimmed);
}

Test(path, acpi_dimm_misaligned_is_refused)
{
	const struct hp_plan *pl = &t_plan("[platform]\narch = x86_64\n[device "
					   "d]\npath = acpi-dimm\n"
					   "start = 0x104000000\nsize = 128M\n")
					    ->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_REFUSED);
	cr_assert(strstr(pl->reason, "check_hotplug_memory_range"));
}

Test(path, virtio_mem_never_on_device)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = x86_64\nmemmap_on_memory = force\n"
			"[device vm]\npath = virtio-mem\nstart = 0x140000000\n"
			"size = 1G\n")
			 ->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->usable_bytes, 1 * GiB);
	cr_assert(strstr(pl->reason, "virtio-mem never requests"));
}

/* a memory-less node: the first block's memmap from node 0, rest local */
Test(path, virtio_mem_memoryless_node_split)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = x86_64\nboot_nodes = 0\n"
			"[device vm]\npath = virtio-mem\nstart = 0x140000000\n"
			"size = 1G\nnode = 1\n")
			 ->plans[0];

	cr_assert_eq(pl->nr_node_shares, 2);
	cr_assert_eq(pl->node_shares[0].node, 0);
	cr_assert_eq(pl->node_shares[0].pages, 512);
	cr_assert_eq(pl->node_shares[1].node, 1);
	cr_assert_eq(pl->node_shares[1].pages, 7 * 512);
}

Test(path, second_device_on_a_node_finds_memory_there)
{
	const struct hp_run *run = t_plan(
		"[platform]\narch = x86_64\nboot_nodes = 0\n"
		"[device a]\npath = acpi-dimm\nstart = 0x140000000\nsize = 1G\n"
		"node = 1\n[device b]\npath = acpi-dimm\nstart = 0x180000000\n"
		"size = 1G\nnode = 1\n");

	cr_assert_eq(run->plans[0].memmap_node, 0);
	cr_assert_eq(run->plans[1].memmap_node, 1);
}

Test(path, probe_only_where_arch_memory_probe)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = arm64\n[device p]\npath = probe\n"
			"start = 0x100000000\nsize = 128M\n")
			 ->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_REFUSED);
}

Test(path, riscv_61_has_no_hotplug)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = riscv64\nkernel = 6.1\n[device d]\n"
			"path = dax-kmem\nstart = 0x100000000\nsize = 1G\n")
			 ->plans[0];

	cr_assert_eq(pl->status, HP_PLAN_REFUSED);
	cr_assert(strstr(pl->reason, "ARCH_ENABLE_MEMORY_HOTPLUG"));
}

Test(path, pseries_dlpar_61_memmap_in_ram)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = ppc64le\npage_size = 64K\nkernel = "
			"6.1\n"
			"memmap_on_memory = on\n[device l]\npath = "
			"pseries-dlpar\n"
			"start = 0x100000000\nsize = 512M\n")
			 ->plans[0];

	cr_assert(!pl->memmap_on_memory);
	cr_assert_eq(pl->blocks, 2);
}

/* devdax map=mem with 2M alignment: 2 vmemmap pages per 2M in RAM */
Test(path, devdax_map_mem_dedups_vmemmap)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = x86_64\nboot_memory_end = 4G\n"
			"[device p]\npath = pmem-devdax\nstart = 0x140000000\n"
			"size = 1G\nmemmap_on_memory = no\n")
			 ->plans[0];

	cr_assert_eq(pl->ram_memmap_bytes, (1 * GiB / (2 * MiB)) * 2 * 4096);
}

/* the RAM needed before a 16G add with memmap in RAM: 256M of memmap */
Test(path, ram_needed_includes_memmap_and_tables)
{
	const struct hp_plan *pl =
		&t_plan("[platform]\narch = x86_64\nboot_memory_end = 16G\n"
			"[device d]\npath = acpi-dimm\nstart = 0x1000000000\n"
			"size = 16G\n")
			 ->plans[0];

	/* 256M of memmap, PMD-mapped; its vmemmap VA [1G, 1.25G) needs one
	 * new PMD table page; 1G-aligned RAM maps with 1G pages: no tables */
	cr_assert_eq(pl->ram_memmap_bytes, 256 * MiB);
	cr_assert_eq(pl->ram_pagetable_bytes, 4096);
	cr_assert_eq(pl->ram_section_bytes, 128 * 64);
	cr_assert_eq(pl->ram_needed_bytes, pl->ram_memmap_bytes +
						   pl->ram_pagetable_bytes +
						   pl->ram_section_bytes);
}

/* ---- small rules ---------------------------------------------------- */

Test(rules, kmalloc_classes)
{
	cr_assert_eq(hp_kmalloc_size(56), 64);
	cr_assert_eq(hp_kmalloc_size(65), 96);
	cr_assert_eq(hp_kmalloc_size(129), 192);
	cr_assert_eq(hp_kmalloc_size(193), 256);
}

Test(size, parse)
{
	uint64_t v;

	cr_assert_eq(parse_size("128M", &v), 0);
	cr_assert_eq(v, 128 * MiB);
	cr_assert_eq(parse_size("0x1080000000", &v), 0);
	cr_assert_eq(v, 0x1080000000ULL);
	cr_assert_eq(parse_size("16GiB", &v), 0);
	cr_assert_eq(v, 16 * GiB);
	cr_assert_eq(parse_size("2t", &v), 0);
	cr_assert_eq(v, 2ULL << 40);
	cr_assert_neq(parse_size("1.5G", &v), 0);
	cr_assert_neq(parse_size("-1G", &v), 0);
	cr_assert_neq(parse_size("12Q", &v), 0);
	cr_assert_neq(parse_size("0x10G", &v), 0);
	cr_assert_neq(parse_size("99999999999T", &v), 0);
}
