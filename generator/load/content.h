/*
 * content: loading content/ into pages (the content loader).
 *
 * Owns the walk of the content folder (fs_walk: sorted, each folder once,
 * refusing symlinks that leave it, link loops, and file names that are not
 * UTF-8 or hold control characters), the split of each file into front
 * matter (TOML between "+++" lines, or YAML between "---" lines, read by
 * yaml.h) and body, a header-less page's title from its leading "# Title"
 * heading, Hugo's `aliases` as `redirect_from`, the front matter's common
 * fields, the kind of each page (by its
 * section), and turning the body into a cmark tree: Markdown as is, article
 * sources (.txt) through the article converter first. Kind-specific data
 * (annotations, entities, claims) is read here too, so the link pass finds
 * a complete model. Other files under content/ are assets, copied as
 * they are: with `[markdown] unsafe = false` (the default) only those of a
 * passive type (content_file_is_passive); the others are withheld, each
 * reported, since a browser would run their markup or script on the
 * site's own origin.
 */
#ifndef DOSSIER_CONTENT_H
#define DOSSIER_CONTENT_H

#include "diag.h"
#include "site.h"
#include "strbuf.h"

/* Loads every page under `content_dir` into `s`. Problems are reported;
 * bad pages are skipped. Returns -1 only on a system error. */
int page_load_all(struct site *s, const char *content_dir, struct diag *d);

/* Whether a file of content/ named `name` is of a type a browser shows or
 * hands to a viewer without running anything of it on the site's origin,
 * by its extension (the one static hosts choose the Content-Type by),
 * case-insensitively: images but SVG (png, jpg, jpeg, gif, webp, avif, bmp,
 * ico, tif, tiff), audio and video, PDF and office documents, text and data
 * (txt, csv, tsv, json, bib, ris), archives, fonts and subtitles. Not
 * passive: HTML and XHTML, SVG and XML (which run script when opened), CSS
 * and JavaScript, WebAssembly, and any other or no extension (a server may
 * sniff such a file as HTML). An allowlist, as MediaWiki's uploads have. */
bool content_file_is_passive(const char *name);
/* Appends how messages name such a file: "a .svg file", or "a file
 * without an extension". */
void content_file_kind(const char *name, struct strbuf *out);

/* True when `src` opens with a front matter line: "+++" (TOML) or "---"
 * (YAML, Hugo's and Jekyll's other convention). */
bool page_has_front_matter(const char *src, size_t len);
/* Splits "+++\n<toml>+++\n<body>" or "---\n<yaml>---\n<body>". On success
 * *fm_end is the offset of the closing line, *body the offset of the body
 * and *body_line its line. Returns -1 (with a diagnostic) when the file has
 * no front matter or the closing line is missing. */
int page_split(const char *src, size_t len, const char *file, size_t *fm_end,
	       size_t *body, int *body_line, struct diag *d);
/* Parses the front matter of `src`, TOML or YAML by its opening line
 * (positions match the file). */
struct value *page_front_matter(const char *src, size_t fm_end,
				const char *file, struct diag *d);
/* A Hugo alias ("/old/path/") as a redirect_from path
 * ("old/path/index.html"); owned. */
struct value *page_alias_redirect(const char *alias);

/* The Markdown an article source becomes (for `dossier import`), with the
 * header's drop patterns and headings/not_headings overrides. `verbose` 1
 * notes each dropped line, 2 every decision of the converter (--explain). */
int page_import_text(const char *src, size_t len, const char *file,
		     const struct value *site_drop, int verbose, char **md,
		     struct diag *d);

/* For `dossier serve`: re-reads the file of loaded page `p`. Returns 1
 * with its new body in *doc (parsed and sanitized as loading does; owned
 * by the caller) when its front matter holds the same values at the same
 * places; -1 when its body is over mdlimits' limits; else 0 (also when
 * the file cannot be read or split). The full load that follows a 0 or
 * -1 reports why. */
int page_reload_body(const struct site *s, const struct page *p, const char *content_dir,
		     cmark_node **doc, struct diag *d);

#endif
