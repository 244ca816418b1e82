/* index_cmd.c — `tracuu index`, `tracuu delete` and `tracuu stats`: the writer's side of the index.
 * Articles are analysed on one thread and written on others (one a shard); a batch is one commit a shard. */
#include "article.h"
#include "cli.h"
#include "shards.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_SIZE 256
#define BATCH_BYTES (128u << 20) /* commit early when a batch's text passes this, whatever --batch says */

typedef struct {
    char *idterm;
    tc_xdoc *doc;
    size_t bytes; /* text size of the article, to bound a batch's memory */
    int has_date;
    int64_t date; /* for --shard-by year */
} job;

/* A bounded queue from the analysing thread to a writing thread. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    job items[QUEUE_SIZE];
    size_t head, count;
    int closed;
} job_queue;

struct index_run;

/* One writing thread: the shard it owns (id-hashed layouts), or -1 to route each article itself. */
typedef struct {
    struct index_run *run;
    int shard;
    job_queue queue;
    pthread_t thread;
    unsigned long indexed, replaced;
    uint64_t bytes_before, bytes_after; /* of the shards it compacted */
    tc_status failure;
    char failure_msg[512];
} lane;

typedef struct index_run {
    tc_shardset *shards;
    lane *lanes;
    size_t lane_count;
    unsigned batch;
    int compact; /* --compact: each shard written is compacted after its last commit */
    atomic_int failed;
    /* written by the reading thread */
    unsigned long skipped, read_count;
    uint64_t bytes_total, bytes_done_files;
    int progress;
    double started, last_progress;
} index_run;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void queue_push(job_queue *q, job j)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == QUEUE_SIZE)
        pthread_cond_wait(&q->not_full, &q->lock);
    q->items[(q->head + q->count++) % QUEUE_SIZE] = j;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

static int queue_pop(job_queue *q, job *j)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->lock);
    int got = q->count > 0;
    if (got) {
        *j = q->items[q->head];
        q->head = (q->head + 1) % QUEUE_SIZE;
        q->count--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

static void queue_close(job_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->lock);
}

static void lane_fail(lane *l, tc_status st, const char *msg)
{
    l->failure = st;
    snprintf(l->failure_msg, sizeof l->failure_msg, "%s", msg);
    atomic_store(&l->run->failed, 1);
}

/* Writes one article into its shard; in year layouts an older copy in another year's shard (the
 * date was corrected) is deleted first, so an id is only ever in one shard. */
static tc_status write_job(lane *l, const job *j, char *err, size_t errlen)
{
    tc_shardset *set = l->run->shards;
    int target = l->shard;
    if (target < 0)
        target = tc_shardset_route(set, j->idterm + 1, j->has_date, j->date, err, errlen);
    if (target < 0)
        return TC_ERR_IO;
    tc_status st = TC_OK;
    int moved = 0;
    if (tc_shardset_layout(set) == TC_LAYOUT_YEAR)
        for (size_t i = 0; i < tc_shardset_count(set) && st == TC_OK; i++) {
            int holds = 0;
            if ((int)i == target || (st = tc_shardset_holds(set, i, j->idterm, &holds, err, errlen)) != TC_OK || !holds)
                continue;
            tc_xwriter *old = tc_shardset_writer(set, i, err, errlen);
            int existed = 0;
            st = old ? tc_xwriter_delete(old, j->idterm, &existed) : TC_ERR_IO;
            if (st != TC_OK && old)
                snprintf(err, errlen, "%s", tc_xwriter_error(old));
            tc_shardset_touch(set, i);
            moved = 1;
        }
    tc_xwriter *w = st == TC_OK ? tc_shardset_writer(set, (size_t)target, err, errlen) : NULL;
    if (st == TC_OK && !w)
        st = TC_ERR_IO;
    int replaced = 0;
    if (st == TC_OK && (st = tc_xwriter_replace(w, j->idterm, j->doc, &replaced)) != TC_OK)
        snprintf(err, errlen, "%s", tc_xwriter_error(w));
    if (st == TC_OK) {
        tc_shardset_touch(set, (size_t)target);
        l->indexed++;
        l->replaced += (unsigned long)(replaced || moved);
    }
    return st;
}

