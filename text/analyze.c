/* analyze.c — the tokenizer and normaliser shared by the indexer and the query side.
 * Splits UTF-8 into syllables with byte offsets and gives each its exact and folded form. */
#include "tracuu.h"
#include "vietnamese.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Longest token kept, in letters; the rest of a longer token is dropped (on both sides). */
#define MAX_UNITS 60
#define MAX_GROUP_BYTES 180

enum cls { C_SPACE, C_WORD, C_MARK, C_IGNORE, C_SOLO, C_SENTENCE, C_DOT, C_NUMSEP, C_GLUE };

typedef struct {
    const char *text;
    size_t len;
    tc_mode mode;
    tc_token_fn fn;
    void *ctx;
    int stopped;
    unsigned position;
    int boundary;     /* a sentence boundary was seen since the last token */
    int glued;        /* the next token is glued to the previous one */
    int glued_by_dot; /* ... and the glue was a full stop */
    /* the token being read */
    size_t start, end;
    size_t count;     /* units kept */
    int slow;         /* needs utf8proc: a letter or mark outside the Vietnamese table */
    uint32_t cps[MAX_UNITS * 2];
    size_t ncps;
    tc_letter units[MAX_UNITS];
    /* the glued group, for the joined form in document mode */
    unsigned group_parts, group_position, group_flags;
    size_t group_start, group_end, group_exact_len, group_folded_len, last_part_len;
    char group_exact[MAX_GROUP_BYTES], group_folded[MAX_GROUP_BYTES];
} state;

/* Decodes one code point; returns its byte length and sets *cp, or 1 and *cp = UINT32_MAX for
 * any invalid sequence (truncated, overlong, surrogate, above U+10FFFF, 0xFE/0xFF). */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t min, v;
    if (c >= 0xC2 && c <= 0xDF) { need = 2; min = 0x80; v = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 3; min = 0x800; v = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 4; min = 0x10000; v = c & 0x07; }
    else { *cp = UINT32_MAX; return 1; }
    if (n < need) { *cp = UINT32_MAX; return 1; }
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = UINT32_MAX; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) { *cp = UINT32_MAX; return 1; }
    *cp = v;
    return need;
}

static size_t encode(uint32_t cp, char *out)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int is_solo_script(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static enum cls classify_ascii(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
        return C_WORD;
    switch (cp) {
    case '.': return C_DOT;
    case ',': case '/': return C_NUMSEP;
    case '-': case '\'': case '_': return C_GLUE;
    case '!': case '?': case ':': case ';': case '\n': return C_SENTENCE;
    case ' ': case '\t': case '\r': case '\v': case '\f': return C_SPACE;
    default: return cp < 0x20 || cp == 0x7F ? C_IGNORE : C_SPACE;
    }
}

static unsigned char ascii_class[128];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void build_ascii_class(void)
{
    for (uint32_t c = 0; c < 128; c++)
        ascii_class[c] = (unsigned char)classify_ascii(c);
}

static enum cls classify(uint32_t cp)
{
    if (cp < 0x80)
        return (enum cls)ascii_class[cp];
    if (cp == UINT32_MAX)
        return C_SPACE; /* invalid UTF-8 splits tokens and never reaches a term */
    switch (cp) {
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return C_IGNORE;
    case 0x2019: case 0x2010: case 0x2011:
        return C_GLUE;
    case 0x2026: case 0x2028: case 0x2029:
        return C_SENTENCE;
    default:
        break;
    }
    if (is_solo_script(cp))
        return C_SOLO;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return C_WORD;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN: case UTF8PROC_CATEGORY_CS:
        return C_IGNORE;
    default:
        return C_SPACE;
    }
}

static int is_digit_unit(const tc_letter *u)
{
    return u->base >= '0' && u->base <= '9';
}

static void emit(state *st, tc_token *tok)
{
    if (st->stopped)
        return;
    if (st->fn(st->ctx, tok))
        st->stopped = 1;
}

static void group_flush(state *st)
{
    if (st->mode != TC_MODE_QUERY && st->group_parts >= 2 && st->group_parts <= 4) {
        tc_token tok = {st->group_start, st->group_end, st->group_position,
                        st->group_exact, st->group_exact_len, st->group_folded,
                        st->group_folded_len, TC_TOKEN_JOINED | (st->group_flags & TC_TOKEN_CAPITALISED)};
        emit(st, &tok);
    }
    st->group_parts = 0;
}

static void group_add(state *st, const tc_token *tok)
{
    if (!(tok->flags & TC_TOKEN_GLUED)) {
        st->group_parts = 0;
        st->group_start = tok->start;
        st->group_position = tok->position;
        st->group_flags = tok->flags;
        st->group_exact_len = st->group_folded_len = 0;
    }
    /* dots join only short parts (TP.HCM, U.S.A), not domains or sentences run together */
    if (st->glued_by_dot && (tok->folded_len > 3 || st->group_folded_len - st->last_part_len > 3))
        st->group_parts = 99;
    st->last_part_len = st->group_folded_len;
    if (st->group_exact_len + tok->exact_len > MAX_GROUP_BYTES ||
        st->group_folded_len + tok->folded_len > MAX_GROUP_BYTES) {
        st->group_parts = 99; /* too long to be a word: no joined form */
        return;
    }
    memcpy(st->group_exact + st->group_exact_len, tok->exact, tok->exact_len);
    st->group_exact_len += tok->exact_len;
    memcpy(st->group_folded + st->group_folded_len, tok->folded, tok->folded_len);
    st->group_folded_len += tok->folded_len;
    st->group_end = tok->end;
    st->group_parts++;
}

