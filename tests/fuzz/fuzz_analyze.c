/* fuzz_analyze.c — libFuzzer target: the analyser on arbitrary bytes, in both modes, the date parser
 * and the Telex reader. Checks token offsets and forms, and that a Telex reading is a word itself. */
#include "tracuu.h"

#include <stdlib.h>
#include <string.h>

static size_t input_len;

static int check_token(void *ctx, const tc_token *t)
{
    (void)ctx;
    if (t->start > t->end || t->end > input_len || t->exact_len == 0 || t->folded_len == 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    input_len = size;
    tc_text_analyze((const char *)data, size, TC_MODE_DOCUMENT, check_token, NULL);
    tc_text_analyze((const char *)data, size, TC_MODE_QUERY, check_token, NULL);
    int64_t t;
    tc_date_parse((const char *)data, size, &t);
    tc_date_parse_bound((const char *)data, size, 1, &t);
    char read[64], word[64];
    size_t n = tc_telex_decode((const char *)data, size, read, sizeof read);
    if (n && (strlen(read) != n || tc_text_normalize_word(read, n, 0, word, sizeof word) != n || memcmp(word, read, n)))
        abort(); /* a reading is one word, already as the analyser writes it */
    return 0;
}
