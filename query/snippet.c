/* snippet.c — the passage of an article that best shows why it matched, HTML-escaped, matches in <mark>.
 * Matching is on folded forms and highlighting on the analyser's byte offsets, so NFD text works too. */
#include "query.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUERY_WORDS 64
#define MAX_MATCHES 512

typedef struct {
    const char *words[MAX_QUERY_WORDS];
    size_t lens[MAX_QUERY_WORDS];
    /* a word of a phrase (quoted, glued or a name): the index of the phrase's first word and its
     * length, so that it is marked only where the whole phrase stands; -1 for a loose word */
    int phrase_first[MAX_QUERY_WORDS];
    size_t phrase_len[MAX_QUERY_WORDS];
    size_t count;
} word_set;

typedef struct {
    size_t start, end;
    size_t token;   /* the token's index in the text; NO_TOKEN for a joined form ("covid19") */
    uint64_t words; /* every query word it matches */
    int word;       /* the one it is marked for (after keep_phrases) */
} match;

#define NO_TOKEN ((size_t)-1)

typedef struct {
    const word_set *set;
    match *matches;
    size_t count;
    size_t *starts;  /* token start offsets, for window edges */
    size_t *ends;
    size_t *match_of; /* per token (below cap): its index in matches, or NO_TOKEN */
    size_t tokens, cap;
} scan;

static void collect_words(const q_node *n, word_set *set)
{
    if (!n || n->kind == Q_NOT || n->kind == Q_DATE)
        return;
    if (n->kind == Q_WORDS && strcmp(n->field, "A") && strcmp(n->field, "K") && strcmp(n->field, "O")) {
        size_t first = set->count;
        int phrase = n->word_count > 1 && first + n->word_count <= MAX_QUERY_WORDS;
        for (size_t i = 0; i < n->word_count && set->count < MAX_QUERY_WORDS; i++) {
            set->lens[set->count] = strlen(n->words[i].folded);
            set->phrase_first[set->count] = phrase ? (int)first : -1;
            set->phrase_len[set->count] = n->word_count;
            set->words[set->count++] = n->words[i].folded;
        }
        return;
    }
    for (size_t i = 0; i < n->kid_count; i++)
        collect_words(n->kids[i], set);
}

static int on_token(void *ctx, const tc_token *t)
{
    scan *s = ctx;
    size_t token = NO_TOKEN;
    if (!(t->flags & TC_TOKEN_JOINED) && s->tokens < s->cap) {
        token = s->tokens++;
        s->starts[token] = t->start;
        s->ends[token] = t->end;
        s->match_of[token] = NO_TOKEN;
    }
    uint64_t words = 0;
    for (size_t i = 0; i < s->set->count; i++)
        if (s->set->lens[i] == t->folded_len && !memcmp(s->set->words[i], t->folded, t->folded_len))
            words |= 1ull << i;
    if (words && s->count < MAX_MATCHES) {
        if (token != NO_TOKEN)
            s->match_of[token] = s->count;
        s->matches[s->count++] = (match){t->start, t->end, token, words, -1};
    }
    return 0;
}

/* Whether match i stands as word w of its phrase: the tokens before and after it match the
 * phrase's other words in order. */
static int in_phrase(const scan *s, size_t i, int w)
{
    const word_set *set = s->set;
    size_t first = (size_t)set->phrase_first[w], at = (size_t)w - first, token = s->matches[i].token;
    if (token == NO_TOKEN || token < at || token - at + set->phrase_len[w] > s->tokens)
        return 0;
    for (size_t k = 0; k < set->phrase_len[w]; k++) {
        size_t m = s->match_of[token - at + k];
        if (m == NO_TOKEN || !(s->matches[m].words & (1ull << (first + k))))
            return 0;
    }
    return 1;
}

/* Keeps the matches of loose words, and those of phrase words where their whole phrase stands
 * (`"bóng đá"` marks no lone "đã"); each is marked for its first such word. */
static void keep_phrases(scan *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++) {
        match *m = &s->matches[i];
        for (size_t w = 0; w < s->set->count && m->word < 0; w++)
            if ((m->words & (1ull << w)) && s->set->phrase_first[w] < 0)
                m->word = (int)w;
        for (size_t w = 0; w < s->set->count && m->word < 0; w++)
            if ((m->words & (1ull << w)) && in_phrase(s, i, (int)w))
                m->word = (int)w;
    }
    for (size_t i = 0; i < s->count; i++)
        if (s->matches[i].word >= 0)
            s->matches[kept++] = s->matches[i];
    s->count = kept;
}

