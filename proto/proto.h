/*
 * proto.h - the turtlenet wire protocol and the turtle world model.
 *
 * Pure C: no I/O, no globals, no allocation except world_init().  Shared by
 * turtled (server/) and turtle (tui/).  PROTOCOL.md is the reference for
 * everything here; bump PROTO_VERSION if the v1 grammar changes.
 */
#ifndef TURTLENET_PROTO_H
#define TURTLENET_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION 1

#define PROTO_LINE_MAX   512  /* a client line, terminator excluded */
#define PROTO_TEXT_MAX   400  /* say TEXT, bytes of UTF-8 */
#define PROTO_NAME_MAX   32   /* 1-32 of [A-Za-z0-9_.-] */
#define PROTO_TOKEN_MAX  128  /* printable ASCII, no space */
#define PROTO_OUT_MAX    2048 /* a server line, "\n" included */
#define PROTO_FIELDS_MAX 16   /* key=value fields in one server line */
#define PROTO_WORD_MAX   24   /* ok WORD / err CODE / evt KIND / snap KIND */
#define PROTO_WHY_MAX    160  /* the human sentence of an error */

/* Coordinates a world may have at most, so sums never overflow int32. */
#define PROTO_COORD_MAX 1000000

/* ------------------------------------------------------------------------
 * decimal.c: plain decimal numbers (12, -0.5, 33.333333), the same in
 * every locale: no exponent, at most PROTO_DECIMALS places, no "-0".
 */
#define PROTO_DECIMALS    6
#define PROTO_DECIMAL_MAX 1e9 /* larger magnitudes are clamped */
#define PROTO_DECIMAL_LEN 24  /* room for any, NUL included */

/* Rounds v to places (0-6) decimals; returns the length written. */
size_t proto_decimal_format(char *out, size_t outlen, double v, int places);
/* [-]DIGITS[.DIGITS] (<= 12 and <= 9 digits), nothing else.  0 or -1. */
int proto_decimal_parse(const char *s, size_t len, double *out);

/* ------------------------------------------------------------------------
 * frame.c: splitting a byte stream into command lines.
 * A line ends at LF, CRLF or NUL; empty lines are skipped.  A line longer
 * than PROTO_LINE_MAX yields PROTO_FRAME_TOOLONG once and is skipped up to
 * its end; the stream lives on.
 */
enum proto_frame {
	PROTO_FRAME_MORE,   /* input used up, no complete line */
	PROTO_FRAME_LINE,   /* *line, *linelen: one line, NUL-terminated */
	PROTO_FRAME_TOOLONG /* a line over PROTO_LINE_MAX was dropped */
};

struct proto_framer {
	char buf[PROTO_LINE_MAX + 1];
	size_t len;
	int skipping; /* inside an over-long line, dropping to its end */
};

void proto_framer_init(struct proto_framer *);
/*
 * Consumes bytes from *data (advancing *data, decreasing *len) until one
 * result is ready.  Call again while it does not return PROTO_FRAME_MORE.
 * The line lives in the framer until the next call.
 */
enum proto_frame proto_framer_next(struct proto_framer *, const char **data,
    size_t *len, const char **line, size_t *linelen);

/* ------------------------------------------------------------------------
 * text.c: validation and escaping of outside text.
 */
/*
 * 1 for a code point that must never reach a terminal raw, as a user's
 * text nor on a screen: a control character (C0, DEL, C1) or a format
 * character (Unicode category Cf: bidirectional controls, zero-width
 * spaces and joiners, the BOM, ...; and the separators U+2028, U+2029).
 */
int proto_text_hazard(uint32_t cp);
/* 0 if s[0..len) is valid UTF-8 with no proto_text_hazard() character. */
int proto_text_valid(const char *s, size_t len);
/* 0 if s is a valid client name: 1-32 of [A-Za-z0-9_.-]. */
int proto_name_valid(const char *s, size_t len);
/* 0 if s is a valid secret (token=, admin=): 1-128 printable ASCII, no
 * space. */
