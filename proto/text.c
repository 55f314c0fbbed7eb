/*
 * text.c - validation and escaping of outside text.
 *
 * Everything a user typed reaches other users' terminals, so text is
 * either refused here (strict UTF-8, no control characters) or escaped
 * before display.
 */
#include "internal.h"

static int text_is_name_char(char);
static int text_is_display_hazard(uint32_t);
static size_t text_put_escape(char *, unsigned char);

size_t
text_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* The second byte's range rules out overlong forms and surrogates. */
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		v = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		v = u[0] & 0x0f;
		if (u[0] == 0xe0)
			lo = 0xa0;
		else if (u[0] == 0xed)
			hi = 0x9f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		v = u[0] & 0x07;
		if (u[0] == 0xf0)
			lo = 0x90;
		else if (u[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len < n)
		return 0;
	if (u[1] < lo || u[1] > hi)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (u[i] & 0x3f);
	}
	*cp = v;
	return n;
}

int
text_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

enum text_problem
text_check(const char *s, size_t len, size_t *at)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			*at = i;
			return TEXT_INVALID_UTF8;
		}
		if (text_is_control(cp)) {
			*at = i;
			return TEXT_CONTROL;
		}
		i += n;
	}
	*at = len;
	return TEXT_CLEAN;
}

int
proto_text_valid(const char *s, size_t len)
{
	size_t at;

	return text_check(s, len, &at) == TEXT_CLEAN ? 0 : -1;
}

static int
text_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int
proto_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > PROTO_NAME_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		if (!text_is_name_char(s[i]))
			return -1;
	}
	return 0;
}

/* What the server takes in hello is what turtled and turtle accept as
 * --token: one rule for all three. */
int
proto_token_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > PROTO_TOKEN_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e)
			return -1;
	}
	return 0;
}

/*
 * Characters that are valid text but can reorder or split what a terminal
 * shows around them (bidirectional overrides, line separators): shown
 * escaped so one user cannot disguise another's line.
 */
static int
text_is_display_hazard(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static size_t
text_put_escape(char *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	return 4;
}

size_t
proto_text_escape(char *out, size_t outlen, const char *s, size_t len)
{
	size_t i = 0, o = 0, n, k;
	uint32_t cp;
	char tmp[16];

	if (out == NULL || outlen == 0)
		return 0;
	while (i < len) {
		size_t tn = 0;

		n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			tn = text_put_escape(tmp, (unsigned char)s[i]);
			n = 1;
		} else if (cp == '\\') {
			tmp[0] = '\\';
			tmp[1] = '\\';
			tn = 2;
		} else if (text_is_control(cp) || text_is_display_hazard(cp)) {
			for (k = 0; k < n; k++)
				tn += text_put_escape(
				    tmp + tn, (unsigned char)s[i + k]);
		} else {
			for (k = 0; k < n; k++)
				tmp[tn++] = s[i + k];
		}
		/* Whole characters or whole escapes only, and room for NUL. */
		if (o + tn >= outlen)
			break;
		for (k = 0; k < tn; k++)
			out[o++] = tmp[k];
		i += n;
	}
	out[o] = '\0';
	return o;
}
