# baocao — one Makefile.  `make build=release|debug|sanitize|fuzz`, objects in build/$(build)/.
#
# The first thing every user-facing target does is `deps`: tools/deps.sh installs the Debian
# packages that are missing (apt-get, non-interactive), so that on a fresh Debian 12 machine
# `make run` and `make test` are the only commands anybody types.  pkg-config is asked only
# after that, through memoised recursive variables (expanded on first use, not at parse time).

build   ?= release
SHARED  ?= ../shared
OUT     := build/$(build)
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

PKGS    := libutf8proc libcmark-gfm libxml-2.0 yaml-0.1 freetype2 libcjson
PKGS    += nettle  # SHA-256 for build.c (tools/deps.d/build.txt)
# libcsv, libhpdf and the cmark-gfm extensions ship no .pc file in Debian 12.
NOPC_LIBS := -lcmark-gfm-extensions -lcsv -lhpdf -lm -lpthread

memo = $(eval $1 := $$(shell $2))$($1)
PKG_CFLAGS = $(call memo,PKG_CFLAGS,pkg-config --cflags $(PKGS))
PKG_LIBS   = $(call memo,PKG_LIBS,pkg-config --libs $(PKGS))
TEST_CFLAGS = $(call memo,TEST_CFLAGS,pkg-config --cflags cmocka)
TEST_LIBS   = $(call memo,TEST_LIBS,pkg-config --libs cmocka)

WARN := -Wall -Wextra -Werror -Wshadow -Wwrite-strings -Wstrict-prototypes -Wmissing-prototypes
STD  := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DBAOCAO_VERSION='"$(VERSION)"'

ifeq ($(build),release)
  CC := gcc
  OPT := -O2 -g
else ifeq ($(build),debug)
  CC := gcc
  OPT := -O0 -g
else ifeq ($(build),sanitize)
  CC := gcc
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(build),fuzz)
  CC := clang
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
else
  $(error build must be release, debug, sanitize or fuzz)
endif

CFLAGS  = $(STD) $(OPT) $(WARN) -Igenerator $(PKG_CFLAGS) -MMD -MP
LDFLAGS = $(OPT)
LIBS    = $(PKG_LIBS) $(NOPC_LIBS)

SRCS    := $(wildcard generator/*.c)
OBJS    := $(SRCS:generator/%.c=$(OUT)/%.o)
LIBOBJS := $(filter-out $(OUT)/main.o,$(OBJS))

# Test programs: cmocka unit tests, spec runners, benchmarks; each links every module but main.
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
SPEC_SRCS  := $(wildcard tests/spec/*.c)
BENCH_SRCS := $(wildcard tests/bench/*.c)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
TEST_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(OUT)/tests/%) $(SPEC_SRCS:tests/spec/%.c=$(OUT)/tests/%)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(OUT)/bench/%)

.PHONY: all deps fonts run test tests-bin bench fuzz format clean distclean pictures
.SECONDARY:
.DEFAULT_GOAL := all

all: deps fonts baocao-$(build)

baocao-release: $(OUT)/baocao
	@cp -f $(OUT)/baocao baocao
baocao-debug baocao-sanitize baocao-fuzz: $(OUT)/baocao

deps: build/deps.stamp
build/deps.stamp: tools/deps.sh
	@mkdir -p build
	@sh tools/deps.sh
	@touch $@

fonts: build/fonts.stamp
build/fonts.stamp: tools/fonts.sh build/deps.stamp
	@sh tools/fonts.sh fonts
	@touch $@

$(OUT)/baocao: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(OUT)/%.o: generator/%.c | build/deps.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(OUT)/tests/%.o: tests/unit/%.c | build/deps.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -Itests -c -o $@ $<
$(OUT)/tests/%.o: tests/spec/%.c | build/deps.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -Itests -c -o $@ $<
$(OUT)/tests/%: $(OUT)/tests/%.o $(LIBOBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(OUT)/bench/%.o: tests/bench/%.c | build/deps.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -c -o $@ $<
$(OUT)/bench/%: $(OUT)/bench/%.o $(LIBOBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

tests-bin: $(TEST_BINS) $(OUT)/baocao

# make run: build, then render the sample reports from input/ into output/.
run: all
	@sh tools/run.sh

# make test: the unit tests and spec runners twice (release, then ASan+UBSan), then the
# end-to-end tests against ./baocao; one closing line "N passed, N failed".
test: deps fonts
	@$(MAKE) --no-print-directory build=release all tests-bin $(BENCH_SRCS:tests/bench/%.c=build/release/bench/%)
	@$(MAKE) --no-print-directory build=sanitize tests-bin
	@SHARED=$(abspath $(SHARED)) sh tests/run-tests.sh build/release build/sanitize

bench: deps fonts
	@$(MAKE) --no-print-directory build=release all $(BENCH_SRCS:tests/bench/%.c=build/release/bench/%)
	@sh tests/bench/run-bench.sh build/release

# make fuzz [FUZZ_TIME=seconds per harness] [FUZZ=name]: libFuzzer via clang, every harness in
# tests/fuzz/ with its seed corpus tests/fuzz/corpus/NAME/; crashes land in build/fuzz/crashes/.
FUZZ_TIME ?= 60
FUZZ ?= $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
fuzz: deps
	@$(MAKE) --no-print-directory build=fuzz $(FUZZ:%=build/fuzz/fuzz_%)
	@sh tools/fuzz.sh build/fuzz $(FUZZ_TIME) $(FUZZ)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIBOBJS)
	$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -Itests -o $@ $^ $(LIBS)

# make pictures: page 1 of each shipped report as a small PNG in docs/img/ (shown in the README).
pictures: all
	@sh tools/readme-pictures.sh ./baocao

format:
	clang-format -i -style=file generator/*.[ch] tests/*/*.[ch]

clean:
	rm -rf build baocao
distclean: clean
	rm -rf output fonts/*.ttf fonts/LICENSE-*

-include $(OBJS:.o=.d) $(TEST_BINS:=.d)
