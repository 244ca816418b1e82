/* suggest.c — "did you mean": accents restored for a query typed without them, and misspelt syllables
 * corrected, from the hits' own text and the index's term statistics rather than a dictionary. */
#include "article.h"
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_WORDS 16
#define MAX_CANDIDATES 64
/* Bytes of each hit's title, lead and body read for accents: the first 1,500 restore as many
 * unaccented headline fragments as the first 20,000 did, for 6% less CPU a search. */
#define ACCENT_READ_BYTES 1500
#define BESIDE_HITS 5 /* articles read for each pair holding a syllable the hits never show beside a
                         * neighbour (read_pairs) */
#define BESIDE_PAIRS 8 /* ... for at most this many pairs */
#define BESIDE_READ_BYTES 8000 /* ... and the bytes read of each of their fields, up to the pair */
#define PAIR_SHARE_FLOOR 0.05 /* a form's share of a pair's times, at least: a side that never shows it
                                  * weighs against it, not to nothing */
#define UPPER_DISSENT 10 /* capitals when at most one vote in this many is against them */
#define TYPO_ARTICLES_TELEX 50 /* a word with Telex keys (read_telex) may be a slip in this many articles */
#define TELEX_SHARE 0.01 /* a Telex reading's articles, at least, of those with any form of it */
#define TYPO_ARTICLES 2 /* a syllable in this few articles may be a typo (correct_spelling) */
#define TYPO_ARTICLES_DOUBLED 20 /* ... or in this few, opening with a consonant twice (doubled_onset) */
#define DOUBLE_SLIP 20 /* a correction leaving out a doubled letter counts as this many times as frequent */
#define TYPO_RATIO 100
#define SURE_LETTERS 4 /* a correction of a shorter syllable is suggested, never searched instead */
#define SUGGEST_HITS 10 /* articles read for a corrected query's accents, as many as a default page */

typedef struct {
    char folded[MAX_WORDS][TC_WORD_MAX];
    char exact[MAX_WORDS][TC_WORD_MAX];
    int corrected[MAX_WORDS]; /* by correct_spelling */
    size_t start[MAX_WORDS], end[MAX_WORDS]; /* where the query text has each */
    int indexed[MAX_WORDS]; /* in some article (after correct_spelling) */
    size_t count;
} word_seq;

/* The loose words of a plain query (words only, no fields, OR or exclusions), in order. */
static int loose_sequence(const q_node *n, word_seq *seq)
{
    if (!n)
        return 0;
    if (n->kind == Q_WORDS) {
        if (n->field[0])
            return 0;
        for (size_t i = 0; i < n->word_count; i++) {
            if (seq->count == MAX_WORDS)
                return 0;
            snprintf(seq->folded[seq->count], TC_WORD_MAX, "%s", n->words[i].folded);
            snprintf(seq->exact[seq->count], TC_WORD_MAX, "%s", n->words[i].exact);
            seq->start[seq->count] = n->words[i].start;
            seq->end[seq->count] = n->words[i].end;
            seq->count++;
        }
        return 1;
    }
    if (n->kind != Q_AND)
        return 0;
    for (size_t i = 0; i < n->kid_count; i++)
        if (!loose_sequence(n->kids[i], seq))
            return 0;
    return 1;
}

/* ---- spelling: the most frequent indexed syllable one edit away ---- */

static int within_one_edit(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb + 1 || lb > la + 1)
        return 0;
    size_t i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    if (la == lb) {
        if (i == la)
            return 0;
        if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && !memcmp(a + i + 2, b + i + 2, la - i - 2))
            return 1; /* transposition */
        return !memcmp(a + i + 1, b + i + 1, la - i - 1);
    }
    if (la > lb)
        return !memcmp(a + i + 1, b + i, la - i - 1);
    return !memcmp(a + i, b + i + 1, lb - i - 1);
}

/* Whether b is a with one letter of a doubled pair left out ("nnhi" -> "nhi", "taan" -> "tan"):
 * a key struck twice, or Telex's "aa", "oo", "dd" typed with the input method off. */
static int drops_double(const char *a, size_t la, const char *b, size_t lb)
{
    if (la != lb + 1)
        return 0;
    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    return !memcmp(a + i + 1, b + i, lb - i) && ((i + 1 < la && a[i] == a[i + 1]) || (i > 0 && a[i - 1] == a[i]));
}

typedef struct {
    const char *word;
    size_t len;
    char best[TC_WORD_MAX];
    unsigned best_freq;
    unsigned long best_score; /* consider's: best_freq, times DOUBLE_SLIP for a doubled letter left out */
} correction;

static int consider(void *ctx, const char *term, size_t len, unsigned freq)
{
    correction *c = ctx;
    if (len - 1 >= TC_WORD_MAX || !within_one_edit(c->word, c->len, term + 1, len - 1))
        return 0;
    unsigned long score = (unsigned long)freq * (drops_double(c->word, c->len, term + 1, len - 1) ? DOUBLE_SLIP : 1);
    if (score > c->best_score) {
        memcpy(c->best, term + 1, len - 1);
        c->best[len - 1] = 0;
        c->best_freq = freq;
        c->best_score = score;
    }
    return 0;
}

