#include "toml.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* Table state kept in value.flags while parsing; cleared before returning. */
enum {
	TBL_EXPLICIT = 1u << 0,  /* defined by [header], or an [[array]] element */
	TBL_DOTTED = 1u << 1,    /* made or extended by a dotted key */
	TBL_INLINE = 1u << 2,    /* an inline table or inside one: frozen */
	ARR_OF_TABLES = 1u << 3, /* an array made by [[header]] */
};

struct keypart {
	char *s;
	size_t n;
	int line, col;
};

/* A dotted key as written: `a."b c".d` has three parts. */
struct key {
	struct keypart *parts;
	size_t n, cap;
};

struct parser {
	const char *src;
	size_t len, pos;
	const char *file;
	struct diag *d;
	/* Line/col cache: offset `lc_off` is on line `lc_line`, which starts
	 * at `lc_bol`; positions are asked for mostly in increasing order. */
	size_t lc_off, lc_bol;
	int lc_line;
	int depth; /* arrays and inline tables open */
	int errors;
	struct value *root;
	struct value *cur;     /* the table key/value pairs go into */
	struct value *scratch; /* tables of rejected headers, freed at the end */
};

/* ---- positions and errors --------------------------------------------- */

static void linecol(struct parser *p, size_t off, int *line, int *col)
{
	if (off < p->lc_bol) {
		p->lc_off = p->lc_bol = 0;
		p->lc_line = 1;
	}
	for (size_t i = p->lc_off; i < off; i++) {
		if (p->src[i] == '\n') {
			p->lc_line++;
			p->lc_bol = i + 1;
		}
	}
	if (off > p->lc_off)
		p->lc_off = off;
	*line = p->lc_line;
	*col = (int)(off - p->lc_bol) + 1;
}

static void verror(struct parser *p, int line, int col, const char *fmt,
		   va_list ap)
{
	diag_vemit(p->d, DIAG_ERROR, p->file, line, col, fmt, ap);
	p->errors++;
}

