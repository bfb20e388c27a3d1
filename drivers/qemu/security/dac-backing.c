#include "drivers/qemu/security/dac-backing.h"

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 200
#define MAX_NAME 1023   /* qcow2's limit on the backing file name */

static guint64
read_be(const unsigned char *p, int len)
{
    guint64 v = 0;

    for (int i = 0; i < len; i++)
        v = (v << 8) | p[i];
    return v;
}

/* The backing file name in the qcow2 header of PATH, NULL when it is not a
 * qcow2 image or has none. */
static char *
backing_name(const char *path)
{
    unsigned char hdr[20];
    char name[MAX_NAME + 1];
    guint64 offset;
    guint64 len;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok;

    if (fd < 0)
        return NULL;
    ok = pread(fd, hdr, sizeof(hdr), 0) == sizeof(hdr) && memcmp(hdr, "QFI\xfb", 4) == 0;
    offset = ok ? read_be(hdr + 8, 8) : 0;
    len = ok ? read_be(hdr + 16, 4) : 0;
    ok = offset && len && len <= MAX_NAME && pread(fd, name, len, (off_t) offset) == (ssize_t) len;
    close(fd);
    if (!ok)
        return NULL;
    name[len] = '\0';
    return g_strdup(name);
}

/* A backing name that is a local file: not "json:{...}" nor a URL. */
static bool
is_local(const char *name)
{
    return !g_str_has_prefix(name, "json:") && !strstr(name, "://");
}

void
vk_dac_backing_chain(const char *path, GPtrArray *chain)
{
    g_autofree char *current = g_strdup(path);

    for (int depth = 0; depth < MAX_DEPTH; depth++) {
        g_autofree char *name = backing_name(current);
        g_autofree char *dir = g_path_get_dirname(current);
        if (!name || !is_local(name))
            break;
        g_free(current);
        current = g_path_is_absolute(name) ? g_strdup(name)
                                           : g_build_filename(dir, name, NULL);
        g_ptr_array_add(chain, g_strdup(current));
    }
}
