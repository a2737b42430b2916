#!/usr/bin/env bash
# scripts/test.sh — run leadwire's tests against real, throwaway servers.
#
#   scripts/test.sh                         # go test -race -count=1 ./...
#   scripts/test.sh -run Capture            # extra flags; packages default to ./...
#   scripts/test.sh -run Foo ./storage/...  # with packages of your own
#
# It installs PostgreSQL and Dovecot from Debian if they are missing (and the
# CJK font the chart tests draw Chinese with, fonts-wqy-microhei), starts
# one of each on 127.0.0.1 on free ports in a fresh temporary folder, exports
# where they are (internal/testenv reads these), runs go test, and always
# stops both and removes the folder. Exit status is go test's.
#
#   LEADWIRE_TEST_POSTGRES     postgres://leadwire:leadwire@127.0.0.1:PORT/leadwire_test?sslmode=disable
#                              (a superuser: tests create databases of their own)
#   LEADWIRE_TEST_IMAP         127.0.0.1:PORT (plaintext IMAP, no TLS)
#   LEADWIRE_TEST_IMAP_USERS   lead1:secret,lead2:secret,lead3:secret,lead4:secret
#   LEADWIRE_TEST_IMAP_PASSWD  Dovecot passwd-file; append "user:{PLAIN}password"
#                              to add an account, usable at once
#   LEADWIRE_TEST_IDP_ADDR     127.0.0.1:PORT where Dovecot's oauth2 passdb asks a
#                              test identity provider (the tests start it there)
#                              whether a bearer token is active
#
# Set LEADWIRE_TEST_RACE=0 to test without -race (benchmarks: the race
# detector slows everything several times).
# Set LEADWIRE_TEST_KEEP=1 to keep the temporary folder (server logs) until the
# next run, which clears folders left by runs that have ended.
set -euo pipefail

say() { printf 'test.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ -d /usr/local/go/bin ] && case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) PATH="/usr/local/go/bin:$PATH" ;; esac
command -v go >/dev/null || die "go not found"
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo -n); fi

# --- find or install the servers ------------------------------------------

