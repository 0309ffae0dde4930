// SPDX-License-Identifier: MIT
/*
 * nd_info.c - the devdax info block, byte for byte as Linux 6.12's
 * drivers/nvdimm/pfn_devs.c nd_pfn_init() lays it out.
 */
#include "nd_info.h"

#include <stdio.h>
#include <string.h>

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t hp_nd_fletcher64(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint32_t lo32 = 0;
	uint64_t hi32 = 0;

	for (size_t i = 0; i + 4 <= len; i += 4) {
		lo32 += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
			(uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24;
		hi32 += lo32;
	}
	return hi32 << 32 | lo32;
}

/* struct nd_pfn_sb field offsets (drivers/nvdimm/pfn.h) */
enum {
	SB_SIGNATURE = 0,
	SB_UUID = 16,
	SB_PARENT_UUID = 32,
	SB_FLAGS = 48,
	SB_VERSION_MAJOR = 52,
	SB_VERSION_MINOR = 54,
	SB_DATAOFF = 56,
	SB_NPFNS = 64,
	SB_MODE = 72,
	SB_START_PAD = 76,
	SB_END_TRUNC = 80,
	SB_ALIGN = 84,
	SB_PAGE_SIZE = 88,
	SB_PAGE_STRUCT_SIZE = 92,
	SB_CHECKSUM = HP_ND_INFO_SIZE - 8,
};

#define PFN_MODE_PMEM 2		/* enum nd_pfn_mode */
#define MAX_STRUCT_PAGE_SIZE 64 /* include/linux/mm_types.h */

void hp_nd_dax_info_block(const struct hp_pmem_layout *lay, uint32_t align,
			  uint32_t page_size, const uint8_t dax_uuid[16],
			  const uint8_t ns_uuid[16],
			  uint8_t sb[HP_ND_INFO_SIZE])
{
	memset(sb, 0, HP_ND_INFO_SIZE);
	memcpy(sb + SB_SIGNATURE, "NVDIMM_DAX_INFO", 16); /* with its NUL */
	memcpy(sb + SB_UUID, dax_uuid, 16);
	memcpy(sb + SB_PARENT_UUID, ns_uuid, 16);
	put_le16(sb + SB_VERSION_MAJOR, 1);
	put_le16(sb + SB_VERSION_MINOR, 4);
	put_le64(sb + SB_DATAOFF, lay->dataoff);
	put_le64(sb + SB_NPFNS, lay->npfns);
	put_le32(sb + SB_MODE, PFN_MODE_PMEM);
	put_le32(sb + SB_END_TRUNC, (uint32_t)lay->end_trunc);
	put_le32(sb + SB_ALIGN, align);
	put_le32(sb + SB_PAGE_SIZE, page_size);
	put_le16(sb + SB_PAGE_STRUCT_SIZE, MAX_STRUCT_PAGE_SIZE);
	/* nd_sb_checksum(): the sum with the checksum field zero */
	put_le64(sb + SB_CHECKSUM, hp_nd_fletcher64(sb, HP_ND_INFO_SIZE));
}

void hp_uuid_format(const uint8_t u[16], char *buf, size_t len)
{
	snprintf(buf, len,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}
