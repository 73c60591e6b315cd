/*
 * mustache: the template engine (Mustache spec v1.4 core + inheritance).
 *
 * Owns a set of named, compiled templates (a theme's templates/ folder) and
 * renders them against a value tree. It does not read files, pick the
 * template for a page, or build contexts: theme and render do that.
 *
 * Each template is compiled once, when added, into a tree of nodes; syntax
 * errors are reported then, at file:line:col. Rendering walks the tree and
 * never looks at template text again, so its cost is linear in the output
 * (plus the data iterated over). Supported: interpolation ({{x}} escaped with
 * html_escape_text, {{{x}}} and {{&x}} raw), dotted names and the implicit
 * iterator {{.}}, sections, inverted sections, comments, set delimiters,
 * partials {{>name}} (with standalone indentation), parents {{<name}} ...
 * {{/name}} and blocks {{$name}} ... {{/name}}. Not supported: lambdas and
 * dynamic names ({{>*x}}).
 *
 * Names: partials and parents name other templates of the same set; block
 * names are a namespace of their own. A block override given to a parent
 * applies to that parent, to the parents it extends in turn (the outermost
 * override wins) and to the partials they include.
 *
 * Values: null renders as "", booleans as true/false, integers in decimal,
 * floats in their shortest round-tripping form (1.210 -> "1.21"), arrays and
 * tables as "". Falsy (value_truthy): null, false, "", []. A section over an
 * array repeats for each item; over any other truthy value it renders once
 * with that value pushed on the context stack.
 *
 * Invariants: a set owns its templates and their copies of names and file
 * paths; a template that fails to compile is not added.
 */
#ifndef DOSSIER_MUSTACHE_H
#define DOSSIER_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strbuf.h"
#include "value.h"

enum {
	MUSTACHE_MAX_NESTING = 100, /* sections/blocks/parents inside one template */
	MUSTACHE_MAX_DEPTH = 64,    /* partials and parents expanded inside each other */
	MUSTACHE_MAX_ERRORS = 20,   /* syntax errors listed per template, then a count */
};

/* The default limits of one render (a page): the shipped themes' heaviest
 * page of the 10,000-page bench corpus takes 18,729 steps and 280 kB. */
#define MUSTACHE_MAX_STEPS ((size_t)10000000)
#define MUSTACHE_MAX_OUTPUT ((size_t)64 << 20)

/* Guards against runaway templates (deep or exponential recursion). The
 * defaults suit any real site; the fuzz target lowers them. */
struct mustache_limits {
	unsigned max_depth; /* nested partial/parent expansions, <= MUSTACHE_MAX_DEPTH */
	size_t max_steps;   /* nodes visited in one mustache_render call */
	size_t max_output;  /* bytes appended by one mustache_render call */
};

struct mustache_set;

struct mustache_set *mustache_set_new(void);
void mustache_set_free(struct mustache_set *s);
void mustache_set_limits(struct mustache_set *s, const struct mustache_limits *lim);

/* The budget of all renders of the set together (a build's, on any number
 * of threads): steps and bytes of output, counted across renders with
 * atomics, the one state rendering changes in a set. Once either total
 * passes its limit, the render that finds it so, and every later one, fail
 * with "rendering takes more than N steps or M bytes of output in all".
 * Which render that is depends on the threads; whether it happens does not
 * (each render adds all it used, even when it fails). Unlimited until
 * mustache_budget_reset, which must not run beside a render. */
void mustache_budget_reset(const struct mustache_set *s, size_t max_steps,
			   size_t max_output);
bool mustache_budget_exceeded(const struct mustache_set *s);
void mustache_budget_used(const struct mustache_set *s, size_t *steps,
			  size_t *output);

/* Compiles `len` bytes of `src` as template `name` (e.g. "article" for
 * article.mustache); `file` names the source in diagnostics. Syntax errors
 * (unclosed tag, empty tag, bad tag name, bad set-delimiter tag, unclosed
 * section, mismatched closing tag, nesting too deep) are reported as
 * "file:line:col: error: ..." and -1 is returned; the set is then unchanged.
 * At most MUSTACHE_MAX_ERRORS of one template are listed, then one line
 * "and N more errors in this template" at the next one. Adding a name that exists replaces that template. */
int mustache_set_add(struct mustache_set *s, const char *name, const char *src,
		     size_t len, const char *file, struct diag *d);
bool mustache_set_has(const struct mustache_set *s, const char *name);

/* Strict checks for themes: every {{>partial}} and {{<parent}} names a
 * template of the set (error at the tag, with a suggestion), and no
 * template includes itself through partials/parents outside a section
 * ({{#x}} / {{^x}}) or a block default ({{$x}}), which would recurse
 * forever. Returns -1 if anything was reported. */
int mustache_set_check(const struct mustache_set *s, struct diag *d);

enum { MUSTACHE_STRICT = 1 };

/* Renders template `name` with context `ctx` (usually a table; may be NULL),
 * appending to `out`. A missing partial or parent renders as "" (the spec's
 * rule) unless MUSTACHE_STRICT, where it is an error at the tag. Exceeding
 * a limit is an error at the tag or node where it happened. Returns 0, or
 * -1 after reporting (the output is then incomplete). */
int mustache_render(const struct mustache_set *s, const char *name,
		    const struct value *ctx, unsigned flags, struct strbuf *out,
		    struct diag *d);
/* mustache_render with the context stack `ctx[0..n)` (outermost first, none
 * NULL): a name not in ctx[n-1] is looked up in ctx[n-2], and so on, so a
 * part many renders share (a site's chrome) need not be copied into each. */
int mustache_render_stack(const struct mustache_set *s, const char *name,
			  const struct value *const *ctx, size_t n, unsigned flags,
			  struct strbuf *out, struct diag *d);

#endif
