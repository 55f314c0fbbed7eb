/*
 * vars.c - variables as one line sees them: shallow binding.
 *
 * Logo's scope is dynamic: a procedure sees its callers' inputs.  Each
 * name used in the line has one symbol holding its current value; a call
 * saves the values its inputs and locals hide and puts them back when it
 * returns, so a lookup is one hash probe however deep the recursion.  A
 * global is read from the workspace the first time the line needs it; a
 * global the line sets is marked dirty and goes to the workspace only
 * when the line commits.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int vars_rehash(struct vars *, uint32_t);

void
vars_init(struct vars *v)
{
	memset(v, 0, sizeof *v);
}

void
vars_free(struct vars *v)
{
	free(v->syms);
	free(v->slots);
	free(v->saves);
	free(v->dirty);
	vars_init(v);
}

static int
vars_rehash(struct vars *v, uint32_t nslots)
{
	uint32_t *slots, i, h;

	if ((slots = calloc(nslots, sizeof *slots)) == NULL)
		return -1;
	for (i = 0; i < v->nsyms; i++) {
		h = v->syms[i].name->hash & (nslots - 1);
		while (slots[h] != 0)
			h = (h + 1) & (nslots - 1);
		slots[h] = i + 1;
	}
	free(v->slots);
	v->slots = slots;
	v->nslots = nslots;
	return 0;
}

long
vars_intern(struct ev *ev, const struct lword *name)
{
	struct vars *v = &ev->vars;
	struct sym *syms, *s;
	uint32_t h, cap;

	if (v->nslots != 0) {
		h = name->hash & (v->nslots - 1);
		while (v->slots[h] != 0) {
			s = &v->syms[v->slots[h] - 1];
			if (value_name_eq(
				s->name->s, s->name->len, name->s, name->len))
				return (long)v->slots[h] - 1;
			h = (h + 1) & (v->nslots - 1);
		}
	}
	if (v->nsyms == v->cap_syms) {
		cap = v->cap_syms == 0 ? 16 : v->cap_syms * 2;
		if ((syms = realloc(v->syms, cap * sizeof *syms)) == NULL)
			return -1;
		v->syms = syms;
		v->cap_syms = cap;
	}
	s = &v->syms[v->nsyms];
	memset(s, 0, sizeof *s);
	s->name = name;
	s->state = SYM_UNLOADED;
	v->nsyms++;
	/* Half full at most: probes stay short. */
	if (v->nsyms * 2 > v->nslots) {
		if (vars_rehash(v, v->nslots == 0 ? 32 : v->nslots * 2) == -1) {
			v->nsyms--;
			return -1;
		}
	} else {
		h = name->hash & (v->nslots - 1);
		while (v->slots[h] != 0)
			h = (h + 1) & (v->nslots - 1);
		v->slots[h] = v->nsyms;
	}
	return (long)v->nsyms - 1;
}

const struct lv *
vars_get(struct ev *ev, uint32_t i)
{
	struct sym *s = &ev->vars.syms[i];
	const struct gvar *g;

	if (s->state == SYM_UNLOADED) {
		g = ws_var(ev->ws, s->name->s, s->name->len, s->name->hash);
		if (g != NULL) {
			s->val = g->val;
			s->state = SYM_BOUND;
		} else
			s->state = SYM_UNBOUND;
	}
	return s->state == SYM_BOUND ? &s->val : NULL;
}

int
vars_set(struct ev *ev, uint32_t i, const struct lv *val)
{
	struct vars *v = &ev->vars;
	struct sym *s = &v->syms[i];
	uint32_t *dirty, cap;

	if (s->nlocal == 0 && !s->dirty) {
		if (v->ndirty == v->cap_dirty) {
			cap = v->cap_dirty == 0 ? 8 : v->cap_dirty * 2;
			if ((dirty = realloc(v->dirty, cap * sizeof *dirty)) ==
			    NULL)
				return -1;
			v->dirty = dirty;
			v->cap_dirty = cap;
		}
		v->dirty[v->ndirty++] = i;
		s->dirty = 1;
	}
	s->val = *val;
	s->state = SYM_BOUND;
	return 0;
}

int
vars_bind(struct ev *ev, uint32_t i, const struct lv *val)
{
	struct vars *v = &ev->vars;
	struct sym *s = &v->syms[i];
	struct save *saves;
	size_t cap;

	if (v->nsaves == v->cap_saves) {
		cap = v->cap_saves == 0 ? 64 : v->cap_saves * 2;
		if ((saves = realloc(v->saves, cap * sizeof *saves)) == NULL)
			return -1;
		v->saves = saves;
		v->cap_saves = cap;
	}
	v->saves[v->nsaves].sym = i;
	v->saves[v->nsaves].state = s->state;
	v->saves[v->nsaves].val = s->val;
	v->nsaves++;
	s->nlocal++;
	if (val != NULL) {
		s->val = *val;
		s->state = SYM_BOUND;
	} else
		s->state = SYM_UNBOUND;
	return 0;
}

void
vars_unwind(struct ev *ev, size_t mark)
{
	struct vars *v = &ev->vars;
	struct save *sv;
	struct sym *s;

	while (v->nsaves > mark) {
		sv = &v->saves[--v->nsaves];
		s = &v->syms[sv->sym];
		s->state = sv->state;
		s->val = sv->val;
		s->nlocal--;
	}
}
