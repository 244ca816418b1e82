/* wordtable.h — internal: a small open-addressing table over an embedded text list, one
 * "key" or "key<TAB>value" a line ('#' starts a comment), built on first lookup and then only read. */
#ifndef TC_WORDTABLE_H
#define TC_WORDTABLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

typedef struct {
    const char *key, *value; /* into the list itself; value is NULL on a line without a tab */
    size_t key_len, value_len;
} tc_word_entry;

typedef struct {
    const unsigned char *list; /* the embedded list and its length */
    const size_t *len;
    tc_word_entry *slots; /* slot_count of them, a power of two well above the list's length */
    size_t slot_count;
    pthread_mutex_t lock; /* held while the first lookup fills the slots */
    atomic_int ready;
} tc_word_table;

/* A table over an embedded list (list, list_len) in the static array slots. */
#define TC_WORD_TABLE(list, list_len, slots) \
    {list, &list_len, slots, sizeof slots / sizeof *slots, PTHREAD_MUTEX_INITIALIZER, 0}

/* The entry whose key is key[0..len), or NULL; the first lookup, from any thread, fills the table. */
const tc_word_entry *tc_word_table_find(tc_word_table *t, const char *key, size_t len);

#endif
