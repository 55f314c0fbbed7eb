/*
 * main.c - turtle: the command line, and which kind of client to be.
 *
 * With a terminal on stdin and stdout turtle is the interactive screen
 * (ui.c); with -c or input from a pipe it is a headless client for scripts
 * (headless.c), with --watch a printer of events (watch.c); "ping" and
 * "status" talk to the server's datagram endpoint (ping.c).
 */
#include "tui.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *);
static void help(void);
static int parse_name(struct tui_opts *, const char *);
static void default_name(struct tui_opts *);
static int parse_token(struct tui_opts *, const char *);
static int token_arg(struct tui_opts *, char *);
static int token_file(struct tui_opts *, const char *);
static int token_env(struct tui_opts *);
static void find_turtled(char *, size_t);
static const char *history_path(char *, size_t);
static int parse_turn_timeout(struct tui_opts *, const char *);

enum {
	OPT_TOKEN = 256,
	OPT_TOKEN_FILE,
	OPT_NO_START,
	OPT_ASCII,
	OPT_DRAW,
	OPT_WATCH,
	OPT_RAW,
	OPT_TURN_TIMEOUT,
	OPT_VERSION
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: turtle [-v] [-S PATH | -s HOST:PORT] [-n NAME] "
	    "[--token-file FILE | --token SECRET]\n"
	    "              [--no-start] [--ascii | --draw MODE] "
	    "[--turn-timeout SECS]\n"
	    "              [-c 'CMD; CMD...' | --watch [--raw]]\n"
	    "       turtle [-S PATH | -s HOST:PORT] ping [-c COUNT] "
	    "[-i INTERVAL] [-W TIMEOUT]\n"
	    "       turtle [-S PATH | -s HOST:PORT] status [-W TIMEOUT]\n"
	    "       turtle [-S PATH | -s HOST:PORT] export svg|png|txt "
	    "FILE [--scale N]\n"
	    "       (-S and -s may also follow ping or status)\n"
	    "       turtle -h | --help | --version\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "  -S PATH         the server's AF_UNIX socket (default "
	       "$XDG_RUNTIME_DIR/turtlenet/default)\n"
	       "  -s HOST:PORT    the server over TCP ([ADDRESS]:PORT for "
	       "IPv6)\n"
	       "  -n NAME         the name others see (default $USER)\n"
	       "  --token-file FILE\n"
	       "                  the server's token (TCP): the first line "
	       "of FILE\n"
	       "                  (default: the environment's "
	       "TURTLENET_TOKEN, if set)\n"
	       "  --token SECRET  the same on the command line, where every "
	       "user can see it\n"
	       "                  (ps) until turtle has wiped it\n"
	       "  --no-start      do not start turtled when none runs\n"
	       "  --ascii         ASCII glyphs only (as --draw ascii)\n"
	       "  --draw MODE     the grid in braille (the default in UTF-8), "
	       "box or ascii\n"
	       "  -c CMDS         run commands separated by ';', print the "
	       "replies, exit\n"
	       "  --turn-timeout SECS\n"
	       "                  headless, turns mode: wait this long for "
	       "the turn (default %d,\n"
	       "                  0: fail at once with not-your-turn)\n"
	       "  --watch         print every event as a line until "
	       "interrupted\n"
	       "  --raw           with --watch: the protocol's evt lines "
	       "as they come\n"
	       "  -v              also print events and what is sent "
	       "(headless)\n"
	       "  ping            round-trip times to the server's "
	       "datagram endpoint\n"
	       "  status          the server's one-line status\n"
	       "  export svg|png|txt FILE\n"
	       "                  the drawing as a file (never over one "
	       "that exists;\n"
	       "                  png: --scale N pixels per unit, default "
	       "4)\n"
	       "\n"
	       "Without a terminal on stdin, commands are read from it one "
	       "per line.\n"
	       "Exit status: 0 success, 1 an error reply, 2 usage, 3 cannot "
	       "connect.\n"
	       "See turtle(1).\n",
	    TUI_TURN_WAIT);
}

static int
parse_name(struct tui_opts *opts, const char *name)
{
	size_t len = strlen(name);

	if (proto_name_valid(name, len) != 0) {
		char clean[PROTO_NAME_MAX * 4 + 1];

		proto_text_escape(clean, sizeof clean, name,
		    len > PROTO_NAME_MAX ? PROTO_NAME_MAX : len);
		fprintf(stderr,
		    "turtle: bad name \"%s%s\": 1 to %d of A-Z a-z 0-9 _ . -\n",
		    clean, len > PROTO_NAME_MAX ? "..." : "", PROTO_NAME_MAX);
		return -1;
	}
	memcpy(opts->name, name, len + 1);
	return 0;
}

/* $USER with everything a name may not hold turned into '_'. */
static void
default_name(struct tui_opts *opts)
{
	const char *user = getenv("USER");
	size_t i;
	char c;

	opts->name[0] = '\0';
	if (user == NULL)
		return;
	for (i = 0; user[i] != '\0' && i < PROTO_NAME_MAX; i++) {
		c = user[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '_' || c == '.' ||
			c == '-'))
			c = '_';
		opts->name[i] = c;
	}
	opts->name[i] = '\0';
}

