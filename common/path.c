/*
 * path.c - where turtled and turtle meet, and where they keep their state.
 *
 * A bare "turtle" must find the socket a bare "turtled" made, so the
 * default socket path, its directory's check and the name of the
 * datagram endpoint beside it are computed here, once, for both.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

/*
 * The effective uid, not the real one: it is what owns what we create
 * (mkdir gives the directory our effective uid), so it is the only uid
 * whose directory we can both make and then find to be ours.  Were the
 * two to differ (a set-uid program, or one started by it), the real uid
 * would name a directory that the check then refuses, and client and
 * server would each look somewhere else.  SO_PEERCRED, which the server
 * trusts for _exit, reports the peer's effective uid as well.
 */
uid_t
common_path_owner(void)
{
	return geteuid();
}

int
common_path_sockdir(char *out, size_t outlen, char **cause)
{
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	int n;

	/* XDG says a relative runtime directory is to be ignored. */
	if (runtime != NULL && runtime[0] == '/')
		n = snprintf(out, outlen, "%s/turtlenet", runtime);
	else
		n = snprintf(out, outlen, "/tmp/turtlenet-%ld",
		    (long)common_path_owner());
	if (n < 0 || (size_t)n >= outlen) {
		*cause = common_xprintf("socket directory name too long");
		return -1;
	}
	return 0;
}

/*
 * A directory someone else made, or may write to, could hold a socket
 * that impersonates the server or swap ours: it is refused, as tmux does.
 */
int
common_path_check(const char *dir, int flags, char **cause)
{
	struct stat sb;

	if ((flags & COMMON_PATH_CREATE) && mkdir(dir, 0700) == -1 &&
	    errno != EEXIST) {
		*cause = common_xprintf(
		    "cannot create directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &sb) == -1) {
		if (errno == ENOENT && !(flags & COMMON_PATH_CREATE))
			return 0;
		*cause = common_xprintf(
		    "cannot check directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != common_path_owner() ||
	    (sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		*cause =
		    common_xprintf("directory %s has unsafe permissions", dir);
		return -1;
	}
	return 0;
}

/*
 * One directory that holds, or leads to, a named socket.  Whoever may
 * write to a directory may rename or remove what is in it, and its owner
 * always may: either could put another socket where ours was (the sticky
 * bit, as on /tmp, leaves each entry to its owner).  So it must belong to
 * us or to root, who can replace anything anyway (a system directory such
 * as /run/turtlenet or /tmp), and be writable by nobody else unless it is
 * sticky.  A directory we cannot see is no verdict: the bind or connect
 * that follows says what is wrong.
 */
static int
path_dir_safe(const char *dir, int flags, char **cause)
{
	struct stat sb;
	mode_t w;

	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		return 0;
	if (!(flags & COMMON_PATH_ANY_OWNER) && sb.st_uid != 0 &&
	    sb.st_uid != common_path_owner()) {
		*cause = common_xprintf("directory %s belongs to uid %ld, "
					"neither ours (%ld) nor root's, so its "
					"owner could replace the socket there",
		    dir, (long)sb.st_uid, (long)common_path_owner());
		return -1;
	}
	w = sb.st_mode & (S_IWGRP | S_IWOTH);
	if (w != 0 && !(sb.st_mode & S_ISVTX)) {
		*cause = common_xprintf("directory %s is writable by %s "
					"without the sticky bit (mode %04o), "
					"so another user could replace the "
					"socket there",
		    dir,
		    w == (S_IWGRP | S_IWOTH) ? "group and others"
		    : w == S_IWGRP           ? "its group"
					     : "others",
		    (unsigned)(sb.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* dir (absolute, changed in place) and each directory above it. */
static int
path_walk(char *dir, int flags, char **cause)
{
	char *slash;

	for (;;) {
		if (path_dir_safe(dir, flags, cause) != 0)
			return -1;
		slash = strrchr(dir, '/');
		if (slash == NULL || strcmp(dir, "/") == 0)
			return 0;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/*
 * Both the directories as named and as resolved are walked: a link on
 * the way is as good as the directory it sits in, and the directory it
 * leads to must be as safe as any other.
 */
int
common_path_check_socket(const char *path, int flags, char **cause)
{
	char cwd[COMMON_PATH_MAX], dir[COMMON_PATH_MAX], *real, *slash;
	int n, rc;

	if (path[0] == '/')
		cwd[0] = '\0';
	else if (getcwd(cwd, sizeof cwd) == NULL) {
		*cause = common_xprintf(
		    "cannot find the current directory: %s", strerror(errno));
		return -1;
	}
	n = snprintf(
	    dir, sizeof dir, "%s%s%s", cwd, cwd[0] != '\0' ? "/" : "", path);
	if (n < 0 || (size_t)n >= sizeof dir) {
		*cause = common_xprintf("socket path too long: %s", path);
		return -1;
	}
	/* The directory: what is before the last name ("a/b/" names b). */
	while ((slash = strrchr(dir, '/')) != dir && slash[1] == '\0')
		*slash = '\0';
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';

	real = realpath(dir, NULL);
	if (path_walk(dir, flags, cause) != 0)
		rc = -1;
	else
		rc = real != NULL ? path_walk(real, flags, cause) : 0;
	free(real);
	return rc;
}

int
common_path_socket(char *out, size_t outlen, int flags, char **cause)
{
	char dir[COMMON_PATH_MAX];
	int n;

	if (common_path_sockdir(dir, sizeof dir, cause) != 0 ||
	    common_path_check(dir, flags, cause) != 0)
		return -1;
	n = snprintf(out, outlen, "%s/default", dir);
	if (n < 0 || (size_t)n >= outlen) {
		*cause = common_xprintf("socket path %s/default too long", dir);
		return -1;
	}
	return 0;
}

int
common_path_ping(char *out, size_t outlen, const char *path)
{
	int n;

	n = snprintf(out, outlen, "%s.ping", path);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int
common_path_mkdirs(const char *dir, mode_t mode, char **cause)
{
	char tmp[COMMON_PATH_MAX];
	char *p;

	if (strlen(dir) >= sizeof tmp) {
		*cause = common_xprintf("path too long: %s", dir);
		return -1;
	}
	strcpy(tmp, dir);
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) == -1 && errno != EEXIST) {
			*cause =
			    common_xprintf("cannot create directory %s: %s",
				tmp, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	if (mkdir(tmp, mode) == -1 && errno != EEXIST) {
		*cause = common_xprintf(
		    "cannot create directory %s: %s", tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int
common_path_statedir(char *out, size_t outlen, const char *home)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *env = getenv("HOME");
	int n;

	if (state != NULL && state[0] == '/')
		n = snprintf(out, outlen, "%s/turtlenet", state);
	else {
		if (env != NULL && env[0] == '/')
			home = env;
		if (home == NULL)
			return -1;
		n = snprintf(out, outlen, "%s/.local/state/turtlenet", home);
	}
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
