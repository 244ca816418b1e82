/* page.c — the archive's own web page, rendered on the server: search form, results, facets, timeline,
 * pagination and the article view. Works without JavaScript; every echoed string is escaped. */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tc_buf_add(tc_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void tc_buf_str(tc_buf *b, const char *s)
{
    tc_buf_add(b, s, strlen(s));
}

void tc_buf_printf(tc_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        tc_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tc_buf_add(b, big, (size_t)n);
    free(big);
}

void tc_buf_html(tc_buf *b, const char *s)
{
    if (!s)
        return;
    const char *from = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            tc_buf_add(b, from, (size_t)(s - from));
            tc_buf_str(b, rep);
            from = s + 1;
        }
    }
    tc_buf_add(b, from, (size_t)(s - from));
}

void tc_buf_url(tc_buf *b, const char *s)
{
    static const char HEX[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            tc_buf_add(b, s, 1);
        } else {
            char enc[3] = {'%', HEX[c >> 4], HEX[c & 15]};
            tc_buf_add(b, enc, 3);
        }
    }
}

static const char *STYLE =
    "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1d2330;background:#f6f7f9}a{color:#0b57d0}a:focus,button:focus,input:focus,select:focus"
    "{outline:3px solid #f4b400;outline-offset:2px}header{background:#12355b;color:#fff;padding:.8rem 1rem}"
    "header a{color:#fff;text-decoration:none;font-weight:700;font-size:1.3rem}main{max-width:1100px;margin:0 auto;"
    "padding:1rem}form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;background:#fff;padding:1rem;"
    "border-radius:8px;box-shadow:0 1px 3px #0002}form.search label{display:flex;flex-direction:column;font-size:.85rem;"
    "color:#444}form.search .q{flex:1 1 18rem}input,select,button{font:inherit;padding:.45rem .6rem;border:1px solid #9aa4b2;"
    "border-radius:6px;background:#fff}button{background:#12355b;color:#fff;border-color:#12355b;cursor:pointer}"
    ".layout{display:grid;grid-template-columns:1fr 16rem;gap:1.2rem;margin-top:1rem}@media(max-width:760px){"
    ".layout{grid-template-columns:1fr}}.hit{background:#fff;border-radius:8px;padding:.8rem 1rem;margin-bottom:.8rem;"
    "box-shadow:0 1px 2px #0001}.hit h2{font-size:1.1rem;margin:0 0 .3rem}.meta{font-size:.85rem;color:#555}"
    "mark{background:#ffe27a;color:inherit;padding:0 .1em;border-radius:2px}.facet{background:#fff;border-radius:8px;"
    "padding:.6rem .9rem;margin-bottom:.8rem}.facet h3{font-size:.95rem;margin:.2rem 0 .4rem}.facet ul{list-style:none;"
    "margin:0;padding:0}.facet li{display:flex;justify-content:space-between;gap:.5rem;font-size:.9rem}.count{color:#666}"
    ".suggest,.notice,.filters{margin:.8rem 0}.notice{color:#7a4b00}.pager{display:flex;gap:1rem;align-items:center;"
    "margin:1rem 0}.timeline{background:#fff;border-radius:8px;padding:.6rem .9rem;margin:.8rem 0}"
    ".timeline svg{width:100%;height:auto}.timeline rect{fill:#3b6fb6}.timeline a:hover rect,.timeline a:focus rect"
    "{fill:#12305a}.timeline rect.area{fill:transparent}.timeline text{font-size:10px;fill:#444}"
    "article.view,.related{background:#fff;border-radius:8px;padding:1rem 1.4rem}article.view p{margin:.6rem 0}"
    ".related{margin:1rem 0}.related h2{font-size:1.1rem;margin:0 0 .4rem}.related ul{margin:0;padding-left:1.2rem}"
    ".related li{margin:.3rem 0}"
    ".chip{display:inline-block;background:#e3ebf7;border-radius:1rem;padding:.1rem .6rem;margin:.1rem;font-size:.85rem}";

