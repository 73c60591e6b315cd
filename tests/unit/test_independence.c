#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "independence.h"
#include "json.h"
#include "site.h"
#include "strbuf.h"
#include "value.h"

/* A hand-made linked model: three articles, B follows A (so B's parent
 * is A, as the link pass leaves it), C on its own, and a topic. */
static struct page pa, pb, pc, topic;
static struct relation rel_b;
static struct relation_evidence ev_b[2];
static struct page *pages[4];
static struct site site;

static void article(struct page *p, const char *out, const char *title, const char *short_title)
{
	memset(p, 0, sizeof(*p));
	p->kind = PAGE_ARTICLE;
	p->out = (char *)out;
	p->title = title;
	p->short_title = short_title;
}

static void setup(void)
{
	article(&pa, "articles/a.html", "Article A", "A");
	article(&pb, "articles/b.html", "Article B", "B");
	article(&pc, "articles/c.html", "Article C", "C");
	memset(&topic, 0, sizeof(topic));
	topic.kind = PAGE_TOPIC;
	topic.out = "topics/t.html";
	topic.title = "Topic";
	ev_b[0] = (struct relation_evidence){ .here_block = 1, .there_block = 2 };
	ev_b[1] = (struct relation_evidence){ .here_block = 3, .there_block = 0 }; /* bad: left out */
	rel_b = (struct relation){
		.from = &pb,
		.target = &pa,
		.kind = RELATION_FOLLOWS,
		.kind_name = "follows",
		.evidence = ev_b,
		.nevidence = 2,
	};
	pb.relations = &rel_b;
	pb.nrelations = 1;
	static const struct relation *related[1];
	related[0] = &rel_b;
	pa.related_by = related;
	pa.nrelated_by = 1;
	pb.source_parent = &pa;
	pages[0] = &pa, pages[1] = &pb, pages[2] = &pc, pages[3] = &topic;
	memset(&site, 0, sizeof(site));
	site.pages = pages;
	site.npages = 4;
}

static char *json(const struct value *v)
{
	struct strbuf sb = STRBUF_INIT;
	json_write(&sb, v, 0);
	return sb_detach(&sb);
}

#define HAS(v, needle)                                                       \
	do {                                                                 \
		char *j = json(v);                                           \
		cr_assert(strstr(j, needle), "%s\n  not in\n%s", needle, j); \
		free(j);                                                     \
	} while (0)

Test(independence, article_relations_both_ways, .init = setup)
{
	struct value *v = value_new_table();
	independence_article(&pb, v);
	HAS(v, "\"has_relations\":true");
	HAS(v, "\"label\":\"Follows\",\"direction\":\"out\",\"title\":\"Article A\",\"short\":\"A\","
	       "\"url\":\"a.html\",\"has_evidence\":true,\"evidence\":[{\"here\":\"¶1\",\"here_url\":\"#p1\","
	       "\"there\":\"A ¶2\",\"there_url\":\"a.html#p2\"}]");
	HAS(v, "\"has_shared\":false");
	value_free(v);
	v = value_new_table();
	independence_article(&pa, v);
	HAS(v, "\"label\":\"Followed by\",\"direction\":\"in\",\"title\":\"Article B\"");
	/* Seen from A, the pair is turned round. */
	HAS(v, "{\"here\":\"¶2\",\"here_url\":\"#p2\",\"there\":\"B ¶1\",\"there_url\":\"b.html#p1\"}");
	value_free(v);
}

Test(independence, claim_counts_and_the_relation_shown, .init = setup)
{
	struct claim_article arts[3] = {
		{ .article = &pa, .group = 0 },
		{ .article = &pb, .group = 0 },
		{ .article = &pc, .group = 1, .disagrees = true },
	};
	struct claim c = {
		.id = "x",
		.text = "X",
		.status = "disputed",
		.topic = &topic,
		.articles = arts,
		.narticles = 3,
		.nindependent = 1,
		.ngroups = 2,
		.ndisagreeing = 1,
	};
	struct value *v = value_new_table(), *srcs = value_new_array();
	independence_claim(&topic, &c, v, srcs);
	HAS(v, "\"count_label\":\"3 sources, 2 independent (1 disagrees)\"");
	HAS(v, "\"independent\":2,\"independent_agreeing\":1,\"disagreeing\":1");
	HAS(v, "\"dependence\":[{\"text\":\"B follows A\",\"from\":\"B\",\"from_url\":\"../articles/b.html\","
	       "\"to\":\"A\",\"to_url\":\"../articles/a.html\",\"cited\":true}]");
	HAS(v, "{\"title\":\"C\",\"url\":\"../articles/c.html\",\"group\":2,\"disagrees\":true}");
	value_free(v);
	value_free(srcs);
}

Test(independence, claim_without_dependence, .init = setup)
{
	struct claim_article arts[2] = { { .article = &pa, .group = 0 }, { .article = &pc, .group = 1 } };
	struct claim c = {
		.id = "y",
		.text = "Y",
		.status = "consistent",
		.topic = &topic,
		.articles = arts,
		.narticles = 2,
		.nindependent = 2,
		.ngroups = 2,
	};
	struct value *v = value_new_table(), *srcs = value_new_array();
	independence_claim(&topic, &c, v, srcs);
	HAS(v, "\"count_label\":\"2 sources, 2 independent\"");
	HAS(v, "\"has_dependence\":false");
	value_free(v);
	value_free(srcs);
}

Test(independence, site_groups, .init = setup)
{
	struct page home = { .kind = PAGE_HOME, .out = "index.html" };
	struct value *v = independence_site(&site, &home);
	HAS(v, "\"articles\":3,\"independent\":2");
	HAS(v, "{\"articles\":[{\"title\":\"Article A\",\"short\":\"A\",\"url\":\"articles/a.html\"},"
	       "{\"title\":\"Article B\",\"short\":\"B\",\"url\":\"articles/b.html\"}],"
	       "\"relations\":[{\"text\":\"B follows A\"}],\"single\":false,\"has_relations\":true}");
	HAS(v, "{\"articles\":[{\"title\":\"Article C\",\"short\":\"C\",\"url\":\"articles/c.html\"}],"
	       "\"relations\":[],\"single\":true,\"has_relations\":false}");
	value_free(v);
}
