#!/usr/bin/env bash
# bench_http.sh — wrk at 64 connections against `tracuu serve` (a mix of realistic queries on the
# 38k index) and, in the same run, against a libmicrohttpd server returning a fixed 1 KB body.
# Usage: bench_http.sh [INDEX] [QUERIES.tsv] [SECONDS]; prints requests/s, latency, errors, memory,
# with the answer cache (the default) and without it (--cache-mb 0).
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
"$bin/tracuu" serve --db "$db" --listen 127.0.0.1:18182 --threads 4 --cache-mb 0 2>"$work/serve-nocache.log" &
nocache=$!
"$bin/bench/fixed_server" 18181 4 &
sleep 2
rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# wrk_run PORT SECONDS PID: wrk's figures, and the daemon's memory every 10 s while it runs
wrk_run() {
  ( for _ in $(seq 1 $(($2 / 10))); do sleep 10; printf "%s " "$(rss "$3")"; done ) >"$work/mem" &
  local sampler=$!
  wrk -t2 -c64 -d"$2s" --latency -s "$work/paths.lua" "http://127.0.0.1:$1/" | grep -E "Requests/sec|50%|99%|errors|Socket"
  wait "$sampler"
  echo "daemon memory (MB) at start, then every 10 s: $4 $(cat "$work/mem")"
}
curl -s "http://127.0.0.1:18180/api/search?q=ha+noi" >/dev/null
curl -s "http://127.0.0.1:18182/api/search?q=ha+noi" >/dev/null
# one pass over the queries first, so the cached run measures a warm cache (the cold pass is
# what the uncached run below measures)
started=$(date +%s.%N)
python3 -c "
import sys, urllib.parse, urllib.request
for l in open(sys.argv[1]):
    if '\t' in l:
        urllib.request.urlopen('http://127.0.0.1:18180/api/search?q=' + urllib.parse.quote_plus(l.rstrip('\n').split('\t', 1)[1])).read()
" "$queries"
printf "cache warmed by one pass over the queries in %.1f s\n" "$(echo "$(date +%s.%N) - $started" | bc -l)"
echo "== tracuu serve, /api/search, $(grep -c . "$queries") queries in rotation, 64 connections, ${secs}s (answer cache on, the default)"
wrk_run 18180 "$secs" "$serve" "$(rss "$serve")"
curl -s "http://127.0.0.1:18180/metrics" | grep -E '^tracuu_cache_(lookups_total|entries|bytes)'
echo "== tracuu serve --cache-mb 0 (every request searched), same queries, 64 connections, ${secs}s"
wrk_run 18182 "$secs" "$nocache" "$(rss "$nocache")"
echo "== fixed 1 KB libmicrohttpd server, 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency http://127.0.0.1:18181/ | grep -E "Requests/sec|50%|99%|Socket"
