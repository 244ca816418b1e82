/* test_stored.c — table tests of an article's stored data: fields written and read back, compressed
 * when that is smaller, older forms still read, and damaged data refused without a crash. */
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
    CHECK(data && data[0] == 3 && len < 1000, "a 70 KB body that repeats is stored compressed (%zu bytes)", len);
    json_decref(back);
    for (size_t cut = 1; data && cut < len; cut++) { /* a damaged frame is refused, never a crash */
        json_t *part = tc_stored_decode(data, cut);
        CHECK(!part, "a compressed record cut at %zu of %zu bytes is refused", cut, len);
        json_decref(part);
    }
    for (size_t at = 1; data && at < len; at += 3) {
        data[at] ^= 0x5A;
        json_t *part = tc_stored_decode(data, len); /* read or refused: the frame's checks decide */
        json_decref(part);
        data[at] ^= 0x5A;
    }
    free(data);

    /* an article's real text compresses; what comes back is what went in */
    char text[4000] = "";
    for (int i = 0; strlen(text) + 80 < sizeof text; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "Đoạn %d: Ủy ban nhân dân tỉnh Đồng Nai họp. ", i);
    const char *article[TC_STORED_FIELDS] = {"vn", "Tiêu đề", NULL, NULL, NULL, NULL, NULL, "Tóm tắt", text, NULL, NULL};
    data = tc_stored_encode(article, &len);
    back = data ? tc_stored_decode(data, len) : NULL;
    b = json_string_value(json_object_get(back, "body"));
    CHECK(data && data[0] == 3 && len < strlen(text), "an article's body is stored compressed (%zu of %zu bytes)", len,
          strlen(text));
    CHECK(b && !strcmp(b, text), "the compressed body comes back as it went in");
    json_decref(back);
    free(data);

    /* schema 2 wrote every record uncompressed, as short ones still are */
    const char v2[] = "\x02\x02" "a1" "\x00\x00\x00\x00\x00\x00\x00\x04" "body" "\x00\x00";
    back = tc_stored_decode(v2, sizeof v2 - 1);
    char *v2got = compact(back);
    CHECK(v2got && !strcmp(v2got, "{\"id\":\"a1\",\"body\":\"body\"}"), "schema 2 data is read: %s", v2got ? v2got : "NULL");
    free(v2got);
    json_decref(back);

    const char *v1 = "{\"id\":\"old\",\"title\":\"Mùa thu\",\"names\":[\"Hà Nội\"]}";
    back = tc_stored_decode(v1, strlen(v1));
    char *got = compact(back);
    CHECK(got && !strcmp(got, v1), "schema 1 JSON is read as it is: %s", got ? got : "NULL");
    free(got);
    json_decref(back);
    CHECK(!tc_stored_decode("\x07" "abc", 4), "an unknown version is refused");
    CHECK(!tc_stored_decode("\x02\x05" "ab", 4), "a length past the end is refused");
    CHECK(!tc_stored_decode("\x03" "not zstd", 9), "a compressed record that is no zstd frame is refused");
    return check_report();
}
