/*
 * eval.c - running tokens: instructions, expressions, calls and frames.
 *
 * Logo cannot be parsed before it runs (how many inputs sq takes is known
 * only when sq is called), so an instruction is parsed as it is run, from
 * the tokens lex.c made once: a prefix call takes as many expressions as
 * its procedure has inputs ("(name a b c)" as many as are written), and
 * infix operators bind tighter than those inputs (fd 10 + 5 goes 15).
 * Precedence, loosest first: = < > <= >= <>, then + -, then * /, then
 * unary minus.
 *
 * Errors, stop and output unwind by return value (enum run), never by
 * longjmp; each error is filled in where it happens, with the token and
 * the procedure running then.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The clock is asked once every this many steps (a power of two). */
#define EVAL_CLOCK_EVERY 1024
/* Inputs of one call kept on the C stack; more go to the arena. */
#define EVAL_ARGS_INLINE 8

struct cur {
	const struct ltok *t, *end;
};

static enum run eval_guard(struct ev *);
static int eval_prec(int);
static const char *eval_opname(int);
static enum run eval_code(struct ev *, const struct llist *, struct lv *);
static enum run eval_expr(
    struct ev *, struct cur *, int, const char *, struct lv *);
static enum run eval_unary(
    struct ev *, struct cur *, const char *, struct lv *);
static enum run eval_primary(
    struct ev *, struct cur *, const char *, struct lv *);
static enum run eval_input(
    struct ev *, struct cur *, const char *, struct lv *);
static enum run eval_call(struct ev *, struct cur *, int, struct lv *);
static enum run eval_proc_call(
    struct ev *, const struct proc *, struct lv *, int, struct lv *);
static void eval_where(struct ev *);

/* Stack left: the C stack grows with nested expressions and calls. */
static enum run
eval_guard(struct ev *ev)
{
	char here;
	uintptr_t at = (uintptr_t)&here, used;

	used = at < ev->stack_base ? ev->stack_base - at : at - ev->stack_base;
	if (used > ev->cfg->limits.stack)
		return eval_limit(ev, LOGO_LIMIT_STACK, ev->cfg->limits.stack);
	return R_OK;
}

static int
eval_prec(int kind)
{
	switch (kind) {
	case T_MUL:
	case T_DIV:
		return 3;
	case T_ADD:
	case T_SUB:
		return 2;
	default:
		return 1;
	}
}

static const char *
eval_opname(int kind)
{
	static const char *const names[] = {[T_ADD] = "+",
	    [T_SUB] = "-",
	    [T_MUL] = "*",
	    [T_DIV] = "/",
	    [T_EQ] = "=",
	    [T_LT] = "<",
	    [T_GT] = ">",
	    [T_LE] = "<=",
	    [T_GE] = ">=",
	    [T_NE] = "<>"};

	if (!lex_is_binop(kind))
		return "?";
	return names[kind];
}

/* Fills in where the error happened: the token and the procedure. */
static void
eval_where(struct ev *ev)
{
	if (ev->at != NULL) {
		ev->err->line = ev->at->line;
		ev->err->column = ev->at->col;
	}
	if (ev->frame != NULL)
		snprintf(ev->err->proc, sizeof ev->err->proc, "%s",
		    ev->frame->proc->name->s);
}

enum run
eval_error(struct ev *ev, enum logo_err code, const char *fmt, ...)
{
	va_list ap;

	memset(ev->err, 0, sizeof *ev->err);
	ev->err->code = code;
	va_start(ap, fmt);
	vsnprintf(ev->err->msg, sizeof ev->err->msg, fmt, ap);
	va_end(ap);
	eval_where(ev);
	return R_ERR;
}

enum run
eval_limit(struct ev *ev, enum logo_limit limit, unsigned long long n)
{
	error_limit(ev->err, limit, n);
	eval_where(ev);
	return R_ERR;
}

enum run
eval_bad_input(struct ev *ev, const char *name, const struct lv *v)
{
	struct sbuf b;
	enum run r;

	sbuf_init(&b, LOGO_MSG_MAX / 2);
	value_append(&b, v, 1);
	r = eval_error(ev, LOGO_E_INPUT, "%s doesn't like %s%s as input", name,
	    b.s == NULL ? "" : b.s, b.failed ? "..." : "");
	sbuf_free(&b);
	return r;
}

