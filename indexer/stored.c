/* stored.c — an article's stored data: its display fields, length-prefixed and zstd-compressed,
 * written by the indexer and read back as a JSON object (schema 1 stored that JSON object itself). */
#include "article.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define STORED_PLAIN 2      /* first byte of the fields as they are; schema 1 data starts with '{' */
#define STORED_ZSTD 3       /* first byte of the same fields in one zstd frame */
#define STORED_ZSTD_LEVEL 1

/* One zstd context of each kind a thread, kept from record to record (made afresh, a context costs
 * more than compressing or reading a 4 KB article: 28 us against 18 to compress, 15 against 6 to
 * read) and freed when the thread ends. */
static pthread_key_t compress_key, decompress_key;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void *new_compressor(void) { return ZSTD_createCCtx(); }
static void *new_decompressor(void) { return ZSTD_createDCtx(); }
static void free_compressor(void *c) { ZSTD_freeCCtx(c); }
static void free_decompressor(void *d) { ZSTD_freeDCtx(d); }
static void make_keys(void)
{
    pthread_key_create(&compress_key, free_compressor);
    pthread_key_create(&decompress_key, free_decompressor);
}

/* The calling thread's context under *key, made on first use; NULL when out of memory. */
static void *thread_context(const pthread_key_t *key, void *(*make)(void), void (*release)(void *))
{
    pthread_once(&keys_once, make_keys);
    void *c = pthread_getspecific(*key);
    if (!c && (c = make()) && pthread_setspecific(*key, c)) {
        release(c);
        c = NULL;
    }
    return c;
}

static const char *const FIELD_NAMES[TC_STORED_FIELDS] = {"id", "title", "url", "author", "date", "category",
                                                          "source", "summary", "body", "names", "extra"};

char *tc_stored_encode(const char *const fields[TC_STORED_FIELDS], size_t *len)
{
    size_t cap = 1;
    for (size_t i = 0; i < TC_STORED_FIELDS; i++)
        cap += 10 + (fields[i] ? strlen(fields[i]) : 0);
    unsigned char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t n = 0;
    out[n++] = STORED_PLAIN;
    for (size_t i = 0; i < TC_STORED_FIELDS; i++) {
        size_t l = fields[i] ? strlen(fields[i]) : 0;
        for (size_t v = l; ; v >>= 7) { /* the length as a base-128 varint, low bits first */
            out[n++] = (unsigned char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
            if (v <= 0x7F)
                break;
        }
        if (l)
            memcpy(out + n, fields[i], l);
        n += l;
    }
    /* compressed here, on the analysing thread, Xapian's writer then stores it as it is */
    ZSTD_CCtx *context = thread_context(&compress_key, new_compressor, free_compressor);
    size_t bound = 1 + ZSTD_compressBound(n - 1);
    unsigned char *packed = context ? malloc(bound) : NULL;
    size_t packed_len = packed ? ZSTD_compressCCtx(context, packed + 1, bound - 1, out + 1, n - 1, STORED_ZSTD_LEVEL) : 0;
    if (!packed || ZSTD_isError(packed_len) || packed_len + 1 >= n) {
        free(packed);
        *len = n;
        return (char *)out;
    }
    free(out);
    packed[0] = STORED_ZSTD;
    *len = packed_len + 1;
    return (char *)packed;
}

/* names: the display names joined by \x1f, as an array */
static json_t *names_array(const char *s, size_t len)
{
    json_t *arr = json_array();
    for (size_t from = 0; arr && from < len;) {
        const char *sep = memchr(s + from, '\x1f', len - from);
        size_t to = sep ? (size_t)(sep - s) : len;
        json_array_append_new(arr, json_stringn(s + from, to - from));
        from = to + 1;
    }
    return arr;
}

static json_t *decode_plain(const char *data, size_t len)
{
    if (!len || data[0] != STORED_PLAIN)
        return NULL;
    json_t *obj = json_object();
    const unsigned char *p = (const unsigned char *)data;
    size_t at = 1;
    for (size_t i = 0; obj && i < TC_STORED_FIELDS; i++) {
        size_t l = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (at >= len || shift > 28) {
                json_decref(obj);
                return NULL;
            }
            l |= (size_t)(p[at] & 0x7F) << shift;
            if (!(p[at++] & 0x80))
                break;
        }
        if (l > len - at) {
            json_decref(obj);
            return NULL;
        }
        const char *s = data + at;
        at += l;
        if (!l)
            continue;
        json_t *value = i == 9 ? names_array(s, l) : i == 10 ? json_loadb(s, l, 0, NULL) : json_stringn(s, l);
        if (value)
            json_object_set_new(obj, FIELD_NAMES[i], value);
    }
    return obj;
}

/* The fields of a zstd frame, read as plain stored data. */
static json_t *decode_zstd(const char *data, size_t len)
{
    unsigned long long size = ZSTD_getFrameContentSize(data, len);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 31))
        return NULL;
    char *plain = malloc((size_t)size + 1);
    if (!plain)
        return NULL;
    plain[0] = STORED_PLAIN;
    ZSTD_DCtx *context = thread_context(&decompress_key, new_decompressor, free_decompressor);
    size_t got = context ? ZSTD_decompressDCtx(context, plain + 1, (size_t)size, data, len)
                         : ZSTD_decompress(plain + 1, (size_t)size, data, len);
    json_t *obj = ZSTD_isError(got) || got != size ? NULL : decode_plain(plain, (size_t)size + 1);
    free(plain);
    return obj;
}

json_t *tc_stored_decode(const char *data, size_t len)
{
    if (len && data[0] == '{')
        return json_loadb(data, len, 0, NULL);
    if (len && data[0] == STORED_ZSTD)
        return decode_zstd(data + 1, len - 1);
    return decode_plain(data, len);
}
