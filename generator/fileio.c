/*
** Whole-file reads and atomic writes.
*/
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

int fileio_read(const char *path, char **data, size_t *len, diag *d)
{
    buf b = BUF_INIT;
    char chunk[65536];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;

    if (fd < 0) {
        diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(d, path, 0, 0, "cannot read: is a directory");
        close(fd);
        return -1;
    }
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        buf_grow(&b, (size_t)st.st_size);
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
            close(fd);
            buf_free(&b);
            return -1;
        }
        buf_put(&b, chunk, (size_t)n);
    }
    close(fd);
    *data = buf_detach(&b, len);
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fileio_write_atomic(const char *path, const void *data, size_t len, diag *d)
{
    buf tmp = BUF_INIT;
    int fd, saved, rc = -1;

    if (strcmp(path, "-") == 0) {
        if (write_all(STDOUT_FILENO, data, len) != 0) {
            diag_error(d, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    buf_printf(&tmp, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp.ptr);
    if (fd < 0)
        goto out;
    if (write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0) {
        saved = errno;
        close(fd); /* on this path too: one descriptor lost per failed report adds up */
        errno = saved;
    } else if (close(fd) == 0 && rename(tmp.ptr, path) == 0) {
        rc = 0;
    }
    if (rc != 0) {
        saved = errno;
        unlink(tmp.ptr);
        errno = saved;
    }
out:
    if (rc != 0)
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
    buf_free(&tmp);
    return rc;
}

int fileio_mkdirs(const char *dir, diag *d)
{
    char *p, *s;
    int rc = 0;

    if (!*dir)
        return 0; /* nothing to make; the loop below starts after the first byte */
    p = xstrdup(dir);
    for (s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;

            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                diag_error(d, p, 0, 0, "cannot make folder: %s", strerror(errno));
                rc = -1;
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return rc;
}
