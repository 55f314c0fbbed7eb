/*
 * read.c - text into instruction lines, and procedure titles.
 *
 * A line is read as UCBLogo reads it: a list of words and [lists], split
 * at blanks and brackets only; ; starts a comment to the end of the line;
 * a [ left open goes on over the next lines.  Each list is compiled into
 * tokens (lex.c) as soon as it is closed, in the arena it is read into.
 * Positions (line, column) go with every token, for errors that say
 * where.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* An item of a list being read, where it was read. */
struct item {
	struct lv v;
	struct lpos pos;
};

struct reader {
	struct arena *a;
	const char *s;
	size_t n, i;
	int line;           /* the physical line at i */
	size_t bol;         /* where that line begins */
	struct item *items; /* the open lists' items, innermost last */
	size_t nitems, cap;
	struct logo_error *err;
};

static int read_blank(int);
static int read_has(const char *, size_t, const char *);
static struct lpos read_pos(const struct reader *, size_t);
static int read_push(struct reader *, struct lv, struct lpos);
static int read_list(struct reader *, int depth, struct llist **);
static int read_fail(struct reader *, size_t, enum logo_err, const char *);

static int
read_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether any of set's characters is among s's n bytes. */
static int
read_has(const char *s, size_t n, const char *set)
{
	for (; *set != '\0'; set++) {
		if (memchr(s, *set, n) != NULL)
			return 1;
	}
	return 0;
}

static struct lpos
read_pos(const struct reader *r, size_t at)
{
	struct lpos p;

	p.line = (uint16_t)(r->line > UINT16_MAX ? UINT16_MAX : r->line);
	at = at - r->bol + 1;
	p.col = (uint16_t)(at > UINT16_MAX ? UINT16_MAX : at);
	return p;
}

static int
read_fail(struct reader *r, size_t at, enum logo_err code, const char *msg)
{
	struct lpos p = read_pos(r, at);

	if (code == LOGO_E_NOMEM)
		error_arena(r->err, r->a, LOGO_LIMIT_MEMORY);
	else if (code != LOGO_E_LIMIT)
		error_set(r->err, code, "%s", msg);
	r->err->line = p.line;
	r->err->column = p.col;
	return -1;
}

static int
read_push(struct reader *r, struct lv v, struct lpos pos)
{
	struct item *items;
	size_t cap;

	if (r->nitems == r->cap) {
		cap = r->cap == 0 ? 64 : r->cap * 2;
		if ((items = realloc(r->items, cap * sizeof *items)) == NULL) {
			error_nomem(r->err);
			return -1;
		}
		r->items = items;
		r->cap = cap;
	}
	r->items[r->nitems].v = v;
	r->items[r->nitems].pos = pos;
	r->nitems++;
	return 0;
}

/*
 * Reads items up to the ] that closes this list (depth > 0) or the end of
 * the logical line (depth 0), then makes and compiles the list.
 */
