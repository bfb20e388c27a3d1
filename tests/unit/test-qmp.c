/* QMP client against a real QEMU (-machine none, nothing to boot). */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "drivers/qemu/monitor/qmp.h"
#include "common/util/error.h"

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"

typedef struct {
    GMutex lock;
    GCond cond;
    GPtrArray *events;     /* names, in order */
    gboolean last_guest;
    char *last_reason;
    int eofs;
    int disposes;
    GThread *callback_thread;
} Seen;

typedef struct {
    char *dir;
    char *sock;
    GPid pid;
    Seen seen;
    VkQmp *mon;
} Fixture;

static void
on_event(VkQmp *mon, const char *name, const VkJson *data, gboolean guest,
         gint64 ts, gpointer opaque)
{
    Seen *s = opaque;
    g_mutex_lock(&s->lock);
    g_ptr_array_add(s->events, g_strdup(name));
    s->last_guest = guest;
    g_free(s->last_reason);
    s->last_reason = g_strdup(vk_json_object_get_string(data, "reason", ""));
    s->callback_thread = g_thread_self();
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    g_assert_cmpint(ts, >, 0);
}

static void
on_eof(VkQmp *mon, gpointer opaque)
{
    Seen *s = opaque;
    g_mutex_lock(&s->lock);
    s->eofs++;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
}

static void
on_dispose(gpointer opaque)
{
    Seen *s = opaque;
    g_mutex_lock(&s->lock);
    s->disposes++;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
}

static const VkQmpCallbacks callbacks = { on_event, on_eof, on_dispose };

/* Wait until PRED(seen) holds, at most 5 s. */
static gboolean
seen_wait(Seen *s, gboolean (*pred)(Seen *, gconstpointer), gconstpointer arg)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    g_mutex_lock(&s->lock);
    gboolean ok;
    while (!(ok = pred(s, arg)) && g_cond_wait_until(&s->cond, &s->lock, deadline))
        ;
    ok = pred(s, arg);
    g_mutex_unlock(&s->lock);
    return ok;
}

static gboolean
has_event(Seen *s, gconstpointer name)
{
    for (guint i = 0; i < s->events->len; i++)
        if (g_str_equal(s->events->pdata[i], name))
            return TRUE;
    return FALSE;
}

static gboolean
has_eof(Seen *s, gconstpointer unused)
{
    return s->eofs > 0;
}

static gboolean
has_dispose(Seen *s, gconstpointer unused)
{
    return s->disposes > 0;
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    f->dir = g_dir_make_tmp("virtkit-test-qmp-XXXXXX", &err);
    g_assert_no_error(err);
    f->sock = g_build_filename(f->dir, "qmp.sock", NULL);
    g_autofree char *qmparg = g_strdup_printf("unix:%s,server=on,wait=off", f->sock);
    const char *argv[] = { QEMU_BIN, "-S", "-no-user-config", "-nodefaults", "-nographic",
                           "-machine", "none,accel=kvm:tcg", "-qmp", qmparg, NULL };
    g_spawn_async(NULL, (char **)argv, NULL,
                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                  G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, &f->pid, &err);
    g_assert_no_error(err);
    g_mutex_init(&f->seen.lock);
    g_cond_init(&f->seen.cond);
    f->seen.events = g_ptr_array_new_with_free_func(g_free);
    f->mon = vk_qmp_open(f->sock, f->pid, "test", 5000, &callbacks, &f->seen);
    if (!f->mon)
        g_error("vk_qmp_open: %s", vk_error_last_message());
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
    if (f->mon)
        vk_qmp_close(f->mon);
    kill(f->pid, SIGKILL);
    waitpid(f->pid, NULL, 0);
    g_spawn_close_pid(f->pid);
    /* The reader thread drops the last reference once it saw the close. */
    g_assert_true(seen_wait(&f->seen, has_dispose, NULL));
    g_assert_cmpint(f->seen.disposes, ==, 1);
    unlink(f->sock);
    g_rmdir(f->dir);
    g_free(f->sock);
    g_free(f->dir);
    g_ptr_array_unref(f->seen.events);
    g_free(f->seen.last_reason);
    g_mutex_clear(&f->seen.lock);
    g_cond_clear(&f->seen.cond);
}

