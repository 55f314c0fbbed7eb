/*
 * grace.c - connections that never say hello cannot hold the server:
 * each is cut with "err timeout" after --login-grace, connections before
 * hello have a cap of their own (--max-startups, TCP and UNIX apart), and
 * a flood of silent TCP connections does not lock local users out.  The
 * cuts and refusals are logged in one line a second, not one each.
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

static int
start(void **state, const char *const *args)
{
	struct hs_server *srv = calloc(1, sizeof *srv);

	if (srv == NULL || hs_server_init(srv) != 0 ||
	    hs_server_start_tcp(srv, args) != 0) {
		if (srv != NULL)
			hs_server_free(srv);
		free(srv);
		return -1;
	}
	*state = srv;
	return 0;
}

static int
setup_grace(void **state)
{
	static const char *args[] = {
	    "-l", "127.0.0.1:0", "--login-grace", "1", NULL};

	return start(state, args);
}

static int
setup_startups(void **state)
{
	static const char *args[] = {"-l", "127.0.0.1:0", "--max-startups", "2",
	    "--max-clients", "3", "--login-grace", "60", NULL};

	return start(state, args);
}

static int
teardown(void **state)
{
	struct hs_server *srv = *state;
	int r = hs_server_free(srv);

	free(srv);
	return r;
}

/* The server's err line, then the end of the connection. */
static void
expect_cut(struct hs_client *c, const char *code)
{
	char line[HS_LINE_MAX];

	assert_int_equal(hs_expect(c, code, line, sizeof line), 0);
	assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
}

static void
test_silent_cut(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *tcp, *half, *local, *ok;
	char line[HS_LINE_MAX];
	long long t0 = hs_now_ms();

	assert_non_null(tcp = hs_client_new_tcp(srv));
	assert_non_null(half = hs_client_new_tcp(srv));
	assert_non_null(local = hs_client_new(srv));
	assert_non_null(ok = hs_client_hello(srv, "prompt"));
	/* Half a hello is no hello. */
	assert_int_equal(hs_send(half, "hello 1 na", 10), 0);

	expect_cut(tcp, "err timeout");
	expect_cut(half, "err timeout");
	expect_cut(local, "err timeout");
	/* Not before the grace: a second, checked once a second. */
	assert_true(hs_now_ms() - t0 >= 1000);

	/* One who said hello in time stays. */
	assert_int_equal(hs_cmd(ok, line, sizeof line, "where"), 0);
	assert_int_equal(hs_starts(line, "ok"), 1);

	/* Summed up, not a line per connection. */
	assert_int_equal(hs_log_wait(srv, "did not say hello within 1 s", NULL,
			     line, sizeof line, hs_wait_ms(HS_WAIT_MS)),
	    0);
	assert_int_equal(hs_log_count(srv, "closed before joining"), 0);
	assert_true(hs_log_count(srv, "did not say hello") <= 3);
}

static void
test_startups_cap(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *s1, *s2, *s3, *l1, *l2, *l3;
	char line[HS_LINE_MAX];

	assert_non_null(s1 = hs_client_new_tcp(srv));
	assert_non_null(s2 = hs_client_new_tcp(srv));
	/* Two silent ones over TCP: the third waits in the backlog... */
	assert_non_null(s3 = hs_client_new_tcp(srv));
	assert_int_equal(hs_send(s3, "hello 1 third\n", 14), 0);
	assert_int_equal(hs_quiet(s3, 300), 0);

	/* ...but local users still get in. */
	assert_non_null(l1 = hs_client_hello(srv, "local1"));

	/* One silent one goes: the third is served at once. */
	hs_client_close(s1);
	assert_int_equal(hs_expect(s3, "ok hello", line, sizeof line), 0);
	hs_assert_field(line, "name", "third");

	/* A silent TCP one does not count against local users: 3 served. */
	assert_non_null(l2 = hs_client_hello(srv, "local2"));
	assert_non_null(l3 = hs_client_new(srv));
	assert_int_equal(
	    hs_expect(l3, "err server-full", line, sizeof line), 0);
	assert_non_null(strstr(line, "the server is full (3 clients)"));

	/* The other is still held (60 s grace), not cut. */
	assert_int_equal(hs_quiet(s2, 200), 0);
	assert_int_equal(hs_log_wait(srv, "over TCP have not said hello", NULL,
			     line, sizeof line, hs_wait_ms(HS_WAIT_MS)),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_silent_cut, setup_grace, teardown),
	    cmocka_unit_test_setup_teardown(
		test_startups_cap, setup_startups, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
