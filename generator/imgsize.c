/*
** Image headers: PNG IHDR and JPEG SOFn dimensions.
*/
#include "imgsize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define IMGSIZE_MAX_HEAD (1u << 20) /* JPEG metadata (EXIF, ICC) before SOFn: up to 1 MB */
#define IMGSIZE_MAX_PIXELS 100000   /* per side; libharu and viewers choke beyond */

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int check(int kind, unsigned long w, unsigned long h, int *ow, int *oh, const char **why)
{
    if (w == 0 || h == 0 || w > IMGSIZE_MAX_PIXELS || h > IMGSIZE_MAX_PIXELS) {
        *why = "image size out of range";
        return -1;
    }
    *ow = (int)w;
    *oh = (int)h;
    return kind;
}

int imgsize_parse(const unsigned char *p, size_t n, int *w, int *h, const char **why)
{
    static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    size_t i;

    if (n >= 8 && memcmp(p, png, 8) == 0) {
        if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0) {
            *why = "truncated or damaged PNG header";
            return -1;
        }
        return check(IMGSIZE_PNG, be32(p + 16), be32(p + 20), w, h, why);
    }
    if (n < 3 || p[0] != 0xFF || p[1] != 0xD8) {
        *why = "not a PNG or JPEG file";
        return -1;
    }
    i = 2;
    while (i + 4 <= n) {
        unsigned m, len;
        if (p[i] != 0xFF) {
            *why = "damaged JPEG header";
            return -1;
        }
        m = p[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
            i += 2;
            continue;
        }
        len = be16(p + i + 2);
        if (len < 2) {
            *why = "damaged JPEG header";
            return -1;
        }
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (i + 9 > n)
                break;
            return check(IMGSIZE_JPEG, be16(p + i + 7), be16(p + i + 5), w, h, why);
        }
        if (m == 0xD9 || m == 0xDA) {
            *why = "JPEG without a frame header";
            return -1;
        }
        i += 2 + len;
    }
    *why = "truncated JPEG header";
    return -1;
}

int imgsize_read(const char *path, int *w, int *h, char *why, size_t whylen)
{
    size_t cap = 65536, n;
    unsigned char *head = NULL;
    const char *reason = NULL;
    int rc = -1;
    FILE *f = fopen(path, "rb");

    if (!f) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    for (;;) { /* most headers are in the first 64 kB; big EXIF blocks need more */
        head = xrealloc(head, cap);
        rewind(f);
        n = fread(head, 1, cap, f);
        rc = imgsize_parse(head, n, w, h, &reason);
        if (rc >= 0 || n < cap || cap >= IMGSIZE_MAX_HEAD)
            break;
        cap *= 4;
    }
    fclose(f);
    free(head);
    if (rc < 0)
        snprintf(why, whylen, "%s", reason ? reason : "unreadable");
    return rc;
}
