/*
 * scaffold: `dossier new`.
 *
 * Owns creating a new content file from its section's front-matter
 * template: content/_templates/<kind>.md in the site, else the theme's
 * themes/<theme>/archetypes/<kind>.md, else a built-in minimal header
 * ({{title}} and {{seed}} filled in, TOML-escaped). The slug comes from
 * the name (lowercase ASCII letters and digits joined by '-'); an existing
 * file is never overwritten.
 */
#ifndef DOSSIER_SCAFFOLD_H
#define DOSSIER_SCAFFOLD_H

#include "diag.h"

/* Returns 0 with *path (owned) set, -1 on a reported error, -2 when the
 * kind is not one of article, topic, entity. `from` (articles only, may be
 * NULL) is a text file copied verbatim below the header; the template's
 * {{seed}} becomes its file name. */
int scaffold_new(const char *dir, const char *theme, const char *kind, const char *name,
		 const char *from, char **path, struct diag *d);

#endif
