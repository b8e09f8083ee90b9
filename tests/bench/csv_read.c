/*
** Reads a CSV file with table_read() and touches every number, as a consumer would; used by
** bench_csv.sh to time the data layer without the cost of printing.
*/
#include <math.h>
#include <stdio.h>

#include "table.h"

int main(int argc, char **argv)
{
    diag *d = diag_new(stderr, 0);
    table *t;
    double sum = 0;
    size_t missing = 0;

    if (argc != 2) {
        fputs("usage: csv_read FILE.csv\n", stderr);
        return 2;
    }
    t = table_read(argv[1], NULL, d);
    if (!t) {
        diag_free(d);
        return 1;
    }
    for (size_t r = 0; r < table_rows(t); r++)
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
