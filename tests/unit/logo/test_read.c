/*
 * test_read.c - text into instruction lines: words and nested lists,
 * comments, lines joined by an open [, positions, the reader's errors and
 * limits; procedure titles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

static int
read_text(struct arena *a, const char *s, struct llist ***lines, int *n,
    struct logo_error *err)
{
	arena_init(a, 0);
	memset(err, 0, sizeof *err);
	return read_lines(a, s, strlen(s), 1, lines, n, err);
}

static const char *
shown(const struct llist *l)
{
	static char buf[512];
	struct sbuf b;
	struct lv v = {LV_LIST, {.l = (struct llist *)l}};

	sbuf_init(&b, 0);
	value_append(&b, &v, 1);
	snprintf(buf, sizeof buf, "%s", b.s);
	sbuf_free(&b);
	return buf;
}

static void
test_words_lists(void **state)
{
	struct arena a;
	struct llist **lines;
	struct logo_error err;
	int n;

	(void)state;
	assert_int_equal(
	    read_text(&a, "repeat 4 [fd 10 [rt 90]]  ; turn", &lines, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(lines[0]->n, 3);
	assert_string_equal(shown(lines[0]), "[repeat 4 [fd 10 [rt 90]]]");
	assert_int_equal(lines[0]->v[2].type, LV_LIST);
	/* Every list has its code as soon as it is read. */
	assert_non_null(lines[0]->v[2].u.l->code);
	assert_non_null(lines[0]->v[2].u.l->v[2].u.l->code);
	arena_free(&a);
	/* Kept as typed inside brackets: operators and parens too. */
	assert_int_equal(
	    read_text(&a, "show [a+b (c) -3 \"x :y]", &lines, &n, &err), 0);
	assert_string_equal(shown(lines[0]), "[show [a+b (c) -3 \"x :y]]");
	arena_free(&a);
}

static void
test_lines(void **state)
{
	struct arena a;
	struct llist **lines;
	struct logo_error err;
	int n;

	(void)state;
	/* A newline ends a line only outside brackets; blank lines and
	 * comment lines are no lines. */
	assert_int_equal(
	    read_text(&a,
		"fd 1\n\n; nothing\nrepeat 2 [\n  rt 90 ; turn\n]\n"
		"bk 1",
		&lines, &n, &err),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(shown(lines[1]), "[repeat 2 [rt 90]]");
	/* Tokens know their line and column. */
	assert_int_equal(lines[1]->v[2].u.l->code[0].line, 5);
	assert_int_equal(lines[1]->v[2].u.l->code[0].col, 3);
	assert_int_equal(lines[2]->code[0].line, 7);
	arena_free(&a);
}

static void
test_errors(void **state)
{
	struct arena a;
	struct llist **lines;
	struct logo_error err;
	int n;

	(void)state;
	assert_int_equal(read_text(&a, "fd 10 ]", &lines, &n, &err), -1);
	assert_string_equal(err.msg, "unexpected ']'");
	assert_int_equal(err.code, LOGO_E_SYNTAX);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 7);
	arena_free(&a);
	assert_int_equal(read_text(&a, "print [a [b]", &lines, &n, &err), -1);
	assert_string_equal(err.msg, "missing ]");
	arena_free(&a);
}

