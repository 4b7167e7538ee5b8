#!/usr/bin/env bash
# localpg.sh — a project-local PostgreSQL cluster for development and tests.
#
#   scripts/localpg.sh start DIR [--fast]   start (or reuse) the cluster in DIR;
#                                           prints its connection URL on stdout
#   scripts/localpg.sh stop DIR             stop the cluster in DIR (if running)
#   scripts/localpg.sh status DIR           exit 0 and print the URL if running
#   scripts/localpg.sh url DIR              same as status
#   scripts/localpg.sh remove DIR           stop the cluster and delete its data
#
# DIR normally lives under the repository's ignored .data/ folder: .data/pg for
# `make run`, .data/pgtest for `make test`. A new DIR gets a fresh cluster
# (initdb, superuser "postgres", trust authentication for local connections and
# 127.0.0.1 only). The server listens on 127.0.0.1 only, on a free port picked
# at random, with its unix socket and its log file (postgresql.log) inside DIR.
#
# --fast turns off durability (fsync, synchronous_commit, full_page_writes):
# for throwaway test clusters only, never for data you want to keep.
#
# Exactly one line goes to stdout — the URL of database "lekwacht" as the
# superuser, the owner that migrates, e.g.
#   postgres://postgres@127.0.0.1:23456/lekwacht?sslmode=disable
# The login role lekwacht_app (a member of lekwacht_runtime, the role the app
# runs as) is created too: the same URL with lekwacht_app@ is the app's.
# Everything else goes to stderr, so  URL="$(scripts/localpg.sh start DIR)"  works.
#
# Run as root, the server runs as the "postgres" user (PostgreSQL refuses to run
# as root) and DIR is chowned to it; the path to DIR must then be searchable by
# that user. If it is not (a clone under /root, or below any `mktemp -d`), the
# cluster goes to $LOCALPG_ROOT (default /var/tmp/lekwacht-localpg), in a folder
# named after DIR's path, and DIR becomes a symlink to it; `remove` deletes both.
# Run as a normal user, everything runs as that user.
#
# The PostgreSQL binaries are found via $PG_BINDIR, `pg_config --bindir`, the
# newest /usr/lib/postgresql/*/bin (Debian, Ubuntu), Homebrew, or initdb on PATH.
set -euo pipefail

readonly DBNAME=lekwacht
readonly SUPERUSER=postgres

