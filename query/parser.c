/* parser.c — the query language: words, "phrases", -exclusion, OR, parentheses, fields, dates.
 * Reads any input without failing: unclosed quotes and brackets are closed, unknown fields become words. */
#include "query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t n, i;
    tc_query *q;
    size_t words;     /* syllables kept so far */
    int depth;
} parser;

static const struct {
    const char *name;
    const char *prefix; /* "" for dates */
} FIELDS[] = {
    {"title", "S"}, {"tieude", "S"}, {"author", "A"}, {"tacgia", "A"}, {"category", "K"},
    {"chuyenmuc", "K"}, {"source", "O"}, {"nguon", "O"}, {"name", "N"}, {"ten", "N"},
    {"date", ""}, {"ngay", ""}, {"year", ""}, {"nam", ""},
};

static void notice(parser *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *c = msg; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = ' '; /* a newline separates notices; what the query said may hold one */
    size_t have = strlen(p->q->notices);
    if (strstr(p->q->notices, msg))
        return;
    snprintf(p->q->notices + have, sizeof p->q->notices - have, "%s%s", have ? "\n" : "", msg);
}

static q_node *node_new(q_kind kind)
{
    q_node *n = calloc(1, sizeof *n);
    if (n)
        n->kind = kind;
    return n;
}

static void node_free(q_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->kid_count; i++)
        node_free(n->kids[i]);
    free(n->kids);
    free(n->words);
    free(n);
}

