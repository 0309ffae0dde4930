// SPDX-License-Identifier: MIT
/*
 * hpbench-agent - the in-guest instrument of the lab (and of --target host).
 *
 * It only reads and writes sysfs/procfs and timestamps what it did with
 * CLOCK_MONOTONIC; every decision (which block, which mode) is the host's.
 * The line protocol is in bench/README.md: one compact JSON object per
 * line each way, one reply per request, a "hello" line first.
 *
 * In the lab it runs as PID 1 from the project's initramfs (/init execs it
 * after mounting and loading modules) and talks over the virtio-serial
 * port "org.hpbench.agent".  With --stdio it talks on stdin/stdout.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <numa.h>

#include "agent_proto.h"

#define PORT_NAME "org.hpbench.agent"
#define MAX_EVENTS 8192

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- uevents: a thread stamps each on arrival, before anyone looks ---- */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct agent_event ev[MAX_EVENTS];
	unsigned int n;
	int ok;
} uev = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void *uevent_thread(void *arg)
{
	int fd = *(int *)arg;
	char buf[8192];

	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf) - 1, 0);
		int64_t t = now_ns();
		struct agent_event e;

		if (len <= 0) {
			if (len < 0 && errno == EINTR)
				continue;
			if (len < 0 && errno == ENOBUFS)
				continue;
			return NULL;
		}
		buf[len] = '\0';
		if (agent_parse_uevent(buf, (size_t)len, &e) != 0)
			continue;
		e.t_ns = t;
		pthread_mutex_lock(&uev.lock);
		if (uev.n < MAX_EVENTS)
			uev.ev[uev.n++] = e;
		pthread_cond_broadcast(&uev.cond);
		pthread_mutex_unlock(&uev.lock);
	}
}

static void uevent_start(void)
{
	static int fd;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1};
	int rcvbuf = 4 << 20;
	pthread_t th;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return;
	}
	if (pthread_create(&th, NULL, uevent_thread, &fd) == 0)
		uev.ok = 1;
}

/* ---- small file helpers ---- */

/* the whole file: seq_files hand out a page or a record per read() */
static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -errno;
	while (off < len - 1) {
		ssize_t n = read(fd, buf + off, len - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	return (int)off;
}

static json_t *reply_ok(void)
{
	return json_pack("{s:b}", "ok", 1);
}

static json_t *reply_err(const char *what, int err)
{
	return json_pack("{s:b, s:s, s:i, s:s}", "ok", 0, "error", what,
			 "errno", err, "strerror", strerror(err));
}

/* ---- commands ---- */

/*
 * What the kernel said about memory hotplug while it booted (the
 * memmap_on_memory mode's own messages, "Memory hotplug will waste N
 * pages in each memory block"): /dev/kmsg records read without
 * blocking, the message part of those that mention it.
 */
static json_t *kernel_hotplug_log(void)
{
	json_t *a = json_array();
	char rec[1024];
	ssize_t n;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return a;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 ||
	       (n < 0 && errno == EPIPE)) {
		char *msg;

		if (n <= 0)
			continue; /* EPIPE: overwritten records, go on */
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg++)
			continue;
		msg[strcspn(msg, "\n")] = '\0';
		/* not the command line that carries the parameter */
		if ((strcasestr(msg, "memory hotplug") ||
		     strstr(msg, "memmap_on_memory")) &&
		    !strcasestr(msg, "command line"))
			json_array_append_new(a, json_string(msg));
	}
	close(fd);
	return a;
}

static json_t *cmd_hello(void)
{
	struct utsname u;
	char cmdline[4096] = "", bs[64] = "";
	json_t *r = json_object();

	uname(&u);
	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	cmdline[strcspn(cmdline, "\n")] = '\0';
	read_file("/sys/devices/system/memory/block_size_bytes", bs,
		  sizeof(bs));
	json_object_set_new(r, "hello", json_string("hpbench-agent"));
	json_object_set_new(r, "protocol", json_integer(AGENT_PROTOCOL));
	json_object_set_new(r, "release", json_string(u.release));
	json_object_set_new(r, "machine", json_string(u.machine));
	json_object_set_new(r, "cmdline", json_string(cmdline));
	json_object_set_new(r, "page_size",
			    json_integer(sysconf(_SC_PAGESIZE)));
	json_object_set_new(r, "block_size",
			    json_integer((json_int_t)strtoull(bs, NULL, 16)));
	json_object_set_new(r, "uevents", json_boolean(uev.ok));
	json_object_set_new(r, "kernel_log", kernel_hotplug_log());
	return r;
}

