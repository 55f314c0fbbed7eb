/*
 * workspace.c - the procedures and global variables every user shares.
 *
 * Two hash tables with chains, keyed by the name folded to lower case.
 * Each procedure and each global owns one arena, so a commit replaces
 * one by moving a pointer and frees the old one whole.  A line only reads
 * the workspace; logo_commit() in line.c is the one writer.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WS_BUCKETS_MIN 64

static size_t ws_buckets(size_t, size_t);
static int ws_name_cmp(const struct lword *, const struct lword *);
static int ws_cmp(const void *, const void *);
static int ws_var_cmp(const void *, const void *);

struct logo_workspace *
logo_workspace_new(void)
{
	struct logo_workspace *ws;

	if ((ws = calloc(1, sizeof *ws)) == NULL)
		return NULL;
	ws->procs = calloc(WS_BUCKETS_MIN, sizeof *ws->procs);
	ws->vars = calloc(WS_BUCKETS_MIN, sizeof *ws->vars);
	if (ws->procs == NULL || ws->vars == NULL) {
		logo_workspace_free(ws);
		return NULL;
	}
	ws->proc_cap = ws->var_cap = WS_BUCKETS_MIN;
	return ws;
}

void
logo_workspace_free(struct logo_workspace *ws)
{
	struct proc *p, *pn;
	struct gvar *g, *gn;
	size_t i;

	if (ws == NULL)
		return;
	for (i = 0; ws->procs != NULL && i < ws->proc_cap; i++) {
		for (p = ws->procs[i]; p != NULL; p = pn) {
			pn = p->next;
			proc_free(p);
		}
	}
	for (i = 0; ws->vars != NULL && i < ws->var_cap; i++) {
		for (g = ws->vars[i]; g != NULL; g = gn) {
			gn = g->next;
			gvar_free(g);
		}
	}
	free(ws->procs);
	free(ws->vars);
	free(ws);
}

uint64_t
logo_workspace_version(const struct logo_workspace *ws)
{
	return ws->version;
}

size_t
logo_workspace_procs(const struct logo_workspace *ws)
{
	return ws->nprocs;
}

size_t
logo_workspace_vars(const struct logo_workspace *ws)
{
	return ws->nvars;
}

size_t
logo_workspace_bytes(const struct logo_workspace *ws)
{
	return ws->bytes;
}

void
proc_free(struct proc *p)
{
	struct arena a;

	if (p == NULL)
		return;
	/* The proc lives in its own arena: copy the arena out first. */
	a = p->arena;
	arena_free(&a);
}

void
gvar_free(struct gvar *g)
{
	struct arena a;

	if (g == NULL)
		return;
	a = g->arena;
	arena_free(&a);
}

size_t
ws_proc_bytes(const struct proc *p)
{
	return p->arena.total;
}

size_t
ws_gvar_bytes(const struct gvar *g)
{
	return g->arena.total;
}

const struct proc *
ws_proc(const struct logo_workspace *ws, const char *s, size_t n, uint32_t h)
{
	const struct proc *p;

	for (p = ws->procs[h & (ws->proc_cap - 1)]; p != NULL; p = p->next) {
		if (value_name_eq(p->name->s, p->name->len, s, n))
			return p;
	}
	return NULL;
}

const struct gvar *
ws_var(const struct logo_workspace *ws, const char *s, size_t n, uint32_t h)
{
	const struct gvar *g;

	for (g = ws->vars[h & (ws->var_cap - 1)]; g != NULL; g = g->next) {
		if (value_name_eq(g->name->s, g->name->len, s, n))
			return g;
	}
	return NULL;
}

/* Name order, without regard to case (as pots lists them). */
static int
ws_name_cmp(const struct lword *a, const struct lword *b)
{
	size_t i, n = a->len < b->len ? a->len : b->len;
	int ca, cb;

	for (i = 0; i < n; i++) {
		ca = (unsigned char)a->s[i];
		cb = (unsigned char)b->s[i];
		ca = ca >= 'A' && ca <= 'Z' ? ca + 32 : ca;
		cb = cb >= 'A' && cb <= 'Z' ? cb + 32 : cb;
		if (ca != cb)
			return ca - cb;
	}
	return (a->len > b->len) - (a->len < b->len);
}

static int
ws_cmp(const void *a, const void *b)
{
	return ws_name_cmp((*(const struct proc *const *)a)->name,
	    (*(const struct proc *const *)b)->name);
}

const struct proc **
ws_sorted_procs(const struct logo_workspace *ws, struct arena *a, size_t *n)
{
	const struct proc **out, *p;
	size_t i, k = 0;

	*n = ws->nprocs;
	if (ws->nprocs == 0)
		return NULL;
	if ((out = arena_alloc(a, ws->nprocs * sizeof *out)) == NULL)
		return NULL;
	for (i = 0; i < ws->proc_cap; i++) {
		for (p = ws->procs[i]; p != NULL; p = p->next)
			out[k++] = p;
	}
	qsort(out, k, sizeof *out, ws_cmp);
	return out;
}

