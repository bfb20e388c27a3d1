#define VK_LOG_MODULE "daemon.signals"
#include "common/daemon/signals.h"
#include "common/util/log.h"

#include <signal.h>
#include <glib-unix.h>

struct VkSignalWatch {
    VkSignalCallback quit;
    VkSignalCallback reload;
    gpointer data;
    GSource *sources[3];
};

typedef struct {
    VkSignalWatch *watch;
    int signum;
} VkSignalHit;

static gboolean
on_signal(gpointer user_data)
{
    VkSignalHit *hit = user_data;
    VkSignalWatch *w = hit->watch;

    g_info("received signal %d", hit->signum);
    if (hit->signum == SIGHUP) {
        if (w->reload)
            w->reload(w->data);
    } else if (w->quit) {
        w->quit(w->data);
    }
    return G_SOURCE_CONTINUE;
}

VkSignalWatch *
vk_signals_watch(GMainContext *context, VkSignalCallback quit,
                 VkSignalCallback reload, gpointer data)
{
    static const int signums[] = { SIGTERM, SIGINT, SIGHUP };
    VkSignalWatch *w = g_new0(VkSignalWatch, 1);

    signal(SIGPIPE, SIG_IGN);
    w->quit = quit;
    w->reload = reload;
    w->data = data;
    for (gsize i = 0; i < G_N_ELEMENTS(signums); i++) {
        VkSignalHit *hit = g_new0(VkSignalHit, 1);
        hit->watch = w;
        hit->signum = signums[i];
        w->sources[i] = g_unix_signal_source_new(signums[i]);
        g_source_set_callback(w->sources[i], on_signal, hit, g_free);
        g_source_attach(w->sources[i], context);
    }
    return w;
}

void
vk_signals_unwatch(VkSignalWatch *watch)
{
    if (!watch)
        return;
    for (gsize i = 0; i < G_N_ELEMENTS(watch->sources); i++) {
        g_source_destroy(watch->sources[i]);
        g_source_unref(watch->sources[i]);
    }
    g_free(watch);
}
