/*
 * test_frame.c - the framer: LF, CRLF and NUL end a line, empty lines are
 * skipped, over-long lines are refused once and skipped, and the result
 * never depends on how the stream was split into reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto.h"

#define OUT_MAX 64

/* What a stream gave: "L:<line>" per line, "TOOLONG" per refusal. */
struct results {
	char *item[OUT_MAX];
	size_t n;
};

static void results_add(struct results *, const char *, size_t);
static void results_free(struct results *);
static void feed(struct proto_framer *, const char *, size_t, struct results *);
static void frame_all(const char *, size_t, size_t, struct results *);
static void assert_results(const struct results *, const char *const *, size_t);

static void
results_add(struct results *r, const char *s, size_t n)
{
	assert_true(r->n < OUT_MAX);
	r->item[r->n] = malloc(n + 1);
	assert_non_null(r->item[r->n]);
	memcpy(r->item[r->n], s, n);
	r->item[r->n][n] = '\0';
	r->n++;
}

static void
results_free(struct results *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->item[i]);
	r->n = 0;
}

static void
feed(struct proto_framer *fr, const char *data, size_t len, struct results *r)
{
	const char *line;
	size_t linelen;
	enum proto_frame f;
	char tmp[PROTO_LINE_MAX + 8];

	while ((f = proto_framer_next(fr, &data, &len, &line, &linelen)) !=
	       PROTO_FRAME_MORE) {
		if (f == PROTO_FRAME_TOOLONG) {
			results_add(r, "TOOLONG", 7);
			continue;
		}
		assert_int_equal(f, PROTO_FRAME_LINE);
		assert_true(linelen > 0 && linelen <= PROTO_LINE_MAX);
		assert_int_equal(line[linelen], '\0');
		memcpy(tmp, "L:", 2);
		memcpy(tmp + 2, line, linelen);
		results_add(r, tmp, linelen + 2);
	}
	assert_int_equal(len, 0);
}

/* The whole stream through one framer, in reads of `chunk` bytes. */
static void
frame_all(const char *data, size_t len, size_t chunk, struct results *r)
{
	struct proto_framer fr;
	size_t off, n;

	proto_framer_init(&fr);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		feed(&fr, data + off, n, r);
	}
}