static void page_start(tc_buf *b, const char *title)
{
    tc_buf_str(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    tc_buf_html(b, title);
    tc_buf_str(b, "</title><style>");
    tc_buf_str(b, STYLE);
    tc_buf_str(b, "</style></head><body><header><a href=\"/\">Tra cứu · Lưu trữ tin tức</a></header><main>");
}

static void page_end(tc_buf *b)
{
    tc_buf_str(b, "</main></body></html>\n");
}

/* The search's parameters, with key set to value (NULL: left out), as a URL's query string (no "?");
 * the page starts again at 1 unless key is "page". */
static void search_params(tc_buf *b, const tc_page_request *r, const char *key, const char *value)
{
    const char *keys[] = {"q", "sort", "from", "to", "author", "category", "source", "name", "as_typed"};
    const char *vals[] = {r->q, r->sort, r->from, r->to, r->author, r->category, r->source, r->name, r->as_typed};
    int first = 1;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *v = !strcmp(keys[i], key) ? value : vals[i];
        if (!v || !*v || (!strcmp(keys[i], "sort") && !strcmp(v, "relevance")))
            continue;
        tc_buf_printf(b, "%s%s=", first ? "" : "&amp;", keys[i]);
        tc_buf_url(b, v);
        first = 0;
    }
    unsigned page = !strcmp(key, "page") && value ? (unsigned)atoi(value) : 1;
    if (page > 1)
        tc_buf_printf(b, "%spage=%u", first ? "" : "&amp;", page);
    if (r->per_page && r->per_page != 10)
        tc_buf_printf(b, "%sper_page=%u", first ? "" : "&amp;", r->per_page);
}

/* A link to the page with the current request, one parameter changed (value NULL removes it). */
static void href(tc_buf *b, const tc_page_request *r, const char *key, const char *value)
{
    tc_buf_str(b, "/?");
    search_params(b, r, key, value);
}

/* A link, in bold, to the search of another query with r's filters. */
static void query_link(tc_buf *b, const tc_page_request *r, const char *query)
{
    tc_buf_str(b, "<a href=\"");
    href(b, r, "q", query);
    tc_buf_str(b, "\"><strong>");
    tc_buf_html(b, query);
    tc_buf_str(b, "</strong></a>");
}

/* Whether r asks for a search (words or a filter), so that there are results to go back to. */
static int searching(const tc_page_request *r)
{
    const char *vals[] = {r->q, r->from, r->to, r->author, r->category, r->source, r->name};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        if (vals[i] && *vals[i])
            return 1;
    return 0;
}

/* The current results page of r, as a "page" parameter's value. */
static const char *current_page(const tc_page_request *r, char *out, size_t cap)
{
    snprintf(out, cap, "%u", r->page ? r->page : 1);
    return out;
}

static void search_form(tc_buf *b, const tc_page_request *r)
{
    tc_buf_str(b, "<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">"
                  "<label class=\"q\">Từ khóa<input type=\"search\" name=\"q\" id=\"q\" autofocus "
                  "placeholder=\"Ví dụ: công tác cán bộ, Hồ Thanh Sơn\" value=\"");
    tc_buf_html(b, r->q ? r->q : "");
    tc_buf_str(b, "\"></label><label>Sắp xếp<select name=\"sort\">");
    static const char *const SORTS[][2] = {{"relevance", "Liên quan nhất"}, {"newest", "Mới nhất"}, {"oldest", "Cũ nhất"}};
    for (size_t i = 0; i < 3; i++)
        tc_buf_printf(b, "<option value=\"%s\"%s>%s</option>", SORTS[i][0],
                      r->sort && !strcmp(r->sort, SORTS[i][0]) ? " selected" : "", SORTS[i][1]);
    tc_buf_str(b, "</select></label><label>Từ ngày<input type=\"date\" name=\"from\" value=\"");
    tc_buf_html(b, r->from ? r->from : "");
    tc_buf_str(b, "\"></label><label>Đến ngày<input type=\"date\" name=\"to\" value=\"");
    tc_buf_html(b, r->to ? r->to : "");
    tc_buf_str(b, "\"></label>");
    const char *hidden[][2] = {{"author", r->author}, {"category", r->category}, {"source", r->source}, {"name", r->name}};
    for (size_t i = 0; i < 4; i++)
        if (hidden[i][1] && *hidden[i][1]) {
            tc_buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", hidden[i][0]);
            tc_buf_html(b, hidden[i][1]);
            tc_buf_str(b, "\">");
        }
    tc_buf_str(b, "<button type=\"submit\">Tìm kiếm</button></form>");
}

