// SPDX-License-Identifier: MIT
/*
 * guest_exec - boot the lab, write some sysfs files through the agent,
 * run one program in the guest and print its output; the exit status is
 * the program's.  The lab tests use it to run the static hpbench inside
 * the guest with --target host, on a real kernel with real dax devices.
 *
 * usage: guest_exec [--arch A] --kernel K --initrd I [--append ARGS]
 *                   [--mem SIZE] [--write PATH=VALUE]... -- PROGRAM [ARGS...]
 *        guest_exec [--arch A] --kernel K --initrd I --hello
 *
 *        guest_exec [--arch A] --kernel K --initrd I --request JSON...
 *
 * --hello prints the agent's first line (release, machine, page and block
 * size) and powers the guest off; --request sends each JSON request to the
 * agent and prints each reply on a line: the cross-arch labs' smoke test.
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
		{"arch", required_argument, NULL, 'A'},
		{"hello", no_argument, NULL, 'H'},
		{"request", required_argument, NULL, 'R'},
		{0},
	};
	struct lab_opts o = {
		.boot_mem = 1024ULL << 20,
		.maxmem = 4096ULL << 20,
		.slots = 2,
		.smp = 2,
		.console_log = "/dev/null",
		.boot_timeout_ms = 120000,
	};
	char append[2048] = "";
	char extra[1024] = "";
	bool hello = false;
	const char *requests[16];
	unsigned int nr_requests = 0;
	const char *writes[16];
	unsigned int nw = 0;
	static struct lab lab;
	json_t *req, *rep, *args;
	int c, status;

	o.arch = lab_arch_find("x86_64");

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'k':
			o.kernel = optarg;
			break;
		case 'i':
			o.initrd = optarg;
			break;
		case 'a':
			snprintf(extra + strlen(extra),
				 sizeof(extra) - strlen(extra), " %s", optarg);
			break;
		case 'A':
			o.arch = lab_arch_find(optarg);
			if (!o.arch) {
				fprintf(stderr,
					"guest_exec: unknown arch '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'H':
			hello = true;
			break;
		case 'R':
			if (nr_requests < 16)
				requests[nr_requests++] = optarg;
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
	if (!o.kernel || !o.initrd ||
	    (!hello && !nr_requests && optind >= argc)) {
		fprintf(stderr, "usage: guest_exec [--arch A] --kernel K "
				"--initrd I [--append A] [--mem S] "
				"[--write P=V]... -- PROG [ARGS] | --hello\n");
		return 2;
	}
	snprintf(append, sizeof(append), "console=%s panic=-1 quiet %s",
		 o.arch->console, extra);
	o.append = append;
	if (lab_start(&lab, &o)) {
		fprintf(stderr, "guest_exec: %s\n", lab.error);
		return 125;
	}
	if (hello || nr_requests) {
		json_dumpf(lab.hello, stdout, JSON_COMPACT);
		putchar('\n');
		for (unsigned int i = 0; i < nr_requests; i++) {
			json_error_t jerr;
			json_t *q = json_loads(requests[i], 0, &jerr);

			if (!q || lab_agent(&lab, q, &rep, 60000)) {
				fprintf(stderr, "guest_exec: request %u: %s\n",
					i + 1, q ? lab.error : jerr.text);
				json_decref(q);
				lab_stop(&lab);
				return 1;
			}
			json_decref(q);
			json_dumpf(rep, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(rep);
		}
		lab_stop(&lab);
		return 0;
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
