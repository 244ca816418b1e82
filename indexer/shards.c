/* shards.c — the layout of an index directory for its writers: a plain database, or a stub (XAPIANDB)
 * listing shards by id hash ("shard-000"...) or by year ("year-2024", "undated"), which readers open as one. */
#define _GNU_SOURCE /* renameat2 */
#include "shards.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STUB_NAME "XAPIANDB"
#define LOCK_NAME "tracuu-writer.lock"

typedef struct {
    char name[32];
    char *path;
    tc_xwriter *writer;
    tc_xreader *reader; /* YEAR: to ask whether a closed shard holds an id */
    int dirty;
    int written; /* changed since the set was opened */
} shard;

struct tc_shardset {
    char *dir;
    tc_layout layout;
    shard shards[TC_MAX_SHARDS];
    size_t count;
    int lock_fd;
    unsigned forms; /* the forms version its articles are written in (tc_document_build) */
};

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int exists(const char *dir, const char *name)
{
    char *p = join(dir, name);
    struct stat sb;
    int found = p && stat(p, &sb) == 0;
    free(p);
    return found;
}

static int add_shard(tc_shardset *s, const char *name)
{
    if (s->count == TC_MAX_SHARDS)
        return -1;
    shard *sh = &s->shards[s->count];
    memset(sh, 0, sizeof *sh);
    snprintf(sh->name, sizeof sh->name, "%s", name);
    sh->path = s->layout == TC_LAYOUT_SINGLE ? strdup(s->dir) : join(s->dir, name);
    if (!sh->path)
        return -1;
    return (int)s->count++;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const shard *)a)->name, ((const shard *)b)->name);
}

/* Writes the stub afresh beside it and renames it into place, so a reader never sees half of it. */
static int write_stub(tc_shardset *s, char *err, size_t errlen)
{
    char *stub = join(s->dir, STUB_NAME), *tmp = join(s->dir, STUB_NAME ".new");
    FILE *f = stub && tmp ? fopen(tmp, "w") : NULL;
    int ok = f != NULL;
    if (f) {
        if (s->layout == TC_LAYOUT_HASH)
            fprintf(f, "# tracuu layout: hash %zu\n# articles go to shard fnv1a(id) %% %zu; written by tracuu index\n",
                    s->count, s->count);
        else
            fprintf(f, "# tracuu layout: year\n# one shard a year (Vietnam time) and one for undated articles; written by tracuu index\n");
        for (size_t i = 0; i < s->count; i++)
            fprintf(f, "auto %s\n", s->shards[i].name);
        ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
        ok = fclose(f) == 0 && ok;
        ok = ok && rename(tmp, stub) == 0;
    }
    if (!ok)
        snprintf(err, errlen, "cannot write %s: %s", stub ? stub : s->dir, strerror(errno));
    free(stub);
    free(tmp);
    return ok ? 0 : -1;
}

/* Reads the layout line and the shard names of an existing stub. */
static int read_stub(tc_shardset *s, char *err, size_t errlen)
{
    char *stub = join(s->dir, STUB_NAME);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", stub ? stub : s->dir, strerror(errno));
        free(stub);
        return -1;
    }
    char line[1024];
    int have_layout = 0, bad = 0;
    unsigned declared = 0;
    while (fgets(line, sizeof line, f) && !bad) {
        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, "# tracuu layout: hash ", 22)) {
            s->layout = TC_LAYOUT_HASH;
            declared = (unsigned)strtoul(line + 22, NULL, 10);
            have_layout = 1;
        } else if (!strcmp(line, "# tracuu layout: year")) {
            s->layout = TC_LAYOUT_YEAR;
            have_layout = 1;
        } else if (!strncmp(line, "auto ", 5) && !strchr(line + 5, '/') && strlen(line + 5) < 32) {
            bad = add_shard(s, line + 5) < 0;
        } else if (line[0] && line[0] != '#') {
            bad = 1;
        }
    }
    fclose(f);
    if (!have_layout || bad || (s->layout == TC_LAYOUT_HASH && declared != s->count)) {
        snprintf(err, errlen,
                 "%s was not written by tracuu index (or was edited); a stub of other databases can be searched, "
                 "not indexed into",
                 stub);
        free(stub);
        return -1;
    }
    free(stub);
    return 0;
}

