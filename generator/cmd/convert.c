#include "convert.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "fsutil.h"
#include "json.h"
#include "strbuf.h"
#include "toml.h"
#include "utf8.h"
#include "value.h"
#include "xalloc.h"

struct conv {
	const char *root; /* the folder the pages are read from */
	const char *out;
	struct diag *d;
	struct convert_stats *st;
	int failed;
};

/* --- writing ------------------------------------------------------------------ */

static int emit(struct conv *c, const char *rel, const char *data, size_t len)
{
	char *path = fs_join(c->out, rel);
	int rc = fs_mkdir_parent(path);
	int fd = rc < 0 ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	ssize_t w = fd < 0 ? -1 : write(fd, data, len);
	if (fd < 0 || w != (ssize_t)len || close(fd) < 0) {
		diag_error(c->d, path, 0, 0, "cannot write: %s", strerror(errno ? errno : EIO));
		c->failed = 1;
		rc = -1;
	}
	free(path);
	return rc;
}

/* `said`: the file's warning is given already. */
static void copy_file(struct conv *c, const char *rel, bool said)
{
	char *from = fs_join(c->root, rel), *to = fs_join(c->out, rel);
	if (fs_mkdir_parent(to) < 0 || fs_copy_file(from, to) < 0) {
		diag_error(c->d, from, 0, 0, "cannot copy: %s", strerror(errno));
		c->failed = 1;
	} else {
		c->st->files++;
		/* A loss in the default mode (content.h): say so now, not at
		 * the first build. */
		if (!said && !content_file_is_passive(rel)) {
			struct strbuf what = STRBUF_INIT;
			content_file_kind(rel, &what);
			diag_warning(c->d, from, 0, 0,
				     "copied, but a build publishes it only with [markdown] unsafe = true: %s "
				     "could hold markup or script that would run on the site",
				     what.ptr);
			sb_free(&what);
		}
	}
	free(from);
	free(to);
}

static void write_page(struct conv *c, const char *rel, const struct value *fm, const char *body,
		       size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "+++\n");
	toml_write(&sb, fm);
	sb_puts(&sb, "+++\n");
	sb_put(&sb, body, len);
	if (emit(c, rel, sb.ptr, sb.size) == 0)
		c->st->pages++;
	sb_free(&sb);
}

/* --- shared helpers ------------------------------------------------------------ */

static const char *find(const char *s, size_t len, const char *what)
{
	size_t n = strlen(what);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(s + i, what, n))
			return s + i;
	return NULL;
}

static void warn_at(struct conv *c, const char *file, const char *src, size_t off, const char *fmt,
		    const char *a, const char *b)
{
	int line, col;
	diag_linecol(src, off, &line, &col);
	diag_warning(c->d, file, line, col, fmt, a, b);
}

/* A title that would print as nothing: dossier refuses it (config.c), so
 * the converters treat it as none. */
static bool blank(const char *s)
{
	return !s || !utf8_has_visible(s, strlen(s));
}

/* "my-first_post.md" -> "My first post"; "_.md" -> "_" and " .md" ->
 * "Untitled": never a blank title. */
static char *title_from_name(const char *rel)
{
	const char *base = fs_basename(rel);
	size_t n = strlen(base) - strlen(fs_extension(base));
	char *t = xstrndup(base, n);
	for (char *p = t; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (*t)
		*t = (char)toupper((unsigned char)*t);
	if (blank(t)) {
		free(t);
		t = xstrndup(base, n);
	}
	if (blank(t)) {
		free(t);
		t = xstrdup("Untitled");
	}
	return t;
}

static char *dir_of(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
}

static bool is_markdown(const char *name)
{
	const char *e = fs_extension(name);
	return !strcmp(e, ".md") || !strcmp(e, ".markdown");
}

/* Every file below `dir` (relative to the root, sorted, links skipped). */
static void list_files(struct conv *c, const char *rel, char ***out, size_t *n, size_t *cap)
{
	char *dir = *rel ? fs_join(c->root, rel) : xstrdup(c->root);
	char **names = NULL;
	size_t nn = 0;
	if (fs_list_dir(dir, &names, &nn) < 0) {
		diag_error(c->d, dir, 0, 0, "cannot list folder: %s", strerror(errno));
		c->failed = 1;
	}
	for (size_t i = 0; i < nn; i++) {
		if (names[i][0] == '.')
			continue;
		char *child = *rel ? fs_join(rel, names[i]) : xstrdup(names[i]);
		char *path = fs_join(c->root, child);
		struct stat st;
		if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode)) {
			diag_warning(c->d, path, 0, 0, "symbolic link: not followed, not converted");
			free(child);
		} else if (S_ISDIR(st.st_mode)) {
			list_files(c, child, out, n, cap);
			free(child);
		} else {
			*out = xgrow(*out, cap, *n + 1, sizeof(**out));
			(*out)[(*n)++] = child;
		}
		free(path);
	}
	fs_free_list(names, nn);
	free(dir);
}

