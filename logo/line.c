/*
 * line.c - one input line: the pending buffer, running, the result and
 * the commit.
 *
 * logo_eval_line() never writes the workspace or the turtle it is given:
 * the line runs on a copy of the turtle, reads globals from the workspace
 * (vars.c), and leaves what it changed in the result: segments and text
 * in arrays of their own, new definitions and globals each in an arena of
 * its own, ready to be moved into the workspace by logo_commit() without
 * copying.  A line that fails returns nothing to apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* What a line leaves for logo_commit(). */
struct logo_line {
	struct arena arena; /* the line's values; changes' names */
	struct proc *def;   /* a definition */
	struct gvar **vars; /* globals set */
	size_t nvars;
	const struct lword **erased; /* procedures erased */
	size_t nerased;
	struct logo_change *changes;
};

static struct proc *line_proc_new(size_t limit);
static int line_is_end(const char *, size_t);
static int line_is_to(const char *, size_t);
static enum logo_status line_fail(struct logo_result *);
static enum logo_status line_append(
    struct logo_pending *, const char *, size_t, struct logo_result *);
static enum logo_status line_define(const struct logo_workspace *,
    struct logo_pending *, const struct logo_config *, struct logo_result *);
static enum logo_status line_run(const struct logo_workspace *,
    const struct logo_turtle *, const char *, size_t,
    const struct logo_config *, struct logo_result *);
static int line_finish(struct ev *, struct logo_result *);
static int line_change(
    struct logo_line *, size_t, enum logo_change_kind, const struct lword *);

void
logo_config_default(struct logo_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->limits.steps = LOGO_STEPS_MAX;
	cfg->limits.depth = LOGO_DEPTH_MAX;
	cfg->limits.stack = LOGO_STACK_MAX;
	cfg->limits.time_ms = LOGO_TIME_MS_MAX;
	cfg->limits.segments = LOGO_SEGMENTS_MAX;
	cfg->limits.text = LOGO_TEXT_MAX;
	cfg->limits.memory = LOGO_MEMORY_MAX;
	cfg->limits.procs = LOGO_PROCS_MAX;
	cfg->limits.vars = LOGO_VARS_MAX;
	cfg->limits.workspace = LOGO_WORKSPACE_MAX;
	cfg->bounds.xmin = -100;
	cfg->bounds.xmax = 100;
	cfg->bounds.ymin = -100;
	cfg->bounds.ymax = 100;
	cfg->seed = 1;
}

void
logo_turtle_home(struct logo_turtle *t)
{
	memset(t, 0, sizeof *t);
	t->pen_down = 1;
	t->color = LOGO_COLOR_DEFAULT;
}

void
logo_result_init(struct logo_result *res)
{
	memset(res, 0, sizeof *res);
}

void
logo_result_free(struct logo_result *res)
{
	struct logo_line *line = res->line;
	size_t i;

	free(res->segs);
	free(res->text);
	if (line != NULL) {
		proc_free(line->def);
		for (i = 0; i < line->nvars; i++)
			gvar_free(line->vars[i]);
		free(line->vars);
		arena_free(&line->arena);
		free(line);
	}
	logo_result_init(res);
}

/* A procedure in an arena of its own (the arena is inside it). */
static struct proc *
line_proc_new(size_t limit)
{
	struct arena a;
	struct proc *p;

	arena_init(&a, limit);
	if ((p = arena_alloc(&a, sizeof *p)) == NULL) {
		arena_free(&a);
		return NULL;
	}
	memset(p, 0, sizeof *p);
	p->arena = a;
	return p;
}

/* "end" alone (blanks and a comment allowed), in any case. */
static int
line_is_end(const char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	for (j = i; j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' &&
		    s[j] != ';';
	     j++)
		;
	if (!value_name_eq(s + i, j - i, "end", 3))
		return 0;
	while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
		j++;
	return j == n || s[j] == ';';
}

/* Whether the first word is to. */
static int
line_is_to(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return n - i >= 2 && value_name_eq(s + i, 2, "to", 2) &&
	       (n - i == 2 || s[i + 2] == ' ' || s[i + 2] == '\t' ||
		   s[i + 2] == '\r' || s[i + 2] == ';');
}

