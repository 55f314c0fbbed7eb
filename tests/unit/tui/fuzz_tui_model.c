/*
 * fuzz_tui_model.c - arbitrary server lines into the client's model, after
 * a valid hello and snapshot: nothing crashes or leaks, every log line
 * stays printable, and the view of the world can always be drawn.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void feed(struct model *, const char *, size_t);
static void check(const struct model *);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

static const char *const start[] = {
    "ok hello cid=2 name=bob given=bob version=1 mode=free",
    ("snap world half_w=20 half_h=10 x=3 y=2 heading=90 pen=down "
     "color=red segs=1 dropped=0"),
    "snap path cid=1 color=red pts=0,0;3,2",
    "snap client cid=2 name=bob since=1",
    "snap log seq=1 kind=join cid=2 name=bob",
    "snap end seq=1 mode=free turn=0 clients=1",
};

static void
feed(struct model *m, const char *line, size_t len)
{
	struct proto_msg msg;

	if (proto_msg_parse(line, len, &msg) == 0)
		model_feed(m, &msg, 1700000000);
}

static void
check(const struct model *m)
{
	struct trail_cell cells[20 * 10];
	struct viewport vp;
	const struct model_line *l;
	const unsigned char *t;
	size_t i;

	for (i = 0; i < m->log_len; i++) {
		l = model_line_at(m, i);
		CHECK(l != NULL && l->text != NULL);
		CHECK(l->name_len <= strlen(l->text));
		for (t = (const unsigned char *)l->text; *t != '\0'; t++)
			CHECK(*t >= 0x20 && *t != 0x7f);
	}
	viewport_init(&vp);
	viewport_update(&vp, 20, 10, &m->world);
	trail_raster(cells, 20, 10, vp.left, vp.top, &m->world, m->my_cid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	const char *p = (const char *)data, *end = p + size, *nl;
	size_t i;

	if (model_init(&m, 64) != 0)
		return 0;
	model_connected(&m);
	for (i = 0; i < sizeof start / sizeof start[0]; i++)
		feed(&m, start[i], strlen(start[i]));
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		feed(&m, p, (size_t)(nl - p));
		if (m.hello_wait == 0 && !m.synced && !m.in_snap)
			model_connected(&m);
		p = nl + 1;
	}
	check(&m);
	model_free(&m);
	return 0;
}