static tc_status lane_commit(lane *l, char *err, size_t errlen)
{
    return l->shard < 0 ? tc_shardset_commit_dirty(l->run->shards, err, errlen)
                        : tc_shardset_commit(l->run->shards, (size_t)l->shard, err, errlen);
}

/* --compact: the lane's shards that took articles, each rewritten by Xapian's compactor (lanes of a
 * hashed index do theirs in parallel). */
static void compact_written(lane *l)
{
    tc_shardset *set = l->run->shards;
    char err[512];
    for (size_t i = 0; i < tc_shardset_count(set); i++) {
        if ((l->shard >= 0 && (size_t)l->shard != i) || !tc_shardset_written(set, i))
            continue;
        uint64_t before, after;
        tc_status st = tc_shardset_compact(set, i, &before, &after, err, sizeof err);
        if (st != TC_OK) {
            char msg[512];
            snprintf(msg, sizeof msg, "compacting %.200s: %.280s", tc_shardset_path(set, i), err);
            lane_fail(l, st, msg);
            return;
        }
        l->bytes_before += before;
        l->bytes_after += after;
    }
}

static void *writer_main(void *arg)
{
    lane *l = arg;
    index_run *run = l->run;
    unsigned pending = 0;
    size_t pending_bytes = 0;
    char err[512];
    job j;
    while (queue_pop(&l->queue, &j)) {
        if (l->failure == TC_OK) {
            tc_status st = write_job(l, &j, err, sizeof err);
            if (st == TC_OK) {
                pending_bytes += j.bytes;
                if (++pending >= run->batch || pending_bytes >= BATCH_BYTES / run->lane_count) {
                    st = lane_commit(l, err, sizeof err);
                    pending = 0;
                    pending_bytes = 0;
                }
            }
            if (st != TC_OK)
                lane_fail(l, st, err);
        }
        free(j.idterm);
        tc_xdoc_free(j.doc);
    }
    if (l->failure == TC_OK && pending) {
        tc_status st = lane_commit(l, err, sizeof err);
        if (st != TC_OK)
            lane_fail(l, st, err);
    }
    if (l->failure == TC_OK && run->compact && !atomic_load(&run->failed))
        compact_written(l);
    return NULL;
}

