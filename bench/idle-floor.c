/* The floor under a daemon's idle RSS (bench/proxy): a program that does
 * nothing but wait in a GLib main loop, linked against the same libraries
 * as the daemons (kept even though unused), so that what the libraries
 * alone cost can be told from what the daemon adds. */
#include <glib.h>
#include <stdlib.h>

int
main(void)
{
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);

    g_main_loop_run(loop);
    g_main_loop_unref(loop);
    return EXIT_SUCCESS;
}
