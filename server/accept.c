/*
 * accept.c - taking connections: the listeners on and off, accepting,
 * refusing (full, out of descriptors, no worker), and handing each new
 * connection to an idle worker.
 *
 * The master accepts only while it can serve: not stopping, not paused
 * (out of descriptors or processes), and with an idle worker ready or none
 * coming.  Otherwise connections wait in the listener's backlog.  Whether
 * that still holds is checked after each accept and at the end of every
 * loop turn (accept_update()), so the layers below only change the facts.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "server.h"

#define ACCEPT_BATCH    64
#define ACCEPT_PAUSE_MS 100

static void accept_resume_cb(evutil_socket_t, short, void *);
static void accept_cb(evutil_socket_t, short, void *);
static int accept_spare(struct master *, int);
static void accept_refuse(
    struct master *, int, enum proto_err, const char *, int);
static void accept_client(struct master *, struct listener *, int,
    const struct sockaddr *, socklen_t);
static void accept_peer(struct client *, const struct listener *,
    const struct sockaddr *, socklen_t);
static int accept_full(struct master *, int, char *, size_t);
static void accept_auth_log(const struct auth_entry *, uint64_t, void *);

/* 0, or -1 when libevent refused (the caller says so). */
int
accept_init(struct master *m)
{
	struct acceptor *a = &m->acc;
	size_t i;
	int bad = 0;

	a->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (a->spare == -1)
		log_warn(m->log,
		    "no spare descriptor (/dev/null: %s): "
		    "out of descriptors, connections will wait",
		    strerror(errno));
	for (i = 0; i < m->ls->nl; i++) {
		m->ls->l[i].m = m;
		m->ls->l[i].ev = event_new(m->base, m->ls->l[i].fd,
		    EV_READ | EV_PERSIST, accept_cb, &m->ls->l[i]);
		bad |= m->ls->l[i].ev == NULL;
	}
	a->ev_resume = evtimer_new(m->base, accept_resume_cb, m);
	bad |= a->ev_resume == NULL;
	return bad ? -1 : 0;
}

void
accept_free(struct master *m)
{
	struct acceptor *a = &m->acc;
	size_t i;

	for (i = 0; i < m->ls->nl; i++) {
		if (m->ls->l[i].ev != NULL)
			event_free(m->ls->l[i].ev);
		m->ls->l[i].ev = NULL;
	}
	if (a->ev_resume != NULL)
		event_free(a->ev_resume);
	a->ev_resume = NULL;
	if (a->spare != -1)
		close(a->spare);
	a->spare = -1;
}

/*
 * Accepts only while it can serve: not stopping, not out of descriptors,
 * an idle worker ready (or none coming: then a connection is refused
 * rather than left waiting), and fewer than --max-startups connections of
 * the listener's kind (UNIX or TCP) still to say hello.  Past that, new
 * ones wait in the backlog until one says hello or is cut, so a flood of
 * silent connections over TCP never keeps local users out, and a burst of
 * connections that come and go is slowed, not refused.
 */
void
accept_update(struct master *m)
{
	struct acceptor *a = &m->acc;
	struct listener *l;
	int serve, want, held;
	size_t i;

	serve = !m->stopping && !a->paused && pool_ready(&m->pool);
	for (i = 0; i < m->ls->nl; i++) {
		l = &m->ls->l[i];
		held = m->clients.npending[l->tcp != 0] >= m->opt->max_startups;
		if (held && !a->hold[l->tcp != 0])
			a->held[l->tcp != 0] = 1;
		a->hold[l->tcp != 0] = held;
		want = serve && !held;
		if (l->ev == NULL || want == l->on)
			continue;
		l->on = want;
		if (want)
			event_add(l->ev, NULL);
		else
			event_del(l->ev);
	}
}

/* Out of descriptors or processes: stop accepting for a moment instead
 * of spinning. */
void
accept_pause(struct master *m, const char *why)
{
	struct acceptor *a = &m->acc;
	struct timeval tv = {0, ACCEPT_PAUSE_MS * 1000};

	if (a->paused)
		return;
	log_warn(m->log, "%s: not accepting for %d ms", why, ACCEPT_PAUSE_MS);
	a->paused = 1;
	m->pool.paused = 1;
	accept_update(m);
	if (event_add(a->ev_resume, &tv) != 0) {
		/* Without the timer nothing would resume: go on at once. */
		log_error(m->log, "cannot arm the resume timer");
		accept_resume_cb(-1, 0, m);
	}
}

static void
accept_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct master *m = arg;

	(void)fd;
	(void)what;
	m->acc.paused = 0;
	m->pool.paused = 0;
	pool_fill(&m->pool);
	accept_update(m);
}

