/*
 * master.c - the master process: its event loop, connections and workers.
 *
 * The master owns the listeners, the world and the client table.  Each
 * accepted connection is handed to an idle forked worker (worker.c, forked
 * ahead of need by the spawner, pool.c) that reads it; the master keeps
 * its own descriptor of the socket and is the only one to write to it.  The
 * loop runs one turn at a time: callbacks read workers' messages and append
 * output, then master_loop_end() announces who left, writes every client's
 * queued output once, and frees what was lost.
 */
#define _GNU_SOURCE
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "server.h"

#define MASTER_ACCEPT_BATCH 64
#define MASTER_PAUSE_MS     100
#define MASTER_LINGER_MS    2000 /* a lost client's output may drain */
#define MASTER_STOP_MS      2000 /* workers get this long to go */

static const int master_signals[MASTER_NSIG] = {SIGTERM, SIGINT, SIGHUP};

static void master_signal_cb(evutil_socket_t, short, void *);
static void master_sigchld_cb(evutil_socket_t, short, void *);
static void master_accept_cb(evutil_socket_t, short, void *);
static void master_dgram_cb(evutil_socket_t, short, void *);
static void master_ipc_cb(evutil_socket_t, short, void *);
static int master_ipc_last(const struct ipc_msg *);
static void master_tick_cb(evutil_socket_t, short, void *);
static void master_turn_cb(evutil_socket_t, short, void *);
static void master_resume_cb(evutil_socket_t, short, void *);
static void master_deadline_cb(evutil_socket_t, short, void *);
static void master_reap(struct master *);
static void master_tell_reopen(struct master *);
static void master_client_new(struct master *, struct listener *, int,
    const struct sockaddr *, socklen_t);
static void master_refuse(struct master *, int, enum proto_err, const char *);
static int master_accept_spare(struct master *, int);
static void master_loop_end(struct master *);
static void master_free_client(struct master *, struct client *);
static void master_bad_worker(struct master *, struct client *, const char *);
static int master_proc_remove(struct master *, pid_t);
static int master_timer(struct event *, uint64_t);
static void master_event_free(struct event *);
static void master_status(const struct master *, struct dgram_status *);

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
	struct master *m;
	sigset_t chld;
	char *why;
	size_t i;
	int bad;

	m = util_calloc(1, sizeof *m);
	m->opt = opt;
	m->log = log;
	m->ls = ls;
	m->pid = getpid();
	m->start_ms = util_now_ms();
	/* Before the spawner exists, so that its end is not missed. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	m->sigchld = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (m->sigchld == -1) {
		*cause = util_printf("signalfd: %s", strerror(errno));
		free(m);
		return NULL;
	}
	/* First, while the master is small: workers are forked from it.  A
	 * spawner that cannot start now is tried again every second; until
	 * then each connection is refused with the reason. */
	pool_init(&m->pool);
	if (pool_start(m, &why) != 0) {
		log_error(log, "cannot start the spawner: %s", why);
		free(why);
	}
	m->rbuf = util_calloc(1, OUTPUT_RBUF_MAX);
	clients_init(&m->clients);
	turns_init(&m->turns);
	history_init(&m->hist);
	TAILQ_INIT(&m->dirty);
	TAILQ_INIT(&m->lost);
	if (world_init(&m->world, opt->half_w, opt->half_h, opt->trail) != 0) {
		*cause = util_printf("cannot make a %dx%d world with %zu "
				     "trail segments",
		    2 * opt->half_w + 1, 2 * opt->half_h + 1, opt->trail);
		pool_free(m);
		close(m->sigchld);
		free(m->rbuf);
		free(m);
		return NULL;
	}
	m->base = event_base_new();
	if (m->base == NULL) {
		*cause = util_printf("cannot create the event loop");
		pool_free(m);
		close(m->sigchld);
		world_free(&m->world);
		free(m->rbuf);
		free(m);
		return NULL;
	}
	m->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (m->spare == -1)
		log_warn(log,
		    "no spare descriptor (/dev/null: %s): "
		    "out of descriptors, connections will wait",
		    strerror(errno));
	bad = 0;
	for (i = 0; i < ls->nl; i++) {
		ls->l[i].m = m;
		ls->l[i].ev = event_new(m->base, ls->l[i].fd,
		    EV_READ | EV_PERSIST, master_accept_cb, &ls->l[i]);
		bad |= ls->l[i].ev == NULL;
	}
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
	m->ev_resume = evtimer_new(m->base, master_resume_cb, m);
	m->ev_deadline = evtimer_new(m->base, master_deadline_cb, m);
	bad |= m->ev_tick == NULL || m->ev_turn == NULL ||
	       m->ev_resume == NULL || m->ev_deadline == NULL ||
	       m->ev_chld == NULL || event_add(m->ev_chld, NULL) != 0;
	if (bad || master_timer(m->ev_tick, 1000) != 0 || pool_attach(m) != 0) {
		*cause = util_printf("cannot set up the event loop's events");
		master_free(m);
		return NULL;
	}
	master_listen(m);
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

	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c == NULL)
			continue;
		if (!(c->flags & CLIENT_LOST)) {
			TAILQ_INSERT_TAIL(&m->lost, c, lost_entry);
			m->nlost++;
		}
		c->flags |= CLIENT_LOST;
		master_free_client(m, c);
	}
	pool_free(m);
	for (i = 0; i < m->ls->nl; i++) {
		if (m->ls->l[i].ev != NULL)
			event_free(m->ls->l[i].ev);
		m->ls->l[i].ev = NULL;
	}
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
	if (m->spare != -1)
		close(m->spare);
	master_event_free(m->ev_tick);
	master_event_free(m->ev_turn);
	master_event_free(m->ev_resume);
	master_event_free(m->ev_deadline);
	event_base_free(m->base);
	world_free(&m->world);
	clients_free(&m->clients);
	turns_free(&m->turns);
	history_free(&m->hist);
	free(m->snapcache);
	free(m->batch);
	free(m->rbuf);
	free(m->procs);
	free(m);
}

