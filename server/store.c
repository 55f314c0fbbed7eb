/*
 * store.c - the world on disk: a snapshot and an append-only log.
 *
 *	DIR/lock       held (flock) while a turtled uses DIR
 *	DIR/snapshot   the state at one point, "TURTSNAP" header, records
 *	DIR/log        what happened since, "TURTLLOG" header, records
 *
 * A record is { u32 len, u32 crc, u8 type, payload[len] }; the CRC-32C
 * covers the type and the payload.  Numbers are in host byte order: the
 * files are this machine's.  Headers carry the format's version and a
 * generation: a snapshot of generation G holds everything the logs before
 * G held, and the log it goes with has generation G too.  Compaction
 * writes snapshot G+1 (temp file, fsync, rename, fsync of DIR) and only
 * then a fresh log G+1; a crash between leaves snapshot G+1 and log G,
 * whose records are then skipped, not applied twice.
 *
 * Records of a loop turn are gathered in memory and written with one
 * write() at the end of the turn, before any output of that turn leaves
 * (store_commit()): with --fsync always an fdatasync() follows, so nothing
 * is acknowledged or broadcast before it is on disk, and one fsync covers
 * everything the turn did (group commit, as Redis's appendfsync always).
 *
 * Loading stops at the first record that is short or fails its CRC, logs
 * what it drops and truncates the log there.  A file that is not ours,
 * or of a newer version, is refused and left as it is.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

/*
 * The power-loss test (tests/unit/server/test_store.c) builds this file
 * with STORE_SHIM: its writes and syncs go through the test's functions,
 * which know what a power cut would keep, as SQLite's crash tests do.
 */
#ifdef STORE_SHIM
ssize_t store_shim_write(int, const void *, size_t);
int store_shim_fdatasync(int);
int store_shim_fsync(int);
#define write     store_shim_write
#define fdatasync store_shim_fdatasync
#define fsync     store_shim_fsync
#endif

#define STORE_VERSION  1
#define STORE_HDR_LEN  24 /* magic 8, version 4, reserved 4, generation 8 */
#define STORE_REC_HDR  9  /* len 4, crc 4, type 1 */
#define STORE_REC_MAX  (64u << 20)
#define STORE_BATCH_MS 1000 /* --fsync batch: at most this much unsynced */

static const char store_log_magic[8] = "TURTLLOG";
static const char store_snap_magic[8] = "TURTSNAP";

static uint32_t store_crc(uint32_t, const void *, size_t);
static int store_write_all(int, const void *, size_t);
static int store_header(int, const char *, uint64_t);
static int store_read_header(
    int, const char *, const char *, uint64_t *, char **);
static int store_replay(
    struct store *, int, const char *, int, store_fn, void *, char **);
static int store_new_log(struct store *, uint64_t, char **);

/* CRC-32C (Castagnoli), bit by bit over a table made on first use. */
static uint32_t
store_crc(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t c;
	size_t i;
	int k;

	crc = ~crc;
	for (i = 0; i < n; i++) {
		c = (crc ^ b[i]) & 0xff;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc = (crc >> 8) ^ c;
	}
	return ~crc;
}

static int
store_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
store_header(int fd, const char *magic, uint64_t gen)
{
	unsigned char h[STORE_HDR_LEN];
	uint32_t v = STORE_VERSION, r = 0;

	memcpy(h, magic, 8);
	memcpy(h + 8, &v, 4);
	memcpy(h + 12, &r, 4);
	memcpy(h + 16, &gen, 8);
	return store_write_all(fd, h, sizeof h);
}

/* 0 with *gen; 1 for an empty file; -1 with *cause (file not ours). */
static int
store_read_header(
    int fd, const char *path, const char *magic, uint64_t *gen, char **cause)
{
	unsigned char h[STORE_HDR_LEN];
	uint32_t v;
	ssize_t n;

	n = pread(fd, h, sizeof h, 0);
	if (n == 0)
		return 1;
	if (n != (ssize_t)sizeof h || memcmp(h, magic, 8) != 0) {
		*cause = common_xprintf("%s is not a turtled state file "
					"(left as it is)",
		    path);
		return -1;
	}
	memcpy(&v, h + 8, 4);
	if (v != STORE_VERSION) {
		*cause = common_xprintf("%s is of format version %u; this "
					"turtled reads version %d (left as it "
					"is)",
		    path, (unsigned)v, STORE_VERSION);
		return -1;
	}
	memcpy(gen, h + 16, 8);
	return 0;
}

int
store_open(struct store *s, const char *dir, enum store_fsync mode,
    struct logger *log, char **cause)
{
	char path[SERVER_PATH_MAX + 16];

