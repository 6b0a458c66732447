# logcause — plain GNU make.  `make`, `make check`, `make asan`, `make demo`,
# `make install PREFIX=… DESTDIR=…`.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(PREFIX)/share/man
PKGDATADIR = $(DATADIR)/logcause

CC      ?= cc
# -O3: the scanning loops (masking, the prefilter, parsing) gain 3-5% over
# -O2 on the bench log.  A distribution's own CFLAGS replace it.
CFLAGS  ?= -O3 -g
PKG_CONFIG ?= pkg-config

# The project's own flags live apart from CFLAGS so a user's CFLAGS can change
# optimisation but never switch off the warnings.
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla
LC_CPPFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Isrc \
           -DLOGCAUSE_PATTERN_DIR='"$(PKGDATADIR)/patterns"' \
           $(shell $(PKG_CONFIG) --cflags libpcre2-8 libzstd zlib liblzma)
LIBS    := $(shell $(PKG_CONFIG) --libs libpcre2-8 libzstd zlib liblzma) -lbz2 -lm -pthread
# ISA-L's igzip inflates .gz several times faster than zlib (see
# src/decode.c); used when pkg-config or its header finds it.  `make ISAL=0`
# builds the portable zlib path, in a build folder of its own.
ifndef ISAL
ISAL := $(shell $(PKG_CONFIG) --exists libisal 2>/dev/null && echo 1 || \
	{ test -f /usr/include/isa-l/igzip_lib.h && echo 1 || echo 0; })
endif
ifeq ($(ISAL),1)
LC_CPPFLAGS += -DLOGCAUSE_ISAL $(shell $(PKG_CONFIG) --cflags libisal 2>/dev/null)
LIBS    += $(or $(shell $(PKG_CONFIG) --libs libisal 2>/dev/null),-lisal)
endif
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check)

# One build folder per variant so a sanitizer build never mixes with a plain one.
VARIANT ?= normal
BUILD   := build/$(VARIANT)$(if $(filter 0,$(ISAL)),-zlib)
ifeq ($(VARIANT),asan)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CFLAGS   := -O1 -g
endif
ifeq ($(VARIANT),tsan)
SANFLAGS := -fsanitize=thread
CFLAGS   := -O1 -g
endif

