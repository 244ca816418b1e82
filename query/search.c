/* search.c — turns a parsed query into a Xapian query, runs it, and builds the result object:
 * hits with highlighted snippets, totals, facets, a month timeline, notices and a suggestion. */
#include "query.h"
#include "article.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Weights of the boosts added (AND_MAYBE) to the required terms; see docs/query-syntax.md. */
#define BOOST_EXACT 2.5   /* the accented form typed */
#define BOOST_PAIR 4.0    /* two query syllables side by side */
#define BOOST_TITLE 1.0   /* a query syllable in the title */
#define BOOST_TITLE_NEAR 2.0 /* all loose query syllables close together in the title */
#define BOOST_TITLE_PAIR 1.5 /* two query syllables side by side in the title */
#define BOOST_NAME 2.0    /* the loose query is a name the indexer recorded, or begins one */
#define BOOST_CAPITAL_PAIR 1.5 /* two query syllables side by side and capitalised, as names are written */
#define NAMES_STARTING 20 /* the names beginning with a loose query that its name boost takes */
#define NAMES_STARTING_FIELD 100 /* ... and that ten: matches */
#define NAMES_SCANNED 500 /* the names beginning with a query looked at, in term order, to find those */
#define LONG_QUERY 6      /* from this many loose syllables on, an article needs only some of them (OR)... */
#define LONG_QUERY_KEEP 0.67 /* ... and only the rarest two thirds count; the rest only weigh in the boosts */
#define LONG_QUERY_MATCH 0.25 /* of those, the rarest match, up to this share of the index in postings */
#define LONG_QUERY_MATCH_MIN 2 /* ... and at least this many found in it; the others rank what they match */
#define BOOST_TITLE_PHRASE 4.0 /* the whole loose query as a phrase in the title */
#define BOOST_PHRASE 3.0  /* the whole loose query as a phrase anywhere */
#define FACET_VALUES 10
#define SHORTLIST 200    /* candidates the phrase boosts rerank for a short query (names, 2-3 syllables) */
#define SHORTLIST_LONG 50 /* ... and for a longer one, which carries more phrase boosts to check */
#define SHORTLIST_DEEP 200 /* Xapian's shortlist when word weights are left to score on it, before the cut */
#define SNIPPET_BYTES 320
#define RELATED 5        /* articles an article view lists as related */
#define RELATED_TERMS 25 /* its most telling folded words, title words and names, searched for them */
#define RELATED_SHARE 0.4 /* ... and each listed weighs at least this share of the best one */

typedef struct {
    tc_xquery **items;
    size_t count, cap;
} qlist;

static void ql_add(qlist *l, tc_xquery *q)
{
    if (!q)
        return;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        tc_xquery **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) {
            tc_xquery_free(q);
            return;
        }
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->count++] = q;
}

