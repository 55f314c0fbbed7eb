/*
 * test_output.c - each client's output and the turn's shared batch: an
 * event goes into the batch once and a client with nothing else queued
 * only holds a range of it; anything queued after an event keeps the
 * order; a partial write keeps every byte once the batch starts afresh;
 * the limit resyncs a v1 client (a snapshot, through its emit callback)
 * and cuts a classic one; a failed write loses the client.
 *
 * Real sockets: each client's end is one side of a socketpair, read back
 * from the other side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "server.h"

#define NCLIENT 3

struct fixture {
	struct logger log;
	struct clients clients;
	struct world world;
	struct history hist;
	struct turns turns;
	uint64_t seq;
	size_t joined;
	struct snapshot snap;
	struct output out;
	struct event_base *base;
	struct client *c[NCLIENT];
	int peer[NCLIENT];
};

static struct client *
fixture_client(struct fixture *f, int i, enum client_state st)
{
	struct client *c = util_calloc(1, sizeof *c);
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	c->cid = i + 1;
	c->fd = sv[0];
	c->state = st;
	c->output = &f->out;
	snprintf(c->name, sizeof c->name, "c%d", i + 1);
	c->out = evbuffer_new();
	c->ev_write = event_new(
	    f->base, c->fd, EV_WRITE | EV_PERSIST, output_write_cb, c);
	assert_non_null(c->out);
	assert_non_null(c->ev_write);
	outlimit_init(&c->ol);
	assert_int_equal(clients_add(&f->clients, c), 0);
	f->c[i] = c;
	f->peer[i] = sv[1];
	return c;
}

static int
fixture_new(void **state, size_t limit)
{
	struct fixture *f = util_calloc(1, sizeof *f);
	struct snapshot_source src;
	int i;

	f->log.fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	f->log.level = LOG_LEVEL_ERROR;
	clients_init(&f->clients);
	history_init(&f->hist);
	turns_init(&f->turns);
	assert_int_equal(world_init(&f->world, 100, 100, 1000), 0);
	f->base = event_base_new();
	assert_non_null(f->base);
	src.world = &f->world;
	src.ws = NULL;
	src.clients = &f->clients;
	src.hist = &f->hist;
	src.turns = &f->turns;
	src.seq = &f->seq;
	src.joined = &f->joined;
	src.mode = "free";
	snapshot_init(&f->snap, &src, &f->log);
	output_init(
	    &f->out, &f->log, &f->clients, &f->snap, &f->seq, limit, 1000);
	for (i = 0; i < NCLIENT; i++)
		fixture_client(f, i, CLIENT_V1);
	*state = f;
	return 0;
}

static int
setup(void **state)
{
	return fixture_new(state, 1024 * 1024);
}

static int
setup_small(void **state)
{
	return fixture_new(state, 2000);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct client *c;
	int i;

	for (i = 0; i < NCLIENT; i++) {
		c = f->c[i];
		event_free(c->ev_write);
		evbuffer_free(c->out);
		close(c->fd);
		close(f->peer[i]);
		free(c);
	}
	output_free(&f->out);
	snapshot_free(&f->snap);
	event_base_free(f->base);
	world_free(&f->world);
	history_free(&f->hist);
	turns_free(&f->turns);
	clients_free(&f->clients);
	close(f->log.fd);
	free(f);
	return 0;
}

/* Everything the peer of client i has been sent so far, NUL-ended. */
static size_t
drain(struct fixture *f, int i, char *out, size_t outlen)
{
	size_t len = 0;
	ssize_t n;

	while (len < outlen - 1) {
		n = read(f->peer[i], out + len, outlen - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	return len;
}

/* Queues one event line to the given clients, as broadcast.c does. */
static void
event_to(struct fixture *f, const char *line, const int *who, size_t n)
{
	size_t off = output_batch(&f->out, line, strlen(line)), i;

	for (i = 0; i < n; i++)
		output_event(&f->out, f->c[who[i]], off, strlen(line));
}

static void
test_batch_shared(void **state)
{
	struct fixture *f = *state;
	static const int all[] = {0, 1, 2};
	char got[256];
	int i;

	event_to(f, "evt 1 say text=a\n", all, 3);
	event_to(f, "evt 2 say text=b\n", all, 3);
	for (i = 0; i < NCLIENT; i++) {
		/* A range of the one batch: nothing copied. */
		assert_int_equal(f->c[i]->bstart, 0);
		assert_int_equal(f->c[i]->blen, 34);
		assert_int_equal(evbuffer_get_length(f->c[i]->out), 0);
		assert_true(f->c[i]->flags & CLIENT_DIRTY);
	}
	assert_int_equal(f->out.batchlen, 34);
	assert_int_equal(f->out.st.deliveries, 6);
	output_flush(&f->out);
	assert_int_equal(f->out.batchlen, 0);
	assert_true(TAILQ_EMPTY(&f->out.dirty));
	for (i = 0; i < NCLIENT; i++) {
		drain(f, i, got, sizeof got);
		assert_string_equal(
		    got, "evt 1 say text=a\nevt 2 say text=b\n");
		assert_false(output_pending(f->c[i]));
	}
}

static void
test_order_kept(void **state)
{
	struct fixture *f = *state;
	static const int both[] = {0, 1}, second[] = {1};
	char got[256];

	/* Client 0 misses the middle event: its range cannot grow over it. */
	event_to(f, "evt 1 a\n", both, 2);
	event_to(f, "evt 2 b\n", second, 1);
	event_to(f, "evt 3 c\n", both, 2);
	/* A reply after the events comes after them. */
	output_reply(&f->out, f->c[0], "ok say\n", 7);
	assert_int_equal(f->c[0]->blen, 0);
	assert_int_equal(f->c[1]->blen, 24);
	output_flush(&f->out);
	drain(f, 0, got, sizeof got);
	assert_string_equal(got, "evt 1 a\nevt 3 c\nok say\n");
	drain(f, 1, got, sizeof got);
	assert_string_equal(got, "evt 1 a\nevt 2 b\nevt 3 c\n");
	drain(f, 2, got, sizeof got);
	assert_string_equal(got, "");
}

/* More than the socket takes: the rest waits, in order, past the batch. */
static void
test_partial_write(void **state)
{
	struct fixture *f = *state;
	static const int one[] = {0};
	char line[64], *want, *got;
	size_t wantlen = 0, gotlen = 0, cap = 4 * 1024 * 1024, n, i;
	int rounds;

	want = util_calloc(1, cap);
	got = util_calloc(1, cap);
	for (i = 0; i < 20000; i++) {
		n = (size_t)snprintf(
		    line, sizeof line, "evt %zu say n=%zu\n", i + 1, i * 7);
		memcpy(want + wantlen, line, n);
		wantlen += n;
		event_to(f, line, one, 1);
	}
	output_flush(&f->out);
	/* Written in part: the rest is the client's own now. */
	assert_true(f->c[0]->flags & CLIENT_WAIT);
	assert_int_equal(f->c[0]->blen, 0);
	assert_int_equal(f->out.batchlen, 0);
	for (rounds = 0; rounds < 10000 && gotlen < wantlen; rounds++) {
		gotlen += drain(f, 0, got + gotlen, cap - gotlen);
		event_base_loop(f->base, EVLOOP_NONBLOCK);
	}
	gotlen += drain(f, 0, got + gotlen, cap - gotlen);
	assert_int_equal(gotlen, wantlen);
	assert_memory_equal(got, want, wantlen);
	assert_false(f->c[0]->flags & CLIENT_WAIT);
	free(want);
	free(got);
}

/* Past the limit a v1 client gets a resync marker and a snapshot. */
static void
test_limit_resync(void **state)
{
	struct fixture *f = *state;
	static const int one[] = {0};
	char line[64], got[16384];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(
		    line, sizeof line, "evt %d say text=abcdefghijkl\n", i + 1);
		f->seq = (uint64_t)i + 1;
		event_to(f, line, one, 1);
	}
	/* The resync waits for the end of the turn, and covers all of it:
	 * the events after the overflow are dropped too. */
	assert_int_equal(f->out.st.resyncs, 0);
	assert_true(f->c[0]->flags & CLIENT_RESYNC);
	assert_false(f->c[0]->flags & CLIENT_LOST);
	output_flush(&f->out);
	assert_int_equal(f->out.st.resyncs, 1);
	assert_false(f->c[0]->flags & CLIENT_RESYNC);
	drain(f, 0, got, sizeof got);
	assert_non_null(strstr(got, " resync "));
	assert_non_null(strstr(got, "snap world "));
	assert_non_null(strstr(got, "snap end seq=100 "));
	assert_null(strstr(got, "evt 100 say"));
	/* The next turn's events come after the snapshot. */
	f->seq = 101;
	event_to(f, "evt 101 say text=after\n", one, 1);
	output_flush(&f->out);
	drain(f, 0, got, sizeof got);
	assert_non_null(strstr(got, "evt 101 "));
}

/* A classic client has no resync: past the limit it is cut. */
static void
test_limit_cut_classic(void **state)
{
	struct fixture *f = *state;
	struct client *c = f->c[1];
	char reply[100];
	int i;

	c->state = CLIENT_CLASSIC;
	memset(reply, 'x', sizeof reply);
	for (i = 0; i < 30 && !(c->flags & CLIENT_LOST); i++)
		output_reply(&f->out, c, reply, sizeof reply);
	assert_true(c->flags & CLIENT_LOST);
	assert_string_equal(c->reason, "slow-consumer");
	assert_int_equal(f->out.st.slow_cut, 1);
	assert_ptr_equal(TAILQ_FIRST(&f->clients.lost), c);
	assert_int_equal(clients_served(&f->clients), NCLIENT - 1);
	/* Not before the limit: 20 replies of 100 bytes fit in 2000. */
	assert_int_equal(i, 21);
}

/* The peer is gone: the write fails, the client is lost, its queue gone. */
static void
test_write_error(void **state)
{
	struct fixture *f = *state;
	static const int all[] = {0, 1, 2};
	char got[64];

	close(f->peer[2]);
	f->peer[2] = open("/dev/null", O_RDONLY);
	event_to(f, "evt 1 a\n", all, 3);
	output_flush(&f->out);
	assert_true(f->c[2]->flags & CLIENT_LOST);
	assert_string_equal(f->c[2]->reason, "eof");
	assert_false(f->c[2]->flags & CLIENT_FLUSH);
	assert_false(output_pending(f->c[2]));
	drain(f, 0, got, sizeof got);
	assert_string_equal(got, "evt 1 a\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_batch_shared, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_order_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_partial_write, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_limit_resync, setup_small, teardown),
	    cmocka_unit_test_setup_teardown(
		test_limit_cut_classic, setup_small, teardown),
	    cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
