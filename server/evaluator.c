/*
 * evaluator.c - the thread that runs Logo lines for the master.
 *
 * A Logo line may take up to its time limit (500 ms) to evaluate; run in
 * the master's loop, one runaway line would hold up every other client's
 * moves and chat.  So the master hands each line to this one thread and
 * goes on; the line is evaluated against the turtle as it was when handed
 * over and the workspace (which only the master changes, and only while
 * this thread is idle), and the master is woken through a pipe to apply
 * the result, or to evaluate it again if the turtle moved meanwhile
 * (logoline.c).  One line at a time: there is one workspace to commit to.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "server.h"

/* Logo's own stack limit is 4 MiB (LOGO_STACK_MAX); sanitizers triple
 * frame sizes. */
#define EVALUATOR_STACK (16u << 20)
#define EVALUATOR_NICE  10

static void *evaluator_thread(void *);
static void evaluator_wake(evutil_socket_t, short, void *);
static uint64_t evaluator_clock(void *);

static uint64_t
evaluator_clock(void *arg)
{
	(void)arg;
	return common_now_ms();
}

static void *
evaluator_thread(void *arg)
{
	struct evaluator *e = arg;
	struct evaluator_job *job;
	struct logo_config cfg;
	char byte = 'd';
	ssize_t n;

	/*
	 * Below the loop and the workers: on two cores a line at the step
	 * limit otherwise doubled everyone's paced p99 (tests/bench
	 * bench_runaway).  Best effort: Linux takes a thread's id here.
	 */
	(void)setpriority(
	    PRIO_PROCESS, (id_t)syscall(SYS_gettid), EVALUATOR_NICE);

	for (;;) {
		pthread_mutex_lock(&e->lock);
		while (e->todo == NULL && !e->quit)
			pthread_cond_wait(&e->cond, &e->lock);
		if (e->quit) {
			pthread_mutex_unlock(&e->lock);
			return NULL;
		}
		job = e->todo;
		e->todo = NULL;
		pthread_mutex_unlock(&e->lock);

		cfg = e->cfg;
		cfg.seed = job->seed;
		job->status = logo_eval_line(e->ws, &job->turtle, job->pending,
		    job->line, job->len, &cfg, &job->res);

		pthread_mutex_lock(&e->lock);
		e->done = job;
		pthread_mutex_unlock(&e->lock);
		do
			n = write(e->pipe[1], &byte, 1);
		while (n == -1 && errno == EINTR);
	}
}

static void
evaluator_wake(evutil_socket_t fd, short what, void *arg)
{
	struct evaluator *e = arg;
	struct evaluator_job *job;
	char buf[16];

	(void)what;
	while (read(fd, buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&e->lock);
	job = e->done;
	e->done = NULL;
	pthread_mutex_unlock(&e->lock);
	if (job == NULL)
		return;
	e->busy = 0;
	e->done_cb(job, e->arg);
}

int
evaluator_start(struct evaluator *e, struct event_base *base,
    const struct logo_workspace *ws, const struct logo_config *cfg,
    void (*done_cb)(struct evaluator_job *, void *), void *arg, char **cause)
{
	memset(e, 0, sizeof *e);
	e->pipe[0] = e->pipe[1] = -1;
	e->opened = 1;
	e->ws = ws;
	e->cfg = *cfg;
	e->cfg.now_ms = evaluator_clock;
	e->done_cb = done_cb;
	e->arg = arg;
	if (pipe2(e->pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		*cause = common_xprintf("pipe: %s", strerror(errno));
		evaluator_stop(e);
		return -1;
	}
	e->ev = event_new(
	    base, e->pipe[0], EV_READ | EV_PERSIST, evaluator_wake, e);
	if (e->ev == NULL || event_add(e->ev, NULL) != 0) {
		*cause = common_xprintf("the evaluator's event failed");
		evaluator_stop(e);
		return -1;
	}
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	e->sync = 1;
	return 0;
}

/*
 * The thread starts with the first Logo line: a server nobody speaks
 * Logo to has none, and one that cannot make it now (RLIMIT_NPROC counts
 * threads) still serves everything else and tries again at the next line.
 */
static int
evaluator_thread_start(struct evaluator *e, char **cause)
{
	pthread_attr_t attr;
	int err;

	if ((err = pthread_attr_init(&attr)) == 0) {
		err = pthread_attr_setstacksize(&attr, EVALUATOR_STACK);
		if (err == 0)
			err = pthread_create(
			    &e->thread, &attr, evaluator_thread, e);
		pthread_attr_destroy(&attr);
	}
	if (err != 0) {
		*cause = common_xprintf(
		    "cannot start the Logo thread: %s", strerror(err));
		return -1;
	}
	e->started = 1;
	return 0;
}

int
evaluator_busy(const struct evaluator *e)
{
	return e->busy;
}

int
evaluator_ready(struct evaluator *e, char **cause)
{
	if (!e->started && evaluator_thread_start(e, cause) != 0)
		return -1;
	return 0;
}

/* After evaluator_ready(), with nothing in hand (evaluator_busy()). */
void
evaluator_run(struct evaluator *e, struct evaluator_job *job)
{
	e->busy = 1;
	pthread_mutex_lock(&e->lock);
	e->todo = job;
	pthread_cond_signal(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/*
 * Waits for the line in hand (at most its time limit) and ends the
 * thread; a job it held is returned for the caller to free.
 */
struct evaluator_job *
evaluator_stop(struct evaluator *e)
{
	struct evaluator_job *job = NULL;

	if (!e->opened)
		return NULL;
	if (e->started) {
		pthread_mutex_lock(&e->lock);
		e->quit = 1;
		job = e->todo != NULL ? e->todo : e->done;
		pthread_cond_signal(&e->cond);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->thread, NULL);
		if (job == NULL)
			job = e->done;
		e->started = 0;
	}
	if (e->sync) {
		pthread_mutex_destroy(&e->lock);
		pthread_cond_destroy(&e->cond);
		e->sync = 0;
	}
	if (e->ev != NULL)
		event_free(e->ev);
	e->ev = NULL;
	if (e->pipe[0] != -1)
		close(e->pipe[0]);
	if (e->pipe[1] != -1)
		close(e->pipe[1]);
	e->pipe[0] = e->pipe[1] = -1;
	e->opened = 0;
	return job;
}

/* The world's turtle as Logo sees it (Logo's own colour number). */
void
evaluator_turtle(const struct world *w, struct logo_turtle *t)
{
	t->x = w->x;
	t->y = w->y;
	t->heading = w->heading;
	t->pen_down = w->pen_down;
	t->color = w->pc;
}
