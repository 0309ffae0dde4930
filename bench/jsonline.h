/* SPDX-License-Identifier: MIT */
/*
 * jsonline.h - one JSON object per line over a stream socket, with
 * deadlines.  Both QMP and the agent protocol are this shape.
 */
#ifndef HP_BENCH_JSONLINE_H
#define HP_BENCH_JSONLINE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct jline {
	int fd;
	char buf[1 << 16];
	size_t len;
};

int64_t hp_now_ns(void);

/* connect to a unix socket, retrying until timeout_ms; fd or -errno */
int jline_connect_unix(const char *path, int timeout_ms);

void jline_init(struct jline *j, int fd);
void jline_close(struct jline *j);

/*
 * Next message, or NULL on timeout (*err = ETIMEDOUT), EOF (*err = EPIPE)
 * or a line that is not JSON (*err = EBADMSG).  *t_ns: arrival time.
 */
json_t *jline_recv(struct jline *j, int timeout_ms, int64_t *t_ns, int *err);

/* 0 or -errno */
int jline_send(struct jline *j, json_t *msg);

#endif
