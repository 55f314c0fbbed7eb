/*
 * number.c - decimal integers from outside input, with range and overflow
 * checks (strtol and sscanf accept junk or wrap silently).
 */
#include "internal.h"

#include <limits.h>

/* Integers with an optional sign and only digits; nothing before or after. */
enum number_result
number_parse(
    const char *s, size_t len, long long min, long long max, long long *out)
{
	size_t i = 0;
	int neg = 0, overflow = 0;
	unsigned long long mag = 0, limit;

	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		return NUMBER_SYNTAX;
	/* The magnitude of LLONG_MIN does not fit a long long. */
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return NUMBER_SYNTAX;
		d = (unsigned)(s[i] - '0');
		if (overflow)
			continue;
		if (mag > (limit - d) / 10)
			overflow = 1;
		else
			mag = mag * 10 + d;
	}
	if (overflow)
		return NUMBER_RANGE;
	if (neg) {
		long long v;

		if (mag == (unsigned long long)LLONG_MAX + 1)
			v = LLONG_MIN;
		else
			v = -(long long)mag;
		if (v < min || v > max)
			return NUMBER_RANGE;
		*out = v;
	} else {
		if ((long long)mag < min || (long long)mag > max)
			return NUMBER_RANGE;
		*out = (long long)mag;
	}
	return NUMBER_OK;
}

/* Unsigned 64-bit decimal, digits only (sequence numbers, counters). */
enum number_result
number_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int overflow = 0;

	if (len == 0)
		return NUMBER_SYNTAX;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return NUMBER_SYNTAX;
		d = (unsigned)(s[i] - '0');
		if (overflow || v > (UINT64_MAX - d) / 10)
			overflow = 1;
		else
			v = v * 10 + d;
	}
	if (overflow)
		return NUMBER_RANGE;
	*out = v;
	return NUMBER_OK;
}
