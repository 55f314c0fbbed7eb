/*
 * connect.c - finding and reaching the server.
 *
 * The default socket follows turtled's rule (common_path_socket(), one
 * rule for both), so a bare "turtle" meets the server a bare "turtled"
 * made; when nothing answers there the client starts one itself, the way
 * tmux starts its server (there only: see connect_client()).  Every failure
 * comes back as one sentence in an allocated *cause that the caller frees.
 */
#include "tui.h"

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long a started turtled may take to be ready. */
#define CONNECT_START_MS 5000

static void connect_cause(char **, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static int connect_unix(const struct tui_addr *, char **);
static int connect_tcp_one(const struct addrinfo *, int *);
static int connect_tcp(const struct tui_addr *, char **);
static int connect_start(const struct tui_addr *, const char *, char **);
static void connect_start_child(const char *, const char *, const char *, int)
    __attribute__((noreturn));
static int connect_wait_start(pid_t, int, char **);
static int connect_retry(const struct tui_addr *, char **);
static int connect_lock(const struct tui_addr *);

/* The sentence, allocated; out of memory stops the program (common_fatalx). */
static void
connect_cause(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*cause = common_xvprintf(fmt, ap);
	va_end(ap);
}

/*
 * A directory someone else made (or may write to) could hold a socket that
 * impersonates the server: it is refused.  A missing one is fine, turtled
 * creates it.
 */
int
connect_default_path(char *buf, size_t len, char **cause)
{
	return common_path_socket(buf, len, 0, cause);
}

/* path is the default socket (one that cannot be checked is not). */
int
connect_is_default(const char *path)
{
	char def[sizeof(((struct tui_addr *)0)->path)], *cause = NULL;
	int is;

	is = connect_default_path(def, sizeof def, &cause) == 0 &&
	     strcmp(def, path) == 0;
	free(cause);
	return is;
}

int
connect_parse_tcp(struct tui_addr *addr, const char *hostport, char **cause)
{
	const char *host, *colon, *port;
	size_t hostlen, i, portlen;
	unsigned long value = 0;

	if (hostport[0] == '[') {
		const char *close = strchr(hostport, ']');

		if (close == NULL || close[1] != ':') {
			connect_cause(cause,
			    "bad address %s: expected [ADDRESS]:PORT",
			    hostport);
			return -1;
		}
		host = hostport + 1;
		hostlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(hostport, ':');
		if (colon == NULL) {
			connect_cause(cause,
			    "bad address %s: expected HOST:PORT", hostport);
			return -1;
		}
		host = hostport;
		hostlen = (size_t)(colon - host);
		if (memchr(host, ':', hostlen) != NULL) {
			connect_cause(cause,
			    "bad address %s: an IPv6 address needs brackets, "
			    "[ADDRESS]:PORT",
			    hostport);
			return -1;
		}
	}
	if (hostlen == 0) {
		connect_cause(cause, "bad address %s: no host", hostport);
		return -1;
	}
	if (hostlen >= sizeof addr->host) {
		connect_cause(cause, "bad address: host name too long");
		return -1;
	}
	for (i = 0; i < hostlen; i++) {
		if (host[i] <= ' ' || host[i] >= 0x7f) {
			connect_cause(cause,
			    "bad address: the host has a space or control "
			    "character");
			return -1;
		}
	}

	port = colon + 1;
	portlen = strlen(port);
	for (i = 0; i < portlen; i++) {
		if (port[i] < '0' || port[i] > '9' || i >= 5)
			break;
		value = value * 10 + (unsigned long)(port[i] - '0');
	}
	if (portlen == 0 || i != portlen || value == 0 || value > 65535) {
		connect_cause(cause,
		    "bad address %s: the port must be a number from 1 to "
		    "65535",
		    hostport);
		return -1;
	}

	memset(addr, 0, sizeof *addr);
	addr->is_tcp = 1;
	memcpy(addr->host, host, hostlen);
	addr->host[hostlen] = '\0';
	snprintf(addr->port, sizeof addr->port, "%lu", value);
	return 0;
}

void
connect_describe(const struct tui_addr *addr, char *buf, size_t len)
{
	if (!addr->is_tcp)
		snprintf(buf, len, "unix:%s", addr->path);
	else if (strchr(addr->host, ':') != NULL)
		snprintf(buf, len, "tcp:[%s]:%s", addr->host, addr->port);
	else
		snprintf(buf, len, "tcp:%s:%s", addr->host, addr->port);
}

static int
connect_unix(const struct tui_addr *addr, char **cause)
{
	struct sockaddr_un sun;
	int fd, saved;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(addr->path) >= sizeof sun.sun_path) {
		connect_cause(cause, "socket path too long: %s", addr->path);
		return -1;
	}
	strcpy(sun.sun_path, addr->path);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		connect_cause(cause, "socket: %s", strerror(errno));
		return -1;
	}
	while (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == EINTR)
			continue;
		saved = errno;
		close(fd);
		connect_cause(cause, "connecting to unix:%s: %s", addr->path,
		    strerror(saved));
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * One address, blocking for the caller but bounded: a server that never
 * answers the SYN gives "Connection timed out" after DIAL_TIMEOUT_MS
 * instead of the kernel's minutes.  0 with *fdp, or an errno.
 */
