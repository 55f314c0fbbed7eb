/*
 * log.c - the log file shared by the master and every worker.
 *
 * The file is opened with O_APPEND and each line goes out in one write(),
 * so lines from several processes (and several server runs) never
 * interleave.  Text is escaped on the way in: a client's bytes can reach
 * the log only as printable text.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "server.h"

#define LOG_LINE_MAX 2048

static const char *const log_level_names[] = {"error", "warn", "info", "debug"};

static int log_open_fd(const char *, char **);
static void log_vwrite(struct logger *, enum log_level, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

/*
 * The log is opened where it is named, never through a symbolic link
 * (O_NOFOLLOW; a dangling one is refused as well, O_CREAT would make its
 * target): a link in a directory someone else can write to would have
 * turtled append to, or create, any file it may write (/etc as root).
 * An existing file must be a regular one of ours with no other name: one
 * that belongs to someone else, or is a hard link, may be another file we
 * were pointed at.  A character device (/dev/null, a terminal) is taken
 * as it is: nobody but root can make one.
 */
static int
log_open_fd(const char *path, char **cause)
{
	char dir[SERVER_PATH_MAX];
	char *slash;
	struct stat sb;
	int fd, flags;

	util_strlcpy(dir, path, sizeof dir);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (common_path_mkdirs(dir, 0700, cause) != 0)
			return -1;
	}
	/* O_NONBLOCK: a FIFO with no reader fails instead of hanging. */
	fd = open(path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    0600);
	if (fd == -1 && errno == ELOOP) {
		*cause =
		    common_xprintf("refusing log %s: it is a symbolic link, "
				   "which could make turtled write to any "
				   "file (name the file itself)",
			path);
		return -1;
	}
	if (fd == -1) {
		*cause = common_xprintf(
		    "cannot open log %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		*cause = common_xprintf(
		    "cannot check log %s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISREG(sb.st_mode)) {
		if (sb.st_uid != geteuid()) {
			*cause = common_xprintf(
			    "refusing log %s: it belongs to uid %ld, not to "
			    "uid %ld that turtled runs as, so it may be "
			    "another user's file",
			    path, (long)sb.st_uid, (long)geteuid());
			goto fail;
		}
		if (sb.st_nlink != 1) {
			*cause = common_xprintf(
			    "refusing log %s: it has %lu names (hard links), "
			    "so it may be another file under a new name",
			    path, (unsigned long)sb.st_nlink);
			goto fail;
		}
	} else if (!S_ISCHR(sb.st_mode)) {
		*cause = common_xprintf("refusing log %s: it is not a regular "
					"file",
		    path);
		goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		*cause = common_xprintf(
		    "cannot set up log %s: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int
log_open(struct logger *lg, const char *path, enum log_level level,
    int to_stderr, char **cause)
{
	memset(lg, 0, sizeof *lg);
	lg->fd = -1;
	lg->level = level;
	lg->to_stderr = to_stderr;
	lg->pid = getpid();
	util_strlcpy(lg->role, "master", sizeof lg->role);
	if (util_strlcpy(lg->path, path, sizeof lg->path) >= sizeof lg->path) {
		*cause = common_xprintf("log path too long: %s", path);
		return -1;
	}
	lg->fd = log_open_fd(lg->path, cause);
	return lg->fd == -1 ? -1 : 0;
}

/* SIGHUP: a rotated log file gets a fresh one; the old fd stays on error. */
int
log_reopen(struct logger *lg, char **cause)
{
	int fd;

	fd = log_open_fd(lg->path, cause);
	if (fd == -1)
		return -1;
	if (lg->fd != -1)
		close(lg->fd);
	lg->fd = fd;
	return 0;
}

void
log_close(struct logger *lg)
{
	if (lg->fd != -1)
		close(lg->fd);
	lg->fd = -1;
}

void
log_set_role(struct logger *lg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lg->role, sizeof lg->role, fmt, ap);
	va_end(ap);
	lg->pid = getpid();
}

/*
 * log_set_role(lg, "worker cid=%d", cid) without printf: a new worker
 * need not fault in the formatting code before it has anything to say.
 */
void
log_set_worker(struct logger *lg, int cid)
{
	static const char prefix[] = "worker cid=";
	char digits[16];
	size_t n = 0, len = sizeof prefix - 1;
	unsigned v = cid < 0 ? 0 : (unsigned)cid;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && n < sizeof digits);
	memcpy(lg->role, prefix, len);
	while (n > 0 && len < sizeof lg->role - 1)
		lg->role[len++] = digits[--n];
	lg->role[len] = '\0';
	lg->pid = getpid();
}

static void
log_vwrite(struct logger *lg, enum log_level level, const char *fmt, va_list ap)
{
	char text[LOG_LINE_MAX], line[LOG_LINE_MAX + 256];
	struct timespec ts;
	struct tm tm;
	int n, len;
	int saved = errno;

	if (level > lg->level)
		return;
	n = vsnprintf(text, sizeof text, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof text)
		n = (int)sizeof text - 1;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	len = snprintf(line, sizeof line,
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ pid=%ld %s %s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, ts.tv_nsec / 1000000, (long)lg->pid, lg->role,
	    log_level_names[level]);
	if (len < 0 || (size_t)len >= sizeof line - 2)
		return;
	len += (int)proto_text_escape(
	    line + len, sizeof line - 1 - (size_t)len, text, (size_t)n);
	line[len++] = '\n';

	if (lg->fd != -1 && write(lg->fd, line, (size_t)len) == -1) {
		/* Nowhere left to say it; the stderr copy may still work. */
	}
	if (lg->to_stderr && write(STDERR_FILENO, line, (size_t)len) == -1) {
		/* As above. */
	}
	errno = saved;
}

void
log_error(struct logger *lg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(lg, LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
}

void
log_warn(struct logger *lg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(lg, LOG_LEVEL_WARN, fmt, ap);
	va_end(ap);
}

void
log_info(struct logger *lg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(lg, LOG_LEVEL_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(struct logger *lg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(lg, LOG_LEVEL_DEBUG, fmt, ap);
	va_end(ap);
}

/*
 * An impossible state (tmux's fatal): the reason and strerror(errno) as an
 * error line, then abort().  common_fatal() says it on stderr, which a
 * daemon no longer has; this says it where turtled's log goes.
 */
void
log_fatal(struct logger *lg, const char *fmt, ...)
{
	const char *why = strerror(errno);
	char text[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	log_error(lg, "%s: %s", text, why);
	abort();
}

/* The same without errno (tmux's fatalx). */
void
log_fatalx(struct logger *lg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(lg, LOG_LEVEL_ERROR, fmt, ap);
	va_end(ap);
	abort();
}