static void
test_query(Fixture *f, gconstpointer data)
{
    g_autofree char *status = NULL;
    g_autofree char *version = NULL;

    g_assert_cmpint(vk_qmp_execute(f->mon, "query-status", NULL, &status), ==, 0);
    g_assert_nonnull(strstr(status, "\"prelaunch\""));

    g_assert_cmpint(vk_qmp_execute(f->mon, "query-version", NULL, &version), ==, 0);
    g_assert_nonnull(strstr(version, "\"major\""));
    g_assert_cmpuint(vk_qmp_get_greeting_version(f->mon), >=, 2000000);

    /* Arguments go through as given. */
    g_autofree char *types = NULL;
    g_assert_cmpint(vk_qmp_execute(f->mon, "qom-list-types",
                                   "{\"implements\": \"pci-device\", \"abstract\": false}",
                                   &types), ==, 0);
    g_assert_nonnull(strstr(types, "\"virtio-net-pci\""));
    g_assert_null(strstr(types, "\"isa-serial\""));
}

static void
test_error_reply(Fixture *f, gconstpointer data)
{
    g_autofree char *reply = NULL;
    g_autoptr(VkJson) node = NULL;
    g_autofree char *klass = NULL;

    vk_error_reset();
    g_assert_cmpint(vk_qmp_execute(f->mon, "no-such-command", NULL, &reply), ==, -1);
    g_assert_null(reply);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: unable to execute QEMU command 'no-such-command': "
                    "The command no-such-command has not been found");

    g_assert_cmpint(vk_qmp_execute_node(f->mon, "device_del", NULL, &node, &klass), ==, -1);
    g_assert_null(node);
    g_assert_cmpstr(klass, ==, "GenericError");

    g_assert_cmpint(vk_qmp_execute(f->mon, "query-status", "[1, 2]", NULL), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INVALID_ARG);

    /* The monitor still works after errors. */
    g_assert_cmpint(vk_qmp_execute(f->mon, "query-status", NULL, NULL), ==, 0);
}

/* Whether process PID has a descriptor open on what TARGET (a readlink of
 * /proc/.../fd/N, e.g. "pipe:[1234]") names. */
static gboolean
process_holds(GPid pid, const char *target)
{
    g_autofree char *dir_path = g_strdup_printf("/proc/%d/fd", (int) pid);
    g_autoptr(GDir) dir = g_dir_open(dir_path, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(dir_path, name, NULL);
        g_autofree char *link = g_file_read_link(path, NULL);
        if (g_strcmp0(link, target) == 0)
            return TRUE;
    }
    return FALSE;
}

static void
test_getfd(Fixture *f, gconstpointer data)
{
    g_autoptr(VkJson) args = vk_json_new_object();
    g_autofree char *self_path = NULL;
    g_autofree char *pipe_name = NULL;
    int p[2];

    g_assert_cmpint(pipe(p), ==, 0);
    self_path = g_strdup_printf("/proc/self/fd/%d", p[0]);
    pipe_name = g_file_read_link(self_path, NULL);
    g_assert_nonnull(pipe_name);
    vk_json_object_set_string(args, "fdname", "fd-test");

    /* without a descriptor QEMU has nothing to name */
    g_assert_cmpint(vk_qmp_execute_node(f->mon, "getfd", args, NULL, NULL), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "SCM_RIGHTS"));

    /* with one, QEMU holds a copy by that name until closefd */
    g_assert_false(process_holds(f->pid, pipe_name));
    g_assert_cmpint(vk_qmp_execute_with_fd(f->mon, "getfd", args, p[0], NULL, NULL), ==, 0);
    g_assert_true(process_holds(f->pid, pipe_name));
    close(p[0]);
    close(p[1]);
    g_assert_cmpint(vk_qmp_execute_node(f->mon, "closefd", args, NULL, NULL), ==, 0);
    g_assert_false(process_holds(f->pid, pipe_name));
    g_assert_cmpint(vk_qmp_execute_node(f->mon, "closefd", args, NULL, NULL), ==, -1);
    g_assert_nonnull(strstr(vk_error_last_message(), "'fd-test' not found"));
}

