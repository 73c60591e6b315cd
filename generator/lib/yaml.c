#include "yaml.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xalloc.h"

#define MAX_DEPTH 64

/* One open container; `key` is a mapping's pending key (owned). */
struct frame {
	struct value *v;
	char *key;
	size_t keylen;
	int kline, kcol;
};

struct reader {
	yaml_parser_t parser;
	const char *file;
	int line0;
	struct diag *d;
	struct frame stack[MAX_DEPTH];
	int depth;
	struct value *root;
	int ndocs;
	bool failed;
	bool stop; /* past the nesting limit: read no further */
};

static int line_of(const struct reader *r, yaml_mark_t m)
{
	return (int)m.line + r->line0;
}

static int col_of(yaml_mark_t m)
{
	return (int)m.column + 1;
}

static void error_at(struct reader *r, yaml_mark_t m, const char *msg, const char *arg)
{
	diag_error(r->d, r->file, line_of(r, m), col_of(m), msg, arg);
	r->failed = true;
}

/* --- scalar resolution (YAML 1.2 core schema) ------------------------------ */

static bool one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

static bool all_digits(const char *s, size_t n, int base)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		bool ok = base == 16 ? isxdigit(c) : (base == 8 ? (c >= '0' && c <= '7') : isdigit(c));
		if (!ok)
			return false;
	}
	return true;
}

static bool is_int(const char *s, int *base, const char **digits)
{
	const char *p = s;
	if (!strncmp(p, "0x", 2) && all_digits(p + 2, strlen(p + 2), 16)) {
		*base = 16, *digits = p + 2;
		return true;
	}
	if (!strncmp(p, "0o", 2) && all_digits(p + 2, strlen(p + 2), 8)) {
		*base = 8, *digits = p + 2;
		return true;
	}
	if (*p == '-' || *p == '+')
		p++;
	*base = 10, *digits = s;
	return all_digits(p, strlen(p), 10);
}

/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static bool is_float(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	size_t ip = strspn(p, "0123456789");
	p += ip;
	size_t fp = 0;
	if (*p == '.') {
		p++;
		fp = strspn(p, "0123456789");
		p += fp;
	}
	if (!ip && !fp)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		size_t ep = strspn(p, "0123456789");
		if (!ep)
			return false;
		p += ep;
	}
	return *p == '\0';
}

static bool two(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]);
}

static bool is_date(const char *s)
{
	return strlen(s) >= 10 && two(s) && two(s + 2) && s[4] == '-' && two(s + 5) && s[7] == '-' &&
	       two(s + 8);
}

/* HH:MM:SS(.frac)? then an optional Z or +-HH:MM; sets *zone when present. */
static bool is_time(const char *s, bool *zone)
{
	if (!(two(s) && s[2] == ':' && two(s + 3) && s[5] == ':' && two(s + 6)))
		return false;
	const char *p = s + 8;
	if (*p == '.') {
		size_t n = strspn(p + 1, "0123456789");
		if (!n)
			return false;
		p += 1 + n;
	}
	*zone = *p != '\0';
	if (!*p)
		return true;
	if ((*p == 'Z' || *p == 'z') && !p[1])
		return true;
	return (*p == '+' || *p == '-') && two(p + 1) && p[3] == ':' && two(p + 4) && !p[6];
}

static struct value *datetime(const char *s)
{
	size_t n = strlen(s);
	bool zone = false;
	if (n == 10)
		goto date;
	if (!(s[10] == 'T' || s[10] == 't' || s[10] == ' ') || !is_time(s + 11, &zone))
		return NULL;
date:;
	char *t = xstrdup(s);
	if (n > 10)
		t[10] = 'T';
	if (t[n - 1] == 'z')
		t[n - 1] = 'Z';
	struct value *v = value_new_string_take(t, n);
	v->subtype = n == 10 ? VALUE_STR_DATE_LOCAL : (zone ? VALUE_STR_DATETIME : VALUE_STR_DATETIME_LOCAL);
	return v;
}

