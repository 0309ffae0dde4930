/* SPDX-License-Identifier: MIT */
/*
 * qmp.h - a small QMP client: commands with deadlines, events queued with
 * their host arrival time so a command's completion event is never lost.
 */
#ifndef HP_BENCH_QMP_H
#define HP_BENCH_QMP_H

#include <stdint.h>

#include <jansson.h>

#include "jsonline.h"

#define QMP_MAX_EVENTS 256

struct qmp_event {
	char name[64];
	json_t *data; /* owned */
	int64_t t_ns; /* host CLOCK_MONOTONIC on arrival */
};

struct qmp {
	struct jline line;
	json_t *greeting;
	struct qmp_event events[QMP_MAX_EVENTS];
	unsigned int nr_events;
	int next_id;
	char error[256]; /* last failure, human readable */
};

/* connect, read the greeting, negotiate; 0 or -errno (q->error says) */
int qmp_open(struct qmp *q, const char *socket_path, int timeout_ms);
void qmp_close(struct qmp *q);

/*
 * Run a command.  0 with *ret (owned by caller, may be NULL) on success;
 * -EREMOTEIO when QEMU answered with an error (its desc in q->error);
 * -ETIMEDOUT or -EPIPE when QEMU did not answer.
 */
int qmp_execute(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		int timeout_ms);

/* drop queued events (call before the command whose completion you want) */
void qmp_clear_events(struct qmp *q);

/*
 * Wait for event `name` whose data has `key` == `value` (string member;
 * key NULL matches any).  The event is removed from the queue.  0 with
 * *t_ns and *data (owned by caller, may be NULL), or -ETIMEDOUT/-EPIPE.
 */
int qmp_wait_event(struct qmp *q, const char *name, const char *key,
		   const char *value, int timeout_ms, int64_t *t_ns,
		   json_t **data);

/* "10.0.2" from the greeting, or "" */
const char *qmp_version(struct qmp *q, char *buf, size_t len);

#endif
