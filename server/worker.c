/*
 * worker.c - the process forked for one client: it reads, the master writes.
 *
 * The worker reads its client's socket, frames and parses each line with
 * proto/, keeps the session (dialect, hello, token, rate limit) and sends
 * every command, or the error to report, to the master.  It never writes to
 * the client: the master does, so that every client sees one history.  A
 * crash here costs only this client.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/* Messages from one read go to the master in one write. */
	unsigned char out[4 * IPC_MSG_MAX];
	size_t outlen;
};

static void worker_detach(const struct worker_args *);
static void worker_close_range(int, int);
static void worker_close_others(int, int, int);
static void worker_send(struct worker *, const struct ipc_msg *);
static void worker_flush(struct worker *);
static void worker_exit(struct worker *, int) __attribute__((noreturn));
static void worker_send_err(struct worker *, int, enum proto_err, int,
    const char *, ...) __attribute__((format(printf, 5, 6)));
static void worker_send_cmd(
    struct worker *, int, const struct proto_cmd *, int);
static void worker_bye(struct worker *, int) __attribute__((noreturn));
static void worker_line(struct worker *, const char *, size_t);
static void worker_too_long(struct worker *);
static int worker_start(struct worker *, const char *, size_t);
static void worker_hello(struct worker *, const char *, size_t);
static void worker_v1(struct worker *, const char *, size_t);
static void worker_classic(struct worker *, const char *, size_t);
static int worker_secret_eq(const char *, const char *);
static void worker_control(struct worker *);

/*
 * Undoes what the master's process state would do here: its signal
 * handlers (libevent's would wake the master), its descriptors (listeners,
 * other clients' sockets, the event loop's own).
 */
static void
worker_detach(const struct worker_args *wa)
{
	/*
	 * A signal to the whole process group (^C in the terminal that
	 * started a foreground server) is for the master: it stops every
	 * worker itself by closing the socketpairs, in order, so a worker
	 * killed first would look like a crash.
	 */
	static const int ign[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof ign / sizeof ign[0]; i++)
		sigaction(ign[i], &sa, NULL);
	/* SIGPIPE stays ignored, as in the master: EPIPE is how we learn. */

	/* Die with the master (SIGKILL: the others are ignored); if it is
	 * already gone, go now. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) {
		log_error(
		    wa->log, "prctl PR_SET_PDEATHSIG: %s", strerror(errno));
		_exit(1);
	}
	if (getppid() != wa->master)
		_exit(0);

	worker_close_others(wa->fd, wa->ipc, wa->log->fd);
	sigprocmask(SIG_SETMASK, wa->mask, NULL);
}

/*
 * What the master says on the socketpair (ipc.h): EOF is "stop now",
 * IPC_CTL_REOPEN is SIGHUP passed on.
 */
static void
worker_control(struct worker *w)
{
	char buf[64], *cause;
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
		if (log_reopen(w->log, &cause) != 0) {
			log_error(w->log, "%s", cause);
			free(cause);
		}
	}
}

/* Closes lo..hi; the loop is for kernels without close_range(). */
static void
worker_close_range(int lo, int hi)
{
	struct rlimit rl;
	long fd, max = 65536;

	if (lo > hi)
		return;
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = (long)rl.rlim_cur;
	for (fd = lo; fd <= hi && fd < max; fd++)
		close((int)fd);
}

