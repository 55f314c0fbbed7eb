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
