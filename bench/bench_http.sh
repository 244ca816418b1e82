#!/usr/bin/env bash
# bench_http.sh — wrk at 64 connections against `tracuu serve` (a mix of realistic queries on the
# 38k index) and, in the same run, against a libmicrohttpd server returning a fixed 1 KB body.
# Usage: bench_http.sh [INDEX] [QUERIES.tsv] [SECONDS]; prints requests/s, latency, errors, memory,
# with the answer cache (the default) and without it (--cache-mb 0), and with a long tail: 1 request in
# TAIL_EVERY (20) a query never asked before, made of two or three words of the query list.
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
python3 - "$queries" "${TAIL_EVERY:-20}" > "$work/tail.lua" <<'PY'
import sys, urllib.parse
qs = [l.rstrip("\n").split("\t", 1)[1] for l in open(sys.argv[1]) if "\t" in l]
words = sorted({w for q in qs for w in q.replace('"', " ").split() if ":" not in w})
print("paths = {" + ",".join('"/api/search?q=%s"' % urllib.parse.quote_plus(q) for q in qs) + "}")
print("words = {" + ",".join('"%s"' % urllib.parse.quote_plus(w) for w in words) + "}")
print("every = %d\ni = 0" % int(sys.argv[2]))
print("""init = function(args) math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000) end
request = function()
  i = i + 1
  if i % every == 0 then
    local q = words[math.random(#words)] .. "+" .. words[math.random(#words)]
    if math.random(2) == 1 then q = q .. "+" .. words[math.random(#words)] end
    return wrk.format('GET', "/api/search?q=" .. q)
  end
  return wrk.format('GET', paths[i % #paths + 1])
end""")
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
wrk_run() { # PORT SECONDS PID RSS [SCRIPT]
  local script=${5:-$work/paths.lua}
  ( for _ in $(seq 1 $(($2 / 10))); do sleep 10; printf "%s " "$(rss "$3")"; done ) >"$work/mem" &
  local sampler=$!
  wrk -t2 -c64 -d"$2s" --latency -s "$script" "http://127.0.0.1:$1/" | grep -E "Requests/sec|50%|99%|errors|Socket"
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
echo "== the same daemon and cache, 1 request in ${TAIL_EVERY:-20} a query not seen before (a long tail), ${secs}s"
before=$(curl -s "http://127.0.0.1:18180/metrics" | awk '/^tracuu_cache_lookups_total/ {print $2}' | paste -sd' ')
wrk_run 18180 "$secs" "$serve" "$(rss "$serve")" "$work/tail.lua"
after=$(curl -s "http://127.0.0.1:18180/metrics" | awk '/^tracuu_cache_lookups_total/ {print $2}' | paste -sd' ')
echo "$before $after" | awk '{h = $3 - $1; m = $4 - $2; printf "cache hit rate during the run: %.1f%% (%d hits, %d misses)\n", 100 * h / (h + m), h, m}'
echo "== tracuu serve --cache-mb 0 (every request searched), same queries, 64 connections, ${secs}s"
wrk_run 18182 "$secs" "$nocache" "$(rss "$nocache")"
echo "== fixed 1 KB libmicrohttpd server, 64 connections, ${secs}s"
wrk -t2 -c64 -d"${secs}s" --latency http://127.0.0.1:18181/ | grep -E "Requests/sec|50%|99%|Socket"
