/*
 * activate.c - sockets handed over by systemd (socket activation).
 *
 * sd_listen_fds(3) written out: when LISTEN_PID is our pid, LISTEN_FDS
 * descriptors from 3 on are ours.  We take one listening AF_UNIX stream
 * socket and, if present, the datagram socket at its PATH.ping; the
 * variables are removed so nothing we start sees them.  The socket file
 * belongs to whoever made it: turtled never removes it (a .ping it binds
 * itself is its own, as usual).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

/* sd_listen_fds(3): the first passed descriptor. */
#define ACTIVATE_FD_START 3
/* More than a stream and a datagram socket is a unit we do not know. */
#define ACTIVATE_FDS_MAX 16

static int activate_number(const char *, const char *, long, long *, char **);
static int activate_path(int, char *, size_t, char **);
static int activate_one(struct activation *, int, char **);
static int activate_nonblock(int, char **);
static int activate_check(struct activation *, char *, size_t, char **);

/* A variable's value as a number from 0 to max, the whole string. */
static int
activate_number(
    const char *name, const char *s, long max, long *out, char **cause)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v > max) {
		*cause = common_xprintf("bad %s=\"%.32s\"", name, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The file a passed socket is bound to, made absolute. */
static int
activate_path(int fd, char *out, size_t outlen, char **cause)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof sun;
	size_t n;

	memset(&sun, 0, sizeof sun);
	if (getsockname(fd, (struct sockaddr *)&sun, &len) == -1) {
		*cause = common_xprintf(
		    "getsockname on descriptor %d: %s", fd, strerror(errno));
		return -1;
	}
	n = len > offsetof(struct sockaddr_un, sun_path)
		? len - offsetof(struct sockaddr_un, sun_path)
		: 0;
	if (n == 0 || sun.sun_path[0] == '\0' || n >= sizeof sun.sun_path) {
		*cause = common_xprintf("socket-activated descriptor %d is not "
					"bound to a file (abstract and unnamed "
					"sockets are not supported)",
		    fd);
		return -1;
	}
	sun.sun_path[n] = '\0';
	return util_absolute(out, outlen, sun.sun_path, cause);
}

/* Files one passed descriptor as the stream or the datagram socket. */
static int
activate_one(struct activation *act, int fd, char **cause)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int type, listening = 0;
	socklen_t olen = sizeof type;

	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1) {
		*cause = common_xprintf(
		    "socket-activated descriptor %d: %s", fd, strerror(errno));
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &olen) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1) {
		*cause = common_xprintf(
		    "socket-activated descriptor %d is not a socket", fd);
		return -1;
	}
	if (ss.ss_family != AF_UNIX) {
		*cause = common_xprintf("socket-activated descriptor %d is not "
					"an AF_UNIX socket (TCP: use -l)",
		    fd);
		return -1;
	}
	if (type == SOCK_STREAM) {
		olen = sizeof listening;
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
			&olen) == -1 ||
		    !listening) {
			*cause = common_xprintf(
			    "socket-activated descriptor %d is not a listening "
			    "socket (the unit needs Accept=no)",
			    fd);
			return -1;
		}
		if (act->stream != -1) {
			*cause = common_xprintf(
			    "more than one socket-activated stream socket");
			return -1;
		}
		act->stream = fd;
	} else if (type == SOCK_DGRAM) {
		if (act->dgram != -1) {
			*cause = common_xprintf(
			    "more than one socket-activated datagram socket");
			return -1;
		}
		act->dgram = fd;
	} else {
		*cause =
		    common_xprintf("socket-activated descriptor %d is neither "
				   "a stream nor a datagram socket",
			fd);
		return -1;
	}
	return 0;
}