static void
master_status(const struct master *m, struct dgram_status *st)
{
	st->pid = m->pid;
	st->uptime = (util_now_ms() - m->start_ms) / 1000;
	st->clients = m->joined;
	st->seq = m->seq;
	st->x = m->world.x;
	st->y = m->world.y;
	st->mode = m->opt->mode == SERVER_MODE_TURNS ? "turns" : "free";
}

void
master_proc_add(struct master *m, pid_t pid, int cid)
{
	struct proc *p;

	if (m->nprocs == m->procscap) {
		m->procscap = m->procscap == 0 ? 64 : m->procscap * 2;
		p = realloc(m->procs, m->procscap * sizeof *p);
		if (p == NULL) {
			log_error(m->log, "out of memory");
			abort();
		}
		m->procs = p;
	}
	m->procs[m->nprocs].pid = pid;
	m->procs[m->nprocs].cid = cid;
	m->nprocs++;
}

/* A worker got its client.  0, or -1 if the pid is not one of ours. */
int
master_proc_set(struct master *m, pid_t pid, int cid)
{
	size_t i;

	for (i = m->nprocs; i-- > 0;) {
		if (m->procs[i].pid == pid) {
			m->procs[i].cid = cid;
			return 0;
		}
	}
	return -1;
}

/* The cid the worker served (0: idle), or -1 if the pid is not ours. */
static int
master_proc_remove(struct master *m, pid_t pid)
{
	size_t i;
	int cid;

	for (i = 0; i < m->nprocs; i++) {
		if (m->procs[i].pid == pid) {
			cid = m->procs[i].cid;
			m->procs[i] = m->procs[--m->nprocs];
			return cid;
		}
	}
	return -1;
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
			pool_log(m);
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
		if (c == NULL || c->ipc == -1 || (c->flags & CLIENT_LOST))
			continue;
		/* One byte into an idle direction: full means a stuck worker.
		 */
		if (send(c->ipc, &ctl, 1, MSG_DONTWAIT | MSG_NOSIGNAL) != 1)
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

/*
 * Reaps every finished worker and logs how it ended.  Its client is not
 * touched here: messages the worker sent before dying may still wait on
 * the socketpair (a quit, say), and the EOF that follows them is what ends
 * the client, with "crash" when no bye came first.
 */
static void
master_reap(struct master *m)
{
	char who[64];
	pid_t pid;
	int status, cid;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0)
			break;
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		cid = master_proc_remove(m, pid);
		if (cid == -1 && pool_reaped(m, pid, status))
			continue; /* the spawner: pool.c said why */
		if (cid == 0)
			pool_forget(m, pid);
		if (cid > 0)
			snprintf(who, sizeof who, "worker cid=%d", cid);
		else
			snprintf(who, sizeof who, "%s worker",
			    cid == 0 ? "idle" : "new");
		if (WIFSIGNALED(status))
			log_warn(m->log, "%s pid=%ld terminated: signal %d",
			    who, (long)pid, WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			log_warn(m->log, "%s pid=%ld exited with status %d",
			    who, (long)pid, WEXITSTATUS(status));
		else
			log_debug(m->log, "%s pid=%ld exited", who, (long)pid);
	}
}

