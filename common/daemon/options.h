/* Command line shared by every daemon:
 *   -v --verbose   -d --daemon   -t --timeout SECS   -f --config FILE
 *   -p --pid-file FILE   -V --version   -h --help   --root DIR */
#pragma once

#include <glib.h>

typedef struct {
    char *root;         /* absolute; NULL = system mode */
    char *config_file;  /* absolute; NULL = ROOT/etc/libvirt/<name>.conf */
    char *pid_file;     /* absolute; NULL = ROOT/run/<name>.pid */
    int timeout;        /* exit after this many idle seconds; -1 = never */
    gboolean daemon;
    gboolean verbose;
    gboolean version;
} VkDaemonOptions;

/* Parse ARGV (ARGV[0] is the program; it is not modified) into OPTS.
 * --help prints the usage and exits 0, as every daemon does.  -1 with a
 * VIR_ERR_INVALID_ARG error naming the option on bad input. */
int vk_daemon_options_parse(VkDaemonOptions *opts, const char *daemon_name,
                            int argc, char **argv);
void vk_daemon_options_clear(VkDaemonOptions *opts);