static void active_filters(tc_buf *b, const tc_page_request *r)
{
    const char *names[][3] = {{"author", "Tác giả", r->author}, {"category", "Chuyên mục", r->category},
                              {"source", "Nguồn", r->source}, {"name", "Nhân vật, địa danh", r->name},
                              {"from", "Từ ngày", r->from}, {"to", "Đến ngày", r->to}};
    int any = 0;
    for (size_t i = 0; i < 6; i++) {
        if (!names[i][2] || !*names[i][2])
            continue;
        if (!any)
            tc_buf_str(b, "<div class=\"filters\">Đang lọc: ");
        any = 1;
        tc_buf_printf(b, "<span class=\"chip\">%s: ", names[i][1]);
        tc_buf_html(b, names[i][2]);
        tc_buf_str(b, " <a href=\"");
        href(b, r, names[i][0], NULL);
        tc_buf_str(b, "\" aria-label=\"Bỏ lọc\">✕</a></span>");
    }
    if (any)
        tc_buf_str(b, "</div>");
}

static void facet_box(tc_buf *b, const tc_page_request *r, json_t *values, const char *title, const char *key)
{
    if (!json_array_size(values))
        return;
    tc_buf_printf(b, "<section class=\"facet\" aria-label=\"%s\"><h3>%s</h3><ul>", title, title);
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) {
        const char *value = json_string_value(json_object_get(v, "value"));
        if (!value)
            continue;
        tc_buf_str(b, "<li><a href=\"");
        if (!strcmp(key, "year")) {
            char from[16], to[16];
            snprintf(from, sizeof from, "%.4s-01-01", value);
            snprintf(to, sizeof to, "%.4s-12-31", value);
            tc_page_request narrowed = *r;
            narrowed.from = from;
            href(b, &narrowed, "to", to);
        } else {
            href(b, r, key, value);
        }
        tc_buf_str(b, "\">");
        tc_buf_html(b, value);
        tc_buf_printf(b, "</a><span class=\"count\">%lld</span></li>", (long long)json_integer_value(json_object_get(v, "count")));
    }
    tc_buf_str(b, "</ul></section>");
}

/* Matches per month as an inline SVG bar chart over every month from the first match to the last
 * (per year when that is more than 20 years), each bar's period and count in its tooltip, and each
 * bar a link that narrows the search to its period. */
