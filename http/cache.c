/* cache.c — the daemon's answer cache: search results by their normalised request, least recently used
 * evicted past a byte budget, and dropped as a whole when any worker's reader sees a new commit. */
#include "http.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    struct entry *next_in_bucket;
    struct entry *newer, *older; /* the recency list */
    uint64_t hash;
    char *key, *value;
    size_t key_len, value_len;
} entry;

struct tc_cache {
    pthread_mutex_t lock;
    entry **buckets;
    size_t bucket_count; /* a power of two */
    entry *newest, *oldest;
    size_t bytes, max_bytes, entries;
    uint64_t generation;
    unsigned long hits, misses;
};

#define ENTRY_OVERHEAD (sizeof(entry) + 32)

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

tc_cache *tc_cache_new(size_t max_bytes)
{
    tc_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->bucket_count = 4096;
    c->buckets = calloc(c->bucket_count, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return NULL;
    }
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void unlink_recency(tc_cache *c, entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void push_newest(tc_cache *c, entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static void remove_entry(tc_cache *c, entry *e)
{
    entry **at = &c->buckets[e->hash & (c->bucket_count - 1)];
    while (*at != e)
        at = &(*at)->next_in_bucket;
    *at = e->next_in_bucket;
    unlink_recency(c, e);
    c->bytes -= e->key_len + e->value_len + ENTRY_OVERHEAD;
    c->entries--;
    free(e->key);
    free(e->value);
    free(e);
}

static void clear(tc_cache *c)
{
    while (c->oldest)
        remove_entry(c, c->oldest);
}

void tc_cache_free(tc_cache *c)
{
    if (!c)
        return;
    clear(c);
    pthread_mutex_destroy(&c->lock);
    free(c->buckets);
    free(c);
}

uint64_t tc_cache_generation(tc_cache *c)
{
    pthread_mutex_lock(&c->lock);
    uint64_t g = c->generation;
    pthread_mutex_unlock(&c->lock);
    return g;
}

void tc_cache_invalidate(tc_cache *c)
{
    pthread_mutex_lock(&c->lock);
    c->generation++;
    clear(c);
    pthread_mutex_unlock(&c->lock);
}

static entry *find(tc_cache *c, const char *key, size_t key_len, uint64_t h)
{
    for (entry *e = c->buckets[h & (c->bucket_count - 1)]; e; e = e->next_in_bucket)
        if (e->hash == h && e->key_len == key_len && !memcmp(e->key, key, key_len))
            return e;
    return NULL;
}

char *tc_cache_get(tc_cache *c, const char *key, size_t *len)
{
    size_t key_len = strlen(key);
    uint64_t h = hash_of(key, key_len);
    char *copy = NULL;
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, key, key_len, h);
    if (e && (copy = malloc(e->value_len + 1))) {
        memcpy(copy, e->value, e->value_len + 1);
        *len = e->value_len;
        unlink_recency(c, e);
        push_newest(c, e);
    }
    if (copy)
        c->hits++;
    else
        c->misses++;
    pthread_mutex_unlock(&c->lock);
    return copy;
}

void tc_cache_put(tc_cache *c, const char *key, uint64_t generation, const char *value, size_t len)
{
    size_t key_len = strlen(key);
    size_t cost = key_len + len + ENTRY_OVERHEAD;
    if (cost > c->max_bytes / 8) /* one answer never takes much of the budget */
        return;
    uint64_t h = hash_of(key, key_len);
    entry *e = calloc(1, sizeof *e);
    char *k = malloc(key_len + 1), *v = malloc(len + 1);
    if (!e || !k || !v) {
        free(e);
        free(k);
        free(v);
        return;
    }
    memcpy(k, key, key_len + 1);
    memcpy(v, value, len);
    v[len] = 0;
    *e = (entry){.hash = h, .key = k, .value = v, .key_len = key_len, .value_len = len};
    pthread_mutex_lock(&c->lock);
    entry *old = generation == c->generation ? find(c, key, key_len, h) : NULL;
    if (generation != c->generation) { /* computed on a reader older than the last invalidation */
        pthread_mutex_unlock(&c->lock);
        free(k);
        free(v);
        free(e);
        return;
    }
    if (old)
        remove_entry(c, old);
    entry **bucket = &c->buckets[h & (c->bucket_count - 1)];
    e->next_in_bucket = *bucket;
    *bucket = e;
    push_newest(c, e);
    c->bytes += cost;
    c->entries++;
    while (c->bytes > c->max_bytes && c->oldest)
        remove_entry(c, c->oldest);
    pthread_mutex_unlock(&c->lock);
}

void tc_cache_stats(tc_cache *c, tc_cache_figures *out)
{
    pthread_mutex_lock(&c->lock);
    *out = (tc_cache_figures){c->hits, c->misses, c->entries, c->bytes};
    pthread_mutex_unlock(&c->lock);
}
