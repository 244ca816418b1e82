/* test_http.c — table tests of the daemon's pure helpers: query-string parsing, percent-decoding,
 * UTF-8 validation and HTML escaping, the parts every request goes through. */
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

int main(void)
{
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
    tc_page_request req = {"\"><img src=x onerror=alert(1)>", NULL, "<b>", NULL, "<i>", NULL, NULL, NULL, 1, 10};
    tc_page_search(&page, &req, NULL, "<script>alert(2)</script>");
    CHECK(page.data && !strstr(page.data, "<img") && !strstr(page.data, "<script>") && !strstr(page.data, "<b>") &&
          !strstr(page.data, "<i>"), "the page escapes echoed input");
    free(page.data);
    return check_report();
}
