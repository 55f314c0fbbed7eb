/*
 * test_path.c - the rules client and server share: the default socket
 * path, its directory's check (created or not, refused when unsafe), whose
 * it is (the effective uid), the directories of a named socket path,
 * PATH.ping, mkdir -p and the state directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

/* A uid nobody on a test machine is, for the effective-uid test. */
#define TEST_EUID 4242

struct fixture {
	char dir[64];
	char *home; /* $HOME as it was */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *home = getenv("HOME");

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/turtle-test-path.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	f->home = home != NULL ? strdup(home) : NULL;
	*state = f;
	return 0;
}

static void
rm_rf(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	rm_rf(f->dir);
	if (f->home != NULL)
		setenv("HOME", f->home, 1);
	else
		unsetenv("HOME");
	free(f->home);
	free(f);
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_STATE_HOME");
	return 0;
}

static void
test_sockdir(void **state)
{
	struct fixture *f = *state;
	char out[256], want[256], longdir[300], *cause = NULL;

	setenv("XDG_RUNTIME_DIR", f->dir, 1);
	assert_int_equal(common_path_sockdir(out, sizeof out, &cause), 0);
	snprintf(want, sizeof want, "%s/turtlenet", f->dir);
	assert_string_equal(out, want);

	/* Unset and relative (which XDG says to ignore) both fall back. */
	snprintf(want, sizeof want, "/tmp/turtlenet-%ld", (long)geteuid());
	unsetenv("XDG_RUNTIME_DIR");
	assert_int_equal(common_path_sockdir(out, sizeof out, &cause), 0);
	assert_string_equal(out, want);
	setenv("XDG_RUNTIME_DIR", "run/user", 1);
	assert_int_equal(common_path_sockdir(out, sizeof out, &cause), 0);
	assert_string_equal(out, want);
	assert_null(cause);

	memset(longdir, 'd', sizeof longdir);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	setenv("XDG_RUNTIME_DIR", longdir, 1);
	assert_int_equal(common_path_sockdir(out, sizeof out, &cause), -1);
	assert_string_equal(cause, "socket directory name too long");
	free(cause);
}

/* The server makes the directory; the client takes a missing one. */
static void
test_socket(void **state)
{
	struct fixture *f = *state;
	char path[108], dir[128], want[200], *cause = NULL;
	struct stat sb;

	setenv("XDG_RUNTIME_DIR", f->dir, 1);
	snprintf(dir, sizeof dir, "%s/turtlenet", f->dir);
	snprintf(want, sizeof want, "%s/default", dir);

	assert_int_equal(common_path_socket(path, sizeof path, 0, &cause), 0);
	assert_string_equal(path, want);
	assert_int_equal(lstat(dir, &sb), -1);
	assert_int_equal(errno, ENOENT);

	umask(022);
	assert_int_equal(
	    common_path_socket(path, sizeof path, COMMON_PATH_CREATE, &cause),
	    0);
	assert_string_equal(path, want);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(sb.st_uid, geteuid());

	/* Made already: both take it. */
	assert_int_equal(
	    common_path_socket(path, sizeof path, COMMON_PATH_CREATE, &cause),
	    0);
	assert_int_equal(common_path_socket(path, sizeof path, 0, &cause), 0);
	assert_null(cause);

	/* The directory fits, the socket in it does not. */
	assert_int_equal(common_path_socket(path, strlen(want), 0, &cause), -1);
	snprintf(want, sizeof want, "socket path %s/default too long", dir);
	assert_string_equal(cause, want);
	free(cause);
}

