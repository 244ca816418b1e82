/* date.c — dates as Vietnamese news writes them (day-month-year, UTC+7) and ISO 8601, to epoch seconds.
 * Pure civil-day arithmetic: no localtime, mktime or TZ, so results never depend on the machine. */
#include "tracuu.h"

#include <stdio.h>
#include <string.h>

#define VIETNAM_OFFSET (7 * 3600)

/* Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t year_of_era = y - era * 400;
    int64_t day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t day_of_era = z - era * 146097;
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t mp = (5 * day_of_year + 2) / 153;
    *d = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(year_of_era + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int DAYS[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : DAYS[m - 1];
}

static int valid_date(int y, int m, int d)
{
    return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

typedef struct {
    const char *s;
    size_t n;
} span;

/* Reads an unsigned number of 1..max_digits digits at *i; returns -1 when there is none. */
static int read_number(span t, size_t *i, int max_digits)
{
    size_t j = *i;
    int v = 0, k = 0;
    while (j < t.n && t.s[j] >= '0' && t.s[j] <= '9' && k < max_digits + 1) {
        v = v * 10 + (t.s[j] - '0');
        j++;
        k++;
    }
    if (k == 0 || k > max_digits)
        return -1;
    *i = j;
    return v;
}

static int is_digit_at(span t, size_t i)
{
    return i < t.n && t.s[i] >= '0' && t.s[i] <= '9';
}

/* Finds "H:MM" or "H:MM:SS" anywhere; returns seconds into the day or -1. */
static int find_time(span t, size_t from)
{
    for (size_t i = from; i < t.n; i++) {
        if (!is_digit_at(t, i) || (i > 0 && is_digit_at(t, i - 1)))
            continue;
        size_t j = i;
        int h = read_number(t, &j, 2);
        if (h < 0 || j >= t.n || (t.s[j] != ':' && t.s[j] != 'h'))
            continue;
        j++;
        size_t k = j;
        int mi = read_number(t, &k, 2);
        if (mi < 0 || k - j != 2)
            continue;
        int sec = 0;
        if (k < t.n && t.s[k] == ':') {
            size_t l = k + 1;
            int s = read_number(t, &l, 2);
            if (s >= 0 && s < 60)
                sec = s;
        }
        if (h < 24 && mi < 60)
            return h * 3600 + mi * 60 + sec;
    }
    return -1;
}

/* Finds a zone written as Z, +07:00, +0700, GMT+7, UTC+7; returns 1 and the offset in seconds. */
static int find_zone(span t, size_t from, int *offset)
{
    for (size_t i = from; i < t.n; i++) {
        if ((t.s[i] == 'Z' && (i + 1 == t.n || t.s[i + 1] == ' ')) && i > 0 && is_digit_at(t, i - 1)) {
            *offset = 0;
            return 1;
        }
        if (t.s[i] != '+' && t.s[i] != '-')
            continue;
        int after_gmt = i >= 3 && (!memcmp(t.s + i - 3, "GMT", 3) || !memcmp(t.s + i - 3, "UTC", 3));
        int after_time = i > 0 && is_digit_at(t, i - 1) && i >= 3 && (t.s[i - 3] == ':');
        if (!after_gmt && !after_time)
            continue;
        size_t j = i + 1;
        int h = read_number(t, &j, 4);
        if (h < 0)
            continue;
        int m = 0;
        if (j - i - 1 == 4) {
            m = h % 100;
            h /= 100;
        } else if (j < t.n && t.s[j] == ':') {
            size_t k = j + 1;
            int mm = read_number(t, &k, 2);
            if (mm >= 0)
                m = mm;
        }
        if (h > 14 || m > 59)
            continue;
        *offset = (t.s[i] == '-' ? -1 : 1) * (h * 3600 + m * 60);
        return 1;
    }
    for (size_t i = from; i + 3 <= t.n; i++)
        if ((!memcmp(t.s + i, "GMT", 3) || !memcmp(t.s + i, "UTC", 3)) && (i + 3 == t.n || t.s[i + 3] != '+')) {
            *offset = 0;
            return 1;
        }
    return 0;
}

static const char *find_bytes(span t, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= t.n; i++)
        if (!memcmp(t.s + i, needle, k))
            return t.s + i;
    return NULL;
}

typedef struct {
    int y, m, d;     /* d = 0: a whole month; m = 0: a whole year */
    int seconds;     /* time of day, -1 when none was written */
    int offset;      /* zone offset in seconds */
} parsed;

