/* article.h — internal: one news article as read from JSON Lines or a plain-text dump, and the readers.
 * Strings are malloc'd and owned by the article; tc_article_clear frees them. */
#ifndef TC_ARTICLE_H
#define TC_ARTICLE_H

#include "tracuu.h"
#include "xapian_c.h"

typedef struct {
    char *id, *title, *url, *author, *category, *source, *summary, *body;
    char *date_text;  /* as written in the input */
    int has_date;
    int64_t date;     /* epoch seconds (UTC) when has_date */
    char *extra_json; /* unknown string fields, as a JSON object, or NULL */
} tc_article;

void tc_article_clear(tc_article *a);

/* Value slots and term prefixes: docs/index-schema.md is the written form of this table. */
enum {
    TC_SLOT_DATE = 0,     /* sortable_serialise(epoch seconds) */
    TC_SLOT_YEAR = 1,     /* "2024" (Vietnam time) */
    TC_SLOT_MONTH = 2,    /* "2024-04" */
    TC_SLOT_CATEGORY = 3, /* as written */
    TC_SLOT_AUTHOR = 4,   /* as written */
    TC_SLOT_SOURCE = 5,   /* as written */
    TC_SLOT_NAMES = 6,    /* people and places, \x1f between them */
    TC_SLOT_ID = 7,       /* the article id, for scoring phrase boosts over remote shards by id term */
    TC_SLOT_POSITIONS = TC_XAPIAN_POSITIONS_SLOT /* the folded syllables' positions (forms version 2) */
};

/* Builds the Xapian document: terms, values and stored data, its exact forms as the index's forms
 * version says (TC_FORMS_VERSION for a new index, 0 for one made before). NULL only when out of memory. */
tc_xdoc *tc_document_build(const tc_article *a, unsigned forms);

/* The filter key of a field value (author, category, source): its exact tokens joined by spaces,
 * written into out; the same function makes the indexed term and the query's. */
size_t tc_document_key(const char *text, size_t len, char *out, size_t cap);

/* ---- stored data (docs/index-schema.md) ---- */
#include <jansson.h>

/* Fields in stored order: id, title, url, author, date (ISO 8601 at +07:00), category, source,
 * summary, body, names (\x1f between them), extra (unknown input fields as a JSON object). */
#define TC_STORED_FIELDS 11
/* The stored form of the fields (NULL or "" for an absent one), malloc'd; NULL when out of memory. */
char *tc_stored_encode(const char *const fields[TC_STORED_FIELDS], size_t *len);
/* The stored data as a JSON object of the fields present (names an array, extra an object), read
 * from either schema's form; NULL when the data is damaged. */
json_t *tc_stored_decode(const char *data, size_t len);

/* ---- readers ---- */
typedef struct tc_reader tc_reader;

typedef enum { TC_READ_ARTICLE, TC_READ_END, TC_READ_SKIP, TC_READ_FAIL } tc_read_result;

/* Opens a JSON Lines file (plain or gzip), '-' for standard input, or a plain-text article dump
 * (any other file). Returns NULL with a message in err when the file cannot be opened. */
tc_reader *tc_reader_open(const char *path, char *err, size_t errlen);
/* Next article. TC_READ_SKIP: a bad record, why says what (the run goes on);
 * TC_READ_FAIL: the file cannot be read further. *line is the record's line number. */
tc_read_result tc_reader_next(tc_reader *r, tc_article *a, unsigned *line, char *why, size_t whylen);
/* Bytes of the file consumed so far and its size (0 when unknown), for progress. */
void tc_reader_progress(const tc_reader *r, uint64_t *done, uint64_t *total);
void tc_reader_close(tc_reader *r);

#endif
