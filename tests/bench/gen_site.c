/*
 * gen_site: the scale benchmark's corpus (issue 13) as a git fast-import
 * stream, so one pipe gives the site and its whole history.
 *
 *     gen_site N [ENTITIES] | git -C DIR fast-import --quiet
 *
 * The stream builds refs/heads/main of a dossier site: site.toml,
 * site-nohistory.toml (the same with [history] enabled = false),
 * content/_index.md, ENTITIES (default 1,000) entity pages under
 * content/entities/ with aliases, and N Markdown pages of 3-8 kB with TOML
 * front matter: 80% in content/pages/ (one large folder), 10% topics and 10%
 * Markdown articles with annotations. Paragraphs mention about 7 entities
 * each (names, aliases, possessives, plurals); pages carry relative links to
 * other pages, an entity and an article paragraph (a citation), a table, a
 * list and a code block. The history has max(N / 2, 10) commits: the first
 * fifth add the files in batches (some pages under a draft name), the rest
 * edit one or two files each (a paragraph rewritten), and every tenth
 * renames a draft page to its final name. Same arguments, same bytes, same
 * commit ids; only HEAD's tree is meant to build without errors.
 *
 * The prose, names and aliases are gen_corpus.c's (included), so the
 * entity and search benchmarks and this one share a vocabulary.
 */
#define GEN_CORPUS_NO_MAIN
#include "gen_corpus.c"

enum file_kind {
	F_HOME,
	F_ENTITY,
	F_PAGE,
	F_TOPIC,
	F_ARTICLE
};

struct site {
	size_t n, npages, ntopics, narticles, nentities, nfiles;
	struct corpus_entity *ents;
	size_t *edits;   /* per file: edits in the whole history */
	size_t *version; /* per file: edits emitted so far */
	bool *drafted;   /* per file: added under a draft name, renamed later */
	bool *renamed;   /* per file: the rename is emitted */
	struct strbuf out;
	size_t mark;
	long long when;
	struct rng r;
};

/* File index f: 0 the home page, then entities, pages, topics, articles. */
static enum file_kind kind_of(const struct site *s, size_t f, size_t *k)
{
	if (f == 0) {
		*k = 0;
		return F_HOME;
	}
	f--;
	if (f < s->nentities) {
		*k = f;
		return F_ENTITY;
	}
	f -= s->nentities;
	if (f < s->npages) {
		*k = f;
		return F_PAGE;
	}
	f -= s->npages;
	if (f < s->ntopics) {
		*k = f;
		return F_TOPIC;
	}
	*k = f - s->ntopics;
	return F_ARTICLE;
}

static const char *kind_folder(enum file_kind kind)
{
	switch (kind) {
	case F_ENTITY:
		return "entities";
	case F_PAGE:
		return "pages";
	case F_TOPIC:
		return "topics";
	case F_ARTICLE:
		return "articles";
	default:
		return "";
	}
}

static char kind_letter(enum file_kind kind)
{
	return "hepta"[kind];
}

/* The file's path under the site; `final` ignores a pending rename. */
static void file_path(const struct site *s, size_t f, bool final, struct strbuf *sb)
{
	size_t k;
	enum file_kind kind = kind_of(s, f, &k);
	if (kind == F_HOME) {
		sb_puts(sb, "content/_index.md");
		return;
	}
	sb_printf(sb, "content/%s/%s%c%0*zu.md", kind_folder(kind),
		  !final && s->drafted[f] && !s->renamed[f] ? "draft-" : "",
		  kind_letter(kind), kind == F_ENTITY ? 4 : 5, k + 1);
}

/* A relative link from a file in folder `from` to file f's final path. */
static void link_to(const struct site *s, enum file_kind from, size_t f, struct strbuf *sb)
{
	size_t k;
	enum file_kind kind = kind_of(s, f, &k);
	if (kind != from)
		sb_printf(sb, "../%s/", kind_folder(kind));
	sb_printf(sb, "%c%0*zu.md", kind_letter(kind), kind == F_ENTITY ? 4 : 5, k + 1);
}

static size_t first_page(const struct site *s)
{
	return 1 + s->nentities;
}