enum run
eval_arena_error(struct ev *ev)
{
	if (ev->arena->failed == ARENA_LIMIT)
		return eval_limit(ev, LOGO_LIMIT_MEMORY, ev->arena->limit);
	error_nomem(ev->err);
	eval_where(ev);
	return R_ERR;
}

enum run
eval_step(struct ev *ev)
{
	const struct logo_config *cfg = ev->cfg;
	uint64_t now;

	if (++ev->steps > cfg->limits.steps)
		return eval_limit(ev, LOGO_LIMIT_STEPS, cfg->limits.steps);
	if ((ev->steps & (EVAL_CLOCK_EVERY - 1)) == 0 && cfg->now_ms != NULL) {
		now = cfg->now_ms(cfg->clock_arg);
		if (now > ev->t0 && now - ev->t0 > cfg->limits.time_ms)
			return eval_limit(
			    ev, LOGO_LIMIT_TIME, cfg->limits.time_ms);
	}
	return R_OK;
}

const struct proc *
eval_proc(struct ev *ev, const struct lword *name)
{
	size_t i;

	for (i = 0; i < ev->nerased; i++) {
		if (value_name_eq(ev->erased[i]->s, ev->erased[i]->len, name->s,
			name->len))
			return NULL;
	}
	return ws_proc(ev->ws, name->s, name->len, name->hash);
}

enum run
eval_line_code(struct ev *ev, struct llist *line)
{
	return eval_code(ev, line, NULL);
}

enum run
eval_list(struct ev *ev, struct llist *l, struct lv *out)
{
	enum run r;

	if ((r = eval_guard(ev)) != R_OK)
		return r;
	if (l->code == NULL && lex_compile(ev->arena, l, NULL) == -1)
		return eval_arena_error(ev);
	return eval_code(ev, l, out);
}

/* Instructions one after another; only the last may leave a value, and
 * only when out wants it. */
static enum run
eval_code(struct ev *ev, const struct llist *l, struct lv *out)
{
	struct cur cur = {l->code, l->code + l->ncode};
	int parens = ev->parens;
	enum run r = R_OK;
	struct sbuf b;
	struct lv v;

	if (out != NULL)
		out->type = LV_NONE;
	if (l->parens != 0) {
		ev->at = &l->code[l->parens - 1];
		return eval_error(ev, LOGO_E_SYNTAX, "%s",
		    ev->at->kind == T_RPAREN ? "unexpected ')'"
					     : "too many ('s");
	}
	ev->parens = 0;
	while (cur.t < cur.end) {
		if ((r = eval_expr(ev, &cur, 1, NULL, &v)) != R_OK)
			break;
		if (v.type == LV_NONE)
			continue;
		if (out != NULL && cur.t == cur.end) {
			*out = v;
			break;
		}
		sbuf_init(&b, LOGO_MSG_MAX / 2);
		value_append(&b, &v, 1);
		r = eval_error(ev, LOGO_E_UNUSED,
		    "You don't say what to do with %s%s",
		    b.s == NULL ? "" : b.s, b.failed ? "..." : "");
		sbuf_free(&b);
		break;
	}
	ev->parens = parens;
	return r;
}

/* Operators of at least prec, left to right, after one operand. */
static enum run
eval_expr(struct ev *ev, struct cur *cur, int prec, const char *caller,
    struct lv *out)
{
	const struct ltok *op;
	struct lv rhs;
	enum run r;
	int p;

	if ((r = eval_guard(ev)) != R_OK)
		return r;
	if ((r = eval_unary(ev, cur, caller, out)) != R_OK)
		return r;
	while (cur->t < cur->end && lex_is_binop(cur->t->kind) &&
	       (p = eval_prec(cur->t->kind)) >= prec) {
		op = cur->t++;
		ev->at = op;
		if (out->type == LV_NONE)
			return eval_error(ev, LOGO_E_NO_OUTPUT,
			    "%s didn't output to %s", ev->nothing_from,
			    eval_opname(op->kind));
		if ((r = eval_input(ev, cur, eval_opname(op->kind), NULL)) !=
		    R_OK)
			return r;
		if ((r = eval_expr(
			 ev, cur, p + 1, eval_opname(op->kind), &rhs)) != R_OK)
			return r;
		if (rhs.type == LV_NONE) {
			ev->at = op;
			return eval_error(ev, LOGO_E_NO_OUTPUT,
			    "%s didn't output to %s", ev->nothing_from,
			    eval_opname(op->kind));
		}
		ev->at = op;
		if ((r = math_infix(ev, op->kind, out, &rhs, out)) != R_OK)
			return r;
	}
	return R_OK;
}