static void ql_free(qlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        tc_xquery_free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Combines and frees the list; NULL when empty. */
static tc_xquery *ql_combine(qlist *l, tc_xop op)
{
    tc_xquery *q = NULL;
    if (l->count == 1) {
        q = l->items[0];
        l->count = 0;
    } else if (l->count > 1) {
        q = tc_xquery_combine(op, l->items, l->count);
    }
    ql_free(l);
    return q;
}

/* q OP other, taking ownership of both; q alone when other is NULL (and NULL when q is). */
static tc_xquery *join(tc_xop op, tc_xquery *q, tc_xquery *other)
{
    if (!q || !other) {
        tc_xquery_free(other);
        return q;
    }
    tc_xquery *pair[2] = {q, other};
    tc_xquery *joined = tc_xquery_combine(op, pair, 2);
    tc_xquery_free(q);
    tc_xquery_free(other);
    return joined;
}

static tc_xquery *prefixed_term(const char *prefix, const char *word)
{
    char term[TC_XAPIAN_MAX_TERM + 8];
    int n = snprintf(term, sizeof term, "%s%s", prefix, word);
    return tc_xquery_term(term, (size_t)(n < (int)sizeof term ? n : (int)sizeof term - 1), 1);
}

static tc_xquery *scaled(tc_xquery *q, double factor)
{
    if (!q)
        return NULL;
    tc_xquery *s = tc_xquery_scale(q, factor);
    tc_xquery_free(q);
    return s;
}

/* The `most` most frequent of the first NAMES_SCANNED names (in term order) that begin with a
 * prefix, gathered by tc_xreader_allterms. */
typedef struct {
    char *terms[NAMES_STARTING_FIELD];
    unsigned freqs[NAMES_STARTING_FIELD];
    size_t count, most, scanned;
} frequent_terms;

static int keep_frequent(void *ctx, const char *term, size_t len, unsigned freq)
{
    frequent_terms *f = ctx;
    size_t slot = f->count, least = 0;
    if (f->count == f->most) {
        for (size_t i = 1; i < f->count; i++)
            if (f->freqs[i] < f->freqs[least])
                least = i;
        slot = freq > f->freqs[least] ? least : f->most;
    }
    if (slot < f->most) {
        char *copy = strndup(term, len);
        if (copy) {
            if (slot < f->count)
                free(f->terms[slot]);
            else
                f->count++;
            f->terms[slot] = copy;
            f->freqs[slot] = freq;
        }
    }
    return ++f->scanned >= NAMES_SCANNED;
}

/* A name term ("Nphan xuan"), or one of the recorded names that begin with it (Phan Xuân Dũng, Phan
 * Xuân Thủy: "Nphan xuan " and more syllables; the `most` most frequent, weighed as one term): a
 * reader often types only a name's first syllables. Names have 2-4 syllables, and one syllable
 * alone begins too many of them. The names are listed on the whole index (Xapian's OP_WILDCARD
 * would list them shard by shard, and a sharded index would weigh other names). */
static tc_xquery *name_or_longer(tc_xreader *r, const char *name, size_t syllables, size_t most)
{
    size_t len = strlen(name);
    frequent_terms longer = {.most = most};
    char start[TC_XAPIAN_MAX_TERM + 2];
    if (syllables >= 2 && syllables < 4 && len < TC_XAPIAN_MAX_TERM) {
        snprintf(start, sizeof start, "%s ", name);
        tc_xreader_allterms(r, start, keep_frequent, &longer); /* on an error, the name alone */
    }
    qlist names = {0};
    for (size_t i = 0; i < longer.count; i++) {
        ql_add(&names, tc_xquery_term(longer.terms[i], strlen(longer.terms[i]), 1));
        free(longer.terms[i]);
    }
    return join(TC_XOP_OR, tc_xquery_term(name, len, 1), ql_combine(&names, TC_XOP_SYNONYM));
}

/* The required part of a word node: its folded terms (a phrase when several), in its field. */
static tc_xquery *build_words(tc_xreader *r, const q_node *n)
{
    if (!strcmp(n->field, "N")) {
        char name[TC_XAPIAN_MAX_TERM] = "N";
        for (size_t i = 0; i < n->word_count; i++) {
            size_t l = strlen(name);
            snprintf(name + l, sizeof name - l, "%s%s", i ? " " : "", n->words[i].folded);
        }
        return name_or_longer(r, name, n->word_count, NAMES_STARTING_FIELD);
    }
    const char *prefix = n->field[0] ? n->field : "F";
    qlist terms = {0};
    for (size_t i = 0; i < n->word_count; i++)
        ql_add(&terms, prefixed_term(prefix, n->words[i].folded));
    return ql_combine(&terms, n->word_count > 1 && n->phrase ? TC_XOP_PHRASE : TC_XOP_AND);
}

/* How a tree is built: relaxed ORs the words of an AND; bare leaves out the ranking boosts
 * (for counting matches and facets, where only the match set matters). */
enum { BUILD_RELAXED = 1, BUILD_BARE = 2 };

/* The boosts that need word positions, collected while the tree is built and scored afterwards on
 * the shortlist the rest of the query ranks (tc_xreader_add_position_boosts). */
typedef struct {
    tc_xpos_boost *items;
    size_t count, cap;
    unsigned forms; /* the index's forms version: how it stores accented forms (exact_boost) */
} pos_list;

static void pos_free(pos_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        for (size_t k = 0; k < l->items[i].count; k++)
            free((char *)l->items[i].terms[k]);
        free((char *)l->items[i].minus);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Adds a boost on the words under prefix, in order (one word: the term's presence); no-op when l
 * is NULL. */
static void pos_add(pos_list *l, const char *prefix, const char *const *words, size_t count, unsigned window, double factor)
{
    if (!l || !count || count > TC_XPOS_MAX_TERMS)
        return;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        tc_xpos_boost *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return;
        l->items = grown;
        l->cap = cap;
    }
    tc_xpos_boost *b = &l->items[l->count];
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < count; i++) {
        char term[TC_XAPIAN_MAX_TERM + 8];
        snprintf(term, sizeof term, "%s%s", prefix, words[i]);
        char *copy = strdup(term);
        if (!copy) {
            for (size_t k = 0; k < b->count; k++)
                free((char *)b->terms[k]);
            return;
        }
        b->terms[b->count++] = copy;
    }
    b->window = window;
    b->factor = factor;
    l->count++;
}

static tc_xquery *build(tc_xreader *r, const q_node *n, unsigned mode, pos_list *pos);

/* The forms version the index records (indexer/shards.c); 0 when unset, as before versions were. */
static unsigned index_forms(tc_xreader *r)
{
    char *value = NULL;
    unsigned forms = tc_xreader_metadata(r, "tracuu:forms", &value) == TC_OK && value ? (unsigned)strtoul(value, NULL, 10) : 0;
    free(value);
    return forms;
}

/* The boost of an accented form as typed, on the terms the index keeps it in (add_exact in
 * indexer/document.c): itself in an index of forms version 0; else its "V" term, or for the form
 * most articles use (text/forms-vi.txt), which has none, the folded term less the syllable's
 * stored forms. */
static void exact_boost(pos_list *later, const char *folded, const char *exact)
{
    if (!later->forms) {
        pos_add(later, "", &exact, 1, 0, BOOST_EXACT);
        return;
    }
    size_t dominant_len;
    const char *dominant = tc_form_dominant(folded, strlen(folded), &dominant_len);
    char stored[2 * TC_WORD_MAX + 2];
    snprintf(stored, sizeof stored, "%s %s", folded, exact);
    if (!dominant || dominant_len != strlen(exact) || memcmp(dominant, exact, dominant_len)) {
        const char *word = stored;
        pos_add(later, "V", &word, 1, 0, BOOST_EXACT);
        return;
    }
    size_t before = later->count;
    pos_add(later, "F", &folded, 1, 0, BOOST_EXACT);
    if (later->count == before)
        return;
    snprintf(stored, sizeof stored, "V%s ", folded);
    if (!(later->items[before].minus = strdup(stored))) { /* out of memory: no boost rather than a wrong one */
        free((char *)later->items[before].terms[0]);
        later->count = before;
    }
}

/* The boosts of one query syllable that need no positions: the syllable in the title, for Xapian,
 * and its accented form as typed, scored on the shortlist (later): an accented form such as "việt"
 * is in most articles that hold its syllable, and Xapian would look it up in every article it
 * weighs. None for an optional word: the frequent third of a long query has its accented forms in
 * most articles, so the boost would rank nothing. */
static void word_boosts(const q_word *qw, int optional, qlist *boosts, pos_list *later)
{
    const char *folded = qw->folded, *exact = qw->exact;
    if (strcmp(exact, folded) && !optional && later)
        exact_boost(later, folded, exact);
    ql_add(boosts, scaled(prefixed_term("S", folded), BOOST_TITLE));
}

/* Boosts for the words of an AND group: title words and recorded names go into boosts (for Xapian,
 * which can prune on them); accented forms, and the own weight of a long query's words that only
 * weigh (keep_rarest), which Xapian would look up in every article it weighs, go into pos, to be
 * scored on a deeper shortlist. Adjacent pairs and phrases in the text and the title, which need
 * positions, go into pos too. */
static void add_boosts(tc_xreader *r, const q_node *const *words, size_t count, qlist *boosts, pos_list *pos)
{
    const char *all[TC_XPOS_MAX_TERMS];
    size_t all_count = 0;
    for (size_t i = 0; i < count; i++) {
        const q_node *w = words[i];
        for (size_t k = 0; k < w->word_count; k++) {
            const q_word *qw = &w->words[k];
            word_boosts(qw, w->optional, boosts, pos);
            const char *folded = qw->folded;
            if (w->weighs_only) /* its own weight, too, as Xapian would have weighed it */
                pos_add(pos, "F", &folded, 1, 0, 1.0);
            if (all_count < TC_XPOS_MAX_TERMS)
                all[all_count++] = qw->folded;
        }
        if (i + 1 < count) {
            const char *pair[2] = {w->words[w->word_count - 1].folded, words[i + 1]->words[0].folded};
            pos_add(pos, "F", pair, 2, 0, BOOST_PAIR);
            pos_add(pos, "S", pair, 2, 0, BOOST_TITLE_PAIR);
            char capital_pair[2 * TC_WORD_MAX + 2];
            snprintf(capital_pair, sizeof capital_pair, "%s %s", pair[0], pair[1]);
            ql_add(boosts, scaled(prefixed_term("B", capital_pair), BOOST_CAPITAL_PAIR));
        }
    }
    if (count > 1) {
        pos_add(pos, "S", all, all_count, 0, BOOST_TITLE_PHRASE);
        pos_add(pos, "S", all, all_count, (unsigned)all_count + 2, BOOST_TITLE_NEAR);
        pos_add(pos, "F", all, all_count, 0, BOOST_PHRASE);
        char name[TC_XAPIAN_MAX_TERM] = "N";
        for (size_t i = 0; i < all_count && count <= 4; i++) {
            size_t l = strlen(name);
            snprintf(name + l, sizeof name - l, "%s%s", l > 1 ? " " : "", all[i]);
        }
        if (count <= 4)
            ql_add(boosts, scaled(name_or_longer(r, name, all_count, NAMES_STARTING), BOOST_NAME));
    }
}

static tc_xquery *build_and(tc_xreader *r, const q_node *const *kids, size_t kid_count, unsigned mode, pos_list *pos)
{
    qlist must = {0}, nots = {0}, filters = {0}, boosts = {0};
    const q_node *loose[TC_QUERY_MAX_WORDS];
    size_t loose_count = 0;
    for (size_t i = 0; i < kid_count; i++) {
        const q_node *k = kids[i];
        if (k->kind == Q_NOT) {
            ql_add(&nots, build(r, k->kids[0], BUILD_BARE, NULL));
        } else if (k->kind == Q_DATE) {
            ql_add(&filters, build(r, k, BUILD_BARE, NULL));
        } else {
            if (!k->optional && !k->weighs_only)
                ql_add(&must, k->kind == Q_WORDS ? build_words(r, k) : build(r, k, mode, pos));
            if (k->kind == Q_WORDS && !k->field[0] && loose_count < TC_QUERY_MAX_WORDS)
                loose[loose_count++] = k;
        }
    }
    if (!(mode & BUILD_BARE))
        add_boosts(r, loose, loose_count, &boosts, pos);
    tc_xquery *q = ql_combine(&must, (mode & BUILD_RELAXED) || loose_count >= LONG_QUERY ? TC_XOP_OR : TC_XOP_AND);
    if (!q && (filters.count || nots.count))
        q = tc_xquery_match_all();
    q = join(TC_XOP_AND_MAYBE, q, ql_combine(&boosts, TC_XOP_OR));
    q = join(TC_XOP_FILTER, q, ql_combine(&filters, TC_XOP_AND));
    q = join(TC_XOP_AND_NOT, q, ql_combine(&nots, TC_XOP_OR));
    return q;
}

static tc_xquery *build(tc_xreader *r, const q_node *n, unsigned mode, pos_list *pos)
{
    switch (n->kind) {
    case Q_WORDS: {
        const q_node *one = n;
        return n->field[0] ? build_words(r, n) : build_and(r, &one, 1, mode & BUILD_BARE, pos);
    }
    case Q_DATE:
        return tc_xquery_date_range(TC_SLOT_DATE, n->has_lo, n->lo, n->has_hi, n->hi);
    case Q_NOT:
        return build_and(r, &n, 1, BUILD_BARE, NULL); /* a lone exclusion: everything but it */
    case Q_AND:
        return build_and(r, (const q_node *const *)n->kids, n->kid_count, mode, pos);
    case Q_OR: {
        qlist alts = {0};
        for (size_t i = 0; i < n->kid_count; i++)
            ql_add(&alts, build(r, n->kids[i], mode, pos));
        return ql_combine(&alts, TC_XOP_OR);
    }
    }
    return NULL;
}

static size_t loose_words(const q_node *n)
{
    if (!n)
        return 0;
    if (n->kind == Q_WORDS)
        return !n->field[0];
    if (n->kind != Q_AND)
        return 0;
    size_t c = 0;
    for (size_t i = 0; i < n->kid_count; i++)
        c += loose_words(n->kids[i]);
    return c;
}

/* Whether the search is narrowed by a filter: the request's dates or exact values, or a date in the
 * query. */
static int filtered(const tc_search_request *req, const q_node *n)
{
    if (req && (req->have_from || req->have_to || (req->author && *req->author) || (req->category && *req->category) ||
                (req->source && *req->source) || (req->name && *req->name)))
        return 1;
    if (!n || n->kind == Q_NOT)
        return 0;
    if (n->kind == Q_DATE)
        return 1;
    for (size_t i = 0; i < n->kid_count; i++)
        if (filtered(NULL, n->kids[i]))
            return 1;
    return 0;
}

/* The dates every match must fall within: the request's from and to and the query's own date:
 * terms (the root, or a term of its top AND), narrowed to what they all allow; 0 when none. */
static int asked_dates(const tc_search_request *req, const q_node *root, int64_t *lo, int64_t *hi)
{
    int asked = req->have_from || req->have_to;
    *lo = req->have_from ? req->from : INT64_MIN;
    *hi = req->have_to ? req->to : INT64_MAX;
    const q_node *const *terms = root && root->kind == Q_AND ? (const q_node *const *)root->kids : &root;
    size_t count = root && root->kind == Q_AND ? root->kid_count : root != NULL;
    for (size_t i = 0; i < count; i++) {
        if (terms[i]->kind != Q_DATE)
            continue;
        asked = 1;
        if (terms[i]->has_lo && terms[i]->lo > *lo)
            *lo = terms[i]->lo;
        if (terms[i]->has_hi && terms[i]->hi < *hi)
            *hi = terms[i]->hi;
    }
    return asked;
}

/* When a search that found nothing asked for dates the archive has no article in, a notice saying
 * which dates it has ("02/09/2019–02/05/2021"), into out (empty otherwise). */
static void dates_missed(tc_xreader *r, const tc_search_request *req, const q_node *root, char *out, size_t cap)
{
    int64_t lo, hi, first, last;
    int have = 0;
    out[0] = 0;
    if (!asked_dates(req, root, &lo, &hi) || tc_xreader_date_bounds(r, TC_SLOT_DATE, &have, &first, &last) != TC_OK ||
        !have || (lo <= last && hi >= first))
        return;
    int y1, m1, d1, y2, m2, d2;
    tc_date_civil(first, &y1, &m1, &d1);
    tc_date_civil(last, &y2, &m2, &d2);
    snprintf(out, cap, "no article is dated within the dates asked for; the archive's dates span %02d/%02d/%04d\xe2\x80\x93%02d/%02d/%04d",
             d1, m1, y1, d2, m2, y2);
}

typedef struct {
    q_node *node;
    unsigned freq;
} word_freq;

/* Rarest first; a word typed twice next to itself. */
static int by_frequency(const void *a, const void *b)
{
    const word_freq *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? -1 : 1;
    return strcmp(x->node->words[0].folded, y->node->words[0].folded);
}

/* A long question matches on its rarest syllables. The most frequent third of its single loose
 * words become optional (they still weigh in the boosts). Of the rest, the rarest match articles,
 * until their postings would exceed LONG_QUERY_MATCH of the index; the others only add their
 * weight to the articles those match, which spares Xapian a pass over most of the index for
 * words such as "thông tin". The frequencies are the whole index's, so a sharded index picks the
 * same words as one database (Xapian's OP_ELITE_SET picks per shard). */
static void keep_rarest(tc_xreader *r, q_node *root)
{
    if (!root || root->kind != Q_AND || loose_words(root) < LONG_QUERY)
        return;
    word_freq single[TC_QUERY_MAX_WORDS];
    size_t n = 0;
    for (size_t i = 0; i < root->kid_count && n < TC_QUERY_MAX_WORDS; i++) {
        q_node *k = root->kids[i];
        if (k->kind == Q_WORDS && !k->field[0] && !k->phrase && !k->optional && k->word_count == 1) {
            char term[TC_WORD_MAX + 1];
            snprintf(term, sizeof term, "F%s", k->words[0].folded);
            single[n].node = k;
            single[n++].freq = tc_xreader_termfreq(r, term, strlen(term));
        }
    }
    qsort(single, n, sizeof *single, by_frequency);
    size_t keep = (size_t)(n * LONG_QUERY_KEEP + 0.5);
    double budget = LONG_QUERY_MATCH * tc_xreader_doccount(r), postings = 0;
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        q_node *k = single[i].node, *before = i ? single[i - 1].node : NULL;
        if (before && !strcmp(k->words[0].folded, before->words[0].folded)) {
            k->optional = before->optional; /* a word typed twice is one word */
            k->weighs_only = before->weighs_only;
            continue;
        }
        size_t rank = distinct;
        distinct += single[i].freq > 0; /* a word the index lacks (a typo) matches nothing: not one */
        postings += single[i].freq;
        k->optional = i >= keep && keep >= 4;
        k->weighs_only = !k->optional && rank >= LONG_QUERY_MATCH_MIN && postings > budget;
    }
}

