/*
 * worker.c - the process forked for one client: it reads, the master writes.
 *
 * The worker reads its client's socket, frames and parses each line with
 * proto/, keeps the session (dialect, hello, token, rate limit) and sends
 * every command, or the error to report, to the master.  It never writes to
 * the client: the master does, so that every client sees one history.  A
 * crash here costs only this client.
 *
 * The spawner (spawner.c) forks it before it is needed; it waits idle
 * until the master hands it a client, and again after each client whose
 * session ended in order, until the master lets it go (--worker-uses).
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "server.h"

#define WORKER_READ_MAX 4096

enum worker_state {
	WORKER_START,      /* nothing said yet: the dialect is unknown */
	WORKER_V1_PENDING, /* v1, no accepted hello yet */
	WORKER_V1,
	WORKER_CLASSIC
};

struct worker {
	const struct options *opt;
	struct logger *log;
	int fd;
	int ipc;
	int cid;
	int tcp;
	enum worker_state state;
	int done; /* stop reading: quit sent, or refused for good */
	struct proto_framer fr;
	struct ratelimit rl;
	/* Messages from one read go to the master in as few writes as fit. */
	unsigned char out[4 * IPC_MSG_MAX];
	size_t outlen;
};

static void worker_detach(const struct worker_args *);
static void worker_start_wait(struct worker *);
static void worker_serve(struct worker *);
static void worker_reopen(struct logger *);
static void worker_bad_start(struct worker *, int, const char *)
    __attribute__((noreturn));
static void worker_send(struct worker *, const struct ipc_msg *);
static void worker_flush(struct worker *);
static void worker_exit(struct worker *, int) __attribute__((noreturn));
static void worker_send_err(struct worker *, int, enum proto_err, int,
    const char *, ...) __attribute__((format(printf, 5, 6)));
static void worker_send_cmd(
    struct worker *, int, const struct proto_cmd *, int);
static void worker_bye(struct worker *, int);
static void worker_why(char *, size_t, const char *);
static void worker_line(struct worker *, const char *, size_t);
static void worker_too_long(struct worker *);
static int worker_start(struct worker *, const char *, size_t);
static void worker_hello(struct worker *, const char *, size_t);
static void worker_v1(struct worker *, const char *, size_t);
static void worker_classic(struct worker *, const char *, size_t);
static int worker_secret_eq(const char *, const char *);
static void worker_control(struct worker *);

/*
 * A new worker holds the spawner's descriptors, not the master's: it
 * keeps its socketpair and the log, and dies with the master (its parent:
 * the spawner forks with CLONE_PARENT).
 */