static int
read_list(struct reader *r, int depth, struct llist **out)
{
	size_t base = r->nitems, j, k;
	struct lpos *pos;
	struct llist *l, *sub;
	const struct lword *w;
	struct lpos p;
	int c;

	for (;;) {
		if (r->i == r->n) {
			if (depth > 0)
				return read_fail(
				    r, r->i, LOGO_E_SYNTAX, "missing ]");
			break;
		}
		c = r->s[r->i];
		if (c == '\n') {
			r->i++;
			r->line++;
			r->bol = r->i;
			if (depth == 0)
				break;
			continue;
		}
		if (read_blank(c)) {
			r->i++;
			continue;
		}
		if (c == ';') {
			while (r->i < r->n && r->s[r->i] != '\n')
				r->i++;
			continue;
		}
		if (r->nitems - base >= LOGO_LIST_MAX) {
			error_limit(r->err, LOGO_LIMIT_LIST, LOGO_LIST_MAX);
			return read_fail(r, r->i, LOGO_E_LIMIT, NULL);
		}
		p = read_pos(r, r->i);
		if (c == '[') {
			if (depth + 1 > LOGO_NEST_MAX) {
				error_limit(
				    r->err, LOGO_LIMIT_NEST, LOGO_NEST_MAX);
				return read_fail(r, r->i, LOGO_E_LIMIT, NULL);
			}
			r->i++;
			if (read_list(r, depth + 1, &sub) == -1)
				return -1;
			if (read_push(r, value_of_list(sub), p) == -1)
				return -1;
			continue;
		}
		if (c == ']') {
			if (depth == 0)
				return read_fail(
				    r, r->i, LOGO_E_SYNTAX, "unexpected ']'");
			r->i++;
			break;
		}
		for (j = r->i; j < r->n; j++) {
			c = r->s[j];
			if (read_blank(c) || c == '\n' || c == '[' ||
			    c == ']' || c == ';')
				break;
		}
		if (j - r->i > LOGO_WORD_MAX) {
			error_limit(r->err, LOGO_LIMIT_WORD, LOGO_WORD_MAX);
			return read_fail(r, r->i, LOGO_E_LIMIT, NULL);
		}
		if ((w = value_word(r->a, r->s + r->i, j - r->i)) == NULL)
			return read_fail(r, r->i, LOGO_E_NOMEM, NULL);
		if (read_push(r, value_of_word(w), p) == -1)
			return -1;
		r->i = j;
	}
	if ((l = value_list(r->a, (uint32_t)(r->nitems - base))) == NULL ||
	    (pos = arena_alloc(r->a, (l->n + 1) * sizeof *pos)) == NULL)
		return read_fail(r, r->i, LOGO_E_NOMEM, NULL);
	for (k = 0; k < l->n; k++) {
		l->v[k] = r->items[base + k].v;
		pos[k] = r->items[base + k].pos;
		if (l->v[k].type == LV_LIST && l->v[k].u.l->depth >= l->depth)
			l->depth = l->v[k].u.l->depth + 1;
	}
	r->nitems = base;
	if (lex_compile(r->a, l, pos) == -1)
		return read_fail(r, r->i, LOGO_E_NOMEM, NULL);
	*out = l;
	return 0;
}

int
read_lines(struct arena *a, const char *s, size_t n, int first_line,
    struct llist ***out, int *nout, struct logo_error *err)
{
	struct reader r;
	struct llist *l, **lines = NULL, **more;
	int nlines = 0, cap = 0, rc = -1;

	memset(&r, 0, sizeof r);
	r.a = a;
	r.s = s;
	r.n = n;
	r.line = first_line;
	r.err = err;
	while (r.i < r.n) {
		if (read_list(&r, 0, &l) == -1)
			goto out;
		if (l->n == 0)
			continue; /* blank, or only a comment */
		if (nlines == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((more = realloc(lines, cap * sizeof *lines)) ==
			    NULL) {
				error_nomem(err);
				goto out;
			}
			lines = more;
		}
		lines[nlines++] = l;
	}
	*nout = nlines;
	*out = arena_alloc(a, (nlines + 1) * sizeof **out);
	if (*out == NULL) {
		error_arena(err, a, LOGO_LIMIT_MEMORY);
		goto out;
	}
	if (nlines > 0)
		memcpy(*out, lines, nlines * sizeof *lines);
	rc = 0;
out:
	free(lines);
	free(r.items);
	return rc;
}

int
read_depth(const char *s, size_t n)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ';') {
			while (i < n && s[i] != '\n')
				i++;
			if (i == n)
				break;
		}
		if (s[i] == '[')
			depth++;
		else if (s[i] == ']' && --depth < 0)
			return -1;
	}
	return depth;
}

/*
 * "to NAME :a :b" into p's name, inputs and title.  UCBLogo refuses a
 * primitive's name ("fd is already defined"); a user's procedure may be
 * defined again.
 */
int
read_title(const char *s, size_t n, struct arena *a, struct proc *p,
    struct logo_error *err)
{
	const char *words[LOGO_PARAMS_MAX + 2];
	size_t lens[LOGO_PARAMS_MAX + 2], i = 0, j, k, len;
	int nw = 0;
	double d;
	char *title;

