#!/usr/bin/env bash
# test_search.sh — the query engine on an index of the 2k sample, the seed and a small fixture of our own:
# accented vs unaccented ranking, phrase vs loose, title boost, UTC+7 date boundaries, exact facet counts,
# NFD snippet highlighting, suggestions, sorting, exclusion, fields and --batch.
. "$(dirname "$0")/lib.sh"
DB=$WORK/db
FIX=$WORK/fixture.jsonl
nfd() { python3 -c 'import sys, unicodedata; print(unicodedata.normalize("NFD", sys.argv[1]))' "$1"; }
{
  echo '{"id":"fx-apr-first","title":"Khánh thành cầu vượt sông Lam","date":"2024-04-01T00:00:00+07:00","category":"giao-thong","author":"Lê Minh","source":"kiểm thử"}'
  echo '{"id":"fx-mar-last","title":"Khánh thành bến phà sông Lam","date":"2024-03-31T23:59:59+07:00","category":"giao-thong","author":"Lê Minh","source":"kiểm thử"}'
  echo '{"id":"fx-apr-utc","title":"Khánh thành nhà ga sông Lam","date":"2024-03-31T17:00:00Z","category":"giao-thong","author":"Trần Hoa","source":"kiểm thử"}'
  echo '{"id":"fx-apr-last","title":"Khánh thành bệnh viện sông Lam","date":"2024-04-30T23:59:59+07:00","category":"y-te","author":"Trần Hoa","source":"kiểm thử"}'
  echo '{"id":"fx-may-first","title":"Khánh thành trường học sông Lam","date":"2024-05-01T00:00:00+07:00","category":"giao-duc","author":"Trần Hoa","source":"kiểm thử"}'
  echo '{"id":"fx-cong","title":"Bản tin chiều","body":"Người thợ gốm công nhận chiếc bình men lam rất đẹp.","source":"kiểm thử"}'
  echo '{"id":"fx-cong-folded","title":"Bản tin sáng","body":"Người thợ gốm cộng thêm chiếc bình men lam vào lò.","source":"kiểm thử"}'
  printf '{"id":"fx-nfd","title":"Tin miền núi","body":"%s","source":"kiểm thử"}\n' "$(nfd 'Đoàn khảo sát gặp thầy giáo Hoàng Văn Thụ ở bản Pù Luông.')"
  echo '{"id":"fx-title","title":"Giá lúa gạo tăng mạnh","body":"Vụ mùa năm nay được mùa.","source":"kiểm thử"}'
  echo '{"id":"fx-body","title":"Thị trường nông sản","body":"Các thương lái cho biết giá lúa gạo tăng mạnh trong tuần qua và giá lúa gạo còn tăng.","source":"kiểm thử"}'
  echo '{"id":"fx-apart","title":"Bản tin tối","body":"Làng Phúc có đội thuyền đua, còn rồng vàng thì ở Vạn Xuân. Thuyền về muộn.","source":"kiểm thử"}'
  echo '{"id":"fx-adjacent","title":"Bản tin trưa","body":"Đội thuyền rồng làng Vạn Phúc về nhất.","source":"kiểm thử"}'
  echo '{"id":"fx-world","title":"Điểm tin quốc tế","body":"Hôm qua, Tổng thống Mỹ Donald Trump gặp Chủ tịch Trung Quốc Tập Cận Bình. Ca sĩ Mỹ Tâm hát, Thủ tướng Anh Theresa May nghe.","source":"kiểm thử"}'
  echo '{"id":"fx-numbers","title":"Tỷ giá ngày 16/5: USD giảm","body":"Hơn 5.000 xe máy được bán trong tuần.","source":"kiểm thử"}'
  echo '{"id":"fx-title-start","title":"Pù Luông mùa lúa chín","body":"Cuối tháng chín, du khách về Pù Luông xem lúa.","source":"kiểm thử"}'
  echo '{"id":"fx-beside","title":"Bản tin dịch","body":"Hôm nay có bao nhiêu ca mắc mới? Báo chí, báo đài, báo mạng, báo in và báo ảnh đều hỏi cả ngày lẫn cả đêm.","source":"kiểm thử"}'
  echo '{"id":"fx-shout","title":"Ba con giáp SỐ HÊN cuối tuần","body":"Tử vi vui cho ngày nghỉ.","source":"kiểm thử"}'
  echo '{"id":"fx-shout-bare","title":"CHO THUÊ NHÀ, CHO THUÊ XE, CHO THUÊ ĐỒ","body":"Ai cần thì cho thuê nhà.","source":"kiểm thử"}'
  echo '{"id":"fx-furniture","title":"Bản tin động vật","body":"Rắn và chồn đánh nhau. ( CHI TIẾT ) Trâu rừng húc sư tử. ( CHI TIẾT ) Xem thông tin thêm ở trang sau.","source":"kiểm thử"}'
  echo '{"id":"fx-typo","title":"Bản tin khuya","body":"Thầy giáoo dạy vẽ ở làng gốm.","source":"kiểm thử"}'
  echo '{"id":"fx-sentence","title":"Bản tin chợ","body":"Chợ bán cá. Khó tìm nồi. Nhà hàng có cá. Khó mặc cả. Nồi cá to, cá kho thì ngon.","source":"kiểm thử"}'
  for n in 1 2 3; do # the same slip of a key, in three articles
    echo '{"id":"fx-onset-'$n'","title":"Bản tin lớp '$n'","body":"Cô giáo dặn hhọc trò ôn bài.","source":"kiểm thử"}'
  done
  echo '{"id":"fx-places","title":"Bản tin du lịch","body":"Đoàn khách Trung Quốc nghỉ ở TP Tuy Hòa, rồi viếng Quốc Tử Giám cùng ông Lâm Hải, theo lời mời của UBND TP Đà Lạt.","source":"kiểm thử"}'
} > "$FIX"
"$TRACUU" index --progress never --db "$DB" "$SAMPLE" "$SEED" "$FIX" >/dev/null 2>&1
ids() { jq -r '[.hits[].id] | join(",")'; }
# fixture-only searches: the fixture's articles carry the source "kiểm thử"
fx() { search_json "$DB" --source 'kiểm thử' "$@"; }

