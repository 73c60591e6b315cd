# dossier: a static site generator for annotated dossiers.
#
#   make site    install missing Debian packages, build the generator and the
#                dossier into public/
#   make check   install missing packages, then run every test
#
# Other targets: all deps install fuzz bench format clean (see README.md).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/dossier
DESTDIR ?=
SHARED  ?= ../shared

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := libcmark-gfm libsass libgit2 libcurl
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wimplicit-fallthrough
VERSION := 0.1.0
DEFS    := -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 \
           -DDOSSIER_VERSION='"$(VERSION)"' -DDOSSIER_DATADIR='"$(DATADIR)"'

# Evaluated when a recipe runs, after `deps` has installed pkg-config.
# libstemmer (Snowball, Debian's libstemmer-dev) has no pkg-config file.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lmicrohttpd -lstemmer
CRIT_LIBS  = $(shell pkg-config --libs criterion)

SRC     := $(sort $(filter-out generator/main.c,$(wildcard generator/*.c)))
OBJ     := $(SRC:generator/%.c=build/obj/%.o)
ASANOBJ := $(SRC:generator/%.c=build/asan/obj/%.o)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined

.PHONY: all check site deps install fuzz bench format clean unit asan \
        conformance e2e browser toml-test mustache-test history-test

all: build/dossier build/toml-decoder build/mustache-spec

site: deps
	@$(MAKE) --no-print-directory all
	./build/dossier build

check: deps
	@$(MAKE) --no-print-directory all build/unit-tests build/asan/unit-tests
	@$(MAKE) --no-print-directory unit conformance e2e history-test asan browser

# --- dependencies ---------------------------------------------------------
# Debian packages the build and the tests need; `make deps` installs the
# missing ones (as root) or prints the exact command.
DEBS := gcc make pkg-config git curl python3 libcmark-gfm-dev libcmark-gfm-extensions-dev \
        libsass-dev libgit2-dev libcriterion-dev libmicrohttpd-dev libcurl4-openssl-dev \
        libstemmer-dev chromium nodejs npm default-jre-headless
deps:
	@sh tests/deps.sh $(DEBS)

# --- the generator --------------------------------------------------------
build/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/libdossier.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

build/dossier: build/obj/main.o build/libdossier.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/toml-decoder: tests/conformance/toml_decoder.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -Igenerator -o $@ $^ $(PKG_LIBS)

build/mustache-spec: tests/conformance/mustache_spec.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -Igenerator -o $@ $^ $(PKG_LIBS)

# --- tests ----------------------------------------------------------------
build/unit-tests: $(UNIT) build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(PKG_CFLAGS) -Igenerator -o $@ \
		$(UNIT) build/libdossier.a $(PKG_LIBS) $(CRIT_LIBS)

build/asan/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

build/asan/libdossier.a: $(ASANOBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/unit-tests: $(UNIT) build/asan/libdossier.a
	$(CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(PKG_CFLAGS) -Igenerator \
		-o $@ $(UNIT) build/asan/libdossier.a $(PKG_LIBS) $(CRIT_LIBS)

unit: build/unit-tests
	./build/unit-tests --jobs 2

asan: build/asan/unit-tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		./build/asan/unit-tests --jobs 2

conformance: toml-test mustache-test

toml-test: build/toml-decoder
	@sh tests/conformance/toml-test.sh $(SHARED)

mustache-test: build/mustache-spec
	@sh tests/conformance/mustache-test.sh $(SHARED)

e2e: build/dossier
	@sh tests/e2e/run.sh
	@sh tests/e2e/check.sh
	@sh tests/e2e/serve.sh

history-test: build/libdossier.a
	@sh tests/history/run.sh

# Helpers of the browser tests: the generator's search terms of text files
# (compared with search.js) and the benchmark corpus generator.
build/search-terms: tests/browser/search_terms.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -Igenerator -o $@ $^ $(PKG_LIBS)

build/gen-corpus: tests/bench/gen_corpus.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -Igenerator -o $@ $^ $(PKG_LIBS)

browser: build/dossier build/search-terms build/gen-corpus
	@sh tests/browser/run.sh

bench: build/dossier
	@sh tests/bench/run.sh

FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do echo "== $$f"; n=$$(basename $$f); \
		mkdir -p build/fuzz/corpus/$$n; \
		$$f -max_total_time=$${FUZZ_SECONDS:-30} build/fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

build/fuzz/%: tests/fuzz/%.c $(SRC)
	@mkdir -p $(@D)
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) \
		$(PKG_CFLAGS) -Igenerator -o $@ $< $(SRC) $(PKG_LIBS)

# --- housekeeping ---------------------------------------------------------
install: build/dossier
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes
	install -m 755 build/dossier $(DESTDIR)$(BINDIR)/dossier
	install -m 644 doc/dossier.1 $(DESTDIR)$(MANDIR)/man1/dossier.1
	cp -R themes/. $(DESTDIR)$(DATADIR)/themes/

format:
	clang-format -i generator/*.c generator/*.h tests/unit/*.c tests/conformance/*.c

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASANOBJ:.o=.d) build/obj/main.d
