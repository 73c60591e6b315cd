#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "workq.h"

struct counts {
	atomic_int *hits;
	atomic_int calls;
};

static void count_task(size_t i, void *arg)
{
	struct counts *c = arg;
	atomic_fetch_add(&c->hits[i], 1);
	atomic_fetch_add(&c->calls, 1);
}

Test(workq, every_index_runs_once_on_any_number_of_threads)
{
	enum { N = 1000 };
	const unsigned jobs[] = { 0, 1, 2, 4, 64 };
	for (size_t k = 0; k < sizeof(jobs) / sizeof(*jobs); k++) {
		struct counts c = { calloc(N, sizeof(atomic_int)), 0 };
		workq_run(N, jobs[k], count_task, &c);
		cr_assert_eq(atomic_load(&c.calls), N, "jobs %u", jobs[k]);
		for (size_t i = 0; i < N; i++)
			cr_assert_eq(atomic_load(&c.hits[i]), 1, "jobs %u index %zu", jobs[k], i);
		free(c.hits);
	}
}

static void order_task(size_t i, void *arg)
{
	size_t *seen = arg;
	seen[seen[0] + 1] = i;
	seen[0]++;
}

Test(workq, one_job_runs_in_order_in_the_caller)
{
	size_t seen[6] = { 0 };
	workq_run(5, 1, order_task, seen);
	cr_assert_eq(seen[0], 5);
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(seen[i + 1], i);
}

struct bg {
	int in, out;
};

static void bg_task(void *arg)
{
	struct bg *b = arg;
	b->out = b->in * 2;
}

Test(workq, a_background_task_is_done_at_the_join)
{
	for (unsigned jobs = 0; jobs <= 2; jobs++) {
		struct bg b = { 21, 0 };
		struct workq_task *t = workq_start(jobs, bg_task, &b);
		if (jobs <= 1)
			cr_assert_eq(b.out, 42, "jobs <= 1 runs it at once");
		workq_join(t);
		cr_assert_eq(b.out, 42);
	}
}
