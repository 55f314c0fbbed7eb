/*
 * pool.c - the master's idle workers and its requests to the spawner.
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

static int pool_request(struct master *);
static void pool_read_cb(evutil_socket_t, short, void *);
static int pool_answer(struct master *);
static void pool_lost_spawner(struct master *, const char *);
static int pool_early_take(struct pool *, pid_t);
static void pool_restart(struct master *);

/* No spawner yet: failing, so that connections are refused, not held. */
void
pool_init(struct pool *p)
{
	memset(p, 0, sizeof *p);
	p->spawner = -1;
	p->ctl = -1;
	p->failing = 1;
}

/*
 * Forks the spawner: early, while the master is small.  -1 with the
 * reason (and errno in p->err) when it cannot.
 */
int
pool_start(struct master *m, char **cause)
{
	struct pool *p = &m->pool;
	pid_t pid;
	int ctl;

	pid = spawner_start(m->opt, m->log, &ctl, cause);
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
pool_attach(struct master *m)
{
	struct pool *p = &m->pool;

	if (p->ctl == -1)
		return 0;
	p->ev =
	    event_new(m->base, p->ctl, EV_READ | EV_PERSIST, pool_read_cb, m);
	if (p->ev == NULL || event_add(p->ev, NULL) != 0) {
		log_error(m->log, "cannot watch the spawner");
		return -1;
	}
	pool_fill(m);
	master_listen(m);
	return 0;
}

/* Asks for a batch.  0, or -1 if the request could not go. */
static int
pool_request(struct master *m)
{
	struct pool *p = &m->pool;
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
		log_debug(m->log, "spawner request: %s",
		    w == -1 ? strerror(errno) : "short");
		return -1;
	}
	p->asked = n;
	return 0;
}

void
pool_fill(struct master *m)
{
	struct pool *p = &m->pool;

	/* Paused, out of descriptors: new ends would only be lost. */
	if (p->ctl == -1 || m->stopping || m->paused || p->failing ||
	    p->asked != 0)
		return;
	if (p->nidle <= POOL_MAX - SPAWN_BATCH)
		pool_request(m);
}

/* An idle worker for a new connection; -1 if none is ready. */
int
pool_take(struct master *m, struct pool_idle *out)
{
	struct pool *p = &m->pool;

	if (p->nidle == 0)
		return -1;
	*out = p->idle[--p->nidle];
	return 0;
}

/*
 * A worker whose client is gone and which sent its last message for it:
 * idle again, unless it has served its --worker-uses or the pool is full
 * (then closing its socketpair makes it exit).
 */
void
pool_return(struct master *m, const struct pool_idle *w)
{
	struct pool *p = &m->pool;

	master_proc_set(m, w->pid, 0);
	if (m->stopping || p->nidle == POOL_MAX ||
	    w->uses >= m->opt->worker_uses) {
		close(w->ipc);
		return;
	}
	p->idle[p->nidle++] = *w;
}

static int
pool_early_take(struct pool *p, pid_t pid)
{
	size_t i;

	for (i = 0; i < p->nearly; i++) {
		if (p->early[i] == pid) {
			p->early[i] = p->early[--p->nearly];
			return 1;
		}
	}
	return 0;
}

/*
 * Reads the spawner's answer to the request in flight.  0, or -1 if the
 * spawner is gone or broken.
 */
static int
pool_answer(struct master *m)
{
	struct pool *p = &m->pool;
	struct spawn_reply rep;
	int fds[SPAWN_BATCH], lost;
	size_t nfd, i;
	ssize_t n;

	n = fds_recv(p->ctl, &rep, sizeof rep, fds, SPAWN_BATCH, &nfd, &lost,
	    MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0) {
		pool_lost_spawner(m, n == 0 ? "closed" : strerror(errno));
		return -1;
	}
	if (n != (ssize_t)sizeof rep || p->asked == 0 || rep.n > p->asked ||
	    nfd > rep.n || (nfd < rep.n && !lost)) {
		while (nfd > 0)
			close(fds[--nfd]);
		log_error(m->log,
		    "the spawner pid=%ld sent a bad reply: killing it",
		    (long)p->spawner);
		if (p->spawner != -1)
			kill(p->spawner, SIGKILL);
		pool_lost_spawner(m, "bad reply");
		return -1;
	}
	p->asked = 0;
	p->failing = rep.n == 0;
	p->err = rep.err;
	if (rep.err != 0)
		log_warn(m->log, "the spawner cannot fork a worker: %s",
		    strerror(rep.err));
	if (nfd < rep.n) {
		/* Out of descriptors: the workers whose ends did not come
		 * see EOF and exit; they are still ours to reap. */
		log_warn(m->log,
		    "out of file descriptors: %zu new workers "
		    "let go",
		    (size_t)rep.n - nfd);
		master_pause(m, "out of file descriptors");
	}
	for (i = 0; i < rep.n; i++) {
		if (pool_early_take(p, rep.pid[i])) {
			/* It died before we knew it; the reaper logged it. */
			if (i < nfd)
				close(fds[i]);
			continue;
		}
		master_proc_add(m, rep.pid[i], 0);
		if (i >= nfd)
			continue;
		if (p->stale || m->stopping || p->nidle == POOL_MAX) {
			close(fds[i]); /* not needed after all: it exits */
			continue;
		}
		p->idle[p->nidle].pid = rep.pid[i];
		p->idle[p->nidle].ipc = fds[i];
		p->idle[p->nidle].uses = 0;
		p->nidle++;
	}
	p->stale = 0;
	return 0;
}

