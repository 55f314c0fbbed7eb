/*
 * net.c - a connection to turtled that comes back: the interactive
 * client's, and --watch's after its first (watch.c).
 *
 * One bufferevent carries the v1 dialect: our hello and commands out, the
 * server's lines in, cut at LF and refused past PROTO_OUT_MAX.  Every
 * try goes through dial.c, so a server that takes its time to answer never
 * stops the screen.  When the connection goes, the screen stays and a
 * timer tries again, 0.2 s at first and doubling up to 5 s; a
 * once-a-second tick runs only while waiting, to count down on the status
 * line.  Nothing runs while idle.
 */
#include "tui.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#define NET_BACKOFF_MIN 200  /* ms */
#define NET_BACKOFF_MAX 5000 /* ms */
/* What we let pile up unsent before calling the server stuck. */
#define NET_OUT_MAX (64 * 1024)

static void net_read_cb(struct bufferevent *, void *);
static void net_event_cb(struct bufferevent *, short, void *);
static void net_retry_cb(evutil_socket_t, short, void *);
static void net_tick_cb(evutil_socket_t, short, void *);
static void net_schedule(struct net *, unsigned);
static void net_backoff(struct net *);
static void net_changed(struct net *);
static void net_dialed(void *, int, const char *);

int
net_init(struct net *n, struct event_base *base, const struct tui_addr *addr,
    const char *hello, const struct net_cb *cb, void *arg)
{
	memset(n, 0, sizeof *n);
	n->base = base;
	n->addr = addr;
	snprintf(n->hello, sizeof n->hello, "%s", hello);
	n->cb = *cb;
	n->arg = arg;
	n->state = NET_DOWN;
	n->backoff_ms = NET_BACKOFF_MIN;
	n->retry = evtimer_new(base, net_retry_cb, n);
	n->tick = event_new(base, -1, EV_PERSIST, net_tick_cb, n);
	if (n->retry == NULL || n->tick == NULL ||
	    dial_init(&n->dial, base, net_dialed, n) != 0) {
		net_free(n);
		return -1;
	}
	return 0;
}

void
net_free(struct net *n)
{
	dial_free(&n->dial);
	if (n->bev != NULL)
		bufferevent_free(n->bev);
	if (n->retry != NULL)
		event_free(n->retry);
	if (n->tick != NULL)
		event_free(n->tick);
	n->bev = NULL;
	n->retry = n->tick = NULL;
}

