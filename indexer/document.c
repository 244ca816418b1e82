/* document.c — turns an article into a Xapian document: exact and positional folded terms,
 * field terms, filter keys, values for dates and facets, detected names, and the stored JSON. */
#include "article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FIELD_GAP 100   /* positions left between fields so phrases never span two */
#define MAX_NAMES 64
#define MAX_RUN 6

typedef struct {
    char folded[160], display[200];
    unsigned count;
    int shown; /* a name for the facet; else a run kept whole only for its N term */
} name_entry;

typedef struct {
    char exact[MAX_RUN][64];
    char folded[MAX_RUN][64];
    size_t len;
} name_run;

typedef struct {
    tc_xdoc *doc;
    const char *text;     /* the field being analysed, for what lies between two tokens */
    const char *prefix;   /* field prefix for extra positional terms, or NULL */
    int main_text;        /* title, summary and body feed the exact and F folded terms */
    unsigned forms;       /* the index's forms version (add_exact) */
    unsigned base, next;  /* position base of this field, first position after it */
    int have_prev;
    size_t prev_end;
    char prev_capital[64]; /* the previous token's folded form when it was capitalised, else "" */
    name_run run;
    name_entry *names;
    size_t name_count;
} field_ctx;

void tc_article_clear(tc_article *a)
{
    free(a->id);
    free(a->title);
    free(a->url);
    free(a->author);
    free(a->category);
    free(a->source);
    free(a->summary);
    free(a->body);
    free(a->date_text);
    free(a->extra_json);
    memset(a, 0, sizeof *a);
}

static void add_prefixed(tc_xdoc *doc, const char *prefix, const char *s, size_t n, int positional, unsigned pos)
{
    char term[TC_XAPIAN_MAX_TERM + 8];
    size_t p = strlen(prefix);
    if (p + n > TC_XAPIAN_MAX_TERM)
        return;
    memcpy(term, prefix, p);
    memcpy(term + p, s, n);
    if (positional)
        tc_xdoc_add_posting(doc, term, p + n, pos, 1);
    else
        tc_xdoc_add_term(doc, term, p + n, 1);
}

/* Words that are capitalised at the head of a name-like run but are titles or institutions. */
static int is_name_title(const char *exact)
{
    static const char *const TITLES[] = {
        "ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ", "ban", "bộ", "sở", "phó", "chủ",
        "tổng", "thủ", "đại", "hội", "trung", "tỉnh", "thành", "quận", "huyện", "xã", "phường", "công",
        "tập", "ngân", "viện", "trường", "bệnh", "đảng", "nhà", "chính", "quốc", "cục", "vụ", "tòa",
        "ảnh", "tp", "thượng", "giám", "bí", "thứ", "ủy", "hlv", "ngày", "tháng", "năm",
        "theo", "tại", "trong", "sau", "trước", "khi", "nhưng", "tuy", "vì", "nếu", "lễ", "giải", "đội",
        "câu", "lạc", "hãng", "tờ", "báo", "đài", "kênh", "quân", "đoàn", "lực", "học", "giáo", "tiến",
        "thạc", "bác", "sĩ", "ca", "nhạc", "diễn", "cầu", "thủ", "tướng", "hoa", "hậu", "mc", "ts",
        "pgs", "gs", "ths", "bs", "ls", "nsnd", "nsưt", "trận", "mùa", "chương", "dự", "luật", "nghị",
        "ubnd", "hđnd", "ubmttq", "tand", "vksnd", "csgt"};
    for (size_t i = 0; i < sizeof TITLES / sizeof *TITLES; i++)
        if (!strcmp(exact, TITLES[i]))
            return 1;
    return tc_stopword_is(exact, strlen(exact));
}

/* Title words that also begin places and given names ("Trung Quốc", "Đài Loan", "Cầu Giấy", "Thủ
 * Đức", "Hội An", "Tiến Dũng"): trimmed only when two syllables or more are left after them. */
static int heads_names(const char *exact)
{
    static const char *const HEADS[] = {"trung", "đài", "đại", "trường", "cầu", "quốc", "bà", "thủ",
                                        "tiến", "hội", "anh", "thượng", "tuy"};
    for (size_t i = 0; i < sizeof HEADS / sizeof *HEADS; i++)
        if (!strcmp(exact, HEADS[i]))
            return 1;
    return 0;
}

static void title_case(const char *exact, char *out, size_t cap)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t w = utf8proc_iterate((const utf8proc_uint8_t *)exact, -1, &cp);
    if (w <= 0) {
        snprintf(out, cap, "%s", exact);
        return;
    }
    utf8proc_uint8_t first[8] = {0};
    utf8proc_encode_char(utf8proc_toupper(cp), first);
    snprintf(out, cap, "%s%s", (char *)first, exact + w);
}

