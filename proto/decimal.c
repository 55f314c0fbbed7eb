/*
 * decimal.c - plain decimal numbers on the wire: 12, -0.5, 33.333333.
 *
 * Written and read here, not with printf("%f") and strtod(): those follow
 * LC_NUMERIC, and the client runs under the user's locale (ncursesw needs
 * it), where a decimal comma would break the line for everyone.  No
 * exponent, at most PROTO_DECIMALS places, -0 written as 0.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const double decimal_pow10[] = {
    1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

size_t
proto_decimal_format(char *out, size_t outlen, double v, int places)
{
	long long r, scale, ip, fp;
	char frac[24];
	int n, i;

	if (outlen == 0)
		return 0;
	if (places < 0)
		places = 0;
	if (places > PROTO_DECIMALS)
		places = PROTO_DECIMALS;
	/* The world's numbers are far inside this; anything else is a bug
	 * upstream, written as the nearest bound rather than garbage. */
	if (!isfinite(v))
		v = 0;
	if (v > PROTO_DECIMAL_MAX)
		v = PROTO_DECIMAL_MAX;
	if (v < -PROTO_DECIMAL_MAX)
		v = -PROTO_DECIMAL_MAX;
	scale = (long long)decimal_pow10[places];
	r = llround(v * (double)scale);
	ip = (r < 0 ? -r : r) / scale;
	fp = (r < 0 ? -r : r) % scale;
	if (fp == 0) {
		n = snprintf(out, outlen, "%s%lld", r < 0 ? "-" : "", ip);
	} else {
		snprintf(frac, sizeof frac, "%0*lld", places, fp);
		for (i = places; i > 0 && frac[i - 1] == '0'; i--)
			frac[i - 1] = '\0';
		n = snprintf(
		    out, outlen, "%s%lld.%s", r < 0 ? "-" : "", ip, frac);
	}
	if (n < 0)
		return 0;
	return (size_t)n < outlen ? (size_t)n : outlen - 1;
}

/*
 * [-]DIGITS[.DIGITS]: at most 12 digits before the point and 9 after, so
 * the mantissa is exact in a double and one division rounds it.
 */
int
proto_decimal_parse(const char *s, size_t len, double *out)
{
	size_t i = 0, nint = 0, nfrac = 0;
	unsigned long long mant = 0;
	int neg = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nint++)
		mant = mant * 10 + (unsigned)(s[i] - '0');
	if (nint == 0 || nint > 12)
		return -1;
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nfrac++)
			mant = mant * 10 + (unsigned)(s[i] - '0');
		if (nfrac == 0 || nfrac > 9)
			return -1;
	}
	if (i != len)
		return -1;
	*out = (double)mant / decimal_pow10[nfrac];
	if (neg && *out != 0)
		*out = -*out;
	return 0;
}
