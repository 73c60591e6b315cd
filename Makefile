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
PKGS    := libcmark-gfm libsass libgit2 libcurl libutf8proc yaml-0.1 libzip libcrypto
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
# The release binary's allocator: jemalloc (issue 13: at 10,000 pages 7%
# less wall time on 2 threads, 13% on one, than glibc's malloc; with the
# trees' nodes from lib/nodepool.c, a lower peak RSS too; README,
# Performance). `make ALLOC_LIBS=` links glibc's. The
# sanitizer and fuzzing builds keep their own allocators, the unit tests
# glibc's.
ALLOC_LIBS = $(shell pkg-config --libs jemalloc)

# generator/<phase>/<module>.c (generator/README.md): lib model load link
# render cmd. Every folder is on the include path, so a module includes
# "x.h" whatever folder x lives in.
DIRS    := lib model load link render cmd
INC     := $(DIRS:%=-iquote generator/%)
SRC     := $(sort $(filter-out generator/cmd/main.c,$(foreach d,$(DIRS),$(wildcard generator/$(d)/*.c))))
OBJ     := $(SRC:generator/%.c=build/obj/%.o)
ASANOBJ := $(SRC:generator/%.c=build/asan/obj/%.o)
TSANOBJ := $(SRC:generator/%.c=build/tsan/obj/%.o)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
# The sanitizer builds are clang's: its UBSan also stops at an offset
# applied to a null pointer, which gcc's lets pass (two such were found in
# the history and mention code only when the fuzzers, built by clang, ran).
ASAN_CC := clang

.PHONY: all check site deps deps-build install fuzz bench format format-check clean unit asan tsan \
        conformance e2e browser toml-test mustache-test gfm-test history-test lint data-test archive-test golden fuzz-replay \
        arch

all: build/dossier build/toml-decoder build/mustache-spec

site: deps-build
	@$(MAKE) --no-print-directory all
	./build/dossier build $(if $(BASE_URL),--base-url "$(BASE_URL)")

check: deps
	@$(MAKE) --no-print-directory all build/unit-tests build/asan/unit-tests build/import-check \
		build/asan/dossier build/asan/history-dump build/fault/shim.so build/tsan/dossier
	@$(MAKE) --no-print-directory arch format-check unit golden conformance e2e history-test asan tsan fuzz-replay lint data-test browser archive-test

# --- dependencies ---------------------------------------------------------
# Debian packages the build and the tests need; `make deps` installs the
# missing ones (as root) or prints the exact command.
DEBS := gcc make pkg-config git curl python3 libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm \
        libutf8proc-dev libsass-dev libgit2-dev libyaml-dev libzip-dev libcriterion-dev libmicrohttpd-dev \
        libcurl4-openssl-dev libssl-dev chromium nodejs npm default-jre-headless libxml2-utils unzip \
        clang libclang-rt-14-dev libstemmer-dev clang-format libjemalloc-dev
deps:
	@sh tests/deps.sh $(DEBS)

# What building the generator and the site needs (make site, publishing).
BUILD_DEBS := gcc make pkg-config git libcmark-gfm-dev libcmark-gfm-extensions-dev libutf8proc-dev libstemmer-dev \
              libsass-dev libgit2-dev libyaml-dev libzip-dev libmicrohttpd-dev libcurl4-openssl-dev libssl-dev \
              libjemalloc-dev
deps-build:
	@sh tests/deps.sh $(BUILD_DEBS)

# --- the generator --------------------------------------------------------
build/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(PKG_CFLAGS) $(INC) -MMD -MP -c $< -o $@

# `dossier init` writes these files (source:name in the new site), compiled
# into the binary so an installed dossier needs no data files for it.
SKEL := generator/cmd/skel/site.toml:site.toml generator/cmd/skel/gitignore:.gitignore \
        $(foreach f,_index.md about.md articles/example-article.txt topics/example-topic.md \
          entities/example-labs.md entities/jane-analyst.md,generator/cmd/skel/content/$(f):content/$(f)) \
        generator/cmd/skel/pull-request.yml:.github/workflows/pull-request.yml \
        generator/cmd/skel/publish.yml:.github/workflows/publish.yml \
        .github/dossier-matcher.json:.github/dossier-matcher.json

build/skel.c: generator/cmd/embed.awk $(foreach f,$(SKEL),$(firstword $(subst :, ,$(f))))
	@mkdir -p $(@D)
	LC_ALL=C awk -f generator/cmd/embed.awk $(SKEL) > $@.tmp && mv $@.tmp $@

build/obj/skel.o: build/skel.c
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -c $< -o $@

build/asan/obj/skel.o: build/skel.c
	@mkdir -p $(@D)
	$(ASAN_CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(INC) -c $< -o $@

build/libdossier.a: $(OBJ) build/obj/skel.o
	@rm -f $@
	ar rcs $@ $^

build/dossier: build/obj/cmd/main.o build/libdossier.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(ALLOC_LIBS) $(LDFLAGS)

build/toml-decoder: tests/conformance/toml_decoder.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -o $@ $^ $(PKG_LIBS)

build/import-check: tests/golden/import_check.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(PKG_CFLAGS) $(INC) -o $@ $^ $(PKG_LIBS)

build/mustache-spec: tests/conformance/mustache_spec.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -o $@ $^ $(PKG_LIBS)

# --- tests ----------------------------------------------------------------
# The fault-injection shim (LD_PRELOAD) of tests/e2e/fault.sh.
build/fault/shim.so: tests/fault/shim.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -O2 -g -fPIC -shared -o $@ $< -ldl

build/unit-tests: $(UNIT) tests/unit/unit_site.h build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(PKG_CFLAGS) $(INC) -o $@ \
		$(UNIT) build/libdossier.a $(PKG_LIBS) $(CRIT_LIBS)

build/asan/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(ASAN_CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(PKG_CFLAGS) $(INC) -MMD -MP -c $< -o $@

build/asan/libdossier.a: $(ASANOBJ) build/asan/obj/skel.o
	@rm -f $@
	ar rcs $@ $^

build/asan/dossier: build/asan/obj/cmd/main.o build/asan/libdossier.a
	$(ASAN_CC) -O1 -g $(SANITIZE) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/asan/history-dump: tests/history/history_dump.c build/asan/libdossier.a
	$(ASAN_CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(INC) -o $@ $^ $(PKG_LIBS)

build/asan/unit-tests: $(UNIT) tests/unit/unit_site.h build/asan/libdossier.a
	$(ASAN_CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(PKG_CFLAGS) $(INC) \
		-o $@ $(UNIT) build/asan/libdossier.a $(PKG_LIBS) $(CRIT_LIBS)

# ThreadSanitizer (clang): the build's threads (workq.h) on the dossier and
# the fixtures (tests/tsan.sh); any report fails.
TSAN := -fsanitize=thread -fno-omit-frame-pointer
build/tsan/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	clang $(WARN) -O1 -g $(TSAN) $(DEFS) $(PKG_CFLAGS) $(INC) -MMD -MP -c $< -o $@

build/tsan/obj/skel.o: build/skel.c
	@mkdir -p $(@D)
	clang $(WARN) -O1 -g $(TSAN) $(DEFS) $(INC) -c $< -o $@

build/tsan/libdossier.a: $(TSANOBJ) build/tsan/obj/skel.o
	@rm -f $@
	ar rcs $@ $^

build/tsan/dossier: build/tsan/obj/cmd/main.o build/tsan/libdossier.a
	clang -O1 -g $(TSAN) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

tsan: build/tsan/dossier build/gen-site
	@sh tests/tsan.sh

unit: build/unit-tests
	./build/unit-tests --jobs 2

golden: build/dossier build/import-check build/gen-site
	@sh tests/golden/run.sh

# The sanitizers on the unit tests, then on the real binary: every e2e suite,
# the history tests, the project's dossier and every fixture site in safe and
# unsafe Markdown mode (tests/asan.sh); any report fails.
asan: build/asan/unit-tests build/asan/dossier build/asan/history-dump build/fault/shim.so build/gen-site
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
		./build/asan/unit-tests --jobs 2
	@SHARED=$(SHARED) sh tests/asan.sh

conformance: toml-test mustache-test gfm-test

toml-test: build/toml-decoder
	@sh tests/conformance/toml-test.sh $(SHARED)
	@python3 tests/conformance/toml_random.py build/toml-decoder $${TOML_RANDOM:-5000} $${TOML_SEED:-1}

mustache-test: build/mustache-spec
	@sh tests/conformance/mustache-test.sh $(SHARED)

gfm-test: build/dossier
	@sh tests/conformance/gfm-test.sh $(SHARED)

e2e: build/dossier build/fault/shim.so
	@st=0; for f in $(filter-out tests/e2e/lib%,$(wildcard tests/e2e/*.sh)); do sh $$f || st=1; done; exit $$st

lint:
	@sh tests/lint/run.sh

# The include rules of generator/README.md: no cycle among modules, each
# phase includes only the phases below it (tests/lint/arch.py), and the
# checker's own tests on small trees.
arch:
	@python3 tests/lint/arch.py
	@sh tests/lint/arch-test.sh

data-test: build/dossier
	@sh tests/data/run.sh $(SHARED)

history-test: build/bench/history-dump
	@sh tests/history/run.sh

# Helpers of the browser tests: the generator's search terms of text files
# (compared with search.js) and the benchmark corpus generator.
build/search-terms: tests/browser/search_terms.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -o $@ $^ $(PKG_LIBS)

build/gen-corpus: tests/bench/gen_corpus.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -o $@ $^ $(PKG_LIBS)

# The scale benchmark (issue 13): its corpus generator (a git fast-import
# stream, tests/bench/gen_site.c) and history_load timed alone.
build/gen-site: tests/bench/gen_site.c tests/bench/gen_corpus.c build/libdossier.a
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -o $@ $< build/libdossier.a $(PKG_LIBS)

build/bench/history-dump: tests/history/history_dump.c build/libdossier.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(DEFS) $(INC) -o $@ $^ $(PKG_LIBS)

browser: build/dossier build/search-terms build/gen-corpus
	@sh tests/browser/run.sh

archive-test: build/dossier
	@sh tests/browser/archive.sh

# BENCH_N="1000" for a quick run; BENCH_ALL=1 adds the older benchmarks.
bench: build/dossier build/gen-site build/bench/history-dump
	@sh tests/bench/run.sh

# libFuzzer targets (clang), one per parser of untrusted input; `make fuzz`
# runs each for FUZZ_SECONDS (default 20) on its corpus and fails on the
# first crash. New inputs go to build/fuzz/corpus/<target>, not the tree.
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZERS    := $(FUZZ_NAMES:%=build/fuzz/%)
REPLAYERS  := $(FUZZ_NAMES:%=build/asan/fuzz/%)
FUZZOBJ    := $(SRC:generator/%.c=build/fuzz/obj/%.o)
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined
fuzz: $(FUZZERS)
	@for n in $(FUZZ_NAMES); do echo "== $$n"; \
		mkdir -p build/fuzz/corpus/$$n; \
		nice ./build/fuzz/$$n -max_total_time=$${FUZZ_SECONDS:-20} -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 \
			build/fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

build/fuzz/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(DEFS) $(PKG_CFLAGS) $(INC) -MMD -MP -c $< -o $@

build/fuzz/libdossier.a: $(FUZZOBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_site.h build/fuzz/libdossier.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(DEFS) $(PKG_CFLAGS) $(INC) \
		-o $@ $< build/fuzz/libdossier.a $(PKG_LIBS)

# The same targets without libFuzzer (the ASan + UBSan build): `make
# fuzz-replay` (part of `make check`) runs each once over its committed
# corpus and its regression inputs (tests/fuzz/regress/<target>, the crashes
# found).
build/asan/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz_site.h build/asan/libdossier.a
	@mkdir -p $(@D)
	$(ASAN_CC) $(WARN) -O1 -g $(SANITIZE) $(DEFS) $(PKG_CFLAGS) $(INC) -o $@ \
		$< tests/fuzz/replay.c build/asan/libdossier.a $(PKG_LIBS)

fuzz-replay: $(REPLAYERS)
	@for n in $(FUZZ_NAMES); do \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		./build/asan/fuzz/$$n tests/fuzz/corpus/$$n \
			$$(test -d tests/fuzz/regress/$$n && echo tests/fuzz/regress/$$n) || exit 1; done

# --- housekeeping ---------------------------------------------------------
install: build/dossier
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes
	install -m 755 build/dossier $(DESTDIR)$(BINDIR)/dossier
	install -m 644 doc/dossier.1 $(DESTDIR)$(MANDIR)/man1/dossier.1
	cp -R themes/. $(DESTDIR)$(DATADIR)/themes/

# The C sources clang-format keeps in the repository's style (.clang-format):
# every module and every C file of the tests.
FORMAT_SRC := $(sort $(wildcard generator/*/*.c generator/*/*.h tests/*/*.c tests/*/*.h))

# Initializers with several elements a line lose their trailing comma first
# (tests/lint/format-rows.py), so clang-format keeps their rows.
format:
	@python3 tests/lint/format-rows.py $(FORMAT_SRC)
	@clang-format -i $(FORMAT_SRC) && echo "format: $(words $(FORMAT_SRC)) files formatted (.clang-format)"

format-check:
	@sh tests/lint/format-test.sh
	@clang-format --dry-run -Werror $(FORMAT_SRC) && echo "format-check: $(words $(FORMAT_SRC)) files as .clang-format writes them"

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASANOBJ:.o=.d) $(TSANOBJ:.o=.d) build/tsan/obj/cmd/main.d $(FUZZOBJ:.o=.d) build/obj/cmd/main.d build/asan/obj/cmd/main.d
