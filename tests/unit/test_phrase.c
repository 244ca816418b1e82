/* test_phrase.c — table tests of phrases and NEAR over both position stores: each row's syllables
 * (and joined forms) written once with positions in Xapian's table and once in the positions value,
 * and each row's phrase must find its article in both or in neither. A syllable marked ^ is also the
 * title's (an "S" term); a phrase word marked S: is a title word. */
#include "check.h"
#include "xapian_c.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYLLABLES 12

static const struct {
    const char *syllables[MAX_SYLLABLES]; /* "word@position"; no position: the next one */
    tc_xop op;
    const char *phrase[4];
    enum { NEITHER, BOTH, VALUE_ONLY } found; /* VALUE_ONLY: a shared hash, below */
} ROWS[] = {
    {{"gia", "vang", "tang"}, TC_XOP_PHRASE, {"gia", "vang"}, BOTH},
    {{"gia", "vang", "tang"}, TC_XOP_PHRASE, {"vang", "gia"}, NEITHER},
    {{"gia", "vang", "tang"}, TC_XOP_PHRASE, {"gia", "tang"}, NEITHER},
    {{"gia", "vang", "tang"}, TC_XOP_PHRASE, {"gia", "vang", "tang"}, BOTH},
    {{"gia", "vang", "tang"}, TC_XOP_PHRASE, {"gia", "vang", "giam"}, NEITHER},
    {{"vang", "gia", "xang", "gia", "vang"}, TC_XOP_PHRASE, {"gia", "vang"}, BOTH}, /* the second time */
    {{"vang", "gia", "xang", "gia", "lua"}, TC_XOP_PHRASE, {"gia", "vang"}, NEITHER},
    {{"ha", "ha", "noi"}, TC_XOP_PHRASE, {"ha", "ha", "noi"}, BOTH},
    {{"ha", "noi", "ha"}, TC_XOP_PHRASE, {"ha", "ha"}, NEITHER},
    /* a joined form stands at its first part's position */
    {{"covid@0", "19@1", "covid19@0", "tang@2"}, TC_XOP_PHRASE, {"covid", "19"}, BOTH},
    {{"covid@0", "19@1", "covid19@0", "tang@2"}, TC_XOP_PHRASE, {"covid19", "tang"}, NEITHER},
    {{"covid@0", "19@1", "covid19@0", "tang@2"}, TC_XOP_PHRASE, {"19", "tang"}, BOTH},
    {{"covid@0", "19@1", "covid19@0", "tang@2"}, TC_XOP_PHRASE, {"covid19", "19"}, BOTH},
    /* fields are 100 positions apart: no phrase spans two */
    {{"song@3", "lam@4", "khanh@104"}, TC_XOP_PHRASE, {"lam", "khanh"}, NEITHER},
    {{"song@3", "lam@4", "khanh@104"}, TC_XOP_PHRASE, {"song", "lam"}, BOTH},
    /* NEAR: within the phrase's length plus two, in any order */
    {{"thuyen", "ve", "muon", "rong"}, TC_XOP_NEAR, {"rong", "thuyen"}, BOTH},
    {{"thuyen", "a", "b", "c", "rong"}, TC_XOP_NEAR, {"thuyen", "rong"}, NEITHER},
    {{"thuyen", "a", "b", "rong"}, TC_XOP_NEAR, {"thuyen", "rong"}, BOTH},
    {{"dua", "a", "b", "thuyen", "rong"}, TC_XOP_NEAR, {"dua", "thuyen", "rong"}, BOTH},
    {{"dua", "a", "b", "c", "thuyen", "rong"}, TC_XOP_NEAR, {"dua", "thuyen", "rong"}, NEITHER},
    /* 5000d and mutter share a position hash: the value store takes one for the other, where an
     * article holds both (the only such pair among the 38k corpus's folded syllables) */
    {{"mutter", "xe", "5000d"}, TC_XOP_PHRASE, {"5000d", "xe"}, VALUE_ONLY},
    {{"mutter", "xe", "5000d"}, TC_XOP_PHRASE, {"xe", "5000d"}, BOTH},
    {{"mutter", "xe", "xe"}, TC_XOP_PHRASE, {"5000d", "xe"}, NEITHER}, /* not without the other */
    /* the title's syllables: the first positions, the value's title end after them */
    {{"song^", "lam^", "khanh", "thanh"}, TC_XOP_PHRASE, {"S:song", "S:lam"}, BOTH},
    {{"song^", "lam^", "khanh", "thanh"}, TC_XOP_PHRASE, {"S:lam", "S:khanh"}, NEITHER},
    {{"song^", "lam^", "khanh", "thanh"}, TC_XOP_PHRASE, {"lam", "khanh"}, BOTH},
    {{"gia^", "x^", "gia@100", "vang@101"}, TC_XOP_PHRASE, {"S:gia", "S:vang"}, NEITHER},
    {{"gia^", "x^", "gia@100", "vang@101"}, TC_XOP_PHRASE, {"gia", "vang"}, BOTH},
    {{"ca^", "gia^", "vang^", "ca"}, TC_XOP_NEAR, {"S:vang", "S:ca"}, BOTH},
};
#define ROW_COUNT (sizeof ROWS / sizeof *ROWS)