/* How many syllables of the run, from at, name a country, or 0: news writes "Tổng thống Mỹ Donald
 * Trump" and "Thủ tướng Nhật Bản Shinzo Abe", so a country often heads a person's name in a run. */
static size_t country_at(const name_run *r, size_t at)
{
    static const char *const COUNTRIES[] = {
        "mỹ", "nga", "pháp", "anh", "đức", "úc", "ý", "lào", "iran", "iraq", "syria", "israel", "ukraine",
        "canada", "campuchia", "philippines", "indonesia", "malaysia", "singapore", "nhật bản", "hàn quốc",
        "trung quốc", "triều tiên", "ấn độ", "thái lan", "ai cập", "thổ nhĩ kỳ", "tây ban nha"};
    for (size_t i = 0; i < sizeof COUNTRIES / sizeof *COUNTRIES; i++) {
        const char *c = COUNTRIES[i];
        size_t k = at;
        for (; k < r->len; k++) {
            size_t n = strlen(r->exact[k]);
            if (strncmp(c, r->exact[k], n) || (c[n] != ' ' && c[n] != 0))
                break;
            c += n;
            if (!*c)
                return k - at + 1;
            c++;
        }
    }
    return 0;
}

/* Counts a mention of the run's words [start, end), a new entry the first time. */
static void name_add(field_ctx *f, size_t start, size_t end, int shown)
{
    const name_run *r = &f->run;
    if (!f->names || end - start < 2 || end - start > 4)
        return;
    char folded[160] = "", display[200] = "";
    for (size_t i = start; i < end; i++) {
        char word[80];
        title_case(r->exact[i], word, sizeof word);
        size_t lf = strlen(folded), ld = strlen(display);
        snprintf(folded + lf, sizeof folded - lf, "%s%s", i > start ? " " : "", r->folded[i]);
        snprintf(display + ld, sizeof display - ld, "%s%s", i > start ? " " : "", word);
    }
    size_t k = 0;
    while (k < f->name_count && strcmp(f->names[k].folded, folded))
        k++;
    if (k < f->name_count) {
        f->names[k].count++;
        f->names[k].shown |= shown;
    } else if (f->name_count < MAX_NAMES) {
        name_entry *e = &f->names[f->name_count++];
        snprintf(e->folded, sizeof e->folded, "%s", folded);
        snprintf(e->display, sizeof e->display, "%s", display);
        e->count = 1;
        e->shown = shown;
    }
}

/* A run ends: without its leading title words, it is a name for the facet; a country at its head
 * is one on its own when a name of two syllables or more follows it. Title words also begin places
 * and names ("TP Tuy Hòa", "Quốc Tử Giám", "Bộ Công Thương"), so the run from each of them on is
 * kept too, for its N term only: a query for it then finds it. */
static void run_flush(field_ctx *f)
{
    const name_run *r = &f->run;
    if (r->len < 2) { /* one capitalised word is no name, whatever it is */
        f->run.len = 0;
        return;
    }
    size_t start = 0;
    while (start < r->len && !country_at(r, start) && is_name_title(r->exact[start]) &&
           (!heads_names(r->exact[start]) || r->len - start > 2))
        start++;
    for (size_t from = 0; from < start; from++)
        name_add(f, from, r->len, 0);
    size_t country = country_at(r, start);
    if (country && r->len - start - country >= 2) {
        name_add(f, start, start + country, 1);
        start += country;
    }
    name_add(f, start, r->len, 1);
    f->run.len = 0;
}

static int only_spaces_between(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (text[i] != ' ')
            return 0;
    return 1;
}

/* A word written with a capital (not a number): what names and capital pairs are made of. */
static int capitalised_word(const tc_token *t)
{
    return (t->flags & TC_TOKEN_CAPITALISED) && !(t->flags & TC_TOKEN_NUMERIC);
}

static void track_name(field_ctx *f, const tc_token *t)
{
    int capital = capitalised_word(t) && !(t->flags & TC_TOKEN_SENTENCE_START) && t->exact_len < 64 && t->folded_len < 64;
    int adjacent = f->run.len > 0 && f->have_prev && only_spaces_between(f->text, f->prev_end, t->start);
    if (f->run.len > 0 && (!capital || !adjacent || f->run.len == MAX_RUN))
        run_flush(f);
    if (!capital)
        return;
    memcpy(f->run.exact[f->run.len], t->exact, t->exact_len);
    f->run.exact[f->run.len][t->exact_len] = 0;
    memcpy(f->run.folded[f->run.len], t->folded, t->folded_len);
    f->run.folded[f->run.len][t->folded_len] = 0;
    f->run.len++;
}

