# brokerage — build, test, run. See README.md.
#
#   make          build ./brokerage
#   make run      install missing packages (as root), build, demo database, the UI
#   make test     the same set-up, then the whole suite (plain, then ASan+UBSan)
#   make bench    figures at 10x LCR beside the targets of DESIGN.md section 7
#                 (LOAD=N: the same again beside N CPU burners)
#   make deps     install missing Debian packages (as root) or say what to run

.DEFAULT_GOAL := all
SHELL := /bin/bash

CC      ?= gcc
ifeq ($(origin CC),default)
CC      := gcc
endif
PKGS     = ncursesw sqlite3 libconfig libsodium libutf8proc
DEBS     = libncurses-dev libsqlite3-dev libconfig-dev libcriterion-dev libsodium-dev \
           pkg-config tmux valgrind libcsv-dev libutf8proc-dev
# what `make deb` needs
DEB_DEBS  = debhelper dpkg-dev fakeroot
# what only the tests need: the deployment test's sqlite3 shell, sshd and syslog;
# clang for the fuzzers (libFuzzer); man for the pages' test; what `make deb` needs
TEST_DEBS = sqlite3 openssh-server openssh-client socat clang man-db bash $(DEB_DEBS)
VERSION  := $(shell cat VERSION)
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wcast-qual -Wno-format-nonliteral
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED \
           $(CORE_LAYERS:%=-Icore/%) -Icore -Ibuild/gen -DBROKERAGE_VERSION=\"$(VERSION)\" $(EXTRA_CPPFLAGS)
