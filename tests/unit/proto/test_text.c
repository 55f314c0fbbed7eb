/*
 * test_text.c - strict UTF-8, control and format characters, names, and
 * the escaping every display path relies on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

#define S(lit) lit, sizeof lit - 1

/*
 * The code points a terminal would hide or let reorder what surrounds
 * them (issue 12, item 8), and other format characters (category Cf),
 * each with its UTF-8 and its escape.
 */
static const struct hidden {
	uint32_t cp;
	const char *utf8;
	const char *escaped;
} hidden[] = {
    {0x202e, "\xe2\x80\xae", "\\u{202E}"},       /* RLO */
    {0x202a, "\xe2\x80\xaa", "\\u{202A}"},       /* LRE */
    {0x202b, "\xe2\x80\xab", "\\u{202B}"},       /* RLE */
    {0x202c, "\xe2\x80\xac", "\\u{202C}"},       /* PDF */
    {0x202d, "\xe2\x80\xad", "\\u{202D}"},       /* LRO */
    {0x2066, "\xe2\x81\xa6", "\\u{2066}"},       /* LRI */
    {0x2067, "\xe2\x81\xa7", "\\u{2067}"},       /* RLI */
    {0x2068, "\xe2\x81\xa8", "\\u{2068}"},       /* FSI */
    {0x2069, "\xe2\x81\xa9", "\\u{2069}"},       /* PDI */
    {0x200e, "\xe2\x80\x8e", "\\u{200E}"},       /* LRM */
    {0x200f, "\xe2\x80\x8f", "\\u{200F}"},       /* RLM */
    {0x2028, "\xe2\x80\xa8", "\\u{2028}"},       /* line separator */
    {0x2029, "\xe2\x80\xa9", "\\u{2029}"},       /* paragraph separator */
    {0x200b, "\xe2\x80\x8b", "\\u{200B}"},       /* zero-width space */
    {0x200c, "\xe2\x80\x8c", "\\u{200C}"},       /* zero-width non-joiner */
    {0x200d, "\xe2\x80\x8d", "\\u{200D}"},       /* zero-width joiner */
    {0x2060, "\xe2\x81\xa0", "\\u{2060}"},       /* word joiner */
    {0xfeff, "\xef\xbb\xbf", "\\u{FEFF}"},       /* BOM */
    {0x00ad, "\xc2\xad", "\\u{00AD}"},           /* soft hyphen */
    {0x061c, "\xd8\x9c", "\\u{061C}"},           /* Arabic letter mark */
    {0x180e, "\xe1\xa0\x8e", "\\u{180E}"},       /* Mongolian vowel sep. */
    {0x2064, "\xe2\x81\xa4", "\\u{2064}"},       /* invisible plus */
    {0x206f, "\xe2\x81\xaf", "\\u{206F}"},       /* nominal digit shapes */
    {0xfffb, "\xef\xbf\xbb", "\\u{FFFB}"},       /* annotation terminator */
    {0x1343f, "\xf0\x93\x90\xbf", "\\u{1343F}"}, /* hieroglyph format */
    {0x1d173, "\xf0\x9d\x85\xb3", "\\u{1D173}"}, /* begin beam */
    {0xe0001, "\xf3\xa0\x80\x81", "\\u{E0001}"}, /* language tag */
    {0xe007f, "\xf3\xa0\x81\xbf", "\\u{E007F}"}, /* cancel tag */
    {0x0085, "\xc2\x85", "\\u{0085}"},           /* C1 NEL */
    {0x009b, "\xc2\x9b", "\\u{009B}"},           /* C1 CSI */
};

/*
 * Text of every kind that must pass untouched: accents, other scripts
 * (CJK, Arabic, Hebrew, Devanagari), emoji (with a variation selector and
 * a skin tone), symbols, unusual spaces that are visible as spaces.
 */
static const char *const plain[] = {
    "hello, world!",
    /* café naïve Ångström */
    "caf\xc3\xa9 na\xc3\xafve \xc3\x85ngstr\xc3\xb6m",
    /* Chinese, Japanese, Korean */
    "\xe4\xb8\xad\xe6\x96\x87 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4",
    /* Arabic, Hebrew, Devanagari */
    "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
    "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",
    /* turtle, grin; heart with U+FE0F, thumbs up with a skin tone */
    "\xf0\x9f\x90\xa2 \xf0\x9f\x98\x80",
    "\xe2\x9d\xa4\xef\xb8\x8f \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
    /* euro, per mille, arrow, em dash */
    "\xe2\x82\xac \xe2\x80\xb0 \xe2\x86\x92 \xe2\x80\x94",
    /* no-break, hair and ideographic spaces */
    "a\xc2\xa0"
    "b\xe2\x80\x8a"
    "c\xe3\x80\x80"
    "d",
};

