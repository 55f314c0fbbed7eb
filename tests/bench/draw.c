/*
 * draw.c - bench_draw: how fast a Logo drawing reaches its watchers.
 *
 * N watchers (v1 sessions that read everything) and one or more senders.
 * Without --time: the sender sends --line --reps times (each after
 * --before, unmeasured, e.g. "cs"), one at a time, and each time the
 * figure is from sending the line to the last watcher having read its
 * turtle event (or, if the watcher was resynced, the log line that holds
 * it in the snapshot that follows).  With --time: each sender keeps
 * --window lines in flight for that long, and the figure is line
 * deliveries a second (a line read by a watcher, with all its segments).
 * Prints one line of flat JSON; exits 1 when anything was incorrect (a SEQ
 * gap, a failed line, segs= unlike the paths read, a lost connection).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "logobench.h"

#define DRAW_SETUP_MAX 64

struct draw_opts {
	const char *path;
	int watchers, senders, reps, window;
	double secs;
	const char *setup[DRAW_SETUP_MAX];
	int nsetup;
	const char *before, *line;
};

static void draw_usage(void);
static int draw_parse(struct draw_opts *, int, char **);
static void draw_done(struct lb_session *, struct lb_line *);
static int draw_reps(struct lb_set *, const struct draw_opts *);
static int draw_flow(struct lb_set *, const struct draw_opts *);
static void draw_line(struct lb_session *, const char *, size_t, int64_t);
static double draw_ms(struct bench_lat *, double);

/* The samples of the measured lines (on_done). */
struct draw_samples {
	int measuring;
	uint64_t segs; /* the sender's last turtle event's segs= */
	struct bench_lat last, first, reply;
};

static void
draw_usage(void)
{
	fprintf(stderr,
	    "usage: bench_draw -S PATH [-n WATCHERS] [--senders S]\n"
	    "  [--setup LINE]... [--before LINE] --line LINE\n"
	    "  [--reps K | --time SECS [--window W]]\n");
}

static int
draw_parse(struct draw_opts *o, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"senders", required_argument, NULL, 's'},
	    {"setup", required_argument, NULL, 'u'},
	    {"before", required_argument, NULL, 'b'},
	    {"line", required_argument, NULL, 'l'},
	    {"reps", required_argument, NULL, 'r'},
	    {"time", required_argument, NULL, 't'},
	    {"window", required_argument, NULL, 'w'}, {NULL, 0, NULL, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "S:n:", longs, NULL)) != -1) {
		switch (ch) {
		case 'S':
			o->path = optarg;
			break;
		case 'n':
			o->watchers = atoi(optarg);
			break;
		case 's':
			o->senders = atoi(optarg);
			break;
		case 'u':
			if (o->nsetup == DRAW_SETUP_MAX)
				return -1;
			o->setup[o->nsetup++] = optarg;
			break;
		case 'b':
			o->before = optarg;
			break;
		case 'l':
			o->line = optarg;
			break;
		case 'r':
			o->reps = atoi(optarg);
			break;
		case 't':
			o->secs = atof(optarg);
			break;
		case 'w':
			o->window = atoi(optarg);
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || o->path == NULL || o->line == NULL ||
	    o->watchers < 1 || o->senders < 1 || o->reps < 1 || o->window < 1 ||
	    o->window >= LB_RING)
		return -1;
	return 0;
}

static void
draw_done(struct lb_session *snd, struct lb_line *l)
{
	struct draw_samples *d = snd->set->arg;

	if (!d->measuring)
		return;
	bench_lat_add(&d->last, l->t_last - l->t_send);
	bench_lat_add(&d->first, l->t_first - l->t_send);
	bench_lat_add(&d->reply, l->t_reply - l->t_send);
}

/* The sender's reply says how many segments its line drew. */
static void
draw_line(struct lb_session *s, const char *p, size_t len, int64_t now)
{
	struct draw_samples *d = s->set->arg;
	const char *v;
	size_t vlen;

	(void)now;
	if (s->sender == 0 && lb_prefix(p, len, "ok logo ") &&
	    (v = lb_field(p, len, "segs", &vlen)) != NULL)
		lb_u64(v, vlen, &d->segs);
}

static double
draw_ms(struct bench_lat *l, double pct)
{
	return bench_lat_pct(l, pct) / 1e6;
}

