/* The RSS floor of a daemon here: a program that links GLib and libxml2,
 * initializes both and then waits (bench/nodedevs prints its RSS next to
 * virtnodedevd's). */
#include <glib.h>
#include <libxml/parser.h>

int
main(void)
{
    g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

    xmlInitParser();
    g_main_loop_run(loop);   /* until killed */
    return 0;
}
