/*
 * xalloc: allocation that cannot fail.
 *
 * Owns nothing. Every function prints a message and aborts when the system
 * is out of memory, so callers never check for NULL (as cmark's cmark.c
 * default allocator does). Use free() to release.
 */
#ifndef DOSSIER_XALLOC_H
#define DOSSIER_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* The first `n` bytes of `s`, NUL included or not (s must hold n bytes:
 * unlike strndup, it does not stop at a NUL), then a NUL. */
char *xstrndup(const char *s, size_t n);
/* Grows an array of `*cap` elements of `size` bytes so it holds `need`. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
/* The capacity xgrow picks for `need` items when it holds `cap`: x1.5
 * from 8 (for containers that grow elsewhere, such as value.c's arenas). */
size_t xgrow_cap(size_t cap, size_t need);

#endif
