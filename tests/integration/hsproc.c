/*
 * hsproc.c - what the kernel says about turtled's processes and sockets
 * (/proc, sock_diag), and datagram requests.
 *
 * A client's worker is found through the socket it serves: sock_diag
 * gives the inode of the server's end of our unix connection (the end
 * accept() returned, which the master keeps and hands to the worker), and
 * the worker is the master's child that holds that inode in /proc/PID/fd.
 *
 * Not every child of the master serves a client: the spawner
 * ("turtled-spawner") and the idle workers it forked ahead of need
 * ("turtled-idle") say so in their names (/proc/PID/comm).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int proc_stat(pid_t pid, char *state, pid_t *ppid);
static int proc_helper(pid_t pid);

/* State and parent from /proc/PID/stat ("pid (comm) S ppid ..."). */
static int
proc_stat(pid_t pid, char *state, pid_t *ppid)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;
	int pp;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %c %d", state, &pp) != 2)
		return -1;
	*ppid = pp;
	return 0;
}

int
hs_children(pid_t pid, pid_t *out, int max)
{
	struct dirent *de;
	pid_t child, ppid;
	char state;
	int n = 0;
	DIR *d;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		child = (pid_t)atoi(de->d_name);
		if (proc_stat(child, &state, &ppid) != 0 || ppid != pid)
			continue;
		if (n < max)
			out[n] = child;
		n++;
	}
	closedir(d);
	return n;
}

