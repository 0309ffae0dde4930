// SPDX-License-Identifier: MIT
/*
 * guest_exec - boot the lab, write some sysfs files through the agent,
 * run one program in the guest and print its output; the exit status is
 * the program's.  The lab tests use it to run the static hpbench inside
 * the guest with --target host, on a real kernel with real dax devices.
 *
 * usage: guest_exec --kernel K --initrd I [--append ARGS] [--mem SIZE]
 *                   [--write PATH=VALUE]... -- PROGRAM [ARGS...]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bench/lab.h"
#include "../../common/size.h"

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"kernel", required_argument, NULL, 'k'},
		{"initrd", required_argument, NULL, 'i'},
		{"append", required_argument, NULL, 'a'},
		{"mem", required_argument, NULL, 'm'},
		{"write", required_argument, NULL, 'w'},
		{0},
	};
	struct lab_opts o = {
		.qemu = "qemu-system-x86_64",
		.boot_mem = 1024ULL << 20,
		.maxmem = 4096ULL << 20,
		.slots = 2,
		.smp = 2,
		.console_log = "/dev/null",
		.boot_timeout_ms = 120000,
	};
	char append[2048] = "console=ttyS0 panic=-1 quiet";
	const char *writes[16];
	unsigned int nw = 0;
	static struct lab lab;
	json_t *req, *rep, *args;
	int c, status;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'k':
			o.kernel = optarg;
			break;
		case 'i':
			o.initrd = optarg;
			break;
		case 'a':
			snprintf(append + strlen(append),
				 sizeof(append) - strlen(append), " %s",
				 optarg);
			break;
		case 'm':
			if (parse_size(optarg, &o.boot_mem))
				return 2;
			break;
		case 'w':
			if (nw < 16)
				writes[nw++] = optarg;
			break;
		default:
			return 2;
		}
	}
	if (!o.kernel || !o.initrd || optind >= argc) {
		fprintf(stderr, "usage: guest_exec --kernel K --initrd I "
				"[--append A] [--mem S] [--write P=V]... -- "
				"PROG [ARGS]\n");
		return 2;
	}
	o.append = append;
	if (lab_start(&lab, &o)) {
		fprintf(stderr, "guest_exec: %s\n", lab.error);
		return 125;
	}
	for (unsigned int i = 0; i < nw; i++) {
		char path[256];
		const char *eq = strchr(writes[i], '=');
		int64_t ns;

		if (!eq)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)(eq - writes[i]),
			 writes[i]);
		if (lab_agent_write(&lab, path, eq + 1, &ns, 60000))
			fprintf(stderr, "guest_exec: %s\n", lab.error);
	}
	args = json_array();
	for (int i = optind; i < argc; i++)
		json_array_append_new(args, json_string(argv[i]));
	req = json_pack("{s:s, s:o}", "cmd", "exec", "argv", args);
	if (lab_agent(&lab, req, &rep, 300000)) {
		fprintf(stderr, "guest_exec: %s\n", lab.error);
		json_decref(req);
		lab_stop(&lab);
		return 125;
	}
	json_decref(req);
	{
		const char *out =
			json_string_value(json_object_get(rep, "output"));

		fputs(out ? out : "", stdout);
	}
	status = (int)json_integer_value(json_object_get(rep, "status"));
	json_decref(rep);
	lab_stop(&lab);
	return status;
}
