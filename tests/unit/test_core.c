/*
** Unit tests for the core utilities: buf, arena, diag, fileio, pages.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "fileio.h"
#include "pages.h"

static void buf_grows_and_detaches(void **state)
{
    buf b = BUF_INIT;
    char *s;
    size_t n;

    (void)state;
    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%d,", i % 10);
    assert_int_equal(b.len, 2000);
    assert_int_equal(strlen(b.ptr), 2000);
    buf_reset(&b);
    buf_puts(&b, "Hợp tác xã");
    buf_putc(&b, '!');
    s = buf_detach(&b, &n);
    assert_string_equal(s, "Hợp tác xã!");
    assert_int_equal(n, strlen("Hợp tác xã!"));
    assert_null(b.ptr);
    free(s);
}

/* Runs F in a child process: 1 when it aborted (SIGABRT; under ASan an allocation too big
 * to ask for ends in exit status 1), 0 when it came back or hung (the alarm). */
static int aborts(void (*f)(void))
{
    pid_t pid = fork();
    int st;

    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(5);
        f();
        _exit(3);
    }
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFSIGNALED(st) ? WTERMSIG(st) == SIGABRT : WEXITSTATUS(st) == 1;
}

static void grow_past_size_max(void)
{
    buf b = BUF_INIT;

    buf_puts(&b, "0123456789");
    buf_grow(&b, SIZE_MAX - 5); /* len + extra + 1 wraps: it used to return, buffer short */
}

static void grow_near_size_max(void)
{
    buf b = BUF_INIT;

    buf_grow(&b, SIZE_MAX / 4 * 3); /* cap += cap / 2 would wrap before reaching it */
}

/* A size that cannot be met is an out-of-memory abort, never a short buffer or a hang. */
static void buf_grow_overflow_aborts(void **state)
{
    (void)state;
    assert_true(aborts(grow_past_size_max));
    assert_true(aborts(grow_near_size_max));
}

static void arena_aligns_zeroes_and_resets(void **state)
{
    arena *a = arena_new();
    char *big;

    (void)state;
    for (int i = 0; i < 10000; i++) {
        double *d = arena_alloc(a, sizeof(double) * 3);

        assert_int_equal((uintptr_t)d % _Alignof(double), 0);
        assert_true(d[0] == 0.0 && d[2] == 0.0);
        d[2] = i;
    }
    big = arena_alloc(a, 1 << 20); /* larger than a block */
    memset(big, 'x', 1 << 20);
    assert_string_equal(arena_strndup(a, "Thái Nguyên, 2018", 13), "Thái Nguyên");
    assert_true(arena_used(a) > (1 << 20));
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    assert_string_equal(arena_strdup(a, "sau"), "sau");
    arena_free(a);
    arena_free(NULL);
}

static void arena_alloc_past_size_max(void)
{
    arena *a = arena_new();

    arena_alloc(a, SIZE_MAX - 3); /* rounding up to the alignment wraps to a 16-byte ask */
}

static void arena_strndup_size_max(void)
{
    arena *a = arena_new();

    arena_strndup(a, "x", SIZE_MAX); /* n + 1 wraps to 0 */
}

/* An arena ask that cannot be met aborts like xmalloc, never hands out a short block. */
static void arena_overflow_aborts(void **state)
{
    (void)state;
    assert_true(aborts(arena_alloc_past_size_max));
    assert_true(aborts(arena_strndup_size_max));
}

static void diag_formats_positions(void **state)
{
    diag *d = diag_new(NULL, 1);

    (void)state;
    diag_error(d, "a.csv", 3, 7, "unterminated quote");
    diag_warning(d, "t.md", 2, 0, "unknown key '%s'", "foo");
    diag_error(d, "x.css", 0, 0, "cannot read");
    assert_int_equal(diag_errors(d), 2);
    assert_int_equal(diag_warnings(d), 1);
    assert_string_equal(diag_text(d), "a.csv:3:7: error: unterminated quote\n"
                                      "t.md:2: warning: unknown key 'foo'\n"
                                      "x.css: error: cannot read\n");
    diag_clear(d);
    diag_set_limit(d, 2);
    for (int i = 0; i < 5; i++)
        diag_error(d, "b.csv", (unsigned)i + 1, 1, "bad");
    assert_int_equal(diag_errors(d), 5);
    assert_string_equal(diag_text(d), "b.csv:1:1: error: bad\nb.csv:2:1: error: bad\n");
    diag_free(d);
}