static void show_progress(index_run *run, const tc_reader *r, int final)
{
    double t = now();
    if (!run->progress || (!final && t - run->last_progress < 0.25))
        return;
    run->last_progress = t;
    uint64_t done = run->bytes_done_files, cur = 0, total = 0;
    if (r) {
        tc_reader_progress(r, &cur, &total);
        done += cur;
    }
    double secs = t - run->started > 1e-6 ? t - run->started : 1e-6;
    double rate = run->read_count / secs;
    char eta[32] = "";
    if (run->bytes_total && done > 0 && done < run->bytes_total) {
        double left = secs * (double)(run->bytes_total - done) / (double)done;
        snprintf(eta, sizeof eta, "  ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    fprintf(stderr, "\r\033[K%lu articles  %.0f articles/s  %.1f MB/s%s%s", run->read_count, rate,
            done / secs / 1e6, eta, final ? "\n" : "");
    fflush(stderr);
}

static char *make_idterm(const char *id)
{
    size_t n = strlen(id);
    char *t = malloc(n + 2);
    if (t) {
        t[0] = 'Q';
        memcpy(t + 1, id, n + 1);
    }
    return t;
}

/* Reads one input file through to the queue; returns 0, or -1 when the file failed part-way. */
static int index_file(index_run *run, const char *path)
{
    char err[512];
    tc_reader *r = tc_reader_open(path, err, sizeof err);
    if (!r) {
        fprintf(stderr, "%s: %s\n", path, err);
        run->skipped++;
        return -1;
    }
    int result = 0;
    for (;;) {
        tc_article a;
        unsigned line = 0;
        tc_read_result rr = tc_reader_next(r, &a, &line, err, sizeof err);
        if (rr == TC_READ_END)
            break;
        if (rr == TC_READ_FAIL) {
            fprintf(stderr, "%s:%u: %s; the rest of the file is skipped\n", path, line + 1, err);
            run->skipped++;
            result = -1;
            break;
        }
        if (rr == TC_READ_SKIP) {
            fprintf(stderr, "%s:%u: %s\n", path, line, err);
            run->skipped++;
            show_progress(run, r, 0);
            continue;
        }
        tc_xdoc *doc = tc_document_build(&a, tc_shardset_forms(run->shards));
        char *idterm = make_idterm(a.id);
        size_t bytes = (a.title ? strlen(a.title) : 0) + (a.summary ? strlen(a.summary) : 0) + (a.body ? strlen(a.body) : 0);
        if (!doc || !idterm) {
            tc_article_clear(&a);
            fprintf(stderr, "%s:%u: out of memory\n", path, line);
            tc_xdoc_free(doc);
            free(idterm);
            run->skipped++;
            continue;
        }
        int has_date = a.has_date;
        int64_t date = a.date;
        tc_article_clear(&a);
        size_t to = run->lane_count > 1 ? (size_t)tc_shardset_route(run->shards, idterm + 1, 0, 0, err, sizeof err) : 0;
        queue_push(&run->lanes[to].queue, (job){idterm, doc, bytes, has_date, date});
        run->read_count++;
        show_progress(run, r, 0);
        if (atomic_load(&run->failed))
            break;
    }
    uint64_t done, total;
    tc_reader_progress(r, &done, &total);
    run->bytes_done_files += total ? total : done;
    tc_reader_close(r);
    return result;
}

static int is_input_name(const char *name)
{
    static const char *const SUFFIXES[] = {".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".txt"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof *SUFFIXES; i++) {
        size_t k = strlen(SUFFIXES[i]);
        if (n > k && !strcmp(name + n - k, SUFFIXES[i]))
            return 1;
    }
    return 0;
}

typedef struct {
    char **paths;
    size_t count, cap;
} path_list;

static void list_add(path_list *l, const char *path)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->paths, cap * sizeof *grown);
        if (!grown)
            return;
        l->paths = grown;
        l->cap = cap;
    }
    char *copy = strdup(path);
    if (copy)
        l->paths[l->count++] = copy;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands directories (recursively, sorted) into the input files they hold; a directory named on
 * the command line that holds none is said so. */
static void expand(path_list *l, const char *path, int top)
{
    size_t before = l->count;
    struct stat sb;
    if (strcmp(path, "-") && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            return;
        }
        path_list found = {0};
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            list_add(&found, child);
        }
        closedir(d);
        if (found.count > 1) /* an empty directory has no list at all */
            qsort(found.paths, found.count, sizeof *found.paths, by_name);
        for (size_t i = 0; i < found.count; i++) {
            struct stat cs;
            if (stat(found.paths[i], &cs) == 0 && (S_ISDIR(cs.st_mode) || is_input_name(found.paths[i])))
                expand(l, found.paths[i], 0);
            free(found.paths[i]);
        }
        free(found.paths);
        if (top && l->count == before)
            fprintf(stderr, "%s: no article files (.jsonl, .jsonl.gz, .ndjson, .txt) in this directory\n", path);
        return;
    }
    list_add(l, path);
}