/* --- Hugo ------------------------------------------------------------------------ */

/* Where a Hugo page goes: a leaf bundle's index.md is its folder's page. */
static char *hugo_out(const char *rel)
{
	if (strcmp(fs_basename(rel), "index.md") || !strchr(rel, '/'))
		return xstrdup(rel);
	char *dir = dir_of(rel), *out = fs_join(dir, "_index.md");
	free(dir);
	return out;
}

/* The end of a JSON front matter object at the start of `s`, or 0. */
static size_t json_object_end(const char *s, size_t len)
{
	int depth = 0;
	bool str = false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				str = false;
		} else if (ch == '"') {
			str = true;
		} else if (ch == '{') {
			depth++;
		} else if (ch == '}' && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

static struct value *hugo_front_matter(struct conv *c, const char *file, const char *src, size_t len,
				       size_t *body)
{
	*body = 0;
	if (page_has_front_matter(src, len)) {
		size_t fm_end = 0;
		int body_line = 0;
		if (page_split(src, len, file, &fm_end, body, &body_line, c->d) < 0)
			return NULL;
		return page_front_matter(src, fm_end, file, c->d);
	}
	if (len && src[0] == '{') {
		size_t end = json_object_end(src, len);
		if (!end) {
			diag_error(c->d, file, 1, 1, "JSON front matter is not closed");
			return NULL;
		}
		*body = end < len && src[end] == '\n' ? end + 1 : end;
		return json_parse(src, end, file, c->d);
	}
	return value_new_table();
}

static struct value *hugo_map(struct conv *c, const char *file, const char *rel, const struct value *fm)
{
	static const char *const kept[] = { "title", "description", "date", "draft", "weight", "slug", NULL };
	struct value *out = value_new_table();
	for (size_t i = 0; i < fm->u.t.n; i++) {
		const struct value_kv *kv = &fm->u.t.items[i];
		size_t k = 0;
		while (kept[k] && strcmp(kept[k], kv->key))
			k++;
		if (kept[k]) {
			value_table_set(out, kv->key, value_copy(kv->val));
		} else if (!strcmp(kv->key, "aliases") && kv->val->type == VALUE_ARRAY) {
			struct value *rf = value_table_set(out, "redirect_from", value_new_array());
			for (size_t j = 0; j < kv->val->u.a.n; j++)
				if (kv->val->u.a.items[j]->type == VALUE_STRING)
					value_array_push(rf, page_alias_redirect(kv->val->u.a.items[j]->u.s.p));
		} else if (!strcmp(kv->key, "summary") && !value_table_get(fm, "description") &&
			   kv->val->type == VALUE_STRING) {
			value_table_set(out, "description", value_copy(kv->val));
		} else {
			diag_warning(c->d, file, kv->line, kv->col,
				     "Hugo front matter key '%s' has no dossier equivalent; left out", kv->key);
		}
	}
	if (blank(value_get_str(out, "title", NULL))) {
		char *t;
		if (!strcmp(fs_basename(rel), "_index.md") || !strcmp(fs_basename(rel), "index.md")) {
			char *dir = dir_of(rel);
			t = *dir ? title_from_name(dir) : xstrdup("Home");
			free(dir);
		} else {
			t = title_from_name(rel);
		}
		diag_note(c->d, file, 1, 1, "no title: using '%s', from the file name", t);
		value_set_str(out, "title", t);
		free(t);
	}
	return out;
}

/* The first quoted (or bare) argument of a shortcode's text. */
static char *first_arg(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && !isspace((unsigned char)s[i]))
		i++; /* the name */
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i + 5 < n && !strncmp(s + i, "path=", 5))
		i += 5;
	if (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '`')) {
		char q = s[i++];
		size_t start = i;
		while (i < n && s[i] != q)
			i++;
		return xstrndup(s + start, i - start);
	}
	size_t start = i;
	while (i < n && !isspace((unsigned char)s[i]))
		i++;
	return xstrndup(s + start, i - start);
}

