/*
 * init: `dossier init [DIR]`, a new dossier site from nothing.
 *
 * Owns writing skel.h's files into DIR: site.toml with every key commented,
 * a home page, an about page, an example article with two annotations, a
 * topic with a claim and citations, two entities, .gitignore, and the
 * pull-request and publishing workflows with the problem matcher. The theme
 * is not copied: site.toml names "dossier", which an installed binary finds
 * in its share folder.
 *
 * It refuses a folder that is not empty, naming what is in it, unless
 * `force`; even then it never overwrites or follows anything that exists:
 * each file is created with O_EXCL | O_NOFOLLOW, and an existing one is
 * kept and reported as a note.
 */
#ifndef DOSSIER_INIT_H
#define DOSSIER_INIT_H

#include <stdbool.h>

#include "diag.h"

/* Returns the number of files written (>= 0), or -1 after a diagnostic. */
int init_site(const char *dir, bool force, struct diag *d);

#endif
