/* SPDX-License-Identifier: MIT */
/*
 * The hpbench planning model: what the kernel does when memory is
 * hot-added, as pure functions over const structs.  No I/O, no globals
 * beyond const tables.  Every rule names the kernel function it mirrors
 * (see rules.c and arch.c).
 */
#ifndef HP_PLANNER_MODEL_H
#define HP_PLANNER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HP_NAME_MAX 64
#define HP_REASON_MAX 512
#define HP_MAX_NODES 64

enum hp_arch {
	HP_ARCH_X86_64,
	HP_ARCH_ARM64,
	HP_ARCH_PPC64LE,
	HP_ARCH_RISCV64,
	HP_ARCH_S390X,
	HP_ARCH_NR,
};

/* Rule sets: one per kernel series the model was derived from. */
enum hp_kernel {
	HP_KERNEL_6_1,
	HP_KERNEL_6_12,
	HP_KERNEL_NR,
};

enum hp_mmu {
	HP_MMU_NONE, /* not ppc64le: the key does not apply */
	HP_MMU_RADIX,
	HP_MMU_HASH,
	HP_MMU_NR,
};

/* memory_hotplug.memmap_on_memory */
enum hp_mode {
	HP_MODE_OFF,
	HP_MODE_ON,
	HP_MODE_FORCE,
	HP_MODE_NR,
};

enum hp_path {
	HP_PATH_ACPI_DIMM,
	HP_PATH_VIRTIO_MEM,
	HP_PATH_DAX_KMEM,
	HP_PATH_PROBE,
	HP_PATH_PMEM_DEVDAX,
	HP_PATH_PMEM_FSDAX,
	HP_PATH_PSERIES_DLPAR,
	HP_PATH_NR,
};

/* Which driver created a dax device: decides kmem's memmap_on_memory default.
 */
enum hp_dax_source {
	HP_DAX_PMEM,
	HP_DAX_HMEM,
	HP_DAX_CXL,
	HP_DAX_NR,
};

enum hp_tristate {
	HP_UNSET = -1,
	HP_NO = 0,
	HP_YES = 1,
};

/* How a range of the kernel's virtual map is backed. */
enum hp_map_granule {
	HP_MAP_BASE, /* PTEs: one page-table page per PMD_SIZE of VA */
	HP_MAP_PMD,  /* PMD leaves: one table page per PUD_SIZE of VA */
	HP_MAP_PUD,  /* PUD leaves (x86 gbpages) */
};

struct hp_platform {
	enum hp_arch arch;
	unsigned int page_shift;
	enum hp_kernel kernel;
	enum hp_mmu mmu;
	enum hp_mode mode;
	uint64_t block_size;	  /* 0: derive as the kernel would */
	uint64_t boot_memory_end; /* 0: unknown */
	enum hp_tristate hypervisor;
	unsigned int struct_page_size; /* sizeof(struct page) */
	/* nodes that have memory before any hot-add (bitmap) */
	uint64_t boot_nodes;
	bool boot_nodes_set;
	enum hp_tristate auto_online; /* memhp_default_state=online */
};

struct hp_device {
	char name[HP_NAME_MAX];
	enum hp_path path;
	uint64_t start;
	bool has_start;
	uint64_t size;
	int node;
	enum hp_tristate memmap_request; /* kmem attribute / pmem map=dev */
	enum hp_dax_source dax_source;
	uint64_t align; /* pmem namespace alignment; 0 = default */
	/* dax-kmem over pmem: start/size are the namespace, made devdax */
	enum hp_tristate pmem_namespace;
};

/* Everything the model knows about one platform, derived once. */
struct hp_geometry {
	unsigned int page_size;
	unsigned int section_shift;
	unsigned int pmd_shift;
	unsigned int pud_shift;
	unsigned int pageblock_order;
	unsigned int max_order; /* largest buddy order, inclusive */
	uint64_t block_size;
	char block_size_why[HP_REASON_MAX];
	bool hotplug_supported;
	bool memmap_on_memory_config; /* CONFIG_MHP_MEMMAP_ON_MEMORY possible */
	enum hp_map_granule vmemmap_ram_granule; /* memmap from RAM */
	enum hp_map_granule
		linear_map_granule; /* direct map of hot-added RAM */
	const char *unsupported_reason;
};