static enum logo_status
line_fail(struct logo_result *res)
{
	free(res->segs);
	res->segs = NULL;
	res->nsegs = 0;
	res->cleared = 0;
	res->changes = NULL;
	res->nchanges = 0;
	res->status = LOGO_ERROR;
	return LOGO_ERROR;
}

/* Keeps one more line, within the pending limits. */
static enum logo_status
line_append(
    struct logo_pending *p, const char *s, size_t n, struct logo_result *res)
{
	if (p->lines + 1 > LOGO_PENDING_LINES ||
	    p->text.len + n + 1 > LOGO_PENDING_MAX) {
		logo_pending_reset(p);
		error_limit(&res->error, LOGO_LIMIT_PENDING, LOGO_PENDING_MAX);
		return line_fail(res);
	}
	sbuf_add(&p->text, s, n);
	sbuf_addc(&p->text, '\n');
	if (p->text.failed) {
		logo_pending_reset(p);
		error_nomem(&res->error);
		return line_fail(res);
	}
	p->lines++;
	return LOGO_MORE;
}

enum logo_status
logo_eval_line(const struct logo_workspace *ws,
    const struct logo_turtle *turtle, struct logo_pending *p, const char *s,
    size_t n, const struct logo_config *cfg, struct logo_result *res)
{
	enum logo_status st;
	char *text;
	size_t len;
	int depth;

	logo_result_free(res);
	res->version = ws->version;
	res->turtle = *turtle;
	if (n > LOGO_LINE_MAX) {
		error_limit(&res->error, LOGO_LIMIT_LINE, LOGO_LINE_MAX);
		return line_fail(res);
	}
	if (memchr(s, '\0', n) != NULL || memchr(s, '\n', n) != NULL) {
		error_set(&res->error, LOGO_E_SYNTAX,
		    "a line cannot hold a newline or a NUL byte");
		return line_fail(res);
	}
	if (p->state == LOGO_PENDING_DEFINE) {
		if (line_is_end(s, n))
			return line_define(ws, p, cfg, res);
		return res->status = line_append(p, s, n, res);
	}
	if (p->state == LOGO_PENDING_NONE && line_is_to(s, n)) {
		struct proc *tmp = line_proc_new(0);

		if (tmp == NULL) {
			error_nomem(&res->error);
			return line_fail(res);
		}
		/* Checked now, as UCBLogo does, and again at end. */
		if (read_title(s, n, &tmp->arena, tmp, &res->error) == -1) {
			proc_free(tmp);
			return line_fail(res);
		}
		proc_free(tmp);
		if ((st = line_append(p, s, n, res)) == LOGO_MORE)
			p->state = LOGO_PENDING_DEFINE;
		return res->status = st;
	}
	if ((st = line_append(p, s, n, res)) != LOGO_MORE)
		return st;
	depth = read_depth(p->text.s, p->text.len);
	if (depth > 0) {
		p->state = LOGO_PENDING_LIST;
		return res->status = LOGO_MORE;
	}
	/* Complete: take the text and run it. */
	text = p->text.s;
	len = p->text.len;
	p->text.s = NULL;
	logo_pending_reset(p);
	st = line_run(ws, turtle, text, len, cfg, res);
	free(text);
	return st;
}

/* to ... end is complete: read the title and the body into a procedure
 * of its own. */
