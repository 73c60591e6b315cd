#include "page.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "article.h"
#include "config.h"
#include "fsutil.h"
#include "markdown.h"
#include "strbuf.h"
#include "toml.h"
#include "xalloc.h"

size_t page_invalid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t n;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return i;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return i;
		i += n + 1;
	}
	return (size_t)-1;
}

static bool is_delim_line(const char *s, size_t len, size_t at)
{
	if (at + 3 > len || memcmp(s + at, "+++", 3))
		return false;
	size_t e = at + 3;
	while (e < len && (s[e] == ' ' || s[e] == '\t' || s[e] == '\r'))
		e++;
	return e == len || s[e] == '\n';
}

int page_split(const char *src, size_t len, const char *file, size_t *fm_end,
	       size_t *body, int *body_line, struct diag *d)
{
	if (!is_delim_line(src, len, 0)) {
		diag_error(d, file, 1, 1, "missing front matter: the file must start with a '+++' line");
		return -1;
	}
	int line = 1;
	for (size_t i = 0; i < len; i++) {
		if (src[i] != '\n')
			continue;
		line++;
		if (is_delim_line(src, len, i + 1)) {
			*fm_end = i + 1;
			const char *nl = memchr(src + i + 1, '\n', len - i - 1);
			*body = nl ? (size_t)(nl - src) + 1 : len;
			*body_line = line + 1;
			return 0;
		}
	}
	diag_error(d, file, 1, 1, "front matter is not closed: no '+++' line after the opening one");
	return -1;
}

struct value *page_front_matter(const char *src, size_t fm_end,
				const char *file, struct diag *d)
{
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
		if (n > 60) {
			n = 60;
			while (n > 0 && ((unsigned char)e->text[n] & 0xc0) == 0x80)
				n--;
		}
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
		.rules = (const struct article_rules *const *)rs, .nrules = 2, .first_line = line0,
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
	if ((bad = page_invalid_utf8(src, len)) != (size_t)-1) {
		diag_linecol(src, bad, &line, &col);
		diag_error(d, file, line, col, "invalid UTF-8");
		return -1;
	}
	if (is_delim_line(src, len, 0)) {
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

static void read_annotations(struct page *p, struct diag *d)
{
	const struct value *list = value_table_get(p->fm, "annotations");
	if (!list || list->type != VALUE_ARRAY)
		return;
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
		a->note = markdown_parse(note, strlen(note));
		a->line = t->line;
		a->col = t->col;
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
		c->text = xstrdup(value_get_str(t, "claim", ""));
		c->status = xstrdup(value_get_str(t, "status", "reported"));
		c->section = xstrdup(value_get_str(t, "section", ""));
		c->topic = p;
		c->line = t->line;
		c->col = t->col;
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
			const struct value *cite = value_table_get(st, "cite");
			const struct value *wording = value_table_get(st, "wording");
			cs->line = cite->line;
			cs->col = cite->col;
			cs->wline = wording ? wording->line : cite->line;
			cs->wcol = wording ? wording->col : cite->col;
		}
	}
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
	"person", "organization", "model", "product", "place", "market", "concept", NULL,
};

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

static char *slug_of(const struct value *fm, const char *name, const char *file,
		     struct diag *d)
{
	const struct value *v = value_table_get(fm, "slug");
	if (v && v->type == VALUE_STRING) {
		if (fs_rel_is_safe(v->u.s.p) && !strchr(v->u.s.p, '/') &&
		    strcmp(v->u.s.p, "index"))
			return xstrdup(v->u.s.p);
		diag_error(d, file, v->line, v->col,
			   "slug '%s' must be a plain file name (no '/', '..' or 'index')", v->u.s.p);
	}
	const char *dot = strrchr(name, '.');
	return xstrndup(name, dot ? (size_t)(dot - name) : strlen(name));
}

