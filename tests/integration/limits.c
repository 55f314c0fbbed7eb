/*
 * limits.c - floods and crowds: the per-client token bucket answers err
 * rate past --rate/--burst and keeps the connection; past --max-clients a
 * connection gets err server-full and is closed without a worker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FLOOD 100

static int
start(void **state, const char *const *args)
{
	struct hs_server *srv = calloc(1, sizeof *srv);

	if (srv == NULL || hs_server_new(srv, args) != 0) {
		if (srv != NULL)
			hs_server_free(srv);
		free(srv);
		return -1;
	}
	*state = srv;
	return 0;
}

static int
setup_rate(void **state)
{
	static const char *args[] = {"--rate", "10", "--burst", "10", NULL};

	return start(state, args);
}

static int
setup_full(void **state)
{
	static const char *args[] = {"--max-clients", "2", NULL};

	return start(state, args);
}

static int
teardown(void **state)
{
	struct hs_server *srv = *state;
	int rc = hs_server_free(srv);

	free(srv);
	return rc;
}

/*
 * Sends cmd until it is not refused for the rate (a token comes back at
 * 10/s): the connection is alive and the limit recovers.
 */
static void
retry_rate(struct hs_client *c, const char *cmd, const char *want, char *out,
    size_t outlen)
{
	long long deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);

	for (;;) {
		assert_int_equal(hs_cmd(c, out, outlen, "%s", cmd), 0);
		if (hs_starts(out, want))
			return;
		if (!hs_starts(out, "err rate"))
			fail_msg("%s -> \"%s\"", cmd, out);
		if (hs_now_ms() > deadline)
			fail_msg("%s still refused for the rate", cmd);
		hs_nap(50);
	}
}

static void
test_rate_limit(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c, *d, *cl;
	char *buf, line[HS_LINE_MAX], msg[HS_LINE_MAX];
	int i, ok = 0, rate = 0, cls_ok = 0, cls_rate = 0;
	size_t len = 0;
	long long v;

	assert_non_null(c = hs_client_new(srv));
	buf = malloc(32 + FLOOD * 7);
	assert_non_null(buf);
	len = (size_t)sprintf(buf, "hello 1 flood\n");
	for (i = 0; i < FLOOD; i++)
		len += (size_t)sprintf(buf + len, "getcid\n");
	assert_int_equal(hs_send(c, buf, len), 0);
	free(buf);
	while (ok + rate < FLOOD + 1) {
		if (hs_line(c, line, sizeof line) < 0)
			fail_msg("after %d ok and %d err rate: %s", ok, rate,
			    c->eof ? "EOF" : "nothing");
		if (hs_starts(line, "ok hello") || hs_starts(line, "ok getcid"))
			ok++;
		else if (hs_starts(line, "err rate")) {
			assert_int_equal(
			    hs_field(line, "msg", msg, sizeof msg), 0);
			rate++;
		} else if (hs_is_final(line))
			fail_msg("unexpected \"%s\"", line);
	}
	/* At least the burst went through, the rest was refused. */
	assert_true(ok >= 10);
	assert_true(rate >= 1);
	assert_int_equal(ok + rate, FLOOD + 1);

	retry_rate(c, "getcid", "ok getcid", line, sizeof line);
	retry_rate(c, "stats", "ok stats", line, sizeof line);
	assert_int_equal(hs_field_ll(line, "rate_limited", &v), 0);
	assert_true(v >= rate);

	/* The bucket is per client: another one is not limited by that. */
	assert_non_null(d = hs_client_new(srv));
	assert_int_equal(hs_send(d,
			     "hello 1 calm\ngetcid\ngetcid\ngetcid\ngetcid\n"
			     "getcid\ngetcid\ngetcid\ngetcid\ngetcid\n",
			     13 + 9 * 7),
	    0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(hs_expect(d, "ok ", line, sizeof line), 0);
		if (!hs_starts(line, i == 0 ? "ok hello" : "ok getcid"))
			fail_msg("calm client, command %d: \"%s\"", i, line);
	}

	/* Classic clients are limited too, with the classic refusal. */
	assert_non_null(cl = hs_client_new(srv));
	buf = malloc(30 * 7);
	assert_non_null(buf);
	for (i = 0; i < 30; i++)
		memcpy(buf + i * 7, "getcid\n", 7);
	assert_int_equal(hs_send(cl, buf, 30 * 7), 0);
	free(buf);
	for (i = 0; i < 30; i++) {
		assert_true(hs_classic_reply(cl, line, sizeof line) > 0);
		if (memcmp(line, "Your cid is ", 12) == 0)
			cls_ok++;
		else if (strcmp(line, "Turtle refuses: rate\n") == 0)
			cls_rate++;
		else
			fail_msg("classic reply \"%s\"", line);
	}
	assert_true(cls_ok >= 10);
	assert_true(cls_rate >= 1);
}

static void
test_server_full(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *c, *d;
	char line[HS_LINE_MAX], kind[32], msg[HS_LINE_MAX];
	pid_t kids[16];
	long long seq;
	int before, after;

	assert_non_null(a = hs_client_hello(srv, "a"));
	assert_non_null(b = hs_client_hello(srv, "b"));
	assert_int_equal(hs_expect(a, "evt ", line, sizeof line), 0);
	before = hs_workers(srv->pid, kids, 16, NULL);
	assert_int_equal(before, 2);

	/* The third: err server-full with a sentence, then the end. */
	assert_non_null(c = hs_client_new(srv));
	assert_int_equal(
	    hs_expect_next(c, "err server-full", line, sizeof line), 0);
	assert_int_equal(hs_field(line, "msg", msg, sizeof msg), 0);
	assert_true(strlen(msg) > 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
	/* No worker was given it: the master refused it by itself. */
	after = hs_workers(srv->pid, kids, 16, NULL);
	assert_int_equal(after, before);

	/* Nobody heard of it: the next event is b's own say. */
	assert_int_equal(hs_cmd(b, line, sizeof line, "say still two"), 0);
	assert_int_equal(hs_expect(a, "evt ", line, sizeof line), 0);
	assert_int_equal(hs_evt(line, &seq, kind, sizeof kind), 0);
	assert_string_equal(kind, "say");
	assert_int_equal(a->seq_gaps + b->seq_gaps, 0);

	/* One leaves: there is room again. */
	assert_int_equal(hs_cmd(a, line, sizeof line, "quit"), 0);
	assert_int_equal(hs_wait_eof(a, hs_wait_ms(HS_WAIT_MS)), 0);
	do
		assert_int_equal(hs_expect(b, "evt ", line, sizeof line), 0);
	while (strstr(line, " leave ") == NULL);
	assert_non_null(d = hs_client_hello(srv, "d"));
	assert_int_equal(hs_cmd(d, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_rate_limit, setup_rate, teardown),
	    cmocka_unit_test_setup_teardown(
		test_server_full, setup_full, teardown),
	};

	return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