static enum logo_status
line_define(const struct logo_workspace *ws, struct logo_pending *p,
    const struct logo_config *cfg, struct logo_result *res)
{
	const char *text = p->text.s, *nl;
	struct logo_line *line;
	const struct proc *old;
	struct proc *def;
	size_t tlen, len = p->text.len, bytes;
	char *copy;

	nl = memchr(text, '\n', len);
	tlen = (size_t)(nl - text);
	if ((line = calloc(1, sizeof *line)) == NULL ||
	    (def = line_proc_new(cfg->limits.workspace)) == NULL) {
		free(line);
		logo_pending_reset(p);
		error_nomem(&res->error);
		return line_fail(res);
	}
	arena_init(&line->arena, cfg->limits.memory);
	line->def = def;
	res->line = line;
	line->changes = arena_alloc(&line->arena, sizeof *line->changes);
	if (read_title(text, tlen, &def->arena, def, &res->error) == -1 ||
	    read_lines(&def->arena, nl + 1, len - tlen - 1, 2, &def->lines,
		&def->nlines, &res->error) == -1) {
		snprintf(res->error.proc, sizeof res->error.proc, "%.*s",
		    LOGO_NAME_MAX, def->name != NULL ? def->name->s : "");
		logo_pending_reset(p);
		return line_fail(res);
	}
	if ((copy = arena_alloc(&def->arena, len + sizeof "end\n")) == NULL) {
		logo_pending_reset(p);
		error_arena(&res->error, &def->arena, LOGO_LIMIT_WORKSPACE);
		return line_fail(res);
	}
	memcpy(copy, text, len);
	memcpy(copy + len, "end\n", 5);
	def->text = copy;
	logo_pending_reset(p);
	old = ws_proc(ws, def->name->s, def->name->len, def->name->hash);
	if (old == NULL && ws->nprocs + 1 > (size_t)cfg->limits.procs) {
		error_limit(&res->error, LOGO_LIMIT_PROCS,
		    (unsigned long long)cfg->limits.procs);
		return line_fail(res);
	}
	bytes = ws->bytes - (old != NULL ? ws_proc_bytes(old) : 0);
	if (bytes + ws_proc_bytes(def) > cfg->limits.workspace) {
		error_limit(
		    &res->error, LOGO_LIMIT_WORKSPACE, cfg->limits.workspace);
		return line_fail(res);
	}
	if (line_change(line, 1, LOGO_CHANGE_DEFINE, def->name) == -1) {
		error_nomem(&res->error);
		return line_fail(res);
	}
	res->changes = line->changes;
	res->nchanges = 1;
	return res->status = LOGO_OK;
}

/* The n-th change (the array is made for n = 1 at least). */
static int
line_change(struct logo_line *line, size_t n, enum logo_change_kind kind,
    const struct lword *name)
{
	char *copy;

	if (line->changes == NULL)
		return -1;
	if ((copy = arena_alloc(&line->arena, name->len + 1)) == NULL)
		return -1;
	memcpy(copy, name->s, name->len + 1);
	line->changes[n - 1].kind = kind;
	line->changes[n - 1].name = copy;
	return 0;
}

static enum logo_status
line_run(const struct logo_workspace *ws, const struct logo_turtle *turtle,
    const char *text, size_t len, const struct logo_config *cfg,
    struct logo_result *res)
{
	struct logo_line *line;
	struct llist **lines;
	struct ev ev;
	enum run r = R_OK;
	int nlines, i, rc = -1;

	if ((line = calloc(1, sizeof *line)) == NULL) {
		error_nomem(&res->error);
		return line_fail(res);
	}
	res->line = line;
	arena_init(&line->arena, cfg->limits.memory);
	memset(&ev, 0, sizeof ev);
	ev.ws = ws;
	ev.cfg = cfg;
	ev.arena = &line->arena;
	ev.err = &res->error;
	ev.turtle = *turtle;
	ev.rep = -1;
	ev.rng = cfg->seed != 0 ? cfg->seed : 0x9e3779b97f4a7c15ull;
	ev.stack_base = (uintptr_t)&ev;
	ev.nothing_from = "?";
	ev.t0 = cfg->now_ms != NULL ? cfg->now_ms(cfg->clock_arg) : 0;
	sbuf_init(&ev.out, cfg->limits.text);
	vars_init(&ev.vars);
	ev.w_true = value_word(ev.arena, "true", 4);
	ev.w_false = value_word(ev.arena, "false", 5);
	if (ev.w_true == NULL || ev.w_false == NULL)
		error_arena(ev.err, ev.arena, LOGO_LIMIT_MEMORY);
	else if (read_lines(ev.arena, text, len, 1, &lines, &nlines, ev.err) ==
		 0) {
		for (i = 0; i < nlines && r == R_OK; i++)
			r = eval_line_code(&ev, lines[i]);
		if (r == R_OK)
			rc = line_finish(&ev, res);
	}
	res->text = ev.out.s;
	res->text_len = ev.out.len;
	res->steps = ev.steps;
	vars_free(&ev.vars);
	if (rc == -1) {
		free(ev.segs);
		return line_fail(res);
	}
	res->turtle = ev.turtle;
	res->segs = ev.segs;
	res->nsegs = ev.nsegs;
	res->cleared = ev.cleared;
	return res->status = LOGO_OK;
}

