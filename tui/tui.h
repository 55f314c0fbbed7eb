/*
 * tui.h - the turtle client's internal interfaces.
 *
 * Two halves meet here: the command-line side (main.c, connect.c, logfmt.c,
 * headless.c, watch.c, ping.c) and the interactive side (ui.c and the views).
 * Each file's declarations sit under its banner.
 */
#ifndef TURTLENET_TUI_H
#define TURTLENET_TUI_H

#include <stddef.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

#include "common.h"
#include "proto.h"

/* Where the server is: an AF_UNIX path or a TCP host and port. */
struct tui_addr {
	int is_tcp;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char host[256];
	char port[32];
};

/* What the command line asked for; filled by main.c, read by everyone. */
struct tui_opts {
	struct tui_addr addr;
	char name[PROTO_NAME_MAX + 1];   /* "" lets the server pick */
	char token[PROTO_TOKEN_MAX + 1]; /* "" when none */
	int no_start;                    /* never start turtled ourselves */
	int custom_path; /* -S named a socket other than the default */
	int ascii;       /* ASCII glyphs even in a UTF-8 locale */
	int draw;        /* enum gridview_mode, from --draw */
	int no_color;    /* monochrome (also set by NO_COLOR) */
	int verbose;
	int turn_wait; /* headless, turns mode: seconds to wait for the turn */
	const char *turtled; /* the turtled to start: next to us, else PATH */
	const char *history; /* readline history file, NULL for none */
};

/* connect.c */
/* The default socket path (common_path_socket(), turtled's rule); its
 * directory is checked, and may be missing.  0, or -1 with cause. */
int connect_default_path(char *buf, size_t len, char **cause);
/* Parses "HOST:PORT" or "[V6]:PORT" into addr. 0, or -1 with cause. */
int connect_parse_tcp(struct tui_addr *, const char *hostport, char **cause);
/* A connected, blocking stream socket, or -1 with cause ("connecting to
 * PATH: Connection refused"). */
int connect_open(const struct tui_addr *, char **cause);
/* connect_open(), starting turtled on addr->path first when nothing answers
 * there (AF_UNIX only; waits, bounded, until it accepts); *started says
 * whether this call started it. */
int connect_open_or_start(
    const struct tui_addr *, const char *turtled, int *started, char **cause);
/* Connects as opts say: turtled is started only on the default socket,
 * and not with --no-start.  The socket, or -1 with cause. */
int connect_client(const struct tui_opts *, int *started, char **cause);
/* Whether path is the default socket. */
int connect_is_default(const char *path);
/* "unix:PATH" or "tcp:HOST:PORT", for the status line and messages. */
void connect_describe(const struct tui_addr *, char *buf, size_t len);

/* logfmt.c */
/*
 * One event as a person reads it, without the time stamp: "alice moved to
 * <13:10>", "bob: hello world", "carol joined".  Every name and text is
 * escaped with proto_text_escape() so no byte from the network reaches the
 * terminal raw.  Returns the length written (out is always terminated).
 */
size_t logfmt_event(char *out, size_t len, const struct proto_event *);
/* "HH:MM:SS" of t in local time. */
void logfmt_time(char *out, size_t len, time_t t);

/* main.c */
/* --turn-timeout's default, in seconds (turtled's turn lasts 30). */
#define TUI_TURN_WAIT 60
/* Exit status of every mode: turtle(1) documents them. */
#define TUI_EXIT_OK      0
#define TUI_EXIT_ERROR   1 /* an error reply, a lost server */
#define TUI_EXIT_USAGE   2
#define TUI_EXIT_CONNECT 3 /* cannot connect (or the hello was refused) */

/* headless.c */
/* A blocking connection with a deadline on every wait (no screen). */
struct headless {
	const struct tui_opts *opts;
	char where[300]; /* the server, as connect_describe() says it */
	int fd;
	char in[PROTO_OUT_MAX * 2]; /* read, not yet handled */
	size_t inlen;
	struct proto_msg msg; /* the line being handled */
	int saw_shutdown;
	int cid;             /* mine, from "ok hello" */
	int watcher;         /* say hello with role=watcher (--watch) */
	struct world *world; /* if set, headless_hello() fills it */
	int turn_cid;        /* who holds the turn (turns mode), 0: nobody */
};

