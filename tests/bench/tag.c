/*
 * tag.c - commands in flight.  Every mover command carries "#ID." in its
 * payload; the events echo it back, so each watcher's read is counted
 * against the command, and its latency is the time the last watcher read
 * it minus the time it was sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void tag_done(struct bench *, struct bench_tag *);

size_t
bench_tag_payload(char *out, size_t outlen, uint64_t id, int size)
{
	int n;

	n = snprintf(out, outlen, "#%llu.", (unsigned long long)id);
	if (n < 0 || (size_t)n >= outlen)
		return 0;
	while (n < size && (size_t)n + 1 < outlen) {
		out[n] = 'a' + (id + n) % 26;
		n++;
	}
	out[n] = '\0';
	return n;
}

/* 0 with *id from a payload "#ID.xxx", -1 if it is not one. */
int
bench_tag_parse(const char *s, size_t len, uint64_t *id)
{
	uint64_t v = 0;
	size_t i;

	if (len < 3 || s[0] != '#')
		return -1;
	for (i = 1; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == 1 || i == len || s[i] != '.')
		return -1;
	*id = v;
	return 0;
}

void
bench_tag_sent(struct bench *b, struct bench_conn *m, uint64_t id, int64_t now)
{
	struct bench_tag *t = &b->tags[id % BENCH_TAGS];

	if (t->open)
		bench_fail(
		    b, "tag ring overflow at id %llu", (unsigned long long)id);
	memset(t, 0, sizeof *t);
	t->id = id;
	t->t_send = now;
	t->need = b->counting ? b->nready : 0;
	t->open = 1;
	m->fifo[m->sent % BENCH_TAGS] = id;
	m->sent++;
	b->open++;
	if (b->t_first_send == 0)
		b->t_first_send = now;
}

static void
tag_done(struct bench *b, struct bench_tag *t)
{
	t->open = 0;
	b->open--;
	b->completed++;
	if (b->counting) {
		bench_lat_add(&b->lat, t->t_last - t->t_send);
		if (t->t_first != 0)
			bench_lat_add(&b->lat_first, t->t_first - t->t_send);
	}
	if (t->t_last > b->t_last_done)
		b->t_last_done = t->t_last;
}

void
bench_tag_seen(struct bench *b, struct bench_conn *w, uint64_t id, int64_t now)
{
	struct bench_tag *t = &b->tags[id % BENCH_TAGS];

	if (w->resync_gap) {
		/* What a resync dropped for this watcher never comes. */
		if (w->have_id && id > w->last_id + 1)
			bench_tag_skipped(b, w, id - 1, now);
		w->resync_gap = 0;
	} else if (b->o.movers == 1 && w->have_id && id != w->last_id + 1) {
		if (b->order++ == 0)
			bench_fail(b,
			    "watcher %d: id %llu after %llu (out of order)",
			    w->idx, (unsigned long long)id,
			    (unsigned long long)w->last_id);
	}
	w->last_id = id;
	w->have_id = 1;
	b->deliveries++;
	if (!b->counting)
		return;
	if (!t->open || t->id != id) {
		if (b->errors++ == 0)
			bench_fail(b, "watcher %d: id %llu not in flight",
			    w->idx, (unsigned long long)id);
		return;
	}
	if (t->got++ == 0)
		t->t_first = now;
	if (t->got > t->need) {
		if (b->errors++ == 0)
			bench_fail(b, "id %llu read %u times for %u watchers",
			    (unsigned long long)id, t->got, t->need);
		return;
	}
	if (t->got == t->need) {
		t->t_last = now;
		if (t->replied)
			tag_done(b, t);
	}
}

void
bench_tag_replied(struct bench *b, struct bench_conn *m, int64_t now)
{
	struct bench_tag *t;
	uint64_t id;

	if (m->replied >= m->sent) {
		if (b->bad_replies++ == 0)
			bench_fail(b, "mover %d: a reply to nothing", m->idx);
		return;
	}
	id = m->fifo[m->replied % BENCH_TAGS];
	m->replied++;
	t = &b->tags[id % BENCH_TAGS];
	if (!t->open || t->id != id)
		return;
	t->replied = 1;
	if (t->got == t->need) {
		if (t->need == 0)
			t->t_last = now;
		tag_done(b, t);
	}
}

/*
 * A resync dropped this watcher's events up to tag upto: the tags it has
 * not read by then no longer wait for it.
 */
void
bench_tag_skipped(
    struct bench *b, struct bench_conn *w, uint64_t upto, int64_t now)
{
	struct bench_tag *t;
	uint64_t id, from;

	if (w->have_id && upto <= w->last_id)
		return;
	from = w->have_id ? w->last_id + 1 : 0;
	if (b->next_id > BENCH_TAGS && from < b->next_id - BENCH_TAGS)
		from = b->next_id - BENCH_TAGS;
	w->last_id = upto;
	w->have_id = 1;
	if (!b->counting)
		return;
	for (id = from; id <= upto; id++) {
		t = &b->tags[id % BENCH_TAGS];
		if (!t->open || t->id != id || t->need == 0)
			continue;
		t->need--;
		b->resync_dropped++;
		if (t->got == t->need) {
			if (t->t_last < now)
				t->t_last = now;
			if (t->replied)
				tag_done(b, t);
		}
	}
}
