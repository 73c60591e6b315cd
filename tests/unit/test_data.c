#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "json.h"
#include "unit_site.h"

static struct value *parsed(const char *text, size_t len, const char *what)
{
	struct diag d;
	diag_init(&d);
	struct value *v = json_parse(text, len, what, &d);
	cr_assert_not_null(v, "%s is not JSON: %s", what, text);
	diag_free(&d);
	return v;
}

/* The JSON-LD of a page of the site, parsed. */
static struct value *jsonld(struct unit_site *u, const char *out, char **raw)
{
	const struct page *p = site_find_out(&u->s, out);
	cr_assert_not_null(p, "%s", out);
	struct strbuf sb = STRBUF_INIT;
	data_page_jsonld(&u->s, p, &sb);
	struct value *v = sb.size ? parsed(sb.ptr, sb.size, out) : NULL;
	if (raw)
		*raw = sb_detach(&sb);
	sb_free(&sb);
	return v;
}

static void loaded(struct unit_site *u, const char *site_toml)
{
	unit_site_make(u, "basic");
	if (site_toml)
		unit_site_write(u, "site.toml", site_toml);
	char *diags = NULL;
	cr_assert_eq(unit_site_load(u), 0, "%s", (diags = unit_site_diags(&u->d)));
	free(diags);
}

Test(data, entity_types)
{
	cr_expect_str_eq(data_entity_type("person"), "Person");
	cr_expect_str_eq(data_entity_type("organization"), "Organization");
	cr_expect_str_eq(data_entity_type("model"), "SoftwareApplication");
	cr_expect_str_eq(data_entity_type("place"), "Place");
	cr_expect_str_eq(data_entity_type("concept"), "Thing");
	cr_expect_str_eq(data_entity_type("Person"), "Thing", "kinds are lowercase");
}

Test(data, claim_reviews_rate_the_claims_of_a_topic)
{
	struct unit_site u;
	loaded(&u, NULL);
	struct value *v = jsonld(&u, "topics/costs.html", NULL);
	cr_assert(v && v->type == VALUE_ARRAY && v->u.a.n == 1);
	const struct value *r = v->u.a.items[0];
	cr_expect_str_eq(value_get_str(r, "@type", NULL), "ClaimReview");
	cr_expect_str_eq(value_get_str(r, "claimReviewed", NULL), "Acme spent $5.6 million");
	cr_expect_str_eq(value_get_str(r, "url", NULL), "costs.html#the-figure", "relative without base_url");
	const struct value *rating = value_table_get(r, "reviewRating");
	cr_expect_eq(value_get_int(rating, "ratingValue", 0), 3);
	cr_expect_str_eq(value_get_str(rating, "alternateName", NULL), "Reported by one source only");
	const struct value *app = value_table_get(value_table_get(r, "itemReviewed"), "appearance");
	cr_assert(app && app->u.a.n == 1);
	cr_expect_str_eq(value_get_str(app->u.a.items[0], "url", NULL), "../articles/example-source.html#p3");
	value_free(v);
	unit_site_free(&u);
}

Test(data, absolute_urls_with_a_base_url_and_nothing_unknown)
{
	struct unit_site u;
	loaded(&u, "title = \"F\"\nbase_url = \"https://example.org/d/\"\n[history]\nenabled = false\n");
	struct value *v = jsonld(&u, "entities/meta.html", NULL);
	cr_assert_not_null(v);
	cr_expect_str_eq(value_get_str(v, "@type", NULL), "Organization");
	cr_expect_str_eq(value_get_str(v, "url", NULL), "https://example.org/d/entities/meta.html");
	value_free(v);
	char *raw = NULL;
	v = jsonld(&u, "articles/example-source.html", &raw);
	cr_assert_not_null(v);
	/* publisher, date and URL are "unknown" in the header: left out. */
	cr_expect(!strstr(raw, "unknown"), "%s", raw);
	cr_expect_null(value_table_get(v, "publisher"));
	cr_expect_null(value_table_get(v, "datePublished"));
	free(raw);
	value_free(v);
	/* Pages with nothing to say say nothing. */
	cr_expect_null(jsonld(&u, "search.html", NULL));
	unit_site_free(&u);
}

