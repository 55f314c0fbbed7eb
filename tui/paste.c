/*
 * paste.c - lines that arrive together: a paste is asked about before
 * anything goes, then sent one line at a time at the server's pace.
 *
 * The server answers every command with exactly one final line (ok or
 * err), in order.  A pasted line leaves only when nothing sent before it
 * is still unanswered, so the next final reply is its own: an "err rate"
 * there means "not yet", and the same line goes again after a pause
 * instead of a flood of refusals reaching the log.  The pause is the only
 * timer, and it runs only while a paste is held back.
 *
 * The same queue carries a Logo definition typed at the prompt (logoedit.c)
 * when its end is typed: those lines are quiet (echoed as they were typed,
 * not again when sent) and go at the same pace, so the server's rate limit
 * cannot drop a line out of the middle of a procedure.
 */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#define PASTE_DELAY_MIN 50   /* ms before sending a refused line again */
#define PASTE_DELAY_MAX 1000 /* ms, the longest pause */

static int paste_push(char ***, size_t *, size_t *, char *);
static int paste_enqueue(struct paste *, char *, int);
static void paste_clear(char ***, size_t *, size_t *);
static void paste_next(struct paste *);
static void paste_retry_cb(evutil_socket_t, short, void *);
static int paste_final(const struct proto_msg *);

int
paste_init(struct paste *p, struct event_base *base,
    int (*send)(void *, const char *, int), void *arg)
{
	memset(p, 0, sizeof *p);
	p->send = send;
	p->arg = arg;
	p->delay_ms = PASTE_DELAY_MIN;
	if ((p->retry = evtimer_new(base, paste_retry_cb, p)) == NULL)
		return -1;
	return 0;
}

void
paste_free(struct paste *p)
{
	paste_clear(&p->ask, &p->nask, &p->ask_cap);
	paste_reset(p);
	free(p->queue);
	p->queue = NULL;
	p->queue_cap = 0;
	if (p->retry != NULL)
		event_free(p->retry);
	p->retry = NULL;
}

/* Appends line (ours from now on) to a growing array; frees it on failure. */
static int
paste_push(char ***v, size_t *n, size_t *cap, char *line)
{
	char **nv;

	if ((nv = common_grow(*v, cap, *n + 1, sizeof *nv)) == NULL) {
		free(line);
		return -1;
	}
	*v = nv;
	(*v)[(*n)++] = line;
	return 0;
}

/* Appends line (ours from now on) to the queue; frees it on failure. */
static int
paste_enqueue(struct paste *p, char *line, int quiet)
{
	struct paste_item *nq;

	nq = common_grow(p->queue, &p->queue_cap, p->queue_len + 1, sizeof *nq);
	if (nq == NULL) {
		free(line);
		return -1;
	}
	p->queue = nq;
	p->queue[p->queue_len].line = line;
	p->queue[p->queue_len].quiet = quiet;
	p->queue_len++;
	return 0;
}

static void
paste_clear(char ***v, size_t *n, size_t *cap)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = *cap = 0;
}

/* A line of a paste, held until the user says yes or no. */
int
paste_add(struct paste *p, char *line)
{
	return paste_push(&p->ask, &p->nask, &p->ask_cap, line);
}

/* Yes: the lines go out, one by one.  No: they are dropped.  The count. */
size_t
paste_answer(struct paste *p, int yes)
{
	size_t i, n = p->nask, left;

	if (!yes) {
		paste_clear(&p->ask, &p->nask, &p->ask_cap);
		return n;
	}
	/* What is left of the queue moves to its front first. */
	left = p->queue_len - p->queue_head;
	if (left > 0)
		memmove(p->queue, p->queue + p->queue_head,
		    left * sizeof *p->queue);
	p->queue_len = left;
	p->queue_head = 0;
	for (i = 0; i < n; i++) {
		if (paste_enqueue(p, p->ask[i], 0) != 0)
			break;
	}
	for (i++; i < n; i++)
		free(p->ask[i]);
	free(p->ask);
	p->ask = NULL;
	p->nask = p->ask_cap = 0;
	paste_next(p);
	return n;
}

/*
 * Lines that need no question (a definition whose end was typed): queued
 * quiet behind whatever is queued, and on their way.  Takes the lines
 * (and the array's strings); 0, or -1 when memory ran out (then none go).
 */
int
paste_quiet(struct paste *p, char **lines, size_t n)
{
	size_t i, old = p->queue_len;

	for (i = 0; i < n; i++) {
		if (paste_enqueue(p, lines[i], 1) != 0) {
			for (i++; i < n; i++)
				free(lines[i]);
			while (p->queue_len > old)
				free(p->queue[--p->queue_len].line);
			return -1;
		}
	}
	paste_next(p);
	return 0;
}

