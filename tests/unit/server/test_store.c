/*
 * test_store.c - power cuts against the state's log (server/store.c built
 * with STORE_SHIM).
 *
 * The shim passes writes and syncs through and remembers, per file, how
 * much of it was synced.  A power cut keeps what was synced, a random part
 * of what was written after (possibly with a damaged byte in it, as a torn
 * sector), and nothing of what was not written; a sync may be cut before
 * it happens.  Over hundreds of cuts, with --fsync always every record
 * whose commit returned (what turtled acknowledges) comes back, in order,
 * and nothing else but a whole prefix of the rest; with none, acknowledged
 * records are lost, which shows the test can see a loss.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define SHIM_FILES 16

static struct {
	ino_t ino[SHIM_FILES];
	off_t synced[SHIM_FILES];
	size_t n;
	int cut_next_sync; /* the power goes before the next sync */
} shim;

ssize_t store_shim_write(int, const void *, size_t);
int store_shim_fdatasync(int);
int store_shim_fsync(int);

ssize_t
store_shim_write(int fd, const void *p, size_t n)
{
	return write(fd, p, n);
}

static off_t *
shim_synced(ino_t ino)
{
	size_t i;

	for (i = 0; i < shim.n; i++) {
		if (shim.ino[i] == ino)
			return &shim.synced[i];
	}
	if (shim.n == SHIM_FILES)
		abort();
	shim.ino[shim.n] = ino;
	shim.synced[shim.n] = 0;
	return &shim.synced[shim.n++];
}

int
store_shim_fdatasync(int fd)
{
	struct stat st;

	if (shim.cut_next_sync) {
		errno = EIO;
		return -1;
	}
	if (fstat(fd, &st) != 0)
		return -1;
	if (S_ISREG(st.st_mode))
		*shim_synced(st.st_ino) = st.st_size;
	return fdatasync(fd);
}

int
store_shim_fsync(int fd)
{
	return store_shim_fdatasync(fd);
}

/* The power goes: the log keeps its synced part and some of the rest. */
static void
power_cut(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	off_t keep, synced;
	int fd;
	unsigned char b;

	snprintf(path, sizeof path, "%s/log", dir);
	if (stat(path, &st) != 0)
		return;
	synced = *shim_synced(st.st_ino);
	if (synced > st.st_size)
		synced = st.st_size;
	keep = synced + (st.st_size > synced
				? (off_t)(rand() % (st.st_size - synced + 1))
				: 0);
	assert_int_equal(truncate(path, keep), 0);
	if (keep > synced && rand() % 2 == 0) {
		/* A torn sector: one byte of the unsynced part is wrong. */
		fd = open(path, O_RDWR);
		assert_true(fd != -1);
		b = (unsigned char)rand();
		assert_int_equal(
		    pwrite(fd, &b, 1, synced + rand() % (keep - synced)), 1);
		close(fd);
	}
}

struct loaded {
	uint64_t n;
	int bad;
};

static int
count(int type, const unsigned char *p, size_t len, void *arg)
{
	struct loaded *l = arg;
	char want[32];

	snprintf(want, sizeof want, "rec %llu", (unsigned long long)l->n);
	if (type != STORE_R_HIST || len != strlen(want) ||
	    memcmp(p, want, len) != 0)
		l->bad = 1;
	l->n++;
	return 0;
}

/* Cuts the power rounds times; returns how many rounds lost acked
 * records. */
static int
cuts(enum store_fsync mode, int rounds)
{
	char dir[] = "/tmp/store-test-XXXXXX", logpath[PATH_MAX];
	struct logger log;
	struct store s;
	struct loaded l;
	uint64_t written = 0, acked = 0;
	char rec[32], *cause = NULL;
	int r, b, i, n, lost = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(logpath, sizeof logpath, "%s/turtled.log", dir);
	assert_int_equal(
	    log_open(&log, logpath, LOG_LEVEL_ERROR, 0, &cause), 0);
	memset(&shim, 0, sizeof shim);
	for (r = 0; r < rounds; r++) {
		shim.cut_next_sync = 0;
		if (store_open(&s, dir, mode, &log, &cause) != 0)
			fail_msg("round %d: %s", r, cause);
		memset(&l, 0, sizeof l);
		if (store_load(&s, count, &l, &cause) != 0)
			fail_msg("round %d: %s", r, cause);
		assert_false(l.bad);
		if (l.n < acked)
			lost++;
		/* Nothing comes back that was not written. */
		assert_true(l.n <= written);
		written = acked = l.n;
		/* Batches, each one turn's records; the cut comes at a
		 * random point: between turns, or before a turn's sync. */
		n = rand() % 6;
		for (b = 0; b < n; b++) {
			for (i = rand() % 8; i >= 0; i--) {
				snprintf(rec, sizeof rec, "rec %llu",
				    (unsigned long long)written++);
				store_add(&s, STORE_R_HIST, rec, strlen(rec),
				    NULL, 0);
			}
			if (b == n - 1 && rand() % 2 == 0)
				shim.cut_next_sync = 1;
			if (store_commit(&s, 0, &cause) == 0)
				acked = written; /* turtled would reply now */
			else
				free(cause);
		}
		store_close(&s);
		power_cut(dir);
	}
	/* The log was never compacted: all rounds went to one file. */
	snprintf(logpath, sizeof logpath, "rm -rf %s", dir);
	assert_int_equal(system(logpath), 0);
	log_close(&log);
	return lost;
}

static void
test_always_loses_nothing(void **state)
{
	(void)state;
	srand(7);
	assert_int_equal(cuts(STORE_FSYNC_ALWAYS, 150), 0);
}

static void
test_none_can_lose(void **state)
{
	(void)state;
	srand(7);
	assert_true(cuts(STORE_FSYNC_NONE, 150) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_always_loses_nothing),
	    cmocka_unit_test(test_none_can_lose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
