/*
 * dgram.c - datagram ping-pong: the plain reference server, and the pinger
 * that measures it and turtled's PATH.ping endpoint the same way.
 *   bench_dgram serve PATH          answers "ping" with "pong!" + NUL
 *   bench_dgram ping PATH COUNT [INTERVAL_MS]
 *                                   prints {"ping_p50_us":..,...}
 * The pinger autobinds an abstract address, so many can run at once.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DGRAM_TIMEOUT_MS 1000

static int dgram_addr(struct sockaddr_un *, const char *);
static int dgram_serve(const char *);
static int dgram_ping(const char *, long, long);
static int dgram_cmp(const void *, const void *);
static int64_t dgram_now(void);

static int64_t
dgram_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
dgram_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
dgram_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun->sun_path) {
		fprintf(stderr, "bench_dgram: path too long: %s\n", path);
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

static int
dgram_serve(const char *path)
{
	static const char pong[] = "pong!", wrong[] = "wrong string!";
	struct sockaddr_un sun, from;
	socklen_t fromlen;
	char buf[512];
	ssize_t n;
	int fd;

	if (dgram_addr(&sun, path) == -1)
		return 1;
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		fprintf(stderr, "bench_dgram: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(stderr, "bench_dgram: ready on %s\n", path);
	for (;;) {
		fromlen = sizeof from;
		n = recvfrom(fd, buf, sizeof buf - 1, 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "bench_dgram: recvfrom: %s\n",
			    strerror(errno));
			return 1;
		}
		while (n > 0 && (buf[n - 1] == '\0' || buf[n - 1] == '\n'))
			n--;
		if (n == 4 && memcmp(buf, "ping", 4) == 0)
			sendto(fd, pong, sizeof pong, 0,
			    (struct sockaddr *)&from, fromlen);
		else
			sendto(fd, wrong, sizeof wrong, 0,
			    (struct sockaddr *)&from, fromlen);
	}
}

static int
dgram_ping(const char *path, long count, long interval_ms)
{
	struct timespec gap = {.tv_sec = interval_ms / 1000,
	    .tv_nsec = interval_ms % 1000 * 1000000};
	struct sockaddr_un sun, self;
	struct pollfd pfd;
	int64_t *rtt, t0;
	long i, got = 0, lost = 0;
	char buf[512];
	ssize_t n;
	int fd;

	if (dgram_addr(&sun, path) == -1 || count < 1)
		return 2;
	if ((rtt = calloc(count, sizeof *rtt)) == NULL)
		return 1;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&self, 0, sizeof self);
	self.sun_family = AF_UNIX;
	/* An address of only the family autobinds a unique abstract name. */
	if (fd == -1 ||
	    bind(fd, (struct sockaddr *)&self, sizeof self.sun_family) == -1) {
		fprintf(stderr, "bench_dgram: bind: %s\n", strerror(errno));
		goto fail;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (i = 0; i < count; i++) {
		if (i > 0 && interval_ms > 0)
			nanosleep(&gap, NULL);
		t0 = dgram_now();
		if (sendto(fd, "ping", 4, 0, (struct sockaddr *)&sun,
			sizeof sun) != 4) {
			fprintf(stderr, "bench_dgram: sendto %s: %s\n", path,
			    strerror(errno));
			goto fail;
		}
		if (poll(&pfd, 1, DGRAM_TIMEOUT_MS) != 1) {
			lost++;
			continue;
		}
		n = recv(fd, buf, sizeof buf, 0);
		if (n != 6 || memcmp(buf, "pong!", 6) != 0) {
			fprintf(
			    stderr, "bench_dgram: bad reply (%zd bytes)\n", n);
			goto fail;
		}
		rtt[got++] = dgram_now() - t0;
	}
	if (got == 0) {
		fprintf(stderr, "bench_dgram: no reply from %s\n", path);
		goto fail;
	}
	qsort(rtt, got, sizeof *rtt, dgram_cmp);
	printf("{\"ping_count\":%ld,\"ping_lost\":%ld,\"ping_p50_us\":%.2f,"
	       "\"ping_p99_us\":%.2f,\"ping_max_us\":%.2f}\n",
	    got, lost, rtt[(got - 1) / 2] / 1e3,
	    rtt[(size_t)(got * 0.99 + 0.999999) - 1] / 1e3, rtt[got - 1] / 1e3);
	free(rtt);
	close(fd);
	return lost == 0 ? 0 : 1;
fail:
	free(rtt);
	if (fd != -1)
		close(fd);
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return dgram_serve(argv[2]);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "ping") == 0)
		return dgram_ping(
		    argv[2], atol(argv[3]), argc == 5 ? atol(argv[4]) : 0);
	fprintf(stderr, "usage: bench_dgram serve PATH | ping PATH COUNT "
			"[INTERVAL_MS]\n");
	return 2;
}