static int parse(span t, parsed *p)
{
    while (t.n > 0 && (t.s[0] == ' ' || t.s[0] == '\t' || t.s[0] == '\n')) {
        t.s++;
        t.n--;
    }
    p->offset = VIETNAM_OFFSET;
    p->seconds = -1;
    size_t i = 0;
    /* ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD[(T| )HH:MM[:SS][.fff][zone]] */
    if (t.n >= 4 && is_digit_at(t, 0) && is_digit_at(t, 1) && is_digit_at(t, 2) && is_digit_at(t, 3) &&
        (t.n == 4 || t.s[4] == '-')) {
        p->y = read_number(t, &i, 4);
        p->m = p->d = 0;
        if (i < t.n && t.s[i] == '-') {
            i++;
            p->m = read_number(t, &i, 2);
            if (p->m < 0)
                return 0;
            if (i < t.n && t.s[i] == '-') {
                i++;
                p->d = read_number(t, &i, 2);
                if (p->d < 0)
                    return 0;
            }
        }
        if (p->m == 0)
            return p->y >= 1000 && i == t.n;
        if (p->d == 0)
            return p->m >= 1 && p->m <= 12 && i == t.n;
        if (!valid_date(p->y, p->m, p->d))
            return 0;
        if (i < t.n && (t.s[i] == 'T' || t.s[i] == ' ')) {
            p->seconds = find_time(t, i + 1);
            int off;
            if (p->seconds >= 0 && find_zone(t, i + 1, &off))
                p->offset = off;
        }
        return 1;
    }
    /* "ngày 1 tháng 4 năm 2024" */
    const char *thang = find_bytes(t, "th\xc3\xa1ng");
    const char *nam = find_bytes(t, "n\xc4\x83m");
    if (thang && nam && nam > thang) {
        int nums[3], k = 0;
        for (size_t j = 0; j < t.n && k < 3;) {
            if (is_digit_at(t, j)) {
                size_t j0 = j;
                int v = read_number(t, &j, 4);
                if (v < 0) { j = j0 + 1; while (is_digit_at(t, j)) j++; continue; }
                int in_time = (j < t.n && t.s[j] == ':') || (j0 > 0 && t.s[j0 - 1] == ':');
                if (!in_time)
                    nums[k++] = v;
            } else {
                j++;
            }
        }
        if (k == 3 && valid_date(nums[2], nums[1], nums[0])) {
            p->y = nums[2];
            p->m = nums[1];
            p->d = nums[0];
            p->seconds = find_time(t, 0);
            return 1;
        }
        if (k == 2 && nums[1] >= 1000 && nums[0] >= 1 && nums[0] <= 12) { /* tháng 4 năm 2024 */
            p->y = nums[1];
            p->m = nums[0];
            p->d = 0;
            return 1;
        }
    }
    /* D/M/YYYY (also with - or .) anywhere, with a time before or after it; or M/YYYY */
    for (size_t j = 0; j < t.n; j++) {
        if (!is_digit_at(t, j) || (j > 0 && is_digit_at(t, j - 1)))
            continue;
        size_t k = j;
        int a = read_number(t, &k, 2);
        if (a < 0 || k >= t.n || (t.s[k] != '/' && t.s[k] != '-' && t.s[k] != '.'))
            continue;
        char sep = t.s[k++];
        int b = read_number(t, &k, 4);
        if (b < 0)
            continue;
        if (b >= 1000 && a >= 1 && a <= 12 && (k == t.n || !is_digit_at(t, k))) {
            p->y = b;
            p->m = a;
            p->d = 0;
            return 1;
        }
        if (k >= t.n || t.s[k] != sep)
            continue;
        k++;
        size_t y0 = k;
        int y = read_number(t, &k, 4);
        if (y < 0 || k - y0 != 4 || !valid_date(y, b, a))
            continue;
        p->y = y;
        p->m = b;
        p->d = a;
        p->seconds = find_time(t, 0);
        int off;
        if (find_zone(t, 0, &off))
            p->offset = off;
        return 1;
    }
    return 0;
}

static int64_t to_epoch(int y, int m, int d, int seconds, int offset)
{
    return days_from_civil(y, m, d) * 86400 + seconds - offset;
}

tc_status tc_date_parse(const char *text, size_t len, int64_t *out)
{
    parsed p;
    if (!text || !parse((span){text, len}, &p) || p.m == 0 || p.d == 0)
        return TC_ERR_INVALID;
    *out = to_epoch(p.y, p.m, p.d, p.seconds < 0 ? 0 : p.seconds, p.offset);
    return TC_OK;
}

tc_status tc_date_parse_bound(const char *text, size_t len, int end, int64_t *out)
{
    parsed p;
    if (!text || !parse((span){text, len}, &p))
        return TC_ERR_INVALID;
    if (p.seconds >= 0) {
        *out = to_epoch(p.y, p.m, p.d, p.seconds, p.offset);
        return TC_OK;
    }
    int m0 = p.m ? p.m : 1, m1 = p.m ? p.m : 12;
    int d0 = p.d ? p.d : 1, d1 = p.d ? p.d : days_in_month(p.y, m1);
    *out = end ? to_epoch(p.y, m1, d1, 86399, VIETNAM_OFFSET) : to_epoch(p.y, m0, d0, 0, VIETNAM_OFFSET);
    return TC_OK;
}

void tc_date_civil(int64_t epoch, int *year, int *month, int *day)
{
    int64_t local = epoch + VIETNAM_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    civil_from_days(days, year, month, day);
}

void tc_date_format(int64_t epoch, char out[32])
{
    int64_t local = epoch + VIETNAM_OFFSET;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t secs = local - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
}
