/*
 * listen.c - binding the server's sockets.
 *
 * The UNIX socket lives in a directory only we can enter (its default path
 * and the directory's check are common_path_socket()'s, the client's
 * rule too).  A socket file
 * that exists is never taken over blindly: if a server answers there we
 * refuse to start, and only a stale socket (nobody listening) is removed.
 * Beside each stream listener there is a datagram endpoint for ping.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "server.h"

#define LISTEN_BACKLOG     4096
#define LISTEN_PORT0_TRIES 20

static int listen_sun(struct sockaddr_un *, const char *, char **);
static int listen_unix(struct listen_set *, char **);
static int listen_tcp(struct listen_set *, const char *, char **);
static int listen_tcp_one(
    struct listen_set *, const struct addrinfo *, const char *, char **);
static void listen_name(const struct sockaddr *, socklen_t, char *, size_t);

static int
listen_sun(struct sockaddr_un *sun, const char *path, char **cause)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (util_strlcpy(sun->sun_path, path, sizeof sun->sun_path) >=
	    sizeof sun->sun_path) {
		*cause = common_xprintf("socket path too long: %s", path);
		return -1;
	}
	return 0;
}

/*
 * 0 if path is free now (absent, or a stale socket we removed), -1 with
 * the reason otherwise.  Connecting first (with the socket type we would
 * bind there) is what keeps a second server from stealing a live one's
 * socket.
 */