static tc_xquery *key_filter(const char *prefix, const char *value)
{
    char key[200];
    size_t n = tc_document_key(value, strlen(value), key, sizeof key);
    return n ? prefixed_term(prefix, key) : tc_xquery_term("", 0, 1);
}

static tc_xquery *name_filter(const char *value)
{
    char folded[200] = "";
    tc_query *parsed = tc_query_parse(value, strlen(value));
    if (parsed && parsed->root) {
        const q_node *r = parsed->root;
        const q_node *const *kids = r->kind == Q_WORDS ? &r : (const q_node *const *)r->kids;
        size_t count = r->kind == Q_WORDS ? 1 : r->kid_count;
        for (size_t i = 0; i < count; i++)
            for (size_t k = 0; kids[i]->kind == Q_WORDS && k < kids[i]->word_count; k++) {
                size_t l = strlen(folded);
                snprintf(folded + l, sizeof folded - l, "%s%s", l ? " " : "", kids[i]->words[k].folded);
            }
    }
    tc_query_free(parsed);
    return prefixed_term("N", folded);
}

/* Applies the request's own filters (parameters, not query syntax) to q. */
static tc_xquery *apply_filters(tc_xquery *q, const tc_search_request *req)
{
    qlist filters = {0};
    if (req->have_from || req->have_to)
        ql_add(&filters, tc_xquery_date_range(TC_SLOT_DATE, req->have_from, req->from, req->have_to, req->to));
    if (req->author && *req->author)
        ql_add(&filters, key_filter("XA", req->author));
    if (req->category && *req->category)
        ql_add(&filters, key_filter("XK", req->category));
    if (req->source && *req->source)
        ql_add(&filters, key_filter("XO", req->source));
    if (req->name && *req->name)
        ql_add(&filters, name_filter(req->name));
    tc_xquery *filter = ql_combine(&filters, TC_XOP_AND);
    return q ? join(TC_XOP_FILTER, q, filter) : filter;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *sort_name(tc_sort s)
{
    return s == TC_SORT_NEWEST ? "newest" : s == TC_SORT_OLDEST ? "oldest" : "relevance";
}

static json_t *facet_array(const tc_xfacet *f)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < f->count; i++)
        json_array_append_new(arr, json_pack("{s:s,s:i}", "value", f->values[i].value, "count", (json_int_t)f->values[i].count));
    return arr;
}

