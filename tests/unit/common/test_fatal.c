/*
 * test_fatal.c - fatal() and fatalx(): one line on stderr under the
 * program's name, with strerror(errno) for fatal() only, then abort().
 */
#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "child.h"
#include "common.h"

static void
call_fatal(void *arg)
{
	errno = *(int *)arg;
	common_fatal("broken %d", 7);
}

static void
call_fatalx(void *arg)
{
	(void)arg;
	errno = ENOENT;
	common_fatalx("broken %s", "state");
}

static void
call_fatalx_long(void *arg)
{
	common_fatalx("%s", (const char *)arg);
}

static void
expect_abort(int status)
{
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void
test_fatal(void **state)
{
	char out[1024], want[256];
	int err = ENOENT;

	(void)state;
	expect_abort(child_run(call_fatal, &err, out, sizeof out));
	snprintf(want, sizeof want, "%s: broken 7: %s\n",
	    program_invocation_short_name, strerror(ENOENT));
	assert_string_equal(out, want);

	/* errno 0 is still said: fatal() always names it. */
	err = 0;
	expect_abort(child_run(call_fatal, &err, out, sizeof out));
	snprintf(want, sizeof want, "%s: broken 7: %s\n",
	    program_invocation_short_name, strerror(0));
	assert_string_equal(out, want);
}

static void
test_fatalx(void **state)
{
	char out[1024], want[256];

	(void)state;
	expect_abort(child_run(call_fatalx, NULL, out, sizeof out));
	snprintf(want, sizeof want, "%s: broken state\n",
	    program_invocation_short_name);
	assert_string_equal(out, want);
}

/* A message longer than the line is cut, and still ends the line. */
static void
test_fatalx_long(void **state)
{
	static char msg[4000];
	char out[4096];
	size_t len;

	(void)state;
	memset(msg, 'm', sizeof msg - 1);
	expect_abort(child_run(call_fatalx_long, msg, out, sizeof out));
	len = strlen(out);
	assert_true(len > 1000 && len <= 1024);
	assert_int_equal(out[len - 1], '\n');
	assert_int_equal(out[len - 2], 'm');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fatal),
	    cmocka_unit_test(test_fatalx),
	    cmocka_unit_test(test_fatalx_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
