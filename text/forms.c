/* forms.c — the built-in list of dominant written forms (text/forms-vi.txt), embedded at build time:
 * a folded syllable's most used accented form, which the index leaves to its folded term. */
#include "tracuu.h"
#include "wordtable.h"

#include <pthread.h>

extern const unsigned char tc_forms_vi[];
extern const size_t tc_forms_vi_len;

#define SLOTS 4096 /* power of two, well above the list's length */

static tc_word_entry slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One "folded<TAB>dominant" pair a line. */
static void load(void)
{
    tc_word_table_load(slots, SLOTS, (const char *)tc_forms_vi, tc_forms_vi_len);
}

const char *tc_form_dominant(const char *folded, size_t len, size_t *dominant_len)
{
    pthread_once(&once, load);
    const tc_word_entry *e = tc_word_table_find(slots, SLOTS, folded, len);
    *dominant_len = e && e->value ? e->value_len : 0;
    return e && e->value_len ? e->value : NULL;
}