static int by_month(const void *a, const void *b)
{
    const tc_xfacet_value *x = a, *y = b;
    return strcmp(x->value, y->value);
}

/* A listed article: the stored fields a hit shows (null when missing), from its stored data. */
static json_t *listed_article(json_t *data)
{
    json_t *item = json_object();
    static const char *const KEYS[] = {"id", "title", "url", "date", "author", "category", "source"};
    for (size_t k = 0; k < sizeof KEYS / sizeof *KEYS; k++) {
        json_t *v = json_object_get(data, KEYS[k]);
        json_object_set(item, KEYS[k], v ? v : json_null());
    }
    return item;
}

static json_t *hit_object(const tc_xhit *h, const tc_query *q, json_t *data)
{
    json_t *hit = listed_article(data);
    json_object_set_new(hit, "score", json_real(h->score));
    const char *title = json_string_value(json_object_get(data, "title"));
    const char *body = json_string_value(json_object_get(data, "body"));
    const char *summary = json_string_value(json_object_get(data, "summary"));
    char *title_html = tc_snippet(title ? title : "", title ? strlen(title) : 0, q, 0, 1);
    /* the lead and the body as one text, so the best passage may come from either */
    size_t ls = summary ? strlen(summary) : 0, lb = body ? strlen(body) : 0, sep = ls && lb;
    char *text = malloc(ls + lb + 2);
    char *snippet = NULL;
    if (text) {
        memcpy(text, summary ? summary : "", ls);
        text[ls] = '\n'; /* between the two; overwritten when either is missing */
        memcpy(text + ls + sep, body ? body : "", lb);
        text[ls + sep + lb] = 0;
        snippet = tc_snippet(text, ls + sep + lb, q, SNIPPET_BYTES, 0);
        free(text);
    }
    json_object_set_new(hit, "title_html", json_string(title_html ? title_html : ""));
    json_object_set_new(hit, "snippet", json_string(snippet ? snippet : ""));
    free(title_html);
    free(snippet);
    return hit;
}

