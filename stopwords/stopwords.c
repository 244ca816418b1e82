/* stopwords.c — the built-in Vietnamese stopword set, loaded from stopwords/vi.txt at build time.
 * A tiny open-addressing hash set, built once, read by every analyser thread. */
#include "tracuu.h"

#include <pthread.h>
#include <string.h>

extern const unsigned char tc_stopwords_vi[];
extern const size_t tc_stopwords_vi_len;

#define SLOTS 256 /* power of two, well above the list's length */

static struct { const char *word; size_t len; } slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static unsigned hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void load(void)
{
    const char *p = (const char *)tc_stopwords_vi, *end = p + tc_stopwords_vi_len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t n = (size_t)(eol - p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r'))
            n--;
        if (n > 0 && p[0] != '#') {
            unsigned h = hash(p, n) & (SLOTS - 1);
            while (slots[h].word)
                h = (h + 1) & (SLOTS - 1);
            slots[h].word = p;
            slots[h].len = n;
        }
        p = eol + 1;
    }
}

int tc_stopword_is(const char *exact, size_t len)
{
    if (len > 12)
        return 0;
    pthread_once(&once, load);
    for (unsigned h = hash(exact, len) & (SLOTS - 1); slots[h].word; h = (h + 1) & (SLOTS - 1))
        if (slots[h].len == len && memcmp(slots[h].word, exact, len) == 0)
            return 1;
    return 0;
}
