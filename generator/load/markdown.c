/* RTLD_NEXT (glibc declares it for _GNU_SOURCE only): see "parsing on
 * several threads" below. */
#define _GNU_SOURCE
#include "markdown.h"

#include <assert.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm_version.h>
/* The node's layout, for release_sources only: installed by Debian's
 * libcmark-gfm-dev with the library it describes. */
#include <cmark-gfm/node.h>

#include "anchor.h"
#include "fsutil.h"
#include "html.h"
#include "mdlimits.h"
#include "nodepool.h"
#include "utf8.h"
#include "xalloc.h"

#define PARSE_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)
#define RENDER_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG)

static const char *const extension_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist"
};

/* cmark-gfm's extension registry is process-global; so is this list of the
 * extensions every page is parsed and rendered with. */
static cmark_llist *extension_list;

/* --- parsing on several threads ----------------------------------------
 *
 * cmark-gfm 0.29's inline parser keeps its table of special characters in
 * a global (inlines.c), and every parse adds its extensions' characters
 * (strikethrough's '~', autolink's ':' and 'w') when its inline pass
 * starts and removes them when it ends (blocks.c, process_inlines, through
 * cmark_manage_extensions_special_characters), so a parse ending on one
 * thread takes '~' away from one running on another: four threads parsing
 * "A ~~struck~~ word and www.example.com" 20,000 times each gave 1,000 to
 * 5,900 results without the <del> or the link (github/cmark-gfm pull
 * request 176, unmerged; ThreadSanitizer does not see it, the library is
 * not instrumented).
 *
 * The library calls that function through its PLT, so the definition
 * below, in the program, is the one it calls (checked: objdump -d of
 * libcmark-gfm.so.0.29.0.gfm.6 shows both calls as
 * cmark_manage_extensions_special_characters@plt). It forwards the first
 * "add" to the library's own (dlsym RTLD_NEXT) under a mutex and ignores
 * every "remove": the table then holds the characters of our extensions
 * for good, which is what every parse of this program adds, since every
 * parser attaches the same list (markdown_parse is the only parser the
 * program makes). A parse reads the table only after its own "add" has
 * returned, so the one write happens before every read. Where the
 * definition is not in effect (the library bound it directly, or the
 * symbol cannot be found), markdown_parse_parallel() says so and no
 * caller may parse on two threads; test_markdown.c fails in that case, and
 * runs the four-thread parse above expecting no loss. Pages load, and so
 * parse, on the work queue's threads (content.c, page_load_all). */
typedef void manage_chars_fn(cmark_parser *parser, int add);

static pthread_mutex_t chars_lock = PTHREAD_MUTEX_INITIALIZER;
static bool chars_added;      /* under chars_lock */
static bool chars_interposed; /* under chars_lock: our definition ran */

void cmark_manage_extensions_special_characters(cmark_parser *parser, int add)
{
	pthread_mutex_lock(&chars_lock);
	chars_interposed = true;
	if (add && !chars_added) {
		manage_chars_fn *real;
		/* dlsym returns a data pointer; POSIX guarantees it converts. */
		*(void **)&real = dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
		if (real) {
			real(parser, 1);
			chars_added = true;
		}
	}
	pthread_mutex_unlock(&chars_lock);
}

/* release_sources may read nodes: the library is the one node.h is of. */
static bool known_layout;

/* The allocator of every tree markdown_parse makes (nodepool.h). */
static cmark_mem *tree_mem;

static void extensions_init(void)
{
	known_layout = cmark_version() == CMARK_GFM_VERSION;
	tree_mem = nodepool_mem(sizeof(cmark_node));
	cmark_gfm_core_extensions_ensure_registered();
	cmark_mem *mem = cmark_get_default_mem_allocator();
	for (size_t i = 0; i < sizeof(extension_names) / sizeof(*extension_names); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(extension_names[i]);
		if (e)
			extension_list = cmark_llist_append(mem, extension_list, e);
	}
}

/* Made once, whichever thread asks first (pages render on several). */
static cmark_llist *extensions(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, extensions_init);
	return extension_list;
}

bool markdown_parse_parallel(void)
{
	cmark_node_free(markdown_parse("~~a~~", 5));
	pthread_mutex_lock(&chars_lock);
	bool ok = chars_interposed && chars_added;
	pthread_mutex_unlock(&chars_lock);
	return ok;
}

static void join_at_parse(cmark_node *doc);

/* A TEXT node's literal joined from several (join_at_parse) keeps the
 * room its buffer grew by, up to half its length: 13 MB at 10,000 pages.
 * It is given back (the chunk's `alloc` only says that it owns `data`). */
static void fit_text(cmark_node *node)
{
	cmark_chunk *c = &node->as.literal;
	if (c->alloc && c->data)
		c->data = cmark_node_mem(node)->realloc(c->data, (size_t)c->len + 1);
}

/* --- the source text a tree keeps ------------------------------------------
 *
 * After parsing its inlines, cmark-gfm keeps the source text of every
 * paragraph, heading and table cell in the node (its `content` buffer)
 * until the tree is freed; nothing reads it again, and its API has no way
 * to let it go. At 10,000 pages that is 86 MB of the peak (issue 13). The
 * literals, URLs and titles of a fresh tree may still point into their
 * block's, so each is made a copy of its own first (cmark_node_get_literal
 * and the like copy a borrowed string on first read), then, once past
 * the block's children, the buffer is freed.
 * The layout is node.h's, so this runs only with the very library the
 * header came with (known_layout). */
static void release_sources(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		/* A parent's text goes when it is left, after its children
		 * have copied what they borrow of it. */
		if (ev == CMARK_EVENT_EXIT) {
			cmark_strbuf_free(&node->content);
			continue;
		}
		cmark_node_type t = cmark_node_get_type(node);
		if (t == CMARK_NODE_CODE_BLOCK)
			(void)cmark_node_get_fence_info(node);
		switch (t) {
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			(void)cmark_node_get_literal(node);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			(void)cmark_node_get_url(node);
			(void)cmark_node_get_title(node);
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
			(void)cmark_node_get_on_enter(node);
			(void)cmark_node_get_on_exit(node);
			break;
		default:
			break;
		}
		if (t == CMARK_NODE_TEXT)
			fit_text(node);
		if (!cmark_node_first_child(node))
			cmark_strbuf_free(&node->content);
	}
	cmark_iter_free(it);
}

cmark_node *markdown_node_new(cmark_node_type type, cmark_node *near)
{
	return cmark_node_new_with_mem(type, cmark_node_mem(near));
}

cmark_node *markdown_parse(const char *md, size_t len)
{
	cmark_llist *ext = extensions(); /* sets tree_mem */
	cmark_parser *parser = cmark_parser_new_with_mem(PARSE_OPTIONS, tree_mem);
	for (cmark_llist *l = ext; l; l = l->next)
		cmark_parser_attach_syntax_extension(parser, l->data);
	cmark_parser_feed(parser, md, len);
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	join_at_parse(doc);
	if (known_layout) /* set by extensions(), above */
		release_sources(doc);
	return doc;
}

char *markdown_render(cmark_node *doc, bool unsafe)
{
	int opts = RENDER_OPTIONS | (unsafe ? CMARK_OPT_UNSAFE : 0);
	return cmark_render_html(doc, opts, extensions());
}

/* The nodes of `doc` whose type is `a` or `b`, in document order. They are
 * collected first because cmark's iterator allows no edits on the way. */
static size_t collect(cmark_node *doc, cmark_node_type a, cmark_node_type b, cmark_node ***out)
{
	cmark_node **v = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER && (t == a || t == b)) {
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			v[n++] = node;
		}
	}
	cmark_iter_free(it);
	*out = v;
	return n;
}