static struct value *resolve_plain(struct reader *r, const char *s, size_t n, yaml_mark_t m)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	static const char *const ninfs[] = { "-.inf", "-.Inf", "-.INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
	int base;
	const char *digits;
	if (strlen(s) != n) /* a NUL inside: keep it a string */
		return value_new_string(s, n);
	if (one_of(s, nulls))
		return value_new_null();
	if (one_of(s, trues) || one_of(s, falses))
		return value_new_bool(one_of(s, trues));
	if (is_int(s, &base, &digits)) {
		errno = 0;
		char *end = NULL;
		long long i = strtoll(digits, &end, base);
		if (errno == ERANGE) {
			error_at(r, m, "integer '%s' does not fit in 64 bits", s);
			return NULL;
		}
		return value_new_int(i);
	}
	if (is_float(s))
		return value_new_float(strtod(s, NULL));
	if (one_of(s, infs) || one_of(s, ninfs))
		return value_new_float(one_of(s, ninfs) ? -INFINITY : INFINITY);
	if (one_of(s, nans))
		return value_new_float(NAN);
	if (is_date(s)) {
		struct value *v = datetime(s);
		if (v)
			return v;
	}
	return value_new_string(s, n);
}

static struct value *scalar(struct reader *r, const yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (!tag || !strcmp(tag, "!"))
		return plain && !tag ? resolve_plain(r, s, n, ev->start_mark) : value_new_string(s, n);
	if (!strcmp(tag, YAML_STR_TAG))
		return value_new_string(s, n);
	if (!strcmp(tag, YAML_NULL_TAG) || !strcmp(tag, YAML_BOOL_TAG) || !strcmp(tag, YAML_INT_TAG) ||
	    !strcmp(tag, YAML_FLOAT_TAG) || !strcmp(tag, YAML_TIMESTAMP_TAG)) {
		struct value *v = resolve_plain(r, s, n, ev->start_mark);
		if (v && v->type == VALUE_STRING && !v->subtype) {
			value_free(v);
			error_at(r, ev->start_mark, "'%s' does not match its tag", s);
			return NULL;
		}
		return v;
	}
	error_at(r, ev->start_mark, "unsupported YAML tag '%s'", tag);
	return NULL;
}

/* --- the tree -------------------------------------------------------------- */

/* Adds `v` (taken) to the open container, or makes it the root. */
static void add(struct reader *r, struct value *v, yaml_mark_t m)
{
	if (!v)
		return;
	if (r->depth == 0) {
		if (r->root) {
			value_free(v);
			return;
		}
		if (v->type != VALUE_TABLE) {
			diag_error(r->d, r->file, v->line, v->col,
				   "front matter must be a mapping of keys to values, not %s",
				   value_type_name(v->type));
			r->failed = true;
			value_free(v);
			return;
		}
		r->root = v;
		return;
	}
	struct frame *f = &r->stack[r->depth - 1];
	if (f->v->type == VALUE_ARRAY) {
		value_array_push(f->v, v);
		return;
	}
	if (!f->key) {
		if (v->type != VALUE_STRING) {
			diag_error(r->d, r->file, v->line, v->col, "keys must be plain strings, not %s",
				   value_type_name(v->type));
			r->failed = true;
			value_free(v);
			/* a placeholder keeps the next value from becoming a key */
			f->key = xstrdup("");
			f->keylen = (size_t)-1;
			return;
		}
		f->keylen = v->u.s.n;
		f->key = xstrndup(v->u.s.p, v->u.s.n);
		f->kline = line_of(r, m);
		f->kcol = col_of(m);
		value_free(v);
		if (f->keylen == 2 && !strcmp(f->key, "<<")) {
			error_at(r, m, "%s", "YAML merge keys ('<<') are not supported in front matter");
			f->keylen = (size_t)-1;
		} else if (value_table_getn(f->v, f->key, f->keylen)) {
			error_at(r, m, "duplicate key '%s'", f->key);
			f->keylen = (size_t)-1;
		}
		return;
	}
	if (f->keylen == (size_t)-1) {
		value_free(v);
	} else {
		value_table_setn(f->v, f->key, f->keylen, v);
		struct value_kv *kv = &f->v->u.t.items[f->v->u.t.n - 1];
		kv->line = f->kline;
		kv->col = f->kcol;
	}
	free(f->key);
	f->key = NULL;
}

