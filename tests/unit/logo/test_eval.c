/*
 * test_eval.c - running lines: expressions and precedence, calls with
 * their inputs, procedures, dynamic scope, control, print and show, and
 * errors in UCBLogo's words with where they happened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "session.h"

static void
test_arithmetic(void **state)
{
	struct session *s = *state;

	assert_string_equal(session_print(s, "3 + 4 * 2"), "11");
	assert_string_equal(session_print(s, "(3 + 4) * 2"), "14");
	assert_string_equal(session_print(s, "10 - 2 - 3"), "5");
	assert_string_equal(session_print(s, "12 / 4 / 3"), "1");
	assert_string_equal(session_print(s, "7 / 2"), "3.5");
	assert_string_equal(session_print(s, "2*-(3+4)"), "-14");
	assert_string_equal(session_print(s, "-3 + 5"), "2");
	assert_string_equal(session_print(s, "1 + 2 = 3"), "true");
	assert_string_equal(session_print(s, "1 < 2 = \"true"), "true");
	assert_string_equal(session_print(s, "3 <> 4"), "true");
	assert_string_equal(session_print(s, "sum 1 2 + 3"), "6");
	assert_string_equal(
	    session_print(s, "(sum 1 2 3 4 5 6 7 8 9 10)"), "55");
	assert_string_equal(session_print(s, "sqrt 16 + 9"), "5");
	assert_string_equal(session_print(s, "int -3.7"), "-3");
	assert_string_equal(session_print(s, "round -2.5"), "-3");
	assert_string_equal(session_print(s, "abs -4"), "4");
	assert_string_equal(session_print(s, "arctan 1"), "45");
	assert_string_equal(session_print(s, "(arctan -1 0)"), "180");
	assert_string_equal(session_print(s, "(sin 30) + cos 60"), "1");
	assert_string_equal(session_print(s, "sin 30 + 60"), "1");
	assert_string_equal(session_print(s, "remainder -7 3"), "-1");
	assert_string_equal(
	    session_print(s, "1e308 * 10"), "* doesn't like 10 as input");
	assert_string_equal(
	    session_print(s, "1 / 0"), "/ doesn't like 0 as input");
	assert_string_equal(
	    session_print(s, "sqrt -1"), "sqrt doesn't like -1 as input");
	assert_string_equal(
	    session_print(s, "- 3"), "not enough inputs to print");
	assert_string_equal(session_print(s, "3 +"), "not enough inputs to +");
	assert_string_equal(
	    session_print(s, "- \"a"), "not enough inputs to print");
	assert_string_equal(
	    session_print(s, "-\"a"), "- doesn't like a as input");
}

static void
test_words_lists(void **state)
{
	struct session *s = *state;

	assert_string_equal(session_print(s, "\"Hello"), "Hello");
	assert_string_equal(session_print(s, "[a [b c] d]"), "a [b c] d");
	assert_int_equal(session_line(s, "show [a [b c] d]"), LOGO_OK);
	assert_string_equal(s->text, "[a [b c] d]\n");
	assert_int_equal(session_line(s, "(print 1 [2] \"a)"), LOGO_OK);
	assert_string_equal(s->text, "1 2 a\n");
	assert_int_equal(session_line(s, "type 1 type \"x print 2"), LOGO_OK);
	assert_string_equal(s->text, "1x2\n");
	assert_int_equal(session_line(s, "(print)"), LOGO_OK);
	assert_string_equal(s->text, "\n");
	assert_string_equal(session_print(s, "list 1 [2]"), "1 [2]");
	assert_string_equal(session_print(s, "word \"ab 12"), "ab12");
	assert_string_equal(
	    session_print(s, "(word \"a \"b \"c) = \"ABC"), "true");
	assert_string_equal(
	    session_print(s, "word [a] \"b"), "word doesn't like [a] as input");
	assert_string_equal(session_print(s, "3.0"), "3");
	assert_string_equal(session_print(s, "[3.0]"), "3.0");
	assert_string_equal(session_print(s, "\"3.0 + 1"), "4");
}

static void
test_control(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_line(s, "repeat 3 [type repcount]"), LOGO_OK);
	assert_string_equal(s->text, "123");
	assert_string_equal(session_print(s, "repcount"), "-1");
	assert_int_equal(
	    session_line(
		s, "repeat 2 [repeat 2 [type repcount] type repcount]"),
	    LOGO_OK);
	assert_string_equal(s->text, "121122");
	assert_string_equal(session_print(s, "ifelse 1 < 2 [\"y] [\"n]"), "y");
	assert_string_equal(
	    session_print(s, "if \"false [1]"), "if didn't output to print");
	assert_string_equal(session_print(s, "(if \"false [1] [2])"), "2");
	assert_string_equal(session_print(s, "run [3 + 4]"), "7");
	assert_string_equal(session_print(s, "not and \"true \"false"), "true");
	assert_string_equal(
	    session_print(s, "(or \"false \"false \"true)"), "true");
	assert_int_equal(session_line(s, "if 1 [fd 1]"), LOGO_ERROR);
	assert_string_equal(session_error(s), "if doesn't like 1 as input");
	assert_int_equal(session_line(s, "repeat 2.5 [fd 1]"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "repeat doesn't like 2.5 as input");
	assert_int_equal(session_line(s, "repeat 2 \"fd"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "repeat doesn't like fd as input");
	assert_int_equal(session_line(s, "stop"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "Can only use stop inside a procedure");
	assert_int_equal(session_line(s, "op 3"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "Can only use op inside a procedure");
	assert_int_equal(session_line(s, "print 1 to sq"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "Can only use to at the start of a line");
}

static void
test_procedures(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_lines(s, "to fact :n\n"
					  "if :n < 2 [output 1]\n"
					  "output :n * fact :n - 1\n"
					  "end"),
	    LOGO_OK);
	assert_string_equal(session_print(s, "fact 10"), "3628800");
	assert_string_equal(session_print(s, "fact 3 + 1"), "24");
	assert_string_equal(session_print(s, "(fact 3) + 1"), "7");
	assert_string_equal(session_print(s, "FACT 4"), "24");
	assert_string_equal(
	    session_print(s, "fact"), "not enough inputs to fact");
	assert_string_equal(
	    session_print(s, "(fact 1 2)"), "too many inputs to fact");
	assert_int_equal(session_lines(s, "to walk :n\n"
					  "repeat 10 [if repcount > :n [stop] "
					  "type repcount]\n"
					  "type \"never\n"
					  "end"),
	    LOGO_OK);
	assert_int_equal(session_line(s, "walk 3"), LOGO_OK);
	assert_string_equal(s->text, "123");
	assert_string_equal(
	    session_print(s, "walk 1"), "walk didn't output to print");
	assert_int_equal(session_line(s, "fact 3"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "You don't say what to do with 6");
	/* Redefined: the new one wins. */
	assert_int_equal(
	    session_lines(s, "to fact :n\noutput 0\nend"), LOGO_OK);
	assert_string_equal(session_print(s, "fact 10"), "0");
}

