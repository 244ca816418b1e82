/* fuzz_read.c — libFuzzer target: the article readers on arbitrary bytes, as JSON Lines (plain and gzip)
 * and as a plain-text page dump; every article read is built into a document, and its stored data read back. */
#include "article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static char dir[] = "/tmp/tracuu-fuzz-read-XXXXXX";
static char jsonl[64], gzipped[64], dump[64];

static void write_file(const char *path, const unsigned char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

static void write_gzip(const char *path, const unsigned char *data, size_t size)
{
    gzFile g = gzopen(path, "wb1");
    if (!g || (size && gzwrite(g, data, (unsigned)size) != (int)size) || gzclose(g) != Z_OK)
        abort();
}

/* Every record of path: each article must have an id and become a document; a skipped record must say why. */
static void read_all(const char *path)
{
    char err[256];
    tc_reader *r = tc_reader_open(path, err, sizeof err);
    if (!r)
        abort(); /* the file was just written */
    for (;;) {
        tc_article a;
        memset(&a, 0, sizeof a);
        unsigned line = 0;
        char why[256] = "";
        tc_read_result res = tc_reader_next(r, &a, &line, why, sizeof why);
        if (res == TC_READ_END || res == TC_READ_FAIL) {
            tc_article_clear(&a);
            break;
        }
        if (res == TC_READ_SKIP) {
            if (!why[0])
                abort();
            tc_article_clear(&a);
            continue;
        }
        if (!a.id || !a.id[0])
            abort();
        tc_xdoc_free(tc_document_build(&a, TC_FORMS_VERSION));
        const char *fields[TC_STORED_FIELDS] = {a.id, a.title, a.url, a.author, a.date_text, a.category,
                                                a.source, a.summary, a.body, NULL, a.extra_json};
        size_t len = 0;
        char *stored = tc_stored_encode(fields, &len);
        json_t *back = stored ? tc_stored_decode(stored, len) : NULL;
        if (stored && (!back || strcmp(json_string_value(json_object_get(back, "id")), a.id)))
            abort();
        json_decref(back);
        free(stored);
        tc_article_clear(&a);
    }
    tc_reader_close(r);
}

static void remove_files(void)
{
    remove(jsonl);
    remove(gzipped);
    remove(dump);
    remove(dir);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!jsonl[0]) {
        if (!mkdtemp(dir))
            abort();
        atexit(remove_files);
        snprintf(jsonl, sizeof jsonl, "%s/in.jsonl", dir);
        snprintf(gzipped, sizeof gzipped, "%s/in.jsonl.gz", dir);
        snprintf(dump, sizeof dump, "%s/in.txt", dir);
    }
    write_file(jsonl, data, size);
    read_all(jsonl);
    write_gzip(gzipped, data, size);
    read_all(gzipped);
    write_file(dump, data, size);
    read_all(dump);
    json_decref(tc_stored_decode((const char *)data, size)); /* damaged stored data: NULL, never a crash */
    return 0;
}
