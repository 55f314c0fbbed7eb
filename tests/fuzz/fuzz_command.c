/*
 * fuzz_command.c - arbitrary client bytes through everything a server does
 * with them: the framer, the dialect choice, the v1 parser, the classic
 * parser and reply, the world, and the escaping used to log or show them.
 * Besides crashes it checks the promises each of them makes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void check_line(struct world *, const char *, size_t);
static void check_v1(struct world *, const char *, size_t);
static void check_classic(const char *, size_t);
static void check_escape(const char *, size_t);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

static void
check_escape(const char *s, size_t len)
{
	char out[4 * PROTO_LINE_MAX + 1], small[17];
	size_t n;

	n = proto_text_escape(out, sizeof out, s, len);
	CHECK(n < sizeof out && out[n] == '\0' && strlen(out) == n);
	CHECK(proto_text_valid(out, n) == 0);
	n = proto_text_escape(small, sizeof small, s, len);
	CHECK(n < sizeof small && strlen(small) == n);
	CHECK(proto_text_valid(small, n) == 0);
}

static void
check_v1(struct world *w, const char *line, size_t len)
{
	struct proto_cmd cmd;
	struct proto_event ev;
	char why[PROTO_WHY_MAX];
	enum proto_err err;
	int32_t x = w->x, y = w->y;

	memset(why, 'X', sizeof why);
	err = proto_parse_command(line, len, &cmd, why, sizeof why);
	CHECK(memchr(why, '\0', sizeof why) != NULL);
	CHECK(proto_text_valid(why, strlen(why)) == 0);
	CHECK(err < PROTO_ERR__COUNT);
	if (err != PROTO_OK) {
		CHECK(why[0] != '\0');
		return;
	}
	CHECK(why[0] == '\0');
	CHECK(proto_cmd_info(cmd.type) != NULL);
	switch (cmd.type) {
	case PROTO_CMD_HELLO:
		CHECK(cmd.version == PROTO_VERSION);
		CHECK(cmd.name[0] == '\0' ||
		      proto_name_valid(cmd.name, strlen(cmd.name)) == 0);
		break;
	case PROTO_CMD_RUN:
		CHECK(cmd.dx >= -PROTO_COORD_MAX && cmd.dx <= PROTO_COORD_MAX);
		CHECK(cmd.dy >= -PROTO_COORD_MAX && cmd.dy <= PROTO_COORD_MAX);
		break;
	case PROTO_CMD_SAY:
		CHECK(cmd.text[0] != '\0');
		CHECK(proto_text_valid(cmd.text, strlen(cmd.text)) == 0);
		break;
	case PROTO_CMD_NAME:
		CHECK(proto_name_valid(cmd.name, strlen(cmd.name)) == 0);
		break;
	case PROTO_CMD_COLOR:
		CHECK(cmd.color >= 0 && cmd.color < PROTO_COLOR__COUNT);
		break;
	default:
		break;
	}

	ev.cid = 1;
	strcpy(ev.name, "fuzz");
	err = world_apply(w, &cmd, &ev, why, sizeof why);
	if (err == PROTO_ERR_OUT_OF_BOUNDS)
		CHECK(w->x == x && w->y == y);
	CHECK(w->x >= -w->half_w && w->x <= w->half_w);
	CHECK(w->y >= -w->half_h && w->y <= w->half_h);
	CHECK(w->trail_len <= w->trail_cap);
}

static void
check_classic(const char *line, size_t len)
{
	struct proto_cmd cmd;
	char out[PROTO_CLASSIC_MAX];
	enum proto_err err;
	size_t n;

	err = proto_classic_parse(line, len, &cmd);
	CHECK(err < PROTO_ERR__COUNT);
	n = proto_classic_reply(out, sizeof out, &cmd, err, -PROTO_COORD_MAX,
	    PROTO_COORD_MAX, INT32_MAX);
	if (n == 0) {
		CHECK(err == PROTO_OK && (cmd.type == PROTO_CMD_QUIT ||
					     cmd.type == PROTO_CMD_EXIT));
		return;
	}
	/* "text\n\0", the text itself clean. */
	CHECK(n >= 3 && n <= sizeof out);
	CHECK(out[n - 1] == '\0' && out[n - 2] == '\n');
	CHECK(strlen(out) == n - 1);
	CHECK(proto_text_valid(out, n - 2) == 0);
}

static void
check_line(struct world *w, const char *line, size_t len)
{
	enum proto_dialect d;

	d = proto_dialect_detect(line, len);
	CHECK(d == PROTO_DIALECT_V1 || d == PROTO_DIALECT_CLASSIC);
	check_v1(w, line, len);
	check_classic(line, len);
	check_escape(line, len);
}

/*
 * The first byte picks the read size, so splits are explored too; the
 * lines are checked one by one, and the whole input once more as a
 * single line (which may hold NULs and CRs the framer would cut).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_framer fr;
	struct world w;
	const char *p, *line;
	size_t chunk, left, off, n, linelen;
	enum proto_frame f;

	if (size == 0)
		return 0;
	if (world_init(&w, 20, 10, 8) != 0)
		abort();
	chunk = (size_t)data[0] % 64 + 1;
	proto_framer_init(&fr);
	for (off = 1; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		p = (const char *)data + off;
		left = n;
		while ((f = proto_framer_next(&fr, &p, &left, &line,
			    &linelen)) != PROTO_FRAME_MORE) {
			if (f == PROTO_FRAME_TOOLONG)
				continue;
			CHECK(f == PROTO_FRAME_LINE);
			CHECK(linelen > 0 && linelen <= PROTO_LINE_MAX);
			CHECK(line[linelen] == '\0');
			CHECK(memchr(line, '\n', linelen) == NULL);
			CHECK(memchr(line, '\0', linelen) == NULL);
			check_line(&w, line, linelen);
		}
		CHECK(left == 0);
	}
	check_line(&w, (const char *)data + 1, size - 1);
	world_free(&w);
	return 0;
}
