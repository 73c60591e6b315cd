/*
 * utf8: decoding and encoding one UTF-8 sequence.
 *
 * Owns what counts as valid UTF-8 for the JSON and TOML parsers and for
 * diagnostics: overlong forms, surrogates and values above U+10FFFF are
 * not. It knows nothing of JSON, TOML or diagnostics, so every module may
 * use it.
 */
#ifndef DOSSIER_UTF8_H
#define DOSSIER_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Decodes the UTF-8 sequence at `s` (at most `n` bytes): returns its length
 * (1-4) and stores the code point in `*cp`, or returns 0 if the bytes are not
 * valid UTF-8 (overlong forms, surrogates and values above U+10FFFF are not). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Appends code point `cp` (a Unicode scalar value) as UTF-8. */
void utf8_encode(struct strbuf *sb, uint32_t cp);

#endif
