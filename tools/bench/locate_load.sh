#!/usr/bin/env bash
# Load test of GET /api/v1/locate on loopback: builds release, starts `sakshy demo` (Shymkent demo city) on a
# free 127.0.0.1 port with a throw-away SQLite database, drives it with wrk, prints requests/s, p50 and p99,
# and stops the server.
#
#   tools/bench/locate_load.sh                  # 15 s, 2 wrk threads, 64 connections, nothing pinned
#   DURATION=30 CONNECTIONS=128 tools/bench/locate_load.sh
#   SERVER_CPUS=0 WRK_CPUS=1 tools/bench/locate_load.sh   # server and load generator on separate cores
#
# Needs wrk (Debian: apt-get install -y wrk). The query points are 10,000 of the locate bench's demo-city
# points that fall inside a quadrant (written by `cargo run --release -p sakshy-core --example bench_data`),
# taken round-robin, so every request is a 200 with the quadrant, its officers and the 3 nearest police points.
set -euo pipefail

DURATION=${DURATION:-15}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
SERVER_CPUS=${SERVER_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}

cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

cargo build --release -q -p sakshy-cli
cargo build --release -q -p sakshy-core --example bench_data

work=$(mktemp -d /tmp/sakshy-load.XXXXXX)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

target/release/examples/bench_data "$work/data" >/dev/null

# 10,000 points inside a quadrant, as a Lua table.
{
    echo "points = {"
    paste -d' ' <(tail -n +2 "$work/data/demo_points.csv") "$work/data/demo_ours.txt" \
        | awk 'NF == 2 && n++ < 10000 { split($1, c, ","); printf "{\"%s\",\"%s\"},\n", c[2], c[1] }'
    echo "}"
    cat <<'LUA'
local counter = 0
function setup(thread)
    counter = counter + 1
    thread:set("offset", counter * 2477)
end
function init(args)
    counter = offset or 0
end
function request()
    counter = counter + 1
    local p = points[counter % #points + 1]
    return wrk.format("GET", "/api/v1/locate?lat=" .. p[1] .. "&lon=" .. p[2])
end
function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d\n",
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, bad))
end
LUA
} > "$work/locate.lua"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=(target/release/sakshy demo --addr "127.0.0.1:$port" --db "sqlite:$work/sakshy.db")
if [[ -n "$SERVER_CPUS" ]]; then server=(taskset -c "$SERVER_CPUS" "${server[@]}"); fi
"${server[@]}" 2>"$work/server.log" &
server_pid=$!

probe="http://127.0.0.1:$port/api/v1/locate?lat=42.3&lon=69.6"
for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "$probe"; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.5
done
curl -sf -o /dev/null "$probe" || { echo "the server did not answer" >&2; cat "$work/server.log" >&2; exit 1; }

load=(wrk -t "$THREADS" -c "$CONNECTIONS" -s "$work/locate.lua" --latency "http://127.0.0.1:$port")
if [[ -n "$WRK_CPUS" ]]; then load=(taskset -c "$WRK_CPUS" "${load[@]}"); fi
echo "== warm-up (3 s)"
"${load[@]}" -d 3s >/dev/null
echo "== $(nproc) CPUs; server on: ${SERVER_CPUS:-any}; wrk on: ${WRK_CPUS:-any}; $THREADS threads, $CONNECTIONS connections, ${DURATION} s"
"${load[@]}" -d "${DURATION}s"
