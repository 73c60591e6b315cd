/*
 * dump: the linked site model as JSON (`dossier build --dump-model`).
 *
 * Owns one view of the model for tests and for reading: every page (its
 * paths, kind, title, headings with their ids, numbered blocks with what
 * cites them, annotations, claims with their statuses and independent
 * counts, relations, shared wording, history), every entity with its
 * mentions, the assets and the external links. It only reads the model.
 *
 * Deterministic by construction: pages in output-path order, everything
 * else in the model's own (sorted) order; pages are named by their output
 * path, never by an address; paths are relative to content/ or the output
 * root; no times but the commits' own. So a change to loading or linking
 * shows as a diff of the files in tests/golden/model/.
 */
#ifndef DOSSIER_DUMP_H
#define DOSSIER_DUMP_H

#include <stdio.h>

#include "site.h"
#include "value.h"

/* The model of `s` as a value tree (owned by the caller). */
struct value *model_dump(const struct site *s);
/* Writes model_dump(s) to `f` as indented JSON and a newline; -1 when the
 * write fails (errno set). */
int model_dump_write(const struct site *s, FILE *f);

#endif