static void
master_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct listener *l = arg;
	struct master *m = l->m;
	struct sockaddr_storage ss;
	socklen_t sl;
	char msg[96];
	int fd, i;

	(void)what;
	for (i = 0; i < MASTER_ACCEPT_BATCH; i++) {
		/* Out of idle workers: the rest wait in the backlog. */
		master_listen(m);
		if (!m->listening)
			break;
		sl = sizeof ss;
		fd = accept4(lfd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if ((errno == EMFILE || errno == ENFILE) &&
			    master_accept_spare(m, lfd) == 0)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				master_pause(m, "out of file descriptors");
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn(m->log, "accept on %s: %s", l->name,
				    strerror(errno));
			break;
		}
		/* Lost clients only finish their output: not counted. */
		if (m->clients.count - m->nlost >= m->opt->max_clients) {
			snprintf(msg, sizeof msg,
			    "the server is full (%u clients)",
			    m->opt->max_clients);
			master_refuse(m, fd, PROTO_ERR_SERVER_FULL, msg);
			continue;
		}
		master_client_new(m, l, fd, (struct sockaddr *)&ss, sl);
	}
	pool_fill(m);
}

/*
 * Out of descriptors, a connection left in the backlog would hang with no
 * word.  The spare descriptor (/dev/null) makes room to accept it and say
 * why.  0 when one was refused so; -1 (errno as accept's) when not.
 */
static int
master_accept_spare(struct master *m, int lfd)
{
	int fd, e = errno;

	if (m->spare == -1) {
		errno = e;
		return -1;
	}
	close(m->spare);
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		e = errno;
	else
		master_refuse(m, fd, PROTO_ERR_INTERNAL,
		    "the server is out of file descriptors");
	m->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = e;
	return fd == -1 ? -1 : 0;
}

/*
 * Accepts only while it can serve: not stopping, not out of descriptors,
 * and an idle worker ready (or none coming: then a connection is refused
 * rather than left waiting).
 */
void
master_listen(struct master *m)
{
	int want;
	size_t i;

	want = !m->stopping && !m->paused &&
	       (m->pool.nidle > 0 || m->pool.failing);
	if (want == m->listening)
		return;
	m->listening = want;
	for (i = 0; i < m->ls->nl; i++) {
		if (m->ls->l[i].ev == NULL)
			continue;
		if (want)
			event_add(m->ls->l[i].ev, NULL);
		else
			event_del(m->ls->l[i].ev);
	}
}

/* Out of descriptors or processes: stop accepting for a moment instead
 * of spinning. */