int
listen_stale(const char *path, int type, char **cause)
{
	struct sockaddr_un sun;
	struct stat sb;
	int fd, rc, err;

	if (lstat(path, &sb) == -1) {
		if (errno == ENOENT)
			return 0;
		*cause = common_xprintf(
		    "cannot check %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(sb.st_mode)) {
		*cause = common_xprintf("%s exists and is not a socket", path);
		return -1;
	}
	if (listen_sun(&sun, path, cause) != 0)
		return -1;
	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		*cause = common_xprintf("socket: %s", strerror(errno));
		return -1;
	}
	rc = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	err = errno;
	close(fd);
	/* EPROTOTYPE: alive, but a socket of the other kind. */
	if (rc == 0 || err == EAGAIN || err == EINPROGRESS ||
	    err == EPROTOTYPE) {
		/* Only a stream socket would be a server; a .ping held by a
		 * process with no server beside it is someone else's. */
		if (type == SOCK_STREAM)
			*cause = common_xprintf(
			    "a server is already running on %s", path);
		else
			*cause = common_xprintf(
			    "%s is in use by another process", path);
		return -1;
	}
	if (err != ECONNREFUSED) {
		*cause =
		    common_xprintf("cannot check %s: %s", path, strerror(err));
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		*cause = common_xprintf(
		    "cannot remove stale socket %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void
listen_add(struct listen_set *ls, int fd, int tcp, const char *name)
{
	struct listener *l;

	ls->l = common_xreallocarray(ls->l, ls->nl + 1, sizeof *ls->l);
	l = &ls->l[ls->nl++];
	memset(l, 0, sizeof *l);
	l->fd = fd;
	l->tcp = tcp;
	util_strlcpy(l->name, name, sizeof l->name);
}

/*
 * On an AF_UNIX endpoint each datagram comes with its sender's
 * credentials (SO_PASSCRED), which a reply to a relative address needs
 * (dgram.c); without them such a reply is only logged as lost.
 */
void
listen_add_dgram(struct listen_set *ls, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	struct dgram *d;
	int one = 1;

	ls->d = common_xreallocarray(ls->d, ls->nd + 1, sizeof *ls->d);
	d = &ls->d[ls->nd++];
	memset(d, 0, sizeof *d);
	d->fd = fd;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    ss.ss_family == AF_UNIX)
		(void)setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
}

static int
listen_unix(struct listen_set *ls, char **cause)
{
	struct sockaddr_un sun;
	int fd, dfd;

	if (listen_sun(&sun, ls->path, cause) != 0 ||
	    listen_sun(&sun, ls->ping, cause) != 0)
		return -1;
	if (listen_stale(ls->path, SOCK_STREAM, cause) != 0)
		return -1;
	/* No server answers on the stream socket: a .ping is stale unless
	 * some other process still has it bound. */
	if (listen_stale(ls->ping, SOCK_DGRAM, cause) != 0)
		return -1;

	listen_sun(&sun, ls->path, cause);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		*cause = common_xprintf("socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		*cause = common_xprintf(
		    "cannot bind %s: %s", ls->path, strerror(errno));
		close(fd);
		return -1;
	}
	ls->own_path = 1;
	if (listen(fd, LISTEN_BACKLOG) == -1) {
		*cause = common_xprintf(
		    "cannot listen on %s: %s", ls->path, strerror(errno));
		close(fd);
		return -1;
	}
	listen_add(ls, fd, 0, ls->path);

	listen_sun(&sun, ls->ping, cause);
	dfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (dfd == -1) {
		*cause = common_xprintf("socket: %s", strerror(errno));
		return -1;
	}
	if (bind(dfd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		*cause = common_xprintf(
		    "cannot bind %s: %s", ls->ping, strerror(errno));
		close(dfd);
		return -1;
	}
	ls->own_ping = 1;
	listen_add_dgram(ls, dfd);
	return 0;
}

static void
listen_name(
    const struct sockaddr *sa, socklen_t salen, char *out, size_t outlen)
{
	char host[64], serv[16];

	if (getnameinfo(sa, salen, host, sizeof host, serv, sizeof serv,
		NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		util_strlcpy(out, "?", outlen);
		return;
	}
	if (sa->sa_family == AF_INET6)
		snprintf(out, outlen, "[%s]:%s", host, serv);
	else
		snprintf(out, outlen, "%s:%s", host, serv);
}

/*
 * One TCP listener and its UDP twin on the same port.  With port 0 the
 * kernel picks the TCP port; if that port is taken for UDP we try again.
 */
static int
listen_tcp_one(struct listen_set *ls, const struct addrinfo *ai,
    const char *spec, char **cause)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char name[96];
	int fd, ufd, one = 1, tries, port0;

	port0 = (ai->ai_family == AF_INET &&
		    ((const struct sockaddr_in *)ai->ai_addr)->sin_port == 0) ||
		(ai->ai_family == AF_INET6 &&
		    ((const struct sockaddr_in6 *)ai->ai_addr)->sin6_port == 0);
	for (tries = 0; tries < LISTEN_PORT0_TRIES; tries++) {
		fd = socket(ai->ai_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd == -1) {
			*cause = common_xprintf(
			    "socket for %s: %s", spec, strerror(errno));
			return -1;
		}
		if (setsockopt(
			fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
		    (ai->ai_family == AF_INET6 &&
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			    sizeof one) == -1)) {
			*cause = common_xprintf("cannot set socket options for "
						"%s: %s",
			    spec, strerror(errno));
			close(fd);
			return -1;
		}
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    listen(fd, LISTEN_BACKLOG) == -1) {
			*cause = common_xprintf(
			    "cannot listen on %s: %s", spec, strerror(errno));
			close(fd);
			return -1;
		}
		sl = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == -1) {
			*cause = common_xprintf(
			    "getsockname for %s: %s", spec, strerror(errno));
			close(fd);
			return -1;
		}
		ufd = socket(ai->ai_family,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (ufd == -1) {
			*cause = common_xprintf(
			    "socket for %s: %s", spec, strerror(errno));
			close(fd);
			return -1;
		}
		if (ai->ai_family == AF_INET6 &&
		    setsockopt(ufd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			sizeof one) == -1) {
			*cause = common_xprintf("cannot set socket options for "
						"%s: %s",
			    spec, strerror(errno));
			close(ufd);
			close(fd);
			return -1;
		}
		if (bind(ufd, (struct sockaddr *)&ss, sl) == 0) {
			listen_name(
			    (struct sockaddr *)&ss, sl, name, sizeof name);
			listen_add(ls, fd, 1, name);
			listen_add_dgram(ls, ufd);
			return 0;
		}
		close(ufd);
		close(fd);
		if (errno != EADDRINUSE || !port0)
			break;
	}
	*cause = common_xprintf(
	    "cannot bind the ping port of %s: %s", spec, strerror(errno));
	return -1;
}

static int
listen_tcp(struct listen_set *ls, const char *spec, char **cause)
{
	struct addrinfo hints, *res, *ai;
	char host[256];
	const char *colon, *h, *port;
	size_t hl;
	int rc;

	colon = strrchr(spec, ':');
	if (colon == NULL || colon[1] == '\0') {
		*cause = common_xprintf("%s: expected HOST:PORT", spec);
		return -1;
	}
	port = colon + 1;
	h = spec;
	hl = (size_t)(colon - spec);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	if (hl >= sizeof host) {
		*cause = common_xprintf("%s: host name too long", spec);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(hl == 0 || strcmp(host, "*") == 0 ? NULL : host, port,
	    &hints, &res);
	if (rc != 0) {
		*cause = common_xprintf("%s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (listen_tcp_one(ls, ai, spec, cause) != 0) {
			freeaddrinfo(res);
			return -1;
		}
	}
	freeaddrinfo(res);
	return 0;
}

int
listen_open(struct listen_set *ls, const struct options *opt, char **cause)
{
	size_t i;

	memset(ls, 0, sizeof *ls);
	util_strlcpy(ls->path, opt->socket_path, sizeof ls->path);
	if (common_path_ping(ls->ping, sizeof ls->ping, ls->path) != 0) {
		*cause = common_xprintf("socket path too long: %s", ls->path);
		return -1;
	}
	/* Sockets systemd passed (activate.c) are served, not bound. */
	if (opt->act.on) {
		if (activate_listen(ls, &opt->act, cause) != 0)
			goto fail;
	} else if (listen_unix(ls, cause) != 0)
		goto fail;
	for (i = 0; i < opt->ntcp; i++) {
		if (listen_tcp(ls, opt->tcp[i], cause) != 0)
			goto fail;
	}
	return 0;
fail:
	listen_close(ls);
	return -1;
}

/*
 * Closes every socket and removes the files at once, so a connect right
 * after a stop fails instead of hanging on a dying server.
 */
void
listen_close(struct listen_set *ls)
{
	size_t i;

	for (i = 0; i < ls->nl; i++) {
		if (ls->l[i].fd != -1)
			close(ls->l[i].fd);
		ls->l[i].fd = -1;
	}
	for (i = 0; i < ls->nd; i++) {
		if (ls->d[i].fd != -1)
			close(ls->d[i].fd);
		ls->d[i].fd = -1;
	}
	if (ls->own_path)
		unlink(ls->path);
	if (ls->own_ping)
		unlink(ls->ping);
	ls->own_path = ls->own_ping = 0;
}

void
listen_free(struct listen_set *ls)
{
	listen_close(ls);
	free(ls->l);
	free(ls->d);
	ls->l = NULL;
	ls->d = NULL;
	ls->nl = ls->nd = 0;
}
