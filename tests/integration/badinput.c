/*
 * badinput.c - bad input of every kind leaves turtled serving: over-long
 * lines, invalid UTF-8, control characters and ANSI escapes, NUL storms,
 * lone CRs, integer overflow, binary garbage, half lines, connections
 * that close at once, invisible and bidirectional characters.  After each
 * a fresh client still gets correct replies, and no v1 client nor the log
 * ever received a raw control byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct bad {
	struct hs_server srv; /* first: hs_state_free() frees it all */
	struct hs_client *w;  /* a v1 watcher, there all along */
};

static int
setup(void **state)
{
	struct bad *b;

	if (hs_state_alloc(state, sizeof *b) != 0 ||
	    hs_state_start(state, hs_args_no_rate) != 0)
		return -1;
	b = *state;
	if ((b->w = hs_client_hello(&b->srv, "watcher")) == NULL) {
		hs_state_free(state);
		return -1;
	}
	return 0;
}

/* A fresh client gets correct replies; the server is alive. */
static void
probe(struct bad *b)
{
	struct hs_client *c;
	char line[HS_LINE_MAX];

	assert_true(hs_server_alive(&b->srv));
	assert_non_null(c = hs_client_hello(&b->srv, "probe"));
	assert_int_equal(hs_cmd(c, line, sizeof line, "getcid"), 0);
	assert_true(hs_starts(line, "ok getcid"));
	assert_int_equal(hs_cmd(c, line, sizeof line, "where"), 0);
	assert_true(hs_starts(line, "ok where"));
	assert_int_equal(hs_cmd(c, line, sizeof line, "quit"), 0);
	assert_true(hs_starts(line, "ok quit"));
	hs_client_close(c);
}

/*
 * Nobody who speaks v1 got a raw control byte, and neither did the log;
 * the watcher's history has no gap.  The watcher reads up to now first.
 */
static void
check_clean(struct bad *b)
{
	struct hs_client *c;
	char line[HS_LINE_MAX], *text;
	unsigned char *p;
	size_t len, i;

	assert_int_equal(hs_cmd(b->w, line, sizeof line, "getcid"), 0);
	for (c = b->srv.clients; c != NULL; c = c->next) {
		if (c->cid >= 0 && c->raw_bad != 0)
			fail_msg("v1 client %d (%s) received %zu raw control "
				 "bytes",
			    c->cid, c->name, c->raw_bad);
	}
	assert_int_equal(b->w->seq_gaps, 0);
	text = hs_read_file(b->srv.log, &len);
	assert_non_null(text);
	p = (unsigned char *)text;
	for (i = 0; i < len; i++) {
		if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f ||
		    (i > 0 && p[i - 1] == 0xc2 && p[i] >= 0x80 && p[i] <= 0x9f))
			fail_msg("log byte %zu is raw 0x%02x", i, p[i]);
	}
	free(text);
}

/*
 * Sends junk, then a getcid: every final line before ok getcid must be
 * an err (junk never gets an ok).  Returns how many errs.
 */
static int
junk_then_getcid(struct hs_client *c, const void *junk, size_t len)
{
	char line[HS_LINE_MAX];
	int errs = 0;

	assert_int_equal(hs_send(c, junk, len), 0);
	assert_int_equal(hs_send(c, "\ngetcid\n", 8), 0);
	for (;;) {
		if (hs_line(c, line, sizeof line) < 0)
			fail_msg("no ok getcid after junk (%s, %d errs)",
			    c->eof ? "EOF" : "timeout", errs);
		if (hs_starts(line, "ok getcid"))
			return errs;
		if (hs_starts(line, "err"))
			errs++;
		else if (hs_is_final(line))
			fail_msg("junk got \"%s\"", line);
	}
}

/* line must be answered with err code. */
static void
refused(struct hs_client *c, const char *line, const char *code)
{
	char want[64];

	snprintf(want, sizeof want, "err %s", code);
	hs_assert_reply(c, line, want);
}