static int
connect_tcp_one(const struct addrinfo *ai, int *fdp)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	uint64_t deadline = common_now_ms() + DIAL_TIMEOUT_MS;
	int fd, rc, error = 0, flags, left;

	fd = socket(ai->ai_family,
	    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return errno;
	do
		rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
	while (rc == -1 && errno == EINTR);
	if (rc == -1 && errno != EINPROGRESS)
		error = errno;
	while (rc == -1 && error == 0) {
		if ((left = common_ms_left(deadline)) <= 0) {
			error = ETIMEDOUT;
			break;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, left) == -1) {
			if (errno != EINTR)
				error = errno;
			continue;
		}
		if (pfd.revents == 0)
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
			error = errno;
		break;
	}
	if (error == 0 && ((flags = fcntl(fd, F_GETFL)) == -1 ||
			      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1))
		error = errno;
	if (error != 0) {
		close(fd);
		return error;
	}
	*fdp = fd;
	return 0;
}

static int
connect_tcp(const struct tui_addr *addr, char **cause)
{
	struct addrinfo hints, *res, *ai;
	char where[sizeof addr->host + sizeof addr->port + 8];
	int fd = -1, error, saved = ECONNREFUSED;

	connect_describe(addr, where, sizeof where);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	error = getaddrinfo(addr->host, addr->port, &hints, &res);
	if (error != 0) {
		connect_cause(cause, "%s: %s", where, gai_strerror(error));
		errno = EHOSTUNREACH;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((error = connect_tcp_one(ai, &fd)) == 0)
			break;
		saved = error;
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		connect_cause(
		    cause, "connecting to %s: %s", where, strerror(saved));
		errno = saved;
	}
	return fd;
}

int
connect_open(const struct tui_addr *addr, char **cause)
{
	if (addr->is_tcp)
		return connect_tcp(addr, cause);
	return connect_unix(addr, cause);
}

/*
 * Runs in the forked child: stderr goes to the pipe so a failure to start
 * reaches the user; turtled daemonizes once its sockets are bound and its
 * daemon drops the pipe, so EOF means "ready or failed".
 */
