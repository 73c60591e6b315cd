/*
 * page: one page of the model and everything hanging off it.
 *
 * Owns the page types (struct page with its headings, numbered blocks,
 * annotations, claims, relations, shared passages and, for entity pages,
 * the entity with its mentions) and their destructor, page_free(), which
 * frees everything a page owns. Loading fills a page (content.h), link
 * completes its reverse indexes (link.h), render only reads it. It does not
 * read files or parse anything.
 */
#ifndef DOSSIER_PAGE_H
#define DOSSIER_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmark-gfm.h>

#include "cooccur.h"
#include "value.h"
#include "wdiff.h"

struct history_change;
struct history_file;

enum page_kind {
	PAGE_HOME,
	PAGE_ARTICLE,
	PAGE_TOPIC,
	PAGE_ENTITY,
	PAGE_PLAIN,
	PAGE_SECTION,
	PAGE_ENTITIES,
	PAGE_CLAIMS,
	PAGE_CHANGES,
	PAGE_SEARCH,
	PAGE_REVISION,
	PAGE_404,
	PAGE_PRINT, /* print.html: the whole dossier in one page */
	PAGE_KIND_COUNT
};

struct heading {
	char *id;
	char *text;
	int level;
	int line;
	cmark_node *node;
	bool blank; /* no visible character (utf8_has_visible): "## " */
};

struct page;

/* A link from a page (and the heading it sits under) to a block. */
struct citation {
	struct page *from;
	const struct heading *under; /* NULL when before the first heading */
	int note;                    /* the annotation (aN-note) holding the link, or 0 */
};

struct block {
	cmark_node *node; /* top-level block, or list item */
	struct citation *cited_by;
	size_t ncited, capcited;
};

struct annotation_entry {
	int number;
	char *quote, *prefix, *suffix;
	cmark_node *note;  /* the note's document while loading */
	int block;         /* 1-based block number holding the quote */
	cmark_node *aside; /* the note as placed in the document (borrowed) */
	int line, col;
	int note_line, note_col; /* where the note's text starts in the file */
};

/* The pointers first, then the narrow fields: 48 bytes, not 56 (there are
 * 760,000 at 10,000 pages, issue 13). */
struct mention {
	struct page *page;
	const char *anchor; /* id to link to: "p7", a heading id, or NULL */
	/* The excerpt (snippet.h) for the first ENTITY_SNIPPETS_MAX mentions
	 * of the entity on this page, in block order, where the entity page
	 * shows them (entity_run_shows_snippets, mentions.h); NULL for the
	 * others, which are only counted. Cut after the mention pass (link)
	 * from `unit`: the paragraph's node, or with `literal` the TEXT node
	 * whose literal alone is the text; [a, b) is the match in that text. */
	char *snippet_html;
	cmark_node *unit;
	int block; /* 1-based block (articles) or 0 */
	uint32_t a, b;
	bool literal;
};

struct entity {
	struct page *page;
	char *slug;
	const char *kind;
	bool link;
	bool case_sensitive;
	struct mention *mentions; /* a page's mentions are consecutive */
	size_t nmentions, capmentions;
	size_t npages;          /* distinct pages mentioning it */
	struct cooccur cooccur; /* other entity index -> top-level blocks shared */
	size_t index;
};

struct claim_source {
	char *cite; /* as written */
	char *wording;
	bool disagrees; /* `disagrees = true`: this source says otherwise */
	struct page *target;
	int block;
	int line, col;   /* the cite value */
	int wline, wcol; /* the wording value */
};

/* A `contradicts` entry of a claim: "other-id" on the same topic page or
 * "other-topic.md#other-id". */
struct claim_ref {
	char *ref;            /* as written */
	struct claim *target; /* resolved by link, or NULL */
	int line, col;
};

/* Independence (issue 16): the articles a claim cites, grouped by the
 * `follows` relations between them (one group per independent source). */
struct claim_article {
	struct page *article;
	size_t group;   /* index of its group among the claim's groups */
	bool disagrees; /* cited only by sources marked disagrees */
};

struct claim {
	char *id, *text, *status, *section;
	struct claim_source *sources;
	size_t nsources;
	struct claim_ref *contradicts;
	size_t ncontradicts;
	struct claim **contradicted_by; /* claims whose `contradicts` names this one */
	size_t ncontradicted_by, capcontradicted_by;
	struct claim_article *articles; /* distinct cited articles, in cite order */
	size_t narticles;
	size_t nindependent; /* groups among the agreeing sources' articles */
	size_t ngroups;      /* groups among all its articles */
	size_t ndisagreeing; /* articles cited only by sources that disagree */
	struct page *topic;
	int line, col;
	int sline, scol; /* the status value */
};

