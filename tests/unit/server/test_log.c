/*
 * test_log.c - log_fatal() and log_fatalx(): the reason goes to the log as
 * an error line (with strerror(errno) for log_fatal), then the process
 * aborts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/turtle-test-log.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/sub/turtled.log", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", f->dir);
	free(f);
	return 0;
}

/* Runs the fatal call in a child; returns what the log then holds. */
static char *
run_fatal(const struct fixture *f, int with_errno)
{
	struct logger lg;
	char *cause = NULL, *text;
	FILE *fp;
	long size;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		if (log_open(&lg, f->path, LOG_LEVEL_INFO, 0, &cause) != 0)
			_exit(10);
		log_info(&lg, "before");
		errno = EPIPE;
		if (with_errno)
			log_fatal(&lg, "cannot go on: %d", 7);
		log_fatalx(&lg, "cannot go on: %s", "state");
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);

	fp = fopen(f->path, "r");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	unlink(f->path);
	return text;
}

static void
test_fatal(void **state)
{
	char *text, want[128];

	text = run_fatal(*state, 1);
	assert_non_null(strstr(text, " master info: before\n"));
	snprintf(want, sizeof want, " master error: cannot go on: 7: %s\n",
	    strerror(EPIPE));
	if (strstr(text, want) == NULL)
		fail_msg("the log lacks \"%s\": %s", want, text);
	free(text);
}

static void
test_fatalx(void **state)
{
	char *text;

	text = run_fatal(*state, 0);
	if (strstr(text, " master error: cannot go on: state\n") == NULL)
		fail_msg("the log lacks the reason: %s", text);
	assert_null(strstr(text, strerror(EPIPE)));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fatal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fatalx, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
