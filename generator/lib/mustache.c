#include "mustache.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "xalloc.h"

/*
 * Compilation runs in passes over a token array, as the standalone rules
 * need to see both sides of a tag and, for parents and blocks, the matching
 * closing tag: lex (tags and text, following set-delimiter tags), structure
 * (match openers with closers), whitespace (which tags stand alone on their
 * line and what blanks and line ends they take with them) and build (the
 * node tree, with text copied out of the source).
 *
 * Indentation is applied while rendering: `pending` is true at the start of
 * a template line, and the next text or value written emits the indentation
 * of the enclosing standalone partials, parents and blocks first. Blank
 * template lines get none. A partial, parent or block that is not alone on
 * its line expands without indentation, as if the source had been
 * re-indented before parsing (the spec's model).
 *
 * Blocks (mustache/spec issues #130, #131): a block whose opening tag ends
 * its line has an "intrinsic" indentation, the blanks that start its first
 * content line. They are removed from each content line when compiling and
 * are the indentation the block expands with. Otherwise a block pair that
 * starts and ends a line (possibly the same one) expands with the opening
 * tag's indentation. Inside a parent, text outside blocks is ignored, so a
 * block opening tag only needs a clear right side to drop its line end, and
 * its closing tag never takes a line end.
 */

/* ---- the compiled form ------------------------------------------------ */

enum mnode_kind {
	MN_TEXT,
	MN_VAR, /* {{x}}, escaped */
	MN_RAW, /* {{{x}}} and {{&x}} */
	MN_SECTION,
	MN_INVERTED,
	MN_PARTIAL,
	MN_PARENT,
	MN_BLOCK,
};

struct mnode {
	enum mnode_kind kind;
	bool bol;        /* MN_TEXT: starts a source line (used while compiling) */
	bool standalone; /* PARTIAL, PARENT, site BLOCK: expands at a line start */
	bool intrinsic;  /* BLOCK: `indent` comes from its first content line */
	int line, col;
	char *str; /* MN_TEXT: the text; other kinds: the tag's name */
	size_t len;
	char *indent;         /* PARTIAL, PARENT, BLOCK: owned, maybe "" */
	struct strview *path; /* VAR, RAW, SECTION, INVERTED; NULL for "." */
	size_t npath;
	struct mnode *kids; /* SECTION, INVERTED, BLOCK: content; PARENT: its BLOCKs */
	size_t nkids;
};

struct mtemplate {
	char *name;
	size_t namelen;
	size_t index; /* in mustache_set.tpls */
	char *file;
	struct mnode *kids;
	size_t nkids;
};

/* What every render of a set has used together: the one thing rendering
 * writes outside its own render, so the counters are atomic. Each render
 * adds its steps and bytes in chunks of BUDGET_CHUNK steps and once more
 * when it ends, so the totals, and whether they pass the limits, do not
 * depend on how the renders were spread over threads. */
struct mustache_budget {
	atomic_size_t steps, output;
	atomic_bool exceeded;
	size_t max_steps, max_output;
};

enum { BUDGET_CHUNK = 4096 };

struct mustache_set {
	struct mtemplate **tpls; /* in order of addition */
	size_t n, cap;
	size_t *slots; /* open addressing: index + 1, 0 = empty */
	size_t nslots;
	struct mustache_limits lim;
	struct mustache_budget *budget; /* owned; written while rendering */
};

static void nodes_free(struct mnode *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].str);
		free(v[i].indent);
		free(v[i].path);
		nodes_free(v[i].kids, v[i].nkids);
	}
	free(v);
}

static void template_free(struct mtemplate *t)
{
	if (!t)
		return;
	nodes_free(t->kids, t->nkids);
	free(t->name);
	free(t->file);
	free(t);
}

/* ---- lexing ----------------------------------------------------------- */

enum tok_kind {
	TOK_TEXT,
	TOK_VAR,
	TOK_RAW,
	TOK_SECTION,
	TOK_INVERTED,
	TOK_CLOSE,
	TOK_PARTIAL,
	TOK_PARENT,
	TOK_BLOCK,
	TOK_COMMENT,
	TOK_DELIM,
};

#define NONE ((size_t)-1)

struct tok {
	enum tok_kind kind;
	size_t start, end;   /* raw extent; a tag's includes its delimiters */
	size_t tstart, tend; /* TOK_TEXT: what standalone tags left of it */
	struct strview name; /* tags: the content after the sigil, trimmed */
	size_t match;        /* an opener's closing tag and vice versa */
	size_t up;           /* the innermost enclosing opener, or NONE */
	bool cl, cr;         /* only blanks up to line start / through line end */
	size_t ws;           /* where the blanks before the tag begin */
	size_t after;        /* just after the blanks and line end after it */
	bool standalone;     /* PARTIAL, PARENT, BLOCK: expands indented */
	bool intrinsic;      /* BLOCK: content starts on the next line */
};

struct compiler {
	const char *src;
	size_t len;
	const char *file;
	struct diag *d;
	int errors;
	bool truncated; /* lexing stopped at an unclosed tag */
	struct tok *toks;
	size_t ntoks, cap;
	char *otag, *ctag; /* current delimiters */
	size_t lc_off;     /* incremental line/column of build positions */
	int lc_line, lc_col;
	size_t *lines; /* offsets of the line starts, made at the first error */
	size_t nlines;
	size_t more;     /* errors past MUSTACHE_MAX_ERRORS, not listed */
	size_t more_off; /* where the first of them is */
};

/* Line and column of `off` by binary search in the line starts, which are
 * found once (at the first error): a template's errors cost linear time,
 * where counting from the start for each was quadratic. */
