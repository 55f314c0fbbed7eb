/*
 * v1.c - turtled's v1 dialect as the generator speaks it.  Watchers say
 * hello, read the snapshot to "snap end", then check that every event's SEQ
 * is the one after the last (a gap is allowed only after a counted resync).
 * Movers send "say #ID.xxx"; the say events carry the tag back.
 *
 * Lines are scanned by hand rather than with proto_msg_parse(): the
 * generator must cost far less per line than the servers it measures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "logobench.h"

static int v1_prefix(const char *, size_t, const char *);
static int v1_u64(const char *, size_t, uint64_t *);
static void v1_ready(struct bench *, struct bench_conn *);
static void v1_evt(
    struct bench *, struct bench_conn *, const char *, size_t, int64_t);
static void v1_snap(struct bench *, struct bench_conn *, const char *, size_t);

static int
v1_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(s, p, n) == 0;
}

static int
v1_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 19)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
bench_v1_hello(struct bench *b, struct bench_conn *c)
{
	char line[64];
	int n;

	if (c->role == BENCH_MOVER)
		n = snprintf(line, sizeof line, "hello 1 mover%d\n", c->idx);
	else
		n = snprintf(line, sizeof line, "hello 1 w%llu\n",
		    (unsigned long long)++b->name_serial);
	c->in_snap = 0;
	return bench_conn_send(b, c, line, n);
}

int
bench_v1_command(struct bench *b, struct bench_conn *m, uint64_t id)
{
	char line[BENCH_PAYLOAD_MAX + 16], payload[BENCH_PAYLOAD_MAX + 1];
	size_t n;

	n = bench_tag_payload(payload, sizeof payload, id, b->o.payload);
	n = snprintf(line, sizeof line, "say %s\n", payload);
	bench_tag_sent(b, m, id, bench_now());
	return bench_conn_send(b, m, line, n);
}

int
bench_v1_quit(struct bench *b, struct bench_conn *c)
{
	c->state = BENCH_QUITTING;
	c->quit_ok = 0;
	return bench_conn_send(b, c, "quit\n", 5);
}

static void
v1_ready(struct bench *b, struct bench_conn *c)
{
	if (c->state != BENCH_HELLO)
		return;
	c->state = BENCH_READY;
	b->handshakes--;
	if (c->role == BENCH_WATCHER)
		b->nready++;
}

static void
v1_snap(struct bench *b, struct bench_conn *c, const char *s, size_t len)
{
	const char *v;
	size_t vlen;
	uint64_t seq, id;

	if (!c->in_snap) {
		if (b->errors++ == 0)
			bench_fail(b, "conn %d: snap outside a snapshot: %.*s",
			    c->idx, (int)len, s);
		return;
	}
	if (c->resync_gap && v1_prefix(s, len, "snap log ")) {
		/* The resync snapshot's log: tags that will not come again. */
		v = lb_field(s, len, "kind", &vlen);
		if (v == NULL || vlen != 3 || memcmp(v, "say", 3) != 0)
			return;
		v = lb_field(s, len, "text", &vlen);
		if (v != NULL && bench_tag_parse(v, vlen, &id) == 0 &&
		    (!c->snap_has_id || id > c->snap_max_id)) {
			c->snap_max_id = id;
			c->snap_has_id = 1;
		}
		return;
	}
	if (!v1_prefix(s, len, "snap end "))
		return;
	v = lb_field(s, len, "seq", &vlen);
	if (v == NULL || v1_u64(v, vlen, &seq) == -1) {
		if (b->errors++ == 0)
			bench_fail(b, "conn %d: snap end without seq: %.*s",
			    c->idx, (int)len, s);
		return;
	}
	c->last_seq = seq;
	c->in_snap = 0;
	if (c->resync_gap && c->snap_has_id && c->role == BENCH_WATCHER)
		bench_tag_skipped(b, c, c->snap_max_id, bench_now());
	v1_ready(b, c);
}

