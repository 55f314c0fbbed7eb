/*
 * fmt.c - building v1 server lines.
 *
 * A line that does not fit is void as a whole (overflow is sticky): a
 * client never gets half a line, and the caller learns it from
 * proto_fmt_end().
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void fmt_put(struct proto_buf *, const char *, size_t);
static void fmt_putc(struct proto_buf *, char);
static int fmt_word_ok(const char *, int);
static void fmt_word(struct proto_buf *, const char *);
static void fmt_key(struct proto_buf *, const char *);
static int fmt_is_bare(const char *, size_t);

void
proto_buf_init(struct proto_buf *b, char *p, size_t cap)
{
	b->p = p;
	b->cap = cap;
	b->len = 0;
	b->overflow = 0;
	if (cap > 0)
		p[0] = '\0';
}

static void
fmt_put(struct proto_buf *b, const char *s, size_t n)
{
	if (b->overflow)
		return;
	if (b->p == NULL || n > b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	/* NUL-terminated whenever there is room, for the debugger's sake. */
	if (b->len < b->cap)
		b->p[b->len] = '\0';
}

static void
fmt_putc(struct proto_buf *b, char c)
{
	fmt_put(b, &c, 1);
}

/* A word (ok WORD, err CODE, evt KIND, snap KIND) or a key: [a-z0-9_-]. */
static int
fmt_word_ok(const char *w, int dash)
{
	size_t i, n;

	if (w == NULL)
		return 0;
	n = strlen(w);
	if (n == 0 || n >= PROTO_WORD_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '_' || (dash && c == '-')))
			return 0;
	}
	return 1;
}

/* A bad word is a bug in the caller: void the line rather than send it. */
static void
fmt_word(struct proto_buf *b, const char *w)
{
	if (!fmt_word_ok(w, 1)) {
		b->overflow = 1;
		return;
	}
	fmt_put(b, w, strlen(w));
}

static void
fmt_key(struct proto_buf *b, const char *key)
{
	if (!fmt_word_ok(key, 0)) {
		b->overflow = 1;
		return;
	}
	fmt_putc(b, ' ');
	fmt_put(b, key, strlen(key));
	fmt_putc(b, '=');
}

void
proto_fmt_ok(struct proto_buf *b, const char *word)
{
	fmt_put(b, "ok ", 3);
	fmt_word(b, word);
}

void
proto_fmt_err(struct proto_buf *b, enum proto_err err, const char *msg)
{
	fmt_put(b, "err ", 4);
	fmt_word(b, proto_err_word(err));
	proto_fmt_str(b, "msg", msg != NULL ? msg : "");
}

void
proto_fmt_evt(struct proto_buf *b, uint64_t seq, const char *kind)
{
	char num[32];
	int n;

	n = snprintf(num, sizeof num, "evt %llu ", (unsigned long long)seq);
	fmt_put(b, num, (size_t)n);
	fmt_word(b, kind);
}

void
proto_fmt_snap(struct proto_buf *b, const char *kind)
{
	fmt_put(b, "snap ", 5);
	fmt_word(b, kind);
}

static int
fmt_is_bare(const char *v, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '=')
			return 0;
	}
	return 1;
}

void
proto_fmt_strn(
    struct proto_buf *b, const char *key, const char *val, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n, k;
	uint32_t cp;

	if (val == NULL)
		len = 0;
	fmt_key(b, key);
	if (fmt_is_bare(val, len)) {
		fmt_put(b, val, len);
		return;
	}
	fmt_putc(b, '"');
	for (i = 0; i < len; i += n) {
		char esc[4] = {'\\', 'x', 0, 0};

		n = text_utf8_decode(val + i, len - i, &cp);
		if (n > 1 && !proto_text_hazard(cp)) {
			fmt_put(b, val + i, n); /* UTF-8 passes through */
			continue;
		}
		if (n == 0)
			n = 1; /* not UTF-8: escape the one byte */
		for (k = 0; k < n; k++) {
			unsigned char c = (unsigned char)val[i + k];

			if (c == '"' || c == '\\') {
				esc[1] = (char)c;
				fmt_put(b, esc, 2);
			} else if (c == '\n' || c == '\r' || c == '\t') {
				esc[1] = c == '\n'   ? 'n'
					 : c == '\r' ? 'r'
						     : 't';
				fmt_put(b, esc, 2);
			} else if (c < 0x20 || c >= 0x7f) {
				esc[1] = 'x';
				esc[2] = hex[c >> 4];
				esc[3] = hex[c & 0xf];
				fmt_put(b, esc, 4);
			} else
				fmt_putc(b, (char)c);
		}
	}
	fmt_putc(b, '"');
}

void
proto_fmt_str(struct proto_buf *b, const char *key, const char *val)
{
	proto_fmt_strn(b, key, val, val != NULL ? strlen(val) : 0);
}

void
proto_fmt_int(struct proto_buf *b, const char *key, long long val)
{
	char num[24];
	int n;

	n = snprintf(num, sizeof num, "%lld", val);
	fmt_key(b, key);
	fmt_put(b, num, (size_t)n);
}

void
proto_fmt_uint(struct proto_buf *b, const char *key, uint64_t val)
{
	char num[24];
	int n;

	n = snprintf(num, sizeof num, "%llu", (unsigned long long)val);
	fmt_key(b, key);
	fmt_put(b, num, (size_t)n);
}

void
proto_fmt_num(struct proto_buf *b, const char *key, double val)
{
	char num[PROTO_DECIMAL_LEN];
	size_t n;

	n = proto_decimal_format(num, sizeof num, val, PROTO_DECIMALS);
	fmt_key(b, key);
	fmt_put(b, num, n);
}

int
proto_fmt_end(struct proto_buf *b)
{
	fmt_putc(b, '\n');
	return b->overflow ? -1 : 0;
}