static void
connect_start_child(
    const char *turtled, const char *path, const char *state, int errfd)
{
	char *argv[6], **a = argv;
	int null;

	null = open("/dev/null", O_RDWR);
	if (null != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(errfd, STDERR_FILENO);
	/* Our sockets and the pipe's other copies stay out of the daemon. */
	closefrom(STDERR_FILENO + 1);

	*a++ = (char *)"turtled";
	if (path != NULL) {
		*a++ = (char *)"-S";
		*a++ = (char *)path;
	}
	/* The world it keeps lasts: a restart finds it again. */
	if (state != NULL) {
		*a++ = (char *)"--state";
		*a++ = (char *)state;
	}
	*a = NULL;
	if (strchr(turtled, '/') != NULL)
		execv(turtled, argv);
	else
		execvp(turtled, argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", turtled, strerror(errno));
	_exit(127);
}

/*
 * Reads what turtled says on stderr until it closes it, then reaps it.  A
 * deadline bounds a turtled that hangs before it is ready.
 */
static int
connect_wait_start(pid_t pid, int fd, char **cause)
{
	char msg[512];
	size_t used = 0;
	uint64_t deadline = common_now_ms() + CONNECT_START_MS;
	struct pollfd pfd;
	ssize_t n;
	int status, left;

	for (;;) {
		left = common_ms_left(deadline);
		if (left <= 0) {
			kill(pid, SIGTERM);
			waitpid(pid, &status, 0);
			connect_cause(cause,
			    "turtled did not start within %d seconds",
			    CONNECT_START_MS / 1000);
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0)
			continue;
		n = read(fd, msg + used, sizeof msg - 1 - used);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof msg - 1)
			used = 0; /* keep the tail, where the reason is */
	}
	msg[used] = '\0';

	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			connect_cause(cause, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;

	/* Its last line says why; escape it, it came from a process. */
	while (used > 0 && (msg[used - 1] == '\n' || msg[used - 1] == '\r'))
		msg[--used] = '\0';
	{
		char *line = strrchr(msg, '\n');
		char clean[sizeof msg * 4];

		line = line != NULL ? line + 1 : msg;
		proto_text_escape(clean, sizeof clean, line, strlen(line));
		if (clean[0] == '\0')
			snprintf(clean, sizeof clean, "%s",
			    WIFSIGNALED(status) ? "killed by a signal"
						: "no reason given");
		connect_cause(cause, "starting turtled failed: %s", clean);
	}
	return -1;
}

static int
connect_start(const struct tui_addr *addr, const char *turtled, char **cause)
{
	const char *path = addr->path, *state = NULL;
	char dir[PATH_MAX], world[PATH_MAX + 8];
	int fds[2];
	pid_t pid;
	sigset_t all, old;

	/* Its world under $XDG_STATE_HOME/turtlenet/world (none without a
	 * home: then it lasts as long as the server). */
	if (common_path_statedir(dir, sizeof dir, NULL) == 0 &&
	    (size_t)snprintf(world, sizeof world, "%s/world", dir) <
		sizeof world)
		state = world;

	/*
	 * For the default socket turtled applies its own rule (and creates
	 * the directory); -S would make it use the directory as is.
	 */
	if (connect_is_default(addr->path))
		path = NULL;

	if (pipe(fds) == -1) {
		connect_cause(cause, "pipe: %s", strerror(errno));
		return -1;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	/* No handler of ours may run in the child before exec. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		sigset_t none;
		int i;

		for (i = 1; i < NSIG; i++)
			signal(i, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(fds[0]);
		connect_start_child(turtled, path, state, fds[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid == -1) {
		close(fds[0]);
		connect_cause(cause, "fork: %s", strerror(errno));
		return -1;
	}
	if (connect_wait_start(pid, fds[0], cause) == -1) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	return 0;
}

/*
 * turtled returns once it accepts, so the first try normally works; the
 * bounded retry covers a server that reports ready a moment early.
 */
static int
connect_retry(const struct tui_addr *addr, char **cause)
{
	uint64_t deadline = common_now_ms() + CONNECT_START_MS;
	struct timespec pause = {0, 20 * 1000 * 1000};
	int fd;

	for (;;) {
		fd = connect_open(addr, cause);
		if (fd != -1 || (errno != ENOENT && errno != ECONNREFUSED) ||
		    common_now_ms() >= deadline)
			return fd;
		free(*cause);
		*cause = NULL;
		nanosleep(&pause, NULL);
	}
}

/*
 * Clients that find no server at the same moment would each start one, and
 * two turtleds starting together can each take the other's socket for a
 * stale one.  So a client starts a server only while it holds PATH.lock;
 * whoever waited for the lock then finds the server running.  Without a
 * lock (a read-only directory, a lock held too long) it goes on anyway.
 */
static int
connect_lock(const struct tui_addr *addr)
{
	char path[sizeof addr->path + 8];
	char dir[sizeof addr->path], *cause = NULL;
	uint64_t deadline = common_now_ms() + CONNECT_START_MS + 1000;
	struct timespec pause = {0, 20 * 1000 * 1000};
	int fd;

	if (snprintf(path, sizeof path, "%s.lock", addr->path) >=
	    (int)sizeof path)
		return -1;
	/*
	 * The default directory is turtled's to make, but the lock comes
	 * first: made here by the same rule, and checked, or no lock; any
	 * other directory is used as it is.
	 */
	if (connect_is_default(addr->path) &&
	    (common_path_sockdir(dir, sizeof dir, &cause) != 0 ||
		common_path_check(dir, COMMON_PATH_CREATE, &cause) != 0)) {
		free(cause);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		return -1;
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if ((errno != EWOULDBLOCK && errno != EINTR) ||
		    common_now_ms() >= deadline) {
			close(fd);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	return fd;
}

int
connect_open_or_start(const struct tui_addr *addr, const char *turtled,
    int *started, char **cause)
{
	char *startcause = NULL;
	int fd, lock;

	*started = 0;
	fd = connect_open(addr, cause);
	if (fd != -1 || addr->is_tcp || turtled == NULL)
		return fd;
	/* Only "nobody there" starts a server; anything else is reported. */
	if (errno != ENOENT && errno != ECONNREFUSED)
		return -1;
	free(*cause);
	*cause = NULL;

	lock = connect_lock(addr);
	if (lock != -1) {
		/* Someone may have started it while we waited. */
		fd = connect_open(addr, cause);
		if (fd != -1) {
			close(lock);
			return fd;
		}
		free(*cause);
		*cause = NULL;
	}

	if (connect_start(addr, turtled, &startcause) == -1) {
		/* A server started by other means may be there now. */
		fd = connect_open(addr, cause);
		if (fd != -1)
			free(startcause);
		else {
			free(*cause);
			*cause = startcause;
		}
	} else {
		fd = connect_retry(addr, cause);
		*started = fd != -1;
	}
	if (lock != -1)
		close(lock);
	return fd;
}

/*
 * Whether turtle may start turtled is decided here, once for every mode:
 * only on the default socket, where a bare "turtle" and a bare "turtled"
 * meet.  A socket named with -S is a server someone runs on purpose, and
 * a mistyped one must not quietly become a new, empty world: nothing is
 * started there and the cause says how to start it.
 */
int
connect_client(const struct tui_opts *opts, int *started, char **cause)
{
	const struct tui_addr *addr = &opts->addr;
	char *why;
	int fd;

	*started = 0;
	if (!opts->no_start && !addr->is_tcp && !opts->custom_path)
		return connect_open_or_start(
		    addr, opts->turtled, started, cause);
	fd = connect_open(addr, cause);
	if (fd == -1 && opts->custom_path && !opts->no_start &&
	    (errno == ENOENT || errno == ECONNREFUSED)) {
		why = *cause;
		connect_cause(cause,
		    "%s (turtle starts turtled only on the default socket; "
		    "start one here with: turtled -S %s)",
		    why, addr->path);
		free(why);
		errno = ENOENT;
	}
	return fd;
}
