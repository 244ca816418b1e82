/* fuzz_search.c — libFuzzer target: whole searches on a small index made at start-up, with the query,
 * filters and options taken from the bytes; the answer is rendered as the archive page too. */
#include "article.h"
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Articles written for this target: names, marks old and new, dates, facets, a plain-text dump. */
static const char ARTICLES[] =
    "{\"id\": \"f-1\", \"title\": \"Hà Nội mở thêm tuyến xe buýt điện\", \"author\": \"Minh Châu\", "
    "\"date\": \"2024-04-01T18:20:00+07:00\", \"category\": \"Giao thông\", \"source\": \"Tin mẫu\", "
    "\"summary\": \"Tuyến mới nối Long Biên với Gia Lâm.\", \"body\": \"Ông Nguyễn Văn Bình, Giám đốc Sở, "
    "cho biết tuyến chạy từ 5 giờ sáng. Xe buýt điện giảm khói bụi cho Hà Nội.\"}\n"
    "{\"id\": \"f-2\", \"title\": \"Thuỷ điện miền Trung tích nước đón mùa khô\", \"author\": \"Thu Hà\", "
    "\"date\": \"Thứ hai, 1/4/2024 - 07:05\", \"category\": \"Kinh tế\", \"body\": \"Hoà bình, khoẻ mạnh: "
    "các hồ thuỷ điện ở Quảng Nam tích nước. Ông Nguyễn Văn Bình nói công tác cán bộ được chú trọng.\"}\n"
    "{\"id\": \"f-3\", \"title\": \"Công an xã hội hoá phòng cháy\", \"author\": \"Minh Châu\", "
    "\"date\": \"ngày 31 tháng 12 năm 2023\", \"category\": \"Xã hội\", \"body\": \"Người dân Đồng Nai "
    "học cách dập lửa. Cộng đồng cùng góp sức, cống thoát nước được nạo vét.\"}\n"
    "{\"id\": \"f-4\", \"title\": \"Đội tuyển U23 Việt Nam tập buổi đầu\", \"category\": \"Thể thao\", "
    "\"body\": \"HLV Park Hang-seo gọi 30 cầu thủ. Covid-19 không ảnh hưởng lịch tập tại TP.HCM.\"}\n";

static tc_xreader *reader;
static char dir[] = "/tmp/tracuu-fuzz-search-XXXXXX";

static void remove_index(void)
{
    tc_xreader_free(reader);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_search: could not remove %s\n", dir);
}

/* The index of ARTICLES, written as `tracuu index` writes one, then opened for reading. */
static void make_index(void)
{
    char path[128], db[128], err[256];
    if (!mkdtemp(dir))
        abort();
    atexit(remove_index);
    snprintf(path, sizeof path, "%s/in.jsonl", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    FILE *f = fopen(path, "w");
    if (!f || fputs(ARTICLES, f) < 0 || fclose(f) != 0)
        abort();
    tc_xwriter *w;
    tc_reader *r = tc_reader_open(path, err, sizeof err);
    if (!r || tc_xwriter_open(db, &w, err, sizeof err) != TC_OK)
        abort();
    tc_article a;
    unsigned line;
    char why[256];
    memset(&a, 0, sizeof a);
    while (tc_reader_next(r, &a, &line, why, sizeof why) == TC_READ_ARTICLE) {
        char idterm[64];
        snprintf(idterm, sizeof idterm, "Q%s", a.id);
        tc_xdoc *doc = tc_document_build(&a, TC_FORMS_VERSION);
        int replaced;
        if (!doc || tc_xwriter_replace(w, idterm, doc, &replaced) != TC_OK)
            abort();
        tc_xdoc_free(doc);
        tc_article_clear(&a);
    }
    tc_reader_close(r);
    char forms[16];
    snprintf(forms, sizeof forms, "%d", TC_FORMS_VERSION);
    if (tc_xwriter_set_metadata(w, "tracuu:forms", forms) != TC_OK || tc_xwriter_commit(w) != TC_OK)
        abort();
    tc_xwriter_free(w);
    if (tc_xreader_open(db, &reader, err, sizeof err) != TC_OK || tc_xreader_doccount(reader) != 4)
        abort();
}

/* Bytes: options, limit, offset, then the query and up to four filters (author, category, source,
 * name), separated by 0x1f. */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!reader)
        make_index();
    if (size < 3)
        return 0;
    unsigned char options = data[0];
    char *text = malloc(size - 2);
    if (!text)
        return 0;
    memcpy(text, data + 3, size - 3);
    text[size - 3] = 0;
    const char *parts[5] = {NULL, NULL, NULL, NULL, NULL};
    char *at = text;
    for (size_t i = 0; i < 5 && at; i++) {
        parts[i] = at;
        at = strchr(at, 0x1f);
        if (at)
            *at++ = 0;
    }
    tc_search_request req;
    memset(&req, 0, sizeof req);
    req.query = parts[0];
    req.limit = data[1] % 60;
    req.offset = data[2];
    req.sort = (tc_sort)(options % 3);
    req.facets = options >> 2 & 1;
    req.suggest = options >> 3 & 1;
    req.explain = options >> 4 & 1;
    req.have_from = options >> 5 & 1;
    req.have_to = options >> 6 & 1;
    req.from = 1704042000 + (int64_t)data[1] * 86400; /* from 2024-01-01 (Vietnam time) on */
    req.to = req.from + (int64_t)data[2] * 86400;
    req.author = parts[1];
    req.category = parts[2];
    req.source = parts[3];
    req.name = parts[4];
    json_t *res = NULL;
    char err[256];
    if (tc_search_run(reader, &req, &res, err, sizeof err) == TC_OK) {
        free(json_dumps(res, 0));
        tc_page_request page = {req.query, "", "", "", req.author, req.category, req.source, req.name, NULL, 1, 10};
        tc_buf b = {0};
        tc_page_search(&b, &page, res, NULL);
        free(b.data);
        json_decref(res);
    }
    json_t *article = NULL, *related = NULL;
    if (tc_search_article(reader, parts[0], &article, err, sizeof err) == TC_OK)
        json_decref(article);
    if (tc_search_related(reader, parts[0], &related, err, sizeof err) == TC_OK)
        json_decref(related);
    free(text);
    return 0;
}
