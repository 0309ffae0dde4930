// SPDX-License-Identifier: MIT
/*
 * lab.c - the QEMU guest the benchmark measures.
 *
 * q35, KVM when it works (lab_kvm_usable), else TCG with -cpu max (QEMU 10: see
 * scripts/install-deps.sh for why not bookworm's 7.2).  Node 0 holds the
 * boot RAM and the CPUs; an optional node 1 has neither, like a CXL
 * expander, so memory hot-added there needs its memmap from node 0.
 */
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * KVM when it really works: /dev/kvm opens and QEMU can create a q35 KVM
 * guest with the lab's CPU model.  Some nested hosts have a /dev/kvm
 * whose vCPUs abort QEMU at reset (kvm_buf_set_msrs); they get TCG.
 * Probed once per process (about 50 ms).
 */
bool lab_kvm_usable(void)
{
	static int usable = -1;
	int fd, in[2], status;
	pid_t pid;

	if (usable >= 0)
		return usable;
	usable = 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	if (pipe(in))
		return false;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(in[0], 0);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		close(in[0]);
		close(in[1]);
		execlp("qemu-system-x86_64", "qemu-system-x86_64", "-M", "q35",
		       "-accel", "kvm", "-cpu", "host", "-display", "none",
		       "-nodefaults", "-S", "-monitor", "stdio", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	if (pid > 0) {
		/* the monitor's quit: exit 0 once the guest was created */
		if (write(in[1], "quit\n", 5) != 5)
			kill(pid, SIGKILL);
		close(in[1]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		usable = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	} else {
		close(in[1]);
	}
	return usable;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static void quote_into(char *dst, size_t len, char **argv)
{
	size_t off = 0;

	dst[0] = '\0';
	for (int i = 0; argv[i] && off < len; i++) {
		bool plain = strspn(argv[i],
				    "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789-_=,./:+%") == strlen(argv[i]);

		off += (size_t)snprintf(dst + off, len - off,
					plain ? "%s%s" : "%s'%s'", i ? " " : "",
					argv[i]);
	}
}

static void reap(struct lab *lab, int grace_ms)
{
	int status;

	if (lab->pid <= 0)
		return;
	for (int waited = 0; waited < grace_ms; waited += 10) {
		if (waitpid(lab->pid, &status, WNOHANG) == lab->pid) {
			lab->pid = 0;
			return;
		}
		usleep(10000);
	}
	kill(lab->pid, SIGKILL);
	waitpid(lab->pid, &status, 0);
	lab->pid = 0;
}

static void read_peak_rss(struct lab *lab)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)lab->pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			lab->peak_rss_kb = strtol(line + 6, NULL, 10);
	fclose(f);
}

void lab_console_tail(const char *console_log, char *buf, size_t len)
{
	char line[512] = "";
	FILE *f = fopen(console_log, "r");

	buf[0] = '\0';
	if (!f)
		return;
	/* the last line that says something */
	while (fgets(line, sizeof(line), f))
		if (strspn(line, " \r\n") != strlen(line)) {
			line[strcspn(line, "\r\n")] = '\0';
			snprintf(buf, len, "%s", line);
		}
	fclose(f);
}

/*
 * The arches the lab runs, one row each.  arm64: virt with -cpu max
 * (pauth-impdef: the fast pointer-auth algorithm under TCG).  ppc64le:
 * pseries with the minimal VOF firmware instead of SLOF (boots in about
 * 1 s instead of 7).
 */
static const struct lab_arch lab_arches[] = {
	{"x86_64", "x86_64", "qemu-system-x86_64", "q35", "max", "ttyS0",
	 "acpi-dimm,virtio-mem,dax-kmem,nvdimm-kmem,cxl,pmem-fsdax", "4K",
	 NULL},
	{"arm64", "aarch64", "qemu-system-aarch64", "virt",
	 "max,pauth-impdef=on", "ttyAMA0", "virtio-mem,acpi-dimm,nvdimm-kmem",
	 "4K,16K",
	 /* Debian's qemu-efi-aarch64: virt's ACPI GED memory hotplug */
	 "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"},
	{"ppc64le", "ppc64le", "qemu-system-ppc64", "pseries,x-vof=on", NULL,
	 "hvc0", "pseries-dlpar,nvdimm-kmem", "4K,64K", NULL},
};

void lab_exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	buf[n > 0 ? n : 0] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(buf, len, ".");
}