static int by_score(const void *a, const void *b)
{
    const tc_xhit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* Waits for the count begun with tc_xreader_count_begin and, when both it and the caller's part
 * (st) succeeded, puts its total and facets into res, which has the page. */
static tc_status finish_counts(tc_xreader *r, tc_status st, tc_xresults *res)
{
    tc_xresults counted;
    tc_status counted_st = tc_xreader_count_wait(r, &counted);
    if (st == TC_OK)
        st = counted_st;
    if (st == TC_OK) {
        res->estimated = counted.estimated;
        res->lower_bound = counted.lower_bound;
        res->upper_bound = counted.upper_bound;
        tc_xfacet *facets = res->facets;
        size_t facet_count = res->facet_count;
        res->facets = counted.facets;
        res->facet_count = counted.facet_count;
        counted.facets = facets;
        counted.facet_count = facet_count;
    }
    tc_xresults_free(&counted);
    return st;
}

/* How deep Xapian's shortlist goes when boosts of one term are left to score on it. */
static unsigned word_boost_depth(unsigned depth)
{
    return depth < SHORTLIST_DEEP ? SHORTLIST_DEEP : depth;
}

/* Ranked by relevance: Xapian ranks a shortlist on every weight but the boosts in pos. Those of one
 * term (a long query's frequent words) are added first, on a shortlist of SHORTLIST_DEEP, which is
 * then cut to depth; those with positions are added to that, before it is sorted again and the
 * page is cut from it. The total and the facets come from the params' count query, counted on
 * another thread meanwhile, or else from Xapian's estimate. */
static tc_status search_ranked(tc_xreader *r, const tc_xquery *xq, const pos_list *pos, unsigned depth,
                               const tc_xsearch_params *params, tc_xresults *res)
{
    memset(res, 0, sizeof *res);
    tc_xpos_boost *boosts = pos->count ? malloc(pos->count * sizeof *boosts) : NULL;
    if (pos->count && !boosts)
        return TC_ERR_NOMEM;
    size_t words = 0; /* the boosts of one term, first in boosts */
    for (size_t i = 0; i < pos->count; i++)
        if (pos->items[i].count == 1)
            boosts[words++] = pos->items[i];
    for (size_t i = 0, k = words; i < pos->count; i++)
        if (pos->items[i].count > 1)
            boosts[k++] = pos->items[i];
    if (params->count_query)
        tc_xreader_count_begin(r, params);
    unsigned ranked = words ? word_boost_depth(depth) : depth;
    tc_xsearch_params first = {0, ranked, TC_SORT_RELEVANCE, TC_SLOT_DATE, TC_BM25_K1, TC_BM25_B, NULL, 0, NULL, NULL, 0};
    tc_xresults shortlist;
    tc_status st = tc_xreader_search(r, xq, &first, &shortlist);
    if (st == TC_OK && words) {
        st = tc_xreader_add_position_boosts(r, shortlist.hits, shortlist.hit_count, depth, boosts, words,
                                            TC_BM25_K1, TC_BM25_B, TC_SLOT_ID, "Q");
        if (shortlist.hit_count > 1)
            qsort(shortlist.hits, shortlist.hit_count, sizeof *shortlist.hits, by_score);
        if (shortlist.hit_count > depth)
            shortlist.hit_count = depth; /* no data loaded yet: nothing to free in the rest */
    }
    if (st == TC_OK && pos->count > words)
        st = tc_xreader_add_position_boosts(r, shortlist.hits, shortlist.hit_count, params->offset + params->limit,
                                            boosts + words, pos->count - words, TC_BM25_K1, TC_BM25_B, TC_SLOT_ID,
                                            "Q");
    free(boosts);
    if (shortlist.hit_count > 1) /* a failed search has no list at all */
        qsort(shortlist.hits, shortlist.hit_count, sizeof *shortlist.hits, by_score);
    size_t from = params->offset < shortlist.hit_count ? params->offset : shortlist.hit_count;
    size_t count = shortlist.hit_count - from < params->limit ? shortlist.hit_count - from : params->limit;
    if (st == TC_OK)
        st = tc_xreader_load_data(r, shortlist.hits + from, count);
    if (params->count_query) {
        st = finish_counts(r, st, res);
    } else {
        res->estimated = shortlist.estimated;
        res->lower_bound = shortlist.lower_bound;
        res->upper_bound = shortlist.upper_bound;
    }
    tc_xhit *page = st == TC_OK ? malloc((count + 1) * sizeof *page) : NULL;
    if (st == TC_OK && !page)
        st = TC_ERR_NOMEM;
    if (page) {
        memcpy(page, shortlist.hits + from, count * sizeof *page);
        for (size_t i = from; i < from + count; i++)
            shortlist.hits[i].data = NULL; /* now the page's */
        res->hits = page;
        res->hit_count = count;
    }
    if (st != TC_OK)
        tc_xresults_free(res);
    tc_xresults_free(&shortlist);
    return st;
}

/* Sorted by date (or only filtered): Xapian's date-ordered page here, the count on another thread. */
static tc_status search_sorted(tc_xreader *r, const tc_xquery *xq, const tc_xsearch_params *params, tc_xresults *res)
{
    if (!params->count_query)
        return tc_xreader_search(r, xq, params, res);
    tc_xreader_count_begin(r, params);
    tc_xsearch_params page = *params;
    page.count_query = NULL;
    tc_status st = finish_counts(r, tc_xreader_search(r, xq, &page, res), res);
    if (st != TC_OK)
        tc_xresults_free(res);
    return st;
}

/* The boosts scored on the shortlist, in words, for --explain: those of one term on the deeper
 * shortlist, then those with positions on the best depth. */
static char *describe_later(const pos_list *pos, unsigned depth)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    if (!f)
        return NULL;
    for (size_t positional = 0; positional < 2; positional++) {
        int first = 1;
        for (size_t i = 0; i < pos->count; i++) {
            const tc_xpos_boost *b = &pos->items[i];
            if ((b->count > 1) != positional)
                continue;
            if (first)
                fprintf(f, "%sthen on the best %u:", ftell(f) ? "; " : "", positional ? depth : word_boost_depth(depth));
            first = 0;
            if (!positional) {
                fprintf(f, " %.1f*%s", b->factor, b->terms[0]);
                if (b->minus)
                    fprintf(f, "-\"%s*\"", b->minus);
                continue;
            }
            if (b->window)
                fprintf(f, " %.1f*near/%u(", b->factor, b->window);
            else
                fprintf(f, " %.1f*phrase(", b->factor);
            for (size_t k = 0; k < b->count; k++)
                fprintf(f, "%s%s", k ? " " : "", b->terms[k]);
            fputc(')', f);
        }
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The page's work, shared by the caller's thread and a helper: the hits' stored data decoded (the
 * caller takes the first half, the helper the rest), then, once both are done, the suggestion read
 * from them on the helper, while the hits' JSON, snippets included, is built by whichever thread
 * is free for the next hit. */
typedef struct {
    tc_xreader *r;
    const tc_xhit *hits;
    const tc_query *q;
    const char *text; /* the query as typed, for the suggestion; NULL when none is asked */
    size_t count;
    json_t **datas, **objects;
    char *suggestion;
    int corrected;
    atomic_size_t next; /* the next hit whose JSON is to be built */
    pthread_barrier_t decoded;
} page_work;

static void decode_hits(page_work *w, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        json_t *data = tc_stored_decode(w->hits[i].data, w->hits[i].data_len);
        w->datas[i] = data ? data : json_object();
    }
}