/* One line at a time, --reps times; the figures are medians. */
static int
draw_reps(struct lb_set *set, const struct draw_opts *o)
{
	struct draw_samples *d = set->arg;
	struct lb_session *snd = set->senders[0];
	int i;

	for (i = 0; i < o->reps; i++) {
		if (o->before != NULL && (lb_send_line(snd, o->before) == -1 ||
					     lb_wait_quiet(set, 60) == -1))
			return -1;
		d->measuring = 1;
		if (lb_send_line(snd, o->line) == -1 || lb_drain(set, 60) == -1)
			return -1;
		d->measuring = 0;
		if (lb_wait_quiet(set, 60) == -1)
			return -1;
	}
	printf(",\"reps\":%d,\"draw_ms\":%.2f,\"draw_min_ms\":%.2f"
	       ",\"draw_max_ms\":%.2f,\"first_ms\":%.2f,\"reply_ms\":%.2f"
	       ",\"segs\":%llu",
	    o->reps, draw_ms(&d->last, 50), draw_ms(&d->last, 0),
	    draw_ms(&d->last, 100), draw_ms(&d->first, 50),
	    draw_ms(&d->reply, 50), (unsigned long long)d->segs);
	return 0;
}

/* Every sender keeps --window lines in flight for --time seconds. */
static int
draw_flow(struct lb_set *set, const struct draw_opts *o)
{
	int64_t start = lb_now(), end = start + (int64_t)(o->secs * 1e9);
	uint64_t segs0 = 0, segs1 = 0, done0 = set->completed;
	struct lb_session *snd;
	double elapsed;
	size_t i;
	int rc = 0;

	for (i = 0; i < set->nall; i++)
		segs0 += set->all[i]->watcher ? set->all[i]->segs_read : 0;
	while (lb_now() < end && rc == 0) {
		for (i = 0; i < set->nsenders; i++) {
			snd = set->senders[i];
			while (rc == 0 && lb_in_flight(snd) < (size_t)o->window)
				rc = lb_send_line(snd, o->line);
		}
		if (lb_poll(set, 5) == -1 || lb_failed(set))
			rc = -1;
	}
	if (rc == -1 || lb_drain(set, 60) == -1)
		return -1;
	for (i = 0; i < set->nall; i++)
		segs1 += set->all[i]->watcher ? set->all[i]->segs_read : 0;
	elapsed = (set->t_last_done - start) / 1e9;
	printf(",\"secs\":%.2f,\"lines\":%llu,\"lines_s\":%.1f"
	       ",\"deliveries_s\":%.1f,\"segs_s\":%.1f",
	    elapsed, (unsigned long long)(set->completed - done0),
	    (set->completed - done0) / elapsed,
	    (set->completed - done0) * (double)o->watchers / elapsed,
	    (segs1 - segs0) / elapsed);
	return 0;
}

int
main(int argc, char **argv)
{
	struct draw_opts o = {
	    .watchers = 10, .senders = 1, .reps = 1, .window = 1};
	struct draw_samples d;
	struct lb_set set;
	char name[32];
	int i, rc = 0;

	signal(SIGPIPE, SIG_IGN);
	if (draw_parse(&o, argc, argv) == -1) {
		draw_usage();
		return 2;
	}
	memset(&d, 0, sizeof d);
	if (lb_set_init(&set, o.path) == -1) {
		perror("bench_draw: epoll_create1");
		return 1;
	}
	set.on_done = draw_done;
	set.on_line = draw_line;
	set.arg = &d;
	for (i = 0; i < o.senders; i++) {
		snprintf(name, sizeof name, "s%d", i);
		lb_session_new(&set, name, 0, 1);
	}
	for (i = 0; i < o.watchers; i++) {
		snprintf(name, sizeof name, "w%d", i);
		lb_session_new(&set, name, 1, 0);
	}
	printf("{\"n\":%d,\"senders\":%d", o.watchers, o.senders);
	if (lb_connect_all(&set, 60) == -1)
		rc = 1;
	for (i = 0; rc == 0 && i < o.nsetup; i++)
		if (lb_send_setup(set.senders[0], o.setup[i]) == -1)
			rc = 1;
	if (rc == 0 && lb_wait_quiet(&set, 60) == -1)
		rc = 1;
	if (rc == 0 &&
	    (o.secs > 0 ? draw_flow(&set, &o) : draw_reps(&set, &o)) == -1)
		rc = 1;
	if (lb_failed(&set))
		rc = 1;
	printf(",\"resyncs\":%llu,\"errors\":%llu,\"gaps\":%llu,\"lost\":%llu"
	       ",\"seg_mismatch\":%llu,\"ok\":%d}\n",
	    (unsigned long long)set.resyncs, (unsigned long long)set.errors,
	    (unsigned long long)set.gaps, (unsigned long long)set.lost,
	    (unsigned long long)set.seg_mismatch, rc == 0);
	if (rc != 0)
		fprintf(stderr, "bench_draw: FAIL: %s\n",
		    set.first_error[0] ? set.first_error : "see above");
	free(d.last.v);
	free(d.first.v);
	free(d.reply.v);
	lb_set_free(&set);
	return rc;
}