static enum run
eval_unary(struct ev *ev, struct cur *cur, const char *caller, struct lv *out)
{
	const struct ltok *neg;
	enum run r;
	double d;

	if (cur->t < cur->end && cur->t->kind == T_NEG) {
		neg = cur->t++;
		if ((r = eval_input(ev, cur, "-", NULL)) != R_OK)
			return r;
		if ((r = eval_unary(ev, cur, "-", out)) != R_OK)
			return r;
		ev->at = neg;
		if (out->type == LV_NONE)
			return eval_error(ev, LOGO_E_NO_OUTPUT,
			    "%s didn't output to -", ev->nothing_from);
		if (!value_to_number(out, &d))
			return eval_bad_input(ev, "-", out);
		*out = value_num(-d);
		return R_OK;
	}
	return eval_primary(ev, cur, caller, out);
}

/*
 * Checks that an input can start here for caller: not the end, not a )
 * and not an infix operator.  With out, also reads it as a full
 * expression, which must give something.
 */
static enum run
eval_input(struct ev *ev, struct cur *cur, const char *caller, struct lv *out)
{
	enum run r;

	if (cur->t != cur->end && cur->t->kind == T_RPAREN && ev->parens == 0) {
		ev->at = cur->t;
		return eval_error(ev, LOGO_E_SYNTAX, "unexpected ')'");
	}
	if (cur->t == cur->end || cur->t->kind == T_RPAREN ||
	    lex_is_binop(cur->t->kind)) {
		if (cur->t != cur->end)
			ev->at = cur->t;
		return eval_error(
		    ev, LOGO_E_FEW_INPUTS, "not enough inputs to %s", caller);
	}
	if (out == NULL)
		return R_OK;
	if ((r = eval_expr(ev, cur, 1, caller, out)) != R_OK)
		return r;
	if (out->type == LV_NONE)
		return eval_error(ev, LOGO_E_NO_OUTPUT,
		    "%s didn't output to %s", ev->nothing_from, caller);
	return R_OK;
}

static enum run
eval_primary(struct ev *ev, struct cur *cur, const char *caller, struct lv *out)
{
	const struct ltok *t;
	const struct lv *v;
	enum run r;
	long sym;

	if (caller != NULL && (r = eval_input(ev, cur, caller, NULL)) != R_OK)
		return r;
	t = cur->t;
	ev->at = t;
	switch (t->kind) {
	case T_NUM:
		cur->t++;
		*out = value_num(t->u.num);
		return R_OK;
	case T_QUOTED:
		cur->t++;
		*out = value_of_word(t->u.w);
		return R_OK;
	case T_LIST:
		cur->t++;
		*out = value_of_list(t->u.l);
		return R_OK;
	case T_VAR:
		cur->t++;
		if ((sym = vars_intern(ev, t->u.w)) == -1) {
			error_nomem(ev->err);
			return R_ERR;
		}
		if ((v = vars_get(ev, (uint32_t)sym)) == NULL)
			return eval_error(
			    ev, LOGO_E_NO_VALUE, "%s has no value", t->u.w->s);
		*out = *v;
		return R_OK;
	case T_NAME:
		return eval_call(ev, cur, 0, out);
	case T_LPAREN:
		cur->t++;
		ev->parens++;
		if (cur->t < cur->end && cur->t->kind == T_NAME)
			r = eval_call(ev, cur, 1, out);
		else if (cur->t == cur->end || cur->t->kind == T_RPAREN)
			r = eval_error(ev, LOGO_E_FEW_INPUTS,
			    "not enough inputs to %s",
			    caller != NULL ? caller : "(");
		else if ((r = eval_expr(ev, cur, 1, caller, out)) == R_OK) {
			if (cur->t == cur->end || cur->t->kind != T_RPAREN) {
				ev->at = t;
				r = eval_error(
				    ev, LOGO_E_SYNTAX, "too many ('s");
			} else
				cur->t++;
		}
		ev->parens--;
		return r;
	case T_RPAREN:
		return eval_error(ev, LOGO_E_SYNTAX, "unexpected ')'");
	default:
		/* An infix operator where an instruction starts. */
		return eval_error(ev, LOGO_E_FEW_INPUTS,
		    "not enough inputs to %s", eval_opname(t->kind));
	}
}

