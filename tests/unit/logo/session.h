/*
 * session.h - a user typing into the Logo core, as turtled will run it:
 * a workspace, a turtle, a pending buffer; each line evaluated and, when
 * it succeeds, committed.  For the unit tests.
 */
#ifndef TURTLENET_TEST_LOGO_SESSION_H
#define TURTLENET_TEST_LOGO_SESSION_H

#include "logo.h"

struct session {
	struct logo_workspace *ws;
	struct logo_pending *pending;
	struct logo_turtle turtle;
	struct logo_config cfg;
	struct logo_result res;
	int trail;        /* segments committed since the last clear */
	char text[65536]; /* what the last line printed */
};

void session_open(struct session *);
void session_close(struct session *);
/* cmocka setup and teardown: a session opened in *state, then closed. */
int session_setup(void **state);
int session_teardown(void **state);
/* Evaluates one line; commits it when it succeeds.  Its status. */
enum logo_status session_line(struct session *, const char *);
/* Several lines separated by '\n'; stops at the first error.  Status of
 * the last one run. */
enum logo_status session_lines(struct session *, const char *);
/* The message of the last line's error ("" if none). */
const char *session_error(const struct session *);
/* Runs "print EXPR" and returns what it printed, without the newline. */
const char *session_print(struct session *, const char *expr);

#endif