/* A paragraph of about 63 words, one in nine an entity mention. */
static void paragraph(struct rng *r, const struct site *s, struct strbuf *out)
{
	size_t sentences = 3 + rng_below(r, 4), line = out->size;
	for (size_t i = 0; i < sentences; i++) {
		size_t words = 8 + rng_below(r, 13);
		for (size_t w = 0; w < words; w++) {
			if (w || i)
				sb_putc(out, out->size - line > 100 ? '\n' : ' ');
			if (out->ptr[out->size - 1] == '\n')
				line = out->size;
			if (rng_below(r, 9) == 0) {
				corpus_mention(r, s->ents, s->nentities, out);
				continue;
			}
			const char *f = filler[rng_below(r, sizeof(filler) / sizeof(filler[0]))];
			sb_putc(out, w ? f[0] : f[0] - 'a' + 'A');
			sb_puts(out, f + 1);
		}
		sb_putc(out, rng_below(r, 6) ? '.' : ',');
	}
	sb_puts(out, "\n\n");
}

static const char *word(struct rng *r)
{
	return filler[rng_below(r, sizeof(filler) / sizeof(filler[0]))];
}

static void table(struct rng *r, struct strbuf *out)
{
	sb_puts(out, "| Measure | Value | Change | Note |\n|---|---:|---:|---|\n");
	/* One draw a statement: the order of a call's arguments is unspecified. */
	for (size_t i = 0, rows = 3 + rng_below(r, 4); i < rows; i++) {
		sb_printf(out, "| %s ", word(r));
		sb_printf(out, "%s | ", word(r));
		sb_printf(out, "%zu.", rng_below(r, 1000));
		sb_printf(out, "%zu | ", rng_below(r, 10));
		sb_puts(out, rng_below(r, 2) ? "+" : "-");
		sb_printf(out, "%zu%% | ", rng_below(r, 40));
		sb_printf(out, "%s |\n", word(r));
	}
	sb_putc(out, '\n');
}

static void list(struct rng *r, const struct site *s, struct strbuf *out)
{
	for (size_t i = 0, items = 3 + rng_below(r, 4); i < items; i++) {
		sb_printf(out, "- %s ", word(r));
		sb_printf(out, "%s ", word(r));
		corpus_mention(r, s->ents, s->nentities, out);
		sb_printf(out, " %s ", word(r));
		sb_printf(out, "%s\n", word(r));
	}
	sb_putc(out, '\n');
}

static void code(struct rng *r, struct strbuf *out)
{
	sb_puts(out, "```python\n");
	for (size_t i = 0, lines = 3 + rng_below(r, 5); i < lines; i++) {
		sb_printf(out, "%s_%zu = ", word(r), i);
		sb_printf(out, "%s(", word(r));
		sb_printf(out, "\"%s\", ", word(r));
		sb_printf(out, "%zu)\n", rng_below(r, 100));
	}
	sb_puts(out, "```\n\n");
}

/* Links to two other pages, an entity and (if any) an article paragraph. */
static void links(struct rng *r, const struct site *s, enum file_kind from, struct strbuf *out)
{
	size_t docs = s->npages + s->ntopics + s->narticles;
	sb_puts(out, "See also [");
	sb_puts(out, word(r));
	sb_puts(out, "](");
	link_to(s, from, first_page(s) + rng_below(r, docs), out);
	sb_puts(out, "), [the earlier ");
	sb_puts(out, word(r));
	sb_puts(out, "](");
	link_to(s, from, first_page(s) + rng_below(r, s->npages), out);
	sb_puts(out, ") and [its profile](");
	link_to(s, from, 1 + rng_below(r, s->nentities), out);
	sb_putc(out, ')');
	if (s->narticles) {
		sb_puts(out, ", as reported in [](");
		link_to(s, from, first_page(s) + s->npages + s->ntopics + rng_below(r, s->narticles), out);
		sb_printf(out, "#p%zu)", 1 + rng_below(r, 3));
	}
	sb_puts(out, ".\n\n");
}

/*
 * The body of a page, article or topic: `size` bytes or a little more of
 * paragraphs and sections, with one table, list, code block and link
 * paragraph. Paragraph `edit` (counted from 0) is the variant `v` when
 * v != SIZE_MAX: the main generator still draws the original, so every
 * other block is the same in every version.
 */
