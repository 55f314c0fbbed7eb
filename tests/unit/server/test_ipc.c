/*
 * test_ipc.c - the master <-> worker framing: what goes in comes out, and
 * anything that is not a well-formed message is refused, never misread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ipc.h"

static struct ipc_msg
make_cmd(void)
{
	struct ipc_msg m;

	memset(&m, 0, sizeof m);
	m.type = IPC_TYPE_CMD;
	m.dialect = PROTO_DIALECT_V1;
	m.err = PROTO_OK;
	m.has_cmd = 1;
	m.cmd.type = PROTO_CMD_SAY;
	m.cmd.dx = -7;
	m.cmd.dy = 1000000;
	m.cmd.version = 1;
	m.cmd.pen_down = 1;
	m.cmd.color = PROTO_COLOR_CYAN;
	strcpy(m.cmd.name, "alice-2");
	strcpy(m.cmd.text, "h\xc3\xa9llo w\xc3\xb6rld");
	return m;
}

static void
test_roundtrip_cmd(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg in = make_cmd(), out;
	char why[PROTO_WHY_MAX];
	size_t len, used = 0;

	(void)state;
	len = ipc_encode(&in, buf, sizeof buf);
	assert_true(len > IPC_HDR_LEN);
	assert_int_equal(ipc_decode(buf, len, &out, &used, why, sizeof why), 1);
	assert_int_equal(used, len);
	assert_int_equal(out.type, IPC_TYPE_CMD);
	assert_int_equal(out.dialect, PROTO_DIALECT_V1);
	assert_int_equal(out.has_cmd, 1);
	assert_int_equal(out.cmd.type, PROTO_CMD_SAY);
	assert_int_equal(out.cmd.dx, -7);
	assert_int_equal(out.cmd.dy, 1000000);
	assert_int_equal(out.cmd.pen_down, 1);
	assert_int_equal(out.cmd.color, PROTO_COLOR_CYAN);
	assert_string_equal(out.cmd.name, "alice-2");
	assert_string_equal(out.cmd.text, in.cmd.text);
	assert_string_equal(out.why, "");
}

static void
test_roundtrip_error_and_others(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg in, out;
	char why[PROTO_WHY_MAX];
	size_t len, used;

	(void)state;
	memset(&in, 0, sizeof in);
	in.type = IPC_TYPE_CMD;
	in.dialect = PROTO_DIALECT_CLASSIC;
	in.err = PROTO_ERR_AUTH;
	in.flags = IPC_F_CLOSE;
	strcpy(in.why, "wrong token");
	len = ipc_encode(&in, buf, sizeof buf);
	assert_int_equal(ipc_decode(buf, len, &out, &used, why, sizeof why), 1);
	assert_int_equal(out.err, PROTO_ERR_AUTH);
	assert_int_equal(out.flags, IPC_F_CLOSE);
	assert_int_equal(out.has_cmd, 0);
	assert_string_equal(out.why, "wrong token");

	memset(&in, 0, sizeof in);
	in.type = IPC_TYPE_BYE;
	in.reason = IPC_BYE_ERROR;
	len = ipc_encode(&in, buf, sizeof buf);
	assert_int_equal(ipc_decode(buf, len, &out, &used, why, sizeof why), 1);
	assert_int_equal(out.type, IPC_TYPE_BYE);
	assert_int_equal(out.reason, IPC_BYE_ERROR);

	memset(&in, 0, sizeof in);
	in.type = IPC_TYPE_JOIN;
	in.dialect = PROTO_DIALECT_CLASSIC;
	len = ipc_encode(&in, buf, sizeof buf);
	assert_int_equal(ipc_decode(buf, len, &out, &used, why, sizeof why), 1);
	assert_int_equal(out.type, IPC_TYPE_JOIN);
}

/* Every strict prefix of a message asks for more; none is misread. */
static void
test_prefixes_need_more(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg in = make_cmd(), out;
	char why[PROTO_WHY_MAX];
	size_t len, i, used;

	(void)state;
	len = ipc_encode(&in, buf, sizeof buf);
	for (i = 0; i < len; i++)
		assert_int_equal(
		    ipc_decode(buf, i, &out, &used, why, sizeof why), 0);
}

