/* stopwords.c — the built-in Vietnamese stopword set, loaded from stopwords/vi.txt at build time.
 * A tiny open-addressing hash set (text/wordtable.c), built once, read by every analyser thread. */
#include "tracuu.h"
#include "wordtable.h"

#include <pthread.h>

extern const unsigned char tc_stopwords_vi[];
extern const size_t tc_stopwords_vi_len;

#define SLOTS 256 /* power of two, well above the list's length */

static tc_word_entry slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    tc_word_table_load(slots, SLOTS, (const char *)tc_stopwords_vi, tc_stopwords_vi_len);
}

int tc_stopword_is(const char *exact, size_t len)
{
    if (len > 12)
        return 0;
    pthread_once(&once, load);
    return tc_word_table_find(slots, SLOTS, exact, len) != NULL;
}
