/* SPDX-License-Identifier: MIT */
/*
 * lab.h - one QEMU guest: start it, talk to its QMP and its agent, stop
 * it and reap it whatever state it is in.
 */
#ifndef HP_BENCH_LAB_H
#define HP_BENCH_LAB_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "jsonline.h"
#include "qmp.h"

#define LAB_MAX_ARGS 96

/* A guest architecture of the lab: how QEMU runs it. */
struct lab_arch {
	const char *name;    /* hpbench's name: x86_64, arm64, ppc64le */
	const char *uname;   /* what uname -m says in the guest */
	const char *qemu;    /* the QEMU binary */
	const char *machine; /* -M */
	const char *tcg_cpu; /* -cpu under TCG; NULL: the machine's default */
	const char *console; /* console= for the first serial port */
	/* hpbench's paths when --paths is not given */
	const char *default_paths;
	/* page sizes Debian builds a kernel flavour with (fetch-kernel.sh) */
	const char *debian_page_sizes;
	/* firmware with ACPI memory hotplug, where -kernel alone has none */
	const char *uefi_firmware;
};

/*
 * The lab of an arch and page size: build/lab (x86_64, 4K), build/lab/ARCH,
 * build/lab/ARCH-16k; under $HPBENCH_LAB instead when set.  `which` gets
 * the make target's suffix (make lab-WHICH), "" for x86_64.
 */
void lab_dir(const struct lab_arch *a, unsigned int page_size, char *dir,
	     size_t len, char *which, size_t which_len);

/* the directory of the running executable (the tree, for ./hpbench) */
void lab_exe_dir(char *buf, size_t len);

/*
 * Does the kernel config file at `config` lack one of `needs`
 * ("CONFIG_A,CONFIG_B": each =y or =m)?  true with the first missing in
 * `missing`; false when all are there or the file is not readable.
 */
bool lab_config_lacks(const char *config, const char *needs, char *missing,
		      size_t len);

/*
 * Does our kernel (--kernel patched: kernel-patches/lab.config and
 * lab-ARCH.config) set `opt`?  For the hint after a Debian kernel lacks it.
 */
bool lab_ours_has(const struct lab_arch *a, const char *opt);

/* the table's i-th row, or NULL past the end */
const struct lab_arch *lab_arch_at(unsigned int i);
/* the table's row for name, or NULL */
const struct lab_arch *lab_arch_find(const char *name);
/* the row whose guest says machine (uname -m), or NULL */
const struct lab_arch *lab_arch_by_uname(const char *machine);

struct lab_opts {
	const struct lab_arch *arch; /* NULL: x86_64 */
	const char *qemu;	     /* NULL: the arch's */
	const char *kernel;	     /* bzImage, Image, vmlinux */
	const char *initrd;
	const char *firmware;	  /* -bios, or NULL */
	const char *machine_opts; /* appended to -M (",nvdimm=on"), or NULL */
	const char *cpu_flags; /* appended to -cpu (",-hypervisor"), or NULL */
	const char *append;    /* kernel command line */
	uint64_t boot_mem;     /* bytes of RAM, all on node 0 */
	uint64_t low_mem;      /* 0, or RAM below 4G (the rest goes above 4G) */
	uint64_t maxmem;       /* -m maxmem= */
	unsigned int slots;
	unsigned int smp;
	bool memless_node; /* node 1: no CPUs, no memory, hotplug target */
	const char *extra[LAB_MAX_ARGS]; /* path-specific arguments */
	unsigned int nr_extra;
	const char *console_log; /* guest serial output goes here */
	int boot_timeout_ms;
};

struct lab {
	pid_t pid;
	bool kvm;
	struct qmp qmp;
	struct jline agent;
	json_t *hello; /* the agent's first line */
	char sockdir[64];
	char cmdline[8192]; /* the QEMU command line, shell-quoted */
	char error[512];
	long peak_rss_kb; /* VmHWM of QEMU, read before it exits */
};

bool lab_kvm_usable(void);

/* boot and connect; 0, or -1 with lab->error set and QEMU reaped */
int lab_start(struct lab *lab, const struct lab_opts *o);

/*
 * --target host: no QEMU, the agent runs here on a socketpair (--stdio),
 * speaking the same protocol.  0, or -1 with lab->error.
 */
int lab_start_local(struct lab *lab, const char *agent_path);

/* QEMU still running? (reaps it if not) */
bool lab_alive(struct lab *lab);

/*
 * One agent request.  0 with *rep owned by the caller (check "ok"), or
 * -1 with lab->error (timeout, EOF: the guest died or hung).
 */
int lab_agent(struct lab *lab, json_t *req, json_t **rep, int timeout_ms);

/* agent "write" of value to path: 0 and *ns, or -errno from the guest */
int lab_agent_write(struct lab *lab, const char *path, const char *value,
		    int64_t *ns, int timeout_ms);

/* power off (agent), then SIGKILL after a grace period; always reaps */
void lab_stop(struct lab *lab);

/* a line from the end of the guest console, for failure messages */
void lab_console_tail(const char *console_log, char *buf, size_t len);

#endif
