/* compact_cmd.c — `tracuu compact`: rewrites shards (or a single database) compactly with Xapian's
 * compactor and swaps each copy in; in a year-sharded index only the past years, which no longer change. */
#include "article.h"
#include "cli.h"
#include "shards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
    tc_shardset *set = tc_shardset_open(db, TC_LAYOUT_SINGLE, 0, TC_FORMS_VERSION, err, sizeof err);
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
        uint64_t before, after;
        if (tc_shardset_compact(set, i, &before, &after, err, sizeof err) != TC_OK) {
            fprintf(stderr, "tracuu compact: %s: %s\n", path, err);
            status = 1;
            break;
        }
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