/* The exact form as a term of its own where the folded term does not already tell it. Forms
 * version 0 stores every form with marks, bare ("công"); version 1 every form but the dominant one
 * (text/forms-vi.txt), the unmarked one included, as "V" + folded + " " + exact ("Vcong cộng"), so
 * that the stored forms of a syllable share a prefix and the dominant one's count is the folded
 * term's less theirs. Most occurrences are dominant: a fifth of the writer's work is saved. */
static void add_exact(const field_ctx *f, const tc_token *t)
{
    size_t dominant_len = t->folded_len;
    const char *dominant = f->forms ? tc_form_dominant(t->folded, t->folded_len, &dominant_len) : NULL;
    if (!dominant) {
        dominant = t->folded;
        dominant_len = t->folded_len;
    }
    if (dominant_len == t->exact_len && !memcmp(dominant, t->exact, dominant_len))
        return;
    if (!f->forms) {
        tc_xdoc_add_term(f->doc, t->exact, t->exact_len, 1);
        return;
    }
    char term[TC_XAPIAN_MAX_TERM + 8];
    size_t len = 2 + t->folded_len + t->exact_len;
    if (len > TC_XAPIAN_MAX_TERM)
        return;
    term[0] = 'V';
    memcpy(term + 1, t->folded, t->folded_len);
    term[1 + t->folded_len] = ' ';
    memcpy(term + 2 + t->folded_len, t->exact, t->exact_len);
    tc_xdoc_add_term(f->doc, term, len, 1);
}

/* Two capitalised syllables side by side ("Thái Linh"), at a sentence's start too, as one "B"
 * term: a name typed as a query finds the articles that write it without reading positions. */
static void add_capital_pair(field_ctx *f, const tc_token *t)
{
    int capital = capitalised_word(t) && t->folded_len < sizeof f->prev_capital;
    if (capital && f->prev_capital[0] && f->have_prev && only_spaces_between(f->text, f->prev_end, t->start)) {
        char pair[2 * sizeof f->prev_capital + 1];
        int n = snprintf(pair, sizeof pair, "%s %.*s", f->prev_capital, (int)t->folded_len, t->folded);
        add_prefixed(f->doc, "B", pair, (size_t)n, 0, 0);
    }
    f->prev_capital[0] = 0;
    if (capital) {
        memcpy(f->prev_capital, t->folded, t->folded_len);
        f->prev_capital[t->folded_len] = 0;
    }
}

static int on_token(void *ctx, const tc_token *t)
{
    field_ctx *f = ctx;
    unsigned pos = f->base + t->position;
    if (pos + 1 > f->next)
        f->next = pos + 1;
    int in_slot = f->main_text && f->forms >= TC_FORMS_POSITIONS_SLOT; /* the title's "S" terms too */
    if (f->main_text) {
        add_exact(f, t);
        add_prefixed(f->doc, "F", t->folded, t->folded_len, !in_slot, pos);
        if (in_slot)
            tc_xdoc_add_position(f->doc, t->folded, t->folded_len, pos);
    }
    if (f->prefix)
        add_prefixed(f->doc, f->prefix, t->folded, t->folded_len, !in_slot, pos);
    if (t->flags & TC_TOKEN_JOINED)
        return 0; /* a joined form is a synonym: no names */
    if (f->main_text)
        add_capital_pair(f, t);
    if (f->names)
        track_name(f, t);
    f->have_prev = 1;
    f->prev_end = t->end;
    return 0;
}

static unsigned index_field(tc_xdoc *doc, unsigned forms, const char *text, unsigned base, const char *prefix,
                            int main_text, name_entry *names, size_t *name_count)
{
    if (!text || !*text)
        return base;
    field_ctx f;
    memset(&f, 0, sizeof f);
    f.doc = doc;
    f.text = text;
    f.prefix = prefix;
    f.main_text = main_text;
    f.forms = forms;
    f.base = f.next = base;
    f.names = names;
    f.name_count = name_count ? *name_count : 0;
    tc_text_analyze(text, strlen(text), TC_MODE_DOCUMENT, on_token, &f);
    if (f.names)
        run_flush(&f);
    if (name_count)
        *name_count = f.name_count;
    return f.next + FIELD_GAP;
}

typedef struct {
    char *out;
    size_t cap, len;
} key_ctx;

static int on_key_token(void *ctx, const tc_token *t)
{
    key_ctx *k = ctx;
    if (t->flags & TC_TOKEN_JOINED)
        return 0;
    size_t need = (k->len ? 1 : 0) + t->exact_len;
    if (k->len + need + 1 > k->cap)
        return 1;
    if (k->len)
        k->out[k->len++] = ' ';
    memcpy(k->out + k->len, t->exact, t->exact_len);
    k->len += t->exact_len;
    k->out[k->len] = 0;
    return 0;
}

