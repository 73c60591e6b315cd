/*
 * nodepool: the memory cmark-gfm trees are made of.
 *
 * Owns the cmark_mem every parse of the program allocates with
 * (markdown.h). A request for one block of the node size given at
 * nodepool_mem is served from per-thread lists of such blocks, carved
 * from 1 MiB chunks, with no header and no rounding: a general allocator
 * rounds cmark-gfm's 168-byte node to its next size class (192 bytes in
 * jemalloc's, 176 in glibc's), and a site holds about 100 nodes a page
 * for the whole build (issue 13: 1.05 million at 10,000 pages). A freed
 * node goes back to the list of the thread that frees it and is reused
 * there; when a thread ends, its list and the rest of its chunk go to one
 * shared list that threads take from before carving a new chunk. Chunks
 * are never given back (the trees live until the program ends, or serve
 * rebuilds, which reuses them). Every other request
 * (texts, buffers, the parser's own state) goes to malloc, calloc,
 * realloc and free, which is what the pool's free does for a block not
 * its own. In the AddressSanitizer builds the pool is off (every request goes to
 * malloc), so AddressSanitizer still sees each node's lifetime.
 */
#ifndef DOSSIER_NODEPOOL_H
#define DOSSIER_NODEPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

/* The allocator, pooling blocks of `node_size` bytes (a multiple of 8, at
 * most 4096); the first call fixes the size for the program, later calls
 * must give the same. */
cmark_mem *nodepool_mem(size_t node_size);

/* Whether the pool is in effect (false in the AddressSanitizer builds). */
bool nodepool_enabled(void);

/* Whether p is a block of the pool, and how many chunks it has carved
 * (for tests). */
bool nodepool_owns(const void *p);
size_t nodepool_chunks(void);

#endif