int proto_token_valid(const char *s, size_t len);
/*
 * Writes s[0..len) into out as printable text for a terminal, the one
 * escaper every display uses: valid UTF-8 is copied, \ becomes \\, an
 * ASCII control (C0, DEL) and a byte that is not UTF-8 become \xNN, and
 * any other proto_text_hazard() character becomes \u{XXXX} (\u{202E},
 * \u{0085}), so nothing can hide, reorder or act on what surrounds it.
 * Always NUL-terminates; truncates at a character boundary, keeping
 * escapes whole; at most 4 bytes out per byte in.  Returns the length.
 */
size_t proto_text_escape(char *out, size_t outlen, const char *s, size_t len);
/*
 * The same for text shown to people (the log pane, --watch sentences): a
 * backslash stays single (C:\temp) unless it starts what looks like an
 * escape (\xNN, \u{), so an escape still cannot be faked.
 */
size_t proto_text_show(char *out, size_t outlen, const char *s, size_t len);

/* ------------------------------------------------------------------------
 * errors.c: the stable error words of the v1 dialect.
 */
enum proto_err {
	PROTO_OK = 0,
	PROTO_ERR_USAGE,           /* "usage": wrong arguments */
	PROTO_ERR_UNKNOWN_COMMAND, /* "unknown-command" */
	PROTO_ERR_RANGE,           /* "range": an integer out of range */
	PROTO_ERR_OUT_OF_BOUNDS,   /* "out-of-bounds": move leaves the world */
	PROTO_ERR_TOO_LONG,        /* "too-long": line over PROTO_LINE_MAX */
	PROTO_ERR_BAD_TEXT, /* "bad-text": bad UTF-8, control, format, long */
	PROTO_ERR_BAD_NAME, /* "bad-name" */
	PROTO_ERR_VERSION,  /* "version": hello with another version */
	PROTO_ERR_HELLO,    /* "hello": hello sent twice */
	PROTO_ERR_AUTH,     /* "auth": missing or wrong token */
	PROTO_ERR_NOT_YOUR_TURN, /* "not-your-turn" */
	PROTO_ERR_FORBIDDEN,     /* "forbidden" */
	PROTO_ERR_RATE,          /* "rate": over the rate limit */
	PROTO_ERR_SERVER_FULL,   /* "server-full" */
	PROTO_ERR_SLOW_CONSUMER, /* "slow-consumer" */
	PROTO_ERR_INTERNAL,      /* "internal" */
	PROTO_ERR_TIMEOUT,       /* "timeout" */
	PROTO_ERR_LOGO,       /* "logo": a Logo line failed (kind= says how) */
	PROTO_ERR_LIMIT,      /* "limit": a Logo line hit a limit (limit=) */
	PROTO_ERR_NAME_TAKEN, /* "name-taken": name asks for one in use */
	PROTO_ERR__COUNT
};

const char *proto_err_word(enum proto_err);
/* PROTO_ERR__COUNT if the word is unknown. */
enum proto_err proto_err_from_word(const char *);

/* ------------------------------------------------------------------------
 * color.c: the turtle's pen colours, the 8 ANSI colours a terminal has.
 */
enum proto_color {
	PROTO_COLOR_DEFAULT,
	PROTO_COLOR_RED,
	PROTO_COLOR_GREEN,
	PROTO_COLOR_YELLOW,
	PROTO_COLOR_BLUE,
	PROTO_COLOR_MAGENTA,
	PROTO_COLOR_CYAN,
	PROTO_COLOR_WHITE,
	PROTO_COLOR__COUNT
};
const char *proto_color_name(int color);
int proto_color_from_name(const char *); /* -1 if unknown */

/* ------------------------------------------------------------------------
 * cmd.c + parse.c: client commands.  One table drives the parser, help
 * and the docs.
 */
