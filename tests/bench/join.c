/*
 * join.c - bench_join: a late joiner's snapshot of a large drawing.
 *
 * One session clears the world and draws --draw (100,000 segments by
 * default); then a new connection joins, --joins times after the drawer
 * turned the turtle (the world changed since the last snapshot) and as
 * often again right after that (nothing changed): connect, "hello 1",
 * read to "snap end", counting the segments of the "snap path" lines
 * against "snap world segs=", then quit.  The time is from before the
 * connect to the "snap end" line.  The reference: a plain AF_UNIX server
 * (a child of this process) that answers the hello with the very bytes
 * turtled sent, read by the same code.  Prints one line of flat JSON.
 */
#define _GNU_SOURCE /* memrchr */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "logobench.h"

struct join_opts {
	const char *path;
	const char *draw;
	int joins;
};

/* What one join read. */
struct join_read {
	char *buf;
	size_t len, cap;
	uint64_t segs, world_segs;
	int64_t ns;
};

static void join_usage(void);
static int join_once(const char *, int, struct join_read *, char *, size_t);
static void join_scan(struct join_read *, size_t, int *);
static pid_t join_replay_serve(const char *, const char *, size_t);
static int join_drawing(struct lb_set *, const struct join_opts *);

static void
join_usage(void)
{
	fprintf(
	    stderr, "usage: bench_join -S PATH [--draw LINE] [--joins K]\n");
}

/* Lines in buf[from..]: counts path points, sees "snap end". */
static void
join_scan(struct join_read *r, size_t from, int *end)
{
	char *p = r->buf + from, *stop = r->buf + r->len, *nl, *v;
	size_t len, vlen, i;
	uint64_t n;

	while (p < stop && (nl = memchr(p, '\n', stop - p)) != NULL) {
		len = nl - p;
		if (lb_prefix(p, len, "snap path ") &&
		    (v = (char *)lb_field(p, len, "pts", &vlen)) != NULL) {
			for (n = 0, i = 0; i < vlen; i++)
				n += v[i] == ';';
			r->segs += n;
		} else if (lb_prefix(p, len, "snap world ") &&
			   (v = (char *)lb_field(p, len, "segs", &vlen)) !=
			       NULL) {
			lb_u64(v, vlen, &r->world_segs);
		} else if (lb_prefix(p, len, "snap end ")) {
			*end = 1;
			r->len = nl + 1 - r->buf;
			return;
		}
		p = nl + 1;
	}
}

/* Connect, hello, read to "snap end"; the bytes stay in r->buf. */
static int
join_once(
    const char *path, int j, struct join_read *r, char *why, size_t whylen)
{
	int64_t t0 = lb_now();
	size_t scanned = 0, line0;
	char hello[64];
	ssize_t n;
	int fd, end = 0, hn;

	r->len = 0;
	r->segs = r->world_segs = 0;
	if ((fd = lb_dial(path, why, whylen)) == -1)
		return -1;
	hn = snprintf(hello, sizeof hello, "hello 1 join%d\n", j);
	if (write(fd, hello, hn) != hn) {
		snprintf(why, whylen, "write: %s", strerror(errno));
		close(fd);
		return -1;
	}
	while (!end) {
		if (r->cap - r->len < 65536) {
			r->cap = r->cap ? r->cap * 2 : 1 << 20;
			if ((r->buf = realloc(r->buf, r->cap)) == NULL)
				abort();
		}
		n = read(fd, r->buf + r->len, r->cap - r->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "%s before snap end",
			    n == 0 ? "closed" : strerror(errno));
			close(fd);
			return -1;
		}
		r->len += n;
		/* Back to the start of the partial line. */
		line0 = scanned;
		join_scan(r, line0, &end);
		if (!end) {
			char *nl =
			    memrchr(r->buf + line0, '\n', r->len - line0);
			scanned =
			    nl != NULL ? (size_t)(nl + 1 - r->buf) : line0;
		}
	}
	r->ns = lb_now() - t0;
	if (write(fd, "quit\n", 5) != 5) {
		/* The server may already be gone: the time stands. */
	}
	close(fd);
	return 0;
}

/* The reference: answers each hello with the same bytes, then closes;
 * a child process, so that its writes run beside our reads. */
static pid_t
join_replay_serve(const char *path, const char *bytes, size_t len)
{
	struct sockaddr_un sun;
	char line[256];
	size_t off;
	ssize_t n;
	int lfd, fd;
	pid_t pid;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd == -1 || bind(lfd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(lfd, 16) == -1)
		return -1;
	if ((pid = fork()) != 0) {
		close(lfd);
		return pid;
	}
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			_exit(errno == EINTR ? 0 : 1);
		/* The hello is one short line. */
		n = read(fd, line, sizeof line);
		for (off = 0; n > 0 && off < len; off += n)
			n = write(fd, bytes + off, len - off);
		close(fd);
	}
}