static void timeline(tc_buf *b, const tc_page_request *r, json_t *months)
{
    size_t n = json_array_size(months);
    if (n == 0)
        return;
    int y0, m0, y1, m1;
    const char *first = json_string_value(json_object_get(json_array_get(months, 0), "month"));
    const char *last = json_string_value(json_object_get(json_array_get(months, n - 1), "month"));
    if (!first || !last || sscanf(first, "%d-%d", &y0, &m0) != 2 || sscanf(last, "%d-%d", &y1, &m1) != 2)
        return;
    int by_year = (y1 - y0) * 12 + m1 - m0 + 1 > 240;
    int bars = by_year ? y1 - y0 + 1 : (y1 - y0) * 12 + m1 - m0 + 1;
    if (bars <= 0 || bars > 10000)
        return;
    long long *counts = calloc((size_t)bars, sizeof *counts);
    if (!counts)
        return;
    long long max = 1;
    size_t i;
    json_t *m;
    json_array_foreach(months, i, m) {
        int y, mo;
        const char *month = json_string_value(json_object_get(m, "month"));
        if (!month || sscanf(month, "%d-%d", &y, &mo) != 2)
            continue;
        int at = by_year ? y - y0 : (y - y0) * 12 + mo - m0;
        if (at >= 0 && at < bars) {
            counts[at] += json_integer_value(json_object_get(m, "count"));
            if (counts[at] > max)
                max = counts[at];
        }
    }
    const int width = 600, height = 120, base = 100;
    double step = (double)width / bars, bar = step > 3 ? step - 1.5 : step;
    tc_buf_printf(b, "<section class=\"timeline\"><h3>Số bài theo %s</h3><svg viewBox=\"0 0 %d %d\" role=\"img\" "
                     "aria-label=\"Số bài tìm thấy theo %s\">", by_year ? "năm" : "tháng", width, height,
                  by_year ? "năm" : "tháng");
    for (int k = 0; k < bars; k++) {
        int y = by_year ? y0 + k : y0 + (m0 - 1 + k) / 12, mo = by_year ? 0 : (m0 - 1 + k) % 12 + 1;
        char label[16];
        if (by_year)
            snprintf(label, sizeof label, "%04d", y);
        else
            snprintf(label, sizeof label, "%02d/%04d", mo, y);
        double h = (double)counts[k] / (double)max * (base - 12);
        if (counts[k]) { /* the bar's first and last day, as the date fields show them */
            static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            char from[16], to[16];
            snprintf(from, sizeof from, "%04d-%02d-01", y, by_year ? 1 : mo);
            snprintf(to, sizeof to, "%04d-%02d-%02d", y, by_year ? 12 : mo,
                     by_year ? 31 : DAYS[mo - 1] + (mo == 2 && leap));
            tc_page_request narrowed = *r;
            narrowed.from = from;
            tc_buf_str(b, "<a href=\"");
            href(b, &narrowed, "to", to);
            tc_buf_printf(b, "\"><rect class=\"area\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\"/>", k * step, bar, base);
        }
        tc_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %lld bài</title></rect>%s",
                      k * step, base - h, bar, h, label, counts[k], counts[k] ? "</a>" : "");
        int room = k * step > 60 && k * step < width - 90; /* year marks clear of the end labels */
        if (k == 0 || k == bars - 1 || (!by_year && mo == 1 && bars > 12 && room))
            tc_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", k == bars - 1 && bars > 1 ? width : k * step,
                          height - 6, k == bars - 1 && bars > 1 ? "end" : "start", label);
    }
    tc_buf_printf(b, "<text x=\"0\" y=\"10\">%lld</text></svg></section>", max);
    free(counts);
}

/* A hit, linked to its article view, which carries the search along (to highlight its words and
 * lead back to these results). */
static void hit_item(tc_buf *b, const tc_page_request *r, json_t *hit)
{
    const char *id = json_string_value(json_object_get(hit, "id"));
    const char *url = json_string_value(json_object_get(hit, "url"));
    char page[16];
    tc_buf_str(b, "<article class=\"hit\"><h2><a href=\"/article/");
    tc_buf_url(b, id);
    tc_buf_str(b, "?");
    search_params(b, r, "page", current_page(r, page, sizeof page));
    tc_buf_str(b, "\">");
    tc_buf_str(b, json_string_value(json_object_get(hit, "title_html")) ?: ""); /* escaped by tc_snippet */
    tc_buf_str(b, "</a></h2><div class=\"meta\">");
    int parts = 0;
    const char *date = json_string_value(json_object_get(hit, "date"));
    if (date) {
        tc_buf_str(b, "<time datetime=\"");
        tc_buf_html(b, date);
        tc_buf_printf(b, "\">%.2s/%.2s/%.4s</time>", date + 8, date + 5, date);
        parts++;
    }
    const char *fields[] = {json_string_value(json_object_get(hit, "author")), json_string_value(json_object_get(hit, "category"))};
    for (size_t i = 0; i < 2; i++)
        if (fields[i]) {
            tc_buf_str(b, parts++ ? " · " : "");
            tc_buf_html(b, fields[i]);
        }
    if (url && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8))) {
        tc_buf_str(b, parts++ ? " · <a href=\"" : "<a href=\"");
        tc_buf_html(b, url);
        tc_buf_str(b, "\" rel=\"noopener noreferrer\">Bài gốc</a>");
    }
    tc_buf_str(b, "</div><p>");
    tc_buf_str(b, json_string_value(json_object_get(hit, "snippet")) ?: "");
    tc_buf_str(b, "</p></article>");
}

/* The page's Vietnamese for the notices of query/parser.c and query/search.c, which the API gives in
 * English; %s stands for the part taken from the query. A notice not listed is shown as it is. */
