/*
** Unit tests for table.c: splitting, typing, number conventions, missing values, the
** dictionary, and errors with their exact FILE:LINE:COL.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "table.h"

static diag *d;

static int setup(void **state)
{
    (void)state;
    d = diag_new(NULL, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    diag_free(d);
    return 0;
}

static table *parse_opts(const char *csv, const table_opts *o)
{
    diag_clear(d);
    return table_parse("t.csv", csv, strlen(csv), o, d);
}

static table *parse(const char *csv)
{
    return parse_opts(csv, NULL);
}

/* Parsing CSV must fail with exactly the messages WANT (one a line). */
static void expect_errors(const char *csv, const char *want)
{
    table *t = parse(csv);
    assert_null(t);
    assert_string_equal(diag_text(d), want);
}

static void splits_rfc4180(void **state)
{
    table *t = parse("a,b,c\r\n1,\"x,\"\"y\"\"\r\nz\",3\r\n\r\n4,,\r\n\r\n");

    (void)state;
    assert_non_null(t);
    assert_int_equal(table_rows(t), 2);
    assert_int_equal(table_cols(t), 3);
    assert_string_equal(table_text(t, 0, 1), "x,\"y\"\nz");
    assert_int_equal(table_line(t, 0), 2);
    assert_int_equal(table_line(t, 1), 5);
    unsigned line, col;
    table_pos(t, 0, 2, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 4);
    assert_true(table_missing(t, 1, 1));
    assert_true(isnan(table_num(t, 1, 2)));
    table_free(t);
}

/* Positions are counted when asked, over cells rewritten in place (numbers, missing dashes,
 * dates, some moved to the side pool), after quoted line breaks, and in a row whose quoted
 * "" made it keep exact positions. */
static void positions_after_rewrites(void **state)
{
    static const struct { size_t row, c; unsigned line, col; } want[] = {
        { 0, 1, 3, 6 }, { 0, 2, 3, 16 }, { 0, 5, 3, 36 }, { 1, 4, 4, 15 },
        { 1, 5, 4, 24 }, { 2, 1, 6, 4 }, { 2, 3, 6, 10 }, { 2, 5, 6, 23 },
    };
    table *t = parse("t;n;m;q;d;e\n"
                     "\"Hà\nNội\";1.234.567;–;\"a\"\"b\";2023-01-02;7\n"
                     "\"Huế\";2,5;-;x;3/1/2023;8\n"
                     "\"A\nB\"; 3 ;–;\"y\";4/1/2023;9\n");
    unsigned line, col;

    (void)state;
    assert_non_null(t);
    assert_string_equal(table_text(t, 0, 1), "1234567");
    assert_string_equal(table_text(t, 1, 4), "2023-01-03");
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        table_pos(t, want[i].row, want[i].c, &line, &col);
        assert_int_equal(line, want[i].line);
        assert_int_equal(col, want[i].col);
    }
    table_free(t);
}

static void detects_delimiter_and_line_ends(void **state)
{
    table *t = parse("a;b\r1;2,5\r3;4\r");

    (void)state;
    assert_non_null(t);
    assert_int_equal(table_detected(t)->delimiter, ';');
    assert_int_equal(table_rows(t), 2);
    assert_int_equal(table_line(t, 1), 3);
    assert_true(table_num(t, 0, 1) == 2.5);
    table_free(t);
    t = parse("a\tb\n\"x;y\"\t1,2\n");
    assert_int_equal(table_detected(t)->delimiter, '\t');
    assert_string_equal(table_text(t, 0, 0), "x;y");
    table_free(t);
}

static void vietnamese_numbers(void **state)
{
    table *t = parse("n;d;p\n1.234.567;36,52;12,5%\n1.234;-1.234,5;–\n-;;100%\n");

    (void)state;
    assert_non_null(t);
    assert_int_equal(table_detected(t)->convention, TABLE_CONV_VN);
    assert_int_equal(table_column(t, 0)->type, TABLE_INTEGER);
    assert_int_equal(table_column(t, 1)->type, TABLE_DECIMAL);
    assert_int_equal(table_column(t, 2)->type, TABLE_PERCENT);
    assert_true(table_num(t, 0, 0) == 1234567);
    assert_string_equal(table_text(t, 0, 1), "36.52");
    assert_true(table_num(t, 0, 2) == 12.5);
    assert_true(table_num(t, 1, 0) == 1234); /* ambiguous: the file is Vietnamese */
    assert_string_equal(table_text(t, 1, 1), "-1234.5");
    assert_true(table_missing(t, 1, 2));      /* an en dash is missing, not zero */
    assert_true(table_missing(t, 2, 0));
    assert_true(isnan(table_num(t, 2, 1)));
    table_free(t);
}

