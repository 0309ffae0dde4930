// SPDX-License-Identifier: MIT
/*
 * qmp.c - QMP over a unix socket (docs/interop/qmp-spec.rst): a greeting,
 * qmp_capabilities, then commands tagged with an id; events may arrive
 * between a command and its reply and are queued, not dropped.
 */
#include "qmp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void queue_event(struct qmp *q, json_t *msg, int64_t t)
{
	struct qmp_event *e;

	if (q->nr_events == QMP_MAX_EVENTS) {
		/* oldest first out: completion events are recent */
		json_decref(q->events[0].data);
		memmove(&q->events[0], &q->events[1],
			sizeof(q->events[0]) * (QMP_MAX_EVENTS - 1));
		q->nr_events--;
	}
	e = &q->events[q->nr_events++];
	snprintf(e->name, sizeof(e->name), "%s",
		 json_string_value(json_object_get(msg, "event")));
	e->data = json_incref(json_object_get(msg, "data"));
	e->t_ns = t;
}

static int fail(struct qmp *q, int err, const char *what)
{
	snprintf(q->error, sizeof(q->error), "%s: %s", what, strerror(err));
	return -err;
}

int qmp_open(struct qmp *q, const char *socket_path, int timeout_ms)
{
	int fd, err;
	json_t *ret = NULL;

	memset(q, 0, sizeof(*q));
	q->line.fd = -1;
	fd = jline_connect_unix(socket_path, timeout_ms);
	if (fd < 0)
		return fail(q, -fd, socket_path);
	jline_init(&q->line, fd);
	/*
	 * The greeting is the first line QEMU sends; anything else before it
	 * (seen once in CI, never reproduced) is skipped, not fatal.
	 */
	for (int64_t deadline = hp_now_ns() + (int64_t)timeout_ms * 1000000;;) {
		int64_t left = (deadline - hp_now_ns()) / 1000000;

		q->greeting = jline_recv(&q->line, left > 0 ? (int)left : 0,
					 NULL, &err);
		if (q->greeting && json_object_get(q->greeting, "QMP"))
			break;
		if (!q->greeting && err != EBADMSG) {
			err = fail(q, err ? err : EPROTO, "QMP greeting");
			qmp_close(q);
			return err;
		}
		json_decref(q->greeting);
		q->greeting = NULL;
		if (left <= 0) {
			err = fail(q, EPROTO, "QMP greeting");
			qmp_close(q);
			return err;
		}
	}
	err = qmp_execute(q, "qmp_capabilities", NULL, &ret, timeout_ms);
	json_decref(ret);
	if (err)
		qmp_close(q);
	return err;
}

void qmp_close(struct qmp *q)
{
	qmp_clear_events(q);
	json_decref(q->greeting);
	q->greeting = NULL;
	jline_close(&q->line);
}

void qmp_clear_events(struct qmp *q)
{
	json_t *msg;
	int64_t t;
	int err;

	/* events QEMU already sent but we have not read are stale too */
	while ((msg = jline_recv(&q->line, 0, &t, &err))) {
		if (json_object_get(msg, "event"))
			queue_event(q, msg, t);
		json_decref(msg);
	}
	for (unsigned int i = 0; i < q->nr_events; i++)
		json_decref(q->events[i].data);
	q->nr_events = 0;
}

int qmp_execute(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		int timeout_ms)
{
	int64_t deadline = hp_now_ns() + (int64_t)timeout_ms * 1000000;
	int id = ++q->next_id, err;
	json_t *req = json_pack("{s:s, s:i}", "execute", cmd, "id", id);

	if (ret)
		*ret = NULL;
	if (args)
		json_object_set(req, "arguments", args);
	err = jline_send(&q->line, req);
	json_decref(req);
	if (err)
		return fail(q, -err, cmd);
	for (;;) {
		int64_t left = (deadline - hp_now_ns()) / 1000000, t;
		json_t *msg = jline_recv(&q->line, left > 0 ? (int)left : 0, &t,
					 &err);
		json_t *e;

		if (!msg)
			return fail(q, err, cmd);
		if (json_object_get(msg, "event")) {
			queue_event(q, msg, t);
			json_decref(msg);
			continue;
		}
		if (json_integer_value(json_object_get(msg, "id")) != id) {
			json_decref(
				msg); /* a stale reply of a timed-out call */
			continue;
		}
		e = json_object_get(msg, "error");
		if (e) {
			snprintf(q->error, sizeof(q->error), "%s: %s", cmd,
				 json_string_value(json_object_get(e, "desc")));
			json_decref(msg);
			return -EREMOTEIO;
		}
		if (ret)
			*ret = json_incref(json_object_get(msg, "return"));
		json_decref(msg);
		return 0;
	}
}

static int match(const struct qmp_event *e, const char *name, const char *key,
		 const char *value)
{
	json_t *v;

	if (strcmp(e->name, name))
		return 0;
	if (!key)
		return 1;
	v = json_object_get(e->data, key);
	return json_is_string(v) && !strcmp(json_string_value(v), value);
}

int qmp_wait_event(struct qmp *q, const char *name, const char *key,
		   const char *value, int timeout_ms, int64_t *t_ns,
		   json_t **data)
{
	int64_t deadline = hp_now_ns() + (int64_t)timeout_ms * 1000000;
	int err;

	for (;;) {
		int64_t left, t;
		json_t *msg;

		for (unsigned int i = 0; i < q->nr_events; i++) {
			struct qmp_event *e = &q->events[i];

			if (!match(e, name, key, value))
				continue;
			if (t_ns)
				*t_ns = e->t_ns;
			if (data)
				*data = e->data;
			else
				json_decref(e->data);
			memmove(e, e + 1, sizeof(*e) * (q->nr_events - i - 1));
			q->nr_events--;
			return 0;
		}
		left = (deadline - hp_now_ns()) / 1000000;
		if (left <= 0) {
			snprintf(q->error, sizeof(q->error),
				 "no %s event within %d ms", name, timeout_ms);
			return -ETIMEDOUT;
		}
		msg = jline_recv(&q->line, (int)left, &t, &err);
		if (!msg) {
			if (err == ETIMEDOUT)
				continue;
			return fail(q, err, name);
		}
		if (json_object_get(msg, "event"))
			queue_event(q, msg, t);
		json_decref(msg);
	}
}

const char *qmp_version(struct qmp *q, char *buf, size_t len)
{
	json_int_t maj, min, mic;

	buf[0] = '\0';
	if (q->greeting &&
	    !json_unpack(q->greeting, "{s:{s:{s:{s:I, s:I, s:I}}}}", "QMP",
			 "version", "qemu", "major", &maj, "minor", &min,
			 "micro", &mic))
		snprintf(buf, len, "%lld.%lld.%lld", (long long)maj,
			 (long long)min, (long long)mic);
	return buf;
}
