/*
 * test_value.c - numbers read and printed as UCBLogo does, equality,
 * print and show forms, copies into another arena, and the arena's limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

static const char *
fmt(double d)
{
	static char buf[32];

	value_format_number(d, buf, sizeof buf);
	return buf;
}

static void
test_parse_number(void **state)
{
	double d;

	(void)state;
	assert_true(value_parse_number("0.1", 3, &d) && d == 0.1);
	assert_true(value_parse_number("-2.5", 4, &d) && d == -2.5);
	assert_true(value_parse_number(".5", 2, &d) && d == 0.5);
	assert_true(value_parse_number("7.", 2, &d) && d == 7);
	assert_true(value_parse_number("1e3", 3, &d) && d == 1000);
	assert_true(value_parse_number("1.5E-2", 6, &d) && d == 0.015);
	assert_true(value_parse_number("00012", 5, &d) && d == 12);
	assert_true(value_parse_number("123456789012345678901234", 24, &d) &&
		    d == 123456789012345678901234.0);
	assert_true(value_parse_number("0.30000000000000004", 19, &d) &&
		    d == 0.30000000000000004);
	assert_false(value_parse_number("", 0, &d));
	assert_false(value_parse_number("-", 1, &d));
	assert_false(value_parse_number(".", 1, &d));
	assert_false(value_parse_number("1e", 2, &d));
	assert_false(value_parse_number("+1", 2, &d));
	assert_false(value_parse_number("12abc", 5, &d));
	assert_false(value_parse_number("1e400", 5, &d));
}

static void
test_format_number(void **state)
{
	(void)state;
	assert_string_equal(fmt(3.5), "3.5");
	assert_string_equal(fmt(3), "3");
	assert_string_equal(fmt(-0.0), "0");
	assert_string_equal(fmt(1.0 / 3), "0.333333333333333");
	assert_string_equal(fmt(sqrt(2)), "1.4142135623731");
	assert_string_equal(fmt(1e10), "10000000000");
	assert_string_equal(fmt(1e20), "1e+20");
	assert_string_equal(fmt(1e-7), "1e-07");
	assert_string_equal(fmt(0.1 + 0.2), "0.3");
	/* Whatever the locale's decimal point. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL) {
		assert_string_equal(fmt(2.5), "2.5");
		setlocale(LC_NUMERIC, "C");
	}
}

static void
test_equal(void **state)
{
	struct arena a;
	struct lv n2 = value_num(2), w2, w20, wa, wA, l1, l2, l3;
	uint64_t budget = 100;

	(void)state;
	arena_init(&a, 0);
	w2 = value_of_word(value_word(&a, "2", 1));
	w20 = value_of_word(value_word(&a, "2.0", 3));
	wa = value_of_word(value_word(&a, "abc", 3));
	wA = value_of_word(value_word(&a, "ABC", 3));
	assert_int_equal(value_equal(&n2, &w2, &budget), 1);
	assert_int_equal(value_equal(&w2, &w20, &budget), 1);
	assert_int_equal(value_equal(&wa, &wA, &budget), 1);
	assert_int_equal(value_equal(&wa, &n2, &budget), 0);
	l1 = value_of_list(value_list(&a, 2));
	l1.u.l->v[0] = wa;
	l1.u.l->v[1] = n2;
	l2 = value_of_list(value_list(&a, 2));
	l2.u.l->v[0] = wA;
	l2.u.l->v[1] = w20;
	assert_int_equal(value_equal(&l1, &l2, &budget), 1);
	assert_int_equal(value_equal(&l1, &wa, &budget), 0);
	/* A list sharing its sublists: 2^40 leaves, stopped by the budget. */
	l3 = l1;
	for (int i = 0; i < 40; i++) {
		struct lv next = value_of_list(value_list(&a, 2));

		next.u.l->v[0] = l3;
		next.u.l->v[1] = l3;
		l3 = next;
	}
	budget = 1000;
	assert_int_equal(value_equal(&l3, &l3, &budget), -1);
	assert_int_equal(budget, 0);
	arena_free(&a);
}