static void
classic_is(struct hs_client *c, const void *req, size_t len, const char *want)
{
	char reply[256];
	int n;

	assert_int_equal(hs_send(c, req, len), 0);
	n = hs_classic_reply(c, reply, sizeof reply);
	if (n != (int)strlen(want) + 1 || memcmp(reply, want, (size_t)n) != 0)
		fail_msg("classic: \"%.*s\" -> \"%s\", want \"%s\"",
		    (int)len - 1, (const char *)req, n > 0 ? reply : "", want);
}

static void
test_long_lines(void **state)
{
	struct bad *b = *state;
	struct hs_client *c, *cl, *gone;
	char *big, line[HS_LINE_MAX], msg[HS_LINE_MAX];
	size_t n;

	assert_non_null(c = hs_client_hello(&b->srv, "longwinded"));
	big = malloc(100 * 1024 + 2);
	assert_non_null(big);

	/* 512 bytes is a line; 513 is too long. */
	memset(big, ' ', 512);
	memcpy(big, "getcid", 6);
	big[512] = '\n';
	assert_int_equal(hs_send(c, big, 513), 0);
	assert_int_equal(hs_expect_next(c, "ok getcid", NULL, 0), 0);
	big[512] = ' ';
	big[513] = '\n';
	assert_int_equal(hs_send(c, big, 514), 0);
	assert_int_equal(
	    hs_expect_next(c, "err too-long", line, sizeof line), 0);
	assert_int_equal(hs_field(line, "msg", msg, sizeof msg), 0);

	/* 600 bytes of say. */
	memset(big, 'x', 600);
	memcpy(big, "say ", 4);
	assert_int_equal(junk_then_getcid(c, big, 600), 1);

	/* 100 KB without a newline: one error, and the stream goes on. */
	memset(big, 'y', 100 * 1024);
	assert_int_equal(junk_then_getcid(c, big, 100 * 1024), 1);

	/* The same at a classic client. */
	assert_non_null(cl = hs_client_new(&b->srv));
	memset(big, 'z', 600);
	memcpy(big, "run ", 4);
	big[600] = '\n';
	big[601] = '\0';
	classic_is(cl, big, 602, "Turtle refuses: too-long\n");
	assert_int_equal(hs_send(cl, "getcid\n", 7), 0);
	assert_true(hs_classic_reply(cl, line, sizeof line) > 0);
	assert_memory_equal(line, "Your cid is ", 12);

	/* 100 KB and gone. */
	assert_non_null(gone = hs_client_new(&b->srv));
	n = 100 * 1024;
	memset(big, 'q', n);
	hs_send(gone, big, n);
	hs_client_close(gone);
	free(big);
	probe(b);
	check_clean(b);
}