static void fileio_round_trip_atomic(void **state)
{
    char dir[] = "/tmp/baocao-test-XXXXXX";
    char path[512], sub[128];
    char *data;
    size_t len;
    diag *d = diag_new(NULL, 1);

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/a/b/c", dir);
    assert_int_equal(fileio_mkdirs(sub, d), 0);
    snprintf(path, sizeof path, "%s/out.txt", sub);
    assert_int_equal(fileio_write_atomic(path, "báo cáo\n", strlen("báo cáo\n"), d), 0);
    assert_int_equal(fileio_read(path, &data, &len, d), 0);
    assert_string_equal(data, "báo cáo\n");
    free(data);
    assert_int_equal(fileio_read("/nonexistent/x.csv", &data, &len, d), -1);
    assert_string_equal(diag_text(d),
                        "/nonexistent/x.csv: error: cannot read: No such file or directory\n");
    snprintf(path, sizeof path, "%s/nodir/out.txt", dir);
    assert_int_equal(fileio_write_atomic(path, "x", 1, d), -1);
    assert_int_equal(diag_errors(d), 2);
    diag_free(d);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

/* An empty folder name is nothing to make (it used to be read past its end). */
static void fileio_mkdirs_empty(void **state)
{
    diag *d = diag_new(NULL, 1);

    (void)state;
    assert_int_equal(fileio_mkdirs("", d), 0);
    assert_int_equal(diag_errors(d), 0);
    diag_free(d);
}

/* The lowest free descriptor: equal before and after a call means the call leaked none. */
static int lowest_free_fd(void)
{
    int fd = open("/dev/null", O_RDONLY);

    close(fd);
    return fd;
}

/* A failed write (here: past RLIMIT_FSIZE) reports, removes the temporary file and closes it. */
static void fileio_failed_write_closes(void **state)
{
    char dir[] = "/tmp/baocao-test-XXXXXX";
    char path[512], big[4096];
    struct rlimit old, lim;
    void (*old_xfsz)(int);
    diag *d = diag_new(NULL, 1);
    int before;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    memset(big, 'x', sizeof big);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 1024;
    old_xfsz = signal(SIGXFSZ, SIG_IGN);
    before = lowest_free_fd();
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    assert_int_equal(fileio_write_atomic(path, big, sizeof big, d), -1);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_xfsz);
    assert_int_equal(lowest_free_fd(), before);
    assert_int_equal(diag_errors(d), 1);
    diag_free(d);
    assert_int_equal(rmdir(dir), 0); /* the temporary file is gone */
}

static void pages_hold_items_and_anchors(void **state)
{
    pages *p = pages_new(NULL);
    page *pg;

    (void)state;
    for (int i = 0; i < 3; i++) {
        pg = pages_add(p, 595.28f, 841.89f);
        for (int j = 0; j < 100; j++) {
            pg_item *it = pages_push(p, pg, PG_TEXT);

            it->u.text.x = (float)j;
        }
    }
    assert_int_equal(p->count, 3);
    assert_int_equal(p->page[2].count, 100);
    assert_true(p->page[2].item[99].u.text.x == 99.0f);
    pages_add_anchor(p, "muc-1", 1, 700);
    pages_add_outline(p, 1, "I. KẾT QUẢ", 1, 700);
    assert_non_null(pages_lookup_anchor(p, "muc-1"));
    assert_null(pages_lookup_anchor(p, "muc-2"));
    assert_string_equal(p->outline[0].title, "I. KẾT QUẢ");
    pages_free(p);
    pages_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_detaches),
        cmocka_unit_test(buf_grow_overflow_aborts),
        cmocka_unit_test(arena_aligns_zeroes_and_resets),
        cmocka_unit_test(arena_overflow_aborts),
        cmocka_unit_test(diag_formats_positions),
        cmocka_unit_test(fileio_round_trip_atomic),
        cmocka_unit_test(fileio_mkdirs_empty),
        cmocka_unit_test(fileio_failed_write_closes),
        cmocka_unit_test(pages_hold_items_and_anchors),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
