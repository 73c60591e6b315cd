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
/* Percent-encodes one path or fragment (a file name from content/, a
 * heading id) for an href: every byte but ASCII letters, digits,
 * "-._~/!$()*+,;=@" becomes %XX — spaces, '#', '?', '%', ':', quotes,
 * '&', non-ASCII and invalid UTF-8 included. The result is safe in a
 * quoted attribute as it is, and cmark's renderer leaves it unchanged, so
 * it may also be a link node's URL. Callers join path and fragment with
 * a literal '#'. */
void url_escape_path(struct strbuf *sb, const char *s, size_t n);
/* Decodes %XX escapes (not %00) in s[0..n); returns an owned string. */
char *url_decode(const char *s, size_t n);
/* Whether `url` starts with a scheme and ':' ("https:", "javascript:",
 * "mailto:"): one or more of letters, digits, '+', '-' and '.' before the
 * first ':'. A relative reference ("a/b.md", "#x", "../c") has none. */
bool url_has_scheme(const char *url);
/* True when cmark's renderer blanks the URL in safe mode (its
 * _scan_dangerous_url): javascript:, vbscript:, file:, and data: except
 * PNG, GIF, JPEG and WebP images; case-insensitive. */
bool url_is_dangerous(const char *url);

#endif
