/*
 * math.c - numbers: the infix operators and the arithmetic primitives.
 * Angles are in degrees, as in UCBLogo.  A result that is not a finite
 * number is an error, so no infinity ever reaches the turtle.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

static enum run math_result(
    struct ev *, const char *, const struct lv *, double, struct lv *);
static enum run math_bool(struct ev *, int, struct lv *);
static enum run math_equal(
    struct ev *, const struct lv *, const struct lv *, int *);
static enum run math_sum(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_product(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_difference(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_quotient(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_remainder(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_minus(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_random(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_one(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_arctan(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_not(
    struct ev *, const char *, struct lv *, int, struct lv *);
static enum run math_andor(
    struct ev *, const char *, struct lv *, int, struct lv *);

const struct prim math_prims[] = {
    {"sum", 0, 2, -1, math_sum},
    {"product", 0, 2, -1, math_product},
    {"difference", 2, 2, 2, math_difference},
    {"quotient", 2, 2, 2, math_quotient},
    {"remainder", 2, 2, 2, math_remainder},
    {"minus", 1, 1, 1, math_minus},
    {"random", 1, 1, 1, math_random},
    {"sqrt", 1, 1, 1, math_one},
    {"sin", 1, 1, 1, math_one},
    {"cos", 1, 1, 1, math_one},
    {"int", 1, 1, 1, math_one},
    {"round", 1, 1, 1, math_one},
    {"abs", 1, 1, 1, math_one},
    {"arctan", 1, 1, 2, math_arctan},
    {"not", 1, 1, 1, math_not},
    {"and", 0, 2, -1, math_andor},
    {"or", 0, 2, -1, math_andor},
};
const size_t math_nprims = sizeof math_prims / sizeof math_prims[0];

enum run
math_arg(struct ev *ev, const char *name, const struct lv *v, double *out)
{
	if (!value_to_number(v, out))
		return eval_bad_input(ev, name, v);
	return R_OK;
}

/* d, if it is a finite number; else name did not like its input. */
static enum run
math_result(struct ev *ev, const char *name, const struct lv *input, double d,
    struct lv *out)
{
	if (!isfinite(d))
		return eval_bad_input(ev, name, input);
	*out = value_num(d);
	return R_OK;
}

static enum run
math_bool(struct ev *ev, int tf, struct lv *out)
{
	*out = value_of_word(tf ? ev->w_true : ev->w_false);
	return R_OK;
}

/* = compares within the line's steps: each pair of items is one. */
static enum run
math_equal(struct ev *ev, const struct lv *a, const struct lv *b, int *eq)
{
	uint64_t budget = ev->cfg->limits.steps - ev->steps, left = budget;

	*eq = value_equal(a, b, &left);
	ev->steps += budget - left;
	if (*eq == -1)
		return eval_limit(ev, LOGO_LIMIT_STEPS, ev->cfg->limits.steps);
	return R_OK;
}

void
math_sincos(double deg, double *s, double *c)
{
	double a = fmod(deg, 360), sa, ca, t;
	int q;

	if (a < 0)
		a += 360;
	q = (int)(a / 90);
	a -= q * 90.0;
	if (q > 3) {
		q = 0;
		a = 0;
	}
	/* sin and cos of a in [0, 90), exact where they are 0, 1/2, 1. */
	if (a == 0) {
		sa = 0;
		ca = 1;
	} else if (a == 30) {
		sa = 0.5;
		ca = sqrt(3) / 2;
	} else if (a == 60) {
		sa = sqrt(3) / 2;
		ca = 0.5;
	} else {
		sa = sin(a * M_PI / 180);
		ca = cos(a * M_PI / 180);
	}
	for (; q > 0; q--) {
		t = sa;
		sa = ca;
		ca = -t;
	}
	*s = sa;
	*c = ca;
}

enum run
math_infix(struct ev *ev, int op, const struct lv *a, const struct lv *b,
    struct lv *out)
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
	const char *name = names[op];
	double x, y;
	enum run r;
	int eq;

	if (op == T_EQ || op == T_NE) {
		if ((r = math_equal(ev, a, b, &eq)) != R_OK)
			return r;
		return math_bool(ev, op == T_EQ ? eq : !eq, out);
	}
	if ((r = math_arg(ev, name, a, &x)) != R_OK ||
	    (r = math_arg(ev, name, b, &y)) != R_OK)
		return r;
	switch (op) {
	case T_ADD:
		return math_result(ev, name, b, x + y, out);
	case T_SUB:
		return math_result(ev, name, b, x - y, out);
	case T_MUL:
		return math_result(ev, name, b, x * y, out);
	case T_DIV:
		if (y == 0)
			return eval_bad_input(ev, name, b);
		return math_result(ev, name, b, x / y, out);
	case T_LT:
		return math_bool(ev, x < y, out);
	case T_GT:
		return math_bool(ev, x > y, out);
	case T_LE:
		return math_bool(ev, x <= y, out);
	default:
		return math_bool(ev, x >= y, out);
	}
}

