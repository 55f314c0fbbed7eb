/*
 * hsconn.c - test clients: connecting, sending, reading lines and NUL
 * replies with deadlines, and the v1 dialect's lines.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define HS_RECENT 6

static void audit(struct hs_client *, const unsigned char *, size_t);
static void bookkeep(struct hs_client *, const char *line);
static int take_line(struct hs_client *, char *out, size_t outlen);

int
hs_connect_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd, saved;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
hs_connect_tcp(int port)
{
	struct sockaddr_in sin;
	int fd, saved;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct hs_client *
hs_client_wrap(struct hs_server *srv, int fd)
{
	struct hs_client *c;

	if (fd == -1 || (c = calloc(1, sizeof *c)) == NULL) {
		if (fd != -1)
			close(fd);
		return NULL;
	}
	c->srv = srv;
	c->fd = fd;
	c->seq_last = -1;
	c->cid = -1;
	if (srv != NULL) {
		c->next = srv->clients;
		srv->clients = c;
	}
	return c;
}

struct hs_client *
hs_client_new(struct hs_server *srv)
{
	int fd = hs_connect_unix(srv->sock);

	if (fd == -1)
		fprintf(stderr, "harness: connect %s: %s\n", srv->sock,
		    strerror(errno));
	return hs_client_wrap(srv, fd);
}

struct hs_client *
hs_client_new_tcp(struct hs_server *srv)
{
	int fd = hs_connect_tcp(srv->tcp_port);

	if (fd == -1)
		fprintf(stderr, "harness: connect 127.0.0.1:%d: %s\n",
		    srv->tcp_port, strerror(errno));
	return hs_client_wrap(srv, fd);
}

void
hs_client_close(struct hs_client *c)
{
	struct hs_client **pp;

	if (c == NULL)
		return;
	if (c->srv != NULL) {
		for (pp = &c->srv->clients; *pp != NULL; pp = &(*pp)->next) {
			if (*pp == c) {
				*pp = c->next;
				break;
			}
		}
	}
	if (c->fd != -1)
		close(c->fd);
	free(c);
}

int
hs_send(struct hs_client *c, const void *data, size_t len)
{
	const char *p = data;
	struct pollfd pfd;
	ssize_t n;

	while (len > 0) {
		n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = c->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, hs_wait_ms(HS_WAIT_MS)) <= 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
hs_sendf(struct hs_client *c, const char *fmt, ...)
{
	char buf[HS_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	return hs_send(c, buf, (size_t)n);
}

/*
 * Counts bytes a terminal would act on: C0 controls other than LF, DEL,
 * and C1 controls in their UTF-8 form (C2 80..C2 9F).
 */
static void
audit(struct hs_client *c, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f)
			c->raw_bad++;
		else if (c->prev == 0xc2 && p[i] >= 0x80 && p[i] <= 0x9f)
			c->raw_bad++;
		c->prev = p[i];
	}
}

int
hs_fill(struct hs_client *c, int ms)
{
	struct pollfd pfd;
	ssize_t n;
	int r;

	if (c->eof)
		return 0;
	if (c->len == sizeof c->buf)
		return -1;
	pfd.fd = c->fd;
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, ms < 0 ? 0 : ms);
	while (r == -1 && errno == EINTR);
	if (r <= 0)
		return -1;
	do
		n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
	while (n == -1 && errno == EINTR);
	if (n == 0 || (n == -1 && errno == ECONNRESET)) {
		c->eof = 1;
		return 0;
	}
	if (n < 0)
		return -1;
	audit(c, (unsigned char *)c->buf + c->len, (size_t)n);
	c->len += (size_t)n;
	c->received += (size_t)n;
	return 1;
}

/* Keeps seq_last/seq_gaps/resyncs true to every evt and snap end. */
static void
bookkeep(struct hs_client *c, const char *line)
{
	char kind[32];
	long long seq;

	if (hs_evt(line, &seq, kind, sizeof kind) == 0) {
		if (strcmp(kind, "resync") == 0) {
			/* Events were dropped: the snapshot sets seq_last. */
			c->resyncs++;
			return;
		}
		if (c->in_snap || (c->seq_last >= 0 && seq != c->seq_last + 1))
			c->seq_gaps++;
		c->seq_last = seq;
	} else if (hs_starts(line, "snap world"))
		c->in_snap = 1;
	else if (hs_starts(line, "snap end")) {
		c->in_snap = 0;
		if (hs_field_ll(line, "seq", &seq) == 0)
			c->seq_last = seq;
	}
}

