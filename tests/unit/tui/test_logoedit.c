/*
 * test_logoedit.c - what the client holds of Logo input typed at the
 * prompt: commands and whole Logo lines pass, a definition is kept from
 * "to" to "end" and a list while a [ is open (as the Logo reader says),
 * a title the server would refuse passes alone, lines the server would
 * not read as Logo are refused inside a definition, and abandoning keeps
 * nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tui.h"

static int
feed(struct logoedit *e, const char *line)
{
	char why[256];

	return logoedit_feed(e, line, strlen(line), why, sizeof why);
}

static int
setup(void **state)
{
	struct logoedit *e = calloc(1, sizeof *e);

	assert_non_null(e);
	assert_int_equal(logoedit_init(e), 0);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	logoedit_free(*state);
	free(*state);
	return 0;
}

static void
test_not_held(void **state)
{
	struct logoedit *e = *state;
	const char *pass[] = {"say hi [", "run 1 2", "help", "home", "quit",
	    "color pink", "run 1x 2", "pen sideways", "home lt 90", "fd 10",
	    "repeat 4 [fd 1 rt 90]", "print [a [b]]", "fd 1 ; a comment [",
	    "to fd", "to", ""};
	size_t i;

	for (i = 0; i < sizeof pass / sizeof pass[0]; i++) {
		assert_int_equal(feed(e, pass[i]), LOGOEDIT_SEND);
		assert_int_equal(e->state, LOGOEDIT_NONE);
		assert_null(logoedit_prompt(e, 0));
	}
}

static void
test_definition(void **state)
{
	struct logoedit *e = *state;
	char **lines;
	size_t n, i;

	assert_int_equal(feed(e, "to sq :n"), LOGOEDIT_KEPT);
	assert_int_equal(e->state, LOGOEDIT_DEFINE);
	assert_string_equal(logoedit_prompt(e, 0), "sq> ");
	assert_int_equal(feed(e, "repeat 4 [fd :n"), LOGOEDIT_KEPT);
	assert_int_equal(feed(e, "home"), LOGOEDIT_KEPT); /* Logo's home */
	assert_int_equal(feed(e, "rt 90]"), LOGOEDIT_KEPT);
	assert_string_equal(logoedit_prompt(e, 0), "sq> ");
	assert_int_equal(feed(e, "END"), LOGOEDIT_DONE);
	lines = logoedit_take(e, &n);
	assert_int_equal(e->state, LOGOEDIT_NONE);
	assert_int_equal(n, 5);
	assert_string_equal(lines[0], "to sq :n");
	assert_string_equal(lines[4], "END");
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	/* And again: nothing of the first is left. */
	assert_int_equal(feed(e, "fd 1"), LOGOEDIT_SEND);
	assert_int_equal(feed(e, "to tri"), LOGOEDIT_KEPT);
	assert_string_equal(logoedit_prompt(e, 0), "tri> ");
}

static void
test_list(void **state)
{
	struct logoedit *e = *state;
	char **lines;
	size_t n;

	assert_int_equal(feed(e, "repeat 2 [fd 1"), LOGOEDIT_KEPT);
	assert_int_equal(e->state, LOGOEDIT_LIST);
	assert_string_equal(logoedit_prompt(e, 0), "~ ");
	assert_int_equal(feed(e, "[rt 1"), LOGOEDIT_KEPT);
	assert_int_equal(feed(e, "]"), LOGOEDIT_KEPT);
	assert_int_equal(feed(e, "rt 90]"), LOGOEDIT_DONE);
	lines = logoedit_take(e, &n);
	assert_int_equal(n, 4);
	while (n > 0)
		free(lines[--n]);
	free(lines);
}

static void
test_refused_in_definition(void **state)
{
	struct logoedit *e = *state;
	char why[256];

	assert_int_equal(feed(e, "to sq"), LOGOEDIT_KEPT);
	assert_int_equal(
	    logoedit_feed(e, "quit", 4, why, sizeof why), LOGOEDIT_REFUSED);
	assert_non_null(strstr(why, "quit"));
	assert_int_equal(feed(e, "run 99999999999 1"), LOGOEDIT_REFUSED);
	assert_int_equal(feed(e, "name a!b"), LOGOEDIT_REFUSED);
	assert_int_equal(feed(e, "hello 1"), LOGOEDIT_REFUSED);
	assert_int_equal(feed(e, "fd 1\x1b[2J"), LOGOEDIT_REFUSED);
	assert_int_equal(e->state, LOGOEDIT_DEFINE);
	/* A command's word with wrong arguments is Logo's here. */
	assert_int_equal(feed(e, "color 3"), LOGOEDIT_KEPT);
	assert_int_equal(e->nlines, 2);
	assert_int_equal(logoedit_abandon(e), 2);
	assert_int_equal(e->state, LOGOEDIT_NONE);
	assert_null(logoedit_prompt(e, 0));
	assert_int_equal(feed(e, "end"), LOGOEDIT_SEND);
}

/* What no command could take is Logo's, as turtled decides. */
static void
test_command_words(void **state)
{
	struct logoedit *e = *state;
	char **lines;
	size_t n;

	assert_int_equal(feed(e, "run [fd 10"), LOGOEDIT_KEPT);
	assert_int_equal(e->state, LOGOEDIT_LIST);
	assert_int_equal(feed(e, "rt 90]"), LOGOEDIT_DONE);
	lines = logoedit_take(e, &n);
	assert_int_equal(n, 2);
	while (n > 0)
		free(lines[--n]);
	free(lines);
}

static void
test_server_prompt(void **state)
{
	struct logoedit *e = *state;

	assert_null(logoedit_prompt(e, 0));
	assert_string_equal(logoedit_prompt(e, 1), "to> ");
	assert_string_equal(logoedit_prompt(e, 2), "~ ");
	/* What is typed here comes first. */
	assert_int_equal(feed(e, "to sq"), LOGOEDIT_KEPT);
	assert_string_equal(logoedit_prompt(e, 2), "sq> ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_not_held, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_definition, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_refused_in_definition, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_command_words, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_server_prompt, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
