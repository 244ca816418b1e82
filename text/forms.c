/* forms.c — the built-in list of dominant written forms (text/forms-vi.txt), embedded at build time:
 * a folded syllable's most used accented form, which the index leaves to its folded term. */
#include "tracuu.h"
#include "wordtable.h"

extern const unsigned char tc_forms_vi[];
extern const size_t tc_forms_vi_len;

static tc_word_entry slots[4096];
static tc_word_table forms = TC_WORD_TABLE(tc_forms_vi, tc_forms_vi_len, slots); /* "folded<TAB>dominant" */

const char *tc_form_dominant(const char *folded, size_t len, size_t *dominant_len)
{
    const tc_word_entry *e = tc_word_table_find(&forms, folded, len);
    *dominant_len = e && e->value ? e->value_len : 0;
    return e && e->value_len ? e->value : NULL;
}