static int
parse_token(struct tui_opts *opts, const char *token)
{
	size_t len = strlen(token);

	if (len == 0 || len > PROTO_TOKEN_MAX) {
		fprintf(stderr,
		    "turtle: the token must be 1 to %d characters\n",
		    PROTO_TOKEN_MAX);
		return -1;
	}
	if (proto_token_valid(token, len) != 0) {
		fprintf(stderr, "turtle: the token must be printable ASCII "
				"without spaces\n");
		return -1;
	}
	memcpy(opts->token, token, len + 1);
	return 0;
}

/*
 * --token SECRET: taken, then wiped from the command line, which every
 * user can read; and a word about the better ways.
 */
static int
token_arg(struct tui_opts *opts, char *arg)
{
	if (parse_token(opts, arg) == -1)
		return -1;
	common_secret_wipe(arg);
	fprintf(stderr, "turtle: warning: --token puts the secret where every "
			"user can see it (ps, /proc) until it is wiped; use "
			"--token-file or TURTLENET_TOKEN\n");
	return 0;
}

static int
token_file(struct tui_opts *opts, const char *path)
{
	char buf[PROTO_TOKEN_MAX + 1], *cause = NULL;
	int rc;

	if (common_secret_file(buf, sizeof buf, path, &cause) != 0) {
		fprintf(stderr, "turtle: --token-file: %s\n", cause);
		free(cause);
		return -1;
	}
	rc = parse_token(opts, buf);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

/* TURTLENET_TOKEN, when no option gave a token. */
static int
token_env(struct tui_opts *opts)
{
	char buf[PROTO_TOKEN_MAX + 1];
	int rc;

	switch (common_secret_env(buf, sizeof buf, "TURTLENET_TOKEN")) {
	case 0:
		return 0;
	case -1:
		fprintf(stderr,
		    "turtle: TURTLENET_TOKEN: the token must be 1 to %d "
		    "characters\n",
		    PROTO_TOKEN_MAX);
		return -1;
	}
	rc = parse_token(opts, buf);
	explicit_bzero(buf, sizeof buf);
	return rc;
}

/*
 * The turtled installed beside us, or the one in the build tree, so the
 * client starts the server it was built with; else whatever PATH has.
 */
static void
find_turtled(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n;
	int i;
	static const char *const beside[] = {"turtled", "../server/turtled"};

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			for (i = 0; i < 2; i++) {
				int w = snprintf(
				    buf, len, "%s/%s", self, beside[i]);

				if (w > 0 && (size_t)w < len &&
				    access(buf, X_OK) == 0)
					return;
			}
		}
	}
	snprintf(buf, len, "turtled");
}

/*
 * history in the state directory ($XDG_STATE_HOME/turtlenet, the one
 * turtled keeps its log in), the directory made private if it is new.
 */
static const char *
history_path(char *buf, size_t len)
{
	char dir[PATH_MAX], *cause = NULL;
	int n;

	if (common_path_statedir(dir, sizeof dir, NULL) != 0)
		return NULL;
	/* Best effort: without the directory history is not kept. */
	if (common_path_mkdirs(dir, 0700, &cause) != 0)
		free(cause);
	n = snprintf(buf, len, "%s/history", dir);
	if (n < 0 || (size_t)n >= len)
		return NULL;
	return buf;
}

