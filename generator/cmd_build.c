/*
** baocao build [-C DIR] [-j N] [--force] [--only PATTERN] [--shard K/N] [--quiet]
**              [--dry-run] [--wait SECONDS | --no-wait]
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "buildsrc.h"
#include "cmd.h"

static const char usage_text[] =
    "usage: baocao build [-C DIR] [-j N] [--force] [--only PATTERN] [--shard K/N] [--quiet]\n"
    "                    [--dry-run] [--wait SECONDS | --no-wait]\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("baocao build: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fputs(usage_text, stderr);
    return 2;
}

/* A whole decimal number in [MIN, MAX], or -1. */
static long number(const char *s, long min, long max)
{
    char *end;
    long v = strtol(s, &end, 10);

    return *s && !*end && v >= min && v <= max ? v : -1;
}

int cmd_build(int argc, char **argv)
{
    static const struct option longs[] = {
        { "force", no_argument, NULL, 'f' },   { "only", required_argument, NULL, 'o' },
        { "shard", required_argument, NULL, 's' }, { "quiet", no_argument, NULL, 'q' },
        { "dry-run", no_argument, NULL, 'n' }, { "wait", required_argument, NULL, 'w' },
        { "no-wait", no_argument, NULL, 'W' }, { "jobs", required_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },    { NULL, 0, NULL, 0 },
    };
    build_opts o = { 0 };
    build_source *src;
    diag *d;
    int c, rc;
    char *end;

    /* argv[0] is the first argument (main strips "baocao build"): getopt skips argv[0]. */
    optind = 0;
    opterr = 0;
    argv--, argc++;
    while ((c = getopt_long(argc, argv, ":C:j:", longs, NULL)) != -1) {
        switch (c) {
        case 'C': o.dir = optarg; break;
        case 'j':
            if ((o.jobs = (int)number(optarg, 1, 256)) < 0)
                return usage_error("-j wants a number of workers from 1 to 256, not '%s'", optarg);
            break;
        case 'f': o.force = 1; break;
        case 'o': o.only = optarg; break;
        case 's': {
            unsigned long k = strtoul(optarg, &end, 10), n = *end == '/' ? strtoul(end + 1, &end, 10) : 0;

            if (*end || n == 0 || k == 0 || k > n || n > 100000)
                return usage_error("--shard wants K/N with 1 <= K <= N (for a 0-based index I write "
                                   "$((I+1))/N), not '%s'", optarg);
            o.shard_k = (unsigned)k, o.shard_n = (unsigned)n;
            break;
        }
        case 'q': o.quiet = 1; break;
        case 'n': o.dry_run = 1; break;
        case 'w':
            o.wait = strtod(optarg, &end);
            if (*end || o.wait < 0 || o.wait > 86400)
                return usage_error("--wait wants seconds from 0 to 86400, not '%s'", optarg);
            break;
        case 'W': o.wait = 0; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    d = diag_new(stderr, 0);
    src = buildsrc_new();
    rc = build_run(&o, src, d);
    buildsrc_free(src);
    diag_free(d);
    return rc;
}