static json_t *cmd_snapshot(void)
{
	static char buf[1 << 20];
	struct agent_snapshot *s = calloc(1, sizeof(*s));
	json_t *r;
	DIR *d;
	struct dirent *de;

	if (!s)
		return reply_err("out of memory", ENOMEM);
	s->t_ns = now_ns();
	if (read_file("/proc/meminfo", buf, sizeof(buf)) > 0)
		agent_parse_meminfo(buf, s);
	if (read_file("/proc/vmstat", buf, sizeof(buf)) > 0)
		agent_parse_vmstat(buf, s);
	if (read_file("/proc/zoneinfo", buf, sizeof(buf)) > 0)
		agent_parse_zoneinfo(buf, s);
	for (int nid = 0; nid < AGENT_MAX_NODES; nid++) {
		char p[96];

		snprintf(p, sizeof(p),
			 "/sys/devices/system/node/node%d/meminfo", nid);
		if (read_file(p, buf, sizeof(buf)) > 0)
			agent_parse_node_meminfo(buf, nid, s);
	}
	d = opendir("/sys/devices/system/memory");
	while (d && (de = readdir(d))) {
		unsigned long id;
		char p[160], st[32], *end;
		struct agent_block *b;

		if (strncmp(de->d_name, "memory", 6) != 0)
			continue;
		id = strtoul(de->d_name + 6, &end, 10);
		if (end == de->d_name + 6 || *end ||
		    s->nr_blocks >= AGENT_MAX_BLOCKS)
			continue;
		b = &s->blocks[s->nr_blocks++];
		b->id = id;
		b->node = -1;
		snprintf(p, sizeof(p), "/sys/devices/system/memory/%s/state",
			 de->d_name);
		if (read_file(p, st, sizeof(st)) > 0) {
			st[strcspn(st, "\n")] = '\0';
			snprintf(b->state, sizeof(b->state), "%s", st);
		}
		for (int nid = 0; nid < AGENT_MAX_NODES; nid++) {
			snprintf(p, sizeof(p),
				 "/sys/devices/system/memory/%s/node%d",
				 de->d_name, nid);
			if (access(p, F_OK) == 0) {
				b->node = nid;
				break;
			}
		}
	}
	if (d)
		closedir(d);
	r = agent_snapshot_to_json(s);
	free(s);
	json_object_set_new(r, "ok", json_true());
	return r;
}

/* A timed write: the measurement the host asks for most. */
static json_t *cmd_write(json_t *req)
{
	const char *path = json_string_value(json_object_get(req, "path"));
	const char *val = json_string_value(json_object_get(req, "value"));
	int64_t t0, t1;
	ssize_t n;
	int fd, err = 0;
	json_t *r;

	if (!path || !val)
		return reply_err("write needs path and value", EINVAL);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return reply_err(path, errno);
	t0 = now_ns();
	n = write(fd, val, strlen(val));
	t1 = now_ns();
	if (n < 0)
		err = errno;
	close(fd);
	if (err) {
		r = reply_err(path, err);
		json_object_set_new(r, "ns", json_integer(t1 - t0));
		return r;
	}
	r = reply_ok();
	json_object_set_new(r, "ns", json_integer(t1 - t0));
	json_object_set_new(r, "t0_ns", json_integer(t0));
	return r;
}

static json_t *cmd_read(json_t *req)
{
	const char *path = json_string_value(json_object_get(req, "path"));
	static char buf[1 << 16];
	int n;
	json_t *r;

	if (!path)
		return reply_err("read needs path", EINVAL);
	n = read_file(path, buf, sizeof(buf));
	if (n < 0)
		return reply_err(path, -n);
	r = reply_ok();
	json_object_set_new(r, "data", json_string(buf));
	return r;
}

