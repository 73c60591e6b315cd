/*
 * generated: the pages of the model that no file of content/ holds, made
 * by load after content/ is read: a list page for each section without an
 * _index.md (the entities section's is the entities index), the home page
 * when content/ has none, and the claims, changes, search, 404 and print
 * pages. They have no source; link fills their lists, render their files.
 */
#ifndef DOSSIER_GENERATED_H
#define DOSSIER_GENERATED_H

#include "diag.h"
#include "site.h"

/* Adds the generated pages and sorts the site's pages (site_sort). */
void generated_add(struct site *s, struct diag *d);

#endif
