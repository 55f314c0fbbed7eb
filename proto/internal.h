/*
 * internal.h - helpers shared by the files of proto/ and nobody else.
 */
#ifndef TURTLENET_PROTO_INTERNAL_H
#define TURTLENET_PROTO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* number.c */
enum number_result {
	NUMBER_OK,
	NUMBER_SYNTAX, /* not an integer: junk, empty, lone sign */
	NUMBER_RANGE   /* an integer, but outside [min,max] or overflowing */
};
enum number_result number_parse(
    const char *s, size_t len, long long min, long long max, long long *out);
enum number_result number_parse_u64(const char *s, size_t len, uint64_t *out);

/* text.c */
/*
 * Decodes one strict UTF-8 sequence at s (no overlong forms, no
 * surrogates, nothing above U+10FFFF).  Returns its length (1-4) with *cp
 * set, or 0 when the bytes are not valid UTF-8.
 */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* C0, DEL or C1. */
int text_is_control(uint32_t cp);
enum text_problem {
	TEXT_CLEAN,
	TEXT_INVALID_UTF8,
	TEXT_CONTROL, /* C0, DEL, C1 */
	TEXT_FORMAT   /* a format character or separator (text.c) */
};
/* What is first wrong with s, at which byte offset (*at), and for a
 * control or format character which one (*cp). */
enum text_problem text_check(
    const char *s, size_t len, size_t *at, uint32_t *cp);
/*
 * 0 if s[0..len) is valid UTF-8 without control characters: text a client
 * takes from a server line although it may hold format characters (an
 * older turtled let them through), since every display escapes them.
 */
int text_readable(const char *s, size_t len);

/* parse.c */
/* Writes a sentence into why (if any); always NUL-terminated. */
void parse_why(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
