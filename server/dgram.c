/*
 * dgram.c - the datagram endpoint: ping, quit, status.
 *
 * Each request is one datagram and each reply one datagram back to the
 * sender, text plus a NUL as the lecture's datagram server sent; the words
 * are proto's (proto/dgram.c), which turtle ping uses too.  Nothing here
 * changes the server: "quit" only answers.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>

#include "server.h"

#define DGRAM_BATCH_MAX 64

/* The reply to req[0..len) in out, NUL included; returns its length. */
size_t
dgram_answer(const char *req, size_t len, const struct dgram_status *st,
    char *out, size_t outlen)
{
	enum proto_dgram d = proto_dgram_parse(req, len);
	int n;

	if (d == PROTO_DGRAM_STATUS)
		n = snprintf(out, outlen,
		    "turtled pid=%ld uptime=%llu clients=%zu seq=%llu x=%d "
		    "y=%d mode=%s",
		    (long)st->pid, (unsigned long long)st->uptime, st->clients,
		    (unsigned long long)st->seq, (int)st->x, (int)st->y,
		    st->mode);
	else
		n = snprintf(out, outlen, "%s", proto_dgram_reply(d));
	if (n < 0 || (size_t)n >= outlen)
		return 0;
	return (size_t)n + 1;
}

/* Answers what is waiting on fd, a bounded batch per loop turn. */
void
dgram_service(int fd, const struct dgram_status *st)
{
	struct sockaddr_storage from;
	socklen_t fromlen;
	char req[PROTO_DGRAM_MAX], out[PROTO_DGRAM_MAX];
	ssize_t n;
	size_t len;
	int i;

	for (i = 0; i < DGRAM_BATCH_MAX; i++) {
		fromlen = sizeof from;
		n = recvfrom(fd, req, sizeof req, MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		len = dgram_answer(req, (size_t)n, st, out, sizeof out);
		/* An unbound AF_UNIX sender has no address to answer to. */
		if (len == 0 || fromlen <= sizeof(sa_family_t))
			continue;
		sendto(fd, out, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		    (struct sockaddr *)&from, fromlen);
	}
}