static int
take_line(struct hs_client *c, char *out, size_t outlen)
{
	char *nl = memchr(c->buf, '\n', c->len);
	size_t n, copy;

	if (nl == NULL)
		return -1;
	n = (size_t)(nl - c->buf);
	copy = n < outlen - 1 ? n : outlen - 1;
	memcpy(out, c->buf, copy);
	out[copy] = '\0';
	c->len -= n + 1;
	memmove(c->buf, nl + 1, c->len);
	bookkeep(c, out);
	return (int)n;
}

int
hs_line_ms(struct hs_client *c, char *out, size_t outlen, int ms)
{
	long long deadline = hs_now_ms() + ms;
	long long left;
	int n;

	c->timedout = 0;
	for (;;) {
		if ((n = take_line(c, out, outlen)) >= 0)
			return n;
		if (c->eof)
			return -1;
		if (c->len == sizeof c->buf) {
			fprintf(stderr, "harness: a line over %zu bytes\n",
			    sizeof c->buf);
			return -1;
		}
		left = deadline - hs_now_ms();
		if (hs_fill(c, left < 0 ? 0 : (int)left) < 0 &&
		    hs_now_ms() >= deadline) {
			c->timedout = 1;
			return -1;
		}
	}
}

int
hs_line(struct hs_client *c, char *out, size_t outlen)
{
	return hs_line_ms(c, out, outlen, hs_wait_ms(HS_WAIT_MS));
}

int
hs_expect_ms(
    struct hs_client *c, const char *prefix, char *out, size_t len, int ms)
{
	char recent[HS_RECENT][160], line[HS_LINE_MAX];
	long long deadline = hs_now_ms() + ms, left;
	int n = 0, i;

	for (;;) {
		left = deadline - hs_now_ms();
		if (hs_line_ms(c, line, sizeof line, left < 0 ? 0 : (int)left) <
		    0)
			break;
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			if (out != NULL)
				hs_copy(out, len, line);
			return 0;
		}
		hs_copy(recent[n % HS_RECENT], sizeof recent[0], line);
		n++;
	}
	fprintf(stderr,
	    "harness: expected a line \"%s...\" but got %s after "
	    "%d other lines%s\n",
	    prefix, c->eof ? "EOF" : "nothing more", n,
	    n ? ", the last ones:" : "");
	for (i = n > HS_RECENT ? n - HS_RECENT : 0; i < n; i++)
		fprintf(stderr, "  %s\n", recent[i % HS_RECENT]);
	return -1;
}

int
hs_expect(struct hs_client *c, const char *prefix, char *out, size_t len)
{
	return hs_expect_ms(c, prefix, out, len, hs_wait_ms(HS_WAIT_MS));
}

int
hs_expect_next(struct hs_client *c, const char *prefix, char *out, size_t len)
{
	char line[HS_LINE_MAX];

	if (hs_line(c, line, sizeof line) < 0) {
		fprintf(stderr, "harness: expected \"%s...\" but got %s\n",
		    prefix, c->eof ? "EOF" : "nothing");
		return -1;
	}
	if (strncmp(line, prefix, strlen(prefix)) != 0) {
		fprintf(stderr, "harness: expected \"%s...\" but got \"%s\"\n",
		    prefix, line);
		return -1;
	}
	if (out != NULL)
		hs_copy(out, len, line);
	return 0;
}

int
hs_classic_reply(struct hs_client *c, char *out, size_t outlen)
{
	long long deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS), left;
	char *nul;
	size_t n;

	for (;;) {
		if ((nul = memchr(c->buf, '\0', c->len)) != NULL) {
			n = (size_t)(nul - c->buf) + 1;
			if (n > outlen)
				return -1;
			memcpy(out, c->buf, n);
			c->len -= n;
			memmove(c->buf, c->buf + n, c->len);
			return (int)n;
		}
		if (c->eof) {
			if (c->len == 0)
				return 0;
			fprintf(stderr, "harness: EOF inside a reply: %.*s\n",
			    (int)c->len, c->buf);
			return -1;
		}
		left = deadline - hs_now_ms();
		if (hs_fill(c, left < 0 ? 0 : (int)left) < 0 &&
		    hs_now_ms() >= deadline) {
			fprintf(stderr,
			    "harness: no complete reply; have "
			    "\"%.*s\"\n",
			    (int)c->len, c->buf);
			return -1;
		}
	}
}

int
hs_wait_eof(struct hs_client *c, int ms)
{
	long long deadline = hs_now_ms() + ms, left;

	for (;;) {
		c->len = 0;
		if (c->eof)
			return 0;
		left = deadline - hs_now_ms();
		if (left <= 0)
			return -1;
		hs_fill(c, (int)left);
	}
}

int
hs_quiet(struct hs_client *c, int ms)
{
	if (c->len != 0 || c->eof)
		return -1;
	if (hs_fill(c, ms) != -1)
		return -1;
	return c->len == 0 ? 0 : -1;
}
