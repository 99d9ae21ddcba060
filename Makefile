# casefile: build, test, run. See README.md.
#
#   make run      install build dependencies, build, collect this host, report
#   make test     install test dependencies, build, run every test (also
#                 under AddressSanitizer and UBSan); ends "N passed, N failed"
#   make check    the same as make test: style check, warnings as errors,
#                 the suite on the normal and on the ASan+UBSan build
#   make static   a statically linked casefile (build/static/casefile)
#   make bench    casefile beside sos report, grep, ripgrep and zcat
#   make bench-collect  only collect beside sos report --batch (medians)
#   make fuzz     libFuzzer targets and their seed corpora (docs/fuzzing.md)
#   make install  PREFIX=/usr/local DESTDIR=: binary, man pages, completion, rules
#   make deb      a Debian package (build/casefile_VERSION_ARCH.deb)

# CC, CFLAGS, CPPFLAGS and LDFLAGS from the environment or the command line
# are honoured (dpkg-buildflags); gcc when nothing says otherwise.
ifeq ($(origin CC),default)
CC := gcc
endif
PKGS := libarchive libpcre2-8 zlib libssh2 yaml-0.1 jansson libcrypto
# -Werror in the development and test builds (make test, make check,
# make DEVELOPER=1); a user with a newer compiler is not stopped by a new
# warning.
WERROR := $(if $(DEVELOPER),-Werror)
WARN := -Wall -Wextra $(WERROR) -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-format-nonliteral
ALL_CPPFLAGS = -D_GNU_SOURCE -Iinclude -Ibuild/gen $(CPPFLAGS)
CFLAGS ?= -O2 -g
# The product binary is hardened: fortified calls, stack protector, PIE,
# read-only relocations bound at start. The sanitizer build sets HARDEN=
# (ASan and fortify do not mix), the static one drops PIE.
# Stack clash and control-flow protection where the compiler has them.
cc_has = $(shell $(CC) $(1) -Werror -E -x c /dev/null >/dev/null 2>&1 && echo $(1))
CC_PROTECT := $(call cc_has,-fstack-clash-protection) $(call cc_has,-fcf-protection)
HARDEN ?= -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE $(CC_PROTECT)
LDHARDEN ?= -pie -Wl,-z,relro,-z,now
# pkg-config once per make, not once per file
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(CFLAGS) $(HARDEN) $(PKG_CFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

# Every .c of the core: both commands' folders and the shared one.
CORE_SRC := $(filter-out common/casefile.c common/embed-gen.c, \
	$(wildcard common/*.c) $(wildcard collect/*.c) $(wildcard analyze/*.c))
RULE_FILES := rules/sources.yaml rules/categories.yaml rules/redact.yaml \
	rules/causality.yaml rules/entities.yaml $(sort $(wildcard rules/*/*.yaml))
UNIT_SRC := $(wildcard tests/unit/test_*.c)

B ?= build
OBJ = $(patsubst %.c,$(B)/obj/%.o,$(CORE_SRC)) $(B)/obj/gen/embedded.o
UNIT_BIN = $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

.PHONY: all deps deps-test run test check unit e2e asan static bench bench-collect clean style fuzz fuzz-bins FORCE \
	install uninstall deb

all: $(B)/casefile

# Objects are rebuilt when the flags change (make test after make run).
$(B)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(LDHARDEN) $(LIBS)' >$@.new; \
		cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

deps:
	@sh tools/deps.sh
deps-test:
	@sh tools/deps.sh test static

build/gen/embed-gen: common/embed-gen.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) -std=c11 $(WARN) -O2 -o $@ $<

# the list of rule files: a file removed (or added) changes it, so the
# embedded set is made again
build/gen/rule-files: FORCE
	@mkdir -p $(@D)
	@echo '$(RULE_FILES)' >$@.new; cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

build/gen/embedded.c: build/gen/embed-gen build/gen/rule-files $(RULE_FILES)
	@echo "  EMBED   $(words $(RULE_FILES)) files of rules/"
	@build/gen/embed-gen $@ $(RULE_FILES)

$(B)/obj/gen/embedded.o: build/gen/embedded.c include/embedded.h $(B)/.flags
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# header dependencies from the compiler
$(B)/obj/%.o: %.c $(B)/.flags
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(OBJ:.o=.d) $(B)/obj/common/casefile.d

$(B)/libcasefile.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

# glibc warns that a static binary still needs its own libc for NSS lookups
# (getpwuid, getaddrinfo); known and documented, so those lines are dropped.
$(B)/casefile: $(B)/obj/common/casefile.o $(B)/libcasefile.a
	@echo "  LINK    $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(LDHARDEN) -o $@ $^ $(LIBS) 2>$@.log; rc=$$?; \
		grep -v -e 'statically linked applications requires' -e ': in function .*:$$' \
			$@.log >&2; rm -f $@.log; exit $$rc

