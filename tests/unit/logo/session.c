/*
 * session.c - see session.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "session.h"

void
session_open(struct session *s)
{
	memset(s, 0, sizeof *s);
	s->ws = logo_workspace_new();
	s->pending = logo_pending_new();
	assert_non_null(s->ws);
	assert_non_null(s->pending);
	logo_turtle_home(&s->turtle);
	logo_config_default(&s->cfg);
	logo_result_init(&s->res);
}

void
session_close(struct session *s)
{
	logo_result_free(&s->res);
	logo_pending_free(s->pending);
	logo_workspace_free(s->ws);
}

int
session_setup(void **state)
{
	struct session *s = calloc(1, sizeof *s);

	if (s == NULL)
		return -1;
	session_open(s);
	*state = s;
	return 0;
}

int
session_teardown(void **state)
{
	session_close(*state);
	free(*state);
	return 0;
}

enum logo_status
session_line(struct session *s, const char *line)
{
	enum logo_status st;
	size_t n;

	st = logo_eval_line(s->ws, &s->turtle, s->pending, line, strlen(line),
	    &s->cfg, &s->res);
	assert_int_equal(st, s->res.status);
	n = s->res.text_len < sizeof s->text - 1 ? s->res.text_len
						 : sizeof s->text - 1;
	if (n > 0)
		memcpy(s->text, s->res.text, n);
	s->text[n] = '\0';
	if (st == LOGO_OK) {
		assert_int_equal(logo_commit(s->ws, &s->res), 0);
		s->turtle = s->res.turtle;
		if (s->res.cleared)
			s->trail = 0;
		s->trail += (int)s->res.nsegs;
	}
	return st;
}

enum logo_status
session_lines(struct session *s, const char *lines)
{
	char buf[8192];
	enum logo_status st = LOGO_OK;
	char *line, *next;

	snprintf(buf, sizeof buf, "%s", lines);
	for (line = buf; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((st = session_line(s, line)) == LOGO_ERROR)
			break;
	}
	return st;
}

const char *
session_error(const struct session *s)
{
	return s->res.status == LOGO_ERROR ? s->res.error.msg : "";
}

const char *
session_print(struct session *s, const char *expr)
{
	char line[4096];
	size_t n;

	snprintf(line, sizeof line, "print %s", expr);
	if (session_line(s, line) != LOGO_OK)
		return session_error(s);
	n = strlen(s->text);
	if (n > 0 && s->text[n - 1] == '\n')
		s->text[n - 1] = '\0';
	return s->text;
}
