#!/usr/bin/env bash
# test_http.sh — `tracuu serve` on a real index, over real HTTP: every endpoint, every error status,
# the bounds, hostile input, live pickup of new articles, 503 without an index, and clean shutdown.
. "$(dirname "$0")/lib.sh"
DB=$WORK/db
"$TRACUU" index --progress never --db "$DB" "$SAMPLE" "$SEED" >/dev/null 2>&1
pids=()
cleanup_hook() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; }

# start_daemon DB LOG [THREADS]: starts on a free port with THREADS workers (4), sets PORT and PID
start_daemon() {
  "$TRACUU" serve --db "$1" --listen 127.0.0.1:0 --threads "${3:-4}" 2>"$2" &
  PID=$!
  pids+=("$PID")
  PORT=
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$2" | head -n 1)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
}
start_daemon "$DB" "$WORK/log"
BASE=http://127.0.0.1:$PORT
check "daemon started" test -n "$PORT"

# get PATH: body to stdout; status in $WORK/status, headers in $WORK/headers
get() { curl -s -g -o - -D "$WORK/headers" -w '%{http_code}' "$@" > "$WORK/resp"; STATUS=$(tail -c 3 "$WORK/resp"); BODY=$(head -c -3 "$WORK/resp"); }

# --- the JSON API
get "$BASE/api/search?q=cong+tac+can+bo+chat+che"
eq "search status" "$STATUS" 200
contains "search content type" "$(cat "$WORK/headers")" "application/json"
eq "search finds the seed" "$(echo "$BODY" | jq -r '.hits[0].id')" "000_21e35f31858b3384"
contains "search highlights" "$(echo "$BODY" | jq -r '.hits[0].snippet')" "<mark>"
eq "search suggests" "$(echo "$BODY" | jq -r .suggestion)" "công tác cán bộ chặt chẽ"
check "search facets" jq -e '.facets.year and .facets.category and .facets.author and .facets.names and .timeline' <<<"$BODY"
check "search timing" jq -e '.took_ms >= 0' <<<"$BODY"
check "search total" jq -e '.total > 10 and .total_exact' <<<"$BODY"
get "$BASE/api/search?q=viet+nam&per_page=2&page=2"
eq "paging offset" "$(echo "$BODY" | jq .offset)" 2
eq "paging size" "$(echo "$BODY" | jq '.hits | length')" 2
PAGE2=$(echo "$BODY" | jq -c '[.hits[].id]')
get "$BASE/api/search?q=viet+nam&offset=2&limit=2"
eq "offset and limit (as the CLI names them) give the same slice" "$(echo "$BODY" | jq -c '[.hits[].id]')" "$PAGE2"
eq "offset and limit echoed" "$(echo "$BODY" | jq -c '[.offset, .limit]')" "[2,2]"
get "$BASE/api/search?q=viet+nam&offset=3&limit=1"
eq "an offset need not be a multiple of the limit" "$(echo "$BODY" | jq -c '[.offset, (.hits | length)]')" "[3,1]"
get "$BASE/?q=viet+nam&utm_source=newsletter&fbclid=x"
eq "the page ignores a shared link's tracking parameters" "$STATUS" 200
get "$BASE/api/search?q=thu+tuongg"
eq "a misspelt query is answered for its correction" "$(echo "$BODY" | jq -c '[.query, .corrected, .relaxed]')" '["thu tuongg","Thủ tướng",false]'
get "$BASE/api/search?q=thu+tuongg&as_typed=1"
eq "... and as typed with as_typed=1 (a cache entry of its own)" "$(echo "$BODY" | jq -c '[.corrected, .relaxed, .suggestion, .cached]')" '[null,true,"Thủ tướng",false]'
get "$BASE/?q=thu+tuongg"
contains "the page says which query it shows" "$BODY" 'Đang hiện kết quả cho <a href="/?q=Th%E1%BB%A7%20t%C6%B0%E1%BB%9Bng"><strong>Thủ tướng</strong></a>'
contains "... and links to the query as typed" "$BODY" '<a class="as-typed" href="/?q=thu%20tuongg&amp;as_typed=1">Vẫn tìm đúng “thu tuongg”</a>'
get "$BASE/?q=thu+tuongg&as_typed=1"
contains "the page as typed keeps as_typed in its links" "$BODY" 'href="/?q=thu%20tuongg&amp;as_typed=1&amp;page=2"'
get "$BASE/api/search?q=viet+nam&sort=newest&per_page=5"
eq "newest first" "$(echo "$BODY" | jq -r '[.hits[].date] == ([.hits[].date] | sort | reverse)')" true
get "$BASE/api/search?q=viet+nam&from=2021-04-01&to=2021-04-30"
eq "date range" "$(echo "$BODY" | jq -r '[.hits[].date[0:7]] | unique | join(",")')" "2021-04"
get "$BASE/api/search?category=the-thao&per_page=100"
eq "filter without a query" "$(echo "$BODY" | jq -r '[.hits[].category] | unique | join(",")')" "the-thao"
get "$BASE/api/search?q=%22c%C3%B4ng+t%C3%A1c+c%C3%A1n+b%E1%BB%99%22&author=Ph%C6%B0%C6%A1ng+H%E1%BA%B1ng"
eq "author filter" "$(echo "$BODY" | jq -r '[.hits[].id] | join(",")')" "000_21e35f31858b3384"
get "$BASE/api/articles/000_21e35f31858b3384"
eq "article status" "$STATUS" 200
eq "article title" "$(echo "$BODY" | jq -r .title)" "Thực hiện đồng bộ, chặt chẽ các khâu trong công tác cán bộ"
contains "article body" "$(echo "$BODY" | jq -r .body)" "Mai Văn Chính"
get "$BASE/healthz"
eq "healthz status" "$STATUS" 200
eq "healthz count" "$(echo "$BODY" | jq .articles)" 2001
check "healthz last update" jq -e '.last_update | test("^20")' <<<"$BODY"

