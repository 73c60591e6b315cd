/*
 * searchindex: the search outputs (render/context.h): search-index.js (the
 * whole index as one script, for themes that load it), and search/, the
 * sharded index search.h builds with the pages' texts in shards.
 */
#include "context.h"

#include <string.h>

#include "html.h"
#include "json.h"
#include "markdown.h"
#include "search.h"

/* search-index.js: a script (a fetch of JSON fails on file://) defining
 * window.DOSSIER_INDEX; the contract is in themes/README.md. */
/* The text of a page without numbered blocks in segments: the text
 * before the first heading, then each heading's; `fn` gets each non-empty
 * one with its heading's id ("" before the first), the text in `txt`. The
 * page's headings are in document order, so each top-level heading is
 * found from where the last one was. */
typedef void (*segment_fn)(void *arg, const char *id, const char *s, size_t n);
static void each_segment(const struct page *p, struct strbuf *txt, segment_fn fn, void *arg)
{
	sb_clear(txt);
	const char *id = "";
	size_t next = 0;
	for (cmark_node *c = cmark_node_first_child(p->doc);; c = cmark_node_next(c)) {
		const struct heading *h = NULL;
		if (c && cmark_node_get_type(c) == CMARK_NODE_HEADING)
			for (size_t k = next; k < p->nheadings && !h; k++)
				if (p->headings[k].node == c) {
					h = &p->headings[k];
					next = k + 1;
				}
		if (!c || h) {
			if (txt->size)
				fn(arg, id, txt->ptr, txt->size);
			if (!c)
				break;
			sb_clear(txt);
			id = h->id;
			continue;
		}
		markdown_text(c, txt);
		if (txt->size && txt->ptr[txt->size - 1] != ' ')
			sb_putc(txt, ' ');
	}
}

/* A segment as [heading id, text], for search-index.js. */
static void push_segment(void *arg, const char *id, const char *s, size_t n)
{
	struct value *pair = value_array_push(arg, value_new_array());
	value_array_push(pair, value_new_cstr(id));
	value_array_push(pair, value_new_string(s, n));
}

static struct value *page_segments(const struct page *p)
{
	struct value *segs = value_new_array();
	struct strbuf txt = STRBUF_INIT;
	each_segment(p, &txt, push_segment, segs);
	sb_free(&txt);
	return segs;
}

/* A page as the search index holds it (themes/README.md): t, u, k, d, h,
 * p (articles' blocks) or b (segments), a (annotations). */
static struct value *search_page(const struct page *p)
{
	struct value *v = value_new_table();
	value_set_str(v, "t", p->title);
	set_root_url(v, "u", p->out);
	value_set_str(v, "k", p->entity ? p->entity->kind : page_kind_name(p->kind));
	value_set_str(v, "d", p->description);
	struct value *hs = value_table_set(v, "h", value_new_array());
	for (size_t k = 0; k < p->nheadings; k++) {
		struct value *pair = value_array_push(hs, value_new_array());
		value_array_push(pair, value_new_cstr(p->headings[k].id));
		value_array_push(pair, value_new_cstr(p->headings[k].text));
	}
	if (p->nblocks) {
		struct value *bs = value_table_set(v, "p", value_new_array());
		for (size_t k = 0; k < p->nblocks; k++) {
			struct strbuf txt = STRBUF_INIT;
			markdown_text(p->blocks[k].node, &txt);
			value_array_push(bs, value_new_string(txt.ptr, txt.size));
			sb_free(&txt);
		}
	} else {
		value_table_set(v, "b", page_segments(p));
	}
	/* Annotations as [quote, note text]: #aN and #aN-note. */
	struct value *an = value_table_set(v, "a", value_new_array());
	for (size_t k = 0; k < p->nannotations; k++) {
		struct value *pair = value_array_push(an, value_new_array());
		struct strbuf note = STRBUF_INIT;
		cmark_node *aside = p->annotations[k].aside;
		for (cmark_node *c = aside ? cmark_node_first_child(aside) : NULL; c;
		     c = cmark_node_next(c))
			markdown_text(c, &note);
		value_array_push(pair, value_new_cstr(p->annotations[k].quote));
		value_array_push(pair, value_new_string(note.ptr, note.size));
		sb_free(&note);
	}
	if (p->entity) {
		const struct value *al = value_table_get(p->fm, "aliases");
		struct value *names = value_table_set(v, "n", value_new_array());
		for (size_t k = 0; al && al->type == VALUE_ARRAY && k < al->u.a.n; k++)
			if (al->u.a.items[k]->type == VALUE_STRING)
				value_array_push(names, value_new_cstr(al->u.a.items[k]->u.s.p));
	}
	return v;
}

/* Asked every STOP_EVERY pages whether to give up (serve's deferred
 * step, when a change comes in). */
#define STOP_EVERY 4

struct search_stop {
	bool (*fn)(void *);
	void *arg;
	bool stopped;
};

static bool should_stop(struct search_stop *st, size_t i)
{
	if (st->fn && i % STOP_EVERY == 0 && st->fn(st->arg))
		st->stopped = true;
	return st->stopped;
}

