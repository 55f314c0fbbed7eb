/*
 * outlimit.c - the accounting behind a client's output limit.
 *
 * A snapshot can be larger than the limit (a long trail), so the bytes of
 * the latest snapshot that are still queued do not count: the limit bounds
 * what piles up on top of it.  A client that hits the limit again while its
 * resync snapshot is still queued is not keeping up at all and is cut.
 */
#include <string.h>

#include "server.h"

void
outlimit_init(struct outlimit *ol)
{
	memset(ol, 0, sizeof *ol);
}

void
outlimit_added(struct outlimit *ol, size_t n)
{
	ol->queued += n;
}

/* The next snap bytes start a new snapshot; older ones count again. */
void
outlimit_snap_begin(struct outlimit *ol)
{
	ol->before_snap = ol->queued;
	ol->snap_left = 0;
	ol->snap_total = 0;
}

void
outlimit_snap_added(struct outlimit *ol, size_t n)
{
	ol->queued += n;
	ol->snap_left += n;
	ol->snap_total += n;
}

/*
 * A resync snapshot is on its way and the client has taken some of it:
 * it reads, if not fast enough (a client drawing big Logo lines back to
 * back), where a stuck one has taken nothing.
 */
int
outlimit_reading(const struct outlimit *ol)
{
	return ol->resyncing && ol->snap_left < ol->snap_total;
}

void
outlimit_written(struct outlimit *ol, size_t n)
{
	size_t d;

	if (n > ol->queued)
		n = ol->queued;
	ol->queued -= n;
	d = n < ol->before_snap ? n : ol->before_snap;
	ol->before_snap -= d;
	n -= d;
	d = n < ol->snap_left ? n : ol->snap_left;
	ol->snap_left -= d;
	if (ol->snap_left == 0)
		ol->resyncing = ol->joining = 0;
}

/* The queue was emptied down to kept bytes (a resync or a cut). */
void
outlimit_reset(struct outlimit *ol, size_t kept)
{
	ol->queued = kept;
	ol->before_snap = kept;
	ol->snap_left = 0;
	ol->resyncing = ol->joining = 0;
}

/* A resync snapshot was just queued. */
void
outlimit_resynced(struct outlimit *ol, uint64_t now_ms)
{
	ol->resyncing = ol->snap_left != 0;
	ol->resync_ms = now_ms;
}

/*
 * The join snapshot was just queued: like a resync's, it must be read in
 * time (a client that says hello and never reads holds it), but hitting
 * the limit meanwhile still earns one resync.
 */
void
outlimit_joined(struct outlimit *ol, uint64_t now_ms)
{
	ol->joining = ol->snap_left != 0;
	ol->resync_ms = now_ms;
}

size_t
outlimit_usage(const struct outlimit *ol)
{
	return ol->queued - ol->snap_left;
}

/* What to do before appending add more bytes. */
enum outlimit_verdict
outlimit_check(
    const struct outlimit *ol, size_t add, size_t limit, int can_resync)
{
	size_t used = outlimit_usage(ol);

	if (add <= limit && used <= limit - add)
		return OUTLIMIT_OK;
	if (!can_resync || ol->resyncing)
		return OUTLIMIT_CUT;
	return OUTLIMIT_RESYNC;
}

/* A snapshot still queued after timeout_ms: the client is stuck. */
int
outlimit_stuck(const struct outlimit *ol, uint64_t now_ms, uint64_t timeout_ms)
{
	return (ol->resyncing || ol->joining) &&
	       now_ms - ol->resync_ms >= timeout_ms;
}