static json_t *cmd_list(json_t *req)
{
	const char *path = json_string_value(json_object_get(req, "path"));
	json_t *r, *names = json_array();
	struct dirent *de;
	DIR *d;

	if (!path)
		return reply_err("list needs path", EINVAL);
	d = opendir(path);
	if (!d) {
		json_decref(names);
		return reply_err(path, errno);
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			json_array_append_new(names, json_string(de->d_name));
	closedir(d);
	r = reply_ok();
	json_object_set_new(r, "names", names);
	return r;
}

/* Start a new event window: forget what came before, return "now". */
static json_t *cmd_mark(void)
{
	json_t *r = reply_ok();

	pthread_mutex_lock(&uev.lock);
	uev.n = 0;
	pthread_mutex_unlock(&uev.lock);
	json_object_set_new(r, "t_ns", json_integer(now_ns()));
	return r;
}

/*
 * Wait until `count` memory-block events with `action` arrived since the
 * last mark (or the timeout passed); return every event of the window.
 */
static json_t *cmd_events(json_t *req)
{
	const char *action = json_string_value(json_object_get(req, "action"));
	json_int_t count = json_integer_value(json_object_get(req, "count"));
	json_int_t timeout_ms =
		json_integer_value(json_object_get(req, "timeout_ms"));
	struct timespec dl;
	json_t *r, *arr = json_array();
	unsigned int have;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&uev.lock);
	for (;;) {
		have = 0;
		for (unsigned int i = 0; i < uev.n; i++)
			if (!action || !strcmp(uev.ev[i].action, action))
				have++;
		if (have >= count)
			break;
		if (pthread_cond_timedwait(&uev.cond, &uev.lock, &dl) ==
		    ETIMEDOUT)
			break;
	}
	for (unsigned int i = 0; i < uev.n; i++)
		json_array_append_new(arr, agent_event_to_json(&uev.ev[i]));
	pthread_mutex_unlock(&uev.lock);
	r = reply_ok();
	json_object_set_new(r, "complete", json_boolean(have >= count));
	json_object_set_new(r, "events", arr);
	json_object_set_new(r, "t_ns", json_integer(now_ns()));
	return r;
}

/*
 * Run a program and return its exit status and output (like QEMU guest
 * agent's guest-exec): the lab tests run the static hpbench inside the
 * guest with it.
 */
static json_t *cmd_exec(json_t *req)
{
	json_t *args = json_object_get(req, "argv"), *v, *r;
	static char out[1 << 18];
	char *argv[64];
	size_t i, n = 0, len = 0;
	int pipefd[2], status = 0;
	pid_t pid;

	json_array_foreach(args, i, v) if (n < 63 && json_is_string(v))
		argv[n++] = (char *)json_string_value(v);
	argv[n] = NULL;
	if (!n)
		return reply_err("exec needs argv", EINVAL);
	if (pipe2(pipefd, O_CLOEXEC))
		return reply_err("pipe", errno);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t k = read(pipefd[0], out + len, sizeof(out) - 1 - len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len == sizeof(out) - 1)
			len = 0; /* keep the tail: that is where results are */
	}
	close(pipefd[0]);
	out[len] = '\0';
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return reply_err("fork/wait", errno);
	r = reply_ok();
	json_object_set_new(r, "status",
			    json_integer(WIFEXITED(status)
						 ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status)));
	json_object_set_new(r, "output", json_string(out));
	return r;
}

/* The guest's NUMA nodes as libnuma sees them (the memory-less node too). */
static json_t *cmd_numa(void)
{
	json_t *r = reply_ok(), *nodes = json_array();
	int max;

	if (numa_available() < 0) {
		json_object_set_new(r, "available", json_false());
		json_object_set_new(r, "nodes", nodes);
		return r;
	}
	max = numa_max_possible_node();
	for (int n = 0; n <= max && n < AGENT_MAX_NODES * 4; n++) {
		struct bitmask *cpus = numa_allocate_cpumask();
		long long free_b = 0, size;

		if (!numa_bitmask_isbitset(numa_all_nodes_ptr, n) &&
		    !numa_bitmask_isbitset(numa_nodes_ptr, n)) {
			numa_free_cpumask(cpus);
			continue;
		}
		size = numa_node_size64(n, &free_b);
		numa_node_to_cpus(n, cpus);
		json_array_append_new(
			nodes,
			json_pack(
				"{s:i, s:I, s:I, s:i, s:b}", "node", n,
				"size_bytes", (json_int_t)size, "free_bytes",
				(json_int_t)free_b, "cpus",
				(int)numa_bitmask_weight(cpus), "has_memory",
				numa_bitmask_isbitset(numa_all_nodes_ptr, n)));
		numa_free_cpumask(cpus);
	}
	json_object_set_new(r, "available", json_true());
	json_object_set_new(r, "nodes", nodes);
	return r;
}

