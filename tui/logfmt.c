/*
 * logfmt.c - events as sentences for the log pane and --watch.
 *
 * Names and texts come from other users over the network: each one goes
 * through proto_text_show() on its way into a sentence, so a control
 * byte or an escape sequence shows as \xNN instead of acting on the
 * terminal (and a backslash as typed, unless it would pass for one).
 */
#include "tui.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* A name or reason escaped: every byte may become four. */
#define LOGFMT_NAME_MAX (PROTO_NAME_MAX * 4 + 1)
#define LOGFMT_TEXT_MAX (PROTO_TEXT_MAX * 4 + 1)

static void logfmt_escape(char *, size_t, const char *, size_t);
static size_t logfmt_done(char *, size_t, int);

/* max bounds the read: the event's arrays are terminated, but trust less. */
static void
logfmt_escape(char *out, size_t len, const char *s, size_t max)
{
	proto_text_show(out, len, s, strnlen(s, max));
}

/*
 * snprintf's result as a length that never passes the end of out; a cut
 * in the middle of a UTF-8 character drops the partial character.
 */
static size_t
logfmt_done(char *out, size_t len, int n)
{
	size_t end, lead, need;
	unsigned char c;

	if (n < 0) {
		out[0] = '\0';
		return 0;
	}
	if ((size_t)n < len)
		return (size_t)n;
	end = strlen(out);
	lead = end;
	while (lead > 0 && end - lead < 4 &&
	       ((unsigned char)out[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return end;
	c = (unsigned char)out[lead - 1];
	if (c < 0xc0)
		return end;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (end - (lead - 1) < need) {
		end = lead - 1;
		out[end] = '\0';
	}
	return end;
}

size_t
logfmt_event(char *out, size_t len, const struct proto_event *ev)
{
	char name[LOGFMT_NAME_MAX], other[LOGFMT_NAME_MAX];
	char text[LOGFMT_TEXT_MAX];
	char x[PROTO_DECIMAL_LEN], y[PROTO_DECIMAL_LEN], h[PROTO_DECIMAL_LEN];
	const char *color;
	int n;

	if (out == NULL || len == 0)
		return 0;
	logfmt_escape(name, sizeof name, ev->name, sizeof ev->name);

	switch (ev->kind) {
	case PROTO_EVT_MOVE:
		proto_decimal_format(x, sizeof x, ev->x, 2);
		proto_decimal_format(y, sizeof y, ev->y, 2);
		n = snprintf(out, len, "%s moved to <%s:%s>%s", name, x, y,
		    ev->pen_down ? "" : " (pen up)");
		break;
	case PROTO_EVT_TURTLE:
		proto_decimal_format(x, sizeof x, ev->x, 2);
		proto_decimal_format(y, sizeof y, ev->y, 2);
		proto_decimal_format(h, sizeof h, ev->heading, 2);
		if (ev->segs > 0)
			n = snprintf(out, len,
			    "%s drew %llu segment%s; the turtle is at <%s:%s> "
			    "heading %s",
			    name, (unsigned long long)ev->segs,
			    ev->segs == 1 ? "" : "s", x, y, h);
		else
			n = snprintf(out, len,
			    "%s%s moved the turtle to <%s:%s> heading %s", name,
			    ev->cleared ? " cleared the trail and" : "", x, y,
			    h);
		break;
	case PROTO_EVT_DEFINE:
		logfmt_escape(text, sizeof text, ev->proc, sizeof ev->proc);
		n = snprintf(out, len, "%s defined %s", name, text);
		break;
	case PROTO_EVT_ERASE:
		logfmt_escape(text, sizeof text, ev->proc, sizeof ev->proc);
		n = snprintf(out, len, "%s erased %s", name, text);
		break;
	case PROTO_EVT_SAY:
		logfmt_escape(text, sizeof text, ev->text, sizeof ev->text);
		n = snprintf(out, len, "%s: %s", name, text);
		break;
	case PROTO_EVT_PEN:
		n = snprintf(out, len, "%s %s the pen", name,
		    ev->pen_down ? "put down" : "lifted");
		break;
	case PROTO_EVT_COLOR:
		color = proto_color_name(ev->color);
		n = snprintf(out, len, "%s switched to %s", name,
		    color != NULL ? color : "an unknown colour");
		break;
	case PROTO_EVT_HOME:
		proto_decimal_format(x, sizeof x, ev->x, 2);
		proto_decimal_format(y, sizeof y, ev->y, 2);
		n = snprintf(
		    out, len, "%s sent the turtle home to <%s:%s>", name, x, y);
		break;
	case PROTO_EVT_CLEAR:
		n = snprintf(out, len, "%s cleared the trail", name);
		break;
	case PROTO_EVT_JOIN:
		n = snprintf(out, len, "%s joined", name);
		break;
	case PROTO_EVT_LEAVE:
		logfmt_escape(text, sizeof text, ev->text, sizeof ev->text);
		if (text[0] == '\0')
			n = snprintf(out, len, "%s left", name);
		else
			n = snprintf(out, len, "%s left (%s)", name, text);
		break;
	case PROTO_EVT_RENAME:
		logfmt_escape(other, sizeof other, ev->old, sizeof ev->old);
		n = snprintf(out, len, "%s is now known as %s", other, name);
		break;
	case PROTO_EVT_TURN:
		if (ev->cid == 0 || name[0] == '\0')
			n = snprintf(out, len, "nobody has the turn");
		else
			n = snprintf(out, len, "%s has the turn", name);
		break;
	case PROTO_EVT_RESYNC:
		n = snprintf(out, len,
		    "too slow: %llu events dropped, view resynced",
		    (unsigned long long)ev->dropped);
		break;
	case PROTO_EVT_SHUTDOWN:
		logfmt_escape(text, sizeof text, ev->text, sizeof ev->text);
		if (text[0] == '\0')
			n = snprintf(out, len, "server shutting down");
		else
			n = snprintf(
			    out, len, "server shutting down (%s)", text);
		break;
	default:
		n = snprintf(out, len, "unknown event");
		break;
	}
	return logfmt_done(out, len, n);
}

void
logfmt_time(char *out, size_t len, time_t t)
{
	struct tm tm;

	if (out == NULL || len == 0)
		return;
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%H:%M:%S", &tm) == 0)
		snprintf(out, len, "--:--:--");
}