static void
expect_unsafe(const char *dir)
{
	char path[108], want[200], *cause = NULL;

	snprintf(want, sizeof want, "directory %s has unsafe permissions", dir);
	assert_int_equal(common_path_check(dir, 0, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    common_path_check(dir, COMMON_PATH_CREATE, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	assert_int_equal(common_path_socket(path, sizeof path, 0, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
}

/* Group or other bits, a file, a link: refused, and never "fixed". */
static void
test_check_unsafe(void **state)
{
	struct fixture *f = *state;
	char dir[128];
	struct stat sb;
	FILE *fp;

	setenv("XDG_RUNTIME_DIR", f->dir, 1);
	snprintf(dir, sizeof dir, "%s/turtlenet", f->dir);

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0750), 0);
	expect_unsafe(dir);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);

	assert_int_equal(chmod(dir, 0703), 0);
	expect_unsafe(dir);

	assert_int_equal(rmdir(dir), 0);
	fp = fopen(dir, "w");
	assert_non_null(fp);
	fclose(fp);
	expect_unsafe(dir);

	assert_int_equal(unlink(dir), 0);
	assert_int_equal(symlink(f->dir, dir), 0);
	expect_unsafe(dir);
}

static void
test_check_errors(void **state)
{
	struct fixture *f = *state;
	char dir[128], want[256], *cause = NULL;

	/* Nowhere to make it: the creation fails, and says so. */
	snprintf(dir, sizeof dir, "%s/missing/turtlenet", f->dir);
	assert_int_equal(
	    common_path_check(dir, COMMON_PATH_CREATE, &cause), -1);
	snprintf(want, sizeof want, "cannot create directory %s: %s", dir,
	    strerror(ENOENT));
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	/* Missing is fine without COMMON_PATH_CREATE; unreadable is not. */
	assert_int_equal(common_path_check(dir, 0, &cause), 0);
	snprintf(dir, sizeof dir, "%s/file/turtlenet", f->dir);
	snprintf(want, sizeof want, "%s/file", f->dir);
	fclose(fopen(want, "w"));
	assert_int_equal(common_path_check(dir, 0, &cause), -1);
	snprintf(want, sizeof want, "cannot check directory %s: %s", dir,
	    strerror(ENOTDIR));
	assert_string_equal(cause, want);
	free(cause);
}

/*
 * In a process whose effective uid is not its real one, the directory is
 * named for the effective uid, made by it, and found to be its own.  Only
 * root can show that (seteuid), in a child of its own.
 */
static void
test_owner_is_euid(void **state)
{
	char dir[64], want[80], path[108], *cause = NULL;
	struct stat sb;
	pid_t pid;
	int status, rc;

	(void)state;
	assert_int_equal(common_path_owner(), geteuid());
	if (geteuid() != 0) {
		skip();
		return;
	}
	snprintf(dir, sizeof dir, "/tmp/turtlenet-%d", TEST_EUID);
	snprintf(want, sizeof want, "%s/default", dir);
	rm_rf(dir);
	unsetenv("XDG_RUNTIME_DIR");

	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		rc = 0;
		if (seteuid(TEST_EUID) != 0 || getuid() != 0)
			_exit(10);
		if (common_path_owner() != TEST_EUID)
			rc = 11;
		else if (common_path_socket(path, sizeof path,
			     COMMON_PATH_CREATE, &cause) != 0)
			rc = 12;
		else if (strcmp(path, want) != 0)
			rc = 13;
		else if (common_path_socket(path, sizeof path, 0, &cause) != 0)
			rc = 14;
		_exit(rc);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_int_equal(sb.st_uid, TEST_EUID);
	assert_int_equal(sb.st_mode & 07777, 0700);

	/* And it is not ours (root's): refused here. */
	assert_int_equal(common_path_check(dir, 0, &cause), -1);
	assert_non_null(strstr(cause, "unsafe permissions"));
	free(cause);
	rm_rf(dir);
}

/* common_path_check_socket(path, flags) fails with want in its cause. */
static void
expect_sock_unsafe(const char *path, int flags, const char *want)
{
	char *cause = NULL;

	assert_int_equal(common_path_check_socket(path, flags, &cause), -1);
	if (strstr(cause, want) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", path, cause, want);
	free(cause);
}

static void
expect_sock_safe(const char *path, int flags)
{
	char *cause = NULL;

	if (common_path_check_socket(path, flags, &cause) != 0)
		fail_msg("%s refused: %s", path, cause);
	assert_null(cause);
}

/*
 * A -S path's directory and those above it: ours or root's, and nobody
 * else may write unless it is sticky.  Ours (a mkdtemp() in /tmp, which
 * is root's and sticky) is safe; each way of being unsafe is named.
 */
static void
test_check_socket(void **state)
{
	struct fixture *f = *state;
	char dir[128], path[256], want[512], sub[256], link[160];

	snprintf(dir, sizeof dir, "%s/d", f->dir);
	snprintf(path, sizeof path, "%s/sock", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	expect_sock_safe(path, 0);
	expect_sock_safe(dir, 0); /* a socket named like the directory */

	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(want, sizeof want,
	    "directory %s is writable by group and others without the sticky "
	    "bit (mode 0777), so another user could replace the socket there",
	    dir);
	expect_sock_unsafe(path, 0, want);
	/* The client's check too: whoever owns it, others may write. */
	expect_sock_unsafe(path, COMMON_PATH_ANY_OWNER, want);
	/* "dir/" names the directory, its parent is what holds it. */
	snprintf(sub, sizeof sub, "%s/", dir);
	expect_sock_safe(sub, 0);

	assert_int_equal(chmod(dir, 0775), 0);
	expect_sock_unsafe(path, 0, "is writable by its group without");
	assert_int_equal(chmod(dir, 0757), 0);
	expect_sock_unsafe(path, 0, "is writable by others without");
	/* Read and search for all is no threat; sticky like /tmp is fine. */
	assert_int_equal(chmod(dir, 0755), 0);
	expect_sock_safe(path, 0);
	assert_int_equal(chmod(dir, 01777), 0);
	expect_sock_safe(path, 0);

	/* Safe itself, under an unsafe one: the one above is named. */
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(sub, sizeof sub, "%s/safe", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(path, sizeof path, "%s/safe/sock", dir);
	snprintf(want, sizeof want, "directory %s is writable", dir);
	expect_sock_unsafe(path, 0, want);

	/* Reached through a link in a safe directory: the target counts. */
	snprintf(link, sizeof link, "%s/link", f->dir);
	assert_int_equal(symlink(dir, link), 0);
	snprintf(path, sizeof path, "%s/sock", link);
	expect_sock_unsafe(path, 0, "is writable by group and others");

	/* Relative: from the current directory. */
	assert_int_equal(chdir(dir), 0);
	expect_sock_unsafe("sock", 0, want);
	assert_int_equal(chdir("/"), 0);

	/* Missing: no verdict, the bind or connect will say. */
	snprintf(path, sizeof path, "%s/none/sock", f->dir);
	expect_sock_safe(path, 0);
	assert_int_equal(chmod(dir, 0700), 0);
}

/* Another user's directory: refused, but for a client (root only). */
static void
test_check_socket_owner(void **state)
{
	struct fixture *f = *state;
	char dir[128], path[256], want[512];

	if (geteuid() != 0) {
		skip();
		return;
	}
	snprintf(dir, sizeof dir, "%s/theirs", f->dir);
	snprintf(path, sizeof path, "%s/sock", dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chown(dir, TEST_EUID, TEST_EUID), 0);
	snprintf(want, sizeof want,
	    "directory %s belongs to uid %d, neither ours (0) nor root's, so "
	    "its owner could replace the socket there",
	    dir, TEST_EUID);
	expect_sock_unsafe(path, 0, want);
	expect_sock_safe(path, COMMON_PATH_ANY_OWNER);
	/* Sticky is no help against the directory's owner. */
	assert_int_equal(chmod(dir, 01777), 0);
	expect_sock_unsafe(path, 0, want);
}

static void
test_ping(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(
	    common_path_ping(out, sizeof out, "/run/t/default"), 0);
	assert_string_equal(out, "/run/t/default.ping");
	assert_int_equal(common_path_ping(out, 19, "/run/t/default"), -1);
	assert_int_equal(common_path_ping(out, 20, "/run/t/default"), 0);
}

static void
test_mkdirs(void **state)
{
	struct fixture *f = *state;
	char dir[256], want[300], *cause = NULL, big[COMMON_PATH_MAX + 8];
	struct stat sb;

	umask(022);
	snprintf(dir, sizeof dir, "%s/a/b/c", f->dir);
	assert_int_equal(common_path_mkdirs(dir, 0700, &cause), 0);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	snprintf(dir, sizeof dir, "%s/a", f->dir);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);

	/* There already, or with a trailing slash: fine. */
	snprintf(dir, sizeof dir, "%s/a/b/c/", f->dir);
	assert_int_equal(common_path_mkdirs(dir, 0700, &cause), 0);
	assert_null(cause);

	/* A file on the way. */
	snprintf(dir, sizeof dir, "%s/a/file", f->dir);
	fclose(fopen(dir, "w"));
	snprintf(dir, sizeof dir, "%s/a/file/d", f->dir);
	assert_int_equal(common_path_mkdirs(dir, 0700, &cause), -1);
	snprintf(want, sizeof want, "cannot create directory %s: %s", dir,
	    strerror(ENOTDIR));
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;

	memset(big, 'b', sizeof big - 1);
	big[0] = '/';
	big[sizeof big - 1] = '\0';
	assert_int_equal(common_path_mkdirs(big, 0700, &cause), -1);
	assert_true(strncmp(cause, "path too long: /bbb", 19) == 0);
	free(cause);
}

static void
test_statedir(void **state)
{
	struct fixture *f = *state;
	char out[256], want[256];

	(void)f;
	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(common_path_statedir(out, sizeof out, "/fallback"), 0);
	assert_string_equal(out, "/x/state/turtlenet");

	/* A relative XDG_STATE_HOME is ignored: HOME's. */
	setenv("XDG_STATE_HOME", "state", 1);
	assert_int_equal(common_path_statedir(out, sizeof out, NULL), 0);
	assert_string_equal(out, "/home/u/.local/state/turtlenet");

	/* No usable HOME: the caller's fallback, if it has one. */
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "home/u", 1);
	assert_int_equal(common_path_statedir(out, sizeof out, "/fallback"), 0);
	assert_string_equal(out, "/fallback/.local/state/turtlenet");
	unsetenv("HOME");
	assert_int_equal(common_path_statedir(out, sizeof out, NULL), -1);

	snprintf(want, sizeof want, "/home/u/.local/state/turtlenet");
	setenv("HOME", "/home/u", 1);
	assert_int_equal(common_path_statedir(out, strlen(want), NULL), -1);
	assert_int_equal(common_path_statedir(out, strlen(want) + 1, NULL), 0);
	assert_string_equal(out, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sockdir, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_socket, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_unsafe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_owner_is_euid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_socket, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_check_socket_owner, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mkdirs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statedir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
