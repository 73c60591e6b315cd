#include "nodepool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define POOL_OFF 1
#endif
#endif
#ifndef POOL_OFF
#define POOL_OFF 0
#endif

#define CHUNK_BITS 20
#define CHUNK ((size_t)1 << CHUNK_BITS)
/* The chunks' addresses, open addressing (0: empty): at most half full,
 * so 32,768 chunks of 1 MiB; past that, nodes come from calloc. */
#define TABLE 65536

static size_t block; /* the node size, fixed by the first nodepool_mem */
static _Atomic uintptr_t chunks[TABLE];
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t nchunks; /* under grow_lock */

struct freeblock {
	struct freeblock *next;
};

/* This thread's freed blocks (about nfree of them), and the rest of its
 * newest chunk. */
static _Thread_local struct freeblock *free_list;
static _Thread_local size_t nfree;
static _Thread_local char *bump, *bump_end;

/* A thread holds at most 2 * SPILL free blocks: one that frees more than
 * it takes (serve's, freeing the trees of the previous build that the
 * loops' threads made) hands its list on past that, and takes SPILL at a
 * time from the shared list (688 KB of 168-byte nodes), so each walk of
 * a list is paid for by as many frees or allocations. */
#define SPILL 4096

/* Blocks for any thread (under grow_lock): the work queue's threads live
 * for one loop, so a thread's free blocks and the rest of its chunk go
 * here when it ends, as do those of a thread past SPILL, and a thread
 * whose own list is empty takes them before it carves anything. Without
 * it each rebuild of `serve` kept 8 MB more at 1,000 pages. */
static struct freeblock *spare;
static atomic_bool spare_any; /* spare != NULL, read without the lock */
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static void thread_ends(void *unused)
{
	(void)unused;
	struct freeblock *head = free_list, *tail = NULL;
	for (struct freeblock *b = head; b; b = b->next)
		tail = b;
	/* The rest of the chunk, as free blocks. */
	for (; bump && (size_t)(bump_end - bump) >= block; bump += block) {
		struct freeblock *b = (struct freeblock *)(void *)bump;
		b->next = head;
		head = b;
		if (!tail)
			tail = b;
	}
	free_list = NULL;
	nfree = 0;
	bump = bump_end = NULL;
	if (!head)
		return;
	pthread_mutex_lock(&grow_lock);
	tail->next = spare;
	spare = head;
	atomic_store_explicit(&spare_any, true, memory_order_relaxed);
	pthread_mutex_unlock(&grow_lock);
}

static void exit_key_init(void)
{
	(void)pthread_key_create(&exit_key, thread_ends);
}

static _Thread_local bool registered;

/* This thread holds blocks from now on: thread_ends runs when it ends. */
static void hold(void)
{
	if (registered)
		return;
	registered = true;
	pthread_once(&exit_once, exit_key_init);
	(void)pthread_setspecific(exit_key, &registered);
}

/* Up to SPILL of the shared blocks, for this thread's empty list; false
 * when none. */
static bool take_spare(void)
{
	size_t n = 0;
	if (!atomic_load_explicit(&spare_any, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&grow_lock);
	struct freeblock *head = spare, *last = NULL;
	for (struct freeblock *b = spare; b && n < SPILL; b = b->next, n++)
		last = b;
	if (last) {
		spare = last->next;
		last->next = NULL;
	}
	atomic_store_explicit(&spare_any, spare != NULL, memory_order_relaxed);
	pthread_mutex_unlock(&grow_lock);
	free_list = last ? head : NULL;
	nfree = n;
	if (free_list)
		hold();
	return free_list != NULL;
}

static size_t slot(uintptr_t base)
{
	uint64_t h = (uint64_t)(base >> CHUNK_BITS) * 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 48) & (TABLE - 1);
}

bool nodepool_owns(const void *p)
{
	uintptr_t base = (uintptr_t)p & ~(uintptr_t)(CHUNK - 1);
	if (!p)
		return false;
	for (size_t i = slot(base);; i = (i + 1) & (TABLE - 1)) {
		uintptr_t c = atomic_load_explicit(&chunks[i], memory_order_acquire);
		if (c == base)
			return true;
		if (!c)
			return false;
	}
}

/* A new chunk for this thread, entered in the table before any block of
 * it is handed out (a block freed on another thread is found there: the
 * hand-over itself orders the two). NULL when the table is half full or
 * the system has no aligned memory to give. */
static char *new_chunk(void)
{
	char *c = aligned_alloc(CHUNK, CHUNK);
	if (!c)
		return NULL;
	pthread_mutex_lock(&grow_lock);
	bool room = nchunks < TABLE / 2;
	if (room) {
		size_t i = slot((uintptr_t)c);
		while (atomic_load_explicit(&chunks[i], memory_order_relaxed))
			i = (i + 1) & (TABLE - 1);
		atomic_store_explicit(&chunks[i], (uintptr_t)c, memory_order_release);
		nchunks++;
	}
	pthread_mutex_unlock(&grow_lock);
	if (!room) {
		free(c);
		return NULL;
	}
	return c;
}

static void *take(void)
{
	if (free_list || take_spare()) {
		struct freeblock *b = free_list;
		free_list = b->next;
		nfree--;
		return b;
	}
	if (!bump || (size_t)(bump_end - bump) < block) {
		char *c = new_chunk();
		if (!c)
			return NULL;
		hold();
		bump = c;
		bump_end = c + CHUNK;
	}
	void *p = bump;
	bump += block;
	return p;
}

static void give(void *p)
{
	struct freeblock *b = p;
	b->next = free_list;
	free_list = b;
	hold();
	if (++nfree <= 2 * SPILL)
		return;
	struct freeblock *tail = b;
	while (tail->next)
		tail = tail->next;
	pthread_mutex_lock(&grow_lock);
	tail->next = spare;
	spare = free_list;
	atomic_store_explicit(&spare_any, true, memory_order_relaxed);
	pthread_mutex_unlock(&grow_lock);
	free_list = NULL;
	nfree = 0;
}

static void *pool_calloc(size_t n, size_t size)
{
	if (block && n == 1 && size == block) {
		void *p = take();
		if (p) {
			memset(p, 0, block);
			return p;
		}
	}
	return xcalloc(n, size);
}

static void *pool_realloc(void *p, size_t size)
{
	if (nodepool_owns(p)) {
		void *q = xmalloc(size);
		memcpy(q, p, size < block ? size : block);
		give(p);
		return q;
	}
	return xrealloc(p, size);
}

static void pool_free(void *p)
{
	if (nodepool_owns(p))
		give(p);
	else
		free(p);
}

static cmark_mem pool = { pool_calloc, pool_realloc, pool_free };

cmark_mem *nodepool_mem(size_t node_size)
{
	if (POOL_OFF)
		return cmark_get_default_mem_allocator();
	/* Set once, before any parse uses the pool; the caller hands the
	 * allocator to its parsing threads through something that orders it
	 * (markdown.c: pthread_once), so they see the size. */
	pthread_mutex_lock(&grow_lock);
	if (!block && node_size >= sizeof(struct freeblock) && node_size % 8 == 0 && node_size <= 4096)
		block = node_size;
	pthread_mutex_unlock(&grow_lock);
	return &pool;
}

bool nodepool_enabled(void)
{
	return !POOL_OFF;
}

size_t nodepool_chunks(void)
{
	pthread_mutex_lock(&grow_lock);
	size_t n = nchunks;
	pthread_mutex_unlock(&grow_lock);
	return n;
}
