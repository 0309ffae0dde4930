// SPDX-License-Identifier: MIT
/*
 * paths.c - the hotplug paths, one table of ops each.
 *
 * Host-side latency is QMP command to completion event (ACPI_DEVICE_OST
 * for a DIMM, DEVICE_DELETED for its removal, the virtio-mem size
 * reaching the request).  Guest-side latency is the agent's
 * CLOCK_MONOTONIC: around each sysfs write (online, offline, kmem bind),
 * or, where the kernel does the work on its own (ACPI add, virtio-mem),
 * the interval between consecutive memory-block uevents after a mark.
 */
#include "bench.h"
#include "nd_info.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const hp_op_names[HP_OP_NR] = {
	[HP_OP_ADD] = "add",
	[HP_OP_ONLINE] = "online",
	[HP_OP_OFFLINE] = "offline",
	[HP_OP_REMOVE] = "remove",
};

static void set_status(struct hp_request *req, const char *fmt_, ...)
	__attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void set_status(struct hp_request *req, const char *fmt_, ...)
{
	va_list ap;

	va_start(ap, fmt_);
	vsnprintf(req->status, sizeof(req->status), fmt_, ap);
	va_end(ap);
}

int hp_agent_mark(struct hp_bench_ctx *ctx)
{
	json_t *req = json_pack("{s:s}", "cmd", "mark"), *rep;
	int rc = lab_agent(&ctx->lab, req, &rep, ctx->timeout_ms);

	json_decref(req);
	if (rc)
		return -1;
	ctx->mark_ns = json_integer_value(json_object_get(rep, "t_ns"));
	json_decref(rep);
	return 0;
}

static int cmp_event(const void *a, const void *b)
{
	const struct agent_event *x = a, *y = b;

	return (x->t_ns > y->t_ns) - (x->t_ns < y->t_ns);
}

int hp_agent_block_events(struct hp_bench_ctx *ctx, const char *action,
			  unsigned int count, int timeout_ms,
			  struct hp_request *req, bool emit_as_add)
{
	json_t *q = json_pack("{s:s, s:s, s:i, s:i}", "cmd", "events", "action",
			      action, "count", count, "timeout_ms", timeout_ms);
	struct agent_event *ev;
	json_t *rep, *arr, *v;
	int64_t prev = ctx->mark_ns;
	unsigned int n = 0;
	size_t i;

	if (lab_agent(&ctx->lab, q, &rep, timeout_ms + ctx->timeout_ms)) {
		json_decref(q);
		req->guest_dead = true;
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	json_decref(q);
	arr = json_object_get(rep, "events");
	ev = calloc(json_array_size(arr) + 1, sizeof(*ev));
	json_array_foreach(arr, i, v)
	{
		if (!agent_event_from_json(v, &ev[n]) &&
		    !strcmp(ev[n].action, action))
			n++;
	}
	qsort(ev, n, sizeof(*ev), cmp_event);
	if (emit_as_add)
		req->nr_blocks = 0;
	for (i = 0; i < n; i++) {
		hp_emit(ctx, emit_as_add ? HP_OP_ADD : HP_OP_REMOVE, "guest",
			ev[i].block, ev[i].t_ns - prev, "ok");
		prev = ev[i].t_ns;
		if (emit_as_add && req->nr_blocks < AGENT_MAX_BLOCKS)
			req->blocks[req->nr_blocks++] = ev[i].block;
	}
	free(ev);
	json_decref(rep);
	if (n < count) {
		set_status(req, "guest saw %u of %u '%s' block events", n,
			   count, action);
		return -1;
	}
	return 0;
}

static int blocks_state(struct hp_bench_ctx *ctx, struct hp_request *req,
			enum hp_op op, const char *value)
{
	int64_t total = 0;

	for (unsigned int i = 0; i < req->nr_blocks; i++) {
		char path[96];
		int64_t ns = 0;
		int rc;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%ld/state",
			 req->blocks[i]);
		rc = lab_agent_write(&ctx->lab, path, value, &ns,
				     ctx->timeout_ms);
		if (rc == -ETIMEDOUT) {
			req->guest_dead = true;
			set_status(req, "%s", ctx->lab.error);
			return -1;
		}
		if (rc) {
			hp_emit(ctx, op, "guest", req->blocks[i], ns,
				ctx->lab.error);
			set_status(req, "%s of memory%ld refused: %s",
				   hp_op_names[op], req->blocks[i],
				   strerror(-rc));
			return -1;
		}
		hp_emit(ctx, op, "guest", req->blocks[i], ns, "ok");
		total += ns;
	}
	ctx->op_ns[op] = total;
	ctx->op_host[op] = false;
	return 0;
}

/* wait for count `action` events since the mark, recording nothing */
int hp_agent_wait(struct hp_bench_ctx *ctx, const char *action,
		  unsigned int count, struct hp_request *req)
{
	json_t *q = json_pack("{s:s, s:s, s:i, s:i}", "cmd", "events", "action",
			      action, "count", count, "timeout_ms",
			      ctx->timeout_ms),
	       *rep;
	int complete;

	if (lab_agent(&ctx->lab, q, &rep, 2 * ctx->timeout_ms)) {
		json_decref(q);
		req->guest_dead = true;
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	json_decref(q);
	complete = json_is_true(json_object_get(rep, "complete"));
	json_decref(rep);
	if (!complete) {
		set_status(req,
			   "guest did not report %u '%s' events within %d ms",
			   count, action, ctx->timeout_ms);
		return -1;
	}
	return 0;
}

int hp_online_blocks(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	return blocks_state(ctx, req, HP_OP_ONLINE,
			    ctx->online_type ? ctx->online_type
					     : "online_movable");
}

int hp_offline_blocks(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	return blocks_state(ctx, req, HP_OP_OFFLINE, "offline");
}

static void host_op(struct hp_bench_ctx *ctx, enum hp_op op, int64_t ns)
{
	hp_emit(ctx, op, "host", -1, ns, "ok");
	ctx->op_ns[op] = ns;
	ctx->op_host[op] = true;
}

static void qmp_failed(struct hp_bench_ctx *ctx, struct hp_request *req,
		       enum hp_op op, int rc)
{
	hp_emit(ctx, op, "host", -1, -1, ctx->lab.qmp.error);
	set_status(req, "%s", ctx->lab.qmp.error);
	if (rc == -ETIMEDOUT || rc == -EPIPE || !lab_alive(&ctx->lab))
		req->guest_dead = true;
}

/* ---- acpi-dimm: memory-backend-ram + pc-dimm, ACPI hotplug ---- */

static int dimm_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
			char *append, size_t len)
{
	size_t off = strlen(append);

	(void)ctx;
	/*
	 * arm64 virt: ACPI memory hotplug (the GED device) exists only with
	 * UEFI firmware, and the kernel must prefer ACPI to the device tree
	 */
	if (ctx->ops->planner_path == HP_PATH_ACPI_DIMM && o->arch &&
	    o->arch->uefi_firmware) {
		o->firmware = o->arch->uefi_firmware;
		if (access(o->firmware, R_OK)) {
			snprintf(ctx->lab.error, sizeof(ctx->lab.error),
				 "%s: %s (apt: qemu-efi-aarch64; make "
				 "lab-arm64 installs it)",
				 o->firmware, strerror(errno));
			return -1;
		}
		snprintf(append + off, len - off, " acpi=force");
	}
	return 0;
}

/*
 * object-add a RAM backend and device_add a pc-dimm on it: the plug of
 * acpi-dimm and pseries-dlpar.  dev gets the device's id, *t0 the time
 * device_add was sent.
 */
static int dimm_plug(struct hp_bench_ctx *ctx, struct hp_request *req,
		     char *dev, size_t dev_len, int64_t *t0)
{
	char mem[32];
	json_t *args;
	int rc;

	req->index = ctx->next_dev++;
	snprintf(mem, sizeof(mem), "mem%u", req->index);
	snprintf(dev, dev_len, "dimm%u", req->index);
	args = json_pack("{s:s, s:s, s:I}", "qom-type", "memory-backend-ram",
			 "id", mem, "size", (json_int_t)req->size);
	rc = qmp_execute(&ctx->lab.qmp, "object-add", args, NULL,
			 ctx->timeout_ms);
	json_decref(args);
	if (rc) {
		qmp_failed(ctx, req, HP_OP_ADD, rc);
		return -1;
	}
	if (hp_agent_mark(ctx)) {
		req->guest_dead = true;
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	qmp_clear_events(&ctx->lab.qmp);
	args = json_pack("{s:s, s:s, s:s, s:i}", "driver", "pc-dimm", "id", dev,
			 "memdev", mem, "node", ctx->node);
	*t0 = hp_now_ns();
	rc = qmp_execute(&ctx->lab.qmp, "device_add", args, NULL,
			 ctx->timeout_ms);
	json_decref(args);
	if (rc) {
		qmp_failed(ctx, req, HP_OP_ADD, rc);
		return -1;
	}
	return 0;
}

static int dimm_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char dev[32];
	json_t *data = NULL;
	int64_t t0, t1;
	int rc, status;

	if (dimm_plug(ctx, req, dev, sizeof(dev), &t0))
		return -1;
	/* the guest's _OST after add_memory(): the ACPI add is finished */
	for (;;) {
		rc = qmp_wait_event(&ctx->lab.qmp, "ACPI_DEVICE_OST", NULL,
				    NULL, ctx->timeout_ms, &t1, &data);
		if (rc) {
			qmp_failed(ctx, req, HP_OP_ADD, rc);
			return -1;
		}
		const char *who = json_string_value(json_object_get(
			json_object_get(data, "info"), "device"));

		if (who && !strcmp(who, dev))
			break;
		json_decref(data); /* another device's _OST */
	}
	status = (int)json_integer_value(
		json_object_get(json_object_get(data, "info"), "status"));
	json_decref(data);
	if (status) {
		hp_emit(ctx, HP_OP_ADD, "host", -1, t1 - t0, "refused");
		set_status(req, "refused: guest _OST status %#x", status);
		return -1;
	}
	host_op(ctx, HP_OP_ADD, t1 - t0);
	if (hp_agent_block_events(ctx, "add",
				  (unsigned int)(req->size / ctx->block_size),
				  2000, req, true))
		return -1;
	if (!ctx->auto_online && hp_online_blocks(ctx, req))
		return -1;
	return 0;
}

