/*
 * headless.c - turtle without a screen: the script runner (-c 'CMDS' and
 * commands on stdin), and the blocking connection it runs on.
 *
 * Scripts run one command at a time: send it, print its reply, stop at the
 * first error so a script never goes on from a state it did not expect.
 * The connection is blocking with a deadline on every wait.  --watch
 * (watch.c) connects and reads the snapshot the same way, then hands the
 * socket to a libevent loop.
 */
#include "tui.h"

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The longest the server may take to answer one command. */
#define HEADLESS_REPLY_MS 10000
/* After the last command: the polite quit may wait this long. */
#define HEADLESS_QUIT_MS 2000
/* "err rate": try again after a pause, up to this long in all. */
#define HEADLESS_RATE_MS 10000

/* A value escaped for the terminal: every byte may become four. */
#define HEADLESS_VALUE_MAX (PROTO_OUT_MAX * 4 + 1)

static void headless_cause(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static const char *headless_value(
    const struct proto_msg *, const char *, char *, size_t);
static int headless_send(struct headless *, const char *, char *, size_t);
static int headless_read(
    struct headless *, struct proto_msg *, uint64_t, char *, size_t);
static void headless_print_reply(const struct proto_msg *);
static void headless_print_fields(const struct proto_msg *);
static void headless_track(struct headless *, const struct proto_msg *);
static int headless_wait_turn(struct headless *, uint64_t);
static int headless_command(struct headless *, const char *);
static int headless_run_line(struct headless *, char *);
static void headless_quit(struct headless *);

static void
headless_cause(char *cause, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, len, fmt, ap);
	va_end(ap);
}

/* One line on stderr, the program's name first. */
void
headless_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fflush(stdout);
	fprintf(stderr, "turtle: %s\n", line);
}

/* A field's value made safe to print ("" when absent). */
static const char *
headless_value(
    const struct proto_msg *m, const char *key, char *out, size_t len)
{
	const char *v = proto_msg_get(m, key);

	if (v == NULL)
		v = "";
	proto_text_escape(out, len, v, strlen(v));
	return out;
}

static int
headless_send(struct headless *h, const char *line, char *cause, size_t len)
{
	char buf[PROTO_LINE_MAX + 2];
	size_t n = strlen(line), off = 0;
	ssize_t w;

	if (n > PROTO_LINE_MAX) {
		headless_cause(cause, len,
		    "command too long: %zu bytes, at most %d", n,
		    PROTO_LINE_MAX);
		return -1;
	}
	memcpy(buf, line, n);
	buf[n++] = '\n';
	while (off < n) {
		w = send(h->fd, buf + off, n - off, MSG_NOSIGNAL);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			headless_cause(cause, len, "writing to %s: %s",
			    h->where, strerror(errno));
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* The first complete line in the input, without its "\n". */
int
headless_take_line(struct headless *h, const char **line, size_t *linelen,
    char *cause, size_t len)
{
	char *nl = memchr(h->in, '\n', h->inlen);

	if (nl == NULL) {
		if (h->inlen >= PROTO_OUT_MAX) {
			headless_cause(cause, len,
			    "%s sent a line over %d bytes", h->where,
			    PROTO_OUT_MAX);
			return HEADLESS_FAIL;
		}
		return HEADLESS_EOF;
	}
	*line = h->in;
	*linelen = (size_t)(nl - h->in);
	if (*linelen >= PROTO_OUT_MAX) {
		headless_cause(cause, len, "%s sent a line over %d bytes",
		    h->where, PROTO_OUT_MAX);
		return HEADLESS_FAIL;
	}
	return HEADLESS_LINE;
}

void
headless_drop_line(struct headless *h, size_t linelen)
{
	size_t used = linelen + 1;

	memmove(h->in, h->in + used, h->inlen - used);
	h->inlen -= used;
}

/*
 * The next server line, parsed.  Waits until deadline (monotonic ms);
 * EOF only when the server closed and nothing is left.
 */
static int
headless_read(struct headless *h, struct proto_msg *m, uint64_t deadline,
    char *cause, size_t len)
{
	const char *line;
	size_t linelen;
	struct pollfd pfd;
	ssize_t n;
	int rc, left;

	for (;;) {
		rc = headless_take_line(h, &line, &linelen, cause, len);
		if (rc == HEADLESS_FAIL)
			return HEADLESS_FAIL;
		if (rc == HEADLESS_LINE) {
			char clean[256];

			if (proto_msg_parse(line, linelen, m) == 0) {
				headless_drop_line(h, linelen);
				headless_track(h, m);
				return HEADLESS_LINE;
			}
			proto_text_escape(clean, sizeof clean, line, linelen);
			headless_cause(cause, len,
			    "%s sent a line that is not v1: %s", h->where,
			    clean);
			return HEADLESS_FAIL;
		}

		left = common_ms_left(deadline);
		if (left <= 0) {
			headless_cause(cause, len,
			    "no answer from %s within %lld seconds", h->where,
			    (long long)HEADLESS_REPLY_MS / 1000);
			return HEADLESS_FAIL;
		}
		pfd.fd = h->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) == -1 && errno != EINTR) {
			headless_cause(cause, len, "poll: %s", strerror(errno));
			return HEADLESS_FAIL;
		}
		if (pfd.revents == 0)
			continue;
		n = read(h->fd, h->in + h->inlen, sizeof h->in - h->inlen);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			headless_cause(cause, len, "reading from %s: %s",
			    h->where, strerror(errno));
			return HEADLESS_FAIL;
		}
		if (n == 0) {
			if (h->inlen > 0) {
				headless_cause(cause, len,
				    "%s closed the connection mid-line",
				    h->where);
				return HEADLESS_FAIL;
			}
			return HEADLESS_EOF;
		}
		h->inlen += (size_t)n;
	}
}

