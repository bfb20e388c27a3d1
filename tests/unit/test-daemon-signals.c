#include "common/daemon/signals.h"

#include <signal.h>

typedef struct {
    int quit;
    int reload;
} Counts;

static void
on_quit(gpointer data)
{
    ((Counts *) data)->quit++;
}

static void
on_reload(gpointer data)
{
    ((Counts *) data)->reload++;
}

/* Run CONTEXT until COUNTER moves (GLib delivers signals via a wakeup). */
static void
iterate_until(GMainContext *context, int *counter, int want)
{
    for (int i = 0; i < 1000 && *counter < want; i++) {
        if (!g_main_context_iteration(context, FALSE))
            g_usleep(1000);
    }
}

static void
test_signals(void)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    Counts counts = { 0 };
    VkSignalWatch *w = vk_signals_watch(context, on_quit, on_reload, &counts);

    raise(SIGHUP);
    iterate_until(context, &counts.reload, 1);
    g_assert_cmpint(counts.reload, ==, 1);
    g_assert_cmpint(counts.quit, ==, 0);

    raise(SIGTERM);
    iterate_until(context, &counts.quit, 1);
    g_assert_cmpint(counts.quit, ==, 1);

    raise(SIGINT);
    iterate_until(context, &counts.quit, 2);
    g_assert_cmpint(counts.quit, ==, 2);
    g_assert_cmpint(counts.reload, ==, 1);

    /* SIGPIPE is ignored: this would kill the test otherwise */
    raise(SIGPIPE);

    vk_signals_unwatch(w);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/signals/dispatch", test_signals);
    return g_test_run();
}
