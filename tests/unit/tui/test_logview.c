/*
 * test_logview.c - how a log line is cut into rows of a pane: after a
 * space or a '/', so a word or a path's part that fits a row is never cut
 * in two; by display columns (a CJK character takes two), never in the
 * middle of a character, always moving on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "tui.h"

static size_t cut(const char *, int, int *);
static int setup(void **);
static void test_fits(void **);
static void test_breaks_at_space(void **);
static void test_breaks_in_path(void **);
static void test_long_word(void **);
static void test_wide_characters(void **);
static void test_never_stuck(void **);
static void test_whole_line(void **);

static size_t
cut(const char *s, int cols, int *used)
{
	return logview_break(s, strlen(s), cols, used);
}

static int
setup(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	return 0;
}

static void
test_fits(void **state)
{
	int used;

	(void)state;
	assert_int_equal(cut("alice joined", 20, &used), 12);
	assert_int_equal(used, 12);
	assert_int_equal(cut("alice joined", 12, &used), 12);
}

static void
test_breaks_at_space(void **state)
{
	int used;

	(void)state;
	/* A space just past the fit ends the row (unseen). */
	assert_int_equal(cut("alice moved to <3:2>", 14, &used), 15);
	assert_int_equal(cut("alice moved to <3:2>", 11, &used), 12);
	/* Else the last space of the row. */
	assert_int_equal(cut("moved to <3:2>", 11, &used), 9);
	assert_int_equal(used, 9);
	assert_int_equal(cut("alice moved to <3:2>", 13, &used), 12);
	/* Even early in the row, when the next word fits a row of its own. */
	assert_int_equal(cut("connected to unix:/tmp", 16, &used), 13);
	assert_int_equal(used, 13);
}

/* A path breaks after a '/', not in the middle of a part. */
static void
test_breaks_in_path(void **state)
{
	const char *s = "connected to unix:/run/user/1000/turtlenet/default";
	int used;

	(void)state;
	assert_int_equal(cut(s, 31, &used), 28); /* "... unix:/run/user/" */
	assert_int_equal(used, 28);
	assert_int_equal(cut(s + 28, 31, &used), 22); /* all the rest */
	assert_int_equal(
	    cut("unix:/run/user/1000/turtlenet/default", 24, &used), 20);
	/* A part wider than a row is cut where the columns run out. */
	assert_int_equal(
	    cut("unix:/abcdefghijklmnopqrstuvwxyz", 12, &used), 12);
}

static void
test_long_word(void **state)
{
	int used;

	(void)state;
	/* A word wider than a row: cut where the columns run out (the row
	 * filled, not left at "a "). */
	assert_int_equal(cut("abcdefghijklmnopqrstuvwxyz", 10, &used), 10);
	assert_int_equal(used, 10);
	assert_int_equal(cut("a bcdefghijklmnopqrstuvwxyz", 10, &used), 10);
}

static void
test_wide_characters(void **state)
{
	const char *s = "\xe6\xbc\xa2\xe5\xad\x97\xe3\x83\x86"; /* 3 wide */
	int used;

	(void)state;
	assert_int_equal(cut(s, 6, &used), 9);
	assert_int_equal(used, 6);
	/* Five columns hold two of them, not two and a half. */
	assert_int_equal(cut(s, 5, &used), 6);
	assert_int_equal(used, 4);
	/* "gr\xc3\xbc\xc3\x9f" is four columns in six bytes. */
	assert_int_equal(cut("gr\xc3\xbc\xc3\x9f"
			     "e",
			     4, &used),
	    6);
}

static void
test_never_stuck(void **state)
{
	int used;

	(void)state;
	/* A character wider than the pane is stepped over, not looped on. */
	assert_int_equal(cut("\xe6\xbc\xa2x", 1, &used), 3);
	assert_int_equal(cut("x", 0, &used), 1);
}

/* Cutting a line row after row uses every byte exactly once. */
static void
test_whole_line(void **state)
{
	const char *s = "bob: the quick brown \xe7\x8b\x90 jumps over the "
			"lazy dog, twice, and then \\x1b[31m once more";
	size_t len = strlen(s), off = 0, n;
	int used, rows = 0, cols;

	(void)state;
	for (cols = 1; cols < 40; cols++) {
		off = 0;
		rows = 0;
		while (off < len) {
			n = logview_break(s + off, len - off, cols, &used);
			assert_true(n > 0);
			assert_true(used <= cols);
			/* Never in the middle of a UTF-8 sequence. */
			assert_true(off + n == len ||
				    ((unsigned char)s[off + n] & 0xc0) != 0x80);
			off += n;
			rows++;
		}
		assert_int_equal(off, len);
		assert_true(rows >= 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fits),
	    cmocka_unit_test(test_breaks_at_space),
	    cmocka_unit_test(test_breaks_in_path),
	    cmocka_unit_test(test_long_word),
	    cmocka_unit_test(test_wide_characters),
	    cmocka_unit_test(test_never_stuck),
	    cmocka_unit_test(test_whole_line),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
