/*
 * watch.c - turtle --watch: every event as a line until interrupted.
 *
 * The first connection, its hello and its snapshot are headless.c's,
 * blocking with deadlines like a script's, so a server that is not there
 * is an exit status at once; after "snap end" the socket goes to a
 * libevent loop, which waits for as long as the user likes.  The hello
 * says role=watcher: nobody sees a watcher join or leave, and it never
 * gets a turn.  When the server goes away (it stopped, restarted, died)
 * the watch goes on: net.c tries again with the interactive client's
 * bounded backoff, and the events missed meanwhile come from the new
 * snapshot's history, at the times they happened.  SIGINT and SIGTERM
 * leave politely ("quit").
 */
#include "tui.h"

#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

/* Where a connection is: what its next line means. */
enum watch_stage {
	WATCH_DOWN,  /* no connection */
	WATCH_HELLO, /* hello sent, "ok hello" not yet here */
	WATCH_SNAP,  /* in a snapshot: history lines held until "snap end" */
	WATCH_LIVE   /* events, each printed as it comes */
};

/* A "snap log" line held until "snap end" says whether it is news. */
struct watch_pend {
	uint64_t seq;
	char *line;
	size_t len;
};

struct watch {
	struct headless h; /* the first connection, past its snapshot */
	struct event_base *base;
	struct bufferevent *bev; /* the first connection's, or NULL */
	struct net net;          /* every connection after it */
	int net_on;              /* net is initialised */
	struct event *sigint, *sigterm;
	int raw;
	int status;

	enum watch_stage stage;
	uint64_t seq;     /* the last SEQ printed or covered by a snapshot */
	int said_retry;   /* a failed try was said since the last loss */
	int back;         /* a reconnection's snapshot is on its way */
	int saw_shutdown; /* the server said it was stopping */
	struct watch_pend *pend;
	size_t npend, pend_cap;
};

static void watch_stop(struct watch *, int);
static void watch_line(struct watch *, const char *, size_t);
static void watch_hello_line(struct watch *, const struct proto_msg *);
static void watch_snap_line(
    struct watch *, const struct proto_msg *, const char *, size_t);
static void watch_pend_clear(struct watch *);
static void watch_read_cb(struct bufferevent *, void *);
static void watch_event_cb(struct bufferevent *, short, void *);
static void watch_lost(struct watch *, const char *);
static void watch_net_line(void *, const char *, size_t);
static void watch_net_up(void *);
static void watch_net_down(void *, const char *);
static void watch_net_failed(void *, const char *);
static void watch_signal_cb(evutil_socket_t, short, void *);
static int watch_loop(struct watch *);

/* Ends the watch with status (kept if one is already set). */
static void
watch_stop(struct watch *w, int status)
{
	if (w->status == TUI_EXIT_OK)
		w->status = status;
	event_base_loopbreak(w->base);
}

/* One server line while watching, from whichever connection. */
static void
watch_line(struct watch *w, const char *line, size_t len)
{
	struct proto_msg *m = &w->h.msg;
	char clean[256];

	if (proto_msg_parse(line, len, m) == -1) {
		proto_text_escape(clean, sizeof clean, line, len);
		headless_error(
		    "%s sent a line that is not v1: %s", w->h.where, clean);
	} else if (w->stage == WATCH_HELLO)
		watch_hello_line(w, m);
	else if (w->stage == WATCH_SNAP)
		watch_snap_line(w, m, line, len);
	else if (m->type == PROTO_MSG_EVT) {
		if (strcmp(m->word, "shutdown") == 0)
			w->saw_shutdown = 1;
		if (m->seq > w->seq)
			w->seq = m->seq;
		headless_print_event(m, line, len, w->raw);
		/* A snapshot follows a resync: what it has that we missed
		 * is printed from its history. */
		if (strcmp(m->word, "resync") == 0)
			w->stage = WATCH_SNAP;
	} else if (m->type == PROTO_MSG_ERR)
		headless_print_err(m);
	if (fflush(stdout) == EOF) {
		/* Nobody reads any more: stop quietly. */
		watch_stop(w, TUI_EXIT_ERROR);
	}
}

/* A reconnection's answer to its hello. */
static void
watch_hello_line(struct watch *w, const struct proto_msg *m)
{
	if (m->type == PROTO_MSG_OK && strcmp(m->word, "hello") == 0) {
		w->stage = WATCH_SNAP;
		return;
	}
	if (m->type != PROTO_MSG_ERR)
		return;
	headless_print_err(m);
	switch (proto_err_from_word(m->word)) {
	case PROTO_ERR_SERVER_FULL:
	case PROTO_ERR_RATE:
	case PROTO_ERR_INTERNAL:
	case PROTO_ERR_TIMEOUT:
		net_drop(&w->net, "the server turned us away");
		break;
	default:
		/* A token or version it will refuse again and again. */
		watch_stop(w, TUI_EXIT_CONNECT);
		net_stop(&w->net, "the server refused us");
		break;
	}
}