Test(data, script_cannot_be_closed_from_the_content)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	unit_site_write(&u, "content/entities/evil.md",
			"+++\ntitle = \"</script><script>alert(1)</script> & co\"\nkind = \"person\"\n+++\nEvil.\n");
	unit_site_write(&u, "content/topics/evil-mention.md", "+++\ntitle = \"E\"\n+++\nSee [it](../entities/evil.md).\n");
	cr_assert_eq(unit_site_load(&u), 0);
	char *raw = NULL;
	struct value *v = jsonld(&u, "entities/evil.html", &raw);
	cr_assert_not_null(v);
	cr_expect(!strchr(raw, '<') && !strchr(raw, '>') && !strchr(raw, '&'), "%s", raw);
	cr_expect_str_eq(value_get_str(v, "name", NULL), "</script><script>alert(1)</script> & co",
			 "the escapes read back as the text");
	free(raw);
	value_free(v);
	unit_site_free(&u);
}

/* data_write_files through a recording writer. */
struct written {
	struct strbuf names;
	struct value *files; /* rel -> parsed JSON */
};
static struct written *recording;

static int record(void *arg, const char *out_dir, const char *rel, const char *data, size_t len, struct diag *d)
{
	(void)d;
	cr_expect_eq(arg, &recording, "the writer gets its argument");
	cr_expect_str_eq(out_dir, "out");
	struct written *w = recording;
	sb_printf(&w->names, "%s\n", rel);
	value_table_set(w->files, rel, parsed(data, len, rel));
	return 0;
}

static int refuse(void *arg, const char *out_dir, const char *rel, const char *data, size_t len, struct diag *d)
{
	(void)arg;
	(void)out_dir;
	(void)data;
	(void)len;
	diag_error(d, rel, 0, 0, "cannot write: No space left on device");
	return -1;
}

Test(data, data_files_are_valid_json_in_model_order)
{
	struct unit_site u;
	loaded(&u, NULL);
	struct written w = { STRBUF_INIT, value_new_table() };
	recording = &w;
	cr_assert_eq(data_write_files(&u.s, "out", record, &recording, &u.d), 0);
	cr_expect_str_eq(w.names.ptr, "annotations.jsonld\narticles/example-source.annotations.jsonld\n"
				      "data/claims.json\ndata/entities.json\ndata/citations.json\n");
	const struct value *ents = value_table_get(value_table_get(w.files, "data/entities.json"), "entities");
	cr_assert(ents && ents->u.a.n == 2);
	cr_expect_str_eq(value_get_str(ents->u.a.items[0], "slug", NULL), "acme-labs");
	cr_expect_str_eq(value_get_str(ents->u.a.items[0], "url", NULL), "entities/acme-labs.html",
			 "relative to the site root");
	cr_expect_eq(value_get_int(ents->u.a.items[0], "mentions", 0), 3);
	/* Each mentioning page once, in site order; an entity names its
	 * pages by index there, with how often each mentions it. */
	const struct value *pages = value_table_get(value_table_get(w.files, "data/entities.json"), "pages");
	cr_assert(pages && pages->type == VALUE_ARRAY && pages->u.a.n == 2);
	cr_expect_str_eq(pages->u.a.items[0]->u.s.p, "articles/example-source.txt");
	cr_expect_str_eq(pages->u.a.items[1]->u.s.p, "topics/costs.md");
	const struct value *in = value_table_get(ents->u.a.items[0], "mentioned_in");
	const struct value *counts = value_table_get(ents->u.a.items[0], "mention_counts");
	cr_assert(in && counts && in->u.a.n == 2 && counts->u.a.n == 2);
	cr_expect(in->u.a.items[0]->u.i == 0 && in->u.a.items[1]->u.i == 1);
	cr_expect(counts->u.a.items[0]->u.i == 2 && counts->u.a.items[1]->u.i == 1, "Acme twice in the article");
	const struct value *ann = value_table_get(w.files, "articles/example-source.annotations.jsonld");
	cr_expect_str_eq(value_get_str(ann, "type", NULL), "AnnotationCollection");
	cr_expect_str_eq(value_get_str(ann, "@context", NULL), "http://www.w3.org/ns/anno.jsonld");
	value_free(w.files);
	sb_free(&w.names);
	/* A failed write fails the call, and every file is tried: one error
	 * each (2 annotation files, 3 data/ files). */
	cr_expect_eq(data_write_files(&u.s, "unused", refuse, NULL, &u.d), -1);
	cr_expect_eq(u.d.errors, 5);
	unit_site_free(&u);
}

