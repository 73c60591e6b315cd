#include <criterion/criterion.h>
#include <stdint.h>

#include "strbuf.h"
#include "utf8.h"

Test(utf8, decode_and_encode)
{
	uint32_t cp = 0;
	cr_assert_eq(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	cr_assert_eq(cp, 0x10FFFF);
	cr_assert_eq(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0, "> U+10FFFF");
	cr_assert_eq(utf8_decode("\xed\xa0\x80", 3, &cp), 0, "surrogate");
	cr_assert_eq(utf8_decode("\xe0\x80\xaf", 3, &cp), 0, "overlong");
	cr_assert_eq(utf8_decode("\xe2\x82", 2, &cp), 0, "truncated");
	struct strbuf sb = STRBUF_INIT;
	utf8_encode(&sb, 0x20AC);
	utf8_encode(&sb, 0x1F600);
	cr_assert_str_eq(sb.ptr, "\xe2\x82\xac\xf0\x9f\x98\x80");
	sb_free(&sb);
}
