/*
 * track.c - lines in flight and the events that acknowledge them.  A
 * sender's k-th line is acknowledged by the k-th event of its ack kind
 * that carries its name ("turtle" for a Logo line, "move" for a run);
 * each watcher's read of it is counted, and the line's latency is the
 * time the last watcher read it minus the time it was sent.  A watcher
 * that was resynced reads the event in its snapshot's log instead.
 * Every turtle event's segs= is checked against the path segments the
 * watcher read since the one before (unless a resync came between).
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logobench.h"

static struct lb_session *track_sender(struct lb_set *, const char *, size_t);
static void track_ack(struct lb_session *, struct lb_session *, int64_t);
static void track_reply(struct lb_session *, const char *, size_t, int64_t);
static void track_check(struct lb_session *, struct lb_line *);
static uint64_t track_points(const char *, size_t);

/* The sender a name= belongs to, or NULL. */
static struct lb_session *
track_sender(struct lb_set *set, const char *p, size_t len)
{
	const char *v;
	size_t vlen, i;

	if ((v = lb_field(p, len, "name", &vlen)) == NULL)
		return NULL;
	for (i = 0; i < set->nsenders; i++)
		if (strlen(set->senders[i]->name) == vlen &&
		    memcmp(set->senders[i]->name, v, vlen) == 0)
			return set->senders[i];
	return NULL;
}

static void
track_check(struct lb_session *snd, struct lb_line *l)
{
	struct lb_set *set = snd->set;

	if (!l->open || !l->replied ||
	    (!snd->reply_only && !l->failed && l->got < l->need))
		return;
	l->open = 0;
	snd->done++;
	set->completed++;
	if (l->t_last > set->t_last_done)
		set->t_last_done = l->t_last;
	if (l->t_reply > set->t_last_done)
		set->t_last_done = l->t_reply;
	if (set->on_done != NULL)
		set->on_done(snd, l);
}

/* Watcher w has read snd's next ack event. */
static void
track_ack(struct lb_session *w, struct lb_session *snd, int64_t now)
{
	uint64_t k = w->got[snd->sender]++;
	struct lb_line *l;

	w->acks_read++;
	if (snd->reply_only)
		return;
	if (k >= snd->sent) {
		if (w->set->errors++ == 0)
			lb_fail(w->set,
			    "%s: an event for %s's line %llu, "
			    "which was never sent",
			    w->name, snd->name, (unsigned long long)k + 1);
		return;
	}
	l = &snd->ring[k % LB_RING];
	if (!l->open)
		return;
	if (l->got++ == 0)
		l->t_first = now;
	l->t_last = now;
	track_check(snd, l);
}

/* A sender's reply: "ok print" is not the last; anything else is. */
static void
track_reply(struct lb_session *s, const char *p, size_t len, int64_t now)
{
	struct lb_line *l;
	int err = lb_prefix(p, len, "err ");

	if (!err &&
	    (!lb_prefix(p, len, "ok ") || lb_prefix(p, len, "ok print") ||
		lb_prefix(p, len, "ok hello")))
		return;
	if (s->setup_pending > 0) {
		s->setup_pending--;
		if (err && s->set->errors++ == 0)
			lb_fail(s->set, "%s: a setup line failed: %.*s",
			    s->name, (int)len, p);
		return;
	}
	if (s->replied >= s->sent) {
		if (s->set->errors++ == 0)
			lb_fail(s->set, "%s: a reply it never asked: %.*s",
			    s->name, (int)len, p);
		return;
	}
	l = &s->ring[s->replied++ % LB_RING];
	l->replied = 1;
	l->t_reply = now;
	if (err) {
		s->err_replies++;
		l->failed = 1;
		if (lb_prefix(p, len, "err limit"))
			s->limit_replies++;
		else if (memmem(p, len, "kept moving", 11) != NULL)
			s->moved_replies++;
		if (!s->reply_only && s->set->errors++ == 0)
			lb_fail(s->set, "%s: %.*s", s->name, (int)len, p);
	} else {
		s->ok_replies++;
	}
	track_check(s, l);
}

/* Points in a pts= value: one more than its semicolons. */
static uint64_t
track_points(const char *p, size_t len)
{
	const char *v;
	size_t vlen, i;
	uint64_t n = 1;

	if ((v = lb_field(p, len, "pts", &vlen)) == NULL || vlen == 0)
		return 0;
	for (i = 0; i < vlen; i++)
		n += v[i] == ';';
	return n;
}