/* The most frequent stored form ("Vnoi nội") one edit from the form typed, for correction_form. */
static int consider_form(void *ctx, const char *term, size_t len, unsigned freq)
{
    correction *c = ctx;
    const char *form = memchr(term, ' ', len);
    size_t form_len = form ? len - (size_t)(++form - term) : 0;
    if (form && form_len < TC_WORD_MAX && freq > c->best_freq && within_one_edit(c->word, c->len, form, form_len)) {
        memcpy(c->best, form, form_len);
        c->best[form_len] = 0;
        c->best_freq = freq;
    }
    return 0;
}

/* How to write the correction `folded` of a syllable typed as `typed`: the form most articles use
 * (the folded one when none is listed), unless marks were typed and another stored form is one edit
 * from what was typed ("nnội" is "nội", not the more frequent "nói"). */
static void correction_form(tc_xreader *r, const char *typed, const char *typed_folded, const char *folded,
                            char *out, size_t cap)
{
    size_t dominant_len;
    const char *dominant = tc_form_dominant(folded, strlen(folded), &dominant_len);
    if (!dominant) {
        dominant = folded;
        dominant_len = strlen(folded);
    }
    correction c = {typed, strlen(typed), "", 0, 0};
    if (strcmp(typed, typed_folded) && !within_one_edit(typed, c.len, dominant, dominant_len)) {
        char prefix[TC_WORD_MAX + 3];
        snprintf(prefix, sizeof prefix, "V%s ", folded);
        tc_xreader_allterms(r, prefix, consider_form, &c);
    }
    if (c.best_freq > 0)
        snprintf(out, cap, "%s", c.best);
    else
        snprintf(out, cap, "%.*s", (int)dominant_len, dominant);
}

/* Whether a folded syllable of SURE_LETTERS letters or more opens with a consonant struck twice
 * ("hhoa", "ttheo"), as no Vietnamese syllable does. Not a doubled ending: names have those ("Johnny
 * Depp", "Bonn"), and not a short one: acronyms have them ("SSD", "TTC"). */
static int doubled_onset(const char *folded)
{
    return strlen(folded) >= SURE_LETTERS && folded[0] == folded[1] && (unsigned char)folded[0] < 0x80 &&
           !strchr("aeiouy0123456789", folded[0]);
}

/* The articles that write a syllable as exact (folded: its folded form): its folded term's when
 * exact is its usual form (which has no term of its own), else its V term's (or, in an index of
 * schema 3, its bare exact term's). 0 for a form no article writes ("nhâ"). */
static unsigned written_in(tc_xreader *r, const char *exact, const char *folded)
{
    char term[2 * TC_WORD_MAX + 3];
    size_t dominant_len;
    const char *dominant = tc_form_dominant(folded, strlen(folded), &dominant_len);
    int n = dominant && dominant_len == strlen(exact) && !memcmp(dominant, exact, dominant_len)
                ? snprintf(term, sizeof term, "F%s", folded)
                : snprintf(term, sizeof term, "V%s %s", folded, exact);
    unsigned freq = tc_xreader_termfreq(r, term, (size_t)n);
    return freq ? freq : tc_xreader_termfreq(r, exact, strlen(exact));
}

/* Reads syllable i of seq, typed bare and in `freq` articles (TYPO_ARTICLES_TELEX at most), as
 * Telex keys typed with the input method off when that reading is in TYPO_RATIO times as many, and
 * in TELEX_SHARE of those with any form of it ("tieengs vieetj": "tiếng việt"), with the marks the
 * keys say; whether it did. *sure as for correct_spelling. */
static int read_telex(tc_xreader *r, word_seq *seq, size_t i, unsigned freq, int *sure)
{
    char exact[TC_WORD_MAX], folded[TC_WORD_MAX];
    size_t typed_len = strlen(seq->folded[i]);
    const char *typed = seq->folded[i];
    /* a vowel doubled and nothing else may as well be a key struck twice: left to the correction */
    int keys = typed_len > 1 &&
               (strchr("sfrxj", typed[typed_len - 1]) || strchr(typed, 'w') || !strncmp(typed, "dd", 2));
    if (!keys || freq > TYPO_ARTICLES_TELEX || strcmp(seq->exact[i], typed) ||
        !tc_telex_decode(typed, typed_len, exact, sizeof exact) ||
        !tc_text_normalize_word(exact, strlen(exact), 1, folded, sizeof folded))
        return 0;
    char term[TC_WORD_MAX + 2];
    int n = snprintf(term, sizeof term, "F%s", folded);
    unsigned reading_freq = written_in(r, exact, folded), all_forms = tc_xreader_termfreq(r, term, (size_t)n);
    if (!reading_freq || reading_freq < (unsigned long)freq * TYPO_RATIO || reading_freq < all_forms * TELEX_SHARE)
        return 0; /* "ddat" is "đat", which a few articles mistype; the rest write đất, đạt, đặt */
    snprintf(seq->folded[i], TC_WORD_MAX, "%s", folded);
    snprintf(seq->exact[i], TC_WORD_MAX, "%s", exact); /* as typed with marks: kept as it is */
    seq->indexed[i] = 1;
    *sure &= typed_len >= SURE_LETTERS;
    return 1;
}

