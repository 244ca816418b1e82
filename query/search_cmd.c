/* search_cmd.c — `tracuu search`: readable results for people, --json for programs, and --batch
 * (lines "qid<TAB>query" in, "qid<TAB>rank<TAB>id" out) for relevance evaluation. */
#include "query.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr, "usage: tracuu search --db DIR [--json] [--explain] [--limit N] [--offset N] [--sort relevance|newest|oldest]\n"
                    "                     [--from DATE] [--to DATE] [--author A] [--category C] [--source S] [--as-typed] QUERY\n"
                    "       tracuu search --db DIR [--limit N] --batch FILE\n"
                    "  --db may be given several times, and may name a stub of shards; --shard-timeout MS (2000)\n"
                    "  bounds each remote shard\n");
    return 1;
}

/* Writes text without the <mark> tags, for the terminal, with the matches in bold. */
static void print_marked(const char *s, int tty)
{
    while (*s) {
        if (!strncmp(s, "<mark>", 6)) {
            if (tty)
                fputs("\033[1m", stdout);
            s += 6;
        } else if (!strncmp(s, "</mark>", 7)) {
            if (tty)
                fputs("\033[0m", stdout);
            s += 7;
        } else if (*s == '&') {
            static const struct { const char *entity, *text; } ENTITIES[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
            size_t k = 0;
            while (k < 5 && strncmp(s, ENTITIES[k].entity, strlen(ENTITIES[k].entity)))
                k++;
            fputs(k < 5 ? ENTITIES[k].text : "&", stdout);
            s += k < 5 ? strlen(ENTITIES[k].entity) : 1;
        } else {
            putchar(*s++);
        }
    }
}

static void print_readable(json_t *res)
{
    int tty = isatty(1);
    json_t *hits = json_object_get(res, "hits");
    printf("%lld results%s (%.1f ms)\n", (long long)json_integer_value(json_object_get(res, "total")),
           json_is_true(json_object_get(res, "total_exact")) ? "" : " (estimated)",
           json_real_value(json_object_get(res, "took_ms")));
    const char *suggestion = json_string_value(json_object_get(res, "suggestion"));
    if (suggestion)
        printf("Did you mean: %s\n", suggestion);
    const char *corrected = json_string_value(json_object_get(res, "corrected"));
    if (corrected)
        printf("Showing results for: %s (no article has every word as typed; --as-typed searches it anyway)\n", corrected);
    const char *explain = json_string_value(json_object_get(res, "explain"));
    if (explain)
        printf("Xapian query: %s\n", explain);
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(res, "notices"), i, n)
        printf("note: %s\n", json_string_value(n));
    json_t *hit;
    json_array_foreach(hits, i, hit) {
        const char *date = json_string_value(json_object_get(hit, "date"));
        printf("\n%zu. ", (size_t)json_integer_value(json_object_get(res, "offset")) + i + 1);
        print_marked(json_string_value(json_object_get(hit, "title_html")), tty);
        printf("\n   %s%s%.10s  [%s]\n   ", json_string_value(json_object_get(hit, "author")) ?: "",
               json_string_value(json_object_get(hit, "author")) ? "  " : "", date ? date : "", json_string_value(json_object_get(hit, "id")));
        print_marked(json_string_value(json_object_get(hit, "snippet")), tty);
        putchar('\n');
    }
}

static int run_batch(tc_xreader *r, const char *path, tc_search_request *req)
{
    FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!in) {
        perror(path);
        return 1;
    }
    char line[8192];
    unsigned lineno = 0;
    int status = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) {
            if (*line)
                fprintf(stderr, "%s:%u: no tab between the query id and the query\n", path, lineno);
            continue;
        }
        *tab = 0;
        req->query = tab + 1;
        json_t *res;
        char err[512];
        if (tc_search_run(r, req, &res, err, sizeof err) != TC_OK) {
            fprintf(stderr, "%s:%u: %s\n", path, lineno, err);
            status = 1;
            continue;
        }
        size_t i;
        json_t *hit;
        json_array_foreach(json_object_get(res, "hits"), i, hit)
            printf("%s\t%zu\t%s\n", line, i + 1, json_string_value(json_object_get(hit, "id")));
        json_decref(res);
    }
    if (in != stdin)
        fclose(in);
    return status;
}

