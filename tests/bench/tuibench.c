/*
 * tuibench.c - bench_tui: the CPU the turtle client spends drawing.
 *
 * Runs the real `turtle` in a pseudo-terminal (forkpty, 200x50,
 * TERM=xterm-256color) against a feeder that plays the server: it answers
 * hello with a snapshot holding a trail of --trail segments, then sends
 * --events events (moves, some says and colours) and a final say holding a
 * marker.  The client's CPU comes from /proc/PID/schedstat (ns); the
 * longest frame's, from what it writes at exit (TURTLE_FRAME_STATS).
 * Prints {"snapshot_cpu_ms":..,"burst_cpu_ms":..,"idle_cpu_ms":..,
 * "frames":..,"frame_max_ms":..}.
 */
/* accept4(), nftw(), forkpty(). */
#define _GNU_SOURCE

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <linux/sockios.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

#define TB_MARKER   "Zq7Xj3Kp"
#define TB_WAIT_NS  (60 * 1000000000LL)
#define TB_QUIET_NS (300 * 1000000LL)

struct tb {
	const char *turtle;
	int cols, rows;
	long events, trail;
	double idle;
	char dir[64];
	char frames[96]; /* where the client writes its frame figures */
	int lfd, cfd, pty;
	pid_t pid;
	char *out; /* bytes queued for the client */
	size_t outlen, outoff, outcap;
	char tail[256]; /* the last pty bytes, to find the marker */
	size_t taillen;
	int marker_seen;
	struct world w;
	uint64_t seq;
	char inbuf[4096];
	size_t inlen;
	int hello_done;
	FILE *dump; /* --dump: every byte the client drew */
};

static int64_t tb_now(void);
static long long tb_cpu_ns(pid_t);
static int tb_queue(struct tb *, const char *, size_t);
static int tb_emit(const char *, size_t, void *);
static void tb_walk(struct tb *, long, int);
static int tb_hello(struct tb *);
static int tb_client_line(struct tb *, const char *);
static int tb_pump(struct tb *, int);
static int tb_settle(struct tb *, int);
static int tb_listen(struct tb *);
static void tb_spawn(struct tb *);
static void tb_stop(struct tb *);
static int tb_rm(const char *, const struct stat *, int, struct FTW *);

static int64_t
tb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The ns a process has run: schedstat, else utime+stime from stat. */
static long long
tb_cpu_ns(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ns, ut, st;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%llu", &ns) == 1) {
			fclose(f);
			return (long long)ns;
		}
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof buf, f) == NULL ||
	    (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2,
		"%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
		"%*u %llu %llu",
		&ut, &st) != 2) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return (long long)(ut + st) * (1000000000LL / sysconf(_SC_CLK_TCK));
}

static int
tb_queue(struct tb *t, const char *p, size_t len)
{
	char *n;

	if (t->outlen + len > t->outcap) {
		t->outcap = (t->outlen + len) * 2;
		if ((n = realloc(t->out, t->outcap)) == NULL)
			return -1;
		t->out = n;
	}
	memcpy(t->out + t->outlen, p, len);
	t->outlen += len;
	return 0;
}

static int
tb_emit(const char *line, size_t len, void *arg)
{
	return tb_queue(arg, line, len);
}

/* Moves the turtle n times in a bounded random walk; with send, each move
 * (and every 10th a say, every 97th a colour) is queued as an event. */
static void
tb_walk(struct tb *t, long n, int send)
{
	struct proto_cmd cmd;
	struct proto_event ev;
	struct proto_buf b;
	char line[PROTO_OUT_MAX], why[PROTO_WHY_MAX];
	long i;
	int step;

	for (i = 0; i < n; i++) {
		memset(&cmd, 0, sizeof cmd);
		if (send && i % 97 == 96) {
			cmd.type = PROTO_CMD_COLOR;
			cmd.color = 1 + i % 7;
		} else if (send && i % 10 == 9) {
			cmd.type = PROTO_CMD_SAY;
			snprintf(cmd.text, sizeof cmd.text, "message %ld", i);
		} else {
			cmd.type = PROTO_CMD_RUN;
			step = 1 + random() % 12;
			if (random() % 2)
				cmd.dx = random() % 2 ? step : -step;
			else
				cmd.dy = random() % 2 ? step : -step;
		}
		memset(&ev, 0, sizeof ev);
		if (world_apply(&t->w, &cmd, &ev, why, sizeof why) !=
		    PROTO_OK) {
			i--; /* off the edge: draw another move */
			continue;
		}
		if (!send)
			continue;
		ev.cid = 2;
		strcpy(ev.name, "feeder");
		proto_buf_init(&b, line, sizeof line);
		if (proto_event_format(&b, ++t->seq, &ev) == 0)
			tb_queue(t, b.p, b.len);
	}
}