/* Replaces each syllable typed in Telex keys by its reading (read_telex), and each the index never
 * saw, or saw in at most TYPO_ARTICLES articles (TYPO_ARTICLES_DOUBLED when it opens with a
 * consonant twice: "hhoa" is in six) when one a single edit away is in TYPO_RATIO times as many (a
 * news archive holds its own typos: "siinh" is in one article of the 38k corpus), with the most
 * frequent one a single edit away (a doubled letter left out counting DOUBLE_SLIP times: "nhaa" is
 * "nha", not the as frequent "nhan"), written as correction_form says; whether any was replaced.
 * *sure: whether every one replaced had at least SURE_LETTERS letters (a shorter one has many
 * neighbours one edit away: "foo" is not "fox"). */
static int correct_spelling(tc_xreader *r, word_seq *seq, int *sure)
{
    int changed = 0;
    *sure = 1;
    for (size_t i = 0; i < seq->count; i++) {
        char term[TC_WORD_MAX + 2];
        int n = snprintf(term, sizeof term, "F%s", seq->folded[i]);
        unsigned freq = tc_xreader_termfreq(r, term, (size_t)n);
        seq->indexed[i] = freq > 0;
        if (read_telex(r, seq, i, freq, sure)) {
            changed = 1;
            continue;
        }
        if (freq > (doubled_onset(seq->folded[i]) ? TYPO_ARTICLES_DOUBLED : TYPO_ARTICLES) ||
            strlen(seq->folded[i]) < 2 || strpbrk(seq->folded[i], "0123456789"))
            continue; /* a code with a digit is a name ("s9", "u23"), not a misspelt word */
        correction c = {seq->folded[i], strlen(seq->folded[i]), "", 0, 0};
        tc_xreader_allterms_kept(r, "F", consider, &c);
        if (c.best_freq > 0 && c.best_freq >= (unsigned long)freq * TYPO_RATIO) {
            char typed[TC_WORD_MAX], typed_folded[TC_WORD_MAX];
            snprintf(typed, sizeof typed, "%s", seq->exact[i]);
            snprintf(typed_folded, sizeof typed_folded, "%s", seq->folded[i]);
            seq->corrected[i] = 1;
            seq->indexed[i] = 1;
            *sure &= strlen(typed_folded) >= SURE_LETTERS;
            snprintf(seq->folded[i], TC_WORD_MAX, "%s", c.best);
            correction_form(r, typed, typed_folded, c.best, seq->exact[i], TC_WORD_MAX);
            changed = 1;
        }
    }
    return changed;
}

/* ---- accents: how the matching articles write the query's syllables ---- */

/* How a text writes a word, as votes: capital is 1 for a capital inside a sentence, -1 for none, 0
 * at a sentence's start or in a word all in capitals (which say nothing); upper is 1 for two letters
 * or more all in capitals (an acronym: UBND, TP, HĐND), -1 when they are not, 0 for a single letter.
 * A word in capitals with marks other than Đ is a headline shouting ("SỐ HÊN"): it votes for
 * neither, and says (shout) that a word in capitals beside it shouts too ("CHI" of "CHI TIẾT"). */
typedef struct {
    int capital, upper, shout;
} letter_case;

typedef struct {
    char text[MAX_WORDS * TC_WORD_MAX]; /* in lower case */
    unsigned count;
    unsigned beside;   /* a syllable's: times it stood beside a query neighbour, in the query's order */
    letter_case votes; /* a syllable's: votes for each less votes against */
    unsigned not_upper; /* ... and the votes against capitals alone */
} candidate;

typedef struct {
    const word_seq *seq;
    const char *text; /* the field being read */
    /* the last seq->count tokens, as a ring */
    char folded[MAX_WORDS][TC_WORD_MAX];
    char shown[MAX_WORDS][TC_WORD_MAX];
    letter_case shape[MAX_WORDS]; /* shown_form's verdict on each */
    size_t seen;
    size_t sentence; /* tokens seen before the sentence being read began */
    candidate *cands;          /* readings of the whole query, where it stands in one piece */
    size_t cand_count;
    candidate *single[MAX_WORDS]; /* readings of each syllable, weighted by matching neighbours */
    size_t single_count[MAX_WORDS];
    size_t pair_only; /* below seq->count: only pair_only and pair_only + 1 side by side count as beside */
} accent_scan;

/* How the text writes token t: its exact form in lower case into out (from its own bytes: the text
 * is read on folded forms, which is faster, and only the query's syllables are shown), and its
 * letter case ("Hà Nội điều chỉnh..." at a title's start says nothing of a capital). */