/*
 * The line ran: copy the globals it set into arenas of their own and
 * check the workspace limits, so that logo_commit() cannot fail on them.
 */
static int
line_finish(struct ev *ev, struct logo_result *res)
{
	const struct logo_workspace *ws = ev->ws;
	const struct logo_limits *lim = &ev->cfg->limits;
	struct logo_line *line = res->line;
	const struct proc *old;
	const struct gvar *og;
	struct sym *s;
	struct gvar *g;
	struct arena a;
	size_t i, nvars = ws->nvars, bytes = ws->bytes, nch = 0;

	line->nerased = ev->nerased;
	line->erased = ev->erased;
	line->changes = arena_alloc(ev->arena,
	    (ev->nerased + ev->vars.ndirty + 1) * sizeof *line->changes);
	if (line->changes == NULL)
		goto arena;
	for (i = 0; i < ev->nerased; i++) {
		old = ws_proc(ws, ev->erased[i]->s, ev->erased[i]->len,
		    ev->erased[i]->hash);
		if (old != NULL)
			bytes -= ws_proc_bytes(old);
		if (line_change(
			line, ++nch, LOGO_CHANGE_ERASE, ev->erased[i]) == -1)
			goto arena;
		/* The name outlives the procedure it may have come from. */
		ev->erased[i] = value_word(
		    ev->arena, line->changes[nch - 1].name, ev->erased[i]->len);
		if (ev->erased[i] == NULL)
			goto arena;
	}
	if (ev->vars.ndirty > 0 && (line->vars = calloc(ev->vars.ndirty,
					sizeof *line->vars)) == NULL) {
		error_nomem(ev->err);
		return -1;
	}
	for (i = 0; i < ev->vars.ndirty; i++) {
		s = &ev->vars.syms[ev->vars.dirty[i]];
		og = ws_var(ws, s->name->s, s->name->len, s->name->hash);
		if (og == NULL && ++nvars > (size_t)lim->vars) {
			eval_limit(
			    ev, LOGO_LIMIT_VARS, (unsigned long long)lim->vars);
			return -1;
		}
		if (og != NULL)
			bytes -= ws_gvar_bytes(og);
		arena_init(&a, lim->workspace);
		if ((g = arena_alloc(&a, sizeof *g)) == NULL) {
			error_arena(ev->err, &a, LOGO_LIMIT_WORKSPACE);
			arena_free(&a);
			return -1;
		}
		memset(g, 0, sizeof *g);
		g->arena = a;
		line->vars[line->nvars++] = g;
		g->name = value_word(&g->arena, s->name->s, s->name->len);
		if (g->name == NULL ||
		    value_copy(&g->arena, &s->val, &g->val) == -1) {
			error_arena(ev->err, &g->arena, LOGO_LIMIT_WORKSPACE);
			return -1;
		}
		bytes += ws_gvar_bytes(g);
		if (line_change(line, ++nch, LOGO_CHANGE_MAKE, g->name) == -1)
			goto arena;
	}
	if (bytes > lim->workspace) {
		error_limit(ev->err, LOGO_LIMIT_WORKSPACE, lim->workspace);
		return -1;
	}
	res->changes = line->changes;
	res->nchanges = nch;
	return 0;
arena:
	eval_arena_error(ev);
	return -1;
}

int
logo_commit(struct logo_workspace *ws, struct logo_result *res)
{
	struct logo_line *line = res->line;
	size_t i;

	if (res->status != LOGO_OK || line == NULL ||
	    res->version != ws->version)
		return -1;
	if (line->def == NULL && line->nvars == 0 && line->nerased == 0)
		return 0;
	if (ws_reserve(ws, line->def != NULL ? 1 : 0, line->nvars) == -1)
		return -1;
	for (i = 0; i < line->nerased; i++)
		ws_erase_proc(ws, line->erased[i]->s, line->erased[i]->len,
		    line->erased[i]->hash);
	if (line->def != NULL) {
		ws_put_proc(ws, line->def);
		line->def = NULL;
	}
	for (i = 0; i < line->nvars; i++) {
		ws_put_var(ws, line->vars[i]);
		line->vars[i] = NULL;
	}
	line->nvars = 0;
	line->nerased = 0;
	ws->version++;
	return 0;
}
