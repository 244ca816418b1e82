/* xapian_c.h — internal C binding to libxapian: writer, reader, query builder, search with facets.
 * Every call catches Xapian's exceptions and returns a tc_status; the handle keeps the message. */
#ifndef TC_XAPIAN_C_H
#define TC_XAPIAN_C_H

#include "tracuu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tc_xwriter tc_xwriter;
typedef struct tc_xreader tc_xreader;
typedef struct tc_xdoc tc_xdoc;
typedef struct tc_xquery tc_xquery;

/* Longest term Xapian's glass backend stores; longer terms are skipped by the callers. */
#define TC_XAPIAN_MAX_TERM 240

/* ---- documents (built without a database, so analysis can run on any thread) ---- */
tc_xdoc *tc_xdoc_new(void);
void tc_xdoc_free(tc_xdoc *doc);
void tc_xdoc_add_posting(tc_xdoc *doc, const char *term, size_t len, unsigned position, unsigned wdf);
void tc_xdoc_add_term(tc_xdoc *doc, const char *term, size_t len, unsigned wdf);
void tc_xdoc_add_boolean(tc_xdoc *doc, const char *term, size_t len);
void tc_xdoc_set_value(tc_xdoc *doc, unsigned slot, const char *data, size_t len);
/* Word positions kept in a value instead of Xapian's position table (forms version 2): a document
 * whose slot TC_XAPIAN_POSITIONS_SLOT is set finds the positions of its "F" terms there, and of its
 * "S" terms (the title's syllables) below the title's end, in one read, and the writer stores one
 * item for them instead of one per distinct syllable (docs/index-schema.md).
 * tc_xdoc_add_position records that the folded syllable stands at position; tc_xdoc_set_title_end
 * that the positions below end are the title's. */
#define TC_XAPIAN_POSITIONS_SLOT 8
void tc_xdoc_add_position(tc_xdoc *doc, const char *folded, size_t len, unsigned position);
void tc_xdoc_set_title_end(tc_xdoc *doc, unsigned end);
/* Hands the document what tc_xdoc_add_term and tc_xdoc_add_position gathered (the terms' summed
 * wdfs, the positions' value): once, after the last of them, before the document is written. */
void tc_xdoc_finish(tc_xdoc *doc);
void tc_xdoc_set_date(tc_xdoc *doc, unsigned slot, int64_t epoch);
void tc_xdoc_set_data(tc_xdoc *doc, const char *data, size_t len);

/* ---- writer ---- */
/* Opens or creates the index at path. TC_ERR_LOCKED when another writer has it. */
tc_status tc_xwriter_open(const char *path, tc_xwriter **out, char *err, size_t errlen);
/* Adds or replaces the document whose unique term is idterm; *replaced says which. */
tc_status tc_xwriter_replace(tc_xwriter *w, const char *idterm, const tc_xdoc *doc, int *replaced);
tc_status tc_xwriter_delete(tc_xwriter *w, const char *idterm, int *existed);
/* *holds: whether the index (with what is not committed yet) has a document with this term. */
tc_status tc_xwriter_has(tc_xwriter *w, const char *term, int *holds);
/* Writes a compacted copy of the last commit to dest, a new directory. */
tc_status tc_xwriter_compact(tc_xwriter *w, const char *dest);
tc_status tc_xwriter_set_metadata(tc_xwriter *w, const char *key, const char *value);
tc_status tc_xwriter_commit(tc_xwriter *w);
/* Commits what is pending and closes. Accepts NULL. */
void tc_xwriter_free(tc_xwriter *w);
/* The last error's message; lives until the next call on w. */
const char *tc_xwriter_error(const tc_xwriter *w);

/* ---- reader ---- */
tc_status tc_xreader_open(const char *path, tc_xreader **out, char *err, size_t errlen);
/* Opens several databases as one. Each path is a database or a stub (Xapian's format: "auto PATH",
 * "remote HOST:PORT" lines; a directory holding XAPIANDB). A remote shard that does not answer within
 * timeout_ms (0: 2000) is left out and retried later; a local one that cannot be opened is an error. */
tc_status tc_xreader_open_shards(const char *const *paths, size_t count, unsigned timeout_ms, tc_xreader **out,
                                 char *err, size_t errlen);
