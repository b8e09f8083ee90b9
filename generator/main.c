/*
** baocao: the command line. Dispatches to a subcommand (cmd.h).
*/
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} command;

/* Registered as each lands; the usage lines are the command-line contract (DESIGN.md). */
static const command commands[] = {
    { "data", cmd_data, "data    FILE.csv [--json] [--dict FILE | --no-dict] [--convention vn|en]" },
    { "check", cmd_check, "check   [-C DIR]" },
    { "render", cmd_render,
      "render  INPUT [--data CSV] [--where COL=VALUE]... [--style FILE.css] [--format pdf|html|md] -o OUT|-" },
    { NULL, NULL, NULL },
};

static void usage(FILE *f)
{
    fputs("usage: baocao COMMAND [ARGS]\n\ncommands:\n", f);
    for (size_t i = 0; commands[i].name; i++)
        fprintf(f, "  baocao %s\n", commands[i].usage);
    fputs("  baocao --help | --version\n", f);
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("baocao %s\n", BAOCAO_VERSION);
        return 0;
    }
    for (size_t i = 0; commands[i].name; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "baocao: error: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
