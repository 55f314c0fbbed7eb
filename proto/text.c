/*
 * text.c - validation and escaping of outside text.
 *
 * Everything a user typed reaches other users' terminals, so text is
 * refused where it enters when it holds anything a terminal would act on
 * or not show (proto_text_hazard()), and every display escapes it again:
 * one classifier and one escaper for the server and every client path.
 */
#include "internal.h"

static size_t text_escape(char *, size_t, const char *, size_t, int);
static int text_looks_escape(const char *, size_t);
static int text_is_hex(char);
static int text_is_name_char(char);
static int text_is_format(uint32_t);
static size_t text_put_escape(char *, unsigned char);
static size_t text_put_codepoint(char *, uint32_t);

/*
 * The format characters: Unicode's general category Cf (as of Unicode
 * 15.1, with U+2065, unassigned among them), and the line and paragraph
 * separators U+2028 and U+2029 (Zl, Zp).  Each is invisible or changes
 * how what surrounds it is shown: bidirectional embeddings, overrides,
 * isolates and marks, zero-width spaces and joiners, the BOM, soft
 * hyphen, invisible operators, tags.  Sorted; the ranges are inclusive.
 */
static const struct text_range {
	uint32_t lo, hi;
} text_format[] = {
    {0x00ad, 0x00ad},   /* soft hyphen */
    {0x0600, 0x0605},   /* Arabic number signs */
    {0x061c, 0x061c},   /* Arabic letter mark */
    {0x06dd, 0x06dd},   /* Arabic end of ayah */
    {0x070f, 0x070f},   /* Syriac abbreviation mark */
    {0x0890, 0x0891},   /* Arabic pound and piastre marks above */
    {0x08e2, 0x08e2},   /* Arabic disputed end of ayah */
    {0x180e, 0x180e},   /* Mongolian vowel separator */
    {0x200b, 0x200f},   /* zero-width space, non-joiner, joiner; LRM, RLM */
    {0x2028, 0x202e},   /* line, paragraph separators; LRE RLE PDF LRO RLO */
    {0x2060, 0x206f},   /* word joiner, invisible operators, isolates */
    {0xfeff, 0xfeff},   /* zero-width no-break space (BOM) */
    {0xfff9, 0xfffb},   /* interlinear annotation */
    {0x110bd, 0x110bd}, /* Kaithi number sign */
    {0x110cd, 0x110cd}, /* Kaithi number sign above */
    {0x13430, 0x1343f}, /* Egyptian hieroglyph format controls */
    {0x1bca0, 0x1bca3}, /* shorthand format controls */
    {0x1d173, 0x1d17a}, /* musical symbol beams, ties, slurs, phrases */
    {0xe0001, 0xe0001}, /* language tag */
    {0xe0020, 0xe007f}, /* tag characters */
};

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

static int
text_is_format(uint32_t cp)
{
	size_t lo = 0, hi = sizeof text_format / sizeof text_format[0], mid;

	if (cp < text_format[0].lo)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < text_format[mid].lo)
			hi = mid;
		else if (cp > text_format[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
proto_text_hazard(uint32_t cp)
{
	return text_is_control(cp) || text_is_format(cp);
}

enum text_problem
text_check(const char *s, size_t len, size_t *at, uint32_t *bad)
{
	size_t i = 0, n;
	uint32_t cp;

	*bad = 0;
	while (i < len) {
		n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			*at = i;
			return TEXT_INVALID_UTF8;
		}
		if (text_is_control(cp) || text_is_format(cp)) {
			*at = i;
			*bad = cp;
			return text_is_control(cp) ? TEXT_CONTROL : TEXT_FORMAT;
		}
		i += n;
	}
	*at = len;
	return TEXT_CLEAN;
}

int
text_readable(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0 || text_is_control(cp))
			return -1;
		i += n;
	}
	return 0;
}

int
proto_text_valid(const char *s, size_t len)
{
	uint32_t cp;
	size_t at;

	return text_check(s, len, &at, &cp) == TEXT_CLEAN ? 0 : -1;
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

/* \u{XXXX}: the code point as in "U+XXXX", at least four hex digits. */
static size_t
text_put_codepoint(char *out, uint32_t cp)
{
	static const char hex[] = "0123456789ABCDEF";
	int shift = cp > 0xfffff ? 20 : cp > 0xffff ? 16 : 12;
	size_t o = 0;

	out[o++] = '\\';
	out[o++] = 'u';
	out[o++] = '{';
	for (; shift >= 0; shift -= 4)
		out[o++] = hex[(cp >> shift) & 0xf];
	out[o++] = '}';
	return o;
}

/* Not isxdigit(): the C locale's answer, whatever the caller's locale. */
static int
text_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * Does the backslash at s[0] start what an escape looks like (\xNN or
 * \u{)?  Only such a one must be doubled where text is shown to people:
 * any other stays as typed (C:\temp), and an escape still cannot be faked.
 */
static int
text_looks_escape(const char *s, size_t len)
{
	if (len >= 3 && s[1] == 'u' && s[2] == '{')
		return 1;
	return len >= 4 && s[1] == 'x' && text_is_hex(s[2]) &&
	       text_is_hex(s[3]);
}

size_t
proto_text_escape(char *out, size_t outlen, const char *s, size_t len)
{
	return text_escape(out, outlen, s, len, 0);
}

size_t
proto_text_show(char *out, size_t outlen, const char *s, size_t len)
{
	return text_escape(out, outlen, s, len, 1);
}

static size_t
text_escape(char *out, size_t outlen, const char *s, size_t len, int show)
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
		} else if (cp == '\\' &&
			   (!show || text_looks_escape(s + i, len - i))) {
			tmp[0] = '\\';
			tmp[1] = '\\';
			tn = 2;
		} else if (n == 1 && text_is_control(cp)) {
			tn = text_put_escape(tmp, (unsigned char)s[i]);
		} else if (proto_text_hazard(cp)) {
			tn = text_put_codepoint(tmp, cp);
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