enum headless_result {
	HEADLESS_LINE = 1,
	HEADLESS_EOF = 0,
	HEADLESS_FAIL = -1
};

/*
 * Runs the commands in cmds (separated by ';' or newlines), or stdin's
 * lines when cmds is NULL, printing each reply; stops at the first error.
 */
int headless_main(const struct tui_opts *, const char *cmds);
/* Connects as opts say (connect_client()); a turtled it started is said
 * on stderr.  0, or -1 said on stderr. */
int headless_connect(struct headless *, const struct tui_opts *);
/* Says hello and reads the snapshot through "snap end".  0, or -1 said. */
int headless_hello(struct headless *);
/* The first complete line in h->in, without its "\n": HEADLESS_LINE,
 * HEADLESS_EOF when none is complete yet, HEADLESS_FAIL with cause. */
int headless_take_line(struct headless *, const char **line, size_t *linelen,
    char *cause, size_t len);
/* Drops that line from h->in. */
void headless_drop_line(struct headless *, size_t linelen);
/* One line on stderr: "turtle: " and the message. */
void headless_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An event on stdout: "HH:MM:SS sentence", or line itself when raw. */
void headless_print_event(
    const struct proto_msg *, const char *line, size_t len, int raw);
/* An err line on stderr: "turtle: WORD: message". */
void headless_print_err(const struct proto_msg *);

/* export.c */
enum export_format { EXPORT_SVG, EXPORT_PNG, EXPORT_TXT };

struct export_args {
	enum export_format format;
	const char *file;
	int scale; /* pixels per world unit (png) */
};

/* "export svg|png|txt FILE [--scale N]" from argv[0]: 0, or -1 said. */
int export_args(struct export_args *, int argc, char **argv);
int export_main(const struct export_args *, const struct tui_opts *);

/* watch.c */
/* Prints every event as a line (the evt lines themselves when raw) until
 * SIGINT, SIGTERM or the server closes. */
int watch_main(const struct tui_opts *, int raw);

/* ping.c */
struct ping_args {
	const char *what; /* "ping" or "status" */
	long count;       /* probes to send, 0 for no end */
	double interval, wait;
	const char *path, *hostport; /* -S, -s given after it, or NULL */
};

/* "ping [-c COUNT] [-i INTERVAL] [-W TIMEOUT]" or "status [-W TIMEOUT]",
 * argv[0] naming which, with -S PATH or -s HOST:PORT anywhere among them.
 * 0, or -1 said on stderr (a usage error). */
int ping_args(struct ping_args *, int argc, char **argv);
int ping_main(const struct ping_args *, const struct tui_opts *);

/* ui.c */
/* The interactive client: runs until the user quits.  Exit status. */
int ui_main(const struct tui_opts *);

/* model.c */
#define MODEL_LOG_MAX 2000 /* log lines kept for scrollback */

enum model_line_kind {
	MODEL_LINE_EVENT,   /* something that happened on the server */
	MODEL_LINE_REPLY,   /* the answer to one of my commands */
	MODEL_LINE_ERROR,   /* an error: the server's or the connection's */
	MODEL_LINE_INFO,    /* the client telling the user something */
	MODEL_LINE_COMMAND, /* a command I typed, echoed */
	MODEL_LINE_PRINT    /* what my Logo line printed */
};

struct model_line {
	uint64_t id;     /* grows by one per line, never reused */
	uint64_t seq;    /* the event's SEQ, 0 for the client's own lines */
	time_t t;        /* when it arrived */
	int kind;        /* enum model_line_kind */
	int cid;         /* the client named at the start of text, or 0 */
	size_t name_len; /* how many bytes of text are that name */
	char *text;      /* printable: everything from outside is escaped */
};

struct model_client {
	int cid;
	char name[PROTO_NAME_MAX + 1]; /* raw: escape before showing */
	time_t since;
};

