/* server.c — `tracuu serve`: the libmicrohttpd daemon, its routes, bounds, access log and metrics.
 * One Xapian reader per worker thread, reopened as the indexer commits; SIGTERM drains and exits 0. */
#include "http.h"
#include "cli.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bounds on what a client controls (docs/http-api.md lists them). */
#define MAX_URI_BYTES 8192
#define MAX_QUERY_BYTES 2000
#define MAX_PER_PAGE 100
#define MAX_OFFSET 10000
#define MAX_BODY_BYTES 65536
#define CONNECTION_LIMIT 512
#define CONNECTION_TIMEOUT_S 15
#define CONNECTION_MEMORY 32768
#define REOPEN_INTERVAL_S 1.0

enum route { R_PAGE, R_ARTICLE_PAGE, R_API_SEARCH, R_API_ARTICLE, R_HEALTHZ, R_METRICS, R_OTHER, R_COUNT };
static const char *const ROUTE_NAMES[R_COUNT] = {"page", "article_page", "api_search", "api_article", "healthz", "metrics", "other"};
static const int STATUSES[] = {200, 400, 404, 405, 413, 414, 500, 503};
#define STATUS_COUNT (sizeof STATUSES / sizeof *STATUSES)
static const double BUCKETS[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
#define BUCKET_COUNT (sizeof BUCKETS / sizeof *BUCKETS)

static struct {
    const char *db_paths[16]; /* databases or stubs, searched as one */
    size_t db_count;
    unsigned shard_timeout_ms;
    atomic_ulong requests[R_COUNT][STATUS_COUNT];
    atomic_ulong buckets[BUCKET_COUNT + 1];
    atomic_ulong latency_us_sum, latency_count;
    atomic_ulong reopens;
    atomic_long in_flight;
    pthread_mutex_t log_lock;
    /* every worker's reader, so they can be closed after the workers stop */
    pthread_mutex_t readers_lock;
    tc_xreader *readers[64];
    size_t reader_count;
    tc_cache *cache; /* NULL with --cache-mb 0 */
} server;

typedef struct {
    char *uri;           /* raw, as the client sent it */
    double started;
    enum route route;
    int status;
    char method[8];
} request_state;

static _Thread_local struct {
    tc_xreader *reader;
    double checked;
} worker;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* This thread's reader, opened on first use and reopened at most once a second. */
static tc_xreader *get_reader(char *err, size_t errlen)
{
    double t = now_s();
    if (!worker.reader) {
        pthread_mutex_lock(&server.readers_lock);
        int room = server.reader_count < sizeof server.readers / sizeof *server.readers;
        if (room && tc_xreader_open_shards(server.db_paths, server.db_count, server.shard_timeout_ms, &worker.reader, err, errlen) == TC_OK)
            server.readers[server.reader_count++] = worker.reader;
        else if (!room)
            snprintf(err, errlen, "too many reader threads");
        pthread_mutex_unlock(&server.readers_lock);
        worker.checked = t;
    } else if (t - worker.checked >= REOPEN_INTERVAL_S) {
        int changed = 0;
        worker.checked = t;
        if (tc_xreader_reopen(worker.reader, &changed) != TC_OK) {
            snprintf(err, errlen, "%s", tc_xreader_error(worker.reader));
            return NULL;
        }
        if (changed) {
            atomic_fetch_add(&server.reopens, 1);
            if (server.cache)
                tc_cache_invalidate(server.cache);
        }
    }
    return worker.reader;
}

/* Reopens after "database modified" so the caller can retry once. */
static void force_reopen(void)
{
    if (!worker.reader)
        return;
    int changed = 0;
    if (tc_xreader_reopen(worker.reader, &changed) == TC_OK)
        atomic_fetch_add(&server.reopens, 1);
    if (changed && server.cache)
        tc_cache_invalidate(server.cache);
    worker.checked = now_s();
}

static enum MHD_Result respond(struct MHD_Connection *c, request_state *st, int status, const char *type, char *body,
                               size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    if (status == 405)
        MHD_add_response_header(r, "Allow", "GET, HEAD");
    st->status = status;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result respond_json(struct MHD_Connection *c, request_state *st, int status, json_t *obj)
{
    char *body = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!body)
        return MHD_NO;
    return respond(c, st, status, "application/json; charset=utf-8", body, strlen(body));
}

static const char *error_code(int status)
{
    switch (status) {
    case 400: return "bad_request";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 503: return "unavailable";
    default: return "internal_error";
    }
}

static enum MHD_Result respond_error(struct MHD_Connection *c, request_state *st, int status, const char *message)
{
    int html = st->route == R_PAGE || st->route == R_ARTICLE_PAGE;
    if (html) {
        tc_buf b = {0};
        tc_page_error(&b, status, message);
        if (b.failed) {
            free(b.data);
            return MHD_NO;
        }
        return respond(c, st, status, "text/html; charset=utf-8", b.data, b.len);
    }
    return respond_json(c, st, status,
                        json_pack("{s:{s:s,s:s}}", "error", "code", error_code(status), "message", message ? message : ""));
}

static enum MHD_Result respond_html(struct MHD_Connection *c, request_state *st, int status, tc_buf *b)
{
    if (b->failed) {
        free(b->data);
        return respond_error(c, st, 500, "out of memory");
    }
    return respond(c, st, status, "text/html; charset=utf-8", b->data, b->len);
}

/* The parameters /api/search takes (the page takes them too, but ignores any others, such as the
 * tracking parameters of a shared link), and those of /api/articles/{id}. */
static const char *const SEARCH_PARAMS[] = {"q",      "page",     "per_page", "offset", "limit",    "sort", "from",
                                            "to",     "author",   "category", "source", "name",     "as_typed", NULL};
static const char *const ARTICLE_PARAMS[] = {"related", NULL};

/* Parameter i of names as a whole number within [minima[i], maxima[i]], or the default in values
 * when it is absent or empty; -1 with the message in err when it is not such a number. */
static int read_numbers(const tc_params *p, const char *const *names, const unsigned *minima,
                        const unsigned *maxima, unsigned *values, char *err, size_t errlen)
{
    for (int i = 0; i < 2; i++) {
        const char *v = tc_params_get(p, names[i]);
        if (!v || !*v)
            continue;
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < (long)minima[i] || n > (long)maxima[i]) {
            snprintf(err, errlen, "parameter '%s' must be a whole number from %u to %u", names[i], minima[i], maxima[i]);
            return -1;
        }
        values[i] = (unsigned)n;
    }
    return 0;
}