static void body(struct rng *r, const struct site *s, enum file_kind kind, size_t f,
		 size_t edit, size_t v, struct strbuf *out)
{
	size_t start = out->size, size = 2800 + rng_below(r, 4600), para = 0;
	size_t extras_at = 2 + rng_below(r, 3);
	struct strbuf scratch = STRBUF_INIT;

	while (out->size - start < size) {
		if (para > 2 && rng_below(r, 4) == 0) {
			const char *w = word(r);
			sb_printf(out, "## %c%s ", w[0] - 'a' + 'A', w + 1);
			sb_printf(out, "%s %zu\n\n", word(r), para);
		}
		if (para == extras_at) {
			table(r, out);
			list(r, s, out);
			code(r, out);
			links(r, s, kind, out);
		}
		if (para == edit && v != SIZE_MAX) {
			struct rng alt = { (uint64_t)f * 1000003u + v * 7919u + 17 };
			paragraph(r, s, &scratch);
			paragraph(&alt, s, out);
		} else {
			paragraph(r, s, out);
		}
		para++;
	}
	sb_free(&scratch);
}

static void toml_string(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

static void toml_str(struct strbuf *sb, const char *key, const char *s)
{
	sb_printf(sb, "%s = ", key);
	toml_string(sb, s);
	sb_putc(sb, '\n');
}

static void date(struct rng *r, struct strbuf *sb)
{
	sb_printf(sb, "date = 2024-%02zu", 1 + rng_below(r, 12));
	sb_printf(sb, "-%02zu\n", 1 + rng_below(r, 28));
}

static void entity_file(const struct site *s, size_t k, struct strbuf *sb)
{
	const struct corpus_entity *e = &s->ents[k];
	struct rng r = { k + 1000003 };
	sb_puts(sb, "+++\n");
	toml_str(sb, "title", e->title);
	sb_printf(sb, "kind = \"%s\"\naliases = [", e->kind);
	for (size_t i = 0; i < e->naliases; i++) {
		sb_puts(sb, i ? ", " : "");
		toml_string(sb, e->aliases[i]);
	}
	sb_puts(sb, "]\n");
	if (!e->case_sensitive)
		sb_puts(sb, "case_sensitive = false\n");
	sb_puts(sb, "+++\n");
	paragraph(&r, s, sb);
}

/* An article's annotation quote: a sentence its second paragraph holds. */
static void article_quote(size_t k, struct strbuf *sb)
{
	sb_printf(sb, "Figure A%zu is the reference estimate", k + 1);
}

/* File f at its version v of edits[f]: the last one is HEAD's. */
static void file_content(const struct site *s, size_t f, size_t v, struct strbuf *sb)
{
	size_t k;
	enum file_kind kind = kind_of(s, f, &k);
	struct rng r = { (uint64_t)f * 2654435761u + 99 };
	size_t edit = v == s->edits[f] ? SIZE_MAX : 1 + v % 3;
	const char *title;

	switch (kind) {
	case F_HOME:
		sb_puts(sb, "+++\ntitle = \"bench\"\n+++\nA generated corpus (tests/bench/gen_site.c).\n");
		return;
	case F_ENTITY:
		entity_file(s, k, sb);
		return;
	case F_PAGE:
		title = word(&r);
		sb_printf(sb, "+++\ntitle = \"%c%s ", title[0] - 'a' + 'A', title + 1);
		sb_printf(sb, "%s %zu\"\n", word(&r), k + 1);
		sb_printf(sb, "description = \"Notes on %s ", word(&r));
		sb_printf(sb, "and %s.\"\n", word(&r));
		date(&r, sb);
		sb_puts(sb, "+++\n");
		break;
	case F_TOPIC:
		sb_printf(sb, "+++\ntitle = \"Topic %zu: %s\"\n", k + 1, word(&r));
		date(&r, sb);
		sb_puts(sb, "+++\n");
		break;
	case F_ARTICLE:
		sb_printf(sb, "+++\ntitle = \"Article %zu\"\nshort = \"Source %zu\"\n", k + 1, k + 1);
		sb_printf(sb, "publisher = \"Publisher %zu\"\npublished = 2024-%02zu-%02zu\n",
			  k % 17 + 1, 1 + k % 12, 1 + k % 28);
		/* Hugo takes `url` for the page's own path: give it its usual one. */
		sb_printf(sb, "url = \"/articles/a%05zu/\"\n", k + 1);
		sb_puts(sb, "\n[[annotations]]\nquote = \"");
		article_quote(k, sb);
		sb_printf(sb, "\"\nnote = \"Compare [the topic](../topics/t%05zu.md).\"\n+++\n",
			  s->ntopics ? 1 + k % s->ntopics : 1);
		paragraph(&r, s, sb);
		article_quote(k, sb);
		sb_puts(sb, ". ");
		paragraph(&r, s, sb);
		break;
	}
	body(&r, s, kind, f, edit, v, sb);
}

/* --- the stream ------------------------------------------------------------ */

static void data(struct strbuf *out, const char *p, size_t n)
{
	sb_printf(out, "data %zu\n", n);
	sb_put(out, p, n);
	sb_putc(out, '\n');
}

static void commit(struct site *s, const char *msg)
{
	static const char *const authors[] = {
		"Ada Writer <ada@example.org>", "Ben Editor <ben@example.org>",
		"Chen Reviewer <chen@example.org>", "Dana Fixer <dana@example.org>"
	};
	const char *who = authors[rng_below(&s->r, 4)];
	s->mark++;
	s->when += 600 + (long long)rng_below(&s->r, 7200);
	sb_printf(&s->out, "commit refs/heads/main\nmark :%zu\n", s->mark);
	sb_printf(&s->out, "author %s %lld +0000\ncommitter %s %lld +0000\n", who, s->when, who,
		  s->when);
	data(&s->out, msg, strlen(msg));
}

static void put_file(struct site *s, size_t f)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	file_path(s, f, false, &path);
	file_content(s, f, s->version[f], &text);
	sb_printf(&s->out, "M 100644 inline %s\n", path.ptr);
	data(&s->out, text.ptr, text.size);
	sb_free(&path);
	sb_free(&text);
}

