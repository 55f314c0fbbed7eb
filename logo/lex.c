/*
 * lex.c - a list's items read as code: each word split into tokens.
 *
 * The reader splits a line only at blanks and brackets, as UCBLogo does,
 * so [print :x+1] shows as typed; when the list runs, each word is split
 * again at ( ) + - * / = < > into numbers, "words, :names, procedure
 * names and operators.  That is done once, here, when a list is made, and
 * kept with it (struct llist's code).
 *
 * A minus is an infix minus, except at the start of a word that goes on
 * (print -3, fd -:x) or right after an operator or ( (2*-3): then it
 * negates, and "-3" is the number -3.  So "3 -2" is two numbers and "3 - 2"
 * and "3-2" are one, as in UCBLogo.
 */
#include <string.h>

#include "internal.h"

struct lex {
	struct arena *a;
	struct ltok *out; /* NULL: only count */
	uint32_t n;
	int prev; /* the last token's kind in this word; -1 at its start */
};

static int lex_delim(int);
static size_t lex_number_end(const char *, size_t, size_t);
static struct ltok *lex_emit(struct lex *, int, struct lpos, size_t);
static int lex_subword(
    struct lex *, struct ltok *, const struct lword *, size_t, size_t);
static int lex_word(struct lex *, const struct lword *, struct lpos);
static int lex_items(struct lex *, const struct llist *, const struct lpos *);
static void lex_parens(struct llist *);

int
lex_is_binop(int kind)
{
	return kind >= T_ADD && kind <= T_NE;
}

static int
lex_delim(int c)
{
	return c != '\0' && strchr("()+-*/=<>", c) != NULL;
}

/* Where the number starting at i ends: digits, a point, digits, an
 * exponent (e, a sign, digits). */
static size_t
lex_number_end(const char *s, size_t i, size_t n)
{
	size_t j;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		j = i + 1;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < n && s[j] >= '0' && s[j] <= '9') {
			while (j < n && s[j] >= '0' && s[j] <= '9')
				j++;
			i = j;
		}
	}
	return i;
}

static struct ltok *
lex_emit(struct lex *lx, int kind, struct lpos pos, size_t off)
{
	struct ltok *t;

	lx->prev = kind;
	if (lx->out == NULL) {
		lx->n++;
		return NULL;
	}
	t = &lx->out[lx->n++];
	memset(t, 0, sizeof *t);
	t->kind = (uint8_t)kind;
	t->line = pos.line;
	t->col = pos.col == 0 ? 0 : (uint16_t)(pos.col + off);
	return t;
}

/* The token's word: w itself when it is all of it, else a new one. */
static int
lex_subword(
    struct lex *lx, struct ltok *t, const struct lword *w, size_t i, size_t j)
{
	if (t == NULL)
		return 0;
	if (i == 0 && j == w->len)
		t->u.w = w;
	else if ((t->u.w = value_word(lx->a, w->s + i, j - i)) == NULL)
		return -1;
	return 0;
}