/* A ref/relref target as a relative link from page `rel` to the source. */
static char *hugo_ref(struct conv *c, const char *rel, const char *arg)
{
	const char *hash = strchr(arg, '#');
	char *path = xstrndup(arg, hash ? (size_t)(hash - arg) : strlen(arg));
	char *target = NULL;
	if (!*path) {
		target = xstrdup(fs_basename(rel));
	} else {
		char *base = path[0] == '/' ? xstrdup(path + 1) : fs_resolve(rel, path);
		static const char *const tries[] = { "", ".md", "/index.md", "/_index.md" };
		for (size_t i = 0; base && !target && i < 4; i++) {
			struct strbuf t = STRBUF_INIT;
			sb_printf(&t, "%s%s", base, tries[i]);
			char *full = fs_join(c->root, t.ptr);
			struct stat st;
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
				char *o = hugo_out(t.ptr);
				target = fs_relurl(rel, o);
				free(o);
			}
			free(full);
			sb_free(&t);
		}
		free(base);
	}
	free(path);
	if (!target)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, target);
	if (hash)
		sb_puts(&sb, hash);
	free(target);
	return sb_detach(&sb);
}

/* The body with shortcodes handled (see convert.h). */
static void hugo_body(struct conv *c, const char *file, const char *rel, const char *src, size_t len,
		      size_t from, struct strbuf *out)
{
	size_t i = from;
	while (i < len) {
		const char *open = NULL;
		for (size_t k = i; k + 2 < len; k++)
			if (src[k] == '{' && src[k + 1] == '{' && (src[k + 2] == '<' || src[k + 2] == '%')) {
				open = src + k;
				break;
			}
		if (!open) {
			sb_put(out, src + i, len - i);
			break;
		}
		size_t at = (size_t)(open - src);
		sb_put(out, src + i, at - i);
		char kind = open[2];
		char kclose = kind == '<' ? '>' : '%';
		const char close[4] = { kclose, '}', '}', 0 };
		const char *end = NULL;
		for (size_t k = at + 3; k + 2 < len + 1 && k + 2 <= len; k++)
			if (!strncmp(src + k, close, 3)) {
				end = src + k;
				break;
			}
		if (!end) {
			warn_at(c, file, src, at, "unclosed Hugo shortcode; kept as text%s%s", "", "");
			sb_put(out, src + at, 3);
			i = at + 3;
			continue;
		}
		const char *inner = open + 3;
		size_t n = (size_t)(end - inner);
		size_t next = (size_t)(end - src) + 3;
		/* Hugo's escape: "{{<" "/" "*" x "*" "/" ">}}" is the literal "{{< x >}}". */
		while (n && isspace((unsigned char)*inner))
			inner++, n--;
		while (n && isspace((unsigned char)inner[n - 1]))
			n--;
		if (n >= 4 && !strncmp(inner, "/*", 2) && !strncmp(inner + n - 2, "*/", 2)) {
			sb_printf(out, "{{%c", kind);
			sb_put(out, inner + 2, n - 4);
			sb_printf(out, "%c}}", kclose);
			i = next;
			continue;
		}
		size_t nl = 0;
		while (nl < n && !isspace((unsigned char)inner[nl]))
			nl++;
		char *name = xstrndup(inner, nl);
		if (!strcmp(name, "ref") || !strcmp(name, "relref")) {
			char *arg = first_arg(inner, n);
			char *link = hugo_ref(c, rel, arg);
			if (link) {
				sb_puts(out, link);
			} else {
				warn_at(c, file, src, at, "%s target '%s' not found; kept as written", name, arg);
				sb_puts(out, arg);
			}
			free(link);
			free(arg);
		} else if (name[0] != '/') {
			struct strbuf closing = STRBUF_INIT;
			sb_printf(&closing, "{{%c /%s", kind, name);
			bool paired = strstr(src + next, closing.ptr) != NULL;
			sb_clear(&closing);
			sb_printf(&closing, "{{%c %s %c}}", kind, name, kclose);
			warn_at(c, file, src, at,
				paired ? "Hugo shortcode '%s' has no dossier equivalent; removed, with its "
					 "closing tag (the text between them is kept)%s"
				       : "Hugo shortcode '%s' has no dossier equivalent; removed%s",
				closing.ptr, "");
			sb_free(&closing);
		}
		free(name);
		i = next;
	}
}

