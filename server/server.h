/*
 * server.h - turtled's internal interfaces.
 *
 * The master process owns the listeners, the world, the client table and
 * the event counter, and is the only writer to client sockets.  Each
 * connection gets a forked worker that reads the socket, parses it and
 * sends the commands to the master over a socketpair (ipc.h).
 * docs/server.md walks through the design.
 */
#ifndef TURTLED_SERVER_H
#define TURTLED_SERVER_H

#include <sys/types.h>
#include <sys/queue.h>

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <pthread.h>

#include "common.h"
#include "ipc.h"
#include "logo.h"
#include "proto.h"

struct event;
struct event_base;
struct evbuffer;

#define SERVER_PATH_MAX 4096

enum server_mode { SERVER_MODE_FREE, SERVER_MODE_TURNS };

/* Sockets systemd passed (activate.c); on is 0 when it passed none. */
struct activation {
	int on;
	int stream; /* the listening AF_UNIX stream socket */
	int dgram;  /* the AF_UNIX datagram socket at PATH.ping, or -1 */
};

/* Everything the command line says; read-only once the server runs. */
struct options {
	int foreground;
	int verbose;
	char socket_path[SERVER_PATH_MAX];
	char **tcp; /* HOST:PORT */
	size_t ntcp;
	char token[PROTO_TOKEN_MAX + 1]; /* "" for none */
	char admin_token[PROTO_TOKEN_MAX + 1];
	enum server_mode mode;
	unsigned turn_time; /* seconds */
	unsigned max_clients;
	unsigned max_startups; /* connections before hello, per kind */
	unsigned login_grace;  /* seconds to say hello */
	unsigned worker_uses;  /* clients a worker serves before it exits */
	unsigned rate, burst;  /* commands per second, bucket size */
	size_t out_limit;      /* bytes queued for one client */
	unsigned slow_timeout; /* seconds */
	int32_t half_w, half_h;
	size_t trail;
	char log_path[SERVER_PATH_MAX];
	char pidfile[SERVER_PATH_MAX]; /* "" for none */
	char state[SERVER_PATH_MAX];   /* --state DIR, "" for none */
	int fsync_mode;                /* enum store_fsync */
	uint64_t compact_bytes;        /* --compact BYTES */
	struct activation act;
	int unsafe_socket_dir; /* take a socket directory others may write */
};

/* util.c */
char *common_xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
void *util_calloc(size_t, size_t);
int util_absolute(char *out, size_t outlen, const char *path, char **cause);
size_t util_strlcpy(char *, const char *, size_t);

/* log.c */
enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

struct logger {
	int fd;
	char path[SERVER_PATH_MAX];
	enum log_level level;
	int to_stderr;
	pid_t pid;
	char role[32]; /* "master", "worker cid=3" */
};

int log_open(struct logger *, const char *path, enum log_level, int to_stderr,
    char **cause);