SRC_LIB := $(filter-out src/main.c,$(wildcard src/*.c))
OBJ_LIB := $(SRC_LIB:src/%.c=$(BUILD)/%.o)
OBJ_MAIN := $(BUILD)/main.o
TEST_SRC := $(wildcard tests/*.c)
OBJ_TEST := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
BIN      := $(BUILD)/logcause
TESTBIN  := $(BUILD)/check_logcause

.PHONY: all check check-both asan tsan valgrind bench fuzz demo install uninstall clean

all: logcause

# The normal build's binary is copied to the top so `./logcause` works; a
# sanitizer build stays in its own folder.
logcause: $(BIN)
	cp $(BIN) $@

$(BIN): $(OBJ_MAIN) $(OBJ_LIB)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(TESTBIN): $(OBJ_TEST) $(OBJ_LIB)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(LC_CPPFLAGS) $(WARN) $(CFLAGS) $(SANFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(LC_CPPFLAGS) $(CHECK_CFLAGS) $(WARN) -Wno-missing-prototypes -Wno-missing-field-initializers $(CFLAGS) $(SANFLAGS) -MMD -MP -c -o $@ $<

# The Check runner goes last so that its summary line ends the output.  It
# runs the CLI cases too, against the binary of the same variant.
check: $(BIN) $(TESTBIN) $(BUILD)/genpair $(if $(filter build/normal,$(BUILD)),logcause)
	$(BIN) --check-patterns --no-default-patterns -p patterns/
	mandoc -Tlint -Wwarning man/logcause.1 man/logcause.rules.5
	tests/html/check-html.sh $(BIN) $(BUILD)/html
	LOGCAUSE_BIN=$(BIN) LOGCAUSE_GENPAIR=$(BUILD)/genpair $(if $(SANFLAGS),LOGCAUSE_SANITIZED=1) $(TESTBIN)

# The paired-log generator the join suite scores against (bench/README.md).
$(BUILD)/genpair: bench/genpair.c bench/gen_common.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ bench/genpair.c

asan:
	$(MAKE) VARIANT=asan check

# The reading and counting threads under ThreadSanitizer (tests/tsan.sh).
tsan: logcause
	$(MAKE) VARIANT=tsan build/tsan/logcause
	tests/tsan.sh build/tsan/logcause ./logcause build/tsan/work

# Both gzip paths: the ISA-L build (when ISA-L is there) and the portable
# zlib one, each with the whole suite.
check-both: check
	$(MAKE) ISAL=0 check

# Side by side with ripgrep, zstd and gzip on generated logs (not in check).
BENCH_SIZE ?= 1G
bench: logcause
	bench/run.sh ./logcause $(BENCH_SIZE)

# The end-to-end cases that reach every codec and error path, under
# valgrind: any memory error or leak fails.
VALGRIND := LOGCAUSE_NO_JIT=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
valgrind: logcause
	@set -e; for args in "testdata/nginx/error.log.gz testdata/nginx/error.log.zst testdata/nginx/error.log.xz testdata/nginx/error.log.bz2" \
	    "testdata/bad/truncated.log.gz testdata/bad/corrupt.log.zst testdata/bad/odd-bytes.log no-such.log" \
	    "-o json testdata/demo/" "-o markdown testdata/python testdata/java testdata/json testdata/syslog" \
	    "--events testdata/php-fpm testdata/rails testdata/go testdata/access" \
	    "--rule-stats testdata/apache" "--since 5m --fail-on any testdata/multi" \
	    "--suggest testdata/demo" "merge -o html tests/cli/nginx.json tests/cli/nginx.json" \
	    "diff -o markdown tests/cli/nginx.json tests/cli/nginx.json" \
	    "-o json testdata/join/" "--events --join-window 10s testdata/join/error.log --access testdata/join/access.log" ; do \
		echo "valgrind logcause $$args"; \
		$(VALGRIND) ./logcause $$args >/dev/null 2>&1 || [ $$? -le 2 ]; \
	done; \
	$(VALGRIND) ./logcause --check-patterns >/dev/null 2>&1; \
	mkdir -p build; for i in 1 2 3 4 5 6 7 8; do cat testdata/demo/error.log testdata/java/app.log \
	    testdata/python/app.log; done > build/valgrind-batches.log; \
	for mode in 2 reader-fresh; do \
		echo "valgrind LOGCAUSE_THREADS=$$mode logcause --events (5,000 lines, several batches)"; \
		LOGCAUSE_THREADS=$$mode $(VALGRIND) ./logcause --events build/valgrind-batches.log >/dev/null 2>&1; \
	done; \
	echo "valgrind: no memory errors, no leaks"

# libFuzzer targets (clang), each run for FUZZ_SECONDS with its seed corpus
# in tests/fuzz/corpus/; what they find lands in build/fuzz/ as crash-*.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := decode records rules template prefilter jsonr join
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ     := $(SRC_LIB:src/%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(LC_CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# Kept between runs: make would delete them as intermediates.
.SECONDARY: $(FUZZ_OBJ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(LC_CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $(filter %.c %.o,$^) $(LIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus-$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		( cd build/fuzz && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			corpus-$$t ../../tests/fuzz/corpus/$$t ) 2>&1 | \
			grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)" || true; \
		if find build/fuzz -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | grep -q .; then \
			echo "fuzz: $$t found a failure: build/fuzz/"; exit 1; fi; \
	done

demo: logcause
	./logcause testdata/demo/

install: logcause
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGDATADIR)/patterns $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 logcause $(DESTDIR)$(BINDIR)/logcause
	install -m 644 patterns/*.rules $(DESTDIR)$(PKGDATADIR)/patterns/
	install -m 644 man/logcause.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/logcause.rules.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/logcause $(DESTDIR)$(MANDIR)/man1/logcause.1 \
	      $(DESTDIR)$(MANDIR)/man5/logcause.rules.5
	rm -rf $(DESTDIR)$(PKGDATADIR)

clean:
	rm -rf build logcause

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d build/fuzz/obj/*.d build/fuzz/*.d)