/* A procedure of the shared Logo workspace (for Tab and help). */
struct model_proc {
	char name[PROTO_PROC_MAX + 1]; /* raw: escape before showing */
	char *title; /* "to sq :n" as typed (raw), NULL when not known */
	int seen;    /* named by the snapshot being read */
};

/* A snapshot's "snap log" line, held until "snap end" says what is new. */
struct model_pend {
	uint64_t seq;
	time_t t; /* when it happened, by the server's time= (else arrival) */
	int cid;
	char name[PROTO_NAME_MAX * 4 + 1];
	char *text;
};

struct model {
	struct world world;
	int have_world; /* a snapshot has told us the world */

	int my_cid;
	char my_name[PROTO_NAME_MAX + 1];
	int turns_mode;
	int turn_cid;     /* 0: nobody */
	int logo_more;    /* my Logo input goes on: 1 in to ... end, 2 in [ */
	uint64_t echo_id; /* the log line echoing what I typed, 0: none */
	int print_more;   /* my last printed piece ended no line (type) */

	uint64_t seq;   /* the last SEQ seen */
	int hello_wait; /* connected, "ok hello" not yet here */
	int hello_err;  /* enum proto_err of a refused hello */
	int in_snap;    /* between "ok hello"/"evt resync" and "snap end" */
	int synced;     /* events flow: each must be seq + 1 */

	struct model_client *clients;
	size_t nclients, clients_cap;

	struct model_line *log; /* ring of log_cap lines */
	size_t log_cap, log_start, log_len;
	uint64_t log_next_id;

	struct model_pend *pend;
	size_t npend, pend_cap;

	struct model_proc *procs; /* in the order they came */
	size_t nprocs, procs_cap;
	char *def_title; /* my definition on its way: its title line */
};

/* What model_feed() changed or wants done. */
#define MODEL_CHG_GRID   0x01
#define MODEL_CHG_LOG    0x02
#define MODEL_CHG_STATUS 0x04
#define MODEL_GAP        0x08 /* events were lost: get a new snapshot */
#define MODEL_SYNCED     0x10 /* a snapshot ended */
#define MODEL_HELLO_ERR  0x20 /* the server refused our hello */
#define MODEL_QUIT       0x40 /* the server acknowledged quit */
#define MODEL_PROTO_ERR  0x80 /* a snapshot line made no sense */

