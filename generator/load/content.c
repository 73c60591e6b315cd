#include "content.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "anchor.h"
#include "article.h"
#include "config.h"
#include "fsutil.h"
#include "html.h"
#include "markdown.h"
#include "strbuf.h"
#include "toml.h"
#include "utf8.h"
#include "workq.h"
#include "xalloc.h"
#include "yaml.h"

/* A "+++" (TOML) or "---" (YAML) line at `at`, trailing blanks allowed. */
static bool is_delim_line(const char *s, size_t len, size_t at, char c)
{
	if (at + 3 > len || s[at] != c || s[at + 1] != c || s[at + 2] != c)
		return false;
	size_t e = at + 3;
	while (e < len && (s[e] == ' ' || s[e] == '\t' || s[e] == '\r'))
		e++;
	return e == len || s[e] == '\n';
}

/* The front matter's delimiter character, or 0 when the file has none. */
static char delimiter(const char *src, size_t len)
{
	if (is_delim_line(src, len, 0, '+'))
		return '+';
	if (is_delim_line(src, len, 0, '-'))
		return '-';
	return 0;
}

bool page_has_front_matter(const char *src, size_t len)
{
	return delimiter(src, len) != 0;
}

int page_split(const char *src, size_t len, const char *file, size_t *fm_end,
	       size_t *body, int *body_line, struct diag *d)
{
	char c = delimiter(src, len);
	if (!c) {
		diag_error(d, file, 1, 1,
			   "missing front matter: start the file with a '+++' (TOML) or '---' (YAML) "
			   "header holding at least a title, or with a '# Title' heading");
		return -1;
	}
	int line = 1;
	for (size_t i = 0; i < len; i++) {
		if (src[i] != '\n')
			continue;
		line++;
		if (is_delim_line(src, len, i + 1, c)) {
			*fm_end = i + 1;
			const char *nl = memchr(src + i + 1, '\n', len - i - 1);
			*body = nl ? (size_t)(nl - src) + 1 : len;
			*body_line = line + 1;
			return 0;
		}
	}
	diag_error(d, file, 1, 1, "front matter is not closed: no '%s' line after the opening one",
		   c == '+' ? "+++" : "---");
	return -1;
}

struct value *page_front_matter(const char *src, size_t fm_end,
				const char *file, struct diag *d)
{
	if (src[0] == '-') {
		const char *nl = memchr(src, '\n', fm_end);
		size_t start = nl ? (size_t)(nl - src) + 1 : fm_end;
		return yaml_parse(src + start, fm_end - start, file, 2, d);
	}
	/* Blank out the opening "+++" so TOML positions match the file. */
	char *copy = xstrndup(src, fm_end);
	memcpy(copy, "   ", 3);
	struct value *fm = toml_parse(copy, fm_end, file, d);
	free(copy);
	return fm;
}

static enum page_kind kind_of(const char *section, const char *name)
{
	if (!*section)
		return !strcmp(name, "_index.md") ? PAGE_HOME : PAGE_PLAIN;
	if (!strcmp(section, "articles"))
		return PAGE_ARTICLE;
	if (!strcmp(section, "topics"))
		return PAGE_TOPIC;
	if (!strcmp(section, "entities"))
		return PAGE_ENTITY;
	return PAGE_PLAIN;
}

static int compile_rules(const struct value *list, const char *file,
			 struct article_rules *r, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; list && list->type == VALUE_ARRAY && i < list->u.a.n; i++) {
		const struct value *v = list->u.a.items[i];
		if (v->type != VALUE_STRING) {
			diag_error(d, file, v->line, v->col, "drop patterns must be strings");
			rc = -1;
			continue;
		}
		if (article_rules_add(r, v->u.s.p, file, v->line, v->col, d) < 0)
			rc = -1;
	}
	return rc;
}

/* The header's `headings` / `not_headings` (file line numbers) as text line
 * numbers; a bad entry is an error at its position. */
static int read_overrides(const struct value *list, const char *key, const char *file,
			  int line0, int **out, size_t *n, struct diag *d)
{
	int rc = 0;
	*out = NULL;
	*n = 0;
	if (!list)
		return 0;
	if (list->type != VALUE_ARRAY) {
		diag_error(d, file, list->line, list->col, "%s must be an array of line numbers", key);
		return -1;
	}
	*out = xcalloc(list->u.a.n + 1, sizeof(**out));
	for (size_t i = 0; i < list->u.a.n; i++) {
		const struct value *v = list->u.a.items[i];
		if (v->type != VALUE_INT || v->u.i < 1 || v->u.i > INT_MAX) {
			diag_error(d, file, v->line, v->col, "%s: entries must be line numbers of the file", key);
			rc = -1;
			continue;
		}
		/* A line of the header itself maps to 0 or less: reported as not
		 * in the article text. */
		(*out)[(*n)++] = (int)(v->u.i - line0 + 1);
	}
	return rc;
}

/* Where the k-th valid entry of an override array sits in the header. */
static const struct value *override_value(const struct value *list, size_t k)
{
	for (size_t i = 0; list && list->type == VALUE_ARRAY && i < list->u.a.n; i++) {
		const struct value *v = list->u.a.items[i];
		if (v->type == VALUE_INT && v->u.i >= 1 && v->u.i <= INT_MAX && k-- == 0)
			return v;
	}
	return list;
}

/* Reports what the converter found: bad bytes (errors), stale overrides
 * (warnings) and, as notes at their file lines, each dropped line
 * (`verbose` 1: build -v) or every decision, drops included (2: import
 * --explain). */