# pg_bindir prints the first folder that holds postgres, initdb and pg_ctl.
pg_bindir() {
	local d candidates=()
	if command -v postgres >/dev/null; then
		candidates+=("$(dirname "$(readlink -f "$(command -v postgres)")")")
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do candidates+=("$d"); done
	for d in "${candidates[@]}"; do
		if [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# dovecot_bin prints the dovecot binary, if its imap service is installed too.
dovecot_bin() {
	local bin d
	bin=$(PATH="$PATH:/usr/sbin:/usr/local/sbin" command -v dovecot) || return 1
	for d in /usr/lib/dovecot /usr/libexec/dovecot /usr/local/libexec/dovecot; do
		[ -x "$d/imap" ] && { echo "$bin"; return 0; }
	done
	return 1
}

need=()
pg_bindir >/dev/null || need+=(postgresql)
dovecot_bin >/dev/null || need+=(dovecot-imapd)
# The Chinese chart pictures are drawn with WenQuanYi Micro Hei: 1.6 MB, a
# few seconds (fonts-noto-cjk is 56 MB).
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
	say "installing ${need[*]} (apt-get)"
	aptlog=$(mktemp)
	if ! { "${SUDO[@]}" apt-get update -q &&
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends "${need[@]}"; } >"$aptlog" 2>&1; then
		cat "$aptlog" >&2
		rm -f "$aptlog"
		die "could not install ${need[*]}"
	fi
	rm -f "$aptlog"
fi
PGBIN=$(pg_bindir) || die "PostgreSQL installed but postgres/initdb/pg_ctl not found"
DOVECOT=$(dovecot_bin) || die "Dovecot installed but dovecot or its imap service not found"

# --- the unprivileged user that owns the data -----------------------------
# initdb refuses root and Dovecot will not deliver mail as root, so as root
# both run as a system user; as anyone else, as that user.
if [ "$(id -u)" = 0 ]; then
	RUN_USER=leadwire-test
	if ! id -u "$RUN_USER" >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$RUN_USER"
	fi
	# From /, which that user can always enter, whatever folder this runs in.
	as_run_user() { (cd / && runuser -u "$RUN_USER" -- "$@"); }
	# Dovecot's own unprivileged users, made by the dovecot-core package.
	LOGIN_USER=dovenull INTERNAL_USER=dovecot INTERNAL_GROUP=dovecot
else
	RUN_USER=$(id -un)
	as_run_user() { "$@"; }
	LOGIN_USER=$RUN_USER INTERNAL_USER=$RUN_USER INTERNAL_GROUP=$(id -gn)
fi
RUN_UID=$(id -u "$RUN_USER") RUN_GID=$(id -g "$RUN_USER")

# --- clean up after earlier runs that were killed -------------------------
TMPBASE=${TMPDIR:-/tmp}

# stop_pid ends the process in pidfile $1 if it is still the program named $2,
# and waits up to 10 s for it to go.
stop_pid() {
	local pid i
	[ -f "$1" ] || return 0
	pid=$(head -n1 "$1" 2>/dev/null) || return 0
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 0
	kill -"${3:-TERM}" "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		[ -d "/proc/$pid" ] || return 0
		sleep 0.1
	done
	say "warning: $2 (pid $pid) did not stop"
}

stop_servers() { # $1: a run's temporary folder
	# SIGQUIT is PostgreSQL's immediate shutdown: nothing there is worth a checkpoint.
	stop_pid "$1/pg/data/postmaster.pid" postgres QUIT
	stop_pid "$1/dovecot/run/master.pid" dovecot TERM
}

for old in "$TMPBASE"/leadwire-test.*; do
	[ -f "$old/owner" ] || continue
	owner=$(cat "$old/owner" 2>/dev/null || true)
	[[ $owner =~ ^[0-9]+$ ]] && kill -0 "$owner" 2>/dev/null && continue
	say "removing stale run $old"
	stop_servers "$old"
	rm -rf "$old"
done

# --- a fresh temporary folder ---------------------------------------------
T=$(mktemp -d "$TMPBASE/leadwire-test.XXXXXX")
echo $$ >"$T/owner"
chmod 755 "$T" # the servers' users must reach their folders inside

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_servers "$T"
	if [ "${LEADWIRE_TEST_KEEP:-}" = 1 ]; then
		say "kept $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# free_port prints a port on 127.0.0.1 that nothing listens on, below the
# kernel's ephemeral range so outgoing connections do not take it meanwhile.
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# --- PostgreSQL -----------------------------------------------------------
PG_USER=leadwire PG_PASS=leadwire
mkdir -p "$T/pg/data" "$T/pg/sock"
printf '%s\n' "$PG_PASS" >"$T/pg/pwfile"
chown -R "$RUN_USER:" "$T/pg"
chmod 700 "$T/pg/data"
as_run_user "$PGBIN/initdb" -D "$T/pg/data" -U "$PG_USER" --pwfile="$T/pg/pwfile" \
	--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
	>"$T/pg/initdb.log" 2>&1 || { cat "$T/pg/initdb.log" >&2; die "initdb failed"; }
cat >>"$T/pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$T/pg/sock'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

for ((try = 1; ; try++)); do
	PG_PORT=$(free_port)
	if as_run_user "$PGBIN/pg_ctl" -D "$T/pg/data" -l "$T/pg/postgres.log" \
		-o "-p $PG_PORT" -w -t 60 start >/dev/null 2>&1; then
		break
	fi
	# Most likely the port was taken between the check and the start.
	[ "$try" -lt 5 ] || { tail -n 20 "$T/pg/postgres.log" >&2; die "PostgreSQL did not start"; }
done
PGPASSWORD=$PG_PASS "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
	-c 'CREATE DATABASE leadwire_test' >/dev/null || die "could not create database leadwire_test"
export LEADWIRE_TEST_POSTGRES="postgres://$PG_USER:$PG_PASS@127.0.0.1:$PG_PORT/leadwire_test?sslmode=disable"
say "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

# --- Dovecot --------------------------------------------------------------
D=$T/dovecot
mkdir -p "$D" "$T/mail"
chown "$RUN_USER:" "$T/mail"
IMAP_USERS=lead1:secret,lead2:secret,lead3:secret,lead4:secret
tr , '\n' <<<"$IMAP_USERS" | sed 's/:/:{PLAIN}/' >"$D/passwd"
chmod 644 "$D/passwd"

# imap_greets succeeds when an IMAP server on port $1 answers "* OK".
imap_greets() (
	exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
	IFS= read -r -t 2 line <&3 || exit 1
	[[ $line == "* OK"* ]]
)

# Dovecot checks OAuth 2.0 tokens (XOAUTH2, OAUTHBEARER) by asking the
# introspection endpoint of an identity provider on IDP_PORT, which the
# tests start themselves (internal/idptest, on LEADWIRE_TEST_IDP_ADDR): a
# loopback port of this run, so runs in parallel each have their own.
IDP_PORT=$(free_port)
cat >"$D/oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = http://127.0.0.1:$IDP_PORT/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
EOF
chmod 644 "$D/oauth2.conf.ext"

for ((try = 1; ; try++)); do
	IMAP_PORT=$(free_port)
	cat >"$D/dovecot.conf" <<EOF
# Written by scripts/test.sh for one test run; nothing here is for production.
instance_name = leadwire-test-$IMAP_PORT
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
default_login_user = $LOGIN_USER
default_internal_user = $INTERNAL_USER
default_internal_group = $INTERNAL_GROUP
first_valid_uid = $RUN_UID
last_valid_uid = 0
first_valid_gid = $RUN_GID
mail_location = maildir:$T/mail/%u
mail_fsync = never
mail_max_userip_connections = 1000
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $D/passwd
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $D/oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=$RUN_UID gid=$RUN_GID home=$T/mail/%u
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
	# Started as a daemon, it writes $D/run/master.pid for stop_servers.
	if "$DOVECOT" -c "$D/dovecot.conf" >"$D/start.log" 2>&1; then
		for ((i = 0; i < 100; i++)); do
			imap_greets "$IMAP_PORT" 2>/dev/null && break 2
			sleep 0.1
		done
	fi
	stop_pid "$D/run/master.pid" dovecot
	[ "$try" -lt 5 ] || { cat "$D/start.log" >&2; tail -n 20 "$D/dovecot.log" >&2 2>/dev/null; die "Dovecot did not start"; }
done
export LEADWIRE_TEST_IMAP="127.0.0.1:$IMAP_PORT"
export LEADWIRE_TEST_IMAP_USERS=$IMAP_USERS
export LEADWIRE_TEST_IMAP_PASSWD=$D/passwd
export LEADWIRE_TEST_IDP_ADDR=127.0.0.1:$IDP_PORT
say "Dovecot $("$DOVECOT" --version | awk '{print $1}') on $LEADWIRE_TEST_IMAP"

# --- the tests ------------------------------------------------------------
# With no package pattern among the arguments, test every package.
args=(./... "$@")
for a in "$@"; do
	case $a in .|..|./*|../*|leadwire|leadwire/*) args=("$@") ;; esac
done
race=(-race)
[ "${LEADWIRE_TEST_RACE:-1}" = 0 ] && race=()
# A package's tests may take minutes under -race on a busy 2-core machine:
# go test's default 10-minute limit would kill a slow but passing run.
# The tests marked parallel mostly wait on servers and queues, not the CPU,
# so more of them run at once than the 2 cores go test would allow.
say "go test ${race[*]} -count=1 -timeout 30m -parallel 6 ${args[*]}"
set +e
go test "${race[@]}" -count=1 -timeout 30m -parallel 6 "${args[@]}"
rc=$?
set -e
exit "$rc"
