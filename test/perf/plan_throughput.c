// SPDX-License-Identifier: MIT
/*
 * Planner throughput: layouts planned per second on one core.  A
 * "layout" is one device planned on one platform (geometry derived
 * once per platform variant, as hpplan --sweep does).  Prints figures;
 * the goal (>= 1M/s) is reported, not asserted.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../planner/model.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
	static const struct {
		enum hp_arch arch;
		unsigned int shift;
		enum hp_mmu mmu;
	} plats[] = {
		{HP_ARCH_X86_64, 12, HP_MMU_NONE},
		{HP_ARCH_ARM64, 12, HP_MMU_NONE},
		{HP_ARCH_ARM64, 16, HP_MMU_NONE},
		{HP_ARCH_PPC64LE, 16, HP_MMU_RADIX},
		{HP_ARCH_S390X, 12, HP_MMU_NONE},
	};
	const enum hp_path paths[] = {HP_PATH_ACPI_DIMM, HP_PATH_DAX_KMEM,
				      HP_PATH_VIRTIO_MEM, HP_PATH_PMEM_FSDAX};
	unsigned long long layouts = 0, checksum = 0;
	double t0 = now(), elapsed;

	do {
		for (size_t i = 0; i < sizeof(plats) / sizeof(plats[0]); i++) {
			for (int mode = 0; mode < HP_MODE_NR; mode++) {
				struct hp_platform p;
				struct hp_geometry g;
				struct hp_plan_state st;
				char why[256];

				hp_platform_init(&p);
				p.arch = plats[i].arch;
				p.page_shift = plats[i].shift;
				p.mmu = plats[i].mmu;
				p.mode = (enum hp_mode)mode;
				p.boot_memory_end = 16ULL << 30;
				if (hp_geometry_derive(&p, &g, why,
						       sizeof(why)))
					continue;
				hp_plan_state_init(&p, &g, &st);
				for (int k = 0; k < 64; k++) {
					struct hp_device d;
					struct hp_plan pl;

					hp_device_init(&d);
					d.path = paths[k % 4];
					d.size = (uint64_t)(k + 1) << 30;
					d.node = k & 1;
					hp_plan_device(&p, &g, &d, &st, &pl);
					checksum += pl.usable_bytes;
					layouts++;
				}
			}
		}
		elapsed = now() - t0;
	} while (elapsed < 2.0);
	printf("planner throughput: %llu layouts in %.3f s = %.0f layouts/s "
	       "(goal >= 1000000/s on one core; checksum %llx)\n",
	       layouts, elapsed, (double)layouts / elapsed, checksum);
	return 0;
}
