#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "serve.h"

static char *path_ok(const char *url, bool *slash)
{
	char *rel = NULL;
	bool s = false;
	cr_assert_eq(serve_path_from_url(url, &rel, &s), 0, "refused %s", url);
	cr_assert_not_null(rel);
	if (slash)
		*slash = s;
	return rel;
}

static void path_refused(const char *url)
{
	char *rel = (char *)"unset";
	bool s;
	cr_expect_eq(serve_path_from_url(url, &rel, &s), -1, "accepted %s",
		     url);
	cr_expect_null(rel, "%s left a result", url);
}

Test(serve, path_plain)
{
	bool slash;
	char *rel = path_ok("/topics/cost-claims.html", &slash);
	cr_expect_str_eq(rel, "topics/cost-claims.html");
	cr_expect(!slash);
	free(rel);
}

Test(serve, path_root_and_folders)
{
	bool slash;
	char *rel = path_ok("/", &slash);
	cr_expect_str_eq(rel, "");
	cr_expect(slash);
	free(rel);
	rel = path_ok("/articles/", &slash);
	cr_expect_str_eq(rel, "articles");
	cr_expect(slash);
	free(rel);
	rel = path_ok("/articles", &slash);
	cr_expect_str_eq(rel, "articles");
	cr_expect(!slash);
	free(rel);
}

Test(serve, path_percent_decoding)
{
	char *rel = path_ok("/a%20b/%C3%A9t%c3%a9.html", NULL);
	cr_expect_str_eq(rel, "a b/\xc3\xa9t\xc3\xa9.html");
	free(rel);
	/* Decoded once: %25 is a literal '%', never decoded again. */
	rel = path_ok("/%252e%252e/x", NULL);
	cr_expect_str_eq(rel, "%2e%2e/x");
	free(rel);
	/* '+' is not a space in a path. */
	rel = path_ok("/a+b.txt", NULL);
	cr_expect_str_eq(rel, "a+b.txt");
	free(rel);
}

Test(serve, path_empty_segments_collapse)
{
	/* "//etc/passwd" must not become an absolute path. */
	char *rel = path_ok("//etc//passwd", NULL);
	cr_expect_str_eq(rel, "etc/passwd");
	free(rel);
}

Test(serve, path_dots_are_names_when_not_alone)
{
	char *rel = path_ok("/.well-known/a..b/...", NULL);
	cr_expect_str_eq(rel, ".well-known/a..b/...");
	free(rel);
}

Test(serve, path_traversal_refused)
{
	path_refused("/../site.toml");
	path_refused("/%2e%2e/site.toml");
	path_refused("/%2E%2E/site.toml");
	path_refused("/.%2e/site.toml");
	path_refused("/..%2fsite.toml");
	path_refused("/..%2Fsite.toml");
	path_refused("/%2e%2e%2fsite.toml");
	path_refused("/a/../../site.toml");
	path_refused("/a/..");
	path_refused("/..");
	path_refused("/./index.html");
	path_refused("/a/%2e/b");
}

Test(serve, path_bad_bytes_refused)
{
	path_refused("/index.html%00.txt");
	path_refused("/a%0ab");
	path_refused("/a%7fb");
	path_refused("/a\\..\\b");
	path_refused("/a%5c..%5cb");
	path_refused("/%");
	path_refused("/%2");
	path_refused("/%zz");
	path_refused("/%g0");
}

Test(serve, path_must_be_absolute)
{
	path_refused("");
	path_refused("index.html");
	path_refused("http://example.org/");
	path_refused("*");
}

Test(serve, mime_types)
{
	cr_expect_str_eq(serve_mime_type("index.html"), "text/html; charset=utf-8");
	cr_expect_str_eq(serve_mime_type("a/B.HTML"), "text/html; charset=utf-8");
	cr_expect_str_eq(serve_mime_type("style.css"), "text/css; charset=utf-8");
	cr_expect_str_eq(serve_mime_type("dossier.js"),
			 "text/javascript; charset=utf-8");
	cr_expect_str_eq(serve_mime_type("x.json"), "application/json");
	cr_expect_str_eq(serve_mime_type("atom.xml"), "application/xml");
	cr_expect_str_eq(serve_mime_type("feed.atom"), "application/atom+xml");
	cr_expect_str_eq(serve_mime_type("feed.rss"), "application/rss+xml");
	cr_expect_str_eq(serve_mime_type("logo.svg"), "image/svg+xml");
	cr_expect_str_eq(serve_mime_type("a.png"), "image/png");
	cr_expect_str_eq(serve_mime_type("a.jpg"), "image/jpeg");
	cr_expect_str_eq(serve_mime_type("a.JPEG"), "image/jpeg");
	cr_expect_str_eq(serve_mime_type("a.webp"), "image/webp");
	cr_expect_str_eq(serve_mime_type("favicon.ico"), "image/x-icon");
	cr_expect_str_eq(serve_mime_type("robots.txt"), "text/plain; charset=utf-8");
	cr_expect_str_eq(serve_mime_type("README"), "application/octet-stream");
	cr_expect_str_eq(serve_mime_type("a.tar.gz"), "application/octet-stream");
}

static char *inject(const char *html, unsigned long build)
{
	size_t n;
	char *out = serve_inject_script(html, strlen(html), build, &n);
	cr_assert_eq(strlen(out), n);
	return out;
}