static enum run
math_sum(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double acc = 0, d;
	enum run r;
	int i;

	for (i = 0; i < argc; i++) {
		if ((r = math_arg(ev, name, &args[i], &d)) != R_OK)
			return r;
		acc += d;
	}
	return math_result(ev, name, &args[argc > 0 ? argc - 1 : 0], acc, out);
}

static enum run
math_product(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double acc = 1, d;
	enum run r;
	int i;

	for (i = 0; i < argc; i++) {
		if ((r = math_arg(ev, name, &args[i], &d)) != R_OK)
			return r;
		acc *= d;
	}
	return math_result(ev, name, &args[argc > 0 ? argc - 1 : 0], acc, out);
}

static enum run
math_difference(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y;
	enum run r;

	(void)argc;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK ||
	    (r = math_arg(ev, name, &args[1], &y)) != R_OK)
		return r;
	return math_result(ev, name, &args[1], x - y, out);
}

static enum run
math_quotient(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y;
	enum run r;

	(void)argc;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK ||
	    (r = math_arg(ev, name, &args[1], &y)) != R_OK)
		return r;
	if (y == 0)
		return eval_bad_input(ev, name, &args[1]);
	return math_result(ev, name, &args[1], x / y, out);
}

/* The sign of the dividend, as C's fmod and UCBLogo's remainder. */
static enum run
math_remainder(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y;
	enum run r;

	(void)argc;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK ||
	    (r = math_arg(ev, name, &args[1], &y)) != R_OK)
		return r;
	if (y == 0)
		return eval_bad_input(ev, name, &args[1]);
	return math_result(ev, name, &args[1], fmod(x, y), out);
}

static enum run
math_minus(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x;
	enum run r;

	(void)argc;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK)
		return r;
	*out = value_num(-x);
	return R_OK;
}

/* random N: a whole number from 0 to N-1 (0 for N = 0), from the line's
 * own generator (xorshift64*, seeded by the caller). */
static enum run
math_random(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double n;
	uint64_t x;

	(void)argc;
	if (!value_to_number(&args[0], &n) || n < 0 || n != floor(n) ||
	    n > 9007199254740992.0)
		return eval_bad_input(ev, name, &args[0]);
	if (n == 0) {
		*out = value_num(0);
		return R_OK;
	}
	x = ev->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	ev->rng = x;
	x *= 2685821657736338717ull;
	*out = value_num((double)((x >> 11) % (uint64_t)n));
	return R_OK;
}

/* sqrt sin cos int round abs: one number in, one out. */
static enum run
math_one(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, s, c, y;
	enum run r;

	(void)argc;
	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK)
		return r;
	switch (name[0] | 0x20) {
	case 's':
		if ((name[1] | 0x20) == 'q') {
			if (x < 0)
				return eval_bad_input(ev, name, &args[0]);
			y = sqrt(x);
		} else {
			math_sincos(x, &s, &c);
			y = s;
		}
		break;
	case 'c':
		math_sincos(x, &s, &c);
		y = c;
		break;
	case 'i':
		y = trunc(x);
		break;
	case 'r':
		y = round(x); /* halves away from zero, as UCBLogo */
		break;
	default:
		y = fabs(x);
		break;
	}
	*out = value_num(y == 0 ? 0 : y);
	return R_OK;
}

/* arctan X in degrees; (arctan X Y) the angle of the point (X, Y) from
 * the x axis, in (-180, 180]. */
static enum run
math_arctan(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	double x, y;
	enum run r;

	if ((r = math_arg(ev, name, &args[0], &x)) != R_OK)
		return r;
	if (argc == 1) {
		*out = value_num(atan(x) * 180 / M_PI);
		return R_OK;
	}
	if ((r = math_arg(ev, name, &args[1], &y)) != R_OK)
		return r;
	*out = value_num(atan2(y, x) * 180 / M_PI);
	return R_OK;
}

static enum run
math_not(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	int tf;

	(void)argc;
	if ((tf = value_truth(&args[0])) == -1)
		return eval_bad_input(ev, name, &args[0]);
	return math_bool(ev, !tf, out);
}

/* and, or: every input is looked at (they are values already). */
static enum run
math_andor(
    struct ev *ev, const char *name, struct lv *args, int argc, struct lv *out)
{
	int tf, i, and = (name[0] | 0x20) == 'a', acc = and;

	for (i = 0; i < argc; i++) {
		if ((tf = value_truth(&args[i])) == -1)
			return eval_bad_input(ev, name, &args[i]);
		acc = and? acc && tf : acc || tf;
	}
	return math_bool(ev, acc, out);
}
