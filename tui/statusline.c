/*
 * statusline.c - the bar above the command line: connection, who I am,
 * where the turtle is, mode and turn, how many are here, the server.
 *
 * Parts go left to right in a fixed order, but a narrow pane keeps them by
 * importance: a part that does not fit whole is left out, never cut, so
 * the turtle's position outlasts the server's address.  What only a live
 * connection knows (my cid, the mode and turn, the client count) is not
 * shown while there is none.
 */
#include "tui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define STATUSLINE_PARTS 12

/* One part of the bar: its text, its rank (0 first) and the part it
 * follows and is shown only with (-1: none). */
struct statusline_part {
	char text[512];
	int rank;
	int after;
};

static int statusline_add(struct statusline_part *, int *, int, int,
    const char *, ...) __attribute__((format(printf, 5, 6)));

/* Adds a part; returns its index. */
static int
statusline_add(struct statusline_part *p, int *n, int rank, int after,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p[*n].text, sizeof p[*n].text, fmt, ap);
	va_end(ap);
	p[*n].rank = rank;
	p[*n].after = after;
	return (*n)++;
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

/*
 * The bar after the state word, for cols columns: the parts that fit,
 * taken by rank, shown in order.  Returns its length in bytes.
 */
size_t
statusline_compose(
    char *buf, size_t len, int cols, const struct statusline_info *si)
{
	struct statusline_part p[STATUSLINE_PARTS];
	const struct model *m = si->model;
	const struct world *w = &m->world;
	char name[PROTO_NAME_MAX * 4 + 1], turn[PROTO_NAME_MAX * 4 + 1];
	char x[PROTO_DECIMAL_LEN], y[PROTO_DECIMAL_LEN];
	int take[STATUSLINE_PARTS], n = 0, i, rank, used = 0, width;
	int pos = -1, me, live = si->net->state == NET_UP && m->synced;
	size_t off = 0, tl;
	const char *tn;

	proto_text_escape(name, sizeof name, m->my_name, strlen(m->my_name));
	if (name[0] != '\0') {
		me = statusline_add(p, &n, 1, -1, " | %s", name);
		if (live && m->my_cid != 0)
			statusline_add(p, &n, 6, me, " (cid %d)", m->my_cid);
	}
	if (m->have_world) {
		proto_decimal_format(x, sizeof x, w->x, 1);
		proto_decimal_format(y, sizeof y, w->y, 1);
		pos = statusline_add(p, &n, 0, -1, " | <%s:%s>", x, y);
	}
	if (pos != -1)
		statusline_add(p, &n, 5, pos, " %s %s",
		    w->pen_down ? "pen down" : "pen up",
		    proto_color_name(w->color));
	if (live && m->turns_mode) {
		tn = model_client_name(m, m->turn_cid);
		proto_text_escape(
		    turn, sizeof turn, tn ? tn : "", tn ? strlen(tn) : 0);
		if (m->turn_cid == 0)
			statusline_add(p, &n, 3, -1, " | turns: nobody");
		else if (m->turn_cid == m->my_cid)
			statusline_add(p, &n, 3, -1, " | turns: YOUR TURN");
		else
			statusline_add(p, &n, 3, -1, " | turns: %s", turn);
	} else if (live)
		statusline_add(p, &n, 7, -1, " | free");
	if (live)
		statusline_add(p, &n, 8, -1, " | %zu client%s", m->nclients,
		    m->nclients == 1 ? "" : "s");
	if (si->pasting > 0)
		statusline_add(p, &n, 2, -1, " | pasting %zu", si->pasting);
	if (!si->follow)
		statusline_add(p, &n, 4, -1, " | panned (F2)");
	/* The grid's look, where it is not the default. */
	if (si->zoom >= 2)
		statusline_add(p, &n, 4, -1, " | zoom %d", si->zoom);
	else if (si->zoom <= -2)
		statusline_add(p, &n, 4, -1, " | zoom 1/%d", -si->zoom);
	if (si->mine)
		statusline_add(p, &n, 4, -1, " | mine (F6)");
	statusline_add(p, &n, 9, -1, " | %s", si->addr);

	memset(take, 0, sizeof take);
	for (rank = 0; rank < STATUSLINE_PARTS; rank++) {
		for (i = 0; i < n; i++) {
			if (p[i].rank != rank ||
			    (p[i].after != -1 && !take[p[i].after]))
				continue;
			width = draw_width(p[i].text, strlen(p[i].text));
			if (used + width <= cols) {
				take[i] = 1;
				used += width;
			}
		}
	}
	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		tl = strlen(p[i].text);
		if (!take[i] || off + tl >= len)
			continue;
		memcpy(buf + off, p[i].text, tl + 1);
		off += tl;
	}
	return off;
}

void
statusline_draw(const struct layout_rect *r, const struct statusline_info *si,
    const struct draw_style *st)
{
	const struct model *m = si->model;
	char buf[1024], state[64];
	size_t used;
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
	used = statusline_compose(buf, sizeof buf, r->w - col, si);
	draw_text(r->y, r->x + col, r->w - col, buf, used, A_REVERSE);
}
