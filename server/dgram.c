/*
 * dgram.c - the datagram endpoint: ping, quit, status.
 *
 * Each request is one datagram and each reply one datagram back to the
 * sender, text plus a NUL as the lecture's datagram server sent; the words
 * are proto's (proto/dgram.c), which turtle ping uses too.  Nothing here
 * changes the server: "quit" only answers.
 *
 * A sender bound to a relative path ("client", as the lecture's client
 * binds it) named a file in its own working directory, not in ours: the
 * reply goes there, found through the sender's credentials (SO_PASSCRED:
 * its pid, so /proc/PID/cwd) and checked to be a socket the sender holds
 * before anything is sent.  A reply that cannot be delivered is logged,
 * once per burst.
 */
#define _GNU_SOURCE /* struct ucred, SCM_CREDENTIALS */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "server.h"

#define DGRAM_BATCH_MAX 64
/* A lost reply this long after the last one starts a new burst. */
#define DGRAM_BURST_GAP_MS 1000
/* Entries of a sender's /proc/PID/fd looked through, at most. */
#define DGRAM_FDS_MAX 1024

static int dgram_relative(
    const struct sockaddr_storage *, socklen_t, char *, size_t);
static int dgram_diag_vfs(int nl, unsigned long ino, const struct stat *);
static int dgram_diag_works(struct dgram *, int nl);
static int dgram_held(struct dgram *, pid_t, const struct stat *);
static int dgram_resolve(
    struct dgram *, const char *, const struct ucred *, const char **);
static void dgram_lost(struct dgram *, struct logger *,
    const struct sockaddr_storage *, socklen_t, const struct ucred *,
    const char *);
static void dgram_reply(struct dgram *, struct logger *,
    const struct sockaddr_storage *, socklen_t, const struct ucred *,
    const char *, size_t);

/* The reply to req[0..len) in out, NUL included; returns its length. */
size_t
dgram_answer(const char *req, size_t len, const struct dgram_status *st,
    char *out, size_t outlen)
{
	enum proto_dgram d = proto_dgram_parse(req, len);
	char x[PROTO_DECIMAL_LEN], y[PROTO_DECIMAL_LEN];
	int n;

	proto_decimal_format(x, sizeof x, st->x, PROTO_DECIMALS);
	proto_decimal_format(y, sizeof y, st->y, PROTO_DECIMALS);
	if (d == PROTO_DGRAM_STATUS)
		n = snprintf(out, outlen,
		    "turtled pid=%ld uptime=%llu clients=%zu seq=%llu x=%s "
		    "y=%s mode=%s",
		    (long)st->pid, (unsigned long long)st->uptime, st->clients,
		    (unsigned long long)st->seq, x, y, st->mode);
	else
		n = snprintf(out, outlen, "%s", proto_dgram_reply(d));
	if (n < 0 || (size_t)n >= outlen)
		return 0;
	return (size_t)n + 1;
}

/* An AF_UNIX sender bound to a relative path: 1 and the name in out. */
static int
dgram_relative(const struct sockaddr_storage *from, socklen_t fromlen,
    char *out, size_t outlen)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)from;
	size_t n, max;

	if (from->ss_family != AF_UNIX ||
	    fromlen <= offsetof(struct sockaddr_un, sun_path))
		return 0;
	max = fromlen - offsetof(struct sockaddr_un, sun_path);
	if (max > sizeof sun->sun_path)
		max = sizeof sun->sun_path;
	/* Abstract ("\0...") and absolute names are answered as they are. */
	if (sun->sun_path[0] == '\0' || sun->sun_path[0] == '/')
		return 0;
	for (n = 0; n < max && sun->sun_path[n] != '\0'; n++)
		;
	if (n >= outlen)
		return 0;
	memcpy(out, sun->sun_path, n);
	out[n] = '\0';
	return 1;
}

/*
 * Is socket ino bound to the file sb (sock_diag's UNIX_DIAG_VFS, the
 * kernel's own word)?  1 yes, 0 no, -1 an error answer (no such socket,
 * or no unix_diag in this kernel), -2 no answer at all.
 */
