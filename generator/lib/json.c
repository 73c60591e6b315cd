#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* ---- writer ----------------------------------------------------------- */

/* Bytes written as they are: printable ASCII but '"' and '\\'; the
 * others are escaped or, from 0x80, checked as UTF-8. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

void json_write_string(struct strbuf *sb, const char *p, size_t n)
{
	sb_grow(sb, n + 2);
	sb_putc(sb, '"');
	size_t run = 0; /* start of the bytes not yet written */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)p[i];
		if (json_plain(c)) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t len;
		if (c >= 0x80 && (len = utf8_decode(p + i, n - i, &cp)) > 0) {
			i += len;
			continue;
		}
		sb_put(sb, p + run, i - run);
		const char *esc = NULL;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		if (esc)
			sb_puts(sb, esc);
		else if (c < 0x20 || c == 0x7F)
			sb_printf(sb, "\\u%04x", c);
		else
			sb_puts(sb, "\\ufffd");
		run = ++i;
	}
	sb_put(sb, p + run, n - run);
	sb_putc(sb, '"');
}

/* The shortest form that reads back as `f` (finite), with a '.' or an
 * exponent so a reader sees a float; exponents only for very large or small
 * magnitudes, so 100.0 is not written 1e+02. */
static void format_float(struct strbuf *sb, double f)
{
	char buf[400];
	int prec = 0;
	do {
		prec++;
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, f);
	} while (prec < 17 && strtod(buf, NULL) != f);
	int exp = atoi(strchr(buf, 'e') + 1);
	if (exp >= -5 && exp < 17)
		snprintf(buf, sizeof(buf), "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, f);
	else
		snprintf(buf, sizeof(buf), "%.*g", prec, f);
	sb_puts(sb, buf);
	if (!strpbrk(buf, ".e"))
		sb_puts(sb, ".0");
}

static const char *tagged_type(const struct value *v)
{
	static const char *const dt[] = {
		[VALUE_STR_PLAIN] = "string",
		[VALUE_STR_DATETIME] = "datetime",
		[VALUE_STR_DATETIME_LOCAL] = "datetime-local",
		[VALUE_STR_DATE_LOCAL] = "date-local",
		[VALUE_STR_TIME_LOCAL] = "time-local",
	};
	switch (v->type) {
	case VALUE_BOOL:
		return "bool";
	case VALUE_INT:
		return "integer";
	case VALUE_FLOAT:
		return "float";
	case VALUE_STRING:
		return v->subtype <= VALUE_STR_TIME_LOCAL ? dt[v->subtype] : "string";
	default:
		return NULL;
	}
}

