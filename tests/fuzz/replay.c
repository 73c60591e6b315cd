/*
 * Replays inputs through a fuzz target once, without libFuzzer, so
 * `make check` can run every committed corpus and regression input with
 * only gcc and its sanitizers: link this with one tests/fuzz/fuzz_*.c and
 * give it files or folders (a folder's files are read in name order).
 * Exits 1 if an input cannot be read; a crash or a sanitizer report ends
 * the process as it would under libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	if (fs_read_file(path, &buf, &len) < 0) {
		fprintf(stderr, "%s: cannot read\n", path);
		return -1;
	}
	/* An exact-size copy, so ASan sees reads past the input's end. */
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return 0;
}

int main(int argc, char **argv)
{
	size_t runs = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: no such file or folder\n", argv[i]);
			rc = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i]) < 0;
			runs++;
			continue;
		}
		char **names = NULL;
		size_t n = 0;
		if (fs_list_dir(argv[i], &names, &n) < 0) {
			fprintf(stderr, "%s: cannot list\n", argv[i]);
			rc = 1;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if (names[k][0] == '.')
				continue;
			char *path = fs_join(argv[i], names[k]);
			rc |= run_file(path) < 0;
			runs++;
			free(path);
		}
		fs_free_list(names, n);
	}
	printf("%s: %zu inputs replayed\n", argv[0], runs);
	return rc;
}