void
master_pause(struct master *m, const char *why)
{
	if (m->paused)
		return;
	log_warn(m->log, "%s: not accepting for %d ms", why, MASTER_PAUSE_MS);
	m->paused = 1;
	master_listen(m);
	if (master_timer(m->ev_resume, MASTER_PAUSE_MS) != 0) {
		/* Without the timer nothing would resume: go on at once. */
		log_error(m->log, "cannot arm the resume timer");
		master_resume_cb(-1, 0, m);
	}
}

static void
master_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct master *m = arg;

	(void)fd;
	(void)what;
	m->paused = 0;
	pool_fill(m);
	master_listen(m);
}

/* Past --max-clients (or out of descriptors): say why and close. */
static void
master_refuse(struct master *m, int fd, enum proto_err err, const char *msg)
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
	log_info(m->log, "connection refused: %s", msg);
}

/*
 * Hands the connection to an idle worker: the one message the master
 * writes to a worker carries the socket.  A worker that died while idle
 * is passed over for the next one.
 */
static void
master_client_new(struct master *m, struct listener *l, int fd,
    const struct sockaddr *sa, socklen_t sl)
{
	struct ipc_start st;
	struct pool_idle w;
	struct client *c;
	struct ucred uc;
	socklen_t ul = sizeof uc;
	char host[64], serv[16], msg[128];
	ssize_t n;
	int one = 1;

	/* Lines are small and each is complete: Nagle would only hold the
	 * next event back behind the client's delayed ACK. */
	if (l->tcp &&
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == -1)
		log_warn(m->log, "setsockopt TCP_NODELAY: %s", strerror(errno));

	c = util_calloc(1, sizeof *c);
	c->m = m;
	c->cid = clients_alloc_cid(&m->clients);
	memset(&st, 0, sizeof st);
	st.magic = IPC_START_MAGIC;
	st.cid = c->cid;
	st.tcp = l->tcp;
	for (;;) {
		if (pool_take(m, &w) != 0) {
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
			master_refuse(m, fd, PROTO_ERR_SERVER_FULL, msg);
			master_pause(m, "cannot fork");
			return;
		}
		n = fds_send(w.ipc, &st, sizeof st, &fd, 1, MSG_DONTWAIT);
		if (n == (ssize_t)sizeof st)
			break;
		log_warn(m->log, "idle worker pid=%ld: %s", (long)w.pid,
		    n == -1 ? strerror(errno) : "short write");
		close(w.ipc);
	}
	master_proc_set(m, w.pid, c->cid);

	c->pid = w.pid;
	c->uses = w.uses + 1;
	c->fd = fd;
	c->ipc = w.ipc;
	c->tcp = l->tcp;
	c->since = time(NULL);
	c->active_ms = util_now_ms();
	outlimit_init(&c->ol);
	if (l->tcp) {
		if (getnameinfo(sa, sl, host, sizeof host, serv, sizeof serv,
			NI_NUMERICHOST | NI_NUMERICSERV) == 0)
			snprintf(c->addr, sizeof c->addr,
			    sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
			    host, serv);
		else
			util_strlcpy(c->addr, "tcp", sizeof c->addr);
	} else if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) == 0) {
		c->uid = uc.uid;
		c->uid_known = 1;
		snprintf(c->addr, sizeof c->addr, "unix uid %ld", (long)uc.uid);
	} else
		util_strlcpy(c->addr, "unix", sizeof c->addr);

	c->out = evbuffer_new();
	c->ev_ipc =
	    event_new(m->base, c->ipc, EV_READ | EV_PERSIST, master_ipc_cb, c);
	c->ev_write = event_new(
	    m->base, c->fd, EV_WRITE | EV_PERSIST, output_write_cb, c);
	if (c->out == NULL || c->ev_ipc == NULL || c->ev_write == NULL ||
	    clients_add(&m->clients, c) != 0) {
		log_error(m->log, "out of memory");
		abort();
	}
	if (event_add(c->ev_ipc, NULL) != 0) {
		log_error(m->log, "cid=%d: cannot watch its worker", c->cid);
		master_lose(m, c, "error", 0);
		return;
	}
	/* Logged when it joins (or closes before that): one line, not two. */
	log_debug(m->log, "cid=%d connected (%s), worker pid=%ld", c->cid,
	    c->addr, (long)c->pid);
}