static void node_add(q_node *parent, q_node *kid)
{
    if (!kid)
        return;
    q_node **grown = realloc(parent->kids, (parent->kid_count + 1) * sizeof *grown);
    if (!grown) {
        node_free(kid);
        return;
    }
    parent->kids = grown;
    parent->kids[parent->kid_count++] = kid;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Opening and closing quotes: " and the curly “ ” (E2 80 9C / 9D). */
static size_t quote_at(const parser *p, size_t i)
{
    if (i < p->n && p->s[i] == '"')
        return 1;
    if (i + 2 < p->n && (unsigned char)p->s[i] == 0xE2 && (unsigned char)p->s[i + 1] == 0x80 &&
        ((unsigned char)p->s[i + 2] == 0x9C || (unsigned char)p->s[i + 2] == 0x9D))
        return 3;
    return 0;
}

static int is_break(const parser *p, size_t i)
{
    return is_space(p->s[i]) || p->s[i] == '(' || p->s[i] == ')' || quote_at(p, i);
}

static void skip_space(parser *p)
{
    while (p->i < p->n && is_space(p->s[p->i]))
        p->i++;
}

typedef struct {
    parser *p;
    q_node *group;   /* where the words go */
    q_node *current; /* the phrase being filled from glued tokens */
    const char *field;
    int phrase;      /* a quoted phrase: every token into one node */
    size_t base;     /* where the analysed text starts in the query */
} word_sink;

static int take_token(void *ctx, const tc_token *t)
{
    word_sink *w = ctx;
    if (w->p->words >= TC_QUERY_MAX_WORDS) {
        notice(w->p, "only the first %d words were searched", TC_QUERY_MAX_WORDS);
        return 1;
    }
    if (t->exact_len >= TC_WORD_MAX || t->folded_len >= TC_WORD_MAX)
        return 0;
    w->p->words++;
    if (!w->current || (!w->phrase && !(t->flags & TC_TOKEN_GLUED))) {
        w->current = node_new(Q_WORDS);
        if (!w->current)
            return 1;
        snprintf(w->current->field, sizeof w->current->field, "%s", w->field);
        w->current->phrase = w->phrase;
        node_add(w->group, w->current);
    } else {
        w->current->phrase = 1;
    }
    q_word *grown = realloc(w->current->words, (w->current->word_count + 1) * sizeof *grown);
    if (!grown)
        return 1;
    w->current->words = grown;
    q_word *qw = &grown[w->current->word_count++];
    memcpy(qw->exact, t->exact, t->exact_len);
    qw->exact[t->exact_len] = 0;
    memcpy(qw->folded, t->folded, t->folded_len);
    qw->folded[t->folded_len] = 0;
    qw->flags = t->flags;
    qw->start = w->base + t->start;
    qw->end = w->base + t->end;
    return 0;
}

/* Analyses text into word nodes appended to group; a phrase puts every syllable in one node. */
static void add_words(parser *p, q_node *group, const char *text, size_t len, const char *field, int phrase)
{
    word_sink w = {p, group, NULL, field, phrase, (size_t)(text - p->s)};
    tc_text_analyze(text, len, TC_MODE_QUERY, take_token, &w);
}

static void parse_date(parser *p, q_node *group, const char *name, const char *v, size_t len)
{
    q_node *d = node_new(Q_DATE);
    if (!d)
        return;
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    int ok = 1;
    if (dots) {
        size_t a = (size_t)(dots - v), b = len - a - 2;
        if (a)
            ok &= (d->has_lo = tc_date_parse_bound(v, a, 0, &d->lo) == TC_OK);
        if (b)
            ok &= (d->has_hi = tc_date_parse_bound(dots + 2, b, 1, &d->hi) == TC_OK);
    } else {
        ok = tc_date_parse_bound(v, len, 0, &d->lo) == TC_OK && tc_date_parse_bound(v, len, 1, &d->hi) == TC_OK;
        d->has_lo = d->has_hi = ok;
    }
    if (!ok || (!d->has_lo && !d->has_hi)) {
        notice(p, "%s:%.*s is not a date or range; ignored", name, (int)(len > 40 ? 40 : len), v);
        node_free(d);
        return;
    }
    if (dots && d->has_lo && d->has_hi && d->lo > d->hi) { /* written the wrong way round */
        size_t a = (size_t)(dots - v);
        tc_date_parse_bound(dots + 2, len - a - 2, 0, &d->lo);
        tc_date_parse_bound(v, a, 1, &d->hi);
        notice(p, "%s:%.*s ends before it begins; its two dates were swapped", name, (int)(len > 40 ? 40 : len), v);
    }
    node_add(group, d);
}

static q_node *parse_or(parser *p);

/* Reads the raw text of one unquoted word starting at p->i. */
static size_t word_end(parser *p, size_t from)
{
    size_t j = from;
    while (j < p->n && !is_break(p, j))
        j++;
    return j;
}

static void parse_quoted(parser *p, q_node *group, const char *field)
{
    p->i += quote_at(p, p->i);
    size_t start = p->i;
    while (p->i < p->n && !quote_at(p, p->i))
        p->i++;
    size_t end = p->i;
    if (p->i < p->n)
        p->i += quote_at(p, p->i);
    else
        notice(p, "an unclosed quote was closed at the end");
    add_words(p, group, p->s + start, end - start, field, 1);
}

/* One item: a word, a phrase, a field, a bracketed group, each possibly negated. Adds to group. */
static void parse_item(parser *p, q_node *group)
{
    int negate = 0;
    while (p->i < p->n && p->s[p->i] == '-') {
        negate = 1;
        p->i++;
    }
    if (p->i >= p->n || is_space(p->s[p->i])) {
        if (negate)
            notice(p, "a lone '-' was ignored");
        return;
    }
    q_node *target = group;
    q_node *neg = NULL;
    if (negate) {
        neg = node_new(Q_NOT);
        target = node_new(Q_AND);
        if (!neg || !target) {
            node_free(neg);
            node_free(target);
            return;
        }
    }
    if (p->s[p->i] == '(') {
        p->i++;
        p->depth++;
        q_node *inner = parse_or(p);
        p->depth--;
        if (p->i < p->n && p->s[p->i] == ')')
            p->i++;
        else
            notice(p, "an unclosed bracket was closed at the end");
        node_add(target, inner);
    } else if (quote_at(p, p->i)) {
        parse_quoted(p, target, "");
    } else {
        size_t end = word_end(p, p->i);
        const char *colon = memchr(p->s + p->i, ':', end - p->i);
        int handled = 0;
        if (colon) {
            size_t name_len = (size_t)(colon - (p->s + p->i));
            char folded_name[64] = "";
            if (name_len < 40) /* field names match folded: ngày:, tácgiả:, NĂM: */
                tc_text_normalize_word(p->s + p->i, name_len, 1, folded_name, sizeof folded_name);
            for (size_t f = 0; f < sizeof FIELDS / sizeof *FIELDS && !handled; f++) {
                if (strcmp(FIELDS[f].name, folded_name))
                    continue;
                handled = 1;
                p->i += name_len + 1;
                if (!*FIELDS[f].prefix) {
                    size_t vend = word_end(p, p->i);
                    if (vend == p->i)
                        notice(p, "%s: has no value; ignored", FIELDS[f].name);
                    else
                        parse_date(p, target, FIELDS[f].name, p->s + p->i, vend - p->i);
                    p->i = vend;
                } else if (quote_at(p, p->i)) {
                    parse_quoted(p, target, FIELDS[f].prefix);
                } else {
                    size_t vend = word_end(p, p->i);
                    if (vend == p->i)
                        notice(p, "%s: has no value; ignored", FIELDS[f].name);
                    add_words(p, target, p->s + p->i, vend - p->i, FIELDS[f].prefix, 1);
                    p->i = vend;
                }
            }
            if (!handled && name_len > 0 && colon + 1 < p->s + end)
                notice(p, "there is no field '%.*s'; it was searched as words", (int)(name_len > 30 ? 30 : name_len), p->s + p->i);
        }
        if (!handled) {
            add_words(p, target, p->s + p->i, end - p->i, "", 0);
            p->i = end;
        }
    }
    if (negate) {
        if (target->kid_count == 0) {
            notice(p, "a lone '-' was ignored");
            node_free(target);
            node_free(neg);
            return;
        }
        if (target->kid_count == 1) {
            node_add(neg, target->kids[0]);
            target->kid_count = 0;
            node_free(target);
        } else {
            node_add(neg, target);
        }
        node_add(group, neg);
    }
}

static int at_or(parser *p)
{
    static const char *const WORDS[] = {"OR", "HOẶC", "|"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(WORDS[k]);
        if (p->i + n <= p->n && !memcmp(p->s + p->i, WORDS[k], n) && (p->i + n == p->n || is_break(p, p->i + n)))
            return (int)n;
    }
    return 0;
}

static q_node *simplify(q_node *n)
{
    if (!n)
        return NULL;
    if ((n->kind == Q_AND || n->kind == Q_OR) && n->kid_count == 1) {
        q_node *only = n->kids[0];
        n->kid_count = 0;
        node_free(n);
        return only;
    }
    if ((n->kind == Q_AND || n->kind == Q_OR) && n->kid_count == 0) {
        node_free(n);
        return NULL;
    }
    return n;
}

static q_node *parse_and(parser *p)
{
    q_node *and = node_new(Q_AND);
    if (!and)
        return NULL;
    for (;;) {
        skip_space(p);
        if (p->i >= p->n || at_or(p))
            break;
        if (p->s[p->i] == ')') {
            if (p->depth > 0)
                break;
            notice(p, "a ')' without '(' was ignored");
            p->i++;
            continue;
        }
        size_t before = p->i;
        parse_item(p, and);
        if (p->i == before)
            p->i++; /* never loop on a byte nothing consumes */
    }
    return simplify(and);
}

static q_node *parse_or(parser *p)
{
    q_node *or = node_new(Q_OR);
    if (!or)
        return NULL;
    for (;;) {
        node_add(or, parse_and(p));
        skip_space(p);
        int n = at_or(p);
        if (!n)
            break;
        p->i += (size_t)n;
    }
    return simplify(or);
}

/* Loose stopwords (never those in phrases or fields) stop being required unless nothing else is
 * left; they still count where the words stand together. */
static int count_loose(const q_node *n, int *stops, int *unaccented)
{
    int loose = 0;
    if (n->kind == Q_WORDS && !n->phrase && !n->field[0]) {
        loose = 1;
        *stops += (n->words[0].flags & TC_TOKEN_STOP) != 0;
        if (strcmp(n->words[0].exact, n->words[0].folded))
            *unaccented = 0;
    }
    for (size_t i = 0; i < n->kid_count; i++)
        loose += count_loose(n->kids[i], stops, unaccented);
    return loose;
}

static void make_stopwords_optional(q_node *n)
{
    for (size_t i = 0; i < n->kid_count; i++) {
        q_node *k = n->kids[i];
        if (k->kind == Q_WORDS && !k->phrase && !k->field[0] && (k->words[0].flags & TC_TOKEN_STOP))
            k->optional = 1;
        else if (k->kind != Q_WORDS)
            make_stopwords_optional(k);
    }
}

/* A question typed without marks can end in a particle that has become other words' folded form
 * (ạ → a, nhé → nhe, gì → gi): as the last of three loose words or more, such a word is optional,
 * as it is when typed with marks (a stopword). The content word it may also be (á, nhẹ) still
 * weighs and ranks the articles that hold it first. Folded forms that are mostly content words
 * (vậy/vay, đâu/đầu, hả/Hà, chứ/chủ) stay required. */
static void make_trailing_particle_optional(q_node *root)
{
    static const char *const PARTICLES_FOLDED[] = {"a", "u", "oi", "nhe", "nhi", "gi"};
    if (root->kind != Q_AND)
        return;
    q_node *last = root->kids[root->kid_count - 1];
    if (last->kind != Q_WORDS || last->phrase || last->field[0] || last->word_count != 1 ||
        strcmp(last->words[0].exact, last->words[0].folded))
        return;
    int others_required = 0; /* a query with nothing required would match every article */
    for (size_t i = 0; i + 1 < root->kid_count; i++) {
        const q_node *k = root->kids[i];
        others_required |= !k->optional && k->kind != Q_NOT && k->kind != Q_DATE;
    }
    for (size_t i = 0; others_required && i < sizeof PARTICLES_FOLDED / sizeof *PARTICLES_FOLDED; i++)
        if (!strcmp(last->words[0].folded, PARTICLES_FOLDED[i]))
            last->optional = 1;
}

tc_query *tc_query_parse(const char *text, size_t len)
{
    tc_query *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    parser p = {text ? text : "", text ? len : 0, 0, q, 0, 0};
    if (p.n > TC_QUERY_MAX_BYTES) {
        p.n = TC_QUERY_MAX_BYTES;
        notice(&p, "the query was cut to its first %d bytes", TC_QUERY_MAX_BYTES);
    }
    q->root = parse_or(&p);
    size_t blank = 0;
    while (blank < p.n && is_space(p.s[blank]))
        blank++;
    if (!q->root && blank < p.n) /* "???", "OR": the search goes on as if no query were given */
        notice(&p, "the query has no word to search; ignored");
    if (q->root) {
        int stops = 0, unaccented = 1;
        int loose = count_loose(q->root, &stops, &unaccented);
        q->all_unaccented = loose > 0 && unaccented;
        if (stops > 0 && stops < loose)
            make_stopwords_optional(q->root);
        if (loose >= 3)
            make_trailing_particle_optional(q->root);
    }
    return q;
}

void tc_query_free(tc_query *q)
{
    if (!q)
        return;
    node_free(q->root);
    free(q);
}

static void describe(const q_node *n, char *out, size_t cap)
{
    size_t len = strlen(out);
    if (!n || len + 1 >= cap)
        return;
    switch (n->kind) {
    case Q_AND:
    case Q_OR:
        snprintf(out + len, cap - len, "%s(", n->kind == Q_AND ? "AND" : "OR");
        for (size_t i = 0; i < n->kid_count; i++) {
            if (i) {
                len = strlen(out);
                snprintf(out + len, cap - len, " ");
            }
            describe(n->kids[i], out, cap);
        }
        len = strlen(out);
        snprintf(out + len, cap - len, ")");
        break;
    case Q_NOT:
        snprintf(out + len, cap - len, "-");
        describe(n->kids[0], out, cap);
        break;
    case Q_WORDS: {
        static const struct { const char *prefix, *name; } NAMES[] = {
            {"S", "title:"}, {"A", "author:"}, {"K", "category:"}, {"O", "source:"}, {"N", "name:"}};
        for (size_t k = 0; k < 5; k++)
            if (!strcmp(n->field, NAMES[k].prefix))
                snprintf(out + len, cap - len, "%s", NAMES[k].name);
        int quoted = n->phrase && n->word_count > 1;
        len = strlen(out);
        if (quoted)
            snprintf(out + len, cap - len, "\"");
        if (n->optional)
            snprintf(out + len, cap - len, "~");
        for (size_t i = 0; i < n->word_count; i++) {
            len = strlen(out);
            snprintf(out + len, cap - len, "%s%s", i ? " " : "", n->words[i].exact);
        }
        len = strlen(out);
        if (quoted)
            snprintf(out + len, cap - len, "\"");
        break;
    }
    case Q_DATE: {
        char a[32] = "", b[32] = "";
        if (n->has_lo)
            tc_date_format(n->lo, a);
        if (n->has_hi)
            tc_date_format(n->hi, b);
        snprintf(out + len, cap - len, "date:%.19s..%.19s", a, b);
        break;
    }
    }
}

char *tc_query_describe(const tc_query *q)
{
    size_t cap = 8192;
    char *out = calloc(1, cap);
    if (out && q->root)
        describe(q->root, out, cap);
    return out;
}