/*
 * A line of a snapshot: history is held until "snap end" says which of it
 * came after the last event printed (all of it, when the counter went
 * back: a new server).
 */
static void
watch_snap_line(
    struct watch *w, const struct proto_msg *m, const char *line, size_t len)
{
	struct watch_pend *p;
	struct proto_msg hm;
	long long v;
	size_t i;
	uint64_t end;

	if (m->type == PROTO_MSG_EVT) {
		/* Not before "snap end": a confused server. */
		headless_print_event(m, line, len, w->raw);
		return;
	}
	if (m->type != PROTO_MSG_SNAP)
		return;
	if (strcmp(m->word, "log") == 0) {
		if (proto_msg_get_int(m, "seq", 0, INT64_MAX, &v) != 0)
			return;
		p = common_grow(w->pend, &w->pend_cap, w->npend + 1, sizeof *p);
		if (p == NULL)
			return;
		w->pend = p;
		p = &w->pend[w->npend];
		if ((p->line = malloc(len)) == NULL)
			return;
		memcpy(p->line, line, len);
		p->len = len;
		p->seq = (uint64_t)v;
		w->npend++;
		return;
	}
	if (strcmp(m->word, "end") != 0)
		return;
	end = proto_msg_get_int(m, "seq", 0, INT64_MAX, &v) == 0 ? (uint64_t)v
								 : 0;
	for (i = 0; i < w->npend; i++) {
		p = &w->pend[i];
		if ((end >= w->seq && p->seq <= w->seq) ||
		    proto_msg_parse(p->line, p->len, &hm) != 0)
			continue;
		headless_print_event(&hm, p->line, p->len, w->raw);
	}
	watch_pend_clear(w);
	w->seq = end;
	w->stage = WATCH_LIVE;
	w->said_retry = 0;
	if (w->back) {
		w->back = 0;
		net_synced(&w->net);
		headless_error("watching %s again", w->h.where);
	}
}

static void
watch_pend_clear(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->npend; i++)
		free(w->pend[i].line);
	w->npend = 0;
}

static void
watch_read_cb(struct bufferevent *bev, void *arg)
{
	struct watch *w = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len;
	char *line;
	int toolong = 0;

	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (len >= PROTO_OUT_MAX) {
			free(line);
			toolong = 1;
			break;
		}
		watch_line(w, line, len);
		free(line);
		if (w->status != TUI_EXIT_OK)
			return;
	}
	if (toolong || evbuffer_get_length(in) >= PROTO_OUT_MAX) {
		headless_error(
		    "%s sent a line over %d bytes", w->h.where, PROTO_OUT_MAX);
		watch_stop(w, TUI_EXIT_ERROR);
	}
}

/* The first connection ended: watch on through net.c. */
static void
watch_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct watch *w = arg;
	char why[sizeof w->h.where + 256];

	(void)bev;
	if (what & BEV_EVENT_ERROR)
		snprintf(why, sizeof why, "connection to %s lost: %s",
		    w->h.where, strerror(EVUTIL_SOCKET_ERROR()));
	else
		snprintf(
		    why, sizeof why, "%s closed the connection", w->h.where);
	bufferevent_free(w->bev);
	w->bev = NULL;
	close(w->h.fd);
	w->h.fd = -1;
	watch_lost(w, why);
	net_connect(&w->net);
}

/* A connection ended, said once, and the next try is net.c's. */
static void
watch_lost(struct watch *w, const char *why)
{
	if (w->saw_shutdown)
		headless_error("the server at %s stopped; waiting for it "
			       "to come back",
		    w->h.where);
	else
		headless_error("%s; trying again", why);
	w->saw_shutdown = 0;
	w->said_retry = 0;
	w->stage = WATCH_DOWN;
	watch_pend_clear(w);
}

static void
watch_net_line(void *arg, const char *line, size_t len)
{
	watch_line(arg, line, len);
}

static void
watch_net_up(void *arg)
{
	struct watch *w = arg;

	w->stage = WATCH_HELLO;
	w->back = 1;
}

static void
watch_net_down(void *arg, const char *why)
{
	struct watch *w = arg;

	if (w->status == TUI_EXIT_OK)
		watch_lost(w, why);
}