int model_init(struct model *, size_t log_cap);
void model_free(struct model *);
void model_connected(struct model *);
void model_disconnected(struct model *);
int model_feed(struct model *, const struct proto_msg *, time_t now);
/* Adds a line of the client's own; the text must already be printable. */
void model_log(struct model *, int kind, time_t now, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The i-th log line, oldest first, or NULL. */
const struct model_line *model_line_at(const struct model *, size_t i);
const struct model_client *model_client_at(const struct model *, size_t i);
/* The raw name of a connected client, or NULL. */
const char *model_client_name(const struct model *, int cid);
const struct model_proc *model_proc_at(const struct model *, size_t i);
/* The procedure called name (Logo names ignore case), or NULL. */
const struct model_proc *model_proc_find(const struct model *, const char *);
/* My definition with this title line goes out: its define event will
 * bring the title to the procedure. */
void model_def_sent(struct model *, const char *title);

/* dial.c */
struct event_base;
struct event;
struct bufferevent;
struct evdns_base;
struct evdns_getaddrinfo_request;
struct addrinfo;
struct dial_lookup;

#define NET_CAUSE_MAX   256
#define DIAL_TIMEOUT_MS 10000 /* for one TCP address to answer */

struct dial {
	struct event_base *base;
	struct evdns_base *dns;     /* the resolver, while a name needs it */
	struct dial_lookup *lookup; /* a name lookup in flight */
	struct evdns_getaddrinfo_request *req;
	struct addrinfo *res, *ai; /* the addresses, the one tried */
	struct event *ev;      /* the connect under way, with its deadline */
	int fd;                /* its socket */
	struct event *done_ev; /* hands the outcome over a loop turn later */
	int result;            /* the connected socket, -1 on failure */
	char where[sizeof(struct tui_addr) + 16];
	char cause[NET_CAUSE_MAX];
	void (*done)(void *arg, int fd, const char *cause);
	void *arg;
};

int dial_init(struct dial *, struct event_base *,
    void (*done)(void *arg, int fd, const char *cause), void *arg);
void dial_free(struct dial *);
/* Starts reaching addr; done() follows on a later loop turn. */
void dial_start(struct dial *, const struct tui_addr *);
void dial_cancel(struct dial *);

/* net.c */

enum net_state {
	NET_DOWN,    /* never connected */
	NET_DIALING, /* a try is under way (dial.c) */
	NET_UP,      /* connected (the hello may still be on its way) */
	NET_WAIT,    /* lost; a retry is scheduled at retry_at */
	NET_GONE     /* refused for good; no more tries */
};

struct net_cb {
	void (*line)(void *arg, const char *line, size_t len);
	void (*up)(void *arg);                      /* connected, hello next */
	void (*down)(void *arg, const char *why);   /* the connection ended */
	void (*state)(void *arg);                   /* redraw the status */
	void (*failed)(void *arg, const char *why); /* a try failed */
};

struct net {
	struct event_base *base;
	const struct tui_addr *addr;
	char hello[PROTO_LINE_MAX + 1];
	struct net_cb cb;
	void *arg;
	int state;   /* enum net_state */
	int ever_up; /* some try has worked */
	struct dial dial;
	struct bufferevent *bev;
	struct event *retry, *tick;
	struct timeval retry_at;
	unsigned backoff_ms;
	char cause[NET_CAUSE_MAX]; /* why the last connection or try failed */
};

int net_init(struct net *, struct event_base *, const struct tui_addr *,
    const char *hello, const struct net_cb *, void *arg);
void net_free(struct net *);
/* Takes over a connected socket (closing it on failure) and says hello. */
int net_attach(struct net *, int fd);
/* Tries to reach the server without waiting; up() or failed() follows. */
void net_connect(struct net *);
/* Queues one command line; -1 when not connected or the server is stuck. */
int net_send(struct net *, const char *line);
void net_drop(struct net *, const char *why);
void net_resync(struct net *, const char *why);
void net_stop(struct net *, const char *why);
void net_synced(struct net *);
int net_retry_in(const struct net *);

/* layout.c */
#define LAYOUT_MIN_COLS   20 /* below this a "too small" notice only */
#define LAYOUT_MIN_ROWS   6
#define LAYOUT_WIDE_COLS  100 /* from here the log goes right of the grid */
#define LAYOUT_GRID_MIN_W 16
#define LAYOUT_GRID_MIN_H 4

struct layout_rect {
	int x, y, w, h; /* w == 0: not shown */
};

struct layout {
	int cols, rows;
	int too_small;
	int wide; /* log right of the grid, else below it */
	struct layout_rect grid, sep, log, status, cmd;
};

#define LAYOUT_NOTICE_LINES 4
#define LAYOUT_NOTICE_COLS  32 /* bytes of a line, NUL included */

void layout_compute(struct layout *, int cols, int rows);
int layout_notice(char lines[][LAYOUT_NOTICE_COLS], int cols, int rows);

/* viewport.c */
struct viewport {
	int follow;   /* keep the turtle in view */
	int recenter; /* put it in the middle at the next update */
	int32_t left; /* world x of the leftmost cell shown */
	int32_t top;  /* world y of the top row shown */
	int w, h;     /* cells shown */
};

/* Cells further out than this are not on any lattice the views use. */
#define VIEWPORT_CELL_MAX 1000000000

/* The world and the turtle on the pane's lattice of cells, y up. */
struct viewport_span {
	int64_t xlo, xhi, ylo, yhi; /* the cells the world covers */
	int64_t tx, ty;             /* the turtle's cell */
};

void viewport_init(struct viewport *);
/* Fits the view to a pane of w x h cells (one per world unit) and the
 * turtle's position. */
void viewport_update(struct viewport *, int w, int h, const struct world *);
/* The same on any lattice: the world and the turtle as s says. */
void viewport_fit(
    struct viewport *, int w, int h, const struct viewport_span *s);
void viewport_aim(struct viewport *, int w, int h, int64_t x, int64_t y);
void viewport_middle(const struct viewport *, int64_t *x, int64_t *y);
/* Moves the view by cells (dy > 0 is up) and leaves follow mode. */
void viewport_pan(struct viewport *, int dx, int dy);
void viewport_follow(struct viewport *);
int viewport_cell(
    const struct viewport *, int32_t x, int32_t y, int *col, int *row);

/* trail.c */
#define TRAIL_N         0x1
#define TRAIL_E         0x2
#define TRAIL_S         0x4
#define TRAIL_W         0x8
#define TRAIL_DIAG_UP   1 /* "/" */
#define TRAIL_DIAG_DOWN 2 /* "\\" */

struct trail_cell {
	uint8_t mask;  /* TRAIL_N | TRAIL_E | ...: where lines leave */
	uint8_t diag;  /* TRAIL_DIAG_*, or 0 */
	uint8_t color; /* enum proto_color of the last segment here */
	uint8_t mine;  /* the last segment here is my_cid's */
	uint8_t set;   /* some segment touches this cell */
};

/* Fills cells[h][w] for the view whose top-left cell is (left, top);
 * my_cid (0: nobody) says whose segments are mine. */
void trail_raster(struct trail_cell *cells, int w, int h, int32_t left,
    int32_t top, const struct world *, int my_cid);

/* draw.c */
struct draw_style {
	int color; /* colours in use (not NO_COLOR, not monochrome) */
	int utf8;  /* box drawing and arrows, else ASCII */
};

void draw_init(struct draw_style *, int no_color, int ascii);
unsigned long draw_color(const struct draw_style *, int color);
unsigned long draw_name_color(const struct draw_style *, int cid);
int draw_width(const char *, size_t);
size_t draw_fit(const char *, size_t, int cols, int *used);
int draw_text(int y, int x, int cols, const char *, size_t, unsigned long);
int draw_str(int y, int x, int cols, const char *, unsigned long);
void draw_fill(int y, int x, int cols, unsigned long);
void draw_glyph(const struct draw_style *, int y, int x, const char *utf8,
    char ascii, unsigned long);
void draw_hline(const struct draw_style *, int y, int x, int n, unsigned long);
void draw_vline(const struct draw_style *, int y, int x, int n, unsigned long);

/* gridview.c */
/* How the grid pane draws, as --draw names it. */
enum gridview_mode {
	GRIDVIEW_AUTO,    /* braille where the locale is UTF-8, else box */
	GRIDVIEW_BRAILLE, /* braille dots, zoomable */
	GRIDVIEW_BOX,     /* a line piece per world unit */
	GRIDVIEW_ASCII    /* box mode in ASCII (as --ascii) */
};

struct gridview {
	struct trail_cell *cells; /* box mode, reused from frame to frame */
	size_t cap;
	struct braille_cell *dots; /* braille mode, likewise */
	size_t dots_cap;
	int braille;     /* drawing in braille, else box */
	int can_braille; /* UTF-8: braille can be switched to */
	int zoom;        /* braille: 1, 2, 4 dots a unit; -2, -4 units a dot */
	int mine;        /* my trail stands out, the others' is dimmed */
	int aim;         /* a new lattice: aim_x, aim_y go in the middle */
	double aim_x, aim_y;
	/* The world as the animation has come (animate_view()): its trail
	 * and turtle are drawn; the view follows the model's turtle, so a
	 * frame caught mid-line does not move it.  NULL: the model's. */
	const struct world *shown;
};

/* "braille", "box" or "ascii" as an enum gridview_mode: 0, or -1. */
int gridview_parse_mode(const char *, int *mode);
void gridview_init(struct gridview *, int mode, int utf8);
/* Zoom, mode and highlight keys (the +/- on an empty line only): 1 when
 * the key was one of them. */
int gridview_key(
    struct gridview *, struct viewport *, int is_key, int key, int empty);
void gridview_draw(struct gridview *, const struct layout_rect *,
    struct viewport *, const struct model *, const struct draw_style *);
void gridview_free(struct gridview *);
/* The turtle at screen (y, x), pointing its heading in eight directions. */
void gridview_turtle(
    const struct draw_style *, int y, int x, const struct world *);
/* A trail cell's attributes: its colour, and with the highlight on, bold
 * for mine, dim for the others'. */
unsigned long gridview_attr(
    const struct gridview *, const struct draw_style *, int color, int mine);

/* brailleview.c */
/* The braille lattice cell (2 x 4 dots, y up) of world (x, y) at zoom. */
void brailleview_cell(int zoom, double x, double y, int64_t *cx, int64_t *cy);
/* The world point in the middle of lattice cell (cx, cy) at zoom. */
void brailleview_point(int zoom, int64_t cx, int64_t cy, double *x, double *y);
/* The pane in braille, one column a cell: frame, ticks, trail, turtle. */
void brailleview_draw(struct gridview *, const struct layout_rect *,
    struct viewport *, const struct model *, const struct draw_style *);

/* logview.c */
struct logview {
	uint64_t anchor; /* id of the line at the bottom; 0: follow */
	int skip;        /* rows of that line hidden below the pane */
};

void logview_init(struct logview *);
/* Bytes of s that go on one row cols wide (never 0 while len > 0). */
size_t logview_break(const char *s, size_t len, int cols, int *used);
void logview_scroll(struct logview *, const struct model *,
    const struct layout_rect *, int rows);
void logview_draw(struct logview *, const struct layout_rect *,
    const struct model *, const struct draw_style *);

/* statusline.c */
struct statusline_info {
	const struct model *model;
	const struct net *net;
	const char *addr;
	int follow;
	size_t pasting; /* pasted lines still to send */
	int zoom;       /* braille mode's zoom, said unless 1; 0: box mode */
	int mine;       /* my trail is highlighted */
};

void statusline_state(char *, size_t, const struct net *, const struct model *);
size_t statusline_compose(
    char *, size_t, int cols, const struct statusline_info *);
void statusline_draw(const struct layout_rect *, const struct statusline_info *,
    const struct draw_style *);

/* cmdline.c */
enum cmdline_gen {
	CMDLINE_GEN_NONE,
	CMDLINE_GEN_COMMAND,
	CMDLINE_GEN_PEN,
	CMDLINE_GEN_COLOR,
	CMDLINE_GEN_LOGO /* Logo primitives and procedures */
};

struct cmdline_cb {
	void (*submit)(void *arg, char *line); /* ours to free; NULL: EOF */
	void (*changed)(void *arg);            /* redraw the line */
	void (*matches)(void *arg, const char *list); /* completions */
};

struct cmdline {
	unsigned char q[256]; /* keys for readline, as bytes */
	size_t qhead, qlen;
	void (*submit)(void *, char *);
	void (*changed)(void *);
	void (*matches)(void *, const char *);
	void *arg;
	const char *history;
	int history_failed;
	void *devnull; /* FILE *: where readline's own output goes */
	int gen_what;  /* enum cmdline_gen */
	size_t gen_index;
	const struct model *model; /* the procedures, for Tab */
	int logo;                  /* the line goes on Logo input */
	char prompt[PROTO_PROC_MAX + 8];
};

int cmdline_init(struct cmdline *, const char *history,
    const struct cmdline_cb *, void *arg);
void cmdline_free(struct cmdline *);
void cmdline_key(struct cmdline *, int is_key, int key);
int cmdline_empty(void);
void cmdline_prompt(struct cmdline *, const char *prompt);
void cmdline_clear(struct cmdline *);
int cmdline_draw(int y, int x, int cols, const char *question);

/* paste.c */
struct paste_item {
	char *line;
	int quiet; /* a definition's line, echoed when it was typed */
};

struct paste {
	/* Sends a line: 1 sent, 0 not (nothing to send), -1 cannot now;
	 * quiet: not echoed (sent before, or echoed as it was typed). */
	int (*send)(void *arg, const char *line, int quiet);
	void *arg;
	char **ask; /* a paste waiting for yes or no */
	size_t nask, ask_cap;
	/* said yes to, not sent yet: [queue_head, queue_len) */
	struct paste_item *queue;
	size_t queue_head, queue_len, queue_cap;
	char *cur;         /* the pasted line out or about to go again */
	int cur_out;       /* cur is sent and its answer not in */
	int cur_quiet;     /* cur is a quiet line */
	unsigned inflight; /* commands sent whose final reply is not in */
	unsigned delay_ms; /* the next pause after "err rate" */
	struct event *retry;
};

int paste_init(struct paste *, struct event_base *,
    int (*send)(void *, const char *, int), void *arg);
void paste_free(struct paste *);
int paste_add(struct paste *, char *line);
size_t paste_answer(struct paste *, int yes);
size_t paste_left(const struct paste *);
int paste_quiet(struct paste *, char **lines, size_t n);
size_t paste_quiet_left(const struct paste *);
void paste_sent(struct paste *);
int paste_absorbs(const struct paste *, const struct proto_msg *);
void paste_reply(struct paste *, const struct proto_msg *);
size_t paste_reset(struct paste *);

/* help.c */
struct ui;
int help_key(int *scroll, int is_key, int key);
void help_draw(const struct draw_style *, int cols, int rows, int *scroll);
const char *help_logo_word(size_t i);
int help_is_logo_word(const char *);
int help_command(struct ui *, const char *line, size_t len);

/* logoedit.c */
struct logo_workspace;
struct logo_pending;

enum logoedit_state {
	LOGOEDIT_NONE,
	LOGOEDIT_DEFINE, /* inside to ... end */
	LOGOEDIT_LIST    /* a [ is open */
};

enum logoedit_result {
	LOGOEDIT_SEND,   /* not held here: send the line as usual */
	LOGOEDIT_KEPT,   /* held; the input goes on */
	LOGOEDIT_DONE,   /* whole: logoedit_take() */
	LOGOEDIT_REFUSED /* not kept (why says why); the input goes on */
};

struct logoedit {
	struct logo_workspace *ws;    /* empty: the reader's only */
	struct logo_pending *pending; /* what the reader holds */
	int state;                    /* enum logoedit_state */
	char name[PROTO_PROC_MAX + 1];
	char **lines; /* as typed, the title first */
	size_t nlines, cap;
	char prompt[PROTO_PROC_MAX + 4];
};

int logoedit_init(struct logoedit *);
void logoedit_free(struct logoedit *);
int logoedit_feed(
    struct logoedit *, const char *line, size_t len, char *why, size_t);
char **logoedit_take(struct logoedit *, size_t *n);
size_t logoedit_abandon(struct logoedit *);
const char *logoedit_prompt(struct logoedit *, int more);
int logoedit_typed(struct ui *, const char *line);
int logoedit_escape(struct ui *);

/* help_text.c, made from assets/help.txt at build time */
extern const char help_text[];
extern const size_t help_text_len;

/* ui.c, screen.c: the interactive client's state */
#define UI_KEY_MODS   7 /* xterm modifiers 2..8: Shift, Alt, ... Ctrl */
#define UI_KEY_FINALS 6 /* up down right left home end */
#define UI_KEY_SHIFT  0 /* key_mod[] rows: modifier 2 */
#define UI_KEY_CTRL   3 /* modifier 5 */

/* animate.c */
#define ANIMATE_SPEED_MAX     10
#define ANIMATE_SPEED_DEFAULT 7  /* 640 segments a second */
#define ANIMATE_FRAME_MS      16 /* a step while something is hidden */

struct animate {
	unsigned speed;   /* 0: at once; 1..10: 5 * 2^speed segments/s */
	size_t hidden;    /* newest segments not shown yet */
	uint64_t seen;    /* world.trail_added when last noted */
	uint64_t last_ms; /* the last step */
	double carry;     /* a fraction of a segment owed */
};

double animate_rate(unsigned speed);
void animate_init(struct animate *, unsigned speed);
void animate_note(
    struct animate *, const struct world *, int synced, uint64_t now_ms);
int animate_pending(const struct animate *);
int animate_step(struct animate *, uint64_t now_ms);
void animate_view(const struct animate *, const struct world *, struct world *);
struct model;
int animate_command(
    struct animate *, struct model *, const char *, size_t, uint64_t now_ms);

struct ui {
	const struct tui_opts *opts;
	struct event_base *base;
	struct event *ev_stdin, *ev_winch, *ev_redraw, *ev_quit;
	struct event *ev_anim; /* a step while the animation has some left */
	uint64_t frames;       /* drawn, and the longest one's CPU (ns) */
	int64_t frame_max_ns;
	struct animate anim;
	struct event *ev_sig[3];

	struct model model;
	struct net net;
	struct cmdline cmd;
	struct layout layout;
	struct viewport vp;
	struct gridview grid;
	struct logview log;
	struct draw_style style;
	char addr[sizeof(struct tui_addr) + 16];

	struct screen *screen; /* curses is up (SCREEN) */
	int resized;           /* SIGWINCH seen since the last frame */
	int help;              /* the help overlay is open */
	int help_scroll;
	int started;                /* we started turtled (connect_client) */
	int ask_exit;               /* "stop the server?" is on screen */
	int quitting;               /* quit sent, waiting for the server */
	int status;                 /* the exit status */
	char failed[NET_CAUSE_MAX]; /* why the first try failed, for stderr */
	int idle_reads;
	int key_mod[UI_KEY_MODS][UI_KEY_FINALS]; /* see screen.c */

	int burst;    /* this key has more right behind it: a paste */
	char **batch; /* lines entered during this read from the terminal */
	size_t nbatch, batch_cap;
	struct paste paste;
	struct logoedit edit; /* a definition being typed */
};

/* screen.c */
int screen_init(struct ui *);
void screen_draw(struct ui *);
void screen_stats(const struct ui *);

/* braille.c */
/*
 * The trail at 2 x 4 dots per cell, as braille patterns (U+2800 + dots,
 * drawille's bits: dot (col, row) (0,0) 0x01, (0,1) 0x02, (0,2) 0x04,
 * (1,0) 0x08, (1,1) 0x10, (1,2) 0x20, (0,3) 0x40, (1,3) 0x80).  World x
 * goes right, y up.  World (x, y) is dot column round((x - left) * scale),
 * row round((top - y) * scale), halves up, where scale is the dots per
 * world unit; that dot is in cell (column / 2, row / 4).  Pure: no curses.
 */
struct braille_seg {
	double x0, y0, x1, y1; /* world units; NaN or inf: skipped */
	uint8_t color;         /* enum proto_color */
	uint8_t mine;          /* drawn by this client */
};

struct braille_cell {
	uint8_t dots;  /* dot bits; 0: empty */
	uint8_t color; /* of the newest dot here */
	uint8_t mine;  /* of the newest dot here */
};

struct braille_view {
	struct braille_cell *cells; /* w * h, row-major, caller-owned */
	int w, h;                   /* in cells, up to 2^20 each */
	double left, top; /* world coordinates of the top-left dot's centre */
	int zoom;         /* 1, 2, 4: dots per unit; -2, -4: units per dot */
};

/* Empties every cell. */
void braille_clear(struct braille_view *);
/* Adds segs in order (later ones' colours win) to the cells; a segment of
 * length 0 is one dot.  Costs the visible part of each, not its length. */
void braille_draw(struct braille_view *, const struct braille_seg *, size_t n);
/* Adds the single dot of world (x, y), if in view. */
void braille_dot(
    struct braille_view *, double x, double y, uint8_t color, uint8_t mine);
/* The cell holding world (x, y)'s dot: 1, or 0 when not in view. */
int braille_locate(
    const struct braille_view *, double x, double y, int *col, int *row);
/* U+2800 + dots in UTF-8 into out, NUL-terminated; returns 3. */
size_t braille_utf8(uint8_t dots, char out[4]);
/* Sets left and top (from w, h and zoom) so the cell of world (x, y) is in
 * the middle of the pane, on whole cells of a lattice fixed to the world:
 * at zoom 1, (0, 0) in 101 x 51 cells shows -100..100 exactly. */
void braille_center(struct braille_view *, double x, double y);

#endif
