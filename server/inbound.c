/*
 * inbound.c - what workers send: read, decoded and applied in order.
 *
 * Each worker's socketpair is read in one go into the master's read
 * buffer; whole messages are decoded (ipc.c) and handed to command.c one
 * at a time, and a partial one waits in the client for the rest.  Garbage
 * means the worker is broken: it is killed and only its client goes.
 */
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "server.h"

static int inbound_last(const struct ipc_msg *);
static void inbound_bad_worker(struct master *, struct client *, const char *);
static void inbound_crashed(struct master *, struct client *);

/*
 * Its worker died: the client is told why before the end, unless it
 * speaks the classic dialect, which has no line for it (a line it did not
 * ask for would read as the reply to its next command).
 */
static void
inbound_crashed(struct master *m, struct client *c)
{
	char line[PROTO_OUT_MAX];
	struct proto_buf b;

	if (c->state == CLIENT_CLASSIC)
		return;
	proto_buf_init(&b, line, sizeof line);
	proto_fmt_err(&b, PROTO_ERR_INTERNAL,
	    "the server's process for this connection stopped: "
	    "disconnecting");
	if (proto_fmt_end(&b) == 0)
		output_reply(&m->out, c, b.p, b.len);
}

/* Garbage from a worker: that worker is broken.  Only it goes. */
static void
inbound_bad_worker(struct master *m, struct client *c, const char *why)
{
	log_error(m->log,
	    "worker cid=%d pid=%ld sent a bad message (%s): "
	    "killing it",
	    c->cid, (long)c->w->pid, why);
	kill(c->w->pid, SIGKILL);
	inbound_crashed(m, c);
	c->flags &= ~CLIENT_REUSE;
	client_lose(&m->clients, c, "error", 1);
}

/* A message after which the worker says nothing more of this client. */
static int
inbound_last(const struct ipc_msg *msg)
{
	if (msg->type == IPC_TYPE_BYE)
		return 1;
	if (msg->type != IPC_TYPE_CMD)
		return 0;
	if (msg->flags & IPC_F_CLOSE)
		return 1;
	return msg->err == PROTO_OK && msg->has_cmd &&
	       msg->cmd.type == PROTO_CMD_QUIT;
}

/*
 * Decodes and applies the messages in buf[0..len).  A client whose Logo
 * line is in flight (CLIENT_BUSY) is not read on: the rest waits in
 * c->held until inbound_resume().
 */
static void
inbound_feed(struct master *m, struct client *c, unsigned char *buf, size_t len)
{
	struct ipc_msg msg;
	char why[PROTO_WHY_MAX];
	size_t off = 0, used;
	int r;

	while (!(c->flags & CLIENT_LOST) && m->stop_reason == NULL) {
		if (c->flags & CLIENT_BUSY) {
			if (off < len) {
				c->held = malloc(len - off);
				if (c->held == NULL) {
					inbound_bad_worker(m, c, "no memory");
					return;
				}
				memcpy(c->held, buf + off, len - off);
				c->heldlen = len - off;
			}
			event_del(c->ev_ipc);
			return;
		}
		why[0] = '\0';
		r = ipc_decode(
		    buf + off, len - off, &msg, &used, why, sizeof why);
		if (r == 0)
			break;
		if (r < 0) {
			inbound_bad_worker(m, c, why);
			return;
		}
		/* Its last message, last in the stream: the worker is free
		 * once the client is lost (ipc.h). */
		if (inbound_last(&msg) && off + used == len)
			c->flags |= CLIENT_REUSE;
		r = command_dispatch(m, c, &msg, why, sizeof why);
		if (r < 0) {
			inbound_bad_worker(m, c, why);
			return;
		}
		if (r > 0) {
			/* Not now (a Logo line's last try holds the turtle):
			 * this message waits with the rest. */
			c->flags &= ~CLIENT_REUSE;
			c->flags |= CLIENT_BUSY | CLIENT_HELD;
			continue;
		}
		off += used;
		if ((c->flags & CLIENT_REUSE) && !(c->flags & CLIENT_LOST))
			client_lose(&m->clients, c, "error", 1);
	}
	if (c->flags & CLIENT_LOST)
		return;
	/* Shorter than one message, or ipc_decode would have taken it. */
	memcpy(c->ibuf, buf + off, len - off);
	c->ilen = len - off;
}

void
inbound_cb(int fd, short what, void *arg)
{
	struct client *c = arg;
	struct master *m = c->m;
	unsigned char *buf = m->rbuf;
	size_t len;
	ssize_t n;

	(void)what;
	/* A stop was asked for: nothing more is applied before it. */
	if ((c->flags & (CLIENT_LOST | CLIENT_BUSY)) || m->stop_reason != NULL)
		return;
	/* What is left of a partial message goes in front of the new bytes. */
	memcpy(buf, c->ibuf, c->ilen);
	/* Both ends block; only our reads must not (the worker's writes do:
	 * that is its backpressure). */
	n = recv(fd, buf + c->ilen, OUTPUT_RBUF_MAX - c->ilen, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* No bye first: the worker died under its client, unless
		 * we are stopping and it went because we told it to. */
		if (!m->stopping)
			inbound_crashed(m, c);
		client_lose(
		    &m->clients, c, m->stopping ? "shutdown" : "crash", 1);
		return;
	}
	len = c->ilen + (size_t)n;
	c->ilen = 0;
	inbound_feed(m, c, buf, len);
}

/* c's Logo line is done: what it sent meanwhile is applied, then it is
 * read again. */
void
inbound_resume(struct master *m, struct client *c)
{
	unsigned char *held = c->held;
	size_t len = c->heldlen;

	c->held = NULL;
	c->heldlen = 0;
	if (held != NULL) {
		/* ibuf is empty: a partial message was held with the rest. */
		memcpy(m->rbuf, held, len);
		free(held);
		inbound_feed(m, c, m->rbuf, len);
	}
	if ((c->flags & (CLIENT_LOST | CLIENT_BUSY)) || m->stop_reason != NULL)
		return;
	if (event_add(c->ev_ipc, NULL) != 0)
		client_lose(&m->clients, c, "error", 1);
}
