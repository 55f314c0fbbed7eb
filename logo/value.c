/*
 * value.c - numbers, words and lists: making, comparing, printing and
 * copying them, and the growing strings they are printed into.
 *
 * A value is 16 bytes: a number inline, or a pointer to a word or a list
 * in some arena.  Words and lists never change once made (Logo has no
 * list surgery here), so a line may point into the workspace's values
 * while it runs, and a global is copied only when a line that set it
 * commits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Exact powers of ten: a mantissa below 2^53 times or over one of these
 * is correctly rounded, so most literals need no strtod (nor its
 * locale). */
static const double value_pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22};

static int value_fold(int);
static void value_append_list(struct sbuf *, const struct llist *);
static void sbuf_grow(struct sbuf *, size_t);

static int
value_fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* FNV-1a over the folded bytes. */
uint32_t
value_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)value_fold((unsigned char)s[i]);
		h *= 16777619u;
	}
	return h;
}

int
value_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		if (value_fold((unsigned char)a[i]) !=
		    value_fold((unsigned char)b[i]))
			return 0;
	}
	return 1;
}

int
value_parse_number(const char *s, size_t n, double *out)
{
	const uint64_t big = (1ull << 53) / 10 - 1;
	char buf[LOGO_WORD_MAX + 1];
	uint64_t mant = 0;
	size_t i = 0;
	int neg = 0, digits = 0, exact = 1, scale = 0, esign = 1, e = 0;
	int edigits = 0;
	double v;

	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (mant > big) {
			exact = 0;
			scale++;
		} else
			mant = mant * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			if (mant > big)
				exact = 0;
			else {
				mant = mant * 10 + (uint64_t)(s[i] - '0');
				scale--;
			}
		}
	}
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			esign = s[i++] == '-' ? -1 : 1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, edigits++) {
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		}
		if (edigits == 0)
			return 0;
	}
	if (i != n)
		return 0;
	scale += esign * e;
	if (exact && scale >= -22 && scale <= 22) {
		v = (double)mant;
		v = scale < 0 ? v / value_pow10[-scale]
			      : v * value_pow10[scale];
	} else {
		/* Long or far out: strtod (its locale's point is '.' here). */
		if (n >= sizeof buf)
			return 0;
		memcpy(buf, s, n);
		buf[n] = '\0';
		v = fabs(strtod(buf, NULL));
	}
	if (!isfinite(v))
		return 0;
	*out = neg ? -v : v;
	return 1;
}

size_t
value_format_number(double d, char *buf, size_t len)
{
	int n;
	size_t i;

	if (d == 0)
		d = 0; /* -0 prints as 0, as in UCBLogo */
	n = snprintf(buf, len, "%.15g", d);
	if (n < 0)
		n = 0;
	if ((size_t)n >= len)
		n = (int)len - 1;
	/* Whatever the locale's decimal point, Logo's is '.'. */
	for (i = 0; i < (size_t)n; i++) {
		if (buf[i] == ',')
			buf[i] = '.';
	}
	return (size_t)n;
}

const struct lword *
value_word(struct arena *a, const char *s, size_t n)
{
	struct lword *w;

	if (n > UINT32_MAX)
		return NULL;
	if ((w = arena_alloc(a, sizeof *w + n + 1)) == NULL)
		return NULL;
	w->len = (uint32_t)n;
	w->hash = value_hash(s, n);
	w->isnum = value_parse_number(s, n, &w->num);
	if (!w->isnum)
		w->num = 0;
	memcpy(w->s, s, n);
	w->s[n] = '\0';
	return w;
}

struct llist *
value_list(struct arena *a, uint32_t n)
{
	struct llist *l;

	l = arena_alloc(a, sizeof *l + (size_t)n * sizeof l->v[0]);
	if (l == NULL)
		return NULL;
	l->n = n;
	l->ncode = 0;
	l->parens = 0;
	l->depth = 1;
	l->code = NULL;
	return l;
}

struct lv
value_num(double d)
{
	struct lv v;

	v.type = LV_NUM;
	v.u.num = d;
	return v;
}

struct lv
value_of_word(const struct lword *w)
{
	struct lv v;

	v.type = LV_WORD;
	v.u.w = w;
	return v;
}

struct lv
value_of_list(struct llist *l)
{
	struct lv v;

	v.type = LV_LIST;
	v.u.l = l;
	return v;
}