/* Each of the n soft breaks becomes "\n" text, merged with the texts
 * around it; frees `breaks`. */
static void join_breaks(cmark_node *doc, cmark_node **breaks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cmark_node *text = markdown_node_new(CMARK_NODE_TEXT, breaks[i]);
		cmark_node_set_literal(text, "\n");
		cmark_node_replace(breaks[i], text);
		cmark_node_free(breaks[i]);
	}
	free(breaks);
	cmark_consolidate_text_nodes(doc);
}

void markdown_join_lines(cmark_node *doc)
{
	cmark_node **breaks = NULL;
	size_t n = collect(doc, CMARK_NODE_SOFTBREAK, CMARK_NODE_SOFTBREAK, &breaks);
	join_breaks(doc, breaks, n);
}

/* A short quotation of what was dropped, for a diagnostic: the first line,
 * at most 60 bytes, cut on a character boundary. */
static void quote_of(const char *s, struct strbuf *out)
{
	s += strspn(s, " \t");
	size_t n = strcspn(s, "\r\n");
	if (n > 60) {
		n = utf8_floor(s, 60);
		sb_put(out, s, n);
		sb_puts(out, "…");
	} else {
		sb_put(out, s, n);
	}
}

static bool is_type(cmark_node *node, cmark_node_type t)
{
	return node && cmark_node_get_type(node) == t;
}

/* Whether a raw HTML block the safety pass drops leaves an empty block in
 * its place (written as nothing but a line break), so the page renders as
 * cmark-gfm renders it with the block: where cmark's renderer writes the
 * paragraphs of a tight list item with no <p>, one between two of them
 * keeps their words apart ("open\nalpha", not "openalpha"), and as the
 * last block of a footnote after a paragraph it keeps the back link out
 * of that paragraph. Only the first of a run of raw HTML blocks needs one
 * (all are dropped). Found by tests/conformance/gfm_random.py. */
static bool needs_gap(cmark_node *html)
{
	if (cmark_node_get_type(html) != CMARK_NODE_HTML_BLOCK)
		return false;
	cmark_node *parent = cmark_node_parent(html), *prev = cmark_node_previous(html);
	cmark_node *next = cmark_node_next(html);
	while (is_type(next, CMARK_NODE_HTML_BLOCK))
		next = cmark_node_next(next);
	if (!is_type(prev, CMARK_NODE_PARAGRAPH))
		return false;
	if (is_type(parent, CMARK_NODE_ITEM))
		return is_type(next, CMARK_NODE_PARAGRAPH) && cmark_node_get_list_tight(cmark_node_parent(parent));
	return is_type(parent, CMARK_NODE_FOOTNOTE_DEFINITION) && !next;
}

void markdown_sanitize(cmark_node *doc, bool unsafe, const struct page *p, struct diag *d)
{
	if (unsafe)
		return;
	cmark_node **doomed = NULL;
	size_t n = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		const char *what = NULL, *lit = NULL;
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
			doomed = xgrow(doomed, &cap, n + 1, sizeof(*doomed));
			doomed[n++] = node;
			what = t == CMARK_NODE_HTML_BLOCK ? "raw HTML block" : "raw HTML";
			lit = cmark_node_get_literal(node);
		} else if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
			   url_is_dangerous(cmark_node_get_url(node))) {
			/* cmark's renderer writes such a URL as "" in safe
			 * mode; the node stays, so its text does too. */
			what = t == CMARK_NODE_LINK ? "link URL" : "image URL";
			lit = cmark_node_get_url(node);
		}
		if (!what)
			continue;
		struct strbuf q = STRBUF_INIT;
		quote_of(lit ? lit : "", &q);
		diag_warning(d, p->file, markdown_line(p, node), markdown_col(p, node),
			     "%s '%s' dropped (to keep it, set [markdown] unsafe = true)", what, q.ptr);
		sb_free(&q);
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < n; i++) {
		if (needs_gap(doomed[i]))
			cmark_node_insert_before(doomed[i],
						 markdown_node_new(CMARK_NODE_CUSTOM_BLOCK, doomed[i]));
		cmark_node_free(doomed[i]);
	}
	free(doomed);
}