# --- unaccented queries find every accented form; the seed comes first for its headline words
r=$(search_json "$DB" cong tac can bo)
eq "unaccented headline query finds the seed first" "$(echo "$r" | jq -r '.hits[0].id')" "000_21e35f31858b3384"
eq "suggestion restores the marks" "$(echo "$r" | jq -r .suggestion)" "công tác cán bộ"
contains "snippet highlights the folded match" "$(echo "$r" | jq -r '.hits[0].snippet')" "<mark>công</mark> <mark>tác</mark> <mark>cán</mark> <mark>bộ</mark>"
eq "ha noi suggests Hà Nội" "$(search_json "$DB" ha noi | jq -r .suggestion)" "Hà Nội"
eq "no suggestion for a query already accented" "$(search_json "$DB" 'công tác cán bộ' | jq -r .suggestion)" "null"
eq "a query typed partly with marks gets the rest" "$(search_json "$DB" 'Hà noi' | jq -r .suggestion)" "Hà Nội"
eq "... keeping the marks typed" "$(search_json "$DB" 'công tac can bộ' | jq -r .suggestion)" "công tác cán bộ"
eq "... but not for a syllable mostly written bare" "$(search_json "$DB" 'công an' | jq -r .suggestion)" "null"
eq "a misspelt syllable is corrected, with its marks" "$(search_json "$DB" --as-typed 'cong tacc' | jq -r .suggestion)" "công tác"
eq "a misspelt syllable typed with marks is corrected" "$(search_json "$DB" --as-typed 'công tácc' | jq -r .suggestion)" "công tác"
eq "two letters swapped are corrected" "$(search_json "$DB" --as-typed 'cogn tac can bo' | jq -r .suggestion)" "công tác cán bộ"
eq "a correction is written as the articles holding it write it, whatever the page" \
  "$(search_json "$DB" --as-typed --limit 1 'thu tuongg' | jq -r .suggestion)" "Thủ tướng"
eq "a typo the archive itself holds once is corrected" "$(fx 'thay giaoo' | jq -r .suggestion)" "thầy giáo"
eq "... and one opening with a consonant struck twice, though the archive holds it three times" \
  "$(fx 'hhoc tro' | jq -r .suggestion)" "học trò"
eq "Telex keys typed with the input method off are read as the letters they make" \
  "$(search_json "$DB" 'tieengs vieetj' | jq -c '[.corrected, .relaxed, .total > 10]')" '["tiếng Việt",false,true]'
eq "... and a short word's reading is only suggested" \
  "$(search_json "$DB" 'ddi hocj' | jq -c '[.corrected, .suggestion]')" '[null,"đi học"]'
eq "a code with a digit is never corrected into a word" "$(search_json "$DB" 'galaxy s9' | jq -r .suggestion)" "null"
eq "a doubled letter is left out rather than another changed" \
  "$(search_json "$DB" 'nhaa lanh dao' | jq -c '[.corrected, .suggestion]')" '["nhà lãnh đạo",null]'
eq "a syllable no article has leaves no suggestion, not part of one" "$(fx 'tho gom qqqzz' | jq -r .suggestion)" "null"
r=$(search_json "$DB" 'thu tuongg')
eq "no article with every word as typed: the corrected query is searched instead" \
  "$(echo "$r" | jq -c '[.query, .corrected, .relaxed, .suggestion, .total > 100]')" '["thu tuongg","Thủ tướng",false,null,true]'
eq "... and its hits show the corrected words" "$(echo "$r" | jq -r '.hits[0].title_html')" \
  "$(search_json "$DB" 'Thủ tướng' | jq -r '.hits[0].title_html')"
eq "--as-typed searches it as typed, and suggests" \
  "$(search_json "$DB" --as-typed 'thu tuongg' | jq -c '[.corrected, .relaxed, .suggestion]')" '[null,true,"Thủ tướng"]'
contains "the readable output says what it searched" "$("$TRACUU" search --db "$DB" --limit 1 'thu tuongg')" \
  "Showing results for: Thủ tướng (no article has every word as typed; --as-typed searches it anyway)"
eq "a correction that finds no article with every word either is only suggested" \
  "$(search_json "$DB" 'thu tuongg zebrakhoang' | jq -c '[.corrected, .relaxed]')" '[null,true]'