int
hs_proc_comm(pid_t pid, char *out, size_t len)
{
	char path[64];
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	if (len == 0 || (f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(out, 1, len - 1, f);
	fclose(f);
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* 1 if pid is the spawner or an idle worker, 0 if not, -1 if gone. */
static int
proc_helper(pid_t pid)
{
	char comm[64];

	if (hs_proc_comm(pid, comm, sizeof comm) != 0)
		return -1;
	return strcmp(comm, "turtled-spawner") == 0 ||
	       strcmp(comm, "turtled-idle") == 0;
}

int
hs_workers(pid_t pid, pid_t *out, int max, int *helpers)
{
	pid_t kids[HS_PIDS_MAX];
	int n, i, k = 0, h = 0, r;

	if ((n = hs_children(pid, kids, HS_PIDS_MAX)) < 0)
		return -1;
	for (i = 0; i < n && i < HS_PIDS_MAX; i++) {
		if ((r = proc_helper(kids[i])) == 1)
			h++;
		else if (r == 0) {
			if (k < max)
				out[k] = kids[i];
			k++;
		}
	}
	if (helpers != NULL)
		*helpers = h;
	return k;
}

int
hs_helpers(pid_t pid, pid_t *out, int max)
{
	pid_t kids[HS_PIDS_MAX];
	int n, i, k = 0;

	if ((n = hs_children(pid, kids, HS_PIDS_MAX)) < 0)
		return -1;
	for (i = 0; i < n && i < HS_PIDS_MAX; i++) {
		if (proc_helper(kids[i]) == 1) {
			if (k < max)
				out[k] = kids[i];
			k++;
		}
	}
	return k;
}

char
hs_proc_state(pid_t pid)
{
	pid_t ppid;
	char state;

	if (proc_stat(pid, &state, &ppid) != 0)
		return 0;
	return state;
}

int
hs_proc_sockets(pid_t pid, unsigned long *out, int max)
{
	char dir[64], path[PATH_MAX], link[128];
	struct dirent *de;
	unsigned long ino;
	ssize_t len;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((len = readlink(path, link, sizeof link - 1)) <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		if (n < max)
			out[n] = ino;
		n++;
	}
	closedir(d);
	return n;
}

int
hs_proc_has_socket(pid_t pid, unsigned long ino)
{
	unsigned long inos[256];
	int n, i;

	if ((n = hs_proc_sockets(pid, inos, 256)) < 0)
		return 0;
	for (i = 0; i < n && i < 256; i++) {
		if (inos[i] == ino)
			return 1;
	}
	return 0;
}

unsigned long
hs_fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return 0;
	return (unsigned long)st.st_ino;
}

unsigned long
hs_unix_peer(int fd)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} rq;
	union {
		struct nlmsghdr nlh;
		char buf[8192];
	} rp;
	struct sockaddr_nl nladdr;
	struct unix_diag_msg *msg;
	struct rtattr *attr;
	unsigned long peer = 0;
	int nl, len, alen;

	if ((nl = socket(
		 AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) == -1)
		return 0;
	memset(&rq, 0, sizeof rq);
	rq.nlh.nlmsg_len = sizeof rq;
	rq.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	rq.nlh.nlmsg_flags = NLM_F_REQUEST;
	rq.req.sdiag_family = AF_UNIX;
	rq.req.udiag_states = ~0U;
	rq.req.udiag_ino = (unsigned int)hs_fd_inode(fd);
	rq.req.udiag_show = UDIAG_SHOW_PEER;
	rq.req.udiag_cookie[0] = ~0U; /* no cookie: look up by inode */
	rq.req.udiag_cookie[1] = ~0U;
	memset(&nladdr, 0, sizeof nladdr);
	nladdr.nl_family = AF_NETLINK;
	if (sendto(nl, &rq, sizeof rq, 0, (struct sockaddr *)&nladdr,
		sizeof nladdr) != (ssize_t)sizeof rq)
		goto out;
	if ((len = (int)recv(nl, &rp, sizeof rp, 0)) <= 0)
		goto out;
	if (!NLMSG_OK(&rp.nlh, (unsigned int)len) ||
	    rp.nlh.nlmsg_type != SOCK_DIAG_BY_FAMILY)
		goto out;
	msg = NLMSG_DATA(&rp.nlh);
	attr = (struct rtattr *)(msg + 1);
	alen = (int)rp.nlh.nlmsg_len - NLMSG_LENGTH(sizeof *msg);
	for (; RTA_OK(attr, alen); attr = RTA_NEXT(attr, alen)) {
		if (attr->rta_type == UNIX_DIAG_PEER)
			peer = *(unsigned int *)RTA_DATA(attr);
	}
out:
	close(nl);
	return peer;
}

int
hs_unix_path_inodes(
    const char *path, int listening, unsigned long *out, int max)
{
	char line[PATH_MAX + 128], p[PATH_MAX];
	unsigned long flags, ino;
	unsigned int type, st;
	int n = 0, fields;
	FILE *f;

	if ((f = fopen("/proc/net/unix", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		p[0] = '\0';
		fields = sscanf(line, "%*s %*x %*x %lx %x %x %lu %4095s",
		    &flags, &type, &st, &ino, p);
		if (fields < 5 || strcmp(p, path) != 0)
			continue;
		if (listening != ((flags & 0x10000) != 0)) /* __SO_ACCEPTCON */
			continue;
		if (n < max)
			out[n] = ino;
		n++;
	}
	fclose(f);
	return n;
}

pid_t
hs_worker_of(struct hs_client *c)
{
	pid_t kids[HS_PIDS_MAX];
	unsigned long peer;
	int n, i;

	if ((peer = hs_unix_peer(c->fd)) == 0) {
		fprintf(stderr, "harness: sock_diag found no peer\n");
		return -1;
	}
	n = hs_children(c->srv->pid, kids, HS_PIDS_MAX);
	for (i = 0; i < n && i < HS_PIDS_MAX; i++) {
		if (hs_proc_has_socket(kids[i], peer))
			return kids[i];
	}
	fprintf(stderr, "harness: no child of %d holds socket %lu\n",
	    (int)c->srv->pid, peer);
	return -1;
}

int
hs_no_zombies(pid_t pid, int ms)
{
	long long deadline = hs_now_ms() + ms;
	pid_t kids[HS_PIDS_MAX];
	int n, i, zombies;

	for (;;) {
		zombies = 0;
		n = hs_children(pid, kids, HS_PIDS_MAX);
		for (i = 0; i < n && i < HS_PIDS_MAX; i++) {
			if (hs_proc_state(kids[i]) == 'Z')
				zombies++;
		}
		if (zombies == 0)
			return 0;
		if (hs_now_ms() > deadline) {
			fprintf(stderr,
			    "harness: %d zombie children of %d "
			    "after %d ms\n",
			    zombies, (int)pid, ms);
			return -1;
		}
		hs_nap(10);
	}
}

int
hs_dgram_unix(const char *dir, const char *name)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof sun.sun_path, "%s/%s", dir,
		name) >= sizeof sun.sun_path)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
recv_reply(int fd, char *out, size_t outlen, int ms)
{
	struct pollfd pfd;
	ssize_t n;

	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) <= 0)
		return -1;
	if ((n = recv(fd, out, outlen, 0)) < 0)
		return -1;
	return (int)n;
}

int
hs_dgram_ask(int fd, const char *path, const void *req, size_t reqlen,
    char *out, size_t outlen, int ms)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	if (sendto(fd, req, reqlen, 0, (struct sockaddr *)&sun, sizeof sun) !=
	    (ssize_t)reqlen)
		return -1;
	return recv_reply(fd, out, outlen, ms);
}

int
hs_udp_ask(
    int port, const void *req, size_t reqlen, char *out, size_t outlen, int ms)
{
	struct sockaddr_in sin;
	int fd, n = -1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (sendto(fd, req, reqlen, 0, (struct sockaddr *)&sin, sizeof sin) ==
	    (ssize_t)reqlen)
		n = recv_reply(fd, out, outlen, ms);
	close(fd);
	return n;
}