static void
test_bad_text(void **state)
{
	static const char *bad[] = {"say \xff\xfe", /* not UTF-8 at all */
	    "say caf\xc3",                          /* cut short */
	    "say \xc0\xaf",                         /* overlong '/' */
	    "say \xed\xa0\x80",                     /* a surrogate */
	    "say \xf4\x90\x80\x80",                 /* above U+10FFFF */
	    "say \x1b[31mred\x1b[0m",               /* ANSI colour */
	    "say \x1b]0;title\x07",                 /* OSC title */
	    "say bell\x07",                         /* BEL */
	    "say del\x7f",                          /* DEL */
	    "say tab\there",                        /* tab is a control too */
	    "say c1\xc2\x9b"
	    "31m",               /* C1 CSI */
	    "say \x1b[2J\x1b[H", /* clear screen */
	    NULL};
	struct bad *b = *state;
	struct hs_client *c, *cl;
	char line[HS_LINE_MAX], text[HS_LINE_MAX], *big;
	int i;

	assert_non_null(c = hs_client_hello(&b->srv, "texter"));
	for (i = 0; bad[i] != NULL; i++)
		refused(c, bad[i], "bad-text");

	/* Names: the same and worse. */
	refused(c, "name \x1b[31mevil", "bad-name");
	refused(c, "name caf\xc3\xa9", "bad-name");
	refused(c, "name a/b", "bad-name");
	{
		struct hs_client *n = hs_client_new(&b->srv);

		assert_non_null(n);
		refused(n, "hello 1 \x1b[2Jevil", "bad-name");
		refused(n, "hello 1 \xff", "bad-name");
	}

	/* 400 bytes of text pass, 401 do not. */
	big = malloc(420);
	assert_non_null(big);
	memcpy(big, "say ", 4);
	memset(big + 4, 'w', 401);
	big[4 + 401] = '\0';
	refused(c, big, "bad-text");
	big[4 + 400] = '\0';
	assert_int_equal(hs_cmd(c, line, sizeof line, "%s", big), 0);
	assert_true(hs_starts(line, "ok say"));
	free(big);

	/* Clean UTF-8 and the quoting characters arrive exactly as said. */
	assert_int_equal(hs_cmd(c, line, sizeof line,
			     "say h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83 "
			     "\xf0\x9f\x90\xa2"),
	    0);
	assert_true(hs_starts(line, "ok say"));
	do
		assert_int_equal(hs_expect(b->w, "evt ", line, sizeof line), 0);
	while (strstr(line, " say ") == NULL ||
	       strstr(line, "h\xc3\xa9llo") == NULL);
	assert_int_equal(hs_field(line, "text", text, sizeof text), 0);
	assert_string_equal(text, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83 "
				  "\xf0\x9f\x90\xa2");
	assert_int_equal(hs_cmd(c, line, sizeof line, "say a\"b\\c=d  e "), 0);
	assert_true(hs_starts(line, "ok say"));
	assert_int_equal(hs_expect(b->w, "evt ", line, sizeof line), 0);
	assert_int_equal(hs_field(line, "text", text, sizeof text), 0);
	assert_string_equal(text, "a\"b\\c=d  e ");

	/* The classic dialect refuses the same words. */
	assert_non_null(cl = hs_client_new(&b->srv));
	classic_is(cl, "say \x1b[31m\n", 10, "Turtle refuses: bad-text\n");
	classic_is(cl, "say \xc2\x9b\n", 8, "Turtle refuses: bad-text\n");
	classic_is(cl, "say ok\xff\n", 9, "Turtle refuses: bad-text\n");
	probe(b);
	check_clean(b);
}

/*
 * Invisible and bidirectional characters in say text are refused with the
 * code point named, in both dialects, and reach nobody; text that only
 * looks unusual (accents, CJK, emoji with a variation selector) passes.
 */