eq "a query found as typed is never replaced" "$(search_json "$DB" 'thay giaoo' | jq -c '[.corrected, .total]')" '[null,1]'
eq "a short syllable's correction is only suggested" "$(search_json "$DB" 'foo bar' | jq -c '[.corrected, .relaxed]')" '[null,true]'
eq "a syllable is read as it stands beside its query neighbour, not as it stands most often" \
  "$(fx 'moi bao nhieu ca' | jq -r .suggestion)" "mới bao nhiêu ca"
eq "a syllable the hits do not show takes its usual form (vì), or its unmarked one when that is usual (sao)" \
  "$(fx 'vi sao thuyen rong' | jq -r .suggestion)" "vì sao thuyền rồng"
eq "an acronym is suggested in capitals, as the articles write it" "$(fx 'ubnd tp da lat' | jq -r .suggestion)" "UBND TP Đà Lạt"
eq "... but a headline shouting in capitals says nothing of how a word is written" "$(fx 'so hen' | jq -r .suggestion)" "số hên"
eq "... even where the word shouted has no mark to tell" "$(fx 'cho thue nha' | jq -r .suggestion)" "cho thuê nhà"
eq "... or stands after a link in capitals (\"( CHI TIẾT )\")" "$(fx 'thong tin chi tiet' | jq -r .suggestion)" "thông tin chi tiết"
eq "a suggestion keeps the quotes typed" "$(search_json "$DB" '"cong tac" can bo' | jq -r .suggestion)" '"công tác" cán bộ'
eq "... and the hyphens and brackets" "$(search_json "$DB" 'cong-tac (can bo)' | jq -r .suggestion)" 'công-tác (cán bộ)'
eq "a name opening a title keeps its capital" "$(fx pu luong mua lua | jq -r .suggestion)" "Pù Luông mùa lúa"
eq "no suggestion that only changes case" "$(fx 'pù luông' | jq -r .suggestion)" "null"
eq "syllables side by side across a full stop say nothing of each other" "$(fx 'noi ca kho' | jq -r .suggestion)" "nồi cá kho"
eq "a syllable the hits never show beside a neighbour is read where articles have the pair" \
  "$(search_json "$DB" 'tin tuc ve ha noi benh vien e moi nhat' | jq -r .suggestion)" "tin tức về Hà Nội bệnh viện E mới nhất"
eq "... and a question's closing words too" \
  "$(search_json "$DB" 'truy tim tai xe taxi la nhu the nao' | jq -r .suggestion)" "truy tìm tài xế taxi là như thế nào"
eq "... and how they write its capitals counts with the page's (a paper named Tin Tức is not tin tức)" \
  "$(search_json "$DB" 'tin tuc ve gia lua gao' | jq -r .suggestion)" "tin tức về giá lúa gạo"
eq "... so a query typed right is not told a usual form the pair never takes" \
  "$(search_json "$DB" 'thông tin chi tiết vụ tai nạn giao thông' | jq -r .suggestion)" "null"

# --- accented syllables rank the exact form first and still find the folded-only ones
r=$(fx 'công bình men lam')
eq "exact form ranks first" "$(echo "$r" | ids)" "fx-cong,fx-cong-folded"
r=$(fx 'cộng bình men lam')
eq "the other exact form ranks first" "$(echo "$r" | ids)" "fx-cong-folded,fx-cong"
r=$(fx 'cong binh men lam')
eq "unaccented finds both" "$(echo "$r" | jq .total)" 2
eq "NFD query is the same query" "$(fx "$(nfd 'công bình men lam')" | ids)" "fx-cong,fx-cong-folded"
eq "old tone placement is the same query" "$(search_json "$DB" 'hoà bình' | jq .total)" "$(search_json "$DB" 'hòa bình' | jq .total)"
eq "upper case is the same query" "$(fx 'CÔNG BÌNH MEN LAM' | ids)" "fx-cong,fx-cong-folded"
# "công" is the form most articles use (text/forms-vi.txt): the index keeps no term for it, and an
# article holds it as often as its folded syllable less the syllable's other forms
score_of() { jq -r --arg id "$1" '.hits[] | select(.id == $id) | .score * 1e6 | round'; }
eq "the dominant form typed gives an article with only another form no boost" \
  "$(fx 'công bình men lam' | score_of fx-cong-folded)" "$(fx 'cong bình men lam' | score_of fx-cong-folded)"
with=$(fx 'công bình men lam' | score_of fx-cong)
without=$(fx 'cong bình men lam' | score_of fx-cong)
eq "... and lifts an article that has it ($with against $without)" "$((with > without))" 1

# --- phrases need adjacency; loose words do not
loose=$(search_json "$DB" 'cong tac can bo' | jq .total)
phrase=$(search_json "$DB" '"cong tac can bo"' | jq .total)
check "a phrase matches fewer articles than its loose words" test "$phrase" -lt "$loose"
check "a phrase still matches" test "$phrase" -ge 1
eq "phrase hits all hold the phrase" "$(search_json "$DB" --limit 100 '"cong tac can bo"' | jq '[.hits[] | select(.snippet | test("<mark>công</mark> <mark>tác</mark> <mark>cán</mark> <mark>bộ</mark>"; "i"))] | length')" "$phrase"
r=$(fx '"gao tang"' | jq -r '.hits[] | select(.id == "fx-body") | .snippet')
eq "a phrase's words are marked where the phrase stands, not alone" "$r" \
  "Các thương lái cho biết giá lúa <mark>gạo</mark> <mark>tăng</mark> mạnh trong tuần qua và giá lúa gạo còn tăng."