static void hugo_page(struct conv *c, const char *rel)
{
	char *file = fs_join(c->root, rel), *src = NULL;
	size_t len = 0, body = 0;
	if (fs_read_file(file, &src, &len) < 0) {
		diag_error(c->d, file, 0, 0, "cannot read: %s", strerror(errno));
		c->failed = 1;
		goto out;
	}
	struct value *fm = hugo_front_matter(c, file, src, len, &body);
	if (!fm || fm->type != VALUE_TABLE) {
		if (fm)
			diag_error(c->d, file, 1, 1, "front matter must be a table of keys");
		value_free(fm);
		c->failed = 1;
		goto out;
	}
	struct value *mapped = hugo_map(c, file, rel, fm);
	struct strbuf text = STRBUF_INIT;
	hugo_body(c, file, rel, src, len, body, &text);
	char *to = hugo_out(rel);
	if (strcmp(to, rel))
		diag_note(c->d, file, 0, 0, "leaf bundle: written as %s (same URL, resources beside it)", to);
	write_page(c, to, mapped, text.ptr, text.size);
	free(to);
	sb_free(&text);
	value_free(mapped);
	value_free(fm);
out:
	free(src);
	free(file);
}

static void convert_hugo(struct conv *c)
{
	char **files = NULL;
	size_t n = 0, cap = 0;
	list_files(c, "", &files, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		if (is_markdown(files[i])) {
			hugo_page(c, files[i]);
		} else {
			bool html = !strcmp(fs_extension(files[i]), ".html");
			if (html) {
				char *f = fs_join(c->root, files[i]);
				diag_warning(c->d, f, 0, 0, "an HTML content page is not converted (dossier renders "
							    "Markdown); copied as a file, which a build publishes only with "
							    "[markdown] unsafe = true");
				free(f);
			}
			copy_file(c, files[i], html);
		}
		free(files[i]);
	}
	free(files);
}

/* --- mdBook ------------------------------------------------------------------------ */

struct chapter {
	char *name, *path;
	int line;
};

/* "README.md" (or an index.md with no README.md beside it) -> "_index.md". */
static char *mdbook_out(struct conv *c, const char *rel)
{
	const char *base = fs_basename(rel);
	bool readme = !strcmp(base, "README.md");
	if (!readme && !strcmp(base, "index.md")) {
		char *dir = dir_of(rel), *r = fs_join(*dir ? dir : ".", "README.md");
		char *full = fs_join(c->root, r);
		struct stat st;
		readme = stat(full, &st) < 0;
		free(full);
		free(r);
		free(dir);
	}
	if (!readme)
		return xstrdup(rel);
	char *dir = dir_of(rel), *out = *dir ? fs_join(dir, "_index.md") : xstrdup("_index.md");
	free(dir);
	return out;
}

/* The chapters of SUMMARY.md, in order. */
static size_t parse_summary(struct conv *c, const char *file, const char *s, struct chapter **out)
{
	size_t n = 0, cap = 0;
	int line = 0;
	bool title_seen = false;
	for (const char *p = s; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		line++;
		char *l = xstrndup(p, len);
		p = eol ? eol + 1 : p + len;
		char *t = l;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '#') {
			if (title_seen) {
				char *name = t + strspn(t, "# ");
				diag_note(c->d, file, line, 1, "part title '%s' has no dossier equivalent; left out",
					  name);
			}
			title_seen = true;
		} else if ((*t == '-' || *t == '*') && t[1] == ' ') {
			t += 2;
		}
		char *lb = *t == '[' ? t : NULL, *rb = lb ? strstr(lb, "](") : NULL;
		char *end = rb ? strchr(rb + 2, ')') : NULL;
		if (lb && rb && end) {
			char *name = xstrndup(lb + 1, (size_t)(rb - lb - 1));
			char *path = xstrndup(rb + 2, (size_t)(end - rb - 2));
			if (path[0] == '<' && path[strlen(path) - 1] == '>') {
				char *q = xstrndup(path + 1, strlen(path) - 2);
				free(path);
				path = q;
			}
			if (!*path) {
				diag_note(c->d, file, line, (int)(lb - l) + 1,
					  "draft chapter '%s' (no file) is left out", name);
				free(name);
				free(path);
			} else {
				*out = xgrow(*out, &cap, n + 1, sizeof(**out));
				(*out)[n++] = (struct chapter){ name, path, line };
			}
		}
		free(l);
	}
	return n;
}

