/* test_date.c — table tests of date parsing: ISO 8601 and the forms Vietnamese news writes, at UTC+7.
 * Each row gives the text and the instant it must mean, written as ISO with +07:00. */
#include "tracuu.h"
#include "check.h"

#include <string.h>

static const struct {
    const char *in, *want; /* want NULL: no date */
} DATES[] = {
    {"18:20, 01/04/2024", "2024-04-01T18:20:00+07:00"},
    {"Thứ hai, 1/4/2024 - 18:20", "2024-04-01T18:20:00+07:00"},
    {"Thứ Hai, 01/04/2024 18:20 (GMT+7)", "2024-04-01T18:20:00+07:00"},
    {"ngày 1 tháng 4 năm 2024", "2024-04-01T00:00:00+07:00"},
    {"Ngày 30 tháng 4 năm 1975", "1975-04-30T00:00:00+07:00"},
    {"2024-04-01T18:20:00+07:00", "2024-04-01T18:20:00+07:00"},
    {"2024-04-01T11:20:00Z", "2024-04-01T18:20:00+07:00"},
    {"2024-04-01T11:20:00+00:00", "2024-04-01T18:20:00+07:00"},
    {"2024-04-01T20:20:00+0900", "2024-04-01T18:20:00+07:00"},
    {"2024-04-01 18:20", "2024-04-01T18:20:00+07:00"},
    {"2024-04-01", "2024-04-01T00:00:00+07:00"},
    {"2020-10-01T14:27:41+07:00", "2020-10-01T14:27:41+07:00"},
    {"2021-01-01T00:00:00+07:00", "2021-01-01T00:00:00+07:00"},
    {"2020-12-31T23:59:59+07:00", "2020-12-31T23:59:59+07:00"},
    {"31/12/2020 17:00 GMT", "2021-01-01T00:00:00+07:00"},
    {"01-04-2024", "2024-04-01T00:00:00+07:00"},
    {"1.4.2024", "2024-04-01T00:00:00+07:00"},
    {"29/02/2024", "2024-02-29T00:00:00+07:00"},
    {"29/02/2023", NULL},
    {"31/04/2024", NULL},
    {"2024-13-01", NULL},
    {"2024-02-30", NULL},
    {"", NULL},
    {"không có ngày", NULL},
    {"18:20", NULL},
    {"1/4", NULL},
    {"99/99/9999", NULL},
    {"Cập nhật 08:05 ngày 2 tháng 9 năm 2021", "2021-09-02T08:05:00+07:00"},
    {"  2019-09-02T00:10:27+07:00", "2019-09-02T00:10:27+07:00"},
    {"1900-01-01", "1900-01-01T00:00:00+07:00"},
    {"2100-02-28T12:00:00+07:00", "2100-02-28T12:00:00+07:00"},
};

/* Query bounds: a day, month or year widened to its first or last second in Vietnam time. */
static const struct {
    const char *in;
    int end;
    const char *want;
} BOUNDS[] = {
    {"2024-04-01", 0, "2024-04-01T00:00:00+07:00"},
    {"2024-04-01", 1, "2024-04-01T23:59:59+07:00"},
    {"2024-04", 0, "2024-04-01T00:00:00+07:00"},
    {"2024-04", 1, "2024-04-30T23:59:59+07:00"},
    {"2024-02", 1, "2024-02-29T23:59:59+07:00"},
    {"2024", 0, "2024-01-01T00:00:00+07:00"},
    {"2024", 1, "2024-12-31T23:59:59+07:00"},
    {"01/04/2024", 1, "2024-04-01T23:59:59+07:00"},
    {"04/2024", 0, "2024-04-01T00:00:00+07:00"},
    {"04/2024", 1, "2024-04-30T23:59:59+07:00"},
    {"tháng 4 năm 2024", 1, "2024-04-30T23:59:59+07:00"},
    {"2024-04-01T10:00:00+07:00", 1, "2024-04-01T10:00:00+07:00"},
};

int main(void)
{
    for (size_t i = 0; i < sizeof DATES / sizeof *DATES; i++) {
        int64_t t = 0;
        tc_status st = tc_date_parse(DATES[i].in, strlen(DATES[i].in), &t);
        if (!DATES[i].want) {
            CHECK(st == TC_ERR_INVALID, "row %zu '%s' should not parse", i, DATES[i].in);
            continue;
        }
        char got[32] = "";
        if (st == TC_OK)
            tc_date_format(t, got);
        CHECK(st == TC_OK && !strcmp(got, DATES[i].want), "row %zu '%s': got '%s', want '%s'", i, DATES[i].in, got, DATES[i].want);
    }
    for (size_t i = 0; i < sizeof BOUNDS / sizeof *BOUNDS; i++) {
        int64_t t = 0;
        char got[32] = "";
        if (tc_date_parse_bound(BOUNDS[i].in, strlen(BOUNDS[i].in), BOUNDS[i].end, &t) == TC_OK)
            tc_date_format(t, got);
        CHECK(!strcmp(got, BOUNDS[i].want), "bound row %zu '%s': got '%s', want '%s'", i, BOUNDS[i].in, got, BOUNDS[i].want);
    }
    int y, m, d;
    tc_date_civil(1711970400, &y, &m, &d); /* 2024-04-01T11:20Z */
    CHECK(y == 2024 && m == 4 && d == 1, "civil date %d-%d-%d", y, m, d);
    tc_date_civil(1711990800 - 3600 * 7 + 17 * 3600 + 1, &y, &m, &d); /* just after local midnight */
    CHECK(y == 2024 && m == 4 && d == 2, "civil date after UTC+7 midnight %d-%d-%d", y, m, d);
    char out[32];
    tc_date_format(0, out);
    CHECK(!strcmp(out, "1970-01-01T07:00:00+07:00"), "epoch formats as %s", out);
    tc_date_format(-86400, out);
    CHECK(!strcmp(out, "1969-12-31T07:00:00+07:00"), "before the epoch formats as %s", out);
    return check_report();
}
