/*
 * main.c - turtled: options, startup and the readiness handshake.
 *
 * The order matters: options, log, sockets (so a bind error is reported by
 * the process that was started), then the fork to the background, then the
 * event loop, and only then "ready".
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "server.h"

enum {
	OPT_TOKEN = 256,
	OPT_TOKEN_FILE,
	OPT_ADMIN_TOKEN,
	OPT_ADMIN_TOKEN_FILE,
	OPT_MODE,
	OPT_TURN_TIME,
	OPT_MAX_CLIENTS,
	OPT_MAX_STARTUPS,
	OPT_LOGIN_GRACE,
	OPT_WORKER_USES,
	OPT_RATE,
	OPT_BURST,
	OPT_OUT_LIMIT,
	OPT_SLOW_TIMEOUT,
	OPT_SIZE,
	OPT_TRAIL,
	OPT_LOG,
	OPT_PIDFILE,
	OPT_UNSAFE_SOCKET_DIR,
	OPT_STATE,
	OPT_FSYNC,
	OPT_COMPACT
};

static const struct option main_longopts[] = {{"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"token", required_argument, NULL, OPT_TOKEN},
    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
    {"admin-token", required_argument, NULL, OPT_ADMIN_TOKEN},
    {"admin-token-file", required_argument, NULL, OPT_ADMIN_TOKEN_FILE},
    {"mode", required_argument, NULL, OPT_MODE},
    {"turn-time", required_argument, NULL, OPT_TURN_TIME},
    {"max-clients", required_argument, NULL, OPT_MAX_CLIENTS},
    {"max-startups", required_argument, NULL, OPT_MAX_STARTUPS},
    {"login-grace", required_argument, NULL, OPT_LOGIN_GRACE},
    {"worker-uses", required_argument, NULL, OPT_WORKER_USES},
    {"rate", required_argument, NULL, OPT_RATE},
    {"burst", required_argument, NULL, OPT_BURST},
    {"out-limit", required_argument, NULL, OPT_OUT_LIMIT},
    {"slow-timeout", required_argument, NULL, OPT_SLOW_TIMEOUT},
    {"size", required_argument, NULL, OPT_SIZE},
    {"trail", required_argument, NULL, OPT_TRAIL},
    {"log", required_argument, NULL, OPT_LOG},
    {"pidfile", required_argument, NULL, OPT_PIDFILE},
    {"unsafe-socket-dir", no_argument, NULL, OPT_UNSAFE_SOCKET_DIR},
    {"state", required_argument, NULL, OPT_STATE},
    {"fsync", required_argument, NULL, OPT_FSYNC},
    {"compact", required_argument, NULL, OPT_COMPACT}, {NULL, 0, NULL, 0}};

static const char main_usage[] =
    "usage: turtled [-fvV] [-h|--help] [--version] [-S PATH] "
    "[-l HOST:PORT]...\n"
    "               [--token-file FILE] [--admin-token-file FILE] "
    "[--token SECRET]\n"
    "               [--admin-token SECRET]\n"
    "               [--mode free|turns] [--turn-time SECS] "
    "[--max-clients N]\n"
    "               [--max-startups N] [--login-grace SECS]\n"
    "               [--worker-uses N] [--rate N] [--burst N] [--out-limit "
    "BYTES] "
    "[--slow-timeout SECS]\n"
    "               [--size WxH] [--trail N] [--log FILE] "
    "[--pidfile FILE]\n"
    "               [--unsafe-socket-dir] [--state DIR|none] "
    "[--fsync always|batch|none]\n"
    "               [--compact BYTES]\n";

static const char main_help[] =
    "\n"
    "turtled keeps one shared turtle and serves it to every client.\n"
    "\n"
    "  -f                   stay in the foreground, log to stderr too\n"
    "  -v                   log every command and event\n"
    "  -V, --version        print the version and exit\n"
    "  -h, --help           print this help and exit\n"
    "  -S PATH              the UNIX socket (default "
    "$XDG_RUNTIME_DIR/turtlenet/default\n"
    "                       or /tmp/turtlenet-UID/default)\n"
    "  --unsafe-socket-dir  use a -S directory others could write to "
    "(refused\n"
    "                       otherwise: they could replace the socket)\n"
    "  -l HOST:PORT         also listen on TCP (repeatable; port 0 picks "
    "one)\n"
    "  --token-file FILE    TCP clients must say hello with token=SECRET,\n"
    "                       SECRET the first line of FILE (default: the\n"
    "                       environment's TURTLENET_TOKEN, if set)\n"
    "  --admin-token-file FILE\n"
    "                       TCP clients with admin=SECRET may use _exit "
    "(default:\n"
    "                       TURTLENET_ADMIN_TOKEN)\n"
    "  --token SECRET, --admin-token SECRET\n"
    "                       the same with the secret on the command line, "
    "where\n"
    "                       every user can see it (ps) until turtled has "
    "wiped it\n"
    "  --mode free|turns    who may move the turtle (default free)\n"
    "  --turn-time SECS     how long a turn lasts (default 30)\n"
    "  --max-clients N      connections served at once (default 1024)\n"
    "  --max-startups N     connections that have not said hello yet, over\n"
    "                       TCP and over UNIX each (default 10)\n"
    "  --login-grace SECS   time to say hello before a cut (default 5)\n"
    "  --worker-uses N      clients a worker process serves, one after "
    "another,\n"
    "                       before it exits (default 100; 1: a new "
    "process each)\n"
    "  --rate N             commands per second per client (default 50)\n"
    "  --burst N            commands allowed in a burst (default 100)\n"
    "  --out-limit BYTES    output queued per client before a resync\n"
    "                       (default 262144)\n"
    "  --slow-timeout SECS  time to drain a resync before a cut "
    "(default 10)\n"
    "  --size WxH           the world, odd sizes (default 201x201)\n"
    "  --trail N            trail segments kept (default 1000000)\n"
    "  --log FILE           the log file (default "
    "$XDG_STATE_HOME/turtlenet/turtled.log\n"
    "                       or ~/.local/state/turtlenet/turtled.log)\n"
    "  --pidfile FILE       write the server's pid to FILE\n"
    "  --state DIR|none     keep the world in DIR (a snapshot and a log): "
    "it\n"
    "                       survives a restart or a crash (default none)\n"
    "  --fsync always|batch|none\n"
    "                       always: nothing is told before it is on disk\n"
    "                       (default); batch: on disk within a second;\n"
    "                       none: when the system writes it\n"
    "  --compact BYTES      log size that makes a new snapshot "
    "(default 64 MiB)\n"
    "\n"
    "Started by socket activation (systemd's LISTEN_FDS), turtled serves "
    "the AF_UNIX\n"
    "stream socket it is given (and the datagram socket PATH.ping if "
    "given, else\n"
    "it binds that one itself) and leaves the socket file in place when it "
    "stops.\n";

static void main_usage_error(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static unsigned long long main_number(
    const char *, const char *, unsigned long long, unsigned long long);
static void main_token(char *, const char *, const char *);
static void main_token_arg(char *, const char *, char *, const char *);
static void main_token_file(char *, const char *, const char *);
static void main_token_env(char *, const char *);
static void main_size(struct options *, const char *);
static void main_path(char *, const char *, const char *);
static void main_default_log(char *, size_t);
static void main_parse(struct options *, int, char **);
static void main_nofile(const struct options *, struct logger *);
static int main_sockdir(const struct options *, struct logger *, char **);

static void
main_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("turtled: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(main_usage, stderr);
	exit(2);
}

static unsigned long long
main_number(const char *opt, const char *s, unsigned long long min,
    unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		goto bad;
	return v;
bad:
	main_usage_error("%s: expected a number from %llu to %llu, not \"%s\"",
	    opt, min, max, s);
}

/* A secret is 1-PROTO_TOKEN_MAX bytes of printable ASCII without space. */
static void
main_token(char *out, const char *opt, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PROTO_TOKEN_MAX)
		main_usage_error("%s: a secret has 1 to %d characters", opt,
		    PROTO_TOKEN_MAX);
	if (proto_token_valid(s, n) != 0)
		main_usage_error(
		    "%s: a secret is printable ASCII without spaces", opt);
	memcpy(out, s, n + 1);
}

