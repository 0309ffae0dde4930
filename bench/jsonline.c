// SPDX-License-Identifier: MIT
/*
 * jsonline.c - line-framed JSON over unix sockets, never blocking past a
 * deadline: a hung guest must turn into a timeout, not a hung benchmark.
 */
#include "jsonline.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int64_t hp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int jline_connect_unix(const char *path, int timeout_ms)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int64_t deadline = hp_now_ns() + (int64_t)timeout_ms * 1000000;
	int err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		err = errno;
		close(fd);
		if (hp_now_ns() > deadline)
			return -err;
		usleep(20000);
	}
}

void jline_init(struct jline *j, int fd)
{
	j->fd = fd;
	j->len = 0;
}

void jline_close(struct jline *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	j->len = 0;
}

/* one complete line out of the buffer, if there is one */
static json_t *take_line(struct jline *j, int *err, int *got)
{
	char *nl = memchr(j->buf, '\n', j->len);
	json_error_t jerr;
	json_t *msg;
	size_t n;

	*got = 0;
	if (!nl)
		return NULL;
	*got = 1;
	n = (size_t)(nl - j->buf);
	msg = json_loadb(j->buf, n, 0, &jerr);
	memmove(j->buf, nl + 1, j->len - n - 1);
	j->len -= n + 1;
	if (!msg)
		*err = EBADMSG;
	return msg;
}

json_t *jline_recv(struct jline *j, int timeout_ms, int64_t *t_ns, int *err)
{
	int64_t deadline = hp_now_ns() + (int64_t)timeout_ms * 1000000;
	int got;

	*err = 0;
	for (;;) {
		json_t *msg = take_line(j, err, &got);
		struct pollfd pfd = {.fd = j->fd, .events = POLLIN};
		int64_t left = (deadline - hp_now_ns()) / 1000000;
		ssize_t n;

		if (got) {
			if (t_ns)
				*t_ns = hp_now_ns();
			return msg;
		}
		if (j->len == sizeof(j->buf)) {
			*err = EMSGSIZE;
			return NULL;
		}
		if (left < 0)
			left = 0;
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = n == 0 ? ETIMEDOUT : errno;
			return NULL;
		}
		n = read(j->fd, j->buf + j->len, sizeof(j->buf) - j->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = n == 0 ? EPIPE : errno;
			return NULL;
		}
		j->len += (size_t)n;
	}
}

int jline_send(struct jline *j, json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT);
	size_t len, off = 0;

	if (!s)
		return -ENOMEM;
	len = strlen(s);
	s[len++] = '\n'; /* json_dumps leaves room: it wrote a NUL there */
	while (off < len) {
		ssize_t n = send(j->fd, s + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(s);
			return -e;
		}
		off += (size_t)n;
	}
	free(s);
	return 0;
}
