/* main.c — the `tracuu` program: picks the subcommand (and, for indexing, the allocator) and hands it
 * the rest of the arguments. Each subcommand sits beside the module it drives. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} COMMANDS[] = {
    {"index", tc_cmd_index, "index   --db DIR [--progress auto|always|never] [--batch N] [--shards N | --shard-by year] FILE..."},
    {"search", tc_cmd_search, "search  --db DIR [--json] [--limit N] [--offset N] [--sort relevance|newest|oldest]\n"
                              "                 [--from DATE] [--to DATE] QUERY\n"
                              "  tracuu search  --db DIR --batch FILE\n"
                              "  (--db may repeat and may name a stub of shards, local or remote)"},
    {"serve", tc_cmd_serve, "serve   --db DIR [--db DIR...] [--listen 127.0.0.1:8080] [--threads N] [--shard-timeout MS]"},
    {"delete", tc_cmd_delete, "delete  --db DIR ID..."},
    {"stats", tc_cmd_stats, "stats   --db DIR [--json]"},
    {"compact", tc_cmd_compact, "compact --db DIR [--all]"},
    {"analyze", tc_cmd_analyze, "analyze [--query] [TEXT...]"},
};

int tc_cli_number(const char *command, const char *option, const char *value, unsigned long min,
                  unsigned long max, unsigned *out)
{
    char *end = NULL;
    int digit_first = value[0] >= '0' && value[0] <= '9'; /* strtoul would take " 5", "+5" and "-5" */
    unsigned long n = digit_first ? strtoul(value, &end, 10) : 0;
    if (!digit_first || *end || n < min || n > max) {
        fprintf(stderr, "tracuu %s: %s must be a number from %lu to %lu, not '%s'\n", command, option, min, max, value);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

static int usage(FILE *out)
{
    fprintf(out, "tracuu — full-text search for Vietnamese news archives\n\nusage:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  tracuu %s\n", COMMANDS[i].usage);
    return out == stderr ? 1 : 0;
}

/* Indexing runs on mimalloc (TRACUU_INDEX_ALLOCATOR, its soname): Xapian's inverter and documents
 * are trees of small allocations freed on another thread, where it indexes 10-15% faster than
 * glibc's malloc. Searching is about 30% slower on it, so the program is not linked with it:
 * `tracuu index` runs itself again with it preloaded, unless LD_PRELOAD is the user's already.
 * If that fails, indexing goes on with glibc's malloc. */
static void index_on_mimalloc(char **argv)
{
#ifdef TRACUU_INDEX_ALLOCATOR
    char self[4096]; /* the program's own path, so that it keeps its name (ps, pkill) */
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (getenv("LD_PRELOAD") || getenv("TRACUU_ALLOCATOR") || n <= 0 || (size_t)n >= sizeof self - 1)
        return;
    self[n] = 0;
    if (setenv("TRACUU_ALLOCATOR", TRACUU_INDEX_ALLOCATOR, 1) || setenv("LD_PRELOAD", TRACUU_INDEX_ALLOCATOR, 1))
        return;
    fflush(NULL);
    execv(self, argv);
    unsetenv("LD_PRELOAD");
#else
    (void)argv;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout);
    if (!strcmp(argv[1], "index"))
        index_on_mimalloc(argv);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (!strcmp(argv[1], COMMANDS[i].name))
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "tracuu: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
