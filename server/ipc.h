/*
 * ipc.h - the framing between turtled's master and its workers.
 *
 * A worker reads its client's socket, frames and parses the lines and sends
 * each command (or the error to report) to the master over its socketpair.
 * The master first writes to a worker struct ipc_start, which hands an idle
 * worker its client (the socket travels as SCM_RIGHTS).  After that it says
 * two things: closing the socketpair means "stop now", and the single byte
 * IPC_CTL_REOPEN means "reopen the log file" (SIGHUP: the worker ignores
 * signals, its life is the master's).  Any other byte from the master is a
 * bug and the worker exits.
 *
 * A worker's last message for a client is a BYE, a quit command or an error
 * with IPC_F_CLOSE: it sends nothing after it, lets go of the socket and
 * waits for the next ipc_start, so the master may give it another client.
 *
 * Every message is a header followed by its payload:
 *
 *	struct ipc_hdr { uint16_t type; uint16_t len; }   4 bytes
 *	payload                                           len bytes
 *
 * Both ends are one forked binary, so numbers are in host byte order.  len is
 * at most IPC_PAYLOAD_MAX.  A payload is a sequence of fields read with a
 * cursor: u8, i32, and str (u16 length, then the bytes, no NUL).  The reader
 * needs every field present, in range and valid, and no byte left over.
 *
 * Trust: the bytes come from our own code, but that code parsed a stranger's
 * input.  A message that breaks these rules means the worker is broken, so
 * the master kills that worker (and only that worker) and drops its client.
 *
 * Change IPC_TYPE_* numbers or layouts only together with both ends (they
 * are always the same binary, so there is no version to negotiate).
 */
#ifndef TURTLED_IPC_H
#define TURTLED_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define IPC_HDR_LEN     4
#define IPC_PAYLOAD_MAX 2048
#define IPC_MSG_MAX     (IPC_HDR_LEN + IPC_PAYLOAD_MAX)

enum ipc_type {
	/*
	 * The connection speaks the classic dialect (its first line was not
	 * "hello N").  u8 dialect, always PROTO_DIALECT_CLASSIC.  A v1
	 * connection joins with its hello command instead.
	 */
	IPC_TYPE_JOIN = 1,
	/*
	 * One command line, parsed:
	 *   u8 dialect, u8 err (enum proto_err), u8 flags (IPC_F_*),
	 *   u8 cmd type (IPC_CMD_NONE when the line gave no command),
	 *   i32 dx, i32 dy, i32 version, u8 pen_down, u8 color,
	 *   str name (<= PROTO_NAME_MAX), str text (<= PROTO_TEXT_MAX),
	 *   str why (< PROTO_WHY_MAX: the sentence of err, "" when PROTO_OK),
	 *   str line (<= PROTO_LINE_MAX: a v1 session's line as typed, for
	 *   Logo: a line no command takes, or any line while a definition
	 *   is open, is Logo's; "" in the classic dialect and for hello)
	 */
	IPC_TYPE_CMD = 2,
	/* The client went away.  u8 reason (IPC_BYE_*). */
	IPC_TYPE_BYE = 3
};

#define IPC_F_ADMIN 0x1 /* hello: admin=SECRET matched --admin-token */
#define IPC_F_CLOSE 0x2 /* close the connection after the error reply */
#define IPC_F_WATCH 0x4 /* hello: role=watcher */
#define IPC_F_ALL   (IPC_F_ADMIN | IPC_F_CLOSE | IPC_F_WATCH)

#define IPC_CMD_NONE 0xff

#define IPC_CTL_REOPEN 'r' /* master -> worker: reopen the log file */

enum ipc_bye { IPC_BYE_EOF, IPC_BYE_ERROR, IPC_BYE__COUNT };

struct ipc_msg {
	enum ipc_type type;
	int dialect;        /* JOIN, CMD: enum proto_dialect */
	enum proto_err err; /* CMD */
	int flags;          /* CMD: IPC_F_* */
	int has_cmd;        /* CMD: cmd is meaningful */
	struct proto_cmd cmd;
	char why[PROTO_WHY_MAX];       /* CMD */
	char line[PROTO_LINE_MAX + 1]; /* CMD */
	int reason;                    /* BYE: enum ipc_bye */
};

/*
 * Encodes msg into buf (IPC_MSG_MAX is always enough).  Returns the byte
 * count, or 0 if a field is out of range (a bug in the caller).
 */
size_t ipc_encode(const struct ipc_msg *, unsigned char *buf, size_t cap);
/*
 * Decodes the first message in buf[0..len).  Returns 1 with *msg filled and
 * *used set, 0 if more bytes are needed, or -1 if the bytes are not a valid
 * message (why says what was wrong).
 */
int ipc_decode(const unsigned char *buf, size_t len, struct ipc_msg *msg,
    size_t *used, char *why, size_t whylen);

/*
 * The start of a worker's life: it waits idle until the master sends this,
 * one message with the client's socket attached (SCM_RIGHTS, exactly one
 * descriptor).  Anything else is a broken master: the worker exits.
 */
#define IPC_START_MAGIC 0x54525453u /* "STRT" */

struct ipc_start {
	uint32_t magic;
	int32_t cid;
	int32_t tcp; /* 1 for a TCP connection: hello needs the token */
};

/*
 * The master and its spawner (spawner.c) talk over a SOCK_SEQPACKET pair:
 * one struct per message, so there is no framing, and descriptors travel
 * as SCM_RIGHTS.
 *
 *	SPAWN_WORKER  fork n idle workers (1 <= n <= SPAWN_BATCH).  Answered
 *	              by one struct spawn_reply: the n pids, in order, with
 *	              the master's end of each worker's socketpair attached in
 *	              the same order; or n 0 and the errno when not one could
 *	              be forked.
 *	SPAWN_LOG     the log file, reopened, attached: use it from now on.
 *	              No answer.
 */
#define SPAWN_BATCH 4

enum spawn_type { SPAWN_WORKER = 1, SPAWN_LOG = 2 };

struct spawn_request {
	uint32_t type;
	uint32_t n;
};

struct spawn_reply {
	uint32_t n;
	int32_t err;
	int32_t pid[SPAWN_BATCH];
};

#endif
