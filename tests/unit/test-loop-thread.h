/* A GLib main loop running on a thread of its own, for unit tests that
 * serve clients (the server's sources attach to CONTEXT). */
#pragma once

#include <glib.h>

typedef struct {
    GMainContext *context;
    GMainLoop *loop;
    GThread *thread;
} TestLoopThread;

static inline gpointer
test_loop_thread_run(gpointer data)
{
    TestLoopThread *t = data;

    g_main_context_push_thread_default(t->context);
    g_main_loop_run(t->loop);
    g_main_context_pop_thread_default(t->context);
    return NULL;
}

/* The context first (servers need it), the thread once they are set up. */
static inline void
test_loop_thread_init(TestLoopThread *t)
{
    t->context = g_main_context_new();
    t->loop = g_main_loop_new(t->context, FALSE);
}

static inline void
test_loop_thread_start(TestLoopThread *t)
{
    t->thread = g_thread_new("loop", test_loop_thread_run, t);
}

/* Stop the loop and join its thread; free the context after the server. */
static inline void
test_loop_thread_stop(TestLoopThread *t)
{
    g_main_loop_quit(t->loop);
    g_thread_join(t->thread);
}

static inline void
test_loop_thread_clear(TestLoopThread *t)
{
    g_main_loop_unref(t->loop);
    g_main_context_unref(t->context);
}
