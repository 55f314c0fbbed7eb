/*
 * master.c - the master process: its event loop, signals, reaping, and
 * the end of each loop turn.
 *
 * The master owns the listeners, the world and the client table.  Each
 * accepted connection (accept.c) is handed to an idle forked worker
 * (pool.c) that reads it; the master keeps its own descriptor of the
 * socket and is the only one to write to it.  The loop runs one turn at a
 * time: callbacks read workers' messages (inbound.c) and append output,
 * then master_loop_end() does what the layers below only marked: a stop a
 * command asked for, the leaves of lost clients, their workers given back,
 * one write per client, the frees, and the listeners re-armed.
 */
#define _GNU_SOURCE
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "server.h"

#define MASTER_STOP_MS  2000      /* workers get this long to go */
#define MASTER_TRIM_MIN (8 << 20) /* free heap worth giving back */

static const int master_signals[MASTER_NSIG] = {SIGTERM, SIGINT, SIGHUP};

static void master_signal_cb(evutil_socket_t, short, void *);
static void master_sigchld_cb(evutil_socket_t, short, void *);
static void master_dgram_cb(evutil_socket_t, short, void *);
static void master_tick_cb(evutil_socket_t, short, void *);
static void master_turn_cb(evutil_socket_t, short, void *);
static void master_deadline_cb(evutil_socket_t, short, void *);
static void master_reap(struct master *);
static void master_tell_reopen(struct master *);
static void master_loop_end(struct master *);
static void master_commit(struct master *);
static void master_release(struct master *, struct client *);
static int master_unannounced(const struct master *);
static void master_free_client(struct master *, struct client *);
static void master_stop(struct master *, const char *);
static int master_timer(struct event *, uint64_t);
static void master_event_free(struct event *);
static void master_status(const struct master *, struct dgram_status *);
static void master_trim(struct master *);

/* 0, or -1 (logged by the caller or here) when libevent refused. */
static int
master_timer(struct event *ev, uint64_t ms)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	return event_add(ev, &tv);
}

static void
master_event_free(struct event *ev)
{
	if (ev != NULL)
		event_free(ev);
}

struct master *
master_create(const struct options *opt, struct logger *log,
    struct listen_set *ls, char **cause)
{
	struct snapshot_source src;
	struct logo_config lcfg;
	struct master *m;
	sigset_t chld;
	char *why;
	size_t i;
	int bad;