/* The body as Markdown: article text is converted first. */
static int page_body(struct site *s, struct page *p, const char *src, size_t len,
		     size_t body, struct diag *d)
{
	if (strcmp(fs_extension(p->src), ".txt")) {
		p->doc = markdown_parse(src + body, len - body);
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
	p->doc = markdown_parse(p->body_md, strlen(p->body_md));
	return 0;
}

static void load_one(struct site *s, const char *rel, const char *path, struct diag *d)
{
	char *src = NULL, *file = fs_join("content", rel);
	size_t len = 0, fm_end = 0, body = 0, bad;
	int body_line = 1, line, col;
	struct value *fm = NULL;
	if (fs_read_file(path, &src, &len) < 0) {
		diag_error(d, file, 0, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if ((bad = page_invalid_utf8(src, len)) != (size_t)-1) {
		diag_linecol(src, bad, &line, &col);
		diag_error(d, file, line, col, "invalid UTF-8");
		goto out;
	}
	if (page_split(src, len, file, &fm_end, &body, &body_line, d) < 0 ||
	    !(fm = page_front_matter(src, fm_end, file, d)))
		goto out;
	const char *slash = strrchr(rel, '/');
	char *section = xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
	const char *name = fs_basename(rel);
	enum page_kind kind = kind_of(section, name);
	if (*section && !strcmp(name, "_index.md"))
		kind = PAGE_SECTION;
	config_check_front_matter(fm, kind, file, d);
	if (value_get_bool(fm, "draft", false) && !s->drafts) {
		free(section);
		goto out;
	}
	struct page *p = site_add_page(s);
	p->src = xstrdup(rel);
	p->file = file;
	file = NULL;
	p->section = section;
	p->kind = kind;
	p->fm = fm;
	fm = NULL;
	p->body_line = body_line;
	p->slug = kind == PAGE_SECTION || kind == PAGE_HOME ? xstrdup(section) : slug_of(p->fm, name, p->file, d);
	p->out = out_path(p);
	read_common(p);
	if (page_body(s, p, src, len, body, d) < 0)
		p->doc = markdown_parse("", 0);
	markdown_sanitize(p->doc, s->cfg.unsafe);
	if (kind == PAGE_ARTICLE)
		read_annotations(p, d);
	else if (kind == PAGE_TOPIC)
		read_claims(p, d);
	else if (kind == PAGE_ENTITY) {
		check_kind(p, d);
		read_entity(p);
	}
out:
	value_free(fm);
	free(src);
	free(file);
}

static void add_asset(struct site *s, const char *rel)
{
	s->assets = xgrow(s->assets, &s->capassets, s->nassets + 1, sizeof(*s->assets));
	s->assets[s->nassets++] = xstrdup(rel);
}

/* A symlink is followed only when it stays inside content/. */
static bool inside(const char *path, const char *root_real)
{
	char *real = realpath(path, NULL);
	if (!real)
		return false;
	size_t n = strlen(root_real);
	bool ok = !strncmp(real, root_real, n) && (real[n] == '/' || real[n] == '\0');
	free(real);
	return ok;
}

static int walk(struct site *s, const char *dir, const char *rel,
		const char *root_real, struct diag *d)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(dir, &names, &n) < 0) {
		diag_error(d, dir, 0, 0, "cannot list folder: %s", strerror(errno));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = names[i];
		if (name[0] == '.' || (!*rel && !strcmp(name, "_templates")))
			continue;
		char *path = fs_join(dir, name);
		char *child = fs_join(rel, name);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !inside(path, root_real)) {
			diag_error(d, path, 0, 0, "symbolic link leads outside content/; refusing to follow it");
		} else if (fs_is_dir(path)) {
			rc = walk(s, path, child, root_real, d);
		} else if (!strcmp(fs_extension(name), ".md") ||
			   (!strcmp(fs_extension(name), ".txt") && !strncmp(child, "articles/", 9))) {
			load_one(s, child, path, d);
		} else {
			add_asset(s, child);
		}
		free(path);
		free(child);
	}
	fs_free_list(names, n);
	return rc;
}

int page_load_all(struct site *s, const char *content_dir, struct diag *d)
{
	char *root_real = realpath(content_dir, NULL);
	if (!root_real) {
		diag_error(d, content_dir, 0, 0, "cannot open content folder: %s", strerror(errno));
		return -1;
	}
	int rc = walk(s, content_dir, "", root_real, d);
	free(root_real);
	return rc;
}

void page_free(struct page *p)
{
	if (!p)
		return;
	free(p->src);
	free(p->file);
	free(p->out);
	free(p->section);
	free(p->slug);
	value_free(p->fm);
	free(p->body_md);
	free(p->line_map_owned);
	if (p->doc)
		cmark_node_free(p->doc);
	for (size_t i = 0; i < p->nheadings; i++) {
		free(p->headings[i].id);
		free(p->headings[i].text);
	}
	free(p->headings);
	for (size_t i = 0; i < p->nblocks; i++)
		free(p->blocks[i].cited_by);
	free(p->blocks);
	for (size_t i = 0; i < p->nannotations; i++) {
		free(p->annotations[i].quote);
		free(p->annotations[i].prefix);
		free(p->annotations[i].suffix);
		if (p->annotations[i].note)
			cmark_node_free(p->annotations[i].note);
	}
	free(p->annotations);
	for (size_t i = 0; i < p->nclaims; i++) {
		struct claim *c = &p->claims[i];
		free(c->id);
		free(c->text);
		free(c->status);
		free(c->section);
		for (size_t j = 0; j < c->nsources; j++) {
			free(c->sources[j].cite);
			free(c->sources[j].wording);
		}
		free(c->sources);
	}
	free(p->claims);
	if (p->entity) {
		free(p->entity->slug);
		for (size_t i = 0; i < p->entity->nmentions; i++)
			free(p->entity->mentions[i].snippet_html);
		free(p->entity->mentions);
		free(p->entity->cooccur);
		free(p->entity);
	}
	free(p->cited_by_pages);
	free(p->children);
	free((void *)p->exclude);
	free(p);
}