/* Clear the world and draw: the snapshot the joiners will read. */
static int
join_drawing(struct lb_set *set, const struct join_opts *o)
{
	struct lb_session *s = lb_session_new(set, "drawer", 0, 1);

	if (lb_connect_all(set, 60) == -1 || lb_send_line(s, "cs") == -1 ||
	    lb_send_line(s, o->draw) == -1 || lb_drain(set, 60) == -1 ||
	    lb_wait_quiet(set, 60) == -1)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"draw", required_argument, NULL, 'd'},
	    {"joins", required_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
	struct join_opts o = {
	    .draw = "repeat 100000 [fd 0.01 rt 0.1]", .joins = 5};
	struct bench_lat turtled = {0}, again = {0}, replay = {0};
	struct join_read r = {0};
	struct lb_set set;
	char why[256], rpath[256];
	uint64_t segs = 0, world = 0;
	size_t bytes = 0;
	int ch, j, rc = 0, status;
	pid_t child = -1;

	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt_long(argc, argv, "S:", longs, NULL)) != -1) {
		switch (ch) {
		case 'S':
			o.path = optarg;
			break;
		case 'd':
			o.draw = optarg;
			break;
		case 'j':
			o.joins = atoi(optarg);
			break;
		default:
			join_usage();
			return 2;
		}
	}
	if (optind != argc || o.path == NULL || o.joins < 1) {
		join_usage();
		return 2;
	}
	if (lb_set_init(&set, o.path) == -1) {
		perror("bench_join: epoll_create1");
		return 1;
	}
	printf("{\"joins\":%d", o.joins);
	if (join_drawing(&set, &o) == -1)
		rc = 1;
	for (j = 0; rc == 0 && j < 2 * o.joins; j++) {
		/* Odd joins come right after the one before (the server may
		 * have kept the snapshot); even ones after a turn of the
		 * turtle, which changes it. */
		if (j % 2 == 0 && (lb_send_line(set.senders[0], "rt 1") == -1 ||
				      lb_drain(&set, 60) == -1 ||
				      lb_wait_quiet(&set, 60) == -1)) {
			rc = 1;
			break;
		}
		if (join_once(o.path, j, &r, why, sizeof why) == -1) {
			fprintf(
			    stderr, "bench_join: FAIL: join %d: %s\n", j, why);
			rc = 1;
			break;
		}
		bench_lat_add(j % 2 == 0 ? &turtled : &again, r.ns);
		segs = r.segs;
		world = r.world_segs;
		bytes = r.len;
		if (segs != world) {
			fprintf(stderr,
			    "bench_join: FAIL: snap world segs=%llu, "
			    "its paths held %llu\n",
			    (unsigned long long)world,
			    (unsigned long long)segs);
			rc = 1;
		}
		lb_poll(&set, 0); /* the drawer reads the join and leave */
	}
	snprintf(rpath, sizeof rpath, "%s.replay", o.path);
	if (rc == 0 && (child = join_replay_serve(rpath, r.buf, r.len)) == -1) {
		fprintf(stderr, "bench_join: FAIL: the replay server: %s\n",
		    strerror(errno));
		rc = 1;
	}
	for (j = 0; rc == 0 && j < o.joins; j++) {
		if (join_once(rpath, j, &r, why, sizeof why) == -1) {
			fprintf(stderr, "bench_join: FAIL: replay %d: %s\n", j,
			    why);
			rc = 1;
			break;
		}
		bench_lat_add(&replay, r.ns);
	}
	if (rc == 0 && turtled.n > 0)
		printf(",\"snap_bytes\":%zu,\"snap_segs\":%llu"
		       ",\"join_ms\":%.2f,\"join_min_ms\":%.2f"
		       ",\"join_max_ms\":%.2f,\"join_again_ms\":%.2f"
		       ",\"replay_ms\":%.2f,\"replay_min_ms\":%.2f",
		    bytes, (unsigned long long)segs,
		    bench_lat_pct(&turtled, 50) / 1e6,
		    bench_lat_pct(&turtled, 0) / 1e6,
		    bench_lat_pct(&turtled, 100) / 1e6,
		    bench_lat_pct(&again, 50) / 1e6,
		    bench_lat_pct(&replay, 50) / 1e6,
		    bench_lat_pct(&replay, 0) / 1e6);
	if (lb_failed(&set))
		rc = 1;
	printf(",\"errors\":%llu,\"gaps\":%llu,\"lost\":%llu,\"ok\":%d}\n",
	    (unsigned long long)set.errors, (unsigned long long)set.gaps,
	    (unsigned long long)set.lost, rc == 0);
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	unlink(rpath);
	free(r.buf);
	free(turtled.v);
	free(again.v);
	free(replay.v);
	lb_set_free(&set);
	return rc;
}
