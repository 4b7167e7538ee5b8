#!/usr/bin/env bash
# mailpit.sh — Mailpit, a local SMTP server with a web view, for development and tests.
#
#   scripts/mailpit.sh install        install the pinned Mailpit into .data/bin (once; go install)
#                                     and print the binary's path on stdout
#   scripts/mailpit.sh start DIR      start (or reuse) a Mailpit for `make run`, with its state
#                                     in DIR; prints "SMTP_PORT HTTP_URL" on stdout
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
	install >/dev/null
	local smtp http
	smtp="$(freeport)"
	http="$(freeport)"
	nohup "$bin" --disable-version-check --quiet --database "$dir/mailpit.db" \
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
start) start "${2:?usage: mailpit.sh start DIR}" ;;
stop) stop "${2:?usage: mailpit.sh stop DIR}" ;;
*)
	echo "usage: scripts/mailpit.sh install | start DIR | stop DIR" >&2
	exit 2
	;;
esac