static void convert_report(const struct article_result *res, const struct value *fm,
			   const char *file, int verbose, int line0, struct diag *d)
{
	for (size_t i = 0; i < res->nerrors; i++)
		diag_error(d, file, res->errors[i].line + line0 - 1, res->errors[i].col, "%s",
			   res->errors[i].message);
	for (size_t i = 0; i < res->nstale; i++) {
		const char *key = res->stale[i].heading ? "headings" : "not_headings";
		const struct value *v = override_value(value_table_get(fm, key), res->stale[i].index);
		diag_warning(d, file, v ? v->line : 0, v ? v->col : 0, "%s override no longer matches the text: %s",
			     key, res->stale[i].message);
	}
	for (size_t i = 0; verbose >= 2 && i < res->ndecisions; i++) {
		const struct article_decision *e = &res->decisions[i];
		/* The line's start, cut at a character boundary, a lone CR as
		 * the space it is in the text. */
		size_t n = e->len;
		if (n > 60)
			n = utf8_floor(e->text, 60);
		char *excerpt = xstrndup(e->text, n);
		for (char *q = excerpt; *q; q++)
			if (*q == '\r')
				*q = ' ';
		diag_note(d, file, e->line + line0 - 1, 1, "%s: %s: \"%s%s\"", e->what, e->rule, excerpt,
			  n < e->len ? "…" : "");
		free(excerpt);
	}
	for (size_t i = 0; verbose == 1 && i < res->ndropped; i++)
		diag_note(d, file, res->dropped[i].line + line0 - 1, 1, "dropped boilerplate line: %s",
			  res->dropped[i].text);
}

/* Article text -> Markdown with the site's and the page's drop rules and the
 * page's heading overrides. */
static int convert_text(const char *body, size_t len, const char *file,
			const struct value *site_drop, const char *site_file,
			const struct value *fm, int verbose, int line0,
			struct article_result *res, struct diag *d)
{
	struct article_rules *rs[2] = { article_rules_new(), article_rules_new() };
	struct article_options opt = {
		.rules = (const struct article_rules *const *)rs,
		.nrules = 2,
		.first_line = line0,
	};
	int *heads = NULL, *nots = NULL;
	int rc = compile_rules(site_drop, site_file, rs[0], d);
	if (compile_rules(value_table_get(fm, "drop"), file, rs[1], d) < 0)
		rc = -1;
	if (read_overrides(value_table_get(fm, "headings"), "headings", file, line0, &heads,
			   &opt.nheadings, d) < 0 ||
	    read_overrides(value_table_get(fm, "not_headings"), "not_headings", file, line0, &nots,
			   &opt.nnot_headings, d) < 0)
		rc = -1;
	opt.headings = heads;
	opt.not_headings = nots;
	if (rc == 0) {
		rc = article_convert_with(body, len, &opt, res);
		convert_report(res, fm, file, verbose, line0, d);
	}
	free(heads);
	free(nots);
	article_rules_free(rs[0]);
	article_rules_free(rs[1]);
	return rc;
}

int page_import_text(const char *src, size_t len, const char *file,
		     const struct value *site_drop, int verbose, char **md,
		     struct diag *d)
{
	size_t fm_end = 0, body = 0, bad;
	int body_line = 1, line, col;
	struct value *fm = NULL;
	/* As the build does: the converter's contract is valid UTF-8. */
	if ((bad = utf8_invalid(src, len)) != UTF8_VALID) {
		diag_linecol(src, bad, &line, &col);
		diag_error(d, file, line, col, "invalid UTF-8");
		return -1;
	}
	if (delimiter(src, len)) {
		if (page_split(src, len, file, &fm_end, &body, &body_line, d) < 0)
			return -1;
		if (!(fm = page_front_matter(src, fm_end, file, d)))
			return -1;
	}
	struct article_result res;
	memset(&res, 0, sizeof(res));
	int rc = convert_text(src + body, len - body, file, site_drop, "site.toml",
			      fm, verbose, body_line, &res, d);
	if (rc == 0) {
		*md = res.markdown;
		res.markdown = NULL;
	}
	article_result_free(&res);
	value_free(fm);
	return rc;
}

/* Common front matter fields; the strings borrow from p->fm. */
static void read_common(struct page *p)
{
	const struct value *fm = p->fm;
	p->title = value_get_str(fm, "title", p->slug);
	p->description = value_get_str(fm, "description", "");
	p->short_title = value_get_str(fm, "short", p->title);
	p->weight = value_get_int(fm, "weight", 0);
	p->draft = value_get_bool(fm, "draft", false);
	const struct value *date = value_table_get(fm, "date");
	if (!date)
		date = value_table_get(fm, "published");
	p->date = date && date->type == VALUE_STRING && strcmp(date->u.s.p, "unknown") ? date->u.s.p : "";
	const struct value *ex = value_table_get(fm, "entities_exclude");
	if (ex && ex->type == VALUE_ARRAY) {
		const char **v = xcalloc(ex->u.a.n + 1, sizeof(*v));
		for (size_t i = 0; i < ex->u.a.n; i++)
			if (ex->u.a.items[i]->type == VALUE_STRING)
				v[p->nexclude++] = ex->u.a.items[i]->u.s.p;
		p->exclude = v;
	}
}

/* Byte offsets of the starts of the lines of `src` (lines[0] = 0). */
static size_t *line_starts(const char *src, size_t len, size_t *n)
{
	size_t cap = 0, k = 0;
	size_t *v = xgrow(NULL, &cap, 1, sizeof(*v));
	v[k++] = 0;
	for (size_t i = 0; i < len; i++)
		if (src[i] == '\n') {
			v = xgrow(v, &cap, k + 1, sizeof(*v));
			v[k++] = i + 1;
		}
	*n = k;
	return v;
}

