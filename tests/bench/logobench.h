/*
 * logobench.h - the Logo benchmarks (bench_draw, bench_runaway,
 * bench_join): v1 sessions against turtled that check every SEQ, and
 * lines in flight counted against the events they cause.
 *
 * A sender's line is acknowledged by one event of its ack kind ("turtle"
 * for a Logo line, "move" for a run) carrying the sender's name; every
 * session reads every event in order, so the k-th such event a watcher
 * reads is the sender's k-th line.  A line is complete when its sender
 * has the reply and every watcher has read its event (or a resync
 * snapshot whose log holds it).
 */
#ifndef TURTLENET_LOGOBENCH_H
#define TURTLENET_LOGOBENCH_H

#include <stddef.h>
#include <stdint.h>

#define LB_IN_CAP   65536 /* a session's read buffer: lines are ~2 KiB */
#define LB_RING     1024  /* lines in flight per sender (power of 2) */
#define LB_LINE_MAX 512   /* the framing limit of a line */
#define LB_DRAIN_NS (60 * 1000000000LL)

enum lb_state { LB_CLOSED, LB_HELLO, LB_SNAP, LB_READY };

/* One line in flight. */
struct lb_line {
	int64_t t_send;
	int64_t t_first; /* the first watcher read its event */
	int64_t t_last;  /* the last one did */
	int64_t t_reply;
	uint32_t got, need;
	int replied;
	int open;
	int failed; /* the reply was an err */
};

struct lb_session;

/* The sessions of one tool, its epoll set and its correctness counters. */
struct lb_set {
	int epfd;
	const char *path;
	struct lb_session **all;
	size_t nall, cap;
	size_t nsenders;
	struct lb_session **senders; /* by sender index */
	size_t nwatchers;

	uint64_t errors, gaps, lost, resyncs;
	uint64_t seg_mismatch; /* a turtle event's segs= against its paths */
	uint64_t completed;    /* lines complete, any sender */
	int64_t t_last_done;
	char first_error[512];

	/* Called for every line after the SEQ check and the counting. */
	void (*on_line)(struct lb_session *, const char *, size_t, int64_t);
	/* Called when a line completes. */
	void (*on_done)(struct lb_session *, struct lb_line *);
	void *arg;
};

struct lb_session {
	struct lb_set *set;
	int fd;
	int idx;
	char name[32];
	enum lb_state state;
	char *in;
	size_t inlen;
	char *out;
	size_t outlen, outcap;
	int want_out;
	uint64_t bytes_in;

	/* The SEQ check. */
	uint64_t last_seq;
	int resynced;         /* in the snapshot after a resync */
	uint64_t resync_from; /* events after this SEQ were dropped */
	int64_t t_snap_end;   /* when the last snapshot ended */

	/* As a watcher: every sender's ack events read, and segments. */
	int watcher;
	uint64_t *got;       /* [nsenders] */
	uint64_t segs_since; /* path segments since the last turtle event */
	int segs_unknown;    /* a resync came since: no check */
	uint64_t segs_read;  /* path segments read in all */
	uint64_t acks_read;  /* ack events read in all */

	/* As a sender. */
	int sender;      /* index, or -1 */
	const char *ack; /* the event kind that acknowledges a line */
	int reply_only;  /* complete at the reply; watchers not counted */
	uint64_t sent, replied, done;
	int setup_pending; /* untracked lines (definitions) awaiting a reply */
	uint64_t ok_replies, err_replies, limit_replies, moved_replies;
	struct lb_line *ring; /* LB_RING */
	int64_t next_send;
	void *user;
};

/* session.c */
int64_t lb_now(void);
void lb_fail(struct lb_set *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int lb_set_init(struct lb_set *, const char *path);
void lb_set_free(struct lb_set *);
struct lb_session *lb_session_new(
    struct lb_set *, const char *name, int watcher, int sender);
int lb_session_open(struct lb_session *);
void lb_session_close(struct lb_session *);
int lb_session_send(struct lb_session *, const char *, size_t);
int lb_poll(struct lb_set *, int timeout_ms);
int lb_failed(const struct lb_set *);
int lb_dial(const char *path, char *why, size_t whylen);
int lb_prefix(const char *, size_t, const char *);
const char *lb_field(const char *, size_t, const char *, size_t *);
int lb_u64(const char *, size_t, uint64_t *);

/* track.c */
int lb_connect_all(struct lb_set *, double secs);
int lb_send_line(struct lb_session *sender, const char *line);
int lb_send_setup(struct lb_session *sender, const char *line);
int lb_wait_quiet(struct lb_set *, double secs);
int lb_drain(struct lb_set *, double secs);
size_t lb_in_flight(const struct lb_session *sender);
void lb_track_line(struct lb_session *, const char *, size_t, int64_t);

#endif
