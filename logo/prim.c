/*
 * prim.c - the primitive table: every primitive of control.c, math.c and
 * turtle.c by name, looked up once when a line is read (lex.c keeps the
 * index in the token: primitives cannot be redefined).
 */
#include <string.h>

#include "internal.h"

struct prim_table {
	const struct prim *prims;
	const size_t *n;
};

static const struct prim_table prim_tables[] = {
    {control_prims, &control_nprims},
    {math_prims, &math_nprims},
    {turtle_prims, &turtle_nprims},
};

int
prim_lookup(const char *s, size_t n)
{
	size_t t, i;
	int base = 0;

	for (t = 0; t < sizeof prim_tables / sizeof prim_tables[0]; t++) {
		for (i = 0; i < *prim_tables[t].n; i++) {
			const char *name = prim_tables[t].prims[i].name;

			if (value_name_eq(name, strlen(name), s, n))
				return base + (int)i + 1;
		}
		base += (int)*prim_tables[t].n;
	}
	return 0;
}

const struct prim *
prim_get(int index1)
{
	size_t t, i = (size_t)index1 - 1;

	for (t = 0; t < sizeof prim_tables / sizeof prim_tables[0]; t++) {
		if (i < *prim_tables[t].n)
			return &prim_tables[t].prims[i];
		i -= *prim_tables[t].n;
	}
	return NULL;
}

enum run
prim_print_text(struct ev *ev, const char *s, size_t n)
{
	sbuf_add(&ev->out, s, n);
	if (ev->out.failed == 1)
		return eval_limit(ev, LOGO_LIMIT_TEXT, ev->out.limit);
	if (ev->out.failed) {
		error_nomem(ev->err);
		return R_ERR;
	}
	return R_OK;
}
