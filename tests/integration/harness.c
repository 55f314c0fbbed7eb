/*
 * harness.c - starting, watching and stopping a private turtled.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

static int split_wrapper(
    char *copy, const char *dir, char **argv, int max, char store[][PATH_MAX]);
static int child_limits(struct hs_server *);
static void child_exec(struct hs_server *, char **argv, const char *errpath,
    const char *const *env) __attribute__((noreturn));
static int start(struct hs_server *, const char *const *args, int want_tcp);
static int state_start(void **state, const char *const *args, int want_tcp);
static int wait_ready(struct hs_server *, int want_tcp, size_t skip);
static void dump_tail(const char *what, const char *path, size_t max);

const char *
hs_turtled(void)
{
	const char *p = getenv("TURTLENET_TURTLED");

	return p != NULL && *p != '\0' ? p : TURTLED_PATH;
}

int
hs_wait_ms(int ms)
{
	const char *s = getenv("TURTLENET_TIMEOUT_SCALE");
	long scale = 1;

	if (s != NULL && (scale = strtol(s, NULL, 10)) < 1)
		scale = 1;
	if (scale > 100)
		scale = 100;
	return (int)(ms * scale);
}

long long
hs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
hs_nap(int ms)
{
	poll(NULL, 0, ms);
}

int
hs_server_init(struct hs_server *srv)
{
	memset(srv, 0, sizeof *srv);
	srv->pid = -1;
	snprintf(srv->dir, sizeof srv->dir, "/tmp/turtlenet-it-XXXXXX");
	if (mkdtemp(srv->dir) == NULL) {
		fprintf(stderr, "harness: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	snprintf(srv->sock, sizeof srv->sock, "%s/sock", srv->dir);
	snprintf(srv->log, sizeof srv->log, "%s/log", srv->dir);
	snprintf(srv->errpath, sizeof srv->errpath, "%s/stderr", srv->dir);
	return 0;
}

/* Splits $TURTLENET_WRAPPER into argv words; "@DIR@" becomes the dir. */
static int
split_wrapper(
    char *copy, const char *dir, char **argv, int max, char store[][PATH_MAX])
{
	int n = 0;
	char *w, *at;

	for (w = strtok(copy, " "); w != NULL && n < max;
	     w = strtok(NULL, " ")) {
		if ((at = strstr(w, "@DIR@")) != NULL) {
			snprintf(store[n], PATH_MAX, "%.*s%s%s", (int)(at - w),
			    w, dir, at + 5);
			argv[n] = store[n];
		} else
			argv[n] = w;
		n++;
	}
	return n;
}

/*
 * The uid change comes before the limits: a setuid() over RLIMIT_NPROC
 * would make the exec fail, a limit lowered afterwards only binds fork().
 */
