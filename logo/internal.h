/*
 * internal.h - what the files of logo/ share and nobody else sees.
 *
 * The stages, in the order a line goes through them: lex.c (a word's text
 * into tokens), read.c (text into instruction lists, definitions), eval.c
 * (running tokens, calls, frames) with vars.c (variables) and prim.c,
 * math.c, turtle.c (the primitives), and line.c (one input line, from the
 * pending buffer to the result).  value.c and arena.c are the values and
 * their memory; workspace.c the shared procedures and globals; error.c
 * the messages.
 */
#ifndef TURTLENET_LOGO_INTERNAL_H
#define TURTLENET_LOGO_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "logo.h"

/* Run results that unwind: an error, stop, or output (with ev->outval). */
enum run { R_OK, R_ERR, R_STOP, R_OUTPUT };

/* arena.c */
/*
 * Bump memory in chunks, freed all at once.  A line's scratch values live
 * in one; each procedure and each global variable of the workspace in one
 * of its own, so that replacing one frees it whole.
 */
struct arena_chunk;
enum arena_fail {
	ARENA_OK,
	ARENA_LIMIT, /* the arena's limit */
	ARENA_NOMEM  /* malloc */
};
struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes asked for, with chunk headers */
	size_t limit; /* 0: none */
	enum arena_fail failed;
};
void arena_init(struct arena *, size_t limit);
void arena_free(struct arena *);
/* Aligned for any type; NULL with a->failed set. */
void *arena_alloc(struct arena *, size_t);

/* value.c */
enum lv_type {
	LV_NONE, /* nothing: what a command gives */
	LV_NUM,
	LV_WORD,
	LV_LIST
};
struct lword;
struct llist;
struct lv {
	enum lv_type type;
	union {
		double num;
		const struct lword *w;
		struct llist *l;
	} u;
};
struct lword {
	uint32_t len;
	uint32_t hash; /* of the text folded to lower case */
	int isnum;     /* the text reads as a number: num */
	double num;
	char s[]; /* NUL-terminated */
};
struct ltok;
struct llist {
	uint32_t n;
	uint32_t ncode;
	/* The parentheses of the code do not pair: the token at index
	 * parens - 1 is a ) with no (, or a ( never closed.  0: they pair. */
	uint32_t parens;
	/* Lists inside lists, this one included: at most LOGO_NEST_MAX, so
	 * that printing, comparing and copying may recurse. */
	uint32_t depth;
	/* The items read as code (lex.c); NULL until then.  Lists of the
	 * reader and of the workspace always have it, so only a line's own
	 * lists are ever compiled, into the line's arena. */
	const struct ltok *code;
	struct lv v[];
};
/* A growing string with a limit (the printed text, messages). */
struct sbuf {
	char *s;
	size_t len, cap, limit;
	int failed; /* 1: the limit; 2: malloc */
};

uint32_t value_hash(const char *, size_t);
/* Case-insensitive (ASCII) equality of two names. */
int value_name_eq(const char *, size_t, const char *, size_t);
/* The UCBLogo number syntax ("-1.5e3", ".5", "7."): 1 and *out, or 0. */
int value_parse_number(const char *, size_t, double *out);
/* %.15g with '.', "-0" as "0"; buf of at least 32 bytes.  Length. */
size_t value_format_number(double, char *buf, size_t len);
const struct lword *value_word(struct arena *, const char *, size_t);
struct llist *value_list(struct arena *, uint32_t n);
struct lv value_num(double);
struct lv value_of_word(const struct lword *);
struct lv value_of_list(struct llist *);
/* A number, or a word that reads as one. */
int value_to_number(const struct lv *, double *);
/* UCBLogo's equalp: numbers by value, words ignoring case, lists item by
 * item.  1 or 0; -1 when more than *budget pairs would be compared. */