static void
test_valid_text(void **state)
{
	(void)state;
	assert_int_equal(proto_text_valid(S("")), 0);
	assert_int_equal(proto_text_valid(S("hello, world!")), 0);
	assert_int_equal(proto_text_valid(S("caf\xc3\xa9")), 0);  /* é */
	assert_int_equal(proto_text_valid(S("\xe2\x82\xac")), 0); /* € */
	assert_int_equal(proto_text_valid(S("\xf0\x9f\x90\xa2")), 0);
	assert_int_equal(proto_text_valid(S("\xc2\xa0")), 0);     /* NBSP */
	assert_int_equal(proto_text_valid(S("\xed\x9f\xbf")), 0); /* D7FF */
	assert_int_equal(proto_text_valid(S("\xee\x80\x80")), 0); /* E000 */
	assert_int_equal(proto_text_valid(S("\xf4\x8f\xbf\xbf")), 0);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* Overlong encodings of '/' and of NUL. */
	assert_int_equal(proto_text_valid(S("\xc0\xaf")), -1);
	assert_int_equal(proto_text_valid(S("\xc1\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xe0\x80\xaf")), -1);
	assert_int_equal(proto_text_valid(S("\xe0\x9f\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xf0\x80\x80\xaf")), -1);
	assert_int_equal(proto_text_valid(S("\xf0\x8f\xbf\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xc0\x80")), -1);
	/* Surrogates, and beyond U+10FFFF. */
	assert_int_equal(proto_text_valid(S("\xed\xa0\x80")), -1);
	assert_int_equal(proto_text_valid(S("\xed\xbf\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xf4\x90\x80\x80")), -1);
	assert_int_equal(proto_text_valid(S("\xf5\x80\x80\x80")), -1);
	/* Truncated, stray continuation, impossible bytes. */
	assert_int_equal(proto_text_valid(S("\xe2\x82")), -1);
	assert_int_equal(proto_text_valid(S("ab\xf0\x9f\x90")), -1);
	assert_int_equal(proto_text_valid(S("\x80")), -1);
	assert_int_equal(proto_text_valid(S("a\xbf")), -1);
	assert_int_equal(proto_text_valid(S("\xfe")), -1);
	assert_int_equal(proto_text_valid(S("\xff")), -1);
	assert_int_equal(proto_text_valid(S("\xc3\x28")), -1);
}

static void
test_control_characters(void **state)
{
	(void)state;
	assert_int_equal(proto_text_valid(S("a\x1b[2Jb")), -1);
	assert_int_equal(proto_text_valid(S("\t")), -1);
	assert_int_equal(proto_text_valid(S("a\nb")), -1);
	assert_int_equal(proto_text_valid(S("a\rb")), -1);
	assert_int_equal(proto_text_valid(S("\x7f")), -1);
	assert_int_equal(proto_text_valid(S("\x01")), -1);
	assert_int_equal(proto_text_valid("a\0b", 3), -1);
	/* C1: U+0080..U+009F, e.g. CSI U+009B. */
	assert_int_equal(proto_text_valid(S("\xc2\x80")), -1);
	assert_int_equal(proto_text_valid(S("\xc2\x9b")), -1);
	assert_int_equal(proto_text_valid(S("\xc2\x9f")), -1);
}

/* The classifier: controls and format characters, nothing else. */
static void
test_hazard_classifier(void **state)
{
	static const uint32_t fine[] = {'a', ' ', '~', '\\', 0xa0, 0xac, 0xae,
	    0xe9, 0x05d0, 0x0627, 0x0903, 0x180b, 0x200a, 0x2010, 0x2027,
	    0x202f, 0x2030, 0x205f, 0x2070, 0x3000, 0x4e2d, 0xfe0f, 0xfeff - 1,
	    0xff00, 0xfff8, 0xfffc, 0xfffd, 0x1f422, 0x1f3fd, 0xe0000, 0xe0002,
	    0xe0080, 0xe0100, 0x10ffff};
	size_t i;
	uint32_t cp;

	(void)state;
	for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		if (!proto_text_hazard(hidden[i].cp))
			fail_msg("U+%04lX is not a hazard",
			    (unsigned long)hidden[i].cp);
	}
	/* Every control: C0, DEL, C1. */
	for (cp = 0; cp < 0x20; cp++)
		assert_true(proto_text_hazard(cp));
	for (cp = 0x7f; cp <= 0x9f; cp++)
		assert_true(proto_text_hazard(cp));
	/* Whole ranges, ends included. */
	for (cp = 0x200b; cp <= 0x200f; cp++)
		assert_true(proto_text_hazard(cp));
	for (cp = 0x2028; cp <= 0x202e; cp++)
		assert_true(proto_text_hazard(cp));
	for (cp = 0x2060; cp <= 0x206f; cp++)
		assert_true(proto_text_hazard(cp));
	for (cp = 0xe0020; cp <= 0xe007f; cp++)
		assert_true(proto_text_hazard(cp));
	for (cp = 0x20; cp < 0x7f; cp++)
		assert_false(proto_text_hazard(cp));
	for (i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		if (proto_text_hazard(fine[i]))
			fail_msg("U+%04lX is taken for a hazard",
			    (unsigned long)fine[i]);
	}
}

