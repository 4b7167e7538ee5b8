#!/usr/bin/env bash
# mailpit.sh — Mailpit, a local SMTP server with a web view, for development and tests.
#
#   scripts/mailpit.sh install        install the pinned Mailpit into .data/bin (once; go install)
#                                     and print the binary's path on stdout
#   scripts/mailpit.sh install-ui     build Mailpit with its web view into .data/bin/mailpit-ui
#                                     (once; needs npm) and print its path on stdout
#   scripts/mailpit.sh start DIR      start (or reuse) a Mailpit for `make run`, with its state
#                                     in DIR; prints "SMTP_PORT HTTP_URL" on stdout. It uses the
#                                     build with the web view, or without it when npm is missing
#   scripts/mailpit.sh stop DIR       stop it
#
# The tests start their own Mailpit per test (internal/mailpit) from the binary
# that `make test` passes in LEKWACHT_MAILPIT. Mailpit listens on 127.0.0.1 only,
# on free ports. Messages to stdout only what the caller reads; the rest to stderr.
set -euo pipefail

MAILPIT_VERSION="${MAILPIT_VERSION:-v1.33.1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bindir="$root/.data/bin"
bin="$bindir/mailpit"

log() { printf 'mailpit.sh: %s\n' "$*" >&2; }

install() {
	# go install does not stamp a version into the binary: a file beside it says which one it is.
	if [[ -x $bin && "$(cat "$bin.version" 2>/dev/null)" == "$MAILPIT_VERSION" ]]; then
		printf '%s\n' "$bin"
		return
	fi
	log "installing github.com/axllent/mailpit@$MAILPIT_VERSION into $bindir (go install; takes a minute the first time)"
	mkdir -p "$bindir"
	GOBIN="$bindir" GOFLAGS=-buildvcs=false go install "github.com/axllent/mailpit@$MAILPIT_VERSION" >&2
	echo "$MAILPIT_VERSION" >"$bin.version"
	printf '%s\n' "$bin"
}

# install_ui: `go install` builds Mailpit without its web view (the browser
# part is built with npm and not in the Go module), so the page it serves is
# blank. Build it from the module's source: npm builds the web view into
# server/ui/dist, which go build then embeds. Two npm versions are pinned to
# ones the registry serves here (rapidoc 12 and the newest sass-embedded are
# not): the mail view does not depend on them.
uibin="$bindir/mailpit-ui"
install_ui() {
	if [[ -x $uibin && "$(cat "$uibin.version" 2>/dev/null)" == "$MAILPIT_VERSION" ]]; then
		printf '%s\n' "$uibin"
		return
	fi
	command -v npm >/dev/null 2>&1 || { log "npm is not installed: Mailpit's web view cannot be built"; return 1; }
	local mod src="$root/.data/mailpit-src"
	mod="$(go mod download -json "github.com/axllent/mailpit@$MAILPIT_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[[ -n $mod && -d $mod ]] || { log "could not download the Mailpit source"; return 1; }
	log "building Mailpit $MAILPIT_VERSION with its web view into $uibin (npm and go build; a minute, once)"
	rm -rf "$src"
	cp -r "$mod" "$src"
	chmod -R u+w "$src"
	(
		cd "$src"
		rm -f package-lock.json
		node -e '
			const fs = require("fs"), p = JSON.parse(fs.readFileSync("package.json"));
			p.dependencies.rapidoc = "9.3.8";
			p.devDependencies["sass-embedded"] = "1.105.0";
			p.overrides = Object.assign(p.overrides || {}, {"sass-embedded": "1.105.0"});
			fs.writeFileSync("package.json", JSON.stringify(p, null, 2));'
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >&2
		npm run build >&2
		[[ -s server/ui/dist/app.js ]]
		mkdir -p "$bindir"
		GOFLAGS=-buildvcs=false go build -o "$uibin" . >&2
	) || { log "building Mailpit's web view failed"; return 1; }
	rm -rf "$src"
	echo "$MAILPIT_VERSION" >"$uibin.version"
	printf '%s\n' "$uibin"
}

freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
		echo $((20000 + RANDOM % 20000))
}

start() {
	local dir="$1"
	mkdir -p "$dir"
	if [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && [[ -f $dir/ports ]]; then
		cat "$dir/ports"
		return
	fi
	local run
	if ! run="$(install_ui)"; then
		log "Mailpit runs without its web view; read the mail through its API (/api/v1/messages)"
		run="$(install)"
	fi
	local smtp http
	smtp="$(freeport)"
	http="$(freeport)"
	nohup "$run" --disable-version-check --quiet --database "$dir/mailpit.db" \
		--smtp "127.0.0.1:$smtp" --listen "127.0.0.1:$http" --smtp-auth-accept-any --smtp-auth-allow-insecure \
		>"$dir/mailpit.log" 2>&1 &
	echo $! >"$dir/pid"
	for _ in $(seq 1 100); do
		if curl -fsS "http://127.0.0.1:$http/readyz" >/dev/null 2>&1; then
			echo "$smtp http://127.0.0.1:$http" >"$dir/ports"
			cat "$dir/ports"
			return
		fi
		sleep 0.1
	done
	log "Mailpit did not start; see $dir/mailpit.log"
	exit 1
}

stop() {
	local dir="$1"
	if [[ -f $dir/pid ]]; then
		kill "$(cat "$dir/pid")" 2>/dev/null || true
		rm -f "$dir/pid" "$dir/ports"
	fi
}

case "${1:-}" in
install) install ;;
install-ui) install_ui ;;
start) start "${2:?usage: mailpit.sh start DIR}" ;;
stop) stop "${2:?usage: mailpit.sh stop DIR}" ;;
*)
	echo "usage: scripts/mailpit.sh install | install-ui | start DIR | stop DIR" >&2
	exit 2
	;;
esac
