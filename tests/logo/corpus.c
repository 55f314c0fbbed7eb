/*
 * corpus.c - runs one reference program through the Logo core, line by
 * line as a user would type them, and compares what it printed, its
 * errors and the turtle's final state with UCBLogo's (the golden file
 * scripts/logo-golden wrote):
 *
 *	logo_corpus PROGRAM.lg [GOLDEN.out]
 *
 * Without a golden file it prints our result in the golden format:
 *	> a printed line
 *	! an error's message
 *	@pos X Y, @heading H, @pen true|false, @color N
 * Numbers compare within 1e-4; other words exactly, with runs of blanks
 * taken as one (UCBLogo's "I don't know how  to" has two).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logo.h"

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
	int rc;

	if (argc < 2 || argc > 3) {
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
	if (corpus_run(in, got) == -1)
		return 1;
	rewind(got);
	rc = corpus_compare(got, want, argv[1]);
	fclose(in);
	fclose(want);
	fclose(got);
	return rc == 0 ? 0 : 1;
}
