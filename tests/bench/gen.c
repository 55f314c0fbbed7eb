/*
 * gen.c - bench_gen: the load generator.  Connects N watchers and the
 * movers, measures memory if asked, runs the phases (paced, sequential,
 * window) or the soak, and prints one line of flat JSON with the figures.
 * Exits 1 when anything was incorrect (a SEQ gap, an id out of order, a
 * lost connection, a missing reply), whatever the timings.
 */
#include <sys/epoll.h>
#include <sys/resource.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define GEN_CONNECT_NS (120 * 1000000000LL)

struct gen_out {
	char buf[8192];
	size_t len;
};

static void gen_usage(void);
static void gen_put(struct gen_out *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static void gen_raise_nofile(void);
static int gen_connect(struct bench *, size_t, size_t);
static int gen_send(struct bench *, int64_t);
static int gen_phase(
    struct bench *, enum bench_mode, double, struct gen_out *, const char *);
static void gen_memory(
    struct bench *, struct bench_meminfo *, long long, struct gen_out *);
static int gen_soak(struct bench *, struct gen_out *);
static int gen_parse_opts(struct bench_opts *, int, char **);
static int gen_failed(const struct bench *);
static void gen_free(struct bench *);

int64_t
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The first failure is printed at once; later ones are only counted. */
void
bench_fail(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	if (b->first_error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(b->first_error, sizeof b->first_error, fmt, ap);
	va_end(ap);
	fprintf(stderr, "bench_gen: FAIL: %s\n", b->first_error);
}

static void
gen_put(struct gen_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof o->buf - o->len)
		o->len += n;
}

static void
gen_usage(void)
{
	fprintf(stderr,
	    "usage: bench_gen --target turtled|redis|echo (-S PATH | --tcp "
	    "HOST:PORT)\n"
	    "  [-n WATCHERS] [--movers M] [--payload BYTES] [--window W]\n"
	    "  [--rate PER_S] [--phases paced,seq,window] [--time SECS]\n"
	    "  [--paced-time S] [--seq-time S] [--window-time S]\n"
	    "  [--connect K --connect-time SECS] [--server-pid PID [--mem]]\n"
	    "  [--soak SECS [--churn PER_S] [--soak-rate PER_S] [--stall S]] "
	    "[--label TEXT]\n");
}

/* N = 1000 needs more descriptors than the usual soft limit of 1024. */
static void
gen_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
gen_failed(const struct bench *b)
{
	return b->errors || b->gaps || b->order || b->lost || b->bad_replies;
}

/* Opens conns[from..to), at most BENCH_HANDSHAKES saying hello at once. */
static int
gen_connect(struct bench *b, size_t from, size_t to)
{
	int64_t deadline = bench_now() + GEN_CONNECT_NS;
	char why[256];
	size_t i = from;

	while (i < to || b->handshakes > 0) {
		while (i < to && b->handshakes < BENCH_HANDSHAKES) {
			if (bench_conn_open(b, &b->conns[i], why, sizeof why) ==
			    -1) {
				bench_fail(b, "connection %zu: %s", i, why);
				b->errors++;
				return -1;
			}
			i++;
		}
		if (i == to && b->handshakes == 0)
			break;
		if (bench_poll(b, 10) == -1 || gen_failed(b))
			return -1;
		if (bench_now() > deadline) {
			bench_fail(b,
			    "%zu connections still in hello after "
			    "%lld s",
			    b->handshakes, GEN_CONNECT_NS / 1000000000);
			b->errors++;
			return -1;
		}
	}
	return 0;
}

/* Sends the next command from the next mover. */
static int
gen_send(struct bench *b, int64_t now)
{
	struct bench_conn *m;
	size_t nw = b->o.watchers;

	m = &b->conns[nw + b->next_mover++ % b->o.movers];
	(void)now;
	if (m->fd == -1)
		return -1;
	if (m->sent - m->replied >= BENCH_TAGS - 1) {
		bench_fail(b, "mover %d: %llu commands unanswered", m->idx,
		    (unsigned long long)(m->sent - m->replied));
		b->errors++;
		return -1;
	}
	if (b->o.target == BENCH_REDIS)
		return bench_resp_command(b, m, b->next_id++);
	return bench_v1_command(b, m, b->next_id++);
}

static int
gen_phase(struct bench *b, enum bench_mode mode, double secs,
    struct gen_out *out, const char *name)
{
	int64_t start = bench_now(), end, now, interval, wait;
	size_t window = mode == BENCH_WINDOW ? (size_t)b->o.window : 1;
	long long cpu0, cpu1;
	double elapsed;
	int timeout;

	end = start + (int64_t)(secs * 1e9);
	interval = 1000000000LL / (b->o.rate > 0 ? b->o.rate : 100);
	bench_lat_reset(&b->lat);
	bench_lat_reset(&b->lat_first);
	b->mode = mode;
	b->completed = b->deliveries = 0;
	b->t_first_send = b->t_last_done = 0;
	b->next_send = start;
	cpu0 = b->o.server_pid > 0 ? bench_mem_cpu(b->o.server_pid) : -1;
	for (;;) {
		now = bench_now();
		if (now < end) {
			if (mode == BENCH_PACED) {
				if (b->open == 0 && now >= b->next_send) {
					if (gen_send(b, now) == -1)
						break;
					b->next_send = now + interval;
				}
			} else {
				while (b->open < window)
					if (gen_send(b, now) == -1)
						break;
			}
		} else if (b->open == 0)
			break;
		else if (now > end + BENCH_DRAIN_NS) {
			bench_fail(b,
			    "%s: %zu commands never reached every "
			    "watcher",
			    name, b->open);
			b->errors++;
			break;
		}
		timeout = 10;
		if (mode == BENCH_PACED && b->open == 0 && now < end) {
			wait = b->next_send - now;
			timeout =
			    wait <= 0 ? 0 : (int)((wait + 999999) / 1000000);
			if (timeout > 10)
				timeout = 10;
		}
		if (bench_poll(b, timeout) == -1 || gen_failed(b))
			break;
	}
	elapsed = (b->t_last_done - b->t_first_send) / 1e9;
	/* CPU per line is what contention on a shared machine moves least. */
	if (cpu0 >= 0 && b->deliveries > 0 &&
	    (cpu1 = bench_mem_cpu(b->o.server_pid)) >= 0)
		gen_put(out,
		    ",\"%s_server_cpu_ms\":%.1f,\"%s_cpu_us_per_line\":%.3f",
		    name, (cpu1 - cpu0) / 1e6, name,
		    (cpu1 - cpu0) / 1e3 / b->deliveries);
	gen_put(
	    out, ",\"%s_count\":%llu", name, (unsigned long long)b->completed);
	if (elapsed > 0) {
		gen_put(out, ",\"%s_rate\":%.1f", name, b->completed / elapsed);
		gen_put(out, ",\"%s_deliveries_s\":%.1f", name,
		    b->deliveries / elapsed);
	}
	if (b->lat.n > 0)
		gen_put(out,
		    ",\"%s_p50_us\":%.1f,\"%s_p99_us\":%.1f,\"%s_max_us\":%.1f",
		    name, bench_lat_pct(&b->lat, 50) / 1e3, name,
		    bench_lat_pct(&b->lat, 99) / 1e3, name,
		    bench_lat_pct(&b->lat, 100) / 1e3);
	if (b->lat_first.n > 0)
		gen_put(out,
		    ",\"%s_first_p50_us\":%.1f,\"%s_first_p99_us\":%.1f", name,
		    bench_lat_pct(&b->lat_first, 50) / 1e3, name,
		    bench_lat_pct(&b->lat_first, 99) / 1e3);
	if (!b->o.quiet)
		fprintf(stderr, "bench_gen: %s %s n=%d: %llu commands\n",
		    b->o.target == BENCH_REDIS ? "redis" : "turtled", name,
		    b->o.watchers, (unsigned long long)b->completed);
	return gen_failed(b) ? -1 : 0;
}

/* Memory with every watcher connected, against the baseline taken before. */
static void
gen_memory(struct bench *b, struct bench_meminfo *base, long long self_base,
    struct gen_out *out)
{
	struct bench_meminfo now;
	struct bench_memfig fig;
	long long kernel, self;
	double n = b->o.watchers;

	if (bench_mem_info(&now) == -1 ||
	    bench_mem_server(b->o.server_pid, &fig) == -1) {
		fprintf(stderr, "bench_gen: cannot read /proc for pid %d\n",
		    b->o.server_pid);
		return;
	}
	self = bench_mem_self_pss() - self_base;
	kernel = (now.kstack_kb - base->kstack_kb) +
		 (now.pagetables_kb - base->pagetables_kb) +
		 (now.sunreclaim_kb - base->sunreclaim_kb);
	gen_put(out,
	    ",\"mem_master_pss_kb\":%lld,\"mem_master_private_kb\":%lld"
	    ",\"mem_workers\":%lld,\"mem_workers_pss_kb\":%lld"
	    ",\"mem_worker_pss_med_kb\":%lld"
	    ",\"mem_worker_private_med_kb\":%lld",
	    fig.master_pss_kb, fig.master_private_kb, fig.workers,
	    fig.workers_pss_kb, fig.worker_pss_med_kb,
	    fig.worker_private_med_kb);
	gen_put(out,
	    ",\"mem_user_pss_per_client_kb\":%.1f"
	    ",\"mem_kernel_per_client_kb\":%.1f"
	    ",\"mem_per_client_kb\":%.1f"
	    ",\"mem_avail_drop_per_client_kb\":%.1f"
	    ",\"mem_gen_pss_growth_kb\":%lld",
	    (fig.master_pss_kb + fig.workers_pss_kb) / n, kernel / n,
	    (fig.master_pss_kb + fig.workers_pss_kb + kernel) / n,
	    (base->avail_kb - now.avail_kb - self) / n, self);
	gen_put(out,
	    ",\"mem_kstack_per_client_kb\":%.1f"
	    ",\"mem_pagetables_per_client_kb\":%.1f"
	    ",\"mem_slab_per_client_kb\":%.1f",
	    (now.kstack_kb - base->kstack_kb) / n,
	    (now.pagetables_kb - base->pagetables_kb) / n,
	    (now.sunreclaim_kb - base->sunreclaim_kb) / n);
}

/* Holds the watchers under load while replacing churn of them a second;
 * samples the master's RSS and checks for zombies at the end. */
static int
gen_soak(struct bench *b, struct gen_out *out)
{
	int64_t start = bench_now(), end, now, next_churn, next_sample;
	int64_t churn_every, send_every, stall_at, stall_from, stall_to;
	long long rss, rss_first = -1, rss_max = 0, rss_warm = -1;
	long long replaced = 0, zombies = -1;
	struct bench_memfig fig;
	struct bench_conn *c;
	char why[256];
	size_t i, nw = b->o.watchers;

	end = start + (int64_t)(b->o.soak_secs * 1e9);
	churn_every = 1000000000LL / (b->o.churn > 0 ? b->o.churn : 1);
	send_every = 1000000000LL / (b->o.soak_rate > 0 ? b->o.soak_rate : 1);
	b->counting = 0;
	b->mode = BENCH_SOAK;
	b->next_send = next_churn = next_sample = start;
	stall_from = stall_at = b->o.stall_secs > 0 ? start + 1000000000LL : 0;
	stall_to = stall_from + (int64_t)(b->o.stall_secs * 1e9);
	srandom(1);
	while ((now = bench_now()) < end && !gen_failed(b)) {
		if (now >= b->next_send && b->open < (size_t)b->o.window) {
			if (gen_send(b, now) == -1)
				break;
			b->next_send += send_every;
			if (b->next_send < now - 1000000000LL)
				b->next_send = now;
		}
		if (b->o.churn > 0 && now >= next_churn) {
			next_churn += churn_every;
			c = &b->conns[random() % nw];
			if (c->state == BENCH_READY && !c->paused) {
				replaced++;
				b->nready--;
				if (random() % 2) {
					bench_v1_quit(b, c); /* to QUITTING */
				} else {
					c->state = BENCH_QUITTING;
					bench_conn_close(b, c);
				}
			}
		}
		for (i = 0; i < nw && b->handshakes < BENCH_HANDSHAKES; i++) {
			c = &b->conns[i];
			if (c->state != BENCH_CLOSED)
				continue;
			if (bench_conn_open(b, c, why, sizeof why) == -1) {
				bench_fail(b, "soak reconnect: %s", why);
				b->errors++;
				break;
			}
		}
		if (stall_at > 0 && now >= stall_at && b->conns[0].fd != -1) {
			/* Stop reading one watcher: its server buffer fills
			 * until the server resyncs it. */
			bench_conn_pause(
			    b, &b->conns[0], stall_at == stall_from);
			stall_at = stall_at == stall_from ? stall_to : 0;
		}
		if (b->o.server_pid > 0 && now >= next_sample) {
			next_sample += 1000000000LL;
			rss = bench_mem_rss(b->o.server_pid);
			if (rss_first == -1)
				rss_first = rss;
			if (rss_warm == -1 && now - start > (end - start) / 3)
				rss_warm = rss;
			if (rss > rss_max)
				rss_max = rss;
		}
		if (bench_poll(b, 5) == -1)
			break;
	}
	/* Let the last commands and the churned connections settle. */
	end = bench_now() + BENCH_DRAIN_NS;
	while ((b->open > 0 || b->handshakes > 0) && bench_now() < end &&
	       !gen_failed(b))
		bench_poll(b, 10);
	if (b->open > 0) {
		bench_fail(b, "soak: %zu commands unanswered", b->open);
		b->errors++;
	}
	rss = b->o.server_pid > 0 ? bench_mem_rss(b->o.server_pid) : -1;
	if (b->o.server_pid > 0) {
		end = bench_now() + 5000000000LL;
		do {
			if (bench_mem_server(b->o.server_pid, &fig) == 0)
				zombies = fig.zombies;
			if (zombies == 0)
				break;
			bench_poll(b, 50);
		} while (bench_now() < end);
	}
	gen_put(out,
	    ",\"soak_secs\":%.0f,\"soak_commands\":%llu"
	    ",\"soak_deliveries\":%llu,\"soak_replaced\":%lld"
	    ",\"soak_rss_first_kb\":%lld,\"soak_rss_warm_kb\":%lld"
	    ",\"soak_rss_end_kb\":%lld,\"soak_rss_max_kb\":%lld"
	    ",\"soak_zombies\":%lld,\"soak_resyncs\":%llu",
	    b->o.soak_secs, (unsigned long long)b->completed,
	    (unsigned long long)b->deliveries, replaced, rss_first, rss_warm,
	    rss, rss_max, zombies, (unsigned long long)b->resyncs);
	return gen_failed(b) ? -1 : 0;
}

static int
gen_parse_opts(struct bench_opts *o, int argc, char **argv)
{
	static const struct option longs[] = {
	    {"target", required_argument, NULL, 't'},
	    {"tcp", required_argument, NULL, 'T'},
	    {"movers", required_argument, NULL, 'm'},
	    {"payload", required_argument, NULL, 'p'},
	    {"window", required_argument, NULL, 'w'},
	    {"rate", required_argument, NULL, 'r'},
	    {"phases", required_argument, NULL, 'P'},
	    {"time", required_argument, NULL, 'd'},
	    {"paced-time", required_argument, NULL, 1},
	    {"seq-time", required_argument, NULL, 2},
	    {"window-time", required_argument, NULL, 3},
	    {"connect", required_argument, NULL, 'c'},
	    {"connect-time", required_argument, NULL, 4},
	    {"server-pid", required_argument, NULL, 5},
	    {"soak", required_argument, NULL, 6},
	    {"churn", required_argument, NULL, 7},
	    {"soak-rate", required_argument, NULL, 8},
	    {"stall", required_argument, NULL, 10},
	    {"quiet", no_argument, NULL, 'q'}, {"mem", no_argument, NULL, 9},
	    {NULL, 0, NULL, 0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "S:n:q", longs, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (strcmp(optarg, "turtled") == 0)
				o->target = BENCH_TURTLED;
			else if (strcmp(optarg, "redis") == 0)
				o->target = BENCH_REDIS;
			else if (strcmp(optarg, "echo") == 0)
				o->target = BENCH_ECHO;
			else
				return -1;
			break;
		case 'S':
			o->path = optarg;
			break;
		case 'T':
			o->tcp = optarg;
			break;
		case 'n':
			o->watchers = atoi(optarg);
			break;
		case 'm':
			o->movers = atoi(optarg);
			break;
		case 'p':
			o->payload = atoi(optarg);
			break;
		case 'w':
			o->window = atoi(optarg);
			break;
		case 'r':
			o->rate = atoi(optarg);
			break;
		case 'P':
			o->phases = optarg;
			break;
		case 'd':
			o->paced_secs = o->seq_secs = o->window_secs =
			    atof(optarg);
			break;
		case 1:
			o->paced_secs = atof(optarg);
			break;
		case 2:
			o->seq_secs = atof(optarg);
			break;
		case 3:
			o->window_secs = atof(optarg);
			break;
		case 'c':
			o->connectors = atoi(optarg);
			break;
		case 4:
			o->connect_secs = atof(optarg);
			break;
		case 5:
			o->server_pid = atoi(optarg);
			break;
		case 6:
			o->soak_secs = atof(optarg);
			break;
		case 7:
			o->churn = atoi(optarg);
			break;
		case 8:
			o->soak_rate = atoi(optarg);
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 9:
			o->mem = 1;
			break;
		case 10:
			o->stall_secs = atof(optarg);
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || (o->path == NULL) == (o->tcp == NULL))
		return -1;
	if (o->watchers < 1 || o->movers < 1 || o->window < 1 ||
	    o->window > BENCH_WINDOW_MAX || o->payload < 8 ||
	    o->payload > BENCH_PAYLOAD_MAX)
		return -1;
	return 0;
}

static void
gen_free(struct bench *b)
{
	size_t i;

	for (i = 0; i < b->nconns; i++) {
		bench_conn_close(b, &b->conns[i]);
		free(b->conns[i].in);
		free(b->conns[i].out);
		free(b->conns[i].fifo);
	}
	free(b->conns);
	free(b->lat.v);
	free(b->lat_first.v);
	if (b->epfd > 0)
		close(b->epfd); /* 0 is stdin: calloc'd, never opened */
	free(b);
}

int
main(int argc, char **argv)
{
	struct bench_meminfo base;
	struct gen_out out = {.len = 0};
	struct bench *b;
	long long self_base = 0;
	int64_t t0;
	size_t i, total;
	double rate;
	long long cerrors = 0;
	char why[256];
	int rc = 0;

	signal(SIGPIPE, SIG_IGN);
	if ((b = calloc(1, sizeof *b)) == NULL)
		return 1;
	b->o.target = BENCH_TURTLED;
	b->o.watchers = 10;
	b->o.movers = 1;
	b->o.payload = 32;
	b->o.window = 64;
	b->o.rate = 100;
	b->o.phases = "paced,seq,window";
	b->o.paced_secs = b->o.seq_secs = b->o.window_secs = 3;
	b->o.connect_secs = 2;
	b->o.churn = 20;
	b->o.soak_rate = 200;
	if (gen_parse_opts(&b->o, argc, argv) == -1) {
		gen_usage();
		gen_free(b);
		return 2;
	}
	gen_raise_nofile();
	gen_put(&out, "{\"target\":\"%s\",\"n\":%d,\"payload\":%d",
	    b->o.target == BENCH_REDIS  ? "redis"
	    : b->o.target == BENCH_ECHO ? "echo"
					: "turtled",
	    b->o.watchers, b->o.payload);

	if (b->o.connectors > 0) {
		rc = bench_connrate(&b->o, &rate, &cerrors, why, sizeof why);
		if (rc == -1)
			fprintf(stderr, "bench_gen: FAIL: connect phase: %s\n",
			    why);
		printf("%s,\"connectors\":%d,\"connect_rate\":%.1f"
		       ",\"connect_errors\":%lld,\"ok\":%d}\n",
		    out.buf, b->o.connectors, rate, cerrors, rc == 0);
		gen_free(b);
		return rc == 0 ? 0 : 1;
	}
	if (b->o.target == BENCH_ECHO) {
		fprintf(stderr, "bench_gen: the echo server has only the "
				"connect phase (--connect K)\n");
		gen_free(b);
		return 2;
	}

	if ((b->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("bench_gen: epoll_create1");
		gen_free(b);
		return 1;
	}
	total = b->o.watchers + b->o.movers;
	b->conns = calloc(total, sizeof *b->conns);
	if (b->conns == NULL) {
		gen_free(b);
		return 1;
	}
	b->nconns = total;
	for (i = 0; i < total; i++) {
		b->conns[i].fd = -1;
		b->conns[i].idx = i;
		b->conns[i].resp_bulk = -1;
		b->conns[i].role =
		    i < (size_t)b->o.watchers ? BENCH_WATCHER : BENCH_MOVER;
		if (b->conns[i].role == BENCH_MOVER &&
		    (b->conns[i].fifo = calloc(BENCH_TAGS, 8)) == NULL) {
			gen_free(b);
			return 1;
		}
	}
	b->counting = 1;
	if (b->o.server_pid > 0) {
		bench_mem_info(&base);
		self_base = bench_mem_self_pss();
	}

	t0 = bench_now();
	if (gen_connect(b, 0, b->o.watchers) == -1 ||
	    gen_connect(b, b->o.watchers, total) == -1) {
		rc = 1;
		goto done;
	}
	gen_put(&out, ",\"connect_all_ms\":%.1f", (bench_now() - t0) / 1e6);
	if (b->o.mem && b->o.server_pid > 0)
		gen_memory(b, &base, self_base, &out);

	if (b->o.soak_secs > 0) {
		if (gen_soak(b, &out) == -1)
			rc = 1;
		goto done;
	}
	if (strstr(b->o.phases, "paced") != NULL &&
	    gen_phase(b, BENCH_PACED, b->o.paced_secs, &out, "paced") == -1)
		rc = 1;
	if (rc == 0 && strstr(b->o.phases, "seq") != NULL &&
	    gen_phase(b, BENCH_SEQUENTIAL, b->o.seq_secs, &out, "seq") == -1)
		rc = 1;
	if (rc == 0 && strstr(b->o.phases, "window") != NULL &&
	    gen_phase(b, BENCH_WINDOW, b->o.window_secs, &out, "window") == -1)
		rc = 1;
done:
	if (gen_failed(b))
		rc = 1;
	gen_put(&out,
	    ",\"errors\":%llu,\"gaps\":%llu,\"order\":%llu,\"lost\":%llu"
	    ",\"bad_replies\":%llu,\"resyncs\":%llu"
	    ",\"resync_dropped\":%llu,\"slow_cuts\":%llu,\"ok\":%d}",
	    (unsigned long long)b->errors, (unsigned long long)b->gaps,
	    (unsigned long long)b->order, (unsigned long long)b->lost,
	    (unsigned long long)b->bad_replies, (unsigned long long)b->resyncs,
	    (unsigned long long)b->resync_dropped,
	    (unsigned long long)b->slow_cuts, rc == 0);
	printf("%s\n", out.buf);
	if (rc != 0)
		fprintf(stderr, "bench_gen: FAIL: %s\n",
		    b->first_error[0] ? b->first_error : "incorrect delivery");
	gen_free(b);
	return rc;
}
