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
#include <unistd.h>

#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define FLOOD         100
#define PROTO_SAY_LEN 400  /* PROTO_TEXT_MAX */
#define SAY_FILL      2500 /* about 1 MB of events */
#define NOFILE_TRIES  40

static int
setup_rate(void **state)
{
	static const char *args[] = {"--rate", "10", "--burst", "10", NULL};

	return hs_state_new(state, args);
}

static int
setup_full(void **state)
{
	static const char *args[] = {"--max-clients", "2", NULL};

	return hs_state_new(state, args);
}

static int
setup_linger(void **state)
{
	static const char *args[] = {"--max-clients", "2", "--rate", "100000",
	    "--burst", "100000", "--out-limit", "16777216", NULL};

	return hs_state_new(state, args);
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
	long long v, t0, elapsed_s, most;

	assert_non_null(c = hs_client_new(srv));
	buf = malloc(32 + FLOOD * 7);
	assert_non_null(buf);
	len = (size_t)sprintf(buf, "hello 1 flood\n");
	for (i = 0; i < FLOOD; i++)
		len += (size_t)sprintf(buf + len, "getcid\n");
	t0 = hs_now_ms();
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
	/*
	 * At least the burst went through, the rest was refused: no more than
	 * the burst (and the hello) plus what the rate refilled while the
	 * flood was read, rounded up a second.
	 */
	elapsed_s = (hs_now_ms() - t0) / 1000;
	most = 10 + 1 + 10 * (elapsed_s + 1);
	if (ok < 10 || ok > most)
		fail_msg("%d commands passed in %lld s with --rate 10 --burst "
			 "10, want 10..%lld",
		    ok, elapsed_s, most);
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

/*
 * A client that quit while megabytes were still queued for it lingers
 * until they drain (or for a while): it is not served any more, so it
 * must not hold a --max-clients place.
 */
static void
test_full_lost_not_counted(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *s, *c;
	char line[HS_LINE_MAX], text[PROTO_SAY_LEN + 1];
	unsigned long peer;
	int i;

	memset(text, 'x', PROTO_SAY_LEN);
	text[PROTO_SAY_LEN] = '\0';
	assert_non_null(a = hs_client_hello(srv, "a"));
	assert_non_null(s = hs_client_hello(srv, "s"));
	assert_int_equal(hs_expect(a, "evt ", line, sizeof line), 0);
	/* s never reads: far more than any socket buffer piles up. */
	for (i = 0; i < SAY_FILL; i++) {
		assert_int_equal(
		    hs_cmd(a, line, sizeof line, "say %s", text), 0);
		assert_true(hs_starts(line, "ok say"));
	}
	assert_int_equal(hs_sendf(s, "quit\n"), 0);
	do
		assert_int_equal(hs_expect(a, "evt ", line, sizeof line), 0);
	while (strstr(line, " leave ") == NULL);

	/* s is gone from the table of the served: there is room. */
	c = hs_client_hello(srv, "c");
	if (c == NULL)
		fail_msg("a client that quit still counts against "
			 "--max-clients 2");
	/* Proof that s was still lingering (its queue undrained) then. */
	peer = hs_unix_peer(s->fd);
	assert_true(peer != 0 && hs_proc_has_socket(srv->pid, peer));
	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
}

/* The soft "Max open files" of pid from /proc, or -1. */
static long long
nofile_soft(pid_t pid)
{
	char path[64], *text, *p;
	long long v = -1;

	snprintf(path, sizeof path, "/proc/%ld/limits", (long)pid);
	if ((text = hs_read_file(path, NULL)) == NULL)
		return -1;
	p = strstr(text, "Max open files");
	if (p != NULL)
		v = strtoll(p + strlen("Max open files"), NULL, 10);
	free(text);
	return v;
}

/* --max-clients 2000 needs two descriptors a client: the limit grows. */
static void
test_nofile_raised(void **state)
{
	static const char *args[] = {"--max-clients", "2000", NULL};
	struct hs_server *srv = calloc(1, sizeof *srv);
	struct rlimit rl;
	long long soft;

	(void)state;
	assert_non_null(srv);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 2 * 2000 + 64) {
		print_message("hard RLIMIT_NOFILE %llu is too low to raise\n",
		    (unsigned long long)rl.rlim_max);
		free(srv);
		skip();
	}
	/* Start low, so a raise is visible whatever the caller had. */
	assert_int_equal(hs_server_init(srv), 0);
	srv->rlim_nofile = 256;
	if (hs_server_start(srv, args) != 0) {
		hs_server_dump(srv);
		hs_server_free(srv);
		free(srv);
		fail_msg("turtled --max-clients 2000 did not start");
	}
	soft = nofile_soft(srv->pid);
	assert_int_equal(hs_server_free(srv), 0);
	free(srv);
	if (soft < 2 * 2000 + 64)
		fail_msg(
		    "Max open files %lld, want >= %d", soft, 2 * 2000 + 64);
}