/* Garbage from a worker: that worker is broken.  Only it goes. */
static void
master_bad_worker(struct master *m, struct client *c, const char *why)
{
	log_error(m->log,
	    "worker cid=%d pid=%ld sent a bad message (%s): "
	    "killing it",
	    c->cid, (long)c->pid, why);
	kill(c->pid, SIGKILL);
	c->flags &= ~CLIENT_REUSE;
	master_lose(m, c, "error", 1);
}

/* A message after which the worker says nothing more of this client. */
static int
master_ipc_last(const struct ipc_msg *msg)
{
	if (msg->type == IPC_TYPE_BYE)
		return 1;
	if (msg->type != IPC_TYPE_CMD)
		return 0;
	if (msg->flags & IPC_F_CLOSE)
		return 1;
	return msg->err == PROTO_OK && msg->has_cmd &&
	       msg->cmd.type == PROTO_CMD_QUIT;
}

static void
master_ipc_cb(evutil_socket_t fd, short what, void *arg)
{
	struct client *c = arg;
	struct master *m = c->m;
	unsigned char *buf = m->rbuf;
	struct ipc_msg msg;
	char why[PROTO_WHY_MAX];
	size_t off = 0, used, len;
	ssize_t n;
	int r;

	(void)what;
	if (c->flags & CLIENT_LOST)
		return;
	/* What is left of a partial message goes in front of the new bytes. */
	memcpy(buf, c->ibuf, c->ilen);
	/* Both ends block; only our reads must not (the worker's writes do:
	 * that is its backpressure). */
	n = recv(fd, buf + c->ilen, OUTPUT_RBUF_MAX - c->ilen, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* No bye first: the worker died under its client, unless
		 * we are stopping and it went because we told it to. */
		master_lose(m, c, m->stopping ? "shutdown" : "crash", 1);
		return;
	}
	len = c->ilen + (size_t)n;
	c->ilen = 0;
	while (!(c->flags & CLIENT_LOST)) {
		why[0] = '\0';
		r = ipc_decode(
		    buf + off, len - off, &msg, &used, why, sizeof why);
		if (r == 0)
			break;
		if (r < 0) {
			master_bad_worker(m, c, why);
			return;
		}
		off += used;
		/* Its last message, last in the stream: the worker is free
		 * once the client is lost (ipc.h). */
		if (master_ipc_last(&msg) && off == len)
			c->flags |= CLIENT_REUSE;
		if (command_dispatch(m, c, &msg, why, sizeof why) != 0) {
			master_bad_worker(m, c, why);
			return;
		}
		if ((c->flags & CLIENT_REUSE) && !(c->flags & CLIENT_LOST))
			master_lose(m, c, "error", 1);
	}
	if (c->flags & CLIENT_LOST)
		return;
	/* Shorter than one message, or ipc_decode would have taken it. */
	memcpy(c->ibuf, buf + off, len - off);
	c->ilen = len - off;
}

static void
master_dgram_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dgram *d = arg;
	struct dgram_status st;

	(void)what;
	master_status(d->m, &st);
	dgram_service(fd, &st);
}

static void
master_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct master *m = arg;

	(void)fd;
	(void)what;
	output_check_stuck(m, util_now_ms());
	pool_tick(m);
	master_listen(m);
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
	size_t i;
	int status;

	(void)fd;
	(void)what;
	if (m->nprocs != 0)
		log_warn(m->log, "%zu workers still running: killing them",
		    m->nprocs);
	for (i = 0; i < m->nprocs; i++)
		kill(m->procs[i].pid, SIGKILL);
	while (m->nprocs != 0) {
		if (waitpid(m->procs[0].pid, &status, 0) == -1 &&
		    errno == EINTR)
			continue;
		master_proc_remove(m, m->procs[0].pid);
	}
	pool_free(m);
	m->done = 1;
}