r=$(fx '"gao tang" con' | jq -r '.hits[] | select(.id == "fx-body") | .snippet')
contains "... while a loose word is marked wherever it is" "$r" "lúa gạo <mark>còn</mark> tăng"
eq "an article without a lead has no leading space in its snippet" "$(fx 'thuyen rong van phuc' | jq -r '.hits[0].snippet')" \
  "Đội <mark>thuyền</mark> <mark>rồng</mark> làng <mark>Vạn</mark> <mark>Phúc</mark> về nhất."

# --- a search for dates the archive has no article in says which dates it has
r=$(search_json "$DB" 'ha noi date:2010')
contains "dates outside the archive are named" "$(echo "$r" | jq -r '.notices | join("|")')" \
  "no article is dated within the dates asked for; the archive's dates span 01/11/2019–01/05/2024"
r=$(search_json "$DB" --from 2030-01-01 'khanh thanh')
contains "... for --from too" "$(echo "$r" | jq -r '.notices | join("|")')" "the archive's dates span"
eq "... but not when the dates hold articles, only not these words" \
  "$(search_json "$DB" 'zzqqxx date:2024-04' | jq -r '.notices | join("|")')" ""
eq "... nor when the dates found articles" "$(search_json "$DB" 'khanh thanh date:2024-04' | jq -r '.notices | join("|")')" ""

# --- words side by side outrank the same words apart (positional boosts on the shortlist)
eq "adjacent beats scattered" "$(fx 'thuyen rong van phuc' | ids)" "fx-adjacent,fx-apart"
eq "the second page continues the first" "$(fx --limit 1 --offset 1 'thuyen rong van phuc' | ids)" "fx-apart"
eq "a page of one still counts every match" "$(fx --limit 1 'thuyen rong van phuc' | jq .total)" 2
# the phrase boosts of a page are exact though positions are read only for articles that could reach
# it: the first two pages, asked alone, are the head of the 200 the shortlist ranks in full
for q in "gia vang" "cong an tinh" "bong da" "hoc sinh gioi"; do
  all=$(search_json "$DB" --limit 200 "$q" | jq -c '[.hits[] | [.id, (.score * 1e6 | round)]]')
  eq "page 1 of '$q' heads the full ranking" "$(search_json "$DB" --limit 10 "$q" | jq -c '[.hits[] | [.id, (.score * 1e6 | round)]]')" "$(jq -c '.[0:10]' <<<"$all")"
  eq "page 2 of '$q' follows it" "$(search_json "$DB" --limit 10 --offset 10 "$q" | jq -c '[.hits[] | [.id, (.score * 1e6 | round)]]')" "$(jq -c '.[10:20]' <<<"$all")"
done
contains "accented forms are weighed on the shortlist, not by Xapian's matcher" \
  "$("$TRACUU" search --db "$DB" --explain 'công bình' | grep '^Xapian query')" "then on the best 200: 2.5*Fcong-\"Vcong *\" 2.5*Fbinh-\"Vbinh *\";"
contains "--explain lists the positional boosts" "$("$TRACUU" search --db "$DB" --explain 'thuyen rong' | grep '^Xapian query')" "phrase(Fthuyen Frong)"

# --- title matches outrank body matches
eq "title beats body" "$(fx 'gia lua gao tang manh' | ids | cut -d, -f1-2)" "fx-title,fx-body"
eq "title: field" "$(fx 'tieude:"lua gao"' | ids)" "fx-title"

# --- exclusion and OR
eq "-word excludes" "$(fx 'khanh thanh song lam -truong -benh -nha -ben' | ids)" "fx-apr-first"
eq "OR takes either" "$(fx --sort oldest '"ben pha" OR "nha ga"' | ids)" "fx-mar-last,fx-apr-utc"

# --- dates: inclusive days in Vietnam time, boundaries at UTC+7 midnight
eq "date:2024-04 is April in Vietnam time" "$(fx --sort oldest 'khanh thanh date:2024-04' | ids)" "fx-apr-first,fx-apr-utc,fx-apr-last"
eq "dd/mm/yyyy range" "$(fx --sort oldest 'khanh thanh date:01/04/2024..30/04/2024' | ids)" "fx-apr-first,fx-apr-utc,fx-apr-last"
eq "--from/--to" "$(fx --sort oldest --from 2024-04-01 --to 2024-04-30 'khanh thanh' | ids)" "fx-apr-first,fx-apr-utc,fx-apr-last"
eq "open end" "$(fx --sort oldest 'khanh thanh date:..2024-03-31' | ids)" "fx-mar-last"
eq "single day" "$(fx --sort oldest 'khanh thanh date:2024-04-01' | ids)" "fx-apr-first,fx-apr-utc"
eq "newest first" "$(fx --sort newest 'khanh thanh song lam' | ids)" "fx-may-first,fx-apr-last,fx-apr-first,fx-apr-utc,fx-mar-last"
eq "oldest first puts undated articles last" "$(fx --sort oldest '"khanh thanh" OR "men lam"' | jq -r '[.hits[0].id, (.hits[-1].date // "undated")] | join(",")')" "fx-mar-last,undated"
eq "newest first puts undated articles last" "$(fx --sort newest '"khanh thanh" OR "men lam"' | jq -r '[.hits[0].id, (.hits[-1].date // "undated")] | join(",")')" "fx-may-first,undated"
eq "filters alone list newest first" "$(fx --from 2024-05-01 --to 2024-05-31 | ids)" "fx-may-first"
eq "a range written the wrong way round is read the right way" \
  "$(fx --sort oldest 'khanh thanh date:30/04/2024..01/04/2024' | jq -c '[([.hits[].id] | join(",")), .notices]')" \
  '["fx-apr-first,fx-apr-utc,fx-apr-last",["date:30/04/2024..01/04/2024 ends before it begins; its two dates were swapped"]]'