/* A scalar's text: the JSON token, or (tagged) the "value" string. */
static void write_scalar(struct strbuf *sb, const struct value *v, bool tagged)
{
	struct strbuf tmp = STRBUF_INIT;
	switch (v->type) {
	case VALUE_BOOL:
		sb_puts(&tmp, v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		if (!tagged) {
			char num[24];
			int k = snprintf(num, sizeof num, "%" PRId64, v->u.i);
			sb_put(sb, num, (size_t)k);
			return;
		}
		sb_printf(&tmp, "%" PRId64, v->u.i);
		break;
	case VALUE_FLOAT:
		if (isnan(v->u.f))
			sb_puts(&tmp, tagged ? "nan" : "null");
		else if (isinf(v->u.f))
			sb_puts(&tmp, !tagged ? "null" : (v->u.f < 0 ? "-inf" : "inf"));
		else
			format_float(&tmp, v->u.f);
		break;
	case VALUE_STRING:
		json_write_string(sb, v->u.s.p, v->u.s.n);
		return;
	default:
		sb_puts(sb, "null");
		return;
	}
	if (tagged)
		json_write_string(sb, tmp.ptr, tmp.size);
	else
		sb_put(sb, tmp.ptr, tmp.size);
	sb_free(&tmp);
}

struct writer {
	struct strbuf *sb;
	unsigned flags;
};

static void newline(const struct writer *w, int depth)
{
	if (!(w->flags & JSON_PRETTY))
		return;
	sb_putc(w->sb, '\n');
	for (int i = 0; i < depth; i++)
		sb_puts(w->sb, "  ");
}

static void write_value(const struct writer *w, const struct value *v, int depth);

static void write_array(const struct writer *w, const struct value *v, int depth)
{
	sb_putc(w->sb, '[');
	for (size_t i = 0; i < v->u.a.n; i++) {
		if (i)
			sb_putc(w->sb, ',');
		newline(w, depth + 1);
		write_value(w, v->u.a.items[i], depth + 1);
	}
	if (v->u.a.n)
		newline(w, depth);
	sb_putc(w->sb, ']');
}

static void write_table(const struct writer *w, const struct value *v, int depth)
{
	sb_putc(w->sb, '{');
	for (size_t i = 0; i < v->u.t.n; i++) {
		const struct value_kv *kv = &v->u.t.items[i];
		if (i)
			sb_putc(w->sb, ',');
		newline(w, depth + 1);
		json_write_string(w->sb, kv->key, kv->keylen);
		sb_puts(w->sb, (w->flags & JSON_PRETTY) ? ": " : ":");
		write_value(w, kv->val, depth + 1);
	}
	if (v->u.t.n)
		newline(w, depth);
	sb_putc(w->sb, '}');
}

static void write_value(const struct writer *w, const struct value *v, int depth)
{
	const char *type;
	if (v->type == VALUE_ARRAY) {
		write_array(w, v, depth);
	} else if (v->type == VALUE_TABLE) {
		write_table(w, v, depth);
	} else if ((w->flags & JSON_TOML_TAGGED) && (type = tagged_type(v))) {
		bool pretty = w->flags & JSON_PRETTY;
		sb_puts(w->sb, pretty ? "{\"type\": " : "{\"type\":");
		json_write_string(w->sb, type, strlen(type));
		sb_puts(w->sb, pretty ? ", \"value\": " : ",\"value\":");
		write_scalar(w->sb, v, true);
		sb_putc(w->sb, '}');
	} else {
		write_scalar(w->sb, v, false);
	}
}

void json_write(struct strbuf *sb, const struct value *v, unsigned flags)
{
	struct writer w = { sb, flags };
	write_value(&w, v, 0);
}

/* ---- parser ----------------------------------------------------------- */

struct parser {
	const char *src;
	size_t len, pos;
	int line;   /* line of `pos`; only whitespace holds newlines */
	size_t bol; /* offset where that line begins */
	int depth;
	const char *file;
	struct diag *d;
};

static int error_at(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int error_at(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* Errors are reported at or after the last newline seen. */
	diag_vemit(p->d, DIAG_ERROR, p->file, p->line, (int)(off - p->bol) + 1,
		   fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->src[p->pos];
		if (c == '\n') {
			p->line++;
			p->bol = p->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
		p->pos++;
	}
}

/* Describes the byte at `off` for "unexpected ..." messages. */
static const char *describe(const struct parser *p, size_t off, char buf[8])
{
	if (off >= p->len)
		return "end of input";
	unsigned char c = (unsigned char)p->src[off];
	if (c >= 0x21 && c < 0x7F)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", c);
	return buf;
}

static int parse_hex4(struct parser *p, size_t off, uint32_t *out)
{
	uint32_t v = 0;
	for (size_t i = 0; i < 4; i++) {
		char c = off + i < p->len ? p->src[off + i] : '\0';
		int h = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (h < 0)
			return error_at(p, off - 2, "invalid \\u escape");
		v = v * 16 + (uint32_t)h;
	}
	*out = v;
	return 0;
}

/* \uXXXX at p->pos (after the backslash and 'u'), with surrogate pairs. */
static int parse_uescape(struct parser *p, struct strbuf *sb)
{
	size_t start = p->pos - 2;
	uint32_t hi, lo;
	if (parse_hex4(p, p->pos, &hi) < 0)
		return -1;
	p->pos += 4;
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return error_at(p, start, "lone low surrogate in \\u escape");
	if (hi >= 0xD800 && hi <= 0xDBFF) {
		if (p->pos + 2 > p->len || p->src[p->pos] != '\\' ||
		    p->src[p->pos + 1] != 'u')
			return error_at(p, start, "lone high surrogate in \\u escape");
		if (parse_hex4(p, p->pos + 2, &lo) < 0)
			return -1;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return error_at(p, start, "lone high surrogate in \\u escape");
		p->pos += 6;
		hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
	}
	utf8_put(sb, hi);
	return 0;
}

static int parse_escape(struct parser *p, struct strbuf *sb)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t start = p->pos;
	char c = p->pos + 1 < p->len ? p->src[p->pos + 1] : '\0';
	p->pos += 2;
	if (c == 'u')
		return parse_uescape(p, sb);
	const char *hit = c ? strchr(from, c) : NULL;
	if (!hit) {
		char buf[8];
		return error_at(p, start, "invalid escape '\\' followed by %s",
				describe(p, start + 1, buf));
	}
	sb_putc(sb, to[hit - from]);
	return 0;
}

/* A string at p->pos (the opening quote) into `sb`. */
static int parse_string_into(struct parser *p, struct strbuf *sb)
{
	size_t start = p->pos++;
	for (;;) {
		if (p->pos >= p->len)
			return error_at(p, start, "unterminated string");
		unsigned char c = (unsigned char)p->src[p->pos];
		uint32_t cp;
		size_t n;
		if (c == '"') {
			p->pos++;
			return 0;
		} else if (c == '\\') {
			if (parse_escape(p, sb) < 0)
				return -1;
		} else if (c < 0x20) {
			return error_at(p, p->pos,
					"control character 0x%02x in string", c);
		} else if ((n = utf8_decode(p->src + p->pos, p->len - p->pos,
					    &cp)) == 0) {
			return error_at(p, p->pos, "invalid UTF-8 byte 0x%02x", c);
		} else {
			sb_put(sb, p->src + p->pos, n);
			p->pos += n;
		}
	}
}

static struct value *parse_string(struct parser *p)
{
	struct strbuf sb = STRBUF_INIT;
	if (parse_string_into(p, &sb) < 0) {
		sb_free(&sb);
		return NULL;
	}
	size_t n = sb.size;
	return value_new_string_take(sb_detach(&sb), n);
}

static size_t skip_digits(const struct parser *p, size_t i)
{
	while (i < p->len && p->src[i] >= '0' && p->src[i] <= '9')
		i++;
	return i;
}

static bool is_digit_at(const struct parser *p, size_t i)
{
	return i < p->len && p->src[i] >= '0' && p->src[i] <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static struct value *parse_number(struct parser *p)
{
	size_t start = p->pos, i = p->pos;
	bool is_float = false;
	if (p->src[i] == '-')
		i++;
	if (!is_digit_at(p, i))
		goto bad;
	i = p->src[i] == '0' ? i + 1 : skip_digits(p, i);
	if (i < p->len && p->src[i] == '.') {
		if (!is_digit_at(p, ++i))
			goto bad;
		i = skip_digits(p, i), is_float = true;
	}
	if (i < p->len && (p->src[i] == 'e' || p->src[i] == 'E')) {
		if (++i < p->len && (p->src[i] == '+' || p->src[i] == '-'))
			i++;
		if (!is_digit_at(p, i))
			goto bad;
		i = skip_digits(p, i), is_float = true;
	}
	p->pos = i;
	char *text = xstrndup(p->src + start, i - start);
	struct value *v = NULL;
	if (!is_float) {
		errno = 0;
		long long ll = strtoll(text, NULL, 10);
		if (errno == 0)
			v = value_new_int(ll);
	}
	if (!v)
		v = value_new_float(strtod(text, NULL));
	free(text);
	return v;
bad:
	error_at(p, start, "invalid number");
	return NULL;
}

static struct value *parse_value(struct parser *p);

static struct value *parse_array(struct parser *p)
{
	struct value *a = value_new_array();
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->src[p->pos] == ']') {
		p->pos++;
		return a;
	}
	for (;;) {
		struct value *item = parse_value(p);
		if (!item)
			goto fail;
		value_array_push(a, item);
		skip_ws(p);
		char c = p->pos < p->len ? p->src[p->pos] : '\0';
		if (c == ']') {
			p->pos++;
			return a;
		}
		if (c != ',') {
			char buf[8];
			error_at(p, p->pos, "expected ',' or ']' but found %s",
				 describe(p, p->pos, buf));
			goto fail;
		}
		p->pos++;
		skip_ws(p);
	}
fail:
	value_free(a);
	return NULL;
}

/* One "name": value member into table `t`. */
static int parse_member(struct parser *p, struct value *t)
{
	char buf[8];
	size_t kpos = p->pos;
	int kline = p->line;
	if (p->pos >= p->len || p->src[p->pos] != '"')
		return error_at(p, p->pos, "expected a string as object key but found %s",
				describe(p, p->pos, buf));
	struct strbuf key = STRBUF_INIT;
	if (parse_string_into(p, &key) < 0)
		goto fail;
	if (value_table_getn(t, key.ptr, key.size)) {
		error_at(p, kpos, "duplicate object key \"%s\"", key.ptr);
		goto fail;
	}
	int kcol = (int)(kpos - p->bol) + 1;
	skip_ws(p);
	if (p->pos >= p->len || p->src[p->pos] != ':') {
		error_at(p, p->pos, "expected ':' but found %s",
			 describe(p, p->pos, buf));
		goto fail;
	}
	p->pos++;
	skip_ws(p);
	struct value *v = parse_value(p);
	if (!v)
		goto fail;
	value_table_setn(t, key.ptr, key.size, v);
	t->u.t.items[t->u.t.n - 1].line = kline;
	t->u.t.items[t->u.t.n - 1].col = kcol;
	sb_free(&key);
	return 0;
fail:
	sb_free(&key);
	return -1;
}

static struct value *parse_object(struct parser *p)
{
	struct value *t = value_new_table();
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->src[p->pos] == '}') {
		p->pos++;
		return t;
	}
	for (;;) {
		if (parse_member(p, t) < 0)
			goto fail;
		skip_ws(p);
		char c = p->pos < p->len ? p->src[p->pos] : '\0';
		if (c == '}') {
			p->pos++;
			return t;
		}
		if (c != ',') {
			char buf[8];
			error_at(p, p->pos, "expected ',' or '}' but found %s",
				 describe(p, p->pos, buf));
			goto fail;
		}
		p->pos++;
		skip_ws(p);
	}
fail:
	value_free(t);
	return NULL;
}

static struct value *parse_literal(struct parser *p)
{
	static const struct {
		const char *word;
		int kind;
	} lits[] = { { "true", 1 }, { "false", 0 }, { "null", -1 } };
	for (size_t i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		size_t n = strlen(lits[i].word);
		if (p->len - p->pos >= n &&
		    memcmp(p->src + p->pos, lits[i].word, n) == 0) {
			p->pos += n;
			return lits[i].kind < 0 ? value_new_null()
						: value_new_bool(lits[i].kind);
		}
	}
	char buf[8];
	error_at(p, p->pos, "expected a value but found %s",
		 describe(p, p->pos, buf));
	return NULL;
}

static struct value *parse_value(struct parser *p)
{
	/* Callers skip whitespace first, so `bol` is this line's start. */
	int line = p->line, col = (int)(p->pos - p->bol) + 1;
	char c = p->pos < p->len ? p->src[p->pos] : '\0';
	struct value *v;
	if ((c == '[' || c == '{') && p->depth >= JSON_MAX_DEPTH) {
		error_at(p, p->pos, "nesting deeper than %d levels", JSON_MAX_DEPTH);
		return NULL;
	}
	p->depth++;
	if (c == '{')
		v = parse_object(p);
	else if (c == '[')
		v = parse_array(p);
	else if (c == '"')
		v = parse_string(p);
	else if (c == '-' || (c >= '0' && c <= '9'))
		v = parse_number(p);
	else
		v = parse_literal(p);
	p->depth--;
	if (v) {
		v->line = line;
		v->col = col;
	}
	return v;
}

struct value *json_parse(const char *src, size_t len, const char *file,
			 struct diag *d)
{
	struct parser p = {
		.src = src,
		.len = len,
		.pos = 0,
		.line = 1,
		.bol = 0,
		.depth = 0,
		.file = file,
		.d = d,
	};
	skip_ws(&p);
	struct value *v = parse_value(&p);
	if (!v)
		return NULL;
	skip_ws(&p);
	if (p.pos < p.len) {
		char buf[8];
		error_at(&p, p.pos, "unexpected %s after the JSON value",
			 describe(&p, p.pos, buf));
		value_free(v);
		return NULL;
	}
	return v;
}