static void put_text(struct site *s, const char *path, const char *text)
{
	sb_printf(&s->out, "M 100644 inline %s\n", path);
	data(&s->out, text, strlen(text));
}

static void flush(struct site *s)
{
	fwrite(s->out.ptr, 1, s->out.size, stdout);
	sb_clear(&s->out);
}

static void add_commit(struct site *s, size_t from, size_t to, bool first)
{
	char msg[96];
	snprintf(msg, sizeof(msg), "Add %zu files\n", to - from);
	commit(s, msg);
	if (first) {
		put_text(s, "site.toml", "title = \"bench\"\n");
		put_text(s, "site-nohistory.toml", "title = \"bench\"\n\n[history]\nenabled = false\n");
		put_text(s, ".gitignore", "/themes/\n/layouts/\n/config.toml\n/resources/\n/.hugo_build.lock\n");
	}
	for (size_t f = from; f < to; f++)
		put_file(s, f);
	sb_putc(&s->out, '\n');
	flush(s);
}

/* A file to edit: any page, topic or article, now and then an entity. */
static size_t pick_edit(struct site *s)
{
	if (rng_below(&s->r, 10) == 0)
		return 1 + rng_below(&s->r, s->nentities);
	return first_page(s) + rng_below(&s->r, s->n);
}

static void edit_commit(struct site *s, size_t f, size_t g)
{
	struct strbuf msg = STRBUF_INIT;
	sb_puts(&msg, "Rewrite a paragraph of ");
	file_path(s, f, false, &msg);
	sb_putc(&msg, '\n');
	commit(s, msg.ptr);
	s->version[f]++;
	put_file(s, f);
	if (g != f && g != SIZE_MAX) {
		s->version[g]++;
		put_file(s, g);
	}
	sb_putc(&s->out, '\n');
	flush(s);
	sb_free(&msg);
}

static void rename_commit(struct site *s, size_t f, bool edit)
{
	struct strbuf msg = STRBUF_INIT, from = STRBUF_INIT, to = STRBUF_INIT;
	file_path(s, f, false, &from);
	file_path(s, f, true, &to);
	sb_printf(&msg, "Rename %s to %s\n", from.ptr, to.ptr);
	commit(s, msg.ptr);
	sb_printf(&s->out, "D %s\n", from.ptr);
	s->renamed[f] = true;
	if (edit)
		s->version[f]++;
	put_file(s, f);
	sb_putc(&s->out, '\n');
	flush(s);
	sb_free(&msg);
	sb_free(&from);
	sb_free(&to);
}

enum op {
	OP_EDIT,
	OP_EDIT2,
	OP_RENAME,
	OP_RENAME_EDIT
};

