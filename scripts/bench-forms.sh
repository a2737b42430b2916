#!/bin/sh
# bench-forms.sh: web forms over HTTP from a separate load-generator
# process. Builds leadwire, then `leadwire bench forms --serve`, which
# writes a temporary config (one form, rate limits off, SQLite with
# synchronous=FULL in a temporary folder), starts `leadwire serve` as a
# child on a free loopback port, waits for /healthz, posts forms from 64
# kept-alive connections for 10s, asks /healthz as hard, prints forms/s,
# p50/p90/p99/max, errors and the ratio, stops the server and checks that
# every post answered 201 was stored. Needs Go only.
#
#   scripts/bench-forms.sh                          # 64 connections, 10s, 2s warm-up
#   scripts/bench-forms.sh --conns 16 --duration 30s
#   scripts/bench-forms.sh --listen 127.0.0.1:18100 --cpu-profile /tmp/serve.pprof --no-healthz
#   scripts/bench-forms.sh --url http://127.0.0.1:8080/forms/contact   # a server already running
#
# Without --url it serves itself (--serve); LEADWIRE_BIN names a leadwire
# binary to use instead of building one.
set -eu
cd "$(dirname "$0")/.."
bin=${LEADWIRE_BIN:-}
if [ -z "$bin" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/leadwire-bench-bin-XXXXXX")
	trap 'rm -rf "$dir"' EXIT
	bin=$dir/leadwire
	go build -o "$bin" ./cmd/leadwire
fi
case " $* " in
*" --url"*) "$bin" bench forms "$@" ;;
*) "$bin" bench forms --serve "$@" ;;
esac
