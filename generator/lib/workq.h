/*
 * workq: a loop over [0, n) run on several threads (POSIX threads).
 *
 * Owns the threads of one parallel loop and nothing else: workq_run starts
 * up to jobs - 1 threads, the caller's thread works too, each takes the
 * next index from one atomic counter, and workq_run returns when every
 * index is done and every thread is joined. Which thread runs which index
 * is not fixed, so a task writes only what belongs to its index (its slot
 * of a result array, its own diag buffer, its own output files) and reads
 * shared data that nothing writes during the loop; the caller merges the
 * slots in index order afterwards, so the result does not depend on the
 * number of threads. jobs <= 1 runs the loop in the caller, in order.
 * A loop may also be shared (struct workq_loop): other threads take its
 * indexes beside those it started.
 * Also one background task (workq_start, workq_join) that overlaps a
 * serial step with the caller's other work.
 */
#ifndef DOSSIER_WORKQ_H
#define DOSSIER_WORKQ_H

#include <stdatomic.h>
#include <stddef.h>

/* Runs task(i, arg) for every i in [0, n) on at most `jobs` threads. When
 * a thread cannot be started, the threads that did start (at least the
 * caller's) do the work. */
void workq_run(size_t n, unsigned jobs, void (*task)(size_t i, void *arg), void *arg);

/* The same loop, shareable: workq_loop_init sets it up, workq_loop_run
 * runs it as workq_run does, and workq_loop_work lets any other thread take
 * the indexes still left, beside those (it returns when none is left; the
 * task at an index taken elsewhere may still be running). */
struct workq_loop {
	atomic_size_t next;
	size_t n;
	void (*task)(size_t i, void *arg);
	void *arg;
};
void workq_loop_init(struct workq_loop *l, size_t n, void (*task)(size_t i, void *arg), void *arg);
void workq_loop_run(struct workq_loop *l, unsigned jobs);
void workq_loop_work(struct workq_loop *l);

/* One task beside the caller's work: workq_start runs fn(arg) on a thread
 * of its own when jobs > 1 (in the caller, at once, when jobs <= 1 or no
 * thread can be started), and workq_join waits for it and frees the handle.
 * Until the join, fn and the caller must not write what the other reads. */
struct workq_task;
struct workq_task *workq_start(unsigned jobs, void (*fn)(void *arg), void *arg);
void workq_join(struct workq_task *t);

/* The default -j: the processors online (sysconf), at least 1. */
unsigned workq_default_jobs(void);

#endif