/* `soft`: a TEXT node's "\n" (a line break joined at parse) is a space. */
static void text_of(cmark_node *node, bool soft, struct strbuf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		/* Blocks are separated by a space, so "else." and "Editorial"
		 * of two paragraphs do not run together. */
		if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && out->size &&
		    out->ptr[out->size - 1] != ' ')
			sb_putc(out, ' ');
		switch (t) {
		case CMARK_NODE_TEXT:
			if (soft) {
				size_t at = out->size;
				sb_puts(out, cmark_node_get_literal(n));
				for (char *c = memchr(out->ptr + at, '\n', out->size - at); c;
				     c = memchr(c + 1, '\n', (size_t)(out->ptr + out->size - c - 1)))
					*c = ' ';
				break;
			}
			__attribute__((fallthrough)); /* (clang ignores a comment) */
		case CMARK_NODE_CODE:
			sb_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

void markdown_text(cmark_node *node, struct strbuf *out)
{
	text_of(node, false, out);
}

void markdown_source_text(const struct page *p, cmark_node *node, struct strbuf *out)
{
	text_of(node, markdown_lines_joined(p->doc), out);
}

/* The annotation whose note holds `node`, or NULL: a note's positions are
 * those of its TOML string. The note is its own document while loading
 * (annotation_entry.note), then an aside at the top level of the article. */
static const struct annotation_entry *note_of(const struct page *p, cmark_node *node)
{
	if (!p->nannotations)
		return NULL;
	cmark_node *top = node;
	while (cmark_node_parent(top) && cmark_node_parent(top) != p->doc)
		top = cmark_node_parent(top);
	bool detached = !cmark_node_parent(top);
	for (size_t i = 0; i < p->nannotations; i++) {
		const struct annotation_entry *a = &p->annotations[i];
		if (detached ? a->note == top : a->aside == top)
			return a;
	}
	return NULL;
}

/* Line `line`, column `col` of p's body (of annotation a's note when a
 * is not NULL) as a place in p's file. */
static void place(const struct page *p, const struct annotation_entry *a, int line, int col,
		  int *fline, int *fcol)
{
	if (a) {
		*fline = a->note_line + (line > 0 ? line - 1 : 0);
		*fcol = line <= 1 ? a->note_col + col - 1 : col;
		return;
	}
	*fcol = p->line_map ? 1 : col;
	if (p->line_map && line >= 1 && (size_t)line <= p->nline_map)
		line = p->line_map[line - 1];
	*fline = line + p->body_line - 1;
}

/* Line `line` of the tree `node` is in, as a line of p's file. */
static int file_line(const struct page *p, cmark_node *node, int line)
{
	int fline, fcol;
	place(p, note_of(p, node), line, 1, &fline, &fcol);
	return fline;
}

static int file_col(const struct page *p, cmark_node *node, int line, int col)
{
	int fline, fcol;
	place(p, note_of(p, node), line, col, &fline, &fcol);
	return fcol;
}

cmark_node *markdown_parse_within(const struct page *p, const struct annotation_entry *note,
				  const char *md, size_t len, struct diag *d)
{
	struct mdlimits_hit hits[MDLIMITS_RULES];
	size_t n = mdlimits_check(md, len, hits);
	for (size_t i = 0; i < n; i++) {
		int line, col;
		place(p, note, hits[i].line, hits[i].col, &line, &col);
		diag_error(d, p->file, line, col, "%s", hits[i].why);
	}
	return n ? markdown_parse("", 0) : markdown_parse(md, len);
}

/* Where a node starts in the file. The links cmark-gfm's autolink
 * extension makes of www. and e-mail addresses, after the parse, have no
 * column (and the line of the text they were cut from, which may hold
 * several joined lines): such a node starts where the text before it
 * ends, else where its parent starts (found by tests/e2e/random_sites.py:
 * "file:19: warning: ...", with no column). */
static void node_place(const struct page *p, cmark_node *node, int *line, int *col)
{
	int l = cmark_node_get_start_line(node), c = cmark_node_get_start_column(node);
	if (c > 0 || !cmark_node_parent(node)) {
		*line = file_line(p, node, l);
		*col = file_col(p, node, l, c);
		return;
	}
	cmark_node *prev = cmark_node_previous(node);
	if (prev && cmark_node_get_type(prev) == CMARK_NODE_TEXT) {
		const char *lit = cmark_node_get_literal(prev);
		markdown_pos(p, prev, lit ? strlen(lit) : 0, line, col);
		return;
	}
	node_place(p, cmark_node_parent(node), line, col);
}

int markdown_line(const struct page *p, cmark_node *node)
{
	int line, col;
	node_place(p, node, &line, &col);
	return line;
}

int markdown_col(const struct page *p, cmark_node *node)
{
	int line, col;
	node_place(p, node, &line, &col);
	return col;
}

/* --- marks: what a node is, for the passes and for rendering ---------- */

/* A node's role, in its user data (this module is the only one to set a
 * node's user data). Numbered blocks get theirs when numbered, so any walk
 * finds a node's block number in O(1); headings get theirs with their ids.
 * The marks and the nodes handed to the "dossier-id" extension (below) are
 * all the passes leave in the tree for rendering: the markup generated from
 * the model (ids, paragraph links, cited-by lists) is written while
 * rendering, from the page the mark points to. */
enum mark_role {
	MARK_BLOCK,       /* a heading or numbered block: carries `id` */
	MARK_TRAIL,       /* the paragraph that ends with block `of`'s paragraph link */
	MARK_WRAP,        /* the <div> carrying block `of`'s id (code, table, rule, HTML) */
	MARK_NOTE_MARK,   /* a <mark> of annotation `of`'s quotation (`first`: with the id) */
	MARK_NOTE_REF,    /* the numbered reference to annotation `of`'s note */
	MARK_NOTE,        /* the <aside> holding annotation `of`'s note */
	MARK_MENTIONS,    /* a TEXT node with names to link: a struct mention_mark */
	MARK_MENTIONS_AT, /* the same in a copy for another file: a struct mention_copy */
	MARK_LINES,       /* a TEXT node joined at parse: a struct lines_mark */
	MARK_JOINED,      /* the document: its line breaks were joined at parse */
};

/* Every mark starts with its role; all but MARK_MENTIONS (and
 * MARK_MENTIONS_AT, MARK_LINES) are a struct mark. */
struct mark {
	enum mark_role role;
	int number;              /* MARK_BLOCK: the block number, or 0 (a heading) */
	int of;                  /* MARK_TRAIL, MARK_WRAP: the block served */
	int task;                /* list items: -1 not a task, 0 open, 1 done */
	bool first;              /* MARK_NOTE_MARK: the first of the annotation's marks */
	const struct page *page; /* what rendering reads: the blocks' cited_by, out */
	char id[];
};

/* A TEXT node's entity names: one small allocation per text node that has
 * any (there are about 50 per page), as there is no other way from a node
 * to data of ours. */
struct mention_mark {
	enum mark_role role; /* MARK_MENTIONS */
	uint32_t n;
	const struct page *page; /* the page the text is on */
	struct markdown_mention v[];
};

/* A copy's TEXT node with the names of the original's mark `of`, for
 * another file than the page (markdown_render_urls): owned by the copy. */
struct mention_copy {
	enum mark_role role; /* MARK_MENTIONS_AT */
	const struct mention_mark *of;
	markdown_url_fn *fn;
	void *arg;
};

/* A TEXT node whose line breaks were joined at parse: where each line
 * after its first starts, for diagnostics (markdown_pos). `off` is the
 * byte after the k-th "\n" of the literal, (line, col) the position of the
 * source text there. Dropped when the node gets its mentions (no
 * diagnostic points into a text after the mention pass). */
struct lines_mark {
	enum mark_role role; /* MARK_LINES */
	uint32_t n;
	struct line_start {
		uint32_t off;
		int line, col;
	} v[];
};

/* The role of a node's mark (a pointer to a struct is one to its first
 * member), or -1 for no mark. */
static int role_of(cmark_node *node)
{
	const enum mark_role *role = cmark_node_get_user_data(node);
	return role ? (int)*role : -1;
}

static void free_mark(cmark_mem *mem, void *m)
{
	(void)mem;
	free(m);
}

static struct mark *mark_attach(cmark_node *node, enum mark_role role, const char *id, int number,
				const struct page *p)
{
	size_t n = strlen(id);
	struct mark *m = xmalloc(sizeof(*m) + n + 1);
	memcpy(m->id, id, n + 1);
	m->role = role;
	m->number = role == MARK_BLOCK ? number : 0;
	m->of = role == MARK_BLOCK ? 0 : number;
	m->task = -1;
	m->first = false;
	m->page = p;
	assert(!cmark_node_get_user_data(node));
	cmark_node_set_user_data(node, m);
	cmark_node_set_user_data_free_func(node, free_mark);
	return m;
}

int markdown_block_number(cmark_node *node)
{
	if (role_of(node) != MARK_BLOCK)
		return 0;
	const struct mark *m = cmark_node_get_user_data(node);
	return m->number;
}

static cmark_syntax_extension *mark_extension(void);

/* Hands `node` to the extension, which writes its tags: a heading's or
 * block's with its id (a task item's checkbox recorded first, as the
 * tasklist extension it replaces would write it). */
static void use_extension(cmark_node *node)
{
	struct mark *m = cmark_node_get_user_data(node);
	cmark_syntax_extension *tasklist = cmark_find_syntax_extension("tasklist");
	if (tasklist && cmark_node_get_syntax_extension(node) == tasklist)
		m->task = cmark_gfm_extensions_get_tasklist_item_checked(node);
	cmark_node_set_syntax_extension(node, mark_extension());
}

/* A new node of `type` that the extension writes as `role` says, for the
 * tree of `near` (cmark joins only nodes of one allocator). */
static cmark_node *marked_new(cmark_node_type type, enum mark_role role, int of,
			      const struct page *p, cmark_node *near, struct mark **m)
{
	cmark_node *node = markdown_node_new(type, near);
	*m = mark_attach(node, role, "", of, p);
	cmark_node_set_syntax_extension(node, mark_extension());
	return node;
}

cmark_node *markdown_annotation_node(enum markdown_note_part part, int n, bool first, cmark_node *near)
{
	static const enum mark_role role[] = { MARK_NOTE_MARK, MARK_NOTE_REF, MARK_NOTE };
	struct mark *m;
	cmark_node_type type = part == MARKDOWN_NOTE ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE;
	cmark_node *node = marked_new(type, role[part], n, NULL, near, &m);
	m->first = first;
	return node;
}

int markdown_note_number(cmark_node *node)
{
	if (role_of(node) != MARK_NOTE)
		return 0;
	const struct mark *m = cmark_node_get_user_data(node);
	return m->of;
}

bool markdown_link_mentions(cmark_node *text, const struct page *from,
			    const struct markdown_mention *v, size_t n)
{
	assert(cmark_node_get_type(text) == CMARK_NODE_TEXT &&
	       (!cmark_node_get_user_data(text) || role_of(text) == MARK_LINES));
	if (!n)
		return true;
	/* Where the links were custom inlines (before issue 13), a parent
	 * refusing one left the names plain: the same test keeps the same
	 * output. */
	cmark_node *probe = markdown_node_new(CMARK_NODE_CUSTOM_INLINE, text);
	cmark_node_set_syntax_extension(probe, mark_extension());
	bool ok = cmark_node_insert_before(text, probe);
	cmark_node_free(probe);
	if (!ok)
		return false;
	/* Converts the literal to a C string now, so rendering only reads. */
	(void)cmark_node_get_literal(text);
	markdown_forget_lines(text);
	assert(n <= UINT32_MAX);
	struct mention_mark *m = xmalloc(sizeof(*m) + n * sizeof(*v));
	m->role = MARK_MENTIONS;
	m->n = (uint32_t)n;
	m->page = from;
	memcpy(m->v, v, n * sizeof(*v));
	cmark_node_set_user_data(text, m);
	cmark_node_set_user_data_free_func(text, free_mark);
	cmark_node_set_syntax_extension(text, mark_extension());
	return true;
}

bool markdown_is_link(cmark_node *node)
{
	return role_of(node) == MARK_NOTE_REF;
}

/* --- line breaks joined at parse ----------------------------------------
 *
 * The mention scan needs a name broken across source lines as one string,
 * so soft line breaks become "\n" in the text around them
 * (markdown_join_lines). Joined only then, a page's tree held a SOFTBREAK
 * node and a TEXT node per source line from load to link, two thirds of
 * its nodes, which then died: about 150 MB at 10,000 pages (issue 13), in
 * holes the heap kept. A parse now joins them at once, where that changes
 * nothing the passes read: the passes before the mention scan read a
 * joined "\n" as the space a soft break was (markdown_source_text,
 * quote_collect's `soft`, annotate's spaces), and a diagnostic's position
 * in a joined text comes from where each of its lines started
 * (markdown_pos). A tree with a "\n" of its own in a text (an entity,
 * "&#10;") is left to markdown_join_lines, as that "\n" is not a space. */
static const enum mark_role joined_mark = MARK_JOINED;

bool markdown_lines_joined(cmark_node *doc)
{
	assert(!cmark_node_parent(doc));
	return role_of(doc) == MARK_JOINED;
}

void markdown_forget_lines(cmark_node *node)
{
	if (role_of(node) != MARK_LINES)
		return;
	free(cmark_node_get_user_data(node));
	cmark_node_set_user_data(node, NULL);
	cmark_node_set_user_data_free_func(node, NULL);
}

static void join_at_parse(cmark_node *doc)
{
	struct line_start *starts = NULL;
	cmark_node **breaks = NULL;
	size_t n = 0, cap = 0, capb = 0;
	bool ok = true;
	/* The block the last break was in, and the breaks seen in it. */
	cmark_node *blk = NULL;
	int nth = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(node);
		if (t == CMARK_NODE_TEXT) {
			ok = !strchr(cmark_node_get_literal(node), '\n');
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			cmark_node *b = cmark_node_parent(node);
			while (b && (cmark_node_get_type(b) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_BLOCK)
				b = cmark_node_parent(b);
			nth = b == blk ? nth + 1 : 1;
			blk = b;
			if (t == CMARK_NODE_LINEBREAK)
				continue;
			cmark_node *next = cmark_node_next(node);
			int line = next ? cmark_node_get_start_line(next) : 0;
			int col = next ? cmark_node_get_start_column(next) : 0;
			/* A link the autolink extension made has no position: the
			 * line is the block's nth after its first, and the column
			 * the block's (found by tests/e2e/random_sites.py). */
			if (col <= 0 && b) {
				line = cmark_node_get_start_line(b) + nth;
				col = cmark_node_get_start_column(b);
			}
			starts = xgrow(starts, &cap, n + 1, sizeof(*starts));
			breaks = xgrow(breaks, &capb, n + 1, sizeof(*breaks));
			breaks[n] = node;
			starts[n++] = (struct line_start){ 0, line, col };
		}
	}
	cmark_iter_free(it);
	if (!ok) {
		free(starts);
		free(breaks);
		return;
	}
	cmark_node_set_user_data(doc, (void *)&joined_mark);
	if (!n)
		return;
	join_breaks(doc, breaks, n);
	/* The k-th "\n" of the texts, in document order, is the k-th soft
	 * break: the texts held none of their own. */
	size_t k = 0;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_TEXT)
			continue;
		const char *lit = cmark_node_get_literal(node);
		size_t first = k;
		for (const char *c = strchr(lit, '\n'); c && k < n; c = strchr(c + 1, '\n'))
			starts[k++].off = (uint32_t)(c - lit + 1);
		if (k == first || role_of(node) != -1)
			continue;
		struct lines_mark *m = xmalloc(sizeof(*m) + (k - first) * sizeof(*m->v));
		m->role = MARK_LINES;
		m->n = (uint32_t)(k - first);
		memcpy(m->v, starts + first, (k - first) * sizeof(*m->v));
		cmark_node_set_user_data(node, m);
		cmark_node_set_user_data_free_func(node, free_mark);
	}
	cmark_iter_free(it);
	free(starts);
}

