/*
 * cli.c - turtled's command line: --help and --version, exit 2 for usage
 * errors and 1 for startup errors (with a message naming the problem),
 * and the world and token options doing what they say.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/*
 * Runs turtled with args (a socket and log in the temp dir are added
 * first unless bare) and returns its exit code; its output is in out.
 */
static int
run(struct hs_server *srv, int bare, const char *const *args, char **out)
{
	const char *argv[HS_ARGS_MAX];
	char errfile[PATH_MAX + 16];
	int n = 0, status;

	if (!bare) {
		argv[n++] = "-f";
		argv[n++] = "-S";
		argv[n++] = srv->sock;
		argv[n++] = "--log";
		argv[n++] = srv->log;
	}
	while (*args != NULL && n < HS_ARGS_MAX - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(errfile, sizeof errfile, "%s/out", srv->dir);
	unlink(errfile);
	status = hs_run_turtled(argv, errfile, NULL, HS_WAIT_MS);
	if (status == -1)
		fail_msg(
		    "turtled %s did not exit by itself", argv[bare ? 0 : 5]);
	assert_true(WIFEXITED(status));
	*out = hs_read_file(errfile, NULL);
	assert_non_null(*out);
	return WEXITSTATUS(status);
}

static void
test_help_version(void **state)
{
	static const char *opts[] = {"-S", "-l", "--token", "--token-file",
	    "--admin-token", "--mode", "--turn-time", "--max-clients", "--rate",
	    "--burst", "--out-limit", "--slow-timeout", "--size", "--trail",
	    "--log", "--pidfile", "--unsafe-socket-dir", "--version", NULL};
	static const char *help[] = {"--help", NULL};
	static const char *h[] = {"-h", NULL};
	static const char *version[] = {"--version", NULL};
	struct hs_server *srv = *state;
	char *out;
	int i;

	assert_int_equal(run(srv, 1, help, &out), 0);
	for (i = 0; opts[i] != NULL; i++) {
		if (strstr(out, opts[i]) == NULL)
			fail_msg(
			    "--help does not mention %s:\n%s", opts[i], out);
	}
	free(out);
	assert_int_equal(run(srv, 1, h, &out), 0);
	assert_non_null(strstr(out, "--max-clients"));
	free(out);
	assert_int_equal(run(srv, 1, version, &out), 0);
	if (strstr(out, TURTLENET_VERSION) == NULL)
		fail_msg(
		    "--version does not say %s: %s", TURTLENET_VERSION, out);
	free(out);
}

static void
test_usage_errors(void **state)
{
	static const char *const bad[][4] = {
	    {"--bogus", NULL},
	    {"--mode", "sideways", NULL},
	    {"--mode", NULL},
	    {"--size", "200x201", NULL},
	    {"--size", "21", NULL},
	    {"--size", "0x0", NULL},
	    {"--rate", "abc", NULL},
	    {"--rate", "-5", NULL},
	    {"--burst", "1x", NULL},
	    {"--max-clients", "0", NULL},
	    {"--out-limit", "lots", NULL},
	    {"--turn-time", "-1", NULL},
	    {"--trail", "99999999999999999999", NULL},
	    {"-l", NULL},
	    {"stray", NULL},
	};
	struct hs_server *srv = *state;
	char *out;
	size_t i;
	int code;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		code = run(srv, 0, bad[i], &out);
		if (code != 2)
			fail_msg("turtled %s %s: exit %d, want 2; said: %s",
			    bad[i][0], bad[i][1] ? bad[i][1] : "", code, out);
		if (strlen(out) == 0)
			fail_msg("turtled %s %s: exit 2 without a word",
			    bad[i][0], bad[i][1] ? bad[i][1] : "");
		free(out);
	}
}

