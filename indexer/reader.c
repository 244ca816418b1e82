/* reader.c — reads articles from JSON Lines (plain or gzip, or standard input) and from plain-text
 * article dumps (site line, title, author, "HH:MM, DD/MM/YYYY", body, page furniture). */
#include "article.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_RECORD (16u << 20) /* a longer line or file is skipped as a whole */
#define CHUNK (1u << 20)

struct tc_reader {
    char *path;
    gzFile gz;
    int plain_text;
    int done;
    unsigned line;
    uint64_t total;
    char *buf;            /* unread input is buf[pos..len) */
    size_t pos, len;
    char *record;         /* the line being assembled */
    size_t record_len, record_cap;
};

static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

tc_reader *tc_reader_open(const char *path, char *err, size_t errlen)
{
    tc_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->path = strdup(path);
    r->buf = malloc(CHUNK);
    int is_stdin = !strcmp(path, "-");
    r->plain_text = !is_stdin && !ends_with(path, ".jsonl") && !ends_with(path, ".jsonl.gz") &&
                    !ends_with(path, ".ndjson") && !ends_with(path, ".ndjson.gz") && !ends_with(path, ".json");
    int fd = is_stdin ? dup(0) : open(path, O_RDONLY);
    if (fd < 0 || !r->path || !r->buf) {
        snprintf(err, errlen, "%s", fd < 0 ? strerror(errno) : "out of memory");
        if (fd >= 0)
            close(fd);
        tc_reader_close(r);
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            snprintf(err, errlen, "is a directory");
            close(fd);
            tc_reader_close(r);
            return NULL;
        }
        if (S_ISREG(sb.st_mode))
            r->total = (uint64_t)sb.st_size;
    }
    r->gz = gzdopen(fd, "rb");
    if (!r->gz) {
        snprintf(err, errlen, "cannot read");
        close(fd);
        tc_reader_close(r);
        return NULL;
    }
    gzbuffer(r->gz, 256 * 1024);
    return r;
}

void tc_reader_close(tc_reader *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    free(r->path);
    free(r->buf);
    free(r->record);
    free(r);
}

void tc_reader_progress(const tc_reader *r, uint64_t *done, uint64_t *total)
{
    z_off_t off = r->gz ? gzoffset(r->gz) : 0;
    *done = off > 0 ? (uint64_t)off : 0;
    *total = r->total;
}

/* Fills buf; returns bytes read, 0 at the end, -1 on a read error (message in why). */
static int fill(tc_reader *r, char *why, size_t whylen)
{
    int n = gzread(r->gz, r->buf, CHUNK);
    if (n < 0) {
        int code;
        const char *msg = gzerror(r->gz, &code);
        snprintf(why, whylen, "read error: %s", code == Z_ERRNO ? strerror(errno) : msg);
        return -1;
    }
    if (n == 0 && !gzeof(r->gz)) {
        int code;
        const char *msg = gzerror(r->gz, &code);
        if (code != Z_OK) {
            snprintf(why, whylen, "read error: %s", msg);
            return -1;
        }
    }
    r->pos = 0;
    r->len = (size_t)n;
    return n;
}

static int append(tc_reader *r, const char *s, size_t n)
{
    if (r->record_len + n > MAX_RECORD)
        return 0; /* keep counting the length but stop storing */
    if (r->record_len + n + 1 > r->record_cap) {
        size_t cap = r->record_cap ? r->record_cap : 65536;
        while (cap < r->record_len + n + 1)
            cap *= 2;
        char *grown = realloc(r->record, cap);
        if (!grown)
            return 0;
        r->record = grown;
        r->record_cap = cap;
    }
    memcpy(r->record + r->record_len, s, n);
    r->record_len += n;
    r->record[r->record_len] = 0;
    return 1;
}

/* Reads one line (without its newline). Returns 1, 0 at the end, -1 on a read error. *size is
 * the full length, which may exceed what was kept (MAX_RECORD). */
static int read_line(tc_reader *r, size_t *size, char *why, size_t whylen)
{
    r->record_len = 0;
    size_t full = 0;
    int any = 0;
    for (;;) {
        if (r->pos == r->len) {
            int n = fill(r, why, whylen);
            if (n < 0)
                return -1;
            if (n == 0) {
                *size = full;
                return any ? 1 : 0;
            }
        }
        any = 1;
        char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
        append(r, r->buf + r->pos, take);
        full += take;
        r->pos += take + (nl ? 1 : 0);
        if (nl) {
            *size = full;
            return 1;
        }
    }
}

static const char *const FIELDS[] = {"id", "title", "url", "author", "date", "category", "source", "summary", "body"};