/* Reads and checks the search parameters shared by the page and the API: page and per_page, or
 * (the API only, as the CLI and the answer name them) offset and limit. */
static int read_search(const tc_params *p, int api, tc_search_request *req, tc_page_request *page, char *err,
                       size_t errlen)
{
    memset(req, 0, sizeof *req);
    memset(page, 0, sizeof *page);
    if (api && tc_params_check(p, SEARCH_PARAMS, err, errlen) != 0)
        return -1;
    const char *q = tc_params_get(p, "q");
    if (q && strlen(q) > MAX_QUERY_BYTES) {
        snprintf(err, errlen, "parameter 'q' is longer than %d bytes", MAX_QUERY_BYTES);
        return -1;
    }
    static const char *const PAGED[2] = {"page", "per_page"}, *const SLICED[2] = {"offset", "limit"};
    static const unsigned PAGE_MIN[2] = {1, 1}, PAGE_MAX[2] = {MAX_OFFSET, MAX_PER_PAGE};
    static const unsigned SLICE_MIN[2] = {0, 1}, SLICE_MAX[2] = {MAX_OFFSET, MAX_PER_PAGE};
    unsigned values[2] = {1, 10}, slice[2] = {0, 10};
    int sliced = api && (tc_params_get(p, "offset") || tc_params_get(p, "limit"));
    if (sliced && (tc_params_get(p, "page") || tc_params_get(p, "per_page"))) {
        snprintf(err, errlen, "parameters 'offset' and 'limit' cannot be mixed with 'page' and 'per_page'");
        return -1;
    }
    if (read_numbers(p, PAGED, PAGE_MIN, PAGE_MAX, values, err, errlen) != 0 ||
        (sliced && read_numbers(p, SLICED, SLICE_MIN, SLICE_MAX, slice, err, errlen) != 0))
        return -1;
    if ((unsigned long)(values[0] - 1) * values[1] > MAX_OFFSET) {
        snprintf(err, errlen, "parameter 'page' goes past result %d", MAX_OFFSET);
        return -1;
    }
    const char *sort = tc_params_get(p, "sort");
    if (sort && *sort && strcmp(sort, "relevance") && strcmp(sort, "newest") && strcmp(sort, "oldest")) {
        snprintf(err, errlen, "parameter 'sort' must be relevance, newest or oldest");
        return -1;
    }
    req->sort = !sort || !*sort || !strcmp(sort, "relevance") ? TC_SORT_RELEVANCE
                : !strcmp(sort, "newest")                     ? TC_SORT_NEWEST
                                                              : TC_SORT_OLDEST;
    const char *dates[2] = {tc_params_get(p, "from"), tc_params_get(p, "to")};
    for (int i = 0; i < 2; i++) {
        if (!dates[i] || !*dates[i])
            continue;
        if (tc_date_parse_bound(dates[i], strlen(dates[i]), i, i ? &req->to : &req->from) != TC_OK) {
            snprintf(err, errlen, "parameter '%s' is not a date (YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY)", i ? "to" : "from");
            return -1;
        }
        *(i ? &req->have_to : &req->have_from) = 1;
    }
    if (req->have_from && req->have_to && req->from > req->to) {
        snprintf(err, errlen, "parameter 'from' (%.40s) is after 'to' (%.40s)", dates[0], dates[1]);
        return -1;
    }
    const char *as_typed = tc_params_get(p, "as_typed");
    if (as_typed && *as_typed && strcmp(as_typed, "0") && strcmp(as_typed, "1")) {
        snprintf(err, errlen, "parameter 'as_typed' must be 0 or 1");
        return -1;
    }
    req->as_typed = as_typed && !strcmp(as_typed, "1");
    req->query = q ? q : "";
    req->offset = sliced ? slice[0] : (values[0] - 1) * values[1];
    req->limit = sliced ? slice[1] : values[1];
    req->author = tc_params_get(p, "author");
    req->category = tc_params_get(p, "category");
    req->source = tc_params_get(p, "source");
    req->name = tc_params_get(p, "name");
    req->facets = 1;
    req->suggest = 1;
    *page = (tc_page_request){req->query, sort, dates[0], dates[1], req->author, req->category, req->source, req->name,
                              req->as_typed ? "1" : NULL, values[0], values[1]};
    return 0;
}

