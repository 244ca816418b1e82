/* http.h — internal: the daemon's request parameters, page rendering and formatting helpers.
 * The pure functions here are tested on their own (tests/unit/test_http.c). */
#ifndef TC_HTTP_H
#define TC_HTTP_H

#include "query.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define TC_HTTP_MAX_PARAMS 32

typedef struct {
    char *key, *value;
} tc_param;

typedef struct {
    tc_param items[TC_HTTP_MAX_PARAMS];
    size_t count;
} tc_params;

/* Parses a raw query string ("a=1&b=x%20y"): '+' is a space, %XX must be two hex digits, every
 * value must be valid UTF-8. Returns 0, or -1 with the reason in err (naming the parameter). */
int tc_params_parse(const char *raw, size_t len, tc_params *out, char *err, size_t errlen);
void tc_params_free(tc_params *p);
/* The first value of key, or NULL. Lives as long as p. */
const char *tc_params_get(const tc_params *p, const char *key);
/* 0 when every parameter is one of known (a NULL-ended list) and none is given twice; else -1 with
 * the parameter at fault in err (an unknown one with the list of those taken). */
int tc_params_check(const tc_params *p, const char *const *known, char *err, size_t errlen);

/* Decodes %XX and '+'; returns the length, or -1 on a bad escape. out needs len + 1 bytes. */
long tc_url_decode(const char *in, size_t len, char *out);
/* Whether s[0..len) is valid UTF-8 with no NUL. */
int tc_utf8_valid(const char *s, size_t len);

/* A growing string buffer for rendering. */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} tc_buf;

void tc_buf_add(tc_buf *b, const char *s, size_t n);
void tc_buf_str(tc_buf *b, const char *s);
void tc_buf_printf(tc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' escaped for HTML text and attributes. */
void tc_buf_html(tc_buf *b, const char *s);
/* Appends s percent-encoded for a URL query value. */
void tc_buf_url(tc_buf *b, const char *s);

/* The state of the page: what the reader asked for, echoed into links and forms. */
typedef struct {
    const char *q, *sort, *from, *to, *author, *category, *source, *name;
    const char *as_typed; /* "1": the query searched as typed even when a corrected one finds more */
    unsigned page, per_page;
} tc_page_request;

/* Renders the archive page (search form, and results when res is not NULL). */
void tc_page_search(tc_buf *b, const tc_page_request *req, json_t *res, const char *error);
/* Renders the article view; req is the search it was opened from (empty when none): its words are
 * highlighted and a link leads back to its results. related (may be NULL) lists articles like it. */
void tc_page_article(tc_buf *b, json_t *article, const tc_page_request *req, json_t *related);
/* Renders a small error page. */
void tc_page_error(tc_buf *b, int status, const char *message);

/* ---- the answer cache (cache.c): thread-safe, least recently used out past max_bytes ---- */
typedef struct tc_cache tc_cache;
typedef struct {
    unsigned long hits, misses;
    size_t entries, bytes;
} tc_cache_figures;

tc_cache *tc_cache_new(size_t max_bytes);
void tc_cache_free(tc_cache *c);
/* The generation to pass to put for an answer computed from now on. */
uint64_t tc_cache_generation(tc_cache *c);
/* Drops every entry (the index changed); answers computed before this are not stored. */
void tc_cache_invalidate(tc_cache *c);
/* A malloc'd copy of the value stored under key (NUL-terminated, *len bytes), or NULL. */
char *tc_cache_get(tc_cache *c, const char *key, size_t *len);
void tc_cache_put(tc_cache *c, const char *key, uint64_t generation, const char *value, size_t len);
void tc_cache_stats(tc_cache *c, tc_cache_figures *out);

#endif