out=$(fx --from 2024-05-01 --to 2024-04-30 'khanh thanh' 2>&1); rc=$?
eq "--from after --to exits 1" "$rc" 1
eq "--from after --to is named" "$out" "tracuu search: --from 2024-05-01 is after --to 2024-04-30"
eq "nothing in the date range: the notice says the filters left nothing, not that the words are unknown" \
  "$(fx 'khanh thanh date:2030' | jq -c '[.total, .notices[0]]')" '[0,"no article within the filters has any of these words"]'
eq "... nor with a filter parameter" "$(fx --author 'Không Ai' 'khanh thanh' | jq -c '[.total, .notices]')" \
  '[0,["no article within the filters has any of these words"]]'
eq "... while unknown words alone still say so" "$(search_json "$DB" 'zzqqxx qqzzyy' | jq -c '[.total, .notices]')" '[0,["no article has any of these words"]]'

# --- facets count every match exactly
r=$(fx 'khanh thanh song lam')
eq "category facet" "$(echo "$r" | jq -c '[.facets.category[] | [.value, .count]]')" '[["giao-thong",3],["giao-duc",1],["y-te",1]]'
eq "author facet" "$(echo "$r" | jq -c '[.facets.author[] | [.value, .count]]')" '[["Trần Hoa",3],["Lê Minh",2]]'
eq "year facet" "$(echo "$r" | jq -c '[.facets.year[] | [.value, .count]]')" '[["2024",5]]'
eq "timeline by month" "$(echo "$r" | jq -c '[.timeline[] | [.month, .count]]')" '[["2024-03",1],["2024-04",3],["2024-05",1]]'
for m in $(seq 1 14); do # fourteen months of one story: the timeline keeps every month, not the ten biggest
  printf '{"id":"tl-%d","title":"Mùa nước nổi tháng %d","date":"%s-15","body":"Nước lên đồng bằng."}\n' \
    "$m" "$m" "$(date -d "2022-01-01 +$((m - 1)) month" +%Y-%m)"
done >"$WORK/timeline.jsonl"
"$TRACUU" index --progress never --db "$WORK/tl" "$WORK/timeline.jsonl" >/dev/null 2>&1
r=$(search_json "$WORK/tl" "mua nuoc noi")
eq "the timeline has every month" "$(echo "$r" | jq '.timeline | length')" 14
eq "the timeline counts every match" "$(echo "$r" | jq '[.timeline[].count] | add')" 14
eq "author filter" "$(fx --author 'Lê Minh' 'khanh thanh' --sort oldest | ids)" "fx-mar-last,fx-apr-first"
eq "category filter" "$(fx --category 'y-te' 'khanh thanh' | ids)" "fx-apr-last"
eq "author: field" "$(fx --sort oldest 'tacgia:"tran hoa"' | ids)" "fx-apr-utc,fx-apr-last,fx-may-first"
total=$(search_json "$DB" 'viet nam' | jq .total)
eq "total is exact" "$(search_json "$DB" 'viet nam' | jq .total_exact)" true
eq "year facet sums to the dated matches" "$(search_json "$DB" 'viet nam' | jq '[.facets.year[].count] | add')" \
   "$(search_json "$DB" --from 1900 'viet nam' | jq .total)"

# --- snippets highlight NFD text by byte offsets, and names are searchable
r=$(fx 'hoang van thu')
eq "NFD article found" "$(echo "$r" | jq -r '.hits[0].id')" "fx-nfd"
contains "NFD snippet highlighted" "$(echo "$r" | jq -r '.hits[0].snippet')" "<mark>$(nfd 'Hoàng')</mark> <mark>$(nfd 'Văn')</mark> <mark>$(nfd 'Thụ')</mark>"
eq "name: field finds the seed" "$(search_json "$DB" 'ten:"Hồ Thanh Sơn"' | jq -r '.hits[0].id')" "000_21e35f31858b3384"
contains "names facet" "$(search_json "$DB" 'title:"chặt chẽ các khâu"' | jq -r '[.facets.names[].value] | join(",")')" "Hồ Thanh Sơn"
# a name run whose first words also head titles (TP, Tuy, Quốc) is searchable from each of them
for name in "tuy hoa" "tp tuy hoa" "quoc tu giam" "lam hai"; do
  eq "name: field finds '$name'" "$(fx "ten:\"$name\"" | ids)" "fx-places"
