/*
 * harness.h - a private turtled for each test, driven by real clients.
 *
 * Every test starts its own turtled in the foreground on a socket inside a
 * fresh mkdtemp() directory, talks to it over real sockets and reads its
 * replies with deadlines (poll), never with fixed sleeps.  Helpers that
 * wait return -1 and print what they saw instead of asserting, so a test
 * can say what it expected in its own assert.
 *
 * The harness parses server lines on its own (it does not link proto/) so
 * that it holds the server to the written protocol, not to our parser.
 *
 * Environment: $TURTLENET_TURTLED runs another turtled binary,
 * $TURTLENET_WRAPPER puts a command in front of it (valgrind; "@DIR@" is
 * the temp dir), $TURTLENET_TIMEOUT_SCALE stretches every wait, and
 * $TURTLENET_IT_KEEP keeps the temp dirs (socket, log, stderr) for a look.
 */
#ifndef TURTLENET_IT_HARNESS_H
#define TURTLENET_IT_HARNESS_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#ifndef TURTLED_PATH
#error "TURTLED_PATH must name the turtled binary under test"
#endif

#define HS_LINE_MAX   4096
#define HS_BUF_SIZE   65536
#define HS_ARGS_MAX   32
#define HS_PIDS_MAX   2048
#define HS_SERVER_ERR 4096
#define HS_NOBODY     65534 /* uid and gid */

/*
 * The wait every helper allows by default, in milliseconds; multiplied by
 * $TURTLENET_TIMEOUT_SCALE when set (valgrind runs are slow).
 */
#define HS_WAIT_MS 10000

struct hs_client;

struct hs_server {
	char dir[200];          /* the mkdtemp() directory, removed at free */
	char sock[PATH_MAX];    /* dir/sock (or a caller's -S path) */
	char log[PATH_MAX];     /* dir/log */
	char errpath[PATH_MAX]; /* turtled's stderr, captured */
	pid_t pid;              /* the master (or valgrind running it) */
	int running;            /* not yet reaped */
	int status;             /* wait status once reaped */
	int tcp_port;           /* from "turtled: listening on ...", or 0 */
	int nocheck_exit;       /* free() does not insist on exit status 0 */
	const char *env[8];     /* extra "KEY=VALUE" for turtled, NULL-ended */
	int no_sock_arg;        /* no -S: sock is where turtled should pick */
	int no_foreground;      /* no -f (daemon tests) */
	/* Resource tests: turtled runs as nobody (owning dir), then with
	 * RLIMIT_NPROC (soft and hard) and RLIMIT_NOFILE (soft, and hard
	 * too with nofile_hard: turtled cannot raise it) when > 0. */
	int as_nobody;
	long rlim_nproc;
	long rlim_nofile;
	int nofile_hard;
	struct hs_client *clients;
};

struct hs_client {
	struct hs_server *srv;
	struct hs_client *next;
	int fd;
	char buf[HS_BUF_SIZE]; /* received, not yet consumed */
	size_t len;
	int eof;
	int timedout;
	size_t received; /* every byte ever received */
	/* Raw-byte audit: bytes a terminal would act on. */
	size_t raw_bad;
	unsigned char prev; /* the byte before buf's first, for C1 checks */
	/* v1 bookkeeping, kept by hs_line() for every evt/snap it hands out. */
	int cid;
	char name[64];
	long long seq_last; /* -1 until the snapshot told us */
	size_t seq_gaps;    /* evts whose seq was not seq_last + 1 */
	size_t resyncs;     /* evt resync seen */
	int in_snap;        /* between "snap world" and "snap end" */
};

/* --------------------------------------------------------------------
 * Time.
 */
int hs_wait_ms(int ms); /* ms scaled by $TURTLENET_TIMEOUT_SCALE */
long long hs_now_ms(void);
/* Lets the world move on for ms: only between polling attempts. */
void hs_nap(int ms);

/* --------------------------------------------------------------------
 * The server.
 */
/* The binary under test: $TURTLENET_TURTLED, else the one built here. */
const char *hs_turtled(void);
/* Makes the temp dir only (tests that need a path before any server). */
int hs_server_init(struct hs_server *);
/*
 * Starts turtled -f -S sock --log log [args...] (args NULL-terminated, may
 * be NULL) in the directory hs_server_init() made, with its stderr in a
 * file, and waits for "turtled: ready on PATH" (and, when want_tcp, the
 * "turtled: listening on HOST:PORT" line).  $TURTLENET_WRAPPER, when set,
 * is a space-separated command put in front (valgrind ...).  0 or -1 with
 * the reason printed.
 */
int hs_server_start(struct hs_server *, const char *const *args);
int hs_server_start_tcp(struct hs_server *, const char *const *args);
/* hs_server_init() + hs_server_start(). */
int hs_server_new(struct hs_server *, const char *const *args);
/*
 * Runs turtled with exactly these arguments (after argv[0]) and waits for
 * it to exit (bounded): returns the wait status, or -1 on timeout (the
 * process is killed).  Its stderr goes to errfile.
 */
int hs_run_turtled(const char *const *args, const char *errfile,
    const char *const *env, int wait_ms);