static int
child_limits(struct hs_server *srv)
{
	struct rlimit rl;
	char buf[PATH_MAX];

	if (srv->as_nobody) {
		snprintf(buf, sizeof buf, "%s/state", srv->dir);
		mkdir(buf, 0700);
		if (chown(srv->dir, HS_NOBODY, HS_NOBODY) != 0 ||
		    chown(buf, HS_NOBODY, HS_NOBODY) != 0 ||
		    setgroups(0, NULL) != 0 || setgid(HS_NOBODY) != 0 ||
		    setuid(HS_NOBODY) != 0) {
			fprintf(stderr, "harness: become nobody: %s\n",
			    strerror(errno));
			return -1;
		}
	}
	if (srv->rlim_nproc > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)srv->rlim_nproc;
		if (setrlimit(RLIMIT_NPROC, &rl) != 0) {
			fprintf(stderr, "harness: RLIMIT_NPROC: %s\n",
			    strerror(errno));
			return -1;
		}
	}
	if (srv->rlim_nofile > 0) {
		/* The soft limit only: turtled may raise it up to the hard. */
		if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
			return -1;
		rl.rlim_cur = (rlim_t)srv->rlim_nofile;
		if (srv->nofile_hard)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
			fprintf(stderr, "harness: RLIMIT_NOFILE: %s\n",
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
child_exec(struct hs_server *srv, char **argv, const char *errpath,
    const char *const *env)
{
	char buf[PATH_MAX];
	sigset_t none;
	int fd, i;

	/* Its own process group, so teardown can kill what is left. */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
	}
	if ((fd = open(errpath, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0) {
		dup2(fd, 2);
		if (srv == NULL)
			dup2(fd, 1); /* --help and --version write there */
	}
	/* The test's own sockets must not live on in the server. */
	for (i = 3; i < 4096; i++)
		close(i);
	if (srv != NULL) {
		setenv("XDG_RUNTIME_DIR", srv->dir, 1);
		snprintf(buf, sizeof buf, "%s/state", srv->dir);
		setenv("XDG_STATE_HOME", buf, 1);
		setenv("HOME", srv->dir, 1);
	}
	for (i = 0; env != NULL && env[i] != NULL; i++)
		putenv((char *)env[i]);
	if (srv != NULL && child_limits(srv) != 0)
		_exit(126);
	/* A test that fails half way (cmocka jumps past its teardown) must
	 * not leave a server behind; after the uid change, which clears it.
	 * A daemon's child is not ours to end: teardown kills the group. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	execve(argv[0], argv, environ);
	fprintf(stderr, "harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int
start(struct hs_server *srv, const char *const *args, int want_tcp)
{
	char *argv[HS_ARGS_MAX * 2], *wrap = NULL;
	char store[HS_ARGS_MAX][PATH_MAX];
	const char *w;
	size_t skip = 0;
	struct stat st;
	int n = 0, i;
	pid_t pid;

	if ((w = getenv("TURTLENET_WRAPPER")) != NULL && *w != '\0') {
		if ((wrap = strdup(w)) == NULL)
			return -1;
		n = split_wrapper(wrap, srv->dir, argv, HS_ARGS_MAX, store);
	}
	argv[n++] = (char *)hs_turtled();
	if (!srv->no_foreground)
		argv[n++] = (char *)"-f";
	if (!srv->no_sock_arg) {
		argv[n++] = (char *)"-S";
		argv[n++] = srv->sock;
	}
	argv[n++] = (char *)"--log";
	argv[n++] = srv->log;
	for (i = 0; args != NULL && args[i] != NULL && n < HS_ARGS_MAX * 2 - 1;
	     i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	if (n > 0 && argv[0][0] != '/') {
		/* A wrapper named by its bare name: find it the usual way. */
		static const char *dirs[] = {
		    "/usr/bin/", "/usr/local/bin/", "/bin/", NULL};
		for (i = 0; dirs[i] != NULL; i++) {
			snprintf(store[HS_ARGS_MAX - 1], PATH_MAX, "%s%s",
			    dirs[i], argv[0]);
			if (access(store[HS_ARGS_MAX - 1], X_OK) == 0) {
				argv[0] = store[HS_ARGS_MAX - 1];
				break;
			}
		}
	}

	/* Lines from an earlier run in the same dir are not this one's. */
	if (stat(srv->errpath, &st) == 0)
		skip = (size_t)st.st_size;
	srv->tcp_port = 0;
	if ((pid = fork()) == -1) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		free(wrap);
		return -1;
	}
	if (pid == 0)
		child_exec(srv, argv, srv->errpath, srv->env);
	free(wrap);
	setpgid(pid, pid); /* both sides, so neither order races */
	srv->pid = pid;
	srv->running = 1;
	return wait_ready(srv, want_tcp, skip);
}

int
hs_server_start(struct hs_server *srv, const char *const *args)
{
	return start(srv, args, 0);
}

int
hs_server_start_tcp(struct hs_server *srv, const char *const *args)
{
	return start(srv, args, 1);
}

int
hs_server_new(struct hs_server *srv, const char *const *args)
{
	if (hs_server_init(srv) != 0)
		return -1;
	return hs_server_start(srv, args);
}

const char *const hs_args_no_rate[] = {
    "--rate", "100000", "--burst", "100000", NULL};

int
hs_state_alloc(void **state, size_t size)
{
	struct hs_server *srv = calloc(1, size);

	if (srv == NULL || hs_server_init(srv) != 0) {
		free(srv);
		return -1;
	}
	*state = srv;
	return 0;
}

/* Starts the server in *state; frees all of it when that fails. */
static int
state_start(void **state, const char *const *args, int want_tcp)
{
	if (start(*state, args, want_tcp) == 0)
		return 0;
	hs_state_free(state);
	*state = NULL;
	return -1;
}

int
hs_state_start(void **state, const char *const *args)
{
	return state_start(state, args, 0);
}

int
hs_state_new(void **state, const char *const *args)
{
	if (hs_state_alloc(state, sizeof(struct hs_server)) != 0)
		return -1;
	return state_start(state, args, 0);
}

int
hs_state_new_tcp(void **state, const char *const *args)
{
	if (hs_state_alloc(state, sizeof(struct hs_server)) != 0)
		return -1;
	return state_start(state, args, 1);
}

int
hs_state_init(void **state)
{
	return hs_state_alloc(state, sizeof(struct hs_server));
}

int
hs_state_default(void **state)
{
	return hs_state_new(state, NULL);
}

int
hs_state_no_rate(void **state)
{
	return hs_state_new(state, hs_args_no_rate);
}

int
hs_state_free(void **state)
{
	struct hs_server *srv = *state;
	int rc;

	if (srv == NULL)
		return 0;
	rc = hs_server_free(srv);
	free(srv);
	return rc;
}

/*
 * Polls turtled's stderr, after its first skip bytes, for its readiness
 * line(s); a server that exits first fails at once.
 */
static int
wait_ready(struct hs_server *srv, int want_tcp, size_t skip)
{
	char want[PATH_MAX + 32], *text, *p;
	long long deadline = hs_now_ms() + hs_wait_ms(HS_WAIT_MS);
	size_t len;
	int ready;

	snprintf(want, sizeof want, "turtled: ready on %s", srv->sock);
	for (;;) {
		ready = 0;
		if ((text = hs_read_file(srv->errpath, &len)) != NULL &&
		    len >= skip) {
			ready = strstr(text + skip, want) != NULL;
			if (ready && want_tcp) {
				p = strstr(text + skip,
				    "turtled: listening on 127.0.0.1:");
				if (p == NULL)
					ready = 0;
				else
					srv->tcp_port = atoi(p + 32);
			}
		}
		free(text);
		if (ready)
			return 0;
		if (!hs_server_alive(srv)) {
			fprintf(stderr,
			    "harness: turtled exited (status 0x%x) "
			    "before it was ready\n",
			    srv->status);
			hs_server_dump(srv);
			return -1;
		}
		if (hs_now_ms() > deadline) {
			fprintf(stderr,
			    "harness: no \"%s\"%s within %d ms (after byte "
			    "%zu)\n",
			    want, want_tcp ? " and listening line" : "",
			    hs_wait_ms(HS_WAIT_MS), skip);
			hs_server_dump(srv);
			return -1;
		}
		hs_nap(5);
	}
}

int
hs_run_turtled(const char *const *args, const char *errfile,
    const char *const *env, int wait_ms)
{
	char *argv[HS_ARGS_MAX + 2];
	long long deadline;
	int n = 0, status;
	pid_t pid, r;

	argv[n++] = (char *)hs_turtled();
	while (args != NULL && *args != NULL && n < HS_ARGS_MAX)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		child_exec(NULL, argv, errfile, env);
	setpgid(pid, pid);
	deadline = hs_now_ms() + hs_wait_ms(wait_ms);
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return -1;
		if (hs_now_ms() > deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr,
			    "harness: turtled did not exit within "
			    "%d ms\n",
			    hs_wait_ms(wait_ms));
			return -1;
		}
		hs_nap(5);
	}
}