	memset(s, 0, sizeof *s);
	s->lockfd = s->logfd = s->dirfd = -1;
	s->mode = mode;
	s->log = log;
	if (util_strlcpy(s->dir, dir, sizeof s->dir) >= sizeof s->dir) {
		*cause = common_xprintf("--state: path too long");
		return -1;
	}
	if (common_path_mkdirs(dir, 0700, cause) != 0)
		return -1;
	if ((s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		*cause = common_xprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/lock", dir);
	s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->lockfd == -1) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		store_close(s);
		return -1;
	}
	if (flock(s->lockfd, LOCK_EX | LOCK_NB) == -1) {
		*cause = common_xprintf(errno == EWOULDBLOCK
					    ? "%s is in use by another turtled"
					    : "%s: cannot lock: %s",
		    dir, strerror(errno));
		store_close(s);
		return -1;
	}
	return 0;
}

/*
 * Reads one file's records into fn.  A log (is_log) is cut after its last
 * whole, sound record; a snapshot must be whole.
 */
static int
store_replay(struct store *s, int fd, const char *path, int is_log, store_fn fn,
    void *arg, char **cause)
{
	unsigned char hdr[STORE_REC_HDR], *p = NULL;
	off_t off = STORE_HDR_LEN, end;
	uint32_t len, crc;
	uint64_t n = 0;
	int r = 0;

	end = lseek(fd, 0, SEEK_END);
	for (;;) {
		if (end - off < STORE_REC_HDR)
			break;
		if (pread(fd, hdr, sizeof hdr, off) != (ssize_t)sizeof hdr)
			break;
		memcpy(&len, hdr, 4);
		memcpy(&crc, hdr + 4, 4);
		if (len > STORE_REC_MAX ||
		    (off_t)len > end - off - STORE_REC_HDR)
			break;
		free(p);
		if ((p = malloc(len + 1)) == NULL) {
			*cause =
			    common_xprintf("out of memory reading %s", path);
			return -1;
		}
		if (pread(fd, p, len, off + STORE_REC_HDR) != (ssize_t)len)
			break;
		if (store_crc(store_crc(0, hdr + 8, 1), p, len) != crc)
			break;
		p[len] = '\0';
		if ((r = fn(hdr[8], p, len, arg)) != 0) {
			*cause = common_xprintf("%s: record %llu (type %u) "
						"makes no sense",
			    path, (unsigned long long)n + 1, hdr[8]);
			free(p);
			return -1;
		}
		off += STORE_REC_HDR + (off_t)len;
		n++;
	}
	free(p);
	if (off != end) {
		if (!is_log) {
			*cause = common_xprintf("%s is damaged after %llu "
						"records (left as it is)",
			    path, (unsigned long long)n);
			return -1;
		}
		/* A record torn by a crash, or damaged: it and anything
		 * after it go; what was before it stays. */
		log_warn(s->log,
		    "%s: %lld bytes after record %llu are torn or damaged: "
		    "dropped",
		    path, (long long)(end - off), (unsigned long long)n);
		if (ftruncate(fd, off) == -1 || fdatasync(fd) == -1) {
			*cause = common_xprintf(
			    "%s: cannot truncate: %s", path, strerror(errno));
			return -1;
		}
	}
	s->loaded += n;
	s->logsize = (uint64_t)off;
	return 0;
}

/* A new, empty log of generation gen, put in place atomically. */
static int
store_new_log(struct store *s, uint64_t gen, char **cause)
{
	char tmp[SERVER_PATH_MAX + 16], path[SERVER_PATH_MAX + 16];
	int fd;

	snprintf(tmp, sizeof tmp, "%s/log.new", s->dir);
	snprintf(path, sizeof path, "%s/log", s->dir);
	fd = open(
	    tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 || store_header(fd, store_log_magic, gen) != 0 ||
	    fdatasync(fd) == -1 || rename(tmp, path) == -1 ||
	    fsync(s->dirfd) == -1) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (s->logfd != -1)
		close(s->logfd);
	s->logfd = fd;
	if (lseek(fd, 0, SEEK_END) == -1) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	s->gen = gen;
	s->logsize = STORE_HDR_LEN;
	return 0;
}