enum proto_cmd_type {
	PROTO_CMD_HELLO,
	PROTO_CMD_RUN,
	PROTO_CMD_SAY,
	PROTO_CMD_GETCID,
	PROTO_CMD_WHO,
	PROTO_CMD_WHERE,
	PROTO_CMD_PEN,
	PROTO_CMD_COLOR,
	PROTO_CMD_HOME,
	PROTO_CMD_CLEAR,
	PROTO_CMD_NAME,
	PROTO_CMD_PASS,
	PROTO_CMD_STATS,
	PROTO_CMD_HELP,
	PROTO_CMD_QUIT,
	PROTO_CMD_EXIT, /* "_exit" */
	PROTO_CMD__COUNT
};

#define PROTO_CMDF_MOVE                                                        \
	0x1 /* changes the turtle: needs the turn in turns mode */
#define PROTO_CMDF_LOG                                                         \
	0x2 /* its event is log-worthy (kept for late joiners)                 \
	     */

struct proto_cmd_info {
	enum proto_cmd_type type;
	const char *name; /* "run" */
	const char *args; /* "DX DY", "" when none */
	const char *help; /* one line */
	int flags;        /* PROTO_CMDF_* */
};

/* The table, in the order help lists it. */
const struct proto_cmd_info *proto_cmd_table(size_t *count);
const struct proto_cmd_info *proto_cmd_info(enum proto_cmd_type);
const struct proto_cmd_info *proto_cmd_lookup(const char *name, size_t len);

struct proto_cmd {
	enum proto_cmd_type type;
	int32_t dx, dy;                  /* run */
	int version;                     /* hello */
	int pen_down;                    /* pen */
	int color;                       /* color: enum proto_color */
	char name[PROTO_NAME_MAX + 1];   /* hello (may be ""), name */
	char token[PROTO_TOKEN_MAX + 1]; /* hello (may be "") */
	char admin[PROTO_TOKEN_MAX + 1]; /* hello admin= (may be "") */
	int watcher;                     /* hello role=watcher */
	char text[PROTO_TEXT_MAX + 1];   /* say (v1: never "") */
};

/*
 * Parses one v1 command line (no terminator).  Words are separated by
 * spaces or tabs.  On error returns the code and writes one sentence into
 * why (PROTO_WHY_MAX is enough) saying what was wrong.
 */
enum proto_err proto_parse_command(const char *line, size_t len,
    struct proto_cmd *cmd, char *why, size_t whylen);

/*
 * The hello a client says: "hello VERSION [NAME] [token=SECRET]
 * [role=watcher]" without a terminator, name and token "" for none.  0, or
 * -1 if it did not fit.
 */
int proto_hello_format(
    char *out, size_t outlen, const char *name, const char *token, int watcher);

enum proto_dialect { PROTO_DIALECT_CLASSIC, PROTO_DIALECT_V1 };
/* The dialect a connection speaks, from its first non-empty line:
 * V1 when it is "hello" followed by a number, CLASSIC otherwise. */
enum proto_dialect proto_dialect_detect(const char *line, size_t len);

/* ------------------------------------------------------------------------
 * classic.c: the lecture's dialect.  Commands match by prefix as the
 * lecture's strncmp() did ("run", "say", "quit", "_exit", and "getcid");
 * everything else is an unknown command.
 */
/*
 * Parses a classic line.  Returns PROTO_OK with cmd filled (a bare say has
 * cmd->text == ""), PROTO_ERR_USAGE when run lacks two integers,
 * PROTO_ERR_RANGE when one of them is beyond +-PROTO_COORD_MAX,
 * PROTO_ERR_UNKNOWN_COMMAND, or PROTO_ERR_BAD_TEXT for a say word that is
 * not clean text.
 */
enum proto_err proto_classic_parse(
    const char *line, size_t len, struct proto_cmd *cmd);
/*
 * Formats the classic reply to cmd given its outcome: err is what parsing or
 * applying it gave, x/y the turtle's position afterwards, cid the asker's.
 * Writes the text, "\n" and a NUL into out and returns the byte count to
 * send, NUL included; 0 when the command gets no reply (quit, _exit).
 */