static void error_lc(struct parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void error_lc(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(p, line, col, fmt, ap);
	va_end(ap);
}

/* Reports a syntax error at byte `off`; returns -1. */
static int error_at(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int error_at(struct parser *p, size_t off, const char *fmt, ...)
{
	int line, col;
	linecol(p, off, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	verror(p, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Names the character at `off` for "but found ..." messages. */
static const char *describe(const struct parser *p, size_t off, char buf[16])
{
	if (off >= p->len)
		return "end of input";
	unsigned char c = (unsigned char)p->src[off];
	uint32_t cp;
	size_t n;
	if (c == '\n' || (c == '\r' && off + 1 < p->len && p->src[off + 1] == '\n'))
		return "newline";
	if (c == '\r')
		return "carriage return";
	if (c == ' ')
		return "space";
	if (c == '\t')
		return "tab";
	if (c > 0x20 && c < 0x7F)
		snprintf(buf, 16, "'%c'", c);
	else if (c >= 0x80 && (n = utf8_decode(p->src + off, p->len - off, &cp)))
		snprintf(buf, 16, "'%.*s'", (int)n, p->src + off);
	else
		snprintf(buf, 16, "0x%02x", c);
	return buf;
}

/* ---- characters --------------------------------------------------------- */

static int peek_at(const struct parser *p, size_t off)
{
	return off < p->len ? (unsigned char)p->src[off] : -1;
}

static int peek(const struct parser *p)
{
	return peek_at(p, p->pos);
}

static bool is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F;
}

static bool is_dec(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(int c)
{
	return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_oct(int c)
{
	return c >= '0' && c <= '7';
}

static bool is_bin(int c)
{
	return c == '0' || c == '1';
}

static bool is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_dec(c) ||
	       c == '_' || c == '-';
}

static bool newline_at(const struct parser *p, size_t off)
{
	return peek_at(p, off) == '\n' ||
	       (peek_at(p, off) == '\r' && peek_at(p, off + 1) == '\n');
}

static bool eat_newline(struct parser *p)
{
	if (peek(p) == '\n') {
		p->pos++;
		return true;
	}
	if (newline_at(p, p->pos)) {
		p->pos += 2;
		return true;
	}
	return false;
}

static void skip_ws(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		p->pos++;
}

/* At '#': skips the comment, leaving the newline. */
static int skip_comment(struct parser *p)
{
	for (p->pos++; p->pos < p->len && !newline_at(p, p->pos); p->pos++) {
		int c = peek(p);
		if (is_control(c))
			return error_at(p, p->pos, "control character 0x%02x in comment", c);
	}
	return 0;
}

/* Skips whitespace, comments and newlines (between array elements). */
static int skip_ws_nl(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (peek(p) == '#') {
			if (skip_comment(p) < 0)
				return -1;
		} else if (!eat_newline(p)) {
			return 0;
		}
	}
}

/* After an expression: optional whitespace and comment, then a newline. */
static int end_line(struct parser *p)
{
	char buf[16];
	skip_ws(p);
	if (peek(p) == '#' && skip_comment(p) < 0)
		return -1;
	if (p->pos >= p->len || eat_newline(p))
		return 0;
	return error_at(p, p->pos, "expected a newline but found %s",
			describe(p, p->pos, buf));
}

static int check_utf8(struct parser *p)
{
	size_t i = utf8_invalid(p->src, p->len);
	if (i == UTF8_VALID)
		return 0;
	return error_at(p, i, "invalid UTF-8 byte 0x%02x", (unsigned char)p->src[i]);
}

/* ---- strings ------------------------------------------------------------ */

/* \uXXXX or \UXXXXXXXX; `start` is the backslash, p->pos the first digit. */
static int parse_ucs(struct parser *p, struct strbuf *sb, size_t start, int ndig)
{
	uint32_t v = 0;
	for (int i = 0; i < ndig; i++) {
		int c = peek_at(p, p->pos + (size_t)i);
		if (!is_hex(c))
			return error_at(p, start,
					"invalid escape sequence: '\\%c' needs %d hex digits",
					p->src[start + 1], ndig);
		v = v * 16 + (uint32_t)(is_dec(c) ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	p->pos += (size_t)ndig;
	if (!utf8_is_scalar(v))
		return error_at(p, start,
				"escape '%.*s' is not a Unicode scalar value",
				ndig + 2, p->src + start);
	utf8_put(sb, v);
	return 0;
}

/* At a backslash in a basic string. */
static int parse_escape(struct parser *p, struct strbuf *sb)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	size_t start = p->pos;
	int c = peek_at(p, start + 1);
	char buf[16];
	p->pos += 2;
	if (c == 'u' || c == 'U')
		return parse_ucs(p, sb, start, c == 'u' ? 4 : 8);
	const char *hit = c > 0 ? strchr(from, c) : NULL;
	if (hit) {
		sb_putc(sb, to[hit - from]);
		return 0;
	}
	if (c > 0x20 && c < 0x7F)
		return error_at(p, start, "invalid escape sequence '\\%c'", c);
	return error_at(p, start, "invalid escape sequence: '\\' followed by %s",
			describe(p, start + 1, buf));
}

static int parse_basic(struct parser *p, struct strbuf *sb)
{
	size_t start = p->pos++;
	for (;;) {
		int c = peek(p);
		if (c < 0 || newline_at(p, p->pos))
			return error_at(p, start, "unterminated string");
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c == '\\') {
			if (parse_escape(p, sb) < 0)
				return -1;
			continue;
		}
		if (is_control(c))
			return error_at(p, p->pos, "control character 0x%02x in string", c);
		sb_putc(sb, c);
		p->pos++;
	}
}

static int parse_literal(struct parser *p, struct strbuf *sb)
{
	size_t start = p->pos++;
	for (size_t run = p->pos;; p->pos++) {
		int c = peek(p);
		if (c < 0 || newline_at(p, p->pos))
			return error_at(p, start, "unterminated string");
		if (c == '\'') {
			sb_put(sb, p->src + run, p->pos - run);
			p->pos++;
			return 0;
		}
		if (is_control(c))
			return error_at(p, p->pos, "control character 0x%02x in string", c);
	}
}

/* A run of the closing quote `q` inside a multi-line string: up to two are
 * content; three to five end the string, the ones before the last three
 * being content. Returns 1 at the end, 0 inside. */
static int ml_quotes(struct parser *p, struct strbuf *sb, int q)
{
	size_t n = 0;
	while (n < 5 && peek_at(p, p->pos + n) == q)
		n++;
	sb_put(sb, p->src + p->pos, n < 3 ? n : n - 3);
	p->pos += n;
	return n >= 3;
}

/* A backslash in a multi-line basic string: one that ends a line trims the
 * newline and all whitespace and newlines after it. */
static int ml_escape(struct parser *p, struct strbuf *sb)
{
	size_t i = p->pos + 1;
	while (peek_at(p, i) == ' ' || peek_at(p, i) == '\t')
		i++;
	if (!newline_at(p, i))
		return parse_escape(p, sb);
	p->pos = i;
	do
		skip_ws(p);
	while (eat_newline(p));
	return 0;
}

/* """...""" or '''...''' (q is the quote); newlines are stored as "\n". */
static int parse_multiline(struct parser *p, struct strbuf *sb, int q)
{
	size_t start = p->pos;
	p->pos += 3;
	eat_newline(p); /* a newline right after the opening quotes is trimmed */
	for (;;) {
		int c = peek(p);
		if (c < 0)
			return error_at(p, start, "unterminated multi-line string");
		if (c == q) {
			if (ml_quotes(p, sb, q))
				return 0;
		} else if (c == '\\' && q == '"') {
			if (ml_escape(p, sb) < 0)
				return -1;
		} else if (eat_newline(p)) {
			sb_putc(sb, '\n');
		} else if (is_control(c)) {
			return error_at(p, p->pos, "control character 0x%02x in string", c);
		} else {
			sb_putc(sb, c);
			p->pos++;
		}
	}
}

static bool at_triple(const struct parser *p, int q)
{
	return peek(p) == q && peek_at(p, p->pos + 1) == q &&
	       peek_at(p, p->pos + 2) == q;
}

static struct value *parse_string_value(struct parser *p)
{
	struct strbuf sb = STRBUF_INIT;
	int q = peek(p), r;
	if (at_triple(p, q))
		r = parse_multiline(p, &sb, q);
	else
		r = q == '"' ? parse_basic(p, &sb) : parse_literal(p, &sb);
	if (r < 0) {
		sb_free(&sb);
		return NULL;
	}
	size_t n = sb.size;
	return value_new_string_take(sb_detach(&sb), n);
}

/* ---- keys --------------------------------------------------------------- */

static void key_free(struct key *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->parts[i].s);
	free(k->parts);
	memset(k, 0, sizeof(*k));
}

static int parse_simple_key(struct parser *p, struct strbuf *sb)
{
	char buf[16];
	int c = peek(p);
	if (c == '"' || c == '\'') {
		if (at_triple(p, c))
			return error_at(p, p->pos, "a key cannot be a multi-line string");
		return c == '"' ? parse_basic(p, sb) : parse_literal(p, sb);
	}
	size_t start = p->pos;
	while (is_bare(peek(p)))
		p->pos++;
	if (p->pos == start)
		return error_at(p, start, "expected a key but found %s",
				describe(p, start, buf));
	sb_put(sb, p->src + start, p->pos - start);
	return 0;
}

static int parse_key(struct parser *p, struct key *k)
{
	for (;;) {
		skip_ws(p);
		if (k->n == TOML_MAX_DEPTH)
			return error_at(p, p->pos, "key has more than %d parts",
					TOML_MAX_DEPTH);
		struct keypart part = { 0 };
		struct strbuf sb = STRBUF_INIT;
		linecol(p, p->pos, &part.line, &part.col);
		if (parse_simple_key(p, &sb) < 0) {
			sb_free(&sb);
			return -1;
		}
		part.n = sb.size;
		part.s = sb_detach(&sb);
		k->parts = xgrow(k->parts, &k->cap, k->n + 1, sizeof(*k->parts));
		k->parts[k->n++] = part;
		skip_ws(p);
		if (peek(p) != '.')
			return 0;
		p->pos++;
	}
}

/* The first `n` parts of `k` as written in a message (owned): bare where
 * possible, else quoted with escapes. */
static char *key_str(const struct key *k, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct keypart *part = &k->parts[i];
		bool bare = part->n > 0;
		for (size_t j = 0; j < part->n && bare; j++)
			bare = is_bare((unsigned char)part->s[j]);
		if (i)
			sb_putc(&sb, '.');
		if (bare) {
			sb_put(&sb, part->s, part->n);
			continue;
		}
		sb_putc(&sb, '"');
		for (size_t j = 0; j < part->n; j++) {
			unsigned char c = (unsigned char)part->s[j];
			if (is_control(c) || c == '\t')
				sb_printf(&sb, "\\u%04X", c);
			else if (c == '"' || c == '\\')
				sb_printf(&sb, "\\%c", c);
			else
				sb_putc(&sb, c);
		}
		sb_putc(&sb, '"');
	}
	return sb_detach(&sb);
}

/* ---- tables ------------------------------------------------------------- */

static struct value_kv *find(const struct value *t, const struct keypart *part)
{
	return value_table_findn(t, part->s, part->n);
}

static struct value *insert(struct value *t, const struct keypart *part,
			    struct value *v)
{
	value_table_setn(t, part->s, part->n, v);
	t->u.t.items[t->u.t.n - 1].line = part->line;
	t->u.t.items[t->u.t.n - 1].col = part->col;
	return v;
}

static struct value *new_table(int line, int col, unsigned flags)
{
	struct value *t = value_new_table();
	t->line = line;
	t->col = col;
	t->flags = flags;
	return t;
}

/* "is an integer defined at": what `x` is, for conflict messages. */
static const char *kind_of(const struct value *x)
{
	switch (x->type) {
	case VALUE_BOOL:
		return "is a boolean defined at";
	case VALUE_INT:
		return "is an integer defined at";
	case VALUE_FLOAT:
		return "is a float defined at";
	case VALUE_STRING:
		return x->subtype ? "is a date-time defined at" : "is a string defined at";
	case VALUE_ARRAY:
		return x->flags & ARR_OF_TABLES ? "is an array of tables defined at"
						: "is an array defined at";
	case VALUE_TABLE:
		if (x->flags & TBL_INLINE)
			return "is an inline table defined at";
		if (x->flags & TBL_DOTTED)
			return "is a table already defined by dotted keys at";
		return "is a table already defined at";
	default:
		return "is defined at";
	}
}

/* Reports that `k` cannot be defined because its first `n` parts name `kv`. */
static void conflict(struct parser *p, const char *what, const struct key *k,
		     size_t n, const struct value_kv *kv)
{
	char *full = key_str(k, k->n), *prefix = key_str(k, n);
	const struct keypart *part = &k->parts[n - 1];
	error_lc(p, part->line, part->col, "cannot %s '%s': '%s' %s %d:%d", what,
		 full, prefix, kind_of(kv->val), kv->line, kv->col);
	free(full);
	free(prefix);
}

/* Part `i` of a dotted key, not the last, in table `t`. */
static struct value *dotted_step(struct parser *p, struct value *t,
				 const struct key *k, size_t i)
{
	const struct keypart *part = &k->parts[i];
	struct value_kv *kv = find(t, part);
	if (!kv)
		return insert(t, part, new_table(part->line, part->col, TBL_DOTTED));
	struct value *x = kv->val;
	/* Dotted keys may extend tables they made, or that a header only
	 * implied (`b` after [a.b.c] in [a]), never one a header defined. */
	if (x->type != VALUE_TABLE || (x->flags & (TBL_INLINE | TBL_EXPLICIT))) {
		conflict(p, "define key", k, i + 1, kv);
		return NULL;
	}
	x->flags |= TBL_DOTTED;
	return x;
}

static int set_dotted(struct parser *p, struct value *t, const struct key *k,
		      struct value *v)
{
	for (size_t i = 0; i + 1 < k->n; i++)
		if (!(t = dotted_step(p, t, k, i)))
			return -1;
	const struct keypart *last = &k->parts[k->n - 1];
	const struct value_kv *kv = find(t, last);
	if (kv) {
		char *s = key_str(k, k->n);
		error_lc(p, last->line, last->col,
			 "duplicate key '%s' (first defined at %d:%d)", s, kv->line,
			 kv->col);
		free(s);
		return -1;
	}
	insert(t, last, v);
	return 0;
}

/* Part `i` of a header's key, not the last, in table `t`. */
static struct value *header_step(struct parser *p, struct value *t,
				 const struct key *k, size_t i, const char *what)
{
	const struct keypart *part = &k->parts[i];
	struct value_kv *kv = find(t, part);
	if (!kv)
		return insert(t, part, new_table(part->line, part->col, 0));
	struct value *x = kv->val;
	if (x->type == VALUE_TABLE && !(x->flags & TBL_INLINE))
		return x;
	if (x->type == VALUE_ARRAY && (x->flags & ARR_OF_TABLES))
		return x->u.a.items[x->u.a.n - 1];
	conflict(p, what, k, i + 1, kv);
	return NULL;
}

/* [k]: defines the table, or a table only implied so far. */
static struct value *open_table(struct parser *p, struct value *t,
				const struct key *k, int line, int col)
{
	const struct keypart *last = &k->parts[k->n - 1];
	struct value_kv *kv = find(t, last);
	if (!kv)
		return insert(t, last, new_table(line, col, TBL_EXPLICIT));
	struct value *x = kv->val;
	unsigned defined = TBL_EXPLICIT | TBL_DOTTED | TBL_INLINE;
	if (x->type == VALUE_TABLE && !(x->flags & defined)) {
		x->flags |= TBL_EXPLICIT;
		x->line = line;
		x->col = col;
		kv->line = last->line;
		kv->col = last->col;
		return x;
	}
	if (x->type == VALUE_TABLE && (x->flags & defined) == TBL_EXPLICIT) {
		char *s = key_str(k, k->n);
		error_lc(p, last->line, last->col,
			 "duplicate table '%s' (first defined at %d:%d)", s, kv->line,
			 kv->col);
		free(s);
	} else {
		conflict(p, "define table", k, k->n, kv);
	}
	return NULL;
}

/* [[k]]: appends a table to the array of tables, making it if need be. */
static struct value *append_table(struct parser *p, struct value *t,
				  const struct key *k, int line, int col)
{
	const struct keypart *last = &k->parts[k->n - 1];
	struct value_kv *kv = find(t, last);
	struct value *arr;
	if (!kv) {
		arr = insert(t, last, value_new_array());
		arr->flags = ARR_OF_TABLES;
		arr->line = line;
		arr->col = col;
	} else if (kv->val->type == VALUE_ARRAY && (kv->val->flags & ARR_OF_TABLES)) {
		arr = kv->val;
	} else {
		conflict(p, "define array of tables", k, k->n, kv);
		return NULL;
	}
	return value_array_push(arr, new_table(line, col, TBL_EXPLICIT));
}

/* ---- values ------------------------------------------------------------- */

static struct value *parse_value(struct parser *p);
static int parse_keyval(struct parser *p, struct value *t);

/* Marks an inline table and the tables in it frozen. */
static void mark_inline(struct value *v)
{
	if (v->type == VALUE_TABLE) {
		if (v->flags & TBL_INLINE)
			return; /* a nested inline table, already done */
		v->flags |= TBL_INLINE;
		for (size_t i = 0; i < v->u.t.n; i++)
			mark_inline(v->u.t.items[i].val);
	} else if (v->type == VALUE_ARRAY) {
		for (size_t i = 0; i < v->u.a.n; i++)
			mark_inline(v->u.a.items[i]);
	}
}

static int enter(struct parser *p)
{
	if (p->depth >= TOML_MAX_DEPTH)
		return error_at(p, p->pos,
				"arrays and inline tables nested deeper than %d levels",
				TOML_MAX_DEPTH);
	p->depth++;
	return 0;
}

static struct value *parse_array(struct parser *p)
{
	char buf[16];
	size_t start = p->pos++;
	struct value *a = value_new_array();
	for (;;) {
		if (skip_ws_nl(p) < 0)
			goto fail;
		if (peek(p) == ']')
			break;
		if (p->pos >= p->len) {
			error_at(p, start, "unterminated array");
			goto fail;
		}
		struct value *v = parse_value(p);
		if (!v)
			goto fail;
		value_array_push(a, v);
		if (skip_ws_nl(p) < 0)
			goto fail;
		int c = peek(p);
		if (c == ']')
			break;
		if (c == ',') {
			p->pos++;
			continue;
		}
		if (c < 0)
			error_at(p, start, "unterminated array");
		else
			error_at(p, p->pos, "expected ',' or ']' in array but found %s",
				 describe(p, p->pos, buf));
		goto fail;
	}
	p->pos++;
	return a;
fail:
	value_free(a);
	return NULL;
}

static struct value *parse_inline_table(struct parser *p)
{
	char buf[16];
	size_t start = p->pos++;
	struct value *t = value_new_table();
	skip_ws(p);
	while (peek(p) != '}') {
		if (parse_keyval(p, t) < 0)
			goto fail;
		skip_ws(p);
		int c = peek(p);
		if (c == '}')
			break;
		if (c == ',') {
			size_t comma = p->pos++;
			skip_ws(p);
			if (peek(p) != '}')
				continue;
			error_at(p, comma, "trailing comma in inline table");
		} else if (c < 0) {
			error_at(p, start, "unterminated inline table");
		} else {
			error_at(p, p->pos,
				 "expected ',' or '}' in inline table but found %s",
				 describe(p, p->pos, buf));
		}
		goto fail;
	}
	p->pos++;
	mark_inline(t);
	return t;
fail:
	value_free(t);
	return NULL;
}

/* ---- numbers and date-times --------------------------------------------- */

/* Digits of one kind with single '_' between them: the length scanned, 0 if
 * `t` does not start with a digit. Stops before anything else. */
static size_t scan_digits(const char *t, size_t n, bool (*isdig)(int))
{
	size_t i = 0;
	while (i < n && (isdig((unsigned char)t[i]) ||
			 (i > 0 && t[i] == '_' && i + 1 < n &&
			  isdig((unsigned char)t[i + 1]))))
		i++;
	return i;
}

/* Accumulates digits (underscores skipped) in base `base` up to `limit`. */
static int digits_value(const char *t, size_t n, unsigned base, uint64_t limit,
			uint64_t *out)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)t[i];
		if (c == '_')
			continue;
		unsigned d = is_dec(c) ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
		if (v > (limit - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int token_error(struct parser *p, size_t start, const char *what,
		       const char *t, size_t n)
{
	return error_at(p, start, "invalid %s '%.*s'", what,
			(int)(n < 64 ? n : 64), t);
}

/* 0x, 0o, 0b integers; `t` starts with the prefix. */
static struct value *parse_radix(struct parser *p, const char *t, size_t n,
				 size_t start)
{
	static const char *const names[] = { "hexadecimal", "octal", "binary" };
	int kind = t[1] == 'x' ? 0 : (t[1] == 'o' ? 1 : 2);
	static bool (*const isdig[])(int) = { is_hex, is_oct, is_bin };
	static const unsigned base[] = { 16, 8, 2 };
	size_t len = scan_digits(t + 2, n - 2, isdig[kind]);
	uint64_t v;
	if (len == 0 || len != n - 2) {
		token_error(p, start, names[kind], t, n);
		return NULL;
	}
	if (digits_value(t + 2, len, base[kind], INT64_MAX, &v) < 0) {
		error_at(p, start, "integer '%.*s' out of range (64 bits)",
			 (int)(n < 64 ? n : 64), t);
		return NULL;
	}
	return value_new_int((int64_t)v);
}

static struct value *make_int(struct parser *p, const char *t, size_t n,
			      size_t start)
{
	bool neg = t[0] == '-';
	size_t s = t[0] == '-' || t[0] == '+';
	uint64_t v, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (digits_value(t + s, n - s, 10, limit, &v) < 0) {
		error_at(p, start, "integer '%.*s' out of range (64 bits)",
			 (int)(n < 64 ? n : 64), t);
		return NULL;
	}
	/* -2^63 has no positive counterpart: negate in unsigned arithmetic. */
	return value_new_int(neg ? (int64_t)(0 - v) : (int64_t)v);
}

static struct value *make_float(struct parser *p, const char *t, size_t n,
				size_t start)
{
	char *buf = xmalloc(n + 1);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] != '_')
			buf[m++] = t[i];
	buf[m] = '\0';
	errno = 0;
	double f = strtod(buf, NULL);
	free(buf);
	if (errno == ERANGE && isinf(f)) {
		error_at(p, start, "float '%.*s' out of range", (int)(n < 64 ? n : 64), t);
		return NULL;
	}
	return value_new_float(f);
}

/* Decimal integers and floats; inf and nan; radix integers. */
static struct value *parse_number(struct parser *p, const char *t, size_t n,
				  size_t start)
{
	size_t s = t[0] == '+' || t[0] == '-';
	const char *u = t + s;
	size_t un = n - s;
	if (un == 3 && (memcmp(u, "inf", 3) == 0 || memcmp(u, "nan", 3) == 0)) {
		double f = u[0] == 'i' ? INFINITY : NAN;
		return value_new_float(t[0] == '-' ? -f : f);
	}
	if (un > 1 && u[0] == '0' && (u[1] == 'x' || u[1] == 'o' || u[1] == 'b')) {
		if (s == 0)
			return parse_radix(p, t, n, start);
		error_at(p, start, "a hexadecimal, octal or binary integer cannot have a sign");
		return NULL;
	}
	size_t ip = scan_digits(u, un, is_dec), i = ip;
	bool is_float = false;
	if (ip > 1 && u[0] == '0') {
		error_at(p, start, "leading zeros are not allowed in '%.*s'",
			 (int)(n < 64 ? n : 64), t);
		return NULL;
	}
	if (ip && i < un && u[i] == '.') {
		size_t f = scan_digits(u + i + 1, un - i - 1, is_dec);
		i = f ? i + 1 + f : 0;
		is_float = true;
	}
	if (ip && i && i < un && (u[i] == 'e' || u[i] == 'E')) {
		i += i + 1 < un && (u[i + 1] == '+' || u[i + 1] == '-') ? 2 : 1;
		size_t e = scan_digits(u + i, un - i, is_dec);
		i = e ? i + e : 0;
		is_float = true;
	}
	if (ip == 0 || i != un) {
		token_error(p, start, s || (un && is_dec((unsigned char)u[0])) ? "number" : "value", t, n);
		return NULL;
	}
	return is_float ? make_float(p, t, n, start) : make_int(p, t, n, start);
}

static bool all_digits(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_dec((unsigned char)t[i]))
			return false;
	return true;
}

