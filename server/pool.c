/*
 * pool.c - the worker table: every worker process, from its fork by the
 * spawner to its reaping, and the master's requests to the spawner.
 *
 * A connection should not wait for a fork, and the master should not pay
 * for one: the spawner (spawner.c) forks workers ahead of need and the
 * master keeps up to POOL_MAX of them idle.  A new connection takes one;
 * when only POOL_MAX - SPAWN_BATCH are left the master asks for a batch
 * more (one request at a time, so a batch costs the master one message
 * each way).  With none ready the master stops accepting until some are
 * (the connections wait in the listener's backlog); when the spawner
 * cannot fork, it accepts again and refuses them, and asks again once a
 * second.
 *
 * Each worker is one struct pool_worker, keyed by pid, whatever it is
 * doing: idle, serving a client (which holds the entry), retired (its
 * socketpair closed, waiting to be reaped), or reaped before the spawner's
 * answer named it (early).  The reaper and the spawner's answer can come in
 * either order; both find the entry here, so the early death is handled
 * once.  Nothing here calls up: a pause the master should make is left in
 * pause_why, and the listeners are re-armed at the end of the loop turn.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "server.h"

static struct pool_worker *pool_find(const struct pool *, pid_t);
static struct pool_worker *pool_new(struct pool *, pid_t, int ipc);
static void pool_delete(struct pool *, struct pool_worker *);
static void pool_early(struct pool *, pid_t);
static int pool_request(struct pool *);
static void pool_read_cb(evutil_socket_t, short, void *);
static int pool_answer(struct pool *);
static void pool_lost_spawner(struct pool *, const char *);
static void pool_spawner_reaped(struct pool *, pid_t, int);
static void pool_restart(struct pool *);
static void pool_retire_idle(struct pool *);

/* No spawner yet: failing, so that connections are refused, not held. */
void
pool_init(struct pool *p, const struct options *opt, struct logger *log)
{
	size_t i;

	memset(p, 0, sizeof *p);
	p->opt = opt;
	p->log = log;
	p->spawner = -1;
	p->ctl = -1;
	p->failing = 1;
	for (i = 0; i < POOL_HASH; i++)
		LIST_INIT(&p->hash[i]);
	TAILQ_INIT(&p->idle);
	TAILQ_INIT(&p->early);
}

static struct pool_worker *
pool_find(const struct pool *p, pid_t pid)
{
	struct pool_worker *w;

	LIST_FOREACH(w, &p->hash[(unsigned)pid % POOL_HASH], hash_entry)
	{
		if (w->pid == pid)
			return w;
	}
	return NULL;
}

/* A worker the spawner just named: idle when ipc is given, else retired. */
static struct pool_worker *
pool_new(struct pool *p, pid_t pid, int ipc)
{
	struct pool_worker *w = util_calloc(1, sizeof *w);

	w->pid = pid;
	w->ipc = ipc;
	w->state = ipc == -1 ? POOL_W_RETIRED : POOL_W_IDLE;
	LIST_INSERT_HEAD(&p->hash[(unsigned)pid % POOL_HASH], w, hash_entry);
	/* Behind the workers that served before: those go first (their
	 * pages are warm, and the next client gets the same process). */
	if (w->state == POOL_W_IDLE) {
		TAILQ_INSERT_TAIL(&p->idle, w, list_entry);
		p->nidle++;
	}
	p->nlive++;
	return w;
}

/* Off every list, its end closed, freed. */
static void
pool_delete(struct pool *p, struct pool_worker *w)
{
	switch (w->state) {
	case POOL_W_IDLE:
		TAILQ_REMOVE(&p->idle, w, list_entry);
		p->nidle--;
		break;
	case POOL_W_EARLY:
		TAILQ_REMOVE(&p->early, w, list_entry);
		p->nearly--;
		break;
	default:
		break;
	}
	if (w->state != POOL_W_EARLY && w->state != POOL_W_REAPED)
		p->nlive--;
	LIST_REMOVE(w, hash_entry);
	if (w->ipc != -1)
		close(w->ipc);
	free(w);
}

/*
 * A worker reaped before the spawner named it: kept, so that the answer
 * does not revive it.  Only the last POOL_EARLY are kept; an older one is
 * named long since, or never will be (its spawner died).
 */
static void
pool_early(struct pool *p, pid_t pid)
{
	struct pool_worker *w;

	if (p->nearly == POOL_EARLY)
		pool_delete(p, TAILQ_FIRST(&p->early));
	w = util_calloc(1, sizeof *w);
	w->pid = pid;
	w->ipc = -1;
	w->state = POOL_W_EARLY;
	LIST_INSERT_HEAD(&p->hash[(unsigned)pid % POOL_HASH], w, hash_entry);
	TAILQ_INSERT_TAIL(&p->early, w, list_entry);
	p->nearly++;
}