int log_reopen(struct logger *, char **cause);
void log_close(struct logger *);
void log_set_role(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void log_set_worker(struct logger *, int cid);
void log_error(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void log_warn(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void log_info(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void log_debug(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void log_fatal(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3), noreturn));
void log_fatalx(struct logger *, const char *, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* ratelimit.c */
struct ratelimit {
	uint64_t milli;  /* tokens held, in thousandths */
	uint64_t cap;    /* burst, in thousandths */
	uint64_t per_ms; /* thousandths gained per millisecond (= rate) */
	uint64_t last_ms;
};

void ratelimit_init(
    struct ratelimit *, unsigned rate, unsigned burst, uint64_t now_ms);
int ratelimit_take(struct ratelimit *, uint64_t now_ms);

/* turns.c */
struct turns {
	int *q; /* cids, the holder first */
	size_t len, cap;
};

void turns_init(struct turns *);
void turns_free(struct turns *);
int turns_join(struct turns *, int cid);
int turns_leave(struct turns *, int cid);
int turns_holder(const struct turns *);
int turns_rotate(struct turns *);

/* outlimit.c */
enum outlimit_verdict { OUTLIMIT_OK, OUTLIMIT_RESYNC, OUTLIMIT_CUT };

struct outlimit {
	size_t queued;      /* bytes in the output buffer */
	size_t before_snap; /* of those, before the latest snapshot */
	size_t snap_left;   /* of those, in the latest snapshot */
	size_t snap_total;  /* the latest snapshot's size */
	int resyncing;      /* a resync snapshot is not drained yet */
	int joining;        /* the join snapshot is not drained yet */
	uint64_t resync_ms; /* when the latest of those was queued */
};

void outlimit_init(struct outlimit *);
void outlimit_added(struct outlimit *, size_t);
void outlimit_snap_begin(struct outlimit *);
void outlimit_snap_added(struct outlimit *, size_t);
int outlimit_reading(const struct outlimit *);
void outlimit_written(struct outlimit *, size_t);
void outlimit_reset(struct outlimit *, size_t kept);
void outlimit_resynced(struct outlimit *, uint64_t now_ms);
void outlimit_joined(struct outlimit *, uint64_t now_ms);
size_t outlimit_usage(const struct outlimit *);
enum outlimit_verdict outlimit_check(
    const struct outlimit *, size_t add, size_t limit, int can_resync);
int outlimit_stuck(
    const struct outlimit *, uint64_t now_ms, uint64_t timeout_ms);

/* history.c */
#define HISTORY_MAX 100

struct history {
	char *line[HISTORY_MAX]; /* "snap log ...\n" */
	size_t len[HISTORY_MAX];
	size_t start, count;
};

void history_init(struct history *);
void history_free(struct history *);
void history_add(struct history *, const char *, size_t);
const char *history_get(const struct history *, size_t i, size_t *len);

/*
 * The server's files form a stack: each calls only those below it (the
 * diagram is in docs/server.md).  From the top: master.c (the loop, signals,
 * reaping, the end of each loop turn), accept.c and command.c, broadcast.c,
 * output.c, snapshot.c, client.c, pool.c, and under them the modules that
 * hold data only (turns, history, outlimit, ratelimit) and the plumbing
 * (listen, ipc, fds, spawner, worker, dgram, log, util).  What a lower file
 * needs done above it is a mark read at the end of the loop turn (a lost
 * client, a pause asked for), or a callback handed down.
 */

/* auth.c */
#define AUTH_MAX          256    /* sources remembered */
#define AUTH_FREE         5      /* failed hellos before a block */
#define AUTH_BLOCK_MS     1000   /* the first block; doubles after */
#define AUTH_BLOCK_MAX_MS 64000  /* the longest */
#define AUTH_FORGET_MS    600000 /* quiet this long: failures forgotten */

struct auth_entry {
	char host[64];            /* numeric address */
	unsigned fails;           /* failed hellos in a row */
	uint64_t until_ms;        /* refused at connect until then */
	uint64_t last_ms;         /* last heard of */
	uint64_t failed, refused; /* since the last report */
};

struct auth_box {
	struct auth_entry e[AUTH_MAX];
	size_t n;
};

void auth_init(struct auth_box *);
int auth_blocked(
    struct auth_box *, const char *host, uint64_t now_ms, uint64_t *left_ms);
void auth_failed(struct auth_box *, const char *host, uint64_t now_ms);
void auth_ok(struct auth_box *, const char *host);
size_t auth_report(struct auth_box *, uint64_t now_ms,
    void (*)(const struct auth_entry *, uint64_t, void *), void *);

/* pool.c */
#define POOL_MAX   8  /* idle workers kept ready */
#define POOL_EARLY 16 /* pids reaped before the spawner named them */
#define POOL_RESTART_MS                                                        \
	1000          /* a spawner that keeps dying: a new one a second */
#define POOL_HASH 256 /* buckets of the worker table */

enum pool_state {
	POOL_W_IDLE,    /* on the idle list, waiting for a client */
	POOL_W_SERVING, /* a client's (the client holds the entry) */
	POOL_W_RETIRED, /* its socketpair is closed: it exits, to be reaped */
	POOL_W_REAPED,  /* reaped while serving: freed when released */
	POOL_W_EARLY    /* reaped before the spawner named it */
};

/* One worker process, from its fork to its reaping: the only record. */
struct pool_worker {
	pid_t pid;
	int ipc;       /* the master's end of its socketpair, -1: closed */
	unsigned uses; /* clients served, the current one included */
	int cid;       /* its client's (0 while idle), for the reaper's log */
	enum pool_state state;
	LIST_ENTRY(pool_worker) hash_entry;
	TAILQ_ENTRY(pool_worker) list_entry; /* idle or early list */
};

struct pool {
	const struct options *opt;
	struct logger *log;
	struct event_base *base; /* NULL until pool_attach() */

	pid_t spawner; /* -1: none */
	int ctl;       /* the socketpair to the spawner, -1: none */
	struct event *ev;

	LIST_HEAD(, pool_worker) hash[POOL_HASH]; /* every worker, by pid */
	TAILQ_HEAD(, pool_worker) idle;  /* given back first, newest first */
	TAILQ_HEAD(, pool_worker) early; /* oldest first */
	size_t nidle, nearly;
	size_t nlive; /* forked and not reaped yet */

	size_t asked; /* workers asked for and not answered yet */
	int stale;    /* they were asked for before the log was reopened */
	int failing;  /* the last request failed: a probe a second */
	int err;      /* why (errno), for the refusal */
	uint64_t restart_ms; /* when the last spawner was started again */
	int stopping;
	int paused;            /* the master is not accepting */
	const char *pause_why; /* set here: the master should pause */
};

void pool_init(struct pool *, const struct options *, struct logger *);
int pool_start(struct pool *, char **cause);
int pool_attach(struct pool *, struct event_base *);
int pool_ready(const struct pool *);
struct pool_worker *pool_take(struct pool *, int cid);
void pool_release(struct pool *, struct pool_worker *, int reusable);
void pool_fill(struct pool *);
void pool_tick(struct pool *);
void pool_reaped(struct pool *, pid_t, int status);
void pool_log(struct pool *);
void pool_close(struct pool *);
void pool_kill(struct pool *);
void pool_free(struct pool *);
int pool_done(const struct pool *);

/* client.c */
#define CLIENT_LOST   0x1   /* no more input, no more output appended */
#define CLIENT_LEFT   0x2   /* its leave is done: gone from who and turns */
#define CLIENT_DIRTY  0x4   /* on the output's dirty list */
#define CLIENT_FLUSH  0x8   /* write what is queued before closing */
#define CLIENT_WAIT   0x10  /* ev_write is added: waiting for room */
#define CLIENT_REUSE  0x20  /* its worker sent its last message: reusable */
#define CLIENT_DENIED 0x40  /* its hello had a wrong token (auth.c logs it) */
#define CLIENT_BUSY   0x80  /* a Logo line of its is queued or evaluated */
#define CLIENT_RESYNC 0x100 /* owed a resync at the end of the turn */
#define CLIENT_HELD   0x200 /* a move waits for a Logo line's last try */

#define CLIENT_LINGER_MS 2000 /* a lost client's last output may drain */

enum client_state { CLIENT_PENDING, CLIENT_CLASSIC, CLIENT_V1 };

struct master;
struct output;

struct client {
	struct master *m;      /* for the IPC callback */
	struct output *output; /* for the write callback */
	int cid;
	struct pool_worker *w; /* its worker, NULL once given back */
	int fd; /* the client's socket (the worker holds a copy) */
	int tcp;
	uid_t uid; /* AF_UNIX peer, from SO_PEERCRED */
	int uid_known;
	int admin;   /* hello carried the right admin=SECRET */
	int watcher; /* hello said role=watcher: reads only, never seen */
	enum client_state state;
	int flags;
	char name[PROTO_NAME_MAX + 1];
	char addr[96];
	char host[64]; /* numeric address over TCP, "" over UNIX */
	time_t since;  /* wall clock, for who and snap client */
	uint64_t accept_ms;
	uint64_t active_ms;
	const char *reason; /* why it was lost: the leave reason */
	uint64_t lost_ms;
	uint64_t linger_ms; /* how long its last output may take to drain */

	struct event *ev_ipc;
	struct event *ev_write;
	struct evbuffer *out;
	size_t bstart, blen; /* events still in the output's batch */
	struct outlimit ol;
	struct snapshot_ref *snapref; /* its latest queued world part */
	uint64_t resync_dropped;      /* events dropped for CLIENT_RESYNC */

	uint64_t serial;              /* unique for the server's life */
	struct logo_pending *pending; /* its unfinished Logo input, NULL
					 while a line of its is evaluated */
	unsigned char *held;          /* what it sent after a Logo line in
					 flight: read when the line is done */
	size_t heldlen;

	unsigned char ibuf[IPC_MSG_MAX]; /* a partial message */
	size_t ilen;

	TAILQ_ENTRY(client) dirty_entry;
	TAILQ_ENTRY(client) lost_entry;
};

struct clients {
	struct client **slot; /* indexed by cid; slot[0] unused */
	size_t cap;
	size_t count; /* every connection, pending and lost ones too */
	TAILQ_HEAD(, client) lost; /* marked lost, freed at the turn's end */
	size_t nlost;
	size_t npending[2]; /* served, not joined yet: [0] UNIX, [1] TCP */
	uint64_t serial;    /* the last client.serial given */
};

void clients_init(struct clients *);
void clients_free(struct clients *);
int clients_alloc_cid(const struct clients *);
int clients_add(struct clients *, struct client *);
void clients_remove(struct clients *, struct client *);
struct client *clients_get(const struct clients *, int cid);
size_t clients_served(const struct clients *);
void client_join(struct clients *, struct client *, enum client_state);
void client_lose(
    struct clients *, struct client *, const char *reason, int flush);
int client_visible(const struct client *);
int client_name_unique(char *out, size_t outlen, const char *want,
    int (*taken)(const char *, void *), void *arg);

/* listen.c */
struct listener {
	int fd;
	int tcp;
	char name[96]; /* numeric HOST:PORT, or the path */
	struct event *ev;
	struct master *m;
	int on; /* its event is added: accepting */
};

struct dgram {
	int fd;
	struct event *ev;
	struct master *m;
	int diag;            /* sock_diag answers: 0 not asked yet, 1, -1 */
	uint64_t lost_ms;    /* the last reply that could not be delivered */
	uint64_t lost_burst; /* replies lost in the burst it belongs to */
};

struct listen_set {
	struct listener *l;
	size_t nl;
	struct dgram *d;
	size_t nd;
	char path[SERVER_PATH_MAX];
	char ping[SERVER_PATH_MAX];
	int own_path, own_ping; /* the files are ours to remove */
};

int listen_stale(const char *path, int type, char **cause);
void listen_add(struct listen_set *, int fd, int tcp, const char *name);
void listen_add_dgram(struct listen_set *, int fd);
int listen_open(struct listen_set *, const struct options *, char **cause);
void listen_close(struct listen_set *);
void listen_free(struct listen_set *);

/* activate.c */
int activate_take(
    struct activation *, char *path, size_t pathlen, char **cause);
int activate_listen(
    struct listen_set *, const struct activation *, char **cause);

/* dgram.c */
struct dgram_status {
	pid_t pid;
	uint64_t uptime;
	size_t clients;
	uint64_t seq;
	double x, y;
	const char *mode;
};

size_t dgram_answer(const char *req, size_t len, const struct dgram_status *,
    char *out, size_t outlen);
void dgram_service(
    struct dgram *, struct logger *, const struct dgram_status *);

/* daemon.c */
int daemon_start(int *notify, char **cause);
void daemon_ready(int notify);
void daemon_detach(void);
int daemon_pidfile(const char *path, char **cause);

/* fds.c */
ssize_t fds_send(
    int sock, const void *, size_t, const int *fds, size_t nfd, int flags);
ssize_t fds_recv(int sock, void *, size_t, int *fds, size_t maxfd, size_t *nfd,
    int *lost, int flags);
void fds_close_others(const int *keep, size_t n);

/* worker.c */
struct worker_args {
	const struct options *opt;
	struct logger *log;
	int ipc;      /* the worker's end of its socketpair */
	pid_t master; /* the parent */
};

void worker_main(const struct worker_args *) __attribute__((noreturn));

/* spawner.c */
pid_t spawner_start(
    const struct options *, struct logger *, int *ctl, char **cause);

/* snapshot.c */
#define SNAPSHOT_BLOBS_MAX 4 /* world parts alive at once (see below) */

/*
 * The world part of a snapshot, formatted once and shared: each client
 * queues a reference to it (evbuffer_add_reference), not a copy.  It is
 * freed when the last reference is written and the snapshot has moved on.
 */
struct snapshot_blob {
	size_t refs; /* the snapshot's own (while current) + clients' */
	size_t len, cap;
	uint64_t serial; /* 1, 2, ...: the order blobs were made in */
	TAILQ_ENTRY(snapshot_blob) entry;
	char *data;
};

/* A client's hold on a blob: what its queue refers to, until written. */
struct snapshot_ref {
	struct snapshot_blob *blob;
	struct snapshot *snap;
	struct client *c; /* NULL once the client no longer tracks it */
};

/*
 * emit gets each line, or with blob set the whole shared world part: bytes
 * the emitter may queue by reference (snapshot_hold()) instead of copying.
 */
typedef int (*snapshot_emit_fn)(
    const char *, size_t, struct snapshot_blob *, void *);

/* What the snapshot is made of: the master's state, read only. */
struct snapshot_source {
	const struct world *world;
	struct logo_workspace *const *ws; /* the master's, NULL at first */
	const struct clients *clients;
	const struct history *hist;
	const struct turns *turns;
	const uint64_t *seq;
	const size_t *joined;
	const char *mode;
};

struct snapshot {
	struct snapshot_source src;
	struct snapshot_blob *cur; /* the world part while valid, or NULL */
	TAILQ_HEAD(, snapshot_blob) blobs; /* alive, oldest first */
	size_t nblobs;
	uint64_t serial;
	struct logger *log;
};

void snapshot_init(
    struct snapshot *, const struct snapshot_source *, struct logger *);
void snapshot_free(struct snapshot *);
void snapshot_invalidate(struct snapshot *);
int snapshot_write(struct snapshot *, snapshot_emit_fn, void *);
struct snapshot_blob *snapshot_oldest(struct snapshot *);
struct snapshot_ref *snapshot_hold(
    struct snapshot *, struct snapshot_blob *, struct client *);
void snapshot_release(const void *, size_t, void *);

/* output.c */
#define OUTPUT_RBUF_MAX (64 * 1024)

struct output_stats {
	uint64_t deliveries; /* event lines queued to clients */
	uint64_t resyncs;
	uint64_t slow_cut;
};

struct output {
	struct logger *log;
	struct clients *clients;
	struct snapshot *snap; /* what a resynced client gets */
	const uint64_t *seq;   /* the SEQ a resync stands at */
	size_t limit;          /* --out-limit */
	uint64_t slow_ms;      /* --slow-timeout */

	char *batch; /* this loop turn's event lines, shared by all */
	size_t batchlen, batchcap;
	TAILQ_HEAD(, client) dirty; /* something new to write this turn */
	size_t nresync;             /* clients with CLIENT_RESYNC */
	struct output_stats st;
};

void output_init(struct output *, struct logger *, struct clients *,
    struct snapshot *, const uint64_t *seq, size_t limit, uint64_t slow_ms);
void output_free(struct output *);
void output_reply(struct output *, struct client *, const char *, size_t);
size_t output_batch(struct output *, const char *, size_t);
void output_event(struct output *, struct client *, size_t off, size_t len);
void output_discard(struct client *);
int output_snap_emit(const char *, size_t, struct snapshot_blob *, void *);
void output_snapshot(struct output *, struct client *);
void output_flush(struct output *);
void output_check_stuck(struct output *, uint64_t now_ms);
int output_pending(const struct client *);
void output_write_cb(int, short, void *);

/* master.c */
struct stats {
	uint64_t commands;
	uint64_t refused; /* connections turned away: server-full, auth */
	uint64_t rate_limited;
};

/* accept.c */
struct acceptor {
	int paused;
	int spare; /* /dev/null, closed to accept and refuse when out of fds */
	struct event *ev_resume;
	/* Counted since the last tick, logged there in one line each. */
	uint64_t cut_silent; /* no hello within --login-grace */
	int hold[2]; /* not accepting over UNIX, TCP: --max-startups waiting */
	int held[2]; /* a hold began since the last tick */
};

/* store.c */
enum store_fsync { STORE_FSYNC_ALWAYS, STORE_FSYNC_BATCH, STORE_FSYNC_NONE };

/* Record types; the payloads are recover.c's. */
enum store_rec {
	STORE_R_EVENT = 1, /* u64 seq, i64 time, the evt line as broadcast */
	STORE_R_PROC = 2,  /* u16 name length, name, definition as typed */
	STORE_R_ERASE = 3, /* name */
	STORE_R_VAR = 4,   /* u16 name length, name, value as show prints */
	STORE_R_WORLD = 5, /* struct recover_world */
	STORE_R_SEGS = 6,  /* struct world_seg[] */
	STORE_R_HIST = 7   /* a "snap log" line of the history */
};

#define STORE_COMPACT_DEFAULT (64u << 20) /* log bytes before compaction */

struct store {
	char dir[SERVER_PATH_MAX];
	int lockfd, logfd, dirfd;
	enum store_fsync mode;
	struct logger *log;
	uint64_t gen;     /* of the snapshot and the log in use */
	uint64_t logsize; /* bytes in the log file */
	uint64_t compact_bytes;
	unsigned char *buf; /* this turn's records (or a snapshot's) */
	size_t len, cap;
	int building;         /* store_snapshot_begin() .. _end() */
	int unsynced;         /* written, not fsynced yet */
	uint64_t unsynced_ms; /* since when */
	uint64_t records, syncs, loaded, snapshots;
};

typedef int (*store_fn)(int type, const unsigned char *, size_t, void *);

int store_open(struct store *, const char *dir, enum store_fsync,
    struct logger *, char **cause);
int store_load(struct store *, store_fn, void *, char **cause);
void store_add(
    struct store *, int type, const void *, size_t, const void *, size_t);
int store_commit(struct store *, uint64_t now_ms, char **cause);
int store_sync_due(const struct store *, uint64_t now_ms);
int store_sync(struct store *, char **cause);
int store_snapshot_begin(struct store *, char **cause);
int store_snapshot_end(struct store *, char **cause);
int store_wants_compact(const struct store *);
void store_close(struct store *);

/* evaluator.c */
struct evaluator_job {
	uint64_t serial; /* the client's (client.serial): is it still there? */
	int cid;
	char line[PROTO_LINE_MAX + 1];
	size_t len;
	struct logo_pending *pending; /* the client's, while the job has it */
	struct logo_pending *saved;   /* it before the line, to run it again */
	struct logo_turtle turtle;    /* the turtle the line ran against */
	uint64_t version;             /* master.version then */
	uint64_t seed;
	unsigned tries;
	enum logo_status status;
	struct logo_result res;
	TAILQ_ENTRY(evaluator_job) entry;
};

struct evaluator {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int opened, started, sync, quit, busy;
	struct evaluator_job *todo; /* handed to the thread */
	struct evaluator_job *done; /* handed back */
	int pipe[2];                /* the thread says "done" here */
	struct event *ev;
	const struct logo_workspace *ws;
	struct logo_config cfg;
	void (*done_cb)(struct evaluator_job *, void *);
	void *arg;
};

int evaluator_start(struct evaluator *, struct event_base *,
    const struct logo_workspace *, const struct logo_config *,
    void (*)(struct evaluator_job *, void *), void *, char **cause);
int evaluator_busy(const struct evaluator *);
int evaluator_ready(struct evaluator *, char **cause);
void evaluator_run(struct evaluator *, struct evaluator_job *);
struct evaluator_job *evaluator_stop(struct evaluator *);
void evaluator_turtle(const struct world *, struct logo_turtle *);

struct master {
	const struct options *opt;
	struct logger *log;
	struct listen_set *ls;
	struct event_base *base;
	pid_t pid;

	struct world world;
	struct store store; /* --state: the world on disk */
	uint64_t version;   /* +1 at every change of the turtle or trail */
	struct logo_workspace *ws;
	struct evaluator eval;
	TAILQ_HEAD(, evaluator_job) lines; /* Logo lines waiting their go */
	struct evaluator_job *barrier;     /* on its last try: moves wait */
	uint64_t seed;                     /* Logo's random, varied per line */
	uint64_t seq;
	struct clients clients;
	size_t joined;   /* visible clients: who's count */
	size_t watchers; /* v1 clients that said role=watcher */
	struct turns turns;
	struct history hist;
	struct stats st;
	uint64_t start_ms;
	size_t freed; /* clients freed since the last tick (master_trim) */

	struct pool pool;
	struct auth_box auth;
	struct snapshot snap;
	struct output out;
	struct acceptor acc;

	unsigned char *rbuf; /* what a worker sent, read in one go */

#define MASTER_NSIG 3 /* TERM, INT, HUP; CHLD comes from a signalfd */
	struct event *ev_sig[MASTER_NSIG];
	struct event *ev_chld;
	int sigchld;
	struct event *ev_tick;
	struct event *ev_turn;
	struct event *ev_deadline;
	const char *stop_reason; /* set by a command: stop once it is done */
	int stopping;
	int done;
	int status;
};

struct master *master_create(
    const struct options *, struct logger *, struct listen_set *, char **cause);
int master_run(struct master *);
void master_free(struct master *);

/* accept.c */
int accept_init(struct master *);
void accept_free(struct master *);
void accept_update(struct master *);
void accept_pause(struct master *, const char *why);
void accept_tick(struct master *, uint64_t now_ms);

/* inbound.c */
void inbound_cb(int, short, void *);

/* command.c */
int command_dispatch(struct master *, struct client *, const struct ipc_msg *,
    char *why, size_t whylen);
void command_left(struct master *, struct client *);
void command_turn_expired(struct master *);

/* recover.c */
int recover_load(struct master *, char **cause);
int recover_snapshot(struct master *, char **cause);
void recover_workspace(struct master *, const struct logo_result *);

/* logoline.c */
int logoline_is_logo(const struct client *, const struct ipc_msg *);
void logoline_submit(struct master *, struct client *, const char *, size_t);
void logoline_done(struct evaluator_job *, void *);
void logoline_drop(struct master *);
void logoline_free_job(struct evaluator_job *);

/* inbound.c */
void inbound_resume(struct master *, struct client *);

/* broadcast.c */
void broadcast_event(struct master *, struct proto_event *);
uint64_t broadcast_paths(
    struct master *, const struct client *, size_t from, size_t to);

#endif