#define TC_SHARD_TIMEOUT_MAX_MS 600000u /* the most --shard-timeout takes: ten minutes */
/* Picks up the latest commit, rereads the stubs and retries remote shards that were down (after
 * 1 s, then 2, 4 ... 30 s); *changed is 1 when what is searched changed. */
tc_status tc_xreader_reopen(tc_xreader *r, int *changed);
void tc_xreader_free(tc_xreader *r);
/* The shards searched, as the stubs name them; *up is 0 for a remote shard that is down. */
size_t tc_xreader_shard_count(const tc_xreader *r);
/* Whether some shard is remote (behind xapian-tcpsrv). */
int tc_xreader_has_remote(const tc_xreader *r);
const char *tc_xreader_shard(const tc_xreader *r, size_t i, int *up);
/* Articles in shard i (0 when it is down). */
unsigned tc_xreader_shard_doccount(tc_xreader *r, size_t i);
const char *tc_xreader_error(const tc_xreader *r);
unsigned tc_xreader_doccount(tc_xreader *r);
unsigned tc_xreader_termfreq(tc_xreader *r, const char *term, size_t len);
/* Calls fn for every term starting with prefix, in byte order, until fn returns non-zero. */
typedef int (*tc_xterm_fn)(void *ctx, const char *term, size_t len, unsigned termfreq);
tc_status tc_xreader_allterms(tc_xreader *r, const char *prefix, tc_xterm_fn fn, void *ctx);
/* The same from a copy kept in memory until the reader sees another commit, for whole-prefix scans
 * that repeat (about 1 MB for the 85,000 folded syllables of 38,000 articles). The term passed to fn
 * is not NUL-terminated. */
tc_status tc_xreader_allterms_kept(tc_xreader *r, const char *prefix, tc_xterm_fn fn, void *ctx);
/* The stored data of the document with unique term idterm, malloc'd into *data (caller frees). */
tc_status tc_xreader_get_data(tc_xreader *r, const char *idterm, char **data, size_t *len);
/* Metadata value, malloc'd (caller frees); empty string when unset. */
tc_status tc_xreader_metadata(tc_xreader *r, const char *key, char **value);
/* The greatest value of a numeric metadata key over the shards that answer (each shard is stamped
 * at its own commits; Xapian's metadata of several databases is the first one's); 0 when unset. */
tc_status tc_xreader_metadata_max(tc_xreader *r, const char *key, int64_t *value);
/* Lowest and highest value of a date slot over all documents; 0 when no document has one. */
tc_status tc_xreader_date_bounds(tc_xreader *r, unsigned slot, int *have, int64_t *lo, int64_t *hi);

/* ---- queries: each constructor returns a new query the caller frees; children are copied ---- */
typedef enum { TC_XOP_AND, TC_XOP_OR, TC_XOP_AND_NOT, TC_XOP_AND_MAYBE, TC_XOP_FILTER, TC_XOP_PHRASE, TC_XOP_NEAR,
               TC_XOP_SYNONYM } tc_xop;
/* PHRASE needs its terms in order and adjacent; NEAR needs them within count + 2 positions, any order;
 * SYNONYM weighs its terms as one term (their wdf summed). A PHRASE or NEAR of "F" or "S" terms reads the
 * positions of each article where it keeps them: in its positions slot, else Xapian's table; over
 * remote shards, only the table (xapian-tcpsrv runs no code of ours). */
tc_xquery *tc_xquery_term(const char *term, size_t len, unsigned wqf);
tc_xquery *tc_xquery_combine(tc_xop op, tc_xquery *const *children, size_t count);
tc_xquery *tc_xquery_scale(const tc_xquery *q, double factor);
tc_xquery *tc_xquery_date_range(unsigned slot, int have_lo, int64_t lo, int have_hi, int64_t hi);
tc_xquery *tc_xquery_match_all(void);
int tc_xquery_empty(const tc_xquery *q);
/* A readable rendering of the query, malloc'd (caller frees); for tests and --explain. */
char *tc_xquery_describe(const tc_xquery *q);
void tc_xquery_free(tc_xquery *q);

/* ---- search ---- */
typedef enum { TC_SORT_RELEVANCE, TC_SORT_NEWEST, TC_SORT_OLDEST } tc_sort;

typedef struct {
    unsigned docid;
    double score;
    char *data;        /* stored data, malloc'd; NULL unless asked for */
    size_t data_len;
} tc_xhit;

