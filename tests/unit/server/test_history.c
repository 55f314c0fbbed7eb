/*
 * test_history.c - the last HISTORY_MAX log lines, oldest first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"

static void
test_ring(void **state)
{
	struct history h;
	char line[64], want[64];
	const char *got;
	size_t len;
	int i, n;

	(void)state;
	history_init(&h);
	assert_null(history_get(&h, 0, &len));
	for (i = 1; i <= 250; i++) {
		n = snprintf(line, sizeof line, "snap log seq=%d\n", i);
		history_add(&h, line, (size_t)n);
		if (i == 3) {
			got = history_get(&h, 0, &len);
			assert_non_null(got);
			assert_memory_equal(got, "snap log seq=1\n", len);
			assert_null(history_get(&h, 3, &len));
		}
	}
	for (i = 0; i < HISTORY_MAX; i++) {
		n = snprintf(want, sizeof want, "snap log seq=%d\n",
		    250 - HISTORY_MAX + 1 + i);
		got = history_get(&h, (size_t)i, &len);
		assert_non_null(got);
		assert_int_equal(len, (size_t)n);
		assert_memory_equal(got, want, len);
	}
	assert_null(history_get(&h, HISTORY_MAX, &len));
	history_free(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