void markdown_pos(const struct page *p, cmark_node *node, size_t offset, int *line, int *col)
{
	if (role_of(node) == MARK_LINES) {
		const struct lines_mark *m = cmark_node_get_user_data(node);
		const struct line_start *at = NULL;
		for (uint32_t k = 0; k < m->n && m->v[k].off <= offset; k++)
			at = &m->v[k];
		if (at) {
			*line = file_line(p, node, at->line);
			*col = file_col(p, node, at->line, at->col) + (int)(offset - at->off);
			return;
		}
	}
	*line = markdown_line(p, node);
	*col = markdown_col(p, node) + (int)offset;
}

/* --- block numbering and placement ------------------------------------- */

static void add_block(struct page *p, cmark_node *node, size_t *cap)
{
	p->blocks = xgrow(p->blocks, cap, p->nblocks + 1, sizeof(*p->blocks));
	memset(&p->blocks[p->nblocks], 0, sizeof(*p->blocks));
	p->blocks[p->nblocks++].node = node;
	struct strbuf id = STRBUF_INIT;
	anchor_block(&id, p->nblocks);
	mark_attach(node, MARK_BLOCK, id.ptr, (int)p->nblocks, p);
	sb_free(&id);
}

/* A top-level list with the lists nested in its items, at any depth: the
 * items in document order (issue 14: each list item at every depth is a
 * block of its own) and the lists outer first. Iterative, so nesting depth
 * costs no stack. */
struct list_tree {
	cmark_node **items, **lists;
	size_t nitems, ilcap, nlists, llcap;
};

static cmark_node *next_list(cmark_node *n)
{
	while (n && cmark_node_get_type(n) != CMARK_NODE_LIST)
		n = cmark_node_next(n);
	return n;
}

