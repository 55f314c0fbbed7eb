/*
 * resp.c - Redis pub/sub as the reference: watchers SUBSCRIBE one channel,
 * movers PUBLISH the same payload a turtled mover says.  RESP is read line
 * by line (the payloads never hold CR or LF), with the sizes checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define RESP_CHANNEL "turtle"

static void resp_element(
    struct bench *, struct bench_conn *, const char *, size_t, int64_t);
static long resp_num(const char *, size_t);

static long
resp_num(const char *s, size_t len)
{
	long v = 0;
	size_t i = 0;
	int neg = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len || len > 12)
		return -2;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -2;
		v = v * 10 + (s[i] - '0');
	}
	return neg ? -v : v;
}

int
bench_resp_hello(struct bench *b, struct bench_conn *c)
{
	static const char sub[] = "SUBSCRIBE " RESP_CHANNEL "\r\n";

	if (c->role == BENCH_MOVER) {
		/* Nothing to wait for: a publisher is ready at once. */
		c->state = BENCH_READY;
		b->handshakes--;
		return 0;
	}
	return bench_conn_send(b, c, sub, sizeof sub - 1);
}

int
bench_resp_command(struct bench *b, struct bench_conn *m, uint64_t id)
{
	char line[BENCH_PAYLOAD_MAX + 64], payload[BENCH_PAYLOAD_MAX + 1];
	size_t n;

	n = bench_tag_payload(payload, sizeof payload, id, b->o.payload);
	n = snprintf(line, sizeof line,
	    "*3\r\n$7\r\nPUBLISH\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n",
	    sizeof RESP_CHANNEL - 1, RESP_CHANNEL, n, payload);
	bench_tag_sent(b, m, id, bench_now());
	return bench_conn_send(b, m, line, n);
}

/* One element of a push array: ["subscribe", ch, n] or ["message", ch, p]. */
static void
resp_element(struct bench *b, struct bench_conn *c, const char *s, size_t len,
    int64_t now)
{
	uint64_t id;
	long i = c->resp_elem++;

	c->resp_left--;
	if (i == 0) {
		c->resp_message = len == 7 && memcmp(s, "message", 7) == 0;
		c->resp_subscribe = len == 9 && memcmp(s, "subscribe", 9) == 0;
		if (!c->resp_message && !c->resp_subscribe && b->errors++ == 0)
			bench_fail(b, "watcher %d: unexpected push %.*s",
			    c->idx, (int)len, s);
		return;
	}
	if (i != 2)
		return;
	if (c->resp_subscribe) {
		if (c->state == BENCH_HELLO) {
			c->state = BENCH_READY;
			b->handshakes--;
			b->nready++;
		}
		return;
	}
	if (c->resp_message && bench_tag_parse(s, len, &id) == 0)
		bench_tag_seen(b, c, id, now);
}

void
bench_resp_line(struct bench *b, struct bench_conn *c, const char *s,
    size_t len, int64_t now)
{
	long v;

	if (c->resp_bulk >= 0) {
		if ((long)len != c->resp_bulk) {
			if (b->errors++ == 0)
				bench_fail(b, "conn %d: bulk of %zu for %ld",
				    c->idx, len, c->resp_bulk);
		}
		c->resp_bulk = -1;
		if (c->resp_left > 0)
			resp_element(b, c, s, len, now);
		return;
	}
	if (len == 0)
		goto bad;
	v = resp_num(s + 1, len - 1);
	switch (s[0]) {
	case '*':
		if (v < 1 || c->resp_left > 0)
			goto bad;
		c->resp_left = v;
		c->resp_elem = 0;
		return;
	case '$':
		if (v < 0)
			goto bad;
		c->resp_bulk = v;
		return;
	case ':':
		if (c->resp_left > 0) {
			resp_element(b, c, s + 1, len - 1, now);
			return;
		}
		if (c->role != BENCH_MOVER)
			goto bad;
		if (b->counting && v != (long)b->nready) {
			if (b->bad_replies++ == 0)
				bench_fail(b,
				    "PUBLISH reached %ld of %zu "
				    "subscribers",
				    v, b->nready);
		}
		bench_tag_replied(b, c, now);
		return;
	case '-':
		if (b->errors++ == 0)
			bench_fail(b, "conn %d: %.*s", c->idx, (int)len, s);
		return;
	default:
		break;
	}
bad:
	if (b->errors++ == 0)
		bench_fail(b, "conn %d: unexpected RESP line: %.*s", c->idx,
		    (int)len, s);
}
