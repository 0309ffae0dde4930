// SPDX-License-Identifier: MIT
/* Names used in device.cfg, JSON and CSV for the model's enums. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const arch_names[HP_ARCH_NR] = {
	[HP_ARCH_X86_64] = "x86_64",   [HP_ARCH_ARM64] = "arm64",
	[HP_ARCH_PPC64LE] = "ppc64le", [HP_ARCH_RISCV64] = "riscv64",
	[HP_ARCH_S390X] = "s390x",
};

static const char *const kernel_names[HP_KERNEL_NR] = {
	[HP_KERNEL_6_1] = "6.1",
	[HP_KERNEL_6_12] = "6.12",
};

static const char *const mmu_names[HP_MMU_NR] = {
	[HP_MMU_NONE] = "none",
	[HP_MMU_RADIX] = "radix",
	[HP_MMU_HASH] = "hash",
};

static const char *const mode_names[HP_MODE_NR] = {
	[HP_MODE_OFF] = "off",
	[HP_MODE_ON] = "on",
	[HP_MODE_FORCE] = "force",
};

static const char *const path_names[HP_PATH_NR] = {
	[HP_PATH_ACPI_DIMM] = "acpi-dimm",
	[HP_PATH_VIRTIO_MEM] = "virtio-mem",
	[HP_PATH_DAX_KMEM] = "dax-kmem",
	[HP_PATH_PROBE] = "probe",
	[HP_PATH_PMEM_DEVDAX] = "pmem-devdax",
	[HP_PATH_PMEM_FSDAX] = "pmem-fsdax",
	[HP_PATH_PSERIES_DLPAR] = "pseries-dlpar",
};

static const char *const dax_source_names[HP_DAX_NR] = {
	[HP_DAX_PMEM] = "pmem",
	[HP_DAX_HMEM] = "hmem",
	[HP_DAX_CXL] = "cxl",
};

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcasecmp(names[i], s))
			return (int)i;
	return -1;
}

const char *hp_arch_name(enum hp_arch a)
{
	return (unsigned)a < HP_ARCH_NR ? arch_names[a] : NULL;
}
const char *hp_kernel_name(enum hp_kernel k)
{
	return (unsigned)k < HP_KERNEL_NR ? kernel_names[k] : NULL;
}
const char *hp_mmu_name(enum hp_mmu m)
{
	return (unsigned)m < HP_MMU_NR ? mmu_names[m] : NULL;
}
const char *hp_mode_name(enum hp_mode m)
{
	return (unsigned)m < HP_MODE_NR ? mode_names[m] : NULL;
}
const char *hp_path_name(enum hp_path p)
{
	return (unsigned)p < HP_PATH_NR ? path_names[p] : NULL;
}
const char *hp_dax_source_name(enum hp_dax_source s)
{
	return (unsigned)s < HP_DAX_NR ? dax_source_names[s] : NULL;
}

int hp_arch_from_name(const char *s)
{
	/* the kernel's own spellings are accepted too */
	if (!strcasecmp(s, "amd64") || !strcasecmp(s, "x86-64"))
		return HP_ARCH_X86_64;
	if (!strcasecmp(s, "aarch64"))
		return HP_ARCH_ARM64;
	if (!strcasecmp(s, "ppc64el") || !strcasecmp(s, "powerpc64le"))
		return HP_ARCH_PPC64LE;
	if (!strcasecmp(s, "s390"))
		return HP_ARCH_S390X;
	return lookup(arch_names, ARRAY_SIZE(arch_names), s);
}

/*
 * "6.12", "6.12.95" and "6.12.95-1~bpo12+1" all select the 6.12 rules:
 * the rules follow the series, not the stable release.
 */
int hp_kernel_from_name(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(kernel_names); i++) {
		size_t n = strlen(kernel_names[i]);

		if (!strncmp(s, kernel_names[i], n) &&
		    (s[n] == '\0' || s[n] == '.' || s[n] == '-' || s[n] == '+'))
			return (int)i;
	}
	return -1;
}

const char *hp_kernel_supported_list(void)
{
	return "6.1, 6.12";
}

int hp_mmu_from_name(const char *s)
{
	return lookup(mmu_names, ARRAY_SIZE(mmu_names), s);
}

/* kstrtobool() spellings: 1 for yes, 0 for no, -1 otherwise */
int hp_bool_from_name(const char *s)
{
	static const char *const yes[] = {"yes", "y", "on", "1", "true"};
	static const char *const no[] = {"no", "n", "off", "0", "false"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (!strcasecmp(s, yes[i]))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (!strcasecmp(s, no[i]))
			return 0;
	return -1;
}

/* "0", "0,1", "0-3,5": the kernel's node list format (has_memory too) */
int hp_nodes_from_list(const char *v, uint64_t *mask)
{
	const char *s = v;

	*mask = 0;
	while (*s) {
		char *end;
		unsigned long a, b;

		while (isspace((unsigned char)*s))
			s++;
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		s = end;
		if (*s == '-') {
			s++;
			if (!isdigit((unsigned char)*s))
				return -EINVAL;
			b = strtoul(s, &end, 10);
			s = end;
		}
		if (a > b || b >= HP_MAX_NODES)
			return -EINVAL;
		for (unsigned long n = a; n <= b; n++)
			*mask |= 1ULL << n;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return *mask ? 0 : -EINVAL;
}

int hp_mode_from_name(const char *s)
{
	/* the kernel parameter takes kstrtobool() spellings or "force" */
	int b = hp_bool_from_name(s);

	if (b >= 0)
		return b ? HP_MODE_ON : HP_MODE_OFF;
	return lookup(mode_names, ARRAY_SIZE(mode_names), s);
}

int hp_path_from_name(const char *s)
{
	return lookup(path_names, ARRAY_SIZE(path_names), s);
}

int hp_dax_source_from_name(const char *s)
{
	return lookup(dax_source_names, ARRAY_SIZE(dax_source_names), s);
}
