/*
 * clock.c - monotonic time in milliseconds, for both programs.
 */
#include <limits.h>
#include <time.h>

#include "common.h"

uint64_t
common_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* What poll() takes: never negative, never beyond INT_MAX. */
int
common_ms_left(uint64_t deadline)
{
	uint64_t now = common_now_ms();

	if (now >= deadline)
		return 0;
	if (deadline - now > INT_MAX)
		return INT_MAX;
	return (int)(deadline - now);
}