static char *map_slow(const uint32_t *cps, size_t n, int folded, size_t *out_len)
{
    char buf[MAX_UNITS * 2 * 4 + 1];
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += encode(cps[i], buf + len);
    buf[len] = 0;
    utf8proc_uint8_t *out = NULL;
    int options = UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STABLE;
    if (folded)
        options |= UTF8PROC_STRIPMARK;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)buf, (utf8proc_ssize_t)len, &out,
                                      (utf8proc_option_t)options);
    if (r < 0) {
        *out_len = 0;
        return NULL;
    }
    if (folded) { /* đ (U+0111, C4 91) → d; utf8proc has no decomposition for it */
        size_t w = 0;
        for (utf8proc_ssize_t i = 0; i < r; i++) {
            if (out[i] == 0xC4 && i + 1 < r && out[i + 1] == 0x91) {
                out[w++] = 'd';
                i++;
            } else {
                out[w++] = out[i];
            }
        }
        r = (utf8proc_ssize_t)w;
    }
    *out_len = (size_t)r;
    return (char *)out;
}

static void token_flush(state *st)
{
    if (st->count == 0)
        return;
    tc_token tok = {st->start, st->end, 0, NULL, 0, NULL, 0, 0};
    char exact[MAX_UNITS * 4], folded[MAX_UNITS];
    char *slow_exact = NULL, *slow_folded = NULL;
    if (st->slow) {
        slow_folded = map_slow(st->cps, st->ncps, 1, &tok.folded_len);
        if (st->mode == TC_MODE_FOLDED) {
            tok.exact = slow_folded;
            tok.exact_len = tok.folded_len;
        } else {
            slow_exact = map_slow(st->cps, st->ncps, 0, &tok.exact_len);
            tok.exact = slow_exact;
        }
        tok.folded = slow_folded;
        if (utf8proc_isupper((utf8proc_int32_t)st->cps[0]))
            tok.flags |= TC_TOKEN_CAPITALISED;
        if (utf8proc_category((utf8proc_int32_t)st->cps[0]) == UTF8PROC_CATEGORY_ND)
            tok.flags |= TC_TOKEN_NUMERIC;
    } else {
        for (size_t i = 0; i < st->count; i++)
            folded[i] = (char)st->units[i].base;
        tok.folded = tok.exact = folded;
        tok.folded_len = tok.exact_len = st->count;
        if (st->mode != TC_MODE_FOLDED) {
            int digits = 0;
            for (size_t i = 0; i < st->count; i++)
                digits |= !(st->units[i].base >= 'a' && st->units[i].base <= 'z');
            if (!digits)
                tc_syllable_place_tone(st->units, st->count);
            size_t e = 0;
            for (size_t i = 0; i < st->count; i++) {
                const tc_letter *u = &st->units[i];
                e += encode((u->base >= 'a' && u->base <= 'z') ? tc_letter_compose(u->base, u->mod, u->tone) : u->base,
                            exact + e);
            }
            tok.exact = exact;
            tok.exact_len = e;
        }
        if (st->units[0].upper)
            tok.flags |= TC_TOKEN_CAPITALISED;
        if (is_digit_unit(&st->units[0]))
            tok.flags |= TC_TOKEN_NUMERIC;
    }
    if (tok.exact && tok.folded && tok.exact_len > 0 && tok.folded_len > 0) {
        if (!st->glued)
            group_flush(st); /* the joined form follows the last part of its group */
        tok.position = st->position++;
        if (st->glued)
            tok.flags |= TC_TOKEN_GLUED;
        if (st->boundary)
            tok.flags |= TC_TOKEN_SENTENCE_START;
        if (st->mode != TC_MODE_FOLDED && tc_stopword_is(tok.exact, tok.exact_len))
            tok.flags |= TC_TOKEN_STOP;
        emit(st, &tok);
        group_add(st, &tok);
        st->boundary = 0;
    }
    free(slow_exact);
    free(slow_folded);
    st->count = 0;
    st->ncps = 0;
    st->slow = 0;
    st->glued = 0;
    st->glued_by_dot = 0;
}

