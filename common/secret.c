/*
 * secret.c - the secrets turtled and turtle are given (--token and the
 * like) kept out of other users' sight.
 *
 * A command line is public: every user can read it in ps(1) and
 * /proc/PID/cmdline.  So a secret comes best from a file or from the
 * environment (/proc/PID/environ is the owner's alone), and one given on
 * the command line anyway is overwritten there as soon as it is copied.
 * The comparison of a secret a client sends looks at every byte, so its
 * time does not tell how much of a guess was right.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int
common_secret_file(char *out, size_t outlen, const char *path, char **cause)
{
	char buf[COMMON_SECRET_FILE_MAX];
	size_t len = 0, n;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		*cause =
		    common_xprintf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* The first line is all we need: stop reading once it is in. */
	while (len < sizeof buf && memchr(buf, '\n', len) == NULL) {
		r = read(fd, buf + len, sizeof buf - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			*cause = common_xprintf(
			    "cannot read %s: %s", path, strerror(errno));
			close(fd);
			explicit_bzero(buf, sizeof buf);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	for (n = 0; n < len && buf[n] != '\n' && buf[n] != '\r'; n++)
		;
	if (n >= outlen || n == sizeof buf) {
		*cause = common_xprintf("the secret in %s is longer than %zu "
					"characters",
		    path, outlen - 1);
		explicit_bzero(buf, sizeof buf);
		return -1;
	}
	memcpy(out, buf, n);
	out[n] = '\0';
	explicit_bzero(buf, sizeof buf);
	return 0;
}

int
common_secret_env(char *out, size_t outlen, const char *name)
{
	const char *v = getenv(name);
	size_t n;

	if (v == NULL || v[0] == '\0')
		return 0;
	n = strlen(v);
	if (n >= outlen)
		return -1;
	memcpy(out, v, n + 1);
	/* Not handed on to the processes we start (turtle starts turtled). */
	unsetenv(name);
	return 1;
}

void
common_secret_wipe(char *arg)
{
	size_t n = strlen(arg);

	/* 'x' rather than NUL: the argument stays one, visibly wiped. */
	memset(arg, 'x', n);
	/* The compiler must not drop the store as dead. */
	__asm__ __volatile__("" : : "r"(arg) : "memory");
}

int
common_secret_equal(const char *a, const char *b, size_t size)
{
	unsigned char diff = 0, end_a = 0, end_b = 0, ca, cb;
	size_t i;

	/* Both strings NUL-padded to size bytes: no branch on their bytes. */
	for (i = 0; i < size; i++) {
		end_a |= (unsigned char)(a[i] == '\0');
		end_b |= (unsigned char)(b[i] == '\0');
		ca = (unsigned char)a[i] & (unsigned char)(end_a - 1);
		cb = (unsigned char)b[i] & (unsigned char)(end_b - 1);
		diff |= (unsigned char)(ca ^ cb);
	}
	return diff == 0;
}
