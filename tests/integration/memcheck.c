/*
 * memcheck.c - turtled under valgrind (memcheck, following its workers)
 * through a few clients of each kind: the master must stop with exit 0,
 * no error and no leak; no worker may report a memory error.
 *
 * CMake runs this with $TURTLENET_WRAPPER set to valgrind writing one
 * log per process into the temp dir (vg.PID), and only in builds without
 * sanitizers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int
setup(void **state)
{
	if (getenv("TURTLENET_WRAPPER") == NULL) {
		fprintf(stderr, "memcheck: $TURTLENET_WRAPPER is not set\n");
		return -1;
	}
	return hs_state_no_rate(state);
}

/* Memory errors valgrind reports, leaks aside. */
static const char *const memerrs[] = {"Invalid read", "Invalid write",
    "Invalid free", "uninitialised", "Mismatched free",
    "Source and destination overlap", "Syscall param", "Jump to the invalid",
    NULL};

static void
check_vg_logs(struct hs_server *srv)
{
	char path[PATH_MAX + 300], master[64], *text;
	struct dirent *de;
	int files = 0, i, seen_master = 0;
	DIR *d;

	snprintf(master, sizeof master, "vg.%d", (int)srv->pid);
	assert_non_null(d = opendir(srv->dir));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vg.", 3) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", srv->dir, de->d_name);
		assert_non_null(text = hs_read_file(path, NULL));
		files++;
		for (i = 0; memerrs[i] != NULL; i++) {
			if (strstr(text, memerrs[i]) != NULL)
				fail_msg("%s reports \"%s\":\n%s", de->d_name,
				    memerrs[i], text);
		}
		if (strcmp(de->d_name, master) == 0) {
			seen_master = 1;
			if (strstr(text, "ERROR SUMMARY: 0 errors") == NULL)
				fail_msg(
				    "the master's valgrind log:\n%s", text);
			if (strstr(text, "definitely lost: ") != NULL &&
			    strstr(text, "definitely lost: 0 bytes") == NULL)
				fail_msg("the master leaks:\n%s", text);
		}
		free(text);
	}
	closedir(d);
	assert_true(seen_master);
	assert_true(files >= 2); /* the master and at least one worker */
}

static void
test_under_valgrind(void **state)
{
	struct hs_server *srv = *state;
	struct hs_client *a, *b, *cl, *gone;
	char line[HS_LINE_MAX], path[PATH_MAX + 8], big[600];
	int fd, status;

	assert_non_null(a = hs_client_hello(srv, "alice"));
	assert_non_null(b = hs_client_hello(srv, "bob"));
	hs_assert_reply(a, "run 3 4", "ok run");
	hs_assert_reply(a, "say hello there", "ok say");
	hs_assert_reply(a, "pen up", "ok pen");
	hs_assert_reply(a, "color blue", "ok color");
	hs_assert_reply(a, "run -3 -4", "ok run");
	hs_assert_reply(a, "who", "ok who");
	hs_assert_reply(a, "help", "ok help");
	hs_assert_reply(a, "stats", "ok stats");
	hs_assert_reply(a, "name alicia", "ok name");
	hs_assert_reply(b, "clear", "ok clear");
	hs_assert_reply(b, "home", "ok home");
	hs_assert_reply(b, "say \xff", "err bad-text");
	memset(big, 'x', sizeof big);
	big[sizeof big - 1] = '\n';
	assert_int_equal(hs_send(b, big, sizeof big), 0);
	assert_int_equal(hs_expect(b, "err too-long", NULL, 0), 0);

	assert_non_null(cl = hs_client_new(srv));
	assert_int_equal(hs_send(cl, "run 1 1\n\0", 9), 0);
	assert_true(hs_classic_reply(cl, line, sizeof line) > 0);
	assert_int_equal(hs_send(cl, "say hi\n\0", 8), 0);
	assert_true(hs_classic_reply(cl, line, sizeof line) > 0);
	assert_int_equal(hs_send(cl, "quit\n\0", 6), 0);
	assert_int_equal(hs_wait_eof(cl, hs_wait_ms(HS_WAIT_MS)), 0);

	assert_non_null(gone = hs_client_hello(srv, "gone"));
	hs_client_close(gone);
	hs_assert_reply(b, "quit", "ok quit");
	assert_int_equal(hs_wait_eof(b, hs_wait_ms(HS_WAIT_MS)), 0);

	snprintf(path, sizeof path, "%s.ping", srv->sock);
	assert_true((fd = hs_dgram_unix(srv->dir, "pinger")) >= 0);
	assert_int_equal(hs_dgram_ask(fd, path, "ping", 5, line, sizeof line,
			     hs_wait_ms(HS_WAIT_MS)),
	    6);
	close(fd);

	status = hs_server_stop(srv);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		hs_server_dump(srv);
		fail_msg("turtled under valgrind: status 0x%x", status);
	}
	check_vg_logs(srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_under_valgrind, setup, hs_state_free),
	};

	return cmocka_run_group_tests_name("memcheck", tests, NULL, NULL);
}