	m = util_calloc(1, sizeof *m);
	/* No state directory until recover_load() opens one. */
	m->store.logfd = m->store.dirfd = m->store.lockfd = -1;
	m->opt = opt;
	m->log = log;
	m->ls = ls;
	m->pid = getpid();
	m->start_ms = common_now_ms();
	m->acc.spare = -1;
	/* Before the spawner exists, so that its end is not missed. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	m->sigchld = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (m->sigchld == -1) {
		*cause = common_xprintf("signalfd: %s", strerror(errno));
		free(m);
		return NULL;
	}
	/* First, while the master is small: workers are forked from it.  A
	 * spawner that cannot start now is tried again every second; until
	 * then each connection is refused with the reason. */
	pool_init(&m->pool, opt, log);
	if (pool_start(&m->pool, &why) != 0) {
		log_error(log, "cannot start the spawner: %s", why);
		free(why);
	}
	m->rbuf = util_calloc(1, OUTPUT_RBUF_MAX);
	clients_init(&m->clients);
	auth_init(&m->auth);
	turns_init(&m->turns);
	history_init(&m->hist);
	src.world = &m->world;
	src.ws = &m->ws;
	src.clients = &m->clients;
	src.hist = &m->hist;
	src.turns = &m->turns;
	src.seq = &m->seq;
	src.joined = &m->joined;
	src.mode = opt->mode == SERVER_MODE_TURNS ? "turns" : "free";
	snapshot_init(&m->snap, &src, log);
	output_init(&m->out, log, &m->clients, &m->snap, &m->seq,
	    opt->out_limit, (uint64_t)opt->slow_timeout * 1000);
	if (world_init(&m->world, opt->half_w, opt->half_h, opt->trail) != 0) {
		*cause = common_xprintf("cannot make a %dx%d world with %zu "
					"trail segments",
		    2 * opt->half_w + 1, 2 * opt->half_h + 1, opt->trail);
		pool_free(&m->pool);
		close(m->sigchld);
		free(m->rbuf);
		free(m);
		return NULL;
	}
	m->base = event_base_new();
	if (m->base == NULL) {
		*cause = common_xprintf("cannot create the event loop");
		pool_free(&m->pool);
		close(m->sigchld);
		world_free(&m->world);
		free(m->rbuf);
		free(m);
		return NULL;
	}
	TAILQ_INIT(&m->lines);
	if ((m->ws = logo_workspace_new()) == NULL) {
		*cause = common_xprintf("no memory for the Logo workspace");
		master_free(m);
		return NULL;
	}
	if (recover_load(m, cause) != 0) {
		master_free(m);
		return NULL;
	}
	logo_config_default(&lcfg);
	lcfg.bounds.xmin = -opt->half_w;
	lcfg.bounds.xmax = opt->half_w;
	lcfg.bounds.ymin = -opt->half_h;
	lcfg.bounds.ymax = opt->half_h;
	if (evaluator_start(&m->eval, m->base, m->ws, &lcfg, logoline_done, m,
		cause) != 0) {
		master_free(m);
		return NULL;
	}
	bad = accept_init(m) != 0;
	for (i = 0; i < ls->nd; i++) {
		ls->d[i].m = m;
		ls->d[i].ev = event_new(m->base, ls->d[i].fd,
		    EV_READ | EV_PERSIST, master_dgram_cb, &ls->d[i]);
		bad |= ls->d[i].ev == NULL || event_add(ls->d[i].ev, NULL) != 0;
	}
	for (i = 0; i < MASTER_NSIG; i++) {
		m->ev_sig[i] = evsignal_new(
		    m->base, master_signals[i], master_signal_cb, m);
		bad |=
		    m->ev_sig[i] == NULL || event_add(m->ev_sig[i], NULL) != 0;
	}
	m->ev_chld = event_new(
	    m->base, m->sigchld, EV_READ | EV_PERSIST, master_sigchld_cb, m);
	m->ev_tick = event_new(m->base, -1, EV_PERSIST, master_tick_cb, m);
	m->ev_turn = evtimer_new(m->base, master_turn_cb, m);
	m->ev_deadline = evtimer_new(m->base, master_deadline_cb, m);
	bad |= m->ev_tick == NULL || m->ev_turn == NULL ||
	       m->ev_deadline == NULL || m->ev_chld == NULL ||
	       event_add(m->ev_chld, NULL) != 0;
	if (bad || master_timer(m->ev_tick, 1000) != 0 ||
	    pool_attach(&m->pool, m->base) != 0) {
		*cause =
		    common_xprintf("cannot set up the event loop's events");
		master_free(m);
		return NULL;
	}
	accept_update(m);
	return m;
}

int
master_run(struct master *m)
{
	while (!m->done) {
		if (event_base_loop(m->base, EVLOOP_ONCE) == -1) {
			log_error(m->log, "the event loop failed");
			return 1;
		}
		master_loop_end(m);
	}
	return m->status;
}

void
master_free(struct master *m)
{
	struct client *c;
	size_t i;

	/* The Logo thread first: its line reads the workspace. */
	logoline_free_job(evaluator_stop(&m->eval));
	logoline_drop(m);
	/* A clean stop leaves a snapshot: the next start reads no log. */
	if (m->store.logfd != -1) {
		char *why;

		if (store_commit(&m->store, common_now_ms(), &why) != 0 ||
		    store_sync(&m->store, &why) != 0 ||
		    recover_snapshot(m, &why) != 0) {
			log_error(m->log, "saving the state: %s", why);
			free(why);
		}
	}
	store_close(&m->store);
	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c == NULL)
			continue;
		client_lose(&m->clients, c, "shutdown", 0);
		master_release(m, c);
		master_free_client(m, c);
	}
	pool_free(&m->pool);
	accept_free(m);
	for (i = 0; i < m->ls->nd; i++) {
		if (m->ls->d[i].ev != NULL)
			event_free(m->ls->d[i].ev);
		m->ls->d[i].ev = NULL;
	}
	/* Some may be missing when master_create() failed half way. */
	for (i = 0; i < MASTER_NSIG; i++)
		master_event_free(m->ev_sig[i]);
	master_event_free(m->ev_chld);
	if (m->sigchld != -1)
		close(m->sigchld);
	master_event_free(m->ev_tick);
	master_event_free(m->ev_turn);
	master_event_free(m->ev_deadline);
	event_base_free(m->base);
	world_free(&m->world);
	logo_workspace_free(m->ws);
	clients_free(&m->clients);
	turns_free(&m->turns);
	history_free(&m->hist);
	snapshot_free(&m->snap);
	output_free(&m->out);
	free(m->rbuf);
	free(m);
}