static int usage_index(void)
{
    fprintf(stderr, "usage: tracuu index --db DIR [--progress auto|always|never] [--batch N] [--compact]\n"
                    "                    [--shards N | --shard-by year] [--changesets N]\n"
                    "                    [--positions values|xapian] FILE...\n"
                    "  FILE: .jsonl or .jsonl.gz (one article a line), a plain-text article, a directory, or - for stdin\n"
                    "  --shards N: a new index split into N databases by a hash of the id, written in parallel;\n"
                    "  --shard-by year: one database a year. DIR then holds a stub (XAPIANDB) that search opens as one\n"
                    "  --batch N: articles a shard takes between commits (500); --compact: rewrite compactly at the end\n"
                    "  --changesets N: keep the last N commits as changesets, for replicas (xapian-replicate)\n"
                    "  --positions xapian: a new index keeps word positions in Xapian's position table, as shards\n"
                    "    served by xapian-tcpsrv need for quoted phrases (values, the default, indexes faster)\n");
    return 1;
}

/* Whether an index of this forms version keeps its words' positions in a value (else in Xapian's
 * position table). */
static int positions_kept(unsigned forms)
{
    return forms >= TC_FORMS_POSITIONS_SLOT;
}

static void free_paths(path_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
}

/* --shards N / --shard-by year|id: the layout of a new index (an existing one keeps its own). */
static int parse_layout(const char *opt, const char *value, tc_layout *layout, unsigned *shards)
{
    if (!strcmp(opt, "--shards")) {
        char *end;
        unsigned long n = strtoul(value, &end, 10);
        if (*end || n < 1 || n > TC_MAX_SHARDS)
            return -1;
        *shards = (unsigned)n;
        if (*layout != TC_LAYOUT_YEAR)
            *layout = n > 1 ? TC_LAYOUT_HASH : TC_LAYOUT_SINGLE;
        return 0;
    }
    if (!strcmp(value, "year"))
        *layout = TC_LAYOUT_YEAR;
    else if (!strcmp(value, "id"))
        *layout = *shards > 1 ? TC_LAYOUT_HASH : TC_LAYOUT_SINGLE;
    else
        return -1;
    return 0;
}