static int dimm_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char mem[32], dev[32];
	json_t *args;
	int64_t t0, t1;
	int rc;

	snprintf(mem, sizeof(mem), "mem%u", req->index);
	snprintf(dev, sizeof(dev), "dimm%u", req->index);
	if (hp_offline_blocks(ctx, req))
		return -1;
	if (hp_agent_mark(ctx)) {
		req->guest_dead = true;
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	qmp_clear_events(&ctx->lab.qmp);
	args = json_pack("{s:s}", "id", dev);
	t0 = hp_now_ns();
	rc = qmp_execute(&ctx->lab.qmp, "device_del", args, NULL,
			 ctx->timeout_ms);
	json_decref(args);
	if (!rc)
		rc = qmp_wait_event(&ctx->lab.qmp, "DEVICE_DELETED", "device",
				    dev, ctx->timeout_ms, &t1, NULL);
	if (rc) {
		qmp_failed(ctx, req, HP_OP_REMOVE, rc);
		return -1;
	}
	host_op(ctx, HP_OP_REMOVE, t1 - t0);
	if (hp_agent_block_events(ctx, "remove", req->nr_blocks, 2000, req,
				  false))
		return -1;
	args = json_pack("{s:s}", "id", mem);
	rc = qmp_execute(&ctx->lab.qmp, "object-del", args, NULL,
			 ctx->timeout_ms);
	json_decref(args);
	return rc ? -1 : 0;
}

/*
 * ---- pseries-dlpar: pc-dimm on a pseries guest (ppc64le) ----
 *
 * QEMU turns device_add pc-dimm into a DLPAR request; the guest's
 * pseries hotplug code adds and onlines one LMB (memory block) at a time
 * and sends no completion event QEMU would report, so the add is done
 * when the guest has announced every block online.  Removal is
 * acpi-dimm's: offline, device_del, DEVICE_DELETED.
 */
static int dlpar_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char dev[32];
	unsigned int count;
	int64_t t0;

	if (!ctx->block_size || req->size % ctx->block_size) {
		set_status(req, "pseries-dlpar: %llu bytes is not whole LMBs",
			   (unsigned long long)req->size);
		return -1;
	}
	count = (unsigned int)(req->size / ctx->block_size);
	if (dimm_plug(ctx, req, dev, sizeof(dev), &t0))
		return -1;
	/* per block, the guest's add uevents; then every block online */
	if (hp_agent_block_events(ctx, "add", count, ctx->timeout_ms, req,
				  true) ||
	    hp_agent_wait(ctx, "online", count, req))
		return -1;
	/* no QMP event marks the end: device_add until the agent has
	 * reported every block online */
	host_op(ctx, HP_OP_ADD, hp_now_ns() - t0);
	return 0;
}

/* ---- virtio-mem: one device, resized with requested-size ---- */

static int vmem_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
			char *append, size_t len)
{
	static char obj[96], dev[128];

	(void)append;
	(void)len;
	/* room for the largest request and the grow series */
	snprintf(obj, sizeof(obj), "memory-backend-ram,id=vmem0,size=%lluM",
		 (unsigned long long)(ctx->virtio_mem_capacity >> 20));
	snprintf(dev, sizeof(dev),
		 "virtio-mem-pci,id=vm0,memdev=vmem0,node=%d,requested-size=0",
		 ctx->node);
	o->extra[o->nr_extra++] = "-object";
	o->extra[o->nr_extra++] = obj;
	o->extra[o->nr_extra++] = "-device";
	o->extra[o->nr_extra++] = dev;
	return 0;
}

/* resize and wait until the guest plugged/unplugged it all */
static int vmem_resize(struct hp_bench_ctx *ctx, struct hp_request *req,
		       enum hp_op op, uint64_t target)
{
	json_t *args, *ret = NULL;
	int64_t t0, deadline;
	int rc;

	if (hp_agent_mark(ctx)) {
		req->guest_dead = true;
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	args = json_pack("{s:s, s:s, s:I}", "path", "/machine/peripheral/vm0",
			 "property", "requested-size", "value",
			 (json_int_t)target);
	t0 = hp_now_ns();
	deadline = t0 + (int64_t)ctx->timeout_ms * 1000000;
	rc = qmp_execute(&ctx->lab.qmp, "qom-set", args, NULL, ctx->timeout_ms);
	json_decref(args);
	/* poll the plugged size: the completion the device itself reports */
	while (!rc) {
		uint64_t size;

		args = json_pack("{s:s, s:s}", "path",
				 "/machine/peripheral/vm0", "property", "size");
		rc = qmp_execute(&ctx->lab.qmp, "qom-get", args, &ret,
				 ctx->timeout_ms);
		json_decref(args);
		if (rc)
			break;
		size = (uint64_t)json_integer_value(ret);
		json_decref(ret);
		if (size == target) {
			host_op(ctx, op, hp_now_ns() - t0);
			ctx->virtio_mem_plugged = target;
			return 0;
		}
		if (hp_now_ns() > deadline) {
			hp_emit(ctx, op, "host", -1, -1, "timeout");
			set_status(req,
				   "virtio-mem size %llu, requested %llu after "
				   "%d ms",
				   (unsigned long long)size,
				   (unsigned long long)target, ctx->timeout_ms);
			return -1;
		}
		usleep(2000);
	}
	qmp_failed(ctx, req, op, rc);
	return -1;
}

static int vmem_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	unsigned int blocks = (unsigned int)(req->size / ctx->block_size);

	if (vmem_resize(ctx, req, HP_OP_ADD,
			ctx->virtio_mem_plugged + req->size))
		return -1;
	if (hp_agent_block_events(ctx, "add", blocks, 2000, req, true))
		return -1;
	/* plugged is not yet usable: wait until auto-online finished */
	return hp_agent_wait(ctx, "online", blocks, req);
}

static int vmem_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	/* virtio-mem offlines and removes its own blocks on unplug */
	if (vmem_resize(ctx, req, HP_OP_REMOVE,
			ctx->virtio_mem_plugged - req->size))
		return -1;
	return hp_agent_block_events(ctx, "remove", req->nr_blocks, 2000, req,
				     false);
}

/*
 * ---- probe: RAM hidden with mem=, added by physical address ----
 *
 * Boot RAM stays below 4G (max-ram-below-4g) and mem= hides everything
 * above, so the kernel has never seen it; the agent writes each block's
 * address to /sys/devices/system/memory/probe (CONFIG_ARCH_MEMORY_PROBE,
 * in kernel-patches/lab-x86_64.config), which calls __add_memory() with
 * MHP_NONE: no ACPI, no device, and never memmap_on_memory.  Nothing can
 * remove probed memory, so every request of a boot takes fresh addresses
 * and "remove" only offlines.
 */
static int probe_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
			 char *append, size_t len)
{
	size_t off = strlen(append);

	off += (size_t)snprintf(append + off, len - off, " mem=%lluM",
				(unsigned long long)(ctx->boot_mem >> 20));
	o->low_mem = ctx->boot_mem;
	o->boot_mem = ctx->boot_mem + ctx->probe_span;
	ctx->probe_next = HP_DAX_BASE;
	return off < len ? 0 : -1;
}