/* Hidden characters are not clean text: refused where text enters. */
static void
test_hidden_not_valid(void **state)
{
	char buf[32];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		n = (size_t)snprintf(buf, sizeof buf, "a%sb", hidden[i].utf8);
		if (proto_text_valid(buf, n) == 0)
			fail_msg("U+%04lX is valid text",
			    (unsigned long)hidden[i].cp);
		if (proto_text_valid(hidden[i].utf8, strlen(hidden[i].utf8)) ==
		    0)
			fail_msg("U+%04lX alone is valid text",
			    (unsigned long)hidden[i].cp);
	}
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
		assert_int_equal(
		    proto_text_valid(plain[i], strlen(plain[i])), 0);
}

/* Each hidden character is shown as \u{XXXX}; plain text is untouched. */
static void
test_escape_hidden(void **state)
{
	char in[32], want[32], out[128];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		n = (size_t)snprintf(in, sizeof in, "x%sy", hidden[i].utf8);
		snprintf(want, sizeof want, "x%sy", hidden[i].escaped);
		assert_int_equal(
		    proto_text_escape(out, sizeof out, in, n), strlen(want));
		assert_string_equal(out, want);
		assert_int_equal(proto_text_valid(out, strlen(out)), 0);
		/* Never more than 4 bytes out per byte in. */
		assert_true(
		    strlen(hidden[i].escaped) <= 4 * strlen(hidden[i].utf8));
	}
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		n = strlen(plain[i]);
		assert_int_equal(
		    proto_text_escape(out, sizeof out, plain[i], n), n);
		assert_string_equal(out, plain[i]);
	}
	/* A disguised line: "abc" RLO "fed" PDF ZWSP BOM, all in sight. */
	proto_text_escape(out, sizeof out,
	    S("abc\xe2\x80\xae"
	      "fed\xe2\x80\xac\xe2\x80\x8b\xef\xbb\xbf"));
	assert_string_equal(out, "abc\\u{202E}fed\\u{202C}\\u{200B}\\u{FEFF}");
	/* An escape is whole or absent when the room runs out. */
	assert_int_equal(proto_text_escape(out, 9, S("ab\xe2\x80\xae")), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(proto_text_escape(out, 11, S("ab\xe2\x80\xae")), 10);
	assert_string_equal(out, "ab\\u{202E}");
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(proto_name_valid(S("alice")), 0);
	assert_int_equal(proto_name_valid(S("A.b-c_9")), 0);
	assert_int_equal(proto_name_valid(S("x")), 0);
	assert_int_equal(
	    proto_name_valid(S("abcdefghijklmnopqrstuvwxyz012345")), 0);
	assert_int_equal(
	    proto_name_valid(S("abcdefghijklmnopqrstuvwxyz0123456")), -1);
	assert_int_equal(proto_name_valid(S("")), -1);
	assert_int_equal(proto_name_valid(S("a b")), -1);
	assert_int_equal(proto_name_valid(S("a/b")), -1);
	assert_int_equal(proto_name_valid(S("a=b")), -1);
	assert_int_equal(proto_name_valid(S("caf\xc3\xa9")), -1);
	assert_int_equal(proto_name_valid(S("a\x1b")), -1);
	assert_int_equal(proto_name_valid("ab\0", 3), -1);
}

