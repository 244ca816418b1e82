/* test_http.c — table tests of the daemon's pure helpers: query-string parsing, percent-decoding,
 * UTF-8 validation, HTML escaping, and the answer cache (hits, eviction, invalidation). */
#include "http.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *raw;
    int ok;
    const char *key, *value; /* a parameter that must come out, when ok */
    const char *error;       /* a substring of the error, when not */
} PARAMS[] = {
    {"q=abc", 1, "q", "abc", NULL},
    {"q=c%C3%B4ng+t%C3%A1c", 1, "q", "công tác", NULL},
    {"q=a%20b", 1, "q", "a b", NULL},
    {"q=a+b&page=2", 1, "page", "2", NULL},
    {"q=&page=2", 1, "q", "", NULL},
    {"q", 1, "q", "", NULL},
    {"&&q=x&&", 1, "q", "x", NULL},
    {"a=1;q=y", 1, "q", "y", NULL},
    {"q=%3Cscript%3E", 1, "q", "<script>", NULL},
    {"q=%zz", 0, NULL, NULL, "bad percent-encoding in parameter 'q'"},
    {"q=%4", 0, NULL, NULL, "bad percent-encoding"},
    {"q=%", 0, NULL, NULL, "bad percent-encoding"},
    {"q%zz=1", 0, NULL, NULL, "parameter name"},
    {"q=%C3%28", 0, NULL, NULL, "parameter 'q' is not valid UTF-8"},
    {"q=%C0%AF", 0, NULL, NULL, "not valid UTF-8"},
    {"q=%ED%A0%80", 0, NULL, NULL, "not valid UTF-8"},
    {"q=%FF", 0, NULL, NULL, "not valid UTF-8"},
    {"q=%00", 0, NULL, NULL, "not valid UTF-8"},
    {"q=%F4%90%80%80", 0, NULL, NULL, "not valid UTF-8"},
    {"q=%E1%BB", 0, NULL, NULL, "not valid UTF-8"},
};

/* tc_params_check against the parameters KNOWN: NULL error when the query string passes. */
static const char *const KNOWN[] = {"q", "page", "related", NULL};
static const struct {
    const char *raw, *error;
} CHECKS[] = {
    {"", NULL},
    {"q=a", NULL},
    {"q=a&page=2&related=1", NULL},
    {"q=", NULL},
    {"limit=3", "unknown parameter 'limit'; the parameters are q, page, related"},
    {"q=a&Q=b", "unknown parameter 'Q'"},
    {"q=a&q=b", "parameter 'q' is given twice"},
    {"q=a&page=1&page=1", "parameter 'page' is given twice"},
    {"=x", "unknown parameter ''"},
};

static const struct {
    const char *in, *out;
} ESCAPES[] = {
    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
    {"a & b", "a &amp; b"},
    {"it's", "it&#39;s"},
    {"Hà Nội", "Hà Nội"},
    {"", ""},
};

/* A step against a cache of CACHE_BUDGET bytes: put key=value, or get key expecting value (NULL: a miss). */
#define CACHE_BUDGET 4096
static const struct {
    char op; /* 'p' put, 'g' get, 'i' invalidate, 'o' put with the generation from before the last invalidation */
    const char *key, *value;
} CACHE_STEPS[] = {
    {'g', "a", NULL},           /* empty */
    {'p', "a", "answer a"},
    {'g', "a", "answer a"},
    {'p', "a", "answer a2"},    /* replaced, not duplicated */
    {'g', "a", "answer a2"},
    {'p', "b", "answer b"},
    {'g', "b", "answer b"},
    {'g', "c", NULL},
    {'i', NULL, NULL},          /* the index changed */
    {'g', "a", NULL},
    {'g', "b", NULL},
    {'o', "a", "stale"},        /* computed on a reader older than the invalidation: not kept */
    {'g', "a", NULL},
    {'p', "big", NULL},         /* an answer over an eighth of the budget is not kept */
    {'g', "big", NULL},
};