done
eq "ten: finds a name from its first syllables" "$(fx 'ten:"hoang van"' | ids)" "fx-nfd"
eq "... but not from one syllable" "$(fx 'ten:hoang' | jq .total)" 0
# mentioning PHRASE ID...: how many of the sample's articles ID hold PHRASE, folded, as whole syllables
mentioning() {
  python3 - "$SAMPLE" "$@" <<'PY'
import gzip, json, re, sys, unicodedata
def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return " ".join(re.findall(r"[^\W_]+", "".join(c for c in s if unicodedata.category(c) != "Mn").lower()))
ids = set(sys.argv[3:])
texts = [json.loads(line) for line in gzip.open(sys.argv[1], "rt")]
print(sum(1 for a in texts if a["id"] in ids and
          f" {sys.argv[2]} " in " " + fold(" ".join(a.get(f) or "" for f in ("title", "summary", "body"))) + " "))
PY
}
# a name's first syllables, typed loose, rank the articles that mention a name beginning with them
# first, though many more hold both syllables apart (the shortlist takes them by the name boost)
for q in "dang thi" "vu thi" "tran quang"; do
  top=$(search_json "$DB" --limit 5 "$q" | jq -r '.hits[].id')
  # shellcheck disable=SC2086
  eq "the top 5 for '$q' all mention it" "$(mentioning "$q" $top)" 5
done
# a name whose syllables are common apart: the articles that write it capitalised, side by side,
# come first (the "B" pair terms), though hundreds hold both syllables scattered
for q in "hoang thanh" "so tai"; do
  top=$(search_json "$DB" --limit 10 "$q" | jq -r '.hits[].id')
  # shellcheck disable=SC2086
  eq "the top 10 for '$q' all mention it" "$(mentioning "$q" $top)" 10
done
top=$(search_json "$DB" --limit 5 "nguyen thanh" | jq -r '.hits[].id')
# shellcheck disable=SC2086
eq "the top 5 for 'nguyen thanh' all mention it" "$(mentioning "nguyen thanh" $top)" 5
names=$(fx 'du lich' | jq -r '[.facets.names[].value] | join(",")')
for name in "Trung Quốc" "Tuy Hòa" "Lâm Hải" "Đà Lạt"; do
  contains "the names facet lists $name (a title word that begins a two-syllable place stays)" "$names" "$name"
done
eq "a country heading a name is a name of its own" \
  "$(fx 'diem tin quoc te' | jq -r '[.facets.names[].value] | sort | join(",")')" "Donald Trump,Mỹ Tâm,Theresa May,Trung Quốc,Tập Cận Bình"
eq "... but not the titles TP and UBND" "$(grep -ci 'Tp\|Ubnd' <<<"$names")" 0

# --- numbers: the parts of 16/5 and 5.000 are words of their own, and 5.000 is also 5000
every_word() { jq -r '(.relaxed | tostring) + " " + ([.hits[].id] | join(","))'; }
eq "a date's day alone finds it" "$(fx 'ngay 16 usd' | every_word)" "false fx-numbers"
eq "... and the date typed whole" "$(fx '"16/5" usd' | every_word)" "false fx-numbers"
eq "a number written without its dots" "$(fx '5000 xe' | every_word)" "false fx-numbers"
eq "... and with them" "$(fx '5.000 xe' | every_word)" "false fx-numbers"

# --- stopwords: optional in loose queries, kept in phrases
eq "a stopword does not have to match" "$(fx 'của gia lua gao tang manh' | jq -r '.hits[0].id')" "fx-title"
eq "a stopword in a phrase must match" "$(fx '"của giá lúa gạo"' | jq .total)" 0
eq "a question's closing particles do not have to match" "$(fx 'lúa gạo tăng vậy ạ' | every_word)" "false fx-title,fx-body"
eq "... nor, typed without marks, the last one" "$(fx 'lua gao tang a' | every_word)" "false fx-title,fx-body"

eq "words no article has: the notice does not promise articles" \
  "$(search_json "$DB" 'xyzzq qqwvk' | jq -c '[.total, .relaxed, .notices]')" '[0,true,["no article has any of these words"]]'

# --- broken queries never fail
for q in '"unclosed' '(a b' ')' '-' ':' 'foo:bar' 'date:xyz' '<script>alert(1)</script>' "$(head -c 10000 /dev/zero | tr '\0' 'a')"; do
  out=$(search_json "$DB" "$q" 2>&1); rc=$?
  eq "broken query '${q:0:20}' exits 0" "$rc" 0
  check "broken query '${q:0:20}' gives JSON" jq -e .total <<<"$out"
done
contains "ignored parts are reported" "$(search_json "$DB" 'foo:bar' | jq -r '.notices | join(";")')" "no field 'foo'"
eq "a notice is one string, whatever punctuation it holds" "$(search_json "$DB" 'foo:bar date:xyz "cong' | jq -c '.notices[:3]')" \
  "[\"there is no field 'foo'; it was searched as words\",\"date:xyz is not a date or range; ignored\",\"an unclosed quote was closed at the end\"]"

# --- a query of plain words is counted by walking its posting lists; with an exclusion, Xapian's
# matcher counts it: the totals, facets and timeline are the same
for q in "cong tac can bo" "ha noi" "giá vàng" "doanh nghiệp nhà nước" \
  'cho tôi biết thông tin về việc thực hiện đồng bộ chặt chẽ các khâu trong công tác cán bộ năm nay'; do
  eq "counted alike: '$q'" "$(search_json "$DB" --limit 1 "$q" | jq -c '[.total, .total_exact, .facets, .timeline]')" \
    "$(search_json "$DB" --limit 1 "$q -qqzzxxkk" | jq -c '[.total, .total_exact, .facets, .timeline]')"
done