/* ---- in-kernel time: function_graph, depth 1, on the named functions ---- */

#define TRACEFS "/sys/kernel/tracing/"

static int trace_write(const char *file, const char *val, int append)
{
	int fd = open(file,
		      O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

/*
 * Hook only the named functions (set_ftrace_filter), start graphs at them
 * (set_graph_function) and stop at depth 1: under TCG, tracing every
 * kernel function would cost more than the work being measured.
 */
static json_t *trace_start(json_t *req)
{
	json_t *fns = json_object_get(req, "functions"), *v, *r, *ok;
	size_t i;

	trace_write(TRACEFS "tracing_on", "0", 0);
	trace_write(TRACEFS "current_tracer", "nop", 0);
	trace_write(TRACEFS "set_ftrace_filter", "", 0);
	trace_write(TRACEFS "set_graph_function", "", 0);
	ok = json_array();
	json_array_foreach(fns, i, v)
	{
		const char *f = json_string_value(v);

		if (!f)
			continue;
		/* unknown or inlined functions are refused one by one */
		if (!trace_write(TRACEFS "set_ftrace_filter", f, 1) &&
		    !trace_write(TRACEFS "set_graph_function", f, 1))
			json_array_append_new(ok, json_string(f));
	}
	if (!json_array_size(ok)) {
		json_decref(ok);
		return reply_err("no traceable function (tracefs?)", ENOENT);
	}
	/*
	 * The patched kernel's phase tracepoints ride along when they exist;
	 * absolute timestamps pair their begin and end lines.
	 */
	trace_write(TRACEFS "options/funcgraph-abstime", "1", 0);
	/* a call with events inside ends in "}": the tail names it */
	trace_write(TRACEFS "options/funcgraph-tail", "1", 0);
	if (!trace_write(TRACEFS "events/memory_hotplug/enable", "1", 0))
		json_array_append_new(ok, json_string("memory_hotplug events"));
	if (trace_write(TRACEFS "max_graph_depth", "1", 0) ||
	    trace_write(TRACEFS "current_tracer", "function_graph", 0) ||
	    trace_write(TRACEFS "trace", "", 0) ||
	    trace_write(TRACEFS "tracing_on", "1", 0)) {
		json_decref(ok);
		return reply_err("function_graph tracer", errno);
	}
	r = reply_ok();
	json_object_set_new(r, "functions", ok);
	return r;
}

static json_t *trace_stop(void)
{
	static char buf[1 << 20];
	json_t *r, *calls = json_array();
	int n;

	trace_write(TRACEFS "tracing_on", "0", 0);
	n = read_file(TRACEFS "trace", buf, sizeof(buf));
	trace_write(TRACEFS "current_tracer", "nop", 0);
	if (n < 0) {
		json_decref(calls);
		return reply_err(TRACEFS "trace", -n);
	}
	trace_write(TRACEFS "events/memory_hotplug/enable", "0", 0);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		static struct agent_phase_event open_ev[64];
		static unsigned int nr_open;
		struct agent_phase_event ev;
		struct agent_call c;

		if (!agent_parse_phase_event(line, &ev)) {
			if (ev.begin) {
				if (nr_open < 64)
					open_ev[nr_open++] = ev;
				continue;
			}
			/* the latest open begin of the same phase and range */
			for (unsigned int i = nr_open; i-- > 0;) {
				char name[48];

				if (strcmp(open_ev[i].phase, ev.phase) ||
				    open_ev[i].pfn != ev.pfn)
					continue;
				snprintf(name, sizeof(name), "phase:%s",
					 ev.phase);
				json_array_append_new(
					calls,
					json_pack(
						"{s:s, s:I, s:I}", "func", name,
						"pfn", (json_int_t)ev.pfn, "ns",
						(json_int_t)(ev.t_ns -
							     open_ev[i].t_ns)));
				open_ev[i] = open_ev[--nr_open];
				break;
			}
			continue;
		}
		if (!agent_parse_graph_line(line, &c))
			json_array_append_new(
				calls, json_pack("{s:s, s:I}", "func", c.func,
						 "ns", (json_int_t)c.ns));
	}
	r = reply_ok();
	json_object_set_new(r, "calls", calls);
	return r;
}

static json_t *dispatch(json_t *req, int *quit)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));

	if (!cmd)
		return reply_err("no cmd", EINVAL);
	if (!strcmp(cmd, "hello"))
		return cmd_hello();
	if (!strcmp(cmd, "snapshot"))
		return cmd_snapshot();
	if (!strcmp(cmd, "write"))
		return cmd_write(req);
	if (!strcmp(cmd, "read"))
		return cmd_read(req);
	if (!strcmp(cmd, "list"))
		return cmd_list(req);
	if (!strcmp(cmd, "mark"))
		return cmd_mark();
	if (!strcmp(cmd, "events"))
		return cmd_events(req);
	if (!strcmp(cmd, "exec"))
		return cmd_exec(req);
	if (!strcmp(cmd, "numa"))
		return cmd_numa();
	if (!strcmp(cmd, "trace_start"))
		return trace_start(req);
	if (!strcmp(cmd, "trace_stop"))
		return trace_stop();
	if (!strcmp(cmd, "poweroff")) {
		*quit = 1;
		return reply_ok();
	}
	return reply_err(cmd, ENOSYS);
}