static void
test_truth(void **state)
{
	struct arena a;
	struct lv t, f, x;

	(void)state;
	arena_init(&a, 0);
	t = value_of_word(value_word(&a, "TRUE", 4));
	f = value_of_word(value_word(&a, "false", 5));
	x = value_of_word(value_word(&a, "yes", 3));
	assert_int_equal(value_truth(&t), 1);
	assert_int_equal(value_truth(&f), 0);
	assert_int_equal(value_truth(&x), -1);
	x = value_num(1);
	assert_int_equal(value_truth(&x), -1);
	arena_free(&a);
}

static void
test_append(void **state)
{
	struct arena a;
	struct sbuf b;
	struct lv l, inner;

	(void)state;
	arena_init(&a, 0);
	inner = value_of_list(value_list(&a, 2));
	inner.u.l->v[0] = value_of_word(value_word(&a, "c", 1));
	inner.u.l->v[1] = value_num(1.5);
	l = value_of_list(value_list(&a, 3));
	l.u.l->v[0] = value_of_word(value_word(&a, "a", 1));
	l.u.l->v[1] = inner;
	l.u.l->v[2] = value_of_list(value_list(&a, 0));
	sbuf_init(&b, 0);
	value_append(&b, &l, 0);
	assert_string_equal(b.s, "a [c 1.5] []");
	sbuf_free(&b);
	value_append(&b, &l, 1);
	assert_string_equal(b.s, "[a [c 1.5] []]");
	sbuf_free(&b);
	/* A limit stops the text, and says so. */
	sbuf_init(&b, 5);
	value_append(&b, &l, 1);
	assert_int_equal(b.failed, 1);
	assert_true(b.len <= 5);
	sbuf_free(&b);
	arena_free(&a);
}

static void
test_copy(void **state)
{
	struct arena a, b;
	struct lv l, c;
	uint64_t budget = 100;

	(void)state;
	arena_init(&a, 0);
	arena_init(&b, 0);
	l = value_of_list(value_list(&a, 3));
	l.u.l->v[0] = value_of_word(value_word(&a, "fd", 2));
	l.u.l->v[1] = value_num(10);
	l.u.l->v[2] = value_of_list(value_list(&a, 0));
	assert_int_equal(value_copy(&b, &l, &c), 0);
	arena_free(&a);
	/* The copy stands alone, and is compiled. */
	assert_int_equal(c.u.l->n, 3);
	assert_string_equal(c.u.l->v[0].u.w->s, "fd");
	assert_int_equal(c.u.l->ncode, 3);
	assert_int_equal(c.u.l->code[0].kind, T_NAME);
	assert_non_null(c.u.l->v[2].u.l->code);
	assert_int_equal(value_equal(&c, &c, &budget), 1);
	arena_free(&b);
}

static void
test_arena(void **state)
{
	struct arena a;
	void *p, *q;
	size_t i;

	(void)state;
	arena_init(&a, 4096);
	p = arena_alloc(&a, 10);
	q = arena_alloc(&a, 10);
	assert_non_null(p);
	assert_non_null(q);
	assert_true(
	    (uintptr_t)q % sizeof(max_align_t) == 0 || (uintptr_t)q % 16 == 0);
	for (i = 0; i < 1000 && arena_alloc(&a, 64) != NULL; i++)
		;
	assert_int_equal(a.failed, ARENA_LIMIT);
	assert_true(a.total <= 4096);
	arena_free(&a);
	assert_int_equal(a.total, 0);
	/* A big one and small ones after it. */
	arena_init(&a, 0);
	assert_non_null(arena_alloc(&a, 1));
	assert_non_null(arena_alloc(&a, 1 << 20));
	assert_non_null(arena_alloc(&a, 1));
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_number),
	    cmocka_unit_test(test_format_number),
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_truth),
	    cmocka_unit_test(test_append),
	    cmocka_unit_test(test_copy),
	    cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
