/* wordtable.h — internal: a small open-addressing table over an embedded text list, one
 * "key" or "key<TAB>value" a line ('#' starts a comment), built once and then only read. */
#ifndef TC_WORDTABLE_H
#define TC_WORDTABLE_H

#include <stddef.h>

typedef struct {
    const char *key, *value; /* into the list itself; value is NULL on a line without a tab */
    size_t key_len, value_len;
} tc_word_entry;

/* Fills slots (slot_count a power of two, well above the list's length) from the list. */
void tc_word_table_load(tc_word_entry *slots, size_t slot_count, const char *list, size_t len);
/* The entry whose key is key[0..len), or NULL. */
const tc_word_entry *tc_word_table_find(const tc_word_entry *slots, size_t slot_count, const char *key, size_t len);

#endif