$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/libcasefile.a
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	@$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(LDHARDEN) -MMD -MP -o $@ $< \
		$(B)/libcasefile.a $(LIBS) $(CMOCKA_LIBS)

-include $(UNIT_BIN:=.d)

unit: $(UNIT_BIN)

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p build/run
	@echo "== casefile collect"
	@build/casefile collect -o build/run --problem "make run on $$(hostname)" | tee build/run/summary.txt
	@echo
	@echo "== casefile analyze"
	@build/casefile analyze "$$(sed -n 's/^bundle: *//p' build/run/summary.txt)"

test: deps-test style
	@$(MAKE) --no-print-directory DEVELOPER=1 all unit
	@$(MAKE) --no-print-directory DEVELOPER=1 static
	@$(MAKE) --no-print-directory DEVELOPER=1 B=build/asan HARDEN= LDHARDEN= \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" build/asan/casefile unit
	@$(MAKE) --no-print-directory fuzz
	@sh tests/run.sh build build/asan

check: test

style:
	@sh tools/style.sh

# The static binary. libarchive's read_support_format_all() (casefile clean
# reads any archive) registers its xar reader, the only user of libxml2 in
# it, and libxml2 brings ICU (30 MB of tables): 40 MB in all. The xar
# reader is defined as the "empty" format's (what libarchive itself does
# when built without libxml2), so neither is linked: the static binary
# reads no xar archive, which casefile never needs. The linker's map says
# which archives went in: build/static/casefile.txt lists them with their
# packages' versions (tools/static-libs.sh).
STATIC_LIBS = $(filter-out -lxml2,$(shell pkg-config --static --libs $(PKGS)))
STATIC_NOXAR := -Wl,--defsym=archive_read_support_format_xar=archive_read_support_format_empty

static:
	@sh tools/deps.sh static
	@$(MAKE) --no-print-directory B=build/static CFLAGS=-O2 \
		LDFLAGS="-s -Wl,-Map=build/static/casefile.map" \
		HARDEN="-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong $(CC_PROTECT)" \
		LDHARDEN="-Wl,-z,relro,-z,now" LIBS="-static -Wl,--gc-sections $(STATIC_NOXAR) \
		-Wl,--start-group $(STATIC_LIBS) -Wl,--end-group -lm" \
		build/static/casefile
	@cd build/static && sha256sum casefile >casefile.sha256
	@sh tools/static-libs.sh build/static/casefile build/static/casefile.map >build/static/casefile.txt
	@ls -l build/static/casefile | awk '{ print "  static  " $$NF ": " $$5 " bytes (and casefile.sha256, casefile.txt)" }'

# libFuzzer targets (clang, ASan+UBSan) with seed corpora; docs/fuzzing.md
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined

fuzz:
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang HARDEN= LDHARDEN= \
		CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" fuzz-bins
	@sh tools/fuzz-seeds.sh

fuzz-bins: $(patsubst tests/fuzz/%.c,$(B)/%,$(FUZZ_SRC))

$(B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/libcasefile.a
	@echo "  FUZZ    $@"
	@$(CC) $(ALL_CPPFLAGS) -Itests/fuzz $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(B)/libcasefile.a $(LIBS)

bench: deps
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory all
	@sh tools/bench.sh

# only the first part of make bench: collect beside sos report --batch
bench-collect: deps
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory all
	@sh tools/bench-collect.sh

# make install PREFIX=/usr/local DESTDIR=: the binary, the man pages, bash and
# zsh completion, the rule library (for reading and for --rules) and the
# Ansible playbook and role (share/casefile/ansible, docs/ansible.md).
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
DATADIR = $(DESTDIR)$(PREFIX)/share/casefile
ANSIBLE_FILES = ansible/collect.yml $(sort $(wildcard ansible/roles/*/*/*.yml))

install: all
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(DATADIR)
	install -m 0755 $(B)/casefile $(BINDIR)/casefile
	install -m 0644 docs/man/*.1 $(MANDIR)/
	install -m 0644 tools/completion/casefile.bash $(BASHDIR)/casefile
	install -m 0644 tools/completion/_casefile $(ZSHDIR)/_casefile
	cp -R rules $(DATADIR)/
	for f in $(ANSIBLE_FILES); do install -D -m 0644 $$f $(DATADIR)/$$f || exit 1; done
	chmod -R u=rwX,go=rX $(DATADIR)

# A Debian package (dpkg-deb), lintian clean of errors: tools/mkdeb.sh.
deb: all
	@sh tools/mkdeb.sh

uninstall:
	rm -f $(BINDIR)/casefile $(BASHDIR)/casefile $(ZSHDIR)/_casefile
	rm -f $(patsubst docs/man/%,$(MANDIR)/%,$(wildcard docs/man/*.1))
	rm -rf $(DATADIR)

clean:
	rm -rf build