static void search_index(const struct site *s, struct strbuf *out, struct search_stop *stop)
{
	struct value *idx = value_new_table();
	struct value *pages = value_table_set(idx, "pages", value_new_array());
	for (size_t i = 0; i < s->npages && !should_stop(stop, i + 1); i++)
		if (s->pages[i]->doc)
			value_array_push(pages, search_page(s->pages[i]));
	if (stop->stopped) {
		value_free(idx);
		return;
	}
	value_table_set(idx, "entities", entities_table(s));
	sb_puts(out, "window.DOSSIER_INDEX = ");
	json_write(out, idx, 0);
	sb_puts(out, ";\n");
	value_free(idx);
}

struct search_out {
	const char *out_dir;
	struct diag *d;
	struct search_stop *stop;
	size_t files;
};

static int write_search_file(const char *name, const char *data, size_t len, void *ctx)
{
	struct search_out *so = ctx;
	if (should_stop(so->stop, ++so->files))
		return -2;
	struct strbuf rel = STRBUF_INIT;
	sb_printf(&rel, "search/%s", name);
	int rc = write_out(so->out_dir, rel.ptr, data, len, so->d);
	sb_free(&rel);
	return rc;
}

/* search/: the sharded index (search.h) and the pages' records in files of
 * SEARCH_DOCS, for results' titles and snippets. Document i of the index is
 * entry i % SEARCH_DOCS of search/d-<i / SEARCH_DOCS>.js. A record holds
 * the page's title, URL, kind, description, headings and names, and the
 * first EXCERPT code points of its text (the index has all of it). */
#define SEARCH_DOCS 8
#define EXCERPT 160

/* One page: indexed as the current document, its record appended to rec. */
struct page_ix {
	struct search_index *ix;
	struct strbuf *rec, txt;
	size_t left; /* code points of excerpt still to write */
	bool first;  /* no excerpt part written yet */
};

static void rec_str(struct strbuf *rec, const char *s)
{
	if (s)
		json_write_string(rec, s, strlen(s));
	else
		sb_puts(rec, "null");
}

static void field(struct page_ix *pi, const char *s, int weight)
{
	if (s)
		search_doc_field(pi->ix, s, strlen(s), weight);
}

/* The length of the excerpt of s[0, n) in bytes: at most pi->left code
 * points, cut at a space when cut (pi->left is then 0). */
static size_t excerpt_len(struct page_ix *pi, const char *s, size_t n)
{
	size_t i = 0, cps = 0;
	while (i < n && cps < pi->left) {
		unsigned char c = (unsigned char)s[i++];
		if (c >= 0x80)
			while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
				i++;
		cps++;
	}
	if (i >= n) {
		pi->left -= cps;
		return n;
	}
	pi->left = 0;
	size_t cut = i;
	while (cut > 0 && s[cut - 1] != ' ' && s[cut - 1] != '\n')
		cut--;
	return cut ? cut : i;
}

/* A body text (a block's, or a segment's with its anchor id): indexed,
 * and its start in the excerpt while there is room. */
static void body(struct page_ix *pi, const char *id, const char *s, size_t n)
{
	search_doc_field(pi->ix, s, n, 1);
	if (!pi->left || !n)
		return;
	size_t len = excerpt_len(pi, s, n);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	sb_puts(pi->rec, pi->first ? "" : ",");
	pi->first = false;
	if (id) {
		sb_putc(pi->rec, '[');
		rec_str(pi->rec, id);
		sb_putc(pi->rec, ',');
	}
	if (len < n) {
		struct strbuf cut = STRBUF_INIT;
		sb_put(&cut, s, len);
		sb_puts(&cut, " …");
		json_write_string(pi->rec, cut.ptr, cut.size);
		sb_free(&cut);
	} else {
		json_write_string(pi->rec, s, n);
	}
	if (id)
		sb_putc(pi->rec, ']');
}

/* A segment of the page's body, for the index (each_segment). */
static void body_segment(void *arg, const char *id, const char *s, size_t n)
{
	body(arg, id, s, n);
}

/* Fields: title, names and headings weigh more than the text; headings
 * come again in the text, where they stand. The order and the fields are
 * those of search_page, so positions are the same. */