static int
dgram_diag_vfs(int nl, unsigned long ino, const struct stat *sb)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} rq;
	union {
		struct nlmsghdr nlh;
		char buf[1024];
	} rp;
	struct sockaddr_nl sa;
	struct unix_diag_msg *msg;
	struct unix_diag_vfs vfs;
	struct rtattr *attr;
	ssize_t len;
	int alen;

	memset(&rq, 0, sizeof rq);
	rq.nlh.nlmsg_len = sizeof rq;
	rq.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	rq.nlh.nlmsg_flags = NLM_F_REQUEST;
	rq.req.sdiag_family = AF_UNIX;
	rq.req.udiag_states = ~0U;
	rq.req.udiag_ino = (unsigned int)ino;
	rq.req.udiag_show = UDIAG_SHOW_VFS;
	rq.req.udiag_cookie[0] = ~0U; /* no cookie: by inode */
	rq.req.udiag_cookie[1] = ~0U;
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	if (sendto(nl, &rq, sizeof rq, 0, (struct sockaddr *)&sa, sizeof sa) !=
	    (ssize_t)sizeof rq)
		return -2;
	/* The kernel answers within the send: never wait for it. */
	len = recv(nl, &rp, sizeof rp, MSG_DONTWAIT);
	if (len <= 0 || !NLMSG_OK(&rp.nlh, (unsigned int)len))
		return -2;
	if (rp.nlh.nlmsg_type == NLMSG_ERROR)
		return -1;
	if (rp.nlh.nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    rp.nlh.nlmsg_len < NLMSG_LENGTH(sizeof *msg))
		return -2;
	msg = NLMSG_DATA(&rp.nlh);
	attr = (struct rtattr *)(msg + 1);
	alen = (int)(rp.nlh.nlmsg_len - NLMSG_LENGTH(sizeof *msg));
	for (; RTA_OK(attr, alen); attr = RTA_NEXT(attr, alen)) {
		if (attr->rta_type != UNIX_DIAG_VFS ||
		    RTA_PAYLOAD(attr) < sizeof vfs)
			continue;
		memcpy(&vfs, RTA_DATA(attr), sizeof vfs);
		/* The kernel's device number: major << 20 | minor. */
		return vfs.udiag_vfs_ino == (uint32_t)sb->st_ino &&
		       vfs.udiag_vfs_dev >> 20 == major(sb->st_dev) &&
		       (vfs.udiag_vfs_dev & 0xfffff) == minor(sb->st_dev);
	}
	return 0; /* not bound to a file */
}

/*
 * Whether sock_diag answers for AF_UNIX here, found once by asking about
 * our own socket (which exists): an error about a sender's socket then
 * means it is gone, not that the kernel cannot say.
 */
static int
dgram_diag_works(struct dgram *d, int nl)
{
	struct stat sb, none;

	if (d->diag == 0) {
		memset(&none, 0, sizeof none);
		d->diag = fstat(d->fd, &sb) == 0 &&
				  dgram_diag_vfs(
				      nl, (unsigned long)sb.st_ino, &none) >= 0
			      ? 1
			      : -1;
	}
	return d->diag == 1;
}

/*
 * Does pid hold a socket bound to the file sb?  1 yes, 0 no (or pid is
 * gone), -1 the kernel cannot tell us (no sock_diag for AF_UNIX).
 */
static int
dgram_held(struct dgram *d, pid_t pid, const struct stat *sb)
{
	char path[64], target[64];
	struct dirent *de;
	unsigned long ino;
	ssize_t n;
	int nl, rc = 0, seen = 0;
	DIR *dir;

	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl == -1)
		return -1;
	if (!dgram_diag_works(d, nl)) {
		close(nl);
		return -1;
	}
	snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
	if ((dir = opendir(path)) == NULL) {
		close(nl);
		return 0;
	}
	while (
	    rc == 0 && seen++ < DGRAM_FDS_MAX && (de = readdir(dir)) != NULL) {
		n = readlinkat(
		    dirfd(dir), de->d_name, target, sizeof target - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (sscanf(target, "socket:[%lu]", &ino) == 1)
			rc = dgram_diag_vfs(nl, ino, sb) == 1;
	}
	closedir(dir);
	close(nl);
	return rc;
}

/*
 * The socket file a relative sender address names, opened O_PATH: looked
 * up in the sender's working directory, and only if it is a socket of
 * the sender's user that the sender holds (pids are reused: the kernel's
 * word on which file its socket is bound to is what counts).  Without
 * sock_diag the user check is all.  The fd, or -1 with why.
 */