/* What is wrong with a non-empty id, or NULL. Ids stay within 200 bytes so that their unique term
 * stays within Xapian's limit (past it, the article could not be replaced or deleted); a tab or a
 * line break would break --batch's qid<TAB>rank<TAB>id lines. */
static const char *id_problem(const char *id, size_t len)
{
    size_t spaces = 0, controls = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];
        spaces += c == ' ';
        controls += c < 0x20 || c == 0x7f;
    }
    return len > 200   ? "is longer than 200 bytes"
           : controls  ? "holds a control character (a tab, a line break ...)"
           : spaces == len ? "is only spaces"
                           : NULL;
}

static int parse_json(tc_reader *r, tc_article *a, char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *obj = json_loadb(r->record, r->record_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        snprintf(why, whylen, "malformed JSON at column %d: %s", jerr.column, jerr.text);
        return 0;
    }
    int ok = 0;
    if (!json_is_object(obj)) {
        snprintf(why, whylen, "not a JSON object");
        goto done;
    }
    json_t *id = json_object_get(obj, "id");
    if (!id) {
        snprintf(why, whylen, "missing \"id\"");
        goto done;
    }
    if (!json_is_string(id) || json_string_length(id) == 0) {
        snprintf(why, whylen, "\"id\" must be a non-empty string");
        goto done;
    }
    const char *bad_id = id_problem(json_string_value(id), json_string_length(id));
    if (bad_id) {
        snprintf(why, whylen, "\"id\" %s", bad_id);
        goto done;
    }
    char **slots[] = {&a->id, &a->title, &a->url, &a->author, &a->date_text, &a->category, &a->source, &a->summary, &a->body};
    for (size_t i = 0; i < sizeof FIELDS / sizeof *FIELDS; i++) {
        json_t *v = json_object_get(obj, FIELDS[i]);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            snprintf(why, whylen, "field \"%s\" must be a string", FIELDS[i]);
            goto done;
        }
        *slots[i] = dup_n(json_string_value(v), json_string_length(v));
    }
    json_t *extra = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        int known = 0;
        for (size_t i = 0; i < sizeof FIELDS / sizeof *FIELDS; i++)
            known |= !strcmp(key, FIELDS[i]);
        if (!known && json_is_string(value) && json_string_length(value) > 0)
            json_object_set(extra, key, value);
    }
    if (json_object_size(extra))
        a->extra_json = json_dumps(extra, JSON_COMPACT);
    json_decref(extra);
    if (a->date_text && tc_date_parse(a->date_text, strlen(a->date_text), &a->date) == TC_OK)
        a->has_date = 1;
    ok = 1;
done:
    json_decref(obj);
    return ok;
}

/* ---- plain-text dumps ---- */

static const char *const FURNITURE[] = {"Tin xem nhiều", "Tin liên quan", "Tin mới", "Tin cùng chuyên mục",
                                        "Bình luận", "Xem thêm", "Đọc thêm", "Chia sẻ", "Tin khác", "Tin nổi bật"};

typedef struct {
    const char *s;
    size_t n;
} line_span;

static line_span trim(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) { /* NBSP */
        s += 2;
        n -= 2;
    }
    return (line_span){s, n};
}

static int line_is(line_span l, const char *text)
{
    return l.n == strlen(text) && !memcmp(l.s, text, l.n);
}

static int count_words(line_span l)
{
    int words = 0, in = 0;
    for (size_t i = 0; i < l.n; i++) {
        int space = l.s[i] == ' ';
        words += !space && !in;
        in = !space;
    }
    return words;
}

