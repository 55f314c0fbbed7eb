/*
 * fatal.c - stopping on an impossible state, in tmux's sense: fatal adds
 * strerror(errno), fatalx does not, and both abort() so that a core or the
 * sanitizers show where.  Errors a caller can recover from go back through
 * a char **cause instead.
 *
 * The line goes to stderr under the program's name, which is libc's
 * program_invocation_short_name (set from argv[0] before main, never
 * written here): no state of ours, so the rule of no mutable globals
 * outside main.c holds without a setup call.  turtled, whose stderr is
 * gone once it is a daemon, has log_fatal() and log_fatalx() as well,
 * which write through its struct logger (server/log.c).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define COMMON_FATAL_MAX 1024

static void common_vfatal(const char *, const char *, va_list)
    __attribute__((format(printf, 2, 0), noreturn));

/* One write(), so the line is not interleaved with another process's. */
static void
common_vfatal(const char *why, const char *fmt, va_list ap)
{
	char line[COMMON_FATAL_MAX];
	size_t len;
	int n;

	n = snprintf(line, sizeof line, "%s: ", program_invocation_short_name);
	len = n < 0 ? 0 : (size_t)n;
	if (len < sizeof line) {
		n = vsnprintf(line + len, sizeof line - len, fmt, ap);
		len += n < 0 ? 0 : (size_t)n;
	}
	if (why != NULL && len < sizeof line) {
		n = snprintf(line + len, sizeof line - len, ": %s", why);
		len += n < 0 ? 0 : (size_t)n;
	}
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	if (write(STDERR_FILENO, line, len) == -1) {
		/* Nowhere left to say it; the abort still tells. */
	}
	abort();
}

void
common_fatal(const char *fmt, ...)
{
	const char *why = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	common_vfatal(why, fmt, ap);
}

void
common_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	common_vfatal(NULL, fmt, ap);
}
