/*
 * context: the render phase's internal interface (generator/render/ only).
 *
 * The render phase reads the linked model through const pointers and
 * writes the output folder; it never opens git, builds a page or changes
 * the model. One file per output kind:
 *   context.c     URLs, the context every page shares, writing a file
 *   pages.c       a page's HTML (the `page` context) and paragraph scripts
 *   claims.c      claims on topic pages and the claims page
 *   entities.c    entity pages, the entities index, entities.js
 *   revisions.c   a page's history and its revision (diff) pages
 *   changes.c     the changes page and atom.xml
 *   print.c       print.html (print.h)
 *   searchindex.c search-index.js and search/
 *   sitemap.c     sitemap.xml and redirect pages
 *   assets.c      dossier-root.js and content/'s other files
 *   data.c        JSON-LD and the data/ files (data.h)
 *   render.c      the order of it all (render.h)
 * Context values follow themes/README.md's contract.
 */
#ifndef DOSSIER_CONTEXT_H
#define DOSSIER_CONTEXT_H

#include <stddef.h>

#include "diag.h"
#include "revlog.h"
#include "site.h"
#include "strbuf.h"
#include "theme.h"
#include "value.h"

/* context.c */
/* Call once before anything renders (the 404 page's absolute base);
 * `whole_print`: print.html holds the whole dossier (print.h), so every
 * footer offers it. */
void context_init(const struct site *s, bool whole_print);
/* Page p's position among its parent's children (false: not one of them). */
bool child_position(const struct page *p, size_t *i);
/* "is_<kind name>", the kind flags of the page context. */
const char *is_kind_key(enum page_kind k);
/* t[key] = the URL of output file `to_out` (+ "#frag") as seen from `from`. */
void set_url(struct value *t, const char *key, const struct page *from,
	     const char *to_out, const char *frag);
/* t[key] = `out` from the output root, percent-encoded (scripts' indexes). */
void set_root_url(struct value *t, const char *key, const char *out);
/* { title, url } of `to`, seen from `from`. */
struct value *link_item(const struct page *from, const struct page *to);
struct value *push_table(struct value *arr);
/* t[key] = list, and t[has_key] = whether it has items (has_key may be NULL). */
void set_list(struct value *t, const char *key, struct value *list,
	      const char *has_key);
/* The author's e-mail address of commit `c` to publish: NULL unless the
 * history kept a non-empty one ([history] emails). */
const char *commit_email(const struct history_commit *c);
/* t["email"] = commit_email(c) when not NULL; otherwise absent, so a
 * theme's {{#email}} shows nothing and the output is as without the option. */
void set_email(struct value *t, const struct history_commit *c);
/* An article's metadata rows; unknown values say "unknown". */
struct value *article_meta(const struct page *p);
/* A page's card in lists (link, description, kind, counts). */
struct value *page_summary(const struct page *from, const struct page *p);
/* Values every page's context shares, relative to page `p`. */
void common_ctx(const struct site *s, const struct theme *t,
		const struct page *p, struct value *ctx);
/* common_ctx's values for page `p`, shared by every page of its folder
 * with the same menu entry in effect: made once, owned by the context
 * module, read-only (any thread may use them) until context_done. */
const struct value *shared_ctx(const struct site *s, const struct theme *t,
			       const struct page *p);
/* Frees the shared contexts (context_init does too). */
void context_done(void);
/* Writes `rel` under out_dir (refusing unsafe paths); errors go to d. */
int write_out(const char *out_dir, const char *rel, const char *data, size_t len,
	      struct diag *d);
/* write_out for a file the build has not written yet: when `rel` exists,
 * nothing is written or reported and the result is 1 (the caller says
 * whose path it is). `from`, when not NULL, is a file of content/ copied
 * instead of `data`, and `rel` its path as the content walk found it
 * (taken as it is). */
int write_out_new(const char *out_dir, const char *rel, const char *from, const char *data,
		  size_t len, struct diag *d);
/* Renders template `tmpl` (or "page") with ctx into out_dir/out. */
int render_ctx(const struct theme *t, const char *tmpl, const struct value *ctx,
	       const char *out_dir, const char *out, struct diag *d);
/* render_ctx where a name not in ctx is looked up in `shared` (or NULL). */
int render_shared(const struct theme *t, const char *tmpl, const struct value *shared,
		  const struct value *ctx, const char *out_dir, const char *out, struct diag *d);