int
value_to_number(const struct lv *v, double *out)
{
	if (v->type == LV_NUM) {
		*out = v->u.num;
		return 1;
	}
	if (v->type == LV_WORD && v->u.w->isnum) {
		*out = v->u.w->num;
		return 1;
	}
	return 0;
}

int
value_equal(const struct lv *a, const struct lv *b, uint64_t *budget)
{
	double x, y;
	uint32_t i;
	int eq;

	/* Lists may share sublists (list :l :l), so what looks small may
	 * unfold to 2^60 items: every pair compared costs one. */
	if (*budget == 0)
		return -1;
	(*budget)--;
	if (value_to_number(a, &x) && value_to_number(b, &y))
		return x == y;
	if (a->type == LV_LIST && b->type == LV_LIST) {
		if (a->u.l->n != b->u.l->n)
			return 0;
		for (i = 0; i < a->u.l->n; i++) {
			eq = value_equal(&a->u.l->v[i], &b->u.l->v[i], budget);
			if (eq != 1)
				return eq;
		}
		return 1;
	}
	if (a->type == LV_WORD && b->type == LV_WORD)
		return value_name_eq(
		    a->u.w->s, a->u.w->len, b->u.w->s, b->u.w->len);
	/* A number and a word that is not one, a word and a list. */
	return 0;
}

int
value_truth(const struct lv *v)
{
	if (v->type != LV_WORD)
		return -1;
	if (value_name_eq(v->u.w->s, v->u.w->len, "true", 4))
		return 1;
	if (value_name_eq(v->u.w->s, v->u.w->len, "false", 5))
		return 0;
	return -1;
}

static void
value_append_list(struct sbuf *b, const struct llist *l)
{
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			sbuf_addc(b, ' ');
		value_append(b, &l->v[i], 1);
		if (b->failed)
			return;
	}
}

void
value_append(struct sbuf *b, const struct lv *v, int show)
{
	char buf[32];
	size_t n;

	switch (v->type) {
	case LV_NONE:
		break;
	case LV_NUM:
		n = value_format_number(v->u.num, buf, sizeof buf);
		sbuf_add(b, buf, n);
		break;
	case LV_WORD:
		sbuf_add(b, v->u.w->s, v->u.w->len);
		break;
	case LV_LIST:
		if (show)
			sbuf_addc(b, '[');
		value_append_list(b, v->u.l);
		if (show)
			sbuf_addc(b, ']');
		break;
	}
}

int
value_copy(struct arena *a, const struct lv *v, struct lv *out)
{
	const struct llist *src;
	struct llist *l;
	uint32_t i;

	switch (v->type) {
	case LV_NONE:
	case LV_NUM:
		*out = *v;
		return 0;
	case LV_WORD:
		out->type = LV_WORD;
		out->u.w = value_word(a, v->u.w->s, v->u.w->len);
		return out->u.w == NULL ? -1 : 0;
	case LV_LIST:
		src = v->u.l;
		if ((l = value_list(a, src->n)) == NULL)
			return -1;
		l->depth = src->depth;
		for (i = 0; i < src->n; i++) {
			if (value_copy(a, &src->v[i], &l->v[i]) == -1)
				return -1;
		}
		if (lex_compile(a, l, NULL) == -1)
			return -1;
		*out = value_of_list(l);
		return 0;
	}
	return -1;
}

void
sbuf_init(struct sbuf *b, size_t limit)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->limit = limit;
	b->failed = 0;
}

void
sbuf_free(struct sbuf *b)
{
	free(b->s);
	sbuf_init(b, b->limit);
}

static void
sbuf_grow(struct sbuf *b, size_t n)
{
	size_t cap;
	char *s;

	if (b->failed)
		return;
	if (b->limit != 0 && (n > b->limit || b->len > b->limit - n)) {
		b->failed = 1;
		return;
	}
	if (b->len + n + 1 <= b->cap)
		return;
	cap = b->cap == 0 ? 64 : b->cap;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((s = realloc(b->s, cap)) == NULL) {
		b->failed = 2;
		return;
	}
	b->s = s;
	b->cap = cap;
}

void
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	sbuf_grow(b, n);
	if (b->failed)
		return;
	if (n > 0)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void
sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	char buf[LOGO_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	sbuf_add(b, buf, (size_t)n);
}