/* Where the text of a TOML string value starts in the file: after its
 * opening quote, or on the next line when a multi-line string's first
 * newline is trimmed. So a note's Markdown positions map to the file. */
static void string_start(const struct value *v, const char *src, size_t len,
			 const size_t *lines, size_t nlines, int *line, int *col)
{
	*line = v->line;
	*col = v->col;
	if (v->line < 1 || (size_t)v->line > nlines || v->col < 1)
		return;
	size_t off = lines[v->line - 1] + (size_t)v->col - 1;
	if (off + 3 <= len && (!strncmp(src + off, "'''", 3) || !strncmp(src + off, "\"\"\"", 3))) {
		off += 3;
		if (off < len && src[off] == '\r')
			off++;
		if (off < len && src[off] == '\n') {
			*line = v->line + 1;
			*col = 1;
			return;
		}
		*col = v->col + 3;
		return;
	}
	*col = v->col + 1;
}

static void read_annotations(struct page *p, const char *src, size_t len, struct diag *d)
{
	const struct value *list = value_table_get(p->fm, "annotations");
	if (!list || list->type != VALUE_ARRAY)
		return;
	size_t nlines = 0;
	size_t *lines = line_starts(src, len, &nlines);
	p->annotations = xcalloc(list->u.a.n ? list->u.a.n : 1, sizeof(*p->annotations));
	for (size_t i = 0; i < list->u.a.n; i++) {
		const struct value *t = list->u.a.items[i];
		const char *quote = value_get_str(t, "quote", NULL);
		const char *note = value_get_str(t, "note", NULL);
		if (t->type != VALUE_TABLE || !quote || !note)
			continue; /* reported by the schema check */
		if (!*quote) {
			diag_error(d, p->file, t->line, t->col, "annotation quote is empty");
			continue;
		}
		struct annotation_entry *a = &p->annotations[p->nannotations++];
		a->number = (int)p->nannotations;
		a->quote = xstrdup(quote);
		const char *pre = value_get_str(t, "prefix", NULL);
		const char *suf = value_get_str(t, "suffix", NULL);
		a->prefix = pre ? xstrdup(pre) : NULL;
		a->suffix = suf ? xstrdup(suf) : NULL;
		a->line = t->line;
		a->col = t->col;
		string_start(value_table_get(t, "note"), src, len, lines, nlines, &a->note_line,
			     &a->note_col);
		a->note = markdown_parse_within(p, a, note, strlen(note), d);
	}
	free(lines);
}

static const char *const relation_kinds[] = { "follows", "shares-wording", "cites", NULL };

/* One evidence pair: ["#pN", "<other article>#pM"]. */
static void read_evidence(struct relation *r, const struct value *pair, const char *file,
			  struct diag *d)
{
	if (pair->type != VALUE_ARRAY || pair->u.a.n != 2 ||
	    pair->u.a.items[0]->type != VALUE_STRING || pair->u.a.items[1]->type != VALUE_STRING) {
		diag_error(d, file, pair->line, pair->col,
			   "relation evidence must be pairs of paragraph citations: [\"#p1\", \"other.txt#p1\"]");
		return;
	}
	const struct value *a = pair->u.a.items[0], *b = pair->u.a.items[1];
	struct relation_evidence *e = &r->evidence[r->nevidence++];
	e->here = xstrdup(a->u.s.p);
	e->there = xstrdup(b->u.s.p);
	e->line = a->line;
	e->col = a->col;
	e->tline = b->line;
	e->tcol = b->col;
}

static void read_relations(struct page *p, struct diag *d)
{
	const struct value *list = value_table_get(p->fm, "relations");
	if (!list || list->type != VALUE_ARRAY)
		return;
	p->relations = xcalloc(list->u.a.n ? list->u.a.n : 1, sizeof(*p->relations));
	for (size_t i = 0; i < list->u.a.n; i++) {
		const struct value *t = list->u.a.items[i];
		const char *article = value_get_str(t, "article", NULL);
		const struct value *kind = value_table_get(t, "kind");
		if (t->type != VALUE_TABLE || !article || !kind || kind->type != VALUE_STRING)
			continue; /* reported by the schema check */
		size_t k = 0;
		while (relation_kinds[k] && strcmp(relation_kinds[k], kind->u.s.p))
			k++;
		if (!relation_kinds[k]) {
			const char *near = diag_suggest(kind->u.s.p, relation_kinds);
			diag_error(d, p->file, kind->line, kind->col,
				   "relation kind must be follows, shares-wording or cites, not '%s'%s%s%s",
				   kind->u.s.p, near ? " (did you mean '" : "", near ? near : "",
				   near ? "'?)" : "");
			continue;
		}
		struct relation *r = &p->relations[p->nrelations++];
		r->from = p;
		r->article = xstrdup(article);
		r->kind = (enum relation_kind)k;
		r->kind_name = relation_kinds[k];
		const struct value *av = value_table_get(t, "article");
		r->line = av->line;
		r->col = av->col;
		const struct value *ev = value_table_get(t, "evidence");
		size_t n = ev && ev->type == VALUE_ARRAY ? ev->u.a.n : 0;
		r->evidence = xcalloc(n ? n : 1, sizeof(*r->evidence));
		for (size_t j = 0; j < n; j++)
			read_evidence(r, ev->u.a.items[j], p->file, d);
		if (ev && ev->type == VALUE_ARRAY && !n)
			diag_error(d, p->file, ev->line, ev->col,
				   "relation evidence is empty: give at least one pair of paragraphs");
	}
}

