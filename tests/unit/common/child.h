/*
 * child.h - running a function that should stop the program in a child,
 * and keeping what it wrote on stderr.
 */
#ifndef TURTLENET_TEST_CHILD_H
#define TURTLENET_TEST_CHILD_H

#include <stddef.h>

/*
 * Runs fn(arg) in a forked child with stderr captured into out (NUL
 * terminated).  Returns the child's wait status, -1 if it could not run.
 */
int child_run(void (*fn)(void *), void *arg, char *out, size_t outlen);

#endif
