#!/usr/bin/env bash
# chromium.sh — print the path of the Chromium (or Chrome) the end-to-end tests drive.
#
# Order: $LEKWACHT_CHROMIUM if set; chromium, chromium-browser, google-chrome,
# google-chrome-stable on PATH; the usual macOS application paths. If none is
# found and we run as root with apt-get (Debian, Ubuntu, CI), Debian's
# "chromium" package is installed and /usr/bin/chromium printed. Otherwise it
# fails with instructions.
#
# Exactly one line goes to stdout (the path); messages go to stderr.
set -euo pipefail

log() { printf 'chromium.sh: %s\n' "$*" >&2; }

if [[ -n ${LEKWACHT_CHROMIUM:-} ]]; then
	if [[ $LEKWACHT_CHROMIUM != */* ]] && command -v "$LEKWACHT_CHROMIUM" >/dev/null 2>&1; then
		command -v "$LEKWACHT_CHROMIUM"
		exit 0
	fi
	if [[ -x $LEKWACHT_CHROMIUM && ! -d $LEKWACHT_CHROMIUM ]]; then
		printf '%s\n' "$LEKWACHT_CHROMIUM"
		exit 0
	fi
	log "LEKWACHT_CHROMIUM=$LEKWACHT_CHROMIUM is not an executable file"
	exit 1
fi

for name in chromium chromium-browser google-chrome google-chrome-stable; do
	if path="$(command -v "$name" 2>/dev/null)"; then
		printf '%s\n' "$path"
		exit 0
	fi
done

for path in "/Applications/Chromium.app/Contents/MacOS/Chromium" \
	"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
	if [[ -x $path ]]; then
		printf '%s\n' "$path"
		exit 0
	fi
done

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
	log "no Chromium found; installing Debian's chromium package (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq chromium >&2 </dev/null
	if [[ -x /usr/bin/chromium ]]; then
		printf '%s\n' /usr/bin/chromium
		exit 0
	fi
	log "apt-get install chromium did not provide /usr/bin/chromium"
	exit 1
fi

cat >&2 <<'EOF'
chromium.sh: no Chromium or Chrome found; the end-to-end tests need one.
  Debian:  sudo apt-get install chromium
  Ubuntu:  sudo apt-get install chromium-browser   (or install Google Chrome)
  macOS:   brew install --cask chromium
  or set LEKWACHT_CHROMIUM to the path of a Chromium/Chrome binary.
EOF
exit 1
