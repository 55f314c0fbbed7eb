/*
 * logo.h - the Logo core: a UCBLogo subset, one input line at a time.
 *
 * Pure C17: no I/O, no global mutable state, every public name logo_.
 * The caller (turtled) keeps the world: the turtle (struct logo_turtle),
 * the shared workspace (procedures and global variables) and, per user,
 * a pending buffer for input that spans lines (to ... end, an open [).
 *
 *	struct logo_result res;
 *	logo_result_init(&res);
 *	if (logo_eval_line(ws, &turtle, pending, line, len, &cfg, &res) ==
 *	    LOGO_OK && logo_commit(ws, &res) == 0) {
 *		turtle = res.turtle;            (and res.cleared, res.segs)
 *	}
 *	logo_result_free(&res);
 *
 * A line is atomic: logo_eval_line() reads the workspace and the turtle
 * but changes neither; everything the line did is in the result, and
 * nothing happens unless the caller commits it.  A line that fails (an
 * error, the fence, a limit) leaves the caller's state as it was.
 * docs/logo.md has the design.
 *
 * Numbers are read and printed with '.' whatever LC_NUMERIC says.
 */
#ifndef TURTLENET_LOGO_H
#define TURTLENET_LOGO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Limits for a shared server.  The first group are the defaults of
 * struct logo_limits (a caller may lower or raise them); the second are
 * fixed sizes of the reader.  Each one that trips says its name and value.
 */
/* Primitive steps in one line: every primitive or procedure call, every
 * turn of a repeat, and every pair of items = compares counts one. */
#define LOGO_STEPS_MAX 1000000
/* Procedure calls active at once (recursion depth). */
#define LOGO_DEPTH_MAX 1000
/* Bytes of C stack one line may use: nested expressions and calls
 * recurse in C, and this stops them well before a thread's stack (8 MiB
 * by default) runs out, whatever the build's frame sizes. */
#define LOGO_STACK_MAX (4u << 20)
/* Wall time one line may take, in ms, when the caller passes a clock. */
#define LOGO_TIME_MS_MAX 500
/* Segments one line may draw (a quarter of the 1,000,000 the trail is
 * to keep). */
#define LOGO_SEGMENTS_MAX 250000
/* Bytes one line may print (print, show, type, pots). */
#define LOGO_TEXT_MAX 65536
/* Bytes of scratch memory one line may use (its values and lists). */
#define LOGO_MEMORY_MAX (32u << 20)
/* Procedures in the workspace. */
#define LOGO_PROCS_MAX 1000
/* Global variables in the workspace. */
#define LOGO_VARS_MAX 1000
/* Bytes the workspace may hold (definitions and global values). */
#define LOGO_WORKSPACE_MAX (16u << 20)

/* Bytes of one input line, and of a definition or an open [ collected
 * over several lines. */
#define LOGO_LINE_MAX    4096
#define LOGO_PENDING_MAX 65536
/* Lines of one definition or open [. */
#define LOGO_PENDING_LINES 2000
/* Characters in one word, and in a procedure or variable name. */
#define LOGO_WORD_MAX 1024
#define LOGO_NAME_MAX 64
/* Items in one list. */
#define LOGO_LIST_MAX 10000
/* Lists inside lists, as read ([[[...]]]) or made (list :l): printing,
 * comparing and copying them recurse. */
#define LOGO_NEST_MAX 100
/* Inputs of one procedure. */
#define LOGO_PARAMS_MAX 16

/* An error message, and the shortest buffer logo_error_format() fills
 * without cutting. */
#define LOGO_MSG_MAX    256
#define LOGO_FORMAT_MAX (LOGO_MSG_MAX + LOGO_NAME_MAX + 64)

/* UCBLogo's default pen colour (white) and its 16 colours. */
#define LOGO_COLOR_DEFAULT 7
#define LOGO_COLORS        16

struct logo_turtle {
	double x, y;    /* (0, 0) is the centre, +x right, +y up */
	double heading; /* degrees, 0 = north, clockwise, in [0, 360) */
	int pen_down;   /* 1: moves draw */
	int color;      /* 0..15, UCBLogo's palette (logo_color_name) */
};

/* The world's fence: a move that would leave it is an error. */
struct logo_bounds {
	double xmin, xmax, ymin, ymax;
};

