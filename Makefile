# Gazette's build.  `make run` serves the site, `make check` runs every
# test; both install what is missing first (make deps).  See README.md.

PREFIX	?= /usr/local
DESTDIR	?=
PORT	?= 8080
SANITIZE ?=

CC	?= cc
PKGS	 = fcgi sqlite3 libsodium libcmark-gfm jansson libcurl inih libcrypto \
	   libqrencode libmagic
CS_LIBDIR = /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
CS_LIBS	 = $(CS_LIBDIR)/libneo_cgi.a $(CS_LIBDIR)/libneo_cs.a \
	   $(CS_LIBDIR)/libneo_utl.a -lz

WARN	 = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
BASE_CFLAGS = $(WARN) -D_GNU_SOURCE -Iapp -isystem /usr/include/ClearSilver \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcrack $(CS_LIBS) -lm
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

ifeq ($(SANITIZE),1)
BUILD	 = build/san
CFLAGS	?= -O1 -g
CFLAGS	+= $(SAN) -DGAZETTE_TEST
LDFLAGS	+= $(SAN)
else
BUILD	 = build
CFLAGS	?= -O2 -g
endif

CORE_SRC = $(wildcard app/core/*.c)
SITE_SRC = $(wildcard app/site/*.c)
APP_SRC	 = $(CORE_SRC) $(SITE_SRC)
APP_OBJ	 = $(APP_SRC:app/%.c=$(BUILD)/%.o)
HDRS	 = $(wildcard app/core/*.h app/site/*.h)

.PHONY: vendor all deps run check bench fuzz install clean lint unit integration \
	fuzz-smoke valgrind san e2e

all: $(BUILD)/gazette vendor

$(BUILD)/%.o: app/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/gazette: $(BUILD)/main.o $(APP_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# ---- browser assets from npm -------------------------------------------
# Swagger UI for /api/docs/, pinned in vendor/package-lock.json, copied to
# static/vendor/ where nginx serves it (no other host). Without npm, or when
# npm ci fails (no registry), make goes on and the page links the OpenAPI
# document only; make check's api_docs test then fails.
SWAGGER_UI = static/vendor/swagger-ui/swagger-ui-bundle.js

vendor: $(SWAGGER_UI)

$(SWAGGER_UI): vendor/package.json vendor/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	    echo "npm ci in vendor/"; \
	    if (cd vendor && npm ci --ignore-scripts --no-audit --no-fund \
	        --loglevel=error); then \
	        mkdir -p static/vendor/swagger-ui && \
	        cp vendor/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	            vendor/node_modules/swagger-ui-dist/swagger-ui.css \
	            vendor/node_modules/swagger-ui-dist/LICENSE \
	            static/vendor/swagger-ui/; \
	    else \
	        echo "make vendor: npm ci failed (is the npm registry" \
	            "reachable?); /api/docs/ shows only the link to the" \
	            "OpenAPI document until make vendor succeeds"; \
	    fi; \
	else \
	    echo "make vendor: no npm; /api/docs/ shows only the link to" \
	        "the OpenAPI document (make deps installs npm)"; \
	fi

# ---- dependencies -------------------------------------------------------
# Every Debian package the build, the tests and the benchmark need.
# python3-aiosmtpd is the SMTP server (STARTTLS, implicit TLS, AUTH) that
# the SMTP delivery test runs (tests/integration/smtp_server.py).
# prometheus is for its promtool, which the metrics test runs on /metrics
# (19 MB download; far less than chromium, and the one checker of the
# exposition format that Prometheus itself uses).  On a systemd host the
# package also enables a Prometheus server on :9090: `systemctl disable
# --now prometheus` if a development machine should not run one.
DEB_PKGS = build-essential pkg-config libfcgi-dev clearsilver-dev zlib1g-dev \
	   libsqlite3-dev libsodium-dev check libsubunit-dev libcmark-gfm-dev \
	   libcmark-gfm-extensions-dev \
	   libjansson-dev libcurl4-openssl-dev libinih-dev nginx wrk valgrind \
	   clang libclang-rt-14-dev cppcheck libxml2-utils sqlite3 curl \
	   libssl-dev libqrencode-dev libcrack2-dev cracklib-runtime \
	   libmagic-dev prometheus python3-aiosmtpd \
	   chromium $(NODE_PKGS)
# Node for the browser tests: Debian's nodejs and npm, unless node and npm
# are on PATH already (a NodeSource nodejs bundles npm and conflicts with
# Debian's npm package).
NODE_PKGS = $(shell command -v node >/dev/null 2>&1 && \
	   command -v npm >/dev/null 2>&1 || echo nodejs npm)

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'ok installed' || echo $$p; done | tr '\n' ' '); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing $$missing"; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	        --no-install-recommends $$missing; \
	else \
	    echo "make deps: missing packages: $$missing"; \
	    echo "Install them with:"; \
	    echo "  sudo apt-get install -y $$missing"; \
	    exit 1; \
	fi

# ---- make run -----------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory all
	@PORT=$(PORT) GAZETTE_BIN=$(CURDIR)/$(BUILD)/gazette \
	    sh nginx/dev-run.sh

# ---- tests --------------------------------------------------------------
TEST_CFLAGS = $(BASE_CFLAGS) -DGAZETTE_TEST -g $(shell pkg-config --cflags check)
TEST_LIBS   = $(LIBS) $(shell pkg-config --libs check)
UNIT_SRC    = $(wildcard tests/unit/*.c)
INTEG_SRC   = $(wildcard tests/integration/[0-9]*.c)
FUZZ_SRC    = $(wildcard tests/fuzz/fuzz_*.c)

# Unit tests, twice: with ASan+UBSan, and plain for valgrind.
build/san/unit_tests: $(UNIT_SRC) $(APP_SRC:app/%.c=build/san/%.o) \
	    tests/unit/*.h
	$(CC) $(TEST_CFLAGS) -O1 $(SAN) -o $@ $(UNIT_SRC) \
	    $(APP_SRC:app/%.c=build/san/%.o) $(TEST_LIBS)

build/vg/%.o: app/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@$(CC) $(BASE_CFLAGS) -O0 -g -DGAZETTE_TEST -c $< -o $@

build/vg/unit_tests: $(UNIT_SRC) $(APP_SRC:app/%.c=build/vg/%.o) \
	    tests/unit/*.h
	$(CC) $(TEST_CFLAGS) -O0 -o $@ $(UNIT_SRC) \
	    $(APP_SRC:app/%.c=build/vg/%.o) $(TEST_LIBS)

san:
	@$(MAKE) --no-print-directory SANITIZE=1 build/san/gazette

unit: san build/san/unit_tests
	cd tests/unit && ASAN_OPTIONS=detect_leaks=1 \
	    ../../build/san/unit_tests

valgrind: build/vg/unit_tests
	cd tests/unit && CK_FORK=no valgrind -q --leak-check=full \
	    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=99 ../../build/vg/unit_tests

# Integration tests may use a few core modules (totp to compute codes).
INTEG_CORE = app/core/totp.c app/core/arena.c app/core/buf.c app/core/util.c

HARNESS_SRC = $(wildcard tests/integration/harness*.c)
HARNESS_HDR = $(wildcard tests/integration/harness*.h)

build/integration/%: tests/integration/%.c $(HARNESS_SRC) $(HARNESS_HDR) \
	    $(INTEG_CORE)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(BASE_CFLAGS) -O1 -g -o $@ $< $(HARNESS_SRC) \
	    $(INTEG_CORE) $(shell pkg-config --libs libcurl libcrypto \
	    libqrencode libsodium)

INTEG_BIN = $(INTEG_SRC:tests/integration/%.c=build/integration/%)

integration: san $(INTEG_BIN)
	sh tests/integration/nginx_conf_test.sh
	@pass=0; fail=0; for t in $(INTEG_BIN); do \
	    if GAZETTE_BIN=$(CURDIR)/build/san/gazette GAZETTE_ROOT=$(CURDIR) \
	        $$t; then pass=$$((pass+1)); else fail=$$((fail+1)); \
	        echo "FAILED: $$t"; fi; done; \
	    echo "integration: $$pass passed, $$fail failed"; \
	    [ $$fail -eq 0 ]

# Browser tests: playwright-core driving Debian's chromium, and axe-core;
# with them the API's (api_*.test.mjs): the OpenAPI document validated by
# swagger-parser, every documented operation called and checked by ajv.
e2e: san
	@GAZETTE_BIN=$(CURDIR)/build/san/gazette sh tests/e2e/run.sh

FUZZ_CFLAGS = $(WARN) -D_GNU_SOURCE -DGAZETTE_TEST -Iapp \
	   -isystem /usr/include/ClearSilver -g -O1 \
	   -fsanitize=fuzzer,address,undefined
FUZZ_CORE = app/core/http.c app/core/arena.c app/core/buf.c app/core/util.c \
	    app/core/log.c app/core/router.c app/core/csrf.c app/core/render.c \
	    app/core/multipart.c

# The session target runs the real session, auth and CSRF code on a
# migrated database, so it links those modules and their libraries too.
build/fuzz/fuzz_session: FUZZ_EXTRA = app/core/session.c app/core/auth.c \
	    app/core/db.c app/core/config.c app/core/password.c \
	    app/core/migrate.c app/core/settings.c app/core/metrics.c
build/fuzz/fuzz_session: FUZZ_LIBS = $(LIBS)
build/fuzz/fuzz_slug: FUZZ_EXTRA = app/core/slug.c
build/fuzz/fuzz_markdown: FUZZ_EXTRA = app/core/markdown.c
build/fuzz/fuzz_markdown: FUZZ_LIBS = $(shell pkg-config --libs libcmark-gfm)
# The search target runs search.c and feed.c (query rewriting, snippet
# and XML escaping) and FTS5 itself, so it links what those files call.
build/fuzz/fuzz_search: FUZZ_EXTRA = app/site/search.c app/site/feed.c \
	    app/site/content.c app/site/article.c app/core/cache.c \
	    app/core/db.c app/core/config.c app/core/markdown.c \
	    app/core/slug.c app/core/settings.c app/core/metrics.c
build/fuzz/fuzz_search: FUZZ_LIBS = $(LIBS)
# The JSON log lines are checked with jansson's parser.
build/fuzz/fuzz_log_json: FUZZ_LIBS = $(shell pkg-config --libs jansson)

build/fuzz/%: tests/fuzz/%.c $(FUZZ_CORE) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CLANG $<"
	@clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_CORE) $(FUZZ_EXTRA) $(CS_LIBS) \
	    $(shell pkg-config --libs libsodium) $(FUZZ_LIBS)

FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 10

fuzz-smoke: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	    n=$$(basename $$f); mkdir -p build/fuzz/corpus/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	        build/fuzz/corpus/$$n tests/fuzz/corpus/$$n \
	        2>build/fuzz/$$n.log || { tail -30 build/fuzz/$$n.log; exit 1; }; \
	done

fuzz:
	@$(MAKE) --no-print-directory fuzz-smoke FUZZ_SECONDS=$${FUZZ_SECONDS:-600}

# Lints: SQL only from literals (codecheck1's spirit), then cppcheck.
lint:
	@sh tests/lint-sql.sh app
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	    --enable=warning,portability,performance \
	    --suppress=missingIncludeSystem -Iapp app

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory valgrind
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory e2e
	@echo "make check: all passed"

# ---- benchmark ----------------------------------------------------------
build/bench/min_fcgi: bench/min_fcgi.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -D_GNU_SOURCE -O2 -o $@ $< $(shell pkg-config --libs fcgi)

bench: deps
	@$(MAKE) --no-print-directory all build/bench/min_fcgi
	@GAZETTE_BIN=$(CURDIR)/build/gazette sh bench/run.sh

# ---- install ------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/gazette
	install -m 0755 build/gazette $(DESTDIR)$(PREFIX)/bin/gazette
	cp -R templates static sql nginx $(DESTDIR)$(PREFIX)/share/gazette/
	install -d $(DESTDIR)$(PREFIX)/share/gazette/dist
	install -m 0644 dist/gazette.service dist/gazette-worker.service \
	    dist/gazette.ini.example \
	    $(DESTDIR)$(PREFIX)/share/gazette/dist/

clean:
	rm -rf build