static int has_search(const tc_search_request *req)
{
    return (req->query && *req->query) || req->have_from || req->have_to || (req->author && *req->author) ||
           (req->category && *req->category) || (req->source && *req->source) || (req->name && *req->name);
}

/* Reads the index through this thread's reader, reopening and retrying once when the index changed
 * under it. fn is tc_search_run or tc_search_article behind a small adapter. */
typedef tc_status (*read_fn)(tc_xreader *r, const void *arg, json_t **out, char *err, size_t errlen);

static tc_status read_with_retry(read_fn fn, const void *arg, json_t **out, char *err, size_t errlen)
{
    tc_status st = TC_ERR_BACKEND;
    for (int attempt = 0; attempt < 2; attempt++) {
        tc_xreader *r = get_reader(err, errlen);
        if (!r)
            return TC_ERR_BACKEND;
        st = fn(r, arg, out, err, errlen);
        if (st != TC_ERR_MODIFIED)
            return st;
        force_reopen();
    }
    return st;
}

static tc_status run_search(tc_xreader *r, const void *req, json_t **out, char *err, size_t errlen)
{
    return tc_search_run(r, req, out, err, errlen);
}

static tc_status fetch_article(tc_xreader *r, const void *id, json_t **out, char *err, size_t errlen)
{
    return tc_search_article(r, id, out, err, errlen);
}

static tc_status fetch_related(tc_xreader *r, const void *id, json_t **out, char *err, size_t errlen)
{
    return tc_search_related(r, id, out, err, errlen);
}

