/* fuzz_analyze.c — libFuzzer target: the analyser on arbitrary bytes, in both modes, and the date parser.
 * Checks that every token's offsets lie inside the input and its forms are non-empty. */
#include "tracuu.h"

#include <stdlib.h>

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
    return 0;
}