/* Who I am and who holds the turn, from every line that says so. */
static void
headless_track(struct headless *h, const struct proto_msg *m)
{
	long long v;

	if (m->type == PROTO_MSG_OK && strcmp(m->word, "hello") == 0 &&
	    proto_msg_get_int(m, "cid", 0, INT32_MAX, &v) == 0)
		h->cid = (int)v;
	else if (m->type == PROTO_MSG_SNAP && strcmp(m->word, "end") == 0 &&
		 proto_msg_get_int(m, "turn", 0, INT32_MAX, &v) == 0)
		h->turn_cid = (int)v;
	else if (m->type == PROTO_MSG_EVT && strcmp(m->word, "turn") == 0 &&
		 proto_msg_get_int(m, "cid", 0, INT32_MAX, &v) == 0)
		h->turn_cid = (int)v;
}

/*
 * Turns mode and not my turn: reads until the turn is mine, or until
 * deadline (monotonic ms).  0 when it is mine, -1 said on stderr.
 */
static int
headless_wait_turn(struct headless *h, uint64_t deadline)
{
	struct proto_msg *m = &h->msg;
	char cause[512];
	int rc;

	while (h->turn_cid != h->cid || h->cid == 0) {
		if (common_now_ms() >= deadline)
			return -1;
		rc = headless_read(h, m, deadline, cause, sizeof cause);
		if (rc == HEADLESS_FAIL) {
			/* The deadline passing is the caller's to say. */
			if (common_now_ms() >= deadline)
				return -1;
			headless_error("%s", cause);
			return -1;
		}
		if (rc == HEADLESS_EOF) {
			headless_error("%s closed the connection", h->where);
			return -1;
		}
		if (m->type == PROTO_MSG_EVT && h->opts->verbose)
			headless_print_event(m, "", 0, 0);
	}
	return 0;
}

int
headless_connect(struct headless *h, const struct tui_opts *opts)
{
	char *cause = NULL;
	int started;

	memset(h, 0, sizeof *h);
	h->opts = opts;
	h->fd = -1;
	connect_describe(&opts->addr, h->where, sizeof h->where);
	h->fd = connect_client(opts, &started, &cause);
	if (h->fd == -1) {
		headless_error("%s", cause);
		free(cause);
		return -1;
	}
	/* A server that outlives the script is never a surprise. */
	if (started)
		headless_error("started turtled on %s: nothing answered "
			       "there; it keeps running (turtle -c _exit "
			       "stops it)",
		    h->where);
	return 0;
}