#define PROTO_CLASSIC_MAX 512 /* room for any classic reply, NUL included */
size_t proto_classic_reply(char *out, size_t outlen,
    const struct proto_cmd *cmd, enum proto_err err, double x, double y,
    int cid);

/* ------------------------------------------------------------------------
 * fmt.c: building v1 server lines.
 *   ok WORD [key=value ...]
 *   err CODE [key=value ...]           (always with msg="sentence")
 *   evt SEQ KIND [key=value ...]
 *   snap KIND [key=value ...]          (the snapshot after ok hello / resync)
 * A value is written bare when it is non-empty and has only printable
 * ASCII other than space, '"', '\\' and '='; otherwise it is quoted in
 * "..." with \" \\ \n \r \t and \xNN escapes; UTF-8 passes through, but
 * for proto_text_hazard() characters (C1, format characters), whose
 * bytes are \xNN escapes too: a line never carries them raw.
 */
struct proto_buf {
	char *p;
	size_t cap;
	size_t len;
	int overflow; /* set once something did not fit; the line is void */
};

void proto_buf_init(struct proto_buf *, char *p, size_t cap);
void proto_fmt_ok(struct proto_buf *, const char *word);
void proto_fmt_err(struct proto_buf *, enum proto_err, const char *msg);
void proto_fmt_evt(struct proto_buf *, uint64_t seq, const char *kind);
void proto_fmt_snap(struct proto_buf *, const char *kind);
void proto_fmt_str(struct proto_buf *, const char *key, const char *val);
void proto_fmt_strn(
    struct proto_buf *, const char *key, const char *val, size_t len);
void proto_fmt_int(struct proto_buf *, const char *key, long long val);
/* For seq= and counters, which may exceed a long long. */
void proto_fmt_uint(struct proto_buf *, const char *key, uint64_t val);
/* A decimal number, rounded to PROTO_DECIMALS places. */
void proto_fmt_num(struct proto_buf *, const char *key, double val);
/* Appends "\n".  0, or -1 if anything overflowed (nothing usable). */
int proto_fmt_end(struct proto_buf *);

/* ------------------------------------------------------------------------
 * msg.c: parsing v1 server lines (the client's side of fmt.c).
 */
enum proto_msg_type {
	PROTO_MSG_OK,
	PROTO_MSG_ERR,
	PROTO_MSG_EVT,
	PROTO_MSG_SNAP
};

struct proto_field {
	const char *key;
	const char
	    *val; /* decoded, NUL-terminated (a \x00 escape is refused) */
};

struct proto_msg {
	enum proto_msg_type type;
	uint64_t seq; /* evt only */
	char word[PROTO_WORD_MAX];
	size_t nfields;
	struct proto_field f[PROTO_FIELDS_MAX];
	char store[PROTO_OUT_MAX];
};

/* Parses one server line (a trailing "\n" or "\r\n" is allowed). 0 or -1. */
int proto_msg_parse(const char *line, size_t len, struct proto_msg *);
const char *proto_msg_get(const struct proto_msg *, const char *key);
/* 0 with *out set, or -1 if absent, not an integer, or outside [min,max]. */
int proto_msg_get_int(const struct proto_msg *, const char *key, long long min,
    long long max, long long *out);
/* The same for a decimal number (proto_decimal_parse()). */
int proto_msg_get_num(const struct proto_msg *, const char *key, double min,
    double max, double *out);

/* ------------------------------------------------------------------------
 * event.c: the events the server broadcasts, as data and as evt lines.
 */
