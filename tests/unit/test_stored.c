/* test_stored.c — table tests of an article's stored data: fields written and read back, schema 1's
 * JSON still read, and damaged data (every truncation, a wrong version) refused without a crash. */
#include "article.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *fields[TC_STORED_FIELDS];
    const char *want; /* the decoded object, compact JSON */
} ROWS[] = {
    {{"a1", "Tiêu đề", "http://x/1", "Phương Hằng", "2024-04-01T18:20:00+07:00", "xa-hoi", "Báo Đồng Nai", "Tóm tắt",
      "Thân bài.", "Hồ Thanh Sơn\x1f" "Đồng Nai", "{\"tag\":\"t\"}"},
     "{\"id\":\"a1\",\"title\":\"Tiêu đề\",\"url\":\"http://x/1\",\"author\":\"Phương Hằng\",\"date\":\"2024-04-01T18:20:00+07:00\","
     "\"category\":\"xa-hoi\",\"source\":\"Báo Đồng Nai\",\"summary\":\"Tóm tắt\",\"body\":\"Thân bài.\","
     "\"names\":[\"Hồ Thanh Sơn\",\"Đồng Nai\"],\"extra\":{\"tag\":\"t\"}}"},
    {{"only-id", NULL, "", NULL, "", NULL, NULL, NULL, NULL, "", NULL}, "{\"id\":\"only-id\"}"},
    {{"q\"uote", "a\\b", NULL, NULL, NULL, NULL, NULL, NULL, "line\nbreak\ttab", "Một", NULL},
     "{\"id\":\"q\\\"uote\",\"title\":\"a\\\\b\",\"body\":\"line\\nbreak\\ttab\",\"names\":[\"Một\"]}"},
};

static char *compact(json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

int main(void)
{
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        size_t len = 0;
        char *data = tc_stored_encode(ROWS[i].fields, &len);
        json_t *back = data ? tc_stored_decode(data, len) : NULL;
        char *got = compact(back);
        CHECK(got && !strcmp(got, ROWS[i].want), "row %zu: got %s, want %s", i, got ? got : "NULL", ROWS[i].want);
        free(got);
        json_decref(back);
        for (size_t cut = 0; data && cut < len; cut++) { /* a damaged copy: refused or read, never a crash */
            json_t *part = tc_stored_decode(data, cut);
            CHECK(cut > 0 || !part, "row %zu: empty data decodes", i);
            json_decref(part);
        }
        free(data);
    }

    /* lengths of 128 bytes and more take two varint bytes and more */
    static char body[70000];
    memset(body, 'a', sizeof body - 1);
    const char *big[TC_STORED_FIELDS] = {"big", NULL, NULL, NULL, NULL, NULL, NULL, NULL, body, NULL, NULL};
    size_t len = 0;
    char *data = tc_stored_encode(big, &len);
    json_t *back = tc_stored_decode(data, len);
    const char *b = json_string_value(json_object_get(back, "body"));
    CHECK(b && strlen(b) == sizeof body - 1, "a 70 KB body comes back whole (%zu bytes)", b ? strlen(b) : 0);
    json_decref(back);
    free(data);

    const char *v1 = "{\"id\":\"old\",\"title\":\"Mùa thu\",\"names\":[\"Hà Nội\"]}";
    back = tc_stored_decode(v1, strlen(v1));
    char *got = compact(back);
    CHECK(got && !strcmp(got, v1), "schema 1 JSON is read as it is: %s", got ? got : "NULL");
    free(got);
    json_decref(back);
    CHECK(!tc_stored_decode("\x07" "abc", 4), "an unknown version is refused");
    CHECK(!tc_stored_decode("\x02\x05" "ab", 4), "a length past the end is refused");
    return check_report();
}
