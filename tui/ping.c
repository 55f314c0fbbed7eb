/*
 * ping.c - "turtle ping" and "turtle status" over the server's datagram
 * endpoint (PATH.ping beside an AF_UNIX socket, UDP on the port of a TCP
 * one).
 *
 * The endpoint answers "ping" with "pong!" and carries no sequence number,
 * so one probe is out at a time: the next goes when the reply is in (or
 * its wait is over) and the interval has passed.  Each pinger binds its
 * own address (an abstract autobind name for AF_UNIX) and connects to the
 * endpoint, so any number can run at once and each gets only its replies.
 */
#include "tui.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#define PING_WAIT_DEFAULT 2.0 /* seconds for a reply */
#define PING_INTERVAL_MIN 0.001
#define PING_SECONDS_MAX  3600.0

struct ping {
	const char *what; /* "ping" or "status" */
	char where[300];  /* "unix:PATH.ping", "udp:HOST:PORT" */
	int fd;
	struct sockaddr_storage to;
	socklen_t tolen;

	long count; /* probes to send, 0 for no end */
	double interval, wait;

	struct event_base *base;
	struct event *rd, *timer, *sigint, *sigterm;

	long sent, received;
	int connected;           /* p->fd is connected to the endpoint */
	int waiting;             /* a probe is out */
	struct timespec sent_at; /* of the last probe */
	double min, max, sum, sum2;
	int last_errno; /* of the last probe that could not be sent */
	int status;
};

static void ping_error(const char *, ...) __attribute__((format(printf, 1, 2)));
static int ping_seconds(const char *, const char *, double, double *);
static int ping_count(const char *, long *);
static int ping_open(struct ping *, const struct tui_addr *);
static int ping_open_unix(struct ping *, const struct tui_addr *);
static int ping_open_udp(struct ping *, const struct tui_addr *);
static const char *ping_why(int);
static double ping_since_ms(const struct timespec *);
static void ping_schedule(struct ping *, double);
static void ping_probe(struct ping *);
static void ping_next(struct ping *);
static void ping_finish(struct ping *);
static double ping_sqrt(double);
static void ping_read_cb(evutil_socket_t, short, void *);
static void ping_timer_cb(evutil_socket_t, short, void *);
static void ping_signal_cb(evutil_socket_t, short, void *);
static int ping_run(struct ping *);
static int ping_status(struct ping *);
static void ping_usage(const char *);

static void
ping_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "turtle: %s\n", line);
}

