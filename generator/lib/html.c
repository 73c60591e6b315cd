#include "html.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* What html_escape_text replaces (0: the byte as it is). */
static const char *const escapes[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"
};

void html_escape_text(struct strbuf *sb, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = escapes[(unsigned char)s[i]];
		if (!rep)
			continue;
		sb_put(sb, s + start, i - start);
		sb_puts(sb, rep);
		start = i + 1;
	}
	sb_put(sb, s + start, n - start);
}

void html_escape_attr(struct strbuf *sb, const char *s, size_t n)
{
	html_escape_text(sb, s, n);
}

/* RFC 3986's unreserved characters, '/' and the sub-delimiters that need
 * no escaping in HTML; ':' is encoded, so a file name never reads as a
 * scheme. */
static bool url_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~/!$()*+,;=@", c));
}

void url_escape_path(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = 0;
	sb_grow(sb, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (url_plain(c))
			continue;
		sb_put(sb, s + start, i - start);
		char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
		sb_put(sb, esc, 3);
		start = i + 1;
	}
	sb_put(sb, s + start, n - start);
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

char *url_decode(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0 && (hi || lo)) {
			sb_putc(&sb, hi * 16 + lo);
			i += 2;
		} else {
			sb_putc(&sb, s[i]);
		}
	}
	return sb_detach(&sb);
}

bool url_has_scheme(const char *url)
{
	for (const char *p = url; *p; p++) {
		if (*p == ':')
			return p != url;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))
			return false;
	}
	return false;
}

/* cmark's _scan_dangerous_url: what its renderer blanks in safe mode. */
bool url_is_dangerous(const char *url)
{
	static const char *const schemes[] = { "javascript:", "vbscript:", "file:" };
	static const char *const images[] = { "png", "gif", "jpeg", "webp" };
	if (!url)
		return false;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(*schemes); i++)
		if (!strncasecmp(url, schemes[i], strlen(schemes[i])))
			return true;
	if (strncasecmp(url, "data:", 5))
		return false;
	if (strncasecmp(url + 5, "image/", 6))
		return true;
	for (size_t i = 0; i < sizeof(images) / sizeof(*images); i++)
		if (!strncasecmp(url + 11, images[i], strlen(images[i])))
			return false;
	return true;
}