static const char *const NOTICES[][2] = {
    {"only the first %s words were searched", "Chỉ %s chữ đầu tiên được tìm"},
    {"%s is not a date or range; ignored", "%s không phải ngày hay khoảng ngày nên được bỏ qua"},
    {"%s ends before it begins; its two dates were swapped", "%s kết thúc trước khi bắt đầu nên hai ngày được đổi chỗ cho nhau"},
    {"an unclosed quote was closed at the end", "Dấu ngoặc kép chưa đóng được đóng ở cuối câu"},
    {"a lone '-' was ignored", "Dấu '-' đứng một mình được bỏ qua"},
    {"an unclosed bracket was closed at the end", "Dấu ngoặc đơn chưa đóng được đóng ở cuối câu"},
    {"%s: has no value; ignored", "%s: không có giá trị nên được bỏ qua"},
    {"there is no field '%s'; it was searched as words", "Không có trường '%s' nên được tìm như chữ thường"},
    {"a ')' without '(' was ignored", "Dấu ')' không có '(' đi trước được bỏ qua"},
    {"the query was cut to its first %s bytes", "Câu tìm kiếm được cắt còn %s byte đầu"},
    {"no article has every word; showing those with most of them", "Không bài nào có đủ mọi chữ: đây là các bài có nhiều chữ nhất"},
    {"no article has any of these words", "Không bài nào có chữ nào trong câu tìm kiếm"},
    {"no article within the filters has any of these words", "Trong phạm vi bộ lọc, không bài nào có chữ nào trong câu tìm kiếm"},
    {"the query has no word to search; ignored", "Câu tìm kiếm không có chữ nào để tìm nên được bỏ qua"},
    {"no article is dated within the dates asked for; the archive's dates span %s",
     "Không bài nào có ngày trong khoảng đã chọn; các bài trong kho có ngày từ %s"},
};

/* Appends a notice, HTML-escaped, in Vietnamese when NOTICES knows it. */
static void notice_text(tc_buf *b, const char *notice)
{
    size_t len = strlen(notice);
    for (size_t i = 0; i < sizeof NOTICES / sizeof *NOTICES; i++) {
        const char *en = NOTICES[i][0], *vi = NOTICES[i][1], *en_arg = strstr(en, "%s"), *vi_arg = strstr(vi, "%s");
        size_t before = en_arg ? (size_t)(en_arg - en) : strlen(en), after = en_arg ? strlen(en_arg + 2) : 0;
        if (en_arg ? len <= before + after || strncmp(notice, en, before) || strcmp(notice + len - after, en_arg + 2)
                   : strcmp(notice, en))
            continue;
        char *arg = en_arg ? strndup(notice + before, len - before - after) : NULL;
        char *head = vi_arg ? strndup(vi, (size_t)(vi_arg - vi)) : NULL;
        if (vi_arg && arg && head) {
            tc_buf_html(b, head);
            tc_buf_html(b, arg);
            tc_buf_html(b, vi_arg + 2);
        } else {
            tc_buf_html(b, en_arg ? notice : vi);
        }
        free(arg);
        free(head);
        return;
    }
    tc_buf_html(b, notice);
}

