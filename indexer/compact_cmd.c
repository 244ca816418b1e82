/* compact_cmd.c — `tracuu compact`: rewrites shards (or a single database) compactly with Xapian's
 * compactor and swaps each copy in; in a year-sharded index only the past years, which no longer change. */
#define _XOPEN_SOURCE 700
#include "article.h"
#include "cli.h"
#include "shards.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* Bytes of a glass database's tables. */
static uint64_t tree_size(const char *path)
{
    uint64_t total = 0;
    struct stat sb;
    static const char *const TABLES[] = {"postlist", "termlist", "position", "docdata", "record", "spelling",
                                         "synonym"};
    char file[4096];
    for (size_t i = 0; i < sizeof TABLES / sizeof *TABLES; i++) {
        snprintf(file, sizeof file, "%s/%s.glass", path, TABLES[i]);
        if (stat(file, &sb) == 0)
            total += (uint64_t)sb.st_size;
    }
    return total;
}

/* Whether a year shard is in the past (Vietnam time): those no longer take new articles. */
static int past_year(const char *name)
{
    int year, month, day;
    if (strncmp(name, "year-", 5) != 0)
        return 0;
    tc_date_civil((int64_t)time(NULL), &year, &month, &day);
    return atoi(name + 5) < year;
}

int tc_cmd_compact(int argc, char **argv)
{
    const char *db = NULL;
    int all = 0, json = !isatty(1);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!strcmp(argv[i], "--all"))
            all = 1;
        else
            db = NULL, i = argc;
    }
    if (!db) {
        fprintf(stderr, "usage: tracuu compact --db DIR [--all]\n"
                        "  compacts every shard, or in a year-sharded index the past years (--all: every year)\n");
        return 1;
    }
    char err[512];
    tc_shardset *set = tc_shardset_open(db, TC_LAYOUT_SINGLE, 0, err, sizeof err);
    if (!set) {
        fprintf(stderr, "tracuu compact: %s: %s\n", db, err);
        return 1;
    }
    int status = 0;
    if (json)
        printf("{\"shards\":[");
    size_t done = 0;
    for (size_t i = 0; i < tc_shardset_count(set) && status == 0; i++) {
        const char *name = tc_shardset_name(set, i), *path = tc_shardset_path(set, i);
        if (tc_shardset_layout(set) == TC_LAYOUT_YEAR && !all && !past_year(name))
            continue;
        char fresh[4096], old[4096];
        snprintf(fresh, sizeof fresh, "%s.compact", path);
        snprintf(old, sizeof old, "%s.old", path);
        uint64_t before = tree_size(path);
        /* the writer holds the shard's lock while it is copied and swapped */
        tc_xwriter *w = tc_shardset_writer(set, i, err, sizeof err);
        tc_status st = w ? TC_OK : TC_ERR_LOCKED;
        if (w && remove_tree(fresh) == 0 && remove_tree(old) == 0 && (st = tc_xwriter_compact(w, fresh)) != TC_OK)
            snprintf(err, sizeof err, "%s", tc_xwriter_error(w));
        if (st == TC_OK && (rename(path, old) != 0 || rename(fresh, path) != 0)) {
            snprintf(err, sizeof err, "cannot swap the compacted copy in: %s", strerror(errno));
            st = TC_ERR_IO;
        }
        tc_shardset_release(set, i);
        if (st != TC_OK) {
            fprintf(stderr, "tracuu compact: %s: %s\n", path, err);
            status = 1;
            break;
        }
        remove_tree(old);
        uint64_t after = tree_size(path);
        if (json)
            printf("%s{\"shard\":\"%s\",\"bytes_before\":%llu,\"bytes_after\":%llu}", done ? "," : "", *name ? name : ".",
                   (unsigned long long)before, (unsigned long long)after);
        else
            printf("%-12s %8.1f MB -> %8.1f MB\n", *name ? name : db, before / 1e6, after / 1e6);
        done++;
    }
    if (json)
        printf("]}\n");
    tc_shardset_close(set);
    return status;
}