Test(serve, inject_before_last_body_close)
{
	char *out = inject("<html><body><p>&lt;/body&gt;</p></body></html>", 7);
	cr_expect_str_eq(out, "<html><body><p>&lt;/body&gt;</p>"
			      "<script src=\"/__dossier/live.js\" "
			      "data-build=\"7\"></script></body></html>");
	free(out);
}

Test(serve, inject_any_case_and_last)
{
	char *out = inject("<pre></body></pre>\n</BODY>\n", 12);
	cr_expect_str_eq(out, "<pre></body></pre>\n<script "
			      "src=\"/__dossier/live.js\" data-build=\"12\">"
			      "</script></BODY>\n");
	free(out);
}

Test(serve, inject_appends_without_body)
{
	char *out = inject("<p>hi", 1);
	cr_expect_str_eq(out, "<p>hi<script src=\"/__dossier/live.js\" "
			      "data-build=\"1\"></script>");
	free(out);
	out = inject("", 0);
	cr_expect_str_eq(out, "<script src=\"/__dossier/live.js\" "
			      "data-build=\"0\"></script>");
	free(out);
}

Test(serve, inject_keeps_nul_bytes)
{
	size_t n;
	char *out = serve_inject_script("a\0b</body>", 10, 3, &n);
	cr_expect_eq(n, 10 + strlen("<script src=\"/__dossier/live.js\" "
				    "data-build=\"3\"></script>"));
	cr_expect_eq(memcmp(out, "a\0b<script", 10), 0);
	free(out);
}

Test(serve, status_ok)
{
	char *j = serve_status_json(3, true, NULL);
	cr_expect_str_eq(j, "{\"build\":3,\"ok\":true,\"errors\":[]}");
	free(j);
}

Test(serve, status_errors_escaped)
{
	char *j = serve_status_json(
		4, false,
		"content/a.md:3:1: error: bad \"key\" \\ <b>\n\ncontent/b.md:1:2: "
		"error: tab\there\n");
	cr_expect_str_eq(j, "{\"build\":4,\"ok\":false,\"errors\":["
			    "\"content/a.md:3:1: error: bad \\\"key\\\" \\\\ <b>\","
			    "\"content/b.md:1:2: error: tab\\u0009here\"]}");
	free(j);
}

Test(serve, diag_text_sorted)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, "content/b.md", 2, 1, "second");
	diag_warning(&d, "content/a.md", 9, 4, "first");
	char *t = serve_diag_text(&d);
	cr_expect_str_eq(t, "content/a.md:9:4: warning: first\n"
			    "content/b.md:2:1: error: second\n");
	free(t);
	diag_free(&d);
}

Test(serve, options_defaults)
{
	struct serve_options o;
	serve_options_init(&o);
	cr_expect_str_eq(o.bind, "127.0.0.1");
	cr_expect_eq(o.port, 8000);
	cr_expect_str_eq(o.out_dir, "public");
	cr_assert_eq(o.nwatch, 3);
	cr_expect_str_eq(o.watch[0], "content");
	cr_expect_str_eq(o.watch[1], "themes");
	cr_expect_str_eq(o.watch[2], "site.toml");
}

Test(serve, live_script_polls_status)
{
	cr_expect_not_null(strstr(serve_live_js, "/__dossier/status"));
	cr_expect_not_null(strstr(serve_live_js, "location.reload()"));
	cr_expect_not_null(strstr(serve_live_js, "textContent"));
	cr_expect_null(strstr(serve_live_js, "innerHTML"));
}

Test(serve, host_must_name_this_server)
{
	cr_expect(serve_host_allowed("127.0.0.1:8000", "127.0.0.1", 8000));
	cr_expect(serve_host_allowed("localhost:8000", "127.0.0.1", 8000));
	cr_expect(serve_host_allowed("LocalHost:8000", "127.0.0.1", 8000));
	cr_expect(serve_host_allowed("[::1]:8000", "::1", 8000));
	cr_expect(serve_host_allowed("localhost", "127.0.0.1", 80));
	/* DNS rebinding: any other name, even resolving here. */
	cr_expect(!serve_host_allowed("evil.example:8000", "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("localhost.evil.example:8000", "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("127.0.0.1.nip.io:8000", "127.0.0.1", 8000));
	/* The port must be ours. */
	cr_expect(!serve_host_allowed("127.0.0.1:8001", "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("127.0.0.1", "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("localhost:", "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("localhost:80x", "127.0.0.1", 80));
	/* Malformed or absent. */
	cr_expect(!serve_host_allowed(NULL, "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("", "127.0.0.1", 8000));
	cr_expect(!serve_host_allowed("[::1:8000", "::1", 8000));
	cr_expect(!serve_host_allowed("[::1]x:8000", "::1", 8000));
	/* Another loopback address is not the bound one. */
	cr_expect(!serve_host_allowed("127.0.0.2:8000", "127.0.0.1", 8000));
}

Test(serve, host_on_a_wildcard_bind)
{
	cr_expect(serve_host_allowed("192.168.1.20:8000", "0.0.0.0", 8000));
	cr_expect(serve_host_allowed("[fe80::1]:8000", "::", 8000));
	cr_expect(serve_host_allowed("localhost:8000", "0.0.0.0", 8000));
	cr_expect(!serve_host_allowed("attacker.example:8000", "0.0.0.0", 8000));
	cr_expect(!serve_host_allowed("192.168.1.20:9000", "0.0.0.0", 8000));
}
