/*
 * spawner.c - the small process that forks every worker.
 *
 * A worker forked from the master would inherit the master's page tables,
 * descriptor table and heap: fork() gets dearer as the master grows, and
 * every page the master writes afterwards leaves a private copy behind in
 * each worker.  So the master forks this process once, at startup, while
 * it is still small.  It waits in a blocking read on its socketpair and
 * forks idle workers when asked, a few at a time; the master keeps some
 * ready and hands each new connection to one of them.
 *
 * Workers are forked with CLONE_PARENT: their parent is the master, as if
 * the master had forked them, so the master reaps them and logs how they
 * ended, and they die with it (PR_SET_PDEATHSIG).  The spawner writes
 * almost nothing after startup, so the pages it shares with every worker
 * stay shared.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

static void spawner_main(const struct options *, struct logger *, int, pid_t)
    __attribute__((noreturn));
static pid_t spawner_fork(void);
static void spawner_worker(const struct options *, struct logger *, pid_t, int)
    __attribute__((noreturn));
static void spawner_batch(
    const struct options *, struct logger *, int, pid_t, unsigned);

/*
 * Forks the spawner.  Returns its pid with *ctl set to the master's end of
 * the socketpair, or -1 with the reason (and errno).
 */
pid_t
spawner_start(
    const struct options *opt, struct logger *log, int *ctl, char **cause)
{
	sigset_t all, old;
	pid_t master = getpid(), pid;
	int sp[2], e;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		e = errno;
		*cause = common_xprintf("socketpair: %s", strerror(e));
		errno = e;
		return -1;
	}
	/* No signal may reach the master's handlers in the child. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		close(sp[0]);
		spawner_main(opt, log, sp[1], master);
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sp[1]);
	if (pid == -1) {
		close(sp[0]);
		*cause = common_xprintf("fork: %s", strerror(e));
		errno = e;
		return -1;
	}
	*ctl = sp[0];
	return pid;
}

/*
 * fork() with CLONE_PARENT: the child's parent is our parent, the master.
 * With no new stack the child runs on a copy of ours, as after fork(); the
 * pointer arguments are all null, so their order (which differs between
 * architectures) does not matter.
 */
static pid_t
spawner_fork(void)
{
	return (pid_t)syscall(SYS_clone,
	    (unsigned long)(CLONE_PARENT | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
}

static void
spawner_worker(
    const struct options *opt, struct logger *log, pid_t master, int ipc)
{
	struct worker_args wa;

	memset(&wa, 0, sizeof wa);
	wa.opt = opt;
	wa.log = log;
	wa.ipc = ipc;
	wa.master = master;
	worker_main(&wa);
}

/*
 * Forks n idle workers, each with a new socketpair, and answers with their
 * pids and the master's ends.  A fork that fails ends the batch: the
 * answer says how many there are and why there are not more.
 */
static void
spawner_batch(const struct options *opt, struct logger *log, int ctl,
    pid_t master, unsigned n)
{
	struct spawn_reply rep;
	int ends[SPAWN_BATCH], sp[2];
	unsigned i;
	ssize_t w;
	pid_t pid;

	memset(&rep, 0, sizeof rep);
	for (i = 0; i < n && i < SPAWN_BATCH; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) ==
		    -1) {
			rep.err = errno;
			break;
		}
		pid = spawner_fork();
		if (pid == 0)
			spawner_worker(opt, log, master, sp[1]);
		if (pid == -1)
			rep.err = errno;
		close(sp[1]);
		if (pid == -1) {
			close(sp[0]);
			break;
		}
		rep.pid[rep.n] = pid;
		ends[rep.n++] = sp[0];
	}
	if (rep.n == 0)
		w = send(ctl, &rep, sizeof rep, MSG_NOSIGNAL);
	else
		w = fds_send(ctl, &rep, sizeof rep, ends, rep.n, 0);
	for (i = 0; i < rep.n; i++)
		close(ends[i]);
	if (w != (ssize_t)sizeof rep)
		_exit(0); /* the master is gone */
}

static void
spawner_main(
    const struct options *opt, struct logger *log, int ctl, pid_t master)
{
	/*
	 * A signal to the whole process group (^C in the terminal that
	 * started a foreground server) is for the master: it stops the
	 * spawner and every worker itself, in order, so one killed first
	 * would look like a crash.  The workers inherit these dispositions.
	 */
	static const int ign[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
	struct spawn_request req;
	struct sigaction sa;
	sigset_t none;
	int keep[2], fd, lost;
	size_t i, nfd;
	ssize_t n;

	/* None of the master's handlers survive here; SIGPIPE stays
	 * ignored: EPIPE is how we learn. */
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof ign / sizeof ign[0]; i++)
		sigaction(ign[i], &sa, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
		log_set_role(log, "spawner");
		log_error(log, "prctl PR_SET_PDEATHSIG: %s", strerror(errno));
		_exit(1);
	}
	if (getppid() != master)
		_exit(0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* The master lets go of the caller's terminal once it serves; we
	 * (and every worker) do now, or a caller waiting for EOF on its
	 * output would wait for the last worker. */
	if (!opt->foreground)
		daemon_detach();
	keep[0] = ctl;
	keep[1] = log->fd;
	fds_close_others(keep, 2);
	prctl(PR_SET_NAME, "turtled-spawner");
	log_set_role(log, "spawner");

	for (;;) {
		n = fds_recv(ctl, &req, sizeof req, &fd, 1, &nfd, &lost, 0);
		if (n == 0)
			_exit(0); /* the master is stopping */
		if (n != (ssize_t)sizeof req || lost ||
		    (req.type == SPAWN_LOG && nfd != 1) ||
		    (req.type == SPAWN_WORKER &&
			(nfd != 0 || req.n < 1 || req.n > SPAWN_BATCH)) ||
		    (req.type != SPAWN_WORKER && req.type != SPAWN_LOG)) {
			/* Our own master, garbled: nothing sane to do. */
			log_error(log, "bad request from the master (%s)",
			    n == -1 ? strerror(errno) : "bad size or fields");
			_exit(1);
		}
		if (req.type == SPAWN_LOG) {
			if (log->fd != -1)
				close(log->fd);
			log->fd = fd;
			continue;
		}
		spawner_batch(opt, log, ctl, master, req.n);
	}
}
