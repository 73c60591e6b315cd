/*
 * convert: content written for Hugo or mdBook -> a dossier content/ folder.
 *
 * Owns `dossier import --from hugo|mdbook SRC -o OUT`. It reads the other
 * tool's layout, writes a new content folder (never into one that has
 * files, never overwriting), and reports every loss as a warning at
 * file:line:col, so nothing is silently dropped or printed as text:
 *
 * Hugo (SRC is a content/ folder or a site holding one): TOML, YAML or JSON
 * front matter becomes TOML; title, description, date, draft, weight and
 * slug carry over, `aliases` becomes `redirect_from` ("/old/" ->
 * "old/index.html"), `summary` a missing `description`; other keys are
 * reported and left out. A leaf bundle's index.md becomes the folder's
 * _index.md, so its URL and its resources' relative links stay. {{< ref >}}
 * and {{< relref >}} become relative links to the source file; every other
 * shortcode is reported and removed (a paired one keeps its inner text);
 * Hugo's escape, a shortcode whose inside is wrapped in C comment marks,
 * becomes the literal shortcode text.
 *
 * mdBook (SRC is a book, with book.toml, or its src/): SUMMARY.md gives the
 * pages and their order (weight 10, 20, …); a chapter's leading "# Title"
 * becomes its title (else SUMMARY's name); README.md (or index.md) becomes
 * _index.md, and links to it follow; {{#include}}, {{#rustdoc_include}},
 * {{#playground}} and {{#title}} are reported and removed; draft chapters
 * and files SUMMARY.md does not list are reported and skipped.
 *
 * Other files (images, data) are copied as they are. Symbolic links are
 * reported and not followed.
 */
#ifndef DOSSIER_CONVERT_H
#define DOSSIER_CONVERT_H

#include "diag.h"

struct convert_stats {
	int pages, files;
};

/* `tool` is "hugo" or "mdbook". Returns 0 (warnings may have been
 * reported), -1 after an error, -2 for an unknown tool. */
int convert_run(const char *tool, const char *src, const char *out, struct convert_stats *st,
		struct diag *d);

#endif