/* Closes every descriptor above stderr except the three given. */
static void
worker_close_others(int a, int b, int c)
{
	int keep[3] = {a, b, c}, t, lo = STDERR_FILENO + 1;
	size_t i, j;

	for (i = 0; i < 3; i++) {
		for (j = i + 1; j < 3; j++) {
			if (keep[j] < keep[i]) {
				t = keep[i];
				keep[i] = keep[j];
				keep[j] = t;
			}
		}
	}
	for (i = 0; i < 3; i++) {
		if (keep[i] < lo)
			continue;
		worker_close_range(lo, keep[i] - 1);
		lo = keep[i] + 1;
	}
	worker_close_range(lo, INT_MAX);
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

	if (sizeof w->out - w->outlen < IPC_MSG_MAX)
		worker_flush(w);
	len = ipc_encode(msg, w->out + w->outlen, sizeof w->out - w->outlen);
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
	/* A parser's sentence may quote the client: only clean text goes. */
	if (proto_text_valid(tmp, strlen(tmp)) == 0)
		util_strlcpy(msg.why, tmp, sizeof msg.why);
	else
		proto_text_escape(msg.why, sizeof msg.why, tmp, strlen(tmp));
	worker_send(w, &msg);
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
	worker_exit(w, 0);
}

/* Compares without an early exit, so timing says nothing of the secret. */
static int
worker_secret_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = la != lb;

	for (i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
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
		/* The classic dialect has no way to carry a token. */
		log_info(w->log, "classic client without a token refused");
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
		log_info(w->log, "hello with %s token refused",
		    cmd.token[0] == '\0' ? "no" : "a wrong");
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
	worker_send_cmd(w, PROTO_DIALECT_V1, &cmd, flags);
	w->state = WORKER_V1;
}

static void
worker_v1(struct worker *w, const char *line, size_t len)
{
	struct proto_cmd cmd;
	char why[PROTO_WHY_MAX];
	enum proto_err err;

	err = proto_parse_command(line, len, &cmd, why, sizeof why);
	if (err == PROTO_OK && cmd.type == PROTO_CMD_HELLO) {
		err = PROTO_ERR_HELLO;
		snprintf(why, sizeof why, "hello was already said");
	}
	if (err != PROTO_OK) {
		worker_send_err(w, PROTO_DIALECT_V1, err, 0, "%s", why);
		return;
	}
	worker_send_cmd(w, PROTO_DIALECT_V1, &cmd, 0);
	if (cmd.type == PROTO_CMD_QUIT)
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
	if (ratelimit_take(&w->rl, util_now_ms()) != 0) {
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

void
worker_main(const struct worker_args *wa)
{
	struct worker w;
	struct pollfd pfd[2];
	char buf[WORKER_READ_MAX];
	const char *data, *line;
	size_t len, linelen;
	enum proto_frame fr;
	ssize_t n;

	/* First, so that even a failure in worker_detach() says who. */
	log_set_role(wa->log, "worker cid=%d", wa->cid);
	worker_detach(wa);
	/* Field by field: every page touched here is a page copied. */
	w.done = 0;
	w.outlen = 0;
	w.opt = wa->opt;
	w.log = wa->log;
	w.fd = wa->fd;
	w.ipc = wa->ipc;
	w.cid = wa->cid;
	w.tcp = wa->tcp;
	w.state = WORKER_START;
	proto_framer_init(&w.fr);
	ratelimit_init(&w.rl, w.opt->rate, w.opt->burst, util_now_ms());

	while (!w.done) {
		pfd[0].fd = w.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = w.ipc;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_error(w.log, "poll: %s", strerror(errno));
			worker_exit(&w, 1);
		}
		if (pfd[1].revents != 0)
			worker_control(&w);
		if (pfd[0].revents == 0)
			continue;
		/* The socket is non-blocking: the master set it so. */
		n = read(w.fd, buf, sizeof buf);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				continue;
			log_debug(w.log, "read: %s", strerror(errno));
			worker_bye(&w, IPC_BYE_EOF);
		}
		if (n == 0)
			worker_bye(&w, IPC_BYE_EOF);
		data = buf;
		len = (size_t)n;
		while (!w.done) {
			fr = proto_framer_next(
			    &w.fr, &data, &len, &line, &linelen);
			if (fr == PROTO_FRAME_MORE)
				break;
			if (fr == PROTO_FRAME_TOOLONG)
				worker_too_long(&w);
			else
				worker_line(&w, line, linelen);
		}
		worker_flush(&w);
	}
	worker_exit(&w, 0);
}
