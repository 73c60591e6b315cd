#include "scaffold.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "fsutil.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

static const struct {
	const char *kind, *section, *ext, *builtin;
} kinds[] = {
	{ "article", "articles", ".txt",
	  "+++\ntitle = \"{{title}}\"\ntitle_source = \"editor\"\nshort = \"{{title}}\"\n"
	  "publisher = \"unknown\"\npublished = \"unknown\"\nurl = \"unknown\"\nauthor = \"unknown\"\n"
	  "seed = \"{{seed}}\"\ndescription = \"\"\ndrop = []\n+++\n" },
	{ "topic", "topics", ".md",
	  "+++\ntitle = \"{{title}}\"\ndescription = \"\"\nweight = 10\n+++\n\n## Summary\n\n## Open questions\n" },
	{ "entity", "entities", ".md",
	  "+++\ntitle = \"{{title}}\"\nkind = \"concept\"\naliases = []\n+++\n\n" },
};

static void slugify(const char *name, struct strbuf *out)
{
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (isalnum(*p)) {
			if (dash && out->size)
				sb_putc(out, '-');
			sb_putc(out, tolower(*p));
			dash = false;
		} else {
			dash = true;
		}
	}
}

static void toml_escaped(const char *s, struct strbuf *out)
{
	for (const char *c = s; *c; c++) {
		if (*c == '"' || *c == '\\')
			sb_putc(out, '\\');
		if ((unsigned char)*c >= 0x20 && *c != 0x7f)
			sb_putc(out, *c);
	}
}

/* The template with {{title}} and {{seed}} replaced, TOML-escaped. */
static void fill(const char *tmpl, const char *name, const char *seed, struct strbuf *out)
{
	const char *p = tmpl;
	for (;;) {
		const char *t = strstr(p, "{{title}}"), *s = strstr(p, "{{seed}}");
		const char *m = t && (!s || t < s) ? t : s;
		if (!m)
			break;
		sb_put(out, p, (size_t)(m - p));
		toml_escaped(m == t ? name : seed, out);
		p = m + (m == t ? strlen("{{title}}") : strlen("{{seed}}"));
	}
	sb_puts(out, p);
}

/* The scraped text of `--from`: UTF-8 text, copied as it is. */
static char *read_from(const char *from, size_t *len, struct diag *d)
{
	char *text = NULL;
	if (fs_read_file(from, &text, len) < 0) {
		diag_error(d, from, 0, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	size_t bad = utf8_invalid(text, *len);
	const char *nul = memchr(text, '\0', *len);
	if (bad != UTF8_VALID || nul) {
		int line, col;
		diag_linecol(text, nul ? (size_t)(nul - text) : bad, &line, &col);
		diag_error(d, from, line, col, nul ? "NUL byte: not a text file" : "invalid UTF-8");
		free(text);
		return NULL;
	}
	return text;
}

/* One place a template may be: 1 when read into *text, 0 when there is
 * none, -1 after reporting why it cannot be read. The tree is the pull
 * request's: a link leading out of `root` is not followed (its target
 * would become the new page's text). */
static int read_template_at(const char *path, const char *root, const char *what, char **text,
			    struct diag *d)
{
	char *root_real = realpath(root, NULL);
	size_t len = 0;
	int rc = 0;
	if (root_real && fs_read_file_within(path, root_real, text, &len) == 0)
		rc = 1;
	else if (root_real && errno == EXDEV)
		diag_error(d, path, 0, 0, "symbolic link leads outside the %s; not read", what), rc = -1;
	else if (root_real && errno != ENOENT)
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno)), rc = -1;
	free(root_real);
	return rc;
}

/* The section's template: the site's own, else the theme's; *text NULL
 * when neither has one. -1 after an error. */
static int read_template(const char *dir, const char *theme, const char *kind, char **text,
			 struct diag *d)
{
	struct strbuf p = STRBUF_INIT, root = STRBUF_INIT;
	*text = NULL;
	sb_printf(&root, "%s/content", dir);
	sb_printf(&p, "%s/_templates/%s.md", root.ptr, kind);
	int rc = read_template_at(p.ptr, root.ptr, "site's content", text, d);
	if (rc == 0 && theme) {
		sb_clear(&p);
		sb_clear(&root);
		sb_printf(&root, "%s/themes/%s", dir, theme);
		sb_printf(&p, "%s/archetypes/%s.md", root.ptr, kind);
		rc = read_template_at(p.ptr, root.ptr, "theme", text, d);
	}
	sb_free(&p);
	sb_free(&root);
	return rc < 0 ? -1 : 0;
}

int scaffold_new(const char *dir, const char *theme, const char *kind, const char *name,
		 const char *from, char **path, struct diag *d)
{
	size_t k = 0, nk = sizeof(kinds) / sizeof(*kinds);
	while (k < nk && strcmp(kinds[k].kind, kind))
		k++;
	if (k == nk) {
		diag_error(d, NULL, 0, 0, "unknown kind '%s' (article, topic or entity)", kind);
		return -2;
	}
	if (from && strcmp(kind, "article")) {
		diag_error(d, NULL, 0, 0, "--from goes with 'new article' only");
		return -2;
	}
	struct strbuf slug = STRBUF_INIT, rel = STRBUF_INIT, text = STRBUF_INIT;
	slugify(name, &slug);
	int rc = -1;
	size_t fromlen = 0;
	char *scraped = from ? read_from(from, &fromlen, d) : NULL;
	if (from && !scraped)
		goto out;
	if (!slug.size) {
		diag_error(d, NULL, 0, 0, "name '%s' gives an empty file name", name);
		goto out;
	}
	sb_printf(&rel, "content/%s/%s%s", kinds[k].section, slug.ptr, kinds[k].ext);
	char *tmpl = NULL;
	if (read_template(dir, theme, kind, &tmpl, d) < 0)
		goto out;
	fill(tmpl ? tmpl : kinds[k].builtin, name, from ? fs_basename(from) : "", &text);
	free(tmpl);
	if (scraped) {
		if (text.size && text.ptr[text.size - 1] != '\n')
			sb_putc(&text, '\n');
		sb_put(&text, scraped, fromlen);
	}
	*path = fs_join(dir, rel.ptr);
	if (fs_mkdir_parent(*path) < 0) {
		diag_error(d, *path, 0, 0, "cannot create folder: %s", strerror(errno));
		goto out;
	}
	int fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		diag_error(d, *path, 0, 0, errno == EEXIST ? "already exists; not overwriting it" : "cannot create: %s", strerror(errno));
		goto out;
	}
	ssize_t w = write(fd, text.ptr, text.size);
	if (close(fd) < 0 || w != (ssize_t)text.size) {
		diag_error(d, *path, 0, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(scraped);
	sb_free(&slug);
	sb_free(&rel);
	sb_free(&text);
	return rc;
}
