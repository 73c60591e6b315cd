/*
 * html: escaping by context.
 *
 * Everything the generator interpolates into HTML goes through one of these:
 * text content, attribute values (always double-quoted by the caller), and
 * URL paths (percent-encoding what a URL may not hold, as cmark's
 * houdini_href_e.c). Mustache's `{{x}}` uses html_escape_text's rules. No
 * other module writes its own escaping.
 */
#ifndef DOSSIER_HTML_H
#define DOSSIER_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* & < > " ' -> entities (the Mustache spec's set; safe in text and in
 * quoted attributes alike). */
void html_escape_text(struct strbuf *sb, const char *s, size_t n);
void html_escape_attr(struct strbuf *sb, const char *s, size_t n);
/* Percent-encodes bytes that are not allowed in an href (spaces, quotes,
 * non-ASCII, controls); keeps '/', '#', '?', '%' and reserved characters. */
void url_escape_path(struct strbuf *sb, const char *s, size_t n);
/* True when a URL's scheme is javascript:, vbscript:, data: or file:
 * (case-insensitive, ignoring leading blanks) — cmark's _scan_dangerous_url. */
bool url_is_dangerous(const char *url);

#endif
