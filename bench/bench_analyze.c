/* bench_analyze.c — analyser throughput (full and folded-only) on every corpus article, one core,
 * beside a single utf8proc_map(NFC|CASEFOLD|STRIPMARK) pass over the same text in the same run. */
#include "tracuu.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>
#include <zlib.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_token(void *ctx, const tc_token *t)
{
    (void)t;
    ++*(size_t *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../shared/corpus/vnnews-38k.jsonl.gz";
    gzFile in = gzopen(path, "rb");
    if (!in) {
        fprintf(stderr, "bench_analyze: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 1024, n = 0, bytes = 0;
    char **texts = malloc(cap * sizeof *texts);
    size_t *lens = malloc(cap * sizeof *lens);
    static char line[1 << 22];
    while (gzgets(in, line, sizeof line)) {
        json_t *a = json_loads(line, 0, NULL);
        if (!a)
            continue;
        const char *fields[3] = {"title", "summary", "body"};
        size_t len = 0;
        char *text = malloc(strlen(line) + 3);
        for (int f = 0; f < 3; f++) {
            const char *s = json_string_value(json_object_get(a, fields[f]));
            if (!s)
                continue;
            size_t l = strlen(s);
            memcpy(text + len, s, l);
            len += l;
            text[len++] = '\n';
        }
        json_decref(a);
        if (n == cap) {
            cap *= 2;
            texts = realloc(texts, cap * sizeof *texts);
            lens = realloc(lens, cap * sizeof *lens);
        }
        texts[n] = text;
        lens[n++] = len;
        bytes += len;
    }
    gzclose(in);

    size_t tokens = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i++)
        tc_text_analyze(texts[i], lens[i], TC_MODE_DOCUMENT, count_token, &tokens);
    double ours = now() - t0;

    size_t folded_tokens = 0;
    t0 = now();
    for (size_t i = 0; i < n; i++)
        tc_text_analyze(texts[i], lens[i], TC_MODE_FOLDED, count_token, &folded_tokens);
    double folded = now() - t0;

    t0 = now();
    size_t mapped = 0;
    for (size_t i = 0; i < n; i++) {
        utf8proc_uint8_t *out = NULL;
        utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)texts[i], (utf8proc_ssize_t)lens[i], &out,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
        if (r > 0)
            mapped += (size_t)r;
        free(out);
    }
    double peer = now() - t0;

    double mb = bytes / 1e6;
    printf("articles: %zu, text: %.1f MB\n", n, mb);
    printf("%-40s %8.1f MB/s %12.0f tokens/s %7.2f s\n", "tracuu analyser (tokens + exact + folded)", mb / ours, tokens / ours, ours);
    printf("%-40s %8.1f MB/s %12.0f tokens/s %7.2f s\n", "tracuu analyser, folded only (snippets)", mb / folded, folded_tokens / folded, folded);
    printf("%-40s %8.1f MB/s %12s          %7.2f s\n", "utf8proc_map NFC|CASEFOLD|STRIPMARK", mb / peer, "-", peer);
    printf("ratio (tracuu MB/s / utf8proc MB/s): %.2f\n", peer / ours);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
    return mapped == 0;
}