static int take_lock(tc_shardset *s, char *err, size_t errlen)
{
    char *p = join(s->dir, LOCK_NAME);
    s->lock_fd = p ? open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    free(p);
    if (s->lock_fd < 0) {
        snprintf(err, errlen, "cannot create the lock file in %s: %s", s->dir, strerror(errno));
        return -1;
    }
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errlen, "the index is locked by another writer (%s/%s)", s->dir, LOCK_NAME);
        return -1;
    }
    return 0;
}

/* The forms version a shard records; else 0 when one holds articles (written before versions were
 * recorded, with every form stored), else new_forms. -1 for a version this program does not know
 * (an index from a newer tracuu). */
static int find_forms(tc_shardset *s, unsigned new_forms, char *err, size_t errlen)
{
    int old = 0;
    for (size_t i = 0; i < s->count; i++) {
        tc_xreader *r = NULL;
        char *recorded = NULL;
        if (!exists(s->shards[i].path, "iamglass") || tc_xreader_open(s->shards[i].path, &r, err, errlen) != TC_OK)
            continue; /* opening its writer says what is wrong with it */
        unsigned version = 0;
        if (tc_xreader_metadata(r, "tracuu:forms", &recorded) == TC_OK && recorded && *recorded)
            version = (unsigned)strtoul(recorded, NULL, 10);
        else
            old |= tc_xreader_doccount(r) > 0;
        free(recorded);
        tc_xreader_free(r);
        if (version > TC_FORMS_VERSION) {
            snprintf(err, errlen, "%s was written by a newer tracuu (forms version %u; this one knows %d)",
                     s->shards[i].path, version, TC_FORMS_VERSION);
            return -1;
        }
        if (version)
            return (int)version;
    }
    return old ? 0 : (int)new_forms;
}

/* Records the index's format on shard i's pending changes: its schema and forms version. */
static tc_status stamp_format(tc_shardset *s, size_t i)
{
    tc_xwriter *w = s->shards[i].writer;
    const char *schema = s->forms >= TC_FORMS_POSITIONS_SLOT ? "5" : s->forms ? "4" : "3";
    tc_status st = tc_xwriter_set_metadata(w, "tracuu:schema", schema);
    if (st == TC_OK && s->forms) {
        char forms[16];
        snprintf(forms, sizeof forms, "%u", s->forms);
        st = tc_xwriter_set_metadata(w, "tracuu:forms", forms);
    }
    return st;
}

/* A shard made by this set records the format at once, so that readers of the set (which take the
 * first shard's metadata) know it even while the shard holds no article. */
static int create_shard(tc_shardset *s, size_t i, char *err, size_t errlen)
{
    if (!tc_shardset_writer(s, i, err, errlen))
        return -1;
    if (stamp_format(s, i) != TC_OK || tc_xwriter_commit(s->shards[i].writer) != TC_OK) {
        snprintf(err, errlen, "%s", tc_xwriter_error(s->shards[i].writer));
        return -1;
    }
    return 0;
}

static const char *LAYOUT_NAMES[] = {"a single database", "sharded by id", "sharded by year"};

