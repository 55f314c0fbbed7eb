/*
 * statusline.c - the bar above the command line: connection, who I am,
 * where the turtle is, mode and turn, how many are here, the server.
 *
 * Parts go left to right in the order they matter; a narrow pane cuts
 * the least important ones off the end.
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static void statusline_part(char *, size_t, size_t *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
statusline_part(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*used += (size_t)n < len - *used ? (size_t)n : len - *used - 1;
}

/* The connection state in words: "connected", "reconnecting in 3s"... */
void
statusline_state(
    char *buf, size_t len, const struct net *n, const struct model *m)
{
	int secs;

	switch (n->state) {
	case NET_DIALING:
		snprintf(buf, len, "connecting");
		break;
	case NET_UP:
		snprintf(buf, len, "%s",
		    m->synced || (!m->hello_wait && !m->in_snap)
			? "connected"
			: "connecting");
		break;
	case NET_WAIT:
		secs = net_retry_in(n);
		if (secs > 0)
			snprintf(buf, len, "reconnecting in %ds", secs);
		else
			snprintf(buf, len, "reconnecting");
		break;
	case NET_GONE:
	case NET_DOWN:
	default:
		snprintf(buf, len, "disconnected");
		break;
	}
}

void
statusline_draw(const struct layout_rect *r, const struct statusline_info *si,
    const struct draw_style *st)
{
	const struct model *m = si->model;
	const struct world *w = &m->world;
	char buf[1024], state[64], name[PROTO_NAME_MAX * 4 + 1];
	char turn[PROTO_NAME_MAX * 4 + 1];
	const char *tn;
	size_t used = 0;
	unsigned long sattr;
	int col;

	if (r->w <= 0)
		return;
	statusline_state(state, sizeof state, si->net, m);
	if (si->net->state == NET_UP && m->synced)
		sattr = draw_color(st, PROTO_COLOR_GREEN);
	else if (si->net->state == NET_GONE)
		sattr = draw_color(st, PROTO_COLOR_RED);
	else
		sattr = draw_color(st, PROTO_COLOR_YELLOW);
	draw_fill(r->y, r->x, r->w, A_REVERSE);
	col = draw_str(r->y, r->x, r->w, " ", A_REVERSE);
	col += draw_str(
	    r->y, r->x + col, r->w - col, state, A_REVERSE | A_BOLD | sattr);

	proto_text_escape(name, sizeof name, m->my_name, strlen(m->my_name));
	if (m->my_cid != 0)
		statusline_part(
		    buf, sizeof buf, &used, " | %s (cid %d)", name, m->my_cid);
	if (m->have_world)
		statusline_part(buf, sizeof buf, &used, " | <%ld:%ld> %s %s",
		    (long)w->x, (long)w->y, w->pen_down ? "pen down" : "pen up",
		    proto_color_name(w->color));
	if (m->turns_mode) {
		tn = model_client_name(m, m->turn_cid);
		proto_text_escape(
		    turn, sizeof turn, tn ? tn : "", tn ? strlen(tn) : 0);
		if (m->turn_cid == 0)
			statusline_part(
			    buf, sizeof buf, &used, " | turns: nobody");
		else if (m->turn_cid == m->my_cid)
			statusline_part(
			    buf, sizeof buf, &used, " | turns: YOUR TURN");
		else
			statusline_part(
			    buf, sizeof buf, &used, " | turns: %s", turn);
	} else if (m->have_world)
		statusline_part(buf, sizeof buf, &used, " | free");
	if (m->have_world)
		statusline_part(buf, sizeof buf, &used, " | %zu client%s",
		    m->nclients, m->nclients == 1 ? "" : "s");
	if (si->pasting > 0)
		statusline_part(
		    buf, sizeof buf, &used, " | pasting %zu", si->pasting);
	if (!si->follow)
		statusline_part(buf, sizeof buf, &used, " | panned (F2)");
	statusline_part(buf, sizeof buf, &used, " | %s", si->addr);
	draw_text(r->y, r->x + col, r->w - col, buf, used, A_REVERSE);
}