/* systemd passes blocking sockets; the master's loop needs them not to be. */
static int
activate_nonblock(int fd, char **cause)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		*cause = common_xprintf(
		    "socket-activated descriptor %d: %s", fd, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The stream socket names the server's path; -S, if given, must agree, and
 * a datagram socket must sit at PATH.ping, where clients look for it.
 */
static int
activate_check(struct activation *act, char *path, size_t pathlen, char **cause)
{
	char spath[SERVER_PATH_MAX], dpath[SERVER_PATH_MAX];
	char want[SERVER_PATH_MAX + 8];

	if (act->stream == -1) {
		*cause = common_xprintf(
		    "socket activation passed no AF_UNIX stream socket");
		return -1;
	}
	if (activate_path(act->stream, spath, sizeof spath, cause) != 0)
		return -1;
	if (path[0] != '\0' && strcmp(path, spath) != 0) {
		*cause = common_xprintf(
		    "-S %s is not the socket-activated socket %s", path, spath);
		return -1;
	}
	if (strlen(spath) >= pathlen) {
		*cause = common_xprintf("socket path too long: %s", spath);
		return -1;
	}
	if (act->dgram != -1) {
		if (activate_path(act->dgram, dpath, sizeof dpath, cause) != 0)
			return -1;
		snprintf(want, sizeof want, "%s.ping", spath);
		if (strcmp(dpath, want) != 0) {
			*cause = common_xprintf("the socket-activated datagram "
						"socket is %s, not %s",
			    dpath, want);
			return -1;
		}
	}
	if (activate_nonblock(act->stream, cause) != 0 ||
	    (act->dgram != -1 && activate_nonblock(act->dgram, cause) != 0))
		return -1;
	memcpy(path, spath, strlen(spath) + 1);
	return 0;
}

/*
 * act->on is 0 when we were not socket-activated (no LISTEN_FDS, or they
 * are another process's).  Otherwise the sockets are in *act and path
 * holds the stream socket's file.  -1 with the reason if what was passed
 * is not what turtled serves.
 */
int
activate_take(struct activation *act, char *path, size_t pathlen, char **cause)
{
	char pidstr[32], fdsstr[32];
	const char *s;
	long pid, n, i;
	int have_pid, have_fds;

	memset(act, 0, sizeof *act);
	act->stream = act->dgram = -1;

	/* Copied, then gone from the environment whatever they say. */
	s = getenv("LISTEN_PID");
	have_pid = s != NULL;
	snprintf(pidstr, sizeof pidstr, "%s", have_pid ? s : "");
	s = getenv("LISTEN_FDS");
	have_fds = s != NULL;
	snprintf(fdsstr, sizeof fdsstr, "%s", have_fds ? s : "");
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (!have_pid || !have_fds)
		return 0;

	if (activate_number("LISTEN_PID", pidstr, 1L << 30, &pid, cause) != 0)
		return -1;
	if (pid != (long)getpid())
		return 0;
	if (activate_number(
		"LISTEN_FDS", fdsstr, ACTIVATE_FDS_MAX, &n, cause) != 0)
		return -1;
	if (n == 0)
		return 0;

	for (i = 0; i < n; i++) {
		if (activate_one(act, ACTIVATE_FD_START + (int)i, cause) != 0)
			goto fail;
	}
	if (activate_check(act, path, pathlen, cause) != 0)
		goto fail;
	act->on = 1;
	return 0;
fail:
	act->stream = act->dgram = -1;
	return -1;
}

/*
 * Puts the passed sockets in the listen set instead of binding.  Without
 * a passed datagram socket (systemd-socket-activate passes one kind) the
 * ping endpoint is bound here, beside the stream socket, like listen.c
 * does.
 */
int
activate_listen(
    struct listen_set *ls, const struct activation *act, char **cause)
{
	struct sockaddr_un sun;
	int fd;

	listen_add(ls, act->stream, 0, ls->path);
	ls->own_path = 0;
	if (act->dgram != -1) {
		listen_add_dgram(ls, act->dgram);
		return 0;
	}

	if (listen_stale(ls->ping, SOCK_DGRAM, cause) != 0)
		return -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (util_strlcpy(sun.sun_path, ls->ping, sizeof sun.sun_path) >=
	    sizeof sun.sun_path) {
		*cause = common_xprintf("socket path too long: %s", ls->ping);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		*cause = common_xprintf("socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		*cause = common_xprintf(
		    "cannot bind %s: %s", ls->ping, strerror(errno));
		close(fd);
		return -1;
	}
	ls->own_ping = 1;
	listen_add_dgram(ls, fd);
	return 0;
}
