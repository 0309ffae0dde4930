// SPDX-License-Identifier: MIT
/*
 * Plan one device: which kernel path adds it, how many memory blocks it
 * becomes, where each block's memmap goes, and what it costs.  Pure:
 * the only state is the caller's struct hp_plan_state.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/size.h"
#include "model.h"
#include "rules.h"

#define SZ_2M (2ULL << 20)

static void say(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* Append to a reason sentence. */
static void say_more(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say_more(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

void hp_platform_init(struct hp_platform *p)
{
	memset(p, 0, sizeof(*p));
	p->arch = HP_ARCH_X86_64;
	p->page_shift = 12;
	p->kernel = HP_KERNEL_6_12;
	p->mmu = HP_MMU_NONE;
	p->mode = HP_MODE_OFF;
	p->hypervisor = HP_UNSET;
	p->struct_page_size = 64;
	p->auto_online = HP_UNSET;
}

void hp_device_init(struct hp_device *d)
{
	memset(d, 0, sizeof(*d));
	d->path = HP_PATH_ACPI_DIMM;
	d->memmap_request = HP_UNSET;
	d->dax_source = HP_DAX_PMEM;
	d->pmem_namespace = HP_UNSET;
}

/* ---- which paths exist where ---------------------------------------- */

/*
 * Kconfig dependencies: ACPI memory hotplug (drivers/acpi/Kconfig,
 * pc-dimm on x86 q35 / arm64 virt with UEFI); VIRTIO_MEM "depends on
 * X86_64 || ARM64" (6.1) "|| RISCV" (6.12) in drivers/virtio/Kconfig;
 * ARCH_MEMORY_PROBE only on x86 and powerpc; ZONE_DEVICE needs
 * ARCH_HAS_PTE_DEVMAP (x86_64, arm64, ppc64; riscv64 since 6.9);
 * pseries DLPAR is arch/powerpc/platforms/pseries.
 */
static const char *path_unsupported(const struct hp_platform *p,
				    enum hp_path path)
{
	const bool k612 = p->kernel == HP_KERNEL_6_12;

	switch (path) {
	case HP_PATH_ACPI_DIMM:
		if (p->arch == HP_ARCH_X86_64 || p->arch == HP_ARCH_ARM64)
			return NULL;
		return "ACPI memory-device hot-add exists on x86_64 and arm64 "
		       "only";
	case HP_PATH_VIRTIO_MEM:
		if (p->arch == HP_ARCH_X86_64 || p->arch == HP_ARCH_ARM64 ||
		    (k612 && p->arch == HP_ARCH_RISCV64))
			return NULL;
		return k612 ? "virtio-mem depends on X86_64 || ARM64 || RISCV "
			      "(drivers/virtio/Kconfig)"
			    : "virtio-mem depends on X86_64 || ARM64 in 6.1 "
			      "(drivers/virtio/Kconfig)";
	case HP_PATH_DAX_KMEM:
		return NULL;
	case HP_PATH_PROBE:
		if (p->arch == HP_ARCH_X86_64 || p->arch == HP_ARCH_PPC64LE)
			return NULL;
		return "/sys/devices/system/memory/probe needs "
		       "ARCH_MEMORY_PROBE, which only x86 and powerpc offer";
	case HP_PATH_PMEM_DEVDAX:
	case HP_PATH_PMEM_FSDAX:
		if (p->arch == HP_ARCH_S390X)
			return "s390x has no ZONE_DEVICE (no "
			       "ARCH_HAS_PTE_DEVMAP), so no pmem dax";
		if (p->arch == HP_ARCH_RISCV64 && !k612)
			return "riscv64 has no ZONE_DEVICE in 6.1";
		return NULL;
	case HP_PATH_PSERIES_DLPAR:
		if (p->arch == HP_ARCH_PPC64LE)
			return NULL;
		return "pseries DLPAR exists on ppc64le (pseries) only";
	default:
		return "unknown path";
	}
}

/* ---- where page tables and memmap already exist ---------------------- */

/*
 * What is already mapped is summarised by one number, mapped_end_pfn:
 * boot RAM and earlier devices are taken as one range [0, mapped_end_pfn).
 * Devices are laid out in increasing address order in practice
 * (firmware and VMMs place them that way); a hole only makes the
 * page-table estimate high by the tables it would have shared.
 *
 * Number of chunks of 2^@shift bytes of a linear mapping (@bytes_per_pfn
 * bytes per pfn: sizeof(struct page) for the vmemmap, PAGE_SIZE for the
 * direct map) that [@s, @e) touches and [0, @mapped_end) does not.
 */
static uint64_t new_chunks(uint64_t mapped_end, uint64_t s, uint64_t e,
			   uint64_t bytes_per_pfn, unsigned int shift)
{
	uint64_t first, last, mapped_last;

	if (e <= s)
		return 0;
	first = (s * bytes_per_pfn) >> shift;
	last = ((e * bytes_per_pfn) - 1) >> shift;
	if (!mapped_end)
		return last - first + 1;
	mapped_last = ((mapped_end * bytes_per_pfn) - 1) >> shift;
	if (mapped_last < first)
		return last - first + 1;
	return mapped_last >= last ? 0 : last - mapped_last;
}

/* Entries per page-table page: 8-byte entries filling one page. */
static unsigned int table_entries_shift(const struct hp_geometry *g)
{
	return ilog2_u64(g->page_size) - 3;
}

/*
 * Page-table pages to build for a new mapping of [@s, @e): one table
 * page per span of the level above each leaf, for the leaf level and
 * the level above it.  Upper levels (PGD/P4D) exist already.
 */
static uint64_t table_pages(uint64_t mapped_end, const struct hp_geometry *g,
			    uint64_t s, uint64_t e, uint64_t bytes_per_pfn,
			    enum hp_map_granule leaf)
{
	unsigned int leaf_shift;
	const unsigned int ts = table_entries_shift(g);

	switch (leaf) {
	case HP_MAP_BASE:
		leaf_shift = ilog2_u64(g->page_size);
		break;
	case HP_MAP_PMD:
		leaf_shift = g->pmd_shift;
		break;
	case HP_MAP_PUD:
	default:
		leaf_shift = g->pud_shift;
		break;
	}
	return new_chunks(mapped_end, s, e, bytes_per_pfn, leaf_shift + ts) +
	       new_chunks(mapped_end, s, e, bytes_per_pfn, leaf_shift + 2 * ts);
}

/*
 * x86 maps hot-added RAM with 1G pages where the range covers whole
 * aligned gigabytes and 2M pages at the unaligned ends
 * (arch/x86/mm/init.c:split_mem_range()): each partly covered gigabyte
 * needs its own PMD table page, unless earlier RAM already built it.
 */
static uint64_t x86_linear_tables(uint64_t mapped_end,
				  const struct hp_geometry *g, uint64_t s,
				  uint64_t e)
{
	const uint64_t page = g->page_size;
	const uint64_t pud_pfns = (1ULL << g->pud_shift) / page;
	uint64_t pages = 0;
	uint64_t head_end = align_up_u64(s, pud_pfns);
	uint64_t tail_start = align_down_u64(e, pud_pfns);

	if (head_end > e)
		head_end = e;
	if (s % pud_pfns)
		pages +=
			new_chunks(mapped_end, s, head_end, page, g->pud_shift);
	if (e % pud_pfns && tail_start >= head_end && tail_start > s)
		pages += new_chunks(mapped_end, tail_start, e, page,
				    g->pud_shift);
	/* PUD table pages: one per 512 PUD entries */
	pages += new_chunks(mapped_end, s, e, page,
			    g->pud_shift + table_entries_shift(g));
	return pages;
}

/*
 * mm/sparse.c:section_activate() -> mm/sparse.c:mem_section_usage_size():
 * one kzalloc per new section of struct mem_section_usage (rcu_head,
 * subsection bitmap, pageblock flags of NR_PAGEBLOCK_BITS = 4 per
 * pageblock).
 */
static uint64_t section_usage_bytes(const struct hp_geometry *g)
{
	const unsigned int pfn_section_shift =
		g->section_shift - ilog2_u64(g->page_size);
	const uint64_t subsections =
		1ULL << (g->section_shift > 21 ? g->section_shift - 21 : 0);
	uint64_t flag_bits;
	uint64_t bytes = 16; /* struct rcu_head */

	flag_bits = (pfn_section_shift > g->pageblock_order
			     ? 1ULL << (pfn_section_shift - g->pageblock_order)
			     : 1ULL) *
		    4;
	bytes += div_round_up_u64(subsections, 64) * 8;
	bytes += div_round_up_u64(flag_bits, 64) * 8;
	return hp_kmalloc_size(bytes);
}

static int lowest_node(uint64_t mask)
{
	return mask ? __builtin_ctzll(mask) : 0;
}

static bool node_has_memory(const struct hp_plan_state *st, int node)
{
	return node >= 0 && node < HP_MAX_NODES &&
	       (st->nodes_with_memory >> node) & 1;
}

void hp_plan_state_init(const struct hp_platform *p,
			const struct hp_geometry *g, struct hp_plan_state *st)
{
	memset(st, 0, sizeof(*st));
	st->nodes_with_memory = p->boot_nodes_set ? p->boot_nodes : 1;
	st->mapped_end_pfn = p->boot_memory_end >> p->page_shift;
	/*
	 * devices without an address go right after boot RAM, block-aligned;
	 * on pseries after the first 1G boundary (QEMU hw/ppc/spapr.c:
	 * device memory at ROUND_UP(ram_size, SPAPR_DEVICE_MEM_ALIGN))
	 */
	st->next_start = align_up_u64(
		p->boot_memory_end ? p->boot_memory_end : 4ULL << 30,
		p->arch == HP_ARCH_PPC64LE ? 1ULL << 30 : g->block_size);
}

/* ---- the memmap_on_memory decision, per path ------------------------ */

/* Is MHP_MEMMAP_ON_MEMORY passed to add_memory*()?  Why / why not. */
static bool path_requests_mom(const struct hp_platform *p,
			      const struct hp_device *d, char *why, size_t len)
{
	const bool k612 = p->kernel == HP_KERNEL_6_12;

	why[0] = '\0';
	switch (d->path) {
	case HP_PATH_ACPI_DIMM:
		/* drivers/acpi/acpi_memhotplug.c:acpi_memory_enable_device() */
		if (d->memmap_request == HP_NO) {
			say(why, len,
			    "acpi-dimm has no per-device switch: the kernel "
			    "always requests memmap_on_memory for ACPI "
			    "DIMMs; ");
		}
		return true;
	case HP_PATH_PSERIES_DLPAR:
		/* arch/powerpc/platforms/pseries/hotplug-memory.c:dlpar_add_lmb()
		 */
		if (!k612) {
			say(why, len,
			    "6.1 pseries DLPAR adds each LMB with MHP_NONE "
			    "(hotplug-memory.c:dlpar_add_lmb), so the memmap "
			    "always comes from RAM");
			return false;
		}
		return true;
	case HP_PATH_DAX_KMEM:
		if (!k612) {
			/* 6.1 drivers/dax/kmem.c:dev_dax_kmem_probe():
			 * MHP_NID_IS_MGID only */
			say(why, len,
			    "6.1 dax/kmem always adds with MHP_NONE-equivalent "
			    "flags and has no memmap_on_memory attribute "
			    "(added in 6.7), so the memmap comes from RAM");
			return false;
		}
		/*
		 * drivers/dax/kmem.c:dev_dax_kmem_probe() passes
		 * MHP_MEMMAP_ON_MEMORY when dev_dax->memmap_on_memory, whose
		 * default is set by the dax driver: true in drivers/dax/cxl.c,
		 * false in drivers/dax/pmem.c and drivers/dax/hmem/hmem.c.
		 */
		if (d->memmap_request == HP_UNSET) {
			if (d->dax_source == HP_DAX_CXL)
				return true;
			say(why, len,
			    "the kmem memmap_on_memory attribute defaults to 0 "
			    "for %s dax devices (drivers/dax/%s.c) and only "
			    "CXL dax defaults to 1; set memmap_on_memory = yes "
			    "(write 1 to "
			    "/sys/bus/dax/devices/daxX.Y/memmap_on_memory "
			    "before binding kmem) to request it",
			    hp_dax_source_name(d->dax_source),
			    d->dax_source == HP_DAX_HMEM ? "hmem/hmem"
							 : "pmem");
			return false;
		}
		if (d->memmap_request == HP_NO) {
			say(why, len,
			    "memmap_on_memory = no for this dax device: kmem "
			    "adds without MHP_MEMMAP_ON_MEMORY, so the memmap "
			    "comes from RAM");
			return false;
		}
		return true;
	case HP_PATH_VIRTIO_MEM:
		/* drivers/virtio/virtio_mem.c:virtio_mem_add_memory() */
		say(why, len,
		    "virtio-mem never requests memmap_on_memory "
		    "(drivers/virtio/virtio_mem.c:virtio_mem_add_memory passes "
		    "MHP_MERGE_RESOURCE | MHP_NID_IS_MGID), so the memmap "
		    "comes from RAM");
		return false;
	case HP_PATH_PROBE:
		/* drivers/base/memory.c:probe_store() */
		say(why, len,
		    "the sysfs probe interface adds with MHP_NONE "
		    "(drivers/base/memory.c:probe_store), so the memmap comes "
		    "from RAM");
		return false;
	default:
		return false;
	}
}

static void mom_sentence(const struct hp_platform *p,
			 const struct hp_geometry *g,
			 const struct hp_mom_result *r, uint64_t request_bytes,
			 char *why, size_t len)
{
	char bs[32], pmd[32], ms[32], rq[32];
	const uint64_t pageblock = 1ULL << g->pageblock_order;
	const uint64_t block_pages = g->block_size >> p->page_shift;

	format_size(g->block_size, bs, sizeof(bs));
	format_size(1ULL << g->pmd_shift, pmd, sizeof(pmd));
	format_size(r->memmap_bytes_per_block, ms, sizeof(ms));
	format_size(request_bytes, rq, sizeof(rq));
	switch (r->verdict) {
	case HP_MOM_OK:
		if (r->altmap_pages_per_block > r->memmap_pages_per_block)
			say_more(why, len,
				 "memmap of %" PRIu64
				 " pages per %s block on the device, rounded "
				 "up to whole pageblocks (%" PRIu64
				 " pages) by memmap_on_memory=force: %" PRIu64
				 " pages per block reserved and never used "
				 "(mm/"
				 "memory_hotplug.c:memory_block_memmap_on_"
				 "memory_pages)",
				 r->memmap_pages_per_block, bs,
				 r->altmap_pages_per_block,
				 r->altmap_pages_per_block -
					 r->memmap_pages_per_block);
		else
			say_more(why, len,
				 "memmap of %" PRIu64
				 " pages per %s block is placed at the start "
				 "of each block on the device "
				 "(mm/"
				 "memory_hotplug.c:mhp_supports_memmap_on_"
				 "memory)",
				 r->memmap_pages_per_block, bs);
		break;
	case HP_MOM_NOT_BUILT:
		say_more(why, len,
			 "this kernel cannot place memmap on memory for %s (%s "
			 "does not select ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE), "
			 "so the memmap comes from RAM",
			 hp_arch_name(p->arch), hp_kernel_name(p->kernel));
		break;
	case HP_MOM_MODE_OFF:
		say_more(why, len,
			 "memory_hotplug.memmap_on_memory is off, so the "
			 "memmap (%" PRIu64
			 " pages per %s block) comes from RAM",
			 r->memmap_pages_per_block, bs);
		break;
	case HP_MOM_FORCE_61:
		say_more(why, len,
			 "6.1's memory_hotplug.memmap_on_memory is a bool: "
			 "\"force\" is rejected at boot (kernel/params.c), the "
			 "parameter stays off and the memmap comes from RAM");
		break;
	case HP_MOM_NOT_PAGE_ALIGNED:
		say_more(why, len,
			 "memmap of a %s block (%s) is not a whole number of "
			 "pages, so the memmap comes from RAM",
			 bs, ms);
		break;
	case HP_MOM_NOT_PAGEBLOCK:
		if (p->kernel == HP_KERNEL_6_1)
			say_more(why, len,
				 "the %s block minus its %s memmap is not "
				 "whole pageblocks (%" PRIu64
				 " pages), so 6.1 puts the memmap in RAM",
				 bs, ms, pageblock);
		else if (align_up_u64(r->memmap_pages_per_block, pageblock) ==
			 block_pages)
			say_more(why, len,
				 "memmap of %" PRIu64
				 " pages is not a whole pageblock (%" PRIu64
				 " pages), and rounding it up would fill the "
				 "whole %s block, so even force cannot help; "
				 "the memmap comes from RAM",
				 r->memmap_pages_per_block, pageblock, bs);
		else
			say_more(
				why, len,
				"memmap of %" PRIu64
				" pages is not a whole pageblock (%" PRIu64
				" pages); memmap_on_memory=force would reserve "
				"%" PRIu64 " more pages per block; for now the "
				"memmap comes from RAM",
				r->memmap_pages_per_block, pageblock,
				align_up_u64(r->memmap_pages_per_block,
					     pageblock) -
					r->memmap_pages_per_block);
		break;
	case HP_MOM_FILLS_BLOCK:
		say_more(why, len,
			 "memmap rounded up to whole pageblocks (%" PRIu64
			 " pages) would fill the whole %s block, leaving "
			 "nothing to use, so the memmap comes from RAM",
			 r->altmap_pages_per_block, bs);
		break;
	case HP_MOM_ARCH_PMD:
		say_more(why, len,
			 "memmap of a %s block (%s) is not a multiple of the "
			 "PMD size (%s), so it cannot be mapped from the block "
			 "itself (%s); the memmap comes from RAM",
			 bs, ms, pmd,
			 p->arch == HP_ARCH_PPC64LE
				 ? "arch/powerpc/include/asm/"
				   "pgtable.h:arch_supports_memmap_on_memory"
				 : "mm/"
				   "memory_hotplug.c:arch_supports_memmap_on_"
				   "memory");
		break;
	case HP_MOM_ARCH_HASH:
		say_more(
			why, len,
			"ppc64 with the hash MMU never places memmap on memory "
			"(arch/powerpc/include/asm/"
			"pgtable.h:arch_supports_memmap_on_memory needs "
			"radix), so the memmap comes from RAM");
		break;
	case HP_MOM_SIZE_NOT_BLOCK:
		say_more(why, len,
			 "6.1 places the memmap on memory only when one add "
			 "request is exactly one memory block, and this one is "
			 "%s (%" PRIu64 " blocks of %s); 6.12 splits it per "
			 "block. The memmap comes from RAM",
			 rq, request_bytes / g->block_size, bs);
		break;
	}
}

/* What would the other modes do?  Appended when it helps the reader. */
static void mom_hint(const struct hp_platform *p, const struct hp_geometry *g,
		     const struct hp_mom_result *r, uint64_t request_bytes,
		     char *why, size_t len)
{
	struct hp_mom_result alt;

	if (r->verdict != HP_MOM_MODE_OFF)
		return;
	hp_mom_decide(p, g, HP_MODE_ON, request_bytes, &alt);
	if (alt.verdict == HP_MOM_OK) {
		say_more(why, len,
			 "; memmap_on_memory=on would put it on the device");
		return;
	}
	if (p->kernel == HP_KERNEL_6_1)
		return;
	hp_mom_decide(p, g, HP_MODE_FORCE, request_bytes, &alt);
	if (alt.verdict == HP_MOM_OK)
		say_more(why, len,
			 "; =on would not help (memmap of %" PRIu64
			 " pages is not whole pageblocks) but =force would, "
			 "reserving %" PRIu64 " extra pages per block",
			 alt.memmap_pages_per_block,
			 alt.altmap_pages_per_block -
				 alt.memmap_pages_per_block);
}

/* ---- pmem (ZONE_DEVICE) ---------------------------------------------- */

/*
 * vmemmap_can_optimize(): device-dax pages of @align (> PAGE_SIZE) share
 * their tail struct pages when the arch selects
 * ARCH_WANT_OPTIMIZE_DAX_VMEMMAP (6.12: x86_64, riscv, ppc64 radix;
 * 6.1: ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP, x86_64 only here), no
 * altmap is used, sizeof(struct page) is a power of two and one
 * compound page's memmap is more than VMEMMAP_RESERVE_NR (2) pages.
 */
static bool dax_vmemmap_dedup(const struct hp_platform *p,
			      const struct hp_geometry *g, uint64_t align)
{
	const uint64_t page = g->page_size;
	bool arch_ok;

	if (p->kernel == HP_KERNEL_6_12)
		arch_ok =
			p->arch == HP_ARCH_X86_64 ||
			p->arch == HP_ARCH_RISCV64 ||
			(p->arch == HP_ARCH_PPC64LE && p->mmu == HP_MMU_RADIX);
	else
		arch_ok = p->arch == HP_ARCH_X86_64;
	if (!arch_ok || align <= page || !is_pow2_u64(p->struct_page_size))
		return false;
	return (align / page) * p->struct_page_size / page > 2;
}

/*
 * 6.12/6.1 arch/x86/mm/init_64.c:vmemmap_populate(): a range whose
 * memmap is smaller than one section's is populated with base pages and
 * a NULL altmap, so the head and tail pieces of a namespace that is not
 * section-aligned have their memmap in RAM even with map=dev.
 */
static uint64_t x86_partial_section_memmap(const struct hp_platform *p,
					   const struct hp_geometry *g,
					   uint64_t start, uint64_t len)
{
	const uint64_t section = 1ULL << g->section_shift;
	const uint64_t page = g->page_size;
	uint64_t end = start + len, bytes = 0;
	uint64_t head_end = align_up_u64(start, section);
	uint64_t tail_start = align_down_u64(end, section);

	if (head_end > end)
		head_end = end;
	if (start % section)
		bytes += align_up_u64(((head_end - start) >> p->page_shift) *
					      p->struct_page_size,
				      page);
	if (end % section && tail_start >= head_end && tail_start > start)
		bytes += align_up_u64(((end - tail_start) >> p->page_shift) *
					      p->struct_page_size,
				      page);
	return bytes;
}

static void plan_pmem(const struct hp_platform *p, const struct hp_geometry *g,
		      const struct hp_device *d, uint64_t start,
		      struct hp_plan_state *st, struct hp_plan *out)
{
	/* ndctl's default --map is "dev" for fsdax and devdax */
	const bool map_dev = d->memmap_request != HP_NO;
	const uint64_t page = g->page_size;
	struct hp_pmem_layout lay;
	uint64_t s_pfn, e_pfn;
	char al[32];

	if (hp_pmem_layout(p, g, start, d->size, d->align, map_dev, &lay)) {
		format_size(lay.align, al, sizeof(al));
		out->status = HP_PLAN_REFUSED;
		say(out->reason, sizeof(out->reason),
		    "namespace cannot be set up: its start must be aligned to "
		    "memremap_compat_align() and it must hold the 8K info "
		    "block%s plus data at %s alignment "
		    "(drivers/nvdimm/pfn_devs.c:nd_pfn_init)",
		    map_dev ? " and the memmap" : "", al);
		return;
	}
	format_size(lay.align, al, sizeof(al));
	out->blocks = 0; /* ZONE_DEVICE memory makes no memory blocks */
	out->added_bytes = d->size - lay.end_trunc;
	out->trimmed_bytes = lay.end_trunc;
	out->usable_bytes = lay.data_bytes;
	/* memremap_pages() maps the memmap of the whole range, 2M sub-sections
	 */
	out->memmap_pages = div_round_up_u64(
		(out->added_bytes >> p->page_shift) * p->struct_page_size,
		page);
	out->memmap_bytes = out->memmap_pages * page;
	out->memmap_on_memory = map_dev;
	s_pfn = start >> p->page_shift;
	e_pfn = (start + out->added_bytes) >> p->page_shift;
	if (map_dev) {
		/*
		 * __nvdimm_setup_pfn(): the altmap reserves the info block,
		 * then the memmap area of MAX_STRUCT_PAGE_SIZE * npfns, padded
		 * to the alignment: all of dataoff is lost to data.
		 */
		uint64_t dataoff_pages = lay.dataoff >> p->page_shift;

		out->reserve_pages = dataoff_pages > out->memmap_pages
					     ? dataoff_pages - out->memmap_pages
					     : 0;
		out->memmap_node = -1;
		say(out->reason, sizeof(out->reason),
		    "map=dev: the memmap lives on the namespace: %" PRIu64
		    " bytes (8K info block + 64 bytes per page for %" PRIu64
		    " pages, padded to %s) precede the data "
		    "(drivers/nvdimm/pfn_devs.c:nd_pfn_init)",
		    lay.dataoff, (d->size - 8192) >> p->page_shift, al);
		if (p->arch == HP_ARCH_X86_64) {
			uint64_t part = x86_partial_section_memmap(
				p, g, start, out->added_bytes);

			if (part) {
				out->ram_memmap_bytes = part;
				say_more(out->reason, sizeof(out->reason),
					 "; the namespace starts or ends "
					 "inside a section, and x86 maps a "
					 "partial section's memmap from RAM "
					 "without the altmap "
					 "(arch/x86/mm/"
					 "init_64.c:vmemmap_populate): %" PRIu64
					 " bytes of memmap in RAM",
					 part);
			}
		}
	} else {
		int node = node_has_memory(st, d->node)
				   ? d->node
				   : lowest_node(st->nodes_with_memory);

		out->reserve_pages = lay.dataoff >> p->page_shift;
		out->memmap_node = node;
		out->ram_memmap_bytes =
			new_chunks(st->mapped_end_pfn, s_pfn, e_pfn,
				   p->struct_page_size,
				   g->vmemmap_ram_granule == HP_MAP_PMD
					   ? g->pmd_shift
					   : ilog2_u64(page)) *
			(g->vmemmap_ram_granule == HP_MAP_PMD
				 ? 1ULL << g->pmd_shift
				 : page);
		out->nr_node_shares = 1;
		out->node_shares[0].node = node;
		out->node_shares[0].pages = out->memmap_pages;
		say(out->reason, sizeof(out->reason),
		    "map=mem: the memmap (%" PRIu64
		    " pages) is allocated from RAM on node %d%s; only the 8K "
		    "info block padded to %s is kept on the namespace "
		    "(drivers/nvdimm/pfn_devs.c:nd_pfn_init)",
		    out->memmap_pages, node,
		    node != d->node ? " (the device's node has no memory yet)"
				    : "",
		    al);
		if (d->path == HP_PATH_PMEM_DEVDAX &&
		    dax_vmemmap_dedup(p, g, lay.align)) {
			/*
			 * mm/sparse-vmemmap.c:vmemmap_populate_compound_pages():
			 * device-dax compound pages keep VMEMMAP_RESERVE_NR (2)
			 * vmemmap pages each and map the rest to one shared
			 * page.
			 */
			out->ram_memmap_bytes =
				(out->added_bytes / lay.align) * 2 * page;
			say_more(out->reason, sizeof(out->reason),
				 "; device-dax with %s alignment deduplicates "
				 "its memmap: 2 pages per %s in RAM "
				 "(vmemmap_populate_compound_pages)",
				 al, al);
		}
	}
	out->ram_pagetable_bytes =
		table_pages(st->mapped_end_pfn, g, s_pfn, e_pfn,
			    p->struct_page_size, g->vmemmap_ram_granule) *
		page;
	out->ram_section_bytes =
		(align_up_u64(e_pfn,
			      1ULL << (g->section_shift - ilog2_u64(page))) -
		 align_down_u64(s_pfn, 1ULL << (g->section_shift -
						ilog2_u64(page)))) >>
		(g->section_shift - ilog2_u64(page));
	out->ram_section_bytes *= section_usage_bytes(g);
	if (e_pfn > st->mapped_end_pfn)
		st->mapped_end_pfn = e_pfn;
}

/* ---- hot-added System RAM ------------------------------------------- */

/*
 * Blocks of [s_pfn, e_pfn) whose memmap falls in a vmemmap PMD leaf that
 * boot RAM already populated.  vmemmap_populate() reuses a present leaf
 * (vmemmap_check_pmd: mm/sparse-vmemmap.c vmemmap_populate_hugepages,
 * arch/powerpc/mm/book3s64/radix_pgtable.c radix__vmemmap_populate)
 * before it looks at the altmap, so such a block's struct pages stay in
 * boot RAM and its altmap is withheld unused.  One leaf maps
 * PMD_SIZE / sizeof(struct page) pfns: 128M of memory with 4K pages (one
 * block: its own), 2G on ppc64le radix with 64K pages (eight 256M LMBs,
 * shared with boot RAM below them).
 */
static uint64_t blocks_in_boot_leaf(const struct hp_platform *p,
				    const struct hp_geometry *g, uint64_t s_pfn,
				    uint64_t e_pfn, uint64_t block_pages)
{
	uint64_t leaf_pfns, leaf_end, n = 0;

	if (g->vmemmap_ram_granule != HP_MAP_PMD || !p->boot_memory_end ||
	    !p->struct_page_size)
		return 0;
	leaf_pfns = (1ULL << g->pmd_shift) / p->struct_page_size;
	/*
	 * A leaf no larger than a block is that block's own: boot RAM shares
	 * it only where the block overlaps boot RAM, which then is a hole
	 * (soft reserved, pmem) whose section boot never populated.
	 */
	if (leaf_pfns <= block_pages)
		return 0;
	leaf_end = align_up_u64(p->boot_memory_end >> p->page_shift, leaf_pfns);
	for (uint64_t pfn = s_pfn; pfn < e_pfn; pfn += block_pages)
		n += pfn < leaf_end;
	return n;
}

static bool per_block_adds(enum hp_path path)
{
	/* each block is its own add_memory() call, onlined before the next */
	return path == HP_PATH_VIRTIO_MEM || path == HP_PATH_PROBE ||
	       path == HP_PATH_PSERIES_DLPAR;
}

void hp_plan_device(const struct hp_platform *p, const struct hp_geometry *g,
		    const struct hp_device *d, struct hp_plan_state *st,
		    struct hp_plan *out)
{
	const uint64_t page = g->page_size;
	const uint64_t block = g->block_size;
	const uint64_t block_pages = block >> p->page_shift;
	const bool auto_online = p->auto_online != HP_NO;
	uint64_t start = d->has_start ? d->start : st->next_start;
	uint64_t add_start, add_end, s_pfn, e_pfn, request_bytes;
	struct hp_mom_result mom;
	const char *unsup;
	char bs[32], st_s[32];
	bool requested, on_device;
	uint64_t in_leaf;
	int node;
	struct hp_pmem_layout head = {0};

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", d->name);
	out->path = d->path;
	out->device_bytes = d->size;
	out->block_size = block;
	out->page_size = g->page_size;
	out->pageblock_pages = 1ULL << g->pageblock_order;
	out->memmap_node = -1;
	format_size(block, bs, sizeof(bs));

	if (!g->hotplug_supported) {
		out->status = HP_PLAN_REFUSED;
		say(out->reason, sizeof(out->reason), "%s %s: %s",
		    hp_arch_name(p->arch), hp_kernel_name(p->kernel),
		    g->unsupported_reason);
		return;
	}
	unsup = path_unsupported(p, d->path);
	if (unsup) {
		out->status = HP_PLAN_REFUSED;
		say(out->reason, sizeof(out->reason), "%s", unsup);
		return;
	}
	if (d->path == HP_PATH_PMEM_DEVDAX || d->path == HP_PATH_PMEM_FSDAX) {
		if (!d->has_start)
			start = align_up_u64(st->next_start, SZ_2M);
		plan_pmem(p, g, d, start, st, out);
		if (out->status == HP_PLAN_OK) {
			st->next_start = align_up_u64(start + d->size, block);
			out->ram_needed_bytes = out->ram_memmap_bytes +
						out->ram_pagetable_bytes +
						out->ram_section_bytes;
		}
		return;
	}

	/* the range that becomes memory blocks */
	if (d->path == HP_PATH_DAX_KMEM) {
		uint64_t dax_start = start, dax_end = start + d->size;

		/*
		 * A namespace made devdax (ndctl -m devdax, map=dev): the dax
		 * device is its data area, after the info block and the
		 * memmap reserve (drivers/nvdimm/pfn_devs.c:nd_pfn_init()).
		 */
		if (d->pmem_namespace == HP_YES) {
			if (hp_pmem_layout(p, g, start, d->size, d->align, true,
					   &head)) {
				out->status = HP_PLAN_REFUSED;
				format_size(head.align, st_s, sizeof(st_s));
				say(out->reason, sizeof(out->reason),
				    "the namespace cannot be made devdax "
				    "(drivers/nvdimm/pfn_devs.c:nd_pfn_init): "
				    "its info block and memmap reserve, "
				    "padded to %s, leave no data (\"unable to "
				    "satisfy requested alignment\"), or its "
				    "start is misaligned",
				    st_s);
				return;
			}
			dax_start = start + head.dataoff;
			dax_end = dax_start + head.data_bytes;
		}
		/* drivers/dax/kmem.c:dax_kmem_range(): trim to block boundaries
		 */
		add_start = align_up_u64(dax_start, block);
		add_end = align_down_u64(dax_end, block);
		if (add_start >= add_end) {
			out->status = HP_PLAN_REFUSED;
			format_size(start, st_s, sizeof(st_s));
			say(out->reason, sizeof(out->reason),
			    "no whole %s memory block fits in the range after "
			    "aligning it to block boundaries: kmem rejects the "
			    "dax device (drivers/dax/kmem.c:dev_dax_kmem_probe "
			    "\"rejecting DAX region without any memory after "
			    "alignment\")",
			    bs);
			if (head.dataoff) {
				format_size(head.dataoff, st_s, sizeof(st_s));
				say_more(
					out->reason, sizeof(out->reason),
					"; the devdax's info block and memmap "
					"reserve take the namespace's first %s",
					st_s);
			}
			return;
		}
	} else if (d->path == HP_PATH_VIRTIO_MEM) {
		/*
		 * drivers/virtio/virtio_mem.c:virtio_mem_init(): the device
		 * region must be block-aligned; memory is added a whole block
		 * at a time and plugged in sub-blocks of at least a pageblock.
		 */
		const uint64_t sb = (page << g->pageblock_order) > SZ_2M
					    ? page << g->pageblock_order
					    : SZ_2M;
		if (start % block || d->size % sb) {
			out->status = HP_PLAN_REFUSED;
			say(out->reason, sizeof(out->reason),
			    "virtio-mem needs a region starting on a %s block "
			    "boundary (virtio_mem_init) and a requested size "
			    "that is a multiple of its %" PRIu64
			    "K sub-block (virtio_mem_init: max(pageblock, "
			    "device block size))",
			    bs, sb >> 10);
			return;
		}
		add_start = start;
		add_end = start + align_up_u64(d->size, block);
	} else {
		/* mm/memory_hotplug.c:check_hotplug_memory_range() */
		if (start % block || d->size % block || !d->size) {
			out->status = HP_PLAN_REFUSED;
			format_size(start, st_s, sizeof(st_s));
			say(out->reason, sizeof(out->reason),
			    "the kernel refuses the add: start %s and size "
			    "must both be multiples of the %s memory block "
			    "size "
			    "(mm/memory_hotplug.c:check_hotplug_memory_range)",
			    st_s, bs);
			return;
		}
		add_start = start;
		add_end = start + d->size;
	}
	out->added_bytes = add_end - add_start;
	out->trimmed_bytes =
		d->path == HP_PATH_DAX_KMEM ? d->size - out->added_bytes : 0;
	out->blocks = out->added_bytes / block;

	/* one add_memory() request covers the whole range, or one block */
	request_bytes = per_block_adds(d->path) ? block : out->added_bytes;
	requested = path_requests_mom(p, d, out->reason, sizeof(out->reason));
	hp_mom_decide(p, g, p->mode, request_bytes, &mom);
	on_device = requested && mom.verdict == HP_MOM_OK;
	if (requested) {
		if (d->path == HP_PATH_DAX_KMEM &&
		    d->memmap_request == HP_YES && mom.verdict != HP_MOM_OK)
			say_more(
				out->reason, sizeof(out->reason),
				"writing 1 to the dax device's "
				"memmap_on_memory fails with EOPNOTSUPP "
				"(drivers/dax/bus.c:memmap_on_memory_store): ");
		mom_sentence(p, g, &mom, request_bytes, out->reason,
			     sizeof(out->reason));
		mom_hint(p, g, &mom, request_bytes, out->reason,
			 sizeof(out->reason));
	}
	if (head.dataoff) {
		char off_s[32], al_s[32];

		format_size(head.dataoff, off_s, sizeof(off_s));
		format_size(head.align, al_s, sizeof(al_s));
		say_more(out->reason, sizeof(out->reason),
			 "%sthe devdax takes the namespace's first %s for its "
			 "info block and memmap reserve (aligned to %s, "
			 "nd_pfn_init), so kmem gets the rest",
			 out->reason[0] ? "; " : "", off_s, al_s);
	}

	out->memmap_on_memory = on_device;
	out->memmap_pages_per_block = mom.memmap_pages_per_block;
	out->memmap_pages = out->blocks * mom.memmap_pages_per_block;
	out->memmap_bytes = out->memmap_pages * page;

	s_pfn = add_start >> p->page_shift;
	e_pfn = add_end >> p->page_shift;
	in_leaf = on_device
			  ? blocks_in_boot_leaf(p, g, s_pfn, e_pfn, block_pages)
			  : 0;
	if (on_device) {
		out->reserve_pages_per_block =
			mom.altmap_pages_per_block - mom.memmap_pages_per_block;
		/* a block in a boot leaf withholds its altmap unused */
		out->reserve_pages =
			out->blocks * out->reserve_pages_per_block +
			in_leaf * mom.memmap_pages_per_block;
		out->withheld_pages = out->blocks * mom.altmap_pages_per_block;
		out->usable_bytes = out->blocks *
				    (block_pages - mom.altmap_pages_per_block) *
				    page;
		out->memmap_node = -1;
	}
	if (in_leaf) {
		char lb[32];

		format_size((1ULL << g->pmd_shift) / p->struct_page_size * page,
			    lb, sizeof(lb));
		out->memmap_on_memory = false;
		out->memmap_node = lowest_node(st->nodes_with_memory);
		out->node_shares[0].node = out->memmap_node;
		out->node_shares[0].pages =
			in_leaf * mom.memmap_pages_per_block;
		out->nr_node_shares = 1;
		say_more(out->reason, sizeof(out->reason),
			 "; but the memmap of %" PRIu64 " of the %" PRIu64
			 " blocks lies in a vmemmap PMD leaf (one maps %s of "
			 "memory) that boot RAM already populated: "
			 "vmemmap_populate() reuses it (vmemmap_check_pmd), so "
			 "their struct pages are in node %d's RAM and each "
			 "withholds its whole altmap of %" PRIu64
			 " pages unused",
			 in_leaf, out->blocks, lb, out->memmap_node,
			 mom.altmap_pages_per_block);
	} else if (!on_device) {
		/*
		 * mm/sparse-vmemmap.c:vmemmap_alloc_block() ->
		 * alloc_pages_node(nid, GFP_KERNEL | __GFP_RETRY_MAYFAIL |
		 * __GFP_NOWARN): the device's node, or by the zonelist the
		 * nearest node with memory when it has none (a CPU-less,
		 * memory-less CXL node before its first block is online).
		 */
		uint64_t ram_memmap;
		const unsigned int leaf = g->vmemmap_ram_granule == HP_MAP_PMD
						  ? g->pmd_shift
						  : ilog2_u64(page);

		node = node_has_memory(st, d->node)
			       ? d->node
			       : lowest_node(st->nodes_with_memory);
		out->usable_bytes = d->path == HP_PATH_VIRTIO_MEM
					    ? d->size
					    : out->added_bytes;
		/*
		 * virtio-mem onlines whole blocks but keeps unplugged
		 * sub-blocks fake-offline: present, never managed
		 * (virtio_mem_online_page; online_pages counts the block)
		 */
		out->withheld_pages =
			(out->added_bytes - out->usable_bytes) >> p->page_shift;
		ram_memmap = new_chunks(st->mapped_end_pfn, s_pfn, e_pfn,
					p->struct_page_size, leaf) *
			     (1ULL << leaf);
		out->ram_memmap_bytes = ram_memmap;
		out->node_shares[0].node = node;
		out->node_shares[0].pages = out->memmap_pages;
		out->nr_node_shares = 1;
		if (node != d->node && per_block_adds(d->path) && auto_online &&
		    out->blocks > 1) {
			/* the first block brings the node online with memory */
			out->node_shares[0].pages = mom.memmap_pages_per_block;
			out->node_shares[1].node = d->node;
			out->node_shares[1].pages =
				out->memmap_pages - mom.memmap_pages_per_block;
			out->nr_node_shares = 2;
			node = d->node;
			say_more(out->reason, sizeof(out->reason),
				 "; node %d has no memory until the first "
				 "block is online, so that block's memmap "
				 "comes from node %d and the rest from node %d",
				 d->node, out->node_shares[0].node, d->node);
		} else if (node != d->node) {
			say_more(
				out->reason, sizeof(out->reason),
				"; node %d has no memory yet, so the memmap is "
				"allocated on node %d (the nearest node with "
				"memory, taken as the lowest-numbered one)",
				d->node, node);
		}
		out->memmap_node = node;
	}
	out->ram_pagetable_bytes =
		table_pages(st->mapped_end_pfn, g, s_pfn, e_pfn,
			    p->struct_page_size, g->vmemmap_ram_granule) *
		page;
	/*
	 * Adds of one block at a time (6.12 per-block altmaps, virtio-mem,
	 * probe, DLPAR) cannot use 1G pages for 128M pieces: split_mem_range()
	 * maps each with 2M pages, one PMD table per gigabyte touched.
	 */
	if (g->linear_map_granule == HP_MAP_PUD &&
	    (on_device || per_block_adds(d->path)) &&
	    p->kernel == HP_KERNEL_6_12 && block < (1ULL << g->pud_shift))
		out->ram_pagetable_bytes +=
			table_pages(st->mapped_end_pfn, g, s_pfn, e_pfn, page,
				    HP_MAP_PMD) *
			page;
	else if (g->linear_map_granule == HP_MAP_PUD)
		out->ram_pagetable_bytes +=
			x86_linear_tables(st->mapped_end_pfn, g, s_pfn, e_pfn) *
			page;
	else
		out->ram_pagetable_bytes +=
			table_pages(st->mapped_end_pfn, g, s_pfn, e_pfn, page,
				    g->linear_map_granule) *
			page;
	out->ram_section_bytes =
		(out->added_bytes >> g->section_shift) * section_usage_bytes(g);
	out->ram_needed_bytes = out->ram_memmap_bytes +
				out->ram_pagetable_bytes +
				out->ram_section_bytes;

	/* what the next device sees */
	if (auto_online && d->node >= 0 && d->node < HP_MAX_NODES)
		st->nodes_with_memory |= 1ULL << d->node;
	if (e_pfn > st->mapped_end_pfn)
		st->mapped_end_pfn = e_pfn;
	if (add_end > st->next_start)
		st->next_start = align_up_u64(start + d->size, block);
}

void hp_totals_add(struct hp_totals *t, const struct hp_plan *pl)
{
	const uint64_t page = pl->page_size;

	t->device_bytes += pl->device_bytes;
	if (pl->status != HP_PLAN_OK) {
		t->refused++;
		return;
	}
	t->added_bytes += pl->added_bytes;
	t->trimmed_bytes += pl->trimmed_bytes;
	t->usable_bytes += pl->usable_bytes;
	t->memmap_bytes += pl->memmap_bytes;
	if (pl->memmap_on_memory)
		t->memmap_device_bytes += pl->memmap_bytes;
	else
		t->memmap_ram_bytes += pl->memmap_bytes;
	t->reserve_bytes += pl->reserve_pages * page;
	t->ram_needed_bytes += pl->ram_needed_bytes;
	t->blocks += pl->blocks;
}
