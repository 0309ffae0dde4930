// SPDX-License-Identifier: MIT
/*
 * The QMP client against a real QEMU (qemu-system-x86_64 -M none, no
 * guest: a QMP server that answers in milliseconds), and the line framing
 * under it over a socketpair: several messages in one write, one message
 * over two writes, a line that is not JSON, EOF, timeouts.  A missing
 * QEMU fails the tests; it never skips them.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../bench/qmp.h"

#define QEMU "qemu-system-x86_64"

static struct {
	char dir[64];
	char sock[128];
	pid_t pid;
	struct qmp q; /* large: not on the stack */
	bool open;
} lab = {.pid = -1};

/* QEMU on $PATH, or "" */
static void find_qemu(char *out, size_t len)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL;

	out[0] = '\0';
	copy = strdup(path ? path : "/usr/bin:/bin");
	cr_assert_not_null(copy);
	for (char *d = strtok_r(copy, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", *d ? d : ".", QEMU);
		if (access(out, X_OK) == 0)
			break;
		out[0] = '\0';
	}
	free(copy);
}

static void qemu_start(void)
{
	char qemu[512], qmp_arg[160];

	find_qemu(qemu, sizeof(qemu));
	if (!qemu[0])
		cr_assert_fail(QEMU " not found on PATH: these tests need a "
				    "real QEMU (scripts/install-deps.sh lab)");
	snprintf(lab.dir, sizeof(lab.dir), "/tmp/hpbench-qmp-XXXXXX");
	cr_assert_not_null(mkdtemp(lab.dir), "mkdtemp: %s", strerror(errno));
	snprintf(lab.sock, sizeof(lab.sock), "%s/qmp.sock", lab.dir);
	snprintf(qmp_arg, sizeof(qmp_arg), "unix:%s,server=on,wait=off",
		 lab.sock);
	lab.pid = fork();
	cr_assert_neq(lab.pid, -1, "fork: %s", strerror(errno));
	if (lab.pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* die with the test process, hold none of its pipes */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		execl(qemu, QEMU, "-M", "none", "-display", "none",
		      "-nodefaults", "-qmp", qmp_arg, (char *)NULL);
		_exit(127);
	}
}

static void qemu_stop(void)
{
	if (lab.open)
		qmp_close(&lab.q);
	lab.open = false;
	if (lab.pid > 0) {
		kill(lab.pid, SIGKILL);
		waitpid(lab.pid, NULL, 0);
	}
	lab.pid = -1;
	if (lab.dir[0]) {
		static const char *const left[] = {"x.img", "dead.sock"};
		char p[160];

		for (unsigned int i = 0; i < 2; i++) {
			snprintf(p, sizeof(p), "%s/%s", lab.dir, left[i]);
			unlink(p);
		}
		unlink(lab.sock);
		rmdir(lab.dir);
	}
	lab.dir[0] = '\0';
}

TestSuite(qmp, .init = qemu_start, .fini = qemu_stop);

static struct qmp *qmp_up(void)
{
	int rc = qmp_open(&lab.q, lab.sock, 10000);

	lab.open = true; /* close even a half-open client */
	cr_assert_eq(rc, 0, "qmp_open: %d (%s)", rc, lab.q.error);
	return &lab.q;
}

Test(qmp, open_and_version)
{
	struct qmp *q = qmp_up();
	unsigned int maj, min, mic;
	char v[32], tail;

	qmp_version(q, v, sizeof(v));
	cr_assert_neq(v[0], '\0');
	cr_assert_eq(sscanf(v, "%u.%u.%u%c", &maj, &min, &mic, &tail), 3,
		     "'%s' is not X.Y.Z", v);
}

Test(qmp, version_matches_query_version)
{
	struct qmp *q = qmp_up();
	json_t *ret = NULL;
	json_int_t maj, min, mic;
	char v[32], want[64];

	cr_assert_eq(qmp_execute(q, "query-version", NULL, &ret, 5000), 0, "%s",
		     q->error);
	cr_assert(json_is_object(ret));
	cr_assert(json_is_object(json_object_get(ret, "qemu")));
	cr_assert_eq(json_unpack(ret, "{s:{s:I, s:I, s:I}}", "qemu", "major",
				 &maj, "minor", &min, "micro", &mic),
		     0);
	snprintf(want, sizeof(want), "%lld.%lld.%lld", (long long)maj,
		 (long long)min, (long long)mic);
	cr_assert_str_eq(qmp_version(q, v, sizeof(v)), want);
	json_decref(ret);
}

