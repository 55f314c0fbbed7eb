/*
 * control.c - primitives that run lists, name things and print: repeat,
 * repcount, if, ifelse, run, stop, output, make, local, erase, pots,
 * print, show, type, list, word, and to where it cannot be.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static enum run control_text(struct ev *, struct lv *, int, int, int);
static enum run control_print(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_show(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_type(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_repeat(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_repcount(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_if(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_ifelse(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_run(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_stop(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_output(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_name(
    struct ev *, const char *, const struct lv *, const struct lword **);
static enum run control_make(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_local_one(struct ev *, const char *, struct lv *);
static enum run control_local(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_erase_one(struct ev *, const char *, struct lv *);
static enum run control_erase(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_pots(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_list(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_word(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run control_to(
    struct ev *, const char *, struct lv *, int, struct lv *);

const struct prim control_prims[] = {
    {"print", 0, 1, -1, control_print},
    {"pr", 0, 1, -1, control_print},
    {"show", 0, 1, -1, control_show},
    {"type", 0, 1, -1, control_type},
    {"repeat", 2, 2, 2, control_repeat},
    {"repcount", 0, 0, 0, control_repcount},
    {"if", 2, 2, 3, control_if},
    {"ifelse", 3, 3, 3, control_ifelse},
    {"run", 1, 1, 1, control_run},
    {"stop", 0, 0, 0, control_stop},
    {"output", 1, 1, 1, control_output},
    {"op", 1, 1, 1, control_output},
    {"make", 2, 2, 2, control_make},
    {"local", 1, 1, -1, control_local},
    {"erase", 1, 1, 1, control_erase},
    {"er", 1, 1, 1, control_erase},
    {"pots", 0, 0, 0, control_pots},
    {"list", 0, 2, -1, control_list},
    {"word", 0, 2, -1, control_word},
    {"to", 0, 0, -1, control_to},
};
const size_t control_nprims = sizeof control_prims / sizeof control_prims[0];

/* print, show and type: the inputs with blanks between. */
static enum run
control_text(struct ev *ev, struct lv *args, int argc, int show, int newline)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (i > 0)
			sbuf_addc(&ev->out, ' ');
		value_append(
		    &ev->out, &args[i], show || args[i].type != LV_LIST);
	}
	return prim_print_text(ev, "\n", newline ? 1 : 0);
}

static enum run
control_print(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)out;
	return control_text(ev, args, argc, 0, 1);
}

static enum run
control_show(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)out;
	return control_text(ev, args, argc, 1, 1);
}

static enum run
control_type(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)out;
	return control_text(ev, args, argc, 0, 0);
}

/* repeat N [list]: N a whole number, 0 or more; repcount counts 1..N. */
static enum run
control_repeat(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double n, i, saved = ev->rep;
	enum run r = R_OK;

	(void)argc;
	(void)out;
	if (!value_to_number(&args[0], &n) || n < 0 || n != floor(n))
		return eval_bad_input(ev, name, &args[0]);
	if (args[1].type != LV_LIST)
		return eval_bad_input(ev, name, &args[1]);
	for (i = 1; i <= n; i++) {
		ev->rep = i;
		if ((r = eval_step(ev)) != R_OK)
			break;
		if ((r = eval_list(ev, args[1].u.l, NULL)) != R_OK)
			break;
	}
	ev->rep = saved;
	return r;
}

static enum run
control_repcount(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)name;
	(void)args;
	(void)argc;
	*out = value_num(ev->rep);
	return R_OK;
}

/* if TF [list] (or (if TF [yes] [no])): gives what the list gives. */
static enum run
control_if(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	int tf, i;

	if ((tf = value_truth(&args[0])) == -1)
		return eval_bad_input(ev, name, &args[0]);
	for (i = 1; i < argc; i++) {
		if (args[i].type != LV_LIST)
			return eval_bad_input(ev, name, &args[i]);
	}
	if (tf)
		return eval_list(ev, args[1].u.l, out);
	if (argc == 3)
		return eval_list(ev, args[2].u.l, out);
	return R_OK;
}

static enum run
control_ifelse(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	return control_if(ev, name, args, argc, out);
}

static enum run
control_run(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)argc;
	if (args[0].type != LV_LIST)
		return eval_bad_input(ev, name, &args[0]);
	return eval_list(ev, args[0].u.l, out);
}

static enum run
control_stop(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)args;
	(void)argc;
	(void)out;
	if (ev->frame == NULL)
		return eval_error(ev, LOGO_E_CONTEXT,
		    "Can only use %s inside a procedure", name);
	return R_STOP;
}

static enum run
control_output(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)argc;
	(void)out;
	if (ev->frame == NULL)
		return eval_error(ev, LOGO_E_CONTEXT,
		    "Can only use %s inside a procedure", name);
	ev->outval = args[0];
	return R_OUTPUT;
}

/* A variable's name: a word (a number is taken as its digits). */
static enum run
control_name(struct ev *ev, const char *name, const struct lv *v,
    const struct lword **out)
{
	char buf[32];
	size_t n;

	if (v->type == LV_NUM) {
		n = value_format_number(v->u.num, buf, sizeof buf);
		if ((*out = value_word(ev->arena, buf, n)) == NULL)
			return eval_arena_error(ev);
		return R_OK;
	}
	if (v->type != LV_WORD || v->u.w->len == 0)
		return eval_bad_input(ev, name, v);
	if (v->u.w->len > LOGO_NAME_MAX)
		return eval_limit(ev, LOGO_LIMIT_NAME, LOGO_NAME_MAX);
	*out = v->u.w;
	return R_OK;
}