/* A page's first sentence (at most ~200 bytes), in sb. */
const char *first_sentence(const struct page *p, struct strbuf *sb);
/* Appends `s` as XML 1.0 character data or attribute text: escaped as
 * html_escape_text does, and each character XML refuses (a control
 * character but tab, LF and CR; U+FFFE, U+FFFF; an ill-formed byte) as
 * U+FFFD, so a title from front matter cannot make atom.xml unreadable. */
void xml_text(struct strbuf *sb, const char *s);

/* pages.c */
/* Pages listed per file of a section's list (pages/index.html, then
 * pages/index-2.html, ...), as ENTITY_PAGE_SIZE mentions per file. */
#define SECTION_PAGE_SIZE 200
/* Files of section page p's list: 1 unless it lists more than
 * SECTION_PAGE_SIZE pages. */
size_t section_files(const struct page *p);
/* The output path of file k (1-based) of p's list. */
void section_file_out(const struct page *p, size_t k, struct strbuf *out);
struct value *page_ctx(const struct site *s, const struct page *p, const char *html);
/* `download` (bytes, or 0): the home page links the offline archive. */
int render_page(const struct site *s, const struct theme *t, const struct page *p,
		const char *out_dir, long download, struct diag *d);
/* articles/x.paragraphs.js for an article (nothing for other pages). */
int render_paragraphs(const struct page *p, const char *out_dir, struct diag *d);

/* claims.c */
struct value *claims_ctx(const struct page *p);
struct value *claim_groups(const struct site *s, const struct page *p);

/* entities.c */
/* `p` is a copy of an entity page standing for file 2.. of its mention
 * list (mentions.h), rendered by render_entity_files. */
bool entity_later_file(const struct page *p);
struct value *entity_ctx(const struct site *s, const struct page *p);
/* Files 2.. of an entity page's mention list (nothing for other pages). */
int render_entity_files(const struct site *s, const struct theme *t, const struct page *p,
			const char *out_dir, struct diag *d);
struct value *entity_groups(const struct site *s, const struct page *p);
struct value *entities_table(const struct site *s);
int render_entities_js(const struct site *s, const char *out_dir, struct diag *d);

/* revisions.c */
struct value *history_ctx(const struct site *s, const struct page *p);
int render_revisions(const struct site *s, const struct theme *t, const struct page *p,
		     const char *out_dir, struct diag *d);

/* changes.c */
void render_changes_ctx(const struct site *s, const struct page *p, struct value *pc);
int render_feed(const struct site *s, const char *out_dir, struct diag *d);

/* print.c */
void print_ctx(const struct site *s, const struct page *p, struct value *pc);

/* searchindex.c */
/* search/ always; search-index.js when the theme's templates name it
 * (theme.h: whole_index). */
int render_search(const struct site *s, const struct theme *t, const char *out_dir,
		  struct diag *d);
/* render_search, giving up (returning -2, nothing reported) as soon as
 * stop(arg) says so; it is asked every few pages and files. */
int render_search_until(const struct site *s, const struct theme *t, const char *out_dir,
			bool (*stop)(void *), void *arg, struct diag *d);

/* render.c: the paths of the data files, which say whose path a later
 * output met (sorted by out_paths_sort before out_paths_has is asked). */
struct out_paths {
	char **v;
	size_t n, cap;
};
void out_paths_sort(struct out_paths *o);
bool out_paths_has(const struct out_paths *o, const char *rel);
void out_paths_free(struct out_paths *o);
/* Whether output path `rel` is build --archive's zip, which is written
 * after every other output (it holds them): a redirect or a file of
 * content/ there is refused as one at a path written before it is. */
bool render_is_archive(const struct site *s, const char *rel);

/* sitemap.c; redirects and assets (below) are written after every other
 * output, and a path written before them is an error at the redirect or
 * the file of content/, not replaced; `data` (the data files' paths, may
 * be NULL) names such a path in the error. */
int render_sitemap(const struct site *s, const char *out_dir, struct diag *d);
int render_redirects(const struct site *s, const char *out_dir, const struct out_paths *data,
		     struct diag *d);

/* assets.c */
int render_root_probe(const char *out_dir, struct diag *d);
int render_assets(const struct site *s, const char *out_dir, const struct out_paths *data,
		  struct diag *d);

#endif
