#!/usr/bin/env bash
# test_index.sh — the indexer on real articles: counts, stored fields, the seed dump, replace, delete,
# the lock, SIGKILL mid-run, and a table of malformed inputs that must not lose what was indexed.
. "$(dirname "$0")/lib.sh"
DB=$WORK/db

# --- the 2k sample and the seed
out=$("$TRACUU" index --progress never --db "$DB" "$SAMPLE" "$SEED" 2>"$WORK/err"); rc=$?
eq "index exit status" "$rc" 0
eq "indexed count" "$(echo "$out" | jq .indexed)" 2001
eq "nothing replaced on first run" "$(echo "$out" | jq .replaced)" 0
stats=$("$TRACUU" stats --db "$DB" --json)
eq "stats articles" "$(echo "$stats" | jq .articles)" 2001
eq "stats first date" "$(echo "$stats" | jq -r .date_from)" "2019-11-01T21:19:29+07:00"
eq "stats last date (the seed)" "$(echo "$stats" | jq -r .date_to)" "2024-04-01T18:20:00+07:00"
ge "stats distinct syllables" "$(echo "$stats" | jq .distinct_syllables)" 10000
check "stats size" test "$(echo "$stats" | jq .size_bytes)" -gt 1000000
check "stats last update" test "$(echo "$stats" | jq -r .last_update)" != null
eq "stats forms version (text/forms-vi.txt, positions in a value)" "$(echo "$stats" | jq -c '[.forms_version, .positions]')" '[2,"values"]'

# --- the seed's fields come out right
seed=$(search_json "$DB" --limit 1 'title:"chặt chẽ các khâu"')
eq "seed id from the file name" "$(echo "$seed" | jq -r '.hits[0].id')" "000_21e35f31858b3384"
eq "seed title" "$(echo "$seed" | jq -r '.hits[0].title')" "Thực hiện đồng bộ, chặt chẽ các khâu trong công tác cán bộ"
eq "seed author" "$(echo "$seed" | jq -r '.hits[0].author')" "Phương Hằng"
eq "seed date at UTC+7" "$(echo "$seed" | jq -r '.hits[0].date')" "2024-04-01T18:20:00+07:00"
eq "seed source from the site line" "$(echo "$seed" | jq -r '.hits[0].source')" "Báo Đồng Nai điện tử"
names=$(search_json "$DB" --limit 1 'title:"chặt chẽ các khâu"' | jq -r '[.facets.names[].value] | join(",")')
contains "seed names facet has Hồ Thanh Sơn" "$names" "Hồ Thanh Sơn"
contains "seed names facet has Mai Văn Chính" "$names" "Mai Văn Chính"
contains "seed names facet has Đồng Nai" "$names" "Đồng Nai"
# capitalised syllables side by side are "B" terms (docs/index-schema.md), counted; a full stop
# between two ("Đồng Nai. Ảnh") makes none
pairs=$(/usr/bin/python3 -c 'import sys, xapian
db = xapian.Database(sys.argv[1])
doc = db.get_document(next(iter(db.postlist("Q000_21e35f31858b3384"))).docid)
print(",".join("%s=%d" % (t.term.decode()[1:], t.wdf) for t in doc.termlist() if t.term.startswith(b"B")))' "$DB")
for pair in "ho thanh=3" "thanh son=3" "dong nai=4" "mai van=2" "van chinh=2"; do
  contains "seed pair term $pair" ",$pairs," ",$pair,"
done
lacks "no pair across a full stop" "$pairs" "nai anh"

# --- stored fields of a real article equal the input
first=$(zcat "$SAMPLE" | head -n 1)
id=$(echo "$first" | jq -r .id)
title=$(echo "$first" | jq -r .title)
hit=$(search_json "$DB" --limit 1 "\"$title\"")
eq "sample article found by its title" "$(echo "$hit" | jq -r '.hits[0].id')" "$id"
eq "sample title stored" "$(echo "$hit" | jq -r '.hits[0].title')" "$title"
eq "sample url stored" "$(echo "$hit" | jq -r '.hits[0].url')" "$(echo "$first" | jq -r .url)"

# --- running the same input twice leaves the same index
out=$("$TRACUU" index --progress never --db "$DB" "$SAMPLE" 2>/dev/null)
eq "second run replaces every article" "$(echo "$out" | jq .replaced)" 2000
eq "second run adds nothing" "$(echo "$out" | jq .added)" 0
eq "count unchanged after re-indexing" "$("$TRACUU" stats --db "$DB" --json | jq .articles)" 2001

# --- re-indexing an id replaces the article
printf '{"id":"%s","title":"Bài đã sửa về chim cánh cụt hoàng đế","date":"2021-01-02"}\n' "$id" > "$WORK/fix.jsonl"
"$TRACUU" index --progress never --db "$DB" "$WORK/fix.jsonl" >/dev/null 2>&1
eq "replace keeps the count" "$("$TRACUU" stats --db "$DB" --json | jq .articles)" 2001
eq "the new title is found" "$(search_json "$DB" 'chim cánh cụt hoàng đế' | jq -r '.hits[0].id')" "$id"
eq "the old title is gone" "$(search_json "$DB" "\"$title\"" | jq '[.hits[] | select(.id == "'"$id"'")] | length')" 0