Test(qmp, query_status)
{
	struct qmp *q = qmp_up();
	json_t *ret = NULL;

	cr_assert_eq(qmp_execute(q, "query-status", NULL, &ret, 5000), 0, "%s",
		     q->error);
	cr_assert(json_is_string(json_object_get(ret, "status")));
	cr_assert(json_is_boolean(json_object_get(ret, "running")));
	json_decref(ret);
	/* ret may be NULL */
	cr_assert_eq(qmp_execute(q, "query-status", NULL, NULL, 5000), 0);
}

Test(qmp, command_with_arguments)
{
	struct qmp *q = qmp_up();
	json_t *args = json_pack("{s:s}", "path", "/machine"), *ret = NULL;

	cr_assert_eq(qmp_execute(q, "qom-list", args, &ret, 5000), 0, "%s",
		     q->error);
	cr_assert(json_is_array(ret));
	cr_assert_gt(json_array_size(ret), 0);
	json_decref(ret);
	json_decref(args);
}

Test(qmp, unknown_command)
{
	struct qmp *q = qmp_up();
	json_t *ret = (json_t *)1;

	cr_assert_eq(
		qmp_execute(q, "hpbench-no-such-command", NULL, &ret, 5000),
		-EREMOTEIO);
	cr_assert_null(ret);
	cr_assert_not_null(strstr(q->error, "hpbench-no-such-command"), "%s",
			   q->error);
	/* the session goes on */
	cr_assert_eq(qmp_execute(q, "query-status", NULL, NULL, 5000), 0);
}

Test(qmp, bad_arguments)
{
	struct qmp *q = qmp_up();
	json_t *args = json_pack("{s:i}", "no-such-argument", 1);

	cr_assert_eq(qmp_execute(q, "query-status", args, NULL, 5000),
		     -EREMOTEIO);
	cr_assert_neq(q->error[0], '\0');
	json_decref(args);
}

Test(qmp, wait_event_times_out)
{
	struct qmp *q = qmp_up();
	int64_t t0, dt, t = -1;

	t0 = hp_now_ns();
	cr_assert_eq(
		qmp_wait_event(q, "HPBENCH_NEVER", NULL, NULL, 200, &t, NULL),
		-ETIMEDOUT);
	dt = hp_now_ns() - t0;
	cr_assert_geq(dt, 150000000LL, "returned after %lld ns", (long long)dt);
	cr_assert_lt(dt, 2000000000LL, "returned after %lld ns", (long long)dt);
	cr_assert_eq(t, -1);
	cr_assert_not_null(strstr(q->error, "HPBENCH_NEVER"), "%s", q->error);
}

Test(qmp, stop_cont_events)
{
	struct qmp *q = qmp_up();
	int64_t before, t = 0;
	json_t *data = (json_t *)1, *ret = NULL;

	qmp_clear_events(q);
	before = hp_now_ns();
	cr_assert_eq(qmp_execute(q, "stop", NULL, NULL, 5000), 0, "%s",
		     q->error);
	/* STOP arrives before or after the reply: either way it is queued */
	cr_assert_eq(qmp_wait_event(q, "STOP", NULL, NULL, 2000, &t, &data), 0,
		     "%s", q->error);
	cr_assert_geq(t, before);
	cr_assert_leq(t, hp_now_ns());
	cr_assert_null(data, "STOP has no data");
	/* taken off the queue */
	cr_assert_eq(qmp_wait_event(q, "STOP", NULL, NULL, 100, NULL, NULL),
		     -ETIMEDOUT);
	cr_assert_eq(qmp_execute(q, "query-status", NULL, &ret, 5000), 0);
	cr_assert_not(json_is_true(json_object_get(ret, "running")));
	json_decref(ret);

	cr_assert_eq(qmp_execute(q, "cont", NULL, NULL, 5000), 0, "%s",
		     q->error);
	data = NULL;
	cr_assert_eq(qmp_wait_event(q, "RESUME", NULL, NULL, 2000, NULL, &data),
		     0, "%s", q->error);
	json_decref(data);
}