static void list_tree_collect(cmark_node *top, struct list_tree *lt)
{
	lt->lists = xgrow(lt->lists, &lt->llcap, lt->nlists + 1, sizeof(*lt->lists));
	lt->lists[lt->nlists++] = top;
	cmark_node *it = cmark_node_first_child(top);
	while (it) {
		lt->items = xgrow(lt->items, &lt->ilcap, lt->nitems + 1, sizeof(*lt->items));
		lt->items[lt->nitems++] = it;
		cmark_node *sub = next_list(cmark_node_first_child(it));
		if (sub && cmark_node_first_child(sub)) {
			lt->lists = xgrow(lt->lists, &lt->llcap, lt->nlists + 1, sizeof(*lt->lists));
			lt->lists[lt->nlists++] = sub;
			it = cmark_node_first_child(sub);
			continue;
		}
		/* Next item: a sibling, else the next list of the enclosing
		 * item, else climb to that item and try again. */
		for (;;) {
			if (cmark_node_next(it)) {
				it = cmark_node_next(it);
				break;
			}
			cmark_node *list = cmark_node_parent(it);
			if (list == top) {
				it = NULL;
				break;
			}
			cmark_node *more = next_list(cmark_node_next(list));
			if (more && cmark_node_first_child(more)) {
				lt->lists = xgrow(lt->lists, &lt->llcap, lt->nlists + 1, sizeof(*lt->lists));
				lt->lists[lt->nlists++] = more;
				it = cmark_node_first_child(more);
				break;
			}
			it = cmark_node_parent(list);
		}
	}
}

static void list_tree_free(struct list_tree *lt)
{
	free(lt->items);
	free(lt->lists);
}

/* The paragraph that ends with the paragraph link of item or quote `c`,
 * or NULL (the link is then a line of its own at c's end): an item's last
 * paragraph of its own text (not one of a nested list), a quote's last
 * child if that is a paragraph. */
static cmark_node *trail_target(cmark_node *c)
{
	cmark_node *last = cmark_node_last_child(c);
	if (cmark_node_get_type(c) == CMARK_NODE_ITEM)
		while (last && cmark_node_get_type(last) != CMARK_NODE_PARAGRAPH)
			last = cmark_node_previous(last);
	return last && cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH ? last : NULL;
}

/* Readies block `num` for rendering: paragraphs, headings, items and
 * quotes carry their id themselves; any other block (code, table, rule,
 * raw HTML) moves into a wrapper that does. */
static void place_block(struct page *p, size_t num)
{
	cmark_node *node = p->blocks[num - 1].node;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_ITEM:
	case CMARK_NODE_BLOCK_QUOTE: {
		cmark_node *t = trail_target(node);
		if (t) {
			mark_attach(t, MARK_TRAIL, "", (int)num, p);
			cmark_node_set_syntax_extension(t, mark_extension());
		}
	}
		__attribute__((fallthrough)); /* (clang ignores a comment) */
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		use_extension(node);
		break;
	default: {
		cmark_node *div = markdown_node_new(CMARK_NODE_CUSTOM_BLOCK, node);
		cmark_node_insert_before(node, div);
		cmark_node_append_child(div, node);
		struct strbuf id = STRBUF_INIT;
		anchor_block(&id, num);
		mark_attach(div, MARK_WRAP, id.ptr, (int)num, p);
		sb_free(&id);
		cmark_node_set_syntax_extension(div, mark_extension());
		break;
	}
	}
}