tc_shardset *tc_shardset_open(const char *dir, tc_layout want, unsigned want_shards, unsigned new_forms, char *err,
                              size_t errlen)
{
    tc_shardset *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->lock_fd = -1;
    int fresh = !exists(dir, "iamglass") && !exists(dir, STUB_NAME);
    if (fresh && want != TC_LAYOUT_SINGLE && mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        tc_shardset_close(s);
        return NULL;
    }
    if (fresh) {
        s->layout = want;
        if (want == TC_LAYOUT_HASH)
            for (unsigned i = 0; i < want_shards; i++) {
                char name[32];
                snprintf(name, sizeof name, "shard-%03u", i);
                add_shard(s, name);
            }
    } else if (exists(dir, "iamglass")) {
        s->layout = TC_LAYOUT_SINGLE;
    } else if (read_stub(s, err, errlen) != 0) {
        tc_shardset_close(s);
        return NULL;
    }
    int asked = want != TC_LAYOUT_SINGLE || want_shards > 0;
    if (asked && (want != s->layout || (want == TC_LAYOUT_HASH && want_shards != s->count))) {
        snprintf(err, errlen,
                 "%s is %s%s; re-sharding means building a new index beside it and swapping it in "
                 "(docs/operations.md)",
                 dir, LAYOUT_NAMES[s->layout], s->layout == TC_LAYOUT_HASH ? " with a different shard count" : "");
        tc_shardset_close(s);
        return NULL;
    }
    if (s->layout == TC_LAYOUT_SINGLE) {
        add_shard(s, "");
    } else if (take_lock(s, err, errlen) != 0 || (fresh && write_stub(s, err, errlen) != 0)) {
        tc_shardset_close(s);
        return NULL;
    }
    int forms = find_forms(s, new_forms, err, errlen);
    if (forms < 0) {
        tc_shardset_close(s);
        return NULL;
    }
    s->forms = (unsigned)forms;
    /* id-hashed shards are all written to: open them now, so a lock or damage shows at once */
    if (s->layout != TC_LAYOUT_YEAR)
        for (size_t i = 0; i < s->count; i++)
            if (fresh ? create_shard(s, i, err, errlen) != 0 : !tc_shardset_writer(s, i, err, errlen)) {
                tc_shardset_close(s);
                return NULL;
            }
    return s;
}

tc_layout tc_shardset_layout(const tc_shardset *s)
{
    return s->layout;
}

unsigned tc_shardset_forms(const tc_shardset *s)
{
    return s->forms;
}

size_t tc_shardset_count(const tc_shardset *s)
{
    return s->count;
}

const char *tc_shardset_name(const tc_shardset *s, size_t i)
{
    return s->shards[i].name;
}

const char *tc_shardset_path(const tc_shardset *s, size_t i)
{
    return s->shards[i].path;
}

static uint64_t fnv1a(const char *text)
{
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

int tc_shardset_route(tc_shardset *s, const char *id, int has_date, int64_t date, char *err, size_t errlen)
{
    if (s->layout == TC_LAYOUT_SINGLE)
        return 0;
    if (s->layout == TC_LAYOUT_HASH)
        return (int)(fnv1a(id) % s->count);
    char name[32] = "undated";
    if (has_date) {
        int year, month, day;
        tc_date_civil(date, &year, &month, &day);
        snprintf(name, sizeof name, "year-%04d", year);
    }
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->shards[i].name, name))
            return (int)i;
    int added = add_shard(s, name);
    if (added < 0) {
        snprintf(err, errlen, "too many shards (at most %d)", TC_MAX_SHARDS);
        return -1;
    }
    /* create the database before the stub names it, so readers never meet a missing shard */
    if (create_shard(s, (size_t)added, err, errlen) != 0)
        return -1;
    shard made = s->shards[added];
    qsort(s->shards, s->count, sizeof *s->shards, by_name);
    if (write_stub(s, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->shards[i].name, made.name))
            return (int)i;
    return -1;
}

tc_xwriter *tc_shardset_writer(tc_shardset *s, size_t i, char *err, size_t errlen)
{
    shard *sh = &s->shards[i];
    if (!sh->writer) {
        if (tc_xwriter_open(sh->path, &sh->writer, err, errlen) != TC_OK)
            return NULL;
        tc_xreader_free(sh->reader);
        sh->reader = NULL;
    }
    return sh->writer;
}

void tc_shardset_release(tc_shardset *s, size_t i)
{
    tc_xwriter_free(s->shards[i].writer);
    s->shards[i].writer = NULL;
}