static void
test_scope(void **state)
{
	struct session *s = *state;

	/* Dynamic scope: inner sees outer's input and changes it. */
	assert_int_equal(session_lines(s, "to outer :a\n"
					  "inner\n"
					  "print :a\n"
					  "end\n"
					  "to inner\n"
					  "make \"a :a + 1\n"
					  "end"),
	    LOGO_OK);
	assert_int_equal(session_line(s, "outer 5"), LOGO_OK);
	assert_string_equal(s->text, "6\n");
	assert_string_equal(session_print(s, ":a"), "a has no value");
	assert_int_equal(session_line(s, "inner"), LOGO_ERROR);
	assert_string_equal(session_error(s), "a has no value");
	/* local hides a global only while the procedure runs. */
	assert_int_equal(session_lines(s, "make \"v 1\n"
					  "to lv\n"
					  "local \"v\n"
					  "make \"v 2\n"
					  "output :v\n"
					  "end"),
	    LOGO_OK);
	assert_string_equal(session_print(s, "lv"), "2");
	assert_string_equal(session_print(s, ":v"), "1");
	/* Recursion: each call its own :n. */
	assert_int_equal(session_lines(s, "to down :n\n"
					  "if :n = 0 [stop]\n"
					  "down :n - 1\n"
					  "type :n\n"
					  "end"),
	    LOGO_OK);
	assert_int_equal(session_line(s, "down 4"), LOGO_OK);
	assert_string_equal(s->text, "1234");
}