/* ok hello, the snapshot of the world and two clients, snap end. */
static int
tb_hello(struct tb *t)
{
	char line[PROTO_OUT_MAX];
	int n;

	n = snprintf(line, sizeof line,
	    "ok hello cid=1 name=bench given=bench version=1 mode=free\n");
	tb_queue(t, line, n);
	if (world_snapshot(&t->w, tb_emit, t) != 0)
		return -1;
	n = snprintf(line, sizeof line,
	    "snap client cid=1 name=bench since=%lld\n"
	    "snap client cid=2 name=feeder since=%lld\n"
	    "snap end seq=%llu mode=free turn=0 clients=2\n",
	    (long long)time(NULL), (long long)time(NULL),
	    (unsigned long long)t->seq);
	tb_queue(t, line, n);
	t->hello_done = 1;
	return 0;
}

/* Answers what the client sends: hello, and a bare ok to the rest. */
static int
tb_client_line(struct tb *t, const char *line)
{
	char word[32], reply[64];
	int n;

	if (strncmp(line, "hello ", 6) == 0)
		return t->hello_done ? 0 : tb_hello(t);
	if (sscanf(line, "%31s", word) != 1)
		return 0;
	if (strcmp(word, "who") == 0)
		n = snprintf(reply, sizeof reply, "ok who count=0\n");
	else if (strcmp(word, "help") == 0)
		n = snprintf(reply, sizeof reply, "ok help count=0\n");
	else
		n = snprintf(reply, sizeof reply, "ok %s\n", word);
	return tb_queue(t, reply, n);
}

/* One turn: accept, read the client, write what is queued, drain the pty.
 * Returns -1 when the client died. */
static int
tb_pump(struct tb *t, int timeout_ms)
{
	struct pollfd pfd[3];
	char buf[65536], *nl, *p;
	ssize_t n;
	size_t keep;
	int np = 0, i;

	pfd[np].fd = t->pty;
	pfd[np++].events = POLLIN;
	if (t->cfd == -1)
		pfd[np].fd = t->lfd;
	else
		pfd[np].fd = t->cfd;
	pfd[np].events = POLLIN;
	if (t->cfd != -1 && t->outoff < t->outlen)
		pfd[np].events |= POLLOUT;
	np++;
	if (poll(pfd, np, timeout_ms) == -1 && errno != EINTR)
		return -1;
	if (pfd[0].revents & (POLLIN | POLLHUP)) {
		n = read(t->pty, buf, sizeof buf);
		if (n <= 0)
			return -1;
		if (t->dump != NULL)
			fwrite(buf, 1, n, t->dump);
		/* Keep a tail so a marker split across reads is found. */
		for (i = 0; i < n; i++) {
			if (t->taillen == sizeof t->tail) {
				keep = sizeof TB_MARKER;
				memmove(
				    t->tail, t->tail + t->taillen - keep, keep);
				t->taillen = keep;
			}
			t->tail[t->taillen++] = buf[i];
			if (buf[i] == TB_MARKER[sizeof TB_MARKER - 2] &&
			    t->taillen >= sizeof TB_MARKER - 1 &&
			    memcmp(
				t->tail + t->taillen - (sizeof TB_MARKER - 1),
				TB_MARKER, sizeof TB_MARKER - 1) == 0)
				t->marker_seen = 1;
		}
	}
	if (t->cfd == -1) {
		if (pfd[1].revents & POLLIN) {
			t->cfd = accept4(t->lfd, NULL, NULL, SOCK_NONBLOCK);
			if (t->cfd == -1)
				return -1;
		}
		return 0;
	}
	if (pfd[1].revents & POLLIN) {
		n = read(t->cfd, t->inbuf + t->inlen,
		    sizeof t->inbuf - 1 - t->inlen);
		if (n == 0)
			return -1;
		if (n > 0) {
			t->inlen += n;
			t->inbuf[t->inlen] = '\0';
			p = t->inbuf;
			while ((nl = strchr(p, '\n')) != NULL) {
				*nl = '\0';
				tb_client_line(t, p);
				p = nl + 1;
			}
			t->inlen -= p - t->inbuf;
			memmove(t->inbuf, p, t->inlen);
			if (t->inlen == sizeof t->inbuf - 1)
				t->inlen = 0;
		}
	}
	if (t->outoff < t->outlen) {
		n = write(t->cfd, t->out + t->outoff, t->outlen - t->outoff);
		if (n > 0)
			t->outoff += n;
		else if (n == -1 && errno != EAGAIN)
			return -1;
		if (t->outoff == t->outlen)
			t->outoff = t->outlen = 0;
	}
	return 0;
}