OPT     ?= -O2 -g
CFLAGS   = -std=c11 $(OPT) $(WARN) -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcsv (Debian's libcsv-dev) has no pkg-config file.
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
TEST_LDLIBS = $(LDLIBS) $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

DEMO_DB  = data/brokerage.db
CONFIG   = config/brokerage.cfg

# core/ in layers, lowest first: a file may include only headers of its own
# layer or one below it (make check-layering; HACKING.md, "core/").
CORE_LAYERS = base store records lifecycle flows views
CORE_SRC = $(wildcard $(CORE_LAYERS:%=core/%/*.c))
TUI_SRC  = $(wildcard tui/*.c)
# the command line: cli.c and its files of commands (the fuzzer links them alone)
CLI_SRC  = $(sort $(wildcard tui/cli*.c))
TEST_SRC = $(wildcard tests/test_*.c)
SCHEMAS  = $(sort $(wildcard schemas/[0-9][0-9][0-9]_*.sql))
# the demo's name tables (HACKING.md, "The demo generator"): built into
# brokerage-demo, never read at run time
NAMES    = $(sort $(wildcard names/*.tsv))

# Each flavour builds into its own directory: build/ (plain), build/asan/.
B ?= build
GEN_OBJ  = $(B)/gen/schemas.o
CORE_OBJ = $(CORE_SRC:%.c=$(B)/%.o) $(GEN_OBJ)
TUI_OBJ  = $(TUI_SRC:%.c=$(B)/%.o)
TEST_OBJ = $(TEST_SRC:%.c=$(B)/%.o) $(B)/tests/helpers.o $(B)/tests/world.o
# The demo generator (demo/): a development tool, linked into
# brokerage-demo, the unit tests and the bench; never into brokerage.
DEMO_SRC = $(filter-out demo/main.c,$(sort $(wildcard demo/*.c)))
DEMO_OBJ = $(DEMO_SRC:%.c=$(B)/%.o) $(B)/gen/names.o
$(DEMO_OBJ) $(B)/demo/main.o $(TEST_OBJ): CPPFLAGS += -Idemo -Itui

.PHONY: all brokerage-demo deps test-deps install-debs run test test-unit test-e2e test-cli-valgrind asan bench clean \
        check-layering install install-files uninstall deb test-deploy test-package test-docs demo FORCE \
        fuzz fuzz-build test-fuzz

all: brokerage

brokerage: $(B)/brokerage
	@if [ "$(B)" = build ]; then cp -f $(B)/brokerage brokerage; fi

# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n'
endif

$(B)/brokerage: $(TUI_OBJ) $(B)/libcore.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $(TUI_OBJ) $(B)/libcore.a $(LDLIBS)

# the same program with the demo generator: make run, the tests, the bench
brokerage-demo: $(B)/brokerage-demo
$(B)/brokerage-demo: $(filter-out $(B)/tui/main.o,$(TUI_OBJ)) $(B)/demo/main.o $(DEMO_OBJ) $(B)/libcore.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libcore.a: $(CORE_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

build/gen/schemas.c: $(SCHEMAS) schemas/RELEASED tools/embed-schemas.sh
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)sh tools/embed-schemas.sh schemas/RELEASED $(SCHEMAS) > $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

$(B)/gen/schemas.o: build/gen/schemas.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

build/gen/names.c: $(NAMES) tools/embed-names.sh
	@mkdir -p $(@D)
	$(say) GEN $@
	$(Q)sh tools/embed-names.sh $(NAMES) > $@.tmp && mv $@.tmp $@

$(B)/gen/names.o: build/gen/names.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# the version is stamped from VERSION: what prints it is rebuilt when it changes
$(B)/tui/main.o $(B)/tui/cli.o: VERSION

$(B)/tests/unit: $(TEST_OBJ) $(DEMO_OBJ) $(B)/libcore.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $(TEST_OBJ) $(DEMO_OBJ) $(B)/libcore.a $(TEST_LDLIBS)

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- set-up on a fresh machine ------------------------------------------
deps:
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEBS)"
test-deps:
	@$(MAKE) --no-print-directory install-debs PACKAGES="$(DEBS) $(TEST_DEBS)"
install-debs:
	@missing=""; \
	for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "missing packages:$$missing -- run: sudo apt-get install$$missing" >&2; exit 1; \
	fi

$(DEMO_DB): | brokerage-demo
	@mkdir -p $(@D)
	build/brokerage-demo --config $(CONFIG) init --demo

demo: deps
	@$(MAKE) --no-print-directory brokerage brokerage-demo
	@$(MAKE) --no-print-directory $(DEMO_DB)

run: deps
	@$(MAKE) --no-print-directory brokerage brokerage-demo
	@$(MAKE) --no-print-directory $(DEMO_DB)
	@./brokerage --config $(CONFIG) --as admin init >/dev/null
	./brokerage --config $(CONFIG) --as officer

# ---- tests ----------------------------------------------------------------
test: test-deps
	@$(MAKE) --no-print-directory check-layering
	sh tests/layering.sh
	sh tests/schemas.sh
	@$(MAKE) --no-print-directory brokerage brokerage-demo build/tests/unit
	@echo "== unit and integration tests"
	build/tests/unit -j2
	@echo "== command-line tests"
	BROKERAGE=./brokerage sh tests/cli.sh
	@echo "== manual pages, --help and completion against the program"
	sh tests/docs.sh
	@echo "== the same suite under AddressSanitizer and UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		build/asan/tests/unit -j2
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
		BROKERAGE=build/asan/brokerage BROKERAGE_DEMO=build/asan/brokerage-demo sh tests/cli.sh
	@echo "== the importers, the config and the command line under libFuzzer, briefly (make fuzz runs longer)"
	@$(MAKE) --no-print-directory test-fuzz
	@echo "== command-line paths under valgrind"
	@$(MAKE) --no-print-directory test-cli-valgrind
	@echo "== end-to-end tests of the terminal UI in tmux"
	@$(MAKE) --no-print-directory test-e2e
	@echo "== the same end-to-end tests with the sanitised binary"
	@rm -rf build/asan-e2e && mkdir -p build/asan-e2e
	@ASAN_OPTIONS=detect_leaks=1:log_path=$(CURDIR)/build/asan-e2e/report \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/build/asan-e2e/report \
		BROKERAGE_E2E=build/asan/brokerage $(MAKE) --no-print-directory test-e2e
	@if ls build/asan-e2e/report* >/dev/null 2>&1; then \
		echo "sanitiser reports from the UI:"; cat build/asan-e2e/report*; exit 1; fi
	@echo "== the team deployment: real logins against a real install (root only)"
	@$(MAKE) --no-print-directory test-deploy
	@echo "== the Debian package: built, installed with dpkg -i, checked, purged (root only)"
	@$(MAKE) --no-print-directory test-package

test-docs: brokerage
	sh tests/docs.sh

test-unit: build/tests/unit
	build/tests/unit

asan:
	@$(MAKE) --no-print-directory B=build/asan \
		OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		build/asan/brokerage build/asan/brokerage-demo build/asan/tests/unit

# ---- fuzzing what reads outside input (clang's libFuzzer, ASan and UBSan) ----
# One harness per importer (tests/fuzz/fuzz_import.c), one for the config
# loader (fuzz_config.c) and one for the command line (fuzz_cli.c); a run
# grows build/fuzz/corpus/NAME from the seeds in tests/fuzz/corpus/NAME.
FUZZ_TABLES = providers service-users awards capacity rates registrations
FUZZ_TIME  ?= 15
FUZZ_FLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz-build:
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang \
		OPT="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build/fuzz/libcore.a
	@for t in $(FUZZ_TABLES); do \
		printf '  %-6s %s\n' LINK build/fuzz/fuzz-$$t; \
		clang -std=c11 $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) -DFUZZ_TABLE='"'$$t'"' \
			-o build/fuzz/fuzz-$$t tests/fuzz/fuzz_import.c build/fuzz/libcore.a $(LDLIBS) || exit 1; \
	done
	@printf '  %-6s %s\n' LINK build/fuzz/fuzz-config
	@clang -std=c11 $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) \
		-o build/fuzz/fuzz-config tests/fuzz/fuzz_config.c build/fuzz/libcore.a $(LDLIBS)
	@printf '  %-6s %s\n' LINK build/fuzz/fuzz-cli
	@clang -std=c11 $(FUZZ_FLAGS) -fsanitize=fuzzer $(CPPFLAGS) -Itui \
		-o build/fuzz/fuzz-cli tests/fuzz/fuzz_cli.c $(CLI_SRC) build/fuzz/libcore.a $(LDLIBS)

# the importers, the config loader and the command line
FUZZ_TARGETS = $(FUZZ_TABLES) config cli
test-fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
		build/fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) -max_len=4096 -timeout=10 -print_final_stats=1 \
			-artifact_prefix=build/fuzz/crashes/$$t- build/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
			>build/fuzz/$$t.log 2>&1 || { echo "FUZZ $$t: crashed (build/fuzz/$$t.log)"; tail -40 build/fuzz/$$t.log; fail=1; }; \
		echo "fuzz $$t: $$(grep -o 'stat::number_of_executed_units: *[0-9]*' build/fuzz/$$t.log | grep -o '[0-9]*$$') executions in $(FUZZ_TIME) s"; \
	done; exit $$fail

FUZZ_LONG  ?= 300
fuzz:
	@$(MAKE) --no-print-directory test-fuzz FUZZ_TIME=$(FUZZ_LONG)

test-cli-valgrind: brokerage brokerage-demo
	sh tests/valgrind.sh

test-e2e: brokerage brokerage-demo
	@fail=0; for t in tests/e2e/*.sh; do \
		case $$t in */lib.sh) continue ;; esac; \
		sh $$t || fail=1; \
	done; exit $$fail

# core/ is layered one way (tools/check-layering.sh: by the headers each
# file includes and by the symbols each object needs); core/ never draws,
# tui/ never runs SQL; one module moves a call-off and sets capacity: the
# lifecycle (lifecycle/calloff.c), its SQL in records/calloff_rows.c and
# calloff_pauses.c, whose writers it alone calls; the lifecycle holds no SQL.
CALLOFF_WRITERS = calloff_rows_(move_units|set_state|place_request|reopen_request)|calloff_pauses_(add|begin|unpause|call_off|release|resume)|approval_(settle|recost_pending)
CALLOFF_ROW_WRITERS = calloff_rows_(insert|link_variation)
check-layering: $(B)/libcore.a $(B)/brokerage
	@bad=0; \
	sh tools/check-layering.sh $(B) $(CORE_LAYERS) || bad=1; \
	if grep -nE '#include *"(demo|names)\.h"' core/*.[ch] core/*/*.[ch] tui/*.[ch]; then \
		echo "check-layering: the demo generator (demo/) is used only by brokerage-demo, the tests and the bench" >&2; bad=1; fi; \
	if nm $(B)/brokerage | grep -E ' [TDRB] (demo_|names_)'; then \
		echo "check-layering: $(B)/brokerage holds the demo generator: it must never be installed with it" >&2; bad=1; fi; \
	if grep -nE '#include *[<"](n?curses|ncursesw/|term\.h|panel\.h)' core/*.[ch] core/*/*.[ch]; then \
		echo "check-layering: curses in core/" >&2; bad=1; fi; \
	if grep -nE 'sqlite3|#include *[<"]sqlite' tui/*.[ch]; then \
		echo "check-layering: SQL in tui/" >&2; bad=1; fi; \
	if grep -nE '\bsqlite3_|\bprep\(' core/lifecycle/*.c; then \
		echo "check-layering: SQL in core/lifecycle/ (it belongs in records/: calloff_rows.c, calloff_pauses.c)" >&2; bad=1; fi; \
	if grep -nE '\b(printf|puts|fprintf|perror)\s*\(' core/*/*.c | grep -v snprintf; then \
		echo "check-layering: core/ prints" >&2; bad=1; fi; \
	if grep -nE "UPDATE (calloff|capacity)\b|UPDATE package_request SET status = 'open'" core/*/*.c tui/*.c | \
	   grep -vE '^core/(records/calloff_rows|records/calloff_pauses)\.c:'; then \
		echo "check-layering: only the lifecycle (core/lifecycle/calloff.c, its SQL in records/calloff_rows.c) changes a call-off's status, capacity, or reopens a request" >&2; bad=1; fi; \
	if grep -nE '\b($(CALLOFF_WRITERS))\(' core/*/*.c tui/*.c | \
	   grep -vE '^core/(lifecycle/calloff|records/calloff_rows|records/calloff_pauses|records/approval)\.c:'; then \
		echo "check-layering: the writers of a call-off's state are the lifecycle's alone (core/lifecycle/calloff.c)" >&2; bad=1; fi; \
	if grep -nE '\b($(CALLOFF_ROW_WRITERS))\(' core/*/*.c tui/*.c | \
	   grep -vE '^core/(lifecycle/[a-z_]+|records/calloff_rows)\.c:'; then \
		echo "check-layering: a call-off is made (calloff_create) and linked to its variation by the lifecycle alone (core/lifecycle/)" >&2; bad=1; fi; \
	if grep -nE "INSERT (OR [A-Z]+ )?INTO capacity|capacity SET|DO UPDATE SET free" core/*/*.c tui/*.c | \
	   grep -vE '^core/(records/calloff_rows|records/capacity)\.c:'; then \
		echo "check-layering: a capacity figure is set only by capacity_write (records/capacity.c: capacity set and the importer both call it) or moved by the lifecycle (lifecycle/calloff.c, through records/calloff_rows.c)" >&2; bad=1; fi; \
	exit $$bad

# ---- benchmark ------------------------------------------------------------
bench: deps
	@$(MAKE) --no-print-directory brokerage brokerage-demo build/bench/bench
	build/bench/bench --db bench/data/lcr10.db --scale 10 $(if $(LOAD),--load $(LOAD))

BENCH_TUI = $(filter-out build/tui/main.o $(CLI_SRC:%.c=build/%.o),$(TUI_SRC:%.c=build/%.o)) $(CLI_SRC:%.c=build/%.o)
# bench.c (the options, the database, the parts), bench_harness.c, and a file per kind of measurement
BENCH_OBJ = $(patsubst %.c,build/%.o,$(sort $(wildcard bench/*.c)))
$(BENCH_OBJ): CPPFLAGS += -Itui -Idemo
build/bench/bench: $(BENCH_OBJ) $(BENCH_TUI) $(DEMO_SRC:%.c=build/%.o) build/gen/names.o build/libcore.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# ---- install for a team (see README: Deploying for a team) ---------------
# GNU directory variables; DESTDIR stages the whole install (no root needed).
# The installed binary has its config path and data directory compiled in:
# it reads only that config, and refuses --config and $BROKERAGE_CONFIG
# from a caller the group does not already trust.
PREFIX        ?= /usr/local
BINDIR        ?= $(PREFIX)/bin
SYSCONFDIR    ?= /etc
LOCALSTATEDIR ?= /var
GROUP         ?= brokerage
MANDIR        ?= $(PREFIX)/share/man
BASHCOMPDIR   ?= $(PREFIX)/share/bash-completion/completions
CONFDIR        = $(SYSCONFDIR)/brokerage
DATADIR        = $(LOCALSTATEDIR)/lib/brokerage
INSTALL_DEFS   = -DBR_INSTALLED_CONFIG=\"$(CONFDIR)/brokerage.cfg\" \
                 -DBR_INSTALLED_DATADIR=\"$(DATADIR)\"
INSTALLED_CFG  = build/install/brokerage.cfg

# The install flavour: its own objects, the paths compiled in.
build/install/brokerage: FORCE
	@rm -f build/install/core/base/privilege.o build/install/tui/cli.o
	@$(MAKE) --no-print-directory B=build/install EXTRA_CPPFLAGS='$(INSTALL_DEFS)' build/install/brokerage-bin
	@cp -f build/install/brokerage-bin $@
build/install/brokerage-bin: $(TUI_OBJ) $(B)/libcore.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $(TUI_OBJ) $(B)/libcore.a $(LDLIBS)

$(INSTALLED_CFG): $(CONFIG) FORCE
	@mkdir -p $(@D)
	@sed -e 's|^database = .*|database = "$(DATADIR)/brokerage.db";|' $(CONFIG) > $@.tmp && mv $@.tmp $@

install: deps
	@$(MAKE) --no-print-directory build/install/brokerage
	@$(MAKE) --no-print-directory install-files
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
		getent group $(GROUP) >/dev/null || groupadd --system $(GROUP) || exit 1; \
		chown root:root $(CONFDIR)/brokerage.cfg && chmod 0644 $(CONFDIR)/brokerage.cfg && \
		chown root:$(GROUP) $(DATADIR) && chmod 2770 $(DATADIR) && \
		chown root:$(GROUP) $(BINDIR)/brokerage && chmod 2755 $(BINDIR)/brokerage || exit 1; \
		echo "installed $(BINDIR)/brokerage (setgid $(GROUP), 2755); data directory $(DATADIR) (2770 root:$(GROUP))"; \
		echo "next, as root:  $(BINDIR)/brokerage init --admin LOGIN   (LOGIN: the first admin's Unix login)"; \
		echo "then as LOGIN:  brokerage user add OTHER --role officer   (and import the register)"; \
	else \
		echo "staged in $(or $(DESTDIR),$(PREFIX)): no group, no setgid bit (that needs root at install time:"; \
		echo "  chown root:$(GROUP) $(BINDIR)/brokerage && chmod 2755 $(BINDIR)/brokerage;"; \
		echo "  chown root:$(GROUP) $(DATADIR) && chmod 2770 $(DATADIR))"; \
	fi

# The files alone, from an install build already made (the Debian package's
# rules use this; its postinst makes the group and the setgid bit).
install-files: $(INSTALLED_CFG)
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(CONFDIR)
	install -m 0755 build/install/brokerage $(DESTDIR)$(BINDIR)/brokerage
	@if [ -f $(DESTDIR)$(CONFDIR)/brokerage.cfg ]; then \
		echo "kept the existing $(DESTDIR)$(CONFDIR)/brokerage.cfg"; \
	else \
		install -m 0644 $(INSTALLED_CFG) $(DESTDIR)$(CONFDIR)/brokerage.cfg; \
		echo "wrote $(DESTDIR)$(CONFDIR)/brokerage.cfg"; \
	fi
	install -d -m 0755 $(DESTDIR)$(DATADIR)
	install -d -m 0755 $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 man/brokerage.1 $(DESTDIR)$(MANDIR)/man1/brokerage.1
	install -m 0644 man/brokerage.cfg.5 $(DESTDIR)$(MANDIR)/man5/brokerage.cfg.5
	install -m 0644 man/brokerage.7 $(DESTDIR)$(MANDIR)/man7/brokerage.7
	install -m 0644 completion/brokerage.bash $(DESTDIR)$(BASHCOMPDIR)/brokerage

# Removes what install put; never the data (nor the group that owns it).
uninstall: $(INSTALLED_CFG)
	rm -f $(DESTDIR)$(BINDIR)/brokerage $(DESTDIR)$(MANDIR)/man1/brokerage.1 \
		$(DESTDIR)$(MANDIR)/man5/brokerage.cfg.5 $(DESTDIR)$(MANDIR)/man7/brokerage.7 \
		$(DESTDIR)$(BASHCOMPDIR)/brokerage
	@if [ -f $(DESTDIR)$(CONFDIR)/brokerage.cfg ]; then \
		if cmp -s $(INSTALLED_CFG) $(DESTDIR)$(CONFDIR)/brokerage.cfg; then \
			rm -f $(DESTDIR)$(CONFDIR)/brokerage.cfg; rmdir $(DESTDIR)$(CONFDIR) 2>/dev/null; \
			echo "removed $(DESTDIR)$(CONFDIR)/brokerage.cfg"; \
		else echo "kept $(DESTDIR)$(CONFDIR)/brokerage.cfg: it was changed after install"; fi; \
	fi
	@if [ -f $(DESTDIR)$(CONFDIR)/witness.key ]; then \
		echo "kept $(DESTDIR)$(CONFDIR)/witness.key: it signs the audit heads in syslog (it goes with the data)"; fi
	@echo "kept $(DESTDIR)$(DATADIR) and everything in it (remove the data by hand if you mean to)"

# The Debian package, built from a copy of the tracked files in build/deb;
# the version comes from VERSION, like the program's.
deb: deps
	@command -v dpkg-buildpackage >/dev/null && dpkg -s debhelper >/dev/null 2>&1 || \
		$(MAKE) --no-print-directory install-debs PACKAGES="$(DEB_DEBS)"
	rm -rf build/deb && mkdir -p build/deb/brokerage-$(VERSION)
	git ls-files -z | xargs -0 tar -cf - | tar -xf - -C build/deb/brokerage-$(VERSION)
	printf 'brokerage (%s) unstable; urgency=medium\n\n  * See NEWS.\n\n -- Brokerage team <brokerage@localhost>  %s\n' \
		"$(VERSION)" "$$(date -R)" > build/deb/brokerage-$(VERSION)/debian/changelog
	cd build/deb/brokerage-$(VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log; exit 1; }
	@ls build/deb/*.deb

# The deployment test: real logins against a real install (root only).
test-deploy: brokerage brokerage-demo
	sh tests/deploy.sh
test-package: brokerage brokerage-demo
	sh tests/package.sh

FORCE:

clean:
	rm -rf build brokerage
