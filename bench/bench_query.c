/* bench_query.c — query latency in process: every query through tracuu (with snippets, facets and the
 * suggestion) and through SQLite FTS5 (bm25, with snippets) on the same corpus, p50/p99 side by side.
 * TRACUU_DB may be a stub of shards; FTS5_DB "-" times tracuu alone (bench_scale.sh does). */
#include "query.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* The median of each kind of query (its id up to the first digit), ours and the peer's, to stderr. */
static void print_kinds(char **kinds, size_t n, const double *ours, const double *peer)
{
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    for (size_t first = 0; first < n; first++) {
        size_t m = 0, seen = 0;
        for (size_t i = 0; i < first && !seen; i++)
            seen = !strcmp(kinds[i], kinds[first]);
        for (size_t i = first; i < n && !seen; i++)
            if (!strcmp(kinds[i], kinds[first])) {
                a[m] = ours[i];
                b[m++] = peer ? peer[i] : 0;
            }
        if (!m)
            continue;
        qsort(a, m, sizeof *a, by_value);
        qsort(b, m, sizeof *b, by_value);
        fprintf(stderr, "kind: %-20s %4zu queries, p50 %6.2f ms", kinds[first], m, pct(a, m, .5));
        if (peer)
            fprintf(stderr, ", FTS5 %6.2f ms (%.2fx)", pct(b, m, .5), pct(b, m, .5) / pct(a, m, .5));
        fputc('\n', stderr);
    }
    free(a);
    free(b);
}

/* The query as FTS5 wants it: each word quoted, all ANDed (what bench/peers.py does too). */
static void fts5_expr(const char *q, char *out, size_t cap)
{
    size_t w = 0;
    out[0] = 0;
    for (const char *p = q; *p && w + 8 < cap;) {
        while (*p == ' ' || *p == '"')
            p++;
        if (!*p)
            break;
        if (w)
            out[w++] = ' ';
        out[w++] = '"';
        while (*p && *p != ' ' && *p != '"' && w + 3 < cap)
            out[w++] = *p++;
        out[w++] = '"';
        out[w] = 0;
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_query TRACUU_DB FTS5_DB|- QUERIES.tsv [--no-facets]\n");
        return 1;
    }
    int no_facets = argc > 4 && !strcmp(argv[4], "--no-facets");
    char err[512];
    tc_xreader *r;
    if (tc_xreader_open(argv[1], &r, err, sizeof err) != TC_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int with_peer = strcmp(argv[2], "-") != 0;
    if (with_peer && (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
                      sqlite3_prepare_v2(db, "SELECT id, snippet(a, 3, '<b>', '</b>', '…', 24) FROM a WHERE a MATCH ?1 ORDER BY bm25(a) LIMIT 10",
                                         -1, &stmt, NULL) != SQLITE_OK)) {
        fprintf(stderr, "%s: %s\n", argv[2], sqlite3_errmsg(db));
        return 1;
    }
    FILE *in = fopen(argv[3], "r");
    if (!in) {
        perror(argv[3]);
        return 1;
    }
    size_t cap = 1024, n = 0;
    char **queries = malloc(cap * sizeof *queries), **kinds = malloc(cap * sizeof *kinds);
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        if (n == cap) {
            queries = realloc(queries, (cap *= 2) * sizeof *queries);
            kinds = realloc(kinds, cap * sizeof *kinds);
        }
        *tab = 0;
        size_t kind_len = strcspn(line, "0123456789"); /* "headline-missing-12": "headline-missing" */
        while (kind_len > 1 && (line[kind_len - 1] == '-' || line[kind_len - 1] == '_'))
            kind_len--;
        kinds[n] = strndup(line, kind_len);
        queries[n++] = strdup(tab + 1);
    }
    fclose(in);
    double *ours = malloc(n * sizeof *ours), *peer = malloc(n * sizeof *peer);
    size_t ours_hits = 0, peer_hits = 0;
    for (int round = 0; round < 2; round++) { /* round 0 warms both caches */
        for (size_t i = 0; i < n; i++) {
            tc_search_request req = {0};
            req.query = queries[i];
            req.limit = 10;
            req.facets = !no_facets; /* --no-facets: ranking, snippets and suggestion only */
            req.suggest = 1;
            double t0 = now_ms();
            json_t *res = NULL;
            if (tc_search_run(r, &req, &res, err, sizeof err) == TC_OK) {
                ours_hits += json_array_size(json_object_get(res, "hits"));
                json_decref(res);
            }
            ours[i] = now_ms() - t0;
            if (!with_peer)
                continue;
            char expr[4096];
            fts5_expr(queries[i], expr, sizeof expr);
            t0 = now_ms();
            sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_TRANSIENT);
            while (sqlite3_step(stmt) == SQLITE_ROW)
                peer_hits++;
            sqlite3_reset(stmt);
            peer[i] = now_ms() - t0;
        }
    }
    /* the five slowest, to show where the tail comes from */
    size_t *order = malloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t k = 0; k < 5 && k < n; k++)
        for (size_t i = k + 1; i < n; i++)
            if (ours[order[i]] > ours[order[k]]) {
                size_t t = order[k];
                order[k] = order[i];
                order[i] = t;
            }
    for (size_t k = 0; k < 5 && k < n; k++)
        fprintf(stderr, "slow: %8.2f ms  %s\n", ours[order[k]], queries[order[k]]);
    free(order);
    print_kinds(kinds, n, ours, with_peer ? peer : NULL);
    qsort(ours, n, sizeof *ours, by_value);
    qsort(peer, n, sizeof *peer, by_value);
    printf("%zu queries (headline fragments, unaccented, with a syllable missing, questions, names), second pass timed\n", n);
    printf("%-54s %9s %9s %9s\n", "engine", "p50 ms", "p99 ms", "max ms");
    printf("%-54s %9.2f %9.2f %9.2f\n",
           no_facets ? "tracuu (snippets, suggestion; no facets)" : "tracuu (snippets, exact facets, timeline, suggestion)",
           pct(ours, n, .5), pct(ours, n, .99), ours[n - 1]);
    if (with_peer) {
        printf("%-54s %9.2f %9.2f %9.2f\n", "SQLite FTS5 (bm25, snippet)", pct(peer, n, .5), pct(peer, n, .99), peer[n - 1]);
        printf("tracuu speed-up at p50: %.2fx, at p99: %.2fx\n", pct(peer, n, .5) / pct(ours, n, .5),
               pct(peer, n, .99) / pct(ours, n, .99));
        sqlite3_finalize(stmt);
        sqlite3_close(db);
    }
    tc_xreader_free(r);
    return ours_hits == 0 || (with_peer && peer_hits == 0);
}
