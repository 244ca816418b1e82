/* analyze_cmd.c — `tracuu analyze [--query] [TEXT...]`: shows what the analyser makes of text.
 * One token a line: position, exact form, folded form, and "stop" for stopwords. */
#include "tracuu.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned base; /* positions continue across arguments */
    unsigned next;
} printer;

static int print_token(void *ctx, const tc_token *t)
{
    printer *p = ctx;
    printf("%u\t%.*s\t%.*s%s\n", p->base + t->position, (int)t->exact_len, t->exact,
           (int)t->folded_len, t->folded, (t->flags & TC_TOKEN_STOP) ? "\tstop" : "");
    if (t->position + 1 > p->next)
        p->next = t->position + 1;
    return 0;
}

static void analyze_one(printer *p, const char *text, size_t len, tc_mode mode)
{
    p->next = 0;
    tc_text_analyze(text, len, mode, print_token, p);
    p->base += p->next;
}

int tc_cmd_analyze(int argc, char **argv)
{
    tc_mode mode = TC_MODE_DOCUMENT;
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        if (!strcmp(argv[first], "--query")) {
            mode = TC_MODE_QUERY;
        } else if (!strcmp(argv[first], "--")) {
            first++;
            break;
        } else {
            fprintf(stderr, "tracuu analyze: unknown option '%s'\nusage: tracuu analyze [--query] [TEXT...]\n", argv[first]);
            return 1;
        }
    }
    printer p = {0, 0};
    if (first < argc) {
        for (int i = first; i < argc; i++)
            analyze_one(&p, argv[i], strlen(argv[i]), mode);
        return 0;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += n;
        if (len == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    if (!buf) {
        fprintf(stderr, "tracuu analyze: out of memory reading standard input\n");
        return 1;
    }
    analyze_one(&p, buf, len, mode);
    free(buf);
    return 0;
}