static void
test_limits(void **state)
{
	struct arena a;
	struct llist **lines;
	struct logo_error err;
	char *s;
	int n, i;

	(void)state;
	/* LOGO_NEST_MAX brackets deep is fine, one more is not. */
	s = calloc(1, 4 * LOGO_NEST_MAX + 16);
	for (i = 0; i < LOGO_NEST_MAX; i++)
		s[i] = '[';
	memset(s + LOGO_NEST_MAX, ']', LOGO_NEST_MAX);
	assert_int_equal(read_text(&a, s, &lines, &n, &err), 0);
	arena_free(&a);
	s[0] = '[';
	memmove(s + 1, s, 2 * LOGO_NEST_MAX);
	s[2 * LOGO_NEST_MAX + 1] = ']';
	assert_int_equal(read_text(&a, s, &lines, &n, &err), -1);
	assert_int_equal(err.code, LOGO_E_LIMIT);
	assert_int_equal(err.limit, LOGO_LIMIT_NEST);
	arena_free(&a);
	free(s);
	/* A word of LOGO_WORD_MAX characters, and one more. */
	s = malloc(LOGO_WORD_MAX + 8);
	s[0] = '"';
	memset(s + 1, 'a', LOGO_WORD_MAX - 1);
	s[LOGO_WORD_MAX] = '\0';
	assert_int_equal(read_text(&a, s, &lines, &n, &err), 0);
	arena_free(&a);
	strcat(s, "a");
	assert_int_equal(read_text(&a, s, &lines, &n, &err), -1);
	assert_int_equal(err.limit, LOGO_LIMIT_WORD);
	assert_string_equal(err.msg, "word too long (limit 1024 characters)");
	arena_free(&a);
	free(s);
	/* LOGO_LIST_MAX items, and one more. */
	s = malloc(2 * LOGO_LIST_MAX + 8);
	for (i = 0; i < LOGO_LIST_MAX; i++) {
		s[2 * i] = 'x';
		s[2 * i + 1] = ' ';
	}
	s[2 * LOGO_LIST_MAX] = '\0';
	assert_int_equal(read_text(&a, s, &lines, &n, &err), 0);
	assert_int_equal(lines[0]->n, LOGO_LIST_MAX);
	arena_free(&a);
	strcat(s, "x");
	assert_int_equal(read_text(&a, s, &lines, &n, &err), -1);
	assert_int_equal(err.limit, LOGO_LIMIT_LIST);
	arena_free(&a);
	free(s);
}

static void
test_depth(void **state)
{
	(void)state;
	assert_int_equal(read_depth("fd 1", 4), 0);
	assert_int_equal(read_depth("repeat 2 [ [", 12), 2);
	assert_int_equal(read_depth("[a] ; [", 7), 0);
	assert_int_equal(read_depth("a ] [", 5), -1);
}

static void
test_title(void **state)
{
	struct arena a;
	struct proc p;
	struct logo_error err;

	(void)state;
	arena_init(&a, 0);
	memset(&p, 0, sizeof p);
	assert_int_equal(
	    read_title("TO  Box :Size   :n ; c", 22, &a, &p, &err), 0);
	assert_string_equal(p.name->s, "Box");
	assert_int_equal(p.nparams, 2);
	assert_string_equal(p.params[0]->s, "Size");
	assert_string_equal(p.title, "TO Box :Size :n");
	assert_int_equal(read_title("to", 2, &a, &p, &err), -1);
	assert_string_equal(err.msg, "not enough inputs to to");
	assert_int_equal(read_title("to fd :n", 8, &a, &p, &err), -1);
	assert_string_equal(err.msg, "fd is already defined");
	assert_int_equal(err.code, LOGO_E_DEFINE);
	assert_int_equal(read_title("to 3", 4, &a, &p, &err), -1);
	assert_string_equal(err.msg, "to doesn't like 3 as input");
	assert_int_equal(read_title("to sq n", 7, &a, &p, &err), -1);
	assert_string_equal(err.msg, "to doesn't like n as input");
	assert_int_equal(read_title("to sq :", 7, &a, &p, &err), -1);
	assert_int_equal(read_title("to sq [:n 3]", 12, &a, &p, &err), -1);
	arena_free(&a);
}

static void
test_title_limits(void **state)
{
	char line[1024];
	struct arena a;
	struct proc p;
	struct logo_error err;
	int i, n;

	(void)state;
	arena_init(&a, 0);
	n = snprintf(line, sizeof line, "to f");
	for (i = 0; i < LOGO_PARAMS_MAX; i++)
		n += snprintf(line + n, sizeof line - n, " :p%d", i);
	assert_int_equal(read_title(line, (size_t)n, &a, &p, &err), 0);
	assert_int_equal(p.nparams, LOGO_PARAMS_MAX);
	n += snprintf(line + n, sizeof line - n, " :one.more");
	assert_int_equal(read_title(line, (size_t)n, &a, &p, &err), -1);
	assert_int_equal(err.limit, LOGO_LIMIT_PARAMS);
	n = snprintf(line, sizeof line, "to %0*d", LOGO_NAME_MAX, 0);
	line[3] = 'a';
	assert_int_equal(read_title(line, (size_t)n, &a, &p, &err), 0);
	n = snprintf(line, sizeof line, "to a%0*d", LOGO_NAME_MAX, 0);
	assert_int_equal(read_title(line, (size_t)n, &a, &p, &err), -1);
	assert_int_equal(err.limit, LOGO_LIMIT_NAME);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words_lists),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_title),
	    cmocka_unit_test(test_title_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
