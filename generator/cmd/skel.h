/*
 * skel: the files `dossier init` writes, compiled into the binary.
 *
 * build/skel.c is generated from generator/skel/ (and the repository's
 * problem matcher) by generator/embed.awk; the Makefile's SKEL list says
 * which file becomes which path of the new site. The table ends with a
 * { NULL, NULL } entry.
 */
#ifndef DOSSIER_SKEL_H
#define DOSSIER_SKEL_H

struct skel_file {
	const char *path; /* relative to the new site's folder */
	const char *text;
};

extern const struct skel_file skel_files[];

#endif
