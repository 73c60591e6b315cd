#include "html.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void html_escape_text(struct strbuf *sb, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
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

void url_escape_path(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '&') {
			sb_puts(sb, "&amp;");
		} else if (c == '\'') {
			sb_puts(sb, "&#39;");
		} else if (c > 0x20 && c < 0x7f && c != '"' && c != '<' &&
			   c != '>' && c != '\\' && c != '`' && c != '{' &&
			   c != '}' && c != '|' && c != '^') {
			sb_putc(sb, c);
		} else {
			sb_putc(sb, '%');
			sb_putc(sb, hex[c >> 4]);
			sb_putc(sb, hex[c & 15]);
		}
	}
}

bool url_is_dangerous(const char *url)
{
	while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
		url++;
	static const char *const schemes[] = { "javascript:", "vbscript:",
					       "data:", "file:" };
	for (size_t i = 0; i < sizeof(schemes) / sizeof(*schemes); i++)
		if (!strncasecmp(url, schemes[i], strlen(schemes[i])))
			return true;
	return false;
}
