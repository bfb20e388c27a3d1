#include "common/util/file.h"
#include "common/util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
write_all(int fd, const char *buf, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (gsize) n;
    }
    return 0;
}

int
vk_file_write_atomic(const char *path, const void *data, gsize len, mode_t mode)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd;

    fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode);
    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno,
                              "cannot create temporary file for '%s'", path);
        return -1;
    }
    /* the umask applied at creation must not change the mode we were asked for */
    if (fchmod(fd, mode) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot set mode of '%s'", tmp);
        goto error;
    }
    if (write_all(fd, data, len) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot write '%s'", tmp);
        goto error;
    }
    if (fsync(fd) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot sync '%s'", tmp);
        goto error;
    }
    if (close(fd) < 0) {
        fd = -1;
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot close '%s'", tmp);
        goto error;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot rename '%s' to '%s'", tmp, path);
        goto error;
    }
    /* The data is on disk before the rename, so a crash leaves the old file
     * or the new one, never a mix.  Like libvirt, the directory is not
     * synced: that would only make the rename itself survive a crash, at
     * the price of a second disk flush per saved definition. */
    return 0;

 error:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}

/* Whether NAME is ".<something>SUFFIX.XXXXXX", with mkstemp's six
 * letters and digits. */
static gboolean
is_atomic_temp_name(const char *name, const char *suffix)
{
    gsize len = strlen(name), suffix_len = strlen(suffix);
    const char *rand;

    if (name[0] != '.' || len < 1 + 1 + suffix_len + 7)
        return FALSE;
    rand = name + len - 6;
    if (rand[-1] != '.' || strncmp(rand - 1 - suffix_len, suffix, suffix_len) != 0)
        return FALSE;
    for (int i = 0; i < 6; i++)
        if (!g_ascii_isalnum(rand[i]))
            return FALSE;
    return TRUE;
}

guint
vk_file_remove_stale_temps(const char *dir, const char *suffix, gboolean recurse)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    guint removed = 0;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        struct stat st;

        if (lstat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode) && recurse)
            removed += vk_file_remove_stale_temps(path, suffix, FALSE);
        else if (S_ISREG(st.st_mode) && is_atomic_temp_name(name, suffix)) {
            if (unlink(path) == 0) {
                g_info("removed '%s', left by a write that never finished", path);
                removed++;
            }
        }
    }
    return removed;
}

int
vk_file_read_all(const char *path, gsize max_len, char **contents, gsize *len)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    char chunk[8192];
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot open '%s'", path);
        return -1;
    }
    /* read to EOF rather than trusting st_size: /proc and /sys report 0 */
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            vk_error_report_errno(VIR_FROM_NONE, errno, "cannot read '%s'", path);
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        if (buf->len + (gsize) n > max_len) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                            "file '%s' is larger than the limit of %" G_GSIZE_FORMAT " bytes",
                            path, max_len);
            close(fd);
            return -1;
        }
        g_byte_array_append(buf, (const guint8 *) chunk, (guint) n);
    }
    close(fd);

    if (len)
        *len = buf->len;
    g_byte_array_append(buf, (const guint8 *) "", 1);
    *contents = (char *) g_byte_array_free(g_steal_pointer(&buf), FALSE);
    return 0;
}

int
vk_file_make_dirs(const char *path, int mode)
{
    if (g_mkdir_with_parents(path, mode) < 0) {
        vk_error_report_errno(VIR_FROM_NONE, errno, "cannot create directory '%s'", path);
        return -1;
    }
    return 0;
}

char *
vk_file_read_attr(const char *dir, const char *file)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return g_strstrip(text);
}

gint64
vk_file_read_attr_number(const char *dir, const char *file, gint64 fallback)
{
    g_autofree char *text = vk_file_read_attr(dir, file);
    char *end = NULL;
    gint64 value;

    if (!text || !*text)
        return fallback;
    value = g_ascii_strtoll(text, &end, g_str_has_prefix(text, "0x") ? 16 : 10);
    return end && *end == '\0' ? value : fallback;
}