/* Links whose target is a README.md (or renamed index.md) follow it. */
static void follow_renames(struct conv *c, const char *rel, struct strbuf *body)
{
	struct strbuf out = STRBUF_INIT;
	const char *s = body->ptr;
	while (*s) {
		const char *m = strstr(s, "](");
		if (!m) {
			sb_puts(&out, s);
			break;
		}
		sb_put(&out, s, (size_t)(m - s) + 2);
		const char *t = m + 2, *e = t;
		while (*e && *e != ')' && *e != '#' && *e != ' ' && *e != '\n')
			e++;
		char *target = xstrndup(t, (size_t)(e - t));
		char *resolved = *target && !strstr(target, "://") ? fs_resolve(rel, target) : NULL;
		char *renamed = resolved ? mdbook_out(c, resolved) : NULL;
		if (renamed && strcmp(renamed, resolved)) {
			size_t keep = strlen(target) - strlen(fs_basename(target));
			sb_put(&out, target, keep);
			sb_puts(&out, "_index.md");
		} else {
			sb_puts(&out, target);
		}
		free(renamed);
		free(resolved);
		free(target);
		s = e;
	}
	sb_free(body);
	*body = out;
}

static void mdbook_chapter(struct conv *c, const struct chapter *ch, int weight)
{
	char *file = fs_join(c->root, ch->path), *src = NULL;
	size_t len = 0;
	if (fs_read_file(file, &src, &len) < 0) {
		diag_error(c->d, file, 0, 0, "cannot read the chapter SUMMARY.md lists: %s", strerror(errno));
		c->failed = 1;
		free(file);
		return;
	}
	struct strbuf body = STRBUF_INIT;
	char *title = NULL;
	size_t i = 0;
	while (i < len && (src[i] == '\n' || src[i] == ' '))
		i++;
	if (i + 2 < len && src[i] == '#' && src[i + 1] == ' ') {
		const char *eol = memchr(src + i, '\n', len - i);
		size_t e = eol ? (size_t)(eol - src) : len;
		size_t ts = i + 2, te = e;
		while (te > ts && (src[te - 1] == '#' || src[te - 1] == ' ' || src[te - 1] == '\r'))
			te--;
		title = xstrndup(src + ts, te - ts);
		i = eol ? e + 1 : len;
	} else {
		i = 0;
	}
	/* {{#include …}} and the other preprocessors; \{{#…}} is literal. */
	size_t k = i;
	while (k < len) {
		const char *m = find(src + k, len - k, "{{#");
		if (!m) {
			sb_put(&body, src + k, len - k);
			break;
		}
		size_t at = (size_t)(m - src);
		const char *e = find(m, len - at, "}}");
		if (at > k && src[at - 1] == '\\') {
			sb_put(&body, src + k, at - k - 1);
			sb_put(&body, m, 3);
			k = at + 3;
			continue;
		}
		sb_put(&body, src + k, at - k);
		if (!e) {
			sb_put(&body, m, len - at);
			break;
		}
		size_t nl = strcspn(m + 3, " }");
		char *what = xstrndup(m, nl + 3);
		warn_at(c, file, src, at, "mdBook '%s}}' has no dossier equivalent; removed%s", what, "");
		free(what);
		k = (size_t)(e - src) + 2;
	}
	char *to = mdbook_out(c, ch->path);
	follow_renames(c, to, &body);
	struct value *fm = value_new_table();
	char *named = NULL;
	if (blank(title) && blank(ch->name)) {
		named = title_from_name(ch->path);
		diag_note(c->d, file, 1, 1, "no title: using '%s', from the file name", named);
	}
	value_set_str(fm, "title", named ? named : !blank(title) ? title
								 : ch->name);
	free(named);
	value_set_int(fm, "weight", weight);
	write_page(c, to, fm, body.ptr, body.size);
	value_free(fm);
	free(to);
	free(title);
	sb_free(&body);
	free(src);
	free(file);
}

