/* test_parser.c — table tests of the query parser: input → syntax tree written out, plus notices.
 * Broken input must parse to something sensible and say what was ignored. */
#include "query.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *in, *tree, *notice; /* notice: a substring of the notices, "" for none */
} ROWS[] = {
    {"cong tac can bo", "AND(cong tac can bo)", ""},
    {"công tác cán bộ", "AND(công tác cán bộ)", ""},
    {"Công Tác", "AND(công tác)", ""},
    {"hoà bình", "AND(hòa bình)", ""},
    {"\"công tác cán bộ\"", "\"công tác cán bộ\"", ""},
    {"“công tác”", "\"công tác\"", ""},
    {"\"công tác\" cán bộ", "AND(\"công tác\" cán bộ)", ""},
    {"-\"cán bộ\" công tác", "AND(-\"cán bộ\" công tác)", ""},
    {"x -y", "AND(x -y)", ""},
    {"-x", "-x", ""},
    {"a OR b", "OR(a b)", ""},
    {"a HOẶC b", "OR(a b)", ""},
    {"a | b", "OR(a b)", ""},
    {"a b OR c", "OR(AND(a b) c)", ""},
    {"(a OR b) c", "AND(OR(a b) c)", ""},
    {"\"công tác\" -\"cán bộ\" OR (a b)", "OR(AND(\"công tác\" -\"cán bộ\") AND(a b))", ""},
    {"-(a b) c", "AND(-AND(a b) c)", ""},
    {"or a", "AND(or a)", ""},
    /* stopwords are optional in loose queries, kept in phrases and fields, kept when alone */
    {"và Hà Nội", "AND(~và hà nội)", ""},
    {"của các những", "AND(của các những)", ""},
    {"và", "và", ""},
    {"\"của Hà Nội\"", "\"của hà nội\"", ""},
    {"title:của", "title:của", ""},
    /* ... and so is a particle typed without marks, at the end of three loose words or more */
    {"lai suat cho vay a", "AND(lai suat ~cho vay ~a)", ""},
    {"lãi suất cho vay ạ", "AND(lãi suất ~cho vay ~ạ)", ""},
    {"covid la gi", "AND(covid la ~gi)", ""},
    {"lai suat cho vay", "AND(lai suat ~cho vay)", ""},
    {"noi a", "AND(noi a)", ""},
    {"cho cho a", "AND(~cho ~cho a)", ""},
    {"-tin cho a", "AND(-tin ~cho a)", ""},
    {"\"lai suat a\"", "\"lai suat a\"", ""},
    /* fields and their Vietnamese aliases, matched without marks or case */
    {"title:Hà Nội", "AND(title:hà nội)", ""},
    {"tieude:\"Hà Nội\"", "title:\"hà nội\"", ""},
    {"tiêuđề:bão", "title:bão", ""},
    {"author:\"Phương Hằng\"", "author:\"phương hằng\"", ""},
    {"tacgia:\"Phương Hằng\"", "author:\"phương hằng\"", ""},
    {"TÁCGIẢ:Hằng", "author:hằng", ""},
    {"category:the-thao", "category:\"the thao\"", ""},
    {"chuyenmuc:suc-khoe", "category:\"suc khoe\"", ""},
    {"source:baomoi", "source:baomoi", ""},
    {"nguồn:\"Dân trí\"", "source:\"dân trí\"", ""},
    {"name:\"Hồ Thanh Sơn\"", "name:\"hồ thanh sơn\"", ""},
    {"ten:\"Mai Văn Chính\"", "name:\"mai văn chính\"", ""},
    /* dates: inclusive days in Vietnam time */
    {"date:2024-04-01..2024-04-30", "date:2024-04-01T00:00:00..2024-04-30T23:59:59", ""},
    {"date:01/04/2024..30/04/2024", "date:2024-04-01T00:00:00..2024-04-30T23:59:59", ""},
    {"date:2024-04", "date:2024-04-01T00:00:00..2024-04-30T23:59:59", ""},
    {"date:2024", "date:2024-01-01T00:00:00..2024-12-31T23:59:59", ""},
    {"year:2024", "date:2024-01-01T00:00:00..2024-12-31T23:59:59", ""},
    {"năm:2020", "date:2020-01-01T00:00:00..2020-12-31T23:59:59", ""},
    {"ngày:1/4/2024", "date:2024-04-01T00:00:00..2024-04-01T23:59:59", ""},
    {"date:..2020-12-31", "date:..2020-12-31T23:59:59", ""},
    {"date:2021-01-01..", "date:2021-01-01T00:00:00..", ""},
    {"bão date:2024", "AND(bão date:2024-01-01T00:00:00..2024-12-31T23:59:59)", ""},
    {"date:xyz bão", "bão", "date:xyz is not a date"},
    {"date: bão", "bão", "date: has no value"},
    {"date:2024-13", "", "not a date"},
    {"date:2025..2024-03", "date:2024-03-01T00:00:00..2025-12-31T23:59:59", "date:2025..2024-03 ends before it begins; its two dates were swapped"},
    {"ngày:30/04/2024..01/04/2024", "date:2024-04-01T00:00:00..2024-04-30T23:59:59", "ngay:30/04/2024..01/04/2024 ends before"},
    {"date:2024-04-01..2024-04-01", "date:2024-04-01T00:00:00..2024-04-01T23:59:59", ""},
    /* tokens the analyser glues become phrases */
    {"Covid-19", "\"covid 19\"", ""},
    {"TP.HCM", "\"tp hcm\"", ""},
    {"Park Hang-seo", "AND(park \"hang seo\")", ""},
    {"99.321", "\"99 321\"", ""},
    {"giá vàng 16/5", "AND(giá vàng \"16 5\")", ""},
    /* broken input is read sensibly and reported */
    {"\"unclosed", "unclosed", "unclosed quote"},
    {"\"công tác", "\"công tác\"", "unclosed quote"},
    {"(a b", "AND(a b)", "unclosed bracket"},
    {"((a", "a", "unclosed bracket"},
    {"a ) b", "AND(a b)", "without '('"},
    {")", "", "without '('"},
    {"-", "", "lone '-'"},
    {"a - b", "AND(a b)", "lone '-'"},
    {"--x", "-x", ""},
    {":", "", "no word to search"},
    {"foo:bar", "AND(foo bar)", "no field 'foo'"},
    {"a:", "a", ""},
    {"\"\"", "", "no word to search"},
    {"()", "", "no word to search"},
    {"OR", "", "no word to search"},
    {"a OR", "a", ""},
    {"OR a", "a", ""},
    {"...", "", "no word to search"},
    {"", "", ""},
    {"   ", "", ""},
    {"???", "", "no word to search"},
    {"-\"\" OR ()", "", "no word to search"},
    {"<script>alert(1)</script>", "AND(script alert 1 script)", ""},
};

