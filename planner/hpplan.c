// SPDX-License-Identifier: MIT
/*
 * hpplan - predict what hot-adding memory devices will cost.
 * A thin command over the planner model: parse, plan, render.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "config.h"
#include "report.h"
#include "sweep.h"
#include "sysfs.h"

#ifndef HPBENCH_VERSION
#define HPBENCH_VERSION "0.1"
#endif

enum output_format {
	OUT_TEXT,
	OUT_JSON,
	OUT_CSV,
};

static void usage(FILE *out)
{
	fprintf(out, "usage: hpplan [OPTIONS] DEVICE.cfg\n"
		     "       hpplan --sweep [OPTIONS] DEVICE.cfg\n"
		     "       hpplan --from-sysfs [--sysfs-root DIR] [OPTIONS]\n"
		     "       hpplan --check RESULTS_DIR [DEVICE.cfg]\n"
		     "\n"
		     "Predict, per hot-added memory device, whether the kernel "
		     "puts its\n"
		     "memmap (struct pages) on the device "
		     "(memory_hotplug.memmap_on_memory)\n"
		     "and why, how many pages go to memmap, alignment reserve "
		     "and block\n"
		     "trimming, where the memmap lands, how much free RAM the "
		     "add needs,\n"
		     "and the usable capacity.\n"
		     "\n"
		     "  -j, --json            one JSON object on stdout\n"
		     "  -c, --csv             CSV, one row per device (per "
		     "variant with --sweep)\n"
		     "      --output-format=F text | json | csv\n"
		     "  -H, --human           sizes as KiB/MiB/GiB in the text "
		     "table\n"
		     "  -s, --sweep           compare block sizes, modes and "
		     "page sizes for the\n"
		     "                        same devices; report which "
		     "wastes least\n"
		     "      --from-sysfs      build the platform and its "
		     "hot-pluggable devices\n"
		     "                        from this machine's sysfs, then "
		     "plan them\n"
		     "      --sysfs-root DIR  read sysfs and /proc from DIR "
		     "(default /)\n"
		     "      --kernel VER      with --from-sysfs: use the VER "
		     "rule set (6.1, 6.12)\n"
		     "      --write-config    with --from-sysfs: print the "
		     "device.cfg only\n"
		     "      --check RESULTS   compare predictions with "
		     "measured results in\n"
		     "                        RESULTS (a results/<run-id> "
		     "directory; see\n"
		     "                        results/README.md); exit 1 on "
		     "any difference\n"
		     "      --keys            list every device.cfg key with "
		     "its values\n"
		     "  -h, --help            this text\n"
		     "  -V, --version         print the version\n"
		     "\n"
		     "Exit status: 0 success, 1 --check found disagreements, 2 "
		     "bad usage\n"
		     "or bad configuration (file:line: message on stderr), 3 "
		     "the machine\n"
		     "lacks what was asked (e.g. no sysfs memory hotplug).\n");
}

int main(int argc, char **argv)
{
	enum output_format fmt = OUT_TEXT;
	bool human = false, sweep = false, from_sysfs = false;
	bool write_config = false;
	const char *check_dir = NULL, *sysfs_root = "/";
	const char *kernel_override = NULL;
	static struct hp_config cfg;
	static struct hp_run run;
	char err[1024];
	int c, rc;

	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"csv", no_argument, NULL, 'c'},
		{"output-format", required_argument, NULL, 'o'},
		{"human", no_argument, NULL, 'H'},
		{"sweep", no_argument, NULL, 's'},
		{"from-sysfs", no_argument, NULL, 'S'},
		{"sysfs-root", required_argument, NULL, 'R'},
		{"kernel", required_argument, NULL, 'k'},
		{"write-config", no_argument, NULL, 'W'},
		{"check", required_argument, NULL, 'C'},
		{"keys", no_argument, NULL, 'K'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};

	while ((c = getopt_long(argc, argv, "jcHshV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			fmt = OUT_JSON;
			break;
		case 'c':
			fmt = OUT_CSV;
			break;
		case 'o':
			if (!strcmp(optarg, "json"))
				fmt = OUT_JSON;
			else if (!strcmp(optarg, "csv"))
				fmt = OUT_CSV;
			else if (!strcmp(optarg, "text") ||
				 !strcmp(optarg, "normal"))
				fmt = OUT_TEXT;
			else {
				fprintf(stderr,
					"hpplan: --output-format %s: expected "
					"text, json or csv\n",
					optarg);
				return HP_EXIT_USAGE;
			}
			break;
		case 'H':
			human = true;
			break;
		case 's':
			sweep = true;
			break;
		case 'S':
			from_sysfs = true;
			break;
		case 'R':
			sysfs_root = optarg;
			break;
		case 'k':
			kernel_override = optarg;
			break;
		case 'W':
			write_config = true;
			break;
		case 'C':
			check_dir = optarg;
			break;
		case 'K':
			hp_config_print_keys(stdout);
			return HP_EXIT_OK;
		case 'h':
			usage(stdout);
			return HP_EXIT_OK;
		case 'V':
			printf("hpplan %s (rule sets: %s)\n", HPBENCH_VERSION,
			       hp_kernel_supported_list());
			return HP_EXIT_OK;
		default:
			usage(stderr);
			return HP_EXIT_USAGE;
		}
	}

	if (check_dir) {
		const char *cfg_path = optind < argc ? argv[optind] : NULL;

		return hp_check_run(check_dir, cfg_path, fmt == OUT_JSON,
				    stdout, stderr);
	}

	if (from_sysfs) {
		if (optind < argc) {
			fprintf(stderr,
				"hpplan: --from-sysfs takes no DEVICE.cfg\n");
			return HP_EXIT_USAGE;
		}
		rc = hp_sysfs_build_config(sysfs_root, kernel_override, &cfg,
					   err, sizeof(err));
		if (rc) {
			fprintf(stderr, "hpplan: %s\n", err);
			return HP_EXIT_NO_RESOURCE;
		}
		if (write_config) {
			hp_config_write(stdout, &cfg);
			return HP_EXIT_OK;
		}
	} else {
		if (optind != argc - 1) {
			usage(stderr);
			return HP_EXIT_USAGE;
		}
		if (hp_config_load(argv[optind], &cfg, err, sizeof(err))) {
			fprintf(stderr, "hpplan: %s\n", err);
			return HP_EXIT_USAGE;
		}
	}

	if (sweep)
		return hp_sweep_run(&cfg,
				    fmt == OUT_JSON  ? 1
				    : fmt == OUT_CSV ? 2
						     : 0,
				    human, stdout, stderr);

	if (hp_run_plan(&cfg, &run, err, sizeof(err))) {
		fprintf(stderr, "hpplan: %s: %s\n",
			from_sysfs ? "sysfs" : argv[optind], err);
		return HP_EXIT_USAGE;
	}
	switch (fmt) {
	case OUT_JSON: {
		json_t *o = hp_run_to_json(&run);

		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(o);
		break;
	}
	case OUT_CSV:
		hp_report_csv_header(stdout);
		hp_report_csv(stdout, &run);
		break;
	default:
		hp_report_text(stdout, &run, human);
		break;
	}
	/* ENOSPC/EIO on stdout is a failure, as in ndctl's run_builtin() */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "hpplan: writing output: %s\n",
			strerror(errno));
		return HP_EXIT_NO_RESOURCE;
	}
	return HP_EXIT_OK;
}
