/*
** Reads a CSV file with table_read(); used by bench_csv.sh to time the data layer without
** the cost of printing. With --touch it then reads every cell as a number, as a consumer
** would (timed apart: that is the consumer's cost, not the reader's).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "table.h"

int main(int argc, char **argv)
{
    diag *d = diag_new(stderr, 0);
    table *t;
    double sum = 0;
    size_t missing = 0;

    int touch = argc == 3 && strcmp(argv[1], "--touch") == 0;
    struct timespec a, b;

    if (argc != 2 + touch) {
        fputs("usage: csv_read [--touch] FILE.csv\n", stderr);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    t = table_read(argv[1 + touch], NULL, d);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (!t) {
        diag_free(d);
        return 1;
    }
    fprintf(stderr, "table_read: %.3f s\n",
            (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
    for (size_t r = 0; touch && r < table_rows(t); r++)
        for (size_t c = 0; c < table_cols(t); c++) {
            double v = table_num(t, r, c);
            if (isnan(v))
                missing++;
            else
                sum += v;
        }
    printf("%zu rows, %zu columns, %zu missing or text, sum %.2f\n", table_rows(t),
           table_cols(t), missing, sum);
    table_free(t);
    diag_free(d);
    return 0;
}