/*
 * A call at cur: the procedure's name, then its inputs; in parentheses
 * (paren: the ( is read) as many as are written up to the ).
 */
static enum run
eval_call(struct ev *ev, struct cur *cur, int paren, struct lv *out)
{
	const struct ltok *t = cur->t++;
	const char *name = t->u.w->s;
	const struct prim *p = NULL;
	const struct proc *proc = NULL;
	struct lv inl[EVAL_ARGS_INLINE], *args = inl, *more;
	int argc = 0, cap = EVAL_ARGS_INLINE, min, dflt, max;
	enum run r;

	if (t->prim != 0) {
		p = prim_get(t->prim);
		min = p->min;
		dflt = p->dflt;
		max = p->max;
	} else if ((proc = eval_proc(ev, t->u.w)) != NULL)
		min = dflt = max = proc->nparams;
	else
		return eval_error(
		    ev, LOGO_E_UNKNOWN, "I don't know how to %s", name);
	for (;;) {
		if (paren) {
			if (cur->t == cur->end) {
				ev->at = t;
				return eval_error(
				    ev, LOGO_E_SYNTAX, "too many ('s");
			}
			if (cur->t->kind == T_RPAREN) {
				cur->t++;
				break;
			}
		} else if (argc == dflt)
			break;
		if (argc == cap) {
			more = arena_alloc(ev->arena, 2 * cap * sizeof *more);
			if (more == NULL)
				return eval_arena_error(ev);
			memcpy(more, args, argc * sizeof *more);
			args = more;
			cap *= 2;
		}
		if ((r = eval_input(ev, cur, name, &args[argc])) != R_OK)
			return r;
		argc++;
	}
	ev->at = t;
	if (argc < min)
		return eval_error(
		    ev, LOGO_E_FEW_INPUTS, "not enough inputs to %s", name);
	if (max >= 0 && argc > max)
		return eval_error(
		    ev, LOGO_E_MANY_INPUTS, "too many inputs to %s", name);
	if ((r = eval_step(ev)) != R_OK)
		return r;
	out->type = LV_NONE;
	if (p != NULL)
		r = p->fn(ev, name, args, argc, out);
	else
		r = eval_proc_call(ev, proc, args, argc, out);
	if (r == R_OK && out->type == LV_NONE)
		ev->nothing_from = name;
	return r;
}

static enum run
eval_proc_call(struct ev *ev, const struct proc *proc, struct lv *args,
    int argc, struct lv *out)
{
	struct frame f;
	enum run r = R_OK;
	long sym;
	int i;

	if (ev->depth >= ev->cfg->limits.depth)
		return eval_limit(ev, LOGO_LIMIT_DEPTH,
		    (unsigned long long)ev->cfg->limits.depth);
	f.proc = proc;
	f.mark = ev->vars.nsaves;
	f.up = ev->frame;
	for (i = 0; i < argc; i++) {
		if ((sym = vars_intern(ev, proc->params[i])) == -1 ||
		    vars_bind(ev, (uint32_t)sym, &args[i]) == -1) {
			vars_unwind(ev, f.mark);
			error_nomem(ev->err);
			return R_ERR;
		}
	}
	ev->frame = &f;
	ev->depth++;
	out->type = LV_NONE;
	for (i = 0; i < proc->nlines; i++) {
		r = eval_code(ev, proc->lines[i], NULL);
		if (r != R_OK)
			break;
	}
	if (r == R_STOP)
		r = R_OK;
	else if (r == R_OUTPUT) {
		*out = ev->outval;
		r = R_OK;
	}
	ev->depth--;
	ev->frame = f.up;
	vars_unwind(ev, f.mark);
	return r;
}