static void english_numbers_and_ambiguity(void **state)
{
    table *t = parse("a,b\n\"1,234\",\"1,234,567.5\"\n2,36.52\n");

    (void)state;
    assert_non_null(t);
    assert_int_equal(table_detected(t)->convention, TABLE_CONV_EN);
    assert_true(table_num(t, 0, 0) == 1234);
    assert_true(table_num(t, 0, 1) == 1234567.5);
    table_free(t);
    /* nothing tells: Vietnamese; an option overrides */
    t = parse("a\n1.234\n");
    assert_true(table_num(t, 0, 0) == 1234);
    table_free(t);
    table_opts o = { NULL, TABLE_CONV_EN, 0 };
    t = parse_opts("a\n1.234\n", &o);
    assert_true(table_num(t, 0, 0) == 1.234);
    assert_int_equal(table_column(t, 0)->type, TABLE_DECIMAL);
    table_free(t);
}

static void leading_zeros_stay_text(void **state)
{
    table *t = parse("ma_tinh,nam,ngay\n01,2022,06/01/2023\n96,2023,2024-02-29\n");

    (void)state;
    assert_int_equal(table_column(t, 0)->type, TABLE_TEXT);
    assert_string_equal(table_text(t, 0, 0), "01");
    assert_int_equal(table_column(t, 2)->type, TABLE_DATE);
    assert_string_equal(table_text(t, 0, 2), "2023-01-06");
    assert_true(table_num(t, 0, 2) == 19363); /* days since 1970-01-01 */
    assert_int_equal(table_find(t, "nam"), 1);
    assert_int_equal(table_find(t, "khong_co"), -1);
    table_free(t);
}

static void field_count_errors(void **state)
{
    (void)state;
    expect_errors("a,b,c\n1,2,3\n4,5\n6,7,8,9\n",
                  "t.csv:3:4: error: too few fields: 2, the header has 3\n"
                  "t.csv:4:7: error: too many fields: the header has 3\n");
}

static void header_errors(void **state)
{
    (void)state;
    expect_errors("a,,a\n1,2,3\n", "t.csv:1:3: error: empty column name (column 2)\n"
                                   "t.csv:1:4: error: duplicate column name 'a'\n");
    expect_errors("", "t.csv:1:1: error: no header line: the file is empty\n");
}

static void unterminated_quote(void **state)
{
    (void)state;
    expect_errors("a,b\n1,x\n2,\"Hà\n3,y\n",
                  "t.csv:3:3: error: unterminated quote: the field runs to the end of the file\n");
}

static void declared_types_and_errors(void **state)
{
    const char *dict_csv = "column,label,unit,type,decimals,aggregate,role,min,max\n"
                           "ma_tinh,Mã tỉnh,,text,,none,key,,\n"
                           "so_htx,Số HTX,HTX,integer,0,sum,,0,\n"
                           "ty_le,Tỷ lệ,%,percent,1,mean,,0,100\n";
    char path[] = "/tmp/test_table_dictXXXXXX";
    int fd = mkstemp(path);
    table_dict *dict;
    table *t;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, dict_csv, strlen(dict_csv)), (ssize_t)strlen(dict_csv));
    close(fd);
    diag_clear(d);
    dict = table_dict_read(path, d);
    unlink(path);
    assert_non_null(dict);
    assert_int_equal(table_dict_count(dict), 3);
    const column *c = table_dict_lookup(dict, "so_htx");
    assert_non_null(c);
    assert_string_equal(c->label, "Số HTX");
    assert_int_equal(c->aggregate, TABLE_AGG_SUM);
    assert_true(c->min == 0 && isnan(c->max));
    assert_int_equal(table_dict_at(dict, 0)->role, TABLE_ROLE_KEY);

    table_opts o = { dict, TABLE_CONV_AUTO, 0 };
    t = parse_opts("ma_tinh;so_htx;ty_le\n01;1.234;12,5\n02;-;7%\n", &o);
    assert_non_null(t);
    assert_int_equal(table_column(t, 1)->type, TABLE_INTEGER);
    assert_true(table_column(t, 1)->declared);
    assert_string_equal(table_column(t, 2)->unit, "%");
    assert_true(table_num(t, 0, 2) == 12.5);
    assert_true(table_num(t, 1, 2) == 7);
    table_free(t);

    t = parse_opts("ma_tinh;so_htx;ty_le\n01;nhiều;1\n02;1,5;x\n03;12%;1\n", &o);
    assert_null(t);
    assert_string_equal(diag_text(d),
                        "t.csv:2:4: error: not a number in column 'so_htx' (integer): 'nhiều'\n"
                        "t.csv:3:4: error: not a whole number in column 'so_htx' (integer): '1,5'\n"
                        "t.csv:3:8: error: not a number in column 'ty_le' (percent): 'x'\n"
                        "t.csv:4:4: error: a percentage in column 'so_htx' (integer): '12%'\n");

    /* the table keeps its own copies of the dictionary's texts: it may outlive it */
    t = parse_opts("ma_tinh;so_htx;ty_le\n01;1.234;12,5\n", &o);
    assert_non_null(t);
    table_dict_free(dict);
    assert_string_equal(table_column(t, 1)->label, "Số HTX");
    assert_string_equal(table_column(t, 1)->unit, "HTX");
    assert_string_equal(table_column(t, 2)->unit, "%");
    table_free(t);
}