typedef struct {
    char *value;       /* malloc'd */
    unsigned count;
} tc_xfacet_value;

typedef struct {
    unsigned slot;
    tc_xfacet_value *values; /* most frequent first, at most the limit asked for */
    size_t count;
} tc_xfacet;

typedef struct {
    unsigned offset, limit;
    tc_sort sort;
    unsigned date_slot;
    double bm25_k1, bm25_b;
    const unsigned *facet_slots; /* values split on \x1f before counting */
    size_t facet_count;
    const unsigned *facet_limits; /* values kept per facet, most frequent first; 0 (or NULL): all */
    /* When set, every document matching this query (the ranked query without its boosts) is
     * counted, unweighted: the exact total and the facets come from it. Ranking weights come
     * from a separate pass that only looks as deep as the page needs (none when limit is 0). */
    const tc_xquery *count_query;
    int with_data;               /* hits carry their stored data */
} tc_xsearch_params;

typedef struct {
    tc_xhit *hits;
    size_t hit_count;
    unsigned estimated, lower_bound, upper_bound;
    tc_xfacet *facets;
    size_t facet_count;
} tc_xresults;

tc_status tc_xreader_search(tc_xreader *r, const tc_xquery *q, const tc_xsearch_params *p, tc_xresults *out);
void tc_xresults_free(tc_xresults *res);
/* p's count query counted and its facets tallied (tc_xreader_search with no page) on another
 * thread, over a second reader kept at the same commits, while the caller ranks on r; the query
 * must stay alive and r unused by other calls than ranking until tc_xreader_count_wait, which
 * gives the result (its hits empty). With a remote shard the count runs in count_begin itself. */
tc_status tc_xreader_count_begin(tc_xreader *r, const tc_xsearch_params *p);
tc_status tc_xreader_count_wait(tc_xreader *r, tc_xresults *out);

/* Boosts scored on a shortlist of hits rather than by Xapian's matcher: those that need word
 * positions (Xapian reads a term's positions again for every phrase it is in), and single terms
 * that would cost Xapian a posting list to walk for every article it weighs. */
#define TC_XPOS_MAX_TERMS 64
typedef struct {
    const char *terms[TC_XPOS_MAX_TERMS]; /* positional terms, in query order; or one term, any kind */
    size_t count;
    unsigned window; /* 0: in order and side by side (a phrase); else all less than window apart */
    double factor;
    /* For a boost of one term, or NULL: its wdf less those of every term starting with minus (a
     * syllable's dominant form is its folded term less its other stored forms; text/forms-vi.txt) */
    const char *minus;
} tc_xpos_boost;
/* Adds to each hit's score, for every boost found in its document, what Xapian's BM25 (k1, b) gives
 * the boost's terms there, scaled by factor; a boost of one term is found wherever the term is, and
 * weighs its wdf without reading positions. Only the best `top` hits are sure to get every boost:
 * local shards read positions for a hit only while its boosts could still lift it among them
 * (the others are then below the top-th, all but their positional boosts added). Each term's
 * positions are read once a document, the twin reader (tc_xreader_count_begin) taking half of the
 * hits when it is idle, and the hits may come back in another order; with a remote shard, Xapian
 * scores every boost on the shards, over the hits found by id (the value in id_slot, after
 * id_prefix), and gives the wdfs and lengths that a boost less its minus terms is weighed from. */
tc_status tc_xreader_add_position_boosts(tc_xreader *r, tc_xhit *hits, size_t count, size_t top,
                                         const tc_xpos_boost *boosts, size_t boost_count, double k1, double b,
                                         unsigned id_slot, const char *id_prefix);
/* Replaces each hit's data with its document's stored data (hits from a search since r synced). */
tc_status tc_xreader_load_data(tc_xreader *r, tc_xhit *hits, size_t count);
/* Up to `limit` articles most like the one whose unique term is idterm, best first, with their
 * stored data: the `terms` most telling of its terms that start with one of `prefixes` (Xapian's
 * expand set, the article its own relevance set) searched as one OR, the article left out.
 * TC_ERR_NOTFOUND when there is no such article. */
tc_status tc_xreader_related(tc_xreader *r, const char *idterm, const char *prefixes, unsigned terms, unsigned limit,
                             tc_xresults *out);

#ifdef __cplusplus
}
#endif
#endif
