# Lekwacht — developer tasks. `make` (or `make help`) lists them.
#
# PostgreSQL: without DATABASE_URL, `make run` starts a project-local cluster
# in .data/pg; without TEST_DATABASE_URL, `make test` starts a separate, fast
# (not durable) one in .data/pgtest. Both listen on 127.0.0.1 only and keep
# running between invocations; `make db-stop` stops them. See docs/operations.md.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# Use go from PATH, else the standard install location.
ifeq ($(shell command -v go 2>/dev/null),)
export PATH := /usr/local/go/bin:$(PATH)
endif
GO ?= go

BIN        := bin/lekwacht
PG_DIR     ?= .data/pg
PGTEST_DIR ?= .data/pgtest
MAILPIT_DIR ?= .data/mailpit
# Extra flags for go test, e.g. make test TESTFLAGS='-run TestX -v'
TESTFLAGS  ?=
# templ fmt formats <script>/<style> blocks with prettier when it is on PATH,
# which would make `make lint` depend on the machine. Point it at a command
# that does not exist so that formatting is the same everywhere.
TEMPL_FMT_FLAGS ?= -prettier-command=lekwacht-no-prettier

.PHONY: help run test bench load fuzz lint fmt generate build assets db-stop db-reset clean

help: ## list the targets
	@echo "Lekwacht — make targets:"
	grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'
	echo
	echo "Variables: DATABASE_URL, DATABASE_MIGRATE_URL, LEKWACHT_SMTP_HOST (run), TEST_DATABASE_URL, LEKWACHT_CHROMIUM, LEKWACHT_MAILPIT, TESTFLAGS (test)."

run: build ## build and serve on :8080 with the demo data and examples (local PostgreSQL in .data/pg unless DATABASE_URL is set)
	@if [[ -z "$${DATABASE_URL:-}" ]]; then
		# Two roles, as in production (docs/operations.md, Databaserollen):
		# the superuser migrates, the login role lekwacht_app serves.
		DATABASE_MIGRATE_URL="$$(scripts/localpg.sh start $(PG_DIR))"
		DATABASE_URL="$${DATABASE_MIGRATE_URL/\/\/postgres@/\/\/lekwacht_app@}"
		export DATABASE_URL DATABASE_MIGRATE_URL
		echo "DATABASE_URL=$$DATABASE_URL DATABASE_MIGRATE_URL=$$DATABASE_MIGRATE_URL" >&2
	fi
	if [[ -z "$${LEKWACHT_SMTP_HOST:-}" ]]; then
		read -r smtp_port mail_web < <(scripts/mailpit.sh start $(MAILPIT_DIR))
		export LEKWACHT_SMTP_HOST=127.0.0.1 LEKWACHT_SMTP_PORT="$$smtp_port" LEKWACHT_SMTP_TLS=none
		export LEKWACHT_MAIL_FROM="$${LEKWACHT_MAIL_FROM:-Lekwacht <noreply@lekwacht.localhost>}"
		echo "Mail goes to a local Mailpit: open $$mail_web to read it" >&2
	fi
	# Single sign-on can be tried locally (issue 11): a key for the client
	# secrets, kept in .data, and the demo OpenID provider on a loopback port,
	# which lekwacht demo configures for the demo organisation.
	if [[ -z "$${LEKWACHT_SECRET_KEY:-}" ]]; then
		mkdir -p .data
		[[ -s .data/secret-key ]] || (umask 077; head -c 32 /dev/urandom | base64 > .data/secret-key)
		LEKWACHT_SECRET_KEY="$$(cat .data/secret-key)"
		export LEKWACHT_SECRET_KEY
	fi
	rm -f .data/demo-op.issuer
	./$(BIN) demo-op --issuer-file .data/demo-op.issuer >&2 &
	op_pid=$$!
	trap 'kill $$op_pid 2>/dev/null || true' EXIT
	for _ in $$(seq 100); do [[ -s .data/demo-op.issuer ]] && break; sleep 0.1; done
	LEKWACHT_DEMO_OP_ISSUER="$$(cat .data/demo-op.issuer)"
	export LEKWACHT_DEMO_OP_ISSUER
	./$(BIN) migrate up
	./$(BIN) demo --voorbeelden
	./$(BIN) serve

test: ## run all tests (local PostgreSQL in .data/pgtest unless TEST_DATABASE_URL is set; Chromium via scripts/chromium.sh)
	@if [[ -z "$${TEST_DATABASE_URL:-}" ]]; then
		TEST_DATABASE_URL="$$(scripts/localpg.sh start $(PGTEST_DIR) --fast)"
	fi
	export TEST_DATABASE_URL
	LEKWACHT_CHROMIUM="$$(scripts/chromium.sh)"
	export LEKWACHT_CHROMIUM
	LEKWACHT_MAILPIT="$${LEKWACHT_MAILPIT:-$$(scripts/mailpit.sh install)}"
	export LEKWACHT_MAILPIT
	# The end-to-end tests keep a screenshot of every page they check here.
	export LEKWACHT_SCREENSHOTS="$${LEKWACHT_SCREENSHOTS:-$(CURDIR)/.data/screenshots}"
	echo "TEST_DATABASE_URL=$$TEST_DATABASE_URL LEKWACHT_CHROMIUM=$$LEKWACHT_CHROMIUM LEKWACHT_MAILPIT=$$LEKWACHT_MAILPIT" >&2
	$(GO) test -count=1 -timeout 30m $(TESTFLAGS) ./...

ASSETS_DIR ?= .data/assets