/* Is the master still running?  Reaps it if it exited. */
int hs_server_alive(struct hs_server *);
/* Waits up to ms for the master to exit: 0 and srv->status, or -1. */
int hs_server_wait(struct hs_server *, int ms);
/* SIGTERM, a bounded wait, then SIGKILL.  Returns the wait status. */
int hs_server_stop(struct hs_server *);
/*
 * Closes all clients, stops the server if running, checks it exited 0
 * (unless nocheck_exit), kills what is left of its process group and
 * removes the temp dir.  Returns 0, or -1 if the exit was not clean.
 */
int hs_server_free(struct hs_server *);
/*
 * cmocka setups and their one teardown, with the server in *state.
 * hs_state_new(): started with args (may be NULL); hs_state_new_tcp(): the
 * same, waiting for its TCP listener too; hs_state_init(): made by
 * hs_server_init() but not started, for tests that start it themselves.
 * hs_state_default() and hs_state_no_rate() go straight into a test table:
 * no args, and hs_args_no_rate.
 *
 * A suite's own state may wrap the server as its first member:
 * hs_state_alloc() makes one of size bytes (zeroed, the server made but
 * not started) and hs_state_start() starts it, freeing it all when that
 * fails (cmocka runs no teardown after a failed setup).  hs_state_free()
 * ends any of them; a NULL *state (a setup that started nothing) is fine.
 */
int hs_state_new(void **state, const char *const *args);
int hs_state_new_tcp(void **state, const char *const *args);
int hs_state_init(void **state);
int hs_state_default(void **state);
int hs_state_no_rate(void **state);
int hs_state_alloc(void **state, size_t size);
int hs_state_start(void **state, const char *const *args);
int hs_state_free(void **state);
/* The rate limit out of the way, for tests that send faster than anyone
 * types: --rate 100000 --burst 100000. */
extern const char *const hs_args_no_rate[];
/* Fails the running cmocka test unless key=want is a field of line. */
void hs_assert_field(const char *line, const char *key, const char *want);
/* Prints the tail of turtled's stderr and log (for failures). */
void hs_server_dump(struct hs_server *);
/* Reads a whole file into a malloc'd NUL-terminated buffer, or NULL. */
char *hs_read_file(const char *path, size_t *len);
/* Does turtled's stderr file contain s? */
int hs_stderr_has(struct hs_server *, const char *s);
/* How many times s occurs in turtled's log, or -1 if it cannot be read. */
int hs_log_count(struct hs_server *, const char *s);
/* Waits up to ms for the log to contain a line with all of a, b (b may be
 * NULL); copies it to out.  0 or -1. */
int hs_log_wait(struct hs_server *, const char *a, const char *b, char *out,
    size_t outlen, int ms);

/* --------------------------------------------------------------------
 * Sockets.
 */