/*
 * Marks c lost: no more input, no more output appended.  Its leave goes
 * out and it is freed at the end of the loop turn, never in the middle of
 * a broadcast.  With flush, what is queued is written first (bounded).
 */
void
master_lose(struct master *m, struct client *c, const char *reason, int flush)
{
	struct pool_idle w;

	if (c->flags & CLIENT_LOST)
		return;
	c->flags |= CLIENT_LOST;
	c->reason = reason;
	c->lost_ms = util_now_ms();
	if (flush)
		c->flags |= CLIENT_FLUSH;
	else
		output_discard(c);
	/* Closing our end tells the worker to exit; one that has sent its
	 * last message goes back to the pool instead. */
	event_del(c->ev_ipc);
	if (c->ipc != -1 && (c->flags & CLIENT_REUSE)) {
		w.pid = c->pid;
		w.ipc = c->ipc;
		w.uses = c->uses;
		pool_return(m, &w);
	} else if (c->ipc != -1)
		close(c->ipc);
	c->ipc = -1;
	TAILQ_INSERT_TAIL(&m->lost, c, lost_entry);
	m->nlost++;
}

static void
master_free_client(struct master *m, struct client *c)
{
	TAILQ_REMOVE(&m->lost, c, lost_entry);
	m->nlost--;
	if (c->flags & CLIENT_DIRTY)
		TAILQ_REMOVE(&m->dirty, c, dirty_entry);
	event_free(c->ev_ipc);
	event_free(c->ev_write);
	evbuffer_free(c->out);
	close(c->fd);
	if (c->ipc != -1)
		close(c->ipc);
	clients_remove(&m->clients, c);
	free(c);
}

/* Once per loop turn: leaves, then one write per client, then frees. */
static void
master_loop_end(struct master *m)
{
	struct client *c, *next;
	uint64_t now;

	/* A leave may cut a slow client, which joins the tail: one pass. */
	TAILQ_FOREACH(c, &m->lost, lost_entry)
	{
		if (!(c->flags & CLIENT_LEFT))
			command_left(m, c);
	}
	output_flush(m);

	now = util_now_ms();
	for (c = TAILQ_FIRST(&m->lost); c != NULL; c = next) {
		next = TAILQ_NEXT(c, lost_entry);
		if (!(c->flags & CLIENT_FLUSH) ||
		    (evbuffer_get_length(c->out) == 0 && c->blen == 0) ||
		    now - c->lost_ms >= MASTER_LINGER_MS)
			master_free_client(m, c);
	}
	if (m->stopping && m->clients.count == 0 && m->nprocs == 0 &&
	    pool_done(m))
		m->done = 1;
}

/*
 * Stops the server: the socket files go at once (a connect right after
 * fails), every v1 client gets evt shutdown, workers are told to exit by
 * closing their socketpairs, and the loop ends when all are gone or after
 * MASTER_STOP_MS.
 */
void
master_stop(struct master *m, const char *reason)
{
	struct proto_event ev;
	struct client *c;
	size_t i;

	if (m->stopping)
		return;
	m->stopping = 1;
	log_info(m->log, "stopping (%s)", reason);
	master_listen(m);
	for (i = 0; i < m->ls->nd; i++)
		event_del(m->ls->d[i].ev);
	listen_close(m->ls);
	pool_close(m);
	event_del(m->ev_turn);

	memset(&ev, 0, sizeof ev);
	ev.kind = PROTO_EVT_SHUTDOWN;
	util_strlcpy(ev.text, reason, sizeof ev.text);
	broadcast_event(m, &ev);

	for (i = 1; i < m->clients.cap; i++) {
		c = m->clients.slot[i];
		if (c != NULL)
			master_lose(m, c, "shutdown", 1);
	}
	if (master_timer(m->ev_deadline, MASTER_STOP_MS) != 0)
		log_error(m->log, "cannot arm the stop deadline");
}