int tc_cmd_index(int argc, char **argv)
{
    index_run run;
    memset(&run, 0, sizeof run);
    run.batch = 500;
    const char *progress = "auto", *db = NULL;
    tc_layout layout = TC_LAYOUT_SINGLE;
    unsigned shard_count = 0, positions = 0; /* --positions: the forms version a new index takes */
    path_list inputs = {0};
    size_t named_inputs = 0; /* FILE arguments, which may expand to no file at all */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            db = argv[++i];
        } else if (!strcmp(argv[i], "--progress") && i + 1 < argc) {
            progress = argv[++i];
        } else if (!strcmp(argv[i], "--compact")) {
            run.compact = 1;
        } else if (!strcmp(argv[i], "--batch") && i + 1 < argc) {
            if (tc_cli_number("index", argv[i], argv[i + 1], 1, 1000000, &run.batch) != 0) {
                free_paths(&inputs);
                return 1;
            }
            i++;
        } else if (!strcmp(argv[i], "--changesets") && i + 1 < argc) {
            /* kept for xapian-replicate-server: Xapian writes a changeset a commit when this is set */
            unsigned keep;
            if (tc_cli_number("index", argv[i], argv[i + 1], 1, 1000000, &keep) != 0) {
                free_paths(&inputs);
                return 1;
            }
            setenv("XAPIAN_MAX_CHANGESETS", argv[++i], 1);
        } else if (!strcmp(argv[i], "--positions") && i + 1 < argc) {
            const char *kept = argv[++i];
            positions = !strcmp(kept, "values")   ? TC_FORMS_VERSION
                        : !strcmp(kept, "xapian") ? TC_FORMS_POSITIONS_SLOT - 1
                                                  : 0;
            if (!positions) {
                fprintf(stderr, "tracuu index: --positions '%s': expected values or xapian\n", kept);
                free_paths(&inputs);
                return 1;
            }
        } else if ((!strcmp(argv[i], "--shards") || !strcmp(argv[i], "--shard-by")) && i + 1 < argc) {
            if (parse_layout(argv[i], argv[i + 1], &layout, &shard_count) != 0) {
                fprintf(stderr, "tracuu index: %s '%s': expected %s\n", argv[i], argv[i + 1],
                        argv[i][7] == 's' ? "a count from 1 to 256" : "year or id");
                free_paths(&inputs);
                return 1;
            }
            i++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "tracuu index: unknown option '%s'\n", argv[i]);
            free_paths(&inputs);
            return usage_index();
        } else {
            expand(&inputs, argv[i], 1);
            named_inputs++;
        }
    }
    if (db && inputs.count == 0 && named_inputs) {
        fprintf(stderr, "tracuu index: nothing to index\n");
        free_paths(&inputs);
        return 1;
    }
    if (!db || inputs.count == 0 || run.batch == 0 ||
        (strcmp(progress, "auto") && strcmp(progress, "always") && strcmp(progress, "never"))) {
        free_paths(&inputs);
        return usage_index();
    }
    run.progress = !strcmp(progress, "always") || (!strcmp(progress, "auto") && isatty(2));
    for (size_t i = 0; i < inputs.count; i++) {
        struct stat sb;
        if (stat(inputs.paths[i], &sb) == 0 && S_ISREG(sb.st_mode))
            run.bytes_total += (uint64_t)sb.st_size;
    }
    char err[512];
    run.shards = tc_shardset_open(db, layout, layout == TC_LAYOUT_HASH ? shard_count : 0,
                                  positions ? positions : TC_FORMS_VERSION, err, sizeof err);
    if (run.shards && positions && positions_kept(tc_shardset_forms(run.shards)) != positions_kept(positions)) {
        snprintf(err, sizeof err, "the index keeps word positions %s; --positions applies to a new index",
                 positions_kept(tc_shardset_forms(run.shards)) ? "in a value" : "in Xapian's position table");
        tc_shardset_close(run.shards);
        run.shards = NULL;
    }
    run.lane_count = run.shards && tc_shardset_layout(run.shards) == TC_LAYOUT_HASH ? tc_shardset_count(run.shards) : 1;
    run.lanes = run.shards ? calloc(run.lane_count, sizeof *run.lanes) : NULL;
    if (!run.lanes) {
        fprintf(stderr, "tracuu index: %s: %s\n", db, run.shards ? "out of memory" : err);
        tc_shardset_close(run.shards);
        free_paths(&inputs);
        return 1;
    }
    run.started = now();
    for (size_t i = 0; i < run.lane_count; i++) {
        lane *l = &run.lanes[i];
        l->run = &run;
        l->shard = tc_shardset_layout(run.shards) == TC_LAYOUT_YEAR ? -1 : (int)i;
        pthread_mutex_init(&l->queue.lock, NULL);
        pthread_cond_init(&l->queue.not_empty, NULL);
        pthread_cond_init(&l->queue.not_full, NULL);
        pthread_create(&l->thread, NULL, writer_main, l);
    }
    for (size_t i = 0; i < inputs.count && !atomic_load(&run.failed); i++)
        index_file(&run, inputs.paths[i]);
    unsigned long indexed = 0, replaced = 0;
    uint64_t bytes_before = 0, bytes_after = 0;
    const lane *failed = NULL;
    for (size_t i = 0; i < run.lane_count; i++) {
        queue_close(&run.lanes[i].queue);
        pthread_join(run.lanes[i].thread, NULL);
        indexed += run.lanes[i].indexed;
        replaced += run.lanes[i].replaced;
        bytes_before += run.lanes[i].bytes_before;
        bytes_after += run.lanes[i].bytes_after;
        if (run.lanes[i].failure != TC_OK && !failed)
            failed = &run.lanes[i];
    }
    show_progress(&run, NULL, 1);
    tc_shardset_close(run.shards);
    free_paths(&inputs);

    double secs = now() - run.started;
    if (failed) {
        fprintf(stderr, "tracuu index: fatal: %s: %s; the last committed batch is intact\n",
                tc_status_to_string(failed->failure), failed->failure_msg);
        free(run.lanes);
        return 1;
    }
    free(run.lanes);
    unsigned long added = indexed - replaced;
    if (isatty(1)) {
        printf("indexed %lu articles (%lu new, %lu replaced), skipped %lu, in %.1f s\n", indexed, added, replaced,
               run.skipped, secs);
        if (run.compact && bytes_before)
            printf("compacted: %.1f MB -> %.1f MB\n", bytes_before / 1e6, bytes_after / 1e6);
    } else {
        printf("{\"indexed\":%lu,\"added\":%lu,\"replaced\":%lu,\"skipped\":%lu,\"seconds\":%.3f", indexed,
               added, replaced, run.skipped, secs);
        if (run.compact)
            printf(",\"compacted_bytes_before\":%llu,\"compacted_bytes_after\":%llu", (unsigned long long)bytes_before,
                   (unsigned long long)bytes_after);
        printf("}\n");
    }
    return run.skipped ? 2 : 0;
}

