/*
 * test_doc.c - PROTOCOL.md documents what the code has: every command of
 * the table with its exact arguments and help line, every event kind,
 * every error word and every datagram word.  Adding a command without
 * documenting it fails here.
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

#ifndef PROTOCOL_MD
#error "PROTOCOL_MD must name proto/PROTOCOL.md"
#endif

static char *read_doc(void);
static void assert_documented(const char *, const char *);

static char *
read_doc(void)
{
	FILE *f;
	char *doc;
	long size;

	f = fopen(PROTOCOL_MD, "r");
	if (f == NULL)
		fail_msg("cannot open %s", PROTOCOL_MD);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	doc = malloc((size_t)size + 1);
	assert_non_null(doc);
	assert_int_equal(fread(doc, 1, (size_t)size, f), (size_t)size);
	doc[size] = '\0';
	fclose(f);
	return doc;
}

static void
assert_documented(const char *doc, const char *want)
{
	if (strstr(doc, want) == NULL)
		fail_msg("%s does not contain: %s", PROTOCOL_MD, want);
}

/* "### `run DX DY`" and, on its own line below, the help text. */
static void
test_every_command(void **state)
{
	const struct proto_cmd_info *t;
	char *doc, want[256];
	size_t n, i;

	(void)state;
	doc = read_doc();
	t = proto_cmd_table(&n);
	for (i = 0; i < n; i++) {
		if (t[i].args[0] == '\0')
			snprintf(want, sizeof want, "\n### `%s`\n", t[i].name);
		else
			snprintf(want, sizeof want, "\n### `%s %s`\n",
			    t[i].name, t[i].args);
		assert_documented(doc, want);
		snprintf(want, sizeof want, "\n%s.\n", t[i].help);
		assert_documented(doc, want);
	}
	free(doc);
}

static void
test_every_event_and_error(void **state)
{
	char *doc, want[128];
	int i;

	(void)state;
	doc = read_doc();
	for (i = 0; i < PROTO_EVT__COUNT; i++) {
		snprintf(want, sizeof want, "`evt SEQ %s",
		    proto_evt_word((enum proto_evt_kind)i));
		assert_documented(doc, want);
	}
	for (i = 1; i < PROTO_ERR__COUNT; i++) {
		snprintf(want, sizeof want, "| `%s` |",
		    proto_err_word((enum proto_err)i));
		assert_documented(doc, want);
	}
	for (i = 0; i < PROTO_COLOR__COUNT; i++)
		assert_documented(doc, proto_color_name(i));
	free(doc);
}

/* Every datagram request and its fixed reply, in the table. */
static void
test_every_dgram_word(void **state)
{
	const char *word, *reply;
	char *doc, want[128];
	int i;

	(void)state;
	doc = read_doc();
	for (i = 0; i < PROTO_DGRAM__COUNT; i++) {
		word = proto_dgram_word((enum proto_dgram)i);
		reply = proto_dgram_reply((enum proto_dgram)i);
		if (word == NULL)
			snprintf(want, sizeof want, "| anything else | `%s` |",
			    reply);
		else if (reply == NULL)
			snprintf(want, sizeof want, "| `%s` | `turtled ", word);
		else
			snprintf(
			    want, sizeof want, "| `%s` | `%s` ", word, reply);
		assert_documented(doc, want);
	}
	snprintf(want, sizeof want, "at most %d bytes", PROTO_DGRAM_MAX);
	assert_documented(doc, want);
	free(doc);
}

/* The limits the code enforces are the ones the document states. */
static void
test_limits(void **state)
{
	char *doc, want[64];

	(void)state;
	doc = read_doc();
	snprintf(want, sizeof want, "| line | %d bytes", PROTO_LINE_MAX);
	assert_documented(doc, want);
	snprintf(want, sizeof want, "| say text | %d bytes", PROTO_TEXT_MAX);
	assert_documented(doc, want);
	snprintf(want, sizeof want, "| name | 1-%d ", PROTO_NAME_MAX);
	assert_documented(doc, want);
	snprintf(want, sizeof want, "| token | 1-%d ", PROTO_TOKEN_MAX);
	assert_documented(doc, want);
	snprintf(want, sizeof want, "| server line | %d bytes", PROTO_OUT_MAX);
	assert_documented(doc, want);
	snprintf(want, sizeof want, "| fields | %d ", PROTO_FIELDS_MAX);
	assert_documented(doc, want);
	snprintf(want, sizeof want, "| DX, DY | -%d to %d ", PROTO_COORD_MAX,
	    PROTO_COORD_MAX);
	assert_documented(doc, want);
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_command),
	    cmocka_unit_test(test_every_event_and_error),
	    cmocka_unit_test(test_every_dgram_word),
	    cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