static void
worker_detach(const struct worker_args *wa)
{
	int keep[2];

	/* Die with the master (SIGKILL: the spawner left TERM, INT, HUP and
	 * QUIT ignored); if it is already gone, go now. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
		log_set_role(wa->log, "idle worker");
		log_error(
		    wa->log, "prctl PR_SET_PDEATHSIG: %s", strerror(errno));
		_exit(1);
	}
	if (getppid() != wa->master)
		_exit(0);
	keep[0] = wa->ipc;
	keep[1] = wa->log->fd;
	fds_close_others(keep, 2);
	prctl(PR_SET_NAME, "turtled-idle");
}

/* SIGHUP passed on by the master: the log file was rotated. */
static void
worker_reopen(struct logger *log)
{
	char *cause;

	if (log_reopen(log, &cause) != 0) {
		log_error(log, "%s", cause);
		free(cause);
	}
}

/*
 * What the master says on the socketpair while a client is served
 * (ipc.h): EOF is "stop now", IPC_CTL_REOPEN is SIGHUP passed on.
 */
static void
worker_control(struct worker *w)
{
	char buf[64];
	ssize_t n, i;

	n = recv(w->ipc, buf, sizeof buf, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		_exit(0);
	for (i = 0; i < n; i++) {
		if (buf[i] != IPC_CTL_REOPEN) {
			log_error(w->log, "master sent control byte 0x%02x",
			    (unsigned char)buf[i]);
			_exit(1);
		}
		worker_reopen(w->log);
	}
}

/* Garbage from our own master: nothing sane to do. */
static void
worker_bad_start(struct worker *w, int fd, const char *why)
{
	log_set_role(w->log, "idle worker");
	log_error(w->log, "bad start message from the master (%s)", why);
	if (fd != -1)
		close(fd);
	_exit(1);
}

/*
 * Idle until the master hands over a client: one ipc_start, with the
 * client's socket attached.  The master closing the socketpair first
 * means this worker is not needed.  A worker that served a client before
 * may find reopen bytes first, sent before the master knew the client was
 * gone; the stream may join them to the start message, so they are taken
 * off its front.
 */
static void
worker_start_wait(struct worker *w)
{
	struct ipc_start st;
	unsigned char buf[sizeof st];
	size_t got = 0, nfd;
	ssize_t n;
	int fd = -1, f, lost;

	while (got < sizeof st) {
		n = fds_recv(
		    w->ipc, buf + got, sizeof st - got, &f, 1, &nfd, &lost, 0);
		/* Closed (reset if it had not read all we sent): not
		 * needed any more. */
		if ((n == 0 || (n == -1 && errno == ECONNRESET)) && got == 0 &&
		    fd == -1)
			_exit(0);
		if (n <= 0)
			worker_bad_start(w, fd,
			    n == 0 ? "closed half way" : strerror(errno));
		if (lost || (nfd == 1 && fd != -1)) {
			if (nfd == 1)
				close(f);
			worker_bad_start(w, fd, "descriptors lost or extra");
		}
		if (nfd == 1)
			fd = f;
		got += (size_t)n;
		while (got > 0 && buf[0] == IPC_CTL_REOPEN) {
			worker_reopen(w->log);
			memmove(buf, buf + 1, --got);
		}
	}
	memcpy(&st, buf, sizeof st);
	if (fd == -1 || st.magic != IPC_START_MAGIC || st.cid < 1)
		worker_bad_start(w, fd, "bad fields");
	w->fd = fd;
	w->cid = st.cid;
	w->tcp = st.tcp != 0;
}

/* The master gone (EPIPE) means there is nobody left to work for. */
static void
worker_flush(struct worker *w)
{
	size_t off = 0;
	ssize_t n;

	while (off < w->outlen) {
		n = write(w->ipc, w->out + off, w->outlen - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			_exit(0);
		}
		off += (size_t)n;
	}
	w->outlen = 0;
}

static void
worker_send(struct worker *w, const struct ipc_msg *msg)
{
	size_t len;

	/* Into what room is left; if it does not fit, after a flush. */
	len = ipc_encode(msg, w->out + w->outlen, sizeof w->out - w->outlen);
	if (len == 0 && w->outlen != 0) {
		worker_flush(w);
		len = ipc_encode(msg, w->out, sizeof w->out);
	}
	if (len == 0) {
		log_error(
		    w->log, "cannot encode message type %d", (int)msg->type);
		worker_exit(w, 1);
	}
	w->outlen += len;
}

/* Whatever is queued still goes: a quit must reach the master. */
static void
worker_exit(struct worker *w, int status)
{
	worker_flush(w);
	_exit(status);
}

static void
worker_send_err(struct worker *w, int dialect, enum proto_err err, int flags,
    const char *fmt, ...)
{
	struct ipc_msg msg;
	char tmp[PROTO_WHY_MAX];
	va_list ap;

	memset(&msg, 0, sizeof msg);
	msg.type = IPC_TYPE_CMD;
	msg.dialect = dialect;
	msg.err = err;
	msg.flags = flags;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	worker_why(msg.why, sizeof msg.why, tmp);
	worker_send(w, &msg);
}

/* A parser's sentence may quote the client: only clean text goes. */
static void
worker_why(char *out, size_t len, const char *why)
{
	if (proto_text_valid(why, strlen(why)) == 0)
		util_strlcpy(out, why, len);
	else
		proto_text_escape(out, len, why, strlen(why));
}

/* A command, or with err set the parse error the master should report. */
static void
worker_send_cmd(
    struct worker *w, int dialect, const struct proto_cmd *cmd, int flags)
{
	struct ipc_msg msg;

	memset(&msg, 0, sizeof msg);
	msg.type = IPC_TYPE_CMD;
	msg.dialect = dialect;
	msg.err = PROTO_OK;
	msg.flags = flags;
	msg.has_cmd = 1;
	msg.cmd = *cmd;
	/* Secrets stay here: the master only needs the verdict. */
	msg.cmd.token[0] = '\0';
	msg.cmd.admin[0] = '\0';
	worker_send(w, &msg);
}

static void
worker_bye(struct worker *w, int reason)
{
	struct ipc_msg msg;

	memset(&msg, 0, sizeof msg);
	msg.type = IPC_TYPE_BYE;
	msg.reason = reason;
	worker_send(w, &msg);
	w->done = 1;
}

/*
 * a and b are PROTO_TOKEN_MAX + 1 byte buffers (a hello's token= or
 * admin=, an option's secret): compared in a time that says nothing of
 * either, neither of their bytes nor of their lengths.
 */
static int
worker_secret_eq(const char *a, const char *b)
{
	return common_secret_equal(a, b, PROTO_TOKEN_MAX + 1);
}

/* The first non-empty line decides the dialect.  0 to go on, -1 if done. */
static int
worker_start(struct worker *w, const char *line, size_t len)
{
	struct ipc_msg msg;

	if (proto_dialect_detect(line, len) == PROTO_DIALECT_V1) {
		w->state = WORKER_V1_PENDING;
		return 0;
	}
	if (w->tcp && w->opt->token[0] != '\0') {
		/* The classic dialect has no way to carry a token.  The
		 * master logs refusals, per source and burst. */
		worker_send_err(w, PROTO_DIALECT_CLASSIC, PROTO_ERR_AUTH,
		    IPC_F_CLOSE, "this server needs a token: use hello 1");
		w->done = 1;
		return -1;
	}
	memset(&msg, 0, sizeof msg);
	msg.type = IPC_TYPE_JOIN;
	msg.dialect = PROTO_DIALECT_CLASSIC;
	worker_send(w, &msg);
	w->state = WORKER_CLASSIC;
	return 0;
}

static void
worker_hello(struct worker *w, const char *line, size_t len)
{
	struct proto_cmd cmd;
	char why[PROTO_WHY_MAX];
	enum proto_err err;
	int flags = 0;

	err = proto_parse_command(line, len, &cmd, why, sizeof why);
	if (err == PROTO_OK && cmd.type == PROTO_CMD_QUIT) {
		/* Leaving needs no hello. */
		worker_send_cmd(w, PROTO_DIALECT_V1, &cmd, 0);
		w->done = 1;
		return;
	}
	if (err == PROTO_OK && cmd.type != PROTO_CMD_HELLO) {
		err = PROTO_ERR_HELLO;
		snprintf(why, sizeof why, "say hello %d first", PROTO_VERSION);
	}
	if (err == PROTO_OK && cmd.version != PROTO_VERSION) {
		err = PROTO_ERR_VERSION;
		snprintf(why, sizeof why,
		    "this server speaks version %d, not %d", PROTO_VERSION,
		    cmd.version);
	}
	if (err != PROTO_OK) {
		worker_send_err(w, PROTO_DIALECT_V1, err, 0, "%s", why);
		return;
	}
	if (w->tcp && w->opt->token[0] != '\0' &&
	    !worker_secret_eq(cmd.token, w->opt->token)) {
		worker_send_err(w, PROTO_DIALECT_V1, PROTO_ERR_AUTH,
		    IPC_F_CLOSE, "%s",
		    cmd.token[0] == '\0' ? "this server needs token=SECRET"
					 : "wrong token");
		w->done = 1;
		return;
	}
	if (w->opt->admin_token[0] != '\0' && cmd.admin[0] != '\0' &&
	    worker_secret_eq(cmd.admin, w->opt->admin_token))
		flags |= IPC_F_ADMIN;
	if (cmd.watcher)
		flags |= IPC_F_WATCH;
	worker_send_cmd(w, PROTO_DIALECT_V1, &cmd, flags);
	w->state = WORKER_V1;
}

static void
worker_v1(struct worker *w, const char *line, size_t len)
{
	struct ipc_msg msg;
	struct proto_cmd cmd;
	char why[PROTO_WHY_MAX];
	enum proto_err err;

	err = proto_parse_command(line, len, &cmd, why, sizeof why);
	if (err == PROTO_OK && cmd.type == PROTO_CMD_HELLO) {
		err = PROTO_ERR_HELLO;
		snprintf(why, sizeof why, "hello was already said");
	}
	if (err != PROTO_OK && err != PROTO_ERR_UNKNOWN_COMMAND &&
	    err != PROTO_ERR_USAGE) {
		worker_send_err(w, PROTO_DIALECT_V1, err, 0, "%s", why);
		return;
	}
	/* The line goes too: what no command takes may be Logo, and inside
	 * a definition every line is (only the master knows which).  Only
	 * clean text may be Logo; the master never sees the rest. */
	memset(&msg, 0, sizeof msg);
	msg.type = IPC_TYPE_CMD;
	msg.dialect = PROTO_DIALECT_V1;
	msg.err = err;
	if (len <= PROTO_LINE_MAX && proto_text_valid(line, len) == 0) {
		memcpy(msg.line, line, len);
		msg.line[len] = '\0';
	} else if (err == PROTO_ERR_UNKNOWN_COMMAND) {
		worker_send_err(w, PROTO_DIALECT_V1, PROTO_ERR_BAD_TEXT, 0,
		    "a line must be UTF-8 text without control, "
		    "bidirectional or invisible characters");
		return;
	}
	if (err != PROTO_OK) {
		worker_why(msg.why, sizeof msg.why, why);
	} else {
		msg.has_cmd = 1;
		msg.cmd = cmd;
	}
	worker_send(w, &msg);
	if (err == PROTO_OK && cmd.type == PROTO_CMD_QUIT)
		w->done = 1;
}

static void
worker_classic(struct worker *w, const char *line, size_t len)
{
	struct proto_cmd cmd;
	struct ipc_msg msg;
	enum proto_err err;

	err = proto_classic_parse(line, len, &cmd);
	if (err == PROTO_OK) {
		worker_send_cmd(w, PROTO_DIALECT_CLASSIC, &cmd, 0);
		if (cmd.type == PROTO_CMD_QUIT)
			w->done = 1;
		return;
	}
	/* The classic reply to an error may depend on the command. */
	memset(&msg, 0, sizeof msg);
	msg.type = IPC_TYPE_CMD;
	msg.dialect = PROTO_DIALECT_CLASSIC;
	msg.err = err;
	msg.has_cmd = err != PROTO_ERR_UNKNOWN_COMMAND;
	msg.cmd = cmd;
	msg.cmd.text[0] = '\0';
	snprintf(msg.why, sizeof msg.why, "%s", proto_err_word(err));
	worker_send(w, &msg);
}

static void
worker_line(struct worker *w, const char *line, size_t len)
{
	if (w->state == WORKER_START && worker_start(w, line, len) != 0)
		return;
	if (ratelimit_take(&w->rl, common_now_ms()) != 0) {
		log_debug(w->log, "rate limited");
		worker_send_err(w,
		    w->state == WORKER_CLASSIC ? PROTO_DIALECT_CLASSIC
					       : PROTO_DIALECT_V1,
		    PROTO_ERR_RATE, 0, "more than %u commands a second",
		    w->opt->rate);
		return;
	}
	switch (w->state) {
	case WORKER_V1_PENDING:
		worker_hello(w, line, len);
		break;
	case WORKER_V1:
		worker_v1(w, line, len);
		break;
	case WORKER_CLASSIC:
		worker_classic(w, line, len);
		break;
	case WORKER_START:
		break;
	}
}

static void
worker_too_long(struct worker *w)
{
	/* An over-long first line is not "hello N", so it is classic. */
	if (w->state == WORKER_START && worker_start(w, "", 0) != 0)
		return;
	log_debug(w->log, "line too long");
	worker_send_err(w,
	    w->state == WORKER_CLASSIC ? PROTO_DIALECT_CLASSIC
				       : PROTO_DIALECT_V1,
	    PROTO_ERR_TOO_LONG, 0, "a line may have at most %d bytes",
	    PROTO_LINE_MAX);
}

/*
 * One client, from its first byte to its last message: quit, EOF, or a
 * refusal that closes.  After that message the worker sends nothing more
 * for this client (the master counts on it: ipc.h), lets go of the socket
 * and is idle again.
 */
static void
worker_serve(struct worker *w)
{
	struct pollfd pfd[2];
	char buf[WORKER_READ_MAX];
	const char *data, *line;
	size_t len, linelen;
	enum proto_frame fr;
	ssize_t n;
	int ready;

	w->done = 0;
	w->state = WORKER_START;
	prctl(PR_SET_NAME, "turtled");
	log_set_worker(w->log, w->cid);
	proto_framer_init(&w->fr);
	ratelimit_init(&w->rl, w->opt->rate, w->opt->burst, common_now_ms());

	/* The first line is usually there already: read before waiting. */
	ready = 1;
	while (!w->done) {
		if (!ready) {
			pfd[0].fd = w->fd;
			pfd[0].events = POLLIN;
			pfd[1].fd = w->ipc;
			pfd[1].events = POLLIN;
			if (poll(pfd, 2, -1) == -1) {
				if (errno == EINTR)
					continue;
				log_error(w->log, "poll: %s", strerror(errno));
				worker_exit(w, 1);
			}
			if (pfd[1].revents != 0)
				worker_control(w);
			if (pfd[0].revents == 0)
				continue;
		}
		/* The socket is non-blocking: the master set it so. */
		n = read(w->fd, buf, sizeof buf);
		ready = 0;
		if (n == -1 &&
		    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			continue;
		if (n <= 0) {
			if (n == -1)
				log_debug(w->log, "read: %s", strerror(errno));
			worker_bye(w, IPC_BYE_EOF);
			break;
		}
		/* A full buffer: more is likely waiting. */
		ready = (size_t)n == sizeof buf;
		data = buf;
		len = (size_t)n;
		while (!w->done) {
			fr = proto_framer_next(
			    &w->fr, &data, &len, &line, &linelen);
			if (fr == PROTO_FRAME_MORE)
				break;
			if (fr == PROTO_FRAME_TOOLONG)
				worker_too_long(w);
			else
				worker_line(w, line, linelen);
		}
		if (!w->done)
			worker_flush(w);
	}
	/* Our copy first, so that no idle worker holds a client's socket. */
	close(w->fd);
	w->fd = -1;
	prctl(PR_SET_NAME, "turtled-idle");
	worker_flush(w);
}

void
worker_main(const struct worker_args *wa)
{
	struct worker w;

	worker_detach(wa);
	/* Field by field: every stack page touched here is a page copied. */
	w.outlen = 0;
	w.opt = wa->opt;
	w.log = wa->log;
	w.ipc = wa->ipc;
	w.fd = -1;
	for (;;) {
		worker_start_wait(&w);
		worker_serve(&w);
	}
}