static void
master_status(const struct master *m, struct dgram_status *st)
{
	st->pid = m->pid;
	st->uptime = (common_now_ms() - m->start_ms) / 1000;
	st->clients = m->joined;
	st->seq = m->seq;
	st->x = m->world.x;
	st->y = m->world.y;
	st->mode = m->opt->mode == SERVER_MODE_TURNS ? "turns" : "free";
}

static void
master_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct master *m = arg;
	char *cause = NULL;

	(void)what;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info(m->log, "got signal %d", (int)sig);
		master_stop(m, "signal");
		break;
	case SIGHUP:
		if (log_reopen(m->log, &cause) != 0) {
			log_error(m->log, "%s", cause);
			free(cause);
		} else {
			log_info(m->log, "log file reopened");
			pool_log(&m->pool);
		}
		master_tell_reopen(m);
		break;
	}
}

/* The workers write the same log file: each reopens it too. */
static void
master_tell_reopen(struct master *m)
{
	static const char ctl = IPC_CTL_REOPEN;
	struct client *c;
	size_t i;

	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c == NULL || c->w == NULL || (c->flags & CLIENT_LOST))
			continue;
		/* One byte into an idle direction: full means a stuck worker.
		 */
		if (send(c->w->ipc, &ctl, 1, MSG_DONTWAIT | MSG_NOSIGNAL) != 1)
			log_warn(m->log,
			    "cannot tell worker cid=%d to reopen "
			    "the log: %s",
			    c->cid, strerror(errno));
	}
}

/*
 * SIGCHLD is blocked and read from a signalfd: no handler, no pipe, one
 * read however many children ended.
 */
static void
master_sigchld_cb(evutil_socket_t fd, short what, void *arg)
{
	struct signalfd_siginfo si[8];

	(void)what;
	if (read(fd, si, sizeof si) == -1 && errno != EAGAIN && errno != EINTR)
		log_warn(((struct master *)arg)->log, "signalfd: %s",
		    strerror(errno));
	master_reap(arg);
}

/* Reaps every finished child; pool.c knows which it was and logs it. */
static void
master_reap(struct master *m)
{
	pid_t pid;
	int status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0)
			break;
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		pool_reaped(&m->pool, pid, status);
	}
}

static void
master_dgram_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dgram *d = arg;
	struct dgram_status st;

	(void)fd; /* d->fd */
	(void)what;
	master_status(d->m, &st);
	dgram_service(d, d->m->log, &st);
}

static void
master_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct master *m = arg;
	uint64_t now = common_now_ms();

	(void)fd;
	(void)what;
	if (store_sync_due(&m->store, now)) {
		char *why;

		if (store_sync(&m->store, &why) != 0)
			log_fatalx(m->log,
			    "the state cannot be synced, "
			    "stopping: %s",
			    why);
	}
	output_check_stuck(&m->out, now);
	accept_tick(m, now);
	pool_tick(&m->pool);
	master_trim(m);
}

/*
 * Once a second: when at least half of the heap is free and that is more
 * than MASTER_TRIM_MIN, it is given back to the system, so the master's
 * resident size follows its load down (malloc keeps freed memory below
 * whatever was allocated after it, which is most of it after a crowd).
 * Only after clients were freed: mallinfo2() walks the free lists, so it
 * is not called on every tick of a busy server, and the trim, which walks
 * the heap, runs only when there is something worth giving back.
 */
static void
master_trim(struct master *m)
{
	struct mallinfo2 mi;

	if (m->freed == 0)
		return;
	m->freed = 0;
	mi = mallinfo2();
	if (mi.fordblks < MASTER_TRIM_MIN || mi.fordblks < mi.uordblks)
		return;
	malloc_trim(0);
	log_debug(m->log, "gave %zu kB of free heap back (%zu kB in use)",
	    mi.fordblks / 1024, mi.uordblks / 1024);
}

static void
master_turn_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	command_turn_expired(arg);
}

/* Stopping took too long: whoever is left is killed. */
static void
master_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct master *m = arg;

	(void)fd;
	(void)what;
	pool_kill(&m->pool);
	pool_free(&m->pool);
	m->done = 1;
}

/*
 * A lost client lets go of its worker: closing our end tells the worker
 * to exit; one that has sent its last message goes back to the pool.
 * Output it may not flush is dropped.
 */
