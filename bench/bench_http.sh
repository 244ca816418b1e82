#!/usr/bin/env bash
# bench_http.sh — wrk at 64 connections against `tracuu serve` (a mix of realistic queries on the
# 38k index) and, in the same run, against a libmicrohttpd server returning a fixed 1 KB body.
# Usage: bench_http.sh [INDEX] [QUERIES.tsv] [SECONDS]; prints requests/s, latency, errors, memory.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
db=${1:-/tmp/tracuu-bench/tracuu}
queries=${2:-}
secs=${3:-60}
bin=$here/build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
if [ -z "$queries" ]; then
  queries=$work/queries.tsv
  /usr/bin/python3 "$here/bench/relevance.py" --write-queries "$queries"
fi
# a Lua script that walks the query list, URL-encoded, for the search API with facets and snippets
python3 - "$queries" > "$work/paths.lua" <<'PY'
import sys, urllib.parse
qs = [l.rstrip("\n").split("\t", 1)[1] for l in open(sys.argv[1]) if "\t" in l]
print("paths = {" + ",".join('"/api/search?q=%s"' % urllib.parse.quote_plus(q) for q in qs) + "}")
print("i = 0\nrequest = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end")
print("done = function(s, l, r) io.write(string.format('errors: %d non-2xx, %d socket\\n', s.errors.status, s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout)) end")
PY
"$bin/tracuu" serve --db "$db" --listen 127.0.0.1:18180 --threads 4 2>"$work/serve.log" &
serve=$!
"$bin/bench/fixed_server" 18181 4 &
sleep 2
rss() { awk '/VmRSS/ {print $2 / 1024}' "/proc/$1/status"; }
curl -s "http://127.0.0.1:18180/api/search?q=ha+noi" >/dev/null
before=$(rss "$serve")
echo "== tracuu serve, /api/search, $(grep -c . "$queries") queries in rotation, 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency -s "$work/paths.lua" http://127.0.0.1:18180/ | grep -E "Requests/sec|50%|99%|errors|Socket"
after=$(rss "$serve")
echo "== fixed 1 KB libmicrohttpd server, 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency http://127.0.0.1:18181/ | grep -E "Requests/sec|50%|99%|Socket"
printf "daemon memory: %.0f MB before, %.0f MB after\n" "$before" "$after"