static enum run
control_make(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	const struct lword *w;
	enum run r;
	long sym;

	(void)argc;
	(void)out;
	if ((r = control_name(ev, name, &args[0], &w)) != R_OK)
		return r;
	if ((sym = vars_intern(ev, w)) == -1 ||
	    vars_set(ev, (uint32_t)sym, &args[1]) == -1) {
		error_nomem(ev->err);
		return R_ERR;
	}
	return R_OK;
}

/* At top level a variable is global anyway: local does nothing there. */
static enum run
control_local_one(struct ev *ev, const char *name, struct lv *v)
{
	const struct lword *w;
	enum run r;
	long sym;

	if ((r = control_name(ev, name, v, &w)) != R_OK)
		return r;
	if (ev->frame == NULL)
		return R_OK;
	if ((sym = vars_intern(ev, w)) == -1 ||
	    vars_bind(ev, (uint32_t)sym, NULL) == -1) {
		error_nomem(ev->err);
		return R_ERR;
	}
	return R_OK;
}

/* local "x, local [x y], (local "x "y). */
static enum run
control_local(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	enum run r;
	uint32_t j;
	int i;

	(void)out;
	for (i = 0; i < argc; i++) {
		if (args[i].type != LV_LIST) {
			if ((r = control_local_one(ev, name, &args[i])) != R_OK)
				return r;
			continue;
		}
		for (j = 0; j < args[i].u.l->n; j++) {
			if ((r = control_local_one(
				 ev, name, &args[i].u.l->v[j])) != R_OK)
				return r;
		}
	}
	return R_OK;
}

static enum run
control_erase_one(struct ev *ev, const char *name, struct lv *v)
{
	const struct lword **more, *w;
	size_t cap;

	if (v->type != LV_WORD)
		return eval_bad_input(ev, name, v);
	w = v->u.w;
	if (prim_lookup(w->s, w->len) != 0)
		return eval_error(ev, LOGO_E_DEFINE, "%s is a primitive", w->s);
	if (eval_proc(ev, w) == NULL)
		return R_OK; /* as UCBLogo: erasing nothing is no error */
	if (ev->nerased == ev->cap_erased) {
		cap = ev->cap_erased == 0 ? 8 : ev->cap_erased * 2;
		more = arena_alloc(ev->arena, cap * sizeof *more);
		if (more == NULL)
			return eval_arena_error(ev);
		if (ev->nerased > 0)
			memcpy(more, ev->erased, ev->nerased * sizeof *more);
		ev->erased = more;
		ev->cap_erased = cap;
	}
	ev->erased[ev->nerased++] = w;
	return R_OK;
}

/* erase "name or erase [name name]: procedures. */
static enum run
control_erase(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	enum run r;
	uint32_t j;

	(void)argc;
	(void)out;
	if (args[0].type != LV_LIST)
		return control_erase_one(ev, name, &args[0]);
	for (j = 0; j < args[0].u.l->n; j++) {
		if ((r = control_erase_one(ev, name, &args[0].u.l->v[j])) !=
		    R_OK)
			return r;
	}
	return R_OK;
}

/* Every procedure's title, by name, as UCBLogo lists them. */
static enum run
control_pots(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	const struct proc **procs;
	size_t i, n;
	enum run r;

	(void)name;
	(void)args;
	(void)argc;
	(void)out;
	if ((procs = ws_sorted_procs(ev->ws, ev->arena, &n)) == NULL && n > 0)
		return eval_arena_error(ev);
	for (i = 0; i < n; i++) {
		if (eval_proc(ev, procs[i]->name) == NULL)
			continue;
		if ((r = prim_print_text(ev, procs[i]->title,
			 strlen(procs[i]->title))) != R_OK ||
		    (r = prim_print_text(ev, "\n", 1)) != R_OK)
			return r;
	}
	return R_OK;
}

static enum run
control_list(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	struct llist *l;
	uint32_t depth = 1;
	int i;

	(void)name;
	for (i = 0; i < argc; i++) {
		if (args[i].type == LV_LIST && args[i].u.l->depth >= depth)
			depth = args[i].u.l->depth + 1;
	}
	if (depth > LOGO_NEST_MAX)
		return eval_limit(ev, LOGO_LIMIT_NEST, LOGO_NEST_MAX);
	if ((l = value_list(ev->arena, (uint32_t)argc)) == NULL)
		return eval_arena_error(ev);
	l->depth = depth;
	if (argc > 0)
		memcpy(l->v, args, (size_t)argc * sizeof *args);
	*out = value_of_list(l);
	return R_OK;
}

/* Words (and numbers, as they print) end to end. */
static enum run
control_word(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	const struct lword *w;
	struct sbuf b;
	int i, failed;

	sbuf_init(&b, LOGO_WORD_MAX);
	for (i = 0; i < argc; i++) {
		if (args[i].type == LV_LIST) {
			sbuf_free(&b);
			return eval_bad_input(ev, name, &args[i]);
		}
		value_append(&b, &args[i], 0);
	}
	if ((failed = b.failed) != 0) {
		sbuf_free(&b);
		if (failed == 1)
			return eval_limit(ev, LOGO_LIMIT_WORD, LOGO_WORD_MAX);
		error_nomem(ev->err);
		return R_ERR;
	}
	w = value_word(ev->arena, b.s == NULL ? "" : b.s, b.len);
	sbuf_free(&b);
	if (w == NULL)
		return eval_arena_error(ev);
	*out = value_of_word(w);
	return R_OK;
}

/* to is read by line.c when it starts a line; anywhere else it is an
 * error. */
static enum run
control_to(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	(void)args;
	(void)argc;
	(void)out;
	return eval_error(
	    ev, LOGO_E_CONTEXT, "Can only use %s at the start of a line", name);
}