size_t tc_document_key(const char *text, size_t len, char *out, size_t cap)
{
    key_ctx k = {out, cap, 0};
    if (cap)
        out[0] = 0;
    tc_text_analyze(text, len, TC_MODE_QUERY, on_key_token, &k);
    return k.len;
}

static void add_key(tc_xdoc *doc, const char *prefix, const char *value)
{
    char key[200];
    if (!value || !*value)
        return;
    size_t n = tc_document_key(value, strlen(value), key, sizeof key);
    if (n)
        add_prefixed(doc, prefix, key, n, 0, 0);
}

static int by_count(const void *a, const void *b)
{
    const name_entry *x = a, *y = b;
    return x->count != y->count ? (x->count < y->count ? 1 : -1) : strcmp(x->folded, y->folded);
}

tc_xdoc *tc_document_build(const tc_article *a, unsigned forms)
{
    tc_xdoc *doc = tc_xdoc_new();
    name_entry *names = calloc(MAX_NAMES, sizeof *names);
    if (!doc || !names) {
        tc_xdoc_free(doc);
        free(names);
        return NULL;
    }
    size_t id_len = strlen(a->id);
    char *idterm = malloc(id_len + 2);
    if (!idterm) {
        tc_xdoc_free(doc);
        free(names);
        return NULL;
    }
    idterm[0] = 'Q';
    memcpy(idterm + 1, a->id, id_len + 1);
    tc_xdoc_add_boolean(doc, idterm, id_len + 1); /* what replace and delete find the article by */
    tc_xdoc_set_value(doc, TC_SLOT_ID, a->id, id_len);
    free(idterm);
    size_t name_count = 0;
    unsigned pos = index_field(doc, forms, a->title, 0, "S", 1, names, &name_count);
    if (forms >= TC_FORMS_POSITIONS_SLOT)
        tc_xdoc_set_title_end(doc, pos);
    pos = index_field(doc, forms, a->summary, pos, NULL, 1, names, &name_count);
    index_field(doc, forms, a->body, pos, NULL, 1, names, &name_count);
    index_field(doc, forms, a->author, 0, "A", 0, NULL, NULL);
    index_field(doc, forms, a->category, 0, "K", 0, NULL, NULL);
    index_field(doc, forms, a->source, 0, "O", 0, NULL, NULL);
    add_key(doc, "XA", a->author);
    add_key(doc, "XK", a->category);
    add_key(doc, "XO", a->source);
    if (a->author)
        tc_xdoc_set_value(doc, TC_SLOT_AUTHOR, a->author, strlen(a->author));
    if (a->category)
        tc_xdoc_set_value(doc, TC_SLOT_CATEGORY, a->category, strlen(a->category));
    if (a->source)
        tc_xdoc_set_value(doc, TC_SLOT_SOURCE, a->source, strlen(a->source));

    char iso[32] = "";
    if (a->has_date) {
        int y, m, d;
        char buf[32];
        tc_date_civil(a->date, &y, &m, &d);
        tc_xdoc_set_date(doc, TC_SLOT_DATE, a->date);
        int n = snprintf(buf, sizeof buf, "%04d", y);
        tc_xdoc_set_value(doc, TC_SLOT_YEAR, buf, (size_t)n);
        n = snprintf(buf, sizeof buf, "%04d-%02d", y, m);
        tc_xdoc_set_value(doc, TC_SLOT_MONTH, buf, (size_t)n);
        tc_date_format(a->date, iso);
    }

    qsort(names, name_count, sizeof *names, by_count);
    char joined[4096] = "";
    size_t jl = 0;
    for (size_t i = 0, shown = 0; i < name_count; i++) {
        char term[200];
        int n = snprintf(term, sizeof term, "N%s", names[i].folded);
        tc_xdoc_add_term(doc, term, (size_t)n, names[i].count);
        size_t dl = strlen(names[i].display);
        if (names[i].shown && shown++ < 20 && jl + dl + 2 < sizeof joined) {
            if (jl)
                joined[jl++] = '\x1f';
            memcpy(joined + jl, names[i].display, dl);
            jl += dl;
            joined[jl] = 0;
        }
    }
    if (jl)
        tc_xdoc_set_value(doc, TC_SLOT_NAMES, joined, jl);
    free(names);
    tc_xdoc_finish(doc);

    const char *fields[TC_STORED_FIELDS] = {a->id, a->title, a->url, a->author, iso, a->category,
                                            a->source, a->summary, a->body, joined, a->extra_json};
    size_t stored_len = 0;
    char *stored = tc_stored_encode(fields, &stored_len);
    if (!stored) {
        tc_xdoc_free(doc);
        return NULL;
    }
    tc_xdoc_set_data(doc, stored, stored_len);
    free(stored);
    return doc;
}
