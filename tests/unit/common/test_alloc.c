/*
 * test_alloc.c - growing arrays (room kept, contents kept, overflow
 * refused), the stopping forms, and formatted strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/wait.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "common.h"

const char *__asan_default_options(void);

/* Under ASan an impossible size must come back NULL, as libc's does. */
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void
test_grow(void **state)
{
	size_t cap = 0, i;
	int *v = NULL, *same;

	(void)state;
	v = common_grow(v, &cap, 1, sizeof *v);
	assert_non_null(v);
	assert_int_equal(cap, 16);
	for (i = 0; i < 16; i++)
		v[i] = (int)i;

	/* Room enough: the same array, untouched. */
	same = common_grow(v, &cap, 16, sizeof *v);
	assert_ptr_equal(same, v);
	assert_int_equal(cap, 16);

	/* One more doubles; more than twice takes what is asked. */
	v = common_grow(v, &cap, 17, sizeof *v);
	assert_non_null(v);
	assert_int_equal(cap, 32);
	v = common_grow(v, &cap, 100, sizeof *v);
	assert_non_null(v);
	assert_int_equal(cap, 100);
	for (i = 0; i < 16; i++)
		assert_int_equal(v[i], (int)i);
	free(v);
}

/* need * size beyond SIZE_MAX: refused, the array and its room kept. */
static void
test_grow_overflow(void **state)
{
	size_t cap = 0;
	int *v = NULL, *n;

	(void)state;
	v = common_grow(v, &cap, 20, sizeof *v);
	assert_non_null(v);
	assert_int_equal(cap, 20);
	v[19] = 19;
	n = common_grow(v, &cap, SIZE_MAX / 2, sizeof *v);
	assert_null(n);
	assert_int_equal(cap, 20);
	assert_int_equal(v[19], 19);
	free(v);
}

static void
call_xgrow(void *arg)
{
	size_t cap = 0;

	(void)arg;
	free(common_xgrow(NULL, &cap, SIZE_MAX / 4, 8));
}

static void
call_xreallocarray(void *arg)
{
	(void)arg;
	free(common_xreallocarray(NULL, SIZE_MAX / 2, 4));
}

static void
expect_out_of_memory(void (*fn)(void *))
{
	char out[256];
	int status;

	status = child_run(fn, NULL, out, sizeof out);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, ": out of memory\n"));
}

static void
test_x_stop(void **state)
{
	size_t cap = 4;
	char *p;

	(void)state;
	expect_out_of_memory(call_xgrow);
	expect_out_of_memory(call_xreallocarray);

	p = common_xgrow(NULL, &cap, 5, 1);
	assert_int_equal(cap, 16);
	free(p);
	/* Zero elements is still a pointer to free. */
	p = common_xreallocarray(NULL, 0, 1);
	assert_non_null(p);
	p = common_xreallocarray(p, 3, 1);
	memcpy(p, "ab", 3);
	assert_string_equal(p, "ab");
	free(p);
}

static void
test_xprintf(void **state)
{
	char big[5000], *s;

	(void)state;
	s = common_xprintf("cannot %s %d", "open", 42);
	assert_string_equal(s, "cannot open 42");
	free(s);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	s = common_xprintf("<%s>", big);
	assert_int_equal(strlen(s), sizeof big + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[sizeof big], '>');
	free(s);

	s = common_xprintf("%s", "");
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grow),
	    cmocka_unit_test(test_grow_overflow),
	    cmocka_unit_test(test_x_stop),
	    cmocka_unit_test(test_xprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
