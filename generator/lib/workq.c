#include "workq.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "xalloc.h"

static void *work(void *p)
{
	workq_loop_work(p);
	return NULL;
}

void workq_loop_init(struct workq_loop *l, size_t n, void (*task)(size_t i, void *arg), void *arg)
{
	atomic_init(&l->next, 0);
	l->n = n;
	l->task = task;
	l->arg = arg;
}

void workq_loop_work(struct workq_loop *l)
{
	for (;;) {
		size_t i = atomic_fetch_add_explicit(&l->next, 1, memory_order_relaxed);
		if (i >= l->n)
			return;
		l->task(i, l->arg);
	}
}

void workq_loop_run(struct workq_loop *l, unsigned jobs)
{
	if (jobs <= 1 || l->n <= 1) {
		workq_loop_work(l);
		return;
	}
	if (jobs > l->n)
		jobs = (unsigned)l->n;
	pthread_t *th = xcalloc(jobs - 1, sizeof(*th));
	unsigned started = 0;
	while (started < jobs - 1 && pthread_create(&th[started], NULL, work, l) == 0)
		started++;
	workq_loop_work(l);
	for (unsigned k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	free(th);
}

void workq_run(size_t n, unsigned jobs, void (*task)(size_t i, void *arg), void *arg)
{
	struct workq_loop l;
	workq_loop_init(&l, n, task, arg);
	workq_loop_run(&l, jobs);
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