/*
 * Forks the spawner: early, while the master is small.  -1 with the
 * reason (and errno in p->err) when it cannot.
 */
int
pool_start(struct pool *p, char **cause)
{
	pid_t pid;
	int ctl;

	pid = spawner_start(p->opt, p->log, &ctl, cause);
	if (pid == -1) {
		p->err = errno;
		p->failing = 1;
		return -1;
	}
	p->spawner = pid;
	p->ctl = ctl;
	p->ev = NULL;
	p->asked = 0;
	p->stale = 0;
	p->failing = 0;
	p->err = 0;
	return 0;
}

/*
 * Once the event loop exists: listen to the spawner and fill the pool.
 * 0 (also with no spawner: the tick starts one), or -1 when libevent
 * refused.
 */
int
pool_attach(struct pool *p, struct event_base *base)
{
	p->base = base;
	if (p->ctl == -1)
		return 0;
	p->ev = event_new(base, p->ctl, EV_READ | EV_PERSIST, pool_read_cb, p);
	if (p->ev == NULL || event_add(p->ev, NULL) != 0) {
		log_error(p->log, "cannot watch the spawner");
		return -1;
	}
	pool_fill(p);
	return 0;
}

/*
 * Can a connection be served now: an idle worker, or none coming (then it
 * is refused with the reason rather than left waiting)?
 */
int
pool_ready(const struct pool *p)
{
	return p->nidle > 0 || p->failing;
}

/* Asks for a batch.  0, or -1 if the request could not go. */
static int
pool_request(struct pool *p)
{
	struct spawn_request req;
	size_t n = POOL_MAX - p->nidle;
	ssize_t w;

	if (n > SPAWN_BATCH)
		n = SPAWN_BATCH;
	if (p->failing)
		n = 1; /* a probe */
	memset(&req, 0, sizeof req);
	req.type = SPAWN_WORKER;
	req.n = (uint32_t)n;
	w = send(p->ctl, &req, sizeof req, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w != (ssize_t)sizeof req) {
		/* The spawner is gone (its EOF says so) or hopelessly
		 * behind: ask again later. */
		log_debug(p->log, "spawner request: %s",
		    w == -1 ? strerror(errno) : "short");
		return -1;
	}
	p->asked = n;
	return 0;
}

void
pool_fill(struct pool *p)
{
	/* Paused, out of descriptors: new ends would only be lost. */
	if (p->ctl == -1 || p->stopping || p->paused || p->pause_why != NULL ||
	    p->failing || p->asked != 0)
		return;
	if (p->nidle <= POOL_MAX - SPAWN_BATCH)
		pool_request(p);
}

/*
 * The idle worker that served last (else the oldest new one), now serving
 * cid; NULL if none is ready.
 */
struct pool_worker *
pool_take(struct pool *p, int cid)
{
	struct pool_worker *w = TAILQ_FIRST(&p->idle);

	if (w == NULL)
		return NULL;
	TAILQ_REMOVE(&p->idle, w, list_entry);
	p->nidle--;
	w->state = POOL_W_SERVING;
	w->cid = cid;
	w->uses++;
	return w;
}

/*
 * Its client is gone.  A worker that sent its last message for it
 * (reusable) is idle again, unless it has served its --worker-uses or the
 * pool is full; any other is retired: closing its socketpair makes it
 * exit.  One reaped already is freed now.
 */
void
pool_release(struct pool *p, struct pool_worker *w, int reusable)
{
	if (w->state == POOL_W_REAPED) {
		pool_delete(p, w);
		return;
	}
	if (reusable)
		w->cid = 0;
	if (reusable && !p->stopping && p->nidle < POOL_MAX &&
	    w->uses < p->opt->worker_uses) {
		w->state = POOL_W_IDLE;
		TAILQ_INSERT_HEAD(&p->idle, w, list_entry);
		p->nidle++;
		return;
	}
	w->state = POOL_W_RETIRED;
	if (w->ipc != -1)
		close(w->ipc);
	w->ipc = -1;
}

/*
 * Reads the spawner's answer to the request in flight.  0, or -1 if the
 * spawner is gone or broken.
 */