# --- a long question still finds its article
r=$(search_json "$DB" 'cho tôi biết thông tin về việc thực hiện đồng bộ chặt chẽ các khâu trong công tác cán bộ năm nay')
eq "long question finds the seed" "$(echo "$r" | jq -r '.hits[0].id')" "000_21e35f31858b3384"
x=$("$TRACUU" search --db "$DB" --explain --limit 1 'cho tôi biết thông tin về việc thực hiện đồng bộ chặt chẽ các khâu trong công tác cán bộ năm nay' | grep '^Xapian query')
contains "a long question matches on its rarest words" "$x" "Query(((Fche OR Fkhau) AND_MAYBE"
contains "... with their accented-form boost, on the shortlist" "$x" " 2.5*Vkhau khâu "
contains "the words between weigh, with their accented forms, on a deeper shortlist" "$x" "then on the best 200: "
contains "... (chặt is one of them)" "$x" " 2.5*Vchat chặt 1.0*Fchat "
eq "... and match nothing" "$(grep -c 'OR Fchat\|Fchat OR' <<<"$x")" 0
eq "its frequent third gets no accented-form boost (công is only optional)" "$(grep -c '2.5\*Fcong-' <<<"$x")" 0
contains "... but still weighs in the title" "$x" "1 * Scong"
x2=$("$TRACUU" search --db "$DB" --explain --limit 1 'cho tôi biết thông tin về việc thực hiện đồng bộ chặt chẽ chẽ các khâu trong công tác cán bộ năm nay' | grep '^Xapian query')
contains "a word typed twice is one of the rarest words, not two" "$x2" "Query(((Fche OR Fche OR Fkhau) AND_MAYBE"
eq "two unknown words in a long question do not take the place of its rarest words" \
  "$(search_json "$DB" 'xyzzq qqwvk thông tin việc thực hiện năm nay' | jq -c '[.total, .relaxed]')" \
  "$(search_json "$DB" 'thông tin việc thực hiện năm nay' | jq -c '[.total, .relaxed]')"
eq "a long question's total counts the articles its rarest words match" \
  "$(echo "$r" | jq .total)" "$(search_json "$DB" 'chẽ OR khâu' | jq .total)"

# --- an index of schema 1, whose stored data was the JSON object itself, still shows its articles
/usr/bin/python3 - "$WORK/schema1" <<'PY'
import json, sys, xapian
db = xapian.WritableDatabase(sys.argv[1], xapian.DB_CREATE_OR_OPEN)
doc = xapian.Document()
doc.add_boolean_term("Qold-1")
for pos, word in enumerate(["mua", "thu", "ha", "noi"], 1):
    doc.add_posting("F" + word, pos)
doc.set_data(json.dumps({"id": "old-1", "title": "Mùa thu Hà Nội", "body": "Mùa thu Hà Nội đẹp.", "names": ["Hà Nội"]}))
db.add_document(doc)
db.set_metadata("tracuu:schema", "1")
db.commit()
PY
r=$(search_json "$WORK/schema1" 'mua thu')
eq "a schema 1 article is found and shown" "$(echo "$r" | jq -r '[.hits[0].id, .hits[0].title] | join("|")')" "old-1|Mùa thu Hà Nội"
contains "its snippet is highlighted" "$(echo "$r" | jq -r '.hits[0].snippet')" "<mark>Mùa</mark> <mark>thu</mark>"

# --- an index of schema 2, whose stored data was not compressed, still shows its articles, and the
# articles added to it now are stored compressed
/usr/bin/python3 - "$WORK/schema2" <<'PY'
import sys, xapian
def varint(n):
    out = b""
    while True:
        out += bytes([(n & 0x7F) | (0x80 if n > 0x7F else 0)])
        n >>= 7
        if not n:
            return out
fields = [b"old-2", "Lúa gạo mùa thu".encode(), b"", b"", b"", b"", b"", b"", "Lúa gạo mùa thu được giá.".encode(), b"", b""]
db = xapian.WritableDatabase(sys.argv[1], xapian.DB_CREATE_OR_OPEN)
doc = xapian.Document()
doc.add_boolean_term("Qold-2")
for pos, word in enumerate(["lua", "gao", "mua", "thu"], 1):
    doc.add_posting("F" + word, pos)
doc.set_data(b"\x02" + b"".join(varint(len(f)) + f for f in fields))
db.add_document(doc)
db.set_metadata("tracuu:schema", "2")
db.commit()
PY
r=$(search_json "$WORK/schema2" 'lua gao')
eq "a schema 2 article is found and shown" "$(echo "$r" | jq -r '[.hits[0].id, .hits[0].title] | join("|")')" "old-2|Lúa gạo mùa thu"
"$TRACUU" index --progress never --db "$WORK/schema2" "$SEED" >/dev/null
eq "... and an article added to it is found beside it" "$(search_json "$WORK/schema2" 'tacgia:"Phương Hằng" OR (lua gao)' | jq -c '[.hits[].id] | sort')" \
  '["000_21e35f31858b3384","old-2"]'
eq "the added article is stored compressed (version byte 3), the old one as it was" \
  "$(/usr/bin/python3 -c 'import sys, xapian