/*
 * Says hello and reads the snapshot up to "snap end": a script starts
 * from the current state, and the next line is a reply or a new event.
 */
int
headless_hello(struct headless *h)
{
	const struct tui_opts *opts = h->opts;
	char line[PROTO_LINE_MAX + 1], cause[512];
	char name[PROTO_NAME_MAX * 4 + 1];
	struct proto_msg *m = &h->msg;
	uint64_t deadline;
	int rc, got_hello = 0;

	if (proto_hello_format(
		line, sizeof line, opts->name, opts->token, h->watcher) != 0 ||
	    headless_send(h, line, cause, sizeof cause) == -1) {
		headless_error("%s", cause);
		return -1;
	}
	deadline = common_now_ms() + HEADLESS_REPLY_MS;
	for (;;) {
		rc = headless_read(h, m, deadline, cause, sizeof cause);
		if (rc == HEADLESS_FAIL) {
			headless_error("%s", cause);
			break;
		}
		if (rc == HEADLESS_EOF) {
			headless_error("%s closed the connection", h->where);
			break;
		}
		if (m->type == PROTO_MSG_ERR) {
			headless_print_err(m);
			break;
		}
		if (m->type == PROTO_MSG_OK && strcmp(m->word, "hello") == 0) {
			got_hello = 1;
			if (opts->verbose)
				fprintf(stderr,
				    "turtle: connected to %s as %s\n", h->where,
				    headless_value(
					m, "name", name, sizeof name));
			continue;
		}
		if (got_hello && m->type == PROTO_MSG_SNAP &&
		    strcmp(m->word, "end") == 0)
			return 0;
	}
	return -1;
}

/* "HH:MM:SS sentence", or the evt line itself with --raw. */
void
headless_print_event(
    const struct proto_msg *m, const char *line, size_t len, int raw)
{
	char stamp[16], text[PROTO_TEXT_MAX * 8];
	struct proto_event ev;
	long long when;

	if (raw) {
		/* The protocol escaped it; a broken server may not have. */
		if (proto_text_valid(line, len) == 0)
			printf("%.*s\n", (int)len, line);
		else {
			proto_text_escape(text, sizeof text, line, len);
			printf("%s\n", text);
		}
		return;
	}
	/* A Logo line's drawing: its "turtle" event says what it did. */
	if (m->type == PROTO_MSG_EVT && strcmp(m->word, "path") == 0)
		return;
	/* A history line (snap log) happened at its time=, not now. */
	if (m->type != PROTO_MSG_SNAP ||
	    proto_msg_get_int(m, "time", 0, INT64_MAX, &when) != 0)
		when = time(NULL);
	logfmt_time(stamp, sizeof stamp, (time_t)when);
	if (proto_event_from_msg(m, &ev) == 0) {
		logfmt_event(text, sizeof text, &ev);
		printf("%s %s\n", stamp, text);
	} else {
		proto_text_escape(text, sizeof text, line, len);
		printf("%s unreadable event: %s\n", stamp, text);
	}
}

void
headless_print_err(const struct proto_msg *m)
{
	char msg[HEADLESS_VALUE_MAX];

	headless_value(m, "msg", msg, sizeof msg);
	if (msg[0] == '\0')
		headless_error("%s", m->word);
	else
		headless_error("%s: %s", m->word, msg);
}

/* Every field as key=value, values escaped. */
static void
headless_print_fields(const struct proto_msg *m)
{
	char v[HEADLESS_VALUE_MAX];
	size_t i;

	printf("%s", m->word);
	for (i = 0; i < m->nfields; i++) {
		proto_text_escape(
		    v, sizeof v, m->f[i].val, strlen(m->f[i].val));
		printf(" %s=%s", m->f[i].key, v);
	}
	printf("\n");
}