static void build_hits(page_work *w)
{
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->count;)
        w->objects[i] = hit_object(&w->hits[i], w->q, w->datas[i]);
}

/* Everything after the decoding, which both threads have done: the suggestion, then hits until
 * none is left. */
static void suggest_and_build(page_work *w)
{
    if (w->text) {
        json_t *datas = json_array();
        for (size_t i = 0; i < w->count; i++)
            json_array_append(datas, w->datas[i]);
        w->suggestion = tc_suggest(w->r, w->text, w->q, datas, &w->corrected);
        json_decref(datas);
    }
    build_hits(w);
}

static void *page_helper(void *arg)
{
    page_work *w = arg;
    decode_hits(w, w->count / 2, w->count);
    pthread_barrier_wait(&w->decoded);
    suggest_and_build(w);
    return NULL;
}

/* Fills w's datas, objects and suggestion, with a helper thread when there are two
 * hits or more and one can be had. */
static void build_page(page_work *w)
{
    atomic_init(&w->next, 0);
    pthread_t helper;
    int helping = w->count > 1 && pthread_barrier_init(&w->decoded, NULL, 2) == 0;
    if (helping && pthread_create(&helper, NULL, page_helper, w) != 0) {
        pthread_barrier_destroy(&w->decoded);
        helping = 0;
    }
    if (!helping) {
        decode_hits(w, 0, w->count);
        suggest_and_build(w);
        return;
    }
    decode_hits(w, 0, w->count / 2);
    pthread_barrier_wait(&w->decoded);
    build_hits(w);
    pthread_join(helper, NULL);
    pthread_barrier_destroy(&w->decoded);
}

