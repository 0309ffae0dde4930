/* SPDX-License-Identifier: MIT */
/*
 * nd_info.h - the devdax info block a pmem namespace carries at 4K
 * (drivers/nvdimm/pfn.h struct nd_pfn_sb), written by the host into an
 * NVDIMM's backing file before boot where the guest cannot write it
 * itself: pseries under TCG, whose kernel flushes pmem with dcbstps
 * (dcbf L=6), an instruction QEMU 10's TCG raises illegal.
 */
#ifndef HP_BENCH_ND_INFO_H
#define HP_BENCH_ND_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "../planner/rules.h"

#define HP_ND_INFO_OFFSET 4096 /* nd_pfn_validate() reads it at SZ_4K */
#define HP_ND_INFO_SIZE 4096   /* sizeof(struct nd_pfn_sb) */

/* drivers/nvdimm/core.c nd_fletcher64(), little-endian 32-bit words */
uint64_t hp_nd_fletcher64(const void *buf, size_t len);

/*
 * The block nd_pfn_init() writes for a dax seed in mode pmem (map=dev):
 * signature NVDIMM_DAX_INFO, version 1.4, the layout's dataoff, npfns and
 * end_trunc, the requested align, the page size, 64-byte struct pages,
 * and the checksum nd_pfn_validate() checks.
 */
void hp_nd_dax_info_block(const struct hp_pmem_layout *lay, uint32_t align,
			  uint32_t page_size, const uint8_t dax_uuid[16],
			  const uint8_t ns_uuid[16],
			  uint8_t sb[HP_ND_INFO_SIZE]);

/* the canonical text of a uuid's 16 bytes, as sysfs takes it */
void hp_uuid_format(const uint8_t uuid[16], char *buf, size_t len);

#endif
