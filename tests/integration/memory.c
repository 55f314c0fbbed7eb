/*
 * memory.c - the master's memory stays bounded and follows its load down.
 * A long drawing sent to many joiners costs one copy, not one each: the
 * world part of the snapshot is shared by reference.  A joiner that never
 * reads its snapshot is cut after --slow-timeout, and at most four
 * versions of the drawing are held for such readers: past that the
 * holders of the oldest are cut.  When a crowd that did not read leaves,
 * the memory its queues took is given back to the system.
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

#define SEGS     100000 /* a drawing several times a socket's buffer */
#define JOINERS  100
#define SNAP_MAX 4 /* SNAPSHOT_BLOBS_MAX */
#define CROWD    300

/*
 * Under AddressSanitizer the server's allocator is ASan's: it keeps freed
 * memory in quarantine and never gives it back, so resident sizes say
 * nothing about ours.  Those checks are skipped there (the behaviour the
 * other tests check still runs).
 */
#if defined(__SANITIZE_ADDRESS__)
#define MEMORY_RSS_MEANINGFUL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEMORY_RSS_MEANINGFUL 0
#endif
#endif
#ifndef MEMORY_RSS_MEANINGFUL
#define MEMORY_RSS_MEANINGFUL 1
#endif

/* The master's resident memory, in kB (VmRSS), or -1. */
static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/*
 * n trail segments: one-unit moves back and forth, or for many a Logo
 * circle of short steps (each about 16 bytes in a snapshot's path).
 */
static void
draw(struct hs_client *c, int n)
{
	char line[HS_LINE_MAX];
	int i, j, batch;

	if (n >= 1000) {
		/* Lines of 20,000: a slow build stays inside the time limit
		 * (500 ms a line). */
		for (i = 0; i < n; i += batch) {
			batch = n - i < 20000 ? n - i : 20000;
			assert_int_equal(
			    hs_sendf(
				c, "repeat %d [fd 0.1234 rt 1.3]\n", batch),
			    0);
			assert_int_equal(
			    hs_expect(c, "ok logo", line, sizeof line), 0);
		}
		return;
	}
	for (i = 0; i < n; i += batch) {
		batch = n - i < 200 ? n - i : 200;
		for (j = 0; j < batch; j++)
			assert_int_equal(hs_sendf(c, "run %d 0\n",
					     (i + j) % 2 == 0 ? 1 : -1),
			    0);
		for (j = 0; j < batch; j++)
			assert_int_equal(
			    hs_expect(c, "ok run", line, sizeof line), 0);
	}
}

/* Says hello and reads nothing more. */
static struct hs_client *
mute_joiner(struct hs_server *srv, const char *name)
{
	struct hs_client *c = hs_client_new(srv);

	assert_non_null(c);
	assert_int_equal(hs_sendf(c, "hello 1 %s\n", name), 0);
	return c;
}

/* The next leave the watcher sees: whose it was, and why. */
static void
expect_leave(struct hs_client *w, const char *name, const char *reason)
{
	char line[HS_LINE_MAX];

	for (;;) {
		assert_int_equal(hs_expect(w, "evt", line, sizeof line), 0);
		if (strstr(line, " leave ") != NULL)
			break;
	}
	hs_assert_field(line, "name", name);
	hs_assert_field(line, "reason", reason);
}

static int
setup_slow(void **state)
{
	static const char *args[] = {"--rate", "100000", "--burst", "100000",
	    "--slow-timeout", "1", NULL};

	return hs_state_new(state, args);
}

static int
setup_patient(void **state)
{
	/* The artist takes its own drawing as events, not a resync (which
	 * would make it hold a snapshot too). */
	static const char *args[] = {"--rate", "100000", "--burst", "100000",
	    "--slow-timeout", "600", "--out-limit", "4000000", NULL};

	return hs_state_new(state, args);
}