tc_status tc_shardset_holds(tc_shardset *s, size_t i, const char *idterm, int *holds, char *err, size_t errlen)
{
    shard *sh = &s->shards[i];
    if (sh->writer)
        return tc_xwriter_has(sh->writer, idterm, holds);
    if (!sh->reader) {
        tc_status st = tc_xreader_open(sh->path, &sh->reader, err, errlen);
        if (st != TC_OK)
            return st;
    }
    *holds = tc_xreader_termfreq(sh->reader, idterm, strlen(idterm)) > 0;
    return TC_OK;
}

void tc_shardset_touch(tc_shardset *s, size_t i)
{
    s->shards[i].dirty = 1;
    s->shards[i].written = 1;
}

int tc_shardset_written(const tc_shardset *s, size_t i)
{
    return s->shards[i].written;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

uint64_t tc_dir_bytes(const char *path)
{
    uint64_t total = 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char child[4096];
        struct stat sb;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if (e->d_name[0] == '.' || stat(child, &sb) != 0)
            continue;
        if (S_ISREG(sb.st_mode))
            total += (uint64_t)sb.st_size;
        else if (S_ISDIR(sb.st_mode))
            total += tc_dir_bytes(child);
    }
    closedir(d);
    return total;
}

/* Puts fresh where path is: one atomic exchange where the filesystem has it (path never goes
 * missing), else two renames; the old database ends up at fresh, to be removed. */
static int swap_in(const char *fresh, const char *path)
{
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, path, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    char old[4096];
    snprintf(old, sizeof old, "%s.old", path);
    if (remove_tree(old) != 0 || rename(path, old) != 0)
        return -1;
    if (rename(fresh, path) != 0) {
        rename(old, path);
        return -1;
    }
    return rename(old, fresh);
}

tc_status tc_shardset_compact(tc_shardset *s, size_t i, uint64_t *before, uint64_t *after, char *err, size_t errlen)
{
    shard *sh = &s->shards[i];
    char fresh[4096];
    snprintf(fresh, sizeof fresh, "%s.compact", sh->path);
    *before = tc_dir_bytes(sh->path);
    tc_xwriter *w = tc_shardset_writer(s, i, err, errlen);
    if (!w)
        return TC_ERR_LOCKED;
    tc_status st = TC_OK;
    if (remove_tree(fresh) != 0) {
        snprintf(err, errlen, "%s: cannot remove a leftover copy: %s", fresh, strerror(errno));
        st = TC_ERR_IO;
    } else if ((st = tc_shardset_commit(s, i, err, errlen)) == TC_OK && (st = tc_xwriter_compact(w, fresh)) != TC_OK) {
        snprintf(err, errlen, "%s", tc_xwriter_error(w));
    } else if (st == TC_OK && swap_in(fresh, sh->path) != 0) {
        snprintf(err, errlen, "cannot swap the compacted copy in: %s", strerror(errno));
        st = TC_ERR_IO;
    }
    tc_shardset_release(s, i); /* the lock is held until the copy is in place */
    if (st == TC_OK)
        remove_tree(fresh);
    *after = tc_dir_bytes(sh->path);
    return st;
}

tc_status tc_shardset_commit(tc_shardset *s, size_t i, char *err, size_t errlen)
{
    shard *sh = &s->shards[i];
    if (!sh->dirty || !sh->writer)
        return TC_OK;
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%lld", (long long)time(NULL));
    tc_status st = tc_xwriter_set_metadata(sh->writer, "tracuu:last_update", stamp);
    if (st == TC_OK)
        st = stamp_format(s, i);
    if (st == TC_OK)
        st = tc_xwriter_commit(sh->writer);
    if (st != TC_OK)
        snprintf(err, errlen, "%s%s%s", sh->name, *sh->name ? ": " : "", tc_xwriter_error(sh->writer));
    else
        sh->dirty = 0;
    return st;
}

tc_status tc_shardset_commit_dirty(tc_shardset *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->count; i++) {
        tc_status st = tc_shardset_commit(s, i, err, errlen);
        if (st != TC_OK)
            return st;
    }
    return TC_OK;
}

void tc_shardset_close(tc_shardset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        tc_xwriter_free(s->shards[i].writer);
        tc_xreader_free(s->shards[i].reader);
        free(s->shards[i].path);
    }
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    free(s->dir);
    free(s);
}