int
hs_server_alive(struct hs_server *srv)
{
	pid_t r;

	if (!srv->running)
		return 0;
	r = waitpid(srv->pid, &srv->status, WNOHANG);
	if (r == srv->pid || (r == -1 && errno == ECHILD)) {
		srv->running = 0;
		return 0;
	}
	return 1;
}

int
hs_server_wait(struct hs_server *srv, int ms)
{
	long long deadline = hs_now_ms() + ms;

	while (hs_server_alive(srv)) {
		if (hs_now_ms() > deadline)
			return -1;
		hs_nap(5);
	}
	return 0;
}

int
hs_server_stop(struct hs_server *srv)
{
	if (!srv->running)
		return srv->status;
	kill(srv->pid, SIGTERM);
	if (hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS)) != 0) {
		fprintf(stderr, "harness: turtled ignored SIGTERM for %d ms\n",
		    hs_wait_ms(HS_WAIT_MS));
		kill(srv->pid, SIGKILL);
		hs_server_wait(srv, hs_wait_ms(HS_WAIT_MS));
		srv->status = -1;
	}
	return srv->status;
}

int
hs_server_free(struct hs_server *srv)
{
	int rc = 0, status;

	while (srv->clients != NULL)
		hs_client_close(srv->clients);
	if (srv->pid > 0) {
		status = hs_server_stop(srv);
		if (!srv->nocheck_exit && (status == -1 || !WIFEXITED(status) ||
					      WEXITSTATUS(status) != 0)) {
			fprintf(stderr,
			    "harness: turtled did not exit 0 on "
			    "SIGTERM (status 0x%x)\n",
			    status);
			hs_server_dump(srv);
			rc = -1;
		}
		/* Workers that outlived their master are ours to end. */
		kill(-srv->pid, SIGKILL);
		while (waitpid(-srv->pid, &status, WNOHANG) > 0)
			;
	}
	if (srv->dir[0] != '\0' && getenv("TURTLENET_IT_KEEP") == NULL)
		hs_rmtree(srv->dir);
	srv->dir[0] = '\0';
	srv->pid = -1;
	return rc;
}

