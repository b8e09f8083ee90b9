/*
** Benchmark: nanoseconds per call of the formatters and escapers the template stage calls
** for every value it prints. One line per function: "NAME  NS ns/call".
*/
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "escape.h"
#include "vnfmt.h"
#include "vntext.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define N 1000000

static void report(const char *name, double t0, size_t sink)
{
    printf("vnfmt  %-28s %7.1f ns/call%s\n", name, (now() - t0) * 1e9 / N, sink ? "" : " ");
}

int main(void)
{
    static const char cell[] = "Hợp tác xã *Đại Phát* | 12,5% <b>";
    static const char viet[] = "Liên minh Hợp tác xã tỉnh Ninh Bình";
    buf b = BUF_INIT;
    size_t sink = 0;
    double t0;

    buf_grow(&b, 256);
#define LOOP(name, call)                                                                      \
    t0 = now();                                                                               \
    for (int i = 0; i < N; i++) {                                                             \
        buf_reset(&b);                                                                        \
        call;                                                                                 \
        sink += b.len;                                                                        \
    }                                                                                         \
    report(name, t0, sink)

    LOOP("num integer (337.082)", vnfmt_num(&b, 337082 + (i & 1023), 0, 0));
    LOOP("num 2 decimals (36,52)", vnfmt_num(&b, 36.52 + (i & 1023) * 0.01, 2, 0));
    LOOP("num half, slow path (2,675)", vnfmt_num(&b, 2.675 + (i & 1023), 2, 0));
    LOOP("pct 1 decimal (12,5%)", vnfmt_pct(&b, 12.5 + (i & 1023) * 0.1, 1, 0));
    LOOP("words (337082)", vnfmt_words(&b, 337082 + (i & 1023), 0, 0));
    LOOP("date_long", vnfmt_date_long(&b, 19363 + (i & 1023)));
    LOOP("escape_html (34 B)", escape_html(&b, cell, sizeof cell - 1));
    LOOP("escape_markdown (34 B)", escape_markdown(&b, cell, sizeof cell - 1));
    LOOP("vntext_upper (36 B)", vntext_upper(&b, viet, sizeof viet - 1));
    LOOP("vntext_slug (36 B)", vntext_slug(&b, viet, sizeof viet - 1));
    buf_free(&b);
    return 0;
}