/* The answer for the corrected query instead of req's, which found no article with every word
 * ("ha nnoi mua lu"): when it has articles with every word, it is searched as typed, and its answer
 * keeps the query as typed in "query" and names the corrected one in "corrected". Else NULL. */
static json_t *corrected_search(tc_xreader *r, const tc_search_request *req, const char *corrected)
{
    tc_search_request again = *req;
    again.query = corrected;
    again.as_typed = 1;
    json_t *res = NULL;
    char err[256];
    if (tc_search_run(r, &again, &res, err, sizeof err) != TC_OK)
        return NULL;
    if (json_is_true(json_object_get(res, "relaxed")) || json_integer_value(json_object_get(res, "total")) == 0) {
        json_decref(res);
        return NULL;
    }
    json_object_set_new(res, "query", json_string(req->query ? req->query : ""));
    json_object_set_new(res, "corrected", json_string(corrected));
    return res;
}

json_t *tc_search_shards(tc_xreader *r)
{
    json_t *missed = json_array();
    for (size_t i = 0, n = tc_xreader_shard_count(r); i < n; i++) {
        int up;
        const char *name = tc_xreader_shard(r, i, &up);
        if (!up)
            json_array_append_new(missed, json_string(name));
    }
    return json_pack("{s:i,s:o}", "total", (json_int_t)tc_xreader_shard_count(r), "missed", missed);
}

void tc_search_warn_positions(tc_xreader *r, const char *who)
{
    int64_t forms = 0;
    if (tc_xreader_has_remote(r) && tc_xreader_metadata_max(r, "tracuu:forms", &forms) == TC_OK &&
        forms >= TC_FORMS_POSITIONS_SLOT)
        fprintf(stderr,
                "%s: warning: with remote shards, quoted phrases find nothing in a shard that keeps word positions in a "
                "value (an index built without --positions xapian; docs/operations.md)\n",
                who);
}

