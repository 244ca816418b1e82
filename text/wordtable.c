/* wordtable.c — the lookup table behind the embedded word lists (stopwords, dominant forms): FNV-1a
 * hashed, linear probing, keys and values pointing into the list, no allocation. */
#include "wordtable.h"

#include <string.h>

static size_t hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void load(tc_word_entry *slots, size_t slot_count, const char *list, size_t len)
{
    const char *p = list, *end = list + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t n = (size_t)(eol - p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r'))
            n--;
        const char *tab = memchr(p, '\t', n);
        size_t key_len = tab ? (size_t)(tab - p) : n;
        if (key_len > 0 && p[0] != '#') {
            size_t h = hash(p, key_len) & (slot_count - 1);
            while (slots[h].key)
                h = (h + 1) & (slot_count - 1);
            slots[h] = (tc_word_entry){p, tab ? tab + 1 : NULL, key_len, tab ? (size_t)(p + n - tab - 1) : 0};
        }
        p = eol + 1;
    }
}

const tc_word_entry *tc_word_table_find(tc_word_table *t, const char *key, size_t len)
{
    if (!atomic_load_explicit(&t->ready, memory_order_acquire)) {
        pthread_mutex_lock(&t->lock);
        if (!atomic_load_explicit(&t->ready, memory_order_relaxed)) {
            load(t->slots, t->slot_count, (const char *)t->list, *t->len);
            atomic_store_explicit(&t->ready, 1, memory_order_release);
        }
        pthread_mutex_unlock(&t->lock);
    }
    const tc_word_entry *slots = t->slots;
    size_t slot_count = t->slot_count;
    for (size_t h = hash(key, len) & (slot_count - 1); slots[h].key; h = (h + 1) & (slot_count - 1))
        if (slots[h].key_len == len && memcmp(slots[h].key, key, len) == 0)
            return &slots[h];
    return NULL;
}