static void
test_invisible_text(void **state)
{
	static const struct {
		const char *utf8, *name;
	} hidden[] = {
	    {"\xe2\x80\xae", "U+202E"}, /* right-to-left override */
	    {"\xe2\x80\xaa", "U+202A"}, /* left-to-right embedding */
	    {"\xe2\x80\xab", "U+202B"}, /* right-to-left embedding */
	    {"\xe2\x80\xac", "U+202C"}, /* pop directional formatting */
	    {"\xe2\x80\xad", "U+202D"}, /* left-to-right override */
	    {"\xe2\x81\xa6", "U+2066"}, /* left-to-right isolate */
	    {"\xe2\x81\xa7", "U+2067"}, /* right-to-left isolate */
	    {"\xe2\x81\xa8", "U+2068"}, /* first strong isolate */
	    {"\xe2\x81\xa9", "U+2069"}, /* pop directional isolate */
	    {"\xe2\x80\x8e", "U+200E"}, /* left-to-right mark */
	    {"\xe2\x80\x8f", "U+200F"}, /* right-to-left mark */
	    {"\xe2\x80\xa8", "U+2028"}, /* line separator */
	    {"\xe2\x80\xa9", "U+2029"}, /* paragraph separator */
	    {"\xe2\x80\x8b", "U+200B"}, /* zero-width space */
	    {"\xe2\x80\x8c", "U+200C"}, /* zero-width non-joiner */
	    {"\xe2\x80\x8d", "U+200D"}, /* zero-width joiner */
	    {"\xe2\x81\xa0", "U+2060"}, /* word joiner */
	    {"\xef\xbb\xbf", "U+FEFF"}, /* zero-width no-break space, BOM */
	    {"\xc2\xad", "U+00AD"},     /* soft hyphen */
	};
	struct bad *b = *state;
	struct hs_client *c, *cl;
	char line[HS_LINE_MAX], msg[HS_LINE_MAX], text[HS_LINE_MAX];
	size_t i;

	assert_non_null(c = hs_client_hello(&b->srv, "mallory"));
	for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		assert_int_equal(hs_cmd(c, line, sizeof line, "say pay%sbob",
				     hidden[i].utf8),
		    0);
		if (!hs_starts(line, "err bad-text"))
			fail_msg("say with %s: \"%s\"", hidden[i].name, line);
		assert_int_equal(hs_field(line, "msg", msg, sizeof msg), 0);
		snprintf(
		    text, sizeof text, "%s is not allowed", hidden[i].name);
		if (strstr(msg, text) == NULL ||
		    strstr(msg, "at byte 4") == NULL)
			fail_msg(
			    "say with %s: msg=\"%s\"", hidden[i].name, msg);
	}
	/* None of them reached the watcher: the next say it sees is this. */
	assert_int_equal(
	    hs_cmd(c, line, sizeof line,
		"say caf\xc3\xa9 \xe4\xb8\xad \xe2\x9d\xa4\xef\xb8\x8f"),
	    0);
	assert_true(hs_starts(line, "ok say"));
	do
		assert_int_equal(hs_expect(b->w, "evt ", line, sizeof line), 0);
	while (strstr(line, " say ") == NULL);
	assert_int_equal(hs_field(line, "text", text, sizeof text), 0);
	assert_string_equal(
	    text, "caf\xc3\xa9 \xe4\xb8\xad \xe2\x9d\xa4\xef\xb8\x8f");

	/* The classic dialect refuses them too. */
	assert_non_null(cl = hs_client_new(&b->srv));
	classic_is(cl,
	    "say a\xe2\x80\xae"
	    "b\n",
	    10, "Turtle refuses: bad-text\n");
	classic_is(cl, "say zero\xe2\x80\x8bwidth\n", 17,
	    "Turtle refuses: bad-text\n");
	probe(b);
	check_clean(b);
}

static void
test_nul_cr_storms(void **state)
{
	struct bad *b = *state;
	struct hs_client *c, *fresh;
	char *storm;

	assert_non_null(c = hs_client_hello(&b->srv, "stormy"));
	storm = calloc(64 * 1024, 1);
	assert_non_null(storm);
	/* NULs end (empty) lines: nothing to answer. */
	assert_int_equal(junk_then_getcid(c, storm, 64 * 1024), 0);
	/* A storm before the first line, too. */
	assert_non_null(fresh = hs_client_new(&b->srv));
	assert_int_equal(hs_send(fresh, storm, 64 * 1024), 0);
	assert_int_equal(hs_hello(fresh, "afterstorm", NULL, NULL, 0, NULL), 0);
	free(storm);

	/* CRs that do not end a line are bytes of it. */
	assert_true(junk_then_getcid(c, "\r\r\r\r\r\r\n", 7) >= 1);
	assert_true(junk_then_getcid(c, "getcid\rgetcid\r", 14) >= 1);
	assert_true(junk_then_getcid(c, "say \r\n", 6) >= 0);
	assert_true(junk_then_getcid(c, "say a\rb\n", 8) >= 1);
	/* CRLF is a line end like LF. */
	assert_int_equal(junk_then_getcid(c, "\r\n\r\n", 4), 0);
	probe(b);
	check_clean(b);
}