/* A number of seconds like ping(8) takes them: "1", "0.2". */
static int
ping_seconds(const char *opt, const char *s, double min, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= min) ||
	    v > PING_SECONDS_MAX) {
		ping_error("%s needs seconds from %g to %g, not \"%s\"", opt,
		    min, PING_SECONDS_MAX, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
ping_count(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    v > 1000000000L) {
		ping_error(
		    "-c needs a count from 1 to 1000000000, not \"%s\"", s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
ping_open_unix(struct ping *p, const struct tui_addr *addr)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&p->to;
	sa_family_t family = AF_UNIX;

	memset(&p->to, 0, sizeof p->to);
	sun->sun_family = AF_UNIX;
	if (common_path_ping(sun->sun_path, sizeof sun->sun_path, addr->path) !=
	    0) {
		ping_error("socket path too long: %s.ping", addr->path);
		return -1;
	}
	p->tolen = sizeof *sun;
	snprintf(p->where, sizeof p->where, "unix:%s", sun->sun_path);

	p->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->fd == -1) {
		ping_error("socket: %s", strerror(errno));
		return -1;
	}
	/*
	 * Binding only the family asks Linux for a unique abstract name:
	 * the server has an address to answer to and nothing is left in the
	 * file system when we exit.
	 */
	if (bind(p->fd, (struct sockaddr *)&family, sizeof family) == -1) {
		ping_error("binding a reply address: %s", strerror(errno));
		close(p->fd);
		return -1;
	}
	return 0;
}

static int
ping_open_udp(struct ping *p, const struct tui_addr *addr)
{
	struct addrinfo hints, *res;
	int error;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	error = getaddrinfo(addr->host, addr->port, &hints, &res);
	if (error != 0) {
		ping_error("%s: %s", addr->host, gai_strerror(error));
		return -1;
	}
	memcpy(&p->to, res->ai_addr, res->ai_addrlen);
	p->tolen = res->ai_addrlen;
	p->fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	freeaddrinfo(res);
	if (p->fd == -1) {
		ping_error("socket: %s", strerror(errno));
		return -1;
	}
	if (strchr(addr->host, ':') != NULL)
		snprintf(p->where, sizeof p->where, "udp:[%s]:%s", addr->host,
		    addr->port);
	else
		snprintf(p->where, sizeof p->where, "udp:%s:%s", addr->host,
		    addr->port);
	return 0;
}

static int
ping_open(struct ping *p, const struct tui_addr *addr)
{
	if (addr->is_tcp)
		return ping_open_udp(p, addr);
	return ping_open_unix(p, addr);
}

/* Why a probe could not be sent, in the words a user can act on. */
static const char *
ping_why(int err)
{
	switch (err) {
	case ENOENT:
		return "No such file or directory (no server there)";
	case ECONNREFUSED:
		return "Connection refused (a stale socket: no server there)";
	case EAGAIN:
		return "the endpoint does not read (its queue is full)";
	default:
		return strerror(err);
	}
}

static double
ping_since_ms(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1000.0 +
	       (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

static void
ping_schedule(struct ping *p, double ms)
{
	struct timeval tv;

	if (ms < 0)
		ms = 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms - (double)tv.tv_sec * 1000) * 1000);
	evtimer_add(p->timer, &tv);
}

static void
ping_probe(struct ping *p)
{
	const char *req =
	    proto_dgram_word(strcmp(p->what, "ping") == 0 ? PROTO_DGRAM_PING
							  : PROTO_DGRAM_STATUS);
	char stale[PROTO_DGRAM_MAX];
	ssize_t n;

	/* A late answer to an earlier probe must not time this one. */
	while (recv(p->fd, stale, sizeof stale, MSG_DONTWAIT) != -1 ||
	       errno == EINTR)
		;
	p->sent++;
	/*
	 * Connected once, and again only after a probe was lost: that finds
	 * a restarted server without timing a path lookup in every probe.
	 * A connected socket takes datagrams from the endpoint only.
	 */
	if (!p->connected &&
	    connect(p->fd, (struct sockaddr *)&p->to, p->tolen) == 0)
		p->connected = 1;
	/* The clock starts at the send: what is timed is the round trip. */
	clock_gettime(CLOCK_MONOTONIC, &p->sent_at);
	/*
	 * Never blocking: an endpoint that does not read fills its queue,
	 * and a blocking send would then wait past every deadline.
	 */
	if (p->connected)
		n = send(p->fd, req, strlen(req), MSG_NOSIGNAL | MSG_DONTWAIT);
	else
		n = -1;
	if (n == -1) {
		/* No server (yet): a lost probe, as ping(8) counts it. */
		p->last_errno = errno;
		p->connected = 0;
		if (strcmp(p->what, "ping") == 0)
			ping_error("%s: seq=%ld: %s", p->where, p->sent,
			    ping_why(errno));
		p->waiting = 0;
		ping_next(p);
		return;
	}
	p->waiting = 1;
	ping_schedule(p, p->wait * 1000);
}

/* After a reply or a lost probe: the next one, or the end. */
static void
ping_next(struct ping *p)
{
	if (p->count != 0 && p->sent >= p->count) {
		ping_finish(p);
		return;
	}
	ping_schedule(p, p->interval * 1000 - ping_since_ms(&p->sent_at));
}

/* Newton's method: ping(8)'s mdev without pulling in libm. */
static double
ping_sqrt(double v)
{
	double x = v > 1 ? v : 1;
	int i;

	if (v <= 0)
		return 0;
	for (i = 0; i < 64; i++)
		x = (x + v / x) / 2;
	return x;
}

static void
ping_finish(struct ping *p)
{
	double avg, mdev;
	long loss = 0;

	if (strcmp(p->what, "ping") == 0) {
		if (p->sent > 0)
			loss = (p->sent - p->received) * 100 / p->sent;
		printf("\n--- %s ping statistics ---\n", p->where);
		printf("%ld sent, %ld received, %ld%% loss\n", p->sent,
		    p->received, loss);
		if (p->received > 0) {
			avg = p->sum / (double)p->received;
			mdev = ping_sqrt(
			    p->sum2 / (double)p->received - avg * avg);
			printf(
			    "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n",
			    p->min, avg, p->max, mdev);
		}
		p->status = p->received > 0 ? TUI_EXIT_OK : TUI_EXIT_ERROR;
	} else if (p->received > 0)
		p->status = TUI_EXIT_OK;
	else if (p->last_errno != 0) {
		ping_error(
		    "cannot reach %s: %s", p->where, ping_why(p->last_errno));
		p->status = TUI_EXIT_CONNECT;
	} else {
		ping_error("no answer from %s", p->where);
		p->status = TUI_EXIT_ERROR;
	}
	event_base_loopbreak(p->base);
}

static void
ping_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ping *p = arg;
	const char *pong = proto_dgram_reply(PROTO_DGRAM_PING);
	char buf[PROTO_DGRAM_MAX], clean[PROTO_DGRAM_MAX * 4 + 1];
	ssize_t n;
	size_t len;
	double ms;

	(void)what;
	n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n == -1) {
		/* A refused UDP probe shows here; it counts as lost. */
		if (errno != EAGAIN && errno != EINTR)
			p->last_errno = errno;
		return;
	}
	/* Late answers to a probe already given up are not counted. */
	if (!p->waiting)
		return;
	ms = ping_since_ms(&p->sent_at);

	/* The text ends at its NUL (or newline), like the lecture's. */
	len = proto_dgram_text(buf, (size_t)n);
	if (strcmp(p->what, "status") == 0) {
		proto_text_escape(clean, sizeof clean, buf, len);
		printf("%s\n", clean);
	} else if (len == strlen(pong) && memcmp(buf, pong, len) == 0)
		printf("%zd bytes from %s: seq=%ld time=%.3f ms\n", n, p->where,
		    p->sent, ms);
	else {
		proto_text_escape(clean, sizeof clean, buf, len);
		ping_error("%s: seq=%ld: unexpected answer \"%s\"", p->where,
		    p->sent, clean);
		return;
	}
	fflush(stdout);

	p->waiting = 0;
	p->received++;
	if (p->received == 1 || ms < p->min)
		p->min = ms;
	if (ms > p->max)
		p->max = ms;
	p->sum += ms;
	p->sum2 += ms * ms;
	if (strcmp(p->what, "status") == 0)
		ping_finish(p);
	else
		ping_next(p);
}