void tc_page_search(tc_buf *b, const tc_page_request *r, json_t *res, const char *error)
{
    page_start(b, r->q && *r->q ? r->q : "Tra cứu");
    search_form(b, r);
    active_filters(b, r);
    if (error) {
        tc_buf_str(b, "<p class=\"notice\" role=\"alert\">");
        tc_buf_html(b, error);
        tc_buf_str(b, "</p>");
    }
    if (!res) {
        tc_buf_str(b, "<p>Tìm trong kho lưu trữ tin tức: gõ có dấu hay không dấu đều được; dùng "
                      "<code>\"cụm từ\"</code> để tìm đúng cụm, <code>-từ</code> để loại trừ, "
                      "<code>tacgia:</code>, <code>chuyenmuc:</code>, <code>ngay:2024-04</code> để lọc.</p>");
        page_end(b);
        return;
    }
    const char *corrected = json_string_value(json_object_get(res, "corrected"));
    if (corrected) {
        tc_buf_str(b, "<p class=\"suggest\">Đang hiện kết quả cho ");
        query_link(b, r, corrected);
        tc_buf_str(b, ": không bài nào có đủ mọi chữ như đã gõ. <a class=\"as-typed\" href=\"");
        href(b, r, "as_typed", "1");
        tc_buf_str(b, "\">Vẫn tìm đúng “");
        tc_buf_html(b, r->q ? r->q : "");
        tc_buf_str(b, "”</a></p>");
    }
    const char *suggestion = json_string_value(json_object_get(res, "suggestion"));
    if (suggestion) {
        tc_buf_str(b, "<p class=\"suggest\">Có phải bạn muốn tìm: ");
        query_link(b, r, suggestion);
        tc_buf_str(b, "?</p>");
    }
    size_t i;
    json_t *n;
    if (json_is_true(json_object_get(res, "partial"))) {
        tc_buf_str(b, "<p class=\"notice partial\">Một phần chỉ mục không trả lời (");
        json_array_foreach(json_object_get(json_object_get(res, "shards"), "missed"), i, n) {
            tc_buf_str(b, i ? ", " : "");
            tc_buf_html(b, json_string_value(n));
        }
        tc_buf_str(b, "); kết quả có thể thiếu bài.</p>");
    }
    json_array_foreach(json_object_get(res, "notices"), i, n) {
        tc_buf_str(b, "<p class=\"notice\">");
        notice_text(b, json_string_value(n) ?: "");
        tc_buf_str(b, "</p>");
    }
    long long total = json_integer_value(json_object_get(res, "total"));
    tc_buf_str(b, "<div class=\"layout\"><div class=\"results\">");
    if (total == 0)
        tc_buf_str(b, "<p>Không tìm thấy bài nào.</p>");
    else
        tc_buf_printf(b, "<p class=\"meta\">Tìm thấy %s%lld bài (%.1f ms)</p>",
                      json_is_true(json_object_get(res, "total_exact")) ? "" : "khoảng ", total,
                      json_real_value(json_object_get(res, "took_ms")));
    timeline(b, r, json_object_get(res, "timeline"));
    json_t *hit;
    json_array_foreach(json_object_get(res, "hits"), i, hit)
        hit_item(b, r, hit);
    unsigned per_page = r->per_page ? r->per_page : 10;
    unsigned pages = (unsigned)((total + per_page - 1) / per_page);
    if (pages > 1) {
        char num[16];
        tc_buf_str(b, "<nav class=\"pager\" aria-label=\"Phân trang\">");
        if (r->page > 1) {
            snprintf(num, sizeof num, "%u", r->page - 1);
            tc_buf_str(b, "<a rel=\"prev\" href=\"");
            href(b, r, "page", num);
            tc_buf_str(b, "\">« Trang trước</a>");
        }
        tc_buf_printf(b, "<span>Trang %u / %u</span>", r->page, pages);
        if (r->page < pages) {
            snprintf(num, sizeof num, "%u", r->page + 1);
            tc_buf_str(b, "<a rel=\"next\" href=\"");
            href(b, r, "page", num);
            tc_buf_str(b, "\">Trang sau »</a>");
        }
        tc_buf_str(b, "</nav>");
    }
    tc_buf_str(b, "</div><aside>");
    json_t *facets = json_object_get(res, "facets");
    facet_box(b, r, json_object_get(facets, "year"), "Năm", "year");
    facet_box(b, r, json_object_get(facets, "category"), "Chuyên mục", "category");
    facet_box(b, r, json_object_get(facets, "author"), "Tác giả", "author");
    facet_box(b, r, json_object_get(facets, "names"), "Nhân vật, địa danh", "name");
    tc_buf_str(b, "</aside></div>");
    page_end(b);
}

/* Appends text (len bytes) HTML-escaped, with the words of q in <mark> when there is a query. */
static void marked(tc_buf *b, const char *text, size_t len, const tc_query *q)
{
    char *html = q && q->root ? tc_snippet(text, len, q, 0, 1) : NULL;
    if (html) {
        tc_buf_str(b, html);
        free(html);
        return;
    }
    char *copy = strndup(text, len);
    if (copy)
        tc_buf_html(b, copy);
    free(copy);
}

