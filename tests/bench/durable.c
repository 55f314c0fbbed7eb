/*
 * durable.c - bench_durable: acknowledged moves per second that survive a
 * crash, against Redis with appendfsync always (issue #14).
 *
 *	bench_durable --turtled SOCK | --redis SOCK  [-n CLIENTS] [-w WINDOW]
 *	              [--time SECS]
 *
 * Each of n clients keeps w requests in flight on an AF_UNIX socket and
 * counts the replies for --time seconds: for turtled "run 1 0"/"run -1 0"
 * answered by "ok run" (the events every client also receives are read
 * and skipped: that is turtled's work), for Redis "INCR k" answered by
 * ":N".  Prints {"target":..,"n":..,"acked":..,"per_s":..}.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logobench.h"

#define DUR_MAX_CLIENTS 256
#define DUR_BUF         (1 << 16)

struct dur_client {
	int fd;
	char buf[DUR_BUF];
	size_t len;
	long inflight, acked, sent;
};

static int64_t
dur_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
dur_send(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The next line in c->buf (without its end), or NULL: reads as needed. */
static int
dur_lines(struct dur_client *c, int redis, long *acks, int *hello)
{
	char *p, *nl;
	ssize_t r;

	r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
	if (r <= 0)
		return -1;
	c->len += (size_t)r;
	p = c->buf;
	while ((nl = memchr(p, '\n', c->len - (size_t)(p - c->buf))) != NULL) {
		if (redis ? p[0] == ':' : strncmp(p, "ok run", 6) == 0)
			(*acks)++;
		else if (!redis && strncmp(p, "snap end", 8) == 0)
			*hello = 1;
		else if (p[0] == '-' || strncmp(p, "err ", 4) == 0) {
			fprintf(
			    stderr, "bench_durable: %.*s\n", (int)(nl - p), p);
			return -1;
		}
		p = nl + 1;
	}
	c->len -= (size_t)(p - c->buf);
	memmove(c->buf, p, c->len);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct dur_client cl[DUR_MAX_CLIENTS];
	struct pollfd pfd[DUR_MAX_CLIENTS];
	const char *path = NULL, *target = NULL;
	long n = 10, window = 8, total = 0, acks;
	double secs = 3;
	int64_t start, end;
	int redis = 0, i, hello;
	char line[64], why[256];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--turtled") == 0 && i + 1 < argc) {
			path = argv[++i];
			target = "turtled";
		} else if (strcmp(argv[i], "--redis") == 0 && i + 1 < argc) {
			path = argv[++i];
			target = "redis";
			redis = 1;
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			n = atol(argv[++i]);
		else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
			window = atol(argv[++i]);
		else if (strcmp(argv[i], "--time") == 0 && i + 1 < argc)
			secs = atof(argv[++i]);
		else
			path = NULL, i = argc;
	}
	if (path == NULL || n < 1 || n > DUR_MAX_CLIENTS || window < 1) {
		fprintf(stderr, "usage: bench_durable --turtled SOCK | --redis "
				"SOCK [-n N] [-w WINDOW] [--time SECS]\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if ((cl[i].fd = lb_dial(path, why, sizeof why)) == -1) {
			fprintf(stderr, "bench_durable: %s\n", why);
			return 1;
		}
		if (!redis) {
			snprintf(line, sizeof line, "hello 1 d%d\n", i);
			hello = 0;
			acks = 0;
			if (dur_send(cl[i].fd, line, strlen(line)) != 0)
				return 1;
			while (!hello)
				if (dur_lines(&cl[i], 0, &acks, &hello) != 0)
					return 1;
		}
		pfd[i].fd = cl[i].fd;
		pfd[i].events = POLLIN;
	}
	start = dur_now_ns();
	end = start + (int64_t)(secs * 1e9);
	while (dur_now_ns() < end) {
		for (i = 0; i < n; i++) {
			while (cl[i].inflight < window) {
				if (redis)
					snprintf(line, sizeof line,
					    "INCR k%d\r\n", i);
				else
					snprintf(line, sizeof line,
					    "run %d 0\n",
					    cl[i].sent % 2 == 0 ? 1 : -1);
				if (dur_send(cl[i].fd, line, strlen(line)) != 0)
					return 1;
				cl[i].sent++;
				cl[i].inflight++;
			}
		}
		if (poll(pfd, (nfds_t)n, 100) < 0 && errno != EINTR)
			return 1;
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP)))
				continue;
			acks = 0;
			if (dur_lines(&cl[i], redis, &acks, &hello) != 0)
				return 1;
			cl[i].inflight -= acks;
			cl[i].acked += acks;
		}
	}
	end = dur_now_ns();
	for (i = 0; i < n; i++) {
		total += cl[i].acked;
		close(cl[i].fd);
	}
	printf("{\"target\":\"%s\",\"n\":%ld,\"window\":%ld,\"acked\":%ld,"
	       "\"per_s\":%.0f}\n",
	    target, n, window, total,
	    (double)total * 1e9 / (double)(end - start));
	return 0;
}
