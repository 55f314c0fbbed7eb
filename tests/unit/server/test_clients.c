/*
 * test_clients.c - cids (smallest free, unique while connected) and names
 * (made unique with a suffix, never longer than PROTO_NAME_MAX).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"

static struct client *
add(struct clients *t, struct client *c)
{
	memset(c, 0, sizeof *c);
	c->cid = clients_alloc_cid(t);
	assert_int_equal(clients_add(t, c), 0);
	return c;
}

static void
test_cids(void **state)
{
	static struct client c[200];
	struct clients t;
	int i;

	(void)state;
	clients_init(&t);
	assert_int_equal(clients_alloc_cid(&t), 1);
	for (i = 0; i < 200; i++)
		assert_int_equal(add(&t, &c[i])->cid, i + 1);
	assert_int_equal(t.count, 200);
	assert_ptr_equal(clients_get(&t, 77), &c[76]);
	assert_null(clients_get(&t, 0));
	assert_null(clients_get(&t, 5000));

	/* Freed cids come back smallest first. */
	clients_remove(&t, &c[99]);
	clients_remove(&t, &c[9]);
	assert_null(clients_get(&t, 10));
	assert_int_equal(t.count, 198);
	assert_int_equal(clients_alloc_cid(&t), 10);
	assert_int_equal(add(&t, &c[9])->cid, 10);
	assert_int_equal(clients_alloc_cid(&t), 100);

	/* A taken cid cannot be added twice. */
	c[99].cid = 5;
	assert_int_equal(clients_add(&t, &c[99]), -1);
	c[99].cid = 0;
	assert_int_equal(clients_add(&t, &c[99]), -1);
	/* Removing something not in the table changes nothing. */
	c[99].cid = 7;
	clients_remove(&t, &c[99]);
	assert_ptr_equal(clients_get(&t, 7), &c[6]);
	clients_free(&t);
}

struct names {
	const char *v[8];
	int n;
};

static int
taken(const char *name, void *arg)
{
	const struct names *ns = arg;
	int i;

	for (i = 0; i < ns->n; i++) {
		if (strcmp(ns->v[i], name) == 0)
			return 1;
	}
	return 0;
}

static void
test_names(void **state)
{
	struct names ns = {{"alice", "alice-2", "bob"}, 3};
	char out[PROTO_NAME_MAX + 1];
	const char *long32 = "abcdefghijklmnopqrstuvwxyz012345";

	(void)state;
	assert_int_equal(
	    client_name_unique(out, sizeof out, "carol", taken, &ns), 0);
	assert_string_equal(out, "carol");
	assert_int_equal(
	    client_name_unique(out, sizeof out, "bob", taken, &ns), 0);
	assert_string_equal(out, "bob-2");
	assert_int_equal(
	    client_name_unique(out, sizeof out, "alice", taken, &ns), 0);
	assert_string_equal(out, "alice-3");

	/* A 32-byte name gives up its tail for the suffix. */
	ns.v[3] = long32;
	ns.n = 4;
	assert_int_equal(strlen(long32), PROTO_NAME_MAX);
	assert_int_equal(
	    client_name_unique(out, sizeof out, long32, taken, &ns), 0);
	assert_string_equal(out, "abcdefghijklmnopqrstuvwxyz0123-2");
	assert_int_equal(strlen(out), PROTO_NAME_MAX);
	assert_int_equal(proto_name_valid(out, strlen(out)), 0);

	/* Too small a buffer is refused, not overrun. */
	assert_int_equal(client_name_unique(out, 8, "x", taken, &ns), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cids),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