static int probe_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	uint64_t start = ctx->probe_next;
	int64_t total = 0;

	if (!ctx->block_size || req->size % ctx->block_size) {
		set_status(req, "probe: %llu bytes is not whole blocks",
			   (unsigned long long)req->size);
		return -1;
	}
	/* a block-aligned start: every size is whole blocks */
	start = (start + ctx->block_size - 1) & ~(ctx->block_size - 1);
	if (start + req->size > HP_DAX_BASE + ctx->probe_span) {
		set_status(req, "probe: the lab's hidden RAM is used up");
		return -1;
	}
	ctx->probe_next = start + req->size;
	req->nr_blocks = 0;
	for (uint64_t a = start; a < start + req->size; a += ctx->block_size) {
		long block = (long)(a / ctx->block_size);
		char addr[32];
		int64_t ns = 0;
		int rc;

		snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)a);
		rc = lab_agent_write(&ctx->lab,
				     "/sys/devices/system/memory/probe", addr,
				     &ns, ctx->timeout_ms);
		if (rc == -ETIMEDOUT) {
			req->guest_dead = true;
			set_status(req, "%s", ctx->lab.error);
			return -1;
		}
		if (rc) {
			hp_emit(ctx, HP_OP_ADD, "guest", block, ns,
				ctx->lab.error);
			set_status(req, "probe of %s refused: %s%s", addr,
				   strerror(-rc),
				   rc == -ENOENT
					   ? " (no memory/probe: the kernel "
					     "lacks CONFIG_ARCH_MEMORY_PROBE; "
					     "--kernel patched has it)"
					   : "");
			return -1;
		}
		hp_emit(ctx, HP_OP_ADD, "guest", block, ns, "ok");
		total += ns;
		if (req->nr_blocks < AGENT_MAX_BLOCKS)
			req->blocks[req->nr_blocks++] = block;
	}
	ctx->op_ns[HP_OP_ADD] = total;
	ctx->op_host[HP_OP_ADD] = false;
	if (!ctx->auto_online && hp_online_blocks(ctx, req))
		return -1;
	return 0;
}

static int probe_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	return hp_offline_blocks(ctx, req);
}

/* ---- dax-kmem: memmap= soft-reserved ranges -> hmem devdax -> kmem ---- */

/*
 * The guest-physical start of range i.  The ranges live in RAM above 4G
 * (boot RAM stays below, max-ram-below-4g), each starting on a 2G
 * boundary, the largest block size the lab sweeps, so the same layout
 * gives kmem whole blocks at every block size and one device.cfg serves
 * a whole sweep.  The RAM between two ranges is reserved (memmap=$): a
 * different E820 type, or adjacent ranges would merge into one entry and
 * hmem would make one dax device of them.
 */
uint64_t hp_dax_range_start(const uint64_t *sizes, unsigned int i)
{
	uint64_t start = HP_DAX_BASE;

	for (unsigned int k = 0; k < i; k++)
		start = (start + sizes[k] + HP_DAX_ALIGN) & ~(HP_DAX_ALIGN - 1);
	return start;
}

/* where the last range ends: RAM continues one lab block past it */
uint64_t hp_dax_span_end(const uint64_t *sizes, unsigned int n)
{
	return n ? hp_dax_range_start(sizes, n - 1) + sizes[n - 1]
		 : HP_DAX_BASE;
}

static uint64_t dax_range_start(const struct hp_bench_ctx *ctx, unsigned int i)
{
	if (ctx->dax_cxl)
		return ctx->cxl_start;
	if (ctx->dax_nvdimm)
		return i < HP_MAX_SIZES ? ctx->nvdimm_addr[i] : 0;
	return hp_dax_range_start(ctx->sizes, i);
}

/* a pmem namespace under the dax device: legacy pmem or an NVDIMM */
static bool dax_on_pmem(const struct hp_bench_ctx *ctx)
{
	return ctx->dax_pmem || ctx->dax_nvdimm;
}

static int dax_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
		       char *append, size_t len)
{
	size_t off = strlen(append);
	uint64_t end = hp_dax_span_end(ctx->sizes, ctx->nr_sizes);

	/*
	 * hmem: E820 RAM (1) becomes Soft Reserved (0xefffffff) and dax_hmem
	 * claims it.  pmem: memmap=S!START makes legacy pmem (E820 type 12)
	 * that nd_e820 turns into a namespace.
	 */
	for (unsigned int i = 0; i < ctx->nr_sizes && off < len; i++) {
		uint64_t start = dax_range_start(ctx, i);
		uint64_t gap_start = start + ctx->sizes[i];

		off += (size_t)snprintf(
			append + off, len - off,
			ctx->dax_pmem ? " memmap=%lluM!0x%llx"
				      : " memmap=%lluM%%0x%llx-1+0xefffffff",
			(unsigned long long)(ctx->sizes[i] >> 20),
			(unsigned long long)start);
		if (i + 1 < ctx->nr_sizes && off < len)
			off += (size_t)snprintf(
				append + off, len - off, " memmap=%lluM$0x%llx",
				(unsigned long long)((dax_range_start(ctx,
								      i + 1) -
						      gap_start) >>
						     20),
				(unsigned long long)gap_start);
	}
	/*
	 * The last range's section holds no RAM after it (reserved to the
	 * section's end): a range that ends inside a section is then the
	 * sub-section case, not a section whose memmap boot RAM already made
	 * (mm/sparse.c section_activate reuses an early section's).
	 */
	if (end % HP_LAB_BLOCK_SIZE && off < len) {
		uint64_t sec_end = (end + HP_LAB_BLOCK_SIZE - 1) &
				   ~(uint64_t)(HP_LAB_BLOCK_SIZE - 1);

		off += (size_t)snprintf(
			append + off, len - off, " memmap=%lluM$0x%llx",
			(unsigned long long)((sec_end - end) >> 20),
			(unsigned long long)end);
		end = sec_end;
	}
	/* boot RAM below 4G, then RAM from 4G to one block past the end */
	o->low_mem = ctx->boot_mem;
	o->boot_mem = ctx->boot_mem + (end - HP_DAX_BASE) + HP_LAB_BLOCK_SIZE;
	return off < len ? 0 : -1;
}

/* the dax device whose resource starts at `start` */
static int dax_find(struct hp_bench_ctx *ctx, uint64_t start, char *name,
		    size_t len)
{
	json_t *q = json_pack("{s:s, s:s}", "cmd", "list", "path",
			      "/sys/bus/dax/devices"),
	       *rep, *v;
	size_t i;
	int found = -1;

	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms)) {
		json_decref(q);
		return -1;
	}
	json_decref(q);
	json_array_foreach(json_object_get(rep, "names"), i, v)
	{
		char path[128];
		json_t *r2;

		snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/resource",
			 json_string_value(v));
		q = json_pack("{s:s, s:s}", "cmd", "read", "path", path);
		if (!lab_agent(&ctx->lab, q, &r2, ctx->timeout_ms)) {
			const char *d =
				json_string_value(json_object_get(r2, "data"));

			/*
			 * pmem: the data area starts after the pfn reserve,
			 * inside the namespace of the request (a whole block
			 * or more in: arm64 64K aligns it to 512M)
			 */
			uint64_t at = d ? strtoull(d, NULL, 16) : 0;

			if (d &&
			    (at == start || (dax_on_pmem(ctx) && at > start &&
					     at < start + ctx->size))) {
				snprintf(name, len, "%s", json_string_value(v));
				found = 0;
			}
			json_decref(r2);
		}
		json_decref(q);
	}
	json_decref(rep);
	return found;
}

/* is `name` among the devices bound to `driver`? */
static int dax_bound(struct hp_bench_ctx *ctx, const char *driver,
		     const char *name)
{
	char path[96];
	json_t *q, *rep, *v;
	size_t i;
	int found = 0;

	snprintf(path, sizeof(path), "/sys/bus/dax/drivers/%s", driver);
	q = json_pack("{s:s, s:s}", "cmd", "list", "path", path);
	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms)) {
		json_decref(q);
		return -1;
	}
	json_decref(q);
	json_array_foreach(json_object_get(rep, "names"), i, v) found |=
		!strcmp(json_string_value(v), name);
	json_decref(rep);
	return found;
}

static int dax_unbind_any(struct hp_bench_ctx *ctx, const char *name)
{
	static const char *const drivers[] = {"kmem", "device_dax"};

	for (unsigned int i = 0; i < 2; i++) {
		char path[96];
		int64_t ns;
		int b = dax_bound(ctx, drivers[i], name);

		if (b < 0)
			return -1;
		if (!b)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/dax/drivers/%s/unbind",
			 drivers[i]);
		if (lab_agent_write(&ctx->lab, path, name, &ns,
				    ctx->timeout_ms))
			return -1;
	}
	return 0;
}

/* one line of a guest file */
static int agent_read_line(struct hp_bench_ctx *ctx, const char *path,
			   char *buf, size_t len)
{
	json_t *q = json_pack("{s:s, s:s}", "cmd", "read", "path", path), *r;
	const char *d;

	if (lab_agent(&ctx->lab, q, &r, ctx->timeout_ms)) {
		json_decref(q);
		return -1;
	}
	json_decref(q);
	d = json_string_value(json_object_get(r, "data"));
	snprintf(buf, len, "%s", d ? d : "");
	buf[strcspn(buf, "\n")] = '\0';
	json_decref(r);
	return d ? 0 : -1;
}

/* the dax device's range as kmem will see it */
static int dax_range(struct hp_bench_ctx *ctx, const char *name,
		     uint64_t *start, uint64_t *size)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/resource", name);
	if (agent_read_line(ctx, path, buf, sizeof(buf)))
		return -1;
	*start = strtoull(buf, NULL, 16);
	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/size", name);
	if (agent_read_line(ctx, path, buf, sizeof(buf)))
		return -1;
	*size = strtoull(buf, NULL, 10);
	return 0;
}