/* Two messages back to back come out one at a time. */
static void
test_stream_of_two(void **state)
{
	unsigned char buf[2 * IPC_MSG_MAX];
	struct ipc_msg a = make_cmd(), b, out;
	char why[PROTO_WHY_MAX];
	size_t la, lb, used;

	(void)state;
	memset(&b, 0, sizeof b);
	b.type = IPC_TYPE_BYE;
	b.reason = IPC_BYE_EOF;
	la = ipc_encode(&a, buf, sizeof buf);
	lb = ipc_encode(&b, buf + la, sizeof buf - la);
	assert_int_equal(
	    ipc_decode(buf, la + lb, &out, &used, why, sizeof why), 1);
	assert_int_equal(used, la);
	assert_int_equal(out.type, IPC_TYPE_CMD);
	assert_int_equal(ipc_decode(buf + used, la + lb - used, &out, &used,
			     why, sizeof why),
	    1);
	assert_int_equal(out.type, IPC_TYPE_BYE);
}

static void
expect_bad(const unsigned char *buf, size_t len)
{
	struct ipc_msg out;
	char why[PROTO_WHY_MAX] = "";
	size_t used;

	assert_int_equal(
	    ipc_decode(buf, len, &out, &used, why, sizeof why), -1);
	assert_true(why[0] != '\0');
}

static void
test_bad_headers(void **state)
{
	unsigned char buf[8];
	uint16_t hdr[2];

	(void)state;
	hdr[0] = IPC_TYPE_CMD;
	hdr[1] = IPC_PAYLOAD_MAX + 1;
	memcpy(buf, hdr, sizeof hdr);
	expect_bad(buf, IPC_HDR_LEN); /* refused before the payload comes */
	hdr[0] = 0;
	hdr[1] = 0;
	memcpy(buf, hdr, sizeof hdr);
	expect_bad(buf, IPC_HDR_LEN);
	hdr[0] = 77;
	memcpy(buf, hdr, sizeof hdr);
	expect_bad(buf, IPC_HDR_LEN);
	/* A bye without its reason byte is truncated. */
	hdr[0] = IPC_TYPE_BYE;
	hdr[1] = 0;
	memcpy(buf, hdr, sizeof hdr);
	expect_bad(buf, IPC_HDR_LEN);
	/* A bye with a byte too many. */
	hdr[1] = 2;
	memcpy(buf, hdr, sizeof hdr);
	buf[4] = IPC_BYE_EOF;
	buf[5] = 0;
	expect_bad(buf, IPC_HDR_LEN + 2);
	/* A bye with an unknown reason. */
	hdr[1] = 1;
	memcpy(buf, hdr, sizeof hdr);
	buf[4] = IPC_BYE__COUNT;
	expect_bad(buf, IPC_HDR_LEN + 1);
	/* A join in the v1 dialect (v1 joins with hello). */
	hdr[0] = IPC_TYPE_JOIN;
	memcpy(buf, hdr, sizeof hdr);
	buf[4] = PROTO_DIALECT_V1;
	expect_bad(buf, IPC_HDR_LEN + 1);
}

