/*
 * ipc.c - encoding and decoding the master <-> worker messages (see ipc.h).
 *
 * The decoder is the master's parser of what a worker says; it checks every
 * field as if the worker were hostile, because a parser bug in the worker
 * could make it so.
 */
#include <stdio.h>
#include <string.h>

#include "ipc.h"

struct ipc_wcur {
	unsigned char *p;
	size_t cap, len;
	int bad;
};

struct ipc_rcur {
	const unsigned char *p;
	size_t len, off;
	int bad;
};

static void ipc_put(struct ipc_wcur *, const void *, size_t);
static void ipc_put_u8(struct ipc_wcur *, unsigned);
static void ipc_put_i32(struct ipc_wcur *, int32_t);
static void ipc_put_str(struct ipc_wcur *, const char *, size_t max);
static void ipc_get(struct ipc_rcur *, void *, size_t);
static unsigned ipc_get_u8(struct ipc_rcur *);
static int32_t ipc_get_i32(struct ipc_rcur *);
static size_t ipc_get_str(struct ipc_rcur *, char *, size_t max);
static int ipc_check_cmd(struct ipc_msg *, char *, size_t);

static void
ipc_put(struct ipc_wcur *w, const void *p, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	memcpy(w->p + w->len, p, n);
	w->len += n;
}

static void
ipc_put_u8(struct ipc_wcur *w, unsigned v)
{
	unsigned char b = (unsigned char)v;

	if (v > 0xff)
		w->bad = 1;
	ipc_put(w, &b, 1);
}

static void
ipc_put_i32(struct ipc_wcur *w, int32_t v)
{
	ipc_put(w, &v, sizeof v);
}

static void
ipc_put_str(struct ipc_wcur *w, const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	uint16_t n16 = (uint16_t)n;

	if (n > max) {
		w->bad = 1;
		return;
	}
	ipc_put(w, &n16, sizeof n16);
	ipc_put(w, s, n);
}

size_t
ipc_encode(const struct ipc_msg *msg, unsigned char *buf, size_t cap)
{
	struct ipc_wcur w = {buf, cap, IPC_HDR_LEN, 0};
	const struct proto_cmd *cmd = &msg->cmd;
	uint16_t hdr[2];

	if (cap < IPC_HDR_LEN)
		return 0;
	switch (msg->type) {
	case IPC_TYPE_JOIN:
		ipc_put_u8(&w, (unsigned)msg->dialect);
		break;
	case IPC_TYPE_CMD:
		ipc_put_u8(&w, (unsigned)msg->dialect);
		ipc_put_u8(&w, (unsigned)msg->err);
		ipc_put_u8(&w, (unsigned)msg->flags);
		ipc_put_u8(
		    &w, msg->has_cmd ? (unsigned)cmd->type : IPC_CMD_NONE);
		ipc_put_i32(&w, cmd->dx);
		ipc_put_i32(&w, cmd->dy);
		ipc_put_i32(&w, cmd->version);
		ipc_put_u8(&w, cmd->pen_down ? 1 : 0);
		ipc_put_u8(&w, (unsigned)cmd->color);
		ipc_put_str(&w, cmd->name, PROTO_NAME_MAX);
		ipc_put_str(&w, cmd->text, PROTO_TEXT_MAX);
		ipc_put_str(&w, msg->why, PROTO_WHY_MAX - 1);
		ipc_put_str(&w, msg->line, PROTO_LINE_MAX);
		break;
	case IPC_TYPE_BYE:
		ipc_put_u8(&w, (unsigned)msg->reason);
		break;
	default:
		return 0;
	}
	if (w.bad || w.len - IPC_HDR_LEN > IPC_PAYLOAD_MAX)
		return 0;
	hdr[0] = (uint16_t)msg->type;
	hdr[1] = (uint16_t)(w.len - IPC_HDR_LEN);
	memcpy(buf, hdr, sizeof hdr);
	return w.len;
}

static void
ipc_get(struct ipc_rcur *r, void *p, size_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = 1;
		memset(p, 0, n);
		return;
	}
	memcpy(p, r->p + r->off, n);
	r->off += n;
}

static unsigned
ipc_get_u8(struct ipc_rcur *r)
{
	unsigned char b;

	ipc_get(r, &b, 1);
	return b;
}

static int32_t
ipc_get_i32(struct ipc_rcur *r)
{
	int32_t v;

	ipc_get(r, &v, sizeof v);
	return v;
}

/* Reads a string of at most max bytes into out (max + 1 bytes). */
static size_t
ipc_get_str(struct ipc_rcur *r, char *out, size_t max)
{
	uint16_t n;

	out[0] = '\0';
	ipc_get(r, &n, sizeof n);
	if (r->bad)
		return 0;
	/* A NUL inside would hide the rest of the string from checks. */
	if (n > max || n > r->len - r->off ||
	    memchr(r->p + r->off, '\0', n) != NULL) {
		r->bad = 1;
		return 0;
	}
	memcpy(out, r->p + r->off, n);
	out[n] = '\0';
	r->off += n;
	return n;
}