struct logo_limits {
	uint64_t steps;
	int depth;
	size_t stack;
	uint32_t time_ms;
	size_t segments;
	size_t text;
	size_t memory;
	int procs;
	int vars;
	size_t workspace;
};

struct logo_config {
	struct logo_limits limits;
	struct logo_bounds bounds; /* default -100..100 both ways */
	/* Milliseconds from any fixed point; NULL: no time limit.  Called
	 * once at the start and every few thousand steps. */
	uint64_t (*now_ms)(void *arg);
	void *clock_arg;
	uint64_t seed; /* for random: the caller varies it per line */
};

enum logo_status {
	LOGO_OK,   /* the line ran: commit the result */
	LOGO_MORE, /* kept in the pending buffer: a definition or a [ is open */
	LOGO_ERROR /* the line failed: res.error says why; nothing to apply */
};

/* Which limit tripped (struct logo_error.limit). */
enum logo_limit {
	LOGO_LIMIT_NONE,
	LOGO_LIMIT_STEPS,
	LOGO_LIMIT_DEPTH,
	LOGO_LIMIT_STACK,
	LOGO_LIMIT_TIME,
	LOGO_LIMIT_SEGMENTS,
	LOGO_LIMIT_TEXT,
	LOGO_LIMIT_MEMORY,
	LOGO_LIMIT_PROCS,
	LOGO_LIMIT_VARS,
	LOGO_LIMIT_WORKSPACE,
	LOGO_LIMIT_LINE,
	LOGO_LIMIT_PENDING,
	LOGO_LIMIT_WORD,
	LOGO_LIMIT_NAME,
	LOGO_LIMIT_LIST,
	LOGO_LIMIT_NEST,
	LOGO_LIMIT_PARAMS
};

/* The kinds of error; logo_error_word() names each for the protocol. */
enum logo_err {
	LOGO_E_NONE,
	LOGO_E_SYNTAX,      /* unexpected ')', too many ('s, unexpected ']' */
	LOGO_E_INPUT,       /* fd doesn't like abc as input */
	LOGO_E_FEW_INPUTS,  /* not enough inputs to sq */
	LOGO_E_MANY_INPUTS, /* too many inputs to fd */
	LOGO_E_UNKNOWN,     /* I don't know how to foo */
	LOGO_E_NO_VALUE,    /* x has no value */
	LOGO_E_NO_OUTPUT,   /* sq didn't output to print */
	LOGO_E_UNUSED,      /* You don't say what to do with 3 */
	LOGO_E_CONTEXT,     /* Can only use stop inside a procedure */
	LOGO_E_DEFINE,      /* fd is already defined, fd is a primitive */
	LOGO_E_BOUNDS,      /* turtle out of bounds */
	LOGO_E_LIMIT,       /* a named limit (struct logo_error.limit) */
	LOGO_E_NOMEM        /* malloc failed */
};

struct logo_error {
	enum logo_err code;
	enum logo_limit limit;        /* with LOGO_E_LIMIT */
	char msg[LOGO_MSG_MAX];       /* UCBLogo's wording where it has one */
	char proc[LOGO_NAME_MAX + 1]; /* the procedure it happened in, or "" */
	int line;   /* 1-based: line of the definition (its to line is 1), or
		       of the input collected for the line; 0 unknown */
	int column; /* 1-based byte column in that line; 0 unknown */
};

struct logo_segment {
	double x0, y0, x1, y1;
	int color;
};

enum logo_change_kind {
	LOGO_CHANGE_DEFINE, /* to NAME ... end: a procedure (re)defined */
	LOGO_CHANGE_ERASE,  /* erase NAME: a procedure gone */
	LOGO_CHANGE_MAKE    /* make "NAME: a global variable set */
};

struct logo_change {
	enum logo_change_kind kind;
	const char *name; /* as typed */
};

struct logo_line; /* private: the line's memory and workspace changes */

struct logo_result {
	enum logo_status status;
	struct logo_turtle turtle; /* the turtle after the line */
	int cleared; /* clean or cs ran: clear the trail, then add segs */
	struct logo_segment *segs; /* drawn, in order (after the last clear) */
	size_t nsegs;
	char *text; /* printed, NUL-terminated, for the sender only (NULL if
		       nothing was); kept up to the error when the line fails */
	size_t text_len;
	const struct logo_change *changes; /* for logo_commit() and events */
	size_t nchanges;
	struct logo_error error; /* with LOGO_ERROR */
	uint64_t steps;          /* steps the line took */
	uint64_t version;        /* of the workspace it was evaluated against */
	struct logo_line *line;
};