static int convert_mdbook(struct conv *c)
{
	char *summary = fs_join(c->root, "SUMMARY.md"), *text = NULL;
	size_t len = 0;
	if (fs_read_file(summary, &text, &len) < 0) {
		diag_error(c->d, summary, 0, 0, "cannot read: %s (an mdBook's src/ has one)", strerror(errno));
		free(summary);
		return -1;
	}
	struct chapter *ch = NULL;
	size_t n = parse_summary(c, summary, text, &ch);
	for (size_t i = 0; i < n; i++)
		mdbook_chapter(c, &ch[i], (int)(i + 1) * 10);
	char **files = NULL;
	size_t nf = 0, cap = 0;
	list_files(c, "", &files, &nf, &cap);
	for (size_t i = 0; i < nf; i++) {
		bool listed = false;
		for (size_t k = 0; k < n && !listed; k++) {
			char *norm = fs_resolve("SUMMARY.md", ch[k].path);
			listed = norm && !strcmp(norm, files[i]);
			free(norm);
		}
		if (!strcmp(files[i], "SUMMARY.md") || listed) {
		} else if (is_markdown(files[i])) {
			char *f = fs_join(c->root, files[i]);
			diag_warning(c->d, f, 0, 0, "not listed in SUMMARY.md (mdBook does not render it); left out");
			free(f);
		} else {
			copy_file(c, files[i], false);
		}
		free(files[i]);
	}
	free(files);
	for (size_t i = 0; i < n; i++) {
		free(ch[i].name);
		free(ch[i].path);
	}
	free(ch);
	free(text);
	free(summary);
	return 0;
}

/* --- the command -------------------------------------------------------------------- */

/* mdBook: the book's src/ (book.toml's [book] src), or SRC itself. */
static char *mdbook_root(const char *src, struct diag *d)
{
	char *book = fs_join(src, "book.toml"), *text = NULL;
	size_t len = 0;
	char *root = NULL;
	if (fs_read_file(book, &text, &len) == 0) {
		struct value *v = toml_parse(text, len, book, d);
		const char *dir = value_get_str(value_table_get(v, "book"), "src", "src");
		const char *title = value_get_str(value_table_get(v, "book"), "title", NULL);
		if (title)
			diag_note(d, book, 0, 0, "the book's title is '%s': put it in site.toml's title", title);
		root = v && fs_rel_is_safe(dir) ? fs_join(src, dir) : NULL;
		if (v && !root)
			diag_error(d, book, 0, 0, "[book] src must be a folder inside the book");
		value_free(v);
	} else {
		root = xstrdup(src);
	}
	free(text);
	free(book);
	return root;
}

int convert_run(const char *tool, const char *src, const char *out, struct convert_stats *st,
		struct diag *d)
{
	bool hugo = !strcmp(tool, "hugo");
	if (!hugo && strcmp(tool, "mdbook")) {
		diag_error(d, NULL, 0, 0, "--from takes hugo or mdbook, not '%s'", tool);
		return -2;
	}
	if (!fs_is_dir(src)) {
		diag_error(d, src, 0, 0, "not a folder");
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	if (fs_is_dir(out) && fs_list_dir(out, &names, &n) == 0 && n) {
		fs_free_list(names, n);
		diag_error(d, out, 0, 0, "folder is not empty; convert into a new folder (nothing is overwritten)");
		return -1;
	}
	char *root = NULL;
	if (hugo) {
		char *content = fs_join(src, "content");
		root = fs_is_dir(content) ? content : (free(content), xstrdup(src));
	} else if (!(root = mdbook_root(src, d))) {
		return -1;
	}
	memset(st, 0, sizeof *st);
	struct conv c = { root, out, d, st, 0 };
	int rc = fs_mkdir_p(out);
	if (rc < 0)
		diag_error(d, out, 0, 0, "cannot create folder: %s", strerror(errno));
	else if (hugo)
		convert_hugo(&c);
	else
		rc = convert_mdbook(&c);
	free(root);
	return rc < 0 || c.failed ? -1 : 0;
}