static int
dgram_resolve(struct dgram *d, const char *name, const struct ucred *cred,
    const char **why)
{
	char path[64];
	struct stat sb;
	int dir, fd;

	if (cred == NULL || cred->pid <= 0) {
		*why = "no credentials came with it";
		return -1;
	}
	snprintf(path, sizeof path, "/proc/%ld/cwd", (long)cred->pid);
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir == -1) {
		*why = errno == ENOENT ? "the sender is gone"
				       : "the sender's directory cannot be "
					 "looked at";
		return -1;
	}
	fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	close(dir);
	if (fd == -1) {
		*why = errno == ELOOP ? "its name is a symbolic link"
				      : "no such socket in its directory";
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISSOCK(sb.st_mode)) {
		*why = "its name is not a socket";
		goto fail;
	}
	if (sb.st_uid != cred->uid) {
		*why = "the socket there is not its user's";
		goto fail;
	}
	if (dgram_held(d, cred->pid, &sb) == 0) {
		*why = "the socket there is not the sender's";
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/*
 * A reply that could not be delivered: logged when it begins a burst
 * (the first, or the first after DGRAM_BURST_GAP_MS without one), with
 * how many the burst before lost; the rest are only counted.
 */
static void
dgram_lost(struct dgram *d, struct logger *log,
    const struct sockaddr_storage *from, socklen_t fromlen,
    const struct ucred *cred, const char *why)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)from;
	uint64_t now = common_now_ms();
	char addr[sizeof sun->sun_path + 16], host[64], serv[16];
	char who[32] = "", before[64] = "";
	size_t n;

	if (d->lost_burst != 0 && now - d->lost_ms < DGRAM_BURST_GAP_MS) {
		d->lost_burst++;
		d->lost_ms = now;
		return;
	}
	if (d->lost_burst > 1)
		snprintf(before, sizeof before, " (the burst before lost %llu)",
		    (unsigned long long)d->lost_burst);
	d->lost_burst = 1;
	d->lost_ms = now;

	if (from->ss_family == AF_UNIX) {
		n = fromlen - offsetof(struct sockaddr_un, sun_path);
		if (n > sizeof sun->sun_path)
			n = sizeof sun->sun_path;
		if (n > 0 && sun->sun_path[0] == '\0')
			snprintf(addr, sizeof addr, "unix:@%.*s", (int)n - 1,
			    sun->sun_path + 1);
		else
			snprintf(addr, sizeof addr, "unix:%.*s", (int)n,
			    sun->sun_path);
		if (cred != NULL)
			snprintf(
			    who, sizeof who, " (pid %ld)", (long)cred->pid);
	} else if (getnameinfo((const struct sockaddr *)from, fromlen, host,
		       sizeof host, serv, sizeof serv,
		       NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(addr, sizeof addr, "udp:%s:%s", host, serv);
	else
		snprintf(addr, sizeof addr, "udp:?");
	log_warn(log,
	    "ping endpoint: cannot reply to %s%s: %s; more in this burst are "
	    "counted, not logged%s",
	    addr, who, why, before);
}

static void
dgram_reply(struct dgram *d, struct logger *log,
    const struct sockaddr_storage *from, socklen_t fromlen,
    const struct ucred *cred, const char *out, size_t len)
{
	char name[sizeof((struct sockaddr_un *)0)->sun_path + 1];
	const struct sockaddr *to = (const struct sockaddr *)from;
	struct sockaddr_un via;
	socklen_t tolen = fromlen;
	const char *why = NULL;
	int fd = -1;

	if (dgram_relative(from, fromlen, name, sizeof name)) {
		if ((fd = dgram_resolve(d, name, cred, &why)) == -1) {
			dgram_lost(d, log, from, fromlen, cred, why);
			return;
		}
		/* The very file checked, whatever its directory is now. */
		memset(&via, 0, sizeof via);
		via.sun_family = AF_UNIX;
		snprintf(
		    via.sun_path, sizeof via.sun_path, "/proc/self/fd/%d", fd);
		to = (const struct sockaddr *)&via;
		tolen = sizeof via;
	}
	if (sendto(d->fd, out, len, MSG_DONTWAIT | MSG_NOSIGNAL, to, tolen) ==
	    -1)
		dgram_lost(d, log, from, fromlen, cred, strerror(errno));
	if (fd != -1)
		close(fd);
}

/* Answers what is waiting on d, a bounded batch per loop turn. */
void
dgram_service(
    struct dgram *d, struct logger *log, const struct dgram_status *st)
{
	struct sockaddr_storage from;
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	char req[PROTO_DGRAM_MAX], out[PROTO_DGRAM_MAX];
	const struct ucred *cred;
	struct ucred credbuf;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;
	size_t len, k;
	int i, fd;

	for (i = 0; i < DGRAM_BATCH_MAX; i++) {
		memset(&msg, 0, sizeof msg);
		iov.iov_base = req;
		iov.iov_len = sizeof req;
		msg.msg_name = &from;
		msg.msg_namelen = sizeof from;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof ctl.buf;
		n = recvmsg(d->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		cred = NULL;
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		     cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level != SOL_SOCKET)
				continue;
			if (cm->cmsg_type == SCM_CREDENTIALS &&
			    cm->cmsg_len >= CMSG_LEN(sizeof credbuf)) {
				memcpy(&credbuf, CMSG_DATA(cm), sizeof credbuf);
				cred = &credbuf;
			}
			/* Descriptors are nobody's business here. */
			if (cm->cmsg_type == SCM_RIGHTS) {
				for (k = 0; CMSG_LEN((k + 1) * sizeof fd) <=
					    cm->cmsg_len;
				     k++) {
					memcpy(&fd,
					    CMSG_DATA(cm) + k * sizeof fd,
					    sizeof fd);
					close(fd);
				}
			}
		}
		len = dgram_answer(req, (size_t)n, st, out, sizeof out);
		/* An unbound AF_UNIX sender has no address to answer to. */
		if (len == 0 || msg.msg_namelen <= sizeof(sa_family_t))
			continue;
		dgram_reply(d, log, &from, msg.msg_namelen, cred, out, len);
	}
}
