/* SPDX-License-Identifier: MIT */
/*
 * bench.h - a measurement in progress: the configuration booted, the
 * request being measured, and the hotplug paths as a table of ops (the
 * way fio has engines).
 */
#ifndef HP_BENCH_BENCH_H
#define HP_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "../planner/model.h"
#include "lab.h"
#include "measure.h"
#include "results.h"

enum hp_op { HP_OP_ADD, HP_OP_ONLINE, HP_OP_OFFLINE, HP_OP_REMOVE, HP_OP_NR };

extern const char *const hp_op_names[HP_OP_NR];

#define HP_MAX_SIZES 16
/* a q35 guest below 64G of RAM: probe_memory_block_size() gives 128M */
#define HP_LAB_BLOCK_SIZE (128ULL << 20)
#define HP_MAX_TRIALS 1000

struct hp_bench_ctx;

/* What one hot-add request produced, besides the rows it wrote. */
struct hp_request {
	uint64_t size;
	unsigned int index; /* which device of this boot (slot, range) */
	long blocks[AGENT_MAX_BLOCKS];
	unsigned int nr_blocks;
	uint64_t dev_start, dev_size; /* the dax device kmem adds (dax-kmem) */
	/* dax-kmem over pmem: the namespace made devdax (0: none), the align
	 * its dax seed was given (0: the default) */
	uint64_t ns_start, ns_align;
	char status[256]; /* "ok" or what failed */
	bool guest_dead;  /* the lab is gone: stop this configuration */
};

struct hp_path_ops {
	const char *name;
	enum hp_path planner_path;
	bool host_side;	       /* QMP marks completion: host latencies exist */
	bool auto_online;      /* the path needs memhp auto-online */
	bool no_capacity;      /* nothing is added: no capacity row */
	const char *arches;    /* where the lab runs it: "x86_64,arm64" */
	const char *why_not;   /* why not on the other arches */
	bool on_pmem;	       /* its dax devices sit on pmem namespaces */
	bool cxl;	       /* a CXL memory expander: its own node (1) */
	uint64_t size_granule; /* requests must be multiples of it (or 0) */
	bool map_attr;	       /* the attribute dimension is pmem's map */
	/* kernel options it needs: a kernel without one is refused (lab.h) */
	const char *needs_config;
	/* boot-time arguments (QEMU devices, kernel command line) */
	int (*prepare)(struct hp_bench_ctx *ctx, struct lab_opts *o,
		       char *append, size_t append_len);
	/* untimed set-up before the "before" snapshot (may be NULL) */
	int (*setup)(struct hp_bench_ctx *ctx, struct hp_request *req);
	int (*add)(struct hp_bench_ctx *ctx, struct hp_request *req);
	int (*remove)(struct hp_bench_ctx *ctx, struct hp_request *req);
	/* capacity where blocks and MemTotal do not tell it (may be NULL) */
	void (*capacity)(struct hp_bench_ctx *ctx, struct hp_request *req,
			 struct hp_capacity *c);
};

const struct hp_path_ops *hp_path_ops_find(const char *name);
/* --target host: a real dax device, and an offline block */
extern const struct hp_path_ops hp_host_dax_ops, hp_host_block_ops;
extern const struct hp_path_ops *const hp_path_table[];

/* One booted configuration and the request in flight. */
struct hp_bench_ctx {
	struct lab lab;
	struct hp_results *res;
	const struct hp_path_ops *ops;
	enum hp_mode mode;
	bool auto_online;
	const char *online_type; /* "online_movable" or "online" (sysfs word) */
	int node;		 /* target node of hot-added memory */
	int kmem_attr;		 /* dax-kmem memmap_on_memory attribute, 0/1 */
	bool dax_pmem;		 /* dax-kmem over legacy pmem, not hmem */
	bool dax_nvdimm;	 /* nvdimm-kmem: QEMU NVDIMMs, one per size */
	bool dax_cxl;		 /* cxl: a region of the CXL type-3 device */
	uint64_t cxl_start;	 /* the region's address, once created */
	char cxl_region[16], cxl_decoder[24]; /* regionN, its endpoint's */
	char pmem_ns[24], pmem_pfn[24]; /* pmem-fsdax: namespaceN.0, pfnN.M */
	uint64_t pmem_ns_start, pmem_ns_size;
	bool pmem_map_dev;	/* the pfn device's mode after the bind */
	unsigned int page_size; /* the guest's */
	uint64_t nvdimm_addr[HP_MAX_SIZES]; /* where QEMU put each */
	/* pseries: their backing files, until QEMU has mapped them */
	char nvdimm_file[HP_MAX_SIZES][600];
	bool nvdimm_prewritten; /* their info blocks are written (pseries) */
	/* the lab as the planner models it (the page size asked for) */
	struct hp_platform platform;
	uint64_t block_size_req; /* memory_block_size= on the command line */
	uint64_t block_size;
	/* the stock counters can split memmap from reserve (measure.h) */
	bool counters_exact;
	uint64_t boot_mem;
	uint64_t sizes[HP_MAX_SIZES]; /* dax-kmem carves one range each */
	unsigned int nr_sizes;
	int timeout_ms;
	char config[128];	/* row key: path/mode/online[/attr] */
	char device[64];	/* --target host: the device measured */
	char device_driver[32]; /* its driver before hpbench took it */

	/* the request being measured, for the rows it emits */
	uint64_t size;
	unsigned int trial, request;
	uint64_t online_before;
	int64_t op_ns[HP_OP_NR]; /* per-request total, -1 = not measured */
	bool op_host[HP_OP_NR];

	int64_t mark_ns;       /* guest clock at the last agent mark */
	unsigned int next_dev; /* QEMU id counter */
	uint64_t virtio_mem_plugged;
	uint64_t virtio_mem_capacity; /* the device's backend size */
	uint64_t probe_span; /* probe: RAM above 4G for every request of a boot
			      */
	uint64_t probe_next; /* probe: where the next request starts */
};

/* write a latency row for the request in flight */
void hp_emit(struct hp_bench_ctx *ctx, enum hp_op op, const char *side,
	     long block, int64_t ns, const char *status);

/* helpers shared by the paths */
int hp_agent_mark(struct hp_bench_ctx *ctx);
/* wait for count block events of action; fills blocks with their ids */
int hp_agent_block_events(struct hp_bench_ctx *ctx, const char *action,
			  unsigned int count, int timeout_ms,
			  struct hp_request *req, bool emit_as_add);
int hp_agent_wait(struct hp_bench_ctx *ctx, const char *action,
		  unsigned int count, struct hp_request *req);
/* dax-kmem range i of the lab and where they end (device.cfg, checks) */
#define HP_DAX_BASE (4ULL << 30)
#define HP_DAX_ALIGN (2ULL << 30)
uint64_t hp_dax_range_start(const uint64_t *sizes, unsigned int i);
uint64_t hp_dax_span_end(const uint64_t *sizes, unsigned int n);
int hp_online_blocks(struct hp_bench_ctx *ctx, struct hp_request *req);
int hp_offline_blocks(struct hp_bench_ctx *ctx, struct hp_request *req);

#endif
