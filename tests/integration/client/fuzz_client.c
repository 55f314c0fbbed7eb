/*
 * fuzz_client.c - libFuzzer target for what the command-line client does
 * with outside input: server lines turned into log sentences, events with
 * arbitrary bytes in every field, and HOST:PORT arguments.  Beyond "does
 * not crash" it checks the promise that matters: every sentence is clean
 * text (valid UTF-8, no control characters) however hostile the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void fuzz_line(const uint8_t *, size_t);
static void fuzz_event(const uint8_t *, size_t);
static void fuzz_tcp(const uint8_t *, size_t);
static void check_clean(const char *, size_t, size_t);

/* A sentence must fit its buffer, be terminated, and be clean. */
static void
check_clean(const char *out, size_t n, size_t cap)
{
	if (n >= cap || out[n] != '\0' || strlen(out) != n ||
	    proto_text_valid(out, n) != 0)
		abort();
}

static void
fuzz_line(const uint8_t *data, size_t size)
{
	static struct proto_msg m;
	struct proto_event ev;
	char out[PROTO_TEXT_MAX * 8];
	size_t n;

	if (proto_msg_parse((const char *)data, size, &m) != 0)
		return;
	if (proto_event_from_msg(&m, &ev) != 0)
		return;
	n = logfmt_event(out, sizeof out, &ev);
	check_clean(out, n, sizeof out);
}

/* The raw struct, as a confused or hostile peer could make it. */
static void
fuzz_event(const uint8_t *data, size_t size)
{
	struct proto_event ev;
	char out[PROTO_TEXT_MAX * 8];
	size_t n, cap;

	if (size < 2)
		return;
	memset(&ev, 0, sizeof ev);
	cap = 1 + data[0] % sizeof out; /* short buffers cut sentences */
	memcpy(&ev, data + 1, size - 1 < sizeof ev ? size - 1 : sizeof ev);
	ev.kind =
	    (enum proto_evt_kind)((unsigned)ev.kind % (PROTO_EVT__COUNT + 1));
	n = logfmt_event(out, cap, &ev);
	check_clean(out, n, cap);
}

static void
fuzz_tcp(const uint8_t *data, size_t size)
{
	struct tui_addr a;
	char *s, *cause = NULL, desc[600];
	long port;

	if ((s = malloc(size + 1)) == NULL)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	if (connect_parse_tcp(&a, s, &cause) == 0) {
		port = strtol(a.port, NULL, 10);
		if (!a.is_tcp || a.host[0] == '\0' || port < 1 || port > 65535)
			abort();
		connect_describe(&a, desc, sizeof desc);
	} else if (cause == NULL)
		abort();
	free(cause);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_line(data + 1, size - 1);
		break;
	case 1:
		fuzz_event(data + 1, size - 1);
		break;
	default:
		fuzz_tcp(data + 1, size - 1);
		break;
	}
	return 0;
}