/* The HTML body of the first annotation in JSON-LD file `rel`. */
static const char *note_body(const struct written *w, const char *rel)
{
	const struct value *c = value_table_get(w->files, rel);
	cr_assert_not_null(c, "%s", rel);
	const struct value *items = value_table_get(value_table_get(c, "first"), "items");
	cr_assert(items && items->type == VALUE_ARRAY && items->u.a.n >= 1, "%s", rel);
	return value_get_str(value_table_get(items->u.a.items[0], "body"), "value", "");
}

/* The note's links (to a topic, to a paragraph of its article, to an
 * entity) as the page has them, "../topics/costs.html" and "#p1", resolve
 * above the site root and to the JSON-LD file itself from the files the
 * note also stands in: there they are relative to that file (a paragraph
 * link names the article), or absolute with a base_url, as the id and
 * target are. */
static void note_links(const char *site_toml, const char *root_body, const char *article_body)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	if (site_toml)
		unit_site_write(&u, "site.toml", site_toml);
	unit_site_write(&u, "content/entities/zeta-corp.md",
			"+++\ntitle = \"Zeta Corp\"\nkind = \"organization\"\n+++\nA firm.\n");
	unit_sh(u.dir, "sed -i 's|^note = .*|note = \"See [p1](#p1) and Zeta Corp. "
		       "[Topic](../topics/costs.md#the-figure).\"|' content/articles/example-source.txt");
	char *diags = NULL;
	cr_assert_eq(unit_site_load(&u), 0, "%s", (diags = unit_site_diags(&u.d)));
	free(diags);
	struct written w = { STRBUF_INIT, value_new_table() };
	recording = &w;
	cr_assert_eq(data_write_files(&u.s, "out", record, &recording, &u.d), 0);
	cr_expect_str_eq(note_body(&w, "annotations.jsonld"), root_body);
	cr_expect_str_eq(note_body(&w, "articles/example-source.annotations.jsonld"), article_body);
	value_free(w.files);
	sb_free(&w.names);
	unit_site_free(&u);
}

Test(data, note_links_are_relative_to_the_file_they_stand_in)
{
	note_links(NULL,
		   "<p>See <a href=\"articles/example-source.html#p1\">p1</a> and <a class=\"entity\" "
		   "href=\"entities/zeta-corp.html\">Zeta Corp</a>. <a href=\"topics/costs.html#the-figure\">"
		   "Topic</a>.</p>\n",
		   "<p>See <a href=\"example-source.html#p1\">p1</a> and <a class=\"entity\" "
		   "href=\"../entities/zeta-corp.html\">Zeta Corp</a>. <a href=\"../topics/costs.html#the-figure\">"
		   "Topic</a>.</p>\n");
}

Test(data, note_links_are_absolute_with_a_base_url)
{
	note_links("title = \"F\"\nbase_url = \"https://example.org/d/\"\n[history]\nenabled = false\n",
		   "<p>See <a href=\"https://example.org/d/articles/example-source.html#p1\">p1</a> and <a "
		   "class=\"entity\" href=\"https://example.org/d/entities/zeta-corp.html\">Zeta Corp</a>. <a "
		   "href=\"https://example.org/d/topics/costs.html#the-figure\">Topic</a>.</p>\n",
		   "<p>See <a href=\"https://example.org/d/articles/example-source.html#p1\">p1</a> and <a "
		   "class=\"entity\" href=\"https://example.org/d/entities/zeta-corp.html\">Zeta Corp</a>. <a "
		   "href=\"https://example.org/d/topics/costs.html#the-figure\">Topic</a>.</p>\n");
}
