/*
 * hsv1.c - the v1 dialect as a test reads it: fields, events, hello and
 * its snapshot, commands and their final replies.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness.h"

/*
 * A "snap path ... color=C pts=X,Y;X,Y;..." line as one "seg x0= y0= x1=
 * y1= color=" line per segment in s->seg, for tests to look at fields.
 */
static void
hs_path_segs(struct hs_snapshot *s, const char *line)
{
	char color[32] = "", pts[2048], *p, *semi;
	const char *v;
	double x0 = 0, y0 = 0, x, y;
	int first = 1, n;

	if ((v = strstr(line, " color=")) != NULL)
		sscanf(v + 7, "%31[^ \n]", color);
	if ((v = strstr(line, " pts=")) == NULL ||
	    sscanf(v + 5, "%2047[^ \n]", pts) != 1)
		return;
	for (p = pts; p != NULL && *p != '\0'; p = semi) {
		semi = strchr(p, ';');
		if (semi != NULL)
			*semi++ = '\0';
		if (sscanf(p, "%lf,%lf%n", &x, &y, &n) != 2)
			return;
		if (!first) {
			if (s->nseg < 64)
				snprintf(s->seg[s->nseg], sizeof s->seg[0],
				    "seg x0=%g y0=%g x1=%g y1=%g color=%s", x0,
				    y0, x, y, color);
			s->nseg++;
		}
		first = 0;
		x0 = x;
		y0 = y;
	}
}

static const char *value_end(const char *p, char *val, size_t vallen, int *bad);

/*
 * Reads one value at p (bare or "quoted" with \" \\ \n \r \t \xNN),
 * decoding it into val when val is not NULL.  Returns where it ends.
 */
static const char *
value_end(const char *p, char *val, size_t vallen, int *bad)
{
	size_t n = 0;
	unsigned int x;
	char ch;

	*bad = 0;
	if (*p != '"') {
		while (*p != '\0' && *p != ' ') {
			if (val != NULL && n + 1 < vallen)
				val[n++] = *p;
			p++;
		}
		if (val != NULL)
			val[n] = '\0';
		return p;
	}
	for (p++; *p != '"'; p++) {
		if (*p == '\0') {
			*bad = 1;
			break;
		}
		ch = *p;
		if (ch == '\\') {
			switch (*++p) {
			case '"':
			case '\\':
				ch = *p;
				break;
			case 'n':
				ch = '\n';
				break;
			case 'r':
				ch = '\r';
				break;
			case 't':
				ch = '\t';
				break;
			case 'x':
				if (!isxdigit((unsigned char)p[1]) ||
				    !isxdigit((unsigned char)p[2]) ||
				    sscanf(p + 1, "%2x", &x) != 1) {
					*bad = 1;
					return p;
				}
				ch = (char)x;
				p += 2;
				break;
			default:
				*bad = 1;
				return p;
			}
		}
		if (val != NULL && n + 1 < vallen)
			val[n++] = ch;
	}
	if (val != NULL)
		val[n] = '\0';
	return *p == '"' ? p + 1 : p;
}

int
hs_field(const char *line, const char *key, char *val, size_t vallen)
{
	size_t klen = strlen(key);
	const char *p = line, *eq;
	int bad;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		eq = p;
		while (*eq != '\0' && *eq != ' ' && *eq != '=' && *eq != '"')
			eq++;
		if (*eq != '=') {
			/* A word (ok WORD, evt SEQ KIND): skip it. */
			while (*p != '\0' && *p != ' ')
				p++;
			continue;
		}
		if ((size_t)(eq - p) == klen && memcmp(p, key, klen) == 0) {
			value_end(eq + 1, val, vallen, &bad);
			return bad ? -1 : 0;
		}
		p = value_end(eq + 1, NULL, 0, &bad);
		if (bad)
			return -1;
	}
	return -1;
}

int
hs_field_ll(const char *line, const char *key, long long *out)
{
	char val[64], *end;

	if (hs_field(line, key, val, sizeof val) != 0 || val[0] == '\0')
		return -1;
	errno = 0;
	*out = strtoll(val, &end, 10);
	return (*end != '\0' || errno != 0) ? -1 : 0;
}