/*
 * A secret on the command line: taken, then wiped from it, since every
 * user can read a command line; and a word about the better ways.
 */
static void
main_token_arg(char *out, const char *opt, char *arg, const char *instead)
{
	main_token(out, opt, arg);
	common_secret_wipe(arg);
	fprintf(stderr,
	    "turtled: warning: %s puts the secret where every user can see "
	    "it (ps, /proc) until it is wiped; use %s\n",
	    opt, instead);
}

static void
main_token_file(char *out, const char *opt, const char *path)
{
	char buf[PROTO_TOKEN_MAX + 1], *cause = NULL;

	if (common_secret_file(buf, sizeof buf, path, &cause) != 0) {
		fprintf(stderr, "turtled: %s: %s\n", opt, cause);
		free(cause);
		exit(1);
	}
	main_token(out, opt, buf);
	explicit_bzero(buf, sizeof buf);
}

/* The environment's secret, when no option gave one. */
static void
main_token_env(char *out, const char *name)
{
	char buf[PROTO_TOKEN_MAX + 1];

	switch (common_secret_env(buf, sizeof buf, name)) {
	case -1:
		main_usage_error("%s: a secret has 1 to %d characters", name,
		    PROTO_TOKEN_MAX);
	case 1:
		main_token(out, name, buf);
		explicit_bzero(buf, sizeof buf);
		break;
	}
}