int hs_connect_unix(const char *path); /* fd or -1 (errno kept) */
int hs_connect_tcp(int port);          /* 127.0.0.1:port */
/* Wraps a connected fd; the client is freed with the server. */
struct hs_client *hs_client_wrap(struct hs_server *, int fd);
/* Connects to the server's unix socket (NULL on failure). */
struct hs_client *hs_client_new(struct hs_server *);
struct hs_client *hs_client_new_tcp(struct hs_server *);
void hs_client_close(struct hs_client *);
/* Sends all bytes (MSG_NOSIGNAL).  0 or -1. */
int hs_send(struct hs_client *, const void *, size_t);
int hs_sendf(struct hs_client *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Receives what is there, waiting up to ms for something.  1 bytes came,
 * 0 EOF, -1 nothing within ms (or an error).
 */
int hs_fill(struct hs_client *, int ms);

/*
 * The next line (without "\n"), waiting up to ms.  Returns its length,
 * or -1 on EOF (c->eof) or timeout (c->timedout).  Keeps the v1
 * bookkeeping (seq_last, seq_gaps, resyncs).
 */
int hs_line_ms(struct hs_client *, char *out, size_t outlen, int ms);
int hs_line(struct hs_client *, char *out, size_t outlen);
/* Skips lines until one starts with prefix; 0 or -1 (and says why). */
int hs_expect(struct hs_client *, const char *prefix, char *out, size_t len);
int hs_expect_ms(
    struct hs_client *, const char *prefix, char *out, size_t len, int ms);
/* The next line must start with prefix. */
int hs_expect_next(
    struct hs_client *, const char *prefix, char *out, size_t len);
/*
 * Classic: the next reply, up to and including its NUL.  Returns its
 * length (NUL included), 0 on EOF with nothing pending, -1 on timeout.
 */
int hs_classic_reply(struct hs_client *, char *out, size_t outlen);
/* Waits up to ms for EOF, discarding what comes.  0 or -1. */
int hs_wait_eof(struct hs_client *, int ms);
/* Nothing arrives within ms (for "no reply" checks).  0 or -1. */
int hs_quiet(struct hs_client *, int ms);

/* --------------------------------------------------------------------
 * The v1 dialect.
 */
/* key=value from a server line, unquoted.  0 or -1 if absent/bad. */
int hs_field(const char *line, const char *key, char *val, size_t vallen);
/* An integer field; 0 or -1. */
int hs_field_ll(const char *line, const char *key, long long *out);
/* "evt SEQ KIND": 0 with seq and kind set, else -1. */
int hs_evt(const char *line, long long *seq, char *kind, size_t kindlen);
/* Does line start with word followed by a space or its end? */
int hs_starts(const char *line, const char *word);
/* Is this a final reply line (ok/err, not an -item nor "ok print")? */
int hs_is_final(const char *line);

struct hs_snapshot {
	char world[HS_LINE_MAX];
	char end[HS_LINE_MAX];
	int nseg, nclient, nlog;
	char seg[64][256];    /* the first 64 segments of snap path lines, as
				 "seg x0= y0= x1= y1= color=" */
	char client[64][256]; /* the first 64 snap client lines */
	char log[128][512];   /* snap log lines (at most 100 are sent) */
	long long end_seq;
};

/*
 * Sends "hello 1 NAME[ extra]" and reads through "snap end".  Fills
 * reply (the ok hello line) and snap (may be NULL); sets c->cid, c->name
 * and c->seq_last.  0, or -1 with the lines seen printed.
 */
int hs_hello(struct hs_client *, const char *name, const char *extra,
    char *reply, size_t replylen, struct hs_snapshot *snap);
/* Reads a snapshot from "snap world" (the next lines) to "snap end". */
int hs_read_snapshot(struct hs_client *, struct hs_snapshot *);
/* A new client that said hello: NULL on failure. */
struct hs_client *hs_client_hello(struct hs_server *, const char *name);
/*
 * Sends a command and reads to its final reply (ok/err), skipping evt
 * lines and collecting "-item" lines into items (may be NULL).  Returns 0
 * with the final line in out, or -1.
 */
int hs_cmd(struct hs_client *, char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * Sends cmd on c and fails the running cmocka test unless its final reply
 * starts with want (as hs_starts() reads it).  The _line form copies that
 * reply to out (may be NULL).
 */
void hs_assert_reply(struct hs_client *, const char *cmd, const char *want);
void hs_assert_reply_line(struct hs_client *, const char *cmd, const char *want,
    char *out, size_t outlen);
/* The stats field key via "stats" on c: 0 and *val, or -1. */
int hs_stat(struct hs_client *, const char *key, long long *val);
/*
 * "who" on c: fills cids[] (up to max) and returns the count, or -1.
 * Checks count=N against the items.
 */
int hs_who(struct hs_client *, int *cids, int max);

/* --------------------------------------------------------------------
 * Processes, through /proc.
 */
/* Children of pid: count (up to max written), or -1. */
int hs_children(pid_t pid, pid_t *out, int max);
/*
 * The children of the master pid that serve clients: count (up to max
 * written), or -1; *helpers (if not null) gets how many others there are
 * (the spawner and idle workers).
 */
int hs_workers(pid_t pid, pid_t *out, int max, int *helpers);
/* Its name (/proc/PID/comm) in out.  0, or -1 if it is gone. */
int hs_proc_comm(pid_t pid, char *out, size_t len);
/* Those others: the spawner and the idle workers. */
int hs_helpers(pid_t pid, pid_t *out, int max);
/* The state letter of pid (R, S, Z...), or 0 when it is gone. */
char hs_proc_state(pid_t pid);
/* Socket inodes pid holds open: count, or -1. */
int hs_proc_sockets(pid_t pid, unsigned long *out, int max);
/* Does pid hold socket inode ino? */
int hs_proc_has_socket(pid_t pid, unsigned long ino);
/* The inode of the socket fd. */
unsigned long hs_fd_inode(int fd);
/* The inode of the peer of unix socket fd (sock_diag), or 0. */
unsigned long hs_unix_peer(int fd);
/*
 * Unix sockets bound to (or accepted on) path per /proc/net/unix:
 * listening ones (state 01 with __SO_ACCEPTCON) when listening, else the
 * others.  Count or -1.
 */
int hs_unix_path_inodes(
    const char *path, int listening, unsigned long *out, int max);
/* The worker serving c: the child of the master holding c's peer. */
pid_t hs_worker_of(struct hs_client *);
/* Waits up to ms until no child of pid is a zombie.  0 or -1. */
int hs_no_zombies(pid_t pid, int ms);

/* --------------------------------------------------------------------
 * Datagrams (PATH.ping and UDP).
 */
/* A unix datagram socket bound to dir/name.  fd or -1. */
int hs_dgram_unix(const char *dir, const char *name);
/* Sends req to the unix path and reads one reply (ms).  len or -1. */
int hs_dgram_ask(int fd, const char *path, const void *req, size_t reqlen,
    char *out, size_t outlen, int ms);
int hs_udp_ask(
    int port, const void *req, size_t reqlen, char *out, size_t outlen, int ms);

/* Copies src into dst, truncated to fit and NUL-terminated. */
void hs_copy(char *dst, size_t dstlen, const char *src);
/* Removes a directory tree (the temp dirs).  0 or -1. */
int hs_rmtree(const char *path);

#endif