/* Adds code point cp to the token being read; known is its letter when the caller looked it up. */
static void token_add(state *st, uint32_t cp, size_t at, size_t width, const tc_letter *known)
{
    if (st->count == 0) {
        st->start = at;
        st->slow = 0;
    }
    st->end = at + width;
    if (st->count >= MAX_UNITS || st->ncps >= MAX_UNITS * 2)
        return;
    tc_letter letter;
    if (cp >= '0' && cp <= '9') {
        letter = (tc_letter){(unsigned char)cp, MOD_NONE, TONE_NONE, 0};
    } else if (cp == '.' || cp == ',' || cp == '/') {
        letter = (tc_letter){(unsigned char)cp, MOD_NONE, TONE_NONE, 0};
    } else if (known) {
        letter = *known;
    } else if (!tc_letter_lookup(cp, &letter)) {
        letter = (tc_letter){0, 0, 0, 0};
        st->slow = 1;
    }
    st->units[st->count++] = letter;
    st->cps[st->ncps++] = cp;
}

/* A combining mark after a letter: Vietnamese tones and modifiers fold into the letter; a repeated
 * mark is dropped ("đượ̣c"); any other mark sends the token through utf8proc. */
static void mark_add(state *st, uint32_t cp, size_t at, size_t width)
{
    if (st->count == 0 || st->count > MAX_UNITS || st->ncps >= MAX_UNITS * 2)
        return;
    st->end = at + width;
    tc_letter *u = &st->units[st->count - 1];
    unsigned tone, mod;
    if (!st->slow && tc_mark_lookup(cp, &tone, &mod) && u->base >= 'a' && u->base <= 'z') {
        if (tone != TONE_NONE) {
            if (u->tone == TONE_NONE)
                u->tone = (unsigned char)tone;
            if (tc_letter_compose(u->base, u->mod, u->tone))
                return;
        } else if (u->mod == mod || (u->mod == MOD_NONE && tc_letter_compose(u->base, mod, u->tone))) {
            u->mod = (unsigned char)mod;
            return;
        }
    }
    st->slow = 1;
    st->cps[st->ncps++] = cp;
}

tc_status tc_text_analyze(const char *text, size_t len, tc_mode mode, tc_token_fn fn, void *ctx)
{
    tc_letters_init();
    pthread_once(&ascii_once, build_ascii_class);
    state *st = malloc(sizeof *st);
    if (!st)
        return TC_ERR_NOMEM;
    memset(st, 0, sizeof *st);
    st->text = text;
    st->len = len;
    st->mode = mode;
    st->fn = fn;
    st->ctx = ctx;
    st->boundary = 1;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len && !st->stopped) {
        uint32_t cp;
        size_t w = 1;
        enum cls c;
        tc_letter letter;
        const tc_letter *known = NULL;
        if (s[i] < 0x80) {
            cp = s[i];
            c = (enum cls)ascii_class[cp];
        } else { /* a letter of the Vietnamese table needs no Unicode category */
            w = decode(s + i, len - i, &cp);
            known = tc_letter_lookup(cp, &letter) ? &letter : NULL;
            c = known ? C_WORD : classify(cp);
        }
        switch (c) {
        case C_WORD:
            token_add(st, cp, i, w, known);
            break;
        case C_MARK:
            mark_add(st, cp, i, w);
            break;
        case C_IGNORE:
            break;
        case C_SOLO:
            token_flush(st);
            group_flush(st);
            token_add(st, cp, i, w, NULL);
            token_flush(st);
            break;
        case C_DOT: case C_NUMSEP: case C_GLUE: {
            uint32_t next = UINT32_MAX;
            size_t nw = i + w < len ? decode(s + i + w, len - i - w, &next) : 0;
            int next_word = nw && classify(next) == C_WORD;
            int in_number = st->count > 0 && is_digit_unit(&st->units[st->count - 1]);
            if (c != C_GLUE && in_number && next_word && next >= '0' && next <= '9') {
                token_flush(st); /* 99.321, 1,28, 16/5: parts glued into one number (99321, 165) */
                st->glued = 1;
            } else if (c != C_NUMSEP && st->count > 0 && next_word) {
                token_flush(st);
                st->glued = 1;
                st->glued_by_dot = c == C_DOT;
            } else {
                token_flush(st);
                if (c == C_DOT)
                    st->boundary = 1;
            }
            break;
        }
        case C_SENTENCE:
            token_flush(st);
            st->boundary = 1;
            break;
        case C_SPACE:
            token_flush(st);
            break;
        }
        i += w;
    }
    token_flush(st);
    group_flush(st);
    free(st);
    return TC_OK;
}

typedef struct {
    int folded;
    char *out;
    size_t cap, len;
} first_word;

static int take_first(void *ctx, const tc_token *tok)
{
    first_word *fw = ctx;
    const char *s = fw->folded ? tok->folded : tok->exact;
    size_t n = fw->folded ? tok->folded_len : tok->exact_len;
    if (n >= fw->cap)
        n = fw->cap - 1;
    memcpy(fw->out, s, n);
    fw->out[n] = 0;
    fw->len = n;
    return 1;
}

size_t tc_text_normalize_word(const char *text, size_t len, int folded, char *out, size_t cap)
{
    first_word fw = {folded, out, cap, 0};
    if (cap == 0)
        return 0;
    out[0] = 0;
    tc_text_analyze(text, len, TC_MODE_QUERY, take_first, &fw);
    return fw.len;
}
