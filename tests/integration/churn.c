/*
 * churn.c - cids stay unique among the connected clients at every moment
 * while clients come and go (v1 and classic, quitting and vanishing), as
 * an observer sees it through join/leave events and who.
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

#define ROUNDS  50
#define MAXCID  4096
#define LONGIVE 4

struct observer {
	struct hs_client *c;
	unsigned char live[MAXCID]; /* by join/leave, in the server's order */
	int nlive;
};

/* Applies a join/leave; a join of a cid already live is the bug. */
static void
observe(struct observer *o, const char *line)
{
	char kind[32];
	long long seq, cid;

	if (hs_evt(line, &seq, kind, sizeof kind) != 0)
		return;
	if (strcmp(kind, "join") != 0 && strcmp(kind, "leave") != 0)
		return;
	if (hs_field_ll(line, "cid", &cid) != 0 || cid < 1 || cid >= MAXCID)
		fail_msg("bad cid in \"%s\"", line);
	if (strcmp(kind, "join") == 0) {
		if (o->live[cid])
			fail_msg("cid %lld joined while still connected: %s",
			    cid, line);
		o->live[cid] = 1;
		o->nlive++;
	} else {
		if (!o->live[cid])
			fail_msg("cid %lld left but was not connected: %s", cid,
			    line);
		o->live[cid] = 0;
		o->nlive--;
	}
}

/*
 * who, checked against the live set as of the reply (events before the
 * reply are applied first, as the server ordered them).
 */
static void
who_check(struct observer *o)
{
	unsigned char seen[MAXCID];
	char line[HS_LINE_MAX];
	long long cid, count;
	int n = 0;

	memset(seen, 0, sizeof seen);
	assert_int_equal(hs_sendf(o->c, "who\n"), 0);
	for (;;) {
		assert_true(hs_line(o->c, line, sizeof line) >= 0);
		if (strncmp(line, "evt ", 4) == 0) {
			observe(o, line);
			continue;
		}
		if (!hs_starts(line, "ok who-item"))
			break;
		assert_int_equal(hs_field_ll(line, "cid", &cid), 0);
		assert_true(cid >= 1 && cid < MAXCID);
		if (seen[cid])
			fail_msg("who lists cid %lld twice", cid);
		if (!o->live[cid])
			fail_msg("who lists cid %lld, not connected", cid);
		seen[cid] = 1;
		n++;
	}
	assert_true(hs_starts(line, "ok who"));
	assert_int_equal(hs_field_ll(line, "count", &count), 0);
	assert_int_equal(count, n);
	assert_int_equal(n, o->nlive);
}

/* Reads the observer's events until cid is no longer live. */
static void
wait_leave(struct observer *o, int cid)
{
	char line[HS_LINE_MAX];

	while (o->live[cid]) {
		assert_true(hs_line(o->c, line, sizeof line) >= 0);
		observe(o, line);
	}
}

static int
classic_cid(struct hs_client *c)
{
	char reply[64];
	int cid = -1;

	assert_int_equal(hs_send(c, "getcid\n", 7), 0);
	assert_true(hs_classic_reply(c, reply, sizeof reply) > 0);
	assert_int_equal(sscanf(reply, "Your cid is %d", &cid), 1);
	return cid;
}

static void
test_cid_churn(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *keep[LONGIVE], *v, *cl, *w;
	struct hs_snapshot *snap = calloc(1, sizeof *snap);
	struct observer *o = calloc(1, sizeof *o);
	char line[HS_LINE_MAX];
	long long cid;
	int i, r, cv, cc, cw;

	assert_non_null(snap);
	assert_non_null(o);
	o->c = hs_client_new(srv);
	assert_non_null(o->c);
	assert_int_equal(hs_hello(o->c, "observer", NULL, NULL, 0, snap), 0);
	for (i = 0; i < snap->nclient; i++) {
		assert_int_equal(hs_field_ll(snap->client[i], "cid", &cid), 0);
		o->live[cid] = 1;
		o->nlive++;
	}
	assert_int_equal(o->nlive, 1);
	for (i = 0; i < LONGIVE; i++) {
		snprintf(line, sizeof line, "keeper%d", i);
		assert_non_null(keep[i] = hs_client_hello(srv, line));
	}
	who_check(o);

	for (r = 0; r < ROUNDS; r++) {
		assert_non_null(v = hs_client_new(srv));
		assert_int_equal(
		    hs_hello(v, "visitor", NULL, NULL, 0, NULL), 0);
		assert_int_equal(hs_cmd(v, line, sizeof line, "getcid"), 0);
		assert_int_equal(hs_field_ll(line, "cid", &cid), 0);
		assert_int_equal(cid, v->cid);
		cv = v->cid;

		assert_non_null(cl = hs_client_new(srv));
		cc = classic_cid(cl);

		assert_non_null(w = hs_client_new(srv));
		assert_int_equal(hs_hello(w, NULL, NULL, NULL, 0, NULL), 0);
		cw = w->cid;

		assert_int_not_equal(cv, cc);
		assert_int_not_equal(cv, cw);
		assert_int_not_equal(cc, cw);
		for (i = 0; i < LONGIVE; i++) {
			assert_int_not_equal(cv, keep[i]->cid);
			assert_int_not_equal(cc, keep[i]->cid);
			assert_int_not_equal(cw, keep[i]->cid);
		}
		who_check(o);

		/* Leave three ways: quit, classic quit, vanish. */
		assert_int_equal(hs_cmd(v, line, sizeof line, "quit"), 0);
		assert_true(hs_starts(line, "ok quit"));
		assert_int_equal(hs_wait_eof(v, hs_wait_ms(HS_WAIT_MS)), 0);
		assert_int_equal(hs_send(cl, "quit\n\0", 6), 0);
		assert_int_equal(hs_wait_eof(cl, hs_wait_ms(HS_WAIT_MS)), 0);
		hs_client_close(v);
		hs_client_close(cl);
		hs_client_close(w);
		/* Every few rounds, check who while the leaves land. */
		if (r % 5 == 0)
			who_check(o);
		wait_leave(o, cv);
		wait_leave(o, cc);
		wait_leave(o, cw);
	}
	who_check(o);
	assert_int_equal(o->nlive, LONGIVE + 1);
	assert_int_equal(o->c->seq_gaps, 0);
	free(snap);
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_cid_churn, hs_state_no_rate, hs_state_free),
	};

	return cmocka_run_group_tests_name("churn", tests, NULL, NULL);
}