void
lb_track_line(struct lb_session *s, const char *p, size_t len, int64_t now)
{
	struct lb_set *set = s->set;
	struct lb_session *snd;
	const char *sp, *v, *kind;
	uint64_t seq, segs, pts;
	size_t vlen, klen;

	if (s->sender >= 0 &&
	    (lb_prefix(p, len, "ok ") || lb_prefix(p, len, "err ")))
		track_reply(s, p, len, now);
	if (!s->watcher)
		return;
	if (s->resynced && lb_prefix(p, len, "evt ")) {
		s->segs_since = 0;
		s->segs_unknown = 1;
		return;
	}
	if (s->resynced && lb_prefix(p, len, "snap log ")) {
		/* An event dropped for this watcher, read in the log. */
		v = lb_field(p, len, "seq", &vlen);
		kind = lb_field(p, len, "kind", &klen);
		if (v == NULL || kind == NULL || lb_u64(v, vlen, &seq) == -1 ||
		    seq <= s->resync_from ||
		    (snd = track_sender(set, p, len)) == NULL)
			return;
		if (strlen(snd->ack) == klen &&
		    memcmp(snd->ack, kind, klen) == 0)
			track_ack(s, snd, now);
		return;
	}
	if (s->state != LB_READY || !lb_prefix(p, len, "evt "))
		return;
	sp = memchr(p + 4, ' ', len - 4);
	kind = sp + 1;
	klen = p + len - kind;
	if (lb_prefix(kind, klen, "path ")) {
		pts = track_points(p, len);
		if (pts >= 2) {
			s->segs_since += pts - 1;
			s->segs_read += pts - 1;
		}
		return;
	}
	if (lb_prefix(kind, klen, "turtle ")) {
		v = lb_field(p, len, "segs", &vlen);
		if (v != NULL && lb_u64(v, vlen, &segs) == 0 &&
		    !s->segs_unknown && segs != s->segs_since &&
		    set->seg_mismatch++ == 0)
			lb_fail(set,
			    "%s: turtle event says segs=%llu, its "
			    "paths held %llu",
			    s->name, (unsigned long long)segs,
			    (unsigned long long)s->segs_since);
		s->segs_since = 0;
		s->segs_unknown = 0;
	}
	if ((snd = track_sender(set, p, len)) != NULL &&
	    lb_prefix(kind, klen, snd->ack) && kind[strlen(snd->ack)] == ' ')
		track_ack(s, snd, now);
}

/* Connects every session, at most 32 saying hello at once. */
int
lb_connect_all(struct lb_set *set, double secs)
{
	int64_t deadline = lb_now() + (int64_t)(secs * 1e9);
	size_t i = 0, ready, hello;

	for (;;) {
		ready = hello = 0;
		for (size_t j = 0; j < i; j++) {
			ready += set->all[j]->state == LB_READY;
			hello += set->all[j]->state != LB_READY;
		}
		while (i < set->nall && hello < 32) {
			if (lb_session_open(set->all[i++]) == -1)
				return -1;
			hello++;
		}
		if (ready == set->nall)
			return 0;
		if (lb_now() > deadline) {
			lb_fail(set, "%zu sessions not ready after %.0f s",
			    set->nall - ready, secs);
			set->errors++;
			return -1;
		}
		if (lb_poll(set, 10) == -1 || lb_failed(set))
			return -1;
	}
}

int
lb_send_line(struct lb_session *s, const char *line)
{
	struct lb_line *l = &s->ring[s->sent % LB_RING];
	char buf[LB_LINE_MAX + 2];
	int n;

	if (l->open) {
		lb_fail(s->set, "%s: more than %d lines in flight", s->name,
		    LB_RING);
		s->set->errors++;
		return -1;
	}
	n = snprintf(buf, sizeof buf, "%s\n", line);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	memset(l, 0, sizeof *l);
	l->t_send = lb_now();
	l->need = s->reply_only ? 0 : (uint32_t)s->set->nwatchers;
	l->open = 1;
	s->sent++;
	return lb_session_send(s, buf, n);
}

/* A line that acknowledges nothing (a definition): only its reply. */
int
lb_send_setup(struct lb_session *s, const char *line)
{
	char buf[LB_LINE_MAX + 2];
	int n;

	n = snprintf(buf, sizeof buf, "%s\n", line);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	s->setup_pending++;
	return lb_session_send(s, buf, n);
}

size_t
lb_in_flight(const struct lb_session *s)
{
	return s->sent - s->done;
}

/* Until every line is complete and every session has read every event
 * anyone has (a barrier after setup lines). */
int
lb_wait_quiet(struct lb_set *set, double secs)
{
	int64_t deadline = lb_now() + (int64_t)(secs * 1e9);
	uint64_t top;
	size_t i;
	int busy;

	for (;;) {
		busy = 0;
		top = 0;
		for (i = 0; i < set->nall; i++)
			if (set->all[i]->last_seq > top)
				top = set->all[i]->last_seq;
		for (i = 0; i < set->nall; i++) {
			struct lb_session *s = set->all[i];

			busy |= s->state != LB_READY || s->last_seq < top ||
				s->setup_pending > 0 ||
				(s->sender >= 0 && s->done < s->sent);
		}
		if (!busy)
			return 0;
		if (lb_now() > deadline) {
			lb_fail(set, "not quiet after %.0f s", secs);
			set->errors++;
			return -1;
		}
		if (lb_poll(set, 10) == -1 || lb_failed(set))
			return -1;
	}
}

/* Until every sender's lines are complete. */
int
lb_drain(struct lb_set *set, double secs)
{
	int64_t deadline = lb_now() + (int64_t)(secs * 1e9);
	size_t i;
	int busy;

	for (;;) {
		busy = 0;
		for (i = 0; i < set->nsenders; i++)
			busy |= set->senders[i]->done < set->senders[i]->sent;
		if (!busy)
			return 0;
		if (lb_now() > deadline) {
			lb_fail(
			    set, "lines still in flight after %.0f s", secs);
			set->errors++;
			return -1;
		}
		if (lb_poll(set, 10) == -1 || lb_failed(set))
			return -1;
	}
}