static int num2(const char *t)
{
	return (t[0] - '0') * 10 + (t[1] - '0');
}

static bool valid_date(const char *t, size_t n)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n < 10 || !all_digits(t, 4) || t[4] != '-' || !all_digits(t + 5, 2) ||
	    t[7] != '-' || !all_digits(t + 8, 2))
		return false;
	int y = num2(t) * 100 + num2(t + 2), m = num2(t + 5), d = num2(t + 8);
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

/* HH:MM:SS(.fraction)? at the start of `t`: its length, or 0. Second 60 is
 * a leap second (RFC 3339). */
static size_t scan_time(const char *t, size_t n)
{
	if (n < 8 || !all_digits(t, 2) || t[2] != ':' || !all_digits(t + 3, 2) ||
	    t[5] != ':' || !all_digits(t + 6, 2))
		return 0;
	if (num2(t) > 23 || num2(t + 3) > 59 || num2(t + 6) > 60)
		return 0;
	if (n == 8 || t[8] != '.')
		return 8;
	size_t i = 9;
	while (i < n && is_dec((unsigned char)t[i]))
		i++;
	return i > 9 ? i : 0;
}

/* Z, z or +HH:MM / -HH:MM: true if `t` is exactly an offset. */
static bool valid_offset(const char *t, size_t n)
{
	if (n == 1)
		return t[0] == 'Z' || t[0] == 'z';
	return n == 6 && (t[0] == '+' || t[0] == '-') && all_digits(t + 1, 2) &&
	       t[3] == ':' && all_digits(t + 4, 2) && num2(t + 1) <= 23 &&
	       num2(t + 4) <= 59;
}