int
hs_evt(const char *line, long long *seq, char *kind, size_t kindlen)
{
	const char *p;
	char *end;
	size_t n;

	if (strncmp(line, "evt ", 4) != 0 || !isdigit((unsigned char)line[4]))
		return -1;
	errno = 0;
	*seq = strtoll(line + 4, &end, 10);
	if (errno != 0 || *end != ' ')
		return -1;
	p = end + 1;
	n = strcspn(p, " ");
	if (n == 0 || n >= kindlen)
		return -1;
	memcpy(kind, p, n);
	kind[n] = '\0';
	return 0;
}

int
hs_starts(const char *line, const char *word)
{
	size_t n = strlen(word);

	return strncmp(line, word, n) == 0 &&
	       (line[n] == ' ' || line[n] == '\0');
}

int
hs_is_final(const char *line)
{
	const char *w;
	size_t n;

	if (strncmp(line, "ok ", 3) == 0)
		w = line + 3;
	else if (strncmp(line, "err ", 4) == 0)
		w = line + 4;
	else
		return 0;
	n = strcspn(w, " ");
	/* Items and what a Logo line printed come before the final line. */
	if (n == 5 && memcmp(w, "print", 5) == 0 && line[0] == 'o')
		return 0;
	return !(n >= 5 && memcmp(w + n - 5, "-item", 5) == 0);
}

int
hs_read_snapshot(struct hs_client *c, struct hs_snapshot *s)
{
	char line[HS_LINE_MAX];

	memset(s, 0, sizeof *s);
	if (hs_expect_next(c, "snap world ", s->world, sizeof s->world) != 0)
		return -1;
	for (;;) {
		if (hs_line(c, line, sizeof line) < 0) {
			fprintf(stderr, "harness: snapshot cut short (%s)\n",
			    c->eof ? "EOF" : "timeout");
			return -1;
		}
		if (hs_starts(line, "snap path")) {
			hs_path_segs(s, line);
		} else if (hs_starts(line, "snap client")) {
			if (s->nclient < 64)
				hs_copy(s->client[s->nclient],
				    sizeof s->client[0], line);
			s->nclient++;
		} else if (hs_starts(line, "snap log")) {
			if (s->nlog < 128)
				hs_copy(
				    s->log[s->nlog], sizeof s->log[0], line);
			s->nlog++;
		} else if (hs_starts(line, "snap end")) {
			hs_copy(s->end, sizeof s->end, line);
			if (hs_field_ll(line, "seq", &s->end_seq) != 0) {
				fprintf(stderr, "harness: no seq in \"%s\"\n",
				    line);
				return -1;
			}
			return 0;
		} else if (!hs_starts(line, "snap")) {
			fprintf(stderr, "harness: \"%s\" inside a snapshot\n",
			    line);
			return -1;
		}
	}
}

int
hs_hello(struct hs_client *c, const char *name, const char *extra, char *reply,
    size_t replylen, struct hs_snapshot *snap)
{
	struct hs_snapshot *own = NULL;
	char line[HS_LINE_MAX];
	long long cid;
	int rc = -1;

	if (hs_sendf(c, "hello 1%s%s%s%s\n", name ? " " : "", name ? name : "",
		extra ? " " : "", extra ? extra : "") != 0)
		return -1;
	/* Its own evt join may come first: events precede their reply. */
	do {
		if (hs_line(c, line, sizeof line) < 0) {
			fprintf(stderr, "harness: hello %s: no reply (%s)\n",
			    name ? name : "", c->eof ? "EOF" : "timeout");
			return -1;
		}
	} while (strncmp(line, "evt ", 4) == 0);
	if (!hs_starts(line, "ok hello")) {
		fprintf(stderr, "harness: hello %s: got \"%s\"\n",
		    name ? name : "", line);
		if (reply != NULL)
			hs_copy(reply, replylen, line);
		return -1;
	}
	if (reply != NULL)
		hs_copy(reply, replylen, line);
	if (hs_field_ll(line, "cid", &cid) != 0 ||
	    hs_field(line, "name", c->name, sizeof c->name) != 0) {
		fprintf(stderr, "harness: no cid/name in \"%s\"\n", line);
		return -1;
	}
	c->cid = (int)cid;
	if (snap == NULL && (snap = own = malloc(sizeof *own)) == NULL)
		return -1;
	rc = hs_read_snapshot(c, snap);
	free(own);
	return rc;
}

