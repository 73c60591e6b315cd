/*
 * libFuzzer target for the JSON module alone (json_parse, json_write).
 *
 * Invariants: json_parse() returns a tree exactly when no error was
 * reported, and an error has a line and column; a parsed tree written out
 * (plain, pretty and TOML-tagged) parses back without error, and writing
 * the re-parsed tree gives the same bytes (the writer is a fixed point).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct value *parse(const char *s, size_t n, bool must)
{
	struct diag d;
	diag_init(&d);
	struct value *v = json_parse(s, n, "<fuzz>", &d);
	if ((v != NULL) != (d.errors == 0) || (must && !v))
		abort();
	for (size_t i = 0; i < d.n; i++)
		if (d.items[i].line < 1 || d.items[i].col < 1)
			abort();
	diag_free(&d);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct value *v = parse((const char *)data, size, false);
	if (!v)
		return 0;
	static const unsigned modes[] = { 0, JSON_PRETTY, JSON_TOML_TAGGED };
	for (size_t m = 0; m < 3; m++) {
		struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
		json_write(&one, v, modes[m]);
		struct value *back = parse(one.ptr, one.size, true);
		if (modes[m] != JSON_TOML_TAGGED) {
			json_write(&two, back, modes[m]);
			if (one.size != two.size || memcmp(one.ptr, two.ptr, one.size))
				abort();
		}
		value_free(back);
		sb_free(&one);
		sb_free(&two);
	}
	value_free(v);
	return 0;
}