/*
 * The uuids of NVDIMM i's pieces on pseries, fixed so that the info
 * block written before boot names what the guest configures after it:
 * kind 0 the namespace, 1 its dax device, 2 QEMU's spapr-nvdimm.
 */
static void nvdimm_uuid(unsigned int kind, unsigned int i, uint8_t u[16])
{
	const uint8_t fixed[16] = {'h',	 'p', 'b',  'n',       0, (uint8_t)kind,
				   0x40, 0,   0x80, 0,	       0, 0,
				   0,	 0,   0,    (uint8_t)i};

	memcpy(u, fixed, 16);
}

static void nvdimm_uuid_text(unsigned int kind, unsigned int i, char *buf,
			     size_t len)
{
	uint8_t u[16];

	nvdimm_uuid(kind, i, u);
	hp_uuid_format(u, buf, len);
}

/* the nd region whose resource starts at `start`, into region */
static int pmem_region(struct hp_bench_ctx *ctx, uint64_t start, char *region,
		       size_t len)
{
	char path[128], buf[64];
	json_t *q, *rep, *v;
	size_t i;

	region[0] = '\0';
	q = json_pack("{s:s, s:s}", "cmd", "list", "path",
		      "/sys/bus/nd/devices");
	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms)) {
		json_decref(q);
		return -1;
	}
	json_decref(q);
	json_array_foreach(json_object_get(rep, "names"), i, v)
	{
		const char *n = json_string_value(v);

		if (strncmp(n, "region", 6))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/resource",
			 n);
		if (!agent_read_line(ctx, path, buf, sizeof(buf)) &&
		    strtoull(buf, NULL, 16) == start)
			snprintf(region, len, "%s", n);
	}
	json_decref(rep);
	return region[0] ? 0 : -1;
}

/*
 * Write an nd device's attributes in order, as ndctl does: attr[k] gets
 * val[k]; a NULL value is left as it is.  0, or -1 with the status naming
 * the attribute the kernel refused.
 */
static int nd_write_attrs(struct hp_bench_ctx *ctx, struct hp_request *req,
			  const char *dev, const char *const *attr,
			  const char *const *val, int n)
{
	char path[128];
	int64_t ns;

	for (int k = 0; k < n; k++) {
		if (!val[k])
			continue;
		snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/%s", dev,
			 attr[k]);
		if (lab_agent_write(&ctx->lab, path, val[k], &ns,
				    ctx->timeout_ms)) {
			set_status(req, "%s: %s", path, ctx->lab.error);
			return -1;
		}
	}
	return 0;
}

/*
 * What `ndctl create-namespace -e namespaceN.0 -m devdax` does, in sysfs:
 * take the namespace from nd_pmem (a label-backed one, pseries, is first
 * given its uuid and the region's size, which writes its label),
 * configure the region's dax seed (uuid, mode pmem = struct pages in the
 * reserve, the namespace) and bind it to dax_pmem, which makes the
 * device-dax device.  Where the info block was written before boot
 * (nvdimm_backing_file) the uuids and align are the ones it names, so
 * the kernel validates it and writes nothing.
 */
static int pmem_make_devdax(struct hp_bench_ctx *ctx, uint64_t start,
			    struct hp_request *req)
{
	bool prewritten = ctx->dax_nvdimm && ctx->nvdimm_prewritten;
	char region[32], path[128], ns_name[32], seed[32], buf[64];
	char ns_uuid[40], dax_uuid[40];
	int64_t ns;
	int rc;

	if (pmem_region(ctx, start, region, sizeof(region))) {
		set_status(req, "no nvdimm region at %#llx (nd_e820?)",
			   (unsigned long long)start);
		return -1;
	}
	snprintf(ns_name, sizeof(ns_name), "namespace%s.0", region + 6);
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/dax_seed", region);
	if (agent_read_line(ctx, path, seed, sizeof(seed)) || !seed[0]) {
		set_status(req, "%s has no dax seed", region);
		return -1;
	}
	if (prewritten) {
		nvdimm_uuid_text(0, req->index, ns_uuid, sizeof(ns_uuid));
		nvdimm_uuid_text(1, req->index, dax_uuid, sizeof(dax_uuid));
	} else {
		/* any v4-shaped uuid: label-less, never reused */
		snprintf(dax_uuid, sizeof(dax_uuid),
			 "%08x-0000-4000-8000-%012llx", (unsigned int)getpid(),
			 (unsigned long long)(start >> 20));
	}
	/* a label-backed namespace seed has size 0 until it is given one */
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/size", ns_name);
	if (!agent_read_line(ctx, path, buf, sizeof(buf)) &&
	    !strcmp(buf, "0")) {
		char size[32];
		const char *const attr[] = {"uuid", "size"};
		const char *const val[] = {ns_uuid, size};

		snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/size",
			 region);
		if (!prewritten ||
		    agent_read_line(ctx, path, size, sizeof(size))) {
			set_status(req,
				   "%s: a label-backed namespace hpbench "
				   "did not prepare",
				   ns_name);
			return -1;
		}
		if (nd_write_attrs(ctx, req, ns_name, attr, val, 2))
			return -1;
	}
	/* unbinding an unbound namespace fails harmlessly */
	lab_agent_write(&ctx->lab, "/sys/bus/nd/drivers/nd_pmem/unbind",
			ns_name, &ns, ctx->timeout_ms);
	{
		/* align: the default, except where the info block says */
		const char *const attr[] = {"uuid", "mode", "align",
					    "namespace"};
		const char *const val[] = {dax_uuid, "pmem",
					   prewritten ? "2097152" : NULL,
					   ns_name};

		if (nd_write_attrs(ctx, req, seed, attr, val, 4))
			return -1;
	}
	/*
	 * No device_dax probe of the new device: on arm64 it fails with
	 * ENOMEM for a namespace that is not a whole number of 128M (1088M)
	 * and leaves the range claimed, so kmem then fails with EEXIST.  kmem
	 * attaches it through new_id, which probes regardless.
	 */
	lab_agent_write(&ctx->lab, "/sys/bus/dax/drivers_autoprobe", "0", &ns,
			ctx->timeout_ms);
	rc = lab_agent_write(&ctx->lab, "/sys/bus/nd/drivers/dax_pmem/bind",
			     seed, &ns, ctx->timeout_ms);
	if (rc)
		set_status(req, "refused: dax_pmem bind of %s: %s", seed,
			   ctx->lab.error);
	lab_agent_write(&ctx->lab, "/sys/bus/dax/drivers_autoprobe", "1", &ns,
			ctx->timeout_ms);
	return rc ? -1 : 0;
}

/* ---- pmem-fsdax: a legacy pmem namespace made fsdax, map=dev or mem ---- */

/*
 * The dax-kmem pmem ranges (memmap=S!START: nd_e820's label-less
 * namespaces), each turned into an fsdax namespace the way `ndctl
 * create-namespace -m fsdax --map=dev|mem` does it, in sysfs: the
 * region's pfn seed gets a fresh uuid, mode pmem (map=dev: the struct
 * pages in the namespace, after the 8K info block) or ram (map=mem), 2M
 * alignment and the namespace; binding it to nd_pmem is the timed add
 * (memremap_pages() builds the memmap), unbinding it the remove.  The
 * kmem attribute dimension of the run is the map: attr1 = dev, attr0 =
 * mem.  ZONE_DEVICE memory makes no memory blocks.
 */
static int fsdax_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
			 char *append, size_t len)
{
	ctx->dax_pmem = true;
	return dax_prepare(ctx, o, append, len);
}

static int fsdax_setup(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char region[32], path[128], uuid[40];
	uint64_t start;
	int64_t ns;

	req->index = 0;
	while (req->index < ctx->nr_sizes &&
	       ctx->sizes[req->index] != req->size)
		req->index++;
	start = dax_range_start(ctx, req->index);
	if (pmem_region(ctx, start, region, sizeof(region))) {
		set_status(req, "no pmem region at %#llx (nd_e820?)",
			   (unsigned long long)start);
		return -1;
	}
	snprintf(ctx->pmem_ns, sizeof(ctx->pmem_ns), "namespace%s.0",
		 region + 6);
	/*
	 * At boot nd_pmem has the namespace with a memmap in RAM already
	 * (nd_e820 regions are ND_REGION_PAGEMAP): let it go first, so the
	 * add is measured from nothing.  force_raw keeps a stale info block
	 * from being claimed when it is bound again.
	 */
	lab_agent_write(&ctx->lab, "/sys/bus/nd/drivers/nd_pmem/unbind",
			ctx->pmem_ns, &ns, ctx->timeout_ms);
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/pfn_seed", region);
	if (agent_read_line(ctx, path, ctx->pmem_pfn, sizeof(ctx->pmem_pfn)) ||
	    !ctx->pmem_pfn[0]) {
		set_status(req, "%s has no pfn seed", region);
		return -1;
	}
	/* a fresh uuid each time: a known one reuses the old info block */
	snprintf(uuid, sizeof(uuid), "%08x-%04x-4000-8000-%012llx",
		 (unsigned int)getpid(),
		 (unsigned int)(ctx->next_dev++ & 0xffff),
		 (unsigned long long)(start >> 20));
	{
		const char *const attr[] = {"uuid", "mode", "align",
					    "namespace"};
		const char *const val[] = {uuid,
					   ctx->kmem_attr ? "pmem" : "ram",
					   "2097152", ctx->pmem_ns};

		if (nd_write_attrs(ctx, req, ctx->pmem_pfn, attr, val, 4))
			return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/resource",
		 ctx->pmem_ns);
	{
		char buf[64];

		if (agent_read_line(ctx, path, buf, sizeof(buf))) {
			set_status(req, "%s has no resource", ctx->pmem_ns);
			return -1;
		}
		ctx->pmem_ns_start = strtoull(buf, NULL, 0);
		snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/size",
			 ctx->pmem_ns);
		if (agent_read_line(ctx, path, buf, sizeof(buf))) {
			set_status(req, "%s has no size", ctx->pmem_ns);
			return -1;
		}
		ctx->pmem_ns_size = strtoull(buf, NULL, 0);
	}
	return 0;
}

