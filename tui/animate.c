/*
 * animate.c - the turtle seen drawing, at the pace its viewer sets.
 *
 * Segments that arrive as events (a Logo line's paths, a run) are in the
 * model's world at once; the screen shows the world as it was some
 * segments ago and catches up at speed N's rate (5 * 2^N segments a
 * second: 10 at speed 1, 640 at the default 7, 5120 at 10; 0 shows them
 * at once, as a snapshot always is).  It never lags more than
 * ANIMATE_LAG_MS of drawing: what would be later than that is shown at
 * once.  Pure: the caller's timer calls animate_step() while
 * animate_pending(), so an idle client has no timer.
 */
#include "tui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ANIMATE_LAG_MS 2000

double
animate_rate(unsigned speed)
{
	if (speed == 0)
		return 0;
	if (speed > ANIMATE_SPEED_MAX)
		speed = ANIMATE_SPEED_MAX;
	return 5.0 * (double)(1u << speed);
}

void
animate_init(struct animate *a, unsigned speed)
{
	memset(a, 0, sizeof *a);
	a->speed = speed;
}

/*
 * After the model took a line: segments added since the last call are
 * hidden to be drawn one by one, unless they came with a snapshot (synced
 * set), which shows as it is.
 */
void
animate_note(
    struct animate *a, const struct world *w, int synced, uint64_t now_ms)
{
	uint64_t added = w->trail_added - a->seen;
	double cap;

	a->seen = w->trail_added;
	if (synced || a->speed == 0) {
		a->hidden = 0;
		return;
	}
	if (a->hidden == 0)
		a->last_ms = now_ms;
	a->hidden += (size_t)added;
	if (a->hidden > w->trail_len)
		a->hidden = w->trail_len;
	/* At most ANIMATE_LAG_MS behind: the rest is shown now. */
	cap = animate_rate(a->speed) * ANIMATE_LAG_MS / 1000;
	if ((double)a->hidden > cap)
		a->hidden = (size_t)cap;
}

int
animate_pending(const struct animate *a)
{
	return a->hidden > 0;
}

/* Shows what the time since the last step allows; 1 if more is left. */
int
animate_step(struct animate *a, uint64_t now_ms)
{
	double n;

	if (a->hidden == 0)
		return 0;
	a->carry +=
	    animate_rate(a->speed) * (double)(now_ms - a->last_ms) / 1000;
	a->last_ms = now_ms;
	n = floor(a->carry);
	a->carry -= n;
	if (n >= (double)a->hidden || a->speed == 0)
		a->hidden = 0;
	else
		a->hidden -= (size_t)n;
	if (a->hidden == 0)
		a->carry = 0;
	return a->hidden > 0;
}

/*
 * The world as shown: the trail without the hidden segments, the turtle
 * at the end of the last one shown, facing along it.  A shallow copy for
 * drawing only (it shares the trail).
 */
void
animate_view(const struct animate *a, const struct world *w, struct world *out)
{
	const struct world_seg *s;
	size_t hidden = a->hidden < w->trail_len ? a->hidden : w->trail_len;
	double dx, dy;

	*out = *w;
	if (hidden == 0)
		return;
	out->trail_len = w->trail_len - hidden;
	if (out->trail_len == 0) {
		s = world_seg_at(w, 0);
		out->x = s->x0;
		out->y = s->y0;
		return;
	}
	s = world_seg_at(w, out->trail_len - 1);
	out->x = s->x1;
	out->y = s->y1;
	dx = (double)s->x1 - s->x0;
	dy = (double)s->y1 - s->y0;
	if (dx != 0 || dy != 0)
		out->heading = fmod(
		    450 - atan2(dy, dx) * 180 / 3.14159265358979323846, 360);
}

/*
 * "speed" or "speed N" typed at the prompt: this client's pace, said in
 * the log.  1 if the line was one, else 0 (it goes to the server).
 */
int
animate_command(struct animate *a, struct model *m, const char *p, size_t len,
    uint64_t now_ms)
{
	char word[16];
	int n = -1;

	if (len < 5 || strncmp(p, "speed", 5) != 0 ||
	    (len > 5 && p[5] != ' ' && p[5] != '\t'))
		return 0;
	if (len == 5) {
		model_log(m, MODEL_LINE_INFO, time(NULL),
		    "speed %u (0: at once, 1 slowest, %d fastest)", a->speed,
		    ANIMATE_SPEED_MAX);
		return 1;
	}
	if (len - 6 < sizeof word) {
		memcpy(word, p + 6, len - 6);
		word[len - 6] = '\0';
		if (sscanf(word, "%d", &n) != 1)
			n = -1;
	}
	if (n < 0 || n > ANIMATE_SPEED_MAX) {
		model_log(m, MODEL_LINE_ERROR, time(NULL),
		    "speed takes 0 (at once) to %d", ANIMATE_SPEED_MAX);
		return 1;
	}
	a->speed = (unsigned)n;
	a->last_ms = now_ms;
	if (n == 0) {
		a->hidden = 0;
		model_log(m, MODEL_LINE_INFO, time(NULL),
		    "speed 0: drawings show at once");
	} else
		model_log(m, MODEL_LINE_INFO, time(NULL),
		    "speed %d: %.0f segments a second", n,
		    animate_rate((unsigned)n));
	return 1;
}
