#include "gittree.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct cached {
	git_oid id;
	git_odb_object *obj;
};

/* Two generations: `gen[cur]` holds what the current commit read, the
 * other what the previous one read. */
struct generation {
	struct cached *v;
	size_t n, cap;
};

struct gittree_cache {
	git_odb *odb;
	struct generation gen[2];
	int cur;
};

struct gittree_cache *gittree_cache_new(git_repository *repo)
{
	struct gittree_cache *c = xcalloc(1, sizeof(*c));
	if (git_repository_odb(&c->odb, repo) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

static void generation_clear(struct generation *g)
{
	for (size_t i = 0; i < g->n; i++)
		git_odb_object_free(g->v[i].obj);
	g->n = 0;
}

void gittree_cache_free(struct gittree_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < 2; i++) {
		generation_clear(&c->gen[i]);
		free(c->gen[i].v);
	}
	git_odb_free(c->odb);
	free(c);
}

void gittree_age(struct gittree_cache *c)
{
	c->cur = !c->cur;
	generation_clear(&c->gen[c->cur]);
}

static struct gittree tree_of(git_odb_object *o)
{
	return (struct gittree){ git_odb_object_data(o), git_odb_object_size(o),
				 *git_odb_object_id(o) };
}

static void keep(struct generation *g, const git_oid *id, git_odb_object *o)
{
	g->v = xgrow(g->v, &g->cap, g->n + 1, sizeof(*g->v));
	g->v[g->n++] = (struct cached){ *id, o };
}

/* Searched newest first: a commit's trees are asked for soon after they
 * were read. */
static git_odb_object *find(struct generation *g, const git_oid *id, bool take)
{
	for (size_t i = g->n; i-- > 0;) {
		if (!git_oid_equal(&g->v[i].id, id))
			continue;
		git_odb_object *o = g->v[i].obj;
		if (take)
			g->v[i] = g->v[--g->n];
		return o;
	}
	return NULL;
}

int gittree_read(struct gittree_cache *c, const git_oid *id, struct gittree *out)
{
	struct generation *cur = &c->gen[c->cur], *prev = &c->gen[!c->cur];
	git_odb_object *o = find(cur, id, false);
	if (!o && (o = find(prev, id, true)) != NULL)
		keep(cur, id, o);
	if (!o) {
		if (git_odb_read(&o, c->odb, id) < 0)
			return -1;
		if (git_odb_object_type(o) != GIT_OBJECT_TREE) {
			git_odb_object_free(o);
			git_error_set_str(GIT_ERROR_INVALID, "object is not a tree");
			return -1;
		}
		keep(cur, id, o);
	}
	*out = tree_of(o);
	return 0;
}

int gittree_of_commit(struct gittree_cache *c, const git_commit *commit, struct gittree *out)
{
	return gittree_read(c, git_commit_tree_id(commit), out);
}

/* --- entries: "<octal mode> <name>\0<20-byte id>" ------------------------- */

static uint16_t normalise(unsigned m)
{
	unsigned type = m & 0170000;
	if (type == 0040000)
		return GIT_FILEMODE_TREE;
	if (m & 0111)
		return GIT_FILEMODE_BLOB_EXECUTABLE;
	if (type == 0160000)
		return GIT_FILEMODE_COMMIT;
	if (type == 0120000)
		return GIT_FILEMODE_LINK;
	return GIT_FILEMODE_BLOB;
}

/* The entry at *pos, advancing past it; false at the end or on a
 * malformed entry (libgit2 would have refused the tree too). */
static bool entry_next(struct gittree t, size_t *pos, struct gittree_entry *e)
{
	if (!t.p || *pos >= t.n)
		return false;
	const unsigned char *p = t.p + *pos, *end = t.p + t.n;
	unsigned m = 0;
	const unsigned char *start = p;
	while (p < end && *p >= '0' && *p <= '7')
		m = m * 8 + (unsigned)(*p++ - '0');
	if (p >= end || *p++ != ' ')
		return false;
	const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
	if (!nul || (size_t)(end - nul) < 1 + GIT_OID_RAWSZ)
		return false;
	e->name = (const char *)p;
	e->len = (size_t)(nul - p);
	e->mode = normalise(m);
	e->id = nul + 1;
	e->raw = start;
	e->rawn = (size_t)(nul + 1 + GIT_OID_RAWSZ - start);
	*pos = e->rawn + (size_t)(start - t.p);
	return true;
}

static bool is_tree(const struct gittree_entry *e)
{
	return e->mode == GIT_FILEMODE_TREE;
}

/* libgit2's git_tree_entry_cmp: names compared as bytes, a folder as if
 * its name ended in '/'. */
static int entry_cmp(const struct gittree_entry *a, const struct gittree_entry *b)
{
	size_t len = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, len);
	if (c)
		return c;
	unsigned char ca = (unsigned char)a->name[len], cb = (unsigned char)b->name[len];
	if (!ca && is_tree(a))
		ca = '/';
	if (!cb && is_tree(b))
		cb = '/';
	return ca < cb ? -1 : ca > cb;
}

static bool entry_same(const struct gittree_entry *a, const struct gittree_entry *b)
{
	if (a->rawn == b->rawn && !memcmp(a->raw, b->raw, a->rawn))
		return true;
	return a->mode == b->mode && !memcmp(a->id, b->id, GIT_OID_RAWSZ);
}

void gittree_entry_id(const struct gittree_entry *e, git_oid *out)
{
	git_oid_fromraw(out, e->id);
}

bool gittree_same(struct gittree a, struct gittree b)
{
	return (!a.p && !b.p) || (a.p && b.p && git_oid_equal(&a.id, &b.id));
}