# --- delete
out=$("$TRACUU" delete --db "$DB" "$id" 2>&1); rc=$?
eq "delete exit status" "$rc" 0
eq "delete lowers the count" "$("$TRACUU" stats --db "$DB" --json | jq .articles)" 2000
eq "a deleted article is not found" "$(search_json "$DB" '"chim cánh cụt hoàng đế"' | jq .total)" 0
out=$("$TRACUU" delete --db "$DB" no-such-id 2>&1); rc=$?
eq "deleting an unknown id exits 2" "$rc" 2
contains "deleting an unknown id says so" "$out" "no-such-id: no article with this id"

# --- an index whose forms version (text/forms-vi.txt) is newer than this program's is not written to
cp -a "$DB" "$WORK/newer"
/usr/bin/python3 -c 'import sys, xapian
db = xapian.WritableDatabase(sys.argv[1], xapian.DB_OPEN)
db.set_metadata("tracuu:forms", "99"); db.commit()' "$WORK/newer"
before=$(search_json "$WORK/newer" --limit 0 '' | jq .total)
out=$("$TRACUU" index --progress never --db "$WORK/newer" "$WORK/fix.jsonl" 2>&1); rc=$?
eq "a newer index: exit status" "$rc" 1
contains "... the message says why" "$out" "written by a newer tracuu (forms version 99"
eq "... and nothing is written" "$(search_json "$WORK/newer" --limit 0 '' | jq .total)" "$before"

# --- a second writer fails at once with a clear message
mkfifo "$WORK/fifo"
exec 3<>"$WORK/fifo"
"$TRACUU" index --progress never --db "$DB" - <"$WORK/fifo" >/dev/null 2>&1 3>&- &
holder=$!
sleep 1
start=$(date +%s)
out=$("$TRACUU" index --progress never --db "$DB" "$WORK/fix.jsonl" 2>&1); rc=$?
eq "second writer exit status" "$rc" 1
contains "second writer names the lock" "$out" "locked"
check "second writer fails at once" test $(( $(date +%s) - start )) -le 3
echo '{"id":"via-stdin","title":"Bài đọc từ đầu vào chuẩn"}' >&3
exec 3>&-
wait "$holder"
eq "stdin input is indexed" "$(search_json "$DB" 'doc tu dau vao chuan' | jq -r '.hits[0].id')" "via-stdin"

# --- SIGKILL mid-run leaves exactly the committed batches, and the same command completes it
KDB=$WORK/killed
"$TRACUU" index --progress never --batch 100 --db "$KDB" "$SAMPLE" >/dev/null 2>&1 &
victim=$!
wait_for_articles "$KDB" 100
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
n=$("$TRACUU" stats --db "$KDB" --json | jq .articles); rc=$?
eq "a killed index still opens" "$rc" 0
eq "a killed index holds whole batches" "$((n % 100))" 0
check "a killed index holds some batches" test "$n" -ge 100
out=$("$TRACUU" index --progress never --batch 100 --db "$KDB" "$SAMPLE" 2>/dev/null); rc=$?
eq "re-running after the kill exits 0" "$rc" 0
eq "re-running after the kill completes the index" "$("$TRACUU" stats --db "$KDB" --json | jq .articles)" 2000

