/*
 * errors.c - the stable error words of the v1 dialect.  Clients match on
 * these words, so they never change once released.
 */
#include <string.h>

#include "proto.h"

static const char *const proto_err_words[PROTO_ERR__COUNT] = {
    [PROTO_OK] = "ok",
    [PROTO_ERR_USAGE] = "usage",
    [PROTO_ERR_UNKNOWN_COMMAND] = "unknown-command",
    [PROTO_ERR_RANGE] = "range",
    [PROTO_ERR_OUT_OF_BOUNDS] = "out-of-bounds",
    [PROTO_ERR_TOO_LONG] = "too-long",
    [PROTO_ERR_BAD_TEXT] = "bad-text",
    [PROTO_ERR_BAD_NAME] = "bad-name",
    [PROTO_ERR_VERSION] = "version",
    [PROTO_ERR_HELLO] = "hello",
    [PROTO_ERR_AUTH] = "auth",
    [PROTO_ERR_NOT_YOUR_TURN] = "not-your-turn",
    [PROTO_ERR_FORBIDDEN] = "forbidden",
    [PROTO_ERR_RATE] = "rate",
    [PROTO_ERR_SERVER_FULL] = "server-full",
    [PROTO_ERR_SLOW_CONSUMER] = "slow-consumer",
    [PROTO_ERR_INTERNAL] = "internal",
    [PROTO_ERR_TIMEOUT] = "timeout",
    [PROTO_ERR_LOGO] = "logo",
    [PROTO_ERR_LIMIT] = "limit",
    [PROTO_ERR_NAME_TAKEN] = "name-taken",
};

const char *
proto_err_word(enum proto_err err)
{
	if ((unsigned)err >= PROTO_ERR__COUNT)
		return "internal";
	return proto_err_words[err];
}

enum proto_err
proto_err_from_word(const char *word)
{
	unsigned i;

	if (word == NULL)
		return PROTO_ERR__COUNT;
	for (i = 0; i < PROTO_ERR__COUNT; i++) {
		if (strcmp(proto_err_words[i], word) == 0)
			return (enum proto_err)i;
	}
	return PROTO_ERR__COUNT;
}
