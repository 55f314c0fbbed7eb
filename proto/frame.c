/*
 * frame.c - splitting a byte stream into command lines.
 *
 * The lecture's client sends strlen+1 bytes of an fgets() line, so
 * "run 13 10\n\0" must be one command: LF, CRLF and NUL all end a line and
 * the empty line between "\n" and "\0" is skipped.
 */
#include "proto.h"

void
proto_framer_init(struct proto_framer *fr)
{
	fr->len = 0;
	fr->skipping = 0;
	fr->buf[0] = '\0';
}

/*
 * A returned line stays in buf until the next call: len is already 0 then,
 * so the next byte overwrites it.
 */
enum proto_frame
proto_framer_next(struct proto_framer *fr, const char **data, size_t *len,
    const char **line, size_t *linelen)
{
	while (*len > 0) {
		char c = **data;

		(*data)++;
		(*len)--;

		if (c == '\n' || c == '\0') {
			size_t n = fr->len;

			fr->len = 0;
			if (fr->skipping) {
				fr->skipping = 0;
				continue;
			}
			if (n > 0 && fr->buf[n - 1] == '\r')
				n--;
			if (n == 0)
				continue;
			fr->buf[n] = '\0';
			*line = fr->buf;
			*linelen = n;
			return PROTO_FRAME_LINE;
		}
		if (fr->skipping)
			continue;
		/*
		 * buf has one byte beyond PROTO_LINE_MAX: room for the CR of a
		 * CRLF after a line of exactly PROTO_LINE_MAX bytes, or for the
		 * NUL once that CR is stripped.
		 */
		if (fr->len < PROTO_LINE_MAX ||
		    (fr->len == PROTO_LINE_MAX && c == '\r')) {
			fr->buf[fr->len++] = c;
			continue;
		}
		fr->len = 0;
		fr->skipping = 1;
		return PROTO_FRAME_TOOLONG;
	}
	return PROTO_FRAME_MORE;
}
