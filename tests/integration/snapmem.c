/*
 * snapmem.c - a long drawing sent to many joiners costs the master one
 * copy, not one each: the world part of the snapshot is shared by
 * reference.  A joiner that never reads its snapshot is cut after
 * --slow-timeout, and at most four versions of the drawing are held for
 * such readers: past that the holders of the oldest are cut.
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

#define SEGS     10000 /* the default --trail */
#define JOINERS  100
#define SNAP_MAX 4 /* SNAPSHOT_BLOBS_MAX */

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

/* n one-unit moves back and forth: n trail segments. */
static void
draw(struct hs_client *c, int n)
{
	char line[HS_LINE_MAX];
	int i, j, batch;

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
	static const char *args[] = {"--rate", "100000", "--burst", "100000",
	    "--slow-timeout", "600", NULL};

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