int
store_load(struct store *s, store_fn fn, void *arg, char **cause)
{
	char path[SERVER_PATH_MAX + 16];
	uint64_t sgen = 0, lgen = 0;
	int fd, r;

	snprintf(path, sizeof path, "%s/snapshot", s->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno != ENOENT) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fd != -1) {
		r = store_read_header(fd, path, store_snap_magic, &sgen, cause);
		if (r == 0)
			r = store_replay(s, fd, path, 0, fn, arg, cause);
		close(fd);
		if (r < 0)
			return -1;
		s->snapshots = 1;
	}
	snprintf(path, sizeof path, "%s/log", s->dir);
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno != ENOENT) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fd == -1)
		return store_new_log(s, sgen, cause);
	r = store_read_header(fd, path, store_log_magic, &lgen, cause);
	if (r < 0) {
		close(fd);
		return -1;
	}
	if (r == 1 || lgen < sgen) {
		/* Empty, or folded into the snapshot already (a compaction
		 * stopped between its two renames). */
		close(fd);
		return store_new_log(s, sgen, cause);
	}
	if (lgen > sgen) {
		close(fd);
		*cause = common_xprintf("%s is of generation %llu but the "
					"snapshot of %llu: the snapshot is "
					"missing (left as it is)",
		    path, (unsigned long long)lgen, (unsigned long long)sgen);
		return -1;
	}
	if (store_replay(s, fd, path, 1, fn, arg, cause) != 0) {
		close(fd);
		return -1;
	}
	/* What was read is what clients will be told: it must not be lost
	 * to a power cut now, though before the crash it may not have been
	 * synced (the power-loss test found this). */
	if (fdatasync(fd) == -1) {
		*cause =
		    common_xprintf("%s: fdatasync: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	s->logfd = fd;
	s->gen = lgen;
	if (lseek(fd, (off_t)s->logsize, SEEK_SET) == -1) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A record for the end of this turn. */
void
store_add(struct store *s, int type, const void *a, size_t alen, const void *b,
    size_t blen)
{
	unsigned char hdr[STORE_REC_HDR], t = (unsigned char)type;
	uint32_t len = (uint32_t)(alen + blen), crc;

	if (s->logfd == -1 && !s->building)
		return;
	crc = store_crc(0, &t, 1);
	crc = store_crc(crc, a, alen);
	if (blen > 0)
		crc = store_crc(crc, b, blen);
	memcpy(hdr, &len, 4);
	memcpy(hdr + 4, &crc, 4);
	hdr[8] = t;
	if (s->len + STORE_REC_HDR + len > s->cap)
		s->buf = common_xgrow(
		    s->buf, &s->cap, s->len + STORE_REC_HDR + len, 1);
	memcpy(s->buf + s->len, hdr, STORE_REC_HDR);
	memcpy(s->buf + s->len + STORE_REC_HDR, a, alen);
	if (blen > 0)
		memcpy(s->buf + s->len + STORE_REC_HDR + alen, b, blen);
	s->len += STORE_REC_HDR + len;
	s->records++;
}

/*
 * The turn's records to the log, before its output leaves; with "always"
 * on disk too.  0, or -1 with *cause: nothing of this turn may be
 * acknowledged.
 */
int
store_commit(struct store *s, uint64_t now_ms, char **cause)
{
	if (s->logfd == -1 || s->len == 0)
		return 0;
	if (store_write_all(s->logfd, s->buf, s->len) != 0) {
		*cause = common_xprintf(
		    "%s/log: write: %s", s->dir, strerror(errno));
		return -1;
	}
	s->logsize += s->len;
	s->len = 0;
	if (!s->unsynced)
		s->unsynced_ms = now_ms;
	s->unsynced = 1;
	if (s->mode == STORE_FSYNC_ALWAYS)
		return store_sync(s, cause);
	return 0;
}

/* --fsync batch: what waited STORE_BATCH_MS goes to disk. */
int
store_sync_due(const struct store *s, uint64_t now_ms)
{
	return s->logfd != -1 && s->unsynced && s->mode == STORE_FSYNC_BATCH &&
	       now_ms - s->unsynced_ms >= STORE_BATCH_MS;
}

int
store_sync(struct store *s, char **cause)
{
	if (s->logfd == -1 || !s->unsynced)
		return 0;
	if (fdatasync(s->logfd) == -1) {
		*cause = common_xprintf(
		    "%s/log: fdatasync: %s", s->dir, strerror(errno));
		return -1;
	}
	s->unsynced = 0;
	s->syncs++;
	return 0;
}

/*
 * Compaction, 1: records from here go to a new snapshot (what the caller
 * adds with store_add() until store_snapshot_end()).
 */
int
store_snapshot_begin(struct store *s, char **cause)
{
	if (s->logfd == -1) {
		*cause = common_xprintf("no state directory");
		return -1;
	}
	if (s->len != 0 && store_commit(s, common_now_ms(), cause) != 0)
		return -1;
	s->building = 1;
	return 0;
}

/* 2: the snapshot in place (temp, fsync, rename, fsync DIR), then a new
 * log of its generation. */
int
store_snapshot_end(struct store *s, char **cause)
{
	char tmp[SERVER_PATH_MAX + 16], path[SERVER_PATH_MAX + 16];
	uint64_t gen = s->gen + 1;
	int fd;

	s->building = 0;
	snprintf(tmp, sizeof tmp, "%s/snapshot.new", s->dir);
	snprintf(path, sizeof path, "%s/snapshot", s->dir);
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1 || store_header(fd, store_snap_magic, gen) != 0 ||
	    store_write_all(fd, s->buf, s->len) != 0 || fdatasync(fd) == -1 ||
	    close(fd) == -1 || rename(tmp, path) == -1 ||
	    fsync(s->dirfd) == -1) {
		*cause = common_xprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		unlink(tmp);
		s->len = 0;
		return -1;
	}
	s->len = 0;
	s->snapshots++;
	return store_new_log(s, gen, cause);
}

int
store_wants_compact(const struct store *s)
{
	return s->logfd != -1 && s->logsize > s->compact_bytes;
}

void
store_close(struct store *s)
{
	if (s->logfd != -1)
		close(s->logfd);
	if (s->dirfd != -1)
		close(s->dirfd);
	if (s->lockfd != -1)
		close(s->lockfd);
	s->logfd = s->dirfd = s->lockfd = -1;
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}