static void
accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct master *m = l->m;
	struct sockaddr_storage ss;
	socklen_t sl;
	char msg[96];
	int fd, i;

	(void)what;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		/* Out of idle workers: the rest wait in the backlog. */
		accept_update(m);
		if (!l->on)
			break;
		sl = sizeof ss;
		fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno == EMFILE || errno == ENFILE) &&
			    accept_spare(m, lfd) == 0)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				accept_pause(m, "out of file descriptors");
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn(m->log, "accept on %s: %s", l->name,
				    strerror(errno));
			break;
		}
		if (accept_full(m, l->tcp, msg, sizeof msg)) {
			accept_refuse(m, fd, PROTO_ERR_SERVER_FULL, msg, 1);
			continue;
		}
		accept_client(m, l, fd, (struct sockaddr *)&ss, sl);
	}
	pool_fill(&m->pool);
}

/*
 * Is there room for one more connection of this kind?  Connections over
 * TCP that have not said hello yet do not count against the UNIX socket's
 * --max-clients: silent TCP connections (at most --max-startups, each cut
 * after --login-grace) cannot lock local users out.  So at most
 * --max-clients + --max-startups connections are served at once.  1 and
 * why in msg when full.
 */
static int
accept_full(struct master *m, int tcp, char *msg, size_t msglen)
{
	const struct clients *t = &m->clients;
	size_t served = clients_served(t);

	/* Lost clients only finish their output: not counted. */
	if (!tcp)
		served -= t->npending[1];
	if (served < m->opt->max_clients)
		return 0;
	snprintf(msg, msglen, "the server is full (%u clients)",
	    m->opt->max_clients);
	return 1;
}

/*
 * Once a second: connections that have not said hello within
 * --login-grace are cut (sshd's LoginGraceTime), and what was cut or
 * refused since the last tick is logged in one line each, not one per
 * connection: a flood must not flood the log as well.
 */
void
accept_tick(struct master *m, uint64_t now_ms)
{
	struct acceptor *a = &m->acc;
	uint64_t grace = (uint64_t)m->opt->login_grace * 1000;
	char line[PROTO_OUT_MAX], msg[96];
	struct proto_buf b;
	struct client *c;
	size_t i;

	if (m->clients.npending[0] + m->clients.npending[1] != 0) {
		snprintf(msg, sizeof msg, "no hello within %u s",
		    m->opt->login_grace);
		proto_buf_init(&b, line, sizeof line);
		proto_fmt_err(&b, PROTO_ERR_TIMEOUT, msg);
		proto_fmt_end(&b); /* fits: a short sentence */
		for (i = 1; i < m->clients.cap; i++) {
			c = m->clients.slot[i];
			if (c == NULL || c->state != CLIENT_PENDING ||
			    (c->flags & CLIENT_LOST) ||
			    now_ms - c->accept_ms < grace)
				continue;
			output_reply(&m->out, c, b.p, b.len);
			client_lose(&m->clients, c, "timeout", 1);
			a->cut_silent++;
		}
	}
	if (a->cut_silent != 0)
		log_info(m->log,
		    "cut %llu connections that did not say hello "
		    "within %u s",
		    (unsigned long long)a->cut_silent, m->opt->login_grace);
	for (i = 0; i < 2; i++) {
		if (a->held[i])
			log_info(m->log,
			    "%u connections over %s have not said hello: "
			    "new ones wait",
			    m->opt->max_startups, i ? "TCP" : "UNIX");
		a->held[i] = 0;
	}
	a->cut_silent = 0;
	auth_report(&m->auth, now_ms, accept_auth_log, m);
}

/* One line a second for each source that failed hellos or was refused. */
static void
accept_auth_log(const struct auth_entry *e, uint64_t now_ms, void *arg)
{
	struct master *m = arg;

	if (e->until_ms > now_ms)
		log_warn(m->log,
		    "%s: %llu failed hellos, %llu connections refused; "
		    "blocked for %llu s",
		    e->host, (unsigned long long)e->failed,
		    (unsigned long long)e->refused,
		    (unsigned long long)(e->until_ms - now_ms + 999) / 1000);
	else
		log_info(m->log, "%s: %llu failed hellos", e->host,
		    (unsigned long long)e->failed);
}

/*
 * Out of descriptors, a connection left in the backlog would hang with no
 * word.  The spare descriptor (/dev/null) makes room to accept it and say
 * why.  0 when one was refused so; -1 (errno as accept's) when not.
 */
static int
accept_spare(struct master *m, int lfd)
{
	struct acceptor *a = &m->acc;
	int fd, e = errno;

	if (a->spare == -1) {
		errno = e;
		return -1;
	}
	close(a->spare);
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		e = errno;
	else
		accept_refuse(m, fd, PROTO_ERR_INTERNAL,
		    "the server is out of file descriptors", 1);
	a->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = e;
	return fd == -1 ? -1 : 0;
}

/*
 * Past --max-clients (or out of descriptors): say why and close; logged
 * unless a tick's summary counts it.
 */
static void
accept_refuse(
    struct master *m, int fd, enum proto_err err, const char *msg, int log)
{
	char buf[256], junk[512];
	struct proto_buf b;
	int i;

