/*
 * mem.c - memory figures from /proc: Pss and Private of a process
 * (smaps_rollup), its children (the workers), and the machine's meminfo.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

struct mem_proc {
	long long rss, pss, priv;
};

static int mem_rollup(int, struct mem_proc *);
static int mem_ppid(int, char *);
static int mem_cmp(const void *, const void *);
static long long mem_cpu_one(int);

static int
mem_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Pss, Rss and Private_* in kB; -1 if the process is gone. */
static int
mem_rollup(int pid, struct mem_proc *m)
{
	char path[64], line[256];
	long long v;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	memset(m, 0, sizeof *m);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "Rss: %lld", &v) == 1)
			m->rss = v;
		else if (sscanf(line, "Pss: %lld", &v) == 1)
			m->pss = v;
		else if (sscanf(line, "Private_Clean: %lld", &v) == 1)
			m->priv += v;
		else if (sscanf(line, "Private_Dirty: %lld", &v) == 1)
			m->priv += v;
	}
	fclose(f);
	return 0;
}

/* The parent pid of pid and its state letter; -1 if gone. */
static int
mem_ppid(int pid, char *state)
{
	char path[64], buf[512], *p;
	int ppid;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof buf, f) == NULL) {
		fclose(f);
		return -1;
	}
	fclose(f);
	/* The command name may hold spaces and parentheses: skip to the
	 * last ')'. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %c %d", state, &ppid) != 2)
		return -1;
	return ppid;
}

int
bench_mem_info(struct bench_meminfo *mi)
{
	char line[256];
	long long v;
	FILE *f;

	if ((f = fopen("/proc/meminfo", "r")) == NULL)
		return -1;
	memset(mi, 0, sizeof *mi);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "MemAvailable: %lld", &v) == 1)
			mi->avail_kb = v;
		else if (sscanf(line, "KernelStack: %lld", &v) == 1)
			mi->kstack_kb = v;
		else if (sscanf(line, "PageTables: %lld", &v) == 1)
			mi->pagetables_kb = v;
		else if (sscanf(line, "SUnreclaim: %lld", &v) == 1)
			mi->sunreclaim_kb = v;
	}
	fclose(f);
	return 0;
}

/* The master's figures, its workers' total and medians, and zombies. */
int
bench_mem_server(int pid, struct bench_memfig *fig)
{
	struct mem_proc m;
	long long *pss = NULL, *priv = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	char st;
	int child;

	memset(fig, 0, sizeof *fig);
	if (mem_rollup(pid, &m) == -1)
		return -1;
	fig->master_pss_kb = m.pss;
	fig->master_private_kb = m.priv;
	fig->master_rss_kb = m.rss;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		child = atoi(de->d_name);
		if (mem_ppid(child, &st) != pid)
			continue;
		if (st == 'Z') {
			fig->zombies++;
			continue;
		}
		if (mem_rollup(child, &m) == -1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			pss = realloc(pss, cap * sizeof *pss);
			priv = realloc(priv, cap * sizeof *priv);
			if (pss == NULL || priv == NULL)
				abort();
		}
		pss[n] = m.pss;
		priv[n] = m.priv;
		fig->workers_pss_kb += m.pss;
		n++;
	}
	closedir(d);
	fig->workers = n;
	if (n > 0) {
		qsort(pss, n, sizeof *pss, mem_cmp);
		qsort(priv, n, sizeof *priv, mem_cmp);
		fig->worker_pss_med_kb = pss[n / 2];
		fig->worker_private_med_kb = priv[n / 2];
	}
	free(pss);
	free(priv);
	return 0;
}

long long
bench_mem_self_pss(void)
{
	struct mem_proc m;

	if (mem_rollup(getpid(), &m) == -1)
		return -1;
	return m.pss;
}

long long
bench_mem_rss(int pid)
{
	struct mem_proc m;

	if (mem_rollup(pid, &m) == -1)
		return -1;
	return m.rss;
}

/* The ns one process has run (schedstat), -1 if it is gone. */
static long long
mem_cpu_one(int pid)
{
	char path[64];
	long long ns;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/schedstat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%lld", &ns) != 1)
		ns = -1;
	fclose(f);
	return ns;
}

/* The CPU ns of a server: the process and every live child (workers). */
long long
bench_mem_cpu(int pid)
{
	struct dirent *de;
	long long total, ns;
	DIR *d;
	char st;
	int child;

	if ((total = mem_cpu_one(pid)) == -1)
		return -1;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		child = atoi(de->d_name);
		if (mem_ppid(child, &st) != pid)
			continue;
		if ((ns = mem_cpu_one(child)) > 0)
			total += ns;
	}
	closedir(d);
	return total;
}