	while (i < n) {
		if (read_blank((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (s[i] == ';')
			break;
		for (j = i;
		     j < n && !read_blank((unsigned char)s[j]) && s[j] != ';';
		     j++)
			;
		if (nw == LOGO_PARAMS_MAX + 2) {
			error_limit(err, LOGO_LIMIT_PARAMS, LOGO_PARAMS_MAX);
			return -1;
		}
		words[nw] = s + i;
		lens[nw++] = j - i;
		i = j;
	}
	if (nw == 0 || !value_name_eq(words[0], lens[0], "to", 2)) {
		error_set(err, LOGO_E_SYNTAX, "a definition starts with to");
		return -1;
	}
	if (nw == 1) {
		error_set(err, LOGO_E_FEW_INPUTS, "not enough inputs to to");
		return -1;
	}
	if (lens[1] > LOGO_NAME_MAX) {
		error_limit(err, LOGO_LIMIT_NAME, LOGO_NAME_MAX);
		return -1;
	}
	if (value_parse_number(words[1], lens[1], &d) ||
	    read_has(words[1], lens[1], "[]()\":")) {
		error_set(err, LOGO_E_INPUT, "to doesn't like %.*s as input",
		    (int)lens[1], words[1]);
		return -1;
	}
	if (prim_lookup(words[1], lens[1]) != 0) {
		error_set(err, LOGO_E_DEFINE, "%.*s is already defined",
		    (int)lens[1], words[1]);
		return -1;
	}
	for (k = 2; k < (size_t)nw; k++) {
		if (lens[k] < 2 || words[k][0] != ':' ||
		    read_has(words[k] + 1, lens[k] - 1, "[]()\":+-*/=<>")) {
			error_set(err, LOGO_E_INPUT,
			    "to doesn't like %.*s as input", (int)lens[k],
			    words[k]);
			return -1;
		}
		if (lens[k] - 1 > LOGO_NAME_MAX) {
			error_limit(err, LOGO_LIMIT_NAME, LOGO_NAME_MAX);
			return -1;
		}
	}
	if (nw - 2 > LOGO_PARAMS_MAX) {
		error_limit(err, LOGO_LIMIT_PARAMS, LOGO_PARAMS_MAX);
		return -1;
	}
	p->nparams = nw - 2;
	p->name = value_word(a, words[1], lens[1]);
	p->params = arena_alloc(a, (p->nparams + 1) * sizeof *p->params);
	for (len = 0, k = 0; k < (size_t)nw; k++)
		len += lens[k] + 1;
	title = arena_alloc(a, len);
	if (p->name == NULL || p->params == NULL || title == NULL) {
		error_arena(err, a, LOGO_LIMIT_WORKSPACE);
		return -1;
	}
	for (len = 0, k = 0; k < (size_t)nw; k++) {
		if (k > 0)
			title[len++] = ' ';
		memcpy(title + len, words[k], lens[k]);
		len += lens[k];
		if (k >= 2 && (p->params[k - 2] = value_word(
				   a, words[k] + 1, lens[k] - 1)) == NULL) {
			error_arena(err, a, LOGO_LIMIT_WORKSPACE);
			return -1;
		}
	}
	title[len] = '\0';
	p->title = title;
	return 0;
}

struct logo_pending *
logo_pending_new(void)
{
	struct logo_pending *p;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	sbuf_init(&p->text, LOGO_PENDING_MAX);
	return p;
}

void
logo_pending_free(struct logo_pending *p)
{
	if (p == NULL)
		return;
	sbuf_free(&p->text);
	free(p);
}

enum logo_pending_state
logo_pending_state(const struct logo_pending *p)
{
	return p->state;
}

int
logo_pending_copy(struct logo_pending *dst, const struct logo_pending *src)
{
	logo_pending_reset(dst);
	sbuf_add(
	    &dst->text, src->text.s != NULL ? src->text.s : "", src->text.len);
	if (dst->text.failed) {
		logo_pending_reset(dst);
		return -1;
	}
	dst->state = src->state;
	dst->lines = src->lines;
	return 0;
}

void
logo_pending_reset(struct logo_pending *p)
{
	sbuf_free(&p->text);
	p->state = LOGO_PENDING_NONE;
	p->lines = 0;
}