static void
ping_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ping *p = arg;

	(void)fd;
	(void)what;
	if (p->waiting) {
		p->waiting = 0; /* lost */
		p->connected = 0;
		ping_next(p);
		return;
	}
	ping_probe(p);
}

static void
ping_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	ping_finish(arg);
}

static int
ping_run(struct ping *p)
{
	p->status = TUI_EXIT_ERROR;
	p->base = event_base_new();
	if (p->base == NULL) {
		ping_error("cannot create an event loop");
		return TUI_EXIT_ERROR;
	}
	p->rd =
	    event_new(p->base, p->fd, EV_READ | EV_PERSIST, ping_read_cb, p);
	p->timer = evtimer_new(p->base, ping_timer_cb, p);
	p->sigint = evsignal_new(p->base, SIGINT, ping_signal_cb, p);
	p->sigterm = evsignal_new(p->base, SIGTERM, ping_signal_cb, p);
	if (p->rd == NULL || p->timer == NULL || p->sigint == NULL ||
	    p->sigterm == NULL || event_add(p->rd, NULL) == -1 ||
	    event_add(p->sigint, NULL) == -1 ||
	    event_add(p->sigterm, NULL) == -1)
		ping_error("cannot set up the event loop");
	else {
		if (strcmp(p->what, "ping") == 0) {
			printf("PING %s\n", p->where);
			fflush(stdout);
		}
		/*
		 * The first probe goes from the loop too: one that fails at
		 * once may be the last, and its loopbreak must find the loop
		 * running (event_base_dispatch() forgets an earlier one).
		 */
		ping_schedule(p, 0);
		event_base_dispatch(p->base);
	}
	if (p->rd != NULL)
		event_free(p->rd);
	if (p->timer != NULL)
		event_free(p->timer);
	if (p->sigint != NULL)
		event_free(p->sigint);
	if (p->sigterm != NULL)
		event_free(p->sigterm);
	event_base_free(p->base);
	return p->status;
}

