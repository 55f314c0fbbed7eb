/*
 * classic.c - the lecture's dialect, byte for byte.
 *
 * The lecture's server matched commands with strncmp() on their first
 * bytes, read run's numbers with sscanf("%d%d") and say's word with
 * sscanf("%s"), and answered every command with one text line plus its
 * NUL.  This file keeps those quirks ("runx 1 2" is run, say keeps one
 * word) but never the undefined behaviour: numbers are range-checked and
 * the said word must be clean text.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct classic_prefix {
	const char *word;
	enum proto_cmd_type type;
};

/* Matched on the first bytes only, as strncmp(buf, word, strlen(word)). */
static const struct classic_prefix classic_prefixes[] = {
    {"_exit", PROTO_CMD_EXIT},
    {"quit", PROTO_CMD_QUIT},
    {"run", PROTO_CMD_RUN},
    {"say", PROTO_CMD_SAY},
    {"getcid", PROTO_CMD_GETCID},
};

enum classic_scan { CLASSIC_SCAN_OK, CLASSIC_SCAN_NONE, CLASSIC_SCAN_RANGE };

static int classic_is_space(char);
static enum classic_scan classic_scan_int(
    const char *, size_t, size_t *, int32_t *);
static enum proto_err classic_parse_say(
    const char *, size_t, struct proto_cmd *);

/* isspace() in the C locale, which is what sscanf() skipped. */
static int
classic_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

/* One "%d": blanks, an optional sign, then at least one digit. */
static enum classic_scan
classic_scan_int(const char *s, size_t len, size_t *pos, int32_t *out)
{
	size_t i = *pos, start;
	long long v;

	while (i < len && classic_is_space(s[i]))
		i++;
	start = i;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i == len || s[i] < '0' || s[i] > '9')
		return CLASSIC_SCAN_NONE;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	*pos = i;
	if (number_parse(s + start, i - start, -PROTO_COORD_MAX,
		PROTO_COORD_MAX, &v) != NUMBER_OK)
		return CLASSIC_SCAN_RANGE;
	*out = (int32_t)v;
	return CLASSIC_SCAN_OK;
}

/* One "%s" word after "say"; none is a bare say. */
static enum proto_err
classic_parse_say(const char *s, size_t len, struct proto_cmd *cmd)
{
	size_t i = 3, start;

	while (i < len && classic_is_space(s[i]))
		i++;
	start = i;
	while (i < len && !classic_is_space(s[i]))
		i++;
	if (i - start > PROTO_TEXT_MAX ||
	    proto_text_valid(s + start, i - start) != 0)
		return PROTO_ERR_BAD_TEXT;
	memcpy(cmd->text, s + start, i - start);
	cmd->text[i - start] = '\0';
	return PROTO_OK;
}

enum proto_err
proto_classic_parse(const char *line, size_t len, struct proto_cmd *cmd)
{
	size_t i, pos;
	enum classic_scan sx, sy;

	memset(cmd, 0, sizeof *cmd);
	/* The lecture's strings ended at the first NUL. */
	len = strnlen(line, len);
	for (i = 0; i < sizeof classic_prefixes / sizeof classic_prefixes[0];
	     i++) {
		size_t n = strlen(classic_prefixes[i].word);

		if (len >= n && memcmp(line, classic_prefixes[i].word, n) == 0)
			break;
	}
	if (i == sizeof classic_prefixes / sizeof classic_prefixes[0])
		return PROTO_ERR_UNKNOWN_COMMAND;
	cmd->type = classic_prefixes[i].type;

	switch (cmd->type) {
	case PROTO_CMD_RUN:
		pos = 3;
		sx = classic_scan_int(line, len, &pos, &cmd->dx);
		if (sx == CLASSIC_SCAN_NONE)
			return PROTO_ERR_USAGE;
		sy = classic_scan_int(line, len, &pos, &cmd->dy);
		if (sy == CLASSIC_SCAN_NONE)
			return PROTO_ERR_USAGE;
		if (sx != CLASSIC_SCAN_OK || sy != CLASSIC_SCAN_OK) {
			cmd->dx = cmd->dy = 0;
			return PROTO_ERR_RANGE;
		}
		return PROTO_OK;
	case PROTO_CMD_SAY:
		return classic_parse_say(line, len, cmd);
	default:
		return PROTO_OK;
	}
}

size_t
proto_classic_reply(char *out, size_t outlen, const struct proto_cmd *cmd,
    enum proto_err err, double x, double y, int cid)
{
	char sx[PROTO_DECIMAL_LEN], sy[PROTO_DECIMAL_LEN];
	int n;

	if (out == NULL || outlen == 0)
		return 0;
	switch (err) {
	case PROTO_OK:
		if (cmd == NULL)
			return 0;
		switch (cmd->type) {
		case PROTO_CMD_QUIT:
		case PROTO_CMD_EXIT:
			return 0;
		case PROTO_CMD_RUN:
			/* Whole cells print as the lecture's %d did. */
			proto_decimal_format(sx, sizeof sx, x, PROTO_DECIMALS);
			proto_decimal_format(sy, sizeof sy, y, PROTO_DECIMALS);
			n = snprintf(
			    out, outlen, "Turtle travel to <%s:%s>\n", sx, sy);
			break;
		case PROTO_CMD_SAY:
			if (cmd->text[0] == '\0')
				n = snprintf(
				    out, outlen, "Turtle says nothing\n");
			else
				n = snprintf(out, outlen,
				    "Turtle said \"%s\"\n", cmd->text);
			break;
		case PROTO_CMD_GETCID:
			n = snprintf(out, outlen, "Your cid is %d\n", cid);
			break;
		default:
			n = snprintf(
			    out, outlen, "Turtle does not know this command\n");
			break;
		}
		break;
	case PROTO_ERR_USAGE:
		n = snprintf(out, outlen, "not enough args: need two\n");
		break;
	case PROTO_ERR_UNKNOWN_COMMAND:
		n = snprintf(
		    out, outlen, "Turtle does not know this command\n");
		break;
	default:
		n = snprintf(
		    out, outlen, "Turtle refuses: %s\n", proto_err_word(err));
		break;
	}
	/* The NUL is part of the reply, as the lecture's strlen+1 send. */
	if (n < 0 || (size_t)n + 1 > outlen)
		return 0;
	return (size_t)n + 1;
}
