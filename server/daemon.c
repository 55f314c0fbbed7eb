/*
 * daemon.c - going to the background once the sockets are bound.
 *
 * The parent waits for the child's "ready" byte over a pipe before it
 * exits 0, so whoever started turtled can connect as soon as it returns;
 * if the child fails first, the parent exits 1.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

/*
 * Forks.  Returns 0 in the child with *notify set; the parent never
 * returns.  -1 with the reason if fork() fails.
 */
int
daemon_start(int *notify, char **cause)
{
	int fds[2], status;
	char c;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) == -1) {
		*cause = common_xprintf("pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == -1) {
		*cause = common_xprintf("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		if (setsid() == -1) {
			/* Already a group leader cannot happen after fork. */
		}
		*notify = fds[1];
		return 0;
	}
	close(fds[1]);
	do
		n = read(fds[0], &c, 1);
	while (n == -1 && errno == EINTR);
	if (n == 1)
		_exit(0);
	/* The child said why on stderr; reap it so it is not left behind. */
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	_exit(1);
}

/*
 * Cuts this process loose from the caller's directory and terminal: the
 * daemon once it serves, and its spawner (forked before that) at once.
 */
void
daemon_detach(void)
{
	int fd, i;

	if (chdir("/") == -1) {
		/* Every path was made absolute; / always exists. */
	}
	/*
	 * Nothing may land on the caller's terminal after this: if stdio
	 * cannot be pointed at /dev/null, it is closed instead (the log is
	 * the only voice left).
	 */
	fd = open("/dev/null", O_RDWR);
	for (i = STDIN_FILENO; i <= STDERR_FILENO; i++) {
		if (fd == -1 || (fd != i && dup2(fd, i) == -1))
			close(i);
	}
	if (fd > STDERR_FILENO)
		close(fd);
}

/* The child is serving: it tells the waiting parent, which exits. */
void
daemon_ready(int notify)
{
	daemon_detach();
	if (write(notify, "r", 1) == -1) {
		/* The parent is gone; nobody is waiting. */
	}
	close(notify);
}

int
daemon_pidfile(const char *path, char **cause)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		*cause = common_xprintf(
		    "cannot write pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		*cause = common_xprintf(
		    "cannot write pidfile %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