int value_equal(const struct lv *, const struct lv *, uint64_t *budget);
/* true/false words: 1, 0; -1 otherwise. */
int value_truth(const struct lv *);
/* print's form (show: 1, lists keep their outer brackets). */
void value_append(struct sbuf *, const struct lv *, int show);
/* A copy in another arena (lists compiled again); 0 or -1 (a->failed). */
int value_copy(struct arena *, const struct lv *, struct lv *out);
void sbuf_init(struct sbuf *, size_t limit);
void sbuf_free(struct sbuf *);
void sbuf_add(struct sbuf *, const char *, size_t);
void sbuf_addc(struct sbuf *, char);
void sbuf_addf(struct sbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* lex.c */
enum tok {
	T_NUM,
	T_QUOTED, /* "word: u.w the word without its quote */
	T_VAR,    /* :name: u.w the name */
	T_NAME,   /* a procedure: u.w; prim the primitive's index + 1 */
	T_LIST,   /* [...]: u.l */
	T_LPAREN,
	T_RPAREN,
	T_NEG, /* unary minus */
	T_ADD,
	T_SUB,
	T_MUL,
	T_DIV,
	T_EQ,
	T_LT,
	T_GT,
	T_LE,
	T_GE,
	T_NE
};
struct ltok {
	uint8_t kind; /* enum tok */
	uint16_t prim;
	uint16_t line, col; /* where it was read; 0: unknown */
	union {
		double num;
		const struct lword *w;
		struct llist *l;
	} u;
};
/* Where a list's items were read (the reader knows; copies do not). */
struct lpos {
	uint16_t line, col;
};
int lex_is_binop(int kind);
/*
 * Compiles l's items into its code, in arena a: each word split into
 * tokens the way UCBLogo reads a running line.  pos: one per item, or
 * NULL.  0, or -1 (a->failed).
 */
int lex_compile(struct arena *a, struct llist *l, const struct lpos *pos);

/* read.c */
struct proc {
	const struct lword *name; /* as typed */
	int nparams;
	const struct lword **params;
	int nlines;
	struct llist **lines; /* the body's instruction lines */
	const char *title;    /* "to sq :n", as typed */
	const char *text;     /* the whole definition, for each_proc */
	struct arena arena;   /* holds all of it */
	struct proc *next;    /* workspace.c's chain */
};
/* One title line "to NAME :a :b": 0, or -1 with err set. */
int read_title(
    const char *, size_t, struct arena *, struct proc *, struct logo_error *);
/*
 * Reads text (lines split by '\n', first numbered first_line) into
 * instruction lines in arena a: *out, *nout.  0, or -1 with err set.
 */
int read_lines(struct arena *a, const char *, size_t, int first_line,
    struct llist ***out, int *nout, struct logo_error *);
/* Bracket depth at the end of text, ignoring comments; -1: a stray ]. */
int read_depth(const char *, size_t);
/* The pending buffer (struct logo_pending). */
struct logo_pending {
	enum logo_pending_state state;
	struct sbuf text; /* the lines so far, each ending in '\n' */
	int lines;
};

/* error.c */
void error_set(struct logo_error *, enum logo_err, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void error_limit(struct logo_error *, enum logo_limit, unsigned long long);
void error_nomem(struct logo_error *);
/* For an arena that failed: its limit (as limit) or no memory. */
void error_arena(
    struct logo_error *, const struct arena *, enum logo_limit limit);

/* workspace.c */
struct gvar {
	const struct lword *name;
	struct lv val;
	struct arena arena;
	struct gvar *next;
};
struct logo_workspace {
	struct proc **procs; /* buckets */
	size_t nprocs, proc_cap;
	struct gvar **vars;
	size_t nvars, var_cap;
	size_t bytes;
	uint64_t version;
};
const struct proc *ws_proc(
    const struct logo_workspace *, const char *, size_t, uint32_t);
const struct gvar *ws_var(
    const struct logo_workspace *, const char *, size_t, uint32_t);
/* Every procedure, sorted by name: an array in a, *n.  NULL on failure. */
const struct proc **ws_sorted_procs(
    const struct logo_workspace *, struct arena *, size_t *n);
void proc_free(struct proc *);
void gvar_free(struct gvar *);
size_t ws_proc_bytes(const struct proc *);
size_t ws_gvar_bytes(const struct gvar *);
/* Makes room for n more of each; 0 or -1. */
int ws_reserve(struct logo_workspace *, size_t nprocs, size_t nvars);
/* Replaces or adds (ws_reserve first); the workspace owns it. */
void ws_put_proc(struct logo_workspace *, struct proc *);
void ws_put_var(struct logo_workspace *, struct gvar *);
void ws_erase_proc(struct logo_workspace *, const char *, size_t, uint32_t);

/* vars.c */
/* A name's current value in one line (shallow binding): locals are
 * saved and put back; a global is read from the workspace once. */
enum sym_state {
	SYM_UNLOADED, /* the workspace's global, not read yet */
	SYM_UNBOUND,  /* no value */
	SYM_BOUND
};
struct sym {
	const struct lword *name;
	enum sym_state state;
	int dirty;       /* a global set by this line */
	uint32_t nlocal; /* local bindings alive */
	struct lv val;
};
struct save {
	uint32_t sym;
	enum sym_state state;
	struct lv val;
};
struct vars {
	struct sym *syms;
	uint32_t *slots; /* open addressing: index + 1 into syms */
	uint32_t nsyms, cap_syms, nslots;
	struct save *saves;
	size_t nsaves, cap_saves;
	uint32_t *dirty; /* globals set, in order */
	uint32_t ndirty, cap_dirty;
};
struct ev;
void vars_init(struct vars *);
void vars_free(struct vars *);
/* The name's symbol, made on first use: index, or -1 (no memory). */
long vars_intern(struct ev *, const struct lword *);
/* The value, or NULL when the name has none. */
const struct lv *vars_get(struct ev *, uint32_t);
/* make: the innermost binding, else the global.  0 or -1. */
int vars_set(struct ev *, uint32_t, const struct lv *);
/* A new binding in the running procedure (unbound if v is NULL). */
int vars_bind(struct ev *, uint32_t, const struct lv *);
/* Puts back every binding made since mark (nsaves then). */
void vars_unwind(struct ev *, size_t mark);

/* eval.c */
struct frame {
	const struct proc *proc;
	size_t mark; /* vars.nsaves at the call */
	struct frame *up;
};
/* One line's evaluation: everything it needs, passed down. */
struct ev {
	const struct logo_workspace *ws;
	const struct logo_config *cfg;
	struct arena *arena;
	struct logo_error *err;
	struct logo_turtle turtle;
	struct logo_segment *segs;
	size_t nsegs, cap_segs;
	int cleared;
	struct sbuf out;
	struct vars vars;
	struct frame *frame;
	int depth;  /* procedure calls alive */
	int parens; /* ( open in the instruction being run */
	double rep; /* repcount; -1 outside repeat */
	uint64_t steps;
	uint64_t t0;
	uintptr_t stack_base; /* where the line started, for the stack limit */
	uint64_t rng;
	struct lv outval;         /* what output gave */
	const struct ltok *at;    /* the token being run, for errors */
	const char *nothing_from; /* who gave nothing, for didn't output */
	const struct lword *w_true, *w_false;
	const struct lword **erased; /* procedures erased by this line */
	size_t nerased, cap_erased;
};
/* Runs one instruction line; a value left over is an error. */
enum run eval_line_code(struct ev *, struct llist *);
/* Runs a list (compiling it first if it is the line's own): *out gets
 * the last instruction's value, or LV_NONE; out NULL: none wanted. */
enum run eval_list(struct ev *, struct llist *, struct lv *out);
/* One step: counts it and checks the step and time limits. */
enum run eval_step(struct ev *);
/* A procedure as this line sees it (erasures applied), or NULL. */
const struct proc *eval_proc(struct ev *, const struct lword *);
/* An error at the token being run, in the procedure running. */
enum run eval_error(struct ev *, enum logo_err, const char *, ...)
    __attribute__((format(printf, 3, 4)));
enum run eval_limit(struct ev *, enum logo_limit, unsigned long long);
/* "NAME doesn't like VALUE as input". */
enum run eval_bad_input(struct ev *, const char *, const struct lv *);
enum run eval_arena_error(struct ev *);

/* prim.c */
typedef enum run (*prim_fn)(
    struct ev *, const char *name, struct lv *args, int argc, struct lv *out);
struct prim {
	const char *name;
	int min, dflt, max; /* inputs: at least, usually, at most (-1 any) */
	prim_fn fn;
};
/* The primitive called name (any case): its index + 1, or 0. */
int prim_lookup(const char *, size_t);
const struct prim *prim_get(int index1);
/* Appends a line to the printed text, checking its limit. */
enum run prim_print_text(struct ev *, const char *, size_t);

/* math.c */
/* An infix operator (T_ADD..T_NE) on two values. */
enum run math_infix(
    struct ev *, int op, const struct lv *, const struct lv *, struct lv *);
/* Degrees in, exact at multiples of 30 where sine or cosine is exact. */
void math_sincos(double deg, double *s, double *c);
/* An input that must be a number: 0, or an error naming the primitive. */
enum run math_arg(struct ev *, const char *, const struct lv *, double *);
extern const struct prim math_prims[];
extern const size_t math_nprims;

/* turtle.c */
extern const struct prim turtle_prims[];
extern const size_t turtle_nprims;
double turtle_normalize(double heading);

/* control.c */
extern const struct prim control_prims[];
extern const size_t control_nprims;

#endif
