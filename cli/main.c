/* main.c — the `tracuu` program: picks the subcommand and hands it the rest of the arguments.
 * Nothing else lives here; each subcommand sits beside the module it drives. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

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

static int usage(FILE *out)
{
    fprintf(out, "tracuu — full-text search for Vietnamese news archives\n\nusage:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        fprintf(out, "  tracuu %s\n", COMMANDS[i].usage);
    return out == stderr ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (!strcmp(argv[1], COMMANDS[i].name))
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "tracuu: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
