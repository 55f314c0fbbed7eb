/*
 * fuzz_msg.c - arbitrary server lines through the client's readers:
 * proto_msg_parse(), proto_event_from_msg() and world_apply_snap().
 * Whatever is accepted must survive formatting and parsing again
 * unchanged, and the input itself, taken as a value, must round-trip
 * through fmt.c and msg.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void check_reformat(const struct proto_msg *);
static void check_event(const struct proto_msg *);
static void check_value(const char *, size_t);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

/* The canonical form of an accepted line is never longer, and reads back
 * to the same fields. */
static void
check_reformat(const struct proto_msg *m)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_msg back;
	size_t i;

	proto_buf_init(&b, line, sizeof line);
	switch (m->type) {
	case PROTO_MSG_OK:
	case PROTO_MSG_ERR:
		proto_fmt_ok(&b, m->word);
		break;
	case PROTO_MSG_EVT:
		proto_fmt_evt(&b, m->seq, m->word);
		break;
	case PROTO_MSG_SNAP:
		proto_fmt_snap(&b, m->word);
		break;
	}
	for (i = 0; i < m->nfields; i++)
		proto_fmt_str(&b, m->f[i].key, m->f[i].val);
	CHECK(proto_fmt_end(&b) == 0);
	CHECK(proto_msg_parse(b.p, b.len, &back) == 0);
	CHECK(strcmp(back.word, m->word) == 0);
	CHECK(back.seq == m->seq);
	CHECK(back.nfields == m->nfields);
	for (i = 0; i < m->nfields; i++) {
		CHECK(strcmp(back.f[i].key, m->f[i].key) == 0);
		CHECK(strcmp(back.f[i].val, m->f[i].val) == 0);
	}
}

static void
check_event(const struct proto_msg *m)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_event ev, back;
	struct proto_msg again;
	size_t i;

	if (proto_event_from_msg(m, &ev) != 0)
		return;
	CHECK(proto_evt_word(ev.kind) != NULL);
	CHECK(proto_text_valid(ev.name, strlen(ev.name)) == 0);
	/* Format characters may come (escaped when shown), controls not. */
	for (i = 0; ev.text[i] != '\0'; i++)
		CHECK((unsigned char)ev.text[i] >= 0x20 && ev.text[i] != 0x7f);
	proto_buf_init(&b, line, sizeof line);
	CHECK(proto_event_format(&b, m->seq, &ev) == 0);
	CHECK(proto_msg_parse(b.p, b.len, &again) == 0);
	CHECK(proto_event_from_msg(&again, &back) == 0);
	CHECK(back.kind == ev.kind && back.cid == ev.cid);
	CHECK(strcmp(back.name, ev.name) == 0);
	CHECK(strcmp(back.old, ev.old) == 0);
	CHECK(strcmp(back.text, ev.text) == 0);
	/* Decimals come back rounded to PROTO_DECIMALS places. */
	CHECK(fabs(back.x0 - ev.x0) <= 6e-7 && fabs(back.y0 - ev.y0) <= 6e-7);
	CHECK(fabs(back.x - ev.x) <= 6e-7 && fabs(back.y - ev.y) <= 6e-7);
	CHECK(fabs(back.heading - ev.heading) <= 6e-7);
	CHECK(back.pc == ev.pc && back.segs == ev.segs);
	CHECK(back.cleared == ev.cleared);
	CHECK(strcmp(back.proc, ev.proc) == 0);
	CHECK(back.pen_down == ev.pen_down && back.color == ev.color);
	CHECK(back.dropped == ev.dropped);
}

static void
path_start(struct proto_buf *b, int cid, void *arg)
{
	(void)arg;
	proto_fmt_snap(b, "path");
	proto_fmt_int(b, "cid", cid);
}

static int
path_emit(const char *line, size_t len, void *arg)
{
	struct proto_msg m;

	CHECK(len <= PROTO_OUT_MAX);
	CHECK(proto_msg_parse(line, len, &m) == 0);
	return world_apply_path(arg, &m);
}

/* A path that reads adds its segments; written again, it reads again the
 * same (to the 4 decimals paths keep). */
static void
check_path(const struct proto_msg *m)
{
	struct world a, b;
	const struct world_seg *s, *t;
	size_t i;

	if (world_init(&a, 100, 100, 200) != 0 ||
	    world_init(&b, 100, 100, 200) != 0)
		abort();
	if (world_apply_path(&a, m) == 0) {
		CHECK(a.trail_len >= 1);
		CHECK(world_paths(
			  &a, 0, a.trail_len, path_start, path_emit, &b) == 0);
		CHECK(b.trail_len == a.trail_len);
		for (i = 0; i < a.trail_len; i++) {
			s = world_seg_at(&a, i);
			t = world_seg_at(&b, i);
			CHECK(fabsf(s->x0 - t->x0) <= 0.07f &&
			      fabsf(s->y1 - t->y1) <= 0.07f);
			CHECK(s->color == t->color && s->cid == t->cid);
		}
	} else {
		CHECK(a.trail_len == 0);
	}
	world_free(&a);
	world_free(&b);
}

/*
 * Any bytes without a NUL, as a value, come back the same; up to 400 of
 * them (the longest say text) always fit a line, even escaped 4 to 1.
 */
static void
check_value(const char *v, size_t len)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;
	struct proto_msg m;
	const char *got;

	if (len > PROTO_TEXT_MAX || memchr(v, '\0', len) != NULL)
		return;
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_evt(&b, UINT64_MAX, "say");
	proto_fmt_int(&b, "cid", INT32_MAX);
	proto_fmt_str(&b, "name", "abcdefghijklmnopqrstuvwxyz012345");
	proto_fmt_strn(&b, "text", v, len);
	CHECK(proto_fmt_end(&b) == 0);
	CHECK(proto_text_valid(b.p, b.len - 1) == 0);
	CHECK(proto_msg_parse(b.p, b.len, &m) == 0);
	got = proto_msg_get(&m, "text");
	CHECK(got != NULL && strlen(got) == len && memcmp(got, v, len) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct proto_msg m;
	struct world w;
	size_t i;

	check_value(s, size);
	if (proto_msg_parse(s, size, &m) != 0)
		return 0;
	CHECK(m.nfields <= PROTO_FIELDS_MAX);
	CHECK(strlen(m.word) > 0 && strlen(m.word) < PROTO_WORD_MAX);
	for (i = 0; i < m.nfields; i++) {
		CHECK(proto_msg_get(&m, m.f[i].key) == m.f[i].val);
		CHECK(proto_text_valid(m.f[i].key, strlen(m.f[i].key)) == 0);
	}
	check_reformat(&m);
	check_event(&m);

	check_path(&m);
	if (world_init(&w, 5, 5, 3) != 0)
		abort();
	if (world_apply_snap(&w, &m) == 0) {
		CHECK(w.x >= -w.half_w && w.x <= w.half_w);
		CHECK(w.y >= -w.half_h && w.y <= w.half_h);
		CHECK(w.trail_len <= w.trail_cap);
		CHECK(w.color >= 0 && w.color < PROTO_COLOR__COUNT);
	}
	world_free(&w);
	return 0;
}
