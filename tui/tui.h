/*
 * tui.h - the turtle client's internal interfaces.
 *
 * Two halves meet here: the command-line side (main.c, connect.c, logfmt.c,
 * headless.c, ping.c) and the interactive side (ui.c and the views).  Each
 * file's declarations sit under its banner.
 */
#ifndef TURTLENET_TUI_H
#define TURTLENET_TUI_H

#include <stddef.h>
#include <sys/un.h>
#include <time.h>

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
	int ascii;    /* ASCII glyphs even in a UTF-8 locale */
	int no_color; /* monochrome (also set by NO_COLOR) */
	int verbose;
	const char *turtled; /* the turtled to start: next to us, else PATH */
	const char *history; /* readline history file, NULL for none */
};

/* connect.c */
/* The default socket path, the same rule as turtled's. 0, or -1 with cause. */
int connect_default_path(char *buf, size_t len, char **cause);
/* Parses "HOST:PORT" or "[V6]:PORT" into addr. 0, or -1 with cause. */
int connect_parse_tcp(struct tui_addr *, const char *hostport, char **cause);
/* A connected, blocking stream socket, or -1 with cause ("connecting to
 * PATH: Connection refused"). */
int connect_open(const struct tui_addr *, char **cause);
/* connect_open(), starting turtled on addr->path first when nothing answers
 * there (AF_UNIX only; waits, bounded, until it accepts). */
int connect_open_or_start(
    const struct tui_addr *, const char *turtled, char **cause);
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

/* ui.c */
/* The interactive client: runs until the user quits.  Exit status. */
int ui_main(const struct tui_opts *);

#endif
