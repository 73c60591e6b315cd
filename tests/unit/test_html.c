#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "strbuf.h"

static void expect_path(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	url_escape_path(&sb, in, strlen(in));
	cr_expect_str_eq(sb.ptr, want, "url_escape_path('%s')", in);
	sb_free(&sb);
}

Test(html, url_escape_path_encodes_what_a_path_may_not_hold)
{
	expect_path("topics/cost-claims.html", "topics/cost-claims.html");
	expect_path("../a_b.c~d.html", "../a_b.c~d.html");
	expect_path("my page.html", "my%20page.html");
	expect_path("a#b?c%d.html", "a%23b%3Fc%25d.html");
	expect_path("a:b.html", "a%3Ab.html"); /* never read as a scheme */
	expect_path("Ärger.html", "%C3%84rger.html");
	expect_path("caf\xe9.html", "caf%E9.html"); /* not UTF-8: byte by byte */
	expect_path("q\"<>&'`.html", "q%22%3C%3E%26%27%60.html");
	expect_path("tab\tnl\n", "tab%09nl%0A");
	expect_path("(x)!$*+,;=@", "(x)!$*+,;=@");
}

static void expect_decode(const char *in, const char *want)
{
	char *got = url_decode(in, strlen(in));
	cr_expect_str_eq(got, want, "url_decode('%s')", in);
	free(got);
}

Test(html, url_decode)
{
	expect_decode("my%20page.md", "my page.md");
	expect_decode("a%23b%3fc%25d", "a#b?c%d");
	expect_decode("%C3%A4rger", "ärger");
	expect_decode("100%", "100%");
	expect_decode("bad%zz%4", "bad%zz%4");
	expect_decode("nul%00x", "nul%00x"); /* never a NUL in a path */
	expect_decode("", "");
}

Test(html, dangerous_urls_as_cmark_blanks_them)
{
	cr_expect(url_is_dangerous("javascript:alert(1)"));
	cr_expect(url_is_dangerous("JavaScript:alert(1)"));
	cr_expect(url_is_dangerous("vbscript:x"));
	cr_expect(url_is_dangerous("file:///etc/passwd"));
	cr_expect(url_is_dangerous("data:text/html,<script>"));
	cr_expect(url_is_dangerous("data:image/svg+xml,<svg>"));
	cr_expect_not(url_is_dangerous("data:image/png;base64,AA"));
	cr_expect_not(url_is_dangerous("DATA:IMAGE/JPEG;base64,AA"));
	cr_expect_not(url_is_dangerous("data:image/gif;base64,AA"));
	cr_expect_not(url_is_dangerous("data:image/webp;base64,AA"));
	cr_expect_not(url_is_dangerous("https://example.org/"));
	cr_expect_not(url_is_dangerous("javascript.html"));
	cr_expect_not(url_is_dangerous(NULL));
}

Test(html, escape_text_and_attr)
{
	struct strbuf sb = STRBUF_INIT;
	html_escape_attr(&sb, "a&b<c>\"d'", 9);
	cr_expect_str_eq(sb.ptr, "a&amp;b&lt;c&gt;&quot;d&#39;");
	sb_free(&sb);
}
