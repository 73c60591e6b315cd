#include "utf8.h"

#include <stdlib.h>

#include <utf8proc.h>

#include "xalloc.h"

/* The shortest code point of a sequence of each length, so that a longer
 * (overlong) form of a smaller one is rejected. */
static const uint32_t shortest[UTF8_MAX + 1] = { 0, 0, 0x80, 0x800, 0x10000 };

/* The length a lead byte announces (0 for a byte that cannot start a
 * sequence: a continuation byte, 0xF8..0xFF) and its payload bits. */
static size_t lead(unsigned char c, uint32_t *bits)
{
	static const unsigned char payload[UTF8_MAX + 1] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	size_t len = c < 0x80 ? 1 : ((c & 0xE0) == 0xC0 ? 2 : ((c & 0xF0) == 0xE0 ? 3 : ((c & 0xF8) == 0xF0 ? 4 : 0)));
	*bits = c & payload[len];
	return len;
}

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len = n ? lead(s[0], &c) : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (!utf8_is_cont(s[i]))
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < shortest[len] || !utf8_is_scalar(c))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_encode(uint32_t cp, char out[UTF8_MAX])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void utf8_put(struct strbuf *sb, uint32_t cp)
{
	char b[UTF8_MAX];
	sb_put(sb, b, utf8_encode(cp, b));
}

size_t utf8_invalid(const char *s, size_t n)
{
	uint32_t cp;
	for (size_t i = 0; i < n;) {
		size_t len = (unsigned char)s[i] < 0x80 ? 1 : utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return i;
		i += len;
	}
	return UTF8_VALID;
}

bool utf8_is_scalar(uint32_t cp)
{
	return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

bool utf8_is_xml_char(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	return utf8_is_scalar(cp) && cp != 0xFFFE && cp != 0xFFFF;
}

bool utf8_is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

bool utf8_has_visible(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (!k)
			return true;
		switch (utf8proc_category((utf8proc_int32_t)cp)) {
		case UTF8PROC_CATEGORY_ZS:
		case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP:
		case UTF8PROC_CATEGORY_CC:
		case UTF8PROC_CATEGORY_CF:
			break;
		default:
			return true;
		}
		i += k;
	}
	return false;
}

char *utf8_fold_name(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
						  UTF8PROC_CASEFOLD);
	if (n < 0) {
		free(out);
		return xstrdup(s);
	}
	return (char *)out;
}

bool utf8_is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

const char *utf8_control_name(unsigned char c)
{
	static const char *const names[] = { "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
					     "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
					     "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
					     "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US" };
	return c < 0x20 ? names[c] : c == 0x7f ? "DEL"
					       : "";
}

size_t utf8_line_controls(const char *s, size_t n, utf8_control_fn fn, void *arg)
{
	size_t found = 0, line_start = 0;
	int line = 1;
	bool seen = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			line++;
			line_start = i + 1;
			seen = false;
		} else if (!seen && utf8_is_control(c)) {
			fn(arg, line, (int)(i - line_start) + 1, c);
			seen = true;
			found++;
		}
	}
	return found;
}

size_t utf8_floor(const char *s, size_t n)
{
	while (n > 0 && utf8_is_cont((unsigned char)s[n]))
		n--;
	return n;
}