# --- malformed input: reported as FILE:LINE: reason, skipped, nothing lost
BAD=$WORK/bad.jsonl
{
  echo '{"id":"good-1","title":"Bài tốt thứ nhất về sông Đồng Nai"}'
  echo '{"id":"broken", "title": }'
  echo '{"title":"no id"}'
  echo '{"id": 42, "title":"numeric id"}'
  echo '{"id":"wrong-type","title": 5}'
  printf '{"id":"bad-utf8","title":"\xff\xfe"}\n'
  echo '[1, 2, 3]'
  echo '{"id":"good-2","title":"Bài tốt thứ hai về sông Đồng Nai","extra_field":"kept"}'
  python3 -c 'import json; print(json.dumps({"id": "huge", "body": "a" * (50 << 20)}))'
  echo ''
  echo '{"id":"","title":"empty id"}'
  echo '{"id":"a\tb","title":"tab in the id"}'
  echo '{"id":"   ","title":"blank id"}'
  python3 -c 'import json; print(json.dumps({"id": "x" * 201, "title": "long id"}))'
} > "$BAD"
: > "$WORK/empty.jsonl"
head -c 20000 /dev/urandom > "$WORK/garbage.jsonl"
head -c 20000 /dev/urandom > "$WORK/garbage.txt"
printf '\n\n\n' > "$WORK/blank.txt"
before=$("$TRACUU" stats --db "$DB" --json | jq .articles)
out=$("$TRACUU" index --progress never --db "$DB" "$BAD" "$WORK/empty.jsonl" "$WORK/garbage.jsonl" "$WORK/garbage.txt" \
      "$WORK/blank.txt" "$WORK/missing.jsonl" 2>"$WORK/err"); rc=$?
err=$(cat "$WORK/err")
eq "skipped records exit 2" "$rc" 2
eq "good records indexed" "$(echo "$out" | jq .indexed)" 2
eq "nothing lost, the good ones added" "$("$TRACUU" stats --db "$DB" --json | jq .articles)" $((before + 2))
contains "malformed JSON named" "$err" "$BAD:2: malformed JSON"
contains "missing id named" "$err" "$BAD:3: missing \"id\""
contains "numeric id named" "$err" "$BAD:4: \"id\" must be a non-empty string"
contains "wrong field type named" "$err" "$BAD:5: field \"title\" must be a string"
contains "invalid UTF-8 named" "$err" "$BAD:6: malformed JSON"
contains "non-object named" "$err" "$BAD:7: not a JSON object"
contains "50 MB record named" "$err" "$BAD:9: record is 50 MB, over the 16 MB limit"
contains "empty id named" "$err" "$BAD:11: \"id\" must be a non-empty string"
contains "id with a tab named" "$err" "$BAD:12: \"id\" holds a control character"
contains "blank id named" "$err" "$BAD:13: \"id\" is only spaces"
contains "201-byte id named" "$err" "$BAD:14: \"id\" is longer than 200 bytes"
contains "empty file named" "$err" "$WORK/empty.jsonl:0: empty file"
contains "garbage JSON Lines named" "$err" "$WORK/garbage.jsonl:1: malformed JSON"
contains "binary text file named" "$err" "$WORK/garbage.txt:1: binary data"
contains "blank text file named" "$err" "$WORK/blank.txt:1: no title found"
contains "missing file named" "$err" "$WORK/missing.jsonl: No such file or directory"
eq "unknown fields do not stop an article" "$(search_json "$DB" 'thu hai ve song dong nai' | jq -r '.hits[0].id')" "good-2"

# --- a page dump's id is its file's name: one past 200 bytes (its id term would pass Xapian's
# limit, and the article could never be replaced or deleted) is skipped, and named
long_name="$WORK/$(head -c 230 /dev/zero | tr '\0' 'b').txt"
cp "$SEED" "$long_name"
out=$("$TRACUU" index --progress never --db "$WORK/longname" "$long_name" "$SEED" 2>&1 >/dev/null); rc=$?
eq "a 230-byte file name is skipped" "$rc" 2
contains "... and named" "$out" "$long_name:1: the id, the file's name, is longer than 200 bytes"
"$TRACUU" index --progress never --db "$WORK/longname" "$long_name" "$SEED" >/dev/null 2>&1
eq "... and the same run twice leaves the same index" "$("$TRACUU" stats --db "$WORK/longname" --json | jq .articles)" 1

