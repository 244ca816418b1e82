/* tracuu.h — the public C API of libtracuu: Vietnamese text analysis, dates, the index and search.
 * This is the only header a program outside the library needs; lifetimes are written beside each call. */
#ifndef TRACUU_H
#define TRACUU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes ---------------------------------------------------------------------- */

typedef enum {
    TC_OK = 0,
    TC_ERR_NOMEM,     /* out of memory */
    TC_ERR_IO,        /* a file could not be read or written */
    TC_ERR_INVALID,   /* bad input: the message says which */
    TC_ERR_NOTFOUND,  /* no such article or database */
    TC_ERR_LOCKED,    /* another writer holds the index */
    TC_ERR_CORRUPT,   /* the index is damaged */
    TC_ERR_MODIFIED,  /* the index changed under a reader: reopen and retry */
    TC_ERR_BACKEND    /* any other Xapian error */
} tc_status;

/* A constant English description; never NULL. */
const char *tc_status_to_string(tc_status status);

/* ---- text analysis ---------------------------------------------------------------------- */

/* DOCUMENT adds the joined form of glued parts (covid-19 → covid19) after them; FOLDED tokenises
 * as DOCUMENT but skips the exact form (token.exact is the folded form) and the stopword flag,
 * for matching on folded forms only (snippets). */
typedef enum { TC_MODE_DOCUMENT, TC_MODE_QUERY, TC_MODE_FOLDED } tc_mode;

enum {
    TC_TOKEN_STOP = 1u << 0,           /* the exact form is a stopword */
    TC_TOKEN_GLUED = 1u << 1,          /* joined to the previous token by - . ' _ with no space */
    TC_TOKEN_JOINED = 1u << 2,         /* document mode: a glued group written as one word
                                          ("covid19" for "Covid-19"); same position as its first part */
    TC_TOKEN_CAPITALISED = 1u << 3,    /* the first letter in the source is upper case */
    TC_TOKEN_SENTENCE_START = 1u << 4, /* first token of the text or after . ! ? : ; or a newline */
    TC_TOKEN_NUMERIC = 1u << 5         /* starts with a digit */
};

typedef struct {
    size_t start, end;      /* byte offsets of the token in the analysed text */
    unsigned position;      /* 0-based syllable position */
    const char *exact;      /* NFC, lower case, canonical tone placement; not NUL-terminated */
    size_t exact_len;
    const char *folded;     /* no tones, no vowel modifiers, đ → d */
    size_t folded_len;
    unsigned flags;         /* TC_TOKEN_* */
} tc_token;

/* Called once per token, in text order. The strings live until the callback returns.
 * Return non-zero to stop the analysis early. */
typedef int (*tc_token_fn)(void *ctx, const tc_token *token);

/* Tokenises and normalises text (any mix of NFC and NFD, old or new tone placement, invalid
 * UTF-8 allowed). Never fails on content; returns TC_OK. */
tc_status tc_text_analyze(const char *text, size_t len, tc_mode mode, tc_token_fn fn, void *ctx);

/* Normalises one word as the analyser would (first token only) into out (size cap, NUL-terminated).
 * Returns the length written, 0 when text holds no token. folded selects the folded form. */
size_t tc_text_normalize_word(const char *text, size_t len, int folded, char *out, size_t cap);

/* Reads a lower-case ASCII word as Telex keys typed with the input method off ("tieengs" ->
 * "tiếng", "nguwowif" -> "người", "ddi" -> "đi") into out (size cap, NUL-terminated, NFC, tone
 * placed as the analyser places it). Returns the length written, 0 when the word holds no Telex
 * key or does not read as letters of Vietnamese. */
size_t tc_telex_decode(const char *word, size_t len, char *out, size_t cap);

/* Whether the exact form (NFC, lower case) is in the built-in Vietnamese stopword list. */
int tc_stopword_is(const char *exact, size_t len);

/* The format an index's articles are written in, which the index records ("tracuu:forms"): 0 stores
 * every accented form (indexes made before the list of dominant forms, text/forms-vi.txt), 1 leaves
 * each syllable's dominant form to its folded term, 2 (TC_FORMS_POSITIONS_SLOT) also keeps the
 * positions of the folded syllables (of the text and of the title) in a value instead of Xapian's
 * position table, which remote shards behind xapian-tcpsrv need (`tracuu index --positions xapian`
 * makes an index of version 1). */
#define TC_FORMS_VERSION 2
#define TC_FORMS_POSITIONS_SLOT 2
/* The written form most articles use for a folded syllable ("nguoi" -> "người"), which an index of
 * forms version 1 or later does not store as an exact term: its count is the folded term's less
 * the other forms'. NULL (and *dominant_len 0) when that form is the folded one itself. */
const char *tc_form_dominant(const char *folded, size_t len, size_t *dominant_len);

/* ---- dates ------------------------------------------------------------------------------ */

/* Parses ISO 8601 or a Vietnamese news date ("18:20, 01/04/2024", "Thứ hai, 1/4/2024 - 18:20",
 * "ngày 1 tháng 4 năm 2024", optional "(GMT+7)"); times without a zone are Vietnam time (UTC+7).
 * Writes seconds since the epoch (UTC). TC_ERR_INVALID when no date is found. */
tc_status tc_date_parse(const char *text, size_t len, int64_t *out_epoch);

/* Like tc_date_parse, but for a query bound: a bare day, month or year is widened to its first
 * (end = 0) or last (end = 1) second in Vietnam time. */
tc_status tc_date_parse_bound(const char *text, size_t len, int end, int64_t *out_epoch);

/* Writes "YYYY-MM-DDTHH:MM:SS+07:00" (26 bytes with the NUL) into out. */
void tc_date_format(int64_t epoch, char out[32]);

/* Civil date in Vietnam time of an epoch second. */
void tc_date_civil(int64_t epoch, int *year, int *month, int *day);

#ifdef __cplusplus
}
#endif
#endif