static int fsdax_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char path[128], buf[64];
	int64_t ns = 0;
	int rc;

	if (hp_agent_mark(ctx))
		return -1;
	rc = lab_agent_write(&ctx->lab, "/sys/bus/nd/drivers/nd_pmem/bind",
			     ctx->pmem_pfn, &ns, ctx->timeout_ms);
	if (rc) {
		hp_emit(ctx, HP_OP_ADD, "guest", -1, ns, ctx->lab.error);
		set_status(req, "refused: %s", ctx->lab.error);
		req->guest_dead = rc == -ETIMEDOUT;
		return -1;
	}
	hp_emit(ctx, HP_OP_ADD, "guest", -1, ns, "ok");
	ctx->op_ns[HP_OP_ADD] = ns;
	ctx->op_host[HP_OP_ADD] = false;
	/* the data area: after the info block (and map=dev's memmap) */
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/resource",
		 ctx->pmem_pfn);
	if (!agent_read_line(ctx, path, buf, sizeof(buf)))
		req->dev_start = strtoull(buf, NULL, 0);
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/size",
		 ctx->pmem_pfn);
	if (!agent_read_line(ctx, path, buf, sizeof(buf)))
		req->dev_size = strtoull(buf, NULL, 0);
	/* what the kernel took: pmem = the memmap in the namespace */
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/mode",
		 ctx->pmem_pfn);
	ctx->pmem_map_dev = !agent_read_line(ctx, path, buf, sizeof(buf)) &&
			    !strcmp(buf, "pmem");
	return 0;
}

static int fsdax_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char path[128];
	int64_t ns = 0;
	int rc;

	if (hp_agent_mark(ctx))
		return -1;
	rc = lab_agent_write(&ctx->lab, "/sys/bus/nd/drivers/nd_pmem/unbind",
			     ctx->pmem_pfn, &ns, ctx->timeout_ms);
	hp_emit(ctx, HP_OP_REMOVE, "guest", -1, ns, rc ? ctx->lab.error : "ok");
	if (rc) {
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	ctx->op_ns[HP_OP_REMOVE] = ns;
	ctx->op_host[HP_OP_REMOVE] = false;
	/* release the namespace (a lone newline: an empty write is a no-op) */
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/namespace",
		 ctx->pmem_pfn);
	if (lab_agent_write(&ctx->lab, path, "\n", &ns, ctx->timeout_ms)) {
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/force_raw",
		 ctx->pmem_ns);
	lab_agent_write(&ctx->lab, path, "1", &ns, ctx->timeout_ms);
	return 0;
}

/*
 * No blocks, no MemTotal change: the namespace's own numbers.  usable is
 * the data area, trimmed what its end loses to the alignment, the memmap
 * nr_memmap_pages' growth (it counts a memmap on the device too), the
 * reserve the rest of the head (info block and padding; with map=mem all
 * of it).  Where the memmap lives is the pfn device's mode as the kernel
 * reads it back after the bind; a node's MemUsed growing by the whole
 * memmap anyway contradicts it, and the placement is then left unknown
 * (at 256M the memmap is 4M and MemUsed moves by a few M on its own).
 */
static void fsdax_capacity(struct hp_bench_ctx *ctx, struct hp_request *req,
			   struct hp_capacity *c)
{
	const uint64_t page = ctx->page_size ? ctx->page_size : 4096;
	const int64_t memmap_kb = c->memmap_delta_pages * (int64_t)page / 1024;
	uint64_t head = req->dev_start > ctx->pmem_ns_start
				? req->dev_start - ctx->pmem_ns_start
				: 0;
	int64_t best = 0;

	c->blocks = 0;
	c->usable_bytes = (int64_t)req->dev_size;
	c->trimmed_bytes = (int64_t)(ctx->pmem_ns_size - head - req->dev_size);
	c->withheld_pages = -1;
	c->memmap_pages = c->memmap_delta_pages;
	c->memmap_on_device = ctx->pmem_map_dev;
	c->memmap_node = -1;
	for (int n = 0; n < AGENT_MAX_NODES; n++)
		if (c->node_used_delta_kb[n] > best) {
			best = c->node_used_delta_kb[n];
			c->memmap_node = n;
		}
	if (c->memmap_on_device) {
		c->placement_unknown = memmap_kb > 0 && best >= memmap_kb;
		c->memmap_node = -1;
	} else if (c->memmap_node < 0) {
		c->memmap_node = 0;
	}
	c->reserve_pages = (int64_t)(head / page) -
			   (c->memmap_on_device ? c->memmap_pages : 0);
}

/* ---- kmem: the timed bind and unbind both dax paths measure ---- */

/*
 * The add: bind to kmem, or, for a device-type region (pmem) that kmem
 * does not match, teach kmem its id.  Emits the guest row; 0 or -errno.
 */
static int kmem_bind(struct hp_bench_ctx *ctx, const char *name,
		     struct hp_request *req)
{
	int64_t ns = 0;
	int rc;

	rc = lab_agent_write(&ctx->lab, "/sys/bus/dax/drivers/kmem/bind", name,
			     &ns, ctx->timeout_ms);
	if (rc == -ENODEV || rc == -EINVAL) {
		rc = lab_agent_write(&ctx->lab,
				     "/sys/bus/dax/drivers/kmem/new_id", name,
				     &ns, ctx->timeout_ms);
		/*
		 * new_id succeeds whatever the probe it triggers returns:
		 * kmem's dev_dax_kmem_probe() rejects a device with no
		 * whole block after alignment ("rejecting DAX region
		 * without any memory after alignment", EINVAL), and only
		 * the device staying unbound tells.
		 */
		if (!rc && dax_bound(ctx, "kmem", name) == 0) {
			lab_agent_write(&ctx->lab,
					"/sys/bus/dax/drivers/kmem/remove_id",
					name, &(int64_t){0}, ctx->timeout_ms);
			snprintf(ctx->lab.error, sizeof(ctx->lab.error),
				 "kmem's probe of %s failed (new_id bound "
				 "nothing: no whole memory block after "
				 "alignment?)",
				 name);
			rc = -EINVAL;
		}
	}
	if (rc) {
		hp_emit(ctx, HP_OP_ADD, "guest", -1, ns, ctx->lab.error);
		set_status(req, "refused: %s", ctx->lab.error);
		return rc;
	}
	hp_emit(ctx, HP_OP_ADD, "guest", -1, ns, "ok");
	ctx->op_ns[HP_OP_ADD] = ns;
	ctx->op_host[HP_OP_ADD] = false;
	return 0;
}

/* The remove: unbind from kmem.  Emits the guest row; 0 or -errno. */
static int kmem_unbind(struct hp_bench_ctx *ctx, const char *name,
		       struct hp_request *req)
{
	int64_t ns = 0;
	int rc;

	rc = lab_agent_write(&ctx->lab, "/sys/bus/dax/drivers/kmem/unbind",
			     name, &ns, ctx->timeout_ms);
	if (rc) {
		hp_emit(ctx, HP_OP_REMOVE, "guest", -1, ns, ctx->lab.error);
		set_status(req, "%s", ctx->lab.error);
		return rc;
	}
	hp_emit(ctx, HP_OP_REMOVE, "guest", -1, ns, "ok");
	ctx->op_ns[HP_OP_REMOVE] = ns;
	ctx->op_host[HP_OP_REMOVE] = false;
	return 0;
}

/*
 * The blocks kmem added since the mark, into req->blocks.  Their arrival
 * is not a latency here (the bind is), so no rows.
 */
static int kmem_added_blocks(struct hp_bench_ctx *ctx, unsigned int expect,
			     int wait_ms, struct hp_request *req)
{
	json_t *q = json_pack("{s:s, s:s, s:i, s:i}", "cmd", "events", "action",
			      "add", "count", expect, "timeout_ms", wait_ms),
	       *rep, *v;
	size_t i;

	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms + wait_ms)) {
		json_decref(q);
		req->guest_dead = true;
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	json_decref(q);
	req->nr_blocks = 0;
	json_array_foreach(json_object_get(rep, "events"), i, v)
	{
		struct agent_event e;

		if (!agent_event_from_json(v, &e) && !strcmp(e.action, "add") &&
		    req->nr_blocks < AGENT_MAX_BLOCKS)
			req->blocks[req->nr_blocks++] = e.block;
	}
	json_decref(rep);
	return 0;
}

