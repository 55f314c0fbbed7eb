/*
 * dgram.c - the words of the datagram endpoint: what turtled answers on
 * PATH.ping (and UDP) and what "turtle ping" and "turtle status" send and
 * expect, spelled once for both.
 */
#include <string.h>

#include "proto.h"

static const char *const proto_dgram_words[PROTO_DGRAM__COUNT] = {
    [PROTO_DGRAM_PING] = "ping",
    [PROTO_DGRAM_QUIT] = "quit",
    [PROTO_DGRAM_STATUS] = "status",
    [PROTO_DGRAM_WRONG] = NULL,
};

/* The lecture's replies, kept byte for byte. */
static const char *const proto_dgram_replies[PROTO_DGRAM__COUNT] = {
    [PROTO_DGRAM_PING] = "pong!",
    [PROTO_DGRAM_QUIT] = "quit_flag now!",
    [PROTO_DGRAM_STATUS] = NULL,
    [PROTO_DGRAM_WRONG] = "wrong string!",
};

const char *
proto_dgram_word(enum proto_dgram d)
{
	if ((unsigned)d >= PROTO_DGRAM__COUNT)
		return NULL;
	return proto_dgram_words[d];
}

const char *
proto_dgram_reply(enum proto_dgram d)
{
	if ((unsigned)d >= PROTO_DGRAM__COUNT)
		return proto_dgram_replies[PROTO_DGRAM_WRONG];
	return proto_dgram_replies[d];
}

/* The whole request must be the word: "pingx", " ping" are wrong. */
enum proto_dgram
proto_dgram_parse(const char *req, size_t len)
{
	const char *w;
	unsigned i;

	while (len > 0 && (req[len - 1] == '\0' || req[len - 1] == '\n' ||
			      req[len - 1] == '\r'))
		len--;
	for (i = 0; i < PROTO_DGRAM__COUNT; i++) {
		w = proto_dgram_words[i];
		if (w != NULL && strlen(w) == len && memcmp(req, w, len) == 0)
			return (enum proto_dgram)i;
	}
	return PROTO_DGRAM_WRONG;
}

size_t
proto_dgram_text(const char *reply, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (reply[i] == '\0' || reply[i] == '\n')
			break;
	}
	return i;
}
