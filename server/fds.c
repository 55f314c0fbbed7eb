/*
 * fds.c - descriptors between processes: passing one over a socket
 * (SCM_RIGHTS) and closing every inherited one a process must not hold.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define FDS_MAX 8 /* descriptors in one message */

union fds_cmsg {
	struct cmsghdr h;
	char buf[CMSG_SPACE(FDS_MAX * sizeof(int))];
};

static void fds_close_range(int, int);

/* Sends len bytes with nfd (1..FDS_MAX) descriptors; sendmsg()'s result. */
ssize_t
fds_send(int sock, const void *buf, size_t len, const int *fds, size_t nfd,
    int flags)
{
	union fds_cmsg cm;
	struct cmsghdr *ch;
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;

	if (nfd == 0 || nfd > FDS_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
	ch = CMSG_FIRSTHDR(&mh);
	ch->cmsg_level = SOL_SOCKET;
	ch->cmsg_type = SCM_RIGHTS;
	ch->cmsg_len = CMSG_LEN(nfd * sizeof(int));
	memcpy(CMSG_DATA(ch), fds, nfd * sizeof(int));
	do
		n = sendmsg(sock, &mh, flags | MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n;
}

/*
 * Receives up to len bytes and up to maxfd descriptors (close-on-exec):
 * recvmsg()'s result, with *nfd descriptors in fds.  *lost is set when
 * some did not arrive (we are out of descriptors, or more came than
 * maxfd) or the message was cut short.
 */
ssize_t
fds_recv(int sock, void *buf, size_t len, int *fds, size_t maxfd, size_t *nfd,
    int *lost, int flags)
{
	union fds_cmsg cm;
	struct cmsghdr *ch;
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;
	size_t i, k;
	int got;

	*nfd = 0;
	*lost = 0;
	memset(&mh, 0, sizeof mh);
	iov.iov_base = buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof cm.buf;
	do
		n = recvmsg(sock, &mh, flags | MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	for (ch = CMSG_FIRSTHDR(&mh); ch != NULL; ch = CMSG_NXTHDR(&mh, ch)) {
		if (ch->cmsg_level != SOL_SOCKET ||
		    ch->cmsg_type != SCM_RIGHTS) {
			*lost = 1;
			continue;
		}
		k = (ch->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < k; i++) {
			memcpy(
			    &got, CMSG_DATA(ch) + i * sizeof(int), sizeof got);
			if (*nfd < maxfd)
				fds[(*nfd)++] = got;
			else {
				close(got);
				*lost = 1;
			}
		}
	}
	if (mh.msg_flags & (MSG_CTRUNC | MSG_TRUNC))
		*lost = 1;
	return n;
}

/* Closes lo..hi; the loop is for kernels without close_range(). */
static void
fds_close_range(int lo, int hi)
{
	struct rlimit rl;
	long fd, max = 65536;

	if (lo > hi)
		return;
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = (long)rl.rlim_cur;
	for (fd = lo; fd <= hi && fd < max; fd++)
		close((int)fd);
}

/* Closes every descriptor above stderr except the n in keep (-1s skipped). */
void
fds_close_others(const int *keep, size_t n)
{
	int sorted[8], t, lo = STDERR_FILENO + 1;
	size_t i, j, k = 0;

	for (i = 0; i < n && k < sizeof sorted / sizeof sorted[0]; i++) {
		if (keep[i] > STDERR_FILENO)
			sorted[k++] = keep[i];
	}
	for (i = 0; i < k; i++) {
		for (j = i + 1; j < k; j++) {
			if (sorted[j] < sorted[i]) {
				t = sorted[i];
				sorted[i] = sorted[j];
				sorted[j] = t;
			}
		}
	}
	for (i = 0; i < k; i++) {
		fds_close_range(lo, sorted[i] - 1);
		lo = sorted[i] + 1;
	}
	fds_close_range(lo, INT_MAX);
}