static void
test_errors_where(void **state)
{
	struct session *s = *state;
	char buf[LOGO_FORMAT_MAX];

	assert_int_equal(session_line(s, "fd 10 rt \"abc"), LOGO_ERROR);
	assert_string_equal(session_error(s), "rt doesn't like abc as input");
	assert_int_equal(s->res.error.code, LOGO_E_INPUT);
	assert_string_equal(s->res.error.proc, "");
	assert_int_equal(s->res.error.column, 7);
	logo_error_format(&s->res.error, buf, sizeof buf);
	assert_string_equal(buf, "rt doesn't like abc as input (column 7)");
	assert_string_equal(logo_error_word(s->res.error.code), "input");
	assert_int_equal(session_lines(s, "to sq :n\n"
					  "repeat 4 [fd :n rt 90]\n"
					  "end"),
	    LOGO_OK);
	assert_int_equal(session_line(s, "sq \"x"), LOGO_ERROR);
	assert_string_equal(session_error(s), "fd doesn't like x as input");
	assert_string_equal(s->res.error.proc, "sq");
	assert_int_equal(s->res.error.line, 2);
	assert_int_equal(s->res.error.column, 11);
	logo_error_format(&s->res.error, buf, sizeof buf);
	assert_string_equal(
	    buf, "fd doesn't like x as input (in sq, line 2, column 11)");
	assert_int_equal(session_line(s, "foo 3"), LOGO_ERROR);
	/* One space (UCBLogo prints two: error.c says why). */
	assert_string_equal(session_error(s), "I don't know how to foo");
	assert_int_equal(s->res.error.code, LOGO_E_UNKNOWN);
	assert_int_equal(session_line(s, "print :nothing"), LOGO_ERROR);
	assert_string_equal(session_error(s), "nothing has no value");
	assert_int_equal(session_line(s, "print )"), LOGO_ERROR);
	assert_string_equal(session_error(s), "unexpected ')'");
	assert_int_equal(session_line(s, "print (3 + 4"), LOGO_ERROR);
	assert_string_equal(session_error(s), "too many ('s");
	assert_int_equal(session_line(s, "(fd 10 20)"), LOGO_ERROR);
	assert_string_equal(session_error(s), "too many inputs to fd");
	assert_int_equal(session_line(s, "print (fd 1) + 1"), LOGO_ERROR);
	assert_string_equal(session_error(s), "fd didn't output to +");
	assert_int_equal(session_line(s, "3 4"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "You don't say what to do with 3");
	assert_int_equal(session_line(s, "[a b]"), LOGO_ERROR);
	assert_string_equal(
	    session_error(s), "You don't say what to do with [a b]");
	/* Printed before the error: kept, for the sender. */
	assert_int_equal(session_line(s, "print 1 print 2 foo"), LOGO_ERROR);
	assert_string_equal(s->text, "1\n2\n");
}

static void
test_erase_pots(void **state)
{
	struct session *s = *state;

	assert_int_equal(session_lines(s, "to zeta\nend\n"
					  "to Alpha :x :y\nend\n"
					  "to mid\nend"),
	    LOGO_OK);
	assert_int_equal(session_line(s, "pots"), LOGO_OK);
	assert_string_equal(s->text, "to Alpha :x :y\nto mid\nto zeta\n");
	/* Erased in the line: gone for the rest of the line already. */
	assert_int_equal(session_line(s, "erase \"mid pots"), LOGO_OK);
	assert_string_equal(s->text, "to Alpha :x :y\nto zeta\n");
	assert_int_equal(session_line(s, "erase [zeta ALPHA] mid"), LOGO_ERROR);
	assert_string_equal(session_error(s), "I don't know how to mid");
	assert_int_equal(session_line(s, "erase \"fd"), LOGO_ERROR);
	assert_string_equal(session_error(s), "fd is a primitive");
	assert_int_equal(session_line(s, "erase \"nosuch"), LOGO_OK);
	assert_int_equal(logo_workspace_procs(s->ws), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_arithmetic, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_words_lists, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_control, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_procedures, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_scope, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_errors_where, session_setup, session_teardown),
	    cmocka_unit_test_setup_teardown(
		test_erase_pots, session_setup, session_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