void markdown_number_blocks(struct page *p)
{
	size_t cap = 0;
	for (cmark_node *b = cmark_node_first_child(p->doc); b; b = cmark_node_next(b)) {
		cmark_node_type t = cmark_node_get_type(b);
		/* Annotation notes and footnotes are not part of the source text. */
		if (t == CMARK_NODE_CUSTOM_BLOCK || t == CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		if (t == CMARK_NODE_LIST) {
			struct list_tree lt = { 0 };
			list_tree_collect(b, &lt);
			for (size_t i = 0; i < lt.nitems; i++)
				add_block(p, lt.items[i], &cap);
			list_tree_free(&lt);
		} else {
			add_block(p, b, &cap);
		}
	}
	for (size_t i = 1; i <= p->nblocks; i++)
		place_block(p, i);
}

/* --- heading ids ---------------------------------------------------------- */

/* Ids a heading slug must not take on this page: the block and annotation
 * anchors. */
static void reserve_ids(const struct page *p, struct anchor_set *ids)
{
	struct strbuf id = STRBUF_INIT;
	for (size_t i = 1; i <= p->nblocks; i++) {
		sb_clear(&id);
		anchor_block(&id, i);
		anchor_reserve(ids, id.ptr);
	}
	for (size_t i = 0; i < p->nannotations; i++)
		for (int k = 0; k < ANCHOR_NPARTS; k++) {
			sb_clear(&id);
			anchor_annotation(&id, p->annotations[i].number, (enum anchor_part)k);
			anchor_reserve(ids, id.ptr);
		}
	sb_free(&id);
}

void markdown_collect_headings(struct page *p)
{
	size_t cap = 0;
	struct anchor_set ids = ANCHOR_SET_INIT;
	reserve_ids(p, &ids);
	cmark_iter *it = cmark_iter_new(p->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		struct strbuf text = STRBUF_INIT, id = STRBUF_INIT;
		markdown_source_text(p, n, &text);
		int numbered = markdown_block_number(n);
		if (numbered) {
			anchor_block(&id, (size_t)numbered);
		} else {
			anchor_slug(text.ptr, text.size, &id);
			if (!id.size)
				sb_puts(&id, "section");
			if (anchor_is_theme(id.ptr))
				anchor_reserve(&ids, id.ptr); /* the theme's: "ds-title-1" */
			anchor_unique(&ids, &id);
		}
		if (!numbered)
			mark_attach(n, MARK_BLOCK, id.ptr, 0, p);
		use_extension(n);
		p->headings = xgrow(p->headings, &cap, p->nheadings + 1, sizeof(*p->headings));
		struct heading *h = &p->headings[p->nheadings++];
		h->id = sb_detach(&id);
		h->text = sb_detach(&text);
		h->blank = !utf8_has_visible(h->text, strlen(h->text));
		h->level = cmark_node_get_heading_level(n);
		h->line = markdown_line(p, n);
		h->node = n;
	}
	cmark_iter_free(it);
	anchor_set_free(&ids);
	page_index_headings(p);
}

/* --- rendering: the extension that writes what the marks stand for ------ */

/* Headings and numbered blocks keep their cmark nodes, so cmark's renderer
 * decides everything it decides for any page (tight lists, task items,
 * list start numbers). They are handed to a private syntax extension whose
 * job is to write the element's tags with its id and, from the page the
 * mark points to, the paragraph link and cited-by list. cmark-gfm calls an
 * extension's render function with its HTML renderer, whose first member
 * is the output buffer; the struct is not in the installed headers, so that
 * member is all this module reads, and the buffer is written through
 * cmark's exported cmark_strbuf functions (buffer.h). Nothing here writes to the tree
 * or the page: rendering one page twice, or two at once, gives the same
 * bytes. */
struct cmark_html_renderer {
	cmark_strbuf *html;
};

/* cmark's cr(): a newline unless the output is empty or ends in one. */
static void render_cr(cmark_strbuf *html)
{
	bufsize_t n = cmark_strbuf_len(html);
	if (n > 0 && cmark_strbuf_strrchr(html, '\n', n - 1) != n - 1)
		cmark_strbuf_puts(html, "\n");
}

/* Writes `sb` to the output and empties it. */
static void flush(cmark_strbuf *html, struct strbuf *sb)
{
	cmark_strbuf_puts(html, sb->ptr);
	sb_clear(sb);
}

/* "<tag" [data-sourcepos] [" id=\"ID\""] ">" */
static void open_tag(struct strbuf *sb, const char *tag, cmark_node *node, const char *id,
		     int options)
{
	sb_printf(sb, "<%s", tag);
	if (options & CMARK_OPT_SOURCEPOS)
		sb_printf(sb, " data-sourcepos=\"%d:%d-%d:%d\"", cmark_node_get_start_line(node),
			  cmark_node_get_start_column(node), cmark_node_get_end_line(node),
			  cmark_node_get_end_column(node));
	if (id) {
		sb_puts(sb, " id=\"");
		html_escape_attr(sb, id, strlen(id));
		sb_putc(sb, '"');
	}
	sb_putc(sb, '>');
}

static bool is_tight(cmark_node *paragraph)
{
	cmark_node *gp = cmark_node_parent(cmark_node_parent(paragraph));
	return gp && cmark_node_get_type(gp) == CMARK_NODE_LIST && cmark_node_get_list_tight(gp);
}

/* The paragraph link of block `num`, as inline markup. */
static void block_trail(size_t num, struct strbuf *sb)
{
	sb_puts(sb, " <a class=\"para-link\" href=\"#");
	anchor_block(sb, num);
	sb_printf(sb, "\" aria-label=\"Link to paragraph %zu\">", num);
	anchor_block_label(sb, num);
	sb_puts(sb, "</a>");
}

static void cite_link(struct strbuf *sb, const char *url, const char *frag, const char *text)
{
	sb_puts(sb, "<a href=\"");
	url_escape_path(sb, url, strlen(url));
	if (frag) {
		sb_putc(sb, '#');
		url_escape_path(sb, frag, strlen(frag));
	}
	sb_puts(sb, "\">");
	html_escape_text(sb, text, strlen(text));
	sb_puts(sb, "</a>");
}

/* Citations by citing page (its output path), then in arrival order. */
static int citation_cmp(const void *x, const void *y)
{
	const struct citation *a = *(const struct citation *const *)x;
	const struct citation *b = *(const struct citation *const *)y;
	int c = strcmp(a->from->out, b->from->out);
	return c ? c : (a > b) - (a < b);
}

static bool is_cited(const struct page *p, int num)
{
	return p->blocks[num - 1].ncited > 0;
}

/* One citing page's entries: the headings or notes it cites the block
 * under (`v[0, n)`, all from one page, whose URL is `url`). */
static void cited_under(const struct citation *const *v, size_t n, const char *url, struct strbuf *sb)
{
	sb_puts(sb, "\n<ul>\n");
	for (size_t k = 0; k < n; k++) {
		const struct citation *c = v[k];
		sb_puts(sb, "<li>");
		if (c->note) {
			struct strbuf frag = STRBUF_INIT, label = STRBUF_INIT;
			anchor_annotation(&frag, c->note, ANCHOR_NOTE);
			sb_printf(&label, "Note %d", c->note);
			cite_link(sb, url, frag.ptr, label.ptr);
			sb_free(&frag);
			sb_free(&label);
		} else if (c->under) {
			cite_link(sb, url, c->under->id, c->under->text);
		} else {
			cite_link(sb, url, NULL, "Introduction");
		}
		sb_puts(sb, "</li>\n");
	}
	sb_puts(sb, "</ul>\n");
}

/* The cited-by list of block `num` (nothing if it is not cited): one line,
 * "Cited in N pages", that opens (a <details>, so keyboard and no-script
 * work) to the citing pages, each with the headings or notes it cites the
 * block under. */
static void cited_by_block(const struct page *p, int num, struct strbuf *sb)
{
	const struct block *blk = &p->blocks[num - 1];
	if (!blk->ncited)
		return;
	const struct citation **v = xmalloc(blk->ncited * sizeof(*v));
	for (size_t i = 0; i < blk->ncited; i++)
		v[i] = &blk->cited_by[i];
	qsort(v, blk->ncited, sizeof(*v), citation_cmp);
	size_t n = blk->ncited, pages = 0;
	for (size_t i = 0; i < n; i++)
		if (!i || v[i]->from != v[i - 1]->from)
			pages++;
	sb_printf(sb, "<details class=\"cited-by\"><summary>Cited in %zu page%s"
		      "<span class=\"visually-hidden\"> (paragraph %d)</span></summary>\n<ul>\n",
		  pages, pages == 1 ? "" : "s", num);
	for (size_t i = 0; i < n;) {
		const struct page *from = v[i]->from;
		size_t j = i;
		while (j < n && v[j]->from == from)
			j++;
		char *url = fs_relurl(p->out, from->out);
		sb_puts(sb, "<li>");
		cite_link(sb, url, NULL, from->title);
		/* A lone citation under no heading and in no note is the page. */
		if (j - i > 1 || v[i]->under || v[i]->note)
			cited_under(v + i, j - i, url, sb);
		sb_puts(sb, "</li>\n");
		free(url);
		i = j;
	}
	sb_puts(sb, "</ul>\n</details>\n");
	free(v);
}

/* Block `num`'s cited-by list as cmark writes a block of raw markup. */
static void put_cited(cmark_strbuf *html, const struct page *p, int num, struct strbuf *sb)
{
	if (!is_cited(p, num))
		return;
	render_cr(html);
	cited_by_block(p, num, sb);
	flush(html, sb);
}

/* Block `num`'s paragraph link as a line of its own (after a block that
 * has no paragraph to end it in). */
static void put_trail_line(cmark_strbuf *html, int num, struct strbuf *sb)
{
	render_cr(html);
	block_trail((size_t)num, sb);
	flush(html, sb);
	render_cr(html);
}

/* A quote that is cited ends with its cited-by list, then its link. */
static bool trail_in_paragraph(const struct page *p, cmark_node *block, int num)
{
	if (cmark_node_get_type(block) == CMARK_NODE_BLOCK_QUOTE && is_cited(p, num))
		return false;
	return trail_target(block) != NULL;
}

static void render_heading(cmark_strbuf *html, cmark_node *node, const struct mark *m,
			   bool enter, int options, struct strbuf *sb)
{
	char tag[4] = "h1";
	tag[1] = (char)('0' + cmark_node_get_heading_level(node));
	if (enter) {
		render_cr(html);
		open_tag(sb, tag, node, m->id, options);
		sb_puts(sb, "<a class=\"anchor\" href=\"#");
		url_escape_path(sb, m->id, strlen(m->id));
		sb_puts(sb, "\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
		flush(html, sb);
		return;
	}
	if (m->number)
		block_trail((size_t)m->number, sb);
	sb_printf(sb, "</%s>\n", tag);
	flush(html, sb);
	if (m->number)
		put_cited(html, m->page, m->number, sb);
}

/* A numbered paragraph (top-level, so never in a tight list). */
static void render_paragraph(cmark_strbuf *html, cmark_node *node, const struct mark *m,
			     bool enter, int options, struct strbuf *sb)
{
	if (enter) {
		render_cr(html);
		open_tag(sb, "p", node, m->id, options);
		flush(html, sb);
		return;
	}
	block_trail((size_t)m->number, sb);
	sb_puts(sb, "</p>\n");
	flush(html, sb);
	put_cited(html, m->page, m->number, sb);
}

static void render_item(cmark_strbuf *html, cmark_node *node, const struct mark *m,
			bool enter, int options, struct strbuf *sb)
{
	if (enter) {
		render_cr(html);
		open_tag(sb, "li", node, m->id, options);
		if (m->task >= 0)
			sb_puts(sb, m->task ? "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> "
					    : "<input type=\"checkbox\" disabled=\"\" /> ");
		flush(html, sb);
		return;
	}
	if (m->number) {
		put_cited(html, m->page, m->number, sb);
		if (!trail_in_paragraph(m->page, node, m->number))
			put_trail_line(html, m->number, sb);
	}
	cmark_strbuf_puts(html, "</li>\n");
}

static void render_quote(cmark_strbuf *html, cmark_node *node, const struct mark *m,
			 bool enter, int options, struct strbuf *sb)
{
	if (enter) {
		render_cr(html);
		open_tag(sb, "blockquote", node, m->id, options);
		sb_putc(sb, '\n');
		flush(html, sb);
		return;
	}
	put_cited(html, m->page, m->number, sb);
	if (!trail_in_paragraph(m->page, node, m->number))
		put_trail_line(html, m->number, sb);
	render_cr(html);
	cmark_strbuf_puts(html, "</blockquote>\n");
}

/* What cmark writes for a paragraph, plus the paragraph link of the item
 * or quote it ends. */
static void render_trail(cmark_strbuf *html, cmark_node *node, const struct mark *m,
			 bool enter, int options, struct strbuf *sb)
{
	bool tight = is_tight(node);
	if (enter) {
		if (!tight) {
			render_cr(html);
			open_tag(sb, "p", node, NULL, options);
			flush(html, sb);
		}
		return;
	}
	if (trail_in_paragraph(m->page, cmark_node_parent(node), m->of))
		block_trail((size_t)m->of, sb);
	if (!tight)
		sb_puts(sb, "</p>\n");
	flush(html, sb);
}

/* The wrapper of a block that cannot carry an id (code, table, rule, raw
 * HTML), written as cmark writes a custom block: the link and cited-by
 * list after the block, inside the wrapper. */
static void render_wrap(cmark_strbuf *html, const struct mark *m, bool enter,
			struct strbuf *sb)
{
	render_cr(html);
	if (enter) {
		sb_puts(sb, "<div class=\"block\" id=\"");
		html_escape_attr(sb, m->id, strlen(m->id));
		sb_puts(sb, "\">\n");
		flush(html, sb);
		return;
	}
	put_trail_line(html, m->of, sb);
	put_cited(html, m->page, m->of, sb);
	render_cr(html);
	cmark_strbuf_puts(html, "</div>\n");
}

/* Appends ` name="<id of annotation n's part>"`. */
static void id_attr(struct strbuf *sb, const char *name, int n, enum anchor_part part)
{
	struct strbuf id = STRBUF_INIT;
	anchor_annotation(&id, n, part);
	sb_printf(sb, " %s=\"", name);
	html_escape_attr(sb, id.ptr, id.size);
	sb_putc(sb, '"');
	sb_free(&id);
}

/* An annotation's highlighted quotation: `<mark>`s around its text, the
 * first with the annotation's id, each naming the note. */
static void render_note_mark(cmark_strbuf *html, const struct mark *m, bool enter,
			     struct strbuf *sb)
{
	if (!enter) {
		cmark_strbuf_puts(html, "</mark>");
		return;
	}
	sb_puts(sb, "<mark class=\"annotation\"");
	if (m->first)
		id_attr(sb, "id", m->of, ANCHOR_MARK);
	id_attr(sb, "data-note", m->of, ANCHOR_NOTE);
	sb_putc(sb, '>');
	flush(html, sb);
}

/* The numbered reference after the quotation, pointing to the note. */
static void render_note_ref(cmark_strbuf *html, const struct mark *m, bool enter,
			    struct strbuf *sb)
{
	if (!enter)
		return;
	struct strbuf note = STRBUF_INIT;
	anchor_annotation(&note, m->of, ANCHOR_NOTE);
	sb_puts(sb, "<a class=\"annotation-ref\" href=\"#");
	html_escape_attr(sb, note.ptr, note.size);
	sb_putc(sb, '"');
	id_attr(sb, "id", m->of, ANCHOR_REF);
	id_attr(sb, "aria-describedby", m->of, ANCHOR_NOTE);
	sb_printf(sb, ">%d</a>", m->of);
	flush(html, sb);
	sb_free(&note);
}

/* The note, an <aside> after the block, written as cmark writes a custom
 * block. */
static void render_note(cmark_strbuf *html, const struct mark *m, bool enter,
			struct strbuf *sb)
{
	render_cr(html);
	if (enter) {
		sb_puts(sb, "<aside class=\"annotation-note\"");
		id_attr(sb, "id", m->of, ANCHOR_NOTE);
		sb_printf(sb, " aria-label=\"Annotation %d\"><span class=\"annotation-num\">%d</span>",
			  m->of, m->of);
	} else {
		sb_puts(sb, "</aside>");
	}
	flush(html, sb);
	render_cr(html);
}

/* A TEXT node with entity names: its text escaped as cmark escapes text
 * (houdini, not "secure": ' stays), each name inside a link to its
 * entity's page, relative to the page it is on. */
int houdini_escape_html0(cmark_strbuf *ob, const uint8_t *src, bufsize_t size, int secure);

static void put_text(cmark_strbuf *html, const char *s, size_t n)
{
	if (n)
		houdini_escape_html0(html, (const uint8_t *)s, (bufsize_t)n, 0);
}

int houdini_escape_href(cmark_strbuf *ob, const uint8_t *src, bufsize_t size);

/* An href as cmark's renderer writes a link's (houdini's href escaping). */
static void put_href(cmark_strbuf *html, const char *url)
{
	houdini_escape_href(html, (const uint8_t *)url, (bufsize_t)strlen(url));
}

/* `at`: in a copy for another file (markdown_render_urls), each link goes
 * where at->fn says the page's link goes from there. */
static void render_mentions(cmark_strbuf *html, cmark_node *node, const struct mention_mark *m,
			    const struct mention_copy *at, struct strbuf *sb)
{
	const char *lit = cmark_node_get_literal(node);
	size_t pos = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct markdown_mention *v = &m->v[i];
		const struct entity *e = v->entity;
		put_text(html, lit + pos, v->start - pos);
		char *url = fs_relurl(m->page->out, e->page->out);
		sb_puts(sb, "<a class=\"entity\" href=\"");
		if (at) {
			struct strbuf rel = STRBUF_INIT;
			url_escape_path(&rel, url, strlen(url));
			char *moved = at->fn(rel.ptr, at->arg);
			flush(html, sb);
			put_href(html, moved ? moved : rel.ptr);
			free(moved);
			sb_free(&rel);
		} else {
			url_escape_path(sb, url, strlen(url));
		}
		sb_puts(sb, "\">");
		flush(html, sb);
		free(url);
		put_text(html, lit + v->start, v->end - v->start);
		cmark_strbuf_puts(html, "</a>");
		pos = v->end;
	}
	put_text(html, lit + pos, strlen(lit + pos));
}

/* A block's tags with its id, link and cited-by list. */
static void render_block(cmark_strbuf *html, cmark_node *node, const struct mark *m,
			 bool enter, int options, struct strbuf *sb)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HEADING:
		render_heading(html, node, m, enter, options, sb);
		break;
	case CMARK_NODE_PARAGRAPH:
		render_paragraph(html, node, m, enter, options, sb);
		break;
	case CMARK_NODE_ITEM:
		render_item(html, node, m, enter, options, sb);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		render_quote(html, node, m, enter, options, sb);
		break;
	default:
		assert(!"a block mark on a node type render_block does not know");
	}
}