static int
pool_answer(struct pool *p)
{
	struct spawn_reply rep;
	struct pool_worker *w;
	int fds[SPAWN_BATCH], lost, fd;
	size_t nfd, i;
	ssize_t n;

	n = fds_recv(p->ctl, &rep, sizeof rep, fds, SPAWN_BATCH, &nfd, &lost,
	    MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0) {
		pool_lost_spawner(p, n == 0 ? "closed" : strerror(errno));
		return -1;
	}
	if (n != (ssize_t)sizeof rep || p->asked == 0 || rep.n > p->asked ||
	    nfd > rep.n || (nfd < rep.n && !lost)) {
		while (nfd > 0)
			close(fds[--nfd]);
		log_error(p->log,
		    "the spawner pid=%ld sent a bad reply: killing it",
		    (long)p->spawner);
		if (p->spawner != -1)
			kill(p->spawner, SIGKILL);
		pool_lost_spawner(p, "bad reply");
		return -1;
	}
	p->asked = 0;
	p->failing = rep.n == 0;
	p->err = rep.err;
	if (rep.err != 0)
		log_warn(p->log, "the spawner cannot fork a worker: %s",
		    strerror(rep.err));
	if (nfd < rep.n) {
		/* Out of descriptors: the workers whose ends did not come
		 * see EOF and exit; they are still ours to reap. */
		log_warn(p->log,
		    "out of file descriptors: %zu new workers "
		    "let go",
		    (size_t)rep.n - nfd);
		p->pause_why = "out of file descriptors";
	}
	for (i = 0; i < rep.n; i++) {
		fd = i < nfd ? fds[i] : -1;
		w = pool_find(p, rep.pid[i]);
		if (w != NULL && w->state == POOL_W_EARLY) {
			/* It died before we knew it; the reaper logged it. */
			pool_delete(p, w);
			if (fd != -1)
				close(fd);
			continue;
		}
		if (fd != -1 &&
		    (p->stale || p->stopping || p->nidle == POOL_MAX)) {
			close(fd); /* not needed after all: it exits */
			fd = -1;
		}
		pool_new(p, rep.pid[i], fd);
	}
	p->stale = 0;
	return 0;
}

static void
pool_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pool *p = arg;

	(void)fd;
	(void)what;
	if (pool_answer(p) == 0)
		pool_fill(p);
}

/* Its socketpair is closed: no more workers until a new one runs. */
static void
pool_lost_spawner(struct pool *p, const char *why)
{
	if (p->ctl == -1)
		return;
	if (!p->stopping)
		log_warn(p->log, "lost the spawner (%s)", why);
	if (p->ev != NULL)
		event_free(p->ev);
	p->ev = NULL;
	close(p->ctl);
	p->ctl = -1;
	p->asked = 0;
	p->stale = 0;
	if (!p->stopping)
		p->failing = 1;
	p->err = 0;
}

static void
pool_spawner_reaped(struct pool *p, pid_t pid, int status)
{
	p->spawner = -1;
	if (p->stopping)
		log_debug(p->log, "spawner pid=%ld exited", (long)pid);
	else if (WIFSIGNALED(status))
		log_error(p->log, "spawner pid=%ld terminated: signal %d",
		    (long)pid, WTERMSIG(status));
	else
		log_error(p->log, "spawner pid=%ld exited with status %d",
		    (long)pid, WEXITSTATUS(status));
	pool_lost_spawner(p, "it died");
	/* At once, unless it keeps dying: then once a second, on the tick. */
	if (!p->stopping && common_now_ms() - p->restart_ms >= POOL_RESTART_MS)
		pool_restart(p);
}

/*
 * The reaper's call for every pid waitpid() returns.  Its client, if it
 * had one, is not touched: messages the worker sent before dying may
 * still wait on the socketpair (a quit, say), and the EOF that follows
 * them is what ends the client, with "crash" when no bye came first.
 */