/* Writes every row's article into a new database at dir, its positions in the value (in_value) or
 * in Xapian's table. */
static int write_rows(const char *dir, int in_value)
{
    char err[256];
    tc_xwriter *w;
    if (tc_xwriter_open(dir, &w, err, sizeof err) != TC_OK) {
        fprintf(stderr, "%s: %s\n", dir, err);
        return -1;
    }
    for (size_t i = 0; i < ROW_COUNT; i++) {
        tc_xdoc *doc = tc_xdoc_new();
        unsigned next = 0, title_end = 0;
        for (size_t k = 0; k < MAX_SYLLABLES && ROWS[i].syllables[k]; k++) {
            char word[64], term[70];
            unsigned pos = next;
            if (sscanf(ROWS[i].syllables[k], "%63[^@]@%u", word, &pos) < 1)
                continue;
            next = pos + 1;
            size_t len = strlen(word);
            int in_title = len > 1 && word[len - 1] == '^';
            word[len -= (size_t)in_title] = 0;
            for (const char *prefix = "F"; prefix; prefix = in_title && *prefix == 'F' ? "S" : NULL) {
                int n = snprintf(term, sizeof term, "%s%s", prefix, word);
                if (in_value)
                    tc_xdoc_add_term(doc, term, (size_t)n, 1);
                else
                    tc_xdoc_add_posting(doc, term, (size_t)n, pos, 1);
            }
            if (in_value)
                tc_xdoc_add_position(doc, word, len, pos);
            if (in_title)
                title_end = pos + 1;
        }
        if (in_value)
            tc_xdoc_set_title_end(doc, title_end);
        char id[32];
        int n = snprintf(id, sizeof id, "Qrow%zu", i);
        tc_xdoc_add_boolean(doc, id, (size_t)n);
        tc_xdoc_set_data(doc, id + 1, (size_t)n - 1);
        tc_xdoc_finish(doc);
        int replaced;
        tc_status st = tc_xwriter_replace(w, id, doc, &replaced);
        tc_xdoc_free(doc);
        if (st != TC_OK) {
            fprintf(stderr, "%s: %s\n", dir, tc_xwriter_error(w));
            tc_xwriter_free(w);
            return -1;
        }
    }
    tc_status st = tc_xwriter_commit(w);
    tc_xwriter_free(w);
    return st == TC_OK ? 0 : -1;
}

/* Whether row i's phrase finds row i's article in the database at dir. */
static int finds_row(tc_xreader *r, size_t i)
{
    tc_xquery *terms[4];
    size_t count = 0;
    for (; count < 4 && ROWS[i].phrase[count]; count++) {
        char term[70];
        const char *word = ROWS[i].phrase[count];
        int title = !strncmp(word, "S:", 2);
        int n = snprintf(term, sizeof term, "%s%s", title ? "S" : "F", word + (title ? 2 : 0));
        terms[count] = tc_xquery_term(term, (size_t)n, 1);
    }
    tc_xquery *q = tc_xquery_combine(ROWS[i].op, terms, count);
    for (size_t k = 0; k < count; k++)
        tc_xquery_free(terms[k]);
    tc_xsearch_params params = {0, ROW_COUNT, TC_SORT_RELEVANCE, 0, 1.2, 0.75, NULL, 0, NULL, NULL, 1};
    tc_xresults res;
    char want[32];
    snprintf(want, sizeof want, "row%zu", i);
    int found = 0;
    if (q && tc_xreader_search(r, q, &params, &res) == TC_OK) {
        for (size_t h = 0; h < res.hit_count; h++)
            found |= res.hits[h].data_len == strlen(want) && !memcmp(res.hits[h].data, want, strlen(want));
        tc_xresults_free(&res);
    }
    tc_xquery_free(q);
    return found;
}

int main(void)
{
    char dirs[2][64], top[] = "/tmp/tracuu-test-phrase-XXXXXX";
    if (!mkdtemp(top)) {
        perror("mkdtemp");
        return 1;
    }
    tc_xreader *readers[2] = {NULL, NULL};
    for (int in_value = 0; in_value < 2; in_value++) {
        char err[256];
        snprintf(dirs[in_value], sizeof dirs[in_value], "%s/%s", top, in_value ? "value" : "table");
        CHECK(write_rows(dirs[in_value], in_value) == 0, "writing %s", dirs[in_value]);
        CHECK(tc_xreader_open(dirs[in_value], &readers[in_value], err, sizeof err) == TC_OK, "%s: %s", dirs[in_value],
              err);
    }
    static const char *const STORE[] = {"Xapian's table", "the value"};
    for (size_t i = 0; i < ROW_COUNT && readers[0] && readers[1]; i++)
        for (int in_value = 0; in_value < 2; in_value++) {
            int want = ROWS[i].found == BOTH || (in_value && ROWS[i].found == VALUE_ONLY);
            int got = finds_row(readers[in_value], i);
            CHECK(got == want, "row %zu (%s): found %d, want %d", i, STORE[in_value], got, want);
        }
    for (int in_value = 0; in_value < 2; in_value++)
        tc_xreader_free(readers[in_value]);
    char command[80];
    snprintf(command, sizeof command, "rm -rf %s", top);
    if (system(command) != 0)
        fprintf(stderr, "could not remove %s\n", top);
    return check_report();
}
