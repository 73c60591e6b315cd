/*
 * archive: the built site as a zip, for reading offline.
 *
 * Owns `dossier build --archive NAME.zip`: every file of a rendered output
 * folder, in sorted order under one top folder (the archive's stem), with
 * fixed times and modes, so the same site gives the same bytes. Uses
 * Debian's libzip. The site's links are all relative, so its index.html
 * works wherever the zip is unpacked.
 */
#ifndef DOSSIER_ARCHIVE_H
#define DOSSIER_ARCHIVE_H

#include <stdbool.h>

#include "diag.h"

/* True when `name` is a plain file name ending in ".zip". */
bool archive_name_ok(const char *name);

/* Zips the files below `dir` into `dir`/`name`, each as "<stem>/<path>",
 * leaving out `name` itself and the files `skip` names (NULL-terminated).
 * Returns the archive's size in bytes, or -1 after a diagnostic. */
long archive_write(const char *dir, const char *name, const char *const *skip, struct diag *d);

#endif
