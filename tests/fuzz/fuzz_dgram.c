/*
 * fuzz_dgram.c - turtled's datagram request parser under libFuzzer.
 *
 * Any datagram must get exactly one of the four answers, NUL-terminated,
 * printable, within the reply buffer; trailing NULs and line ends must not
 * change which.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_known(const char *out, size_t len)
{
	size_t i;

	if (len == 0 || out[len - 1] != '\0' || strlen(out) != len - 1)
		return 0;
	for (i = 0; i + 1 < len; i++) {
		if (out[i] < 0x20 || out[i] > 0x7e)
			return 0;
	}
	return strcmp(out, "pong!") == 0 ||
	       strcmp(out, "quit_flag now!") == 0 ||
	       strcmp(out, "wrong string!") == 0 ||
	       strncmp(out, "turtled pid=", 12) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dgram_status st;
	char out[256], again[256], *req;
	size_t len, len2;

	memset(&st, 0, sizeof st);
	st.pid = 4242;
	st.uptime = 7;
	st.clients = 3;
	st.seq = 99;
	st.x = -100;
	st.y = 100;
	st.mode = "turns";
	len = dgram_answer((const char *)data, size, &st, out, sizeof out);
	if (!fuzz_known(out, len))
		abort();

	/* The same request with a line end and a NUL: the same answer. */
	if ((req = malloc(size + 2)) == NULL)
		return 0;
	if (size > 0)
		memcpy(req, data, size);
	req[size] = '\n';
	req[size + 1] = '\0';
	len2 = dgram_answer(req, size + 2, &st, again, sizeof again);
	free(req);
	if (len2 != len || memcmp(out, again, len) != 0)
		abort();
	return 0;
}