static int
lex_word(struct lex *lx, const struct lword *w, struct lpos pos)
{
	const char *s = w->s;
	size_t n = w->len, i = 0, j;
	struct ltok *t;
	int kind, neg;
	double d;

	lx->prev = -1;
	while (i < n) {
		switch (s[i]) {
		case '(':
			lex_emit(lx, T_LPAREN, pos, i++);
			continue;
		case ')':
			lex_emit(lx, T_RPAREN, pos, i++);
			continue;
		case '"':
			/* A quoted word ends only at a parenthesis. */
			for (j = i + 1; j < n && s[j] != '(' && s[j] != ')';
			     j++)
				;
			t = lex_emit(lx, T_QUOTED, pos, i);
			if (lex_subword(lx, t, w, i + 1, j) == -1)
				return -1;
			i = j;
			continue;
		case ':':
			for (j = i + 1; j < n && !lex_delim(s[j]); j++)
				;
			t = lex_emit(lx, T_VAR, pos, i);
			if (lex_subword(lx, t, w, i + 1, j) == -1)
				return -1;
			i = j;
			continue;
		case '+':
		case '*':
		case '/':
		case '=':
			kind = s[i] == '+'   ? T_ADD
			       : s[i] == '*' ? T_MUL
			       : s[i] == '/' ? T_DIV
					     : T_EQ;
			lex_emit(lx, kind, pos, i++);
			continue;
		case '<':
		case '>':
			kind = s[i] == '<' ? T_LT : T_GT;
			if (i + 1 < n && s[i + 1] == '=') {
				kind = kind == T_LT ? T_LE : T_GE;
				lex_emit(lx, kind, pos, i);
				i += 2;
			} else if (s[i] == '<' && i + 1 < n &&
				   s[i + 1] == '>') {
				lex_emit(lx, T_NE, pos, i);
				i += 2;
			} else
				lex_emit(lx, kind, pos, i++);
			continue;
		case '-':
			neg = lx->prev == -1 ? n > 1
					     : lex_is_binop(lx->prev) ||
						   lx->prev == T_NEG ||
						   lx->prev == T_LPAREN;
			if (!neg) {
				lex_emit(lx, T_SUB, pos, i++);
				continue;
			}
			j = lex_number_end(s, i + 1, n);
			if (j > i + 1 && (j == n || lex_delim(s[j])) &&
			    value_parse_number(s + i, j - i, &d)) {
				t = lex_emit(lx, T_NUM, pos, i);
				if (t != NULL)
					t->u.num = d;
				i = j;
			} else
				lex_emit(lx, T_NEG, pos, i++);
			continue;
		}
		if ((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '.' && i + 1 < n && s[i + 1] >= '0' &&
			s[i + 1] <= '9')) {
			j = lex_number_end(s, i, n);
			if ((j == n || lex_delim(s[j])) &&
			    value_parse_number(s + i, j - i, &d)) {
				t = lex_emit(lx, T_NUM, pos, i);
				if (t != NULL)
					t->u.num = d;
				i = j;
				continue;
			}
		}
		/* A name: up to the next operator or parenthesis. */
		for (j = i; j < n && !lex_delim(s[j]); j++)
			;
		t = lex_emit(lx, T_NAME, pos, i);
		if (lex_subword(lx, t, w, i, j) == -1)
			return -1;
		if (t != NULL)
			t->prim = (uint16_t)prim_lookup(s + i, j - i);
		i = j;
	}
	return 0;
}

static int
lex_items(struct lex *lx, const struct llist *l, const struct lpos *pos)
{
	static const struct lpos nowhere = {0, 0};
	struct ltok *t;
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		struct lpos p = pos == NULL ? nowhere : pos[i];

		switch (l->v[i].type) {
		case LV_NONE:
			break;
		case LV_NUM:
			t = lex_emit(lx, T_NUM, p, 0);
			if (t != NULL)
				t->u.num = l->v[i].u.num;
			break;
		case LV_WORD:
			if (lex_word(lx, l->v[i].u.w, p) == -1)
				return -1;
			break;
		case LV_LIST:
			t = lex_emit(lx, T_LIST, p, 0);
			if (t != NULL)
				t->u.l = l->v[i].u.l;
			break;
		}
	}
	return 0;
}

int
lex_compile(struct arena *a, struct llist *l, const struct lpos *pos)
{
	struct lex lx = {a, NULL, 0, -1};
	struct ltok *code;

	/* Count, then fill: the code takes exactly its size. */
	if (lex_items(&lx, l, pos) == -1)
		return -1;
	code = arena_alloc(a, (lx.n == 0 ? 1 : lx.n) * sizeof *code);
	if (code == NULL)
		return -1;
	lx.out = code;
	lx.n = 0;
	if (lex_items(&lx, l, pos) == -1)
		return -1;
	l->code = code;
	l->ncode = lx.n;
	lex_parens(l);
	return 0;
}

/* UCBLogo refuses a line whose parentheses do not pair before running
 * any of it; the evaluator does the same with what this finds. */
static void
lex_parens(struct llist *l)
{
	uint32_t i, first = 0;
	int depth = 0;

	l->parens = 0;
	for (i = 0; i < l->ncode; i++) {
		if (l->code[i].kind == T_LPAREN) {
			if (depth++ == 0)
				first = i;
		} else if (l->code[i].kind == T_RPAREN && --depth < 0) {
			l->parens = i + 1;
			return;
		}
	}
	if (depth > 0)
		l->parens = first + 1;
}