static void
headless_print_reply(const struct proto_msg *m)
{
	char a[HEADLESS_VALUE_MAX], b[HEADLESS_VALUE_MAX];
	char c[HEADLESS_VALUE_MAX], d[HEADLESS_VALUE_MAX];
	char e[HEADLESS_VALUE_MAX];
	const char *w = m->word;
	long long since;

#define V(buf, key) headless_value(m, key, buf, sizeof buf)
	if (strcmp(w, "run") == 0 || strcmp(w, "home") == 0)
		printf("turtle at <%s:%s>\n", V(a, "x"), V(b, "y"));
	else if (strcmp(w, "where") == 0)
		printf("turtle at <%s:%s> heading %s, pen %s, colour %s\n",
		    V(a, "x"), V(b, "y"), V(c, "heading"), V(d, "pen"),
		    V(e, "color"));
	else if (strcmp(w, "say") == 0)
		printf("said\n");
	else if (strcmp(w, "print") == 0)
		printf("%s%s", V(a, "text"),
		    proto_msg_get(m, "more") != NULL ? "" : "\n");
	else if (strcmp(w, "logo") == 0)
		; /* a Logo line ran: like UCBLogo, nothing to say */
	else if (strcmp(w, "getcid") == 0)
		printf("your cid is %s\n", V(a, "cid"));
	else if (strcmp(w, "who-item") == 0) {
		char t[16] = "?";

		if (proto_msg_get_int(m, "since", 0, INT64_MAX, &since) == 0)
			logfmt_time(t, sizeof t, (time_t)since);
		printf("%4s  %-16s idle %ss, here since %s\n", V(a, "cid"),
		    V(b, "name"), V(c, "idle"), t);
	} else if (strcmp(w, "who") == 0)
		printf("%s connected\n", V(a, "count"));
	else if (strcmp(w, "pen") == 0)
		printf("pen %s\n", V(a, "pen"));
	else if (strcmp(w, "color") == 0)
		printf("colour %s\n", V(a, "color"));
	else if (strcmp(w, "clear") == 0)
		printf("trail cleared\n");
	else if (strcmp(w, "name") == 0) {
		V(a, "name");
		V(b, "given");
		if (b[0] != '\0' && strcmp(a, b) != 0)
			printf("you are now %s (%s is taken)\n", a, b);
		else
			printf("you are now %s\n", a);
	} else if (strcmp(w, "pass") == 0)
		printf("turn passed\n");
	else if (strcmp(w, "help-item") == 0)
		printf("  %-6s %-10s %s\n", V(a, "cmd"), V(b, "args"),
		    V(c, "text"));
	else if (strcmp(w, "help") == 0)
		printf("%s commands\n", V(a, "count"));
	else if (strcmp(w, "quit") == 0)
		printf("bye\n");
	else if (strcmp(w, "_exit") == 0)
		printf("server stopping\n");
	else
		headless_print_fields(m);
#undef V
}

/*
 * Sends one command and prints its reply.  0 when it worked, 1 for an
 * error reply or a lost server, 2 when the session ended (quit, _exit).
 */
static int
headless_command(struct headless *h, const char *cmd)
{
	struct proto_msg *m = &h->msg;
	char cause[512];
	uint64_t deadline, rate_until = 0, turn_until = 0;
	unsigned pause_ms = 50;
	int rc, result = 1;

	if (h->opts->verbose)
		fprintf(stderr, "> %s\n", cmd);
again:
	if (headless_send(h, cmd, cause, sizeof cause) == -1) {
		headless_error("%s", cause);
		goto out;
	}
	deadline = common_now_ms() + HEADLESS_REPLY_MS;
	for (;;) {
		rc = headless_read(h, m, deadline, cause, sizeof cause);
		if (rc == HEADLESS_FAIL) {
			headless_error("%s", cause);
			goto out;
		}
		if (rc == HEADLESS_EOF) {
			headless_error("%s closed the connection", h->where);
			goto out;
		}
		if (m->type == PROTO_MSG_EVT) {
			if (strcmp(m->word, "shutdown") == 0)
				h->saw_shutdown = 1;
			if (h->opts->verbose)
				headless_print_event(m, "", 0, 0);
			continue;
		}
		if (m->type == PROTO_MSG_SNAP)
			continue; /* a resync's snapshot: nothing to print */
		if (m->type == PROTO_MSG_ERR) {
			/* A flood limit passes: wait and try again. */
			if (strcmp(m->word, "rate") == 0) {
				struct timespec ts;

				if (rate_until == 0)
					rate_until =
					    common_now_ms() + HEADLESS_RATE_MS;
				if (common_now_ms() < rate_until) {
					ts.tv_sec = pause_ms / 1000;
					ts.tv_nsec =
					    (long)(pause_ms % 1000) * 1000000;
					nanosleep(&ts, NULL);
					if (pause_ms < 1000)
						pause_ms *= 2;
					goto again;
				}
			}
			/*
			 * Turns mode: wait for the turn, as a person would,
			 * then send the command again.
			 */
			if (strcmp(m->word, "not-your-turn") == 0 &&
			    h->opts->turn_wait > 0) {
				if (turn_until == 0) {
					turn_until =
					    common_now_ms() +
					    (uint64_t)h->opts->turn_wait * 1000;
					headless_error("waiting up to %d s for "
						       "the turn",
					    h->opts->turn_wait);
				}
				if (headless_wait_turn(h, turn_until) == 0)
					goto again;
				headless_error("not-your-turn: waited %d s "
					       "for the turn (--turn-timeout)",
				    h->opts->turn_wait);
				goto out;
			}
			headless_print_err(m);
			goto out;
		}
		headless_print_reply(m);
		/* Items and printed lines come before the final reply. */
		if ((strlen(m->word) > 5 &&
			strcmp(m->word + strlen(m->word) - 5, "-item") == 0) ||
		    strcmp(m->word, "print") == 0)
			continue;
		result = strcmp(m->word, "quit") == 0 ||
				 strcmp(m->word, "_exit") == 0
			     ? 2
			     : 0;
		break;
	}
out:
	fflush(stdout);
	return result;
}

