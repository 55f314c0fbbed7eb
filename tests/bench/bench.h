/*
 * bench.h - the load generator of the turtlenet benchmark (bench_gen).
 *
 * One process drives many non-blocking sockets with epoll: N watchers that
 * only read, and movers that send tagged commands.  The same generator
 * speaks turtled's v1 dialect and Redis pub/sub (RESP), so both are
 * measured with the same code, the same payload and the same tagging.
 */
#ifndef TURTLENET_BENCH_H
#define TURTLENET_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_IN_CAP      65536 /* a connection's read buffer */
#define BENCH_TAGS        8192  /* ring of commands in flight (power of 2) */
#define BENCH_WINDOW_MAX  1024
#define BENCH_PAYLOAD_MAX 400
#define BENCH_HANDSHAKES  64 /* connections saying hello at once */
#define BENCH_DRAIN_NS    (15 * 1000000000LL)

enum bench_target { BENCH_TURTLED, BENCH_REDIS, BENCH_ECHO };
enum bench_role { BENCH_WATCHER, BENCH_MOVER };
enum bench_state {
	BENCH_CLOSED,
	BENCH_HELLO, /* hello sent, snapshot (or subscribe reply) pending */
	BENCH_READY,
	BENCH_QUITTING /* quit sent (soak churn), waiting for the close */
};
enum bench_mode { BENCH_PACED, BENCH_SEQUENTIAL, BENCH_WINDOW, BENCH_SOAK };

struct bench_conn {
	int fd;
	int idx;
	enum bench_role role;
	enum bench_state state;
	char *in;
	size_t inlen;
	char *out;
	size_t outlen, outcap;
	int want_out; /* EPOLLOUT registered */

	/* v1: the SEQ check. */
	uint64_t last_seq;
	int in_snap;     /* inside a snapshot (after ok hello or a resync) */
	int quit_ok;     /* "ok quit" came before the close */
	int resync_gap;  /* resynced: the next tag may jump ahead */
	int snap_has_id; /* the resync snapshot's log held a tag */
	uint64_t snap_max_id; /* the newest tag in it */
	int paused;           /* not reading (a stalled watcher) */
	int was_paused;       /* so a slow-consumer cut is expected */
	uint64_t resyncs;
	/* The tag order check: ids arrive one by one. */
	uint64_t last_id;
	int have_id;

	/* RESP: where we are in the current reply. */
	long resp_left;   /* array elements still to come */
	long resp_elem;   /* index of the next element */
	long resp_bulk;   /* >= 0: the next line is a bulk of that size */
	int resp_message; /* the current array is a "message" push */
	int resp_subscribe;

	/* Mover: commands sent and replied, in order. */
	uint64_t sent, replied;
	uint64_t *fifo; /* ring of BENCH_TAGS ids, movers only */
};

struct bench_tag {
	uint64_t id;
	int64_t t_send;
	int64_t t_first; /* when the first watcher read it */
	int64_t t_last;  /* when the last watcher read it */
	uint32_t got;    /* watchers that read it */
	uint32_t need;   /* watchers that must read it */
	int replied;
	int open;
};

struct bench_lat {
	int64_t *v;
	size_t n, cap;
};

struct bench_opts {
	enum bench_target target;
	const char *path; /* AF_UNIX stream socket */
	const char *tcp;  /* HOST:PORT instead */
	int watchers;
	int movers;
	int payload;
	int window;
	int rate; /* paced: commands per second */
	double paced_secs, seq_secs, window_secs;
	const char *phases; /* "paced,seq,window" */
	int connectors;     /* connect phase: 0 = off */
	double connect_secs;
	int server_pid; /* CPU per delivery, soak checks */
	int mem;        /* memory figures (needs server_pid) */
	double soak_secs;
	int churn;         /* soak: watchers replaced per second */
	double stall_secs; /* soak: watcher 0 stops reading that long */
	int soak_rate;
	int quiet;
};

