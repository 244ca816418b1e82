#!/usr/bin/env bash
# test_shards.sh — sharded indexes (by id hash and by year), remote shards behind xapian-tcpsrv, a shard
# going down and coming back under a running daemon, compaction, and a replica kept by xapian-replicate.
. "$(dirname "$0")/lib.sh"
pids=()
cleanup_hook() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# xapian-tcpsrv signals its whole process group when it stops: each runs in a session of its own
start_tcpsrv() { setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$1" "$2" >/dev/null 2>&1 & pids+=($!); TCPSRV=$!; wait_port "$1"; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

ONE=$WORK/one TWO=$WORK/two YEARS=$WORK/years
"$TRACUU" index --progress never --db "$ONE" "$SAMPLE" "$SEED" >/dev/null 2>&1
# served by xapian-tcpsrv below, so its positions are in Xapian's table (docs/operations.md)
out=$("$TRACUU" index --progress never --db "$TWO" --shards 2 --positions xapian "$SAMPLE" "$SEED" 2>/dev/null)
eq "sharded run indexes everything" "$(jq .indexed <<<"$out")" 2001
"$TRACUU" index --progress never --db "$YEARS" --shard-by year "$SAMPLE" "$SEED" >/dev/null 2>&1
check "stub lists the hash shards" grep -qx "auto shard-001" "$TWO/XAPIANDB"
check "stub lists the years" grep -qx "auto year-2024" "$YEARS/XAPIANDB"
check "undated articles have a shard" grep -qx "auto undated" "$YEARS/XAPIANDB"
eq "stats over shards" "$("$TRACUU" stats --db "$TWO" --json | jq .articles)" 2001
eq "shards split the articles" "$(for s in "$TWO"/shard-*; do "$TRACUU" stats --db "$s" --json | jq .articles; done | paste -sd+ | bc)" 2001
ge "both shards hold articles" "$("$TRACUU" stats --db "$TWO/shard-000" --json | jq .articles)" 800
check "stats lists each shard and its articles" jq -e '(.shards | length) == 2 and ([.shards[].articles] | add) == .articles and all(.shards[]; .up)' \
  <<<"$("$TRACUU" stats --db "$TWO" --json)"
check "Xapian's own tools read the stub" xapian-delve "$TWO"
revisions() { /usr/bin/python3 -c 'import sys, xapian
print(" ".join(str(xapian.Database(p).get_revision()) for p in sys.argv[1:]))' "$@"; }
BATCHED=$WORK/batched
"$TRACUU" index --progress never --db "$BATCHED" --shards 2 --batch 200 "$SAMPLE" >/dev/null 2>&1
n0=$("$TRACUU" stats --db "$BATCHED/shard-000" --json | jq .articles)
n1=$("$TRACUU" stats --db "$BATCHED/shard-001" --json | jq .articles)
eq "--batch counts each shard's articles: a commit every 200 a shard, one for the rest, after the one that made it" \
  "$(revisions "$BATCHED/shard-000" "$BATCHED/shard-001")" "$(( 1 + (n0 + 199) / 200 )) $(( 1 + (n1 + 199) / 200 ))"
# a shard records the index's format when it is made, before any article reaches it
ONE_ARTICLE=$WORK/one-article
"$TRACUU" index --progress never --db "$ONE_ARTICLE" --shards 2 "$SEED" >/dev/null 2>&1
eq "every shard records the forms version, the one left empty too" "$(/usr/bin/python3 -c 'import sys, xapian
print(" ".join(xapian.Database(p).get_metadata("tracuu:forms").decode() or "-" for p in sys.argv[1:]))' "$ONE_ARTICLE"/shard-00[01])" "2 2"
eq "... so a search over them knows it" "$("$TRACUU" stats --db "$ONE_ARTICLE" --json | jq .forms_version)" 2
# each shard is stamped at its own commits: the index's last update is the newest shard's (Xapian's
# metadata of a stub is its first shard's, here the one left empty)
eq "stats says when the newest shard was updated" "$("$TRACUU" stats --db "$ONE_ARTICLE" --json | jq -r .last_update)" \
  "$(for s in "$ONE_ARTICLE"/shard-00[01]; do "$TRACUU" stats --db "$s" --json | jq -r '.last_update // empty'; done | sort | tail -n 1)"

# --- SIGKILL mid-run: every shard holds whole batches of its own, the stub opens, a re-run completes it.
# 600 articles come through a pipe that then stays open, so the kill always lands mid-run.
KILLED=$WORK/killed
mkfifo "$WORK/feed.jsonl"
{ zcat "$SAMPLE" | head -n 600; exec sleep 60; } >"$WORK/feed.jsonl" 2>/dev/null & pids+=($!)
"$TRACUU" index --progress never --db "$KILLED" --shards 2 --batch 100 "$WORK/feed.jsonl" >/dev/null 2>&1 &
victim=$!
wait_for_articles "$KILLED" 500 # one shard has taken 300 of the 600 at least: 500 are committed
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
k0=$("$TRACUU" stats --db "$KILLED/shard-000" --json | jq .articles)
k1=$("$TRACUU" stats --db "$KILLED/shard-001" --json | jq .articles)
eq "a killed sharded index holds whole batches in each shard" "$((k0 % 100)) $((k1 % 100))" "0 0"
eq "... and opens as one, without the uncommitted rest" "$("$TRACUU" stats --db "$KILLED" --json | jq .articles)" "$((k0 + k1))"
check "... which is less than the 600 it was sent" test "$((k0 + k1))" -lt 600
"$TRACUU" index --progress never --db "$KILLED" --batch 100 "$SAMPLE" >/dev/null 2>&1
eq "re-running after the kill completes it" "$("$TRACUU" stats --db "$KILLED" --json | jq .articles)" 2000

# --- the same answers as one database: ids and order, totals, facets, suggestion, paging
QUERIES=("cong tac can bo" "Hà Nội" '"giá vàng"' "covid 19 việt nam" "title:covid" "bóng đá -covid"
  "năm 2021 kinh tế tăng trưởng như thế nào" "ha noi" "Hồ Thanh Sơn" "tácgiả:\"Phương Hằng\"")
shape() { jq -c '[.total, .total_exact, [.hits[] | .id], .facets, .timeline, .suggestion]'; }
same_as_one() { # LABEL DB... : every query in every order gives what the single database gives
  local label=$1; shift
  local dbs=(); for d in "$@"; do dbs+=(--db "$d"); done
  for q in "${QUERIES[@]}"; do
    for extra in "--limit 20" "--sort newest --limit 10" "--sort oldest --limit 10 --offset 10"; do
      # shellcheck disable=SC2086
      eq "$label: $q ($extra)" "$("$TRACUU" search "${dbs[@]}" --json $extra "$q" | shape)" \
        "$("$TRACUU" search --db "$ONE" --json $extra "$q" | shape)"
    done
  done
}
same_as_one "hash shards" "$TWO"
same_as_one "year shards" "$YEARS"
same_as_one "two --db" "$TWO/shard-000" "$TWO/shard-001"
# --- a bulk load compacted at the end (--compact): smaller, the same answers, nothing left aside
out=$("$TRACUU" index --progress never --db "$WORK/packed" --shards 2 --compact "$SAMPLE" "$SEED" 2>/dev/null)
check "--compact shrinks what it wrote" jq -e '.indexed == 2001 and .compacted_bytes_after < .compacted_bytes_before' <<<"$out"
same_as_one "compacted hash shards" "$WORK/packed"
eq "no copies left aside" "$(ls "$WORK" | grep -c -e '\.compact$' -e '\.old$')" 0
out=$("$TRACUU" index --progress never --db "$WORK/packed1" --compact "$SAMPLE" "$SEED" 2>/dev/null)
check "one database compacts at the end too" jq -e '.compacted_bytes_after < .compacted_bytes_before' <<<"$out"
eq "compacted database answers the same" "$(search_json "$WORK/packed1" --limit 20 "cong tac can bo" | shape)" \
  "$(search_json "$ONE" --limit 20 "cong tac can bo" | shape)"
echo '{"id":"later-1","title":"Tin bổ sung về đê điều","body":"Đê điều được gia cố."}' >"$WORK/later.jsonl"
"$TRACUU" index --progress never --db "$WORK/packed1" --compact "$WORK/later.jsonl" >/dev/null 2>&1
eq "a later run adds to a compacted database" "$("$TRACUU" stats --db "$WORK/packed1" --json | jq .articles)" 2002
eq "and finds what it added" "$(search_json "$WORK/packed1" --limit 1 "de dieu gia co" | jq -r '.hits[0].id')" later-1
eq "scores match too" "$(search_json "$TWO" --limit 5 "giá vàng tăng" | jq -c '[.hits[].score | . * 1000 | round]')" \
  "$(search_json "$ONE" --limit 5 "giá vàng tăng" | jq -c '[.hits[].score | . * 1000 | round]')"

# --- two remote shards behind two xapian-tcpsrv: the same answers again
P1=$(free_port); start_tcpsrv "$P1" "$TWO/shard-000"; T1=$TCPSRV
P2=$(free_port); start_tcpsrv "$P2" "$TWO/shard-001"; T2=$TCPSRV
printf '# two remote shards\nremote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P1" "$P2" >"$WORK/remote.stub"
same_as_one "remote shards" "$WORK/remote.stub"
printf 'auto %s\nremote 127.0.0.1:%s\n' "$TWO/shard-000" "$P2" >"$WORK/mixed.stub"
same_as_one "local and remote" "$WORK/mixed.stub"
eq "shards built with --positions xapian beside remote ones draw no warning" \
  "$("$TRACUU" search --db "$WORK/mixed.stub" '"giá vàng"' 2>&1 >/dev/null)" ""
printf 'auto %s\nremote 127.0.0.1:%s\n' "$ONE" "$P2" >"$WORK/phraseless.stub"
contains "a shard keeping its positions in a value beside a remote one is warned about" \
  "$("$TRACUU" search --db "$WORK/phraseless.stub" '"giá vàng"' 2>&1 >/dev/null)" \
  "tracuu search: warning: with remote shards, quoted phrases find nothing in a shard that keeps word positions in a value"
# a dominant accented form ("hà", "người": text/forms-vi.txt) is its folded term less the other forms,
# which remote shards weigh through their matcher: the scores are one database's
scores() { "$TRACUU" search --db "$1" --json --limit 20 "$2" | jq -c '[.hits[] | [.id, (.score * 1e6 | round)]]'; }
for q in "Hà Nội" "người dân" "công an tỉnh"; do
  eq "remote shards score '$q' as one database does" "$(scores "$WORK/remote.stub" "$q")" "$(scores "$ONE" "$q")"
done
eq "remote article view" "$("$TRACUU" search --db "$WORK/remote.stub" --json --limit 1 'tácgiả:"Phương Hằng"' | jq -r '.hits[0].id')" \
  000_21e35f31858b3384

# --- the daemon over remote shards: one goes down, answers come back flagged partial, then whole again
# no answer cache here: every request must go to the shards
"$TRACUU" serve --db "$WORK/remote.stub" --listen 127.0.0.1:0 --threads 2 --shard-timeout 2000 --cache-mb 0 2>"$WORK/serve.log" &
SERVE=$!; pids+=("$SERVE")
for _ in $(seq 1 100); do PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.log"); [ -n "$PORT" ] && break; sleep 0.1; done
BASE=http://127.0.0.1:$PORT
whole=$(curl -s "$BASE/api/search?q=ha+noi&per_page=5")
eq "whole answer" "$(jq .partial <<<"$whole")" false
eq "whole total" "$(jq .total <<<"$whole")" "$(search_json "$ONE" "ha noi" | jq .total)"
# related articles: what one database lists (a daemon of its own), the remote shards list too
"$TRACUU" serve --db "$ONE" --listen 127.0.0.1:0 --threads 1 2>"$WORK/serve-one.log" &
pids+=($!)
for _ in $(seq 1 100); do PORT_ONE=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve-one.log"); [ -n "$PORT_ONE" ] && break; sleep 0.1; done
related_ids() { curl -s "$1/api/articles/000_21e35f31858b3384?related=1" | jq -r '[.related[].id] | join(",")'; }
one_related=$(related_ids "http://127.0.0.1:$PORT_ONE")
check "one database lists related articles for the seed" test -n "$one_related"
eq "remote shards list the same related articles" "$(related_ids "$BASE")" "$one_related"
kill "$T2"; wait "$T2" 2>/dev/null
start=$(date +%s%N)
part=$(curl -s --max-time 10 "$BASE/api/search?q=ha+noi&per_page=5")
ms=$((($(date +%s%N) - start) / 1000000))
eq "shard down: partial" "$(jq .partial <<<"$part")" true
eq "shard down: names the shard" "$(jq -r '.shards.missed[0]' <<<"$part")" "127.0.0.1:$P2"
check "shard down: fewer hits, not an error" jq -e '.total > 0 and (.hits | length) > 0' <<<"$part"
le "shard down: answered at once, a refused connection costs no timeout (ms)" "$ms" 2000
page=$(curl -s "$BASE/?q=ha+noi")
contains "page says the answer is partial" "$page" "Một phần chỉ mục không trả lời"
eq "healthz still up" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" 200
for _ in $(seq 1 20); do # each worker notices within its one-second check
  curl -s "$BASE/healthz" >"$WORK/health"; jq -e '.status == "degraded"' "$WORK/health" >/dev/null && break; sleep 0.2
done
check "healthz says degraded and which shard" jq -e --arg s "127.0.0.1:$P2" '.status == "degraded" and .shards.missed == [$s]' "$WORK/health"
start_tcpsrv "$P2" "$TWO/shard-001"; T2=$TCPSRV
back=""
for _ in $(seq 1 40); do
  back=$(curl -s "$BASE/api/search?q=ha+noi&per_page=5"); [ "$(jq .partial <<<"$back")" = false ] && break; sleep 0.25
done
eq "shard back: whole again" "$(jq .partial <<<"$back")" false
eq "shard back: same total" "$(jq .total <<<"$back")" "$(jq .total <<<"$whole")"
eq "shard back: same hits" "$(jq -c '[.hits[].id]' <<<"$back")" "$(jq -c '[.hits[].id]' <<<"$whole")"
# a shard that hangs (stopped, not dead) costs the timeout, not the answer
kill -STOP -- "-$T1" # the group: a forked child serves each connection
start=$(date +%s%N)
hung=$(curl -s --max-time 20 "$BASE/api/search?q=viet+nam&per_page=5")
ms=$((($(date +%s%N) - start) / 1000000))
kill -CONT -- "-$T1"
[ "$(jq .partial <<<"$hung")" = true ] || echo "HUNG: $hung" >&2
eq "hung shard: partial" "$(jq .partial <<<"$hung")" true
le "hung shard: answered within twice the 2 s timeout and a second (ms)" "$ms" 5000
kill -TERM "$SERVE"; wait "$SERVE"; eq "daemon stops cleanly" $? 0

# --- one worker that never saw a shard restart (its connection is to the old process) while another
# shard hangs: the stale connection is made again at once, and the answer is partial, not an error
"$TRACUU" serve --db "$WORK/remote.stub" --listen 127.0.0.1:0 --threads 1 --shard-timeout 2000 --cache-mb 0 2>"$WORK/serve1.log" &
SERVE=$!; pids+=("$SERVE")
for _ in $(seq 1 100); do PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve1.log"); [ -n "$PORT" ] && break; sleep 0.1; done
eq "one worker: whole" "$(curl -s "http://127.0.0.1:$PORT/api/search?q=ha+noi" | jq .partial)" false
kill "$T2"; wait "$T2" 2>/dev/null
start_tcpsrv "$P2" "$TWO/shard-001"; T2=$TCPSRV
sleep 1.2 # past the worker's one-second check, so the next request syncs its reader first
kill -STOP -- "-$T1"
stale=$(curl -s --max-time 20 "http://127.0.0.1:$PORT/api/search?q=ha+noi")
kill -CONT -- "-$T1"
eq "restarted shard reconnected, hung one left out: partial" "$(jq .partial <<<"$stale")" true
eq "the hung shard is the one missed" "$(jq -r '.shards.missed | join(",")' <<<"$stale")" "127.0.0.1:$P1"
check "and the restarted shard answers" jq -e '.total > 0 and (.hits | length) > 0' <<<"$stale"
kill -TERM "$SERVE"; wait "$SERVE"

# --- a shard that comes back while its backoff still runs, just as the other one hangs: it is tried
# at once rather than the answer being "no shard could be reached"
"$TRACUU" serve --db "$WORK/remote.stub" --listen 127.0.0.1:0 --threads 1 --shard-timeout 2000 --cache-mb 0 2>"$WORK/serve2.log" &
SERVE=$!; pids+=("$SERVE")
for _ in $(seq 1 100); do PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve2.log"); [ -n "$PORT" ] && break; sleep 0.1; done
kill "$T2"; wait "$T2" 2>/dev/null
for _ in $(seq 1 16); do curl -s "http://127.0.0.1:$PORT/api/search?q=ha+noi" >/dev/null; sleep 0.25; done # tries fail: backoff 4 s
start_tcpsrv "$P2" "$TWO/shard-001"; T2=$TCPSRV
sleep 1.2
kill -STOP -- "-$T1"
waited=$(curl -s --max-time 20 "http://127.0.0.1:$PORT/api/search?q=ha+noi")
kill -CONT -- "-$T1"
eq "shard back during its backoff, other hung: partial" "$(jq .partial <<<"$waited")" true
eq "... missing only the hung one" "$(jq -r '.shards.missed | join(",")' <<<"$waited")" "127.0.0.1:$P1"
# both hung: each costs its timeout at its retry times only (1, 2, 4 ... s), not on every request
kill -STOP -- "-$T1" "-$T2"
codes="" fast=0
for _ in $(seq 1 8); do
  start=$(date +%s%N)
  codes+=$(curl -s -o /dev/null -w '%{http_code} ' --max-time 20 "http://127.0.0.1:$PORT/api/search?q=ha+noi")
  [ $((($(date +%s%N) - start) / 1000000)) -lt 500 ] && fast=$((fast + 1))
done
kill -CONT -- "-$T1" "-$T2"
eq "every shard hung: 503 each time" "$codes" "503 503 503 503 503 503 503 503 "
ge "... and told at once between the retries (requests under 0.5 s of 8)" "$fast" 3
kill -TERM "$SERVE"; wait "$SERVE"

# --- writes reach the right shard
echo '{"id":"baomoi-22260622","title":"Bài sửa lại về thủy điện Sơn La","body":"Nội dung mới hoàn toàn khác."}' >"$WORK/fix.jsonl"
out=$("$TRACUU" index --progress never --db "$TWO" "$WORK/fix.jsonl" 2>/dev/null)
eq "re-index replaces in its shard" "$(jq .replaced <<<"$out")" 1
eq "still one copy" "$("$TRACUU" stats --db "$TWO" --json | jq .articles)" 2001
eq "replacement is searchable" "$(search_json "$TWO" "thủy điện Sơn La bài sửa lại" | jq -r '.hits[0].id')" baomoi-22260622
echo '{"id":"000_21e35f31858b3384","title":"Bài chuyển năm","date":"2019-05-05","body":"Ngày đăng được sửa lại."}' >"$WORK/move.jsonl"
out=$("$TRACUU" index --progress never --db "$YEARS" "$WORK/move.jsonl" 2>/dev/null)
eq "date corrected: counted as replaced" "$(jq .replaced <<<"$out")" 1
eq "date corrected: one copy" "$("$TRACUU" stats --db "$YEARS" --json | jq .articles)" 2001
eq "date corrected: left 2024" "$("$TRACUU" stats --db "$YEARS/year-2024" --json | jq .articles)" 0
eq "date corrected: now in 2019" "$(search_json "$YEARS" '"bài chuyển năm"' | jq -r '.hits[0].date[0:4]')" 2019
eq "delete reaches the shard" "$("$TRACUU" delete --db "$TWO" baomoi-22260622 | jq .deleted)" 1
eq "deleted from the stub's view" "$("$TRACUU" stats --db "$TWO" --json | jq .articles)" 2000
eq "delete by year" "$("$TRACUU" delete --db "$YEARS" 000_21e35f31858b3384 | jq .deleted)" 1
msg=$("$TRACUU" index --progress never --db "$TWO" --shards 3 "$WORK/fix.jsonl" 2>&1); eq "shard count is fixed" $? 1
contains "says why" "$msg" "different shard count"
msg=$("$TRACUU" index --progress never --db "$ONE" --shards 2 "$WORK/fix.jsonl" 2>&1); eq "a single db stays single" $? 1
contains "says how" "$msg" "docs/operations.md"
exec 9>"$TWO/tracuu-writer.lock"; flock 9
msg=$("$TRACUU" index --progress never --db "$TWO" "$WORK/fix.jsonl" 2>&1); eq "second writer refused" $? 1
contains "says locked" "$msg" "locked"
exec 9>&-

# --- compaction keeps every answer
echo "{\"id\":\"today-1\",\"title\":\"Tin trong năm nay\",\"date\":\"$(date +%Y-%m-%d)\",\"body\":\"Bài của năm nay.\"}" >"$WORK/today.jsonl"
"$TRACUU" index --progress never --db "$YEARS" "$WORK/today.jsonl" >/dev/null 2>&1
check "this year has its shard" grep -qx "auto year-$(date +%Y)" "$YEARS/XAPIANDB"
before=$(search_json "$YEARS" --limit 20 "cong tac can bo" | shape)
out=$("$TRACUU" compact --db "$YEARS" 2>&1)
check "past years compacted" jq -e '.shards | length >= 2 and all(.bytes_after <= .bytes_before)' <<<"$out"
lacks "the current year is left alone" "$out" "\"year-$(date +%Y)\""
eq "answers after compaction" "$(search_json "$YEARS" --limit 20 "cong tac can bo" | shape)" "$before"
check "single database compacts too" "$TRACUU" compact --db "$ONE"
eq "single database after compaction" "$("$TRACUU" stats --db "$ONE" --json | jq .articles)" 2001

# --- a compaction under a running daemon: every worker moves to the compacted copy and its new article
"$TRACUU" serve --db "$WORK/packed1" --listen 127.0.0.1:0 --threads 2 --cache-mb 0 2>"$WORK/packed.log" &
PK=$!; pids+=("$PK")
for _ in $(seq 1 100); do PPORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/packed.log"); [ -n "$PPORT" ] && break; sleep 0.1; done
for _ in 1 2 3 4; do curl -s "http://127.0.0.1:$PPORT/api/search?q=de+dieu" >/dev/null; done # both workers have a reader
echo '{"id":"later-2","title":"Đê điều mùa lũ","body":"Đê điều mùa lũ năm nay."}' >"$WORK/later2.jsonl"
"$TRACUU" index --progress never --db "$WORK/packed1" --compact "$WORK/later2.jsonl" >/dev/null 2>&1
sleep 1.2 # a worker looks for a new commit at most once a second
seen=$(for _ in 1 2 3 4 5 6 7 8; do curl -s "http://127.0.0.1:$PPORT/api/search?q=mua+lu+de+dieu" | jq -r '[.hits[].id] | index("later-2") != null'; done | sort | uniq -c | tr -s ' ')
eq "every worker serves the compacted copy with its new article" "$seen" " 8 true"
kill -TERM "$PK"; wait "$PK"

# --- reindex without downtime: the daemon serves a stub; a new index is built aside and swapped in
printf 'auto %s\n' "$ONE" >"$WORK/live.stub"
"$TRACUU" serve --db "$WORK/live.stub" --listen 127.0.0.1:0 --threads 2 2>"$WORK/swap.log" &
SW=$!; pids+=("$SW")
for _ in $(seq 1 100); do SPORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/swap.log"); [ -n "$SPORT" ] && break; sleep 0.1; done
eq "serving the old index" "$(curl -s "http://127.0.0.1:$SPORT/healthz" | jq .articles)" 2001
printf 'auto %s\n' "$TWO" >"$WORK/live.stub.new" && mv "$WORK/live.stub.new" "$WORK/live.stub"
swapped=""
for _ in $(seq 1 40); do
  swapped=$(curl -s "http://127.0.0.1:$SPORT/healthz" | jq .articles); [ "$swapped" = 2000 ] && break; sleep 0.25
done
eq "the swapped stub is served without a restart" "$swapped" 2000
eq "searches see the new index" "$(curl -s "http://127.0.0.1:$SPORT/api/search?q=th%E1%BB%A7y+%C4%91i%E1%BB%87n+S%C6%A1n+La+b%C3%A0i+s%E1%BB%ADa" | jq -r '.hits[0].id')" \
  "$(search_json "$TWO" "thủy điện Sơn La bài sửa" | jq -r '.hits[0].id')"
kill -TERM "$SW"; wait "$SW"

# --- a replica kept current by xapian-replicate sees new articles
mkdir -p "$WORK/master" "$WORK/replica"
"$TRACUU" index --progress never --changesets 20 --db "$WORK/master/news" "$SAMPLE" >/dev/null 2>&1
RP=$(free_port)
setsid xapian-replicate-server --interface 127.0.0.1 --port "$RP" "$WORK/master" >/dev/null 2>&1 & pids+=($!)
wait_port "$RP"
replicate() { xapian-replicate -q -o -h 127.0.0.1 -p "$RP" -m news "$WORK/replica/news" >/dev/null 2>&1; }
check "first replication copies the index" replicate
"$TRACUU" serve --db "$WORK/replica/news" --listen 127.0.0.1:0 --threads 2 2>"$WORK/replica.log" &
RS=$!; pids+=("$RS")
for _ in $(seq 1 100); do RPORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/replica.log"); [ -n "$RPORT" ] && break; sleep 0.1; done
eq "replica serves the copy" "$(curl -s "http://127.0.0.1:$RPORT/healthz" | jq .articles)" 2000
"$TRACUU" index --progress never --changesets 20 --db "$WORK/master/news" "$SEED" >/dev/null 2>&1
check "changesets replicate" replicate
seen=""
for _ in $(seq 1 40); do
  seen=$(curl -s "http://127.0.0.1:$RPORT/api/search?q=c%C3%B4ng+t%C3%A1c+c%C3%A1n+b%E1%BB%99+ch%E1%BA%B7t+ch%E1%BA%BD" | jq -r '.hits[0].id')
  [ "$seen" = 000_21e35f31858b3384 ] && break; sleep 0.25
done
eq "replica sees the new article within seconds" "$seen" 000_21e35f31858b3384
sleep 1.1 # every worker thread's reader has reopened by now
eq "replica count" "$(curl -s "http://127.0.0.1:$RPORT/healthz" | jq .articles)" 2001
kill -TERM "$RS"; wait "$RS"
report