int main(void)
{
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        tc_query *q = tc_query_parse(ROWS[i].in, strlen(ROWS[i].in));
        char *tree = q ? tc_query_describe(q) : NULL;
        CHECK(tree && !strcmp(tree, ROWS[i].tree), "row %zu '%s': tree '%s', want '%s'", i, ROWS[i].in, tree ? tree : "(null)", ROWS[i].tree);
        CHECK(q && (ROWS[i].notice[0] ? strstr(q->notices, ROWS[i].notice) != NULL : q->notices[0] == 0),
              "row %zu '%s': notices '%s', want '%s'", i, ROWS[i].in, q ? q->notices : "", ROWS[i].notice);
        free(tree);
        tc_query_free(q);
    }
    /* 10 KB of text is cut, never refused */
    char big[10240];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = i % 7 == 6 ? ' ' : 'a' + (char)(i % 5);
    tc_query *q = tc_query_parse(big, sizeof big);
    CHECK(q && q->root && strstr(q->notices, "first"), "a 10 KB query is cut with a notice: '%s'", q ? q->notices : "");
    tc_query_free(q);
    /* every byte value, including invalid UTF-8, parses */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    q = tc_query_parse(all, sizeof all);
    CHECK(q != NULL, "all byte values parse");
    tc_query_free(q);
    q = tc_query_parse("cong tac", 8);
    CHECK(q && q->all_unaccented, "an unaccented query is flagged for a suggestion");
    tc_query_free(q);
    q = tc_query_parse("công tac", 9);
    CHECK(q && !q->all_unaccented, "a query with marks is not");
    tc_query_free(q);
    return check_report();
}
