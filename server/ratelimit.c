/*
 * ratelimit.c - the token bucket a worker keeps for its client.
 *
 * Counted in thousandths of a token so a rate of N per second refills
 * exactly N thousandths per millisecond, with no floating point.
 */
#include "server.h"

void
ratelimit_init(
    struct ratelimit *rl, unsigned rate, unsigned burst, uint64_t now_ms)
{
	rl->cap = (uint64_t)burst * 1000;
	rl->milli = rl->cap;
	rl->per_ms = rate;
	rl->last_ms = now_ms;
}

/* 0 if a token was taken, -1 if the bucket is empty. */
int
ratelimit_take(struct ratelimit *rl, uint64_t now_ms)
{
	uint64_t elapsed;

	if (now_ms > rl->last_ms) {
		elapsed = now_ms - rl->last_ms;
		/* Cap the product: a long idle time only fills the bucket. */
		if (rl->per_ms != 0 && elapsed > rl->cap / rl->per_ms + 1)
			rl->milli = rl->cap;
		else {
			rl->milli += elapsed * rl->per_ms;
			if (rl->milli > rl->cap)
				rl->milli = rl->cap;
		}
		rl->last_ms = now_ms;
	}
	if (rl->milli < 1000)
		return -1;
	rl->milli -= 1000;
	return 0;
}