static void render_mark(cmark_syntax_extension *ext, struct cmark_html_renderer *r,
			cmark_node *node, cmark_event_type ev, int options)
{
	(void)ext;
	const struct mark *m = cmark_node_get_user_data(node);
	bool enter = ev == CMARK_EVENT_ENTER;
	struct strbuf sb = STRBUF_INIT;
	switch ((enum mark_role)role_of(node)) {
	case MARK_BLOCK:
		render_block(r->html, node, m, enter, options, &sb);
		break;
	case MARK_TRAIL:
		render_trail(r->html, node, m, enter, options, &sb);
		break;
	case MARK_WRAP:
		render_wrap(r->html, m, enter, &sb);
		break;
	case MARK_NOTE_MARK:
		render_note_mark(r->html, m, enter, &sb);
		break;
	case MARK_NOTE_REF:
		render_note_ref(r->html, m, enter, &sb);
		break;
	case MARK_NOTE:
		render_note(r->html, m, enter, &sb);
		break;
	case MARK_MENTIONS:
		render_mentions(r->html, node, cmark_node_get_user_data(node), NULL, &sb);
		break;
	case MARK_MENTIONS_AT: {
		const struct mention_copy *at = cmark_node_get_user_data(node);
		render_mentions(r->html, node, at->of, at, &sb);
		break;
	}
	case MARK_LINES:
	case MARK_JOINED:
		break; /* not handed to the extension */
	}
	sb_free(&sb);
}