static void
dump_tail(const char *what, const char *path, size_t max)
{
	char *text;
	size_t len;

	if ((text = hs_read_file(path, &len)) == NULL)
		return;
	fprintf(stderr, "---- %s (%s), last %zu bytes ----\n%s\n----\n", what,
	    path, len > max ? max : len, len > max ? text + len - max : text);
	free(text);
}

void
hs_server_dump(struct hs_server *srv)
{
	char path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	dump_tail("turtled stderr", srv->errpath, 3000);
	dump_tail("turtled log", srv->log, 2000);
	/* A wrapper's own logs (valgrind's vg.PID), when there are any. */
	if ((d = opendir(srv->dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vg.", 3) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", srv->dir, de->d_name);
		dump_tail("valgrind", path, 2000);
	}
	closedir(d);
}

char *
hs_read_file(const char *path, size_t *lenp)
{
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	for (;;) {
		if (cap - len < 4097) {
			cap = cap ? cap * 2 : 8192;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

int
hs_stderr_has(struct hs_server *srv, const char *s)
{
	char *text = hs_read_file(srv->errpath, NULL);
	int found = text != NULL && strstr(text, s) != NULL;

	free(text);
	return found;
}

int
hs_log_count(struct hs_server *srv, const char *s)
{
	char *text = hs_read_file(srv->log, NULL), *p;
	int n = 0;

	if (text == NULL)
		return -1;
	for (p = text; (p = strstr(p, s)) != NULL; p++)
		n++;
	free(text);
	return n;
}

int
hs_log_wait(struct hs_server *srv, const char *a, const char *b, char *out,
    size_t outlen, int ms)
{
	long long deadline = hs_now_ms() + ms;
	char *text, *line, *next;

	for (;;) {
		if ((text = hs_read_file(srv->log, NULL)) != NULL) {
			for (line = text; *line != '\0'; line = next) {
				if ((next = strchr(line, '\n')) == NULL)
					break; /* a line still being written */
				*next++ = '\0';
				if (strstr(line, a) == NULL ||
				    (b != NULL && strstr(line, b) == NULL))
					continue;
				if (out != NULL)
					hs_copy(out, outlen, line);
				free(text);
				return 0;
			}
			free(text);
		}
		if (hs_now_ms() > deadline) {
			fprintf(stderr,
			    "harness: no log line with \"%s\"%s%s%s "
			    "within %d ms\n",
			    a, b ? " and \"" : "", b ? b : "", b ? "\"" : "",
			    ms);
			dump_tail("turtled log", srv->log, 3000);
			return -1;
		}
		hs_nap(10);
	}
}

void
hs_copy(char *dst, size_t dstlen, const char *src)
{
	size_t n = strlen(src);

	if (dstlen == 0)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
hs_rmtree(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		if (hs_rmtree(sub) != 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}