assets: ## install NL Design System CSS and axe-core (npm, pinned in web/assets); write web/static/nlds.css and the tests' axe.min.js (both committed)
	@mkdir -p $(ASSETS_DIR)
	cp web/assets/package.json web/assets/package-lock.json $(ASSETS_DIR)/
	(cd $(ASSETS_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
	node web/assets/build.mjs $(ASSETS_DIR)/node_modules web/static/nlds.css internal/server/testdata/axe.min.js

# Benchmarks: which ones (a -bench pattern) and extra flags, e.g.
# make bench BENCH=BenchmarkRegisterPage BENCHFLAGS='-benchtime=20x'
BENCH      ?= BenchmarkRegister|BenchmarkWorklist|BenchmarkCasePage
BENCHFLAGS ?= -benchtime=5x

bench: ## run the benchmarks of the register, the work lists and the case page on 1,000,000 incidents (filled once into a reused database; docs/performance.md)
	@if [[ -z "$${TEST_DATABASE_URL:-}" && -z "$${BENCH_DATABASE_URL:-}" ]]; then
		TEST_DATABASE_URL="$$(scripts/localpg.sh start $(PGTEST_DIR) --fast)"
	fi
	export TEST_DATABASE_URL
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -timeout 60m $(BENCHFLAGS) ./internal/service/

# The load test: extra flags, e.g. make load LOADFLAGS='-duration 10s -workers 8'
# (-cases, -duration per page, -workers connections, -refill; -bench drives
# the start pages and the register of make bench's 1,000,000 cases instead).
LOADFLAGS ?=

load: ## bounded load test: 10,000 cases loaded through the services, the server on loopback, each role's pages driven with vegeta (docs/performance.md)
	@if [[ -z "$${LOAD_DATABASE_URL:-}" && -z "$${TEST_DATABASE_URL:-}" ]]; then
		TEST_DATABASE_URL="$$(scripts/localpg.sh start $(PGTEST_DIR) --fast)"
	fi
	export TEST_DATABASE_URL
	$(GO) run ./cmd/lekwacht-load $(LOADFLAGS)

# Fuzzing: how long each fuzz test runs (its seeds run in make test anyway).
FUZZTIME ?= 30s

fuzz: ## run every native fuzz test (func Fuzz…) one after another for FUZZTIME each (docs/security.md)
	@if [[ -z "$${TEST_DATABASE_URL:-}" ]]; then
		# Some fuzz tests run a test server on a database (FuzzSSOCallback).
		TEST_DATABASE_URL="$$(scripts/localpg.sh start $(PGTEST_DIR) --fast)"
	fi
	export TEST_DATABASE_URL
	status=0
	for f in $$(grep -rl --include='*_test.go' '^func Fuzz' cmd internal | sort); do
		pkg="./$$(dirname "$$f")"
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$$f"); do
			echo "== $$pkg $$name ($(FUZZTIME))" >&2
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -parallel 1 "$$pkg" || status=1
		done
	done
	exit $$status

lint: ## check: templ fmt, generated code up to date, gofmt, go vet, staticcheck (changes nothing but *_templ.go)
	@status=0
	echo "--- templ fmt" >&2
	# Check only (templ fmt -fail would also rewrite the files): compare each
	# file with its formatted form.
	while IFS= read -r f; do
		if ! $(GO) tool templ fmt -stdout -log-level=error $(TEMPL_FMT_FLAGS) "$$f" </dev/null | cmp -s - "$$f"; then
			echo "lint: $$f is not templ-formatted (make fmt)" >&2
			status=1
		fi
	done < <(find web -name '*.templ' | sort)
	echo "--- generated code up to date" >&2
	$(GO) tool templ generate
	if ! git diff --exit-code --stat -- '*_templ.go'; then
		echo "lint: generated *_templ.go files are out of date: run \`make generate\` and commit them" >&2
		status=1
	fi
	untracked="$$(git ls-files --others --exclude-standard -- '*_templ.go')"
	if [[ -n "$$untracked" ]]; then
		echo "lint: generated files not in git (git add them):" >&2
		echo "$$untracked" >&2
		status=1
	fi
	echo "--- gofmt" >&2
	gofiles="$$(git ls-files --cached --others --exclude-standard -- '*.go' | while read -r f; do [[ -f $$f ]] && echo "$$f"; done)"
	unformatted="$$(gofmt -l $$gofiles </dev/null)"
	if [[ -n "$$unformatted" ]]; then
		echo "lint: not gofmt-formatted (make fmt):" >&2
		echo "$$unformatted" >&2
		status=1
	fi
	echo "--- go vet" >&2
	$(GO) vet ./... || status=1
	echo "--- staticcheck" >&2
	$(GO) tool staticcheck ./... || status=1
	if [[ $$status -ne 0 ]]; then echo "lint: FAILED" >&2; else echo "lint: ok" >&2; fi
	exit $$status

fmt: ## format .templ files (templ fmt) and Go files (gofmt)
	$(GO) tool templ fmt $(TEMPL_FMT_FLAGS) web
	gofmt -w $$(git ls-files --cached --others --exclude-standard -- '*.go' | while read -r f; do [[ -f $$f ]] && echo "$$f"; done) </dev/null

generate: ## regenerate Go code from .templ files
	$(GO) tool templ generate

build: ## build bin/lekwacht
	$(GO) build -trimpath -o $(BIN) ./cmd/lekwacht

db-stop: ## stop the local PostgreSQL clusters (.data/pg and .data/pgtest) and the local Mailpit
	scripts/mailpit.sh stop $(MAILPIT_DIR)
	scripts/localpg.sh stop $(PG_DIR)
	scripts/localpg.sh stop $(PGTEST_DIR)

db-reset: db-stop ## stop the local clusters and delete their data (all local data is lost)
	scripts/localpg.sh remove $(PG_DIR)
	scripts/localpg.sh remove $(PGTEST_DIR)

clean: ## remove build output (not the databases: see db-reset)
	rm -rf bin
	$(GO) clean -testcache