static void
assert_results(const struct results *r, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(r->n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(r->item[i], want[i]);
}

/* The lecture's client sends strlen+1 bytes of each fgets() line. */
static void
test_classic_client_bytes(void **state)
{
	static const char stream[] = "run 13 10\n\0say hello\n\0quit\n";
	static const char *const want[] = {
	    "L:run 13 10", "L:say hello", "L:quit"};
	struct results r = {0};

	(void)state;
	frame_all(stream, sizeof stream - 1, sizeof stream, &r);
	assert_results(&r, want, 3);
	results_free(&r);
}

static void
test_terminators(void **state)
{
	static const char stream[] = "a\nb\r\nc\0d\r\0\n\n\r\n\0e\rf\n";
	static const char *const want[] = {
	    "L:a", "L:b", "L:c", "L:d", "L:e\rf"};
	struct results r = {0};

	(void)state;
	frame_all(stream, sizeof stream - 1, 1000, &r);
	assert_results(&r, want, 5);
	results_free(&r);
}

static void
test_incomplete_line_waits(void **state)
{
	struct proto_framer fr;
	struct results r = {0};
	static const char *const want[] = {"L:hello 1 alice"};

	(void)state;
	proto_framer_init(&fr);
	feed(&fr, "hello 1 al", 10, &r);
	assert_int_equal(r.n, 0);
	feed(&fr, "ice", 3, &r);
	assert_int_equal(r.n, 0);
	feed(&fr, "\n", 1, &r);
	assert_results(&r, want, 1);
	results_free(&r);
}

/* Every split of a mixed stream into two reads, and byte by byte. */
static void
test_every_split(void **state)
{
	char stream[2048];
	size_t len = 0, cut;
	struct results whole = {0}, r = {0};
	struct proto_framer fr;
	size_t i;

	(void)state;
#define APPEND(lit)                                                            \
	do {                                                                   \
		memcpy(stream + len, lit, sizeof lit - 1);                     \
		len += sizeof lit - 1;                                         \
	} while (0)
	APPEND("run 1 2\r\n\n\0say x y\0");
	memset(stream + len, 'z', 600);
	len += 600;
	stream[len++] = '\n';
	APPEND("who\nwhere\r\n");
#undef APPEND

	frame_all(stream, len, len, &whole);
	assert_int_equal(whole.n, 5);
	assert_string_equal(whole.item[2], "TOOLONG");
	assert_string_equal(whole.item[4], "L:where");

	for (cut = 0; cut <= len; cut++) {
		proto_framer_init(&fr);
		feed(&fr, stream, cut, &r);
		feed(&fr, stream + cut, len - cut, &r);
		assert_int_equal(r.n, whole.n);
		for (i = 0; i < r.n; i++)
			assert_string_equal(r.item[i], whole.item[i]);
		results_free(&r);
	}
	frame_all(stream, len, 1, &r);
	assert_int_equal(r.n, whole.n);
	for (i = 0; i < r.n; i++)
		assert_string_equal(r.item[i], whole.item[i]);
	results_free(&r);
	results_free(&whole);
}

/* 512 bytes is a line, 513 is refused; CRLF after 512 is still fine. */
static void
test_limit_exact(void **state)
{
	char stream[PROTO_LINE_MAX * 4];
	size_t len, chunk;
	struct results r = {0};
	static const size_t chunks[] = {1, 7, 512, 513, 4096};

	(void)state;
	for (chunk = 0; chunk < sizeof chunks / sizeof chunks[0]; chunk++) {
		len = 0;
		memset(stream + len, 'a', PROTO_LINE_MAX);
		len += PROTO_LINE_MAX;
		stream[len++] = '\n';
		memset(stream + len, 'b', PROTO_LINE_MAX);
		len += PROTO_LINE_MAX;
		stream[len++] = '\r';
		stream[len++] = '\n';
		memset(stream + len, 'c', PROTO_LINE_MAX + 1);
		len += PROTO_LINE_MAX + 1;
		stream[len++] = '\0';
		memcpy(stream + len, "ok\n", 3);
		len += 3;

		frame_all(stream, len, chunks[chunk], &r);
		assert_int_equal(r.n, 4);
		assert_int_equal(strlen(r.item[0]), 2 + PROTO_LINE_MAX);
		assert_int_equal(r.item[0][2 + PROTO_LINE_MAX - 1], 'a');
		assert_int_equal(strlen(r.item[1]), 2 + PROTO_LINE_MAX);
		assert_int_equal(r.item[1][2 + PROTO_LINE_MAX - 1], 'b');
		assert_string_equal(r.item[2], "TOOLONG");
		assert_string_equal(r.item[3], "L:ok");
		results_free(&r);
	}
}

/* A CR that is not followed by the end is a byte of the line. */
static void
test_limit_cr_not_terminator(void **state)
{
	char stream[PROTO_LINE_MAX + 16];
	size_t len = 0;
	struct results r = {0};
	static const char *const want[] = {"TOOLONG", "L:next"};

	(void)state;
	memset(stream, 'a', PROTO_LINE_MAX);
	len = PROTO_LINE_MAX;
	memcpy(stream + len, "\rx\nnext\n", 8);
	len += 8;
	frame_all(stream, len, len, &r);
	assert_results(&r, want, 2);
	results_free(&r);
}

/* A huge line is refused once, however many reads it takes. */
static void
test_toolong_once_then_recovers(void **state)
{
	struct proto_framer fr;
	struct results r = {0};
	char block[1000];
	int i;
	static const char *const want[] = {
	    "L:say before", "TOOLONG", "L:say after"};

	(void)state;
	memset(block, 'x', sizeof block);
	proto_framer_init(&fr);
	feed(&fr, "say before\n", 11, &r);
	for (i = 0; i < 20; i++)
		feed(&fr, block, sizeof block, &r);
	assert_int_equal(r.n, 2);
	feed(&fr, "still\r", 6, &r);
	assert_int_equal(r.n, 2);
	feed(&fr, "\nsay after\n", 11, &r);
	assert_results(&r, want, 3);
	results_free(&r);
}

/* A returned line stays readable until the next call. */
static void
test_line_lives_until_next_call(void **state)
{
	struct proto_framer fr;
	const char *data = "one\ntwo\n", *l1, *l2;
	size_t len = 8, n1, n2;

	(void)state;
	proto_framer_init(&fr);
	assert_int_equal(
	    proto_framer_next(&fr, &data, &len, &l1, &n1), PROTO_FRAME_LINE);
	assert_int_equal(n1, 3);
	assert_string_equal(l1, "one");
	assert_int_equal(len, 4);
	assert_int_equal(
	    proto_framer_next(&fr, &data, &len, &l2, &n2), PROTO_FRAME_LINE);
	assert_string_equal(l2, "two");
	assert_int_equal(
	    proto_framer_next(&fr, &data, &len, &l2, &n2), PROTO_FRAME_MORE);
	assert_int_equal(len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classic_client_bytes),
	    cmocka_unit_test(test_terminators),
	    cmocka_unit_test(test_incomplete_line_waits),
	    cmocka_unit_test(test_every_split),
	    cmocka_unit_test(test_limit_exact),
	    cmocka_unit_test(test_limit_cr_not_terminator),
	    cmocka_unit_test(test_toolong_once_then_recovers),
	    cmocka_unit_test(test_line_lives_until_next_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
