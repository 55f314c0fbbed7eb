/*
 * conn.c - the generator's connections: dial, buffered non-blocking
 * reads split into lines, writes with a pending buffer, one epoll loop.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "logobench.h"

static int conn_dial_tcp(const char *, char *, size_t);
static void conn_lines(struct bench *, struct bench_conn *, int64_t);
static int conn_watch(struct bench *, struct bench_conn *, int);

static int
conn_dial_tcp(const char *hostport, char *why, size_t whylen)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = {.tv_sec = 5};
	char host[256];
	const char *colon;
	int fd = -1, one = 1, rc;

	colon = strrchr(hostport, ':');
	if (colon == NULL || (size_t)(colon - hostport) >= sizeof host) {
		snprintf(why, whylen, "bad HOST:PORT: %s", hostport);
		return -1;
	}
	memcpy(host, hostport, colon - hostport);
	host[colon - hostport] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc != 0) {
		snprintf(why, whylen, "%s: %s", hostport, gai_strerror(rc));
		return -1;
	}
	snprintf(why, whylen, "%s: no address", hostport);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			setsockopt(
			    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			break;
		}
		snprintf(
		    why, whylen, "connect %s: %s", hostport, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int
bench_dial(const struct bench_opts *o, char *why, size_t whylen)
{
	if (o->tcp != NULL)
		return conn_dial_tcp(o->tcp, why, whylen);
	return lb_dial(o->path, why, whylen);
}

static int
conn_watch(struct bench *b, struct bench_conn *c, int out)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof ev);
	ev.events = (c->paused ? 0 : EPOLLIN) | (out ? EPOLLOUT : 0);
	ev.data.ptr = c;
	if (epoll_ctl(b->epfd, EPOLL_CTL_MOD, c->fd, &ev) == -1)
		return -1;
	c->want_out = out;
	return 0;
}

int
bench_conn_open(struct bench *b, struct bench_conn *c, char *why, size_t whylen)
{
	struct epoll_event ev;
	int fd, rc;

	fd = bench_dial(&b->o, why, whylen);
	if (fd == -1)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		snprintf(why, whylen, "fcntl: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (c->in == NULL && (c->in = malloc(BENCH_IN_CAP)) == NULL) {
		snprintf(why, whylen, "out of memory");
		close(fd);
		return -1;
	}
	c->fd = fd;
	c->inlen = c->outlen = 0;
	c->want_out = 0;
	c->in_snap = 0;
	c->have_id = 0;
	c->resync_gap = 0;
	c->paused = c->was_paused = 0;
	c->last_seq = 0;
	c->resp_left = c->resp_elem = 0;
	c->resp_bulk = -1;
	c->state = BENCH_HELLO;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = c;
	if (epoll_ctl(b->epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		snprintf(why, whylen, "epoll_ctl: %s", strerror(errno));
		close(fd);
		c->fd = -1;
		c->state = BENCH_CLOSED;
		return -1;
	}
	b->handshakes++;
	if (b->o.target == BENCH_REDIS)
		rc = bench_resp_hello(b, c);
	else
		rc = bench_v1_hello(b, c);
	if (rc == -1) {
		snprintf(why, whylen, "cannot send the greeting");
		bench_conn_close(b, c);
		return -1;
	}
	return 0;
}

/* A paused connection is not read: its server-side buffer fills. */
int
bench_conn_pause(struct bench *b, struct bench_conn *c, int paused)
{
	if (c->fd == -1)
		return -1;
	c->paused = paused;
	if (paused)
		c->was_paused = 1;
	return conn_watch(b, c, c->want_out);
}

void
bench_conn_close(struct bench *b, struct bench_conn *c)
{
	if (c->fd == -1)
		return;
	if (c->state == BENCH_HELLO)
		b->handshakes--;
	if (c->state == BENCH_READY && c->role == BENCH_WATCHER)
		b->nready--;
	epoll_ctl(b->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->state = BENCH_CLOSED;
	c->outlen = 0;
}

int
bench_conn_send(
    struct bench *b, struct bench_conn *c, const char *p, size_t len)
{
	if (c->fd == -1)
		return -1;
	if (c->outlen + len > c->outcap) {
		size_t cap = c->outcap ? c->outcap : 4096;
		char *n;

		while (cap < c->outlen + len)
			cap *= 2;
		if ((n = realloc(c->out, cap)) == NULL)
			return -1;
		c->out = n;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, p, len);
	c->outlen += len;
	return bench_conn_flush(b, c);
}

int
bench_conn_flush(struct bench *b, struct bench_conn *c)
{
	ssize_t n;

	while (c->outlen > 0) {
		n = write(c->fd, c->out, c->outlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			bench_fail(
			    b, "conn %d: write: %s", c->idx, strerror(errno));
			b->lost++;
			bench_conn_close(b, c);
			return -1;
		}
		memmove(c->out, c->out + n, c->outlen - n);
		c->outlen -= n;
	}
	if ((c->outlen > 0) != c->want_out)
		return conn_watch(b, c, c->outlen > 0);
	return 0;
}

/* Hands every complete line to the dialect; keeps the partial tail. */
static void
conn_lines(struct bench *b, struct bench_conn *c, int64_t now)
{
	char *p = c->in, *end = c->in + c->inlen, *nl;
	size_t len;

	while (p < end && (nl = memchr(p, '\n', end - p)) != NULL) {
		len = nl - p;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (b->o.target == BENCH_REDIS)
			bench_resp_line(b, c, p, len, now);
		else
			bench_v1_line(b, c, p, len, now);
		if (c->fd == -1)
			return;
		p = nl + 1;
	}
	c->inlen = end - p;
	if (c->inlen > 0 && p != c->in)
		memmove(c->in, p, c->inlen);
}

/* 1 read or EAGAIN, 0 closed by the server, -1 error. */
int
bench_conn_read(struct bench *b, struct bench_conn *c)
{
	ssize_t n;
	int64_t now;

	if (c->inlen == BENCH_IN_CAP) {
		bench_fail(
		    b, "conn %d: a line over %d bytes", c->idx, BENCH_IN_CAP);
		bench_conn_close(b, c);
		return -1;
	}
	n = read(c->fd, c->in + c->inlen, BENCH_IN_CAP - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0) {
		if (c->state == BENCH_QUITTING && !c->quit_ok &&
		    b->bad_replies++ == 0)
			bench_fail(b,
			    "conn %d: closed after quit without ok quit",
			    c->idx);
		if (c->state != BENCH_QUITTING) {
			b->lost++;
			bench_fail(b, "conn %d (%s): %s by the server", c->idx,
			    c->role == BENCH_MOVER ? "mover" : "watcher",
			    n == 0 ? "closed" : strerror(errno));
		}
		bench_conn_close(b, c);
		return n == 0 ? 0 : -1;
	}
	now = bench_now();
	c->inlen += n;
	conn_lines(b, c, now);
	return 1;
}

/* One turn of the loop: waits up to timeout_ms, serves what is ready. */
int
bench_poll(struct bench *b, int timeout_ms)
{
	struct epoll_event evs[256];
	struct bench_conn *c;
	int n, i;

	n = epoll_wait(b->epfd, evs, 256, timeout_ms);
	if (n == -1 && errno == EINTR)
		return 0;
	if (n == -1) {
		bench_fail(b, "epoll_wait: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = evs[i].data.ptr;
		if (c->fd == -1)
			continue;
		if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			bench_conn_read(b, c);
		if (c->fd != -1 && (evs[i].events & EPOLLOUT))
			bench_conn_flush(b, c);
	}
	return n;
}
