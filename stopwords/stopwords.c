/* stopwords.c — the built-in Vietnamese stopword set, loaded from stopwords/vi.txt at build time.
 * A tiny open-addressing hash set (text/wordtable.c), built once, read by every analyser thread. */
#include "tracuu.h"
#include "wordtable.h"

extern const unsigned char tc_stopwords_vi[];
extern const size_t tc_stopwords_vi_len;

static tc_word_entry slots[256];
static tc_word_table stopwords = TC_WORD_TABLE(tc_stopwords_vi, tc_stopwords_vi_len, slots);

int tc_stopword_is(const char *exact, size_t len)
{
    return len <= 12 && tc_word_table_find(&stopwords, exact, len) != NULL;
}