/* Deletes idterm from whichever shard holds it; *existed says whether one did. */
static tc_status delete_from(tc_shardset *set, const char *idterm, int *existed, char *err, size_t errlen)
{
    *existed = 0;
    size_t first = 0, last = tc_shardset_count(set);
    if (tc_shardset_layout(set) != TC_LAYOUT_YEAR) {
        first = (size_t)tc_shardset_route(set, idterm + 1, 0, 0, err, errlen);
        last = first + 1;
    }
    for (size_t i = first; i < last; i++) {
        int holds = 1, was = 0;
        tc_status st = tc_shardset_layout(set) == TC_LAYOUT_YEAR ? tc_shardset_holds(set, i, idterm, &holds, err, errlen) : TC_OK;
        if (st != TC_OK)
            return st;
        if (!holds)
            continue;
        tc_xwriter *w = tc_shardset_writer(set, i, err, errlen);
        if (!w)
            return TC_ERR_IO;
        if ((st = tc_xwriter_delete(w, idterm, &was)) != TC_OK) {
            snprintf(err, errlen, "%s", tc_xwriter_error(w));
            return st;
        }
        if (was)
            tc_shardset_touch(set, i);
        *existed |= was;
    }
    return TC_OK;
}

int tc_cmd_delete(int argc, char **argv)
{
    const char *db = NULL;
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "--db")) {
        db = argv[2];
        first = 3;
    }
    if (!db || first >= argc) {
        fprintf(stderr, "usage: tracuu delete --db DIR ID...\n");
        return 1;
    }
    char err[512];
    tc_shardset *set = tc_shardset_open(db, TC_LAYOUT_SINGLE, 0, TC_FORMS_VERSION, err, sizeof err);
    if (!set) {
        fprintf(stderr, "tracuu delete: %s: %s\n", db, err);
        return 1;
    }
    unsigned long deleted = 0, missing = 0;
    tc_status st = TC_OK;
    for (int i = first; i < argc && st == TC_OK; i++) {
        char *idterm = make_idterm(argv[i]);
        int existed = 0;
        st = idterm ? delete_from(set, idterm, &existed, err, sizeof err) : TC_ERR_NOMEM;
        free(idterm);
        if (st == TC_OK && !existed) {
            fprintf(stderr, "%s: no article with this id\n", argv[i]);
            missing++;
        }
        deleted += (unsigned long)existed;
    }
    if (st == TC_OK)
        st = tc_shardset_commit_dirty(set, err, sizeof err);
    tc_shardset_close(set);
    if (st != TC_OK) {
        fprintf(stderr, "tracuu delete: %s\n", st == TC_ERR_NOMEM ? "out of memory" : err);
        return 1;
    }
    printf(isatty(1) ? "deleted %lu, not found %lu\n" : "{\"deleted\":%lu,\"not_found\":%lu}\n", deleted, missing);
    return missing ? 2 : 0;
}

typedef struct {
    unsigned long syllables, terms;
} term_counts;