/* The entry named `name` (`len` bytes) in `t`. */
static bool entry_named(struct gittree t, const char *name, size_t len, struct gittree_entry *e)
{
	size_t pos = 0;
	while (entry_next(t, &pos, e))
		if (e->len == len && !memcmp(e->name, name, len))
			return true;
	return false;
}

/* The entry at `path` below `root`: 1, 0 when absent, -1 on a read error. */
static int entry_at(struct gittree_cache *c, struct gittree root, const char *path,
		    struct gittree_entry *e)
{
	struct gittree t = root;
	for (;;) {
		size_t len = strcspn(path, "/");
		if (!entry_named(t, path, len, e))
			return 0;
		if (!path[len])
			return 1;
		if (!is_tree(e))
			return 0;
		git_oid id;
		gittree_entry_id(e, &id);
		if (gittree_read(c, &id, &t) < 0)
			return -1;
		path += len + 1;
	}
}

int gittree_subtree(struct gittree_cache *c, struct gittree root, const char *path,
		    struct gittree *out)
{
	struct gittree_entry e;
	*out = (struct gittree){ 0 };
	int found = entry_at(c, root, path, &e);
	if (found <= 0 || !is_tree(&e))
		return found < 0 ? -1 : 0;
	git_oid id;
	gittree_entry_id(&e, &id);
	return gittree_read(c, &id, out);
}

int gittree_blob(struct gittree_cache *c, struct gittree root, const char *path,
		 struct gittree_entry *e)
{
	int found = entry_at(c, root, path, e);
	if (found <= 0)
		return found;
	return !is_tree(e) && e->mode != GIT_FILEMODE_COMMIT;
}

/* --- comparing ------------------------------------------------------------ */

struct compare {
	struct gittree_cache *c;
	struct strbuf *base;
	const char *skip;
	gittree_change_fn fn;
	void *arg;
};

static int changes(struct compare *k, struct gittree a, struct gittree b);

/* Both sides' trees of one folder entry (either entry may be NULL). */
static int folder(struct compare *k, const struct gittree_entry *x, const struct gittree_entry *y)
{
	struct gittree ta = { 0 }, tb = { 0 };
	git_oid id;
	if (x && is_tree(x)) {
		gittree_entry_id(x, &id);
		if (gittree_read(k->c, &id, &ta) < 0)
			return -1;
	}
	if (y && is_tree(y)) {
		gittree_entry_id(y, &id);
		if (gittree_read(k->c, &id, &tb) < 0)
			return -1;
	}
	return changes(k, ta, tb);
}

/* One entry present in only one tree, or changed (the same name and
 * kind on both sides, or one side only): a blob's path, or the paths below
 * a folder (unless it is `skip`). Submodules are neither. */
static int changed(struct compare *k, const struct gittree_entry *x, const struct gittree_entry *y)
{
	const struct gittree_entry *e = x ? x : y;
	size_t len = k->base->size;
	int err = 0;
	sb_put(k->base, e->name, e->len);
	if (is_tree(e)) {
		sb_putc(k->base, '/');
		if (!k->skip || strcmp(k->base->ptr, k->skip))
			err = folder(k, x, y);
	} else if (e->mode != GIT_FILEMODE_COMMIT) {
		k->fn(k->arg, k->base->ptr, x, y);
	}
	sb_truncate(k->base, len);
	return err;
}

/* Bytes both ranges start with: memcmp by blocks, then bytes. */
static size_t common_prefix(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i = 0;
	while (i + 64 <= n && !memcmp(a + i, b + i, 64))
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* From entry boundaries *i and *j, past the whole entries that are the
 * same bytes on both sides (an edit in a folder of 8,000 files leaves all
 * but one so): only their ends are looked for, nothing is parsed. */
static void skip_same(struct gittree a, struct gittree b, size_t *i, size_t *j)
{
	if (!a.p || !b.p || *i >= a.n || *j >= b.n)
		return;
	size_t na = a.n - *i, nb = b.n - *j;
	const unsigned char *p = a.p + *i, *end = a.p + a.n;
	const unsigned char *stop = p + common_prefix(p, b.p + *j, na < nb ? na : nb);
	const unsigned char *q = p;
	for (;;) {
		const unsigned char *nul = memchr(q, '\0', (size_t)(end - q));
		if (!nul || nul >= stop || (size_t)(stop - nul) < 1 + GIT_OID_RAWSZ)
			break;
		q = nul + 1 + GIT_OID_RAWSZ;
	}
	*i += (size_t)(q - p);
	*j += (size_t)(q - p);
}

/* One merge pass over two sorted trees. */
static int changes(struct compare *k, struct gittree a, struct gittree b)
{
	struct gittree_entry ea, eb;
	size_t i = 0, j = 0;
	int err = 0;
	while (!err) {
		skip_same(a, b, &i, &j);
		size_t ni = i, nj = j;
		bool ha = entry_next(a, &ni, &ea), hb = entry_next(b, &nj, &eb);
		if (!ha && !hb)
			break;
		int cmp = !ha ? 1 : (!hb ? -1 : entry_cmp(&ea, &eb));
		if (cmp != 0 || !entry_same(&ea, &eb))
			err = changed(k, cmp <= 0 ? &ea : NULL, cmp >= 0 ? &eb : NULL);
		if (cmp <= 0)
			i = ni;
		if (cmp >= 0)
			j = nj;
	}
	return err;
}

int gittree_changes(struct gittree_cache *c, struct gittree a, struct gittree b,
		    struct strbuf *base, const char *skip, gittree_change_fn fn, void *arg)
{
	struct compare k = { c, base, skip, fn, arg };
	if (gittree_same(a, b))
		return 0;
	return changes(&k, a, b);
}