static void
main_size(struct options *opt, const char *s)
{
	unsigned long w, h;
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	w = strtoul(s, &end, 10);
	if (errno != 0 || (*end != 'x' && *end != 'X') || end[1] < '0' ||
	    end[1] > '9')
		goto bad;
	h = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		goto bad;
	if (w % 2 == 0 || h % 2 == 0 || w > 2UL * PROTO_COORD_MAX + 1 ||
	    h > 2UL * PROTO_COORD_MAX + 1)
		goto bad;
	opt->half_w = (int32_t)((w - 1) / 2);
	opt->half_h = (int32_t)((h - 1) / 2);
	return;
bad:
	main_usage_error("--size: expected WxH with odd W and H up to %d, "
			 "not \"%s\"",
	    2 * PROTO_COORD_MAX + 1, s);
}

static void
main_path(char *out, const char *opt, const char *path)
{
	char *cause = NULL;

	if (path[0] == '\0')
		main_usage_error("%s: empty path", opt);
	if (util_absolute(out, SERVER_PATH_MAX, path, &cause) != 0)
		main_usage_error("%s: %s", opt, cause);
}

/* turtled.log in the state directory, the one turtle keeps its history in. */
static void
main_default_log(char *out, size_t outlen)
{
	char dir[SERVER_PATH_MAX - sizeof "/turtled.log"];
	struct passwd *pw;

	/* Without a HOME to go by: the password file's, else /tmp. */
	if (common_path_statedir(dir, sizeof dir, NULL) != 0) {
		pw = getpwuid(getuid());
		(void)common_path_statedir(
		    dir, sizeof dir, pw != NULL ? pw->pw_dir : "/tmp");
	}
	snprintf(out, outlen, "%s/turtled.log", dir);
}