/*
 * As PID 1 of the lab's initramfs the agent does init's work itself: a
 * shell forking at this point of boot has failed with EAGAIN under TCG,
 * and nothing here needs one.  Modules load in the order of
 * /lib/modules/order (finit_module: no insmod, no fork).
 */
static void init_system(void)
{
	FILE *order;
	char name[128];

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	order = fopen("/lib/modules/order", "r");
	while (order && fgets(name, sizeof(name), order)) {
		char path[200];
		int fd;

		name[strcspn(name, "\n")] = '\0';
		snprintf(path, sizeof(path), "/lib/modules/%s.ko", name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
			fprintf(stderr, "hpbench-agent: module %s: %s\n", name,
				strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (order)
		fclose(order);
}

/* The virtio-serial port named PORT_NAME, found without udev. */
static int open_port(void)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *de;
	int fd = -1;

	while (d && (de = readdir(d))) {
		char p[300], name[128], dev[300];

		snprintf(p, sizeof(p), "/sys/class/virtio-ports/%s/name",
			 de->d_name);
		if (read_file(p, name, sizeof(name)) <= 0)
			continue;
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, PORT_NAME))
			continue;
		snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
		fd = open(dev, O_RDWR | O_CLOEXEC);
		break;
	}
	if (d)
		closedir(d);
	return fd;
}

int main(int argc, char **argv)
{
	int stdio_mode = argc > 1 && !strcmp(argv[1], "--stdio");
	int in_fd = 0, quit = 0;
	FILE *in, *out;
	char *line = NULL;
	size_t cap = 0;
	json_t *hello;

	if (getpid() == 1 && !(argc > 1 && !strcmp(argv[1], "--inited"))) {
		char *again[] = {argv[0], "--inited", NULL};

		init_system();
		/* libnuma reads /sys in a constructor: run again with it */
		execv("/proc/self/exe", again);
	}
	if (!stdio_mode) {
		for (int i = 0; i < 100 && in_fd <= 0; i++) {
			in_fd = open_port();
			if (in_fd < 0)
				usleep(50000);
		}
		if (in_fd < 0) {
			fprintf(stderr, "hpbench-agent: no port %s\n",
				PORT_NAME);
			return 1;
		}
	}
	in = fdopen(in_fd, "r");
	out = stdio_mode ? stdout : fdopen(dup(in_fd), "w");
	if (!in || !out)
		return 1;
	uevent_start();
	hello = cmd_hello();
	agent_send(out, hello);
	json_decref(hello);

	while (!quit && getline(&line, &cap, in) > 0) {
		json_error_t jerr;
		json_t *req = json_loads(line, 0, &jerr), *rep;

		rep = req ? dispatch(req, &quit)
			  : reply_err("bad json", EINVAL);
		if (req && json_object_get(req, "id"))
			json_object_set(rep, "id", json_object_get(req, "id"));
		agent_send(out, rep);
		json_decref(rep);
		json_decref(req);
	}
	free(line);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return 0;
}
