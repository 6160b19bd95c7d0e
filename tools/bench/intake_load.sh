#!/usr/bin/env bash
# Load test of POST /api/v1/appeals (appeal intake) on loopback, on SQLite and on PostgreSQL, each next to the raw
# insert limit of the same backend measured in the same run.
#
# For each backend: builds release, starts `sakshy demo` (Shymkent demo city) on a free 127.0.0.1 port — SQLite in
# a temporary file, PostgreSQL in a fresh database `sakshy_bench_<random>` on 127.0.0.1:5432 (dropped at the
# end) — waits for /healthz, drives it with wrk and tools/bench/intake.lua (NOISE/LIGHTING/GARBAGE appeals at
# random points of the central area, with contact and consent), prints requests/s, p50, p99 and the count of
# non-2xx answers, stops the server, then runs the `insert_rate` example on the same database (the same
# Store::connect, so the same durability: WAL + synchronous=NORMAL on SQLite, PostgreSQL's default fsync) for the
# raw appeals/s with 1 and 32 tasks, and prints the ratio HTTP / raw.
#
#   tools/bench/intake_load.sh                      # both backends, 15 s, 2 wrk threads, 32 connections
#   BACKENDS=sqlite DURATION=30 tools/bench/intake_load.sh
#   PGHOST=127.0.0.1 PGUSER=postgres tools/bench/intake_load.sh
#
# Needs wrk (Debian: apt-get install -y wrk) and, for PostgreSQL, psql and a server that trusts $PGUSER.
set -euo pipefail

DURATION=${DURATION:-15}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
RAW_SECONDS=${RAW_SECONDS:-10}
RAW_TASKS=${RAW_TASKS:-32}
BACKENDS=${BACKENDS:-sqlite postgres}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}

cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

cargo build --release -q -p sakshy-cli
cargo build --release -q -p sakshy-cli --example insert_rate

work=$(mktemp -d /tmp/sakshy-intake.XXXXXX)
server_pid=
pg_db=
stop_server() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}
cleanup() {
    stop_server
    if [[ -n "$pg_db" ]]; then
        psql -h "$PGHOST" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

for backend in $BACKENDS; do
    case "$backend" in
        sqlite) db="sqlite:$work/sakshy.db" ;;
        postgres)
            pg_db="sakshy_bench_$(python3 -c 'import secrets; print(secrets.token_hex(5))')"
            psql -h "$PGHOST" -U "$PGUSER" -d postgres -qc "CREATE DATABASE $pg_db" >/dev/null
            db="postgres://$PGUSER@$PGHOST:5432/$pg_db"
            ;;
        *) echo "unknown backend $backend" >&2; exit 1 ;;
    esac

    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    target/release/sakshy demo --addr "127.0.0.1:$port" --db "$db" 2>"$work/server-$backend.log" &
    server_pid=$!
    for _ in $(seq 1 240); do
        if curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; then break; fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$backend.log" >&2; exit 1; }
        sleep 0.5
    done
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" \
        || { echo "the server did not answer" >&2; cat "$work/server-$backend.log" >&2; exit 1; }

    load=(wrk -t "$THREADS" -c "$CONNECTIONS" -s tools/bench/intake.lua --latency "http://127.0.0.1:$port")
    echo "== $backend: warm-up (3 s)"
    "${load[@]}" -d 3s >/dev/null
    echo "== $backend: $(nproc) CPUs; $THREADS threads, $CONNECTIONS connections, ${DURATION} s"
    "${load[@]}" -d "${DURATION}s" | tee "$work/wrk-$backend.txt"
    stop_server

    echo "== $backend: raw Store::create_appeal, ${RAW_SECONDS} s each with 1 and $RAW_TASKS tasks"
    target/release/examples/insert_rate "$db" "$RAW_SECONDS" "$RAW_TASKS" | tee "$work/raw-$backend.txt"

    http=$(sed -n 's/^RESULT.* rps=\([0-9]*\).*/\1/p' "$work/wrk-$backend.txt")
    raw=$(sed -n "s/^RAW.* tasks=$RAW_TASKS .* rate=\([0-9]*\).*/\1/p" "$work/raw-$backend.txt")
    awk -v b="$backend" -v h="$http" -v r="$raw" \
        'BEGIN { printf "RATIO backend=%s http_rps=%d raw_rate=%d http_over_raw=%.2f\n", b, h, r, (r > 0 ? h / r : 0) }'

    if [[ "$backend" == postgres ]]; then
        psql -h "$PGHOST" -U "$PGUSER" -d postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
        pg_db=
    fi
done
