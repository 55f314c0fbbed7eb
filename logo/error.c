/*
 * error.c - error messages: UCBLogo's wording where it has one, a new
 * sentence naming the limit where it has none, and where it happened.
 *
 * UCBLogo prints "I don't know how  to foo" with two spaces (its template
 * leaves room for a word that is empty here).  We print one: the message
 * is read by people, and the double space looks like a typo.  The golden
 * tests compare messages with runs of blanks taken as one.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct limit_text {
	const char *name;
	const char *fmt; /* %llu: the limit */
};

static const char *const error_words[] = {
    [LOGO_E_NONE] = "none",
    [LOGO_E_SYNTAX] = "syntax",
    [LOGO_E_INPUT] = "input",
    [LOGO_E_FEW_INPUTS] = "few-inputs",
    [LOGO_E_MANY_INPUTS] = "many-inputs",
    [LOGO_E_UNKNOWN] = "unknown",
    [LOGO_E_NO_VALUE] = "no-value",
    [LOGO_E_NO_OUTPUT] = "no-output",
    [LOGO_E_UNUSED] = "unused",
    [LOGO_E_CONTEXT] = "context",
    [LOGO_E_DEFINE] = "define",
    [LOGO_E_BOUNDS] = "bounds",
    [LOGO_E_LIMIT] = "limit",
    [LOGO_E_NOMEM] = "no-memory",
};

static const struct limit_text limit_texts[] = {
    [LOGO_LIMIT_NONE] = {"", ""},
    [LOGO_LIMIT_STEPS] = {"steps", "too many steps (limit %llu) in this line"},
    [LOGO_LIMIT_DEPTH] = {"depth",
	"recursion too deep (limit %llu procedure calls)"},
    [LOGO_LIMIT_STACK] = {"stack",
	"recursion too deep (limit %llu bytes of stack)"},
    [LOGO_LIMIT_TIME] = {"time", "too much time (limit %llu ms) in this line"},
    [LOGO_LIMIT_SEGMENTS] = {"segments",
	"too many segments drawn (limit %llu) in this line"},
    [LOGO_LIMIT_TEXT] = {"text",
	"too much printed (limit %llu bytes) in this line"},
    [LOGO_LIMIT_MEMORY] = {"memory",
	"too much memory (limit %llu bytes) in this line"},
    [LOGO_LIMIT_PROCS] = {"procs",
	"too many procedures (limit %llu) in the workspace"},
    [LOGO_LIMIT_VARS] = {"vars",
	"too many variables (limit %llu) in the workspace"},
    [LOGO_LIMIT_WORKSPACE] = {"workspace",
	"workspace too big (limit %llu bytes)"},
    [LOGO_LIMIT_LINE] = {"line", "line too long (limit %llu bytes)"},
    [LOGO_LIMIT_PENDING] = {"pending",
	"definition too long (limit %llu bytes or lines)"},
    [LOGO_LIMIT_WORD] = {"word", "word too long (limit %llu characters)"},
    [LOGO_LIMIT_NAME] = {"name", "name too long (limit %llu characters)"},
    [LOGO_LIMIT_LIST] = {"list", "list too long (limit %llu items)"},
    [LOGO_LIMIT_NEST] = {"nest", "lists nested too deep (limit %llu)"},
    [LOGO_LIMIT_PARAMS] = {"params", "too many inputs in a title (limit %llu)"},
};

const char *
logo_error_word(enum logo_err code)
{
	if ((unsigned)code >= sizeof error_words / sizeof error_words[0])
		return "none";
	return error_words[code];
}

const char *
logo_limit_name(enum logo_limit limit)
{
	if ((unsigned)limit >= sizeof limit_texts / sizeof limit_texts[0])
		return "";
	return limit_texts[limit].name;
}

int
logo_error_format(const struct logo_error *e, char *buf, size_t len)
{
	char where[LOGO_NAME_MAX + 64];
	size_t n = 0;

	where[0] = '\0';
	if (e->proc[0] != '\0')
		n += (size_t)snprintf(where, sizeof where, "in %s", e->proc);
	/* A lone line is line 1: only a longer text needs saying which. */
	if (e->line > 0 && (e->proc[0] != '\0' || e->line > 1) &&
	    n < sizeof where)
		n += (size_t)snprintf(where + n, sizeof where - n, "%sline %d",
		    n > 0 ? ", " : "", e->line);
	if (e->column > 0 && n < sizeof where)
		n += (size_t)snprintf(where + n, sizeof where - n,
		    "%scolumn %d", n > 0 ? ", " : "", e->column);
	if (where[0] == '\0')
		return snprintf(buf, len, "%s", e->msg);
	return snprintf(buf, len, "%s (%s)", e->msg, where);
}

void
error_set(struct logo_error *e, enum logo_err code, const char *fmt, ...)
{
	va_list ap;

	memset(e, 0, sizeof *e);
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

void
error_limit(struct logo_error *e, enum logo_limit limit, unsigned long long n)
{
	memset(e, 0, sizeof *e);
	e->code = LOGO_E_LIMIT;
	e->limit = limit;
	if ((unsigned)limit >= sizeof limit_texts / sizeof limit_texts[0])
		limit = LOGO_LIMIT_NONE;
		/* The formats are the table's own, each with one %llu. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(e->msg, sizeof e->msg, limit_texts[limit].fmt, n);
#pragma GCC diagnostic pop
}

void
error_nomem(struct logo_error *e)
{
	error_set(e, LOGO_E_NOMEM, "out of memory");
}

void
error_arena(struct logo_error *e, const struct arena *a, enum logo_limit limit)
{
	if (a->failed == ARENA_LIMIT)
		error_limit(e, limit, a->limit);
	else
		error_nomem(e);
}
