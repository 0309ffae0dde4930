// SPDX-License-Identifier: MIT
/* device.cfg errors: file:line and what was expected. */
#include <criterion/criterion.h>

#include "helpers.h"

static struct hp_config cfg;

static void expect_error(const char *text, const char *needle)
{
	char err[1024];

	cr_assert_neq(t_load(text, &cfg, err, sizeof(err)), 0, "accepted: %s",
		      text);
	cr_assert(strstr(err, needle), "error '%s' lacks '%s'", err, needle);
}

Test(config, issue_example_parses)
{
	char err[512];

	cr_assert_eq(
		t_load("[platform]\narch = x86_64              ; x86_64 | "
		       "arm64\n"
		       "page_size = 4K\nkernel = 6.12\nmemory_block_size = "
		       "128M\n"
		       "boot_memory_end = 16G\nhypervisor = "
		       "yes\nmemmap_on_memory = on\n"
		       "[device cxl0]              ; one section per device\n"
		       "path = dax-kmem\nstart = 0x1080000000\nsize = "
		       "16G\nnode = 1\n"
		       "memmap_on_memory = yes\n",
		       &cfg, err, sizeof(err)),
		0, "%s", err);
	cr_assert_eq(cfg.nr_devices, 1);
	cr_assert_str_eq(cfg.devices[0].name, "cxl0");
	cr_assert_eq(cfg.devices[0].start, 0x1080000000ULL);
	cr_assert_eq(cfg.platform.mode, HP_MODE_ON);
}

Test(config, unknown_key_with_line_and_suggestion)
{
	expect_error("[platform]\narch = x86_64\nmemmap_on_memroy = on\n",
		     "test.cfg:3: unknown key 'memmap_on_memroy' in "
		     "[platform]; did you mean 'memmap_on_memory'?");
}

Test(config, bad_value_says_what_was_expected)
{
	expect_error("[platform]\narch = sparc\n",
		     "test.cfg:2: bad value 'sparc' for arch (expected x86_64 "
		     "| arm64");
	expect_error("[platform]\narch = x86_64\n[device a]\npath = "
		     "acpi-dimm\nsize = 12Q\n",
		     "test.cfg:5: bad value '12Q' for size");
	expect_error("[platform]\npage_size = 8K\n", "test.cfg:2:");
}

Test(config, duplicate_section_even_when_empty)
{
	expect_error(
		"[platform]\n[device a]\npath = probe\nsize = 128M\n\n[device "
		"a]\n",
		"test.cfg:6: duplicate section [device a] (first at line 2)");
}

Test(config, duplicate_key)
{
	expect_error("[platform]\narch = x86_64\narch = arm64\n",
		     "test.cfg:3: duplicate key 'arch'");
}

Test(config, unknown_kernel_names_supported_ones)
{
	expect_error("[platform]\nkernel = 5.15\n",
		     "test.cfg:2: kernel = 5.15: no rule set for that version; "
		     "supported: 6.1, 6.12");
}

Test(config, full_kernel_version_selects_series)
{
	char err[256];

	cr_assert_eq(t_load("[platform]\nkernel = 6.12.95-1~bpo12+1\n", &cfg,
			    err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(cfg.platform.kernel, HP_KERNEL_6_12);
	expect_error("[platform]\nkernel = 6.10\n", "supported: 6.1, 6.12");
}

Test(config, missing_required_keys)
{
	expect_error("[platform]\n[device a]\nsize = 1G\n",
		     "test.cfg:2: [device a] has no path");
	expect_error("[platform]\n[device a]\npath = probe\n",
		     "test.cfg:2: [device a] has no size");
	expect_error("[device a]\npath = probe\nsize = 1G\n", "no [platform]");
}

Test(config, unknown_section_and_garbage)
{
	expect_error("[platform]\n[devices a]\n",
		     "test.cfg:2: unknown section [devices a]");
	expect_error("[platform]\nthis is not ini\n",
		     "test.cfg:2: cannot parse");
}

Test(config, mmu_only_on_ppc)
{
	expect_error("[platform]\narch = x86_64\nmmu = radix\n",
		     "test.cfg:3: mmu applies to ppc64le only");
}

Test(config, invalid_block_size_is_a_planning_error)
{
	struct hp_run run;
	char err[512];

	cr_assert_eq(t_load("[platform]\nmemory_block_size = 96M\n", &cfg, err,
			    sizeof(err)),
		     0);
	cr_assert_neq(hp_run_plan(&cfg, &run, err, sizeof(err)), 0);
	cr_assert(strstr(err, "not a power of two"), "%s", err);
}

Test(config, write_then_read_round_trips)
{
	char err[256], buf[4096];
	struct hp_config again;
	FILE *f;

	cr_assert_eq(
		t_load("[platform]\narch = ppc64le\npage_size = 64K\n"
		       "memmap_on_memory = force\nboot_nodes = 0-1,3\n"
		       "[device x]\npath = dax-kmem\nstart = 0x1080000000\n"
		       "size = 16G\nnode = 3\nmemmap_on_memory = yes\n"
		       "dax_source = cxl\n",
		       &cfg, err, sizeof(err)),
		0, "%s", err);
	f = fmemopen(buf, sizeof(buf), "w");
	hp_config_write(f, &cfg);
	fclose(f);
	cr_assert_eq(t_load(buf, &again, err, sizeof(err)), 0, "%s\n%s", err,
		     buf);
	cr_assert_eq(again.platform.boot_nodes, 0xb);
	cr_assert_eq(again.platform.mmu, HP_MMU_RADIX);
	cr_assert_eq(again.devices[0].dax_source, HP_DAX_CXL);
	cr_assert_eq(again.devices[0].size, 16ULL << 30);
}

Test(config, namespace_only_on_dax_kmem_over_pmem)
{
	expect_error("[platform]\narch = x86_64\n[device d]\n"
		     "path = dax-kmem\ndax_source = cxl\nnamespace = yes\n"
		     "size = 1G\n",
		     "test.cfg:3: [device d] namespace = yes needs path = "
		     "dax-kmem and dax_source = pmem");
}
