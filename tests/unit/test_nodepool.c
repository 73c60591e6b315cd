#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include <cmark-gfm/node.h>

#include "markdown.h"
#include "nodepool.h"

#define NODE sizeof(cmark_node)

static cmark_mem *mem(void)
{
	return nodepool_mem(NODE);
}

Test(nodepool, node_sized_blocks_come_from_the_pool)
{
	void *a = mem()->calloc(1, NODE), *b = mem()->calloc(1, NODE);
	void *other = mem()->calloc(NODE, 1), *small = mem()->calloc(1, 24);
	cr_assert_eq(nodepool_owns(a), nodepool_enabled());
	cr_assert_eq(nodepool_owns(b), nodepool_enabled());
	/* Only (1, node size) is pooled: a text of that many bytes is not. */
	cr_assert(!nodepool_owns(other));
	cr_assert(!nodepool_owns(small));
	cr_assert(!nodepool_owns(NULL));
	if (nodepool_enabled()) /* no header, no rounding between blocks */
		cr_assert_eq((char *)b, (char *)a + NODE);
	mem()->free(a);
	mem()->free(b);
	mem()->free(other);
	mem()->free(small);
}

Test(nodepool, a_freed_block_is_reused_zeroed)
{
	unsigned char *a = mem()->calloc(1, NODE);
	memset(a, 0xAB, NODE);
	mem()->free(a);
	unsigned char *b = mem()->calloc(1, NODE);
	if (nodepool_enabled())
		cr_assert_eq(b, a, "the thread's last freed block comes back first");
	for (size_t i = 0; i < NODE; i++)
		cr_assert_eq(b[i], 0, "byte %zu not zeroed", i);
	mem()->free(b);
}

Test(nodepool, realloc_of_a_block_moves_it_out)
{
	char *a = mem()->calloc(1, NODE);
	memcpy(a, "node bytes", 11);
	char *b = mem()->realloc(a, 4 * NODE);
	cr_assert(!nodepool_owns(b));
	cr_assert_str_eq(b, "node bytes");
	char *c = mem()->realloc(b, 8 * NODE); /* an ordinary block stays ordinary */
	cr_assert_str_eq(c, "node bytes");
	mem()->free(c);
}

static void *take_one(void *arg)
{
	*(void **)arg = mem()->calloc(1, NODE);
	return NULL;
}

Test(nodepool, a_block_from_another_thread_is_known)
{
	void *p = NULL;
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, take_one, &p), 0);
	pthread_join(t, NULL);
	cr_assert_eq(nodepool_owns(p), nodepool_enabled());
	mem()->free(p); /* goes to this thread's list */
	void *q = mem()->calloc(1, NODE);
	if (nodepool_enabled())
		cr_assert_eq(q, p);
	mem()->free(q);
}

Test(nodepool, many_blocks_span_chunks)
{
	enum { N = 20000 }; /* 3.4 MB of nodes: several 1 MiB chunks */
	static void *v[N];
	for (size_t i = 0; i < N; i++) {
		v[i] = mem()->calloc(1, NODE);
		cr_assert_eq(nodepool_owns(v[i]), nodepool_enabled());
		memset(v[i], (int)(i & 0xFF), NODE);
	}
	for (size_t i = 0; i < N; i++)
		cr_assert_eq(((unsigned char *)v[i])[NODE - 1], (unsigned char)(i & 0xFF), "block %zu overlapped", i);
	for (size_t i = 0; i < N; i++)
		mem()->free(v[i]);
}

Test(nodepool, parsed_trees_and_new_nodes_share_the_allocator)
{
	cmark_node *doc = markdown_parse("Some *text*.\n", 13);
	cmark_node *para = cmark_node_first_child(doc);
	cr_assert_eq(nodepool_owns(doc), nodepool_enabled());
	cr_assert_eq(nodepool_owns(para), nodepool_enabled());
	/* cmark joins only nodes of one allocator: markdown_node_new's join,
	 * cmark_node_new's (the library's default) would not, in the pool. */
	cmark_node *t = markdown_node_new(CMARK_NODE_TEXT, para);
	cmark_node_set_literal(t, " More.");
	cr_assert(cmark_node_append_child(para, t));
	cmark_node *plain = cmark_node_new(CMARK_NODE_TEXT);
	cr_assert_eq(cmark_node_append_child(para, plain) != 0, !nodepool_enabled());
	if (nodepool_enabled())
		cmark_node_free(plain);
	char *html = markdown_render(doc, false);
	cr_assert_str_eq(html, "<p>Some <em>text</em>. More.</p>\n");
	free(html);
	cmark_node_free(doc);
}

static void take_n(void **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = mem()->calloc(1, NODE);
}

static void give_n(void **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mem()->free(v[i]);
}

/* A thread that takes n blocks and gives them back; returns how many
 * chunks the pool had carved while it held them. */
struct thread_run {
	size_t n, chunks;
	void *v[12000];
};

static void *take_and_give_back(void *arg)
{
	struct thread_run *r = arg;
	take_n(r->v, r->n);
	r->chunks = nodepool_chunks();
	give_n(r->v, r->n);
	return NULL;
}

static size_t in_thread(size_t n)
{
	static struct thread_run r;
	r.n = n;
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, take_and_give_back, &r), 0);
	pthread_join(t, NULL);
	return r.chunks;
}

/* The work queue's threads live for one loop: what a thread freed, and
 * the rest of its chunk, must serve the threads after it (else each
 * rebuild of serve would carve chunks anew). */
Test(nodepool, an_ended_threads_blocks_serve_the_others)
{
	size_t after_thread = in_thread(100);
	if (!nodepool_enabled()) {
		cr_assert_eq(nodepool_chunks(), 0);
		return;
	}
	cr_assert_eq(after_thread, 1);
	/* More than the thread freed: the rest of its chunk serves too. */
	enum { M = 1000 };
	static void *v[M];
	take_n(v, M);
	for (size_t i = 0; i < M; i++)
		cr_assert(nodepool_owns(v[i]));
	cr_assert_eq(nodepool_chunks(), 1, "a new chunk was carved: %zu", nodepool_chunks());
	give_n(v, M);
}

/* serve's thread frees the trees of the previous build, which the loops'
 * threads made: past 2 * 4096 blocks its list goes to the shared one, so
 * the next build's threads reuse them (else each rebuild kept 8 MB more
 * at 1,000 pages). */
Test(nodepool, a_thread_freeing_more_than_it_takes_hands_blocks_on)
{
	enum { N = 20000 };
	static void *v[N];
	take_n(v, N);
	size_t chunks = nodepool_chunks();
	give_n(v, N);
	size_t seen = in_thread(12000);
	cr_assert_eq(seen, chunks, "the thread carved %zu chunks anew", seen - chunks);
}