static void read_contradicts(struct claim *c, const struct value *list)
{
	if (!list || list->type != VALUE_ARRAY)
		return;
	c->contradicts = xcalloc(list->u.a.n ? list->u.a.n : 1, sizeof(*c->contradicts));
	for (size_t i = 0; i < list->u.a.n; i++) {
		const struct value *v = list->u.a.items[i];
		if (v->type != VALUE_STRING)
			continue; /* reported by the schema check */
		struct claim_ref *r = &c->contradicts[c->ncontradicts++];
		r->ref = xstrdup(v->u.s.p);
		r->line = v->line;
		r->col = v->col;
	}
}

static void read_claims(struct page *p, struct diag *d)
{
	const struct value *list = value_table_get(p->fm, "claims");
	if (!list || list->type != VALUE_ARRAY)
		return;
	p->claims = xcalloc(list->u.a.n ? list->u.a.n : 1, sizeof(*p->claims));
	for (size_t i = 0; i < list->u.a.n; i++) {
		const struct value *t = list->u.a.items[i];
		const struct value *srcs = value_table_get(t, "sources");
		if (t->type != VALUE_TABLE || !value_get_str(t, "id", NULL) ||
		    !value_get_str(t, "claim", NULL) || !srcs || srcs->type != VALUE_ARRAY)
			continue;
		struct claim *c = &p->claims[p->nclaims++];
		c->id = xstrdup(value_get_str(t, "id", ""));
		if (!anchor_claim_id_ok(c->id)) {
			const struct value *iv = value_table_get(t, "id");
			diag_error(d, p->file, iv->line, iv->col,
				   "claim id '%s' must be 1 to 64 ASCII letters, digits, '-' and '_', not starting "
				   "with '" ANCHOR_THEME_PREFIX "' (it is an element's id and the fragment of links to it)",
				   c->id);
		}
		c->text = xstrdup(value_get_str(t, "claim", ""));
		c->status = xstrdup(value_get_str(t, "status", "reported"));
		c->section = xstrdup(value_get_str(t, "section", ""));
		c->topic = p;
		c->line = t->line;
		c->col = t->col;
		const struct value *sv = value_table_get(t, "status");
		c->sline = sv ? sv->line : t->line;
		c->scol = sv ? sv->col : t->col;
		read_contradicts(c, value_table_get(t, "contradicts"));
		static const char *const statuses[] = { "consistent", "disputed", "unsupported", "reported", NULL };
		size_t k = 0;
		while (statuses[k] && strcmp(statuses[k], c->status))
			k++;
		if (!statuses[k]) {
			const char *near = diag_suggest(c->status, statuses);
			diag_error(d, p->file, t->line, t->col,
				   "claim status must be consistent, disputed, unsupported or reported, not '%s'%s%s%s",
				   c->status, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		}
		c->sources = xcalloc(srcs->u.a.n ? srcs->u.a.n : 1, sizeof(*c->sources));
		for (size_t j = 0; j < srcs->u.a.n; j++) {
			const struct value *st = srcs->u.a.items[j];
			if (st->type != VALUE_TABLE || !value_get_str(st, "cite", NULL))
				continue;
			struct claim_source *cs = &c->sources[c->nsources++];
			cs->cite = xstrdup(value_get_str(st, "cite", ""));
			cs->wording = xstrdup(value_get_str(st, "wording", ""));
			cs->disagrees = value_get_bool(st, "disagrees", false);
			const struct value *cite = value_table_get(st, "cite");
			const struct value *wording = value_table_get(st, "wording");
			cs->line = cite->line;
			cs->col = cite->col;
			cs->wline = wording ? wording->line : cite->line;
			cs->wcol = wording ? wording->col : cite->col;
		}
	}
	page_index_claims(p);
}

static void read_entity(struct page *p)
{
	struct entity *e = xcalloc(1, sizeof(*e));
	e->page = p;
	e->slug = xstrdup(p->slug);
	e->kind = value_get_str(p->fm, "kind", "concept");
	e->link = value_get_bool(p->fm, "link", true);
	e->case_sensitive = value_get_bool(p->fm, "case_sensitive", true);
	p->entity = e;
}

static const char *const entity_kinds[] = {
	"person", "organization", "model", "product", "place", "market", "concept", NULL
};

/* wikidata = "Q123" and links = ["https://…"]: the entity's sameAs. */
static void check_same_as(const struct page *p, struct diag *d)
{
	const struct value *wd = value_table_get(p->fm, "wikidata");
	if (wd && wd->type == VALUE_STRING) {
		const char *q = wd->u.s.p;
		bool ok = q[0] == 'Q' && q[1] >= '1' && q[1] <= '9' && strspn(q + 1, "0123456789") == strlen(q + 1);
		if (!ok)
			diag_error(d, p->file, wd->line, wd->col,
				   "wikidata must be an item id such as \"Q42\", not '%s'", q);
	}
	const struct value *links = value_table_get(p->fm, "links");
	for (size_t i = 0; links && links->type == VALUE_ARRAY && i < links->u.a.n; i++) {
		const struct value *l = links->u.a.items[i];
		if (l->type != VALUE_STRING || !config_http_url_ok(l->u.s.p) || strlen(l->u.s.p) != l->u.s.n)
			diag_error(d, p->file, l->line, l->col,
				   "links must be http(s) URLs with a host, without spaces or quotes");
	}
}

/* An article's `url` says where it was published: "unknown", or an
 * address, as a link's is: an http(s) URL with a host, or a reference
 * without a scheme (Hugo's page path, which the bench corpus shares);
 * never another scheme. `javascript:alert(1)`, `data:` or `https://` went
 * into the article's JSON-LD and its header as written. */
static void check_source_url(const struct page *p, struct diag *d)
{
	const struct value *u = value_table_get(p->fm, "url");
	if (!u || u->type != VALUE_STRING || !strcmp(u->u.s.p, "unknown") || !utf8_has_visible(u->u.s.p, u->u.s.n))
		return; /* the schema reports a missing, mistyped or blank url */
	const char *v = u->u.s.p;
	bool ok = strlen(v) == u->u.s.n && !strpbrk(v, " \t\n\r\"<>\\^`{|}");
	if (ok && url_has_scheme(v))
		ok = config_http_url_ok(v);
	if (!ok)
		diag_error(d, p->file, u->line, u->col,
			   "url must be \"unknown\" or the article's address: an http:// or https:// URL with a "
			   "host (no other scheme), without spaces or quotes; not '%s'",
			   v);
}

static void check_kind(struct page *p, struct diag *d)
{
	const struct value *k = value_table_get(p->fm, "kind");
	if (!k || k->type != VALUE_STRING)
		return;
	for (size_t i = 0; entity_kinds[i]; i++)
		if (!strcmp(entity_kinds[i], k->u.s.p))
			return;
	const char *near = diag_suggest(k->u.s.p, entity_kinds);
	diag_error(d, p->file, k->line, k->col,
		   "unknown entity kind '%s'%s%s%s (kinds: person, organization, model, product, place, market, concept)",
		   k->u.s.p, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
}

/* Where a page is written: "<section>/<slug>.html", "index.html" for the
 * home page, "<section>/index.html" for a section's intro. */
static char *out_path(const struct page *p)
{
	struct strbuf sb = STRBUF_INIT;
	if (p->kind == PAGE_HOME)
		sb_puts(&sb, "index.html");
	else if (p->kind == PAGE_SECTION)
		sb_printf(&sb, "%s/index.html", p->section);
	else if (*p->section)
		sb_printf(&sb, "%s/%s.html", p->section, p->slug);
	else
		sb_printf(&sb, "%s.html", p->slug);
	return sb_detach(&sb);
}

/* The longest file name a slug becomes in the output is an article's
 * "<slug>.annotations.jsonld"; the others ("<slug>.html",
 * "<slug>.paragraphs.js", revisions' "<slug>-<hash>.html") are shorter. */
#define SLUG_MAX (FS_NAME_MAX - sizeof(".annotations.jsonld") + 1)

static char *slug_of(const struct value *fm, const char *name, const char *file,
		     struct diag *d)
{
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);
	const struct value *v = value_table_get(fm, "slug");
	bool given = v && v->type == VALUE_STRING;
	/* A slug with a NUL is reported by the schema check (it would be cut
	 * short here); the file's stem is used instead, as after any error of
	 * the slug's. */
	if (given && strlen(v->u.s.p) == v->u.s.n) {
		const char *slug = v->u.s.p;
		if (v->u.s.n > SLUG_MAX)
			diag_error(d, file, v->line, v->col,
				   "slug is %zu bytes long: the output's file names made from it would pass the "
				   "%d bytes a file name may have; make it at most %zu",
				   v->u.s.n, FS_NAME_MAX, SLUG_MAX);
		else if (fs_rel_is_safe(slug) && !strchr(slug, '/') && strcmp(slug, "index") &&
			 !fs_has_control(slug))
			return xstrdup(slug);
		else
			diag_error(d, file, v->line, v->col,
				   "slug '%s' must be a plain file name (no '/', '..', control characters or 'index')",
				   slug);
	}
	if (!given && stem > SLUG_MAX)
		diag_error(d, file, 0, 0,
			   "file name is too long: the output's file names made from it would pass the %d bytes "
			   "a file name may have; make it at most %zu bytes before the extension (or give a shorter slug)",
			   FS_NAME_MAX, SLUG_MAX);
	return xstrndup(name, stem);
}

/* The body as Markdown: article text is converted first. */
static int page_body(const struct site *s, struct page *p, const char *src, size_t len,
		     size_t body, struct diag *d)
{
	if (strcmp(fs_extension(p->src), ".txt")) {
		p->doc = markdown_parse_within(p, NULL, src + body, len - body, d);
		return 0;
	}
	struct article_result res;
	memset(&res, 0, sizeof(res));
	if (convert_text(src + body, len - body, p->file, s->cfg.import_drop, s->config_file,
			 p->fm, s->verbose, p->body_line, &res, d) < 0) {
		article_result_free(&res);
		return -1;
	}
	p->body_md = res.markdown;
	p->line_map_owned = res.line_map;
	p->line_map = res.line_map;
	p->nline_map = res.nlines;
	res.markdown = NULL;
	res.line_map = NULL;
	article_result_free(&res);
	p->doc = markdown_parse_within(p, NULL, p->body_md, strlen(p->body_md), d);
	return 0;
}

/* Moves a leading level-1 heading of `p`'s body into its title (the
 * theme prints the title as the page's heading). */
static int title_from_heading(struct page *p, struct diag *d)
{
	cmark_node *h = cmark_node_first_child(p->doc);
	if (!h || cmark_node_get_type(h) != CMARK_NODE_HEADING || cmark_node_get_heading_level(h) != 1) {
		diag_error(d, p->file, 1, 1,
			   "no front matter and no leading '# Title' heading: start the file with "
			   "'+++', a line 'title = \"...\"' and '+++' (or a '# Title' line)");
		return -1;
	}
	struct strbuf t = STRBUF_INIT;
	markdown_source_text(p, h, &t);
	if (!utf8_has_visible(t.ptr, t.size)) {
		/* As 'title = ""' in front matter (config.c, KEY_TEXT). */
		diag_error(d, p->file, markdown_line(p, h), markdown_col(p, h),
			   "the '# Title' heading is empty: give the page a title");
		sb_free(&t);
		return -1;
	}
	value_set_str(p->fm, "title", t.ptr);
	sb_free(&t);
	cmark_node_free(h);
	return 0;
}

struct value *page_alias_redirect(const char *alias)
{
	struct strbuf sb = STRBUF_INIT;
	while (*alias == '/')
		alias++;
	sb_puts(&sb, alias);
	if (!sb.size || sb.ptr[sb.size - 1] == '/')
		sb_puts(&sb, "index.html");
	else if (!*fs_extension(fs_basename(sb.ptr)))
		sb_puts(&sb, "/index.html");
	size_t n = sb.size;
	return value_new_string_take(sb_detach(&sb), n);
}

/* Hugo's `aliases` (old URLs of a page, "/old/path/") are dossier's
 * `redirect_from` (old output paths, "old/path/index.html"). Entity pages
 * keep `aliases` for the other names of the entity. */
static void hugo_aliases(struct value *fm)
{
	struct value *al = value_table_get(fm, "aliases");
	if (!al || al->type != VALUE_ARRAY)
		return;
	al = value_table_take(fm, "aliases");
	struct value *rf = value_table_get(fm, "redirect_from");
	if (!rf || rf->type != VALUE_ARRAY) {
		rf = value_table_set(fm, "redirect_from", value_new_array());
		rf->line = al->line;
		rf->col = al->col;
	}
	for (size_t i = 0; i < al->u.a.n; i++) {
		struct value *v = al->u.a.items[i];
		if (v->type != VALUE_STRING) {
			value_array_push(rf, value_copy(v));
			continue;
		}
		struct value *nv = page_alias_redirect(v->u.s.p);
		nv->line = v->line;
		nv->col = v->col;
		value_array_push(rf, nv);
	}
	value_free(al);
}

/* A UTF-8 byte order mark, which Windows editors put first, is no text
 * (Hugo and the forges skip it too): left in, it hid the front matter
 * ("no front matter") of a page whose first bytes it was (found by
 * tests/e2e/random_sites.py). Positions are counted without it, as an
 * editor shows them. */
static void drop_bom(char *src, size_t *len)
{
	if (*len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) {
		memmove(src, src + 3, *len - 3 + 1);
		*len -= 3;
	}
}

/* The first control byte of each line of a Markdown file, each an error,
 * as an article's (article.h) are: cmark would print U+0001 into the HTML
 * and turn NUL into U+FFFD (found by tests/e2e/random_sites.py). */
struct control_report {
	const char *file;
	struct diag *d;
};

static void control_report(void *arg, int line, int col, unsigned char ch)
{
	const struct control_report *c = arg;
	diag_error(c->d, c->file, line, col, "control character U+%04X (%s); remove it (it would be lost or misread)", ch,
		   utf8_control_name(ch));
}

/* The number reported. */
static size_t report_controls(const char *src, size_t len, const char *file, struct diag *d)
{
	struct control_report c = { file, d };
	return utf8_line_controls(src, len, control_report, &c);
}

/* A content file read whole, its byte order mark dropped (drop_bom). */
static int read_source(const char *path, const char *root_real, char **src, size_t *len)
{
	if (fs_read_file_within(path, root_real, src, len) < 0)
		return -1;
	drop_bom(*src, len);
	return 0;
}

/* One page file read, split and parsed into *out (NULL when it is no
 * page: unreadable, bad header, a draft). Reads `s` (configuration) and
 * writes nothing of it, so that pages load on several threads. */
static void load_one(const struct site *s, const char *rel, const char *path, const char *root_real,
		     struct page **out, struct diag *d)
{
	char *src = NULL, *file = fs_join("content", rel);
	size_t len = 0, fm_end = 0, body = 0, bad;
	int body_line = 1, line, col;
	struct value *fm = NULL;
	if (read_source(path, root_real, &src, &len) < 0) {
		diag_error(d, file, 0, 0, "cannot read: %s",
			   errno == EXDEV ? "it leads outside content/" : strerror(errno));
		goto out;
	}
	if ((bad = utf8_invalid(src, len)) != UTF8_VALID) {
		diag_linecol(src, bad, &line, &col);
		diag_error(d, file, line, col, "invalid UTF-8");
		goto out;
	}
	if (strcmp(fs_extension(rel), ".txt") && report_controls(src, len, file, d))
		goto out;
	/* A Markdown page without a header takes its title from a leading
	 * '# Title' (mdBook's convention); articles always need a header. */
	bool untitled = !page_has_front_matter(src, len) && strcmp(fs_extension(rel), ".txt");
	if (untitled) {
		fm = value_new_table();
		fm->line = fm->col = 1;
	} else if (page_split(src, len, file, &fm_end, &body, &body_line, d) < 0 ||
		   !(fm = page_front_matter(src, fm_end, file, d))) {
		goto out;
	}
	const char *slash = strrchr(rel, '/');
	char *section = xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
	const char *name = fs_basename(rel);
	enum page_kind kind = kind_of(section, name);
	if (*section && !strcmp(name, "_index.md"))
		kind = PAGE_SECTION;
	if (kind != PAGE_ENTITY)
		hugo_aliases(fm);
	if (!untitled)
		config_check_front_matter(fm, kind, file, d);
	if (value_get_bool(fm, "draft", false) && !s->drafts) {
		free(section);
		goto out;
	}
	struct page *p = xcalloc(1, sizeof(*p));
	*out = p;
	p->src = xstrdup(rel);
	p->file = file;
	file = NULL;
	p->section = section;
	p->kind = kind;
	p->fm = fm;
	fm = NULL;
	p->body_line = body_line;
	if (kind == PAGE_SECTION || kind == PAGE_HOME) {
		/* Written as the folder's index.html whatever it says (found by
		 * tests/e2e/random_sites.py: it was ignored without a word). */
		const struct value *v = value_table_get(p->fm, "slug");
		if (v)
			diag_warning(d, p->file, v->line, v->col,
				     "slug has no effect on %s (it is written as its folder's index.html); remove it",
				     kind == PAGE_HOME ? "the home page" : "a section's _index.md");
		p->slug = xstrdup(section);
	} else {
		p->slug = slug_of(p->fm, name, p->file, d);
	}
	p->out = out_path(p);
	if (page_body(s, p, src, len, body, d) < 0)
		p->doc = markdown_parse("", 0);
	if (untitled && title_from_heading(p, d) == 0)
		config_check_front_matter(p->fm, kind, p->file, d);
	read_common(p);
	markdown_sanitize(p->doc, s->cfg.unsafe, p, d);
	if (kind == PAGE_ARTICLE) {
		check_source_url(p, d);
		read_annotations(p, src, len, d);
		for (size_t i = 0; i < p->nannotations; i++)
			markdown_sanitize(p->annotations[i].note, s->cfg.unsafe, p, d);
		read_relations(p, d);
	} else if (kind == PAGE_TOPIC) {
		read_claims(p, d);
	} else if (kind == PAGE_ENTITY) {
		check_kind(p, d);
		check_same_as(p, d);
		read_entity(p);
	}
out:
	value_free(fm);
	free(src);
	free(file);
}

int page_reload_body(const struct site *s, const struct page *p, const char *content_dir,
		     cmark_node **doc, struct diag *d)
{
	char *path = fs_join(content_dir, p->src), *root_real = realpath(content_dir, NULL);
	char *src = NULL;
	size_t len = 0, fm_end = 0, body = 0;
	int body_line = 1, same = 0;
	struct value *fm = NULL;
	struct diag quiet; /* the rebuild that follows a refusal reports */
	diag_init(&quiet);
	*doc = NULL;
	if (!root_real || strcmp(fs_extension(p->src), ".md") ||
	    read_source(path, root_real, &src, &len) < 0 ||
	    utf8_invalid(src, len) != UTF8_VALID || report_controls(src, len, p->file, &quiet) ||
	    !page_has_front_matter(src, len) ||
	    page_split(src, len, p->file, &fm_end, &body, &body_line, &quiet) < 0 ||
	    !(fm = page_front_matter(src, fm_end, p->file, &quiet)) || quiet.errors)
		goto out;
	if (p->kind != PAGE_ENTITY)
		hugo_aliases(fm);
	if (body_line != p->body_line || !value_equal(fm, p->fm))
		goto out;
	/* A body over mdlimits' limits: the rebuild reports it. */
	*doc = markdown_parse_within(p, NULL, src + body, len - body, &quiet);
	if (quiet.errors) {
		cmark_node_free(*doc);
		*doc = NULL;
		same = -1;
		goto out;
	}
	markdown_sanitize(*doc, s->cfg.unsafe, p, d);
	same = 1;
out:
	diag_free(&quiet);
	value_free(fm);
	free(src);
	free(path);
	free(root_real);
	return same;
}

static void add_asset(struct site *s, const char *rel)
{
	s->assets = xgrow(s->assets, &s->capassets, s->nassets + 1, sizeof(*s->assets));
	s->assets[s->nassets++] = xstrdup(rel);
}

void content_file_kind(const char *name, struct strbuf *out)
{
	const char *ext = fs_extension(name);
	if (ext[0] && ext[1])
		sb_printf(out, "a %s file", ext);
	else
		sb_puts(out, "a file without an extension");
}

bool content_file_is_passive(const char *name)
{
	static const char *const passive[] = {
		/* images */
		"png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "tif", "tiff",
		/* audio and video */
		"mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac", "mp4", "m4v", "webm", "ogv",
		"mov",
		/* documents */
		"pdf", "epub", "odt", "ods", "odp", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf",
		/* text and data */
		"txt", "csv", "tsv", "json", "bib", "ris",
		/* archives */
		"zip", "gz", "tgz", "tar", "bz2", "xz", "7z",
		/* fonts and subtitles */
		"woff", "woff2", "ttf", "otf", "vtt", "srt"
	};
	const char *ext = fs_extension(name);
	if (!ext[0] || !ext[1])
		return false;
	for (size_t i = 0; i < sizeof passive / sizeof *passive; i++)
		if (!strcasecmp(ext + 1, passive[i]))
			return true;
	return false;
}

/* A file of content/ that is neither a page nor published: a browser
 * would run what it holds on the site's origin (content_file_is_passive). */
static void withhold_asset(struct site *s, const char *rel, const char *file, struct diag *d)
{
	s->withheld = xgrow(s->withheld, &s->capwithheld, s->nwithheld + 1, sizeof(*s->withheld));
	s->withheld[s->nwithheld++] = xstrdup(rel);
	struct strbuf what = STRBUF_INIT;
	content_file_kind(rel, &what);
	diag_warning(d, file, 0, 0,
		     "not published: %s could hold markup or script that would run on the site "
		     "(content/ publishes images, audio, video, PDF, documents, text, CSV, JSON, archives "
		     "and fonts as they are; [markdown] unsafe = true publishes any file)",
		     what.ptr);
	sb_free(&what);
}

/* A page file met by the walk, loaded afterwards (load_task). */
struct load_item {
	char *rel, *path;
	struct page *page;
	struct diag d;
};

struct walk_ctx {
	struct site *s;
	const char *root_real;
	struct load_item *items;
	size_t nitems, capitems;
};

/* File names become output paths and hrefs: they must be UTF-8 without
 * control characters (issue 11). */
static bool name_ok(const char *file, const char *name, struct diag *d)
{
	const char *why = fs_name_problem(name);
	if (why)
		diag_error(d, file, 0, 0, "%s", why);
	return !why;
}

static void load_task(size_t i, void *arg)
{
	struct walk_ctx *w = arg;
	struct load_item *it = &w->items[i];
	if (it->rel)
		load_one(w->s, it->rel, it->path, w->root_real, &it->page, &it->d);
}

static struct load_item *walk_item(struct walk_ctx *w)
{
	w->items = xgrow(w->items, &w->capitems, w->nitems + 1, sizeof(*w->items));
	struct load_item *it = &w->items[w->nitems++];
	memset(it, 0, sizeof(*it));
	diag_init(&it->d);
	return it;
}

/* Each entry's diagnostics wait in an item of their own (a page file's
 * in its item, made when it loads), so that they arrive in the walk's
 * order. */
static int walk_one(void *arg, const struct fs_walk_entry *e)
{
	struct walk_ctx *w = arg;
	struct diag walkd, *d = &walkd;
	diag_init(&walkd);
	char *file = fs_join("content", e->rel);
	int r = 0;
	const char *ext = fs_extension(e->name);
	switch (e->kind) {
	case FS_WALK_DIR:
		r = (!strcmp(e->rel, "_templates") || !name_ok(file, e->name, d)) ? 1 : 0;
		break;
	case FS_WALK_FILE:
		if (!name_ok(file, e->name, d))
			break;
		if (!strcmp(ext, ".md") || (!strcmp(ext, ".txt") && !strncmp(e->rel, "articles/", 9))) {
			struct load_item *it = walk_item(w);
			it->rel = xstrdup(e->rel);
			it->path = xstrdup(e->path);
		} else if (w->s->cfg.unsafe || content_file_is_passive(e->name))
			add_asset(w->s, e->rel);
		else
			withhold_asset(w->s, e->rel, file, d);
		break;
	case FS_WALK_OUTSIDE:
		diag_error(d, file, 0, 0, "symbolic link leads outside content/; refusing to follow it");
		break;
	case FS_WALK_LOOP:
		if (e->ancestor)
			diag_error(d, file, 0, 0,
				   "symbolic link loop: leads back to content%s%s; refusing to follow it",
				   *e->other ? "/" : "", e->other);
		else
			diag_error(d, file, 0, 0,
				   "symbolic link to content/%s, a folder read anyway; refusing to read it twice",
				   e->other);
		break;
	case FS_WALK_SPECIAL:
		diag_error(d, file, 0, 0, "not a regular file or folder; refusing to read it");
		break;
	case FS_WALK_ERROR:
		diag_error(d, file, 0, 0, "cannot read: %s", e->link && e->err == ENOENT ? "symbolic link to nothing" : strerror(e->err));
		break;
	}
	if (walkd.n)
		diag_merge(&walk_item(w)->d, &walkd);
	diag_free(&walkd);
	free(file);
	return r;
}

int page_load_all(struct site *s, const char *content_dir, struct diag *d)
{
	char *root_real = realpath(content_dir, NULL);
	int err = root_real ? 0 : errno; /* the second realpath may change errno */
	char *site_real = realpath(s->dir, NULL);
	if (!site_real && !err)
		err = errno;
	int rc = -1;
	if (!root_real || !site_real) {
		diag_error(d, content_dir, 0, 0, "cannot open content folder: %s", strerror(err));
	} else if (!strcmp(root_real, site_real) || !fs_resolves_inside(root_real, site_real)) {
		diag_error(d, "content", 0, 0,
			   "content/ is a symbolic link leading outside the site; refusing to read it");
	} else {
		struct walk_ctx w = { s, root_real, NULL, 0, 0 };
		rc = fs_walk(content_dir, root_real, walk_one, &w);
		if (rc < 0)
			diag_error(d, "content", 0, 0, "cannot list folder: %s", strerror(errno));
		/* The pages load on s->jobs threads (beside the history walk's,
		 * pagehistory.h) and join the site in the walk's order, their
		 * diagnostics and the walk's merged in that order: the model
		 * and the diagnostics are the serial load's. */
		workq_run(w.nitems, s->jobs, load_task, &w);
		for (size_t i = 0; i < w.nitems; i++) {
			struct load_item *it = &w.items[i];
			diag_merge(d, &it->d);
			if (it->page)
				site_append_page(s, it->page);
			free(it->rel);
			free(it->path);
		}
		free(w.items);
	}
	free(root_real);
	free(site_real);
	return rc;
}
