// SPDX-License-Identifier: MIT
/*
 * The devdax info block hpbench writes into a pseries NVDIMM's backing
 * file: the checksum against sums done by hand, the fields at the
 * offsets of struct nd_pfn_sb, and the layout of the sizes the lab uses.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../../bench/nd_info.h"
#include "helpers.h"

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

Test(nd_info, fletcher64_by_hand)
{
	/* words 1,2,3,4: lo 1,3,6,10; hi 1+3+6+10 = 20 */
	const uint8_t w[16] = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0};
	/* lo wraps at 32 bits: 0xffffffff + 2 = 1, hi = 0xffffffff + 1 */
	const uint8_t x[8] = {0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0};

	cr_assert_eq(hp_nd_fletcher64(w, sizeof(w)), 20ULL << 32 | 10);
	cr_assert_eq(hp_nd_fletcher64(x, sizeof(x)), 0x100000000ULL << 32 | 1);
}

static void layout(unsigned int page_shift, uint64_t size,
		   struct hp_pmem_layout *lay)
{
	struct hp_platform p;
	struct hp_geometry g;
	char why[256];

	hp_platform_init(&p);
	p.arch = HP_ARCH_PPC64LE;
	p.mmu = HP_MMU_RADIX;
	p.page_shift = page_shift;
	cr_assert_eq(hp_geometry_derive(&p, &g, why, sizeof(why)), 0, "%s",
		     why);
	cr_assert_eq(hp_pmem_layout(&p, &g, 0, size, 2 * MiB, true, lay), 0);
}

Test(nd_info, block_of_a_1g_nvdimm_64k)
{
	struct hp_pmem_layout lay;
	uint8_t sb[HP_ND_INFO_SIZE], ns[16], dax[16];
	uint64_t sum;

	for (int i = 0; i < 16; i++) {
		ns[i] = (uint8_t)(0x10 + i);
		dax[i] = (uint8_t)(0x80 + i);
	}
	/* 64K pages: 8K + 64 B x (1G - 8K) / 64K = 1M + 8K - 64, up to 2M */
	layout(16, 1 * GiB, &lay);
	hp_nd_dax_info_block(&lay, 2 * MiB, 65536, dax, ns, sb);
	cr_assert_eq(memcmp(sb, "NVDIMM_DAX_INFO\0", 16), 0);
	cr_assert_eq(memcmp(sb + 16, dax, 16), 0);
	cr_assert_eq(memcmp(sb + 32, ns, 16), 0);
	cr_assert_eq(le(sb + 48, 4), 0); /* flags */
	cr_assert_eq(le(sb + 52, 2), 1); /* version 1.4 */
	cr_assert_eq(le(sb + 54, 2), 4);
	cr_assert_eq(le(sb + 56, 8), 2 * MiB); /* dataoff */
	cr_assert_eq(le(sb + 64, 8), (1 * GiB - 2 * MiB) / 65536);
	cr_assert_eq(le(sb + 72, 4), 2); /* PFN_MODE_PMEM */
	cr_assert_eq(le(sb + 76, 4), 0); /* start_pad */
	cr_assert_eq(le(sb + 80, 4), 0); /* end_trunc */
	cr_assert_eq(le(sb + 84, 4), 2 * MiB);
	cr_assert_eq(le(sb + 88, 4), 65536);
	cr_assert_eq(le(sb + 92, 2), 64);
	for (int i = 94; i < HP_ND_INFO_SIZE - 8; i++)
		cr_assert_eq(sb[i], 0, "padding byte %d", i);
	/* nd_pfn_validate(): the sum with the checksum field zeroed */
	sum = le(sb + HP_ND_INFO_SIZE - 8, 8);
	memset(sb + HP_ND_INFO_SIZE - 8, 0, 8);
	cr_assert_eq(sum, hp_nd_fletcher64(sb, HP_ND_INFO_SIZE));
	cr_assert_neq(sum, 0);
}

Test(nd_info, block_of_a_1g_nvdimm_4k)
{
	struct hp_pmem_layout lay;
	uint8_t sb[HP_ND_INFO_SIZE], id[16] = {0};

	/* 4K pages: 8K + 64 B x 262142 = 16M + 8K - 128, up to 18M */
	layout(12, 1 * GiB, &lay);
	hp_nd_dax_info_block(&lay, 2 * MiB, 4096, id, id, sb);
	cr_assert_eq(le(sb + 56, 8), 18 * MiB);
	cr_assert_eq(le(sb + 64, 8), (1 * GiB - 18 * MiB) / 4096);
	cr_assert_eq(le(sb + 88, 4), 4096);
}

Test(nd_info, uuid_text)
{
	const uint8_t u[16] = {'h',  'p', 'b', 'n', 0, 1, 0x40, 0,
			       0x80, 0,	  0,   0,   0, 0, 0,	7};
	char buf[40];

	hp_uuid_format(u, buf, sizeof(buf));
	cr_assert_str_eq(buf, "6870626e-0001-4000-8000-000000000007");
}
