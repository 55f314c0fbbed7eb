/*
 * echo_fork.c - the reference for the connect phase: the smallest
 * fork-per-connection stream server.  It accepts on an AF_UNIX socket,
 * forks a child per connection, and the child echoes what it reads until
 * EOF.  Children are reaped by the kernel (SIGCHLD ignored).
 *   bench_echo_fork PATH   (SIGTERM stops it; the caller removes PATH)
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void echo_child(int);

static void
echo_child(int fd)
{
	char buf[4096];
	ssize_t n, off, w;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		for (off = 0; off < n; off += w) {
			w = write(fd, buf + off, n - off);
			if (w == -1 && errno == EINTR)
				w = 0;
			else if (w <= 0)
				_exit(0);
		}
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	int lfd, fd;
	pid_t pid;

	if (argc != 2 || strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "usage: bench_echo_fork PATH\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd == -1 || bind(lfd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    listen(lfd, 128) == -1) {
		fprintf(stderr, "bench_echo_fork: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	fprintf(stderr, "bench_echo_fork: ready on %s\n", argv[1]);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE)
				continue;
			fprintf(stderr, "bench_echo_fork: accept: %s\n",
			    strerror(errno));
			return 1;
		}
		pid = fork();
		if (pid == 0) {
			close(lfd);
			echo_child(fd);
		}
		close(fd);
	}
}