# --- a --batch that is no count is refused before any index is made
for value in 0 -5 ten 1000001; do
  out=$("$TRACUU" index --progress never --batch "$value" --db "$WORK/nobatch" "$SEED" 2>&1); rc=$?
  eq "--batch $value exits 1" "$rc" 1
  eq "--batch $value is named" "$out" "tracuu index: --batch must be a number from 1 to 1000000, not '$value'"
done
check "no index made for a bad --batch" test ! -e "$WORK/nobatch"
out=$("$TRACUU" index --progress never --changesets ten --db "$WORK/nobatch" "$SEED" 2>&1); rc=$?
eq "--changesets ten exits 1" "$rc" 1
eq "--changesets ten is named" "$out" "tracuu index: --changesets must be a number from 1 to 1000000, not 'ten'"

# --- directories are read recursively, and progress shows on request
mkdir -p "$WORK/tree/a/b"
echo '{"id":"deep-1","title":"Bài trong thư mục con"}' > "$WORK/tree/a/b/one.jsonl"
cp "$SEED" "$WORK/tree/a/seed.txt"
echo 'not an article' > "$WORK/tree/a/notes.md"
out=$("$TRACUU" index --progress always --db "$WORK/tree-db" "$WORK/tree" 2>"$WORK/progress"); rc=$?
eq "directory input exit status" "$rc" 0
eq "directory input indexes both files" "$(echo "$out" | jq .indexed)" 2
contains "progress line shows articles/s" "$(cat "$WORK/progress")" "articles/s"
out=$("$TRACUU" index --progress never --db "$WORK/tree-db" "$WORK/tree" 2>"$WORK/progress")
eq "no progress when asked for none" "$(cat "$WORK/progress")" ""
# a directory without article files is said so; alone it leaves nothing to index (exit 1, no index made)
mkdir -p "$WORK/bare/sub"
echo 'not an article' > "$WORK/bare/notes.md"
err=$("$TRACUU" index --progress never --db "$WORK/bare-db" "$WORK/bare" 2>&1 >/dev/null); rc=$?
eq "empty directory alone: exit status" "$rc" 1
contains "... names the directory" "$err" "$WORK/bare: no article files"
contains "... and says why it stops" "$err" "nothing to index"
check "... and makes no index" test ! -e "$WORK/bare-db"
out=$("$TRACUU" index --progress never --db "$WORK/bare-db" "$WORK/bare" "$WORK/tree" 2>"$WORK/bare.err"); rc=$?
eq "empty directory beside another: exit status" "$rc" 0
eq "... the other is indexed" "$(echo "$out" | jq .indexed)" 2
contains "... and the empty one named" "$(cat "$WORK/bare.err")" "$WORK/bare: no article files"

# --- the indexer runs on mimalloc, preloaded; the program itself (searching) on glibc's malloc.
# Not under the sanitizers, which bring their own allocator.
if ! ldd "$TRACUU" | grep -q libasan; then
  pids=()
  cleanup_hook() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }
  mkfifo "$WORK/open.jsonl"
  { zcat "$SAMPLE" | head -n 5; exec sleep 30; } >"$WORK/open.jsonl" 2>/dev/null & pids+=($!)
  "$TRACUU" index --progress never --db "$WORK/alloc-db" "$WORK/open.jsonl" >/dev/null 2>&1 & indexer=$!
  pids+=("$indexer")
  maps=""
  for _ in $(seq 50); do
    maps=$(cat "/proc/$indexer/maps" 2>/dev/null || true)
    case $maps in *libmimalloc*) break ;; esac
    sleep 0.1
  done
  contains "tracuu index runs on mimalloc" "$maps" "libmimalloc"
  eq "... and keeps its name (ps, pkill)" "$(cat "/proc/$indexer/comm" 2>/dev/null)" "tracuu"
  lacks "... and tracuu is not linked with it" "$(ldd "$TRACUU")" "mimalloc"
  eq "... nor does it preload it for a search" "$(LD_DEBUG=libs "$TRACUU" search --db "$DB" cong 2>&1 | grep -c 'calling init: .*mimalloc')" 0
fi

report
