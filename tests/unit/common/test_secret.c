/*
 * test_secret.c - secrets kept out of sight: read from a file's first
 * line or from the environment (and taken out of it), wiped from a
 * command-line argument, and compared whatever their bytes and lengths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

#define SIZE 129 /* the buffers turtled compares: PROTO_TOKEN_MAX + 1 */

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
	snprintf(f->dir, sizeof f->dir, "/tmp/turtle-test-secret.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/secret", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
put(const struct fixture *f, const char *bytes, size_t len)
{
	FILE *fp = fopen(f->path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Both padded with garbage after the NUL, as a stack buffer may be. */
static int
equal(const char *a, const char *b)
{
	char x[SIZE], y[SIZE];

	memset(x, 'G', sizeof x);
	memset(y, 'H', sizeof y);
	memcpy(x, a, strlen(a) + 1);
	memcpy(y, b, strlen(b) + 1);
	return common_secret_equal(x, y, SIZE);
}

static void
test_equal(void **state)
{
	char full[SIZE];

	(void)state;
	assert_int_equal(equal("s3cret", "s3cret"), 1);
	assert_int_equal(equal("", ""), 1);
	assert_int_equal(equal("s3cret", "s3creT"), 0);
	assert_int_equal(equal("s3cret", "x3cret"), 0);
	/* A prefix is not the secret, either way round. */
	assert_int_equal(equal("s3cre", "s3cret"), 0);
	assert_int_equal(equal("s3cret", "s3cre"), 0);
	assert_int_equal(equal("", "s"), 0);
	assert_int_equal(equal("s", ""), 0);
	/* The longest secret, and one differing in its last byte. */
	memset(full, 'k', SIZE - 1);
	full[SIZE - 1] = '\0';
	assert_int_equal(common_secret_equal(full, full, SIZE), 1);
	{
		char other[SIZE];

		memcpy(other, full, SIZE);
		other[SIZE - 2] = 'j';
		assert_int_equal(common_secret_equal(full, other, SIZE), 0);
	}
}

static void
test_file(void **state)
{
	struct fixture *f = *state;
	char out[SIZE], *cause = NULL, big[600];

	put(f, "fromfile\n", 9);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), 0);
	assert_string_equal(out, "fromfile");
	/* Only the first line; CRLF; no line end at all. */
	put(f, "first\nsecond\n", 13);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), 0);
	assert_string_equal(out, "first");
	put(f, "dos\r\n", 5);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), 0);
	assert_string_equal(out, "dos");
	put(f, "bare", 4);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), 0);
	assert_string_equal(out, "bare");
	/* Empty: "" (the caller says a secret has 1 to N characters). */
	put(f, "", 0);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), 0);
	assert_string_equal(out, "");
	/* Exactly as long as fits, then one more. */
	memset(big, 'a', sizeof big);
	put(f, big, SIZE - 1);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), 0);
	assert_int_equal(strlen(out), SIZE - 1);
	put(f, big, SIZE);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), -1);
	assert_non_null(strstr(cause, "longer than 128"));
	assert_non_null(strstr(cause, f->path));
	free(cause);
	cause = NULL;
	/* Longer than is ever read, without a line end. */
	{
		char huge[COMMON_SECRET_FILE_MAX + 10];

		memset(huge, 'z', sizeof huge);
		put(f, huge, sizeof huge);
		assert_int_equal(
		    common_secret_file(huge, sizeof huge, f->path, &cause), -1);
		free(cause);
		cause = NULL;
	}
	/* Missing: the path and the reason. */
	unlink(f->path);
	assert_int_equal(
	    common_secret_file(out, sizeof out, f->path, &cause), -1);
	assert_non_null(strstr(cause, f->path));
	assert_non_null(strstr(cause, "No such file"));
	free(cause);
}

static void
test_env(void **state)
{
	char out[16], long_value[32];

	(void)state;
	unsetenv("TURTLENET_TEST_SECRET");
	assert_int_equal(
	    common_secret_env(out, sizeof out, "TURTLENET_TEST_SECRET"), 0);
	setenv("TURTLENET_TEST_SECRET", "", 1);
	assert_int_equal(
	    common_secret_env(out, sizeof out, "TURTLENET_TEST_SECRET"), 0);
	setenv("TURTLENET_TEST_SECRET", "fromenv", 1);
	assert_int_equal(
	    common_secret_env(out, sizeof out, "TURTLENET_TEST_SECRET"), 1);
	assert_string_equal(out, "fromenv");
	/* Taken: no child inherits it. */
	assert_null(getenv("TURTLENET_TEST_SECRET"));
	/* Too long for out: refused, and left where it was. */
	memset(long_value, 'v', sizeof long_value - 1);
	long_value[sizeof long_value - 1] = '\0';
	setenv("TURTLENET_TEST_SECRET", long_value, 1);
	assert_int_equal(
	    common_secret_env(out, sizeof out, "TURTLENET_TEST_SECRET"), -1);
	assert_non_null(getenv("TURTLENET_TEST_SECRET"));
	unsetenv("TURTLENET_TEST_SECRET");
}

static void
test_wipe(void **state)
{
	char arg[] = "s3cret", empty[] = "";

	(void)state;
	common_secret_wipe(arg);
	assert_string_equal(arg, "xxxxxx");
	common_secret_wipe(empty);
	assert_string_equal(empty, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_equal),
	    cmocka_unit_test_setup_teardown(test_file, setup, teardown),
	    cmocka_unit_test(test_env),
	    cmocka_unit_test(test_wipe),
	};

	return cmocka_run_group_tests_name("common_secret", tests, NULL, NULL);
}