static void
main_parse(struct options *opt, int argc, char **argv)
{
	char *cause = NULL;
	int ch;

	memset(opt, 0, sizeof *opt);
	opt->mode = SERVER_MODE_FREE;
	opt->turn_time = 30;
	opt->max_clients = 1024;
	opt->max_startups = 10;
	opt->login_grace = 5;
	opt->worker_uses = 100;
	opt->rate = 50;
	opt->burst = 100;
	opt->out_limit = 256 * 1024;
	opt->slow_timeout = 10;
	opt->half_w = opt->half_h = WORLD_HALF_DEFAULT;
	opt->trail = WORLD_TRAIL_DEFAULT;
	opt->fsync_mode = STORE_FSYNC_ALWAYS;
	opt->compact_bytes = STORE_COMPACT_DEFAULT;

	opterr = 0; /* our own messages, under our own name */
	while ((ch = getopt_long(
		    argc, argv, ":fhvVS:l:", main_longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			opt->foreground = 1;
			break;
		case 'v':
			opt->verbose = 1;
			break;
		case 'V':
			printf("turtled %s\n", TURTLENET_VERSION);
			exit(0);
		case 'h':
			fputs(main_usage, stdout);
			fputs(main_help, stdout);
			exit(0);
		case 'S':
			main_path(opt->socket_path, "-S", optarg);
			break;
		case 'l':
			opt->tcp = common_xreallocarray(
			    opt->tcp, opt->ntcp + 1, sizeof *opt->tcp);
			opt->tcp[opt->ntcp++] = optarg;
			break;
		case OPT_TOKEN:
			main_token_arg(opt->token, "--token", optarg,
			    "--token-file or TURTLENET_TOKEN");
			break;
		case OPT_TOKEN_FILE:
			main_token_file(opt->token, "--token-file", optarg);
			break;
		case OPT_ADMIN_TOKEN:
			main_token_arg(opt->admin_token, "--admin-token",
			    optarg,
			    "--admin-token-file or TURTLENET_ADMIN_TOKEN");
			break;
		case OPT_ADMIN_TOKEN_FILE:
			main_token_file(
			    opt->admin_token, "--admin-token-file", optarg);
			break;
		case OPT_MODE:
			if (strcmp(optarg, "free") == 0)
				opt->mode = SERVER_MODE_FREE;
			else if (strcmp(optarg, "turns") == 0)
				opt->mode = SERVER_MODE_TURNS;
			else
				main_usage_error("--mode: expected free or "
						 "turns, not \"%s\"",
				    optarg);
			break;
		case OPT_TURN_TIME:
			opt->turn_time = (unsigned)main_number(
			    "--turn-time", optarg, 1, 86400);
			break;
		case OPT_MAX_CLIENTS:
			opt->max_clients = (unsigned)main_number(
			    "--max-clients", optarg, 1, 1000000);
			break;
		case OPT_MAX_STARTUPS:
			opt->max_startups = (unsigned)main_number(
			    "--max-startups", optarg, 1, 1000000);
			break;
		case OPT_LOGIN_GRACE:
			opt->login_grace = (unsigned)main_number(
			    "--login-grace", optarg, 1, 86400);
			break;
		case OPT_WORKER_USES:
			opt->worker_uses = (unsigned)main_number(
			    "--worker-uses", optarg, 1, 1000000);
			break;
		case OPT_RATE:
			opt->rate =
			    (unsigned)main_number("--rate", optarg, 1, 1000000);
			break;
		case OPT_BURST:
			opt->burst = (unsigned)main_number(
			    "--burst", optarg, 1, 1000000);
			break;
		case OPT_OUT_LIMIT:
			opt->out_limit = (size_t)main_number(
			    "--out-limit", optarg, 1, (1ULL << 40));
			break;
		case OPT_SLOW_TIMEOUT:
			opt->slow_timeout = (unsigned)main_number(
			    "--slow-timeout", optarg, 1, 86400);
			break;
		case OPT_SIZE:
			main_size(opt, optarg);
			break;
		case OPT_TRAIL:
			opt->trail = (size_t)main_number(
			    "--trail", optarg, 1, WORLD_TRAIL_LIMIT);
			break;
		case OPT_LOG:
			main_path(opt->log_path, "--log", optarg);
			break;
		case OPT_PIDFILE:
			main_path(opt->pidfile, "--pidfile", optarg);
			break;
		case OPT_STATE:
			if (strcmp(optarg, "none") == 0)
				opt->state[0] = '\0';
			else
				main_path(opt->state, "--state", optarg);
			break;
		case OPT_FSYNC:
			if (strcmp(optarg, "always") == 0)
				opt->fsync_mode = STORE_FSYNC_ALWAYS;
			else if (strcmp(optarg, "batch") == 0)
				opt->fsync_mode = STORE_FSYNC_BATCH;
			else if (strcmp(optarg, "none") == 0)
				opt->fsync_mode = STORE_FSYNC_NONE;
			else
				main_usage_error("--fsync: always, batch or "
						 "none, not \"%s\"",
				    optarg);
			break;
		case OPT_COMPACT:
			opt->compact_bytes =
			    main_number("--compact", optarg, 4096, 1ull << 40);
			break;
		case OPT_UNSAFE_SOCKET_DIR:
			opt->unsafe_socket_dir = 1;
			break;
		case ':':
			main_usage_error(
			    "%s needs an argument", argv[optind - 1]);
		default:
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				main_usage_error(
				    "bad option %s", argv[optind - 1]);
			main_usage_error("unknown option -%c", optopt);
		}
	}
	if (optind != argc)
		main_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (opt->token[0] == '\0')
		main_token_env(opt->token, "TURTLENET_TOKEN");
	if (opt->admin_token[0] == '\0')
		main_token_env(opt->admin_token, "TURTLENET_ADMIN_TOKEN");
	if (opt->log_path[0] == '\0')
		main_default_log(opt->log_path, sizeof opt->log_path);
	/* A socket-activated server serves the socket it was given. */
	if (activate_take(&opt->act, opt->socket_path, sizeof opt->socket_path,
		&cause) != 0) {
		fprintf(stderr, "turtled: %s\n", cause);
		free(cause);
		exit(1);
	}
	/* The default socket's directory is made here, and checked. */
	if (!opt->act.on && opt->socket_path[0] == '\0' &&
	    common_path_socket(opt->socket_path, sizeof opt->socket_path,
		COMMON_PATH_CREATE, &cause) != 0) {
		fprintf(stderr, "turtled: %s\n", cause);
		free(cause);
		exit(1);
	}
}

/*
 * Any socket directory, -S's too, is checked before anything is done in
 * it (common_path_check_socket(): the one rule, with the default
 * directory's).  --unsafe-socket-dir takes a failing one knowingly, and
 * the log says so.  A socket systemd passed is the unit's business.
 */
static int
main_sockdir(const struct options *opt, struct logger *log, char **cause)
{
	char *why = NULL;

	if (opt->act.on ||
	    common_path_check_socket(opt->socket_path, 0, &why) == 0)
		return 0;
	if (opt->unsafe_socket_dir) {
		log_warn(log, "%s (accepted: --unsafe-socket-dir)", why);
		free(why);
		return 0;
	}
	*cause = common_xprintf("%s; --unsafe-socket-dir accepts it", why);
	free(why);
	return -1;
}

/* Two descriptors per client (socket, socketpair) plus a few of our own. */
static void
main_nofile(const struct options *opt, struct logger *log)
{
	rlim_t want = (rlim_t)opt->max_clients * 2 + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want
			  ? want
			  : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_warn(log,
		    "--max-clients %u needs %llu descriptors, the "
		    "limit is %llu",
		    opt->max_clients, (unsigned long long)want,
		    (unsigned long long)rl.rlim_cur);
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct logger log;
	struct listen_set ls;
	struct master *m;
	char *cause = NULL;
	int notify = -1, status;
	size_t i;

	main_parse(&opt, argc, argv);
	signal(SIGPIPE, SIG_IGN);
	if (log_open(&log, opt.log_path,
		opt.verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, opt.foreground,
		&cause) != 0)
		goto fail;
	main_nofile(&opt, &log);
	if (main_sockdir(&opt, &log, &cause) != 0 ||
	    listen_open(&ls, &opt, &cause) != 0)
		goto fail;
	if (!opt.foreground && daemon_start(&notify, &cause) != 0) {
		listen_free(&ls);
		goto fail;
	}
	log.pid = getpid();
	m = master_create(&opt, &log, &ls, &cause);
	if (m == NULL) {
		listen_free(&ls);
		goto fail;
	}
	if (opt.pidfile[0] != '\0' && daemon_pidfile(opt.pidfile, &cause) != 0)
		log_warn(&log, "%s", cause);
	free(cause);
	cause = NULL;

	log_info(&log, "turtled %s started: %s, mode %s, world %dx%d",
	    TURTLENET_VERSION, ls.path,
	    opt.mode == SERVER_MODE_TURNS ? "turns" : "free",
	    2 * opt.half_w + 1, 2 * opt.half_h + 1);
	for (i = 0; i < ls.nl; i++) {
		if (ls.l[i].tcp) {
			log_info(&log, "listening on %s", ls.l[i].name);
			if (opt.foreground)
				fprintf(stderr, "turtled: listening on %s\n",
				    ls.l[i].name);
		}
	}
	if (opt.foreground)
		fprintf(stderr, "turtled: ready on %s\n", ls.path);
	else
		daemon_ready(notify);

	status = master_run(m);
	master_free(m);
	listen_free(&ls);
	if (opt.pidfile[0] != '\0')
		unlink(opt.pidfile);
	log_info(&log, "stopped");
	log_close(&log);
	free(opt.tcp);
	return status;

fail:
	fprintf(stderr, "turtled: %s\n", cause);
	free(cause);
	free(opt.tcp);
	return 1;
}
