/*
 * session.c - the Logo benchmarks' v1 sessions: dial the AF_UNIX socket,
 * say hello, read to "snap end", then check that every event's SEQ is the
 * one after the last (a gap only after "evt SEQ resync", whose snapshot
 * sets the SEQ again).  Non-blocking sockets, one epoll set, lines split
 * by hand (cheap next to the server being measured).
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logobench.h"

static int session_watch(struct lb_session *, int);
static int session_flush(struct lb_session *);
static void session_line(struct lb_session *, const char *, size_t, int64_t);
static void session_lines(struct lb_session *, int64_t);
static int session_read(struct lb_session *);

int64_t
lb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The first failure is printed at once; later ones are only counted. */
void
lb_fail(struct lb_set *set, const char *fmt, ...)
{
	va_list ap;

	if (set->first_error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(set->first_error, sizeof set->first_error, fmt, ap);
	va_end(ap);
	fprintf(stderr, "bench: FAIL: %s\n", set->first_error);
}

int
lb_failed(const struct lb_set *set)
{
	return set->errors || set->gaps || set->lost || set->seg_mismatch;
}

int
lb_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(s, p, n) == 0;
}

/* The value of " key=" in a line (bare values only), or NULL. */
const char *
lb_field(const char *s, size_t len, const char *key, size_t *vlen)
{
	size_t klen = strlen(key), i;
	const char *p, *end = s + len;

	for (p = s; p + klen + 2 <= end; p++) {
		p = memchr(p, ' ', end - p);
		if (p == NULL || p + klen + 2 > end)
			return NULL;
		if (memcmp(p + 1, key, klen) == 0 && p[1 + klen] == '=') {
			p += klen + 2;
			for (i = 0; p + i < end && p[i] != ' '; i++)
				;
			*vlen = i;
			return p;
		}
	}
	return NULL;
}