/* ---- cxl: a CXL type-3 memory expander -> region -> dax -> kmem ---- */

/*
 * q35 with CXL: one host bridge (pxb-cxl), one root port, one volatile
 * type-3 device as large as the largest request, a fixed memory window
 * (CFMWS, at least 4G) the kernel makes its own NUMA node of (node 1: no
 * CPUs, no memory until a region is onlined).  The guest must not see
 * itself under a hypervisor (-hypervisor) or cxl_region commit fails
 * ("Failed to synchronize CPU cache state").  Under TCG QEMU emulates the
 * device's memory through MMIO: whatever touches it (a memmap on it) is
 * slow there.
 */
static int cxl_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
		       char *append, size_t len)
{
	static char mem[96], fmw[96];
	uint64_t largest = ctx->sizes[ctx->nr_sizes - 1];
	uint64_t window = largest > (4ULL << 30) ? largest : 4ULL << 30;

	(void)append;
	(void)len;
	ctx->dax_cxl = true;
	snprintf(fmw, sizeof(fmw),
		 ",cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=%lluM",
		 (unsigned long long)(window >> 20));
	o->machine_opts = fmw;
	o->cpu_flags = ",-hypervisor";
	snprintf(mem, sizeof(mem),
		 "memory-backend-ram,id=cxl-mem0,share=on,size=%lluM",
		 (unsigned long long)(largest >> 20));
	o->extra[o->nr_extra++] = "-object";
	o->extra[o->nr_extra++] = mem;
	o->extra[o->nr_extra++] = "-device";
	o->extra[o->nr_extra++] = "pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1";
	o->extra[o->nr_extra++] = "-device";
	o->extra[o->nr_extra++] =
		"cxl-rp,port=0,bus=cxl.1,id=root_port13,chassis=0,slot=2";
	o->extra[o->nr_extra++] = "-device";
	o->extra[o->nr_extra++] = "cxl-type3,bus=root_port13,"
				  "volatile-memdev=cxl-mem0,id=cxl-vmem0";
	return 0;
}

/* one sysfs write of the CXL set-up; 0, or -1 with the status set */
static int cxl_write(struct hp_bench_ctx *ctx, struct hp_request *req,
		     const char *path, const char *value)
{
	int64_t ns;

	if (!lab_agent_write(&ctx->lab, path, value, &ns, ctx->timeout_ms))
		return 0;
	set_status(req, "%s", ctx->lab.error);
	req->guest_dead = !lab_alive(&ctx->lab);
	return -1;
}

/* the endpoint decoder of the type-3 device: decoderN.0 of endpointN */
static int cxl_endpoint_decoder(struct hp_bench_ctx *ctx, char *buf, size_t len)
{
	json_t *q = json_pack("{s:s, s:s}", "cmd", "list", "path",
			      "/sys/bus/cxl/devices"),
	       *rep, *v;
	size_t i;
	int found = -1;

	if (lab_agent(&ctx->lab, q, &rep, ctx->timeout_ms)) {
		json_decref(q);
		return -1;
	}
	json_decref(q);
	json_array_foreach(json_object_get(rep, "names"), i, v)
	{
		unsigned int n;

		if (sscanf(json_string_value(v), "endpoint%u", &n) == 1) {
			snprintf(buf, len, "decoder%u.0", n);
			found = 0;
		}
	}
	json_decref(rep);
	return found;
}

/* one step of the CXL set-up or teardown: a device's attribute */
struct cxl_step {
	const char *dev, *attr, *val;
};

static int cxl_steps(struct hp_bench_ctx *ctx, struct hp_request *req,
		     const struct cxl_step *steps, size_t n)
{
	char path[128];

	for (size_t k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "/sys/bus/cxl/devices/%s/%s",
			 steps[k].dev, steps[k].attr);
		if (cxl_write(ctx, req, path, steps[k].val))
			return -1;
	}
	return 0;
}

/*
 * What `cxl create-region -t ram` does, in sysfs (the attributes are
 * Documentation/ABI/testing/sysfs-bus-cxl): a region under the root
 * decoder, one way, the request's size, the endpoint decoder's DPA in
 * ram mode as its target, commit, bind to cxl_region.  dax_cxl then
 * makes the dax device and kmem takes it (memmap_on_memory 1 by
 * default); dax_setup takes it back and sets the attribute measured.
 */
static int cxl_region_create(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	const char *create =
		"/sys/bus/cxl/devices/decoder0.0/create_ram_region";
	char path[128], size[32], buf[64];

	snprintf(size, sizeof(size), "%#llx", (unsigned long long)req->size);
	if (cxl_endpoint_decoder(ctx, ctx->cxl_decoder,
				 sizeof(ctx->cxl_decoder))) {
		set_status(req, "no CXL endpoint (cxl_mem?)");
		return -1;
	}
	if (agent_read_line(ctx, create, ctx->cxl_region,
			    sizeof(ctx->cxl_region)) ||
	    !ctx->cxl_region[0]) {
		set_status(req, "no CXL root decoder (cxl_acpi?)");
		return -1;
	}
	if (cxl_write(ctx, req, create, ctx->cxl_region))
		return -1;
	{
		/* the order the kernel requires: ways before size */
		const struct cxl_step steps[] = {
			{ctx->cxl_region, "interleave_granularity", "256"},
			{ctx->cxl_region, "interleave_ways", "1"},
			{ctx->cxl_region, "size", size},
			{ctx->cxl_decoder, "mode", "ram"},
			{ctx->cxl_decoder, "dpa_size", size},
			{ctx->cxl_region, "target0", ctx->cxl_decoder},
			{ctx->cxl_region, "commit", "1"},
		};

		if (cxl_steps(ctx, req, steps,
			      sizeof(steps) / sizeof(steps[0])))
			return -1;
	}
	/* commit does not bind it: this makes the dax region */
	if (cxl_write(ctx, req, "/sys/bus/cxl/drivers/cxl_region/bind",
		      ctx->cxl_region))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/cxl/devices/%s/resource",
		 ctx->cxl_region);
	if (agent_read_line(ctx, path, buf, sizeof(buf))) {
		set_status(req, "%s has no resource", ctx->cxl_region);
		return -1;
	}
	ctx->cxl_start = strtoull(buf, NULL, 0);
	return 0;
}

/* undo cxl_region_create (kmem already let go): the next request's own */
static int cxl_region_destroy(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	const struct cxl_step steps[] = {
		{ctx->cxl_region, "commit", "0"},
		/* an empty write does nothing: a lone newline clears it */
		{ctx->cxl_region, "target0", "\n"},
		{ctx->cxl_decoder, "dpa_size", "0"},
		{"decoder0.0", "delete_region", ctx->cxl_region},
	};

	if (cxl_write(ctx, req, "/sys/bus/cxl/drivers/cxl_region/unbind",
		      ctx->cxl_region) ||
	    cxl_steps(ctx, req, steps, sizeof(steps) / sizeof(steps[0])))
		return -1;
	ctx->cxl_region[0] = '\0';
	ctx->cxl_start = 0;
	return 0;
}

/* ---- nvdimm-kmem: QEMU NVDIMMs -> label-less namespace -> devdax -> kmem */

#define SPAPR_NVDIMM_LABEL_SIZE (128ULL << 10) /* QEMU's minimum */
#define SPAPR_NVDIMM_GRANULE (256ULL << 20) /* SPAPR_MINIMUM_SCM_BLOCK_SIZE */
#define NVDIMM_INFO_ALIGN (2ULL << 20)

/*
 * pseries: the NVDIMM's backing file, with the devdax info block the
 * guest would write at its first dax bind already in place (nd_info.h
 * says why it cannot).  QEMU puts the label area after the data, so the
 * namespace, which covers the whole region, starts at the file's start.
 * Only the start's alignment enters the layout; QEMU places NVDIMMs on
 * 256M boundaries, so 0 stands for it.
 */
