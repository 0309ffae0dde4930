/* SPDX-License-Identifier: MIT */
/* --from-sysfs: describe the running machine as a device.cfg (does I/O). */
#ifndef HP_PLANNER_SYSFS_H
#define HP_PLANNER_SYSFS_H

#include "config.h"

/*
 * Read @root/sys and @root/proc (root "/" for this machine) into @cfg:
 * platform from uname/osrelease, block_size_bytes, the memmap_on_memory
 * parameter, auto_online_blocks, nodes with memory, the end of boot RAM
 * (/sys/firmware/memmap), the hypervisor CPU flag; devices from
 * /sys/bus/dax/devices and runs of offline memory blocks.
 * @kernel_override, when not NULL, replaces the osrelease rule set.
 */
int hp_sysfs_build_config(const char *root, const char *kernel_override,
			  struct hp_config *cfg, char *err, size_t err_len);

#endif