static void
test_events_and_eof(Fixture *f, gconstpointer data)
{
    g_assert_cmpint(vk_qmp_execute(f->mon, "cont", NULL, NULL), ==, 0);
    g_assert_true(seen_wait(&f->seen, has_event, "RESUME"));
    g_assert_cmpint(vk_qmp_execute(f->mon, "stop", NULL, NULL), ==, 0);
    g_assert_true(seen_wait(&f->seen, has_event, "STOP"));
    g_assert_true(f->seen.callback_thread != g_thread_self());

    g_assert_cmpint(vk_qmp_execute(f->mon, "quit", NULL, NULL), ==, 0);
    g_assert_true(seen_wait(&f->seen, has_eof, NULL));
    g_assert_true(has_event(&f->seen, "SHUTDOWN"));
    g_assert_false(f->seen.last_guest);
    g_assert_cmpstr(f->seen.last_reason, ==, "host-qmp-quit");
    g_assert_true(vk_qmp_is_eof(f->mon));

    /* Commands after EOF fail at once with libvirt's text. */
    g_assert_cmpint(vk_qmp_execute(f->mon, "query-status", NULL, NULL), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: End of file from qemu monitor (vm='test')");

    g_usleep(100 * 1000);
    g_assert_cmpint(f->seen.eofs, ==, 1);
}

static void
test_crash_eof(Fixture *f, gconstpointer data)
{
    kill(f->pid, SIGKILL);
    g_assert_true(seen_wait(&f->seen, has_eof, NULL));
    g_usleep(100 * 1000);
    g_assert_cmpint(f->seen.eofs, ==, 1);
}

typedef struct {
    VkQmp *mon;
    int rc;
    int code;
} Waiter;

static gpointer
waiter_main(gpointer data)
{
    Waiter *w = data;
    w->rc = vk_qmp_execute(w->mon, "query-status", NULL, NULL);
    w->code = vk_error_last_code();
    return NULL;
}

static void
test_timeout_and_close(Fixture *f, gconstpointer data)
{
    /* A stopped QEMU answers nothing: a timeout, then a close wakes a waiter. */
    kill(f->pid, SIGSTOP);
    vk_qmp_set_timeout(f->mon, 200);
    gint64 t0 = g_get_monotonic_time();
    g_assert_cmpint(vk_qmp_execute(f->mon, "query-status", NULL, NULL), ==, -1);
    g_assert_cmpint(vk_error_last_code(), ==, VIR_ERR_OPERATION_TIMEOUT);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);

    vk_qmp_set_timeout(f->mon, 20000);
    Waiter w = { .mon = f->mon };
    GThread *th = g_thread_new("waiter", waiter_main, &w);
    g_usleep(100 * 1000);
    t0 = g_get_monotonic_time();
    vk_qmp_close(f->mon);
    f->mon = NULL;
    g_thread_join(th);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpint(w.rc, ==, -1);
    g_assert_cmpint(w.code, ==, VIR_ERR_OPERATION_FAILED);
    kill(f->pid, SIGCONT);
    /* No EOF callback after a close. */
    g_usleep(100 * 1000);
    g_assert_cmpint(f->seen.eofs, ==, 0);
}

static void
test_no_socket(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("virtkit-test-qmp-XXXXXX", &err);
    g_autofree char *sock = g_build_filename(dir, "none.sock", NULL);

    gint64 t0 = g_get_monotonic_time();
    g_assert_null(vk_qmp_open(sock, 0, NULL, 300, NULL, NULL));
    g_assert_cmpint(g_get_monotonic_time() - t0, >=, 250 * 1000);
    g_assert_nonnull(strstr(vk_error_last_message(), sock));

    /* A process that dies before creating the socket is noticed early. */
    const char *argv[] = { "/bin/false", NULL };
    GPid pid;
    g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &err);
    g_assert_no_error(err);
    t0 = g_get_monotonic_time();
    g_assert_null(vk_qmp_open(sock, pid, "dead", 5000, NULL, NULL));
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpstr(vk_error_last_message(), ==,
                    "internal error: process exited while connecting to monitor");
    waitpid(pid, NULL, 0);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_file_test(QEMU_BIN, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no " QEMU_BIN);
        return g_test_run();
    }
    g_test_add("/qmp/query", Fixture, NULL, fixture_setup, test_query, fixture_teardown);
    g_test_add("/qmp/error-reply", Fixture, NULL, fixture_setup, test_error_reply, fixture_teardown);
    g_test_add("/qmp/getfd", Fixture, NULL, fixture_setup, test_getfd, fixture_teardown);
    g_test_add("/qmp/events-and-eof", Fixture, NULL, fixture_setup, test_events_and_eof, fixture_teardown);
    g_test_add("/qmp/crash-eof", Fixture, NULL, fixture_setup, test_crash_eof, fixture_teardown);
    g_test_add("/qmp/timeout-and-close", Fixture, NULL, fixture_setup, test_timeout_and_close, fixture_teardown);
    g_test_add_func("/qmp/no-socket", test_no_socket);
    return g_test_run();
}