static void open_container(struct reader *r, struct value *v, yaml_mark_t m)
{
	v->line = line_of(r, m);
	v->col = col_of(m);
	if (r->depth == MAX_DEPTH) {
		/* Reported once, and the parse ends here: libyaml's scanner
		 * checks every open flow level at each token, so reading a
		 * deeper document to its end would take time in the square of
		 * its depth, and each level past the limit is the same error. */
		error_at(r, m, "front matter nests deeper than %s levels", "64");
		value_free(v);
		r->stop = true;
		return;
	}
	r->stack[r->depth].v = v;
	r->stack[r->depth].key = NULL;
	r->depth++;
}

static void close_container(struct reader *r, yaml_mark_t m)
{
	if (r->depth == 0)
		return;
	struct frame *f = &r->stack[--r->depth];
	free(f->key);
	add(r, f->v, m);
}

/* Handles one event; returns false at the end of the stream. */
static bool event(struct reader *r, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return false;
	case YAML_DOCUMENT_START_EVENT:
		if (++r->ndocs > 1)
			error_at(r, ev->start_mark, "%s", "front matter holds one YAML document, not several");
		break;
	case YAML_ALIAS_EVENT:
		error_at(r, ev->start_mark, "YAML aliases ('*%s') are not supported in front matter",
			 (const char *)ev->data.alias.anchor);
		add(r, value_new_null(), ev->start_mark);
		break;
	case YAML_SCALAR_EVENT: {
		if (ev->data.scalar.anchor)
			error_at(r, ev->start_mark, "YAML anchors ('&%s') are not supported in front matter",
				 (const char *)ev->data.scalar.anchor);
		/* A key is its text, whatever it looks like ("1: x" has key "1"). */
		const struct frame *top = r->depth ? &r->stack[r->depth - 1] : NULL;
		bool is_key = top && top->v->type == VALUE_TABLE && !top->key;
		struct value *v = is_key ? value_new_string((const char *)ev->data.scalar.value,
							    ev->data.scalar.length)
					 : scalar(r, ev);
		if (!v)
			v = value_new_null();
		v->line = line_of(r, ev->start_mark);
		v->col = col_of(ev->start_mark);
		add(r, v, ev->start_mark);
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		const char *tag = (const char *)(seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag);
		if (anchor)
			error_at(r, ev->start_mark, "YAML anchors ('&%s') are not supported in front matter",
				 (const char *)anchor);
		if (tag && strcmp(tag, seq ? YAML_SEQ_TAG : YAML_MAP_TAG))
			error_at(r, ev->start_mark, "unsupported YAML tag '%s'", tag);
		open_container(r, seq ? value_new_array() : value_new_table(), ev->start_mark);
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		close_container(r, ev->start_mark);
		break;
	default:
		break;
	}
	return true;
}

struct value *yaml_parse(const char *src, size_t len, const char *file, int line0, struct diag *d)
{
	struct reader r;
	memset(&r, 0, sizeof r);
	r.file = file;
	r.line0 = line0;
	r.d = d;
	if (!yaml_parser_initialize(&r.parser)) {
		diag_error(d, file, line0, 1, "cannot start the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)src, len);
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&r.parser, &ev)) {
			yaml_mark_t m = r.parser.problem_mark;
			diag_error(d, file, line_of(&r, m), col_of(m), "YAML: %s%s%s",
				   r.parser.problem ? r.parser.problem : "syntax error",
				   r.parser.context ? " " : "", r.parser.context ? r.parser.context : "");
			r.failed = true;
			break;
		}
		bool more = event(&r, &ev);
		yaml_event_delete(&ev);
		if (!more || r.stop)
			break;
	}
	while (r.depth > 0) {
		struct frame *f = &r.stack[--r.depth];
		free(f->key);
		value_free(f->v);
	}
	yaml_parser_delete(&r.parser);
	if (!r.root && !r.failed) {
		r.root = value_new_table();
		r.root->line = line0;
		r.root->col = 1;
	}
	if (r.failed) {
		value_free(r.root);
		return NULL;
	}
	return r.root;
}