void lab_dir(const struct lab_arch *a, unsigned int page_size, char *dir,
	     size_t len, char *which, size_t which_len)
{
	const char *env = getenv("HPBENCH_LAB");
	char exe[PATH_MAX];

	which[0] = '\0';
	if (page_size && page_size != 4096)
		snprintf(which, which_len, "%s-%uk", a->name, page_size >> 10);
	else if (strcmp(a->name, "x86_64"))
		snprintf(which, which_len, "%s", a->name);
	if (env) {
		snprintf(dir, len, "%s%s%s", env, which[0] ? "/" : "", which);
		return;
	}
	/* next to the executable: ./hpbench in the tree */
	lab_exe_dir(exe, sizeof(exe));
	snprintf(dir, len, "%s/build/lab%s%s", exe, which[0] ? "/" : "", which);
}

bool lab_config_lacks(const char *config, const char *needs, char *missing,
		      size_t len)
{
	char opt[64], line[256];
	FILE *f;

	if (!needs || !*needs || !(f = fopen(config, "r")))
		return false;
	for (const char *p = needs; *p;) {
		size_t n = strcspn(p, ",");
		bool have = false;

		snprintf(opt, sizeof(opt), "%.*s=", (int)n, p);
		rewind(f);
		while (!have && fgets(line, sizeof(line), f))
			have = !strncmp(line, opt, strlen(opt)) &&
			       (line[strlen(opt)] == 'y' ||
				line[strlen(opt)] == 'm');
		if (!have) {
			snprintf(missing, len, "%.*s", (int)n, p);
			fclose(f);
			return true;
		}
		p += n + (p[n] == ',');
	}
	fclose(f);
	return false;
}

const struct lab_arch *lab_arch_at(unsigned int i)
{
	return i < sizeof(lab_arches) / sizeof(lab_arches[0]) ? &lab_arches[i]
							      : NULL;
}

const struct lab_arch *lab_arch_find(const char *name)
{
	for (size_t i = 0; i < sizeof(lab_arches) / sizeof(lab_arches[0]); i++)
		if (!strcmp(lab_arches[i].name, name))
			return &lab_arches[i];
	return NULL;
}

const struct lab_arch *lab_arch_by_uname(const char *machine)
{
	for (size_t i = 0;
	     machine && i < sizeof(lab_arches) / sizeof(lab_arches[0]); i++)
		if (!strcmp(lab_arches[i].uname, machine))
			return &lab_arches[i];
	return NULL;
}