static void
v1_evt(struct bench *b, struct bench_conn *c, const char *s, size_t len,
    int64_t now)
{
	const char *p = s + 4, *end = s + len, *sp, *v;
	size_t vlen;
	uint64_t seq, id;

	sp = memchr(p, ' ', end - p);
	if (sp == NULL || v1_u64(p, sp - p, &seq) == -1) {
		if (b->errors++ == 0)
			bench_fail(b, "conn %d: bad evt line: %.*s", c->idx,
			    (int)len, s);
		return;
	}
	p = sp + 1;
	if (v1_prefix(p, end - p, "resync ")) {
		if (seq <= c->last_seq && b->gaps++ == 0)
			bench_fail(b, "conn %d: resync seq %llu after %llu",
			    c->idx, (unsigned long long)seq,
			    (unsigned long long)c->last_seq);
		c->resyncs++;
		b->resyncs++;
		c->in_snap = 1;
		c->resync_gap = 1;
		c->snap_has_id = 0;
		return;
	}
	if (c->in_snap || c->state != BENCH_READY) {
		/* Before ok hello (its own join) the snapshot covers it. */
		if (c->state == BENCH_QUITTING ||
		    (c->state == BENCH_HELLO && !c->in_snap))
			return;
		if (b->errors++ == 0)
			bench_fail(b, "conn %d: evt inside a snapshot: %.*s",
			    c->idx, (int)len, s);
		return;
	}
	if (seq != c->last_seq + 1) {
		if (b->gaps++ == 0)
			bench_fail(b, "conn %d: seq %llu after %llu (a gap)",
			    c->idx, (unsigned long long)seq,
			    (unsigned long long)c->last_seq);
	}
	c->last_seq = seq;
	if (c->role != BENCH_WATCHER || !v1_prefix(p, end - p, "say "))
		return;
	v = lb_field(p, end - p, "text", &vlen);
	if (v == NULL || bench_tag_parse(v, vlen, &id) == -1)
		return; /* somebody else's say */
	bench_tag_seen(b, c, id, now);
}

void
bench_v1_line(struct bench *b, struct bench_conn *c, const char *s, size_t len,
    int64_t now)
{
	if (v1_prefix(s, len, "evt ")) {
		v1_evt(b, c, s, len, now);
		return;
	}
	if (v1_prefix(s, len, "snap ")) {
		v1_snap(b, c, s, len);
		return;
	}
	if (v1_prefix(s, len, "ok hello ")) {
		if (c->state != BENCH_HELLO && b->errors++ == 0)
			bench_fail(b, "conn %d: a second ok hello", c->idx);
		c->in_snap = 1;
		return;
	}
	if (v1_prefix(s, len, "ok say")) {
		if (c->role == BENCH_MOVER)
			bench_tag_replied(b, c, now);
		else if (b->bad_replies++ == 0)
			bench_fail(
			    b, "watcher %d got a reply it never asked", c->idx);
		return;
	}
	if (v1_prefix(s, len, "ok quit")) {
		c->quit_ok = 1;
		return;
	}
	if (c->was_paused && v1_prefix(s, len, "err slow-consumer")) {
		/* We stalled it on purpose: being cut is the spec. */
		b->slow_cuts++;
		if (c->state == BENCH_READY && c->role == BENCH_WATCHER)
			b->nready--;
		c->state = BENCH_QUITTING;
		c->quit_ok = 1;
		return;
	}
	if (v1_prefix(s, len, "err ")) {
		if (b->errors++ == 0)
			bench_fail(b, "conn %d (%s): %.*s", c->idx,
			    c->role == BENCH_MOVER ? "mover" : "watcher",
			    (int)len, s);
		return;
	}
	if (b->errors++ == 0)
		bench_fail(
		    b, "conn %d: unexpected line: %.*s", c->idx, (int)len, s);
}
