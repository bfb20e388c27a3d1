/* The upload writer (common/rpc/file-writer.h) on its own: writes and holes
 * land in order, the drain reports in the main context once all is
 * written, a failed write is the drain's error and refuses more, and a
 * writer freed early still writes what was queued. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/rpc/file-writer.h"

#define KiB 1024

typedef struct {
    bool done;
    VkError *error;
} Drained;

static void
on_drained(VkError *error, gpointer data)
{
    Drained *d = data;

    d->done = true;
    d->error = error ? vk_error_copy(error) : NULL;
}

/* Drain WRITER and wait for the report in this thread's default context. */
static void
drain(VkFileWriter *writer, Drained *d)
{
    vk_file_writer_drain(writer, g_main_context_default(), on_drained, d, NULL);
    while (!d->done)
        g_main_context_iteration(NULL, TRUE);
}

static char *
temp_file(int *fd)
{
    char *path = NULL;

    *fd = g_file_open_tmp("vk-writer-XXXXXX", &path, NULL);
    g_assert_cmpint(*fd, >=, 0);
    return path;
}

static guint8 *
filled(gsize len, guint8 byte)
{
    guint8 *buf = g_malloc(len);

    memset(buf, byte, len);
    return buf;
}

static void
test_in_order(void)
{
    int fd;
    g_autofree char *path = temp_file(&fd);
    VkFileWriter *writer = vk_file_writer_new(fd, path, false);
    Drained d = { 0 };
    g_autofree char *got = NULL;
    gsize len;

    /* 6 MiB in 256 KiB frames: more than the queue holds at once */
    for (int i = 0; i < 24; i++) {
        guint8 *buf = filled(256 * KiB, 'a' + i);
        g_assert_cmpint(vk_file_writer_write(writer, buf, buf, 256 * KiB, i * 256 * KiB), ==, 0);
    }
    g_assert_cmpint(vk_file_writer_zero(writer, 256 * KiB, 256 * KiB), ==, 0);
    drain(writer, &d);
    g_assert_null(d.error);
    g_assert_true(g_file_get_contents(path, &got, &len, NULL));
    g_assert_cmpuint(len, ==, 24 * 256 * KiB);
    g_assert_cmpint(got[0], ==, 'a');
    g_assert_cmpint(got[256 * KiB], ==, 0);            /* the hole, after its data */
    g_assert_cmpint(got[512 * KiB - 1], ==, 0);
    g_assert_cmpint(got[23 * 256 * KiB], ==, 'a' + 23);
    vk_file_writer_free(writer);
    close(fd);
    g_unlink(path);
}

static void
test_failure(void)
{
    int fd;
    g_autofree char *path = temp_file(&fd);
    int ro = open(path, O_RDONLY | O_CLOEXEC);
    VkFileWriter *writer = vk_file_writer_new(ro, path, false);
    guint8 *buf = filled(4 * KiB, 'x');
    Drained d = { 0 };

    g_assert_cmpint(vk_file_writer_write(writer, buf, buf, 4 * KiB, 0), ==, 0);
    drain(writer, &d);
    g_assert_nonnull(d.error);
    g_assert_true(g_str_has_prefix(d.error->message, "Unable to write "));
    buf = filled(4 * KiB, 'y');
    g_assert_cmpint(vk_file_writer_write(writer, buf, buf, 4 * KiB, 0), ==, -1);
    vk_error_free(d.error);
    vk_error_reset();
    vk_file_writer_free(writer);
    close(ro);
    close(fd);
    g_unlink(path);
}

static void
test_free_writes_what_is_queued(void)
{
    int fd;
    g_autofree char *path = temp_file(&fd);
    VkFileWriter *writer = vk_file_writer_new(fd, path, false);
    struct stat st;

    for (int i = 0; i < 8; i++) {
        guint8 *buf = filled(256 * KiB, 'q');
        g_assert_cmpint(vk_file_writer_write(writer, buf, buf, 256 * KiB, i * 256 * KiB), ==, 0);
    }
    vk_file_writer_free(writer);
    g_assert_cmpint(fstat(fd, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 8 * 256 * KiB);
    close(fd);
    g_unlink(path);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc-file-writer/in-order", test_in_order);
    g_test_add_func("/rpc-file-writer/failure", test_failure);
    g_test_add_func("/rpc-file-writer/free-writes-what-is-queued", test_free_writes_what_is_queued);
    return g_test_run();
}