static void index_page(struct search_index *ix, const struct page *p, struct strbuf *rec)
{
	struct page_ix pi = { ix, rec, STRBUF_INIT, EXCERPT, true };
	const struct value *al = p->entity ? value_table_get(p->fm, "aliases") : NULL;
	size_t nal = al && al->type == VALUE_ARRAY ? al->u.a.n : 0;
	field(&pi, p->title, 4);
	for (size_t k = 0; k < nal; k++)
		if (al->u.a.items[k]->type == VALUE_STRING)
			search_doc_field(ix, al->u.a.items[k]->u.s.p, al->u.a.items[k]->u.s.n, 3);
	field(&pi, p->description, 2);
	for (size_t k = 0; k < p->nheadings; k++)
		field(&pi, p->headings[k].text, 2);

	sb_puts(rec, "{\"t\":");
	rec_str(rec, p->title);
	sb_puts(rec, ",\"u\":");
	sb_clear(&pi.txt);
	url_escape_path(&pi.txt, p->out, strlen(p->out));
	json_write_string(rec, pi.txt.ptr, pi.txt.size);
	sb_puts(rec, ",\"k\":");
	rec_str(rec, p->entity ? p->entity->kind : page_kind_name(p->kind));
	sb_puts(rec, ",\"d\":");
	rec_str(rec, p->description);
	sb_puts(rec, ",\"h\":[");
	for (size_t k = 0; k < p->nheadings; k++) {
		sb_puts(rec, k ? ",[" : "[");
		rec_str(rec, p->headings[k].id);
		sb_putc(rec, ',');
		rec_str(rec, p->headings[k].text);
		sb_putc(rec, ']');
	}
	if (p->nblocks) {
		sb_puts(rec, "],\"p\":[");
		for (size_t k = 0; k < p->nblocks; k++) {
			sb_clear(&pi.txt);
			markdown_text(p->blocks[k].node, &pi.txt);
			/* An empty block has its place in the list (#pN). */
			if (!pi.txt.size && pi.left)
				sb_puts(rec, pi.first ? "\"\"" : ",\"\"");
			else
				body(&pi, NULL, pi.txt.ptr, pi.txt.size);
			if (!pi.txt.size)
				pi.first = false;
		}
	} else {
		sb_puts(rec, "],\"b\":[");
		each_segment(p, &pi.txt, body_segment, &pi);
	}
	sb_putc(rec, ']');
	/* Annotations: quote and note, indexed; not in the record. */
	for (size_t k = 0; k < p->nannotations; k++) {
		field(&pi, p->annotations[k].quote, 1);
		cmark_node *aside = p->annotations[k].aside;
		sb_clear(&pi.txt);
		for (cmark_node *c = aside ? cmark_node_first_child(aside) : NULL; c;
		     c = cmark_node_next(c))
			markdown_text(c, &pi.txt);
		search_doc_field(ix, pi.txt.ptr, pi.txt.size, 1);
	}
	if (p->entity) {
		sb_puts(rec, ",\"n\":[");
		bool any = false;
		for (size_t k = 0; k < nal; k++)
			if (al->u.a.items[k]->type == VALUE_STRING) {
				sb_puts(rec, any ? "," : "");
				json_write_string(rec, al->u.a.items[k]->u.s.p, al->u.a.items[k]->u.s.n);
				any = true;
			}
		sb_putc(rec, ']');
	}
	sb_putc(rec, '}');
	sb_free(&pi.txt);
}

static int search_files(const struct site *s, const char *out_dir, struct search_stop *stop,
			struct diag *d)
{
	struct search_index *ix = search_new();
	if (!ix) {
		diag_error(d, "search", 0, 0, "libstemmer has no English stemmer");
		return -1;
	}
	struct search_out so = { out_dir, d, stop, 0 };
	struct strbuf sb = STRBUF_INIT, name = STRBUF_INIT;
	int rc = 0;
	size_t last = 0; /* the last page with a text */
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->doc)
			last = i;
	for (size_t i = 0; i < s->npages && !rc; i++) {
		const struct page *p = s->pages[i];
		if (should_stop(stop, i + 1)) {
			rc = -2;
			break;
		}
		if (!p->doc)
			continue;
		size_t doc = search_doc_begin(ix);
		if (doc % SEARCH_DOCS == 0)
			sb_printf(&sb, "(window.DOSSIER_SEARCH_D = window.DOSSIER_SEARCH_D || {})[%zu] = [",
				  doc / SEARCH_DOCS);
		else
			sb_putc(&sb, ',');
		index_page(ix, p, &sb);
		if ((doc + 1) % SEARCH_DOCS == 0 || i == last) {
			sb_puts(&sb, "];\n");
			sb_clear(&name);
			sb_printf(&name, "d-%zu.js", doc / SEARCH_DOCS);
			rc = write_search_file(name.ptr, sb.ptr, sb.size, &so);
			sb_clear(&sb);
		}
	}
	if (!rc) {
		char extra[64];
		snprintf(extra, sizeof extra, "\"docs\":%d,", SEARCH_DOCS);
		rc = search_write_until(ix, extra, write_search_file, &so, stop->fn, stop->arg);
	}
	sb_free(&sb);
	sb_free(&name);
	search_free(ix);
	return rc;
}

int render_search_until(const struct site *s, const struct theme *t, const char *out_dir,
			bool (*stop)(void *), void *arg, struct diag *d)
{
	struct search_stop st = { stop, arg, false };
	int rc = 0;
	if (t->whole_index) {
		struct strbuf sb = STRBUF_INIT;
		search_index(s, &sb, &st);
		rc = st.stopped ? -2 : write_out(out_dir, "search-index.js", sb.ptr, sb.size, d);
		sb_free(&sb);
	}
	if (rc != -2 && search_files(s, out_dir, &st, d) < 0)
		rc = st.stopped ? -2 : -1;
	return rc;
}

int render_search(const struct site *s, const struct theme *t, const char *out_dir,
		  struct diag *d)
{
	return render_search_until(s, t, out_dir, NULL, NULL, d);
}