struct logo_workspace;
struct logo_pending;

/* line.c */
void logo_config_default(struct logo_config *);
/* (0, 0), heading 0, pen down, LOGO_COLOR_DEFAULT. */
void logo_turtle_home(struct logo_turtle *);
void logo_result_init(struct logo_result *);
/* Frees what the result holds; it may be used again afterwards.  The
 * caller may take segs or text first (and set the field to NULL). */
void logo_result_free(struct logo_result *);
/*
 * Evaluates one input line (without its newline) against the workspace
 * and the turtle, using the user's pending buffer for input that spans
 * lines.  Fills res (freeing what it held) and returns its status.
 * Neither ws nor turtle changes; pending does (it is the user's).
 */
enum logo_status logo_eval_line(const struct logo_workspace *ws,
    const struct logo_turtle *turtle, struct logo_pending *pending,
    const char *line, size_t len, const struct logo_config *cfg,
    struct logo_result *res);
/*
 * Applies a LOGO_OK result's definitions, erasures and global variables
 * to the workspace, without copying (the result gives them up).  0, or
 * -1 with the workspace unchanged: the workspace changed since the line
 * was evaluated (evaluate it again), the result is not LOGO_OK, or
 * memory ran out.  The turtle, trail and text are the caller's to apply.
 */
int logo_commit(struct logo_workspace *ws, struct logo_result *res);

/* workspace.c */
struct logo_workspace *logo_workspace_new(void); /* NULL: no memory */
void logo_workspace_free(struct logo_workspace *);
/* Goes up by one at every commit that changes the workspace. */
uint64_t logo_workspace_version(const struct logo_workspace *);
size_t logo_workspace_procs(const struct logo_workspace *);
size_t logo_workspace_vars(const struct logo_workspace *);
size_t logo_workspace_bytes(const struct logo_workspace *);
/*
 * Calls fn for every procedure, in name order: its name as typed and its
 * definition as typed (to line, body, end; lines ending in '\n').  Stops
 * early when fn returns non-zero, and returns that.
 */
int logo_workspace_each_proc(const struct logo_workspace *,
    int (*fn)(const char *name, const char *text, void *arg), void *arg);
/* Every global variable, in name order, with its value as show prints
 * it; fn's return as above.  Values the caller has no room for are cut. */
int logo_workspace_each_var(const struct logo_workspace *,
    int (*fn)(const char *name, const char *value, void *arg), void *arg);

/* read.c */
enum logo_pending_state {
	LOGO_PENDING_NONE,   /* nothing kept: the next line stands alone */
	LOGO_PENDING_DEFINE, /* inside to ... end (UCBLogo prompts ">") */
	LOGO_PENDING_LIST    /* a [ is open (UCBLogo prompts "~") */
};
struct logo_pending *logo_pending_new(void); /* NULL: no memory */
void logo_pending_free(struct logo_pending *);
enum logo_pending_state logo_pending_state(const struct logo_pending *);
/* Drops what is kept (a half-typed definition). */
void logo_pending_reset(struct logo_pending *);
/* Makes dst what src is (to evaluate a line again from the same point).
 * 0, or -1 with dst reset (no memory). */
int logo_pending_copy(struct logo_pending *dst, const struct logo_pending *src);

/* error.c */
/* One word per kind for the protocol: "input", "bounds", "limit"... */
const char *logo_error_word(enum logo_err);
/* The limit's name: "steps", "depth", "time"... ("" for none). */
const char *logo_limit_name(enum logo_limit);
/* The message with where it happened: "fd doesn't like abc as input (in
 * sq, line 2, column 3)".  Returns what snprintf would. */
int logo_error_format(const struct logo_error *, char *buf, size_t len);

/* turtle.c */
/* UCBLogo's names for colours 0..15 ("black", "blue", ... "grey"). */
const char *logo_color_name(int color);
/* A name (any case, "gray" too) to 0..15, or -1. */
int logo_color_from_name(const char *name);

#endif
