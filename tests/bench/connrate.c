/*
 * connrate.c - the connect phase: K connector processes, each in a loop of
 * connect, hello, read the whole snapshot (to "snap end"; for the echo
 * reference, the echo of hello), quit, read its reply, close.
 */
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define CONNRATE_IO_MS 5000

struct connrate_in {
	char buf[16384];
	size_t len;
};

static int connrate_until(
    int, struct connrate_in *, const char *, char *, size_t);
static int connrate_once(const struct bench_opts *, char *, size_t);
static void connrate_child(const struct bench_opts *, int);

/* Reads lines until one starts with want; -1 on error, timeout or EOF. */
static int
connrate_until(
    int fd, struct connrate_in *in, const char *want, char *why, size_t whylen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	size_t wlen = strlen(want);
	char *p, *nl;
	ssize_t n;

	for (;;) {
		p = in->buf;
		while (
		    (nl = memchr(p, '\n', in->len - (p - in->buf))) != NULL) {
			if ((size_t)(nl - p) >= wlen &&
			    memcmp(p, want, wlen) == 0) {
				in->len = 0;
				return 0;
			}
			if (strncmp(p, "err ", 4) == 0) {
				snprintf(why, whylen, "server said: %.*s",
				    (int)(nl - p), p);
				return -1;
			}
			p = nl + 1;
		}
		in->len -= p - in->buf;
		memmove(in->buf, p, in->len);
		if (in->len == sizeof in->buf) {
			snprintf(why, whylen, "a line over %zu bytes",
			    sizeof in->buf);
			return -1;
		}
		if (poll(&pfd, 1, CONNRATE_IO_MS) != 1) {
			snprintf(why, whylen, "no \"%s\" within %d ms", want,
			    CONNRATE_IO_MS);
			return -1;
		}
		n = read(fd, in->buf + in->len, sizeof in->buf - in->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen,
			    "connection %s waiting for %s (unread: %.*s)",
			    n == 0 ? "closed" : strerror(errno), want,
			    (int)(in->len < 200 ? in->len : 200), in->buf);
			return -1;
		}
		in->len += n;
	}
}

static int
connrate_once(const struct bench_opts *o, char *why, size_t whylen)
{
	static const char hello[] = "hello 1 bench\n", quit[] = "quit\n";
	struct connrate_in in;
	int fd, rc = -1;

	in.len = 0;
	if ((fd = bench_dial(o, why, whylen)) == -1)
		return -1;
	if (write(fd, hello, sizeof hello - 1) != sizeof hello - 1) {
		snprintf(why, whylen, "write hello: %s", strerror(errno));
		goto out;
	}
	if (connrate_until(fd, &in,
		o->target == BENCH_ECHO ? "hello 1 " : "snap end ", why,
		whylen) == -1)
		goto out;
	if (write(fd, quit, sizeof quit - 1) != sizeof quit - 1) {
		snprintf(why, whylen, "write quit: %s", strerror(errno));
		goto out;
	}
	if (connrate_until(fd, &in,
		o->target == BENCH_ECHO ? "quit" : "ok quit", why,
		whylen) == -1)
		goto out;
	rc = 0;
out:
	close(fd);
	return rc;
}

/*
 * Writes "count errors elapsed_ns first-error" to the pipe and exits.  A
 * failed cycle is counted and the loop goes on, so one server bug does
 * not hide the rate; any error fails the run all the same.
 */
static void
connrate_child(const struct bench_opts *o, int wfd)
{
	int64_t start = bench_now(), end;
	long long count = 0, errors = 0;
	char why[256], first[256] = "-", out[600];
	int n;

	end = start + (int64_t)(o->connect_secs * 1e9);
	while (bench_now() < end) {
		if (connrate_once(o, why, sizeof why) == -1) {
			if (errors++ == 0)
				snprintf(first, sizeof first, "%s", why);
			continue;
		}
		count++;
	}
	n = snprintf(out, sizeof out, "%lld %lld %lld %s\n", count, errors,
	    (long long)(bench_now() - start), first);
	if (n >= (int)sizeof out)
		n = sizeof out - 1;
	out[n - 1] = '\n';
	if (write(wfd, out, n) != n)
		_exit(2);
	_exit(0);
}

int
bench_connrate(const struct bench_opts *o, double *rate, long long *errors,
    char *why, size_t whylen)
{
	int fds[2], i, status, rc = 0;
	long long count, ns, errs;
	int off = 0;
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	char *p, *nl;

	if (pipe(fds) == -1) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < o->connectors; i++) {
		if ((pid = fork()) == -1) {
			snprintf(why, whylen, "fork: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (pid == 0) {
			close(fds[0]);
			connrate_child(o, fds[1]);
		}
	}
	close(fds[1]);
	while (len < sizeof buf - 1 &&
	       (n = read(fds[0], buf + len, sizeof buf - 1 - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		len += n;
	}
	close(fds[0]);
	buf[len] = '\0';
	while (waitpid(-1, &status, 0) > 0 || errno == EINTR)
		;
	*rate = 0;
	*errors = 0;
	for (p = buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		if (sscanf(p, "%lld %lld %lld %n", &count, &errs, &ns, &off) <
		    3)
			continue;
		if (ns > 0)
			*rate += count / (ns / 1e9);
		if (errs > 0 && *errors == 0)
			snprintf(why, whylen, "%s", p + off);
		*errors += errs;
	}
	if (*errors > 0)
		rc = -1;
	return rc;
}