/*
 * The schedule is drawn twice from the same seed: once to count each file's
 * edits (so a file's last version is HEAD's text), once to emit it.
 */
static void history(struct site *s, bool emit)
{
	size_t commits = s->n / 2 < 10 ? 10 : s->n / 2;
	size_t adds = commits / 5 ? commits / 5 : 1, batch = (s->nfiles + adds - 1) / adds;
	size_t next_draft = first_page(s);

	s->r = (struct rng){ 20260101 };
	s->when = 1704067200; /* 2024-01-01 */
	s->mark = 0;
	for (size_t c = 0; c < adds; c++) {
		size_t from = c * batch, to = from + batch > s->nfiles ? s->nfiles : from + batch;
		if (emit)
			add_commit(s, from, to, c == 0);
		else
			commit(s, "x"), sb_clear(&s->out);
	}
	for (size_t c = adds; c < commits; c++) {
		enum op op = c % 10 == 9 ? (c % 20 == 19 ? OP_RENAME_EDIT : OP_RENAME)
					 : (c % 3 == 0 ? OP_EDIT2 : OP_EDIT);
		while ((op == OP_RENAME || op == OP_RENAME_EDIT) && next_draft < s->nfiles &&
		       !s->drafted[next_draft])
			next_draft++;
		if ((op == OP_RENAME || op == OP_RENAME_EDIT) && next_draft >= s->nfiles)
			op = OP_EDIT;
		if (op == OP_RENAME || op == OP_RENAME_EDIT) {
			size_t f = next_draft++;
			if (emit)
				rename_commit(s, f, op == OP_RENAME_EDIT);
			else
				commit(s, "x"), sb_clear(&s->out), s->edits[f] += op == OP_RENAME_EDIT;
			continue;
		}
		size_t f = pick_edit(s), g = op == OP_EDIT2 ? pick_edit(s) : SIZE_MAX;
		if (emit) {
			edit_commit(s, f, g);
		} else {
			commit(s, "x"), sb_clear(&s->out);
			s->edits[f]++;
			if (g != f && g != SIZE_MAX)
				s->edits[g]++;
		}
	}
	if (emit) {
		sb_puts(&s->out, "done\n");
		flush(s);
	}
}

/* Pages added under a draft name: one per rename commit, spread evenly. */
static void choose_drafts(struct site *s)
{
	size_t commits = s->n / 2 < 10 ? 10 : s->n / 2;
	size_t adds = commits / 5 ? commits / 5 : 1, renames = (commits - adds) / 10;
	size_t step = renames ? s->npages / renames : 0;
	for (size_t i = 0; step && i < renames; i++)
		s->drafted[first_page(s) + i * step + step / 2] = true;
}

int main(int argc, char **argv)
{
	struct site s = { 0 };

	if (argc < 2 || argc > 3 || atol(argv[1]) < 10 || (argc == 3 && atol(argv[2]) < 1)) {
		fprintf(stderr, "usage: gen_site N [ENTITIES] | git fast-import  (N >= 10)\n");
		return 2;
	}
	s.n = (size_t)atol(argv[1]);
	s.nentities = argc == 3 ? (size_t)atol(argv[2]) : 1000;
	s.ntopics = s.n / 10;
	s.narticles = s.n / 10;
	s.npages = s.n - s.ntopics - s.narticles;
	s.nfiles = 1 + s.nentities + s.n;
	s.ents = xcalloc(s.nentities, sizeof(*s.ents));
	for (size_t i = 0; i < s.nentities; i++)
		corpus_entity(i, &s.ents[i]);
	s.edits = xcalloc(s.nfiles, sizeof(*s.edits));
	s.version = xcalloc(s.nfiles, sizeof(*s.version));
	s.drafted = xcalloc(s.nfiles, sizeof(*s.drafted));
	s.renamed = xcalloc(s.nfiles, sizeof(*s.renamed));
	(void)corpus_page; /* gen_corpus.c's, used by the other benchmarks */
	choose_drafts(&s);
	history(&s, false);
	history(&s, true);
	for (size_t i = 0; i < s.nentities; i++)
		corpus_entity_free(&s.ents[i]);
	free(s.ents);
	free(s.edits);
	free(s.version);
	free(s.drafted);
	free(s.renamed);
	sb_free(&s.out);
	return fflush(stdout) == 0 ? 0 : 1;
}