Test(qmp, event_match_by_data)
{
	struct qmp *q = qmp_up();
	json_t *args, *data = NULL;
	char img[160];
	int64_t t_concluded = 0, t_created = 0;

	/*
	 * A block job emits JOB_STATUS_CHANGE several times with different
	 * "status": the key/value filter picks one out of order and leaves
	 * the others queued.
	 */
	snprintf(img, sizeof(img), "%s/x.img", lab.dir);
	args = json_pack("{s:s, s:{s:s, s:s, s:i}}", "job-id", "job0",
			 "options", "driver", "file", "filename", img, "size",
			 0);
	qmp_clear_events(q);
	cr_assert_eq(qmp_execute(q, "blockdev-create", args, NULL, 5000), 0,
		     "%s", q->error);
	json_decref(args);
	cr_assert_eq(qmp_wait_event(q, "JOB_STATUS_CHANGE", "status",
				    "concluded", 5000, &t_concluded, &data),
		     0, "%s", q->error);
	cr_assert_str_eq(json_string_value(json_object_get(data, "id")),
			 "job0");
	json_decref(data);
	/* an earlier one is still there, and arrived earlier */
	cr_assert_eq(qmp_wait_event(q, "JOB_STATUS_CHANGE", "status", "created",
				    100, &t_created, NULL),
		     0, "%s", q->error);
	cr_assert_leq(t_created, t_concluded);
	/* each event is taken once */
	cr_assert_eq(qmp_wait_event(q, "JOB_STATUS_CHANGE", "status", "created",
				    100, NULL, NULL),
		     -ETIMEDOUT);
	/* a filter on a member the event lacks matches nothing */
	cr_assert_eq(qmp_wait_event(q, "JOB_STATUS_CHANGE", "no-such-key", "x",
				    100, NULL, NULL),
		     -ETIMEDOUT);
	args = json_pack("{s:s}", "id", "job0");
	cr_assert_eq(qmp_execute(q, "job-dismiss", args, NULL, 5000), 0, "%s",
		     q->error);
	json_decref(args);
	unlink(img);
}

Test(qmp, quit_closes)
{
	struct qmp *q = qmp_up();
	int rc;

	/* quit answers, then the socket closes: the next call sees EPIPE */
	cr_assert_eq(qmp_execute(q, "quit", NULL, NULL, 5000), 0, "%s",
		     q->error);
	rc = qmp_wait_event(q, "HPBENCH_NEVER", NULL, NULL, 5000, NULL, NULL);
	cr_assert(rc == -EPIPE || rc == -ECONNRESET, "rc %d (%s)", rc,
		  q->error);
}

Test(qmp, open_no_listener)
{
	static struct qmp q; /* 80K */
	char path[160];
	int64_t t0, dt;
	int rc;

	/* no such file */
	snprintf(path, sizeof(path), "%s/nobody.sock", lab.dir);
	t0 = hp_now_ns();
	rc = qmp_open(&q, path, 300);
	dt = hp_now_ns() - t0;
	qmp_close(&q);
	cr_assert_eq(rc, -ENOENT, "rc %d (%s)", rc, q.error);
	cr_assert_geq(dt, 250000000LL, "gave up after %lld ns", (long long)dt);
	cr_assert_lt(dt, 2000000000LL, "gave up after %lld ns", (long long)dt);
}

Test(qmp, open_refused)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	static struct qmp q; /* 80K */
	int64_t t0, dt;
	int fd, rc;

	/* a socket file that nobody listens on */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/dead.sock", lab.dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	t0 = hp_now_ns();
	rc = qmp_open(&q, sa.sun_path, 300);
	dt = hp_now_ns() - t0;
	qmp_close(&q);
	unlink(sa.sun_path);
	cr_assert_eq(rc, -ECONNREFUSED, "rc %d (%s)", rc, q.error);
	cr_assert_lt(dt, 2000000000LL, "gave up after %lld ns", (long long)dt);
}

/* jsonline over a socketpair: no QEMU needed */

static struct jline jl; /* 64K buffer */