# --- the page
get "$BASE/"
eq "page status" "$STATUS" 200
contains "page is HTML" "$(cat "$WORK/headers")" "text/html"
contains "page has the search form" "$BODY" '<input type="search" name="q"'
get "$BASE/?q=cong+tac+can+bo"
contains "page suggestion" "$BODY" "Có phải bạn muốn tìm"
contains "page highlights" "$BODY" "<mark>"
contains "page timeline" "$BODY" "<svg"
contains "a timeline bar narrows the search to its month" "$BODY" '<a href="/?q=cong%20tac%20can%20bo&amp;from=2024-04-01&amp;to=2024-04-30">'
contains "page facets" "$BODY" "Chuyên mục"
contains "page pagination" "$BODY" "Trang sau"
lacks "page loads nothing from outside" "$BODY" "http://cdn"
contains "page forbids scripts" "$(cat "$WORK/headers")" "Content-Security-Policy: default-src 'none'"
contains "a hit links to its article with the search" "$BODY" 'href="/article/000_21e35f31858b3384?q=cong%20tac%20can%20bo"'
# the notices that the API gives in English, on the page in Vietnamese
notices() { get "$1"; grep -o '<p class="notice">[^<]*' <<<"$BODY" | sed 's/<p class="notice">//' | paste -sd'|'; }
eq "the page's notices are Vietnamese (1)" "$(notices "$BASE/?q=ha+-+)+tacgia%3A+(noi")" \
  "Dấu &#39;-&#39; đứng một mình được bỏ qua|Dấu &#39;)&#39; không có &#39;(&#39; đi trước được bỏ qua|tacgia: không có giá trị nên được bỏ qua|Dấu ngoặc đơn chưa đóng được đóng ở cuối câu"
eq "the page's notices are Vietnamese (2)" "$(notices "$BASE/?q=foo%3Abar+date%3Axyz+%22cong")" \
  "Không có trường &#39;foo&#39; nên được tìm như chữ thường|date:xyz không phải ngày hay khoảng ngày nên được bỏ qua|Dấu ngoặc kép chưa đóng được đóng ở cuối câu|Không bài nào có đủ mọi chữ: đây là các bài có nhiều chữ nhất"
eq "the page's notices are Vietnamese (3)" "$(notices "$BASE/?q=$(for i in $(seq 70); do printf 'x%d+' "$i"; done)")" \
  "Chỉ 64 chữ đầu tiên được tìm|Không bài nào có chữ nào trong câu tìm kiếm"
eq "the page's notices are Vietnamese (4)" "$(notices "$BASE/?q=cong+tac+date%3A2024-05..2024-04")" \
  "date:2024-05..2024-04 kết thúc trước khi bắt đầu nên hai ngày được đổi chỗ cho nhau"
eq "the page's notices are Vietnamese (5)" "$(notices "$BASE/?q=cong+tac+date%3A2030")" \
  "Trong phạm vi bộ lọc, không bài nào có chữ nào trong câu tìm kiếm|Không bài nào có ngày trong khoảng đã chọn; các bài trong kho có ngày từ 01/11/2019–01/04/2024"
eq "the page's notices are Vietnamese (6)" "$(notices "$BASE/?q=%3F%3F%3F")" "Câu tìm kiếm không có chữ nào để tìm nên được bỏ qua"
get "$BASE/api/search?q=%3F%3F%3F"
eq "a query of punctuation says it searched no word" "$(echo "$BODY" | jq -r '.notices | join("|")')" "the query has no word to search; ignored"
get "$BASE/?q=cong+tac+can+bo&from=2024-04-01&to=2024-04-30"
contains "a one-month timeline names its month" "$BODY" '<text x="0.0" y="114" text-anchor="start">04/2024</text>'
get "$BASE/article/000_21e35f31858b3384"
eq "article page status" "$STATUS" 200
contains "article page title" "$BODY" "<h1>Thực hiện đồng bộ, chặt chẽ các khâu trong công tác cán bộ</h1>"
contains "article page without a search leads to the search page" "$BODY" '<a href="/">« Về trang tìm kiếm</a>'
contains "article page lists related articles" "$BODY" '<h2>Bài liên quan</h2>'
lacks "... not the article itself" "$(sed -n 's|.*<section class="related"||p' <<<"$BODY")" '/article/000_21e35f31858b3384"'
get "$BASE/article/000_21e35f31858b3384?q=can+bo&sort=newest&page=3"
contains "article page highlights the search's words" "$BODY" "<h1>Thực hiện đồng <mark>bộ</mark>, chặt chẽ các khâu trong công tác <mark>cán</mark> <mark>bộ</mark></h1>"
contains "... in the body too" "$BODY" "<mark>cán</mark> <mark>bộ</mark>"
contains "... and leads back to those results" "$BODY" '<a href="/?q=can%20bo&amp;sort=newest&amp;page=3">« Về kết quả tìm kiếm</a>'
get "$BASE/article/000_21e35f31858b3384?q=can+bo&page=abc"
eq "article page with a broken search still opens" "$STATUS" 200
lacks "... without it" "$BODY" "<mark>"

# --- errors: JSON with the right status, naming what was wrong
err_case() { # DESCRIPTION STATUS CODE MESSAGE-PART CURL-ARGS...
  local d=$1 want=$2 code=$3 part=$4; shift 4
  get "$@"
  eq "$d: status" "$STATUS" "$want"
  eq "$d: code" "$(echo "$BODY" | jq -r .error.code 2>/dev/null)" "$code"
  contains "$d: message" "$(echo "$BODY" | jq -r .error.message 2>/dev/null)" "$part"
}
err_case "bad percent-encoding" 400 bad_request "percent-encoding in parameter 'q'" "$BASE/api/search?q=%zz"
err_case "invalid UTF-8" 400 bad_request "'q' is not valid UTF-8" "$BASE/api/search?q=%C3%28"
err_case "per_page too large" 400 bad_request "'per_page'" "$BASE/api/search?q=a&per_page=101"
err_case "per_page not a number" 400 bad_request "'per_page'" "$BASE/api/search?q=a&per_page=ten"
err_case "page zero" 400 bad_request "'page'" "$BASE/api/search?q=a&page=0"
err_case "page too deep" 400 bad_request "'page'" "$BASE/api/search?q=a&page=5000&per_page=100"
err_case "bad sort" 400 bad_request "'sort'" "$BASE/api/search?q=a&sort=random"
err_case "bad date" 400 bad_request "'from'" "$BASE/api/search?q=a&from=yesterday"
err_case "from after to" 400 bad_request "parameter 'from' (2024-05) is after 'to' (2024-04-30)" "$BASE/api/search?q=a&from=2024-05&to=2024-04-30"
err_case "missing q" 400 bad_request "'q' is required" "$BASE/api/search"
err_case "unknown parameter" 400 bad_request "unknown parameter 'size'; the parameters are q, page, per_page, offset, limit" "$BASE/api/search?q=a&size=5"
err_case "Vietnamese field name as a parameter" 400 bad_request "unknown parameter 'tacgia'" "$BASE/api/search?q=a&tacgia=x"
err_case "parameter given twice" 400 bad_request "parameter 'q' is given twice" "$BASE/api/search?q=a&q=b"
err_case "offset with page" 400 bad_request "cannot be mixed" "$BASE/api/search?q=a&offset=10&page=2"
err_case "limit zero" 400 bad_request "parameter 'limit' must be a whole number from 1 to 100" "$BASE/api/search?q=a&limit=0"
err_case "offset too deep" 400 bad_request "parameter 'offset' must be a whole number from 0 to 10000" "$BASE/api/search?q=a&offset=10001"
err_case "negative offset" 400 bad_request "'offset'" "$BASE/api/search?q=a&offset=-1"
err_case "bad as_typed" 400 bad_request "parameter 'as_typed' must be 0 or 1" "$BASE/api/search?q=a&as_typed=yes"
err_case "unknown article parameter" 400 bad_request "unknown parameter 'with'; the parameters are related" "$BASE/api/articles/000_21e35f31858b3384?with=related"
err_case "query too long" 400 bad_request "longer than 2000" "$BASE/api/search?q=$(head -c 3000 /dev/zero | tr '\0' 'a')"
err_case "unknown article" 404 not_found "no article" "$BASE/api/articles/no-such-id"
err_case "unknown path" 404 not_found "no such page" "$BASE/nope"
err_case "POST" 405 method_not_allowed "GET" -X POST "$BASE/api/search?q=a"
contains "405 says what is allowed" "$(cat "$WORK/headers")" "Allow: GET, HEAD"
head -c 200000 /dev/zero > "$WORK/big"
err_case "large body" 413 payload_too_large "too large" -X POST --data-binary @"$WORK/big" "$BASE/api/search"
err_case "long URL" 414 uri_too_long "too long" "$BASE/api/search?q=a&x=$(head -c 9000 /dev/zero | tr '\0' 'b')"
get "$BASE/?q=%zz"
eq "page with bad input answers 400" "$STATUS" 400
get -I "$BASE/healthz"
eq "HEAD works" "$STATUS" 200

# --- hostile queries are echoed as text only
get "$BASE/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
lacks "script tag not echoed" "$BODY" "<script>alert"
contains "script tag shown as text" "$BODY" "&lt;script&gt;alert(1)&lt;/script&gt;"
get "$BASE/?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"
lacks "img tag not echoed" "$BODY" "<img"
get "$BASE/api/search?q=%3Cscript%3E"
eq "API echoes the query as a JSON string" "$(echo "$BODY" | jq -r .query)" "<script>"

# --- raw garbage never crashes the daemon
for req in $'GET /\x01\x02 HTTP/1.1\r\nHost: x\r\n\r\n' $'GARBAGE\r\n\r\n' $'GET /api/search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n' \
           $'GET /api/articles/%00 HTTP/1.1\r\nHost: x\r\n\r\n' $'POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n' \
           $'GET /'"$(head -c 70000 /dev/zero | tr '\0' 'a')"$' HTTP/1.1\r\n\r\n'; do
  printf '%s' "$req" | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; cat >&3; timeout 2 cat <&3 >/dev/null" 2>/dev/null
done
get "$BASE/healthz"
eq "alive after garbage" "$STATUS" 200

# --- metrics
get "$BASE/metrics"
contains "metrics requests by route and status" "$BODY" 'tracuu_requests_total{route="api_search",status="200"}'
contains "metrics errors counted" "$BODY" 'tracuu_requests_total{route="api_search",status="400"}'
contains "metrics latency histogram" "$BODY" 'tracuu_request_duration_seconds_bucket{le="+Inf"}'
contains "metrics article count" "$BODY" "tracuu_index_articles 2001"
contains "metrics reopen count" "$BODY" "tracuu_index_reopens_total"

# --- the answer cache: the same request is answered from it until the index changes
get "$BASE/api/search?q=chim+hai+au+dao+bach+long+vi"
eq "first answer is searched" "$(echo "$BODY" | jq .cached)" false
first=$(echo "$BODY" | jq -c 'del(.took_ms, .cached)')
get "$BASE/api/search?q=chim+hai+au+dao+bach+long+vi"
eq "the same request comes from the cache" "$(echo "$BODY" | jq .cached)" true
eq "the cached answer is the same answer" "$(echo "$BODY" | jq -c 'del(.took_ms, .cached)')" "$first"
get "$BASE/api/search?q=chim+hai+au+dao+bach+long+vi&per_page=3"
eq "another page size is another answer" "$(echo "$BODY" | jq .cached)" false
get "$BASE/?q=chim+hai+au+dao+bach+long+vi"
contains "the page renders a cached answer" "$BODY" "<mark>"
get "$BASE/metrics"
contains "metrics count cache hits" "$BODY" 'tracuu_cache_lookups_total{outcome="hit"}'

# --- new articles show up without a restart (and empty the cache)
echo '{"id":"live-1","title":"Tin nóng về loài chim hải âu xylomanh trên đảo Bạch Long Vĩ"}' > "$WORK/live.jsonl"
"$TRACUU" index --progress never --db "$DB" "$WORK/live.jsonl" >/dev/null 2>&1
# top_hit_becomes ID QUERY: 1 once the search's first hit is ID (polling up to 10 s), else 0
top_hit_becomes() {
  for _ in $(seq 1 50); do
    get "$BASE/api/search?q=$2"
    [ "$(echo "$BODY" | jq -r '.hits[0].id')" = "$1" ] && { echo 1; return; }
    sleep 0.2
  done
  echo 0
}
eq "new article visible without a restart" "$(top_hit_becomes live-1 xylomanh)" 1
eq "a cached answer gives way to the new article" "$(top_hit_becomes live-1 chim+hai+au+dao+bach+long+vi)" 1
for _ in $(seq 1 30); do
  get "$BASE/healthz"
  [ "$(echo "$BODY" | jq .articles)" = 2002 ] && break
  sleep 0.2
done
eq "healthz sees the new count" "$(echo "$BODY" | jq .articles)" 2002

# --- access log
contains "access log line" "$(cat "$WORK/log")" "GET /healthz 200"

# --- clean shutdown: requests in flight finish, exit status 0
for i in $(seq 1 8); do curl -s -o /dev/null -w '%{http_code}\n' "$BASE/api/search?q=viet+nam+$i" >> "$WORK/inflight" & done
sleep 0.05
kill -TERM "$PID"
wait "$PID"; rc=$?
wait
eq "SIGTERM exits 0" "$rc" 0
contains "shutdown logged" "$(cat "$WORK/log")" "stopped"
eq "no request was cut off" "$(grep -v -c -E '^(200|000)$' "$WORK/inflight")" 0

# --- a --listen that is no address is refused, never bound to some other port
for bad in 127.0.0.1:99999 127.0.0.1:65536 127.0.0.1: 127.0.0.1:80x :8080 127.0.0.1:-1 nohost; do
  out=$(timeout 5 "$TRACUU" serve --db "$DB" --listen "$bad" 2>&1); rc=$?
  eq "--listen $bad exits 1" "$rc" 1
  contains "--listen $bad is named" "$out" "--listen '$bad' is not HOST:PORT"
done
while IFS='|' read -r option value range; do
  out=$(timeout 5 "$TRACUU" serve --db "$DB" --listen 127.0.0.1:0 "$option" "$value" 2>&1); rc=$?
  eq "$option $value exits 1" "$rc" 1
  eq "$option $value is named" "$out" "tracuu serve: $option must be a number from $range, not '$value'"
done <<'ROWS'
--threads|0|1 to 64
--threads|65|1 to 64
--cache-mb|abc|0 to 1048576
--cache-mb|-1|0 to 1048576
--shard-timeout|2s|1 to 600000
ROWS

# --- the total and the facets are counted on a second reader of the index, on another thread; it is
# kept at the commit the ranking reader sees. One worker, so the same reader answers every request:
# it reopens at most once a second, and the answer after it has picked up the new article counts it.
start_daemon "$DB" "$WORK/log3" 1
get "http://127.0.0.1:$PORT/api/search?q=zebrakhoang"
eq "counted before the commit" "$(echo "$BODY" | jq -c '[.total, (.hits | length)]')" "[0,0]"
get "http://127.0.0.1:$PORT/api/search?q=zebrakhoangg" # the reader keeps the vocabulary it corrects from
eq "no correction before the commit" "$(echo "$BODY" | jq -r .suggestion)" "null"
echo '{"id":"live-2","title":"Đàn chim zebrakhoang bay về đảo Cô Tô","date":"2024-05-02"}' > "$WORK/live2.jsonl"
"$TRACUU" index --progress never --db "$DB" "$WORK/live2.jsonl" >/dev/null 2>&1
counts_agree=1
for _ in $(seq 1 15); do
  get "http://127.0.0.1:$PORT/api/search?q=zebrakhoang"
  [ "$(echo "$BODY" | jq '.total == (.hits | length) and ((.facets.year | map(.count) | add) // 0) == .total')" = true ] || counts_agree=0
  [ "$(echo "$BODY" | jq '.hits | length')" = 1 ] && break
  sleep 0.2
done
eq "the new article is found" "$(echo "$BODY" | jq -r '.hits[0].id')" "live-2"
eq "total and facets agree with the hits at every step" "$counts_agree" 1
eq "the year facet counts it" "$(echo "$BODY" | jq -c '.facets.year')" '[{"value":"2024","count":1}]'
get "http://127.0.0.1:$PORT/api/search?q=zebrakhoangg"
eq "a correction knows the new article's words" "$(echo "$BODY" | jq -r .suggestion)" "zebrakhoang"
kill -TERM "$PID"; wait "$PID"

# --- related articles: on an index of two articles on one event and two on others, each of the
# two lists the other first, and never itself
{
  echo '{"id":"rel-flood","title":"Lũ quét ở Mù Cang Chải cuốn trôi cầu treo","body":"Trận lũ quét đêm qua ở huyện Mù Cang Chải, tỉnh Yên Bái, cuốn trôi hai cầu treo và làm sạt lở đường vào bản."}'
  echo '{"id":"rel-repair","title":"Mù Cang Chải khắc phục hậu quả lũ quét","body":"Huyện Mù Cang Chải đang dựng lại cầu treo bị lũ quét cuốn trôi; tỉnh Yên Bái hỗ trợ các hộ bị sạt lở."}'
  echo '{"id":"rel-coffee","title":"Giá cà phê tăng mạnh","body":"Giá cà phê ở Tây Nguyên tăng mạnh trong tuần qua, người trồng phấn khởi."}'
  echo '{"id":"rel-football","title":"Đội tuyển bóng đá nữ tập huấn","body":"Đội tuyển bóng đá nữ lên đường tập huấn ở nước ngoài trước vòng loại."}'
} > "$WORK/related.jsonl"
"$TRACUU" index --progress never --db "$WORK/related" "$WORK/related.jsonl" >/dev/null 2>&1
start_daemon "$WORK/related" "$WORK/log4"
get "http://127.0.0.1:$PORT/api/articles/rel-flood?related=1"
eq "the API gives the related articles on asking" "$(echo "$BODY" | jq -r '.related[0].id + " " + .related[0].title')" \
  "rel-repair Mù Cang Chải khắc phục hậu quả lũ quét"
get "http://127.0.0.1:$PORT/api/articles/rel-flood"
eq "... and not otherwise" "$(echo "$BODY" | jq 'has("related")')" false
get "http://127.0.0.1:$PORT/api/articles/rel-flood?related=yes"
eq "... and refuses a related that is not 0 or 1" "$STATUS $(echo "$BODY" | jq -r .error.message)" "400 parameter 'related' must be 0 or 1"
related() { get "http://127.0.0.1:$PORT/article/$1"; sed -n 's|.*<section class="related"[^>]*>\(.*\)</section>.*|\1|p' <<<"$BODY" | grep -o 'href="/article/[^"]*"' | sed 's|href="/article/||; s|"||' | paste -sd,; }
eq "an article's first related article is the other on its event" "$(related rel-flood | cut -d, -f1)" "rel-repair"
eq "... both ways" "$(related rel-repair | cut -d, -f1)" "rel-flood"
lacks "... and never lists itself" ",$(related rel-flood)," ",rel-flood,"
lacks "... (the other)" ",$(related rel-repair)," ",rel-repair,"
kill -TERM "$PID"; wait "$PID"

# --- no index yet: 503, then the index appears and is served
start_daemon "$WORK/later" "$WORK/log2"
get "http://127.0.0.1:$PORT/healthz"
eq "healthz without an index" "$STATUS" 503
get "http://127.0.0.1:$PORT/api/search?q=a"
eq "search without an index" "$STATUS" 503
eq "503 is JSON" "$(echo "$BODY" | jq -r .error.code)" "unavailable"
"$TRACUU" index --progress never --db "$WORK/later" "$WORK/live.jsonl" >/dev/null 2>&1
get "http://127.0.0.1:$PORT/healthz"
eq "healthz once the index exists" "$STATUS" 200
kill -TERM "$PID"; wait "$PID"

report