/* Waits until the client has read everything queued (SIOCOUTQ 0), has the
 * marker on screen if asked, and its CPU time stops moving. */
static int
tb_settle(struct tb *t, int want_marker)
{
	int64_t deadline = tb_now() + TB_WAIT_NS, quiet_since = 0, now;
	long long cpu = -1, c;
	int unread;

	while ((now = tb_now()) < deadline) {
		if (tb_pump(t, 20) == -1)
			return -1;
		if (t->cfd == -1 || t->outlen > 0)
			continue;
		if (ioctl(t->cfd, SIOCOUTQ, &unread) == -1 || unread > 0)
			continue;
		if (want_marker && !t->marker_seen)
			continue;
		c = tb_cpu_ns(t->pid);
		if (c != cpu) {
			cpu = c;
			quiet_since = now;
		} else if (now - quiet_since >= TB_QUIET_NS)
			return 0;
	}
	fprintf(stderr, "bench_tui: the client did not settle in %lld s%s\n",
	    TB_WAIT_NS / 1000000000,
	    want_marker && !t->marker_seen ? " (the marker never showed)" : "");
	return -1;
}

static int
tb_listen(struct tb *t)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/sock", t->dir);
	t->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->lfd == -1 ||
	    bind(t->lfd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(t->lfd, 4) == -1) {
		fprintf(stderr, "bench_tui: %s: %s\n", sun.sun_path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void
tb_spawn(struct tb *t)
{
	struct winsize ws = {.ws_row = t->rows, .ws_col = t->cols};
	char sock[128];

	t->pid = forkpty(&t->pty, NULL, NULL, &ws);
	if (t->pid == -1) {
		fprintf(stderr, "bench_tui: forkpty: %s\n", strerror(errno));
		exit(1);
	}
	if (t->pid != 0)
		return;
	snprintf(sock, sizeof sock, "%s/sock", t->dir);
	setenv("TERM", "xterm-256color", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("TURTLE_FRAME_STATS", t->frames, 1);
	setenv("HOME", t->dir, 1);
	setenv("XDG_STATE_HOME", t->dir, 1);
	unsetenv("NO_COLOR");
	execl(t->turtle, t->turtle, "-S", sock, "--no-start", "-n", "bench",
	    (char *)NULL);
	fprintf(stderr, "bench_tui: exec %s: %s\n", t->turtle, strerror(errno));
	_exit(127);
}

static int
tb_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
tb_stop(struct tb *t)
{
	int i, status;

	if (t->pid <= 0)
		return;
	kill(t->pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(t->pid, &status, WNOHANG) == t->pid)
			return;
		tb_pump(t, 20);
	}
	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
}

int
main(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"turtle", required_argument, NULL, 't'},
	    {"events", required_argument, NULL, 'e'},
	    {"trail", required_argument, NULL, 'r'},
	    {"idle", required_argument, NULL, 'i'},
	    {"size", required_argument, NULL, 's'},
	    {"dump", required_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
	struct tb t;
	struct proto_event ev;
	struct proto_buf b;
	char line[PROTO_OUT_MAX];
	long long c0, c1, c2, c3, frame_max_us = 0;
	unsigned long long frames = 0;
	FILE *f;
	int64_t end;
	int ch, rc = 1;

	memset(&t, 0, sizeof t);
	t.cols = 200;
	t.rows = 50;
	t.events = t.trail = 10000;
	t.idle = 10;
	t.cfd = -1;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 't':
			t.turtle = optarg;
			break;
		case 'e':
			t.events = atol(optarg);
			break;
		case 'r':
			t.trail = atol(optarg);
			break;
		case 'i':
			t.idle = atof(optarg);
			break;
		case 'D':
			if ((t.dump = fopen(optarg, "w")) == NULL)
				t.turtle = NULL;
			break;
		case 's':
			if (sscanf(optarg, "%dx%d", &t.cols, &t.rows) != 2)
				t.turtle = NULL;
			break;
		default:
			t.turtle = NULL;
		}
	}
	if (t.turtle == NULL || t.events < 1 || t.trail < 1) {
		fprintf(stderr,
		    "usage: bench_tui --turtle PATH [--events N] "
		    "[--trail N] [--idle SECS] [--size WxH] [--dump FILE]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	srandom(7);
	snprintf(t.dir, sizeof t.dir, "/tmp/turtlebench-tui.XXXXXX");
	if (mkdtemp(t.dir) == NULL || tb_listen(&t) == -1)
		return 1;
	snprintf(t.frames, sizeof t.frames, "%s/frames", t.dir);
	if (world_init(&t.w, WORLD_HALF_DEFAULT, WORLD_HALF_DEFAULT, t.trail) !=
	    0)
		return 1;
	tb_walk(&t, t.trail, 0);
	t.seq = 1000;
	tb_spawn(&t);

	/* Startup and the snapshot with its trail. */
	if (tb_settle(&t, 0) == -1)
		goto out;
	c0 = tb_cpu_ns(t.pid);

	/* The burst, then the marker. */
	tb_walk(&t, t.events, 1);
	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_SAY;
	ev.cid = 2;
	strcpy(ev.name, "feeder");
	strcpy(ev.text, TB_MARKER);
	proto_buf_init(&b, line, sizeof line);
	if (proto_event_format(&b, ++t.seq, &ev) == 0)
		tb_queue(&t, b.p, b.len);
	if (tb_settle(&t, 1) == -1)
		goto out;
	c1 = tb_cpu_ns(t.pid);
	if (t.dump != NULL) {
		fclose(t.dump); /* the screen after the burst, not the exit */
		t.dump = NULL;
	}

	/* Idle: nothing comes in. */
	c2 = c1;
	end = tb_now() + (int64_t)(t.idle * 1e9);
	while (tb_now() < end)
		if (tb_pump(&t, 100) == -1)
			goto out;
	c3 = tb_cpu_ns(t.pid);
	/* The client writes its frames' figures as it exits. */
	tb_stop(&t);
	if ((f = fopen(t.frames, "r")) != NULL) {
		if (fscanf(f, "frames %llu max_us %lld", &frames,
			&frame_max_us) != 2)
			frames = 0;
		fclose(f);
		remove(t.frames);
	}
	printf("{\"snapshot_cpu_ms\":%.2f,\"burst_cpu_ms\":%.2f,"
	       "\"burst_us_per_event\":%.2f,\"idle_cpu_ms\":%.3f,"
	       "\"idle_secs\":%.1f,\"events\":%ld,\"trail\":%ld,"
	       "\"frames\":%llu,\"frame_max_ms\":%.2f}\n",
	    c0 / 1e6, (c1 - c0) / 1e6, (c1 - c0) / 1e3 / t.events,
	    (c3 - c2) / 1e6, t.idle, t.events, t.trail, frames,
	    frame_max_us / 1e3);
	rc = 0;
out:
	tb_stop(&t);
	if (rc != 0 && t.pid > 0)
		fprintf(stderr,
		    "bench_tui: the client's last screen bytes: "
		    "%.*s\n",
		    (int)t.taillen, t.tail);
	nftw(t.dir, tb_rm, 8, FTW_DEPTH | FTW_PHYS);
	if (t.dump != NULL)
		fclose(t.dump);
	free(t.out);
	world_free(&t.w);
	return rc;
}
