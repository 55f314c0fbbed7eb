/*
 * tarpit.c - a TCP address on 127.0.0.1 where connect() never completes,
 * for the tests of a client that must not freeze while it connects.
 *
 *   client_tarpit [PORT]
 *
 * Listens with the smallest backlog and fills it with connections of its
 * own that it never accepts; the kernel then drops every further SYN, so
 * a client's connect() waits for an answer that does not come.  Prints
 * the port on stdout and lives until a signal, or 300 seconds at most so
 * a test that dies leaves nothing behind.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TARPIT_FILL     4
#define TARPIT_LIFETIME 300

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd, c, i, one = 1;
	long port = 0;

	if (argc > 2 || (argc == 2 && ((port = strtol(argv[1], NULL, 10)) < 0 ||
					  port > 65535))) {
		fprintf(stderr, "usage: client_tarpit [PORT]\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 0) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		fprintf(stderr, "client_tarpit: %s\n", strerror(errno));
		return 1;
	}
	/* The first fills the queue; the rest wait in SYN_SENT like others. */
	for (i = 0; i < TARPIT_FILL; i++) {
		if ((c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) ==
			-1 ||
		    (connect(c, (struct sockaddr *)&sin, sizeof sin) == -1 &&
			errno != EINPROGRESS)) {
			fprintf(stderr, "client_tarpit: %s\n", strerror(errno));
			return 1;
		}
	}
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	alarm(TARPIT_LIFETIME);
	for (;;)
		pause();
}