/* Created while the passes run (before any rendering), never changed. */
static cmark_syntax_extension *mark_ext;

static void mark_extension_init(void)
{
	mark_ext = cmark_syntax_extension_new("dossier-id");
	cmark_syntax_extension_set_html_render_func(mark_ext, render_mark);
}

/* Made once, whichever thread asks first (link prepares pages on several). */
static cmark_syntax_extension *mark_extension(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, mark_extension_init);
	return mark_ext;
}

/* --- rendering for another file ------------------------------------------
 *
 * The URLs a page's tree holds are relative to the page (link writes
 * them so), and cmark's renderer writes a link's URL from its node, with
 * no say of ours. So a subtree rendered for another file is a copy with
 * the URLs that file needs. The copy borrows its marks (but the mentions',
 * which it writes through the function) and the footnotes' labels from
 * the original, which outlives it. */

static void free_copy_mark(cmark_mem *mem, void *m)
{
	(void)mem;
	free(m);
}

/* What a copied node holds but its children; false when it cannot be
 * copied (a footnote, when the library's node layout is not node.h's). */
static bool copy_fields(cmark_node *c, cmark_node *n, markdown_url_fn *fn, void *arg)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_LIST:
		cmark_node_set_list_type(c, cmark_node_get_list_type(n));
		cmark_node_set_list_delim(c, cmark_node_get_list_delim(n));
		cmark_node_set_list_start(c, cmark_node_get_list_start(n));
		cmark_node_set_list_tight(c, cmark_node_get_list_tight(n));
		break;
	case CMARK_NODE_HEADING:
		cmark_node_set_heading_level(c, cmark_node_get_heading_level(n));
		break;
	case CMARK_NODE_CODE_BLOCK:
		cmark_node_set_fence_info(c, cmark_node_get_fence_info(n));
		cmark_node_set_literal(c, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		cmark_node_set_literal(c, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_CUSTOM_INLINE:
		cmark_node_set_on_enter(c, cmark_node_get_on_enter(n));
		cmark_node_set_on_exit(c, cmark_node_get_on_exit(n));
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: {
		char *url = fn(cmark_node_get_url(n), arg);
		cmark_node_set_url(c, url ? url : cmark_node_get_url(n));
		free(url);
		cmark_node_set_title(c, cmark_node_get_title(n));
		break;
	}
	case CMARK_NODE_FOOTNOTE_REFERENCE:
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		/* No setter for what cmark renders a footnote from: the
		 * label (borrowed, not freed with the copy), the number, the
		 * definition a reference goes to. */
		if (!known_layout)
			return false;
		c->as.literal = (cmark_chunk){ n->as.literal.data, n->as.literal.len, 0 };
		c->footnote = n->footnote;
		c->parent_footnote_def = n->parent_footnote_def;
		break;
	default:
		break;
	}
	return true;
}

/* The fields of the table and task list extensions (their node types are
 * the extension's, known by name). */
static void copy_extension_fields(cmark_node *c, cmark_node *n)
{
	const char *t = cmark_node_get_type_string(n);
	if (!strcmp(t, "table")) {
		uint16_t cols = cmark_gfm_extensions_get_table_columns(n);
		cmark_gfm_extensions_set_table_columns(c, cols);
		cmark_gfm_extensions_set_table_alignments(c, cols, cmark_gfm_extensions_get_table_alignments(n));
	} else if (!strcmp(t, "table_header") || !strcmp(t, "table_row")) {
		cmark_gfm_extensions_set_table_row_is_header(c, cmark_gfm_extensions_get_table_row_is_header(n));
	} else if (cmark_node_get_type(n) == CMARK_NODE_ITEM && cmark_node_get_syntax_extension(n) != mark_extension()) {
		cmark_gfm_extensions_set_tasklist_item_checked(c, cmark_gfm_extensions_get_tasklist_item_checked(n));
	}
}

/* Node `n` alone, with its fields and marks; NULL if it cannot be. */
static cmark_node *copy_node(cmark_node *n, cmark_mem *mem, markdown_url_fn *fn, void *arg)
{
	cmark_node *c = cmark_node_new_with_mem_and_ext(cmark_node_get_type(n), mem,
							cmark_node_get_syntax_extension(n));
	if (!copy_fields(c, n, fn, arg)) {
		cmark_node_free(c);
		return NULL;
	}
	copy_extension_fields(c, n);
	if (role_of(n) == MARK_MENTIONS) {
		struct mention_copy *m = xmalloc(sizeof(*m));
		*m = (struct mention_copy){ MARK_MENTIONS_AT, cmark_node_get_user_data(n), fn, arg };
		cmark_node_set_user_data(c, m);
		cmark_node_set_user_data_free_func(c, free_copy_mark);
	} else {
		cmark_node_set_user_data(c, cmark_node_get_user_data(n));
	}
	return c;
}

/* The subtree of `root`, node by node in document order (each joins the
 * copy of its parent, the nearest of the nodes entered and not left); NULL
 * if a node cannot be copied. */
static cmark_node *copy_tree(cmark_node *root, markdown_url_fn *fn, void *arg)
{
	cmark_mem *mem = cmark_get_default_mem_allocator();
	struct pair {
		cmark_node *orig, *copy;
	} *open = NULL;
	size_t n = 0, cap = 0;
	cmark_node *top = NULL;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *c = copy_node(node, mem, fn, arg);
		while (n && open[n - 1].orig != cmark_node_parent(node))
			n--;
		if (!c || (n && !cmark_node_append_child(open[n - 1].copy, c))) {
			if (c)
				cmark_node_free(c);
			if (top)
				cmark_node_free(top);
			top = NULL;
			break;
		}
		if (!n)
			top = c;
		open = xgrow(open, &cap, n + 1, sizeof(*open));
		open[n++] = (struct pair){ node, c };
	}
	cmark_iter_free(it);
	free(open);
	return top;
}

/* cmark-gfm 0.29's table extension gives a cell it makes (as
 * cmark_node_new_with_mem_and_ext does for a copy) a struct of its own,
 * and frees a table's and a row's with the node but not a cell's: given
 * back here, once the copy is rendered. */
static void free_cell_data(cmark_node *copy)
{
	if (!known_layout)
		return;
	cmark_iter *it = cmark_iter_new(copy);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && !strcmp(cmark_node_get_type_string(node), "table_cell") &&
		    node->as.opaque) {
			cmark_node_mem(node)->free(node->as.opaque);
			node->as.opaque = NULL;
		}
	}
	cmark_iter_free(it);
}

char *markdown_render_urls(cmark_node *node, bool unsafe, markdown_url_fn *fn, void *arg)
{
	(void)extensions(); /* known_layout */
	cmark_node *copy = copy_tree(node, fn, arg);
	if (!copy) /* not to be copied (a footnote, copy_fields): as on the page */
		return markdown_render(node, unsafe);
	/* A block in a document, as the original is in one: cmark's
	 * renderer reads a paragraph's parent. */
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	if (!cmark_node_append_child(doc, copy)) {
		cmark_node_free(doc);
		doc = copy;
	}
	char *html = markdown_render(doc, unsafe);
	free_cell_data(doc);
	cmark_node_free(doc);
	return html;
}