static void
test_shared(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *w;
	char name[32], line[HS_LINE_MAX];
	long before, after;
	int i;

	if (!MEMORY_RSS_MEANINGFUL)
		skip();
	assert_non_null(a = hs_client_hello(srv, "artist"));
	draw(a, SEGS);
	/* The first joiner makes the shared copy; then measure. */
	assert_non_null(w = hs_client_hello(srv, "first"));
	assert_true((before = rss_kb(srv->pid)) > 0);
	for (i = 0; i < JOINERS; i++) {
		snprintf(name, sizeof name, "mute%d", i);
		mute_joiner(srv, name);
	}
	/* All joined (the artist saw them) and nobody read a byte. */
	for (i = 0; i < JOINERS; i++)
		assert_int_equal(hs_expect(a, "evt", line, sizeof line), 0);
	hs_assert_reply(a, "where", "ok where");
	assert_true((after = rss_kb(srv->pid)) > 0);
	/* 100 copies of a 10,000-segment drawing would be ~27 MB beyond
	 * what the sockets take; shared, it is a few bytes each. */
	print_message("master RSS %ld kB -> %ld kB with %d mute joiners\n",
	    before, after, JOINERS);
	assert_true(after - before < 4096);
}

static void
test_stuck_joiner(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a;

	assert_non_null(a = hs_client_hello(srv, "artist"));
	draw(a, SEGS);
	mute_joiner(srv, "mute");
	/* Its snapshot is more than its socket takes: it is cut in time. */
	expect_leave(a, "mute", "slow-consumer");
}

static void
test_oldest_cut(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a;
	char name[32], line[HS_LINE_MAX];
	int i;

	assert_non_null(a = hs_client_hello(srv, "artist"));
	draw(a, SEGS);
	for (i = 0; i < SNAP_MAX; i++) {
		snprintf(name, sizeof name, "mute%d", i);
		mute_joiner(srv, name);
		assert_int_equal(hs_expect(a, "evt", line, sizeof line), 0);
		/* The world moves on between joiners: a new drawing each. */
		draw(a, 1);
	}
	assert_int_equal(hs_quiet(a, 300), 0);
	/* One more version: the holder of the oldest goes. */
	mute_joiner(srv, "last");
	expect_leave(a, "mute0", "slow-consumer");
}

/*
 * A crowd that does not read fills its queues, is resynced and cut, and
 * goes, while the talker goes on: the memory its queues took must go back
 * to the system (malloc alone keeps it: what the talker allocates after
 * sits above it in the heap).
 */
static void
test_returned(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *m[CROWD];
	char name[32], text[301], line[HS_LINE_MAX];
	long start, peak, now;
	long long deadline;
	int i, j;

	if (!MEMORY_RSS_MEANINGFUL)
		skip();
	assert_non_null(a = hs_client_hello(srv, "talker"));
	assert_true((start = rss_kb(srv->pid)) > 0);
	for (i = 0; i < CROWD; i++) {
		snprintf(name, sizeof name, "mute%d", i);
		m[i] = mute_joiner(srv, name);
	}
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	peak = 0;
	for (i = 0; i < 20; i++) {
		for (j = 0; j < 100; j++)
			assert_int_equal(hs_sendf(a, "say %s\n", text), 0);
		for (j = 0; j < 100; j++)
			assert_int_equal(
			    hs_expect(a, "ok say", line, sizeof line), 0);
		if ((now = rss_kb(srv->pid)) > peak)
			peak = now;
	}
	print_message("master RSS %ld kB, up to %ld kB with %d mute\n", start,
	    peak, CROWD);
	for (i = 0; i < CROWD; i++)
		hs_client_close(m[i]);
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	do {
		hs_assert_reply(a, "say still here", "ok say");
		now = rss_kb(srv->pid);
		if (now <= start + 8 * 1024)
			break;
		hs_nap(50);
	} while (hs_now_ms() < deadline);
	print_message("master RSS %ld kB after they left\n", now);
	assert_true(peak > start + 16 * 1024);
	assert_true(now <= start + 8 * 1024);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_shared, setup_patient, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_stuck_joiner, setup_slow, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_oldest_cut, setup_patient, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_returned, setup_patient, hs_state_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