/*
 * One line of input: surrounding blanks trimmed, empty lines and lines
 * starting with '#' skipped.
 */
static int
headless_run_line(struct headless *h, char *line)
{
	char *end;

	while (*line == ' ' || *line == '\t')
		line++;
	end = line + strlen(line);
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' ||
				 end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	if (*line == '\0' || *line == '#')
		return 0;
	return headless_command(h, line);
}

/* Leaves as "quit" rather than EOF so others see reason=quit. */
static void
headless_quit(struct headless *h)
{
	struct proto_msg *m = &h->msg;
	char cause[512];
	uint64_t deadline;
	int rc;

	if (headless_send(h, "quit", cause, sizeof cause) == -1)
		return;
	deadline = common_now_ms() + HEADLESS_QUIT_MS;
	do {
		rc = headless_read(h, m, deadline, cause, sizeof cause);
	} while (rc == HEADLESS_LINE &&
		 !(m->type == PROTO_MSG_OK && strcmp(m->word, "quit") == 0));
}

int
headless_main(const struct tui_opts *opts, const char *cmds)
{
	struct headless h;
	char *copy = NULL, *line, *next, *buf = NULL;
	size_t bufsize = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = 0;

	if (headless_connect(&h, opts) == -1)
		return TUI_EXIT_CONNECT;
	if (headless_hello(&h) == -1) {
		close(h.fd);
		return TUI_EXIT_CONNECT;
	}

	if (cmds != NULL) {
		if ((copy = strdup(cmds)) == NULL) {
			headless_error("out of memory");
			close(h.fd);
			return TUI_EXIT_ERROR;
		}
		/* ';' and newlines separate commands. */
		for (line = copy; line != NULL && rc == 0; line = next) {
			next = line + strcspn(line, ";\n");
			if (*next == '\0')
				next = NULL;
			else
				*next++ = '\0';
			rc = headless_run_line(&h, line);
		}
		free(copy);
	} else {
		while (rc == 0 && (n = getline(&buf, &bufsize, stdin)) != -1) {
			lineno++;
			if (memchr(buf, '\0', (size_t)n) != NULL) {
				headless_error(
				    "stdin line %lu has a NUL byte", lineno);
				rc = 1;
				break;
			}
			rc = headless_run_line(&h, buf);
		}
		free(buf);
		if (rc == 0 && ferror(stdin)) {
			headless_error("reading stdin: %s", strerror(errno));
			rc = 1;
		}
	}

	if (rc == 0)
		headless_quit(&h);
	close(h.fd);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		headless_error("writing stdout: %s", strerror(errno));
		return TUI_EXIT_ERROR;
	}
	return rc == 1 ? TUI_EXIT_ERROR : TUI_EXIT_OK;
}