static letter_case shown_form(const char *text, const tc_token *t, char *out, size_t cap)
{
    tc_text_normalize_word(text + t->start, t->end - t->start, 0, out, cap);
    letter_case c = {t->flags & TC_TOKEN_SENTENCE_START ? 0 : t->flags & TC_TOKEN_CAPITALISED ? 1 : -1, 0, 0};
    int letters = 0, lower = 0, marked = 0;
    utf8proc_int32_t cp;
    for (size_t i = t->start; i < t->end;) {
        utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(t->end - i), &cp);
        if (w <= 0)
            break;
        i += (size_t)w;
        utf8proc_category_t category = utf8proc_category(cp);
        int letter = category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LL;
        letters += letter;
        lower += category == UTF8PROC_CATEGORY_LL;
        marked |= category == UTF8PROC_CATEGORY_MN || (letter && cp > 0x7F && cp != 0x110 && cp != 0x111);
    }
    c.upper = letters < 2 ? 0 : lower ? -1 : marked ? 0 : 1;
    c.shout = letters >= 2 && !lower && marked;
    if (letters >= 2 && !lower)
        c.capital = 0; /* capitals say nothing of a word's first letter */
    return c;
}

static void vote(candidate *cands, size_t *count, size_t max, const char *text, unsigned weight, int beside,
                 letter_case c)
{
    size_t i = 0;
    while (i < *count && strcmp(cands[i].text, text))
        i++;
    if (i == *count) {
        if (*count == max)
            return;
        memset(&cands[i], 0, sizeof cands[i]);
        snprintf(cands[i].text, sizeof cands[i].text, "%s", text);
        (*count)++;
    }
    cands[i].count += weight;
    cands[i].beside += (unsigned)beside;
    cands[i].votes.capital += (int)weight * c.capital;
    cands[i].votes.upper += (int)weight * c.upper;
    cands[i].not_upper += c.upper < 0 ? weight : 0;
}

/* Takes back the vote for capitals that vote() gave text once on its own. */
static void unvote_upper(candidate *cands, size_t count, const char *text)
{
    for (size_t i = 0; i < count; i++)
        if (!strcmp(cands[i].text, text)) {
            cands[i].votes.upper--;
            return;
        }
}

/* Appends a syllable of the reading to out (size cap): in capitals when the hits write it so (an
 * acronym), else with a capital when they write it so inside their sentences (c: NULL for neither). */
static void append_syllable(char *out, size_t cap, const char *syllable, size_t len, const candidate *c)
{
    size_t l = strlen(out);
    if (l && l + 1 < cap)
        out[l++] = ' ';
    if (l + len >= cap)
        return;
    memcpy(out + l, syllable, len);
    out[l + len] = 0;
    /* an acronym is all but always in capitals; a word that a few hits shout ("THÔNG TIN CHI TIẾT":
     * CHI has no mark to tell) is written small elsewhere */
    int all = c && c->votes.upper > 0 && c->not_upper * UPPER_DISSENT <= (unsigned)c->votes.upper + 2 * c->not_upper;
    for (size_t i = l; i < l + len && c && (all || (i == l && c->votes.capital > 0));) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)out + i, (utf8proc_ssize_t)(l + len - i), &cp);
        utf8proc_uint8_t up[8] = {0};
        utf8proc_ssize_t uw = w > 0 ? utf8proc_encode_char(utf8proc_toupper(cp), up) : 0;
        if (w <= 0)
            break;
        if (uw == w)
            memcpy(out + i, up, (size_t)uw);
        i += (size_t)w;
    }
}

