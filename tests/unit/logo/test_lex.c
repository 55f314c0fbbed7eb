/*
 * test_lex.c - a word's text into tokens: numbers, "words, :names,
 * procedure names (with their primitive), operators, parentheses, and
 * UCBLogo's rule for a minus sign.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

struct lexed {
	struct arena a;
	struct llist *l;
};

/* The words of text (split at blanks) compiled as one list. */
static const struct ltok *
lex(struct lexed *x, const char *text, uint32_t *n)
{
	const char *words[32];
	char buf[256], *save = NULL, *w;
	uint32_t nw = 0, i;

	arena_init(&x->a, 0);
	snprintf(buf, sizeof buf, "%s", text);
	for (w = strtok_r(buf, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save))
		words[nw++] = w;
	x->l = value_list(&x->a, nw);
	assert_non_null(x->l);
	for (i = 0; i < nw; i++)
		x->l->v[i] = value_of_word(
		    value_word(&x->a, words[i], strlen(words[i])));
	assert_int_equal(lex_compile(&x->a, x->l, NULL), 0);
	*n = x->l->ncode;
	return x->l->code;
}

/* The kinds, one letter each: 0 number, q "word, v :name, n name,
 * ( ) ~ (unary minus), and the operators as themselves; L <= G >= N <>. */
static void
assert_kinds(const char *text, const char *want)
{
	static const char letters[] = {[T_NUM] = '0',
	    [T_QUOTED] = 'q',
	    [T_VAR] = 'v',
	    [T_NAME] = 'n',
	    [T_LIST] = 'l',
	    [T_LPAREN] = '(',
	    [T_RPAREN] = ')',
	    [T_NEG] = '~',
	    [T_ADD] = '+',
	    [T_SUB] = '-',
	    [T_MUL] = '*',
	    [T_DIV] = '/',
	    [T_EQ] = '=',
	    [T_LT] = '<',
	    [T_GT] = '>',
	    [T_LE] = 'L',
	    [T_GE] = 'G',
	    [T_NE] = 'N'};
	struct lexed x;
	const struct ltok *t;
	char got[64];
	uint32_t n, i;

	t = lex(&x, text, &n);
	for (i = 0; i < n && i < sizeof got - 1; i++)
		got[i] = letters[t[i].kind];
	got[i] = '\0';
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", text, got, want);
	arena_free(&x.a);
}

static void
test_numbers(void **state)
{
	struct lexed x;
	const struct ltok *t;
	uint32_t n;

	(void)state;
	t = lex(&x, "3 3.5 .5 7. 1e3 1.5e-2 00012 -4 -.25", &n);
	assert_int_equal(n, 9);
	assert_true(t[0].kind == T_NUM && t[0].u.num == 3);
	assert_true(t[1].u.num == 3.5 && t[2].u.num == 0.5);
	assert_true(t[3].u.num == 7 && t[4].u.num == 1000);
	assert_true(t[5].u.num == 0.015 && t[6].u.num == 12);
	assert_true(t[7].kind == T_NUM && t[7].u.num == -4);
	assert_true(t[8].kind == T_NUM && t[8].u.num == -0.25);
	arena_free(&x.a);
	/* A number that runs on into letters is a name. */
	assert_kinds("12abc 1e 2x3", "nnn");
}

static void
test_minus(void **state)
{
	(void)state;
	/* A word that starts with - and goes on: negation. */
	assert_kinds("3 -2", "00");
	assert_kinds("-:x", "~v");
	assert_kinds("-(3+4)", "~(0+0)");
	/* Alone, or inside a word after an operand: subtraction. */
	assert_kinds("3 - 2", "0-0");
	assert_kinds("3-2", "0-0");
	assert_kinds(":x-1", "v-0");
	assert_kinds("a-b", "n-n");
	/* After an operator or ( it negates again. */
	assert_kinds("2*-3", "0*0");
	assert_kinds("2*-(3+4)", "0*~(0+0)");
	assert_kinds("3+-2", "0+0");
	assert_kinds("(-3)", "(0)");
	assert_kinds("- 3", "-0");
}

static void
test_words_and_names(void **state)
{
	struct lexed x;
	const struct ltok *t;
	uint32_t n;

	(void)state;
	t = lex(&x, "\"abc \"a+b :size fd FORWARD sq \"a) \"", &n);
	assert_int_equal(n, 9);
	assert_int_equal(t[0].kind, T_QUOTED);
	assert_string_equal(t[0].u.w->s, "abc");
	/* Operators do not end a quoted word, parentheses do. */
	assert_string_equal(t[1].u.w->s, "a+b");
	assert_int_equal(t[2].kind, T_VAR);
	assert_string_equal(t[2].u.w->s, "size");
	assert_int_equal(t[3].kind, T_NAME);
	assert_int_not_equal(t[3].prim, 0);
	assert_int_equal(t[4].prim, prim_lookup("forward", 7));
	assert_int_equal(t[5].kind, T_NAME);
	assert_int_equal(t[5].prim, 0);
	assert_int_equal(t[6].kind, T_QUOTED);
	assert_string_equal(t[6].u.w->s, "a");
	assert_int_equal(t[7].kind, T_RPAREN);
	assert_int_equal(t[8].kind, T_QUOTED);
	assert_string_equal(t[8].u.w->s, "");
	arena_free(&x.a);
}

static void
test_operators(void **state)
{
	(void)state;
	assert_kinds("3+4*2", "0+0*0");
	assert_kinds("1<2 3>=4 5<=6 7<>8 9=9 8/2", "0<00G00L00N00=00/0");
	assert_kinds(":x+1", "v+0");
	assert_kinds("(print 1 2)", "(n00)");
	assert_kinds("print(3)", "n(0)");
}

static void
test_positions(void **state)
{
	struct arena a;
	struct llist *l;
	struct lpos pos[2] = {{3, 5}, {3, 9}};
	const struct ltok *t;

	(void)state;
	arena_init(&a, 0);
	l = value_list(&a, 2);
	l->v[0] = value_of_word(value_word(&a, "fd", 2));
	l->v[1] = value_of_word(value_word(&a, "1+:x", 4));
	assert_int_equal(lex_compile(&a, l, pos), 0);
	assert_int_equal(l->ncode, 4);
	t = l->code;
	assert_true(t[0].line == 3 && t[0].col == 5);
	assert_true(t[1].col == 9 && t[2].col == 10 && t[3].col == 11);
	arena_free(&a);
}

static void
test_sublists(void **state)
{
	struct arena a;
	struct llist *l, *sub;

	(void)state;
	arena_init(&a, 0);
	sub = value_list(&a, 0);
	assert_int_equal(lex_compile(&a, sub, NULL), 0);
	l = value_list(&a, 3);
	l->v[0] = value_of_word(value_word(&a, "repeat", 6));
	l->v[1] = value_num(4);
	l->v[2] = value_of_list(sub);
	assert_int_equal(lex_compile(&a, l, NULL), 0);
	assert_int_equal(l->ncode, 3);
	assert_int_equal(l->code[1].kind, T_NUM);
	assert_int_equal(l->code[2].kind, T_LIST);
	assert_ptr_equal(l->code[2].u.l, sub);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_minus),
	    cmocka_unit_test(test_words_and_names),
	    cmocka_unit_test(test_operators),
	    cmocka_unit_test(test_positions),
	    cmocka_unit_test(test_sublists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
