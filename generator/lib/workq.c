#include "workq.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "xalloc.h"

struct loop {
	atomic_size_t next;
	size_t n;
	void (*task)(size_t, void *);
	void *arg;
};

static void *work(void *p)
{
	struct loop *l = p;
	for (;;) {
		size_t i = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
		if (i >= l->n)
			return NULL;
		l->task(i, l->arg);
	}
}

void workq_run(size_t n, unsigned jobs, void (*task)(size_t i, void *arg), void *arg)
{
	if (jobs <= 1 || n <= 1) {
		for (size_t i = 0; i < n; i++)
			task(i, arg);
		return;
	}
	if (jobs > n)
		jobs = (unsigned)n;
	struct loop l = { .n = n, .task = task, .arg = arg };
	atomic_init(&l.next, 0);
	pthread_t *th = xcalloc(jobs - 1, sizeof(*th));
	unsigned started = 0;
	while (started < jobs - 1 && pthread_create(&th[started], NULL, work, &l) == 0)
		started++;
	work(&l);
	for (unsigned k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	free(th);
}

struct workq_task {
	pthread_t th;
	bool started;
	void (*fn)(void *);
	void *arg;
};

static void *run_task(void *p)
{
	struct workq_task *t = p;
	t->fn(t->arg);
	return NULL;
}

struct workq_task *workq_start(unsigned jobs, void (*fn)(void *arg), void *arg)
{
	struct workq_task *t = xcalloc(1, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
	t->started = jobs > 1 && pthread_create(&t->th, NULL, run_task, t) == 0;
	if (!t->started)
		fn(arg);
	return t;
}

void workq_join(struct workq_task *t)
{
	if (t->started)
		pthread_join(t->th, NULL);
	free(t);
}

unsigned workq_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256
				   : (unsigned)n;
}
