/* fuzz_parse.c — libFuzzer target: the query parser on arbitrary bytes, then the tree written out
 * and a snippet built from the input with the parsed query. Any crash or leak fails the run. */
#include "query.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tc_query *q = tc_query_parse((const char *)data, size);
    if (!q)
        return 0;
    free(tc_query_describe(q));
    free(tc_snippet((const char *)data, size, q, 120, 0));
    tc_query_free(q);
    return 0;
}
