#include "tools/file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

char *
vksh_file_read(VkshControl *ctl, const char *path)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    char chunk[8192];
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        vksh_error(ctl, "Failed to open file '%s': %s", path, g_strerror(errno));
        return NULL;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        int err = errno;

        if (n < 0 && err == EINTR)
            continue;
        /* libvirt says EINVAL for a file over the limit */
        if (n > 0 && buf->len + (gsize) n > VKSH_MAX_XML_FILE) {
            n = -1;
            err = EINVAL;
        }
        if (n < 0) {
            vksh_error(ctl, "Failed to read file '%s': %s", path, g_strerror(err));
            close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        g_byte_array_append(buf, (const guint8 *) chunk, (guint) n);
    }
    close(fd);
    g_byte_array_append(buf, (const guint8 *) "", 1);
    return (char *) g_byte_array_free(g_steal_pointer(&buf), FALSE);
}