static int
parse_turn_timeout(struct tui_opts *opts, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || v < 0 || v > 86400) {
		fprintf(stderr,
		    "turtle: --turn-timeout takes whole seconds, 0 to 86400\n");
		return -1;
	}
	opts->turn_wait = (int)v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"token", required_argument, NULL, OPT_TOKEN},
	    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
	    {"no-start", no_argument, NULL, OPT_NO_START},
	    {"ascii", no_argument, NULL, OPT_ASCII},
	    {"draw", required_argument, NULL, OPT_DRAW},
	    {"watch", no_argument, NULL, OPT_WATCH},
	    {"raw", no_argument, NULL, OPT_RAW},
	    {"turn-timeout", required_argument, NULL, OPT_TURN_TIMEOUT},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct tui_opts opts;
	struct ping_args pa;
	struct export_args ea;
	int exporting = 0;
	char turtled[PATH_MAX], history[PATH_MAX], *cause = NULL;
	const char *cmds = NULL, *path = NULL, *hostport = NULL;
	const char *no_color;
	int ch, watch = 0, raw = 0, named = 0;

	memset(&opts, 0, sizeof opts);
	opts.turn_wait = TUI_TURN_WAIT;
	setlocale(LC_ALL, "");
	/* A server that goes away must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);

	while ((ch = getopt_long(argc, argv, "+S:s:n:c:vh", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'S':
			path = optarg;
			break;
		case 's':
			hostport = optarg;
			break;
		case 'n':
			if (parse_name(&opts, optarg) == -1)
				return TUI_EXIT_USAGE;
			named = 1;
			break;
		case 'c':
			cmds = optarg;
			break;
		case 'v':
			opts.verbose = 1;
			break;
		case 'h':
			help();
			return TUI_EXIT_OK;
		case OPT_TOKEN:
			if (token_arg(&opts, optarg) == -1)
				return TUI_EXIT_USAGE;
			break;
		case OPT_TOKEN_FILE:
			if (token_file(&opts, optarg) == -1)
				return TUI_EXIT_USAGE;
			break;
		case OPT_NO_START:
			opts.no_start = 1;
			break;
		case OPT_ASCII:
			opts.ascii = 1;
			break;
		case OPT_DRAW:
			if (gridview_parse_mode(optarg, &opts.draw) != 0) {
				usage(stderr);
				return TUI_EXIT_USAGE;
			}
			break;
		case OPT_WATCH:
			watch = 1;
			break;
		case OPT_RAW:
			raw = 1;
			break;
		case OPT_TURN_TIMEOUT:
			if (parse_turn_timeout(&opts, optarg) == -1)
				return TUI_EXIT_USAGE;
			break;
		case OPT_VERSION:
			printf("turtle %s (protocol %d)\n", TURTLENET_VERSION,
			    PROTO_VERSION);
			return TUI_EXIT_OK;
		default:
			usage(stderr);
			return TUI_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (cmds != NULL && watch) {
		fprintf(
		    stderr, "turtle: -c and --watch cannot be used together\n");
		return TUI_EXIT_USAGE;
	}
	if (raw && !watch) {
		fprintf(stderr, "turtle: --raw goes with --watch\n");
		return TUI_EXIT_USAGE;
	}
	if (argc > 0 && strcmp(argv[0], "export") == 0) {
		if (cmds != NULL || watch) {
			fprintf(stderr,
			    "turtle: export takes none of -c, --watch\n");
			return TUI_EXIT_USAGE;
		}
		if (export_args(&ea, argc, argv) == -1)
			return TUI_EXIT_USAGE;
		exporting = 1;
		argc = 0;
	}
	if (argc > 0 && strcmp(argv[0], "ping") != 0 &&
	    strcmp(argv[0], "status") != 0) {
		fprintf(stderr, "turtle: unknown command \"%s\"\n", argv[0]);
		usage(stderr);
		return TUI_EXIT_USAGE;
	}
	if (argc > 0 && (cmds != NULL || watch)) {
		fprintf(
		    stderr, "turtle: %s takes none of -c, --watch\n", argv[0]);
		return TUI_EXIT_USAGE;
	}
	if (argc > 0) {
		if (ping_args(&pa, argc, argv) == -1)
			return TUI_EXIT_USAGE;
		if (pa.path != NULL)
			path = pa.path;
		if (pa.hostport != NULL)
			hostport = pa.hostport;
	}

	if (path != NULL && hostport != NULL) {
		fprintf(stderr, "turtle: -S and -s cannot be used together\n");
		return TUI_EXIT_USAGE;
	}
	if (hostport != NULL) {
		if (connect_parse_tcp(&opts.addr, hostport, &cause) == -1) {
			fprintf(stderr, "turtle: %s\n", cause);
			free(cause);
			return TUI_EXIT_USAGE;
		}
	} else if (path != NULL) {
		if (path[0] == '\0' || strlen(path) >= sizeof opts.addr.path) {
			fprintf(
			    stderr, "turtle: socket path too long or empty\n");
			return TUI_EXIT_USAGE;
		}
		strcpy(opts.addr.path, path);
		/*
		 * turtled refuses such a directory (the one rule, in
		 * common/path.c); whoever owns it may run the server, but a
		 * socket others may replace could be anyone's: said, not
		 * refused, as the server there may be meant to be shared.
		 */
		if (common_path_check_socket(
			path, COMMON_PATH_ANY_OWNER, &cause) != 0) {
			fprintf(stderr, "turtle: warning: %s\n", cause);
			free(cause);
			cause = NULL;
		}
		opts.custom_path = !connect_is_default(opts.addr.path);
	} else if (connect_default_path(
		       opts.addr.path, sizeof opts.addr.path, &cause) == -1) {
		fprintf(stderr, "turtle: %s\n", cause);
		free(cause);
		return TUI_EXIT_CONNECT;
	}

	if (opts.token[0] == '\0' && token_env(&opts) == -1)
		return TUI_EXIT_USAGE;
	if (!named)
		default_name(&opts);
	no_color = getenv("NO_COLOR");
	opts.no_color = no_color != NULL && no_color[0] != '\0';
	find_turtled(turtled, sizeof turtled);
	opts.turtled = turtled;

	if (exporting)
		return export_main(&ea, &opts);
	if (argc > 0)
		return ping_main(&pa, &opts);
	if (watch)
		return watch_main(&opts, raw);
	if (cmds != NULL)
		return headless_main(&opts, cmds);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return headless_main(&opts, NULL);

	opts.history = history_path(history, sizeof history);
	return ui_main(&opts);
}