static enum MHD_Result serve_metrics(struct MHD_Connection *c, request_state *st)
{
    tc_buf b = {0};
    tc_buf_str(&b, "# HELP tracuu_requests_total HTTP requests by route and status.\n# TYPE tracuu_requests_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        for (size_t s = 0; s < STATUS_COUNT; s++) {
            unsigned long n = atomic_load(&server.requests[r][s]);
            if (n)
                tc_buf_printf(&b, "tracuu_requests_total{route=\"%s\",status=\"%d\"} %lu\n", ROUTE_NAMES[r], STATUSES[s], n);
        }
    tc_buf_str(&b, "# HELP tracuu_request_duration_seconds Time to answer a request.\n"
                   "# TYPE tracuu_request_duration_seconds histogram\n");
    unsigned long cumulative = 0;
    for (size_t i = 0; i <= BUCKET_COUNT; i++) {
        cumulative += atomic_load(&server.buckets[i]);
        if (i < BUCKET_COUNT)
            tc_buf_printf(&b, "tracuu_request_duration_seconds_bucket{le=\"%g\"} %lu\n", BUCKETS[i], cumulative);
        else
            tc_buf_printf(&b, "tracuu_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cumulative);
    }
    tc_buf_printf(&b, "tracuu_request_duration_seconds_sum %.6f\ntracuu_request_duration_seconds_count %lu\n",
                  atomic_load(&server.latency_us_sum) / 1e6, atomic_load(&server.latency_count));
    char err[256];
    tc_xreader *r = get_reader(err, sizeof err);
    tc_buf_printf(&b, "# HELP tracuu_index_articles Articles in the index.\n# TYPE tracuu_index_articles gauge\n"
                      "tracuu_index_articles %u\n", r ? tc_xreader_doccount(r) : 0);
    tc_buf_printf(&b, "# HELP tracuu_index_reopens_total Times a reader picked up a newer commit.\n"
                      "# TYPE tracuu_index_reopens_total counter\ntracuu_index_reopens_total %lu\n",
                  atomic_load(&server.reopens));
    tc_cache_figures cache = {0, 0, 0, 0};
    if (server.cache)
        tc_cache_stats(server.cache, &cache);
    tc_buf_printf(&b, "# HELP tracuu_cache_lookups_total Search answers looked up in the cache, by outcome.\n"
                      "# TYPE tracuu_cache_lookups_total counter\ntracuu_cache_lookups_total{outcome=\"hit\"} %lu\n"
                      "tracuu_cache_lookups_total{outcome=\"miss\"} %lu\n"
                      "# HELP tracuu_cache_bytes Bytes held by the answer cache.\n# TYPE tracuu_cache_bytes gauge\n"
                      "tracuu_cache_bytes %zu\n# HELP tracuu_cache_entries Answers in the cache.\n"
                      "# TYPE tracuu_cache_entries gauge\ntracuu_cache_entries %zu\n",
                  cache.hits, cache.misses, cache.bytes, cache.entries);
    if (b.failed) {
        free(b.data);
        return respond_error(c, st, 500, "out of memory");
    }
    return respond(c, st, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
}

static enum MHD_Result serve_healthz(struct MHD_Connection *c, request_state *st)
{
    char err[512];
    tc_xreader *r = get_reader(err, sizeof err);
    if (!r)
        return respond_json(c, st, 503, json_pack("{s:s,s:s}", "status", "unavailable", "error", err));
    int64_t last = 0;
    char updated[32] = "";
    if (tc_xreader_metadata_max(r, "tracuu:last_update", &last) == TC_OK && last)
        tc_date_format(last, updated);
    json_t *shards = tc_search_shards(r);
    /* a shard down leaves the daemon answering (partially): "degraded", still 200 */
    int degraded = json_array_size(json_object_get(shards, "missed")) > 0;
    return respond_json(c, st, 200,
                        json_pack("{s:s,s:i,s:s?,s:o}", "status", degraded ? "degraded" : "ok", "articles",
                                  (json_int_t)tc_xreader_doccount(r), "last_update", *updated ? updated : NULL, "shards",
                                  shards));
}

/* The cache key of a search: every field of the request that changes the answer. */
static char *search_key(const tc_search_request *r)
{
    tc_buf b = {0};
    tc_buf_printf(&b, "%u\x1f%u\x1f%d\x1f%d:%lld\x1f%d:%lld\x1f%d%d%d\x1f", r->offset, r->limit, (int)r->sort, r->have_from,
                  (long long)r->from, r->have_to, (long long)r->to, r->facets, r->suggest, r->as_typed);
    const char *fields[] = {r->query, r->author, r->category, r->source, r->name};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        tc_buf_str(&b, fields[i] ? fields[i] : "");
        tc_buf_add(&b, "\x1f", 1);
    }
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

/* The search's answer as JSON text (malloc'd): from the cache when an equal request was answered
 * since the index last changed, else searched (and stored unless partial). "cached" and "took_ms"
 * are this request's own, so the cached text holds neither. */
static char *search_answer(const tc_search_request *req, size_t *len, char *err, size_t errlen)
{
    double started = now_s();
    char *key = server.cache ? search_key(req) : NULL;
    char *text = NULL;
    size_t text_len = 0;
    int cached = 0;
    if (key && get_reader(err, errlen)) { /* reopen first, so a new commit empties the cache */
        text = tc_cache_get(server.cache, key, &text_len);
        cached = text != NULL;
    }
    if (!text) {
        uint64_t generation = server.cache ? tc_cache_generation(server.cache) : 0;
        json_t *res = NULL;
        if (read_with_retry(run_search, req, &res, err, errlen) != TC_OK) {
            free(key);
            return NULL;
        }
        json_object_del(res, "took_ms");
        text = json_dumps(res, JSON_COMPACT);
        text_len = text ? strlen(text) : 0;
        if (text && key && !json_is_true(json_object_get(res, "partial")))
            tc_cache_put(server.cache, key, generation, text, text_len);
        json_decref(res);
    }
    free(key);
    if (!text || text_len < 2) {
        free(text);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char tail[64];
    int n = snprintf(tail, sizeof tail, ",\"cached\":%s,\"took_ms\":%.3f}", cached ? "true" : "false",
                     (now_s() - started) * 1e3);
    char *body = realloc(text, text_len - 1 + (size_t)n + 1);
    if (!body) {
        free(text);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(body + text_len - 1, tail, (size_t)n + 1);
    *len = text_len - 1 + (size_t)n;
    return body;
}

static enum MHD_Result route(struct MHD_Connection *c, request_state *st, const char *path, const tc_params *p)
{
    char err[512];
    if (!strcmp(path, "/") || !strcmp(path, "/api/search")) {
        int api = path[1] == 'a';
        st->route = api ? R_API_SEARCH : R_PAGE;
        tc_search_request req;
        tc_page_request page;
        if (read_search(p, api, &req, &page, err, sizeof err) != 0)
            return respond_error(c, st, 400, err);
        if (!has_search(&req)) {
            if (api)
                return respond_error(c, st, 400, "parameter 'q' is required (or a filter: from, to, author, category, source, name)");
            tc_buf b = {0};
            tc_page_search(&b, &page, NULL, NULL);
            return respond_html(c, st, 200, &b);
        }
        size_t len = 0;
        char *text = search_answer(&req, &len, err, sizeof err);
        if (!text)
            return respond_error(c, st, 503, err);
        if (api)
            return respond(c, st, 200, "application/json; charset=utf-8", text, len);
        json_t *res = json_loadb(text, len, 0, NULL);
        free(text);
        if (!res)
            return respond_error(c, st, 500, "out of memory");
        tc_buf b = {0};
        tc_page_search(&b, &page, res, NULL);
        json_decref(res);
        return respond_html(c, st, 200, &b);
    }
    if (!strncmp(path, "/api/articles/", 14) || !strncmp(path, "/article/", 9)) {
        int api = path[1] == 'a' && path[2] == 'p';
        st->route = api ? R_API_ARTICLE : R_ARTICLE_PAGE;
        const char *id = path + (api ? 14 : 9);
        if (!*id)
            return respond_error(c, st, 404, "no article id in the path");
        if (api && tc_params_check(p, ARTICLE_PARAMS, err, sizeof err) != 0)
            return respond_error(c, st, 400, err);
        const char *with_related = api ? tc_params_get(p, "related") : NULL;
        if (with_related && strcmp(with_related, "0") && strcmp(with_related, "1"))
            return respond_error(c, st, 400, "parameter 'related' must be 0 or 1");
        json_t *article = NULL;
        tc_status s = read_with_retry(fetch_article, id, &article, err, sizeof err);
        if (s == TC_ERR_NOTFOUND)
            return respond_error(c, st, 404, "no article with this id");
        if (s != TC_OK)
            return respond_error(c, st, 503, err);
        if (api && with_related && !strcmp(with_related, "1")) {
            json_t *related = NULL;
            if (read_with_retry(fetch_related, id, &related, err, sizeof err) != TC_OK) {
                json_decref(article);
                return respond_error(c, st, 503, err);
            }
            json_object_set_new(article, "related", related);
        }
        if (api)
            return respond_json(c, st, 200, article);
        tc_search_request req;
        tc_page_request from; /* the search the reader came from; a broken one is only left out */
        if (read_search(p, 0, &req, &from, err, sizeof err) != 0)
            memset(&from, 0, sizeof from);
        json_t *related = NULL; /* the view goes without them if they cannot be had */
        if (read_with_retry(fetch_related, id, &related, err, sizeof err) != TC_OK)
            related = NULL;
        tc_buf b = {0};
        tc_page_article(&b, article, &from, related);
        json_decref(article);
        json_decref(related);
        return respond_html(c, st, 200, &b);
    }
    if (!strcmp(path, "/healthz")) {
        st->route = R_HEALTHZ;
        return serve_healthz(c, st);
    }
    if (!strcmp(path, "/metrics")) {
        st->route = R_METRICS;
        return serve_metrics(c, st);
    }
    st->route = R_OTHER;
    return respond_error(c, st, 404, "no such page");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    (void)upload_data;
    request_state *st = *req_cls;
    if (!st)
        return MHD_NO;
    if (st->status) { /* already answered: swallow any body the client still sends */
        *upload_data_size = 0;
        return MHD_YES;
    }
    snprintf(st->method, sizeof st->method, "%s", method);
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > MAX_BODY_BYTES)
        return respond_error(c, st, 413, "request body is too large");
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return respond_error(c, st, 405, "only GET and HEAD are supported");
    size_t uri_len = strlen(st->uri);
    if (uri_len > MAX_URI_BYTES)
        return respond_error(c, st, 414, "the URL is too long");
    const char *qmark = strchr(st->uri, '?');
    size_t path_len = qmark ? (size_t)(qmark - st->uri) : uri_len;
    char *path = malloc(path_len + 1);
    if (!path)
        return MHD_NO;
    long decoded = tc_url_decode(st->uri, path_len, path);
    if (decoded < 0 || !tc_utf8_valid(path, (size_t)decoded)) {
        free(path);
        return respond_error(c, st, 400, "the path has bad percent-encoding or is not valid UTF-8");
    }
    tc_params params;
    char err[256];
    if (tc_params_parse(qmark ? qmark + 1 : "", qmark ? strlen(qmark + 1) : 0, &params, err, sizeof err) != 0) {
        st->route = !strcmp(path, "/") ? R_PAGE : R_OTHER;
        free(path);
        return respond_error(c, st, 400, err);
    }
    enum MHD_Result ret = route(c, st, path, &params);
    tc_params_free(&params);
    free(path);
    return ret;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    request_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->uri = strdup(uri ? uri : "/");
    st->started = now_s();
    st->route = R_OTHER;
    atomic_fetch_add(&server.in_flight, 1);
    return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request_state *st = *req_cls;
    if (!st)
        return;
    double secs = now_s() - st->started;
    size_t s = 0;
    while (s < STATUS_COUNT && STATUSES[s] != st->status)
        s++;
    if (s < STATUS_COUNT)
        atomic_fetch_add(&server.requests[st->route][s], 1);
    size_t b = 0;
    while (b < BUCKET_COUNT && secs > BUCKETS[b])
        b++;
    atomic_fetch_add(&server.buckets[b], 1);
    atomic_fetch_add(&server.latency_us_sum, (unsigned long)(secs * 1e6));
    atomic_fetch_add(&server.latency_count, 1);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char path[200];
    snprintf(path, sizeof path, "%s", st->uri ? st->uri : "");
    for (char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '?';
    pthread_mutex_lock(&server.log_lock);
    fprintf(stderr, "%s %s %s %d %.1fms\n", when, st->method[0] ? st->method : "-", path, st->status, secs * 1e3);
    pthread_mutex_unlock(&server.log_lock);
    free(st->uri);
    free(st);
    *req_cls = NULL;
    atomic_fetch_sub(&server.in_flight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *len)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
        return -1;
    size_t digits = strspn(colon + 1, "0123456789");
    if (digits == 0 || digits > 5 || colon[1 + digits] || strtoul(colon + 1, NULL, 10) > 65535)
        return -1; /* getaddrinfo would take 99999 as 34463 */
    size_t hl = (size_t)(colon - listen);
    memcpy(host, listen, hl);
    host[hl] = 0;
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = 0;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res)
        return -1;
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

#define SERVE_USAGE                                                                                                   \
    "usage: tracuu serve --db DIR [--db DIR...] [--listen 127.0.0.1:8080] [--threads N] [--shard-timeout MS]\n"     \
    "                    [--cache-mb N (64; 0: no answer cache)]\n"

int tc_cmd_serve(int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080";
    unsigned threads = 0;
    unsigned cache_mb = 64;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc && server.db_count < sizeof server.db_paths / sizeof *server.db_paths)
            server.db_paths[server.db_count++] = argv[++i];
        else if (!strcmp(argv[i], "--shard-timeout") && i + 1 < argc) {
            if (tc_cli_number("serve", argv[i], argv[i + 1], 1, TC_SHARD_TIMEOUT_MAX_MS, &server.shard_timeout_ms) != 0)
                return 1;
            i++;
        } else if (!strcmp(argv[i], "--cache-mb") && i + 1 < argc) {
            if (tc_cli_number("serve", argv[i], argv[i + 1], 0, 1u << 20, &cache_mb) != 0)
                return 1;
            i++;
        } else if (!strcmp(argv[i], "--listen") && i + 1 < argc)
            listen = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            if (tc_cli_number("serve", argv[i], argv[i + 1], 1, 64, &threads) != 0)
                return 1;
            i++;
        } else {
            fprintf(stderr, SERVE_USAGE);
            return 1;
        }
    }
    if (!server.db_count) {
        fprintf(stderr, SERVE_USAGE);
        return 1;
    }
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (unsigned)cores * 2 : 2;
        if (threads > 64)
            threads = 64;
    }
    char err[512];
    tc_xreader *probe;
    unsigned articles = 0;
    if (tc_xreader_open_shards(server.db_paths, server.db_count, server.shard_timeout_ms, &probe, err, sizeof err) != TC_OK) {
        /* the index may be built after the daemon starts: answer 503 until it can be read */
        fprintf(stderr, "tracuu serve: warning: %s: %s; answering 503 until it can be read\n", server.db_paths[0], err);
    } else {
        articles = tc_xreader_doccount(probe);
        tc_search_warn_positions(probe, "tracuu serve");
        tc_xreader_free(probe);
    }
    struct sockaddr_storage addr;
    socklen_t addr_len;
    if (parse_listen(listen, &addr, &addr_len) != 0) {
        fprintf(stderr, "tracuu serve: --listen '%s' is not HOST:PORT\n", listen);
        return 1;
    }
    if (cache_mb && !(server.cache = tc_cache_new((size_t)cache_mb << 20))) {
        fprintf(stderr, "tracuu serve: out of memory for a %u MB cache\n", cache_mb);
        return 1;
    }
    pthread_mutex_init(&server.log_lock, NULL);
    pthread_mutex_init(&server.readers_lock, NULL);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* worker threads inherit this; main waits below */
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "tracuu serve: cannot listen on %s (in use, or not an address of this machine)\n", listen);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (addr.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&addr)->sin_addr, host, sizeof host);
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr)->sin6_addr, host, sizeof host);
    fprintf(stderr, "tracuu: serving %u articles from %s on http://%s%s%s:%u/ with %u threads\n", articles,
            server.db_paths[0], addr.ss_family == AF_INET6 ? "[" : "", host, addr.ss_family == AF_INET6 ? "]" : "",
            info ? info->port : 0, threads);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "tracuu: %s received, finishing requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_socket listener = MHD_quiesce_daemon(d);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    for (int waited = 0; atomic_load(&server.in_flight) > 0 && waited < 100; waited++)
        usleep(100000);
    MHD_stop_daemon(d);
    for (size_t i = 0; i < server.reader_count; i++)
        tc_xreader_free(server.readers[i]);
    tc_cache_free(server.cache);
    fprintf(stderr, "tracuu: stopped\n");
    return 0;
}