static int parse_plain(tc_reader *r, tc_article *a, char *why, size_t whylen)
{
    if (memchr(r->record, 0, r->record_len)) {
        snprintf(why, whylen, "binary data (NUL bytes), not a text article");
        return 0;
    }
    json_t *probe = json_stringn(r->record, r->record_len);
    if (!probe) {
        snprintf(why, whylen, "not valid UTF-8 text");
        return 0;
    }
    json_decref(probe);
    size_t cap = 64, count = 0;
    line_span *lines = malloc(cap * sizeof *lines);
    for (const char *p = r->record, *end = r->record + r->record_len; lines && p <= end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (count == cap) {
            line_span *grown = realloc(lines, (cap *= 2) * sizeof *lines);
            if (!grown) {
                free(lines);
                lines = NULL;
                break;
            }
            lines = grown;
        }
        lines[count++] = trim(p, (size_t)(nl - p));
        p = nl + 1;
    }
    if (!lines) {
        snprintf(why, whylen, "out of memory");
        return 0;
    }
    size_t date_line = count, title_line = count, author_line = count, first = count;
    for (size_t i = 0; i < count; i++) {
        if (lines[i].n == 0)
            continue;
        if (first == count)
            first = i;
        int64_t t;
        if (lines[i].n < 80 && count_words(lines[i]) <= 8 && tc_date_parse(lines[i].s, lines[i].n, &t) == TC_OK) {
            date_line = i;
            a->date = t;
            a->has_date = 1;
            a->date_text = dup_n(lines[i].s, lines[i].n);
            break;
        }
    }
    size_t body_from;
    if (date_line < count) {
        size_t i = date_line;
        while (i > 0 && lines[i - 1].n == 0)
            i--;
        if (i > 0 && count_words(lines[i - 1]) <= 5) {
            author_line = i - 1;
            i--;
            while (i > 0 && lines[i - 1].n == 0)
                i--;
        }
        if (i > 0)
            title_line = i - 1;
        body_from = date_line + 1;
    } else {
        title_line = first;
        body_from = first + 1;
    }
    if (title_line >= count || lines[title_line].n == 0) {
        free(lines);
        snprintf(why, whylen, "no title found (an empty file?)");
        return 0;
    }
    a->title = dup_n(lines[title_line].s, lines[title_line].n);
    if (author_line < count)
        a->author = dup_n(lines[author_line].s, lines[author_line].n);
    if (first < title_line && first != author_line)
        a->source = dup_n(lines[first].s, lines[first].n);
    size_t body_to = count;
    for (size_t i = body_from; i < count && body_to == count; i++)
        for (size_t k = 0; k < sizeof FURNITURE / sizeof *FURNITURE; k++)
            if (line_is(lines[i], FURNITURE[k]))
                body_to = i;
    while (body_to > body_from && (lines[body_to - 1].n == 0 ||
                                   (a->author && line_is(lines[body_to - 1], a->author))))
        body_to--; /* the byline repeated under the body */
    size_t len = 0;
    for (size_t i = body_from; i < body_to; i++)
        len += lines[i].n + 1;
    a->body = malloc(len + 1);
    if (a->body) {
        size_t w = 0;
        for (size_t i = body_from; i < body_to; i++) {
            if (lines[i].n == 0)
                continue;
            memcpy(a->body + w, lines[i].s, lines[i].n);
            w += lines[i].n;
            a->body[w++] = '\n';
        }
        a->body[w ? w - 1 : 0] = 0;
    }
    /* the id is the file name without its extension */
    const char *base = strrchr(r->path, '/');
    base = base ? base + 1 : r->path;
    const char *dot = strrchr(base, '.');
    size_t id_len = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    const char *bad_id = id_problem(base, id_len);
    if (bad_id) {
        snprintf(why, whylen, "the id, the file's name, %s", bad_id);
        free(lines);
        return 0;
    }
    a->id = dup_n(base, id_len);
    free(lines);
    return 1;
}

tc_read_result tc_reader_next(tc_reader *r, tc_article *a, unsigned *line, char *why, size_t whylen)
{
    memset(a, 0, sizeof *a);
    why[0] = 0;
    if (r->done)
        return TC_READ_END;
    if (r->plain_text) {
        r->done = 1;
        r->record_len = 0;
        *line = 1;
        for (;;) {
            int n = fill(r, why, whylen);
            if (n < 0)
                return TC_READ_FAIL;
            if (n == 0)
                break;
            if (r->record_len + (size_t)n > MAX_RECORD) {
                snprintf(why, whylen, "file is larger than %u MB", MAX_RECORD >> 20);
                return TC_READ_SKIP;
            }
            append(r, r->buf, (size_t)n);
        }
        if (r->record_len == 0) {
            snprintf(why, whylen, "empty file");
            return TC_READ_SKIP;
        }
        if (!parse_plain(r, a, why, whylen)) {
            tc_article_clear(a);
            return TC_READ_SKIP;
        }
        return TC_READ_ARTICLE;
    }
    for (;;) {
        size_t size;
        int got = read_line(r, &size, why, whylen);
        if (got < 0) {
            r->done = 1;
            return TC_READ_FAIL;
        }
        if (got == 0) {
            r->done = 1;
            if (r->line == 0) {
                snprintf(why, whylen, "empty file, no articles");
                return TC_READ_SKIP;
            }
            return TC_READ_END;
        }
        *line = ++r->line;
        if (size > MAX_RECORD) {
            snprintf(why, whylen, "record is %zu MB, over the %u MB limit", size >> 20, MAX_RECORD >> 20);
            return TC_READ_SKIP;
        }
        size_t blank = 0;
        while (blank < r->record_len && (r->record[blank] == ' ' || r->record[blank] == '\r' || r->record[blank] == '\t'))
            blank++;
        if (blank == r->record_len)
            continue; /* blank lines are not records */
        if (!parse_json(r, a, why, whylen)) {
            tc_article_clear(a);
            return TC_READ_SKIP;
        }
        return TC_READ_ARTICLE;
    }
}
