/*
 * corpus.c - runs one reference program through the Logo core, line by
 * line as a user would type them, and compares what it printed, its
 * errors and the turtle's final state with UCBLogo's (the golden file
 * scripts/logo-golden wrote):
 *
 *	logo_corpus PROGRAM.lg [GOLDEN.out]
 *	logo_corpus --turtled PATH PROGRAM.lg GOLDEN.out
 *
 * The second form runs the program through a real turtled instead (started
 * on a socket in a temporary directory, spoken to as a v1 client, stopped
 * after): what the server printed and replied, and where its turtle ended
 * by "where", must match UCBLogo the same way.
 *
 * Without a golden file it prints our result in the golden format:
 *	> a printed line
 *	! an error's message
 *	@pos X Y, @heading H, @pen true|false, @color N
 * Numbers compare within 1e-4; other words exactly, with runs of blanks
 * taken as one (UCBLogo's "I don't know how  to" has two).
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logo.h"
#include "proto.h"

#define CORPUS_TOLERANCE 1e-4
#define CORPUS_LINE_MAX  8192

static void corpus_lines(FILE *, const char *, size_t);
static int corpus_run(FILE *, FILE *);
static int corpus_token_eq(const char *, size_t, const char *, size_t);
static int corpus_line_eq(const char *, const char *);
static int corpus_compare(FILE *, FILE *, const char *);

/*
 * What a run printed as the golden lines: "%%error MSG" as "! MSG", the
 * rest as "> " lines (a last line without '\n' counts too).  Text and
 * errors share one stream, as in UCBLogo, so that type's partial lines
 * join the next output the same way.
 */
static void
corpus_lines(FILE *out, const char *s, size_t n)
{
	const char *nl;
	size_t len;

	while (n > 0) {
		nl = memchr(s, '\n', n);
		len = nl == NULL ? n : (size_t)(nl - s);
		if (len >= 8 && memcmp(s, "%%error ", 8) == 0)
			fprintf(out, "! %.*s\n", (int)len - 8, s + 8);
		else
			fprintf(out, "> %.*s\n", (int)len, s);
		if (nl == NULL)
			return;
		n -= len + 1;
		s = nl + 1;
	}
}

static int
corpus_run(FILE *in, FILE *out)
{
	char line[CORPUS_LINE_MAX];
	struct logo_workspace *ws = logo_workspace_new();
	struct logo_pending *p = logo_pending_new();
	struct logo_turtle t;
	struct logo_config cfg;
	struct logo_result res;
	enum logo_status st;
	char *text = NULL;
	size_t n, text_len = 0;
	FILE *printed;

	if (ws == NULL || p == NULL ||
	    (printed = open_memstream(&text, &text_len)) == NULL)
		return -1;
	logo_config_default(&cfg);
	logo_turtle_home(&t);
	logo_result_init(&res);
	while (fgets(line, sizeof line, in) != NULL) {
		n = strcspn(line, "\n");
		line[n] = '\0';
		st = logo_eval_line(ws, &t, p, line, n, &cfg, &res);
		if (res.text != NULL)
			fwrite(res.text, 1, res.text_len, printed);
		if (st == LOGO_ERROR)
			fprintf(printed, "%%%%error %s\n", res.error.msg);
		if (st == LOGO_OK) {
			if (logo_commit(ws, &res) != 0) {
				fprintf(stderr, "commit failed\n");
				return -1;
			}
			t = res.turtle;
		}
	}
	logo_result_free(&res);
	fclose(printed);
	corpus_lines(out, text, text_len);
	free(text);
	fprintf(out, "@pos %.6f %.6f\n", t.x, t.y);
	fprintf(out, "@heading %.6f\n", t.heading);
	fprintf(out, "@pen %s\n", t.pen_down ? "true" : "false");
	fprintf(out, "@color %d\n", t.color);
	logo_pending_free(p);
	logo_workspace_free(ws);
	return 0;
}