static int on_token(void *ctx, const tc_token *t)
{
    accent_scan *s = ctx;
    if (t->flags & TC_TOKEN_JOINED || t->folded_len >= TC_WORD_MAX)
        return 0;
    size_t n = s->seq->count, slot = s->seen % n;
    memcpy(s->folded[slot], t->folded, t->folded_len);
    s->folded[slot][t->folded_len] = 0;
    s->shown[slot][0] = 0; /* only a syllable of the query votes, and only its shown form is read */
    s->shape[slot] = (letter_case){0, 0, 0};
    if (t->flags & TC_TOKEN_SENTENCE_START)
        s->sentence = s->seen;
    int in_query = 0;
    for (size_t k = 0; k < n && !in_query; k++)
        in_query = !strcmp(s->folded[slot], s->seq->folded[k]);
    s->seen++;
    if (!in_query)
        return 0;
    letter_case shape = s->shape[slot] = shown_form(s->text, t, s->shown[slot], TC_WORD_MAX);
    /* a syllable counts once on its own and three times more beside its query neighbour, in the
     * same sentence ("bảo vệ. Nếu" says nothing of "ve neu") */
    int joined = s->seen > 1 && s->sentence < s->seen - 1;
    const char *prev_folded = joined ? s->folded[(s->seen - 2) % n] : "";
    const char *prev_shown = joined ? s->shown[(s->seen - 2) % n] : "";
    letter_case prev_shape = joined ? s->shape[(s->seen - 2) % n] : (letter_case){0, 0, 0};
    /* capitals beside a word that shouts shout too ("CHI TIẾT"): they say nothing of an acronym,
     * so the word before takes back the vote it gave on its own */
    if (prev_shape.shout && shape.upper > 0)
        shape.upper = 0;
    if (shape.shout && prev_shape.upper > 0) {
        prev_shape.upper = 0;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(prev_folded, s->seq->folded[k]))
                unvote_upper(s->single[k], s->single_count[k], prev_shown);
    }
    int paired = 0;
    for (size_t k = 0; k < n; k++) {
        if (strcmp(s->folded[slot], s->seq->folded[k]))
            continue;
        vote(s->single[k], &s->single_count[k], MAX_CANDIDATES, s->shown[slot], 1, 0, shape);
        if (k > 0 && n > 1 && (s->pair_only >= n || s->pair_only == k - 1) &&
            !strcmp(prev_folded, s->seq->folded[k - 1])) {
            vote(s->single[k], &s->single_count[k], MAX_CANDIDATES, s->shown[slot], 3, 1, shape);
            vote(s->single[k - 1], &s->single_count[k - 1], MAX_CANDIDATES, prev_shown, 3, 1, prev_shape);
            paired = 1;
        }
    }
    if (paired && s->pair_only < n)
        return 1; /* a field read for one pair says how it writes the pair once: the rest is not read */
    if (s->seen < n) /* the whole query may span sentences: headlines do ("Đà Nẵng: Tiết lộ ...") */
        return 0;
    for (size_t k = 0; k < n; k++)
        if (strcmp(s->folded[(s->seen - n + k) % n], s->seq->folded[k]))
            return 0;
    char text[MAX_WORDS * TC_WORD_MAX] = "";
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(text);
        snprintf(text + l, sizeof text - l, "%s%s", k ? " " : "", s->shown[(s->seen - n + k) % n]);
    }
    vote(s->cands, &s->cand_count, MAX_CANDIDATES, text, 1, 0, (letter_case){0, 0, 0});
    return 0;
}

static const candidate *best_candidate(const candidate *c, size_t count)
{
    const candidate *best = NULL;
    for (size_t i = 0; i < count; i++)
        if (!best || c[i].count > best->count)
            best = &c[i];
    return best;
}

/* The reading of one syllable of a query of several: the one most often beside a query neighbour;
 * when none ever is (the hits hold it only apart: "tai" of "tai sao gia xang tang" is in "Bộ Tài
 * chính"), the form most articles use, if the list names one; else the one seen most; else, for a
 * syllable the index holds (indexed) but the hits do not show, the unmarked form, which is then the
 * usual one (the list names every syllable whose usual form has marks). */
static int syllable_reading(const candidate *c, size_t count, const char *folded, size_t words, int indexed, char *out,
                            size_t cap)
{
    const candidate *best = NULL;
    for (size_t i = 0; i < count; i++)
        if (c[i].beside && (!best || c[i].beside > best->beside))
            best = &c[i];
    size_t dominant_len;
    const char *dominant = !best && words > 1 ? tc_form_dominant(folded, strlen(folded), &dominant_len) : NULL;
    if (!dominant && !best)
        best = best_candidate(c, count);
    const char *text = dominant ? dominant : best ? best->text : indexed && words > 1 ? folded : NULL;
    size_t len = text ? (dominant ? dominant_len : strlen(text)) : 0;
    if (!text || len >= cap)
        return 0;
    memcpy(out, text, len);
    out[len] = 0;
    return 1;
}

static const candidate *find_candidate(const candidate *c, size_t count, const char *text, size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(c[i].text) == len && !memcmp(c[i].text, text, len))
            return &c[i];
    return NULL;
}

/* Reads the hits' title, lead and body (each up to bytes) into s's votes. */
static void scan_hits(accent_scan *s, json_t *hits_data, size_t bytes)
{
    size_t i;
    json_t *data;
    json_array_foreach(hits_data, i, data) {
        const char *fields[] = {"title", "summary", "body"};
        for (size_t f = 0; f < 3; f++) {
            const char *text = json_string_value(json_object_get(data, fields[f]));
            if (!text)
                continue;
            size_t len = strlen(text);
            s->seen = s->sentence = 0;
            s->text = text;
            tc_text_analyze(text, len > bytes ? bytes : len, TC_MODE_FOLDED, on_token, s);
        }
    }
}

static int scan_open(accent_scan *s, const word_seq *seq)
{
    memset(s, 0, sizeof *s);
    s->seq = seq;
    s->pair_only = MAX_WORDS;
    int ok = (s->cands = calloc(MAX_CANDIDATES, sizeof *s->cands)) != NULL;
    for (size_t k = 0; k < seq->count; k++)
        ok &= (s->single[k] = calloc(MAX_CANDIDATES, sizeof *s->single[k])) != NULL;
    return ok;
}