/* Encodes m without the encoder's checks, as a broken worker might. */
static size_t
raw_cmd(unsigned char *buf, const struct ipc_msg *m, unsigned type,
    const char *name, const char *text, unsigned color)
{
	size_t off = IPC_HDR_LEN;
	uint16_t hdr[2], n;
	int32_t v;

	buf[off++] = (unsigned char)m->dialect;
	buf[off++] = (unsigned char)m->err;
	buf[off++] = (unsigned char)m->flags;
	buf[off++] = (unsigned char)type;
	v = m->cmd.dx;
	memcpy(buf + off, &v, 4);
	off += 4;
	v = m->cmd.dy;
	memcpy(buf + off, &v, 4);
	off += 4;
	v = 1;
	memcpy(buf + off, &v, 4);
	off += 4;
	buf[off++] = (unsigned char)m->cmd.pen_down;
	buf[off++] = (unsigned char)color;
	n = (uint16_t)strlen(name);
	memcpy(buf + off, &n, 2);
	memcpy(buf + off + 2, name, n);
	off += 2 + n;
	n = (uint16_t)strlen(text);
	memcpy(buf + off, &n, 2);
	memcpy(buf + off + 2, text, n);
	off += 2 + n;
	n = 0;
	memcpy(buf + off, &n, 2); /* why */
	off += 2;
	memcpy(buf + off, &n, 2); /* line */
	off += 2;
	hdr[0] = IPC_TYPE_CMD;
	hdr[1] = (uint16_t)(off - IPC_HDR_LEN);
	memcpy(buf, hdr, sizeof hdr);
	return off;
}

static void
test_bad_fields(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg m = make_cmd(), out;
	char why[PROTO_WHY_MAX];
	size_t len, used;

	(void)state;
	/* The raw encoder itself makes good messages from good fields. */
	len = raw_cmd(buf, &m, PROTO_CMD_SAY, "bob", "hi", 0);
	assert_int_equal(ipc_decode(buf, len, &out, &used, why, sizeof why), 1);

	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD__COUNT, "bob", "hi", 0));
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_SAY, "b b", "hi", 0));
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_SAY, "bob", "h\x1b[2J", 0));
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_SAY, "bob", "\xff\xfe", 0));
	expect_bad(buf,
	    raw_cmd(buf, &m, PROTO_CMD_SAY, "bob", "hi", PROTO_COLOR__COUNT));
	expect_bad(
	    buf, raw_cmd(buf, &m, PROTO_CMD_SAY,
		     "a-name-that-is-much-longer-than-32-bytes", "hi", 0));
	m.cmd.dx = PROTO_COORD_MAX + 1;
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_RUN, "bob", "", 0));
	m.cmd.dx = 0;
	m.cmd.pen_down = 2;
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_PEN, "bob", "", 0));
	m.cmd.pen_down = 0;
	m.dialect = 7;
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_RUN, "bob", "", 0));
	m.dialect = PROTO_DIALECT_V1;
	m.err = PROTO_ERR__COUNT;
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_RUN, "bob", "", 0));
	m.err = PROTO_OK;
	m.flags = 0x80;
	expect_bad(buf, raw_cmd(buf, &m, PROTO_CMD_RUN, "bob", "", 0));
	m.flags = 0;
	/* A success without a command says nothing the master can do. */
	expect_bad(buf, raw_cmd(buf, &m, IPC_CMD_NONE, "", "", 0));
	/* A NUL inside a string. */
	len = raw_cmd(buf, &m, PROTO_CMD_SAY, "bob", "hi", 0);
	buf[len - 5] = 0; /* the i of "hi" */
	expect_bad(buf, len);
	/* A string whose length runs past the payload. */
	len = raw_cmd(buf, &m, PROTO_CMD_SAY, "bob", "hi", 0);
	buf[len - 2] = 0xff;
	expect_bad(buf, len);
}

static void
test_encode_refuses_bad_fields(void **state)
{
	unsigned char buf[IPC_MSG_MAX];
	struct ipc_msg m = make_cmd();

	(void)state;
	assert_int_equal(ipc_encode(&m, buf, 3), 0);
	assert_int_equal(ipc_encode(&m, buf, 20), 0);
	m.type = (enum ipc_type)99;
	assert_int_equal(ipc_encode(&m, buf, sizeof buf), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip_cmd),
	    cmocka_unit_test(test_roundtrip_error_and_others),
	    cmocka_unit_test(test_prefixes_need_more),
	    cmocka_unit_test(test_stream_of_two),
	    cmocka_unit_test(test_bad_headers),
	    cmocka_unit_test(test_bad_fields),
	    cmocka_unit_test(test_encode_refuses_bad_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
