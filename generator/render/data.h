/*
 * data: the dossier's checked data, published in the formats other tools read.
 *
 * Owns, from the linked model (read only):
 *   - schema.org JSON-LD for a page: NewsArticle on article pages (only the
 *     fields the header establishes; "unknown" is never published as a
 *     value), ClaimReview for each claim of a topic, Person / Organization /
 *     Product / Place / Thing on entity pages (sameAs from `wikidata` and
 *     `links`), written so it can sit in a <script> element;
 *   - W3C Web Annotations: annotations.jsonld (an AnnotationCollection of
 *     every annotation) and articles/<slug>.annotations.jsonld per article,
 *     each a TextQuoteSelector (exact, prefix, suffix) on the article's
 *     original URL or, when unknown, its page, with the note as an HTML
 *     TextualBody;
 *   - the open data files data/claims.json, data/entities.json and
 *     data/citations.json, described by the JSON Schemas in doc/.
 * URLs are absolute when the site has a base_url; otherwise relative to
 * the file they appear in (JSON-LD resolves them against it), and in the
 * data/ files relative to the site root, as their schemas say. Everything
 * is in model order, so the bytes are the same on every build.
 */
#ifndef DOSSIER_DATA_H
#define DOSSIER_DATA_H

#include "diag.h"
#include "site.h"
#include "strbuf.h"

/* Appends the JSON-LD of page `p` (nothing when it has none), with '<',
 * '>' and '&' escaped so the text cannot end its <script> element. */
void data_page_jsonld(const struct site *s, const struct page *p, struct strbuf *out);

/* The schema.org type of an entity kind ("person" -> "Person"). */
const char *data_entity_type(const char *kind);

/* Writes the annotation and data files into `out_dir`, in a fixed order;
 * -1 after a diagnostic when a write fails. `write` writes one file
 * relative to it, and gets `arg`. */
typedef int (*data_write_fn)(void *arg, const char *out_dir, const char *rel, const char *data, size_t len,
			     struct diag *d);
int data_write_files(const struct site *s, const char *out_dir, data_write_fn write, void *arg,
		     struct diag *d);

#endif