static void scan_close(accent_scan *s)
{
    free(s->cands);
    for (size_t k = 0; k < s->seq->count; k++)
        free(s->single[k]);
}

/* Whether the scan saw syllable k beside a query neighbour. */
static int seen_beside(const accent_scan *s, size_t k)
{
    for (size_t i = 0; i < s->single_count[k]; i++)
        if (s->single[k][i].beside)
            return 1;
    return 0;
}

/* The stored data of q's best `limit` articles, decoded, or NULL (q NULL, or the search failed). */
static json_t *stored_of_best(tc_xreader *r, const tc_xquery *q, unsigned limit)
{
    tc_xsearch_params params = {0, limit, TC_SORT_RELEVANCE, TC_SLOT_DATE, TC_BM25_K1, TC_BM25_B, NULL, 0, NULL, NULL, 1};
    tc_xresults res;
    json_t *datas = q && tc_xreader_search(r, q, &params, &res) == TC_OK ? json_array() : NULL;
    if (!datas)
        return NULL;
    for (size_t i = 0; i < res.hit_count; i++) {
        json_t *data = tc_stored_decode(res.hits[i].data, res.hits[i].data_len);
        if (data)
            json_array_append_new(datas, data);
    }
    tc_xresults_free(&res);
    return datas;
}

/* The stored data of BESIDE_HITS articles where syllables k and k + 1 of seq stand side by side, or
 * NULL: the first ones in the index, found by a search that weighs nothing, so that it ends as soon
 * as it has them (ranked, a pair of two frequent syllables took 1-2 ms). */
static json_t *hits_with_pair(tc_xreader *r, const word_seq *seq, size_t k)
{
    tc_xquery *terms[2];
    for (size_t j = 0; j < 2; j++) {
        char term[TC_WORD_MAX + 2];
        int n = snprintf(term, sizeof term, "F%s", seq->folded[k + j]);
        terms[j] = tc_xquery_term(term, (size_t)n, 1);
    }
    tc_xquery *phrase = terms[0] && terms[1] ? tc_xquery_combine(TC_XOP_PHRASE, terms, 2) : NULL;
    tc_xquery *pair = phrase ? tc_xquery_scale(phrase, 0) : NULL;
    tc_xquery_free(phrase);
    tc_xquery_free(terms[0]);
    tc_xquery_free(terms[1]);
    json_t *datas = stored_of_best(r, pair, BESIDE_HITS);
    tc_xquery_free(pair);
    return datas;
}

/* What articles holding a pair of neighbours side by side say of each syllable's form: for syllable
 * k, side 0 is its pair with k - 1 and side 1 with k + 1, and times[k][side][i] the times its
 * candidate scan.single[k][i] stood there. */
typedef struct {
    accent_scan scan;
    unsigned times[MAX_WORDS][2][MAX_CANDIDATES];
} pair_evidence;

/* Reads, for each pair of neighbours holding a syllable marked in lonely (see read_accents), the
 * articles where they stand side by side: "tin tuc" of "tin tuc ve cang thang vung vinh moi nhat"
 * is in none of the page's hits, which are about the Gulf, so "tuc" would take its usual form
 * ("tục", of "tiếp tục"), where beside "tin" the articles write "tức". Each pair is searched and
 * counted on its own, so that a pair of frequent syllables ("vệ và", of "bảo vệ và") neither crowds
 * the other ("tức về") out of the articles read nor outvotes it. Whether any pair was read. */
static int read_pairs(tc_xreader *r, const word_seq *seq, const int *lonely, pair_evidence *e)
{
    memset(e->times, 0, sizeof e->times);
    if (!scan_open(&e->scan, seq)) {
        scan_close(&e->scan);
        return 0;
    }
    size_t searched = 0;
    for (size_t k = 0; k + 1 < seq->count && searched < BESIDE_PAIRS; k++) {
        if (!lonely[k] && !lonely[k + 1])
            continue;
        json_t *datas = hits_with_pair(r, seq, k);
        if (!datas)
            continue;
        searched++;
        unsigned before[2][MAX_CANDIDATES];
        for (size_t j = 0; j < 2; j++)
            for (size_t i = 0; i < e->scan.single_count[k + j]; i++)
                before[j][i] = e->scan.single[k + j][i].beside;
        size_t known[2] = {e->scan.single_count[k], e->scan.single_count[k + 1]};
        e->scan.pair_only = k;
        scan_hits(&e->scan, datas, BESIDE_READ_BYTES);
        json_decref(datas);
        for (size_t j = 0; j < 2; j++)
            for (size_t i = 0; i < e->scan.single_count[k + j]; i++)
                e->times[k + j][1 - j][i] = e->scan.single[k + j][i].beside - (i < known[j] ? before[j][i] : 0);
    }
    return 1;
}

/* The candidate of syllable k that the pairs read agree on best (the product of its shares of each
 * pair's times, so one side cannot carry a form the other never shows), or NULL when no pair of k's
 * showed it beside a neighbour. */