static void cache_table(void)
{
    tc_cache *c = tc_cache_new(CACHE_BUDGET);
    uint64_t before = tc_cache_generation(c);
    char big[CACHE_BUDGET];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    for (size_t i = 0; i < sizeof CACHE_STEPS / sizeof *CACHE_STEPS; i++) {
        const char *value = CACHE_STEPS[i].value;
        size_t len = 0;
        char *got;
        switch (CACHE_STEPS[i].op) {
        case 'p':
            before = tc_cache_generation(c);
            tc_cache_put(c, CACHE_STEPS[i].key, before, value ? value : big, strlen(value ? value : big));
            break;
        case 'o':
            tc_cache_put(c, CACHE_STEPS[i].key, before, value, strlen(value));
            break;
        case 'i':
            tc_cache_invalidate(c);
            break;
        default:
            got = tc_cache_get(c, CACHE_STEPS[i].key, &len);
            CHECK(value ? got && !strcmp(got, value) && len == strlen(value) : !got, "cache step %zu: get %s = %s", i,
                  CACHE_STEPS[i].key, got ? got : "(miss)");
            free(got);
        }
    }
    /* least recently used out first: 40 answers of ~300 bytes into 4 KB, after touching the first */
    char key[16], value[300];
    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        tc_cache_put(c, key, tc_cache_generation(c), value, strlen(value));
        size_t len;
        free(tc_cache_get(c, "k0", &len)); /* k0 stays recent */
    }
    tc_cache_figures f;
    tc_cache_stats(c, &f);
    CHECK(f.bytes <= CACHE_BUDGET && f.entries > 1 && f.entries < 40, "cache stays within its budget: %zu bytes, %zu entries",
          f.bytes, f.entries);
    size_t len;
    char *k0 = tc_cache_get(c, "k0", &len), *k1 = tc_cache_get(c, "k1", &len), *k39 = tc_cache_get(c, "k39", &len);
    CHECK(k0 && !k1 && k39, "recently used answers stay, old ones go (k0 %s, k1 %s, k39 %s)", k0 ? "kept" : "gone",
          k1 ? "kept" : "gone", k39 ? "kept" : "gone");
    free(k0);
    free(k1);
    free(k39);
    tc_cache_free(c);
}

int main(void)
{
    cache_table();
    for (size_t i = 0; i < sizeof PARAMS / sizeof *PARAMS; i++) {
        tc_params p;
        char err[256] = "";
        int rc = tc_params_parse(PARAMS[i].raw, strlen(PARAMS[i].raw), &p, err, sizeof err);
        if (PARAMS[i].ok) {
            const char *v = rc == 0 ? tc_params_get(&p, PARAMS[i].key) : NULL;
            CHECK(v && !strcmp(v, PARAMS[i].value), "params row %zu '%s': %s = '%s'", i, PARAMS[i].raw, PARAMS[i].key, v ? v : "(none)");
        } else {
            CHECK(rc != 0 && strstr(err, PARAMS[i].error), "params row %zu '%s': error '%s'", i, PARAMS[i].raw, err);
        }
        if (rc == 0)
            tc_params_free(&p);
    }
    for (size_t i = 0; i < sizeof CHECKS / sizeof *CHECKS; i++) {
        tc_params p;
        char err[256] = "";
        int rc = tc_params_parse(CHECKS[i].raw, strlen(CHECKS[i].raw), &p, err, sizeof err);
        CHECK(rc == 0, "check row %zu '%s' parses", i, CHECKS[i].raw);
        if (rc != 0)
            continue;
        rc = tc_params_check(&p, KNOWN, err, sizeof err);
        if (CHECKS[i].error)
            CHECK(rc != 0 && strstr(err, CHECKS[i].error), "check row %zu '%s': error '%s'", i, CHECKS[i].raw, err);
        else
            CHECK(rc == 0, "check row %zu '%s' passes: %s", i, CHECKS[i].raw, err);
        tc_params_free(&p);
    }
    /* too many parameters */
    char many[1024] = "";
    for (int i = 0; i < 40; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "k%d=v&", i);
    tc_params p;
    char err[256];
    CHECK(tc_params_parse(many, strlen(many), &p, err, sizeof err) != 0 && strstr(err, "more than"), "40 parameters are refused");
    for (size_t i = 0; i < sizeof ESCAPES / sizeof *ESCAPES; i++) {
        tc_buf b = {0};
        tc_buf_html(&b, ESCAPES[i].in);
        CHECK(!strcmp(b.data ? b.data : "", ESCAPES[i].out), "escape row %zu: '%s'", i, b.data ? b.data : "");
        free(b.data);
    }
    tc_buf u = {0};
    tc_buf_url(&u, "công tác & <x>");
    CHECK(!strcmp(u.data, "c%C3%B4ng%20t%C3%A1c%20%26%20%3Cx%3E"), "url encoding: %s", u.data);
    char decoded[64];
    CHECK(tc_url_decode(u.data, u.len, decoded) == (long)strlen("công tác & <x>") && !strcmp(decoded, "công tác & <x>"), "url round trip");
    free(u.data);
    /* the page escapes a hostile query wherever it echoes it */
    tc_buf page = {0};
    tc_page_request req = {"\"><img src=x onerror=alert(1)>", NULL, "<b>", NULL, "<i>", NULL, NULL, NULL, NULL, 1, 10};
    tc_page_search(&page, &req, NULL, "<script>alert(2)</script>");
    CHECK(page.data && !strstr(page.data, "<img") && !strstr(page.data, "<script>") && !strstr(page.data, "<b>") &&
          !strstr(page.data, "<i>"), "the page escapes echoed input");
    free(page.data);
    return check_report();
}
