/*
 * common.h - what turtled (server/) and turtle (tui/) must do alike, and
 * the small helpers both are built from: one home for each.
 *
 * proto/ stays the pure wire protocol; this library is the part the two
 * programs share outside the wire: where the socket and the state live,
 * the clock, memory, secrets and the way to stop on an impossible state.
 * No globals.  Every public name starts with common_; each file's
 * declarations sit under its banner.
 */
#ifndef TURTLENET_COMMON_H
#define TURTLENET_COMMON_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* path.c */
#define COMMON_PATH_MAX       4096 /* a directory or file name we build */
#define COMMON_PATH_CREATE    0x1  /* make a missing socket directory, 0700 */
#define COMMON_PATH_ANY_OWNER 0x2  /* a client's check: whoever owns it */

/* Whose the socket directory is: the effective uid (path.c says why). */
uid_t common_path_owner(void);
/* $XDG_RUNTIME_DIR/turtlenet, else /tmp/turtlenet-UID.  0, or -1 with cause. */
int common_path_sockdir(char *out, size_t outlen, char **cause);
/*
 * The socket directory must be ours alone: a directory (not a link) owned
 * by common_path_owner() with no group or other bits.  With
 * COMMON_PATH_CREATE it is made first (0700); without, a missing one is
 * fine (the server makes it).  0, or -1 with the one sentence in cause.
 */
int common_path_check(const char *dir, int flags, char **cause);
/*
 * The directories of a socket path someone named (-S): the one it is in
 * and every one above it, as named and as resolved.  Each must belong to
 * common_path_owner() or root (any owner with COMMON_PATH_ANY_OWNER: a
 * client trusts whoever runs the server) and be writable by no one else
 * unless it is sticky.  Looser than common_path_check(), which is for a
 * directory of our own; a missing directory is no verdict.  0, or -1 with
 * the one sentence naming the directory and what is wrong in cause.
 */
int common_path_check_socket(const char *path, int flags, char **cause);
/* The default socket, DIR/default, its directory checked.  0, or -1. */
int common_path_socket(char *out, size_t outlen, int flags, char **cause);
/* PATH.ping, the datagram endpoint beside the socket PATH.  0, or -1. */
int common_path_ping(char *out, size_t outlen, const char *path);
/* mkdir -p: dir and every missing parent, each new one with mode. */
int common_path_mkdirs(const char *dir, mode_t mode, char **cause);
/*
 * $XDG_STATE_HOME/turtlenet, else HOME/.local/state/turtlenet with HOME
 * from the environment if absolute, else home (NULL: none).  0, or -1
 * when there is no home, or when it did not fit (out holds what did).
 */
int common_path_statedir(char *out, size_t outlen, const char *home);

/* clock.c */
/* Monotonic milliseconds: for rates, idle times and deadlines. */
uint64_t common_now_ms(void);
/* Milliseconds until deadline (a common_now_ms() value), 0 once passed. */
int common_ms_left(uint64_t deadline);

/* alloc.c */
/*
 * Room for need elements of size bytes in p, which has room for *cap: p
 * itself when it has it, else p grown to max(need, twice *cap, 16) with
 * *cap updated.  NULL when out of memory or need * size overflows; p and
 * *cap are then untouched.
 */
void *common_grow(void *p, size_t *cap, size_t need, size_t size);
/* common_grow() that stops the program when out of memory. */
void *common_xgrow(void *p, size_t *cap, size_t need, size_t size);
/* reallocarray(), overflow checked, stopping the program when out of memory. */
void *common_xreallocarray(void *p, size_t n, size_t size);
/* A new string, printf-formatted; stops the program when out of memory. */
char *common_xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *common_xvprintf(const char *, va_list)
    __attribute__((format(printf, 1, 0)));

/* secret.c */
#define COMMON_SECRET_FILE_MAX 1024 /* bytes of a secret file looked at */
/*
 * The first line of the file path, without its line end, into out: 0, or
 * -1 with the sentence in cause (unreadable, or the line does not fit in
 * outlen bytes with its NUL).  Checking what the secret may hold is the
 * caller's.
 */
int common_secret_file(
    char *out, size_t outlen, const char *path, char **cause);
/*
 * The environment variable name into out, and out of the environment so
 * that no child inherits it: 1, or 0 when it is unset or empty, or -1 when
 * it does not fit in outlen bytes (it is then left alone).
 */
int common_secret_env(char *out, size_t outlen, const char *name);
/*
 * Overwrites a command-line argument in place with 'x's, so that ps(1)
 * and /proc/PID/cmdline no longer show the secret it held.
 */
void common_secret_wipe(char *arg);
/*
 * 1 if the strings a and b are equal, else 0, in a time that depends on
 * neither's bytes nor length: all size bytes of both buffers are read
 * (each must have size bytes, its string ending within them).
 */
int common_secret_equal(const char *a, const char *b, size_t size);

/* fatal.c */
/* "PROGRAM: MESSAGE: strerror(errno)" on stderr, then abort(). */
void common_fatal(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/* "PROGRAM: MESSAGE" on stderr, then abort(). */
void common_fatalx(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
