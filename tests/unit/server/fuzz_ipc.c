/*
 * fuzz_ipc.c - the master's decoder of worker messages under libFuzzer.
 *
 * Any byte stream must decode into valid messages, "need more", or a clean
 * refusal; every message that decodes must encode back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char again[IPC_MSG_MAX];
	struct ipc_msg msg;
	char why[PROTO_WHY_MAX];
	size_t off = 0, used, n;
	int r;

	while (off < size) {
		used = 0;
		r = ipc_decode(
		    data + off, size - off, &msg, &used, why, sizeof why);
		if (r <= 0)
			break;
		if (used < IPC_HDR_LEN || used > size - off)
			abort();
		n = ipc_encode(&msg, again, sizeof again);
		if (n != used || memcmp(again, data + off, n) != 0)
			abort();
		off += used;
	}
	return 0;
}