enum proto_evt_kind {
	PROTO_EVT_MOVE,     /* move cid= name= x0= y0= x= y= pen= color= */
	PROTO_EVT_SAY,      /* say cid= name= text= */
	PROTO_EVT_PEN,      /* pen cid= name= pen=up|down */
	PROTO_EVT_COLOR,    /* color cid= name= color= */
	PROTO_EVT_HOME,     /* home cid= name= x= y= (a jump, draws nothing) */
	PROTO_EVT_CLEAR,    /* clear cid= name= (trail erased) */
	PROTO_EVT_JOIN,     /* join cid= name= */
	PROTO_EVT_LEAVE,    /* leave cid= name= reason= */
	PROTO_EVT_RENAME,   /* rename cid= name= old= */
	PROTO_EVT_TURN,     /* turn cid= name= (cid=0 name="" when nobody) */
	PROTO_EVT_RESYNC,   /* resync dropped= (a snapshot follows) */
	PROTO_EVT_SHUTDOWN, /* shutdown reason= */
	PROTO_EVT_TURTLE,   /* turtle cid= name= x= y= heading= pen= color= pc=
			       segs= cleared=: a Logo line ran (its paths
			       came first) */
	PROTO_EVT_DEFINE,   /* define cid= name= proc= */
	PROTO_EVT_ERASE,    /* erase cid= name= proc= */
	PROTO_EVT__COUNT
};

#define PROTO_PROC_MAX 64 /* a Logo procedure's name */

struct proto_event {
	enum proto_evt_kind kind;
	int cid;
	char name[PROTO_NAME_MAX + 1];
	char old[PROTO_NAME_MAX + 1];  /* rename */
	double x0, y0, x, y;           /* move, home, turtle */
	double heading;                /* turtle */
	int pen_down;                  /* move, pen, turtle */
	int color;                     /* move, color, turtle */
	int pc;                        /* turtle: Logo's colour, 0-15 */
	uint64_t segs;                 /* turtle: segments its line drew */
	int cleared;                   /* turtle: its line cleared first */
	char proc[PROTO_PROC_MAX + 1]; /* define, erase */
	uint64_t dropped;              /* resync */
	char text[PROTO_TEXT_MAX + 1]; /* say; leave/shutdown reason */
};

const char *proto_evt_word(enum proto_evt_kind);
int proto_evt_from_word(const char *); /* -1 if unknown */
/* Is this kind kept in the log history a late joiner gets? */
int proto_evt_loggable(enum proto_evt_kind);
/* Formats "evt SEQ KIND ...\n".  0 or -1 (did not fit). */
int proto_event_format(
    struct proto_buf *, uint64_t seq, const struct proto_event *);
/*
 * Formats "snap log seq=SEQ time=T kind=KIND ...\n": a past event in the
 * snapshot a late joiner gets, when it happened (seconds since the epoch,
 * the server's clock) and the same fields as its evt line.  0 or -1.
 */
int proto_event_format_snap(
    struct proto_buf *, uint64_t seq, int64_t time, const struct proto_event *);
/* Fills ev from a parsed evt (or snap log) message.  0 or -1. */
int proto_event_from_msg(const struct proto_msg *, struct proto_event *);

/* ------------------------------------------------------------------------
 * dgram.c: the datagram endpoint beside each listener, PATH.ping next to an
 * AF_UNIX socket and UDP on the port of a TCP one.  One request per
 * datagram and one reply back, its text then a NUL as the lecture's
 * datagram server sent.  Trailing NULs and line ends are not part of a
 * request.
 */
#define PROTO_DGRAM_MAX 512 /* a request or a reply, NUL included */

enum proto_dgram {
	PROTO_DGRAM_PING,   /* "ping": "pong!" */
	PROTO_DGRAM_QUIT,   /* "quit": "quit_flag now!", and nothing stops */
	PROTO_DGRAM_STATUS, /* "status": "turtled pid=N uptime=S ..." */
	PROTO_DGRAM_WRONG,  /* anything else: "wrong string!" */
	PROTO_DGRAM__COUNT
};

/* The request's word; NULL for PROTO_DGRAM_WRONG. */
const char *proto_dgram_word(enum proto_dgram);
/* The reply's text; NULL for PROTO_DGRAM_STATUS, the server's own line. */
const char *proto_dgram_reply(enum proto_dgram);
/* What the request req[0..len) asks. */
enum proto_dgram proto_dgram_parse(const char *req, size_t len);
/* The length of a reply's text: up to its NUL or line end. */
size_t proto_dgram_text(const char *reply, size_t len);