/* Said once per outage: a server that stays away is no news. */
static void
watch_net_failed(void *arg, const char *why)
{
	struct watch *w = arg;

	if (w->said_retry)
		return;
	w->said_retry = 1;
	headless_error("%s; trying again every few seconds", why);
}

static void
watch_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct watch *w = arg;
	int fd = -1;

	(void)sig;
	(void)what;
	if (w->bev != NULL)
		fd = w->h.fd;
	else if (w->net.state == NET_UP && w->net.bev != NULL)
		fd = bufferevent_getfd(w->net.bev);
	if (fd != -1)
		send(fd, "quit\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
	event_base_loopbreak(w->base);
}

static int
watch_loop(struct watch *w)
{
	struct headless *h = &w->h;
	const char *line;
	size_t linelen;
	char cause[512];
	int rc;

	/* What came in behind the snapshot is already in h->in. */
	while ((rc = headless_take_line(h, &line, &linelen, cause,
		    sizeof cause)) == HEADLESS_LINE) {
		watch_line(w, line, linelen);
		headless_drop_line(h, linelen);
		if (w->status != TUI_EXIT_OK)
			return w->status;
	}
	if (rc == HEADLESS_FAIL) {
		headless_error("%s", cause);
		return TUI_EXIT_ERROR;
	}

	if (evutil_make_socket_nonblocking(h->fd) == -1) {
		headless_error("cannot make the socket non-blocking");
		return TUI_EXIT_ERROR;
	}
	w->bev = bufferevent_socket_new(w->base, h->fd, 0);
	if (w->bev == NULL) {
		headless_error("cannot watch the connection");
		return TUI_EXIT_ERROR;
	}
	if (h->inlen > 0)
		evbuffer_add(bufferevent_get_input(w->bev), h->in, h->inlen);
	bufferevent_setcb(w->bev, watch_read_cb, NULL, watch_event_cb, w);
	bufferevent_enable(w->bev, EV_READ);
	if (h->inlen > 0)
		watch_read_cb(w->bev, w);

	if (w->status == TUI_EXIT_OK)
		event_base_dispatch(w->base);
	if (w->bev != NULL)
		bufferevent_free(w->bev);
	w->bev = NULL;
	return w->status;
}

int
watch_main(const struct tui_opts *opts, int raw)
{
	/* On the stack: net_init() copies it (no file-scope data). */
	const struct net_cb cb = {
	    .line = watch_net_line,
	    .up = watch_net_up,
	    .down = watch_net_down,
	    .failed = watch_net_failed,
	};
	struct watch w;
	char hello[PROTO_LINE_MAX + 1];
	long long seq;
	int rc;

	memset(&w, 0, sizeof w);
	if (headless_connect(&w.h, opts) == -1)
		return TUI_EXIT_CONNECT;
	w.h.watcher = 1;
	w.raw = raw;
	w.status = TUI_EXIT_OK;
	if (headless_hello(&w.h) == -1) {
		close(w.h.fd);
		return TUI_EXIT_CONNECT;
	}
	/* headless_hello() stopped at "snap end": events go on from it. */
	if (proto_msg_get_int(&w.h.msg, "seq", 0, INT64_MAX, &seq) == 0)
		w.seq = (uint64_t)seq;
	w.stage = WATCH_LIVE;
	/* A pipe reader sees each event as it happens. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	w.base = event_base_new();
	if (w.base == NULL) {
		headless_error("cannot create an event loop");
		close(w.h.fd);
		return TUI_EXIT_ERROR;
	}
	w.sigint = evsignal_new(w.base, SIGINT, watch_signal_cb, &w);
	w.sigterm = evsignal_new(w.base, SIGTERM, watch_signal_cb, &w);
	if (proto_hello_format(
		hello, sizeof hello, opts->name, opts->token, 1) == 0 &&
	    net_init(&w.net, w.base, &opts->addr, hello, &cb, &w) == 0)
		w.net_on = 1;
	if (!w.net_on) {
		headless_error("cannot set up reconnecting");
		rc = TUI_EXIT_ERROR;
	} else if (w.sigint == NULL || w.sigterm == NULL ||
		   event_add(w.sigint, NULL) == -1 ||
		   event_add(w.sigterm, NULL) == -1) {
		headless_error("cannot catch signals");
		rc = TUI_EXIT_ERROR;
	} else
		rc = watch_loop(&w);

	if (w.net_on)
		net_free(&w.net);
	watch_pend_clear(&w);
	free(w.pend);
	if (w.sigint != NULL)
		event_free(w.sigint);
	if (w.sigterm != NULL)
		event_free(w.sigterm);
	event_base_free(w.base);
	if (w.h.fd != -1)
		close(w.h.fd);
	return rc;
}
