/*
 * strbuf: a growable byte buffer, and strview, a borrowed slice of bytes.
 *
 * Modelled on cmark's buffer.c. Invariants: `ptr` is never NULL and always
 * NUL-terminated (an empty buffer points at a shared static ""), sizes are
 * size_t, growth is x1.5. sb_detach() hands the bytes to the caller, who
 * frees them with free(); the buffer is then empty again.
 */
#ifndef DOSSIER_STRBUF_H
#define DOSSIER_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

extern char sb_empty[1];

struct strbuf {
	char *ptr;
	size_t size;  /* bytes used, not counting the NUL */
	size_t asize; /* bytes allocated; 0 while ptr == sb_empty */
};

/* clang-format would format the braces as a block. */
/* clang-format off */
#define STRBUF_INIT { sb_empty, 0, 0 }
/* clang-format on */

struct strview {
	const char *p;
	size_t n;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_put(struct strbuf *sb, const void *p, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
/* Inline: the writers call it per byte. */
static inline void sb_putc(struct strbuf *sb, int c)
{
	if (sb->size + 2 > sb->asize)
		sb_grow(sb, 1);
	sb->ptr[sb->size++] = (char)c;
	sb->ptr[sb->size] = '\0';
}
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_clear(struct strbuf *sb);
void sb_truncate(struct strbuf *sb, size_t size);
/* Returns the bytes (owned by the caller, NUL-terminated); sb is reset. */
char *sb_detach(struct strbuf *sb);

struct strview sv_from(const char *s);
bool sv_eq(struct strview a, const char *s);

#endif