/* Quiet lines queued or out: a definition still going to the server. */
size_t
paste_quiet_left(const struct paste *p)
{
	size_t i, n = p->cur != NULL && p->cur_quiet ? 1 : 0;

	for (i = p->queue_head; i < p->queue_len; i++)
		n += p->queue[i].quiet != 0;
	return n;
}

/* Lines confirmed and not yet answered (the one on its way included). */
size_t
paste_left(const struct paste *p)
{
	return p->queue_len - p->queue_head + (p->cur != NULL ? 1 : 0);
}

/* Any command went out: one more final reply to wait for. */
void
paste_sent(struct paste *p)
{
	p->inflight++;
}

/*
 * The connection is gone: nothing sent is answered now.  Returns how many
 * lines were dropped unsent (a line out already may have arrived).
 */
size_t
paste_reset(struct paste *p)
{
	size_t n = p->queue_len - p->queue_head, i;

	if (p->cur != NULL && !p->cur_out)
		n++;

	for (i = p->queue_head; i < p->queue_len; i++)
		free(p->queue[i].line);
	p->queue_head = p->queue_len = 0;
	free(p->cur);
	p->cur = NULL;
	p->cur_out = 0;
	p->cur_quiet = 0;
	p->inflight = 0;
	p->delay_ms = PASTE_DELAY_MIN;
	if (p->retry != NULL)
		evtimer_del(p->retry);
	return n;
}

/* The line that ends a command's answer: ok (not an -item), or err. */
static int
paste_final(const struct proto_msg *msg)
{
	size_t n = strlen(msg->word);

	if (msg->type == PROTO_MSG_ERR)
		return 1;
	if (msg->type != PROTO_MSG_OK || strcmp(msg->word, "hello") == 0)
		return 0;
	return n < 5 || strcmp(msg->word + n - 5, "-item") != 0;
}

/*
 * Whether msg is a pasted line's "err rate": this module deals with it (the
 * line goes again after a pause) and nobody needs to read it.
 */
int
paste_absorbs(const struct paste *p, const struct proto_msg *msg)
{
	return p->inflight > 0 && p->cur != NULL && p->cur_out &&
	       msg->type == PROTO_MSG_ERR && strcmp(msg->word, "rate") == 0;
}

/* A line from the server: a final reply lets the paste go on. */
void
paste_reply(struct paste *p, const struct proto_msg *msg)
{
	if (!paste_final(msg) || p->inflight == 0)
		return;
	p->inflight--;
	/* Sent when nothing else was out, so this answer is its own. */
	if (p->cur != NULL && p->cur_out) {
		p->cur_out = 0;
		if (msg->type == PROTO_MSG_ERR &&
		    strcmp(msg->word, "rate") == 0) {
			struct timeval tv = {
			    p->delay_ms / 1000, (p->delay_ms % 1000) * 1000};

			evtimer_add(p->retry, &tv);
			if (p->delay_ms < PASTE_DELAY_MAX / 2)
				p->delay_ms *= 2;
			else
				p->delay_ms = PASTE_DELAY_MAX;
		} else {
			free(p->cur);
			p->cur = NULL;
			p->delay_ms = PASTE_DELAY_MIN;
		}
	}
	paste_next(p);
}

/* The next confirmed line, when nothing before it awaits an answer. */
static void
paste_next(struct paste *p)
{
	char *line;
	int r, quiet;

	while (p->cur == NULL && p->inflight == 0 &&
	       p->queue_head < p->queue_len) {
		line = p->queue[p->queue_head].line;
		quiet = p->queue[p->queue_head].quiet;
		p->queue_head++;
		r = p->send(p->arg, line, quiet);
		if (r == 1) {
			p->cur = line;
			p->cur_out = 1;
			p->cur_quiet = quiet;
		} else
			free(line);
		if (r < 0) {
			paste_reset(p);
			return;
		}
	}
	if (p->queue_head == p->queue_len)
		p->queue_head = p->queue_len = 0;
}

/* The pause after "err rate" is over: the same line again. */
static void
paste_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct paste *p = arg;
	struct timeval tv = {0, PASTE_DELAY_MIN * 1000};
	int r;

	(void)fd;
	(void)what;
	if (p->cur == NULL)
		return;
	if (p->inflight > 0) {
		/* Something typed meanwhile: its answer comes first. */
		evtimer_add(p->retry, &tv);
		return;
	}
	r = p->send(p->arg, p->cur, 1);
	if (r == 1)
		p->cur_out = 1;
	else {
		free(p->cur);
		p->cur = NULL;
		if (r < 0) {
			paste_reset(p);
			return;
		}
		paste_next(p);
	}
}