static void err_linecol(struct compiler *c, size_t off, int *line, int *col)
{
	if (!c->lines) {
		size_t cap = 0;
		c->lines = xgrow(NULL, &cap, 1, sizeof(*c->lines));
		c->lines[c->nlines++] = 0;
		for (const char *p = c->src, *e = c->src + c->len;
		     (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++) {
			c->lines = xgrow(c->lines, &cap, c->nlines + 1, sizeof(*c->lines));
			c->lines[c->nlines++] = (size_t)(p - c->src) + 1;
		}
	}
	size_t lo = 0, hi = c->nlines; /* the last start <= off is in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (int)lo + 1;
	*col = (int)(off - c->lines[lo]) + 1;
}

static void cerr(struct compiler *c, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cerr(struct compiler *c, size_t off, const char *fmt, ...)
{
	int line, col;
	va_list ap;
	if (c->errors++ >= MUSTACHE_MAX_ERRORS) {
		if (c->more++ == 0)
			c->more_off = off;
		return;
	}
	err_linecol(c, off, &line, &col);
	va_start(ap, fmt);
	diag_vemit(c->d, DIAG_ERROR, c->file, line, col, fmt, ap);
	va_end(ap);
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
	return is_blank(ch) || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static struct strview trim(const char *p, size_t n)
{
	while (n > 0 && is_space(*p))
		p++, n--;
	while (n > 0 && is_space(p[n - 1]))
		n--;
	return (struct strview){ p, n };
}

/* First occurrence of `needle` in src[from, len), or NONE. */
static size_t find(const struct compiler *c, size_t from, const char *needle)
{
	size_t m = strlen(needle);
	while (from + m <= c->len) {
		const char *p = memchr(c->src + from, needle[0], c->len - from);
		if (!p || (size_t)(p - c->src) + m > c->len)
			return NONE;
		if (!memcmp(p, needle, m))
			return (size_t)(p - c->src);
		from = (size_t)(p - c->src) + 1;
	}
	return NONE;
}

static struct tok *push_tok(struct compiler *c, enum tok_kind k, size_t start,
			    size_t end)
{
	c->toks = xgrow(c->toks, &c->cap, c->ntoks + 1, sizeof(*c->toks));
	struct tok *t = &c->toks[c->ntoks++];
	*t = (struct tok){
		.kind = k,
		.start = start,
		.end = end,
		.tstart = start,
		.tend = end,
		.match = NONE,
		.up = NONE,
	};
	return t;
}

static enum tok_kind sigil_kind(char ch)
{
	switch (ch) {
	case '#':
		return TOK_SECTION;
	case '^':
		return TOK_INVERTED;
	case '/':
		return TOK_CLOSE;
	case '>':
		return TOK_PARTIAL;
	case '<':
		return TOK_PARENT;
	case '$':
		return TOK_BLOCK;
	case '!':
		return TOK_COMMENT;
	case '=':
		return TOK_DELIM;
	case '{':
	case '&':
		return TOK_RAW;
	default:
		return TOK_VAR;
	}
}

static bool is_delim(struct strview v)
{
	bool ok = v.n > 0;
	for (size_t k = 0; ok && k < v.n; k++)
		ok = !is_space(v.p[k]) && v.p[k] != '=' && v.p[k] != '\0';
	return ok;
}

/* {{=<% %>=}}: two delimiters, neither empty nor holding blanks or '='
 * (nor NUL: delimiters are C strings here). */
static void set_delims(struct compiler *c, size_t start, struct strview in)
{
	size_t i = 0;
	while (i < in.n && !is_space(in.p[i]))
		i++;
	struct strview a = { in.p, i };
	struct strview b = trim(in.p + i, in.n - i);
	bool ok = is_delim(a) && is_delim(b);
	if (!ok) {
		cerr(c, start, "invalid set-delimiter tag (expected two delimiters "
			       "without blanks or '=')");
		return;
	}
	free(c->otag);
	free(c->ctag);
	c->otag = xstrndup(a.p, a.n);
	c->ctag = xstrndup(b.p, b.n);
}

/* Names hold no blanks; dotted names have no empty part ("." alone is the
 * implicit iterator). */
static void check_name(struct compiler *c, size_t start, enum tok_kind k,
		       struct strview in)
{
	if (in.n == 0) {
		cerr(c, start, "empty tag");
		return;
	}
	bool ok = true;
	for (size_t i = 0; ok && i < in.n; i++)
		ok = !is_space(in.p[i]);
	bool dotted = k == TOK_VAR || k == TOK_RAW || k == TOK_SECTION ||
		      k == TOK_INVERTED;
	if (ok && dotted && !(in.n == 1 && in.p[0] == '.')) {
		ok = in.p[0] != '.' && in.p[in.n - 1] != '.';
		for (size_t i = 1; ok && i < in.n; i++)
			ok = !(in.p[i] == '.' && in.p[i - 1] == '.');
	}
	if (!ok)
		cerr(c, start, "invalid tag name '%.*s'", (int)in.n, in.p);
}

/* Where the tag opened at `p` (content start) closes: the closing
 * delimiter, preceded by `mate` for {{{x}}} and {{=a b=}}. */
static size_t find_close(const struct compiler *c, size_t p, char mate)
{
	for (size_t q = find(c, p, c->ctag); q != NONE; q = find(c, q + 1, c->ctag)) {
		if (!mate)
			return q;
		if (q > p && c->src[q - 1] == mate)
			return q - 1;
	}
	return NONE;
}

/* Lexes the tag whose opening delimiter is at `start`; returns the offset
 * after it, or NONE when it is not closed (reported). */
static size_t lex_tag(struct compiler *c, size_t start)
{
	size_t p = start + strlen(c->otag);
	char sig = p < c->len ? c->src[p] : '\0';
	enum tok_kind kind = sigil_kind(sig);
	if (kind != TOK_VAR)
		p++;
	char mate = sig == '{' ? '}' : (sig == '=' ? '=' : '\0');
	size_t close = find_close(c, p, mate);
	if (close == NONE) {
		cerr(c, start, "unclosed tag (missing '%s%s')",
		     mate == '}' ? "}" : (mate == '=' ? "=" : ""), c->ctag);
		return NONE;
	}
	size_t end = close + (mate ? 1 : 0) + strlen(c->ctag);
	struct strview in = trim(c->src + p, close - p);
	if (kind == TOK_DELIM)
		set_delims(c, start, in);
	else if (kind != TOK_COMMENT)
		check_name(c, start, kind, in);
	push_tok(c, kind, start, end)->name = in;
	return end;
}

static void lex(struct compiler *c)
{
	size_t pos = 0;
	while (pos < c->len) {
		size_t at = find(c, pos, c->otag);
		if (at == NONE) {
			push_tok(c, TOK_TEXT, pos, c->len);
			return;
		}
		if (at > pos)
			push_tok(c, TOK_TEXT, pos, at);
		pos = lex_tag(c, at);
		if (pos == NONE) {
			c->truncated = true;
			return;
		}
	}
}

/* ---- structure -------------------------------------------------------- */

static bool is_opener(enum tok_kind k)
{
	return k == TOK_SECTION || k == TOK_INVERTED || k == TOK_PARENT ||
	       k == TOK_BLOCK;
}

static const char *kind_word(enum tok_kind k)
{
	switch (k) {
	case TOK_INVERTED:
		return "inverted section";
	case TOK_PARENT:
		return "parent";
	case TOK_BLOCK:
		return "block";
	default:
		return "section";
	}
}

static bool sv_same(struct strview a, struct strview b)
{
	return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

static void unclosed(struct compiler *c, size_t i)
{
	const struct tok *t = &c->toks[i];
	cerr(c, t->start, "unclosed %s '%.*s'", kind_word(t->kind), (int)t->name.n,
	     t->name.p);
}

/* Matches closing tag `i` with an opener on the stack; returns the new
 * stack size. A closer naming a deeper opener closes it and reports the
 * ones in between; one naming none reports and closes the innermost. */
static size_t close_section(struct compiler *c, size_t i, size_t *stack, size_t n)
{
	struct tok *t = &c->toks[i];
	if (n == 0) {
		cerr(c, t->start, "closing tag '%.*s' without open section",
		     (int)t->name.n, t->name.p);
		return 0;
	}
	size_t j = n;
	while (j > 0 && !sv_same(c->toks[stack[j - 1]].name, t->name))
		j--;
	if (j == 0) {
		const struct tok *o = &c->toks[stack[n - 1]];
		int line, col;
		err_linecol(c, o->start, &line, &col);
		cerr(c, t->start,
		     "closing tag '%.*s' does not match open %s '%.*s' (opened at "
		     "%d:%d)",
		     (int)t->name.n, t->name.p, kind_word(o->kind), (int)o->name.n,
		     o->name.p, line, col);
		j = n;
	}
	for (size_t k = n; k > j; k--)
		unclosed(c, stack[k - 1]);
	c->toks[stack[j - 1]].match = i;
	t->match = stack[j - 1];
	return j - 1;
}

static void structure(struct compiler *c)
{
	size_t *stack = NULL, n = 0, cap = 0;
	for (size_t i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		t->up = n > 0 ? stack[n - 1] : NONE;
		if (is_opener(t->kind)) {
			if (n == MUSTACHE_MAX_NESTING)
				cerr(c, t->start, "sections nested deeper than %d",
				     MUSTACHE_MAX_NESTING);
			stack = xgrow(stack, &cap, n + 1, sizeof(*stack));
			stack[n++] = i;
		} else if (t->kind == TOK_CLOSE) {
			n = close_section(c, i, stack, n);
		}
	}
	while (n > 0)
		unclosed(c, stack[--n]);
	free(stack);
}

/* ---- standalone tags -------------------------------------------------- */

/* Sets cl/ws and cr/after of tag `i` from the raw text around it. */
static void measure(struct compiler *c, size_t i)
{
	const char *s = c->src;
	struct tok *t = &c->toks[i];
	t->ws = t->start;
	t->cl = i == 0;
	if (i > 0 && c->toks[i - 1].kind == TOK_TEXT) {
		const struct tok *p = &c->toks[i - 1];
		size_t q = p->end;
		while (q > p->start && is_blank(s[q - 1]))
			q--;
		t->ws = q;
		t->cl = q > p->start ? s[q - 1] == '\n' : p->start == 0;
	}
	t->after = t->end;
	t->cr = i + 1 == c->ntoks;
	if (i + 1 < c->ntoks && c->toks[i + 1].kind == TOK_TEXT) {
		const struct tok *nx = &c->toks[i + 1];
		size_t q = nx->start;
		while (q < nx->end && is_blank(s[q]))
			q++;
		if (q == nx->end) {
			t->cr = i + 2 == c->ntoks;
			t->after = q;
		} else if (s[q] == '\n' || (s[q] == '\r' && q + 1 < nx->end && s[q + 1] == '\n')) {
			t->cr = true;
			t->after = q + (s[q] == '\r' ? 2 : 1);
		}
	}
}

static void take_left(struct compiler *c, size_t i)
{
	if (i > 0 && c->toks[i - 1].kind == TOK_TEXT)
		c->toks[i - 1].tend = c->toks[i].ws;
}

static void take_right(struct compiler *c, size_t i)
{
	if (i + 1 < c->ntoks && c->toks[i + 1].kind == TOK_TEXT)
		c->toks[i + 1].tstart = c->toks[i].after;
}

static bool in_parent(const struct compiler *c, const struct tok *t)
{
	return t->up != NONE && c->toks[t->up].kind == TOK_PARENT;
}

static void classify_block(struct compiler *c, size_t i)
{
	struct tok *t = &c->toks[i];
	if (in_parent(c, t)) {
		if (t->cr) {
			take_right(c, i);
			t->intrinsic = true;
		}
	} else if (t->cl && t->cr) {
		take_left(c, i);
		take_right(c, i);
		t->standalone = t->intrinsic = true;
	} else if (t->cl && c->toks[t->match].cr) {
		take_left(c, i);
		t->standalone = true;
	}
}

static void classify_close(struct compiler *c, size_t i)
{
	const struct tok *t = &c->toks[i];
	const struct tok *o = &c->toks[t->match];
	if (o->kind == TOK_PARENT) {
		if (o->cl && t->cr)
			take_right(c, i);
	} else if (o->kind == TOK_BLOCK && in_parent(c, o)) {
		if (t->cl)
			take_left(c, i);
	} else if (t->cl && t->cr) {
		take_left(c, i);
		take_right(c, i);
	}
}

/* Decides what blanks and line ends tag `i` takes from the text around it. */
static void classify(struct compiler *c, size_t i)
{
	struct tok *t = &c->toks[i];
	switch (t->kind) {
	case TOK_SECTION:
	case TOK_INVERTED:
	case TOK_COMMENT:
	case TOK_DELIM:
	case TOK_PARTIAL:
		if (t->cl && t->cr) {
			take_left(c, i);
			take_right(c, i);
			t->standalone = true;
		}
		break;
	case TOK_PARENT:
		if (t->cl && c->toks[t->match].cr) {
			take_left(c, i);
			t->standalone = true;
		}
		break;
	case TOK_BLOCK:
		classify_block(c, i);
		break;
	case TOK_CLOSE:
		classify_close(c, i);
		break;
	default:
		break;
	}
}

/* ---- building the tree ------------------------------------------------ */

struct nodes {
	struct mnode *v;
	size_t n, cap;
};

static void linecol(struct compiler *c, size_t off, int *line, int *col)
{
	if (off < c->lc_off) {
		c->lc_off = 0;
		c->lc_line = c->lc_col = 1;
	}
	for (; c->lc_off < off; c->lc_off++) {
		if (c->src[c->lc_off] == '\n') {
			c->lc_line++;
			c->lc_col = 1;
		} else {
			c->lc_col++;
		}
	}
	*line = c->lc_line;
	*col = c->lc_col;
}

static struct mnode *add_node(struct compiler *c, struct nodes *ns,
			      enum mnode_kind k, size_t off)
{
	ns->v = xgrow(ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	struct mnode *m = &ns->v[ns->n++];
	*m = (struct mnode){ .kind = k };
	linecol(c, off, &m->line, &m->col);
	return m;
}

static void set_name(struct mnode *m, const struct tok *t)
{
	m->str = xstrndup(t->name.p, t->name.n);
	m->len = t->name.n;
}

/* Splits a dotted name into its parts (views into m->str). */
static void set_path(struct mnode *m)
{
	if (m->len == 1 && m->str[0] == '.')
		return;
	m->npath = 1;
	for (size_t i = 0; i < m->len; i++)
		m->npath += m->str[i] == '.';
	m->path = xcalloc(m->npath, sizeof(*m->path));
	const char *p = m->str;
	for (size_t k = 0; k < m->npath; k++) {
		const char *dot = memchr(p, '.', (size_t)(m->str + m->len - p));
		size_t n = dot ? (size_t)(dot - p) : (size_t)(m->str + m->len - p);
		m->path[k] = (struct strview){ p, n };
		p += n + 1;
	}
}

static void set_indent(struct mnode *m, const struct compiler *c,
		       const struct tok *t)
{
	m->standalone = t->standalone;
	m->indent = t->standalone ? xstrndup(c->src + t->ws, t->start - t->ws)
				  : xstrdup("");
}

static size_t common_prefix(const char *s, size_t n, const char *ind, size_t ilen)
{
	size_t k = 0;
	while (k < n && k < ilen && s[k] == ind[k])
		k++;
	return k;
}

/* Removes `ind` (as far as it matches) from each source line start. */
static void strip_text(struct mnode *m, const char *ind, size_t ilen)
{
	struct strbuf sb = STRBUF_INIT;
	bool bol = m->bol;
	size_t i = 0;
	while (i < m->len) {
		if (bol)
			i += common_prefix(m->str + i, m->len - i, ind, ilen);
		const char *nl = memchr(m->str + i, '\n', m->len - i);
		size_t k = nl ? (size_t)(nl - (m->str + i)) + 1 : m->len - i;
		sb_put(&sb, m->str + i, k);
		i += k;
		bol = true;
	}
	free(m->str);
	m->len = sb.size;
	m->str = sb_detach(&sb);
}

static void strip_indent(struct mnode *m, const char *ind, size_t ilen)
{
	size_t n = strlen(m->indent);
	size_t k = common_prefix(m->indent, n, ind, ilen);
	memmove(m->indent, m->indent + k, n - k + 1);
}

/* Removes a block's intrinsic indentation from the lines of its content,
 * including the indentation of what expands there; a nested block with its
 * own intrinsic indentation has already been made relative to it. */
static void strip_list(struct mnode *v, size_t n, const char *ind, size_t ilen)
{
	for (size_t i = 0; i < n; i++) {
		struct mnode *m = &v[i];
		switch (m->kind) {
		case MN_TEXT:
			strip_text(m, ind, ilen);
			break;
		case MN_PARTIAL:
			strip_indent(m, ind, ilen);
			break;
		case MN_PARENT:
			strip_indent(m, ind, ilen);
			strip_list(m->kids, m->nkids, ind, ilen);
			break;
		case MN_BLOCK:
			strip_indent(m, ind, ilen);
			if (!m->intrinsic)
				strip_list(m->kids, m->nkids, ind, ilen);
			break;
		case MN_SECTION:
		case MN_INVERTED:
			strip_list(m->kids, m->nkids, ind, ilen);
			break;
		default:
			break;
		}
	}
}

static void build_list(struct compiler *c, size_t from, size_t to,
		       struct nodes *ns);

static void build_block(struct compiler *c, size_t i, struct nodes *ns)
{
	const struct tok *t = &c->toks[i];
	struct nodes kids = { 0 };
	build_list(c, i + 1, t->match, &kids);
	struct mnode *m = add_node(c, ns, MN_BLOCK, t->start);
	set_name(m, t);
	m->kids = kids.v;
	m->nkids = kids.n;
	if (!t->intrinsic) {
		set_indent(m, c, t);
		return;
	}
	size_t q = t->after;
	while (q < c->len && is_blank(c->src[q]))
		q++;
	m->standalone = t->standalone;
	m->intrinsic = true;
	m->indent = xstrndup(c->src + t->after, q - t->after);
	strip_list(m->kids, m->nkids, m->indent, q - t->after);
}

/* A parent keeps only the blocks directly inside it: its overrides. */
static void build_parent(struct compiler *c, size_t i, struct nodes *ns)
{
	const struct tok *t = &c->toks[i];
	struct nodes kids = { 0 };
	for (size_t j = i + 1; j < t->match; j++) {
		const struct tok *u = &c->toks[j];
		if (u->kind == TOK_BLOCK)
			build_block(c, j, &kids);
		if (is_opener(u->kind))
			j = u->match;
	}
	struct mnode *m = add_node(c, ns, MN_PARENT, t->start);
	set_name(m, t);
	set_indent(m, c, t);
	m->kids = kids.v;
	m->nkids = kids.n;
}

static void build_section(struct compiler *c, size_t i, struct nodes *ns)
{
	const struct tok *t = &c->toks[i];
	struct nodes kids = { 0 };
	build_list(c, i + 1, t->match, &kids);
	struct mnode *m = add_node(
		c, ns, t->kind == TOK_SECTION ? MN_SECTION : MN_INVERTED, t->start);
	set_name(m, t);
	set_path(m);
	m->kids = kids.v;
	m->nkids = kids.n;
}

static void build_text(struct compiler *c, const struct tok *t, struct nodes *ns)
{
	if (t->tend <= t->tstart)
		return;
	struct mnode *m = add_node(c, ns, MN_TEXT, t->tstart);
	m->bol = t->tstart == 0 || c->src[t->tstart - 1] == '\n';
	m->str = xstrndup(c->src + t->tstart, t->tend - t->tstart);
	m->len = t->tend - t->tstart;
}

static void build_list(struct compiler *c, size_t from, size_t to,
		       struct nodes *ns)
{
	for (size_t i = from; i < to; i++) {
		const struct tok *t = &c->toks[i];
		struct mnode *m;
		switch (t->kind) {
		case TOK_TEXT:
			build_text(c, t, ns);
			break;
		case TOK_VAR:
		case TOK_RAW:
			m = add_node(c, ns, t->kind == TOK_VAR ? MN_VAR : MN_RAW,
				     t->start);
			set_name(m, t);
			set_path(m);
			break;
		case TOK_PARTIAL:
			m = add_node(c, ns, MN_PARTIAL, t->start);
			set_name(m, t);
			set_indent(m, c, t);
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
			build_section(c, i, ns);
			i = t->match;
			break;
		case TOK_PARENT:
			build_parent(c, i, ns);
			i = t->match;
			break;
		case TOK_BLOCK:
			build_block(c, i, ns);
			i = t->match;
			break;
		default: /* comments, set delimiters; closers are skipped */
			break;
		}
	}
}

static struct mtemplate *compile(const char *src, size_t len, const char *file,
				 struct diag *d)
{
	struct compiler c = {
		.src = src,
		.len = len,
		.file = file,
		.d = d,
		.otag = xstrdup("{{"),
		.ctag = xstrdup("}}"),
		.lc_line = 1,
		.lc_col = 1,
	};
	struct mtemplate *t = NULL;
	lex(&c);
	if (!c.truncated)
		structure(&c);
	if (c.more > 0) {
		int line, col;
		err_linecol(&c, c.more_off, &line, &col);
		diag_error(d, file, line, col,
			   "and %zu more error%s in this template (the first %d are listed)",
			   c.more, c.more == 1 ? "" : "s", MUSTACHE_MAX_ERRORS);
	}
	if (c.errors == 0) {
		for (size_t i = 0; i < c.ntoks; i++)
			measure(&c, i);
		for (size_t i = 0; i < c.ntoks; i++)
			classify(&c, i);
		struct nodes ns = { 0 };
		build_list(&c, 0, c.ntoks, &ns);
		t = xcalloc(1, sizeof(*t));
		t->kids = ns.v;
		t->nkids = ns.n;
	}
	free(c.toks);
	free(c.lines);
	free(c.otag);
	free(c.ctag);
	return t;
}

/* ---- the set ---------------------------------------------------------- */

static const struct mustache_limits default_limits = {
	.max_depth = MUSTACHE_MAX_DEPTH,
	.max_steps = MUSTACHE_MAX_STEPS,
	.max_output = MUSTACHE_MAX_OUTPUT,
};

static size_t hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return (size_t)h;
}

/* The slot holding `name`, or the empty slot where it would go. */
static size_t slot_of(const struct mustache_set *s, const char *name, size_t n)
{
	size_t mask = s->nslots - 1;
	for (size_t i = hash(name, n) & mask;; i = (i + 1) & mask) {
		size_t k = s->slots[i];
		if (k == 0)
			return i;
		const struct mtemplate *t = s->tpls[k - 1];
		if (t->namelen == n && !memcmp(t->name, name, n))
			return i;
	}
}

static const struct mtemplate *set_find(const struct mustache_set *s,
					const char *name, size_t n)
{
	size_t k = s->slots[slot_of(s, name, n)];
	return k ? s->tpls[k - 1] : NULL;
}

static void set_rehash(struct mustache_set *s)
{
	free(s->slots);
	s->nslots *= 2;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	for (size_t i = 0; i < s->n; i++)
		s->slots[slot_of(s, s->tpls[i]->name, s->tpls[i]->namelen)] = i + 1;
}

struct mustache_set *mustache_set_new(void)
{
	struct mustache_set *s = xcalloc(1, sizeof(*s));
	s->nslots = 16;
	s->slots = xcalloc(s->nslots, sizeof(*s->slots));
	s->lim = default_limits;
	s->budget = xcalloc(1, sizeof(*s->budget));
	mustache_budget_reset(s, SIZE_MAX, SIZE_MAX);
	return s;
}

void mustache_budget_reset(const struct mustache_set *s, size_t max_steps,
			   size_t max_output)
{
	struct mustache_budget *b = s->budget;
	atomic_store(&b->steps, 0);
	atomic_store(&b->output, 0);
	atomic_store(&b->exceeded, false);
	b->max_steps = max_steps;
	b->max_output = max_output;
}

bool mustache_budget_exceeded(const struct mustache_set *s)
{
	return atomic_load(&s->budget->exceeded);
}

void mustache_budget_used(const struct mustache_set *s, size_t *steps,
			  size_t *output)
{
	*steps = atomic_load(&s->budget->steps);
	*output = atomic_load(&s->budget->output);
}

void mustache_set_free(struct mustache_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		template_free(s->tpls[i]);
	free(s->tpls);
	free(s->slots);
	free(s->budget);
	free(s);
}

void mustache_set_limits(struct mustache_set *s, const struct mustache_limits *lim)
{
	s->lim = *lim;
	if (s->lim.max_depth > MUSTACHE_MAX_DEPTH)
		s->lim.max_depth = MUSTACHE_MAX_DEPTH;
}

int mustache_set_add(struct mustache_set *s, const char *name, const char *src,
		     size_t len, const char *file, struct diag *d)
{
	struct mtemplate *t = compile(src, len, file, d);
	if (!t)
		return -1;
	t->name = xstrdup(name);
	t->namelen = strlen(name);
	t->file = xstrdup(file);
	size_t slot = slot_of(s, name, t->namelen);
	if (s->slots[slot]) {
		t->index = s->slots[slot] - 1;
		template_free(s->tpls[t->index]);
		s->tpls[t->index] = t;
		return 0;
	}
	s->tpls = xgrow(s->tpls, &s->cap, s->n + 1, sizeof(*s->tpls));
	t->index = s->n;
	s->tpls[s->n++] = t;
	s->slots[slot] = s->n;
	if (s->n * 2 > s->nslots)
		set_rehash(s);
	return 0;
}

bool mustache_set_has(const struct mustache_set *s, const char *name)
{
	return set_find(s, name, strlen(name)) != NULL;
}

/* ---- strict checks ---------------------------------------------------- */

static const char *ref_word(const struct mnode *m)
{
	return m->kind == MN_PARENT ? "parent" : "partial";
}

/* "Did you mean" for the first SUGGEST_MAX missing names of a check:
 * each compares up to DIAG_SUGGEST_MAX_CANDS names (diag.h), so a theme of
 * many missing names costs no more than that. */
enum { SUGGEST_MAX = 100 };

static int check_refs(const struct mustache_set *s, const struct mtemplate *t,
		      const struct mnode *v, size_t n, const char *const *names,
		      size_t *suggested, struct diag *d)
{
	int errs = 0;
	for (size_t i = 0; i < n; i++) {
		const struct mnode *m = &v[i];
		if ((m->kind == MN_PARTIAL || m->kind == MN_PARENT) &&
		    !set_find(s, m->str, m->len)) {
			const char *near = NULL;
			if (*suggested < SUGGEST_MAX) {
				++*suggested;
				near = diag_suggest(m->str, names);
			}
			if (near)
				diag_error(d, t->file, m->line, m->col,
					   "%s '%s' not found (did you mean '%s'?)",
					   ref_word(m), m->str, near);
			else
				diag_error(d, t->file, m->line, m->col,
					   "%s '%s' not found", ref_word(m), m->str);
			errs++;
		}
		errs += check_refs(s, t, m->kids, m->nkids, names, suggested, d);
	}
	return errs;
}

enum { WHITE,
       GREY,
       BLACK };

/* A partial or parent tag of a template that expands unconditionally, and
 * the template it names. */
struct edge {
	const struct mnode *m;
	size_t to;
};

/* A template being expanded on the search's path: its edges, and the next
 * one to follow. */
struct visit {
	size_t ti;
	struct edge *e;
	size_t n, cap, next;
};

struct cycles {
	const struct mustache_set *s;
	struct diag *d;
	unsigned char *color;
	struct visit *path; /* the templates being expanded, outermost first */
	size_t npath;
	int errs;
};

static void cycle_report(struct cycles *cy, const struct mtemplate *t,
			 const struct mnode *m, size_t j)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k = 0;
	while (cy->path[k].ti != j)
		k++;
	for (; k < cy->npath; k++)
		sb_printf(&sb, "%s -> ", cy->s->tpls[cy->path[k].ti]->name);
	sb_puts(&sb, cy->s->tpls[j]->name);
	diag_error(cy->d, t->file, m->line, m->col,
		   "%s '%s' recurses without a section guard (%s)", ref_word(m),
		   m->str, sb.ptr);
	sb_free(&sb);
	cy->errs++;
}

/* The partials and parents of `v` that expand unconditionally: not those
 * inside sections or block defaults; override blocks count. Recurses only
 * into a parent's overrides, so at most MUSTACHE_MAX_NESTING deep. */
static void edges_of(const struct mustache_set *s, const struct mnode *v,
		     size_t n, struct visit *vi)
{
	for (size_t i = 0; i < n; i++) {
		const struct mnode *m = &v[i];
		if (m->kind != MN_PARTIAL && m->kind != MN_PARENT)
			continue;
		const struct mtemplate *u = set_find(s, m->str, m->len);
		if (u) {
			vi->e = xgrow(vi->e, &vi->cap, vi->n + 1, sizeof(*vi->e));
			vi->e[vi->n++] = (struct edge){ m, u->index };
		}
		for (size_t k = 0; m->kind == MN_PARENT && k < m->nkids; k++)
			edges_of(s, m->kids[k].kids, m->kids[k].nkids, vi);
	}
}

static void cycle_enter(struct cycles *cy, size_t ti)
{
	const struct mtemplate *t = cy->s->tpls[ti];
	struct visit *vi = &cy->path[cy->npath++];
	vi->ti = ti;
	vi->n = vi->next = 0;
	edges_of(cy->s, t->kids, t->nkids, vi);
	cy->color[ti] = GREY;
}

/* A depth-first search from template `root` with an explicit stack (a
 * chain of 100,000 partials overflowed the C stack when it recursed). */
static void cycle_search(struct cycles *cy, size_t root)
{
	cycle_enter(cy, root);
	while (cy->npath > 0) {
		struct visit *vi = &cy->path[cy->npath - 1];
		if (vi->next == vi->n) {
			cy->color[vi->ti] = BLACK;
			cy->npath--;
			continue;
		}
		struct edge e = vi->e[vi->next++];
		if (cy->color[e.to] == GREY)
			cycle_report(cy, cy->s->tpls[vi->ti], e.m, e.to);
		else if (cy->color[e.to] == WHITE)
			cycle_enter(cy, e.to);
	}
}

int mustache_set_check(const struct mustache_set *s, struct diag *d)
{
	const char **names = xcalloc(s->n + 1, sizeof(*names));
	for (size_t i = 0; i < s->n; i++)
		names[i] = s->tpls[i]->name;
	int errs = 0;
	size_t suggested = 0;
	for (size_t i = 0; i < s->n; i++)
		errs += check_refs(s, s->tpls[i], s->tpls[i]->kids,
				   s->tpls[i]->nkids, names, &suggested, d);
	free(names);
	struct cycles cy = {
		.s = s,
		.d = d,
		.color = xcalloc(s->n + 1, 1),
		.path = xcalloc(s->n + 1, sizeof(*cy.path)),
	};
	for (size_t i = 0; i < s->n; i++)
		if (cy.color[i] == WHITE)
			cycle_search(&cy, i);
	for (size_t i = 0; i <= s->n; i++)
		free(cy.path[i].e);
	free(cy.color);
	free(cy.path);
	return errs + cy.errs > 0 ? -1 : 0;
}

/* ---- rendering -------------------------------------------------------- */

/* The overrides of one parent being expanded; `prev` are those of the
 * parents around it, which take precedence (outermost wins). */
struct frame {
	const struct mnode *parent;
	const struct mtemplate *tpl; /* where the overrides were written */
	const struct frame *prev;
};

struct render {
	const struct mustache_set *set;
	unsigned flags;
	struct strbuf *out;
	size_t out_start;
	struct diag *d;
	const struct value **ctx; /* the context stack, innermost last */
	size_t nctx, cap;
	const struct frame *frames;
	struct strbuf ind; /* indentation of the standalone expansions around */
	size_t ind_base;   /* the part of `ind` in effect starts here */
	bool pending;      /* at a template line start, indentation not written */
	unsigned depth;
	size_t steps;
	size_t paid_steps, paid_output; /* already added to the set's budget */
};

struct indent_save {
	size_t size, base;
};

static int rerr(struct render *r, const struct mtemplate *t, const struct mnode *m,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int rerr(struct render *r, const struct mtemplate *t, const struct mnode *m,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vemit(r->d, DIAG_ERROR, t->file, m->line, m->col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Adds what this render used since the last call to the set's budget;
 * false once the budget (this render's or another's use) is exceeded. */
static bool budget_pay(struct render *r)
{
	struct mustache_budget *b = r->set->budget;
	size_t ds = r->steps - r->paid_steps;
	size_t dout = r->out->size - r->out_start - r->paid_output;
	r->paid_steps += ds;
	r->paid_output += dout;
	size_t st = atomic_fetch_add_explicit(&b->steps, ds, memory_order_relaxed) + ds;
	size_t out = atomic_fetch_add_explicit(&b->output, dout, memory_order_relaxed) + dout;
	if (st > b->max_steps || out > b->max_output)
		atomic_store(&b->exceeded, true);
	return !atomic_load(&b->exceeded);
}

static int budget_err(struct render *r, const char *file, int line, int col)
{
	diag_error(r->d, file, line, col,
		   "rendering takes more than %zu steps or %zu bytes of output in all "
		   "(the limit of all renders together)",
		   r->set->budget->max_steps, r->set->budget->max_output);
	return -1;
}

/* One more node visited or section item rendered, at node `m`. */
static int step(struct render *r, const struct mtemplate *t, const struct mnode *m)
{
	if (++r->steps > r->set->lim.max_steps)
		return rerr(r, t, m, "rendering takes more than %zu steps",
			    r->set->lim.max_steps);
	if (r->steps - r->paid_steps >= BUDGET_CHUNK && !budget_pay(r))
		return budget_err(r, t->file, m->line, m->col);
	return 0;
}

static void put_indent(struct render *r)
{
	if (r->pending) {
		sb_put(r->out, r->ind.ptr + r->ind_base, r->ind.size - r->ind_base);
		r->pending = false;
	}
}

static void emit_text(struct render *r, const char *p, size_t n)
{
	/* No indentation in effect (the usual case): the text as it is. */
	if (r->ind.size == r->ind_base) {
		if (n > 0) {
			sb_put(r->out, p, n);
			r->pending = p[n - 1] == '\n';
		}
		return;
	}
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) + 1 : n;
		bool blank = nl && (k == 1 || (k == 2 && p[0] == '\r'));
		if (!blank)
			put_indent(r);
		sb_put(r->out, p, k);
		r->pending = nl != NULL;
		p += k;
		n -= k;
	}
}

/* The shortest %g form that reads back as the same double. */
static int format_float(char *buf, size_t cap, double f)
{
	int n = 0;
	for (int prec = 1; prec <= 17; prec++) {
		n = snprintf(buf, cap, "%.*g", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	return n;
}

static void emit_value(struct render *r, const struct value *v, bool escape)
{
	char buf[40];
	const char *p = buf;
	int n = 0;
	if (!v)
		return;
	switch (v->type) {
	case VALUE_BOOL:
		n = snprintf(buf, sizeof(buf), "%s", v->u.b ? "true" : "false");
		break;
	case VALUE_INT:
		n = snprintf(buf, sizeof(buf), "%" PRId64, v->u.i);
		break;
	case VALUE_FLOAT:
		n = format_float(buf, sizeof(buf), v->u.f);
		break;
	case VALUE_STRING:
		p = v->u.s.p;
		break;
	default:
		return;
	}
	size_t len = v->type == VALUE_STRING ? v->u.s.n : (size_t)n;
	if (n < 0 || (size_t)n >= sizeof(buf) || len == 0)
		return;
	put_indent(r);
	if (escape)
		html_escape_text(r->out, p, len);
	else
		sb_put(r->out, p, len);
}

/* Dotted names: the first part is looked up from the innermost context
 * outwards, the others only inside what the first found. */
static const struct value *lookup(const struct render *r, const struct mnode *m)
{
	if (m->npath == 0)
		return r->nctx > 0 ? r->ctx[r->nctx - 1] : NULL;
	const struct value *v = NULL;
	for (size_t i = r->nctx; i-- > 0 && !v;)
		if (r->ctx[i]->type == VALUE_TABLE)
			v = value_table_getn(r->ctx[i], m->path[0].p, m->path[0].n);
	for (size_t k = 1; v && k < m->npath; k++)
		v = v->type == VALUE_TABLE
			    ? value_table_getn(v, m->path[k].p, m->path[k].n)
			    : NULL;
	return v;
}

static int render_list(struct render *r, const struct mtemplate *t,
		       const struct mnode *v, size_t n);

static int render_with(struct render *r, const struct mtemplate *t,
		       const struct mnode *m, const struct value *v)
{
	r->ctx = xgrow(r->ctx, &r->cap, r->nctx + 1, sizeof(*r->ctx));
	r->ctx[r->nctx++] = v;
	int rc = render_list(r, t, m->kids, m->nkids);
	r->nctx--;
	return rc;
}

static int render_section(struct render *r, const struct mtemplate *t,
			  const struct mnode *m)
{
	const struct value *v = lookup(r, m);
	if (m->kind == MN_INVERTED)
		return value_truthy(v) ? 0 : render_list(r, t, m->kids, m->nkids);
	if (!value_truthy(v))
		return 0;
	if (v->type != VALUE_ARRAY)
		return render_with(r, t, m, v);
	for (size_t i = 0; i < v->u.a.n; i++) {
		if (step(r, t, m) < 0)
			return -1;
		if (render_with(r, t, m, v->u.a.items[i]) < 0)
			return -1;
	}
	return 0;
}

static void indent_enter(struct render *r, const struct mnode *m,
			 struct indent_save *sv)
{
	sv->size = r->ind.size;
	sv->base = r->ind_base;
	if (m->standalone) {
		sb_puts(&r->ind, m->indent);
		r->pending = true;
	} else {
		put_indent(r);
		r->ind_base = r->ind.size;
	}
}

static void indent_leave(struct render *r, const struct indent_save *sv)
{
	sb_truncate(&r->ind, sv->size);
	r->ind_base = sv->base;
}

/* Expands template `u` for partial or parent tag `m` of template `t`. */
static int expand(struct render *r, const struct mtemplate *t,
		  const struct mnode *m, const struct mtemplate *u)
{
	if (!u) {
		if (!(r->flags & MUSTACHE_STRICT))
			return 0;
		return rerr(r, t, m, "%s '%s' not found", ref_word(m), m->str);
	}
	if (r->depth >= r->set->lim.max_depth)
		return rerr(r, t, m,
			    "%s '%s' nested deeper than %u levels (endless recursion?)",
			    ref_word(m), m->str, r->set->lim.max_depth);
	struct indent_save sv;
	indent_enter(r, m, &sv);
	r->depth++;
	int rc = render_list(r, u, u->kids, u->nkids);
	r->depth--;
	indent_leave(r, &sv);
	return rc;
}

static int render_parent(struct render *r, const struct mtemplate *t,
			 const struct mnode *m)
{
	struct frame f = { .parent = m, .tpl = t, .prev = r->frames };
	r->frames = &f;
	int rc = expand(r, t, m, set_find(r->set, m->str, m->len));
	r->frames = f.prev;
	return rc;
}

/* The override of block `m`: the one given by the outermost parent. */
static const struct mnode *find_override(const struct frame *f,
					 const struct mnode *m,
					 const struct frame **from)
{
	const struct mnode *found = NULL;
	for (; f; f = f->prev) {
		for (size_t i = 0; i < f->parent->nkids; i++) {
			const struct mnode *b = &f->parent->kids[i];
			if (b->len == m->len && !memcmp(b->str, m->str, m->len)) {
				found = b;
				*from = f;
				break;
			}
		}
	}
	return found;
}

/* An override renders where the block is, with the context there, but
 * sees only the overrides of parents outside its own (so it cannot
 * substitute itself). */
static int render_block(struct render *r, const struct mtemplate *t,
			const struct mnode *m)
{
	const struct frame *from = NULL;
	const struct mnode *ov = find_override(r->frames, m, &from);
	struct indent_save sv;
	int rc;
	indent_enter(r, m, &sv);
	if (ov) {
		const struct frame *saved = r->frames;
		r->frames = from->prev;
		rc = render_list(r, from->tpl, ov->kids, ov->nkids);
		r->frames = saved;
	} else {
		rc = render_list(r, t, m->kids, m->nkids);
	}
	indent_leave(r, &sv);
	return rc;
}

static int render_node(struct render *r, const struct mtemplate *t,
		       const struct mnode *m)
{
	switch (m->kind) {
	case MN_TEXT:
		emit_text(r, m->str, m->len);
		return 0;
	case MN_VAR:
	case MN_RAW:
		emit_value(r, lookup(r, m), m->kind == MN_VAR);
		return 0;
	case MN_SECTION:
	case MN_INVERTED:
		return render_section(r, t, m);
	case MN_PARTIAL:
		return expand(r, t, m, set_find(r->set, m->str, m->len));
	case MN_PARENT:
		return render_parent(r, t, m);
	case MN_BLOCK:
		return render_block(r, t, m);
	}
	return 0;
}

static int render_list(struct render *r, const struct mtemplate *t,
		       const struct mnode *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (step(r, t, &v[i]) < 0)
			return -1;
		if (r->out->size - r->out_start > r->set->lim.max_output)
			return rerr(r, t, &v[i], "output exceeds %zu bytes",
				    r->set->lim.max_output);
		if (render_node(r, t, &v[i]) < 0)
			return -1;
	}
	return 0;
}

int mustache_render_stack(const struct mustache_set *s, const char *name,
			  const struct value *const *ctx, size_t n, unsigned flags,
			  struct strbuf *out, struct diag *d)
{
	const struct mtemplate *t = set_find(s, name, strlen(name));
	if (!t) {
		diag_error(d, NULL, 0, 0, "template '%s' not found", name);
		return -1;
	}
	struct render r = {
		.set = s,
		.flags = flags,
		.out = out,
		.out_start = out->size,
		.d = d,
		.ind = STRBUF_INIT,
		.pending = true,
	};
	if (n) {
		r.ctx = xgrow(r.ctx, &r.cap, n + 8, sizeof(*r.ctx));
		for (size_t i = 0; i < n; i++)
			r.ctx[r.nctx++] = ctx[i];
	}
	int rc = -1;
	if (mustache_budget_exceeded(s))
		budget_err(&r, t->file, 0, 0);
	else
		rc = render_list(&r, t, t->kids, t->nkids);
	/* What was used counts even when it failed, so the build's totals are
	 * the same however its renders were spread over threads. */
	if (!budget_pay(&r) && rc == 0)
		rc = budget_err(&r, t->file, 0, 0);
	free(r.ctx);
	sb_free(&r.ind);
	return rc;
}

int mustache_render(const struct mustache_set *s, const char *name,
		    const struct value *ctx, unsigned flags, struct strbuf *out,
		    struct diag *d)
{
	return mustache_render_stack(s, name, &ctx, ctx ? 1 : 0, flags, out, d);
}