enum relation_kind {
	RELATION_FOLLOWS,
	RELATION_SHARES_WORDING,
	RELATION_CITES
};

/* One pair of an evidence list: a paragraph of the declaring article and
 * the paragraph of the related article it corresponds to. */
struct relation_evidence {
	char *here, *there;          /* as written */
	int here_block, there_block; /* resolved by link, 0 when bad */
	int line, col, tline, tcol;
};

/* A `[[relations]]` table of an article header (issue 16): this article
 * `follows` (rewrites or paraphrases), `shares-wording` with, or `cites`
 * another one. */
struct relation {
	struct page *from;
	char *article;       /* as written */
	struct page *target; /* resolved by link, or NULL */
	enum relation_kind kind;
	const char *kind_name;
	struct relation_evidence *evidence;
	size_t nevidence;
	int line, col;
};

/* A passage of wording two articles share, found by the build (wording.h):
 * `block` / `other_block` are 1-based paragraph numbers, the text is this
 * article's words as written. */
struct shared_passage {
	struct page *other;
	int block, other_block;
	size_t words;
	char *text, *other_text;
};

/* A revision page (kind PAGE_REVISION): one of the newest `[history] diffs`
 * changes of a page's file that changed its text (an addition or a pure
 * rename has none), with the word diff of that change as data and
 * the change itself (commit, paths, blob ids). Load makes them
 * (load/pagehistory.c), the page they belong to owns them (page_free),
 * render only formats them. A revision page is not in site->pages: it is
 * written next to its page and listed nowhere else. */
struct revision {
	struct page *page;                   /* out, title, section "", an empty front matter;
	                        no source (owned) */
	char *title;                         /* "<page title> — revision <short hash>";
	                        page->title borrows it */
	const struct history_change *change; /* owned by site->history */
	struct wdiff diff;                   /* old blob -> new blob */
};

struct page {
	char *src;     /* relative to content/: "topics/x.md"; NULL if generated */
	char *file;    /* for diagnostics: "content/topics/x.md" */
	char *out;     /* relative to the output root: "topics/x.html" */
	char *section; /* "" for top-level pages */
	char *slug;
	enum page_kind kind;
	struct value *fm;    /* front matter (owned), never NULL */
	int body_line;       /* 1-based line where the body starts in `file` */
	const int *line_map; /* articles: Markdown line -> text line */
	size_t nline_map;
	char *body_md; /* articles: the converted Markdown */
	int *line_map_owned;
	const char *title, *description, *date, *short_title;
	int64_t weight;
	bool draft;
	cmark_node *doc;
	struct heading *headings;
	size_t nheadings;
	const struct heading **heading_order; /* sorted by id (page_index_headings) */
	struct block *blocks;                 /* articles: p1..pN */
	size_t nblocks;
	struct annotation_entry *annotations;
	size_t nannotations;
	struct claim *claims;
	size_t nclaims;
	const struct claim **claim_order; /* sorted by id (page_index_claims) */
	struct relation *relations;       /* articles: declared in the header */
	size_t nrelations;
	const struct relation **related_by; /* relations naming this article */
	size_t nrelated_by, caprelated_by;
	struct shared_passage *shared; /* articles: by other article, then block */
	size_t nshared, capshared;
	struct page *source_parent; /* articles: union-find over `follows` */
	struct entity *entity;      /* kind == PAGE_ENTITY */
	struct page **cited_by_pages;
	size_t ncited_by_pages, capcited_by;
	const struct history_file *history;
	struct revision *revisions; /* load: the revision pages of the newest */
	size_t nrevisions;          /* [history] diffs changes, newest first */
	bool linked_from_list;      /* reachable from some list page */
	struct page *parent;        /* section page */
	struct page **children;     /* section pages: members, sorted */
	size_t nchildren;
	size_t mention_total;
	const char *const *exclude; /* entities_exclude slugs */
	size_t nexclude;
};

/* Frees `p` and everything it owns (cmark trees included); NULL is a
 * no-op. */
void page_free(struct page *p);
/* The lookups by id of a fragment, O(log n) each (a page of n headings
 * that n links point into costs n log n, not n squared). The index of
 * headings is made by page_index_headings, once p->headings is complete
 * (markdown_collect_headings calls it), the index of claims by
 * page_index_claims once p->claims is (loading); each replaces the one
 * before. Of two with one id, the first in page order is found. Annotations
 * are found by number in p->annotations, which link sorts by number. */
void page_index_headings(struct page *p);
void page_index_claims(struct page *p);
const struct heading *page_find_heading(const struct page *p, const char *id);
const struct claim *page_find_claim(const struct page *p, const char *id);
const struct annotation_entry *page_find_annotation(const struct page *p, int number);
const char *page_kind_name(enum page_kind k);

#endif
