#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "json.h"
#include "strbuf.h"
#include "unit_site.h"
#include "value.h"

static struct value *dump_of(const char *fixture, struct unit_site *u)
{
	unit_site_make(u, fixture);
	char *diags = NULL;
	cr_assert_eq(unit_site_load(u), 0, "%s", (diags = unit_site_diags(&u->d)));
	free(diags);
	return model_dump(&u->s);
}

static const struct value *page_named(const struct value *dump, const char *out)
{
	const struct value *pages = value_table_get(dump, "pages");
	for (size_t i = 0; pages && i < pages->u.a.n; i++)
		if (!strcmp(value_get_str(pages->u.a.items[i], "out", ""), out))
			return pages->u.a.items[i];
	cr_assert_fail("no page %s in the dump", out);
	return NULL;
}

static const struct value *item(const struct value *t, const char *key, size_t i)
{
	const struct value *a = value_table_get(t, key);
	cr_assert(a && a->type == VALUE_ARRAY && i < a->u.a.n, "%s[%zu]", key, i);
	return a->u.a.items[i];
}

static size_t count(const struct value *t, const char *key)
{
	const struct value *a = value_table_get(t, key);
	cr_assert(a && a->type == VALUE_ARRAY, "%s", key);
	return a->u.a.n;
}

Test(dump, pages_in_output_order_named_by_output_path)
{
	struct unit_site u;
	struct value *v = dump_of("basic", &u);
	const struct value *pages = value_table_get(v, "pages");
	cr_assert_eq(pages->u.a.n, u.s.npages);
	for (size_t i = 1; i < pages->u.a.n; i++)
		cr_expect_lt(strcmp(value_get_str(pages->u.a.items[i - 1], "out", ""),
				    value_get_str(pages->u.a.items[i], "out", "")),
			     0);
	const struct value *art = page_named(v, "articles/example-source.html");
	cr_expect_str_eq(value_get_str(art, "src", NULL), "articles/example-source.txt");
	cr_expect_str_eq(value_get_str(art, "kind", NULL), "article");
	cr_expect_eq(value_get_int(art, "blocks", 0), 6);
	cr_expect_str_eq(value_get_str(art, "parent", NULL), "articles/index.html");
	/* A generated page has no source: null, not "". */
	cr_expect_eq(value_table_get(page_named(v, "claims.html"), "src")->type, VALUE_NULL);
	value_free(v);
	unit_site_free(&u);
}

Test(dump, cited_blocks_name_the_citing_page_and_heading)
{
	struct unit_site u;
	struct value *v = dump_of("basic", &u);
	const struct value *art = page_named(v, "articles/example-source.html");
	/* Only cited blocks are listed: 1, 3 and 6 of the article's 6. */
	cr_assert_eq(count(art, "cited_blocks"), 3);
	const struct value *b3 = item(art, "cited_blocks", 1);
	cr_expect_eq(value_get_int(b3, "block", 0), 3);
	cr_assert_eq(count(b3, "cited_by"), 2);
	const struct value *c = item(b3, "cited_by", 1);
	cr_expect_str_eq(value_get_str(c, "from", NULL), "topics/costs.html");
	cr_expect_str_eq(value_get_str(c, "under", NULL), "the-figure");
	const struct value *a1 = item(art, "annotations", 0);
	cr_expect_eq(value_get_int(a1, "number", 0), 1);
	cr_expect_eq(value_get_int(a1, "block", 0), 3);
	cr_expect_str_eq(value_get_str(a1, "quote", NULL), "spent only $5.6 million");
	const struct value *topic = page_named(v, "topics/costs.html");
	cr_expect_str_eq(value_get_str(item(topic, "headings", 0), "id", NULL), "the-figure");
	cr_expect_eq(value_get_int(item(topic, "headings", 0), "level", 0), 2);
	value_free(v);
	unit_site_free(&u);
}

Test(dump, entities_with_their_mentions)
{
	struct unit_site u;
	struct value *v = dump_of("basic", &u);
	const struct value *meta = item(v, "entities", 1);
	cr_expect_str_eq(value_get_str(meta, "slug", NULL), "meta");
	cr_expect_str_eq(value_get_str(meta, "page", NULL), "entities/meta.html");
	cr_assert_eq(count(meta, "mentions"), u.s.entities[1]->nmentions);
	const struct value *m = item(meta, "mentions", 1);
	cr_expect_str_eq(value_get_str(m, "page", NULL), "topics/costs.html");
	cr_expect_str_eq(value_get_str(m, "anchor", NULL), "the-figure");
	cr_expect_eq(value_get_int(value_table_get(meta, "cooccur"), "acme-labs", 0), 1);
	value_free(v);
	unit_site_free(&u);
}

Test(dump, claims_relations_and_independence)
{
	struct unit_site u;
	struct value *v = dump_of("relations", &u);
	const struct value *topic = page_named(v, "topics/claims.html");
	const struct value *cheap = NULL;
	for (size_t i = 0; i < count(topic, "claims"); i++)
		if (!strcmp(value_get_str(item(topic, "claims", i), "id", ""), "cheap"))
			cheap = item(topic, "claims", i);
	cr_assert_not_null(cheap);
	cr_expect_str_eq(value_get_str(cheap, "status", NULL), "disputed");
	cr_expect_eq(value_get_int(cheap, "independent", -1), 1);
	cr_expect_eq(value_get_int(cheap, "groups", -1), 2);
	cr_expect_eq(value_get_int(cheap, "disagreeing", -1), 1);
	const struct value *rw = page_named(v, "articles/rewrite.html");
	const struct value *r = item(rw, "relations", 0);
	cr_expect_str_eq(value_get_str(r, "kind", NULL), "follows");
	cr_expect_str_eq(value_get_str(r, "target", NULL), "articles/original.html");
	cr_expect_eq(value_get_int(item(r, "evidence", 1), "there_block", 0), 2);
	cr_expect_str_eq(value_get_str(rw, "source_parent", NULL), "articles/original.html");
	cr_expect_eq(value_get_int(item(rw, "shared_wording", 0), "words", 0), 11);
	value_free(v);
	unit_site_free(&u);
}

/* The same site in two folders gives the same bytes: no address, no
 * absolute path, no time in the dump. */
Test(dump, bytes_depend_on_the_site_only)
{
	struct unit_site a, b;
	struct value *va = dump_of("relations", &a), *vb = dump_of("relations", &b);
	struct strbuf ja = STRBUF_INIT, jb = STRBUF_INIT;
	json_write(&ja, va, JSON_PRETTY);
	json_write(&jb, vb, JSON_PRETTY);
	cr_expect_eq(ja.size, jb.size);
	cr_expect_str_eq(ja.ptr, jb.ptr);
	cr_expect_null(strstr(ja.ptr, "/tmp/"), "no absolute path");
	sb_free(&ja);
	sb_free(&jb);
	value_free(va);
	value_free(vb);
	unit_site_free(&a);
	unit_site_free(&b);
}