static void dictionary_errors(void **state)
{
    const char *dict_csv = "column,type,aggregate,role\nx,float,sum,\ny,text,avg,boss\n";
    char path[] = "/tmp/test_table_dictXXXXXX";
    int fd = mkstemp(path);

    (void)state;
    assert_int_equal(write(fd, dict_csv, strlen(dict_csv)), (ssize_t)strlen(dict_csv));
    close(fd);
    diag_clear(d);
    assert_null(table_dict_read(path, d));
    unlink(path);
    assert_non_null(strstr(diag_text(d), ":2:3: error: unknown type 'float'"));
    assert_non_null(strstr(diag_text(d), ":3:8: error: unknown aggregate 'avg'"));
    assert_non_null(strstr(diag_text(d), ":3:12: error: unknown role 'boss'"));
}

static void every_error_is_reported_up_to_the_cap(void **state)
{
    char csv[4096] = "a,b\n";

    (void)state;
    for (int i = 0; i < 300; i++)
        strcat(csv, "1\n");
    diag_clear(d);
    assert_null(table_parse("t.csv", csv, strlen(csv), NULL, d));
    assert_int_equal(diag_errors(d), 300);
}

static void big_cells_and_many_columns(void **state)
{
    size_t n = 1 << 20;
    char *csv = malloc(n + 64);
    table *t;

    (void)state;
    strcpy(csv, "a,b\n1,\"");
    memset(csv + 7, 'x', n);
    strcpy(csv + 7 + n, "\"\n");
    diag_clear(d);
    t = table_parse("t.csv", csv, strlen(csv), NULL, d);
    assert_non_null(t);
    assert_int_equal(strlen(table_text(t, 0, 1)), n);
    table_free(t);
    /* 10.000 columns */
    size_t k = 0;
    for (int row = 0; row < 2; row++)
        for (int c = 0; c < 10000; c++)
            k += (size_t)sprintf(csv + k, row == 0 ? "c%d%c" : "%d%c", c, c == 9999 ? '\n' : ',');
    t = table_parse("t.csv", csv, k, NULL, d);
    assert_non_null(t);
    assert_int_equal(table_cols(t), 10000);
    assert_true(table_num(t, 0, 9999) == 9999);
    table_free(t);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_rfc4180),
        cmocka_unit_test(positions_after_rewrites),
        cmocka_unit_test(detects_delimiter_and_line_ends),
        cmocka_unit_test(vietnamese_numbers),
        cmocka_unit_test(english_numbers_and_ambiguity),
        cmocka_unit_test(leading_zeros_stay_text),
        cmocka_unit_test(field_count_errors),
        cmocka_unit_test(header_errors),
        cmocka_unit_test(unterminated_quote),
        cmocka_unit_test(declared_types_and_errors),
        cmocka_unit_test(dictionary_errors),
        cmocka_unit_test(every_error_is_reported_up_to_the_cap),
        cmocka_unit_test(big_cells_and_many_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