int tc_cmd_search(int argc, char **argv)
{
    const char *dbs[16], *batch = NULL, *dates[2] = {NULL, NULL}; /* --from, --to as written */
    size_t db_count = 0;
    unsigned shard_timeout = 0;
    int json = 0;
    tc_search_request req = {0};
    req.limit = 10;
    req.facets = 1;
    req.suggest = 1;
    char query[TC_QUERY_MAX_BYTES * 2] = "";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "--db") && has_value) {
            if (db_count < sizeof dbs / sizeof *dbs)
                dbs[db_count++] = argv[++i];
        } else if (!strcmp(a, "--shard-timeout") && has_value) {
            if (tc_cli_number("search", a, argv[++i], 1, TC_SHARD_TIMEOUT_MAX_MS, &shard_timeout) != 0)
                return 1;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--as-typed")) {
            req.as_typed = 1;
        } else if (!strcmp(a, "--explain")) {
            req.explain = 1;
        } else if (!strcmp(a, "--batch") && has_value) {
            batch = argv[++i];
        } else if ((!strcmp(a, "--limit") || !strcmp(a, "--offset")) && has_value) {
            if (tc_cli_number("search", a, argv[++i], 0, 10000, a[2] == 'l' ? &req.limit : &req.offset) != 0)
                return 1;
        } else if (!strcmp(a, "--sort") && has_value) {
            const char *s = argv[++i];
            if (!strcmp(s, "relevance"))
                req.sort = TC_SORT_RELEVANCE;
            else if (!strcmp(s, "newest"))
                req.sort = TC_SORT_NEWEST;
            else if (!strcmp(s, "oldest"))
                req.sort = TC_SORT_OLDEST;
            else {
                fprintf(stderr, "tracuu search: --sort must be relevance, newest or oldest\n");
                return 1;
            }
        } else if ((!strcmp(a, "--from") || !strcmp(a, "--to")) && has_value) {
            int end = a[2] == 't';
            const char *v = argv[++i];
            dates[end] = v;
            if (tc_date_parse_bound(v, strlen(v), end, end ? &req.to : &req.from) != TC_OK) {
                fprintf(stderr, "tracuu search: %s '%s' is not a date\n", a, v);
                return 1;
            }
            *(end ? &req.have_to : &req.have_from) = 1;
        } else if (!strcmp(a, "--author") && has_value) {
            req.author = argv[++i];
        } else if (!strcmp(a, "--category") && has_value) {
            req.category = argv[++i];
        } else if (!strcmp(a, "--source") && has_value) {
            req.source = argv[++i];
        } else if (a[0] == '-' && a[1] == '-' && a[2]) {
            fprintf(stderr, "tracuu search: unknown option '%s'\n", a);
            return usage();
        } else {
            size_t l = strlen(query);
            snprintf(query + l, sizeof query - l, "%s%s", l ? " " : "", a);
        }
    }
    if (!db_count || (!batch && !*query && !req.have_from && !req.have_to && !req.author && !req.category && !req.source))
        return usage();
    if (req.have_from && req.have_to && req.from > req.to) {
        fprintf(stderr, "tracuu search: --from %s is after --to %s\n", dates[0], dates[1]);
        return 1;
    }
    char err[512];
    tc_xreader *r;
    tc_status st = tc_xreader_open_shards(dbs, db_count, shard_timeout, &r, err, sizeof err);
    if (st != TC_OK) {
        fprintf(stderr, "tracuu search: %s: %s\n", dbs[0], err);
        return 1;
    }
    tc_search_warn_positions(r, "tracuu search");
    int status = 0;
    if (batch) {
        req.facets = 0;
        req.suggest = 0;
        status = run_batch(r, batch, &req);
    } else {
        req.query = query;
        json_t *res;
        st = tc_search_run(r, &req, &res, err, sizeof err);
        if (st != TC_OK) {
            fprintf(stderr, "tracuu search: %s\n", err);
            status = 1;
        } else {
            if (json) {
                json_dumpf(res, stdout, JSON_COMPACT);
                putchar('\n');
            } else {
                print_readable(res);
            }
            json_decref(res);
        }
    }
    tc_xreader_free(r);
    return status;
}