/* The articles like this one, each with its date when it has one. */
static void related_list(tc_buf *b, json_t *related)
{
    if (!json_array_size(related))
        return;
    tc_buf_str(b, "<section class=\"related\" aria-label=\"Bài liên quan\"><h2>Bài liên quan</h2><ul>");
    size_t i;
    json_t *item;
    json_array_foreach(related, i, item) {
        const char *id = json_string_value(json_object_get(item, "id"));
        const char *title = json_string_value(json_object_get(item, "title"));
        const char *date = json_string_value(json_object_get(item, "date"));
        if (!id)
            continue;
        tc_buf_str(b, "<li><a href=\"/article/");
        tc_buf_url(b, id);
        tc_buf_str(b, "\">");
        tc_buf_html(b, title && *title ? title : "(không có tiêu đề)");
        tc_buf_str(b, "</a>");
        if (date && strlen(date) >= 10)
            tc_buf_printf(b, " <span class=\"meta\">%.2s/%.2s/%.4s</span>", date + 8, date + 5, date);
        tc_buf_str(b, "</li>");
    }
    tc_buf_str(b, "</ul></section>");
}

void tc_page_article(tc_buf *b, json_t *a, const tc_page_request *r, json_t *related)
{
    const char *title = json_string_value(json_object_get(a, "title"));
    tc_query *q = r->q && *r->q ? tc_query_parse(r->q, strlen(r->q)) : NULL;
    page_start(b, title ? title : "Bài viết");
    if (searching(r)) {
        char page[16];
        tc_buf_str(b, "<p><a href=\"");
        href(b, r, "page", current_page(r, page, sizeof page));
        tc_buf_str(b, "\">« Về kết quả tìm kiếm</a></p>");
    } else {
        tc_buf_str(b, "<p><a href=\"/\">« Về trang tìm kiếm</a></p>");
    }
    tc_buf_str(b, "<article class=\"view\"><h1>");
    if (title)
        marked(b, title, strlen(title), q);
    else
        tc_buf_str(b, "(không có tiêu đề)");
    tc_buf_str(b, "</h1><div class=\"meta\">");
    const char *date = json_string_value(json_object_get(a, "date"));
    if (date)
        tc_buf_printf(b, "%.2s/%.2s/%.4s %.5s", date + 8, date + 5, date, date + 11);
    const char *fields[] = {"author", "category", "source"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(a, fields[i]));
        if (v) {
            tc_buf_str(b, " · ");
            tc_buf_html(b, v);
        }
    }
    const char *url = json_string_value(json_object_get(a, "url"));
    if (url && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8))) {
        tc_buf_str(b, " · <a href=\"");
        tc_buf_html(b, url);
        tc_buf_str(b, "\" rel=\"noopener noreferrer\">Xem bài gốc</a>");
    }
    tc_buf_str(b, "</div>");
    const char *summary = json_string_value(json_object_get(a, "summary"));
    if (summary) {
        tc_buf_str(b, "<p><strong>");
        marked(b, summary, strlen(summary), q);
        tc_buf_str(b, "</strong></p>");
    }
    const char *body = json_string_value(json_object_get(a, "body"));
    while (body && *body) {
        const char *nl = strchr(body, '\n');
        size_t n = nl ? (size_t)(nl - body) : strlen(body);
        if (n) {
            tc_buf_str(b, "<p>");
            marked(b, body, n, q);
            tc_buf_str(b, "</p>");
        }
        body += n + (nl ? 1 : 0);
    }
    json_t *names = json_object_get(a, "names");
    if (json_array_size(names)) {
        tc_buf_str(b, "<p class=\"meta\">Nhân vật, địa danh: ");
        size_t i;
        json_t *nm;
        json_array_foreach(names, i, nm) {
            tc_buf_str(b, "<a class=\"chip\" href=\"/?name=");
            tc_buf_url(b, json_string_value(nm));
            tc_buf_str(b, "\">");
            tc_buf_html(b, json_string_value(nm));
            tc_buf_str(b, "</a>");
        }
        tc_buf_str(b, "</p>");
    }
    tc_buf_str(b, "</article>");
    related_list(b, related);
    page_end(b);
    tc_query_free(q);
}

void tc_page_error(tc_buf *b, int status, const char *message)
{
    char title[32];
    snprintf(title, sizeof title, "Lỗi %d", status);
    page_start(b, title);
    tc_buf_printf(b, "<h1>%s</h1><p>", title);
    tc_buf_html(b, message);
    tc_buf_str(b, "</p><p><a href=\"/\">Về trang tìm kiếm</a></p>");
    page_end(b);
}
