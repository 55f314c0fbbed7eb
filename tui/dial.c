/*
 * dial.c - reaching the server from inside the event loop.
 *
 * The interactive client keeps drawing and reading keys while it connects,
 * so nothing here waits: an AF_UNIX connect answers at once (a full
 * backlog is a failed try, not a wait), a TCP one is a non-blocking
 * connect() per address under a deadline, and a host name is looked up
 * with evdns instead of a blocking getaddrinfo().  The outcome always
 * comes back through the callback on a later loop turn, never from inside
 * dial_start().
 */
#include "tui.h"

#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

/* A name lookup in flight; its callback may come after a cancel. */
struct dial_lookup {
	struct dial *d; /* NULL once cancelled */
};

static void dial_finish(struct dial *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void dial_done_cb(evutil_socket_t, short, void *);
static void dial_unix(struct dial *, const struct tui_addr *);
static void dial_tcp(struct dial *, const struct tui_addr *);
static void dial_resolved_cb(int, struct evutil_addrinfo *, void *);
static void dial_try(struct dial *, int);
static void dial_connect_cb(evutil_socket_t, short, void *);
static void dial_stop(struct dial *);
static const char *dial_gai_error(int);

int
dial_init(struct dial *d, struct event_base *base,
    void (*done)(void *, int, const char *), void *arg)
{
	memset(d, 0, sizeof *d);
	d->base = base;
	d->done = done;
	d->arg = arg;
	d->fd = -1;
	d->result = -1;
	d->done_ev = event_new(base, -1, 0, dial_done_cb, d);
	return d->done_ev != NULL ? 0 : -1;
}

void
dial_free(struct dial *d)
{
	if (d->base == NULL)
		return; /* never set up */
	dial_cancel(d);
	if (d->dns != NULL)
		evdns_base_free(d->dns, 1);
	d->dns = NULL;
	if (d->done_ev != NULL)
		event_free(d->done_ev);
	d->done_ev = NULL;
}

/* Everything in progress stops; no callback comes. */
void
dial_cancel(struct dial *d)
{
	if (d->base == NULL)
		return;
	dial_stop(d);
	if (d->done_ev != NULL)
		event_del(d->done_ev);
	if (d->result != -1)
		close(d->result);
	d->result = -1;
}

/* Drops the lookup, the addresses and the socket of the try under way. */
static void
dial_stop(struct dial *d)
{
	struct evdns_getaddrinfo_request *req = d->req;

	if (d->lookup != NULL) {
		d->lookup->d = NULL;
		d->lookup = NULL;
		d->req = NULL;
		/* Its callback frees the lookup, now or later. */
		if (req != NULL)
			evdns_getaddrinfo_cancel(req);
	}
	if (d->ev != NULL)
		event_free(d->ev);
	d->ev = NULL;
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
	if (d->res != NULL)
		evutil_freeaddrinfo(d->res);
	d->res = d->ai = NULL;
}

/* The outcome, handed over on the next loop turn. */
static void
dial_finish(struct dial *d, int fd, const char *fmt, ...)
{
	va_list ap;

	dial_stop(d);
	d->result = fd;
	d->cause[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(d->cause, sizeof d->cause, fmt, ap);
		va_end(ap);
	}
	event_active(d->done_ev, EV_TIMEOUT, 1);
}

static void
dial_done_cb(evutil_socket_t unused, short what, void *arg)
{
	struct dial *d = arg;
	int fd = d->result;

	(void)unused;
	(void)what;
	d->result = -1;
	/*
	 * The resolver goes with its lookup: a resolver kept idle would wake
	 * the client to probe a nameserver that failed.
	 */
	if (d->dns != NULL && d->lookup == NULL) {
		evdns_base_free(d->dns, 1);
		d->dns = NULL;
	}
	d->done(d->arg, fd, fd == -1 ? d->cause : NULL);
}

void
dial_start(struct dial *d, const struct tui_addr *addr)
{
	dial_cancel(d);
	connect_describe(addr, d->where, sizeof d->where);
	if (addr->is_tcp)
		dial_tcp(d, addr);
	else
		dial_unix(d, addr);
}

static void
dial_unix(struct dial *d, const struct tui_addr *addr)
{
	struct sockaddr_un sun;
	int fd, error;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(addr->path) >= sizeof sun.sun_path) {
		dial_finish(d, -1, "socket path too long: %s", addr->path);
		return;
	}
	memcpy(sun.sun_path, addr->path, strlen(addr->path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		dial_finish(d, -1, "socket: %s", strerror(errno));
		return;
	}
	while (
	    (error = connect(fd, (struct sockaddr *)&sun, sizeof sun)) == -1 &&
	    errno == EINTR)
		;
	if (error == -1) {
		error = errno;
		close(fd);
		dial_finish(
		    d, -1, "connecting to %s: %s", d->where, strerror(error));
		return;
	}
	dial_finish(d, fd, NULL);
}

/* The C library's words, the same as headless mode prints. */
static const char *
dial_gai_error(int error)
{
	if (error == EVUTIL_EAI_CANCEL)
		return "lookup cancelled";
	return gai_strerror(error);
}

/* A numeric address needs no lookup; a name goes to evdns. */
static void
dial_tcp(struct dial *d, const struct tui_addr *addr)
{
	struct evutil_addrinfo hints, *res = NULL;
	struct evdns_getaddrinfo_request *req;
	struct dial_lookup *lk;
	int error;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = EVUTIL_AI_NUMERICHOST | EVUTIL_AI_NUMERICSERV;
	error = evutil_getaddrinfo(addr->host, addr->port, &hints, &res);
	if (error == 0) {
		d->res = d->ai = res;
		dial_try(d, ECONNREFUSED);
		return;
	}
	if (error != EVUTIL_EAI_NONAME) {
		dial_finish(d, -1, "%s: %s", d->where, dial_gai_error(error));
		return;
	}
	hints.ai_flags = EVUTIL_AI_NUMERICSERV;
	if (d->dns == NULL &&
	    (d->dns = evdns_base_new(
		 d->base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
			      EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL) {
		dial_finish(d, -1, "%s: cannot look up names", d->where);
		return;
	}
	if ((lk = malloc(sizeof *lk)) == NULL) {
		dial_finish(d, -1, "%s: out of memory", d->where);
		return;
	}
	lk->d = d;
	d->lookup = lk;
	/*
	 * The callback may run before this returns (a hosts file entry, an
	 * error); then the lookup is over and there is nothing to cancel.
	 */
	req = evdns_getaddrinfo(
	    d->dns, addr->host, addr->port, &hints, dial_resolved_cb, lk);
	if (d->lookup != NULL)
		d->req = req;
}

static void
dial_resolved_cb(int error, struct evutil_addrinfo *res, void *arg)
{
	struct dial_lookup *lk = arg;
	struct dial *d = lk->d;

	free(lk);
	if (d == NULL) {
		if (res != NULL)
			evutil_freeaddrinfo(res);
		return;
	}
	d->lookup = NULL;
	d->req = NULL;
	if (error != 0 || res == NULL) {
		dial_finish(d, -1, "%s: %s", d->where,
		    error != 0 ? dial_gai_error(error) : "no address");
		return;
	}
	d->res = d->ai = res;
	dial_try(d, ECONNREFUSED);
}

/*
 * The next address: a connect under way, or the end of the list with the
 * last error seen (error) as the reason.
 */
static void
dial_try(struct dial *d, int error)
{
	struct timeval tv = {
	    DIAL_TIMEOUT_MS / 1000, (DIAL_TIMEOUT_MS % 1000) * 1000};
	struct addrinfo *ai;
	int fd, rc;

	for (; (ai = d->ai) != NULL; d->ai = ai->ai_next) {
		fd = socket(ai->ai_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1) {
			error = errno;
			continue;
		}
		do
			rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
		while (rc == -1 && errno == EINTR);
		if (rc == 0) {
			dial_finish(d, fd, NULL);
			return;
		}
		if (errno != EINPROGRESS) {
			error = errno;
			close(fd);
			continue;
		}
		d->fd = fd;
		d->ev = event_new(d->base, fd, EV_WRITE, dial_connect_cb, d);
		if (d->ev == NULL || event_add(d->ev, &tv) != 0) {
			dial_finish(d, -1, "%s: cannot wait for the connection",
			    d->where);
			return;
		}
		return;
	}
	dial_finish(d, -1, "connecting to %s: %s", d->where, strerror(error));
}

/* The connect under way ended, or its deadline came. */
static void
dial_connect_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dial *d = arg;
	socklen_t len = sizeof(int);
	int error = 0;

	if (what & EV_TIMEOUT)
		error = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
		error = errno;
	event_free(d->ev);
	d->ev = NULL;
	d->fd = -1;
	if (error == 0) {
		dial_finish(d, fd, NULL);
		return;
	}
	close(fd);
	d->ai = d->ai->ai_next;
	dial_try(d, error);
}