/*
 * One status request; a lost datagram (UDP) is sent again within the
 * wait, so a single drop does not fail the command.  The first answer
 * ends it.
 */
static int
ping_status(struct ping *p)
{
	p->count = 3;
	p->wait /= 3;
	p->interval = 0;
	return ping_run(p);
}

static void
ping_usage(const char *what)
{
	if (strcmp(what, "ping") == 0)
		fprintf(stderr,
		    "usage: turtle [-S PATH | -s HOST:PORT] ping [-c COUNT] "
		    "[-i INTERVAL] [-W TIMEOUT] [-S PATH | -s HOST:PORT]\n");
	else
		fprintf(stderr, "usage: turtle [-S PATH | -s HOST:PORT] status "
				"[-W TIMEOUT] [-S PATH | -s HOST:PORT]\n");
}

/*
 * The subcommand's own options, and -S or -s, which a user may well put
 * after the subcommand ("turtle status -S PATH") as after any other.
 */
int
ping_args(struct ping_args *a, int argc, char **argv)
{
	int is_ping = strcmp(argv[0], "ping") == 0, ch;

	memset(a, 0, sizeof *a);
	a->what = is_ping ? "ping" : "status";
	a->interval = 1.0;
	a->wait = PING_WAIT_DEFAULT;

	optind = 0; /* glibc: start afresh on the subcommand's arguments */
	while ((ch = getopt(argc, argv, is_ping ? "+c:i:W:S:s:" : "+W:S:s:")) !=
	       -1) {
		switch (ch) {
		case 'c':
			if (ping_count(optarg, &a->count) == -1)
				return -1;
			break;
		case 'i':
			if (ping_seconds("-i", optarg, PING_INTERVAL_MIN,
				&a->interval) == -1)
				return -1;
			break;
		case 'W':
			if (ping_seconds("-W", optarg, PING_INTERVAL_MIN,
				&a->wait) == -1)
				return -1;
			break;
		case 'S':
			a->path = optarg;
			break;
		case 's':
			a->hostport = optarg;
			break;
		default:
			ping_usage(a->what);
			return -1;
		}
	}
	if (optind != argc) {
		ping_usage(a->what);
		return -1;
	}
	return 0;
}

int
ping_main(const struct ping_args *a, const struct tui_opts *opts)
{
	struct ping p;
	int is_ping = strcmp(a->what, "ping") == 0, rc;

	memset(&p, 0, sizeof p);
	p.what = a->what;
	p.count = a->count;
	p.interval = a->interval;
	p.wait = a->wait;

	if (ping_open(&p, &opts->addr) == -1)
		return is_ping ? TUI_EXIT_ERROR : TUI_EXIT_CONNECT;
	rc = is_ping ? ping_run(&p) : ping_status(&p);
	close(p.fd);
	if (fflush(stdout) == EOF)
		return TUI_EXIT_ERROR;
	return rc;
}