	proto_buf_init(&b, buf, sizeof buf);
	proto_fmt_err(&b, err, msg);
	if (proto_fmt_end(&b) == 0 &&
	    send(fd, buf, b.len, MSG_NOSIGNAL | MSG_DONTWAIT) == -1)
		log_debug(m->log, "refusal: %s", strerror(errno));
	/* Unread input would turn the close into a reset. */
	shutdown(fd, SHUT_WR);
	for (i = 0; i < 8; i++) {
		if (recv(fd, junk, sizeof junk, MSG_DONTWAIT) <= 0)
			break;
	}
	close(fd);
	m->st.refused++;
	if (log)
		log_info(m->log, "connection refused: %s", msg);
}

/* Who is on the other end: for logs, who and the exit check. */
static void
accept_peer(struct client *c, const struct listener *l,
    const struct sockaddr *sa, socklen_t sl)
{
	char serv[16];
	struct ucred uc;
	socklen_t ul = sizeof uc;

	if (l->tcp) {
		if (getnameinfo(sa, sl, c->host, sizeof c->host, serv,
			sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0)
			snprintf(c->addr, sizeof c->addr,
			    sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
			    c->host, serv);
		else {
			util_strlcpy(c->host, "tcp", sizeof c->host);
			util_strlcpy(c->addr, "tcp", sizeof c->addr);
		}
	} else if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) == 0) {
		c->uid = uc.uid;
		c->uid_known = 1;
		snprintf(c->addr, sizeof c->addr, "unix uid %ld", (long)uc.uid);
	} else
		util_strlcpy(c->addr, "unix", sizeof c->addr);
}

/*
 * Hands the connection to an idle worker: the one message the master
 * writes to a worker carries the socket.  A worker that died while idle
 * is passed over for the next one.
 */
static void
accept_client(struct master *m, struct listener *l, int fd,
    const struct sockaddr *sa, socklen_t sl)
{
	struct ipc_start st;
	struct pool_worker *w;
	struct client *c;
	char msg[128];
	uint64_t left;
	ssize_t n;
	int one = 1, cid;

	/* Lines are small and each is complete: Nagle would only hold the
	 * next event back behind the client's delayed ACK. */
	if (l->tcp &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == -1)
		log_warn(m->log, "setsockopt TCP_NODELAY: %s", strerror(errno));

	c = util_calloc(1, sizeof *c);
	c->fd = fd;
	c->tcp = l->tcp;
	accept_peer(c, l, sa, sl);
	/* A source guessing tokens waits its block out (auth.c): no worker,
	 * no token check, no log line of its own. */
	if (c->tcp && m->opt->token[0] != '\0' &&
	    auth_blocked(&m->auth, c->host, common_now_ms(), &left)) {
		snprintf(msg, sizeof msg,
		    "too many failed hellos from %s: try again in %llu s",
		    c->host, (unsigned long long)(left + 999) / 1000);
		free(c);
		accept_refuse(m, fd, PROTO_ERR_AUTH, msg, 0);
		return;
	}

	cid = clients_alloc_cid(&m->clients);
	memset(&st, 0, sizeof st);
	st.magic = IPC_START_MAGIC;
	st.cid = cid;
	st.tcp = l->tcp;
	for (;;) {
		if ((w = pool_take(&m->pool, cid)) == NULL) {
			/* Out of processes (RLIMIT_NPROC, memory): the client
			 * is told, and accepting waits a moment instead of
			 * failing in a loop.  Nothing is known of its dialect
			 * yet: the v1 error line. */
			if (m->pool.err != 0)
				snprintf(msg, sizeof msg,
				    "the server cannot start a worker "
				    "(fork: %s)",
				    strerror(m->pool.err));
			else
				util_strlcpy(msg,
				    "the server cannot start a worker now",
				    sizeof msg);
			free(c);
			accept_refuse(m, fd, PROTO_ERR_SERVER_FULL, msg, 1);
			accept_pause(m, "cannot fork");
			return;
		}
		n = fds_send(w->ipc, &st, sizeof st, &fd, 1, MSG_DONTWAIT);
		if (n == (ssize_t)sizeof st)
			break;
		log_warn(m->log, "idle worker pid=%ld: %s", (long)w->pid,
		    n == -1 ? strerror(errno) : "short write");
		pool_release(&m->pool, w, 0);
	}

	c->m = m;
	c->output = &m->out;
	c->cid = cid;
	c->w = w;
	c->since = time(NULL);
	c->active_ms = c->accept_ms = common_now_ms();
	outlimit_init(&c->ol);

	c->out = evbuffer_new();
	c->ev_ipc =
	    event_new(m->base, w->ipc, EV_READ | EV_PERSIST, inbound_cb, c);
	c->ev_write = event_new(
	    m->base, c->fd, EV_WRITE | EV_PERSIST, output_write_cb, c);
	if (c->out == NULL || c->ev_ipc == NULL || c->ev_write == NULL ||
	    clients_add(&m->clients, c) != 0)
		log_fatalx(m->log, "out of memory for a new client");
	if (event_add(c->ev_ipc, NULL) != 0) {
		log_error(m->log, "cid=%d: cannot watch its worker", c->cid);
		client_lose(&m->clients, c, "error", 0);
		return;
	}
	/* Logged when it joins (or closes before that): one line, not two. */
	log_debug(m->log, "cid=%d connected (%s), worker pid=%ld", c->cid,
	    c->addr, (long)w->pid);
}