static int nvdimm_backing_file(struct hp_bench_ctx *ctx, unsigned int i,
			       const char *file)
{
	struct hp_geometry g;
	struct hp_pmem_layout lay;
	uint8_t sb[HP_ND_INFO_SIZE], ns_uuid[16], dax_uuid[16];
	char why[HP_REASON_MAX];
	int fd, rc = 0;

	if (hp_geometry_derive(&ctx->platform, &g, why, sizeof(why)) ||
	    hp_pmem_layout(&ctx->platform, &g, 0, ctx->sizes[i],
			   NVDIMM_INFO_ALIGN, true, &lay)) {
		fprintf(stderr, "hpbench: no devdax layout for nvdimm %u\n", i);
		return -1;
	}
	nvdimm_uuid(0, i, ns_uuid);
	nvdimm_uuid(1, i, dax_uuid);
	hp_nd_dax_info_block(&lay, NVDIMM_INFO_ALIGN,
			     1U << ctx->platform.page_shift, dax_uuid, ns_uuid,
			     sb);
	fd = open(file, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 ||
	    ftruncate(fd, (off_t)(ctx->sizes[i] + SPAPR_NVDIMM_LABEL_SIZE)) ||
	    pwrite(fd, sb, sizeof(sb), HP_ND_INFO_OFFSET) != sizeof(sb)) {
		fprintf(stderr, "hpbench: %s: %s\n", file, strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * One NVDIMM per size, cold-plugged, named nvd<i>.  x86 and arm64
 * (-M ...,nvdimm=on, NFIT; arm64 virt needs the UEFI firmware for ACPI):
 * without a label area the kernel makes a raw namespace of each.
 * pseries (spapr-nvdimm, papr_scm): a file backend, a uuid and a label
 * area are required, the size less the label a multiple of 256M, and
 * the namespace is label-backed (pmem_make_devdax sizes it).
 * dax_setup claims it as devdax like ndctl would and kmem adds it.
 * Where QEMU puts them is asked after boot (nvdimm_addresses).
 */
static int nvdimm_prepare(struct hp_bench_ctx *ctx, struct lab_opts *o,
			  char *append, size_t len)
{
	static char obj[HP_MAX_SIZES][PATH_MAX + 96], dev[HP_MAX_SIZES][160];
	bool pseries = o->arch && !strcmp(o->arch->name, "ppc64le");
	size_t off = strlen(append);

	ctx->dax_nvdimm = true;
	ctx->nvdimm_prewritten = pseries;
	o->machine_opts = pseries ? NULL : ",nvdimm=on";
	if (o->arch && o->arch->uefi_firmware) {
		o->firmware = o->arch->uefi_firmware;
		snprintf(append + off, len - off, " acpi=force");
	}
	for (unsigned int i = 0; i < ctx->nr_sizes; i++) {
		if (o->nr_extra + 4 > LAB_MAX_ARGS)
			return -1;
		if (pseries) {
			char uuid[40];

			if (ctx->sizes[i] % SPAPR_NVDIMM_GRANULE) {
				fprintf(stderr,
					"hpbench: nvdimm-kmem on pseries: "
					"%lluM is not a multiple of 256M "
					"(QEMU's spapr-nvdimm)\n",
					(unsigned long long)(ctx->sizes[i] >>
							     20));
				return -1;
			}
			snprintf(ctx->nvdimm_file[i],
				 sizeof(ctx->nvdimm_file[i]), "%s/nvdimm%u.img",
				 ctx->res->dir, i);
			if (nvdimm_backing_file(ctx, i, ctx->nvdimm_file[i]))
				return -1;
			snprintf(obj[i], sizeof(obj[i]),
				 "memory-backend-file,id=nvm%u,mem-path=%s,"
				 "size=%llu,share=on",
				 i, ctx->nvdimm_file[i],
				 (unsigned long long)(ctx->sizes[i] +
						      SPAPR_NVDIMM_LABEL_SIZE));
			nvdimm_uuid_text(2, i, uuid, sizeof(uuid));
			snprintf(dev[i], sizeof(dev[i]),
				 "spapr-nvdimm,memdev=nvm%u,id=nvd%u,"
				 "label-size=%llu,uuid=%s",
				 i, i,
				 (unsigned long long)SPAPR_NVDIMM_LABEL_SIZE,
				 uuid);
		} else {
			snprintf(obj[i], sizeof(obj[i]),
				 "memory-backend-ram,id=nvm%u,size=%lluM", i,
				 (unsigned long long)(ctx->sizes[i] >> 20));
			snprintf(dev[i], sizeof(dev[i]),
				 "nvdimm,memdev=nvm%u,id=nvd%u", i, i);
		}
		o->extra[o->nr_extra++] = "-object";
		o->extra[o->nr_extra++] = obj[i];
		o->extra[o->nr_extra++] = "-device";
		o->extra[o->nr_extra++] = dev[i];
	}
	return 0;
}

/*
 * Once QEMU has mapped the backing files they need no name: unlinked,
 * their space goes when QEMU exits, however it exits.
 */
static void nvdimm_unlink_files(struct hp_bench_ctx *ctx)
{
	for (unsigned int i = 0; i < HP_MAX_SIZES; i++)
		if (ctx->nvdimm_file[i][0]) {
			unlink(ctx->nvdimm_file[i]);
			ctx->nvdimm_file[i][0] = '\0';
		}
}

/* QMP query-memory-devices: the address of each nvd<i> */
static int nvdimm_addresses(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	json_t *ret = NULL, *d;
	size_t i;

	if (qmp_execute(&ctx->lab.qmp, "query-memory-devices", NULL, &ret,
			ctx->timeout_ms)) {
		set_status(req, "query-memory-devices: %s", ctx->lab.qmp.error);
		return -1;
	}
	json_array_foreach(ret, i, d)
	{
		json_t *data = json_object_get(d, "data");
		const char *id = json_string_value(json_object_get(data, "id"));
		unsigned int k;

		if (id && sscanf(id, "nvd%u", &k) == 1 && k < HP_MAX_SIZES)
			ctx->nvdimm_addr[k] = (uint64_t)json_integer_value(
				json_object_get(data, "addr"));
	}
	json_decref(ret);
	return 0;
}

static int dax_setup(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char name[32], path[128];
	int64_t ns = 0;
	int rc;

	req->index = 0;
	while (req->index < ctx->nr_sizes &&
	       ctx->sizes[req->index] != req->size)
		req->index++;
	nvdimm_unlink_files(ctx);
	if (ctx->dax_nvdimm && nvdimm_addresses(ctx, req))
		return -1;
	if (dax_on_pmem(ctx)) {
		req->ns_start = dax_range_start(ctx, req->index);
		req->ns_align = ctx->nvdimm_prewritten ? NVDIMM_INFO_ALIGN : 0;
	}
	if (ctx->dax_cxl) {
		if (cxl_region_create(ctx, req))
			return -1;
		/* dax_cxl makes the dax device as the region binds */
		for (int waited = 0;
		     waited < 2000 &&
		     dax_find(ctx, ctx->cxl_start, name, sizeof(name));
		     waited += 20)
			usleep(20000);
	}
	if (dax_find(ctx, dax_range_start(ctx, req->index), name,
		     sizeof(name)) &&
	    (!dax_on_pmem(ctx) ||
	     pmem_make_devdax(ctx, dax_range_start(ctx, req->index), req) ||
	     dax_find(ctx, dax_range_start(ctx, req->index), name,
		      sizeof(name)))) {
		if (!strcmp(req->status, "ok"))
			set_status(req, "no dax device at %#llx (%s?)",
				   (unsigned long long)dax_range_start(
					   ctx, req->index),
				   ctx->dax_cxl	     ? "dax_cxl"
				   : ctx->dax_nvdimm ? "nfit"
				   : ctx->dax_pmem   ? "nd_e820"
						     : "dax_hmem");
		return -1;
	}
	if (dax_range(ctx, name, &req->dev_start, &req->dev_size)) {
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	/*
	 * hmem ranges are kmem-type: kmem claimed (and added) this one when
	 * it loaded at boot.  Take it back from whichever driver has it and
	 * set the attribute (only allowed while kmem does not own it).
	 */
	if (dax_unbind_any(ctx, name)) {
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/memmap_on_memory",
		 name);
	rc = lab_agent_write(&ctx->lab, path, ctx->kmem_attr ? "1" : "0", &ns,
			     ctx->timeout_ms);
	/*
	 * The kernel refuses 1 where it cannot place the memmap on the
	 * memory (mhp_supports_memmap_on_memory(): arm64 16K, ppc64le with
	 * "on"): kmem then adds with the attribute at 0, memmap in RAM.
	 * That add is what a user gets, and what is measured.
	 */
	if (rc == -EOPNOTSUPP && ctx->kmem_attr) {
		fprintf(stderr,
			"hpbench: [%s] the kernel refuses memmap_on_memory=1 "
			"for %s (EOPNOTSUPP): kmem adds with the memmap in "
			"RAM\n",
			ctx->config, name);
		rc = 0;
	}
	if (rc) {
		set_status(req, "refused: %s", ctx->lab.error);
		req->guest_dead = rc == -ETIMEDOUT;
		return -1;
	}
	return 0;
}

/* the timed bind is the add */
static int dax_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char name[32];
	unsigned int expect;
	int rc;

	if (dax_find(ctx, dax_range_start(ctx, req->index), name,
		     sizeof(name))) {
		set_status(req, "dax device vanished");
		return -1;
	}
	if (hp_agent_mark(ctx))
		return -1;
	rc = kmem_bind(ctx, name, req);
	if (rc) {
		req->guest_dead = rc == -ETIMEDOUT;
		return -1;
	}
	/* the blocks that appeared: kmem adds the block-aligned part */
	expect = 0;
	{
		uint64_t s = req->dev_start;
		uint64_t a = (s + ctx->block_size - 1) / ctx->block_size *
			     ctx->block_size;
		uint64_t e =
			(s + req->dev_size) / ctx->block_size * ctx->block_size;

		if (e > a)
			expect = (unsigned int)((e - a) / ctx->block_size);
	}
	if (kmem_added_blocks(ctx, expect, 2000, req))
		return -1;
	if (!ctx->auto_online && hp_online_blocks(ctx, req))
		return -1;
	return 0;
}

static int dax_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char name[32];
	int64_t ns = 0;

	if (hp_offline_blocks(ctx, req))
		return -1;
	if (dax_find(ctx, dax_range_start(ctx, req->index), name,
		     sizeof(name))) {
		set_status(req, "dax device vanished");
		return -1;
	}
	if (hp_agent_mark(ctx))
		return -1;
	if (kmem_unbind(ctx, name, req))
		return -1;
	/*
	 * A pmem dax device left unbound would be grabbed by kmem the next
	 * time any new_id makes it attach every match: give it back to
	 * device_dax, as ndctl leaves a devdax namespace.  Not an NVDIMM's:
	 * arm64 6.12 fails device_dax's memremap of one that is not whole
	 * 128M blocks (ENOMEM) and leaves the range claimed, so kmem could
	 * never take it again (EEXIST); kmem forgets its id instead.
	 */
	if (ctx->dax_cxl)
		return cxl_region_destroy(ctx, req);
	if (ctx->dax_nvdimm)
		lab_agent_write(&ctx->lab,
				"/sys/bus/dax/drivers/kmem/remove_id", name,
				&ns, ctx->timeout_ms);
	else if (dax_on_pmem(ctx) &&
		 lab_agent_write(&ctx->lab,
				 "/sys/bus/dax/drivers/device_dax/bind", name,
				 &ns, ctx->timeout_ms)) {
		set_status(req, "not given back to device_dax: %s",
			   ctx->lab.error);
		return -1;
	}
	return 0;
}

/* ---- --target host: a real dax device, given back afterwards ---- */

static int host_dax_setup(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char path[96];
	int64_t ns;

	if (!ctx->device_driver[0])
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/dax/drivers/%s/unbind",
		 ctx->device_driver);
	if (lab_agent_write(&ctx->lab, path, ctx->device, &ns,
			    ctx->timeout_ms)) {
		set_status(req, "%s", ctx->lab.error);
		return -1;
	}
	return 0;
}

static int host_dax_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	unsigned int blocks = (unsigned int)(req->size / ctx->block_size);

	if (hp_agent_mark(ctx) || kmem_bind(ctx, ctx->device, req))
		return -1;
	/* kmem adds the block-aligned part: at most size / block blocks */
	if (kmem_added_blocks(ctx, blocks, 1000, req))
		return -1;
	if (ctx->auto_online)
		return hp_agent_wait(ctx, "online", req->nr_blocks, req);
	return hp_online_blocks(ctx, req);
}