/* ------------------------------------------------------------------------
 * world.c: the one turtle.  x to the right, y up, the origin in the
 * middle; the world is -half_w..half_w by -half_h..half_h.  Position and
 * heading are real numbers (heading in degrees, 0 north, clockwise, in
 * [0, 360)); trail segments keep float endpoints, and clients turn them
 * into cells only to draw.
 */
struct world_seg {
	float x0, y0, x1, y1;
	int32_t cid; /* who drew it, 0 when unknown */
	uint8_t color;
};

struct world {
	int32_t half_w, half_h;
	double x, y;
	double heading;          /* degrees, [0, 360) */
	int pen_down;            /* 1 at start */
	int color;               /* enum proto_color */
	int pc;                  /* Logo's pen colour, 0-15 (7 at start) */
	struct world_seg *trail; /* ring of trail_cap segments */
	size_t trail_cap, trail_start, trail_len;
	uint64_t trail_dropped; /* oldest segments dropped, ever */
	uint64_t trail_added;   /* segments appended, ever */
};

#define WORLD_HALF_DEFAULT  100     /* 201 x 201 cells, UCBLogo's window */
#define WORLD_TRAIL_DEFAULT 1000000 /* segments kept */
#define WORLD_TRAIL_LIMIT   (1u << 23)

/* Logo's 16 colours on the wire's 8, and back (PROTOCOL.md has the table). */
int proto_color_from_logo(int pc);
int proto_color_to_logo(int color);

/* 0, or -1 on bad sizes or no memory. */
int world_init(
    struct world *, int32_t half_w, int32_t half_h, size_t trail_cap);
void world_free(struct world *);
/* The i-th segment of the trail, oldest first (i < trail_len). */
const struct world_seg *world_seg_at(const struct world *, size_t i);
/* Appends a segment (a full ring forgets its oldest) / erases the trail. */
void world_add_seg(struct world *, double x0, double y0, double x1, double y1,
    int color, int cid);
void world_clear_trail(struct world *);
/*
 * Applies one command to the world: run, pen, color, home, clear and say
 * (say changes nothing but yields its event).  Fills ev (cid/name are left
 * for the caller) and returns PROTO_OK, or the refusal (out-of-bounds)
 * with why set and the world unchanged.  Other commands: PROTO_ERR_USAGE.
 */
enum proto_err world_apply(struct world *, const struct proto_cmd *,
    struct proto_event *ev, char *why, size_t whylen);
/* Applies an event as a client sees it (move/pen/color/home/clear/turtle). */
void world_apply_event(struct world *, const struct proto_event *);

/*
 * Paths: segments on the wire, "PREFIX cid=N ... color=C pts=X,Y;X,Y;..."
 * (a polyline, 4 decimals), as few lines as fit PROTO_OUT_MAX.  A new line
 * starts where the colour or the author changes or a segment does not
 * start where the last one ended.  world_paths() writes segments
 * [from, to) of the trail: start(b, cid, arg) begins each line ("snap path
 * cid=", "evt SEQ path cid= name="), emit(line, len, arg) takes it.
 * Returns -1 if a callback does.
 */
typedef int (*world_emit_fn)(const char *line, size_t len, void *arg);
int world_paths(const struct world *, size_t from, size_t to,
    void (*start)(struct proto_buf *, int cid, void *), world_emit_fn emit,
    void *arg);
/* Appends the segments of a parsed "snap path" or "evt path" line. 0/-1
 * (a bad line adds nothing). */
int world_apply_path(struct world *, const struct proto_msg *);
/*
 * The snapshot of the world as lines: "snap world ..." then the trail as
 * "snap path" lines.  Stops and returns -1 if emit does.
 */
int world_snapshot(const struct world *, world_emit_fn emit, void *arg);
/* Applies a "snap world" or "snap path" message to a client's copy. 0/-1. */
int world_apply_snap(struct world *, const struct proto_msg *);

#endif