int lab_start(struct lab *lab, const struct lab_opts *o)
{
	const struct lab_arch *arch = o->arch ? o->arch : &lab_arches[0];
	char *argv[LAB_MAX_ARGS + 64];
	char *owned[LAB_MAX_ARGS + 64];
	char qmp_sock[128], agent_sock[128], qemu_log[160];
	unsigned int n = 0, nown = 0;
	int err, logfd;
	json_t *hello;

	memset(lab, 0, sizeof(*lab));
	lab->agent.fd = -1;
	lab->qmp.line.fd = -1;
	/* KVM runs only the host's own arch */
	lab->kvm = arch == &lab_arches[0] && lab_kvm_usable();
	snprintf(lab->sockdir, sizeof(lab->sockdir), "/tmp/hpbench-lab.XXXXXX");
	if (!mkdtemp(lab->sockdir)) {
		snprintf(lab->error, sizeof(lab->error), "mkdtemp: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(qmp_sock, sizeof(qmp_sock), "%s/qmp.sock", lab->sockdir);
	snprintf(agent_sock, sizeof(agent_sock), "%s/agent.sock", lab->sockdir);
	snprintf(qemu_log, sizeof(qemu_log), "%s/qemu.log", lab->sockdir);

#define ARG(s) (argv[n++] = (char *)(s))
#define OWN(s) (argv[n++] = owned[nown++] = (s))
	ARG(o->qemu ? o->qemu : arch->qemu);
	ARG("-M");
	if (o->low_mem && o->low_mem < o->boot_mem)
		OWN(fmt("%s,max-ram-below-4g=%lluM%s", arch->machine,
			(unsigned long long)(o->low_mem >> 20),
			o->machine_opts ? o->machine_opts : ""));
	else
		OWN(fmt("%s%s", arch->machine,
			o->machine_opts ? o->machine_opts : ""));
	ARG("-accel");
	ARG(lab->kvm ? "kvm" : "tcg");
	if (lab->kvm || arch->tcg_cpu) {
		ARG("-cpu");
		OWN(fmt("%s%s", lab->kvm ? "host" : arch->tcg_cpu,
			o->cpu_flags ? o->cpu_flags : ""));
	}
	ARG("-smp");
	OWN(fmt("%u", o->smp));
	ARG("-m");
	OWN(fmt("%lluM,slots=%u,maxmem=%lluM",
		(unsigned long long)(o->boot_mem >> 20), o->slots,
		(unsigned long long)(o->maxmem >> 20)));
	ARG("-object");
	OWN(fmt("memory-backend-ram,id=ram0,size=%lluM",
		(unsigned long long)(o->boot_mem >> 20)));
	ARG("-numa");
	OWN(fmt("node,nodeid=0,memdev=ram0,cpus=0-%u", o->smp - 1));
	if (o->memless_node) {
		ARG("-numa");
		ARG("node,nodeid=1");
	}
	if (o->firmware) {
		ARG("-bios");
		ARG(o->firmware);
	}
	ARG("-kernel");
	ARG(o->kernel);
	ARG("-initrd");
	ARG(o->initrd);
	ARG("-append");
	ARG(o->append);
	ARG("-display");
	ARG("none");
	ARG("-no-reboot");
	ARG("-nodefaults");
	ARG("-serial");
	OWN(fmt("file:%s", o->console_log));
	ARG("-qmp");
	OWN(fmt("unix:%s,server=on,wait=off", qmp_sock));
	ARG("-device");
	ARG("virtio-serial-pci");
	ARG("-chardev");
	OWN(fmt("socket,id=agent,path=%s,server=on,wait=off", agent_sock));
	ARG("-device");
	ARG("virtserialport,chardev=agent,name=org.hpbench.agent");
	for (unsigned int i = 0; i < o->nr_extra; i++)
		ARG(o->extra[i]);
	argv[n] = NULL;
#undef ARG
#undef OWN
	quote_into(lab->cmdline, sizeof(lab->cmdline), argv);

	logfd = open(qemu_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	lab->pid = fork();
	if (lab->pid == 0) {
		if (logfd >= 0) {
			dup2(logfd, 1);
			dup2(logfd, 2);
		}
		setpgid(0, 0); /* Ctrl-C reaches hpbench, which reaps us */
		execvp(argv[0], argv);
		_exit(127);
	}
	if (logfd >= 0)
		close(logfd);
	for (unsigned int i = 0; i < nown; i++)
		free(owned[i]);
	if (lab->pid < 0) {
		snprintf(lab->error, sizeof(lab->error), "fork: %s",
			 strerror(errno));
		return -1;
	}

	/* QMP is up as soon as QEMU has parsed its arguments */
	for (int waited = 0; waited < 10000 && access(qmp_sock, F_OK);
	     waited += 10) {
		if (!lab_alive(lab))
			break;
		usleep(10000);
	}
	err = lab->pid > 0 ? qmp_open(&lab->qmp, qmp_sock, 10000) : -ECHILD;
	if (err) {
		char tail[300] = "";

		reap(lab, 200);
		lab_console_tail(qemu_log, tail, sizeof(tail));
		snprintf(lab->error, sizeof(lab->error),
			 "QEMU did not start: %s",
			 tail[0] ? tail : lab->qmp.error);
		return -1;
	}
	err = jline_connect_unix(agent_sock, 5000);
	if (err < 0) {
		snprintf(lab->error, sizeof(lab->error), "agent socket: %s",
			 strerror(-err));
		lab_stop(lab);
		return -1;
	}
	jline_init(&lab->agent, err);
	hello = jline_recv(&lab->agent, o->boot_timeout_ms, NULL, &err);
	if (!hello || !json_object_get(hello, "hello")) {
		char tail[300] = "";

		lab_console_tail(o->console_log, tail, sizeof(tail));
		snprintf(lab->error, sizeof(lab->error),
			 "guest did not boot to the agent within %d ms (%s); "
			 "console: %s",
			 o->boot_timeout_ms, strerror(err ? err : EPROTO),
			 tail);
		json_decref(hello);
		lab_stop(lab);
		return -1;
	}
	lab->hello = hello;
	return 0;
}

int lab_start_local(struct lab *lab, const char *agent_path)
{
	int sv[2], err;

	memset(lab, 0, sizeof(*lab));
	lab->agent.fd = -1;
	lab->qmp.line.fd = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		snprintf(lab->error, sizeof(lab->error), "socketpair: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(lab->cmdline, sizeof(lab->cmdline), "%s --stdio", agent_path);
	lab->pid = fork();
	if (lab->pid == 0) {
		dup2(sv[1], 0);
		dup2(sv[1], 1);
		execl(agent_path, agent_path, "--stdio", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	if (lab->pid < 0) {
		close(sv[0]);
		snprintf(lab->error, sizeof(lab->error), "fork: %s",
			 strerror(errno));
		return -1;
	}
	jline_init(&lab->agent, sv[0]);
	lab->hello = jline_recv(&lab->agent, 10000, NULL, &err);
	if (!lab->hello || !json_object_get(lab->hello, "hello")) {
		snprintf(lab->error, sizeof(lab->error),
			 "agent %s did not say hello: %s", agent_path,
			 strerror(err ? err : EPROTO));
		lab_stop(lab);
		return -1;
	}
	return 0;
}

bool lab_alive(struct lab *lab)
{
	int status;

	if (lab->pid <= 0)
		return false;
	if (waitpid(lab->pid, &status, WNOHANG) == lab->pid) {
		lab->pid = 0;
		return false;
	}
	return true;
}

int lab_agent(struct lab *lab, json_t *req, json_t **rep, int timeout_ms)
{
	int err = jline_send(&lab->agent, req);

	*rep = NULL;
	if (err) {
		snprintf(lab->error, sizeof(lab->error), "agent: %s",
			 strerror(-err));
		return -1;
	}
	*rep = jline_recv(&lab->agent, timeout_ms, NULL, &err);
	if (!*rep) {
		snprintf(lab->error, sizeof(lab->error),
			 "agent did not answer %s within %d ms: %s%s",
			 json_string_value(json_object_get(req, "cmd")),
			 timeout_ms, strerror(err),
			 lab_alive(lab) ? "" : " (QEMU exited)");
		return -1;
	}
	return 0;
}

int lab_agent_write(struct lab *lab, const char *path, const char *value,
		    int64_t *ns, int timeout_ms)
{
	json_t *req = json_pack("{s:s, s:s, s:s}", "cmd", "write", "path", path,
				"value", value);
	json_t *rep;
	int rc;

	rc = lab_agent(lab, req, &rep, timeout_ms);
	json_decref(req);
	if (rc)
		return -ETIMEDOUT;
	*ns = json_integer_value(json_object_get(rep, "ns"));
	if (!json_is_true(json_object_get(rep, "ok"))) {
		rc = -(int)json_integer_value(json_object_get(rep, "errno"));
		snprintf(lab->error, sizeof(lab->error), "%s <- %s: %s", path,
			 value,
			 json_string_value(json_object_get(rep, "strerror")));
		if (!rc)
			rc = -EIO;
	}
	json_decref(rep);
	return rc;
}

void lab_stop(struct lab *lab)
{
	if (lab->pid > 0) {
		read_peak_rss(lab);
		if (lab->agent.fd >= 0) {
			json_t *req = json_pack("{s:s}", "cmd", "poweroff");

			jline_send(&lab->agent, req);
			json_decref(req);
		}
		reap(lab, 5000);
	}
	jline_close(&lab->agent);
	qmp_close(&lab->qmp);
	json_decref(lab->hello);
	lab->hello = NULL;
	if (lab->sockdir[0]) {
		char p[128];

		snprintf(p, sizeof(p), "%s/qmp.sock", lab->sockdir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/agent.sock", lab->sockdir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/qemu.log", lab->sockdir);
		unlink(p);
		rmdir(lab->sockdir);
		lab->sockdir[0] = '\0';
	}
}

bool lab_ours_has(const struct lab_arch *a, const char *opt)
{
	char dir[PATH_MAX - 64], frag[PATH_MAX], missing[64];
	const char *const names[] = {"lab", a->name};

	lab_exe_dir(dir, sizeof(dir));
	for (int i = 0; i < 2; i++) {
		snprintf(frag, sizeof(frag), "%s/kernel-patches/%s%s.config",
			 dir, i ? "lab-" : "", names[i]);
		if (!access(frag, R_OK) &&
		    !lab_config_lacks(frag, opt, missing, sizeof(missing)))
			return true;
	}
	return false;
}