/* The secrets of token= and admin= (and of --token on both sides). */
static void
test_tokens(void **state)
{
	char longest[PROTO_TOKEN_MAX + 1];

	(void)state;
	assert_int_equal(proto_token_valid(S("s3cr=t")), 0);
	assert_int_equal(proto_token_valid(S("!~")), 0);
	memset(longest, 'k', sizeof longest);
	assert_int_equal(proto_token_valid(longest, PROTO_TOKEN_MAX), 0);
	assert_int_equal(proto_token_valid(longest, PROTO_TOKEN_MAX + 1), -1);
	assert_int_equal(proto_token_valid(S("")), -1);
	assert_int_equal(proto_token_valid(S("a b")), -1);
	assert_int_equal(proto_token_valid(S("a\tb")), -1);
	assert_int_equal(proto_token_valid(S("a\x7f")), -1);
	assert_int_equal(proto_token_valid(S("caf\xc3\xa9")), -1);
	assert_int_equal(proto_token_valid("ab\0", 3), -1);
}

static void
test_escape_basics(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(proto_text_escape(out, sizeof out, S("plain")), 5);
	assert_string_equal(out, "plain");
	proto_text_escape(out, sizeof out, S("\x1b[2Jgone"));
	assert_string_equal(out, "\\x1b[2Jgone");
	proto_text_escape(out, sizeof out, S("a\\b"));
	assert_string_equal(out, "a\\\\b");
	proto_text_escape(out, sizeof out, S("caf\xc3\xa9 \xf0\x9f\x90\xa2"));
	assert_string_equal(out, "caf\xc3\xa9 \xf0\x9f\x90\xa2");
	proto_text_escape(out, sizeof out, S("\xff\xc0\xaf"));
	assert_string_equal(out, "\\xff\\xc0\\xaf");
	proto_text_escape(out, sizeof out,
	    S("\xc2\x9b"
	      "1m"));
	assert_string_equal(out, "\\u{009B}1m");
	proto_text_escape(out, sizeof out, "a\0b", 3);
	assert_string_equal(out, "a\\x00b");
	proto_text_escape(out, sizeof out, S("\t\r\n\x7f"));
	assert_string_equal(out, "\\x09\\x0d\\x0a\\x7f");
	/* Right-to-left override: valid UTF-8, but shown escaped. */
	proto_text_escape(out, sizeof out,
	    S("a\xe2\x80\xae"
	      "b"));
	assert_string_equal(out, "a\\u{202E}b");
}

/* Truncation keeps whole characters and whole escapes, and the NUL. */
static void
test_escape_truncation(void **state)
{
	char out[8];

	(void)state;
	memset(out, '#', sizeof out);
	assert_int_equal(proto_text_escape(out, 1, S("abc")), 0);
	assert_string_equal(out, "");
	memset(out, '#', sizeof out);
	assert_int_equal(proto_text_escape(out, 0, S("abc")), 0);
	assert_int_equal(out[0], '#');
	assert_int_equal(proto_text_escape(out, 4, S("abcdef")), 3);
	assert_string_equal(out, "abc");
	/* "ab" + é (2 bytes) needs 5 with the NUL: é is left out whole. */
	assert_int_equal(proto_text_escape(out, 4, S("ab\xc3\xa9")), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(proto_text_escape(out, 5, S("ab\xc3\xa9")), 4);
	/* An escape is 4 bytes: it fits whole or not at all. */
	assert_int_equal(proto_text_escape(out, 6, S("ab\x1b")), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(proto_text_escape(out, 7, S("ab\x1b")), 6);
	assert_string_equal(out, "ab\\x1b");
	assert_int_equal(proto_text_escape(out, 3, S("\\\\")), 2);
	assert_string_equal(out, "\\\\");
}

/* Whatever goes in, what comes out is clean text (a tiny LCG drives it). */
static void
test_escape_output_always_clean(void **state)
{
	unsigned char in[64];
	char out[64 * 4 + 1];
	uint32_t seed = 12345;
	size_t round, i, n;

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t len = round % sizeof in;

		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)(seed >> 16);
			/* Bias towards the bytes that matter. */
			if (in[i] & 1)
				in[i] = (unsigned char)(0x80 | (in[i] >> 2));
		}
		n = proto_text_escape(out, sizeof out, (const char *)in, len);
		assert_int_equal(strlen(out), n);
		assert_int_equal(proto_text_valid(out, n), 0);
		/* Clean input comes out the same, backslashes doubled. */
		if (proto_text_valid((const char *)in, len) == 0 &&
		    memchr(in, '\\', len) == NULL) {
			assert_int_equal(n, len);
			assert_memory_equal(out, in, len);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_text),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_control_characters),
	    cmocka_unit_test(test_hazard_classifier),
	    cmocka_unit_test(test_hidden_not_valid),
	    cmocka_unit_test(test_escape_hidden),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_escape_basics),
	    cmocka_unit_test(test_escape_truncation),
	    cmocka_unit_test(test_escape_output_always_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
