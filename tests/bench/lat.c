/*
 * lat.c - latency samples and their percentiles (nearest rank).
 */
#include <stdlib.h>

#include "bench.h"

static int lat_cmp(const void *, const void *);

static int
lat_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void
bench_lat_add(struct bench_lat *l, int64_t ns)
{
	int64_t *n;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		n = realloc(l->v, l->cap * sizeof *l->v);
		if (n == NULL)
			abort();
		l->v = n;
	}
	l->v[l->n++] = ns;
}

/* The pct-th percentile (0..100) in ns; -1 without samples. */
int64_t
bench_lat_pct(struct bench_lat *l, double pct)
{
	size_t rank;

	if (l->n == 0)
		return -1;
	qsort(l->v, l->n, sizeof *l->v, lat_cmp);
	rank = (size_t)(pct / 100.0 * l->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > l->n)
		rank = l->n;
	return l->v[rank - 1];
}

void
bench_lat_reset(struct bench_lat *l)
{
	l->n = 0;
}
