/*
 * msg.c - parsing v1 server lines, the client's side of fmt.c.
 *
 * The input comes from the network, so it is read strictly: anything
 * fmt.c would not have produced is refused as a whole, and nothing is
 * read past len.
 */
#include <string.h>

#include "internal.h"

struct msg_reader {
	const char *s;
	size_t len;
	size_t pos;
	struct proto_msg *m;
	size_t store_len;
};

static int msg_is_word_char(char, int);
static int msg_hex(char);
static int msg_store(struct msg_reader *, const char *, size_t);
static int msg_read_word(struct msg_reader *, int, const char **, size_t *);
static int msg_read_quoted(struct msg_reader *);
static int msg_read_bare(struct msg_reader *);
static int msg_read_field(struct msg_reader *);

static int
msg_is_word_char(char c, int dash)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       (dash && c == '-');
}

static int
msg_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
msg_store(struct msg_reader *r, const char *p, size_t n)
{
	if (n > sizeof r->m->store - r->store_len)
		return -1;
	memcpy(r->m->store + r->store_len, p, n);
	r->store_len += n;
	return 0;
}

/* A run of word characters, up to a space, '=' or the end. */
static int
msg_read_word(struct msg_reader *r, int dash, const char **w, size_t *wlen)
{
	size_t start = r->pos;

	while (r->pos < r->len && msg_is_word_char(r->s[r->pos], dash))
		r->pos++;
	if (r->pos == start)
		return -1;
	*w = r->s + start;
	*wlen = r->pos - start;
	return 0;
}

/* "..." with \" \\ \n \r \t \xNN; raw bytes must be clean UTF-8. */
static int
msg_read_quoted(struct msg_reader *r)
{
	r->pos++; /* the opening quote */
	for (;;) {
		char c, out;
		int hi, lo;
		size_t n;
		uint32_t cp;

		if (r->pos >= r->len)
			return -1; /* unterminated */
		c = r->s[r->pos];
		if (c == '"') {
			r->pos++;
			return msg_store(r, "", 1);
		}
		if (c != '\\') {
			n = text_utf8_decode(
			    r->s + r->pos, r->len - r->pos, &cp);
			if (n == 0 || text_is_control(cp))
				return -1;
			if (msg_store(r, r->s + r->pos, n) != 0)
				return -1;
			r->pos += n;
			continue;
		}
		if (r->pos + 1 >= r->len)
			return -1;
		switch (r->s[r->pos + 1]) {
		case '"':
			out = '"';
			break;
		case '\\':
			out = '\\';
			break;
		case 'n':
			out = '\n';
			break;
		case 'r':
			out = '\r';
			break;
		case 't':
			out = '\t';
			break;
		case 'x':
			if (r->pos + 3 >= r->len)
				return -1;
			hi = msg_hex(r->s[r->pos + 2]);
			lo = msg_hex(r->s[r->pos + 3]);
			/* A NUL would cut the value short: refused. */
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			out = (char)(hi << 4 | lo);
			r->pos += 2;
			break;
		default:
			return -1;
		}
		r->pos += 2;
		if (msg_store(r, &out, 1) != 0)
			return -1;
	}
}

/* Printable ASCII other than space, '"', '\\' and '='; at least one. */
static int
msg_read_bare(struct msg_reader *r)
{
	size_t start = r->pos;

	while (r->pos < r->len && r->s[r->pos] != ' ') {
		unsigned char c = (unsigned char)r->s[r->pos];

		if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == '=')
			return -1;
		r->pos++;
	}
	if (r->pos == start)
		return -1;
	if (msg_store(r, r->s + start, r->pos - start) != 0)
		return -1;
	return msg_store(r, "", 1);
}