tc_status tc_search_run(tc_xreader *r, const tc_search_request *req, json_t **out, char *err, size_t errlen)
{
    double started = now_ms();
    *out = NULL;
    const char *text = req->query ? req->query : "";
    tc_query *q = tc_query_parse(text, strlen(text));
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return TC_ERR_NOMEM;
    }
    keep_rarest(r, q->root);
    unsigned forms = index_forms(r);
    int relaxed = 0;
    char *explained = NULL;
    static const unsigned SLOTS[] = {TC_SLOT_YEAR, TC_SLOT_CATEGORY, TC_SLOT_AUTHOR, TC_SLOT_NAMES, TC_SLOT_MONTH};
    static const unsigned LIMITS[] = {FACET_VALUES, FACET_VALUES, FACET_VALUES, FACET_VALUES, 0}; /* every month */
    tc_xresults res;
    tc_status st;
    for (;;) {
        unsigned mode = relaxed ? BUILD_RELAXED : 0;
        pos_list pos = {.forms = forms};
        tc_xquery *xq = q->root ? build(r, q->root, mode, req->sort == TC_SORT_RELEVANCE ? &pos : NULL) : NULL;
        tc_xquery *bare = q->root && req->facets ? build(r, q->root, mode | BUILD_BARE, NULL) : NULL;
        int filters_only = !xq, ranked = xq && req->sort == TC_SORT_RELEVANCE;
        xq = apply_filters(xq, req);
        if (!xq)
            xq = tc_xquery_match_all();
        if (req->facets) {
            bare = apply_filters(bare, req);
            if (!bare)
                bare = tc_xquery_match_all();
        }
        tc_xsearch_params params = {req->offset, req->limit, req->sort, TC_SLOT_DATE, TC_BM25_K1, TC_BM25_B,
                                    req->facets ? SLOTS : NULL, req->facets ? 5 : 0, LIMITS, bare, 1};
        if (filters_only && req->sort == TC_SORT_RELEVANCE)
            params.sort = TC_SORT_NEWEST; /* nothing to rank by: newest first */
        unsigned depth = loose_words(q->root) > 3 ? SHORTLIST_LONG : SHORTLIST;
        if (req->offset + req->limit > depth)
            depth = req->offset + req->limit;
        if (req->explain && xq) {
            free(explained);
            explained = tc_xquery_describe(xq);
            char *later = pos.count ? describe_later(&pos, depth) : NULL;
            char *joined = explained && later ? malloc(strlen(explained) + strlen(later) + 3) : NULL;
            if (joined) {
                sprintf(joined, "%s; %s", explained, later);
                free(explained);
                explained = joined;
            }
            free(later);
        }
        if (!xq || (req->facets && !bare))
            st = TC_ERR_NOMEM;
        else if (ranked)
            st = search_ranked(r, xq, &pos, depth, &params, &res);
        else
            st = search_sorted(r, xq, &params, &res);
        pos_free(&pos);
        tc_xquery_free(xq);
        tc_xquery_free(bare);
        if (st != TC_OK) {
            snprintf(err, errlen, "%s", tc_xreader_error(r));
            tc_query_free(q);
            free(explained);
            return st;
        }
        if (res.hit_count == 0 && res.estimated == 0 && !relaxed && loose_words(q->root) >= 2) {
            tc_xresults_free(&res);
            relaxed = 1; /* no article has every word: rank those with most of them */
            continue;
        }
        break;
    }
    json_t **built = calloc(2 * res.hit_count + 1, sizeof *built);
    if (!built) {
        snprintf(err, errlen, "out of memory");
        tc_xresults_free(&res);
        tc_query_free(q);
        free(explained);
        return TC_ERR_NOMEM;
    }
    page_work page = {.r = r, .hits = res.hits, .q = q, .text = req->suggest ? text : NULL, .count = res.hit_count,
                      .datas = built, .objects = built + res.hit_count};
    build_page(&page);
    json_t *hits = json_array();
    for (size_t i = 0; i < res.hit_count; i++) {
        json_decref(built[i]); /* its hit holds what it shows */
        json_array_append_new(hits, built[res.hit_count + i]);
    }
    free(built);
    int corrected = page.corrected;
    char *suggestion = page.suggestion;
    json_t *instead = relaxed && corrected && !req->as_typed ? corrected_search(r, req, suggestion) : NULL;
    if (instead) {
        json_decref(hits);
        free(suggestion);
        tc_xresults_free(&res);
        tc_query_free(q);
        free(explained);
        json_object_set_new(instead, "took_ms", json_real(now_ms() - started));
        *out = instead;
        return TC_OK;
    }

    json_t *result = json_object();
    json_object_set_new(result, "query", json_string(text));
    json_object_set_new(result, "total", json_integer(res.estimated));
    json_object_set_new(result, "total_exact", json_boolean(res.lower_bound == res.upper_bound));
    json_object_set_new(result, "offset", json_integer(req->offset));
    json_object_set_new(result, "limit", json_integer(req->limit));
    json_object_set_new(result, "sort", json_string(sort_name(req->sort)));
    json_object_set_new(result, "relaxed", json_boolean(relaxed));
    json_object_set_new(result, "hits", hits);
    if (req->facets) {
        json_t *facets = json_object();
        static const char *const NAMES[] = {"year", "category", "author", "names"};
        for (size_t i = 0; i < 4 && i < res.facet_count; i++)
            json_object_set_new(facets, NAMES[i], facet_array(&res.facets[i]));
        json_object_set_new(result, "facets", facets);
        json_t *timeline = json_array();
        if (res.facet_count == 5) {
            tc_xfacet *months = &res.facets[4];
            if (months->count > 1)
                qsort(months->values, months->count, sizeof *months->values, by_month);
            for (size_t i = 0; i < months->count; i++)
                json_array_append_new(timeline, json_pack("{s:s,s:i}", "month", months->values[i].value, "count",
                                                          (json_int_t)months->values[i].count));
        }
        json_object_set_new(result, "timeline", timeline);
    }
    json_object_set_new(result, "suggestion", suggestion ? json_string(suggestion) : json_null());
    json_object_set_new(result, "corrected", json_null());
    free(suggestion);
    json_t *notices = json_array();
    if (q->notices[0]) {
        char *copy = strdup(q->notices);
        for (char *save = NULL, *part = copy ? strtok_r(copy, "\n", &save) : NULL; part; part = strtok_r(NULL, "\n", &save))
            json_array_append_new(notices, json_string(part));
        free(copy);
    }
    if (relaxed)
        json_array_append_new(notices, json_string(res.estimated          ? "no article has every word; showing those with most of them"
                                                   : filtered(req, q->root) ? "no article within the filters has any of these words"
                                                                            : "no article has any of these words"));
    char missed[160];
    if (!res.estimated) {
        dates_missed(r, req, q->root, missed, sizeof missed);
        if (missed[0])
            json_array_append_new(notices, json_string(missed));
    }
    json_t *shards = tc_search_shards(r);
    json_object_set_new(result, "notices", notices);
    json_object_set_new(result, "partial", json_boolean(json_array_size(json_object_get(shards, "missed")) > 0));
    json_object_set_new(result, "shards", shards);
    tc_xresults_free(&res);
    tc_query_free(q);
    if (explained) {
        json_object_set_new(result, "explain", json_string(explained));
        free(explained);
    }
    json_object_set_new(result, "took_ms", json_real(now_ms() - started));
    *out = result;
    return TC_OK;
}

/* The unique term of an article id, malloc'd. */
static char *id_term(const char *id)
{
    size_t n = strlen(id);
    char *idterm = malloc(n + 2);
    if (idterm) {
        idterm[0] = 'Q';
        memcpy(idterm + 1, id, n + 1);
    }
    return idterm;
}

tc_status tc_search_related(tc_xreader *r, const char *id, json_t **out, char *err, size_t errlen)
{
    *out = NULL;
    char *idterm = id_term(id);
    if (!idterm)
        return TC_ERR_NOMEM;
    tc_xresults like;
    tc_status st = tc_xreader_related(r, idterm, "FSN", RELATED_TERMS, RELATED, &like); /* words, title words, names */
    free(idterm);
    if (st != TC_OK) {
        snprintf(err, errlen, "%s", tc_xreader_error(r));
        return st;
    }
    json_t *related = json_array();
    for (size_t i = 0; i < like.hit_count && like.hits[i].score >= like.hits[0].score * RELATED_SHARE; i++) {
        json_t *data = tc_stored_decode(like.hits[i].data, like.hits[i].data_len);
        if (!data)
            continue; /* a damaged article is left out, not shown empty */
        json_array_append_new(related, listed_article(data));
        json_decref(data);
    }
    tc_xresults_free(&like);
    *out = related;
    return TC_OK;
}

tc_status tc_search_article(tc_xreader *r, const char *id, json_t **out, char *err, size_t errlen)
{
    *out = NULL;
    char *idterm = id_term(id);
    if (!idterm)
        return TC_ERR_NOMEM;
    char *data = NULL;
    size_t len = 0;
    tc_status st = tc_xreader_get_data(r, idterm, &data, &len);
    free(idterm);
    if (st != TC_OK) {
        snprintf(err, errlen, "%s", st == TC_ERR_NOTFOUND ? "no article with this id" : tc_xreader_error(r));
        return st;
    }
    *out = tc_stored_decode(data, len);
    free(data);
    if (!*out) {
        snprintf(err, errlen, "the stored article is damaged");
        return TC_ERR_CORRUPT;
    }
    return TC_OK;
}