static int host_dax_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	char path[96];
	int64_t ns = 0;

	if (hp_offline_blocks(ctx, req))
		return -1;
	if (kmem_unbind(ctx, ctx->device, req))
		return -1;
	if (!ctx->device_driver[0])
		return 0;
	/* give it back as it was */
	snprintf(path, sizeof(path), "/sys/bus/dax/drivers/%s/bind",
		 ctx->device_driver);
	if (lab_agent_write(&ctx->lab, path, ctx->device, &ns,
			    ctx->timeout_ms)) {
		set_status(req, "not given back to %s: %s", ctx->device_driver,
			   ctx->lab.error);
		return -1;
	}
	return 0;
}

const struct hp_path_ops hp_host_dax_ops = {
	.name = "dax-kmem",
	.planner_path = HP_PATH_DAX_KMEM,
	.setup = host_dax_setup,
	.add = host_dax_add,
	.remove = host_dax_remove,
};

/* an offline block: online it, offline it; nothing is added or removed */
static int host_block_add(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	req->nr_blocks = 1;
	req->blocks[0] = strtol(ctx->device + 6, NULL, 10);
	return hp_online_blocks(ctx, req);
}

static int host_block_remove(struct hp_bench_ctx *ctx, struct hp_request *req)
{
	return hp_offline_blocks(ctx, req);
}

const struct hp_path_ops hp_host_block_ops = {
	.name = "offline-block",
	.planner_path = HP_PATH_PROBE,
	.no_capacity = true,
	.add = host_block_add,
	.remove = host_block_remove,
};

static const struct hp_path_ops acpi_dimm_ops = {
	.name = "acpi-dimm",
	.planner_path = HP_PATH_ACPI_DIMM,
	.arches = "x86_64,arm64",
	.why_not = "pseries has no ACPI: its pc-dimm path is pseries-dlpar",
	.needs_config = "CONFIG_ACPI_HOTPLUG_MEMORY",
	.host_side = true,
	.prepare = dimm_prepare,
	.add = dimm_add,
	.remove = dimm_remove,
};

static const struct hp_path_ops virtio_mem_ops = {
	.name = "virtio-mem",
	.planner_path = HP_PATH_VIRTIO_MEM,
	.arches = "x86_64,arm64",
	.why_not = "Linux 6.12 builds virtio-mem for x86_64, arm64 and "
		   "riscv only (drivers/virtio/Kconfig VIRTIO_MEM)",
	.needs_config = "CONFIG_VIRTIO_MEM",
	.host_side = true,
	.auto_online = true, /* the driver plugs only what gets onlined */
	.prepare = vmem_prepare,
	.add = vmem_add,
	.remove = vmem_remove,
};

static const struct hp_path_ops dax_kmem_ops = {
	.name = "dax-kmem",
	.planner_path = HP_PATH_DAX_KMEM,
	.arches = "x86_64",
	.why_not = "its ranges come from memmap= on the kernel command line "
		   "(E820): x86 only",
	.needs_config = "CONFIG_DEV_DAX_KMEM",
	.prepare = dax_prepare,
	.setup = dax_setup,
	.add = dax_add,
	.remove = dax_remove,
};

static const struct hp_path_ops probe_ops = {
	.name = "probe",
	.planner_path = HP_PATH_PROBE,
	.arches = "x86_64",
	.why_not = "the lab probes on x86 only (memory/probe needs "
		   "ARCH_MEMORY_PROBE: the patched x86 kernel)",
	.needs_config = "CONFIG_ARCH_MEMORY_PROBE",
	.prepare = probe_prepare,
	.add = probe_add,
	.remove = probe_remove,
};

static const struct hp_path_ops dlpar_ops = {
	.name = "pseries-dlpar",
	.planner_path = HP_PATH_PSERIES_DLPAR,
	.arches = "ppc64le",
	.why_not = "DLPAR is the PAPR (pseries) firmware's interface",
	.host_side = true,
	.auto_online = true, /* the guest onlines each LMB it adds */
	.prepare = dimm_prepare,
	.add = dlpar_add,
	.remove = dimm_remove,
};

static const struct hp_path_ops nvdimm_kmem_ops = {
	.name = "nvdimm-kmem",
	.planner_path = HP_PATH_DAX_KMEM,
	.on_pmem = true,
	/* pseries: Debian builds no LIBNVDIMM, so our kernel (papr_scm) */
	.arches = "x86_64,arm64,ppc64le",
	.needs_config = "CONFIG_LIBNVDIMM,CONFIG_DEV_DAX_PMEM,"
			"CONFIG_DEV_DAX_KMEM",
	.prepare = nvdimm_prepare,
	.setup = dax_setup,
	.add = dax_add,
	.remove = dax_remove,
};

static const struct hp_path_ops cxl_ops = {
	.name = "cxl",
	.planner_path = HP_PATH_DAX_KMEM,
	.cxl = true,
	/* interleave ways x 256M (drivers/cxl/core/region.c size_store) */
	.size_granule = 256ULL << 20,
	.arches = "x86_64",
	.why_not = "the lab's CXL topology is QEMU's q35 one (pxb-cxl)",
	.needs_config = "CONFIG_CXL_ACPI,CONFIG_CXL_PCI,CONFIG_CXL_MEM,"
			"CONFIG_CXL_REGION,CONFIG_DEV_DAX_CXL,"
			"CONFIG_DEV_DAX_KMEM",
	.prepare = cxl_prepare,
	.setup = dax_setup,
	.add = dax_add,
	.remove = dax_remove,
};

static const struct hp_path_ops pmem_fsdax_ops = {
	.name = "pmem-fsdax",
	.planner_path = HP_PATH_PMEM_FSDAX,
	.arches = "x86_64",
	.why_not = "its namespaces come from memmap=S!START on the kernel "
		   "command line (E820 legacy pmem): x86 only",
	.needs_config = "CONFIG_X86_PMEM_LEGACY,CONFIG_BLK_DEV_PMEM,"
			"CONFIG_ND_PFN",
	.map_attr = true,
	.prepare = fsdax_prepare,
	.setup = fsdax_setup,
	.add = fsdax_add,
	.remove = fsdax_remove,
	.capacity = fsdax_capacity,
};

const struct hp_path_ops *const hp_path_table[] = {
	&acpi_dimm_ops, &virtio_mem_ops, &dax_kmem_ops,
	&probe_ops,	&dlpar_ops,	 &nvdimm_kmem_ops,
	&cxl_ops,	&pmem_fsdax_ops, NULL,
};

const struct hp_path_ops *hp_path_ops_find(const char *name)
{
	for (int i = 0; hp_path_table[i]; i++)
		if (!strcmp(hp_path_table[i]->name, name))
			return hp_path_table[i];
	return NULL;
}
