/*
 * util.c - small helpers shared by the master and its workers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "server.h"

/*
 * Allocation failure in the master is not something it can serve through:
 * it stops with one message rather than limp on with a half-built state.
 */
void *
util_calloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		common_fatalx("out of memory");
	return p;
}

size_t
util_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size != 0) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

/* The daemon changes to /, so every path it keeps must be absolute. */
int
util_absolute(char *out, size_t outlen, const char *path, char **cause)
{
	char cwd[SERVER_PATH_MAX];
	int n;

	if (path[0] == '/') {
		if (util_strlcpy(out, path, outlen) >= outlen)
			goto toolong;
		return 0;
	}
	if (getcwd(cwd, sizeof cwd) == NULL) {
		*cause = common_xprintf(
		    "cannot find the current directory: %s", strerror(errno));
		return -1;
	}
	n = snprintf(out, outlen, "%s/%s", cwd, path);
	if (n < 0 || (size_t)n >= outlen)
		goto toolong;
	return 0;
toolong:
	*cause = common_xprintf("path too long: %s", path);
	return -1;
}
