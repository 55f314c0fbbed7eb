/*
 * fuzz_logo.c - arbitrary text through the Logo core: split into lines
 * and typed one after another by one user (the reader, definitions over
 * several lines, the evaluator, the turtle), with small limits so that
 * every limit is reached often.  Checks what the API promises: a line
 * that fails leaves nothing to apply, one that succeeds commits, the
 * turtle stays inside the fence, and nothing exceeds its limit.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logo.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

static uint64_t fuzz_clock(void *);
static int fuzz_each(const char *, const char *, void *);
static void fuzz_check_ok(
    const struct logo_config *, const struct logo_result *);

/* Moves 1 ms each time it is asked: the time limit trips, and always at
 * the same step. */
static uint64_t
fuzz_clock(void *arg)
{
	uint64_t *now = arg;

	return (*now)++;
}

static int
fuzz_each(const char *name, const char *text, void *arg)
{
	(void)arg;
	CHECK(name[0] != '\0' && text != NULL);
	return 0;
}

static void
fuzz_check_ok(const struct logo_config *cfg, const struct logo_result *res)
{
	const struct logo_bounds *b = &cfg->bounds;
	const double slack = 1e-6;
	size_t i;

	CHECK(res->nsegs <= cfg->limits.segments);
	CHECK(res->text_len <= cfg->limits.text);
	CHECK(res->text == NULL || strlen(res->text) == res->text_len);
	CHECK(res->turtle.heading >= 0 && res->turtle.heading < 360);
	CHECK(res->turtle.color >= 0 && res->turtle.color < LOGO_COLORS);
	CHECK(res->turtle.x >= b->xmin - slack &&
	      res->turtle.x <= b->xmax + slack);
	CHECK(res->turtle.y >= b->ymin - slack &&
	      res->turtle.y <= b->ymax + slack);
	for (i = 0; i < res->nsegs; i++) {
		const struct logo_segment *s = &res->segs[i];

		CHECK(s->x0 >= b->xmin - slack && s->x0 <= b->xmax + slack);
		CHECK(s->x1 >= b->xmin - slack && s->x1 <= b->xmax + slack);
		CHECK(s->y0 >= b->ymin - slack && s->y0 <= b->ymax + slack);
		CHECK(s->y1 >= b->ymin - slack && s->y1 <= b->ymax + slack);
		CHECK(s->color >= 0 && s->color < LOGO_COLORS);
	}
	for (i = 0; i < res->nchanges; i++)
		CHECK(res->changes[i].name != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logo_workspace *ws = logo_workspace_new();
	struct logo_pending *p = logo_pending_new();
	char buf[LOGO_FORMAT_MAX];
	struct logo_turtle t;
	struct logo_config cfg;
	struct logo_result res;
	const char *s = (const char *)data, *nl;
	enum logo_status st;
	uint64_t now = 0, v;
	size_t n;

	CHECK(ws != NULL && p != NULL);
	logo_config_default(&cfg);
	cfg.limits.steps = 20000;
	cfg.limits.depth = 40;
	cfg.limits.stack = 512 << 10;
	cfg.limits.time_ms = 15;
	cfg.limits.segments = 500;
	cfg.limits.text = 2048;
	cfg.limits.memory = 256 << 10;
	cfg.limits.procs = 8;
	cfg.limits.vars = 8;
	cfg.limits.workspace = 64 << 10;
	cfg.now_ms = fuzz_clock;
	cfg.clock_arg = &now;
	cfg.seed = size;
	logo_turtle_home(&t);
	logo_result_init(&res);
	while (size > 0) {
		nl = memchr(s, '\n', size);
		n = nl == NULL ? size : (size_t)(nl - s);
		v = logo_workspace_version(ws);
		st = logo_eval_line(ws, &t, p, s, n, &cfg, &res);
		CHECK(st == res.status);
		CHECK(res.version == v);
		switch (st) {
		case LOGO_OK:
			fuzz_check_ok(&cfg, &res);
			CHECK(logo_commit(ws, &res) == 0);
			t = res.turtle;
			break;
		case LOGO_MORE:
			CHECK(logo_pending_state(p) != LOGO_PENDING_NONE);
			CHECK(res.nsegs == 0 && res.nchanges == 0);
			CHECK(logo_commit(ws, &res) == -1);
			break;
		case LOGO_ERROR:
			CHECK(res.error.code != LOGO_E_NONE);
			CHECK(res.error.msg[0] != '\0');
			CHECK(res.error.code != LOGO_E_LIMIT ||
			      logo_limit_name(res.error.limit)[0] != '\0');
			CHECK(res.nsegs == 0 && res.segs == NULL);
			CHECK(res.nchanges == 0 && !res.cleared);
			CHECK(logo_commit(ws, &res) == -1);
			CHECK(logo_workspace_version(ws) == v);
			CHECK(
			    logo_error_format(&res.error, buf, sizeof buf) > 0);
			break;
		}
		CHECK(logo_workspace_procs(ws) <= (size_t)cfg.limits.procs);
		CHECK(logo_workspace_vars(ws) <= (size_t)cfg.limits.vars);
		CHECK(logo_workspace_bytes(ws) <= cfg.limits.workspace);
		now = 0;
		if (nl == NULL)
			break;
		size -= n + 1;
		s = nl + 1;
	}
	CHECK(logo_workspace_each_proc(ws, fuzz_each, NULL) == 0);
	CHECK(logo_workspace_each_var(ws, fuzz_each, NULL) == 0);
	logo_result_free(&res);
	logo_pending_free(p);
	logo_workspace_free(ws);
	return 0;
}
