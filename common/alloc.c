/*
 * alloc.c - growing arrays and building strings, with one answer to
 * running out of memory.
 *
 * common_grow() is for the callers that can go on without the memory (a
 * client drops a line, the server refuses a connection); the x forms are
 * for the ones that cannot, and stop the program through common_fatalx().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

#define COMMON_GROW_MIN 16 /* elements in a first allocation */

void *
common_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *np;

	if (need <= *cap)
		return p;
	n = *cap > SIZE_MAX / 2 ? need : *cap * 2;
	if (n < need)
		n = need;
	if (n < COMMON_GROW_MIN)
		n = COMMON_GROW_MIN;
	/* Where twice as much does not fit, need alone still may. */
	if ((np = reallocarray(p, n, size)) == NULL && n != need) {
		n = need;
		np = reallocarray(p, n, size);
	}
	if (np == NULL)
		return NULL;
	*cap = n;
	return np;
}

void *
common_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	void *np;

	if ((np = common_grow(p, cap, need, size)) == NULL)
		common_fatalx("out of memory");
	return np;
}

void *
common_xreallocarray(void *p, size_t n, size_t size)
{
	void *np;

	if ((np = reallocarray(p, n == 0 ? 1 : n, size == 0 ? 1 : size)) ==
	    NULL)
		common_fatalx("out of memory");
	return np;
}

char *
common_xvprintf(const char *fmt, va_list ap)
{
	va_list copy;
	char *s;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		n = 0;
	if ((s = malloc((size_t)n + 1)) == NULL)
		common_fatalx("out of memory");
	if (vsnprintf(s, (size_t)n + 1, fmt, ap) < 0)
		s[0] = '\0';
	return s;
}

char *
common_xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = common_xvprintf(fmt, ap);
	va_end(ap);
	return s;
}
