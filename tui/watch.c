/*
 * watch.c - turtle --watch: every event as a line until interrupted.
 *
 * The connection, the hello and the snapshot are headless.c's, blocking
 * with deadlines like a script's; after "snap end" the socket goes to a
 * libevent loop, which waits for as long as the user likes.  SIGINT and
 * SIGTERM leave politely ("quit"), the server closing ends it too.
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

struct watch {
	struct headless h; /* the connection, past its snapshot */
	struct event_base *base;
	struct bufferevent *bev;
	struct event *sigint, *sigterm;
	int raw;
	int status;
};

static void watch_line(struct watch *, const char *, size_t);
static void watch_read_cb(struct bufferevent *, void *);
static void watch_event_cb(struct bufferevent *, short, void *);
static void watch_signal_cb(evutil_socket_t, short, void *);
static int watch_loop(struct watch *);

/* One server line while watching. */
static void
watch_line(struct watch *w, const char *line, size_t len)
{
	struct proto_msg *m = &w->h.msg;
	char clean[256];

	if (proto_msg_parse(line, len, m) == -1) {
		proto_text_escape(clean, sizeof clean, line, len);
		headless_error(
		    "%s sent a line that is not v1: %s", w->h.where, clean);
	} else if (m->type == PROTO_MSG_EVT) {
		if (strcmp(m->word, "shutdown") == 0)
			w->h.saw_shutdown = 1;
		headless_print_event(m, line, len, w->raw);
	} else if (m->type == PROTO_MSG_ERR)
		headless_print_err(m);
	if (fflush(stdout) == EOF) {
		/* Nobody reads any more: stop quietly. */
		w->status = TUI_EXIT_ERROR;
		event_base_loopbreak(w->base);
	}
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
		w->status = TUI_EXIT_ERROR;
		event_base_loopbreak(w->base);
	}
}

static void
watch_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct watch *w = arg;

	(void)bev;
	if (what & BEV_EVENT_ERROR)
		headless_error("connection to %s lost: %s", w->h.where,
		    strerror(EVUTIL_SOCKET_ERROR()));
	else if (!w->h.saw_shutdown)
		headless_error("%s closed the connection", w->h.where);
	if (!w->h.saw_shutdown)
		w->status = TUI_EXIT_ERROR;
	event_base_loopbreak(w->base);
}

static void
watch_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct watch *w = arg;

	(void)sig;
	(void)what;
	if (w->bev != NULL)
		send(w->h.fd, "quit\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
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
	bufferevent_free(w->bev);
	w->bev = NULL;
	return w->status;
}

int
watch_main(const struct tui_opts *opts, int raw)
{
	struct watch w;
	int rc;

	memset(&w, 0, sizeof w);
	if (headless_connect(&w.h, opts) == -1)
		return TUI_EXIT_CONNECT;
	w.raw = raw;
	w.status = TUI_EXIT_OK;
	if (headless_hello(&w.h) == -1) {
		close(w.h.fd);
		return TUI_EXIT_CONNECT;
	}
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
	if (w.sigint == NULL || w.sigterm == NULL ||
	    event_add(w.sigint, NULL) == -1 ||
	    event_add(w.sigterm, NULL) == -1) {
		headless_error("cannot catch signals");
		rc = TUI_EXIT_ERROR;
	} else
		rc = watch_loop(&w);

	if (w.sigint != NULL)
		event_free(w.sigint);
	if (w.sigterm != NULL)
		event_free(w.sigterm);
	event_base_free(w.base);
	close(w.h.fd);
	return rc;
}