/* The checks a decoded command must pass before the master acts on it. */
static int
ipc_check_cmd(struct ipc_msg *msg, char *why, size_t whylen)
{
	struct proto_cmd *cmd = &msg->cmd;
	size_t n;

	if (msg->dialect != PROTO_DIALECT_CLASSIC &&
	    msg->dialect != PROTO_DIALECT_V1) {
		snprintf(why, whylen, "unknown dialect %d", msg->dialect);
		return -1;
	}
	if ((int)msg->err < 0 || msg->err >= PROTO_ERR__COUNT) {
		snprintf(why, whylen, "unknown error code %d", (int)msg->err);
		return -1;
	}
	if (msg->flags & ~IPC_F_ALL) {
		snprintf(why, whylen, "unknown flags %#x", msg->flags);
		return -1;
	}
	if (msg->err == PROTO_OK && !msg->has_cmd) {
		snprintf(why, whylen, "a command without a type");
		return -1;
	}
	if (msg->has_cmd &&
	    ((int)cmd->type < 0 || cmd->type >= PROTO_CMD__COUNT)) {
		snprintf(why, whylen, "unknown command %d", (int)cmd->type);
		return -1;
	}
	if (cmd->dx < -PROTO_COORD_MAX || cmd->dx > PROTO_COORD_MAX ||
	    cmd->dy < -PROTO_COORD_MAX || cmd->dy > PROTO_COORD_MAX) {
		snprintf(why, whylen, "a move out of range");
		return -1;
	}
	if (cmd->pen_down != 0 && cmd->pen_down != 1) {
		snprintf(why, whylen, "a bad pen state");
		return -1;
	}
	if (cmd->color < 0 || cmd->color >= PROTO_COLOR__COUNT) {
		snprintf(why, whylen, "unknown color %d", cmd->color);
		return -1;
	}
	n = strlen(cmd->name);
	if (n != 0 && proto_name_valid(cmd->name, n) != 0) {
		snprintf(why, whylen, "an invalid name");
		return -1;
	}
	if (proto_text_valid(cmd->text, strlen(cmd->text)) != 0) {
		snprintf(why, whylen, "invalid text");
		return -1;
	}
	if (proto_text_valid(msg->why, strlen(msg->why)) != 0) {
		snprintf(why, whylen, "an invalid error sentence");
		return -1;
	}
	return 0;
}

int
ipc_decode(const unsigned char *buf, size_t len, struct ipc_msg *msg,
    size_t *used, char *why, size_t whylen)
{
	struct ipc_rcur r;
	uint16_t hdr[2];
	unsigned type;

	if (len < IPC_HDR_LEN)
		return 0;
	memcpy(hdr, buf, sizeof hdr);
	if (hdr[1] > IPC_PAYLOAD_MAX) {
		snprintf(why, whylen, "message of %u bytes is over the limit",
		    (unsigned)hdr[1]);
		return -1;
	}
	if (hdr[0] < IPC_TYPE_JOIN || hdr[0] > IPC_TYPE_BYE) {
		snprintf(
		    why, whylen, "unknown message type %u", (unsigned)hdr[0]);
		return -1;
	}
	if (len - IPC_HDR_LEN < hdr[1])
		return 0;

	memset(msg, 0, sizeof *msg);
	r.p = buf + IPC_HDR_LEN;
	r.len = hdr[1];
	r.off = 0;
	r.bad = 0;
	msg->type = (enum ipc_type)hdr[0];
	switch (msg->type) {
	case IPC_TYPE_JOIN:
		msg->dialect = (int)ipc_get_u8(&r);
		if (!r.bad && msg->dialect != PROTO_DIALECT_CLASSIC) {
			snprintf(
			    why, whylen, "join with dialect %d", msg->dialect);
			return -1;
		}
		break;
	case IPC_TYPE_CMD:
		msg->dialect = (int)ipc_get_u8(&r);
		msg->err = (enum proto_err)ipc_get_u8(&r);
		msg->flags = (int)ipc_get_u8(&r);
		type = ipc_get_u8(&r);
		msg->has_cmd = type != IPC_CMD_NONE;
		msg->cmd.type = (enum proto_cmd_type)(msg->has_cmd ? type : 0);
		msg->cmd.dx = ipc_get_i32(&r);
		msg->cmd.dy = ipc_get_i32(&r);
		msg->cmd.version = (int)ipc_get_i32(&r);
		msg->cmd.pen_down = (int)ipc_get_u8(&r);
		msg->cmd.color = (int)ipc_get_u8(&r);
		ipc_get_str(&r, msg->cmd.name, PROTO_NAME_MAX);
		ipc_get_str(&r, msg->cmd.text, PROTO_TEXT_MAX);
		ipc_get_str(&r, msg->why, PROTO_WHY_MAX - 1);
		ipc_get_str(&r, msg->line, PROTO_LINE_MAX);
		if (!r.bad && ipc_check_cmd(msg, why, whylen) != 0)
			return -1;
		break;
	case IPC_TYPE_BYE:
		msg->reason = (int)ipc_get_u8(&r);
		if (!r.bad && msg->reason >= IPC_BYE__COUNT) {
			snprintf(
			    why, whylen, "unknown bye reason %d", msg->reason);
			return -1;
		}
		break;
	}
	if (r.bad) {
		snprintf(why, whylen, "message type %u is truncated",
		    (unsigned)hdr[0]);
		return -1;
	}
	if (r.off != r.len) {
		snprintf(why, whylen, "message type %u has %zu extra bytes",
		    (unsigned)hdr[0], r.len - r.off);
		return -1;
	}
	*used = IPC_HDR_LEN + hdr[1];
	return 1;
}