db = xapian.Database(sys.argv[1])
print(" ".join(str(db.get_document(p.docid).get_data()[0]) for p in db.postlist("")))' "$WORK/schema2")" "2 3"
forms() { /usr/bin/python3 -c 'import sys, xapian
db = xapian.Database(sys.argv[1])
bare = sum(1 for t in db.allterms() if t.term[0] >= 0xC3)  # an accented form as a term of its own
print(db.get_metadata("tracuu:forms").decode() or "-", db.get_metadata("tracuu:schema").decode(), bare > 0,
      sum(1 for t in db.allterms("V")) > 0)' "$1"; }
eq "... and its accented forms are all stored bare, as its old articles' are (no forms version)" "$(forms "$WORK/schema2")" "- 3 True False"
eq "a new index records its forms version, keeps other forms under V and no form bare" "$(forms "$DB")" "2 5 False True"
eq "... and the index is marked schema 3" "$(/usr/bin/python3 -c 'import sys, xapian; print(xapian.Database(sys.argv[1]).get_metadata("tracuu:schema").decode())' "$WORK/schema2")" 3

# --- word positions in one value an article (the default) or in Xapian's position table (--positions
# xapian, for shards served by xapian-tcpsrv): the same phrases, the same boosts, the same scores
XDB=$WORK/xapian-positions
"$TRACUU" index --progress never --db "$XDB" --positions xapian "$SAMPLE" "$SEED" "$FIX" >/dev/null 2>&1
eq "--positions xapian keeps forms version 1, schema 4" "$(forms "$XDB")" "1 4 False True"
eq "stats says where each index keeps positions" "$("$TRACUU" stats --db "$DB" --json | jq -r .positions) $("$TRACUU" stats --db "$XDB" --json | jq -r .positions)" \
  "values xapian"
while IFS= read -r q; do
  eq "same hits and scores either way: $q" "$(search_json "$DB" --limit 20 "$q" | jq -c '[.total, [.hits[] | [.id, (.score * 1e6 | round)]]]')" \
    "$(search_json "$XDB" --limit 20 "$q" | jq -c '[.total, [.hits[] | [.id, (.score * 1e6 | round)]]]')"
done <<'QUERIES'
"giá vàng"
"gia vang" -"vang mieng"
vàng -"giá vàng"
"covid 19" việt nam
"Covid-19"
"5.000 xe"
thuyền rồng
"thuyền rồng" OR "sông Lam"
title:"sông Lam"
"cho thuê nhà"
năm 2021 kinh tế tăng trưởng như thế nào
"của các"
QUERIES
eq "an index of each kind searched together finds each one's phrases" \
  "$("$TRACUU" search --db "$DB" --db "$XDB" --json '"giá vàng"' | jq .total)" "$(( 2 * $(search_json "$DB" '"giá vàng"' | jq .total) ))"
eq "a phrase through a number written with a dot (a joined form shares its position)" "$(fx '"hơn 5.000 xe"' | ids)" "fx-numbers"
eq "a phrase that stands in no article finds none" "$(search_json "$DB" '"rồng thuyền"' | jq .total)" 0
eq "a phrase across a full stop in the text still counts (positions skip punctuation)" "$(fx '"đua còn rồng"' | ids)" "fx-apart"
eq "an old index's positions in Xapian's table are still read for phrases" "$(search_json "$WORK/schema1" '"thu ha noi"' | ids)" "old-1"
eq "... and the phrase is whole there too" "$(search_json "$WORK/schema1" '"ha thu"' | jq .total)" 0
msg=$("$TRACUU" index --progress never --db "$XDB" --positions values "$SEED" 2>&1); rc=$?
eq "asking an index for the other position store is refused" "$rc" 1
contains "... saying where it keeps them" "$msg" "keeps word positions in Xapian's position table; --positions applies to a new index"
msg=$("$TRACUU" index --progress never --db "$WORK/nowhere" --positions tables "$SEED" 2>&1); rc=$?
eq "an unknown --positions is refused" "$rc" 1
contains "... naming it" "$msg" "--positions 'tables': expected values or xapian"
"$TRACUU" index --progress never --db "$XDB" "$SEED" >/dev/null 2>&1
eq "an index keeps its position store for new articles" "$(forms "$XDB")" "1 4 False True"

# --- --batch for evaluation
printf 'q1\tcong tac can bo chat che cac khau\nq2\tgia lua gao tang manh\n' > "$WORK/batch.tsv"
out=$("$TRACUU" search --db "$DB" --limit 2 --batch "$WORK/batch.tsv")
eq "batch output" "$(echo "$out" | head -n 1)" "q1	1	000_21e35f31858b3384"
eq "batch limit" "$(echo "$out" | grep -c '^q2')" 2
eq "readable output" "$("$TRACUU" search --db "$DB" 'gia lua gao tang manh' | grep -c 'Giá lúa gạo tăng mạnh')" 1

# --- a numeric option that is no number in its range is refused, naming the option and the value
while IFS='|' read -r option value range; do
  out=$("$TRACUU" search --db "$DB" "$option" "$value" cong 2>&1); rc=$?
  eq "$option $value exits 1" "$rc" 1
  eq "$option $value is named" "$out" "tracuu search: $option must be a number from $range, not '$value'"
done <<'ROWS'
--limit|-5|0 to 10000
--limit|10001|0 to 10000
--offset|1e3|0 to 10000
--offset||0 to 10000
--shard-timeout|x|1 to 600000
--shard-timeout|0|1 to 600000
ROWS

report
