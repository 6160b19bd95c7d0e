#!/usr/bin/env bash
# Page latency of the resident portal and the staff console on the demo data, under wrk on loopback.
#
# Builds release, starts `sakshy demo` (Shymkent, 300 synthetic appeals) on a free 127.0.0.1 port with a temporary
# SQLite file, files one appeal through the API for a tracking page, signs the demo supervisor in for the staff
# pages, then for each page runs wrk for DURATION seconds with THREADS threads and CONNECTIONS connections and
# prints requests/s, p50, p99 and the size of one answer.
#
#   tools/bench/pages_load.sh                     # 10 s per page, 2 threads, 8 connections
#   DURATION=20 CONNECTIONS=32 tools/bench/pages_load.sh
#
# Needs wrk (Debian: apt-get install -y wrk).
set -euo pipefail

DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-8}

cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
cargo build --release -q -p sakshy-cli

work=$(mktemp -d /tmp/sakshy-pages.XXXXXX)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
target/release/sakshy demo --addr "127.0.0.1:$port" --db "sqlite:$work/sakshy.db" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$base/healthz" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.5
done

# A tracking page to read: one appeal filed through the API.
token=$(curl -sf -X POST "$base/api/v1/appeals" -H 'Content-Type: application/json' \
    -d '{"category": "NOISE", "description": "Loud music every night", "location": {"lat": 42.29871, "lon": 69.6103}, "contact": {"name": "Bench", "phone": "+7 701 000 00 00"}, "consent": true}' \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["tracking_token"])')

# The staff pages: sign the demo supervisor in (the demo prints its password) and keep the session cookie.
login=$(cat "$work/server.out" "$work/server.log" | awk '/password demo-/ && $2 == "supervisor" && $3 == "(city)" {print $1; exit}')
password=${login:+demo-$login}
cookie=
if [[ -n "$password" ]]; then
    jar="$work/cookies"
    csrf=$(curl -sf -c "$jar" "$base/login" | grep -oE 'name="csrf" value="[^"]+"' | head -n 1 | sed 's/.*value="//; s/"$//')
    curl -sf -o /dev/null -b "$jar" -c "$jar" -X POST "$base/login" \
        --data-urlencode "csrf=$csrf" --data-urlencode "next=/staff" \
        --data-urlencode "login=$login" --data-urlencode "password=$password" || true
    cookie=$(awk '$6 == "sakshy_session" {print "sakshy_session=" $7}' "$jar")
fi

run() {
    local name=$1 path=$2
    local bytes
    bytes=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$base$path")
    local out
    out=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency -H "Cookie: $cookie" "$base$path")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    printf 'PAGE %-28s bytes=%-7s rps=%-9s p50=%-9s p99=%-9s non2xx=%s\n' "$name" "$bytes" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo "== $(nproc) CPUs; $THREADS threads, $CONNECTIONS connections, ${DURATION} s per page"
run "find my inspector (kk)" "/?lang=kk"
run "address search (ru)" "/find?q=%D0%BF%D1%80%D0%B8%D0%B2%D0%BE%D0%BA%D0%B7%D0%B0%D0%BB%D1%8C%D0%BD%D0%B0%D1%8F&lang=ru"
run "quadrant page (kk)" "/q/SHY-ALF-Q01?lang=kk"
run "file an appeal (kk)" "/appeal/new?lang=kk"
run "tracking (en)" "/track/$token?lang=en"
run "api docs (ru)" "/api/docs?lang=ru"
if [[ -n "$cookie" ]]; then
    run "staff queue (supervisor)" "/staff?lang=kk"
    run "staff queue, overdue" "/staff?overdue=true&lang=kk"
else
    echo "no demo supervisor password found in the demo's output: staff pages skipped" >&2
fi
