/* forms.c — the built-in list of dominant written forms (text/forms-vi.txt), embedded at build time:
 * a folded syllable's most used accented form, which the index leaves to its folded term. */
#include "tracuu.h"

#include <pthread.h>
#include <string.h>

extern const unsigned char tc_forms_vi[];
extern const size_t tc_forms_vi_len;

#define SLOTS 4096 /* power of two, well above the list's length */

static struct {
    const char *folded, *dominant;
    size_t folded_len, dominant_len;
} slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static unsigned hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* One "folded<TAB>dominant" pair a line; '#' starts a comment. */
static void load(void)
{
    const char *p = (const char *)tc_forms_vi, *end = p + tc_forms_vi_len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *tab = memchr(p, '\t', (size_t)(eol - p));
        if (tab && p[0] != '#' && tab > p && eol > tab + 1) {
            unsigned h = hash(p, (size_t)(tab - p)) & (SLOTS - 1);
            while (slots[h].folded)
                h = (h + 1) & (SLOTS - 1);
            slots[h].folded = p;
            slots[h].folded_len = (size_t)(tab - p);
            slots[h].dominant = tab + 1;
            slots[h].dominant_len = (size_t)(eol - tab - 1);
        }
        p = eol + 1;
    }
}

const char *tc_form_dominant(const char *folded, size_t len, size_t *dominant_len)
{
    pthread_once(&once, load);
    *dominant_len = 0;
    for (unsigned h = hash(folded, len) & (SLOTS - 1); slots[h].folded; h = (h + 1) & (SLOTS - 1))
        if (slots[h].folded_len == len && memcmp(slots[h].folded, folded, len) == 0) {
            *dominant_len = slots[h].dominant_len;
            return slots[h].dominant;
        }
    return NULL;
}