/* Takes over a connected socket and says hello on it. */
int
net_attach(struct net *n, int fd)
{
	struct bufferevent *bev;

	if (evutil_make_socket_nonblocking(fd) != 0 ||
	    (bev = bufferevent_socket_new(
		 n->base, fd, BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		evutil_closesocket(fd);
		return -1;
	}
	bufferevent_setcb(bev, net_read_cb, NULL, net_event_cb, n);
	if (bufferevent_enable(bev, EV_READ | EV_WRITE) != 0) {
		bufferevent_free(bev);
		return -1;
	}
	n->bev = bev;
	n->state = NET_UP;
	n->ever_up = 1;
	n->cause[0] = '\0';
	evtimer_del(n->retry);
	event_del(n->tick);
	if (n->cb.up != NULL)
		n->cb.up(n->arg);
	if (net_send(n, n->hello) != 0) {
		net_drop(n, "could not send hello");
		return -1;
	}
	net_changed(n);
	return 0;
}

int
net_send(struct net *n, const char *line)
{
	struct evbuffer *out;

	if (n->state != NET_UP || n->bev == NULL)
		return -1;
	out = bufferevent_get_output(n->bev);
	if (evbuffer_get_length(out) > NET_OUT_MAX)
		return -1;
	if (evbuffer_add(out, line, strlen(line)) != 0 ||
	    evbuffer_add(out, "\n", 1) != 0)
		return -1;
	return 0;
}

/*
 * The connection is over: close it now and try again after the backoff.
 * Safe from inside our own callbacks: the read loop notices bev changed.
 */
void
net_drop(struct net *n, const char *why)
{
	int was_up = n->bev != NULL;

	if (n->bev != NULL) {
		bufferevent_free(n->bev);
		n->bev = NULL;
	}
	dial_cancel(&n->dial);
	snprintf(n->cause, sizeof n->cause, "%s", why);
	if (n->state != NET_GONE) {
		n->state = NET_WAIT;
		net_backoff(n);
	}
	if (was_up && n->cb.down != NULL)
		n->cb.down(n->arg, why);
	net_changed(n);
}

/* Lost events: a new connection brings a new snapshot, at once. */
void
net_resync(struct net *n, const char *why)
{
	n->backoff_ms = 0;
	net_drop(n, why);
	n->backoff_ms = NET_BACKOFF_MIN;
}

/* The server refused us for good (auth, version, name): stop trying. */
void
net_stop(struct net *n, const char *why)
{
	n->state = NET_GONE;
	evtimer_del(n->retry);
	event_del(n->tick);
	net_drop(n, why);
}

/* A snapshot arrived: the connection works, so the next loss starts over. */
void
net_synced(struct net *n)
{
	n->backoff_ms = NET_BACKOFF_MIN;
}

/* Whole seconds until the next try, rounded up, or 0. */
int
net_retry_in(const struct net *n)
{
	struct timeval now, left;

	if (n->state != NET_WAIT)
		return 0;
	evutil_gettimeofday(&now, NULL);
	if (evutil_timercmp(&n->retry_at, &now, <=))
		return 0;
	evutil_timersub(&n->retry_at, &now, &left);
	return (int)left.tv_sec + (left.tv_usec > 0 ? 1 : 0);
}

static void
net_schedule(struct net *n, unsigned ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	struct timeval sec = {1, 0};

	evutil_gettimeofday(&n->retry_at, NULL);
	evutil_timeradd(&n->retry_at, &tv, &n->retry_at);
	evtimer_add(n->retry, &tv);
	if (ms >= 1000)
		event_add(n->tick, &sec);
}

/* The next try after the backoff, which then grows. */
static void
net_backoff(struct net *n)
{
	net_schedule(n, n->backoff_ms);
	if (n->backoff_ms < NET_BACKOFF_MAX / 2)
		n->backoff_ms *= 2;
	else
		n->backoff_ms = NET_BACKOFF_MAX;
}

/* A try at the server, its outcome in net_dialed(). */
void
net_connect(struct net *n)
{
	if (n->state == NET_GONE || n->state == NET_UP)
		return;
	evtimer_del(n->retry);
	event_del(n->tick);
	n->state = NET_DIALING;
	dial_start(&n->dial, n->addr);
	net_changed(n);
}

static void
net_dialed(void *arg, int fd, const char *cause)
{
	struct net *n = arg;

	if (n->state != NET_DIALING) {
		if (fd != -1)
			evutil_closesocket(fd);
		return;
	}
	if (fd != -1) {
		net_attach(n, fd);
		return;
	}
	snprintf(n->cause, sizeof n->cause, "%s",
	    cause != NULL ? cause : "cannot connect");
	n->state = NET_WAIT;
	net_backoff(n);
	if (n->cb.failed != NULL)
		n->cb.failed(n->arg, n->cause);
	net_changed(n);
}

static void
net_changed(struct net *n)
{
	if (n->cb.state != NULL)
		n->cb.state(n->arg);
}

static void
net_read_cb(struct bufferevent *bev, void *arg)
{
	struct net *n = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t len;

	while (n->bev == bev) {
		line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF);
		if (line == NULL) {
			if (evbuffer_get_length(in) >= PROTO_OUT_MAX)
				net_drop(n, "the server sent a line that is "
					    "too long");
			return;
		}
		if (len >= PROTO_OUT_MAX) {
			free(line);
			net_drop(n, "the server sent a line that is too long");
			return;
		}
		n->cb.line(n->arg, line, len);
		free(line);
	}
}

static void
net_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct net *n = arg;
	char why[NET_CAUSE_MAX];

	(void)bev;
	if (what & BEV_EVENT_EOF)
		net_drop(n, "the server closed the connection");
	else if (what & BEV_EVENT_ERROR) {
		snprintf(why, sizeof why, "connection lost: %s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		net_drop(n, why);
	}
}

static void
net_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct net *n = arg;

	(void)fd;
	(void)what;
	event_del(n->tick);
	if (n->state == NET_WAIT)
		net_connect(n);
}

static void
net_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	net_changed(arg);
}