static void
master_release(struct master *m, struct client *c)
{
	if (!(c->flags & CLIENT_FLUSH))
		output_discard(c);
	if (c->w == NULL)
		return;
	pool_release(&m->pool, c->w, (c->flags & CLIENT_REUSE) != 0);
	c->w = NULL;
}

/*
 * The turn's records to disk before any of its output leaves: what a
 * client is told is in the state.  If that fails nothing of the turn may
 * be told, so turtled stops at once, unflushed (clients see the
 * connection end), rather than acknowledge what a restart would lose.
 */
static void
master_commit(struct master *m)
{
	char *why;

	if (store_commit(&m->store, common_now_ms(), &why) != 0)
		log_fatalx(
		    m->log, "the state cannot be written, stopping: %s", why);
}

/* A client lost since its leave was announced (by the turn's writes). */
static int
master_unannounced(const struct master *m)
{
	const struct client *c;

	TAILQ_FOREACH(c, &m->clients.lost, lost_entry)
	{
		if (!(c->flags & CLIENT_LEFT))
			return 1;
	}
	return 0;
}

static void
master_free_client(struct master *m, struct client *c)
{
	TAILQ_REMOVE(&m->clients.lost, c, lost_entry);
	m->clients.nlost--;
	if (c->flags & CLIENT_DIRTY)
		TAILQ_REMOVE(&m->out.dirty, c, dirty_entry);
	if (c->flags & CLIENT_RESYNC)
		m->out.nresync--;
	event_free(c->ev_ipc);
	event_free(c->ev_write);
	evbuffer_free(c->out);
	close(c->fd);
	logo_pending_free(c->pending);
	free(c->held);
	clients_remove(&m->clients, c);
	free(c);
	m->freed++;
}

/*
 * Once per loop turn, what the callbacks only marked: a stop asked for,
 * leaves, workers given back, then one write per client, the frees, and
 * the listeners re-armed (or not) for what changed.
 */
static void
master_loop_end(struct master *m)
{
	struct client *c, *next;
	uint64_t now;
	char *why;

	if (m->stop_reason != NULL && !m->stopping)
		master_stop(m, m->stop_reason);
	/*
	 * A leave may cut a slow client, which joins the tail, and the writes
	 * may lose a client whose peer is gone: again until every lost client
	 * has left, so none is freed unannounced or holding its worker.
	 */
	do {
		TAILQ_FOREACH(c, &m->clients.lost, lost_entry)
		{
			if (!(c->flags & CLIENT_LEFT))
				command_left(m, c);
		}
		TAILQ_FOREACH(c, &m->clients.lost, lost_entry)
		master_release(m, c);
		master_commit(m);
		output_flush(&m->out);
	} while (master_unannounced(m));
	if (store_wants_compact(&m->store) && recover_snapshot(m, &why) != 0) {
		log_error(m->log, "compacting the state: %s", why);
		free(why);
	}

	now = common_now_ms();
	for (c = TAILQ_FIRST(&m->clients.lost); c != NULL; c = next) {
		next = TAILQ_NEXT(c, lost_entry);
		if (!(c->flags & CLIENT_FLUSH) || !output_pending(c) ||
		    now - c->lost_ms >= c->linger_ms)
			master_free_client(m, c);
	}
	if (m->pool.pause_why != NULL) {
		accept_pause(m, m->pool.pause_why);
		m->pool.pause_why = NULL;
	}
	accept_update(m);
	if (m->stopping && m->clients.count == 0 && pool_done(&m->pool))
		m->done = 1;
}

/*
 * Stops the server: the socket files go at once (a connect right after
 * fails), every v1 client gets evt shutdown, workers are told to exit by
 * closing their socketpairs, and the loop ends when all are gone or after
 * MASTER_STOP_MS.
 */
static void
master_stop(struct master *m, const char *reason)
{
	struct proto_event ev;
	struct client *c;
	size_t i;

	if (m->stopping)
		return;
	m->stopping = 1;
	log_info(m->log, "stopping (%s)", reason);
	accept_update(m);
	for (i = 0; i < m->ls->nd; i++)
		event_del(m->ls->d[i].ev);
	listen_close(m->ls);
	pool_close(&m->pool);
	event_del(m->ev_turn);

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_SHUTDOWN;
	util_strlcpy(ev.text, reason, sizeof ev.text);
	broadcast_event(m, &ev);

	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c != NULL)
			client_lose(&m->clients, c, "shutdown", 1);
	}
	if (master_timer(m->ev_deadline, MASTER_STOP_MS) != 0)
		log_error(m->log, "cannot arm the stop deadline");
}