static void
test_integer_overflow(void **state)
{
	struct bad *b = *state;
	struct hs_client *c, *cl, *h;
	char line[HS_LINE_MAX];

	assert_non_null(c = hs_client_hello(&b->srv, "counter"));
	refused(c, "run 2147483648 0", "range");
	refused(c, "run 0 -2147483649", "range");
	refused(c, "run 9223372036854775808 1", "range");
	refused(c, "run -9223372036854775809 1", "range");
	refused(c, "run 99999999999999999999999999999999 1", "range");
	refused(c, "run 1000001 0", "range");
	refused(c, "run 1000000 0", "out-of-bounds");
	refused(c, "run 0x10 1", "usage");
	refused(c, "run 1e3 1", "usage");
	refused(c, "run 1.5 1", "usage");
	refused(c, "run - 1", "usage");
	assert_int_equal(hs_cmd(c, line, sizeof line, "where"), 0);
	assert_true(strstr(line, " x=0 ") != NULL);
	assert_true(strstr(line, " y=0 ") != NULL);

	assert_non_null(h = hs_client_new(&b->srv));
	refused(h, "hello 99999999999999999999999", "version");

	assert_non_null(cl = hs_client_new(&b->srv));
	classic_is(cl, "run 99999999999 1\n", 19, "Turtle refuses: range\n");
	classic_is(
	    cl, "run 1 -99999999999999999999\n", 29, "Turtle refuses: range\n");
	classic_is(cl, "run 2 2\n", 9, "Turtle travel to <2:2>\n");
	probe(b);
	check_clean(b);
}

/* A small generator: the same garbage every run. */
static uint32_t
next_rand(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void
test_binary_garbage(void **state)
{
	struct bad *b = *state;
	struct hs_client *c, *first;
	unsigned char *junk;
	uint32_t seed = 12345;
	size_t i, n = 64 * 1024;

	junk = malloc(n);
	assert_non_null(junk);
	for (i = 0; i < n; i++)
		junk[i] = (unsigned char)next_rand(&seed);

	/* As the very first bytes of a connection, then gone. */
	assert_non_null(first = hs_client_new(&b->srv));
	hs_send(first, junk, n);
	hs_client_close(first);

	/* Inside a v1 session: only errors, and the session goes on. */
	assert_non_null(c = hs_client_hello(&b->srv, "garbled"));
	junk_then_getcid(c, junk, n);
	free(junk);
	probe(b);
	check_clean(b);
}

/* Half lines and instant closes: nothing happens, nothing breaks. */
static void
test_half_lines(void **state)
{
	static const char *halves[] = {"run 5 5", "hello 1 ghost",
	    "hello 1 ghost\nrun 7 7", "say unfinish", "_exi", NULL};
	struct bad *b = *state;
	struct hs_client *c;
	char line[HS_LINE_MAX];
	long long deadline;
	int i, n, cids[64];

	for (i = 0; halves[i] != NULL; i++) {
		assert_non_null(c = hs_client_new(&b->srv));
		assert_int_equal(hs_send(c, halves[i], strlen(halves[i])), 0);
		hs_client_close(c);
	}
	for (i = 0; i < 50; i++) {
		assert_non_null(c = hs_client_new(&b->srv));
		hs_client_close(c);
	}
	probe(b);
	/* An unterminated line is no command: the turtle never moved. */
	assert_int_equal(hs_cmd(b->w, line, sizeof line, "where"), 0);
	assert_true(strstr(line, " x=0 ") != NULL);
	assert_true(strstr(line, " y=0 ") != NULL);
	/* All of them are gone again (bounded: leaves land in a moment). */
	deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	while ((n = hs_who(b->w, cids, 64)) != 1) {
		assert_true(n >= 1);
		if (hs_now_ms() > deadline)
			fail_msg("%d clients listed, want only the watcher", n);
		hs_nap(20);
	}
	check_clean(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_long_lines, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_bad_text, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_invisible_text, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_nul_cr_storms, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_integer_overflow, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_binary_garbage, setup, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_half_lines, setup, hs_state_free),
	};

	return cmocka_run_group_tests_name("badinput", tests, NULL, NULL);
}