static void
pool_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct master *m = arg;

	(void)fd;
	(void)what;
	if (pool_answer(m) == 0)
		pool_fill(m);
	master_listen(m);
}

/* Its socketpair is closed: no more workers until a new one runs. */
static void
pool_lost_spawner(struct master *m, const char *why)
{
	struct pool *p = &m->pool;

	if (p->ctl == -1)
		return;
	if (!m->stopping)
		log_warn(m->log, "lost the spawner (%s)", why);
	event_free(p->ev);
	p->ev = NULL;
	close(p->ctl);
	p->ctl = -1;
	p->asked = 0;
	p->stale = 0;
	if (!m->stopping)
		p->failing = 1;
	p->err = 0;
}

/*
 * The reaper's call for a pid that is no worker we know: 1 if it was the
 * spawner, else 0 (a worker that died before the spawner named it: its
 * pid is kept, so that the spawner's answer does not revive it).
 */
int
pool_reaped(struct master *m, pid_t pid, int status)
{
	struct pool *p = &m->pool;

	if (pid != p->spawner) {
		if (p->nearly == POOL_EARLY)
			p->nearly--; /* forget the oldest */
		memmove(p->early + 1, p->early, p->nearly * sizeof *p->early);
		p->early[0] = pid;
		p->nearly++;
		return 0;
	}
	p->spawner = -1;
	if (m->stopping)
		log_debug(m->log, "spawner pid=%ld exited", (long)pid);
	else if (WIFSIGNALED(status))
		log_error(m->log, "spawner pid=%ld terminated: signal %d",
		    (long)pid, WTERMSIG(status));
	else
		log_error(m->log, "spawner pid=%ld exited with status %d",
		    (long)pid, WEXITSTATUS(status));
	pool_lost_spawner(m, "it died");
	/* At once, unless it keeps dying: then once a second, on the tick. */
	if (!m->stopping && util_now_ms() - p->restart_ms >= POOL_RESTART_MS)
		pool_restart(m);
	master_listen(m);
	return 1;
}

/* An idle worker died: it is no longer there to take a connection. */
void
pool_forget(struct master *m, pid_t pid)
{
	struct pool *p = &m->pool;
	size_t i;

	for (i = 0; i < p->nidle; i++) {
		if (p->idle[i].pid == pid) {
			close(p->idle[i].ipc);
			p->idle[i] = p->idle[--p->nidle];
			pool_fill(m);
			return;
		}
	}
}

/* A new spawner, the old one being gone (socketpair closed, reaped). */
static void
pool_restart(struct master *m)
{
	struct pool *p = &m->pool;
	char *cause = NULL;

	p->restart_ms = util_now_ms();
	if (pool_start(m, &cause) != 0) {
		log_error(m->log, "cannot start a spawner: %s", cause);
		free(cause);
		return;
	}
	log_info(m->log, "spawner restarted, pid=%ld", (long)p->spawner);
	if (pool_attach(m) != 0) {
		kill(p->spawner, SIGKILL); /* reaped as the spawner */
		pool_lost_spawner(m, "cannot watch it");
	}
}

/* Once a second: a new spawner if it is gone, a retry if forks failed. */
void
pool_tick(struct master *m)
{
	struct pool *p = &m->pool;

	if (m->stopping)
		return;
	if (p->ctl == -1 && p->spawner == -1) {
		pool_restart(m);
		return;
	}
	if (p->ctl != -1 && p->failing && p->asked == 0)
		pool_request(m);
}

/*
 * SIGHUP reopened the log: the spawner gets the new file, and idle
 * workers, which hold the old one, are let go for new ones.
 */
void
pool_log(struct master *m)
{
	struct pool *p = &m->pool;
	struct spawn_request req;

	if (p->ctl == -1)
		return;
	memset(&req, 0, sizeof req);
	req.type = SPAWN_LOG;
	if (fds_send(p->ctl, &req, sizeof req, &m->log->fd, 1, MSG_DONTWAIT) !=
	    (ssize_t)sizeof req) {
		log_warn(m->log, "cannot pass the log to the spawner: %s",
		    strerror(errno));
		return;
	}
	while (p->nidle > 0)
		close(p->idle[--p->nidle].ipc);
	p->stale = p->asked != 0; /* forked before the new log */
	pool_fill(m);
}

/*
 * Stopping: idle workers are let go, and the spawner sees EOF once it has
 * answered what it was asked (the answer still comes, so every worker it
 * forks is known and reaped).
 */
void
pool_close(struct master *m)
{
	struct pool *p = &m->pool;

	while (p->nidle > 0)
		close(p->idle[--p->nidle].ipc);
	if (p->ctl != -1)
		shutdown(p->ctl, SHUT_WR);
}

/* Nothing left to wait for: the spawner goes now. */
void
pool_free(struct master *m)
{
	struct pool *p = &m->pool;
	int status;

	pool_close(m);
	pool_lost_spawner(m, "freed");
	if (p->spawner != -1) {
		kill(p->spawner, SIGKILL);
		while (waitpid(p->spawner, &status, 0) == -1 && errno == EINTR)
			;
		p->spawner = -1;
	}
}

int
pool_done(const struct master *m)
{
	return m->pool.ctl == -1 && m->pool.spawner == -1;
}
