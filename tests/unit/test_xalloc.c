#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

Test(xalloc, grow_keeps_contents_and_grows_geometrically)
{
	size_t cap = 0;
	int *v = NULL;
	size_t reallocs = 0, last = 0;
	for (int i = 0; i < 100000; i++) {
		v = xgrow(v, &cap, (size_t)i + 1, sizeof(*v));
		if (cap != last)
			reallocs++, last = cap;
		v[i] = i;
	}
	cr_expect_geq(cap, 100000);
	/* x1.5 from 8: about 26 steps to 100,000, never one per push. */
	cr_expect_lt(reallocs, 40);
	for (int i = 0; i < 100000; i += 997)
		cr_expect_eq(v[i], i);
	/* Enough already: the same block back, capacity unchanged. */
	size_t before = cap;
	cr_expect_eq(xgrow(v, &cap, 10, sizeof(*v)), v);
	cr_expect_eq(cap, before);
	free(v);
}

Test(xalloc, strings)
{
	char *a = xstrdup("abc");
	char *b = xstrndup("abcdef", 2);
	/* Exactly n bytes, NUL or not (not strndup: TOML keys may hold NUL). */
	char *c = xstrndup("a\0b", 3);
	cr_expect_str_eq(a, "abc");
	cr_expect_str_eq(b, "ab");
	cr_expect_eq(memcmp(c, "a\0b", 4), 0);
	int *z = xcalloc(16, sizeof(*z));
	for (int i = 0; i < 16; i++)
		cr_expect_eq(z[i], 0);
	free(a);
	free(b);
	free(c);
	free(z);
}

/* Under ASan the sanitizer's allocator reports the request itself. */
#ifndef __SANITIZE_ADDRESS__
Test(xalloc, out_of_memory_aborts, .signal = SIGABRT)
{
	/* No NULL ever reaches a caller. */
	void *p = xmalloc((size_t)-1 / 2);
	free(p);
}
#endif