struct hs_client *
hs_client_hello(struct hs_server *srv, const char *name)
{
	struct hs_client *c = hs_client_new(srv);

	if (c == NULL)
		return NULL;
	if (hs_hello(c, name, NULL, NULL, 0, NULL) != 0) {
		hs_client_close(c);
		return NULL;
	}
	return c;
}

int
hs_cmd(struct hs_client *c, char *out, size_t outlen, const char *fmt, ...)
{
	char buf[HS_LINE_MAX], line[HS_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf - 1)
		return -1;
	buf[n++] = '\n';
	if (hs_send(c, buf, (size_t)n) != 0)
		return -1;
	for (;;) {
		if (hs_line(c, line, sizeof line) < 0) {
			fprintf(stderr, "harness: \"%.*s\": no reply (%s)\n",
			    n - 1, buf, c->eof ? "EOF" : "timeout");
			return -1;
		}
		if (hs_is_final(line))
			break;
	}
	if (out != NULL)
		hs_copy(out, outlen, line);
	return 0;
}

void
hs_assert_reply(struct hs_client *c, const char *cmd, const char *want)
{
	hs_assert_reply_line(c, cmd, want, NULL, 0);
}

void
hs_assert_reply_line(struct hs_client *c, const char *cmd, const char *want,
    char *out, size_t outlen)
{
	char line[HS_LINE_MAX];

	assert_int_equal(hs_cmd(c, line, sizeof line, "%s", cmd), 0);
	if (!hs_starts(line, want))
		fail_msg("%s%s\"%s\" -> \"%s\", want \"%s ...\"", c->name,
		    c->name[0] != '\0' ? ": " : "", cmd, line, want);
	hs_copy(out, outlen, line);
}

int
hs_stat(struct hs_client *c, const char *key, long long *val)
{
	char line[HS_LINE_MAX];

	if (hs_cmd(c, line, sizeof line, "stats") != 0)
		return -1;
	if (!hs_starts(line, "ok stats") || hs_field_ll(line, key, val) != 0) {
		fprintf(
		    stderr, "harness: stats: no %s= in \"%s\"\n", key, line);
		return -1;
	}
	return 0;
}

int
hs_who(struct hs_client *c, int *cids, int max)
{
	char line[HS_LINE_MAX];
	long long cid, count;
	int n = 0;

	if (hs_sendf(c, "who\n") != 0)
		return -1;
	for (;;) {
		if (hs_line(c, line, sizeof line) < 0) {
			fprintf(stderr, "harness: who: no reply\n");
			return -1;
		}
		if (hs_starts(line, "ok who-item")) {
			if (hs_field_ll(line, "cid", &cid) != 0) {
				fprintf(stderr, "harness: bad \"%s\"\n", line);
				return -1;
			}
			if (n < max)
				cids[n] = (int)cid;
			n++;
		} else if (hs_is_final(line))
			break;
	}
	if (!hs_starts(line, "ok who") ||
	    hs_field_ll(line, "count", &count) != 0 || count != n) {
		fprintf(
		    stderr, "harness: who: %d items, then \"%s\"\n", n, line);
		return -1;
	}
	return n;
}

void
hs_assert_field(const char *line, const char *key, const char *want)
{
	char val[HS_LINE_MAX];

	if (hs_field(line, key, val, sizeof val) != 0)
		fail_msg("no %s= in \"%s\"", key, line);
	if (strcmp(val, want) != 0)
		fail_msg("%s=%s, want %s, in \"%s\"", key, val, want, line);
}