/* The next ok/err line (the events before it skipped): 0, or -1. */
static int
final_line(struct hs_client *c, char *line, size_t len)
{
	do
		if (hs_line(c, line, len) < 0)
			return -1;
	while (!hs_is_final(line));
	return 0;
}

/*
 * Out of descriptors (RLIMIT_NOFILE 40, soft and hard): connections past
 * what fits get err internal rather than hanging, and once the others
 * leave the server serves again.
 */
static void
test_emfile(void **state)
{
	struct hs_server *srv = calloc(1, sizeof *srv);
	struct hs_client *c[NOFILE_TRIES], *d;
	char line[HS_LINE_MAX];
	long long deadline;
	int i, ok = 0, refused = 0;

	(void)state;
	assert_non_null(srv);
	assert_int_equal(hs_server_init(srv), 0);
	srv->rlim_nofile = 40;
	srv->nofile_hard = 1;
	if (hs_server_start(srv, NULL) != 0) {
		hs_server_dump(srv);
		hs_server_free(srv);
		free(srv);
		fail_msg("turtled did not start with 40 descriptors");
	}
	for (i = 0; i < NOFILE_TRIES; i++) {
		c[i] = hs_client_new(srv);
		/* A refused connection may be closed before hello is sent:
		 * the send may fail, the refusal must still be readable. */
		if (c[i] != NULL)
			(void)hs_sendf(c[i], "hello 1 f%d\n", i);
		if (c[i] == NULL || final_line(c[i], line, sizeof line) != 0) {
			hs_server_dump(srv);
			fail_msg("client %d (%d in, %d refused): no answer", i,
			    ok, refused);
		}
		if (hs_starts(line, "ok hello"))
			ok++;
		else if (hs_starts(line, "err internal")) {
			refused++;
			assert_int_equal(
			    hs_wait_eof(c[i], hs_wait_ms(HS_WAIT_MS)), 0);
		} else
			fail_msg("client %d: \"%s\"", i, line);
	}
	if (ok == 0 || refused == 0)
		fail_msg(
		    "%d in and %d refused: want some of each", ok, refused);
	for (i = 0; i < NOFILE_TRIES; i++)
		hs_client_close(c[i]);

	/* Room again once the leaves are done: poll, bounded. */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	for (;;) {
		d = hs_client_new(srv);
		if (d != NULL && hs_sendf(d, "hello 1 again\n") == 0 &&
		    final_line(d, line, sizeof line) == 0 &&
		    hs_starts(line, "ok hello"))
			break;
		if (d != NULL)
			hs_client_close(d);
		if (hs_now_ms() > deadline)
			fail_msg("no room after the others left: \"%s\"", line);
		hs_nap(50);
	}
	assert_true(hs_server_alive(srv));
	assert_int_equal(hs_server_free(srv), 0);
	free(srv);
}

/*
 * fork() fails (turtled runs as nobody with RLIMIT_NPROC 1: every worker
 * is one process too many): each connection is told why and closed, and
 * the server keeps accepting after its pause.
 */
static int
setup_nproc(void **state)
{
	struct hs_server *srv;

	*state = NULL;
	if (geteuid() != 0)
		return 0;
	if (hs_state_init(state) != 0)
		return -1;
	srv = *state;
	srv->as_nobody = 1;
	srv->rlim_nproc = 1;
	/* LeakSanitizer's exit check runs in a thread of its own, which the
	 * limit forbids too (sanitizer builds only; leaks are checked by
	 * every other test). */
	srv->env[0] = "ASAN_OPTIONS=detect_leaks=0";
	return hs_state_start(state, NULL);
}

static void
test_fork_fails(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *c;
	char line[HS_LINE_MAX], msg[256];
	int round;

	if (srv == NULL) {
		print_message("not root: cannot run turtled as nobody under a "
			      "process limit\n");
		skip();
	}
	/* Twice: the second is accepted once the pause is over. */
	for (round = 0; round < 2; round++) {
		assert_non_null(c = hs_client_new(srv));
		if (hs_line(c, line, sizeof line) < 0) {
			hs_server_dump(srv);
			fail_msg("round %d: %s instead of err server-full",
			    round, c->eof ? "EOF" : "nothing");
		}
		assert_true(hs_starts(line, "err server-full"));
		assert_int_equal(hs_field(line, "msg", msg, sizeof msg), 0);
		if (strstr(msg, "the server cannot start a worker (fork: ") !=
		    msg)
			fail_msg("round %d: \"%s\"", round, line);
		assert_int_equal(hs_wait_eof(c, hs_wait_ms(HS_WAIT_MS)), 0);
		hs_client_close(c);
	}
	assert_true(hs_server_alive(srv));
	assert_int_equal(hs_log_wait(srv, "cannot fork", "not accepting", line,
			     sizeof line, hs_wait_ms(HS_WAIT_MS)),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_fork_fails, setup_nproc, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_rate_limit, setup_rate, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_server_full, setup_full, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_full_lost_not_counted, setup_linger, hs_state_free),
	    cmocka_unit_test(test_nofile_raised),
	    cmocka_unit_test(test_emfile),
	};

	return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
