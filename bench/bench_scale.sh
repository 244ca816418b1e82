#!/usr/bin/env bash
# bench_scale.sh — how cost grows with the archive: archives derived from the 38k corpus at 1x, 4x and 16x
# (index time, size, query p50/p99), then one database vs two local shards vs two remote shards (xapian-tcpsrv).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$here/../shared/corpus/vnnews-38k.jsonl.gz}
tracuu=${TRACUU:-$here/build/release/tracuu}
bench_query=${BENCH_QUERY:-$here/build/release/bench/bench_query}
scales=${SCALES:-1 4 16}
work=${WORK:-/tmp/tracuu-scale}
mkdir -p "$work"
pids=()
declare -A index_secs
trap 'for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done' EXIT

# derive K: the corpus K times over, copy c with ids suffixed ~c and dates moved back 2c years,
# so the archive spans more years the way a real one would. Written to stdout.
derive() {
  /usr/bin/python3 - "$corpus" "$1" <<'EOF'
import gzip, json, re, sys
path, copies = sys.argv[1], int(sys.argv[2])
lines = gzip.open(path, "rt", encoding="utf-8").read().splitlines()
out = sys.stdout
for c in range(copies):
    for line in lines:
        a = json.loads(line)
        if c:
            a["id"] = "%s~%d" % (a["id"], c)
            d = a.get("date")
            m = re.match(r"(\d{4})(.*)", d) if isinstance(d, str) else None
            if m:
                a["date"] = "%04d%s" % (int(m.group(1)) - 2 * c, m.group(2))
        out.write(json.dumps(a, ensure_ascii=False) + "\n")
EOF
}

/usr/bin/python3 "$here/bench/relevance.py" --corpus "$corpus" --write-queries "$work/queries.tsv" >/dev/null
base=$(zcat "$corpus" | wc -l)
echo "archives derived from $(basename "$corpus") ($base articles): copy c has its ids rewritten and its dates moved back 2c years"
echo "queries: $(wc -l <"$work/queries.tsv") (bench/relevance.py's sets), with snippets, exact facets, timeline and suggestion; second pass timed"
printf "%-6s %10s %10s %12s %10s %12s %9s %9s\n" scale articles "index s" articles/s "index MB" "peak RSS MB" "p50 ms" "p99 ms"
latency() { "$bench_query" "$1" - "$work/queries.tsv" 2>/dev/null | awk '/^tracuu/ {print $(NF-2), $(NF-1)}'; }
# REUSE=1 keeps archives indexed by an earlier run (and the index figures it recorded)
for k in $scales; do
  db=$work/x$k
  if [ "${REUSE:-0}" != 1 ] || [ ! -s "$db.time" ]; then
    rm -rf "$db"
    derive "$k" >"$work/input.jsonl"
    /usr/bin/time -f "%e %M" -o "$db.time" "$tracuu" index --progress never --db "$db" "$work/input.jsonl" >/dev/null
    rm -f "$work/input.jsonl"
  fi
  read -r secs kb <"$db.time"
  index_secs[$k]=$secs
  read -r p50 p99 < <(latency "$db")
  n=$((base * k))
  printf "%-6s %10d %10.0f %12.0f %10.0f %12.0f %9s %9s\n" "${k}x" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" \
    "$(du -sm "$db" | cut -f1)" "$(echo "$kb / 1024" | bc -l)" "$p50" "$p99"
done

# the same 1x archive as two shards, searched locally and through two xapian-tcpsrv on loopback
k=$(echo "$scales" | awk '{print $1}')
if [ "${REUSE:-0}" != 1 ] || [ ! -s "$work/two.time" ]; then
  derive "$k" >"$work/input.jsonl"
  rm -rf "$work/two"
  /usr/bin/time -f "%e %M" -o "$work/two.time" "$tracuu" index --progress never --db "$work/two" --shards 2 "$work/input.jsonl" >/dev/null
  rm -f "$work/input.jsonl"
fi
read -r shard_secs shard_kb <"$work/two.time"
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
p1=$(port); p2=$(port)
setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$p1" "$work/two/shard-000" & pids+=($!)
setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$p2" "$work/two/shard-001" & pids+=($!)
sleep 1
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$p1" "$p2" >"$work/remote.stub"
echo
echo "${k}x archive, same queries:"
printf "%-34s %10s %9s %9s\n" layout "index s" "p50 ms" "p99 ms"
read -r p50 p99 < <(latency "$work/x$k")
printf "%-34s %10.0f %9s %9s\n" "one database" "${index_secs[$k]}" "$p50" "$p99"
read -r p50 p99 < <(latency "$work/two")
printf "%-34s %10.0f %9s %9s\n" "two local shards (--shards 2)" "$shard_secs" "$p50" "$p99"
read -r p50 p99 < <(latency "$work/remote.stub")
printf "%-34s %10s %9s %9s\n" "two remote shards (xapian-tcpsrv)" "(same)" "$p50" "$p99"
