#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char sb_empty[1];

void sb_init(struct strbuf *sb)
{
	sb->ptr = sb_empty;
	sb->size = 0;
	sb->asize = 0;
}

void sb_free(struct strbuf *sb)
{
	if (sb->asize)
		free(sb->ptr);
	sb_init(sb);
}

void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->size + extra + 1;
	if (need <= sb->asize)
		return;
	size_t n = sb->asize < 16 ? 16 : sb->asize;
	while (n < need)
		n += n / 2;
	if (sb->asize) {
		sb->ptr = xrealloc(sb->ptr, n);
	} else {
		sb->ptr = xmalloc(n);
		sb->ptr[0] = '\0';
	}
	sb->asize = n;
}

void sb_put(struct strbuf *sb, const void *p, size_t n)
{
	if (n == 0)
		return;
	sb_grow(sb, n);
	memmove(sb->ptr + sb->size, p, n);
	sb->size += n;
	sb->ptr[sb->size] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->ptr + sb->size, (size_t)n + 1, fmt, ap);
	sb->size += (size_t)n;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_clear(struct strbuf *sb)
{
	sb_truncate(sb, 0);
}

void sb_truncate(struct strbuf *sb, size_t size)
{
	if (size < sb->size) {
		sb->size = size;
		sb->ptr[size] = '\0';
	}
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->asize ? sb->ptr : xstrdup("");
	sb_init(sb);
	return p;
}

struct strview sv_from(const char *s)
{
	struct strview v = { s, strlen(s) };
	return v;
}

bool sv_eq(struct strview a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && memcmp(a.p, s, n) == 0;
}
