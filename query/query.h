/* query.h — internal: the query language's syntax tree, its parser, and the search that runs it.
 * The parser never fails: broken input is read in the most sensible way and the notices say how. */
#ifndef TC_QUERY_H
#define TC_QUERY_H

#include "tracuu.h"
#include "xapian_c.h"

#include <jansson.h>

#define TC_QUERY_MAX_BYTES 4096 /* longer queries are cut (with a notice) */
#define TC_QUERY_MAX_WORDS 64   /* syllables kept from one query */
#define TC_WORD_MAX 128

typedef enum { Q_AND, Q_OR, Q_NOT, Q_WORDS, Q_DATE } q_kind;

typedef struct {
    char exact[TC_WORD_MAX], folded[TC_WORD_MAX];
    unsigned flags;  /* TC_TOKEN_* of the analyser */
    size_t start, end; /* byte offsets in the query text */
} q_word;

typedef struct q_node {
    q_kind kind;
    /* Q_WORDS: one word, or a phrase when quoted or glued ("Covid-19"); field is the term prefix
     * ("" main text, "S" title, "A" author, "K" category, "O" source, "N" names) */
    char field[2];
    int phrase;
    int optional;    /* a loose stopword: not required, but still counts for phrase boosts */
    int weighs_only; /* a frequent word of a long query: ranks what the rarer words match, matches nothing */
    q_word *words;
    size_t word_count;
    /* Q_AND, Q_OR, Q_NOT */
    struct q_node **kids;
    size_t kid_count;
    /* Q_DATE: inclusive epoch bounds */
    int has_lo, has_hi;
    int64_t lo, hi;
} q_node;

typedef struct {
    q_node *root;        /* NULL when nothing searchable is left */
    char notices[1024];  /* what was ignored or repaired, one a line, English */
    int all_unaccented;  /* every loose word was typed without marks (a suggestion may help) */
} tc_query;

/* Parses a query string (any bytes). Always returns a query; free it with tc_query_free. */
tc_query *tc_query_parse(const char *text, size_t len);
void tc_query_free(tc_query *q);
/* The tree written out, for tests: AND(a b) OR(a b) -x "a b" title:a date:FROM..TO; malloc'd. */
char *tc_query_describe(const tc_query *q);

/* ---- search ---- */
typedef struct {
    const char *query;
    unsigned offset, limit;
    tc_sort sort;
    int have_from, have_to;
    int64_t from, to;                    /* inclusive epoch bounds */
    const char *author, *category, *source, *name; /* exact-value filters (facet values), or NULL */
    int facets, suggest;
    int explain;                         /* add the Xapian query, written out, as "explain" */
    int as_typed;                        /* never search the spelling suggestion instead (see tc_search_run) */
} tc_search_request;

/* Ranking parameters (docs/query-syntax.md says how they were chosen). */
#define TC_BM25_K1 1.2
#define TC_BM25_B 0.5

/* Runs a search and builds the result object (the shape of `tracuu search --json` and
 * /api/search). When no article has every word of the query, its suggestion corrected a misspelt
 * syllable and the corrected query has articles with every word, the answer is the corrected
 * query's, with "corrected" naming it (unless as_typed, or no suggestion was asked for). On failure
 * returns the status and leaves a message in err. */
tc_status tc_search_run(tc_xreader *r, const tc_search_request *req, json_t **out, char *err, size_t errlen);

/* {"total": shards searched, "missed": [names of the shards that did not answer]}, for answers
 * and /healthz. */
json_t *tc_search_shards(tc_xreader *r);
/* Warns on stderr, as who, when r has remote shards and a shard keeps its word positions in a value,
 * where the phrase search sent to remote shards cannot read them (docs/operations.md). */
void tc_search_warn_positions(tc_xreader *r, const char *who);

/* The stored article with this id as a JSON object, or TC_ERR_NOTFOUND. */
tc_status tc_search_article(tc_xreader *r, const char *id, json_t **out, char *err, size_t errlen);

/* The articles most like the one with this id, best first, as a JSON array of {id, title, url,
 * date, author, category, source}; TC_ERR_NOTFOUND when there is no such article. */
tc_status tc_search_related(tc_xreader *r, const char *id, json_t **out, char *err, size_t errlen);

/* Highlighted snippet of text for the query's words: HTML-escaped, matches in <mark>. malloc'd. */
char *tc_snippet(const char *text, size_t len, const tc_query *q, size_t max_bytes, int whole);

/* A likelier reading of the query text q was parsed from (accents restored, misspelt syllables
 * corrected; the rest as typed), or NULL; *corrected says whether a syllable was corrected, each
 * one long enough for the correction to be searched instead. */
char *tc_suggest(tc_xreader *r, const char *text, const tc_query *q, json_t *hits_data, int *corrected);

#endif
