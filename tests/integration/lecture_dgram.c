/*
 * lecture_dgram.c - the lecture's UNIX datagram client (p2p_dgram.c) as
 * the course describes it, for tests/integration/dgram.c: it binds the
 * relative path "client" in its current directory, sends each line it
 * reads (without the newline, with a NUL, as the lecture's strings went)
 * to the relative path "server", and prints each reply on a line of its
 * own; the reply to "quit" ends it, as does the end of its input.
 *
 * One thing is ours: a receive timeout (the first argument, in seconds;
 * 10 by default), so a lost reply fails a test instead of hanging it.
 * Exit 0, or 1 with the reason on stderr.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un me, server;
	char line[256], reply[512];
	struct timeval tv;
	ssize_t n;
	int fd, rc = 0;

	memset(&tv, 0, sizeof tv);
	tv.tv_sec = argc > 1 ? atoi(argv[1]) : 10;
	memset(&me, 0, sizeof me);
	me.sun_family = AF_UNIX;
	strcpy(me.sun_path, "client");
	memset(&server, 0, sizeof server);
	server.sun_family = AF_UNIX;
	strcpy(server.sun_path, "server");

	unlink("client");
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&me, sizeof me) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1) {
		fprintf(stderr, "lecture_dgram: client: %s\n", strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (sendto(fd, line, strlen(line) + 1, 0,
			(struct sockaddr *)&server, sizeof server) == -1) {
			fprintf(stderr, "lecture_dgram: sending \"%s\": %s\n",
			    line, strerror(errno));
			rc = 1;
			break;
		}
		n = recvfrom(fd, reply, sizeof reply - 1, 0, NULL, NULL);
		if (n == -1) {
			fprintf(stderr,
			    "lecture_dgram: no reply to \"%s\": %s\n", line,
			    strerror(errno));
			rc = 1;
			break;
		}
		reply[n] = '\0';
		printf("%s\n", reply);
		fflush(stdout);
		if (strcmp(line, "quit") == 0)
			break;
	}
	close(fd);
	unlink("client");
	return rc;
}