static struct value *make_datetime(const char *t, size_t n, int subtype)
{
	char *s = xstrndup(t, n);
	if (n > 10 && subtype != VALUE_STR_TIME_LOCAL)
		s[10] = 'T';
	if (s[n - 1] == 'z')
		s[n - 1] = 'Z';
	struct value *v = value_new_string_take(s, n);
	v->subtype = (unsigned char)subtype;
	return v;
}

/* A token starting with a date: date, local date-time or date-time. */
static struct value *parse_datetime(struct parser *p, const char *t, size_t n,
				    size_t start)
{
	if (!valid_date(t, n) || (n > 10 && t[10] != 'T' && t[10] != 't' && t[10] != ' ')) {
		token_error(p, start, "date", t, n);
		return NULL;
	}
	if (n == 10)
		return make_datetime(t, n, VALUE_STR_DATE_LOCAL);
	size_t tl = scan_time(t + 11, n - 11), end = 11 + tl;
	if (tl == 0 || (end < n && !valid_offset(t + end, n - end))) {
		token_error(p, start, "date-time", t, n);
		return NULL;
	}
	return make_datetime(t, n, end < n ? VALUE_STR_DATETIME : VALUE_STR_DATETIME_LOCAL);
}

static bool is_token(int c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/* Booleans, numbers and date-times: a run of token characters, or a date, a
 * space and a time. */
static struct value *parse_scalar(struct parser *p)
{
	char buf[16];
	size_t start = p->pos, end = start;
	while (is_token(peek_at(p, end)))
		end++;
	if (end == start) {
		error_at(p, start, "expected a value but found %s",
			 describe(p, start, buf));
		return NULL;
	}
	const char *t = p->src + start;
	if (end - start == 10 && valid_date(t, 10) && peek_at(p, end) == ' ' &&
	    is_dec(peek_at(p, end + 1)) && is_dec(peek_at(p, end + 2)) &&
	    peek_at(p, end + 3) == ':')
		for (end++; is_token(peek_at(p, end));)
			end++;
	size_t n = end - start;
	p->pos = end;
	struct value *v;
	if (n == 4 && memcmp(t, "true", 4) == 0)
		v = value_new_bool(true);
	else if (n == 5 && memcmp(t, "false", 5) == 0)
		v = value_new_bool(false);
	else if (n >= 5 && all_digits(t, 4) && t[4] == '-')
		v = parse_datetime(p, t, n, start);
	else if (n >= 3 && all_digits(t, 2) && t[2] == ':')
		v = scan_time(t, n) == n ? make_datetime(t, n, VALUE_STR_TIME_LOCAL)
					 : (token_error(p, start, "time", t, n), NULL);
	else
		v = parse_number(p, t, n, start);
	/* A bad token was reported and skipped whole, so the parser is still in
	 * sync: a placeholder lets it carry on and report later errors too. */
	return v ? v : value_new_null();
}

static struct value *parse_value(struct parser *p)
{
	int line, col, c = peek(p);
	struct value *v;
	linecol(p, p->pos, &line, &col);
	if (c == '"' || c == '\'')
		v = parse_string_value(p);
	else if ((c == '[' || c == '{') && enter(p) < 0)
		return NULL;
	else if (c == '[')
		v = parse_array(p), p->depth--;
	else if (c == '{')
		v = parse_inline_table(p), p->depth--;
	else
		v = parse_scalar(p);
	if (v) {
		v->line = line;
		v->col = col;
	}
	return v;
}

/* ---- expressions -------------------------------------------------------- */

/* key = value, into table `t`. A key already defined is reported and the
 * pair dropped (returns 0: the parser is still in sync). */
static int parse_keyval(struct parser *p, struct value *t)
{
	char buf[16];
	struct key k = { 0 };
	struct value *v;
	if (parse_key(p, &k) < 0)
		goto fail;
	if (peek(p) != '=') {
		error_at(p, p->pos, "expected '=' after the key but found %s",
			 describe(p, p->pos, buf));
		goto fail;
	}
	p->pos++;
	skip_ws(p);
	if (!(v = parse_value(p)))
		goto fail;
	if (set_dotted(p, t, &k, v) < 0)
		value_free(v);
	key_free(&k);
	return 0;
fail:
	key_free(&k);
	return -1;
}

/* [key] or [[key]]; the pairs that follow go into that table (or, when it
 * cannot be defined, into a scratch table that is dropped). */
static int parse_header(struct parser *p)
{
	char buf[16];
	int line, col;
	struct key k = { 0 };
	linecol(p, p->pos, &line, &col);
	bool aot = peek_at(p, p->pos + 1) == '[';
	p->pos += aot ? 2 : 1;
	if (parse_key(p, &k) < 0)
		goto fail;
	if (peek(p) != ']' || (aot && peek_at(p, p->pos + 1) != ']')) {
		error_at(p, p->pos, "expected '%s' after the table name but found %s",
			 aot ? "]]" : "]", describe(p, p->pos, buf));
		goto fail;
	}
	p->pos += aot ? 2 : 1;
	const char *what = aot ? "define array of tables" : "define table";
	struct value *t = p->root;
	for (size_t i = 0; t && i + 1 < k.n; i++)
		t = header_step(p, t, &k, i, what);
	if (t)
		t = aot ? append_table(p, t, &k, line, col) : open_table(p, t, &k, line, col);
	p->cur = t ? t : value_array_push(p->scratch, value_new_table());
	key_free(&k);
	return end_line(p);
fail:
	key_free(&k);
	return -1;
}

static int parse_expression(struct parser *p)
{
	skip_ws(p);
	int c = peek(p);
	if (c == '[')
		return parse_header(p);
	if (c != '#' && c >= 0 && !newline_at(p, p->pos) && parse_keyval(p, p->cur) < 0)
		return -1;
	return end_line(p);
}

static void clear_flags(struct value *v)
{
	v->flags = 0;
	if (v->type == VALUE_TABLE)
		for (size_t i = 0; i < v->u.t.n; i++)
			clear_flags(v->u.t.items[i].val);
	else if (v->type == VALUE_ARRAY)
		for (size_t i = 0; i < v->u.a.n; i++)
			clear_flags(v->u.a.items[i]);
}

struct value *toml_parse(const char *src, size_t len, const char *file,
			 struct diag *d)
{
	struct parser p = {
		.src = src,
		.len = len,
		.file = file,
		.d = d,
		.lc_line = 1,
		.root = new_table(1, 1, 0),
		.scratch = value_new_array(),
	};
	p.cur = p.root;
	if (check_utf8(&p) == 0) {
		if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
			p.pos = 3;
		while (p.pos < p.len && parse_expression(&p) == 0)
			;
	}
	value_free(p.scratch);
	if (p.errors) {
		value_free(p.root);
		return NULL;
	}
	clear_flags(p.root);
	return p.root;
}

/* --- writing --------------------------------------------------------------- */

static bool bare_key(const char *k, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_bare((unsigned char)k[i]))
			return false;
	return true;
}