static const candidate *pair_reading(const pair_evidence *e, size_t k)
{
    unsigned total[2] = {0, 0};
    for (size_t side = 0; side < 2; side++)
        for (size_t i = 0; i < e->scan.single_count[k]; i++)
            total[side] += e->times[k][side][i];
    const candidate *best = NULL;
    double best_score = 0;
    for (size_t i = 0; i < e->scan.single_count[k] && (total[0] || total[1]); i++) {
        double score = 1;
        for (size_t side = 0; side < 2; side++)
            if (total[side])
                score *= (double)e->times[k][side][i] / total[side] + PAIR_SHARE_FLOOR;
        if (score > best_score) {
            best = &e->scan.single[k][i];
            best_score = score;
        }
    }
    return best;
}

/* The accented reading of a query, as the hits write it, into shown (capitalised as the hits and
 * the articles read for pairs write each syllable inside their sentences) and plain (in lower
 * case): the whole query where it stands in one piece, else each syllable as it stands most often
 * beside its neighbours, in the hits or, for a syllable typed bare that they never show beside one,
 * in articles found for that (read_pairs; in a query typed partly with marks, only for a syllable
 * whose usual form has marks: the others were typed bare on purpose). A syllable typed with marks
 * stays as typed; one the spelling correction replaced, which the hits cannot hold, keeps its
 * dominant form when the hits do not show it. 0 when some syllable has no reading (or memory ran
 * out). */
static int read_accents(tc_xreader *r, const word_seq *seq, int unaccented, json_t *hits_data, char *shown, char *plain,
                        size_t cap)
{
    accent_scan s;
    int ok = scan_open(&s, seq);
    if (ok)
        scan_hits(&s, hits_data, ACCENT_READ_BYTES);
    const candidate *whole = ok ? best_candidate(s.cands, s.cand_count) : NULL;
    int lonely[MAX_WORDS] = {0}, any_lonely = 0;
    for (size_t k = 0; k < seq->count && ok && !whole && seq->count > 1; k++) {
        size_t dominant_len;
        int bare = !strcmp(seq->exact[k], seq->folded[k]);
        int usually_marked = tc_form_dominant(seq->folded[k], strlen(seq->folded[k]), &dominant_len) != NULL;
        lonely[k] = (seq->corrected[k] || (bare && (unaccented || usually_marked))) && !seen_beside(&s, k);
        any_lonely |= lonely[k];
    }
    pair_evidence *pairs = any_lonely ? malloc(sizeof *pairs) : NULL;
    if (pairs && !read_pairs(r, seq, lonely, pairs)) {
        free(pairs);
        pairs = NULL;
    }
    const char *next = whole ? whole->text : NULL; /* its syllables, one at a time */
    for (size_t k = 0; k < seq->count && ok; k++) {
        char reading[TC_WORD_MAX];
        const char *syllable = NULL;
        size_t len = 0;
        const candidate *c = NULL;
        if (next) {
            syllable = next;
            len = strcspn(next, " ");
            next += len + (next[len] == ' ');
        }
        if (!seq->corrected[k] && strcmp(seq->exact[k], seq->folded[k])) {
            syllable = seq->exact[k];
            len = strlen(syllable);
        } else if (!syllable && pairs && lonely[k] && (c = pair_reading(pairs, k)) != NULL) {
            syllable = c->text;
            len = strlen(syllable);
        } else if (!syllable) {
            syllable = syllable_reading(s.single[k], s.single_count[k], seq->folded[k], seq->count, seq->indexed[k],
                                        reading, sizeof reading)
                           ? reading
                       : seq->corrected[k] ? seq->exact[k]
                                           : NULL;
            len = syllable ? strlen(syllable) : 0;
        }
        /* its case as the page's hits and the articles read for pairs write it, together */
        const candidate *on_page = syllable ? find_candidate(s.single[k], s.single_count[k], syllable, len) : NULL;
        const candidate *in_pairs =
            syllable && pairs ? find_candidate(pairs->scan.single[k], pairs->scan.single_count[k], syllable, len) : NULL;
        candidate both;
        if (on_page && in_pairs) {
            both = *on_page;
            both.votes.capital += in_pairs->votes.capital;
            both.votes.upper += in_pairs->votes.upper;
            both.not_upper += in_pairs->not_upper;
            c = &both;
        } else {
            c = on_page ? on_page : in_pairs;
        }
        ok = syllable != NULL;
        if (ok) {
            append_syllable(shown, cap, syllable, len, c);
            append_syllable(plain, cap, syllable, len, NULL);
        }
    }
    scan_close(&s);
    if (pairs) {
        scan_close(&pairs->scan);
        free(pairs);
    }
    if (!ok) /* no part of a reading: "giá" is no suggestion for "gia xang tang" */
        shown[0] = plain[0] = 0;
    return ok;
}