struct hp_node_share {
	int node;
	uint64_t pages;
};

enum hp_plan_status {
	HP_PLAN_OK,
	HP_PLAN_REFUSED, /* the kernel rejects the add; see reason */
};

struct hp_plan {
	char name[HP_NAME_MAX];
	enum hp_path path;
	enum hp_plan_status status;
	uint64_t device_bytes;
	uint64_t added_bytes; /* after trimming: what becomes memory blocks */
	uint64_t trimmed_bytes;
	uint64_t blocks;
	uint64_t block_size;
	unsigned int page_size;
	uint64_t pageblock_pages;
	bool memmap_on_memory; /* memmap lives on the device */
	char reason[HP_REASON_MAX];
	/* per block, when memory blocks are created */
	uint64_t memmap_pages_per_block;
	uint64_t reserve_pages_per_block;
	/* device totals */
	uint64_t memmap_pages;	/* struct page storage, wherever it lives */
	uint64_t reserve_pages; /* set aside but unused (force padding, pmem) */
	/* pages of the added range kept from the buddy: the altmaps */
	uint64_t withheld_pages;
	uint64_t memmap_bytes;
	uint64_t usable_bytes;
	/* what must be free in RAM before the add */
	uint64_t ram_memmap_bytes;
	uint64_t ram_pagetable_bytes;
	uint64_t ram_section_bytes;
	uint64_t ram_needed_bytes;
	int memmap_node; /* -1: on the device */
	unsigned int nr_node_shares;
	struct hp_node_share node_shares[2];
};

struct hp_totals {
	uint64_t device_bytes;
	uint64_t added_bytes;
	uint64_t trimmed_bytes;
	uint64_t usable_bytes;
	uint64_t memmap_bytes;
	uint64_t memmap_device_bytes;
	uint64_t memmap_ram_bytes;
	uint64_t reserve_bytes;
	uint64_t ram_needed_bytes;
	uint64_t blocks;
	unsigned int refused;
};

/*
 * State carried between devices of one configuration: a node that got
 * memory from an earlier device can host the next device's memmap, and
 * page tables already built for one device are not built twice.
 */
struct hp_plan_state {
	uint64_t nodes_with_memory;
	/* highest pfn whose vmemmap / linear map tables exist (boot RAM) */
	uint64_t mapped_end_pfn;
	uint64_t next_start; /* where an address-less device would land */
};

/* names <-> enums (tables in names.c); NULL / -1 when unknown */
const char *hp_arch_name(enum hp_arch arch);
const char *hp_kernel_name(enum hp_kernel kernel);
const char *hp_mmu_name(enum hp_mmu mmu);
const char *hp_mode_name(enum hp_mode mode);
const char *hp_path_name(enum hp_path path);
const char *hp_dax_source_name(enum hp_dax_source src);
int hp_arch_from_name(const char *s);
int hp_kernel_from_name(const char *s);
int hp_mmu_from_name(const char *s);
int hp_mode_from_name(const char *s);
int hp_bool_from_name(const char *s);
/* node list "0-1,3" -> bitmap; 0 or -EINVAL */
int hp_nodes_from_list(const char *s, uint64_t *mask);
int hp_path_from_name(const char *s);
int hp_dax_source_from_name(const char *s);
/* "6.1, 6.12": for error messages */
const char *hp_kernel_supported_list(void);

void hp_platform_init(struct hp_platform *p);
void hp_device_init(struct hp_device *d);

/*
 * Derive page, section, pageblock, PMD and memory block geometry.
 * Returns 0, or -EINVAL with a sentence in @why (unsupported combination
 * such as 16K pages on ppc64le, or an explicit block size the kernel
 * would never use).
 */
int hp_geometry_derive(const struct hp_platform *p, struct hp_geometry *g,
		       char *why, size_t why_len);

void hp_plan_state_init(const struct hp_platform *p,
			const struct hp_geometry *g, struct hp_plan_state *st);

/* Plan one device; updates @st for the devices after it. */
void hp_plan_device(const struct hp_platform *p, const struct hp_geometry *g,
		    const struct hp_device *d, struct hp_plan_state *st,
		    struct hp_plan *out);

void hp_totals_add(struct hp_totals *t, const struct hp_plan *pl);

#endif
