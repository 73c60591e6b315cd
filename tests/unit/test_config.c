#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"

Test(config, http_urls_only)
{
	cr_expect(config_http_url_ok("https://example.org"));
	cr_expect(config_http_url_ok("http://example.org/sub/"));
	cr_expect(config_http_url_ok("HTTPS://Example.org:8443/a?b=c#d"));
	cr_expect(!config_http_url_ok("javascript:alert(1)"));
	cr_expect(!config_http_url_ok("JavaScript://example.org/%0aalert(1)"));
	cr_expect(!config_http_url_ok("data:text/html,<script>x</script>"));
	cr_expect(!config_http_url_ok(" https://example.org"));
	cr_expect(!config_http_url_ok("https://"));
	cr_expect(!config_http_url_ok("https:///path"));
	cr_expect(!config_http_url_ok("https://ex ample.org"));
	cr_expect(!config_http_url_ok("https://example.org/\"onmouseover=x"));
	cr_expect(!config_http_url_ok("https://example.org/<b>"));
	cr_expect(!config_http_url_ok("https://example.org/\n"));
	cr_expect(!config_http_url_ok("//example.org"));
	cr_expect(!config_http_url_ok(""));
}

Test(config, param_keys_are_identifiers)
{
	cr_expect(config_param_key_ok("accent", 6));
	cr_expect(config_param_key_ok("font-ui", 7));
	cr_expect(config_param_key_ok("_private", 8));
	cr_expect(config_param_key_ok("note-width-xl", 13));
	cr_expect(!config_param_key_ok("", 0));
	cr_expect(!config_param_key_ok("1x", 2));
	cr_expect(!config_param_key_ok("-x", 2));
	cr_expect(!config_param_key_ok("a;b", 3));
	cr_expect(!config_param_key_ok("a b", 3));
	cr_expect(!config_param_key_ok("a$b", 3));
	cr_expect(!config_param_key_ok("caf\xc3\xa9", 5));
	/* A NUL inside the TOML key: its length says so. */
	cr_expect(!config_param_key_ok("a\0b", 3));
}

/* Loads `toml` as site.toml and returns every diagnostic printed. */
static char *load(const char *toml)
{
	char dir[] = "/tmp/dossier-test-config-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/site.toml", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(toml, f);
	fclose(f);
	struct diag d;
	struct config cfg;
	diag_init(&d);
	config_load(&cfg, path, "site.toml", &d);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	diag_print(&d, m);
	fclose(m);
	config_free(&cfg);
	diag_free(&d);
	unlink(path);
	rmdir(dir);
	return text;
}

Test(config, errors_at_their_position)
{
	char *out = load("base_url = \"javascript:alert(1)\"\n"
			 "title = \"a\\u0000b\"\n"
			 "[params]\n"
			 "accent = \"red; @import 'x'\"\n"
			 "\"a b\" = 1\n"
			 "t = { x = 1 }\n"
			 "ok = \"#8a3b12\"\n"
			 "n = 1.5\n"
			 "[repo]\n"
			 "url = \"https://example.org/r\"\n");
	cr_expect_str_eq(out,
			 "site.toml:1:12: error: base_url must be an http:// or https:// URL with a host, "
			 "not 'javascript:alert(1)'\n"
			 "site.toml:2:9: error: 'title' contains a NUL character (\\u0000)\n"
			 "site.toml:4:10: error: [params] accent must not hold ';', '{', '}', '\\' or control "
			 "characters (it is pasted into CSS values)\n"
			 "site.toml:5:1: error: [params] key 'a b' must be an identifier (letters, digits, '-' "
			 "and '_', starting with a letter or '_')\n"
			 "site.toml:6:1: error: [params] t must be a string, a number or a boolean, not table\n");
	free(out);
}

Test(config, control_characters_in_strings)
{
	/* "\u0007" reached every page's <title>, which HTML forbids; tab and
	 * line breaks are text; [params] has its own check (one error). */
	char *out = load("title = \"a\\u0007b\"\n"
			 "description = \"\"\"two\nlines\\tand a tab\"\"\"\n"
			 "[params]\n"
			 "accent = \"r\\u001bd\"\n");
	cr_expect_str_eq(out,
			 "site.toml:1:9: error: 'title' contains control character U+0007 (BEL), which no page can "
			 "show\n"
			 "site.toml:5:10: error: [params] accent must not hold ';', '{', '}', '\\' or control "
			 "characters (it is pasted into CSS values)\n");
	free(out);
}

/* A site title of white space printed an empty header link and "<title>
 * · …" on every page; an empty title falls back to nothing, so it is an
 * error at the value. A blank description is allowed (none). */
Test(config, a_blank_title_is_an_error)
{
	char *out = load("title = \" \\u200b \"\ndescription = \"\"\n");
	cr_expect_str_eq(out, "site.toml:1:9: error: 'title' is empty or only white space\n");
	free(out);
	out = load("title = \"\"\"\n  x\n\"\"\"\n");
	cr_expect_str_eq(out, "");
	free(out);
}