void
pool_reaped(struct pool *p, pid_t pid, int status)
{
	struct pool_worker *w;
	char who[64];

	if (pid == p->spawner) {
		pool_spawner_reaped(p, pid, status);
		return;
	}
	w = pool_find(p, pid);
	if (w == NULL || w->state == POOL_W_EARLY)
		snprintf(who, sizeof who, "new worker");
	else if (w->cid > 0)
		snprintf(who, sizeof who, "worker cid=%d", w->cid);
	else
		snprintf(who, sizeof who, "idle worker");
	if (WIFSIGNALED(status))
		log_warn(p->log, "%s pid=%ld terminated: signal %d", who,
		    (long)pid, WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warn(p->log, "%s pid=%ld exited with status %d", who,
		    (long)pid, WEXITSTATUS(status));
	else
		log_debug(p->log, "%s pid=%ld exited", who, (long)pid);

	if (w == NULL) {
		pool_early(p, pid);
		return;
	}
	switch (w->state) {
	case POOL_W_SERVING:
		/* Its client still holds it: freed when it lets go. */
		w->state = POOL_W_REAPED;
		p->nlive--;
		break;
	case POOL_W_IDLE:
		/* No longer there to take a connection. */
		pool_delete(p, w);
		pool_fill(p);
		break;
	case POOL_W_RETIRED:
		pool_delete(p, w);
		break;
	case POOL_W_REAPED:
	case POOL_W_EARLY:
		break; /* a pid reused already: nothing of ours */
	}
}

/* A new spawner, the old one being gone (socketpair closed, reaped). */
static void
pool_restart(struct pool *p)
{
	char *cause = NULL;

	p->restart_ms = common_now_ms();
	if (pool_start(p, &cause) != 0) {
		log_error(p->log, "cannot start a spawner: %s", cause);
		free(cause);
		return;
	}
	log_info(p->log, "spawner restarted, pid=%ld", (long)p->spawner);
	if (p->base != NULL && pool_attach(p, p->base) != 0) {
		kill(p->spawner, SIGKILL); /* reaped as the spawner */
		pool_lost_spawner(p, "cannot watch it");
	}
}

/* Once a second: a new spawner if it is gone, a retry if forks failed. */
void
pool_tick(struct pool *p)
{
	if (p->stopping)
		return;
	if (p->ctl == -1 && p->spawner == -1) {
		pool_restart(p);
		return;
	}
	if (p->ctl != -1 && p->failing && p->asked == 0)
		pool_request(p);
}

/* Idle workers let go: they exit on EOF, and are reaped as retired. */
static void
pool_retire_idle(struct pool *p)
{
	struct pool_worker *w;

	while ((w = TAILQ_FIRST(&p->idle)) != NULL) {
		TAILQ_REMOVE(&p->idle, w, list_entry);
		p->nidle--;
		w->state = POOL_W_RETIRED;
		close(w->ipc);
		w->ipc = -1;
	}
}

/*
 * SIGHUP reopened the log: the spawner gets the new file, and idle
 * workers, which hold the old one, are let go for new ones.
 */
void
pool_log(struct pool *p)
{
	struct spawn_request req;

	if (p->ctl == -1)
		return;
	memset(&req, 0, sizeof req);
	req.type = SPAWN_LOG;
	if (fds_send(p->ctl, &req, sizeof req, &p->log->fd, 1, MSG_DONTWAIT) !=
	    (ssize_t)sizeof req) {
		log_warn(p->log, "cannot pass the log to the spawner: %s",
		    strerror(errno));
		return;
	}
	pool_retire_idle(p);
	p->stale = p->asked != 0; /* forked before the new log */
	pool_fill(p);
}

/*
 * Stopping: idle workers are let go, and the spawner sees EOF once it has
 * answered what it was asked (the answer still comes, so every worker it
 * forks is known and reaped).
 */
void
pool_close(struct pool *p)
{
	p->stopping = 1;
	pool_retire_idle(p);
	if (p->ctl != -1)
		shutdown(p->ctl, SHUT_WR);
}

/* Stopping took too long: every worker still running is killed, reaped. */
void
pool_kill(struct pool *p)
{
	struct pool_worker *w, *next;
	size_t i;
	int status;

	if (p->nlive != 0)
		log_warn(p->log, "%zu workers still running: killing them",
		    p->nlive);
	for (i = 0; i < POOL_HASH; i++) {
		for (w = LIST_FIRST(&p->hash[i]); w != NULL; w = next) {
			next = LIST_NEXT(w, hash_entry);
			if (w->state == POOL_W_REAPED ||
			    w->state == POOL_W_EARLY)
				continue;
			kill(w->pid, SIGKILL);
			while (
			    waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
				;
			if (w->state == POOL_W_SERVING) {
				w->state = POOL_W_REAPED;
				p->nlive--;
			} else
				pool_delete(p, w);
		}
	}
}

/*
 * Nothing left to wait for: the spawner goes now, and every entry but
 * those still held by a client (freed when it lets go) with it.
 */
void
pool_free(struct pool *p)
{
	struct pool_worker *w, *next;
	size_t i;
	int status;

	pool_close(p);
	pool_lost_spawner(p, "freed");
	if (p->spawner != -1) {
		kill(p->spawner, SIGKILL);
		while (waitpid(p->spawner, &status, 0) == -1 && errno == EINTR)
			;
		p->spawner = -1;
	}
	for (i = 0; i < POOL_HASH; i++) {
		for (w = LIST_FIRST(&p->hash[i]); w != NULL; w = next) {
			next = LIST_NEXT(w, hash_entry);
			if (w->state != POOL_W_SERVING &&
			    w->state != POOL_W_REAPED)
				pool_delete(p, w);
		}
	}
}

/* Stopped: no spawner, and no worker left to reap. */
int
pool_done(const struct pool *p)
{
	return p->ctl == -1 && p->spawner == -1 && p->nlive == 0;
}