static void
test_startup_errors(void **state)
{
	struct hs_server *srv = *state;
	const char *nodir[] = {"-f", "-S", "/nonexistent-turtlenet/x/sock",
	    "--log", srv->log, NULL};
	char tokpath[PATH_MAX + 16], logpath[PATH_MAX + 16];
	const char *notok[] = {
	    "-l", "127.0.0.1:0", "--token-file", tokpath, NULL};
	const char *nolog[] = {"-f", "-S", srv->sock, "--log", logpath, NULL};
	char *out;

	assert_int_equal(run(srv, 1, nodir, &out), 1);
	if (strstr(out, "/nonexistent-turtlenet/x") == NULL)
		fail_msg("does not name the socket path: %s", out);
	free(out);

	snprintf(tokpath, sizeof tokpath, "%s/no-such-token", srv->dir);
	assert_int_equal(run(srv, 0, notok, &out), 1);
	if (strstr(out, tokpath) == NULL)
		fail_msg("does not name the token file: %s", out);
	free(out);

	/* A log that cannot be opened: its directory is a file. */
	snprintf(logpath, sizeof logpath, "%s/log/turtled.log", srv->dir);
	assert_true(close(open(srv->log, O_WRONLY | O_CREAT, 0600)) == 0);
	assert_int_equal(run(srv, 1, nolog, &out), 1);
	if (strstr(out, logpath) == NULL && strstr(out, srv->log) == NULL)
		fail_msg("does not name the log: %s", out);
	free(out);
}

/* --size 21x11: a world of -10..10 by -5..5. */
static void
test_size(void **state)
{
	static const char *args[] = {"--size", "21x11", NULL};
	struct hs_server *srv = *state;
	struct hs_snapshot s;
	struct hs_client *c, *cl;
	char line[HS_LINE_MAX];
	long long v;

	assert_int_equal(hs_server_start(srv, args), 0);
	assert_non_null(c = hs_client_new(srv));
	assert_int_equal(hs_hello(c, "small", NULL, NULL, 0, &s), 0);
	assert_int_equal(hs_field_ll(s.world, "half_w", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(hs_field_ll(s.world, "half_h", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(hs_cmd(c, line, sizeof line, "run 11 0"), 0);
	assert_true(hs_starts(line, "err out-of-bounds"));
	assert_int_equal(hs_cmd(c, line, sizeof line, "run 0 6"), 0);
	assert_true(hs_starts(line, "err out-of-bounds"));
	assert_int_equal(hs_cmd(c, line, sizeof line, "run 10 5"), 0);
	assert_true(hs_starts(line, "ok run"));
	assert_non_null(cl = hs_client_new(srv));
	assert_int_equal(hs_send(cl, "run 0 1\n\0", 9), 0);
	assert_true(hs_classic_reply(cl, line, sizeof line) > 0);
	assert_string_equal(line, "Turtle refuses: out-of-bounds\n");
}

/* --token-file: the secret is the file's first line. */
static void
test_token_file(void **state)
{
	struct hs_server *srv = *state;
	char tokpath[PATH_MAX + 16], line[HS_LINE_MAX];
	const char *args[] = {
	    "-l", "127.0.0.1:0", "--token-file", tokpath, NULL};
	struct hs_client *t;
	FILE *f;

	snprintf(tokpath, sizeof tokpath, "%s/token", srv->dir);
	assert_non_null(f = fopen(tokpath, "w"));
	fputs("fromfile\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(hs_server_start_tcp(srv, args), 0);
	assert_non_null(t = hs_client_new_tcp(srv));
	assert_int_equal(hs_sendf(t, "hello 1 x token=wrong\n"), 0);
	assert_int_equal(hs_expect_next(t, "err auth", NULL, 0), 0);
	hs_client_close(t);
	assert_non_null(t = hs_client_new_tcp(srv));
	assert_int_equal(
	    hs_hello(t, "ok", "token=fromfile", line, sizeof line, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_help_version, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_usage_errors, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_startup_errors, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_size, hs_state_init, hs_state_free),
	    cmocka_unit_test_setup_teardown(
		test_token_file, hs_state_init, hs_state_free),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
