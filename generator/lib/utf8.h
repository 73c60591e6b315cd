/*
 * utf8: the project's one reading and writing of UTF-8.
 *
 * Owns what a well-formed sequence is, decoding one code point, encoding
 * one, finding the first ill-formed byte of a buffer and the character
 * boundaries of a buffer. Does not own what a caller does with a bad byte
 * (the JSON writer writes \ufffd, the matcher a symbol of its own, history
 * U+FFFD, a loader a diagnostic) nor character classes beyond the ones
 * below: the control bytes no content file may hold, what text has a
 * visible character (utf8proc's categories) and when two file names are
 * one on the file systems readers unpack the site on.
 *
 * The rule is the Unicode Standard's (section 3.9, table 3-7; RFC 3629): a
 * sequence is well-formed if it is the shortest encoding of a scalar value,
 * so overlong forms, surrogates (U+D800..U+DFFF) and values above U+10FFFF
 * are rejected. Noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF, ...) are
 * scalar values and decode: Unicode says they are well-formed, JSON and
 * TOML allow them, and a Markdown page holding one is valid UTF-8. The one
 * output that must not carry them is XML (atom.xml), whose Char production
 * excludes U+FFFE and U+FFFF: writers of XML text ask utf8_is_xml_char.
 */
#ifndef DOSSIER_UTF8_H
#define DOSSIER_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define UTF8_MAX 4              /* bytes of the longest sequence */
#define UTF8_VALID ((size_t)-1) /* utf8_invalid: no ill-formed byte */

/* Decodes the sequence at `s` (at most `n` bytes): returns its length
 * (1-4) and stores the code point in `*cp`, or returns 0, leaving `*cp`
 * alone, if n is 0 or the bytes are not a well-formed sequence (a
 * truncated one included). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Writes scalar value `cp` to `out`; returns the length (1-4). */
size_t utf8_encode(uint32_t cp, char out[UTF8_MAX]);
/* Appends scalar value `cp` as UTF-8. */
void utf8_put(struct strbuf *sb, uint32_t cp);
/* Offset of the first byte of `s` that does not start a well-formed
 * sequence, or UTF8_VALID. */
size_t utf8_invalid(const char *s, size_t n);

/* A Unicode scalar value: at most U+10FFFF, not a surrogate. */
bool utf8_is_scalar(uint32_t cp);
/* A Char of XML 1.0: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD,
 * U+10000..U+10FFFF. */
bool utf8_is_xml_char(uint32_t cp);
/* A continuation byte (10xxxxxx), which never starts a character. */
bool utf8_is_cont(unsigned char c);
/* A control byte no reader could see in the published text, which no
 * content file may hold: below U+0020 but tab, LF and CR, and DEL. */
bool utf8_is_control(unsigned char c);
/* Whether s[0, n) holds a character a reader sees: one that is not white
 * space (Unicode categories Zs, Zl, Zp), a control (Cc) or a format
 * character (Cf: U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, U+FEFF, ...).
 * A title or a quoted wording without one would print as nothing. An
 * ill-formed byte counts as seen (it is another check's error). */
bool utf8_has_visible(const char *s, size_t n);
/* The key under which a case-insensitive, normalization-insensitive file
 * system takes a name as the same as another: the NFC form of its Unicode
 * case folding (utf8proc: CASEFOLD, COMPOSE, STABLE). macOS's APFS and
 * HFS+ fold case and normalization, Windows' NTFS and FAT fold case, so
 * "Notes.html" and "notes.html", or "café" in NFC and in NFD, are one file
 * there. Owned by the caller; a name that is not valid UTF-8 is its own
 * key (a copy). */
char *utf8_fold_name(const char *s);
/* Its ASCII name: "NUL", "SOH", ... "US", "DEL". */
const char *utf8_control_name(unsigned char c);
/* Calls fn for the first control byte of each line of s[0, n) (line and
 * column 1-based, counted in bytes), as content files report them; returns
 * how many there were. */
typedef void (*utf8_control_fn)(void *arg, int line, int col, unsigned char c);
size_t utf8_line_controls(const char *s, size_t n, utf8_control_fn fn, void *arg);
/* The largest character boundary at or below `n` in `s` (n no greater than
 * the length of s): where to cut `s` to at most n bytes without splitting
 * a character. */
size_t utf8_floor(const char *s, size_t n);

#endif