static int pair(int *peer)
{
	int sv[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	jline_init(&jl, sv[0]);
	*peer = sv[1];
	return sv[0];
}

static void put(int fd, const char *s)
{
	size_t len = strlen(s);

	cr_assert_eq(write(fd, s, len), (ssize_t)len);
}

static json_int_t member(json_t *msg, const char *key)
{
	cr_assert_not_null(msg);
	cr_assert(json_is_integer(json_object_get(msg, key)), "no '%s'", key);
	return json_integer_value(json_object_get(msg, key));
}

Test(jsonline, two_messages_one_write)
{
	json_t *m;
	int peer, err;
	int64_t t = 0;

	pair(&peer);
	put(peer, "{\"a\": 1}\n{\"b\": 2}\r\n");
	m = jline_recv(&jl, 1000, &t, &err);
	cr_assert_eq(member(m, "a"), 1);
	cr_assert_eq(err, 0);
	cr_assert_gt(t, 0);
	json_decref(m);
	/* QEMU ends lines with \r\n: the \r is whitespace */
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_eq(member(m, "b"), 2);
	json_decref(m);
	m = jline_recv(&jl, 50, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, ETIMEDOUT);
	jline_close(&jl);
	close(peer);
}

Test(jsonline, message_split_over_writes)
{
	json_t *m;
	int peer, err;

	pair(&peer);
	put(peer, "{\"return\": {\"qemu\": ");
	/* half a message: a timeout, and the half is kept */
	m = jline_recv(&jl, 50, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, ETIMEDOUT);
	put(peer, "{\"major\": 10}}, \"id\": 7}\n{\"id\"");
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_eq(member(m, "id"), 7);
	cr_assert_eq(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(m, "return"), "qemu"),
			"major")),
		10);
	json_decref(m);
	put(peer, ": 8}\n");
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_eq(member(m, "id"), 8);
	json_decref(m);
	jline_close(&jl);
	close(peer);
}

Test(jsonline, not_json)
{
	json_t *m;
	int peer, err;

	pair(&peer);
	put(peer, "hello there\n{\"ok\": 1}\n");
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, EBADMSG);
	/* the bad line is consumed; the next one is read */
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_eq(member(m, "ok"), 1);
	cr_assert_eq(err, 0);
	json_decref(m);
	/* two objects on one line are not one message */
	put(peer, "{\"a\": 1} {\"b\": 2}\n");
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, EBADMSG);
	jline_close(&jl);
	close(peer);
}

Test(jsonline, eof)
{
	json_t *m;
	int peer, err;

	pair(&peer);
	put(peer, "{\"last\": 1}\n{\"cut");
	close(peer);
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_eq(member(m, "last"), 1);
	json_decref(m);
	/* the unterminated rest is not a message */
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, EPIPE);
	jline_close(&jl);
}

Test(jsonline, timeout)
{
	json_t *m;
	int peer, err = 0;
	int64_t t0 = hp_now_ns(), dt;

	pair(&peer);
	m = jline_recv(&jl, 100, NULL, &err);
	dt = hp_now_ns() - t0;
	cr_assert_null(m);
	cr_assert_eq(err, ETIMEDOUT);
	cr_assert_geq(dt, 90000000LL, "%lld ns", (long long)dt);
	cr_assert_lt(dt, 2000000000LL, "%lld ns", (long long)dt);
	/* zero: a poll, not a wait */
	m = jline_recv(&jl, 0, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, ETIMEDOUT);
	jline_close(&jl);
	close(peer);
}

Test(jsonline, line_too_long)
{
	static char chunk[4096];
	json_t *m;
	int peer, err;

	pair(&peer);
	memset(chunk, 'x', sizeof(chunk));
	/* 64K without a newline fills the buffer */
	for (int i = 0; i < 17; i++)
		cr_assert_eq(write(peer, chunk, sizeof(chunk)),
			     (ssize_t)sizeof(chunk));
	m = jline_recv(&jl, 1000, NULL, &err);
	cr_assert_null(m);
	cr_assert_eq(err, EMSGSIZE);
	jline_close(&jl);
	close(peer);
}

Test(jsonline, send)
{
	json_t *msg =
		json_pack("{s:s, s:i}", "execute", "query-status", "id", 3);
	char buf[256];
	ssize_t n;
	int peer;

	pair(&peer);
	cr_assert_eq(jline_send(&jl, msg), 0);
	n = read(peer, buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_eq(buf[n - 1], '\n');
	cr_assert_null(memchr(buf, '\n', (size_t)n - 1), "one line: %s", buf);
	buf[n - 1] = '\0';
	{
		json_t *back = json_loads(buf, 0, NULL);

		cr_assert(json_equal(back, msg), "%s", buf);
		json_decref(back);
	}
	/* the peer gone: an error, not SIGPIPE */
	close(peer);
	cr_assert_eq(jline_send(&jl, msg), -EPIPE);
	jline_close(&jl);
	json_decref(msg);
}