int
lb_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Blocking connect bounded by SO_SNDTIMEO (a full backlog waits). */
int
lb_dial(const char *path, char *why, size_t whylen)
{
	struct sockaddr_un sun;
	struct timeval tv = {.tv_sec = 5};
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		snprintf(why, whylen, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		snprintf(why, whylen, "connect %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
lb_set_init(struct lb_set *set, const char *path)
{
	memset(set, 0, sizeof *set);
	set->path = path;
	set->epfd = epoll_create1(EPOLL_CLOEXEC);
	return set->epfd == -1 ? -1 : 0;
}

void
lb_set_free(struct lb_set *set)
{
	struct lb_session *s;
	size_t i;

	for (i = 0; i < set->nall; i++) {
		s = set->all[i];
		lb_session_close(s);
		free(s->in);
		free(s->out);
		free(s->got);
		free(s->ring);
		free(s);
	}
	free(set->all);
	free(set->senders);
	if (set->epfd != -1)
		close(set->epfd);
}

/* A session (not yet connected); senders are numbered in creation order
 * and every watcher counts every sender's acks, so create them first. */
struct lb_session *
lb_session_new(struct lb_set *set, const char *name, int watcher, int sender)
{
	struct lb_session *s, **n;

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->in = malloc(LB_IN_CAP)) == NULL)
		abort();
	s->set = set;
	s->fd = -1;
	s->idx = (int)set->nall;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->watcher = watcher;
	s->sender = -1;
	s->ack = "turtle";
	if (set->nall == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		if ((n = realloc(set->all, set->cap * sizeof *n)) == NULL)
			abort();
		set->all = n;
	}
	set->all[set->nall++] = s;
	if (sender) {
		s->sender = (int)set->nsenders;
		n = realloc(set->senders, (set->nsenders + 1) * sizeof *n);
		if (n == NULL ||
		    (s->ring = calloc(LB_RING, sizeof *s->ring)) == NULL)
			abort();
		set->senders = n;
		set->senders[set->nsenders++] = s;
	}
	if (watcher)
		set->nwatchers++;
	return s;
}

int
lb_session_open(struct lb_session *s)
{
	struct epoll_event ev;
	char why[256], hello[64];
	int fd, n;

	if ((fd = lb_dial(s->set->path, why, sizeof why)) == -1) {
		lb_fail(s->set, "%s: %s", s->name, why);
		s->set->errors++;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (s->got == NULL && s->set->nsenders > 0 &&
	    (s->got = calloc(s->set->nsenders, sizeof *s->got)) == NULL)
		abort();
	s->fd = fd;
	s->inlen = s->outlen = 0;
	s->want_out = 0;
	s->last_seq = 0;
	s->resynced = 0;
	s->state = LB_HELLO;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = s;
	if (epoll_ctl(s->set->epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(fd);
		s->fd = -1;
		s->state = LB_CLOSED;
		return -1;
	}
	n = snprintf(hello, sizeof hello, "hello 1 %s\n", s->name);
	return lb_session_send(s, hello, n);
}

void
lb_session_close(struct lb_session *s)
{
	if (s->fd == -1)
		return;
	epoll_ctl(s->set->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
	s->state = LB_CLOSED;
	s->outlen = 0;
}

static int
session_watch(struct lb_session *s, int out)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | (out ? EPOLLOUT : 0);
	ev.data.ptr = s;
	if (epoll_ctl(s->set->epfd, EPOLL_CTL_MOD, s->fd, &ev) == -1)
		return -1;
	s->want_out = out;
	return 0;
}

int
lb_session_send(struct lb_session *s, const char *p, size_t len)
{
	size_t cap;
	char *n;

	if (s->fd == -1)
		return -1;
	if (s->outlen + len > s->outcap) {
		cap = s->outcap ? s->outcap : 4096;
		while (cap < s->outlen + len)
			cap *= 2;
		if ((n = realloc(s->out, cap)) == NULL)
			return -1;
		s->out = n;
		s->outcap = cap;
	}
	memcpy(s->out + s->outlen, p, len);
	s->outlen += len;
	return session_flush(s);
}

static int
session_flush(struct lb_session *s)
{
	ssize_t n;

	while (s->outlen > 0) {
		n = write(s->fd, s->out, s->outlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			lb_fail(
			    s->set, "%s: write: %s", s->name, strerror(errno));
			s->set->lost++;
			lb_session_close(s);
			return -1;
		}
		memmove(s->out, s->out + n, s->outlen - n);
		s->outlen -= n;
	}
	if ((s->outlen > 0) != s->want_out)
		return session_watch(s, s->outlen > 0);
	return 0;
}

/* The SEQ check, then the counting (track.c), then the tool's own look. */
static void
session_line(struct lb_session *s, const char *p, size_t len, int64_t now)
{
	struct lb_set *set = s->set;
	const char *sp, *v;
	uint64_t seq;
	size_t vlen;
	int snap_end = 0;

	if (lb_prefix(p, len, "evt ")) {
		sp = memchr(p + 4, ' ', len - 4);
		if (sp == NULL || lb_u64(p + 4, sp - (p + 4), &seq) == -1) {
			if (set->errors++ == 0)
				lb_fail(set, "%s: bad evt line: %.*s", s->name,
				    (int)len, p);
			return;
		}
		if (lb_prefix(sp + 1, p + len - sp - 1, "resync ")) {
			if (seq <= s->last_seq && set->gaps++ == 0)
				lb_fail(set, "%s: resync seq %llu after %llu",
				    s->name, (unsigned long long)seq,
				    (unsigned long long)s->last_seq);
			s->resynced = 1;
			s->resync_from = s->last_seq;
			s->state = LB_SNAP;
			set->resyncs++;
		} else if (s->state == LB_HELLO) {
			return; /* before ok hello: the snapshot covers it */
		} else if (s->state != LB_READY) {
			if (set->errors++ == 0)
				lb_fail(set, "%s: evt inside a snapshot: %.*s",
				    s->name, (int)len, p);
			return;
		} else {
			if (seq != s->last_seq + 1 && set->gaps++ == 0)
				lb_fail(set, "%s: seq %llu after %llu (a gap)",
				    s->name, (unsigned long long)seq,
				    (unsigned long long)s->last_seq);
			s->last_seq = seq;
		}
	} else if (lb_prefix(p, len, "snap ")) {
		if (s->state != LB_SNAP) {
			if (set->errors++ == 0)
				lb_fail(set, "%s: snap outside a snapshot",
				    s->name);
			return;
		}
		if (lb_prefix(p, len, "snap end ")) {
			v = lb_field(p, len, "seq", &vlen);
			if (v == NULL || lb_u64(v, vlen, &seq) == -1) {
				if (set->errors++ == 0)
					lb_fail(set, "%s: snap end without seq",
					    s->name);
				return;
			}
			s->last_seq = seq;
			s->t_snap_end = now;
			snap_end = 1;
		}
	} else if (lb_prefix(p, len, "ok hello ")) {
		if (s->state != LB_HELLO && set->errors++ == 0)
			lb_fail(set, "%s: a second ok hello", s->name);
		s->state = LB_SNAP;
	}
	lb_track_line(s, p, len, now);
	if (set->on_line != NULL)
		set->on_line(s, p, len, now);
	if (snap_end) {
		s->state = LB_READY;
		s->resynced = 0;
	}
}

/* Hands every complete line on; keeps the partial tail. */
static void
session_lines(struct lb_session *s, int64_t now)
{
	char *p = s->in, *end = s->in + s->inlen, *nl;
	size_t len;

	while (p < end && (nl = memchr(p, '\n', end - p)) != NULL) {
		len = nl - p;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		session_line(s, p, len, now);
		if (s->fd == -1)
			return;
		p = nl + 1;
	}
	s->inlen = end - p;
	if (s->inlen > 0 && p != s->in)
		memmove(s->in, p, s->inlen);
}

static int
session_read(struct lb_session *s)
{
	ssize_t n;

	if (s->inlen == LB_IN_CAP) {
		lb_fail(s->set, "%s: a line over %d bytes", s->name, LB_IN_CAP);
		s->set->errors++;
		lb_session_close(s);
		return -1;
	}
	n = read(s->fd, s->in + s->inlen, LB_IN_CAP - s->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0) {
		s->set->lost++;
		lb_fail(s->set, "%s: %s by the server", s->name,
		    n == 0 ? "closed" : strerror(errno));
		lb_session_close(s);
		return -1;
	}
	s->bytes_in += n;
	s->inlen += n;
	session_lines(s, lb_now());
	return 1;
}

/* One turn of the loop: waits up to timeout_ms, serves what is ready. */
int
lb_poll(struct lb_set *set, int timeout_ms)
{
	struct epoll_event evs[64];
	struct lb_session *s;
	int n, i;

	n = epoll_wait(set->epfd, evs, 64, timeout_ms);
	if (n == -1 && errno == EINTR)
		return 0;
	if (n == -1) {
		lb_fail(set, "epoll_wait: %s", strerror(errno));
		set->errors++;
		return -1;
	}
	for (i = 0; i < n; i++) {
		s = evs[i].data.ptr;
		if (s->fd == -1)
			continue;
		if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			session_read(s);
		if (s->fd != -1 && (evs[i].events & EPOLLOUT))
			session_flush(s);
	}
	return n;
}