/* " key=value" */
static int
msg_read_field(struct msg_reader *r)
{
	struct proto_msg *m = r->m;
	const char *key;
	size_t klen, i, kat, vat;

	if (r->s[r->pos] != ' ')
		return -1;
	r->pos++;
	if (msg_read_word(r, 0, &key, &klen) != 0 || klen >= PROTO_WORD_MAX)
		return -1;
	if (r->pos >= r->len || r->s[r->pos] != '=')
		return -1;
	r->pos++;
	if (m->nfields == PROTO_FIELDS_MAX)
		return -1;
	for (i = 0; i < m->nfields; i++) {
		if (strlen(m->f[i].key) == klen &&
		    memcmp(m->f[i].key, key, klen) == 0)
			return -1; /* a key twice: which one is true? */
	}
	kat = r->store_len;
	if (msg_store(r, key, klen) != 0 || msg_store(r, "", 1) != 0)
		return -1;
	vat = r->store_len;
	if (r->pos < r->len && r->s[r->pos] == '"') {
		if (msg_read_quoted(r) != 0)
			return -1;
	} else if (msg_read_bare(r) != 0)
		return -1;
	if (r->pos < r->len && r->s[r->pos] != ' ')
		return -1;
	m->f[m->nfields].key = m->store + kat;
	m->f[m->nfields].val = m->store + vat;
	m->nfields++;
	return 0;
}

int
proto_msg_parse(const char *line, size_t len, struct proto_msg *m)
{
	struct msg_reader r;
	const char *w;
	size_t wlen;

	if (line == NULL || m == NULL || len > PROTO_OUT_MAX)
		return -1;
	if (len > 0 && line[len - 1] == '\n') {
		len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
	}
	m->nfields = 0;
	m->seq = 0;
	m->word[0] = '\0';
	r.s = line;
	r.len = len;
	r.pos = 0;
	r.m = m;
	r.store_len = 0;

	if (msg_read_word(&r, 0, &w, &wlen) != 0)
		return -1;
	if (wlen == 2 && memcmp(w, "ok", 2) == 0)
		m->type = PROTO_MSG_OK;
	else if (wlen == 3 && memcmp(w, "err", 3) == 0)
		m->type = PROTO_MSG_ERR;
	else if (wlen == 3 && memcmp(w, "evt", 3) == 0)
		m->type = PROTO_MSG_EVT;
	else if (wlen == 4 && memcmp(w, "snap", 4) == 0)
		m->type = PROTO_MSG_SNAP;
	else
		return -1;

	if (r.pos >= r.len || r.s[r.pos] != ' ')
		return -1;
	r.pos++;
	if (m->type == PROTO_MSG_EVT) {
		if (msg_read_word(&r, 0, &w, &wlen) != 0 ||
		    number_parse_u64(w, wlen, &m->seq) != NUMBER_OK)
			return -1;
		if (r.pos >= r.len || r.s[r.pos] != ' ')
			return -1;
		r.pos++;
	}
	if (msg_read_word(&r, 1, &w, &wlen) != 0 || wlen >= PROTO_WORD_MAX)
		return -1;
	memcpy(m->word, w, wlen);
	m->word[wlen] = '\0';

	while (r.pos < r.len) {
		if (msg_read_field(&r) != 0) {
			m->nfields = 0;
			return -1;
		}
	}
	return 0;
}

const char *
proto_msg_get(const struct proto_msg *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->nfields; i++) {
		if (strcmp(m->f[i].key, key) == 0)
			return m->f[i].val;
	}
	return NULL;
}

int
proto_msg_get_int(const struct proto_msg *m, const char *key, long long min,
    long long max, long long *out)
{
	const char *v;

	v = proto_msg_get(m, key);
	if (v == NULL)
		return -1;
	if (number_parse(v, strlen(v), min, max, out) != NUMBER_OK)
		return -1;
	return 0;
}

int
proto_msg_get_num(const struct proto_msg *m, const char *key, double min,
    double max, double *out)
{
	const char *v;
	double d;

	v = proto_msg_get(m, key);
	if (v == NULL || proto_decimal_parse(v, strlen(v), &d) != 0)
		return -1;
	if (d < min || d > max)
		return -1;
	*out = d;
	return 0;
}