static void append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (!*out)
        return;
    if (*len + n + 1 > *cap) {
        while (*len + n + 1 > *cap)
            *cap *= 2;
        char *grown = realloc(*out, *cap);
        if (!grown) {
            free(*out);
            *out = NULL;
            return;
        }
        *out = grown;
    }
    memcpy(*out + *len, s, n);
    *len += n;
    (*out)[*len] = 0;
}

static void append_escaped(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\n': case '\r': case '\t': rep = " "; break;
        default: break;
        }
        if (rep) {
            append(out, len, cap, s + from, i - from);
            append(out, len, cap, rep, strlen(rep));
            from = i + 1;
        }
    }
    append(out, len, cap, s + from, n - from);
}

/* How well [from, to) shows the match: distinct query words first, then the longest run of query
 * words in the query's order (so a phrase hit shows its phrase), then adjacent pairs. Matches are
 * in text order and first is the first one starting at or after from. */
static int window_score(const scan *s, size_t first, size_t from, size_t to)
{
    unsigned long long seen = 0;
    int distinct = 0, adjacent = 0, run = 1, longest = 0;
    for (size_t i = first; i < s->count && s->matches[i].start < to; i++) {
        const match *m = &s->matches[i];
        if (m->start < from || m->end > to)
            continue;
        if (!(seen & (1ull << m->word))) {
            seen |= 1ull << m->word;
            distinct++;
        }
        if (i + 1 < s->count && s->matches[i + 1].word == m->word + 1 && s->matches[i + 1].start <= m->end + 1 &&
            s->matches[i + 1].end <= to) {
            adjacent++;
            run++;
        } else {
            run = 1;
        }
        if (run > longest)
            longest = run;
    }
    return distinct * 1000 + longest * 100 + adjacent;
}

char *tc_snippet(const char *text, size_t len, const tc_query *q, size_t max_bytes, int whole)
{
    word_set set;
    memset(&set, 0, sizeof set);
    if (q)
        collect_words(q->root, &set);
    size_t cap_tokens = whole ? len / 2 + 2 : (len < 200000 ? len / 2 + 2 : 100000);
    scan s = {&set, malloc(MAX_MATCHES * sizeof(match)), 0, malloc(cap_tokens * sizeof(size_t)),
              malloc(cap_tokens * sizeof(size_t)), malloc(cap_tokens * sizeof(size_t)), 0, cap_tokens};
    size_t cap = 256, out_len = 0;
    char *out = malloc(cap);
    if (!s.matches || !s.starts || !s.ends || !s.match_of || !out) {
        free(s.matches);
        free(s.starts);
        free(s.ends);
        free(s.match_of);
        free(out);
        return NULL;
    }
    out[0] = 0;
    tc_text_analyze(text, len, TC_MODE_FOLDED, on_token, &s);
    keep_phrases(&s);

    size_t from = 0, to = len;
    if (!whole && len > max_bytes && s.tokens > 0) {
        size_t best_token = 0, t = 0, first = 0;
        int best = -1;
        for (size_t i = 0; i < s.count; i++) {
            /* start a little before the match, at a token boundary (both only move forward) */
            while (t + 1 < s.tokens && s.starts[t + 1] + 60 <= s.matches[i].start)
                t++;
            while (first < s.count && s.matches[first].start < s.starts[t])
                first++;
            int score = window_score(&s, first, s.starts[t], s.starts[t] + max_bytes);
            if (score > best) {
                best = score;
                best_token = t;
            }
        }
        from = s.starts[best_token];
        if (best_token == 0)
            from = 0;
        to = from;
        for (size_t t = best_token; t < s.tokens && s.ends[t] <= from + max_bytes; t++)
            to = s.ends[t];
        if (to == from)
            to = s.ends[best_token];
    }
    if (from > 0)
        append(&out, &out_len, &cap, "\xe2\x80\xa6 ", 4);
    size_t at = from;
    for (size_t i = 0; i < s.count; i++) {
        match m = s.matches[i];
        if (m.start < at || m.end > to)
            continue;
        append_escaped(&out, &out_len, &cap, text + at, m.start - at);
        append(&out, &out_len, &cap, "<mark>", 6);
        append_escaped(&out, &out_len, &cap, text + m.start, m.end - m.start);
        append(&out, &out_len, &cap, "</mark>", 7);
        at = m.end;
    }
    append_escaped(&out, &out_len, &cap, text + at, to - at);
    if (to < len)
        append(&out, &out_len, &cap, " \xe2\x80\xa6", 4);
    free(s.matches);
    free(s.starts);
    free(s.ends);
    free(s.match_of);
    return out;
}