static int count_term(void *ctx, const char *term, size_t len, unsigned freq)
{
    term_counts *c = ctx;
    (void)freq;
    c->terms++;
    if (len > 1 && term[0] == 'F')
        c->syllables++; /* folded forms: one per syllable however it is accented */
    return 0;
}

int tc_cmd_stats(int argc, char **argv)
{
    const char *db = NULL;
    int json = !isatty(1);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            json = 1;
    }
    if (!db) {
        fprintf(stderr, "usage: tracuu stats --db DIR [--json]\n");
        return 1;
    }
    char err[512];
    tc_xreader *r;
    if (tc_xreader_open(db, &r, err, sizeof err) != TC_OK) {
        fprintf(stderr, "tracuu stats: %s: %s\n", db, err);
        return 1;
    }
    term_counts c = {0, 0};
    int have = 0;
    int64_t lo = 0, hi = 0;
    char *forms_value = NULL;
    int64_t last = 0;
    tc_xreader_allterms(r, "", count_term, &c);
    tc_xreader_metadata(r, "tracuu:forms", &forms_value);
    unsigned forms = forms_value ? (unsigned)strtoul(forms_value, NULL, 10) : 0;
    free(forms_value);
    tc_xreader_date_bounds(r, TC_SLOT_DATE, &have, &lo, &hi);
    tc_xreader_metadata_max(r, "tracuu:last_update", &last);
    char from[32] = "", to[32] = "", updated[32] = "";
    if (have) {
        tc_date_format(lo, from);
        tc_date_format(hi, to);
    }
    if (last)
        tc_date_format(last, updated);
    unsigned docs = tc_xreader_doccount(r);
    uint64_t size = tc_dir_bytes(db);
    size_t shards = tc_xreader_shard_count(r);
    if (json) {
        printf("{\"articles\":%u,\"date_from\":%s%s%s,\"date_to\":%s%s%s,\"distinct_syllables\":%lu,"
               "\"distinct_terms\":%lu,\"size_bytes\":%llu,\"last_update\":%s%s%s,\"forms_version\":%u,"
               "\"positions\":\"%s\",\"shards\":[",
               docs, have ? "\"" : "", have ? from : "null", have ? "\"" : "", have ? "\"" : "",
               have ? to : "null", have ? "\"" : "", c.syllables, c.terms, (unsigned long long)size,
               *updated ? "\"" : "", *updated ? updated : "null", *updated ? "\"" : "", forms,
               positions_kept(forms) ? "values" : "xapian");
        for (size_t i = 0; i < shards; i++) {
            int up;
            json_t *name = json_string(tc_xreader_shard(r, i, &up));
            char *quoted = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
            printf("%s{\"name\":%s,\"articles\":%u,\"up\":%s}", i ? "," : "", quoted ? quoted : "null",
                   tc_xreader_shard_doccount(r, i), up ? "true" : "false");
            free(quoted);
            json_decref(name);
        }
        printf("]}\n");
    } else {
        printf("articles:            %u\n", docs);
        printf("date range:          %s .. %s\n", have ? from : "-", have ? to : "-");
        printf("distinct syllables:  %lu (folded)\n", c.syllables);
        printf("distinct terms:      %lu\n", c.terms);
        printf("size on disk:        %.1f MB\n", size / 1e6);
        printf("last update:         %s\n", *updated ? updated : "-");
        if (forms)
            printf("accented forms:      a syllable's dominant form is left to its folded term (format %u)\n", forms);
        else
            printf("accented forms:      every form stored (an index made before the list)\n");
        printf("word positions:      %s\n", positions_kept(forms) ? "in one value an article"
                                                                  : "in Xapian's position table (--positions xapian)");
        for (size_t i = 0; shards > 1 && i < shards; i++) {
            int up;
            const char *name = tc_xreader_shard(r, i, &up);
            printf("shard %-14s %u articles%s\n", name, tc_xreader_shard_doccount(r, i), up ? "" : " (down)");
        }
    }
    tc_xreader_free(r);
    return 0;
}
