/*
 * runaway.c - bench_runaway: paced latency while one client keeps the
 * Logo evaluator busy.
 *
 * N clients each send "run 1 0" and "run -1 0" in turn, --rate a second
 * each (staggered, one outstanding), and each reads everything; a run's
 * latency is from sending it to the last of the N having read its move
 * event (and the sender its reply).  First a calm phase of --time
 * seconds; then the same again while one more client sends --runaway
 * (a line at the step limit, by default) back to back, each as soon as
 * the last one's reply came.  Prints one line of flat JSON with both
 * phases' p50/p99/max; exits 1 when anything was incorrect.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "logobench.h"

struct runaway_opts {
	const char *path;
	int clients, rate;
	double secs;
	const char *line;
};

struct runaway_samples {
	int measuring;
	size_t paced; /* senders below this index are paced */
	struct bench_lat last, reply;
};

static void runaway_usage(void);
static int runaway_parse(struct runaway_opts *, int, char **);
static void runaway_done(struct lb_session *, struct lb_line *);
static int runaway_phase(struct lb_set *, const struct runaway_opts *,
    struct lb_session *, const char *);

static void
runaway_usage(void)
{
	fprintf(stderr, "usage: bench_runaway -S PATH [-n CLIENTS] "
			"[--rate PER_S_EACH] [--time SECS] [--runaway LINE]\n");
}

static int
runaway_parse(struct runaway_opts *o, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"rate", required_argument, NULL, 'r'},
	    {"time", required_argument, NULL, 't'},
	    {"runaway", required_argument, NULL, 'l'}, {NULL, 0, NULL, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "S:n:", longs, NULL)) != -1) {
		switch (ch) {
		case 'S':
			o->path = optarg;
			break;
		case 'n':
			o->clients = atoi(optarg);
			break;
		case 'r':
			o->rate = atoi(optarg);
			break;
		case 't':
			o->secs = atof(optarg);
			break;
		case 'l':
			o->line = optarg;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || o->path == NULL || o->clients < 1 ||
	    o->rate < 1 || o->secs <= 0)
		return -1;
	return 0;
}

static void
runaway_done(struct lb_session *snd, struct lb_line *l)
{
	struct runaway_samples *d = snd->set->arg;

	if (!d->measuring || (size_t)snd->sender >= d->paced)
		return;
	bench_lat_add(&d->last, l->t_last - l->t_send);
	bench_lat_add(&d->reply, l->t_reply - l->t_send);
}

/* Paced runs for --time seconds, with the runaway if it is given. */
static int
runaway_phase(struct lb_set *set, const struct runaway_opts *o,
    struct lb_session *runaway, const char *name)
{
	struct runaway_samples *d = set->arg;
	int64_t start = lb_now(), end, now, interval;
	uint64_t lines0 = 0, ok0 = 0, limit0 = 0, moved0 = 0;
	struct lb_session *s;
	size_t i;
	int rc = 0;

	interval = 1000000000LL / o->rate;
	end = start + (int64_t)(o->secs * 1e9);
	for (i = 0; i < d->paced; i++)
		set->senders[i]->next_send = start + interval * i / d->paced;
	if (runaway != NULL) {
		lines0 = runaway->replied;
		ok0 = runaway->ok_replies;
		limit0 = runaway->limit_replies;
		moved0 = runaway->moved_replies;
	}
	bench_lat_reset(&d->last);
	bench_lat_reset(&d->reply);
	d->measuring = 1;
	while ((now = lb_now()) < end && rc == 0) {
		for (i = 0; i < d->paced && rc == 0; i++) {
			s = set->senders[i];
			if (lb_in_flight(s) > 0 || now < s->next_send)
				continue;
			rc = lb_send_line(
			    s, s->sent % 2 == 0 ? "run 1 0" : "run -1 0");
			s->next_send += interval;
			if (s->next_send < now)
				s->next_send = now;
		}
		if (rc == 0 && runaway != NULL && lb_in_flight(runaway) == 0)
			rc = lb_send_line(runaway, o->line);
		if (lb_poll(set, 1) == -1 || lb_failed(set))
			rc = -1;
	}
	if (rc == -1 || lb_drain(set, 60) == -1)
		return -1;
	d->measuring = 0;
	printf(",\"%s_count\":%zu,\"%s_p50_us\":%.1f,\"%s_p99_us\":%.1f"
	       ",\"%s_max_us\":%.1f,\"%s_reply_p99_us\":%.1f",
	    name, d->last.n, name, bench_lat_pct(&d->last, 50) / 1e3, name,
	    bench_lat_pct(&d->last, 99) / 1e3, name,
	    bench_lat_pct(&d->last, 100) / 1e3, name,
	    bench_lat_pct(&d->reply, 99) / 1e3);
	if (runaway != NULL)
		printf(",\"runaway_lines\":%llu,\"runaway_ok\":%llu"
		       ",\"runaway_limit\":%llu,\"runaway_moved\":%llu"
		       ",\"runaway_lines_s\":%.2f",
		    (unsigned long long)(runaway->replied - lines0),
		    (unsigned long long)(runaway->ok_replies - ok0),
		    (unsigned long long)(runaway->limit_replies - limit0),
		    (unsigned long long)(runaway->moved_replies - moved0),
		    (runaway->replied - lines0) / o->secs);
	return 0;
}

int
main(int argc, char **argv)
{
	struct runaway_opts o = {.clients = 10,
	    .rate = 10,
	    .secs = 3,
	    .line = "repeat 499999 [rt 1]"};
	struct runaway_samples d;
	struct lb_session *runaway;
	struct lb_set set;
	char name[32];
	int i, rc = 0;

	signal(SIGPIPE, SIG_IGN);
	if (runaway_parse(&o, argc, argv) == -1) {
		runaway_usage();
		return 2;
	}
	memset(&d, 0, sizeof d);
	if (lb_set_init(&set, o.path) == -1) {
		perror("bench_runaway: epoll_create1");
		return 1;
	}
	set.on_done = runaway_done;
	set.arg = &d;
	for (i = 0; i < o.clients; i++) {
		snprintf(name, sizeof name, "s%d", i);
		lb_session_new(&set, name, 1, 1)->ack = "move";
	}
	d.paced = o.clients;
	snprintf(name, sizeof name, "s%d", o.clients);
	runaway = lb_session_new(&set, name, 0, 1);
	runaway->reply_only = 1;
	printf("{\"n\":%d,\"rate_each\":%d", o.clients, o.rate);
	if (lb_connect_all(&set, 60) == -1 ||
	    runaway_phase(&set, &o, NULL, "calm") == -1 ||
	    runaway_phase(&set, &o, runaway, "runaway") == -1 ||
	    lb_failed(&set))
		rc = 1;
	printf(",\"resyncs\":%llu,\"errors\":%llu,\"gaps\":%llu,\"lost\":%llu"
	       ",\"ok\":%d}\n",
	    (unsigned long long)set.resyncs, (unsigned long long)set.errors,
	    (unsigned long long)set.gaps, (unsigned long long)set.lost,
	    rc == 0);
	if (rc != 0)
		fprintf(stderr, "bench_runaway: FAIL: %s\n",
		    set.first_error[0] ? set.first_error : "see above");
	free(d.last.v);
	free(d.reply.v);
	lb_set_free(&set);
	return rc;
}