/* The stored data of the best SUGGEST_HITS articles holding every syllable of seq, as folded: after
 * a correction, the page's hits (found without the corrected syllable) cannot show how the articles
 * write it beside the others ("ha nnoi": "Hà Nội", where the page's hits would say "nơi"). */
static json_t *hits_holding(tc_xreader *r, const word_seq *seq)
{
    tc_xquery *terms[MAX_WORDS];
    size_t count = 0;
    for (size_t k = 0; k < seq->count; k++) {
        char term[TC_WORD_MAX + 2];
        int n = snprintf(term, sizeof term, "F%s", seq->folded[k]);
        if ((terms[count] = tc_xquery_term(term, (size_t)n, 1)) != NULL)
            count++;
    }
    /* every syllable, and those where neighbours stand side by side first */
    tc_xquery *pairs[MAX_WORDS];
    size_t pair_count = 0;
    for (size_t k = 0; count == seq->count && k + 1 < count; k++)
        if ((pairs[pair_count] = tc_xquery_combine(TC_XOP_PHRASE, terms + k, 2)) != NULL)
            pair_count++;
    tc_xquery *each = count == seq->count ? tc_xquery_combine(TC_XOP_AND, terms, count) : NULL;
    tc_xquery *together = pair_count ? tc_xquery_combine(TC_XOP_OR, pairs, pair_count) : NULL;
    tc_xquery *both[2] = {each, together};
    tc_xquery *all = each && together ? tc_xquery_combine(TC_XOP_AND_MAYBE, both, 2) : each;
    for (size_t k = 0; k < count; k++)
        tc_xquery_free(terms[k]);
    for (size_t k = 0; k < pair_count; k++)
        tc_xquery_free(pairs[k]);
    tc_xquery_free(together);
    if (all != each)
        tc_xquery_free(each);
    json_t *datas = stored_of_best(r, all, SUGGEST_HITS);
    tc_xquery_free(all);
    return datas;
}

/* The query text with each word of seq replaced by its syllable of reading (space-separated, one
 * a word), so that what lies between stays as typed: `"bong da" covid-19` -> `"bóng đá" Covid-19`.
 * The reading itself when the words do not follow one another in the text. */
static char *splice(const char *text, const word_seq *seq, const char *reading)
{
    size_t len = strlen(text), from = 0, w = 0;
    char *out = malloc(len + strlen(reading) + 1);
    const char *next = reading;
    for (size_t k = 0; out && k < seq->count; k++) {
        size_t n = strcspn(next, " ");
        if (seq->start[k] < from || seq->end[k] < seq->start[k] || seq->end[k] > len || !n) {
            free(out);
            return strdup(reading);
        }
        memcpy(out + w, text + from, seq->start[k] - from);
        w += seq->start[k] - from;
        memcpy(out + w, next, n);
        w += n;
        from = seq->end[k];
        next += n + (next[n] == ' ');
    }
    if (out) {
        memcpy(out + w, text + from, len - from);
        out[w + len - from] = 0;
    }
    return out;
}

char *tc_suggest(tc_xreader *r, const char *text, const tc_query *q, json_t *hits_data, int *corrected_out)
{
    *corrected_out = 0;
    word_seq seq;
    memset(&seq, 0, sizeof seq);
    if (!q->root || !loose_sequence(q->root, &seq) || seq.count == 0)
        return NULL;
    char typed[MAX_WORDS * TC_WORD_MAX] = "", shown[MAX_WORDS * TC_WORD_MAX] = "", plain[MAX_WORDS * TC_WORD_MAX] = "";
    /* a syllable typed without marks is read from the hits when the whole query is, or when articles
     * mostly write it with marks ("Hà noi": nói, nội; not "an" in "công an") */
    int unaccented = 1, doubtful = 0;
    for (size_t k = 0; k < seq.count; k++) {
        append_syllable(typed, sizeof typed, seq.exact[k], strlen(seq.exact[k]), NULL);
        int bare = !strcmp(seq.exact[k], seq.folded[k]);
        size_t dominant_len;
        unaccented &= bare;
        doubtful |= bare && tc_form_dominant(seq.folded[k], strlen(seq.folded[k]), &dominant_len) != NULL;
    }
    int sure;
    int corrected = correct_spelling(r, &seq, &sure);
    json_t *holding = corrected && (unaccented || doubtful) ? hits_holding(r, &seq) : NULL;
    int read = (unaccented || doubtful) &&
               read_accents(r, &seq, unaccented, holding ? holding : hits_data, shown, plain, sizeof shown);
    json_decref(holding);
    if (!read && corrected) { /* the marks as typed, and each correction as correction_form wrote it */
        for (size_t k = 0; k < seq.count; k++)
            append_syllable(shown, sizeof shown, seq.exact[k], strlen(seq.exact[k]), NULL);
        memcpy(plain, shown, sizeof plain);
    }
    char *suggestion = plain[0] && strcmp(plain, typed) ? splice(text, &seq, shown) : NULL;
    *corrected_out = suggestion && corrected && sure;
    return suggestion;
}