log() { printf 'localpg: %s\n' "$*" >&2; }
die() { printf 'localpg: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# --- locating PostgreSQL -----------------------------------------------------

# has_server_bins DIR: DIR holds initdb, pg_ctl and postgres.
has_server_bins() {
	[[ -n $1 && -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]
}

# major_of BINDIR: the major version of the server binaries in BINDIR.
major_of() {
	# "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" -> 15
	local v
	v="$("$1/postgres" --version 2>/dev/null | sed -E 's/^[^0-9]*([0-9]+).*/\1/')" || return 1
	[[ -n $v ]] && printf '%s\n' "$v"
}

# find_bindir [MAJOR]: print the bin directory, preferring MAJOR when given
# (an existing cluster must be run by the major version that created it).
find_bindir() {
	local want=${1:-} cand candidates=()
	if [[ -n ${PG_BINDIR:-} ]]; then
		has_server_bins "$PG_BINDIR" || die "PG_BINDIR=$PG_BINDIR does not hold initdb, pg_ctl and postgres"
		printf '%s\n' "$PG_BINDIR"
		return
	fi
	if [[ -n $want ]]; then
		candidates+=("/usr/lib/postgresql/$want/bin" "/opt/homebrew/opt/postgresql@$want/bin"
			"/usr/local/opt/postgresql@$want/bin" "/usr/pgsql-$want/bin")
	fi
	if command -v pg_config >/dev/null 2>&1; then
		candidates+=("$(pg_config --bindir 2>/dev/null || true)")
	fi
	# Newest first.
	local d
	while IFS= read -r d; do
		candidates+=("$d")
	done < <(ls -d /usr/lib/postgresql/*/bin /usr/pgsql-*/bin /opt/homebrew/opt/postgresql@*/bin \
		/usr/local/opt/postgresql@*/bin 2>/dev/null | sort -rV)
	if command -v initdb >/dev/null 2>&1; then
		candidates+=("$(dirname "$(command -v initdb)")")
	fi
	for cand in "${candidates[@]}"; do
		has_server_bins "$cand" || continue
		if [[ -n $want && "$(major_of "$cand" || true)" != "$want" ]]; then
			continue
		fi
		printf '%s\n' "$cand"
		return
	done
	if [[ -n $want ]]; then
		die "the cluster needs PostgreSQL $want, which is not installed (install postgresql-$want, or set PG_BINDIR)"
	fi
	die "no PostgreSQL server found (looked at pg_config --bindir, /usr/lib/postgresql/*/bin and PATH).
  Debian/Ubuntu: sudo apt-get install postgresql-15   (it need not run; this script starts its own)
  macOS:         brew install postgresql@15
  or set PG_BINDIR to the directory holding initdb, pg_ctl and postgres."
}

# --- running as the right user -----------------------------------------------

RUNAS=""   # empty: run as ourselves

# as_pg CMD...: run CMD as the cluster's owner.
as_pg() {
	if [[ -z $RUNAS ]]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		# From /: the current folder may be one the user cannot enter.
		(cd / && runuser -u "$RUNAS" -- "$@")
	else
		# su needs a single command string.
		local q
		printf -v q '%q ' "$@"
		su -s /bin/bash "$RUNAS" -c "$q"
	fi
}

setup_user() {
	if [[ $(id -u) -ne 0 ]]; then
		RUNAS=""
		return
	fi
	# As root: run as the owner of an existing cluster, else as "postgres".
	local owner=""
	if [[ -f $DIR/PG_VERSION ]]; then
		owner="$(stat -c %U "$DIR" 2>/dev/null || stat -f %Su "$DIR")"
	fi
	if [[ -z $owner || $owner == root ]]; then
		owner=postgres
	fi
	id "$owner" >/dev/null 2>&1 || die "running as root, but there is no user \"$owner\" to run PostgreSQL as (PostgreSQL refuses to run as root; install the postgresql package, which creates it, or run this script as a normal user)"
	RUNAS=$owner
}

# --- the cluster ---------------------------------------------------------------

# realdir PATH: absolute path with symlinks resolved.
realdir() { (cd "$1" && pwd -P); }

# pidfile_field N: line N of postmaster.pid (1 = PID, 4 = port).
pidfile_field() {
	sed -n "${1}p" "$DIR/postmaster.pid" 2>/dev/null | tr -d '[:space:]'
}

# postmaster_is_ours: postmaster.pid names a live PostgreSQL process serving DIR
# (not a PID reused by something else after a reboot).
postmaster_is_ours() {
	local pid cwd
	pid="$(pidfile_field 1)"
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	if [[ -d /proc/$pid ]]; then
		# The postmaster chdir()s into its data directory.
		cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || return 1
		[[ $cwd == "$(realdir "$DIR")" ]]
	elif command -v lsof >/dev/null 2>&1; then
		cwd="$(lsof -a -p "$pid" -d cwd -Fn 2>/dev/null | sed -n 's/^n//p')"
		[[ $cwd == "$(realdir "$DIR")" ]]
	else
		ps -p "$pid" -o comm= 2>/dev/null | grep -q postgres
	fi
}

# remove_stale_pidfile: drop postmaster.pid (and socket lock files) left behind
# by a server that no longer runs, e.g. after a reboot or a kill -9.
remove_stale_pidfile() {
	if [[ -f $DIR/postmaster.pid ]] && ! postmaster_is_ours; then
		log "removing stale postmaster.pid in $DIR (PID $(pidfile_field 1) is not this cluster's server)"
		rm -f "$DIR/postmaster.pid" "$DIR"/.s.PGSQL.*
	fi
}

# wait_ready PORT SECONDS
wait_ready() {
	local port=$1 secs=$2 i
	for ((i = 0; i < secs * 5; i++)); do
		if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

psql_admin() {
	local port=$1
	shift
	PGCONNECT_TIMEOUT=10 "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres "$@"
}

# ensure_roles PORT: the two roles of issue 15.4 (docs/operations.md,
# "Databaserollen"): lekwacht_runtime, which the app runs as (migration 00044
# gives it its grants), and the login role lekwacht_app, a member of it and
# nothing more, that `make run` serves with. The superuser is the owner that
# migrates.
ensure_roles() {
	psql_admin "$1" >&2 <<-'EOF'
		DO $$
		BEGIN
		    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_runtime') THEN
		        CREATE ROLE lekwacht_runtime NOLOGIN;
		    END IF;
		    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lekwacht_app') THEN
		        CREATE ROLE lekwacht_app LOGIN IN ROLE lekwacht_runtime;
		    END IF;
		END
		$$;
	EOF
}

url_for() { printf 'postgres://%s@127.0.0.1:%s/%s?sslmode=disable\n' "$SUPERUSER" "$1" "$DBNAME"; }

# running_port: print the port if DIR's server is running and answering.
running_port() {
	[[ -f $DIR/postmaster.pid ]] || return 1
	postmaster_is_ours || return 1
	local port
	port="$(pidfile_field 4)"
	[[ $port =~ ^[0-9]+$ ]] || return 1
	wait_ready "$port" 30 || return 1
	printf '%s\n' "$port"
}

port_in_use() {
	# Something accepts connections on 127.0.0.1:PORT?
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
	local port i
	# Prefer the port used last time, so the URL tends to stay the same.
	if [[ -f $DIR/localpg.port ]]; then
		port="$(tr -d '[:space:]' <"$DIR/localpg.port")"
		if [[ $port =~ ^[0-9]+$ ]] && ! port_in_use "$port" && [[ ${TRIED_PORTS:-} != *" $port "* ]]; then
			printf '%s\n' "$port"
			return
		fi
	fi
	# Random, below the usual ephemeral range (32768+) so outgoing connections
	# do not grab it in the meantime.
	for ((i = 0; i < 50; i++)); do
		port=$((15000 + RANDOM % 17000))
		port_in_use "$port" && continue
		[[ ${TRIED_PORTS:-} == *" $port "* ]] && continue
		printf '%s\n' "$port"
		return
	done
	die "could not find a free port"
}

initdb_cluster() {
	local locale=C
	if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
		locale=C.UTF-8
	fi
	log "creating a new PostgreSQL $(major_of "$BINDIR") cluster in $DIR${RUNAS:+ (as user $RUNAS)}"
	mkdir -p "$DIR"
	chmod 700 "$DIR"
	if [[ -n $RUNAS ]]; then
		chown "$RUNAS:" "$DIR"
		as_pg test -w "$DIR" -a -x "$DIR" ||
			die "user $RUNAS cannot reach $DIR: every directory above it must be searchable by $RUNAS (chmod o+x), or use a DIR elsewhere"
	fi
	if ! as_pg "$BINDIR/initdb" -D "$DIR" -U "$SUPERUSER" -E UTF8 --locale="$locale" \
		--auth-local=trust --auth-host=trust >"$DIR.initdb.log" 2>&1; then
		cat "$DIR.initdb.log" >&2
		die "initdb failed"
	fi
	rm -f "$DIR.initdb.log"
	# Trust, but only for the unix socket (inside DIR) and 127.0.0.1.
	as_pg sh -c 'cat >"$1"' sh "$DIR/pg_hba.conf" <<-'EOF'
		# Written by scripts/localpg.sh: trust local connections only.
		# TYPE  DATABASE  USER  ADDRESS       METHOD
		local   all       all                 trust
		host    all       all   127.0.0.1/32  trust
	EOF
}

start_server() {
	local port=$1 opts
	local sockdir=$DIR
	# A unix socket path must fit in ~107 bytes; if DIR is too deep, go without.
	if ((${#DIR} + 20 > 100)); then
		log "$DIR is too long a path for a unix socket; listening on TCP only"
		sockdir=""
	fi
	opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$sockdir'"
	if [[ $FAST == 1 ]]; then
		opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
	fi
	local note=""
	[[ $FAST == 1 ]] && note=" (fast: fsync off, not durable)"
	log "starting PostgreSQL in $DIR on 127.0.0.1:$port$note"
	# 9>&-: the server must not inherit (and so hold forever) the flock below.
	# The server outlives this script: it must not inherit any open file but
	# stdin/stdout/stderr (a lock held by the caller, e.g. `flock … make test`,
	# or a pipe it was started from would otherwise stay open as long as the
	# cluster runs).
	(
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-"; fi
		done
		as_pg "$BINDIR/pg_ctl" -D "$DIR" -l "$DIR/postgresql.log" -w -t 60 -o "$opts" start >&2
	)
}

# relocate_if_unreachable: as root, when the postgres user cannot reach DIR's
# parent, make DIR a symlink to a folder it can reach (named after DIR's path,
# so the same DIR always finds the same cluster again).
relocate_if_unreachable() {
	if [[ -L $DIR ]]; then
		# The server must be given the real path: it cannot pass the link's folder.
		DIR="$(readlink -m "$DIR")"
		return 0
	fi
	[[ $(id -u) -eq 0 ]] || return 0
	id postgres >/dev/null 2>&1 || return 0
	local parent
	parent="$(dirname "$DIR")"
	if runuser -u postgres -- test -x "$parent" 2>/dev/null; then
		return 0
	fi
	if [[ -e $DIR ]]; then
		die "user postgres cannot reach $DIR (a directory above it is not searchable); move it, or chmod o+x the directories above it"
	fi
	local root=${LOCALPG_ROOT:-/var/tmp/lekwacht-localpg} target
	target="$root/$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)-$(basename "$DIR")"
	mkdir -p "$root"
	chmod 755 "$root"
	runuser -u postgres -- test -x "$root" ||
		die "user postgres cannot reach $root either; set LOCALPG_ROOT to a directory it can reach"
	ln -s "$target" "$DIR"
	log "user postgres cannot reach $parent; the cluster lives in $target ($DIR links to it)"
	DIR=$target
}

cmd_start() {
	mkdir -p "$(dirname "$DIR")"
	DIR="$(realdir "$(dirname "$DIR")")/$(basename "$DIR")"
	relocate_if_unreachable

	# Serialise concurrent starts of the same DIR where flock(1) exists.
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$DIR.lock"
		flock 9
	fi

	if [[ -e $DIR && ! -f $DIR/PG_VERSION ]] && [[ -n "$(ls -A "$DIR" 2>/dev/null)" ]]; then
		die "$DIR exists, is not empty and holds no PostgreSQL cluster"
	fi

	setup_user
	local major=""
	[[ -f $DIR/PG_VERSION ]] && major="$(tr -d '[:space:]' <"$DIR/PG_VERSION")"
	BINDIR="$(find_bindir "$major")"

	[[ -f $DIR/PG_VERSION ]] || initdb_cluster

	local port attempt
	if port="$(running_port)"; then
		log "reusing the PostgreSQL already running in $DIR on 127.0.0.1:$port"
	else
		remove_stale_pidfile
		TRIED_PORTS=" "
		for attempt in 1 2 3 4 5; do
			port="$(pick_port)"
			TRIED_PORTS+="$port "
			if start_server "$port"; then
				as_pg sh -c 'printf "%s\n" "$1" >"$2"' sh "$port" "$DIR/localpg.port" || true
				break
			fi
			# Another process may have started it in the meantime.
			local other
			if other="$(running_port)"; then
				port=$other
				log "reusing the PostgreSQL that came up in $DIR on 127.0.0.1:$port"
				break
			fi
			if tail -n 20 "$DIR/postgresql.log" 2>/dev/null | grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets'; then
				log "port $port was taken; trying another (attempt $attempt)"
				port=""
				continue
			fi
			tail -n 30 "$DIR/postgresql.log" >&2 2>/dev/null || true
			die "PostgreSQL did not start; see $DIR/postgresql.log"
		done
		[[ -n $port ]] || die "PostgreSQL did not start after 5 ports; see $DIR/postgresql.log"
	fi
	wait_ready "$port" 30 || die "PostgreSQL on port $port does not answer; see $DIR/postgresql.log"

	if [[ "$(psql_admin "$port" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != 1 ]]; then
		log "creating database $DBNAME"
		psql_admin "$port" -c "CREATE DATABASE $DBNAME" >&2
	fi
	ensure_roles "$port"
	url_for "$port"
}

cmd_stop() {
	[[ -d $DIR ]] || { log "$DIR does not exist; nothing to stop"; return 0; }
	DIR="$(realdir "$DIR")"
	if [[ ! -f $DIR/PG_VERSION ]]; then
		log "$DIR holds no cluster; nothing to stop"
		return 0
	fi
	if [[ ! -f $DIR/postmaster.pid ]]; then
		log "PostgreSQL in $DIR is not running"
		return 0
	fi
	if ! postmaster_is_ours; then
		remove_stale_pidfile
		log "PostgreSQL in $DIR is not running"
		return 0
	fi
	setup_user
	BINDIR="$(find_bindir "$(tr -d '[:space:]' <"$DIR/PG_VERSION")")"
	log "stopping PostgreSQL in $DIR"
	as_pg "$BINDIR/pg_ctl" -D "$DIR" -m fast -w -t 60 stop >&2
}

cmd_status() {
	[[ -f $DIR/PG_VERSION ]] || { log "$DIR holds no cluster"; return 1; }
	DIR="$(realdir "$DIR")"
	setup_user
	BINDIR="$(find_bindir "$(tr -d '[:space:]' <"$DIR/PG_VERSION")")"
	local port
	if port="$(running_port)"; then
		url_for "$port"
	else
		log "PostgreSQL in $DIR is not running"
		return 1
	fi
}

cmd_remove() {
	local link=$DIR
	cmd_stop
	DIR=$link
	if [[ -L $DIR ]]; then
		local target
		target="$(readlink "$DIR")"
		log "deleting $target"
		rm -rf "$target" "$target.lock"
		rm -f "$DIR"
	elif [[ -e $DIR ]]; then
		log "deleting $DIR"
		rm -rf "$DIR"
	fi
	rm -f "$DIR.lock"
}

# --- main ----------------------------------------------------------------------

[[ $# -ge 2 ]] || usage
CMD=$1
DIR=${2%/}
shift 2
FAST=0
for arg in "$@"; do
	case $arg in
	--fast) FAST=1 ;;
	*) die "unknown option $arg" ;;
	esac
done
[[ -n $DIR ]] || usage

case $CMD in
start) cmd_start ;;
stop) cmd_stop ;;
status | url) cmd_status ;;
remove) cmd_remove ;;
*) usage ;;
esac