/* A turtled on dir/s, ready; its pid, or -1. */
static pid_t
corpus_turtled(const char *turtled, const char *dir, int *fd)
{
	struct sockaddr_un sa;
	struct timespec nap = {0, 20 * 1000 * 1000};
	char log[256];
	pid_t pid;
	int i;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/s", dir);
	snprintf(log, sizeof log, "%s/log", dir);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		/* Its log is in dir; its start-up lines would only clutter. */
		if (freopen("/dev/null", "w", stdout) == NULL ||
		    freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		execl(turtled, turtled, "-f", "-S", sa.sun_path, "--log", log,
		    "--rate", "100000", "--burst", "100000", (char *)NULL);
		_exit(127);
	}
	/* Bounded: 10 s for the socket to answer. */
	for (i = 0; i < 500; i++) {
		if ((*fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			break;
		if (connect(*fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			return pid;
		close(*fd);
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* The next server line (without its newline); -1 at EOF. */
static int
corpus_getline(FILE *f, char *line, size_t len)
{
	if (fgets(line, (int)len, f) == NULL)
		return -1;
	line[strcspn(line, "\n")] = '\0';
	return 0;
}

/* UCBLogo says where nothing: " (in sq, line 2, column 3)" goes. */
static void
corpus_unplace(char *msg)
{
	char *p = strrchr(msg, '(');

	if (p != NULL && p > msg && p[-1] == ' ' &&
	    (strncmp(p, "(in ", 4) == 0 || strncmp(p, "(line ", 6) == 0 ||
		strncmp(p, "(column ", 8) == 0))
		p[-1] = '\0';
}

/* Sends line, writes what came back as golden lines. */
static int
corpus_served_line(FILE *sock, int fd, const char *line, FILE *out)
{
	char buf[CORPUS_LINE_MAX + 2], msgbuf[CORPUS_LINE_MAX];
	struct proto_msg m;
	const char *v;
	size_t n = strlen(line);

	memcpy(buf, line, n);
	buf[n] = '\n';
	if (write(fd, buf, n + 1) != (ssize_t)(n + 1))
		return -1;
	for (;;) {
		if (corpus_getline(sock, buf, sizeof buf) != 0)
			return -1;
		if (proto_msg_parse(buf, strlen(buf), &m) != 0)
			return -1;
		if (m.type == PROTO_MSG_OK && strcmp(m.word, "print") == 0) {
			v = proto_msg_get(&m, "text");
			fprintf(out, "%s%s", v != NULL ? v : "",
			    proto_msg_get(&m, "more") != NULL ? "" : "\n");
			continue;
		}
		if (m.type == PROTO_MSG_ERR) {
			v = proto_msg_get(&m, "msg");
			snprintf(msgbuf, sizeof msgbuf, "%s", v ? v : "");
			corpus_unplace(msgbuf);
			fprintf(out, "%%%%error %s\n", msgbuf);
			return 0;
		}
		if (m.type == PROTO_MSG_OK)
			return 0;
	}
}

static int
corpus_run_served(FILE *in, FILE *out, const char *turtled)
{
	char dir[] = "/tmp/logo-corpus-XXXXXX", line[CORPUS_LINE_MAX];
	char buf[CORPUS_LINE_MAX], *text = NULL, path[300];
	struct proto_msg m;
	double x, y, h;
	long long pc;
	const char *pen;
	size_t text_len = 0;
	FILE *sock = NULL, *printed;
	pid_t pid;
	int fd, rc = -1;

	if (mkdtemp(dir) == NULL)
		return -1;
	if ((pid = corpus_turtled(turtled, dir, &fd)) == -1) {
		fprintf(stderr, "cannot start %s\n", turtled);
		rmdir(dir);
		return -1;
	}
	if ((sock = fdopen(dup(fd), "r")) == NULL ||
	    (printed = open_memstream(&text, &text_len)) == NULL)
		goto out;
	if (write(fd, "hello 1 corpus\n", 15) != 15)
		goto out;
	do {
		if (corpus_getline(sock, buf, sizeof buf) != 0)
			goto out;
	} while (strncmp(buf, "snap end ", 9) != 0);
	while (fgets(line, sizeof line, in) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		/* The server skips empty lines without a reply. */
		if (line[strspn(line, " \t")] == '\0')
			continue;
		/* A bare "home" is the v1 protocol's jump (PROTOCOL.md,
		 * "Logo"); Logo's, which draws and faces north, is any other
		 * spelling. */
		if (strcmp(line, "home") == 0)
			memcpy(line, "HOME", 4);
		if (corpus_served_line(sock, fd, line, printed) != 0) {
			fprintf(stderr, "no reply to \"%s\"\n", line);
			fclose(printed);
			goto out;
		}
	}
	fclose(printed);
	corpus_lines(out, text, text_len);
	if (write(fd, "where\n", 6) != 6)
		goto out;
	do {
		if (corpus_getline(sock, buf, sizeof buf) != 0)
			goto out;
	} while (strncmp(buf, "ok where ", 9) != 0);
	if (proto_msg_parse(buf, strlen(buf), &m) != 0 ||
	    proto_msg_get_num(&m, "x", -1e6, 1e6, &x) != 0 ||
	    proto_msg_get_num(&m, "y", -1e6, 1e6, &y) != 0 ||
	    proto_msg_get_num(&m, "heading", 0, 360, &h) != 0 ||
	    proto_msg_get_int(&m, "pc", 0, 15, &pc) != 0 ||
	    (pen = proto_msg_get(&m, "pen")) == NULL)
		goto out;
	fprintf(out, "@pos %.6f %.6f\n", x, y);
	fprintf(out, "@heading %.6f\n", h);
	fprintf(out, "@pen %s\n", strcmp(pen, "down") == 0 ? "true" : "false");
	fprintf(out, "@color %lld\n", pc);
	rc = 0;
out:
	free(text);
	if (sock != NULL)
		fclose(sock);
	close(fd);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(path, sizeof path, "%s/log", dir);
	unlink(path);
	rmdir(dir);
	return rc;
}

static int
corpus_token_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	char ba[64], bb[64], *ea, *eb;
	double x, y;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 1;
	if (alen >= sizeof ba || blen >= sizeof bb)
		return 0;
	memcpy(ba, a, alen);
	ba[alen] = '\0';
	memcpy(bb, b, blen);
	bb[blen] = '\0';
	x = strtod(ba, &ea);
	y = strtod(bb, &eb);
	if (*ea != '\0' || *eb != '\0' || ea == ba || eb == bb)
		return 0;
	/* 360 and 0 are one heading. */
	if (fabs(fabs(x - y) - 360) <= CORPUS_TOLERANCE)
		return 1;
	return fabs(x - y) <= CORPUS_TOLERANCE;
}

/* Word by word; blanks and brackets separate words. */
static int
corpus_line_eq(const char *a, const char *b)
{
	const char *sep = " \t[]";
	size_t la, lb;

	for (;;) {
		while (*a == ' ' || *a == '\t')
			a++;
		while (*b == ' ' || *b == '\t')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (*a == '[' || *a == ']' || *b == '[' || *b == ']') {
			if (*a != *b)
				return 0;
			a++;
			b++;
			continue;
		}
		la = strcspn(a, sep);
		lb = strcspn(b, sep);
		if (!corpus_token_eq(a, la, b, lb))
			return 0;
		a += la;
		b += lb;
	}
}

static int
corpus_compare(FILE *got, FILE *want, const char *name)
{
	char g[CORPUS_LINE_MAX], w[CORPUS_LINE_MAX];
	int line = 0, fail = 0;
	char *gr, *wr;

	for (;;) {
		gr = fgets(g, sizeof g, got);
		/* The golden's own comments: where it came from. */
		while ((wr = fgets(w, sizeof w, want)) != NULL && w[0] == '#')
			;
		line++;
		if (gr == NULL && wr == NULL)
			break;
		if (gr != NULL)
			g[strcspn(g, "\n")] = '\0';
		if (wr != NULL)
			w[strcspn(w, "\n")] = '\0';
		if (gr == NULL || wr == NULL || !corpus_line_eq(g, w)) {
			fprintf(stderr,
			    "%s: line %d\n  ours:    %s\n"
			    "  UCBLogo: %s\n",
			    name, line, gr != NULL ? g : "(end)",
			    wr != NULL ? w : "(end)");
			fail = 1;
			if (gr == NULL || wr == NULL)
				break;
		}
	}
	return fail ? -1 : 0;
}

int
main(int argc, char **argv)
{
	FILE *in, *want, *got;
	const char *turtled = NULL;
	int rc;

	if (argc == 5 && strcmp(argv[1], "--turtled") == 0) {
		turtled = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || argc > 3 || (turtled != NULL && argc != 3)) {
		fprintf(stderr, "usage: logo_corpus PROGRAM.lg [GOLDEN.out]\n");
		return 2;
	}
	if ((in = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	if (argc == 2) {
		rc = corpus_run(in, stdout);
		fclose(in);
		return rc == 0 ? 0 : 1;
	}
	if ((want = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 2;
	}
	if ((got = tmpfile()) == NULL) {
		perror("tmpfile");
		return 2;
	}
	if ((turtled != NULL ? corpus_run_served(in, got, turtled)
			     : corpus_run(in, got)) == -1)
		return 1;
	rewind(got);
	rc = corpus_compare(got, want, argv[1]);
	fclose(in);
	fclose(want);
	fclose(got);
	return rc == 0 ? 0 : 1;
}