/* The bucket count for n entries: a power of two, at least cap. */
static size_t
ws_buckets(size_t cap, size_t n)
{
	while (n > cap)
		cap *= 2;
	return cap;
}

int
ws_reserve(struct logo_workspace *ws, size_t nprocs, size_t nvars)
{
	size_t pcap = ws_buckets(ws->proc_cap, ws->nprocs + nprocs);
	size_t vcap = ws_buckets(ws->var_cap, ws->nvars + nvars);
	struct proc **pb = NULL, *p, *pn;
	struct gvar **vb = NULL, *g, *gn;
	size_t i, h;

	if ((pcap != ws->proc_cap && (pb = calloc(pcap, sizeof *pb)) == NULL) ||
	    (vcap != ws->var_cap && (vb = calloc(vcap, sizeof *vb)) == NULL)) {
		free(pb);
		return -1;
	}
	if (pb != NULL) {
		for (i = 0; i < ws->proc_cap; i++) {
			for (p = ws->procs[i]; p != NULL; p = pn) {
				pn = p->next;
				h = p->name->hash & (pcap - 1);
				p->next = pb[h];
				pb[h] = p;
			}
		}
		free(ws->procs);
		ws->procs = pb;
		ws->proc_cap = pcap;
	}
	if (vb != NULL) {
		for (i = 0; i < ws->var_cap; i++) {
			for (g = ws->vars[i]; g != NULL; g = gn) {
				gn = g->next;
				h = g->name->hash & (vcap - 1);
				g->next = vb[h];
				vb[h] = g;
			}
		}
		free(ws->vars);
		ws->vars = vb;
		ws->var_cap = vcap;
	}
	return 0;
}

void
ws_erase_proc(struct logo_workspace *ws, const char *s, size_t n, uint32_t h)
{
	struct proc **pp, *p;

	for (pp = &ws->procs[h & (ws->proc_cap - 1)]; (p = *pp) != NULL;
	     pp = &p->next) {
		if (value_name_eq(p->name->s, p->name->len, s, n)) {
			*pp = p->next;
			ws->nprocs--;
			ws->bytes -= ws_proc_bytes(p);
			proc_free(p);
			return;
		}
	}
}

void
ws_put_proc(struct logo_workspace *ws, struct proc *p)
{
	size_t h;

	ws_erase_proc(ws, p->name->s, p->name->len, p->name->hash);
	h = p->name->hash & (ws->proc_cap - 1);
	p->next = ws->procs[h];
	ws->procs[h] = p;
	ws->nprocs++;
	ws->bytes += ws_proc_bytes(p);
}

void
ws_put_var(struct logo_workspace *ws, struct gvar *g)
{
	struct gvar **gp, *old;
	size_t h = g->name->hash & (ws->var_cap - 1);

	for (gp = &ws->vars[h]; (old = *gp) != NULL; gp = &old->next) {
		if (value_name_eq(old->name->s, old->name->len, g->name->s,
			g->name->len)) {
			*gp = old->next;
			ws->nvars--;
			ws->bytes -= ws_gvar_bytes(old);
			gvar_free(old);
			break;
		}
	}
	g->next = ws->vars[h];
	ws->vars[h] = g;
	ws->nvars++;
	ws->bytes += ws_gvar_bytes(g);
}

int
logo_workspace_each_proc(const struct logo_workspace *ws,
    int (*fn)(const char *, const char *, void *), void *arg)
{
	const struct proc **procs;
	struct arena a;
	size_t i, n;
	int rc = 0;

	arena_init(&a, 0);
	procs = ws_sorted_procs(ws, &a, &n);
	if (procs == NULL && n > 0) {
		arena_free(&a);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = fn(procs[i]->name->s, procs[i]->text, arg);
	arena_free(&a);
	return rc;
}

static int
ws_var_cmp(const void *a, const void *b)
{
	return ws_name_cmp((*(const struct gvar *const *)a)->name,
	    (*(const struct gvar *const *)b)->name);
}

int
logo_workspace_each_var(const struct logo_workspace *ws,
    int (*fn)(const char *, const char *, void *), void *arg)
{
	const struct gvar **vars, *g;
	struct sbuf b;
	size_t i, k = 0;
	int rc = 0;

	if (ws->nvars == 0)
		return 0;
	if ((vars = malloc(ws->nvars * sizeof *vars)) == NULL)
		return -1;
	for (i = 0; i < ws->var_cap; i++) {
		for (g = ws->vars[i]; g != NULL; g = g->next)
			vars[k++] = g;
	}
	qsort(vars, k, sizeof *vars, ws_var_cmp);
	for (i = 0; i < k && rc == 0; i++) {
		sbuf_init(&b, LOGO_WORKSPACE_MAX);
		value_append(&b, &vars[i]->val, 1);
		rc = fn(vars[i]->name->s, b.s == NULL ? "" : b.s, arg);
		sbuf_free(&b);
	}
	free(vars);
	return rc;
}