static void write_string(struct strbuf *sb, const char *s, size_t n)
{
	sb_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_printf(sb, "\\u%04x", c);
			else
				sb_putc(sb, (char)c);
		}
	}
	sb_putc(sb, '"');
}

static void write_key(struct strbuf *sb, const char *k, size_t n)
{
	if (bare_key(k, n))
		sb_put(sb, k, n);
	else
		write_string(sb, k, n);
}

static bool is_table_array(const struct value *v)
{
	if (v->type != VALUE_ARRAY || !v->u.a.n)
		return false;
	for (size_t i = 0; i < v->u.a.n; i++)
		if (v->u.a.items[i]->type != VALUE_TABLE)
			return false;
	return true;
}

static void write_inline(struct strbuf *sb, const struct value *v)
{
	switch (v->type) {
	case VALUE_NULL:
		sb_puts(sb, "\"\"");
		break;
	case VALUE_BOOL:
		sb_puts(sb, v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		sb_printf(sb, "%lld", (long long)v->u.i);
		break;
	case VALUE_FLOAT:
		if (isnan(v->u.f))
			sb_puts(sb, "nan");
		else if (isinf(v->u.f))
			sb_puts(sb, v->u.f < 0 ? "-inf" : "inf");
		else {
			char buf[40];
			snprintf(buf, sizeof buf, "%.17g", v->u.f);
			sb_puts(sb, buf);
			if (!strpbrk(buf, ".en"))
				sb_puts(sb, ".0");
		}
		break;
	case VALUE_STRING:
		if (v->subtype != VALUE_STR_PLAIN)
			sb_put(sb, v->u.s.p, v->u.s.n);
		else
			write_string(sb, v->u.s.p, v->u.s.n);
		break;
	case VALUE_ARRAY:
		sb_putc(sb, '[');
		for (size_t i = 0; i < v->u.a.n; i++) {
			if (i)
				sb_puts(sb, ", ");
			write_inline(sb, v->u.a.items[i]);
		}
		sb_putc(sb, ']');
		break;
	case VALUE_TABLE: {
		sb_putc(sb, '{');
		bool first = true;
		for (size_t i = 0; i < v->u.t.n; i++) {
			const struct value_kv *kv = &v->u.t.items[i];
			if (kv->val->type == VALUE_NULL)
				continue;
			sb_puts(sb, first ? " " : ", ");
			first = false;
			write_key(sb, kv->key, kv->keylen);
			sb_puts(sb, " = ");
			write_inline(sb, kv->val);
		}
		sb_puts(sb, first ? "}" : " }");
		break;
	}
	}
}

/* `path` is the dotted, quoted header of table `t` ("" for the root). */
static void write_table(struct strbuf *sb, const struct value *t, const char *path, bool header,
			bool array)
{
	if (header)
		sb_printf(sb, "%s%s%s%s\n", sb->size ? "\n" : "", array ? "[[" : "[", path, array ? "]]" : "]");
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < t->u.t.n; i++) {
			const struct value_kv *kv = &t->u.t.items[i];
			const struct value *v = kv->val;
			int kind = v->type == VALUE_TABLE ? 1 : (is_table_array(v) ? 2 : 0);
			if (kind != pass || v->type == VALUE_NULL)
				continue;
			struct strbuf sub = STRBUF_INIT;
			sb_puts(&sub, path);
			if (*path)
				sb_putc(&sub, '.');
			write_key(&sub, kv->key, kv->keylen);
			if (kind == 0) {
				write_key(sb, kv->key, kv->keylen);
				sb_puts(sb, " = ");
				write_inline(sb, v);
				sb_putc(sb, '\n');
			} else if (kind == 1) {
				write_table(sb, v, sub.ptr, true, false);
			} else {
				for (size_t k = 0; k < v->u.a.n; k++)
					write_table(sb, v->u.a.items[k], sub.ptr, true, true);
			}
			sb_free(&sub);
		}
}

void toml_write(struct strbuf *sb, const struct value *root)
{
	write_table(sb, root, "", false, false);
}
