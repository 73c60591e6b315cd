#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

Test(strbuf, empty_buffer_is_a_shared_empty_string)
{
	struct strbuf sb = STRBUF_INIT;
	cr_expect_eq(sb.ptr, sb_empty);
	cr_expect_str_eq(sb.ptr, "");
	sb_clear(&sb);
	sb_truncate(&sb, 10);
	sb_put(&sb, "x", 0);
	cr_expect_eq(sb.asize, 0, "nothing allocated for nothing");
	char *p = sb_detach(&sb);
	cr_expect_str_eq(p, "");
	cr_expect_neq(p, sb_empty, "a detached empty buffer is the caller's to free");
	free(p);
	sb_free(&sb);
}

Test(strbuf, grows_and_stays_terminated)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		sb_putc(&sb, 'a' + i % 26);
	cr_expect_eq(sb.size, 1000);
	cr_expect_eq(sb.ptr[1000], '\0');
	cr_expect_gt(sb.asize, sb.size);
	cr_expect_eq(sb.ptr[25], 'z');
	sb_put(&sb, "\0mid", 4);
	cr_expect_eq(sb.size, 1004, "bytes, NUL included, not a C string");
	cr_expect_eq(memcmp(sb.ptr + 1000, "\0mid", 5), 0);
	sb_free(&sb);
	cr_expect_eq(sb.size, 0);
	cr_expect_eq(sb.ptr, sb_empty);
}

Test(strbuf, printf_appends)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "n=");
	sb_printf(&sb, "%d/%s", 42, "x");
	sb_printf(&sb, "%s", "");
	cr_expect_str_eq(sb.ptr, "n=42/x");
	cr_expect_eq(sb.size, 6);
	/* Longer than any first allocation. */
	sb_printf(&sb, "%0300d", 7);
	cr_expect_eq(sb.size, 306);
	cr_expect_eq(sb.ptr[305], '7');
	cr_expect_eq(sb.ptr[306], '\0');
	sb_free(&sb);
}

Test(strbuf, truncate_only_shortens)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "abcdef");
	sb_truncate(&sb, 10);
	cr_expect_str_eq(sb.ptr, "abcdef");
	sb_truncate(&sb, 3);
	cr_expect_str_eq(sb.ptr, "abc");
	cr_expect_eq(sb.size, 3);
	sb_clear(&sb);
	cr_expect_str_eq(sb.ptr, "");
	sb_puts(&sb, "z");
	cr_expect_str_eq(sb.ptr, "z");
	sb_free(&sb);
}

Test(strbuf, detach_hands_over_and_resets)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "hello");
	char *p = sb_detach(&sb);
	cr_expect_str_eq(p, "hello");
	cr_expect_eq(sb.size, 0);
	cr_expect_eq(sb.ptr, sb_empty);
	sb_puts(&sb, "again");
	cr_expect_neq(sb.ptr, p);
	cr_expect_str_eq(p, "hello");
	free(p);
	sb_free(&sb);
}

Test(strbuf, views)
{
	struct strview v = sv_from("abc");
	cr_expect_eq(v.n, 3);
	cr_expect(sv_eq(v, "abc"));
	cr_expect(!sv_eq(v, "ab"));
	cr_expect(!sv_eq(v, "abcd"));
	struct strview part = { "abcdef", 2 };
	cr_expect(sv_eq(part, "ab"));
	cr_expect(!sv_eq(part, "abc"));
}