struct bench {
	struct bench_opts o;
	int epfd;
	struct bench_conn *conns; /* watchers then movers */
	size_t nconns;
	size_t nready; /* watchers ready */
	size_t handshakes;
	uint64_t name_serial;

	struct bench_tag tags[BENCH_TAGS];
	uint64_t next_id;
	size_t open;
	enum bench_mode mode;
	int counting; /* tags need every watcher (off in the soak) */
	int64_t next_send;
	size_t next_mover;

	struct bench_lat lat;
	struct bench_lat lat_first; /* send to the first watcher's read */
	uint64_t completed;
	uint64_t deliveries;
	int64_t t_first_send, t_last_done;

	/* Correctness: any of these non-zero fails the run. */
	uint64_t errors;
	uint64_t gaps;
	uint64_t order;
	uint64_t lost; /* connections the server closed on us */
	uint64_t resyncs;
	uint64_t resync_dropped; /* tags a watcher got only as a snapshot */
	uint64_t slow_cuts;      /* stalled watchers the server cut */
	uint64_t bad_replies;
	char first_error[512];
};

/* gen.c */
int64_t bench_now(void);
void bench_fail(struct bench *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* conn.c */
int bench_conn_open(
    struct bench *, struct bench_conn *, char *why, size_t whylen);
void bench_conn_close(struct bench *, struct bench_conn *);
int bench_conn_send(struct bench *, struct bench_conn *, const char *, size_t);
int bench_conn_flush(struct bench *, struct bench_conn *);
int bench_conn_pause(struct bench *, struct bench_conn *, int);
int bench_conn_read(struct bench *, struct bench_conn *);
int bench_poll(struct bench *, int timeout_ms);
int bench_dial(const struct bench_opts *, char *why, size_t whylen);

/* tag.c */
void bench_tag_sent(
    struct bench *, struct bench_conn *mover, uint64_t id, int64_t now);
void bench_tag_seen(
    struct bench *, struct bench_conn *watcher, uint64_t id, int64_t now);
void bench_tag_replied(struct bench *, struct bench_conn *mover, int64_t now);
void bench_tag_skipped(
    struct bench *, struct bench_conn *watcher, uint64_t upto, int64_t now);
int bench_tag_parse(const char *s, size_t len, uint64_t *id);
size_t bench_tag_payload(char *out, size_t outlen, uint64_t id, int size);

/* v1.c */
int bench_v1_hello(struct bench *, struct bench_conn *);
void bench_v1_line(
    struct bench *, struct bench_conn *, const char *, size_t, int64_t now);
int bench_v1_command(struct bench *, struct bench_conn *, uint64_t id);
int bench_v1_quit(struct bench *, struct bench_conn *);

/* resp.c */
int bench_resp_hello(struct bench *, struct bench_conn *);
void bench_resp_line(
    struct bench *, struct bench_conn *, const char *, size_t, int64_t now);
int bench_resp_command(struct bench *, struct bench_conn *, uint64_t id);

/* lat.c */
void bench_lat_add(struct bench_lat *, int64_t ns);
int64_t bench_lat_pct(struct bench_lat *, double pct);
void bench_lat_reset(struct bench_lat *);

/* connrate.c */
int bench_connrate(const struct bench_opts *, double *rate, long long *errors,
    char *why, size_t whylen);

/* mem.c */
struct bench_meminfo {
	long long avail_kb, kstack_kb, pagetables_kb, sunreclaim_kb;
};
struct bench_memfig {
	long long master_pss_kb, master_private_kb, master_rss_kb;
	long long workers, workers_pss_kb;
	long long worker_pss_med_kb, worker_private_med_kb;
	long long zombies;
};
int bench_mem_info(struct bench_meminfo *);
int bench_mem_server(int pid, struct bench_memfig *);
long long bench_mem_self_pss(void);
long long bench_mem_rss(int pid);
long long bench_mem_cpu(int pid);

#endif
