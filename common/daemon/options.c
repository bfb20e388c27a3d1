#include "common/daemon/options.h"
#include "common/util/error.h"

#include <string.h>

/* Relative paths on the command line mean the current directory at startup;
 * a --daemon process changes to '/', so fix them now. */
static char *
make_absolute(char *path)
{
    char *abs;

    if (!path || g_path_is_absolute(path))
        return path;
    abs = g_canonicalize_filename(path, NULL);
    g_free(path);
    return abs;
}

int
vk_daemon_options_parse(VkDaemonOptions *opts, const char *daemon_name,
                        int argc, char **argv)
{
    g_autofree char *timeout = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GOptionContext) ctx = NULL;
    g_auto(GStrv) args = NULL;
    g_autofree char *summary = g_strdup_printf("%s: Virtkit management daemon",
                                               daemon_name ? daemon_name : "virtkit");
    GOptionEntry entries[] = {
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts->verbose, "Log info messages too", NULL },
        { "daemon", 'd', 0, G_OPTION_ARG_NONE, &opts->daemon, "Run in the background", NULL },
        { "timeout", 't', 0, G_OPTION_ARG_STRING, &timeout,
          "Exit after SECS seconds without clients or running objects", "SECS" },
        { "config", 'f', 0, G_OPTION_ARG_FILENAME, &opts->config_file,
          "Configuration file", "FILE" },
        { "pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &opts->pid_file, "PID file", "FILE" },
        { "root", 0, 0, G_OPTION_ARG_FILENAME, &opts->root,
          "Put every path (sockets, config, state, logs) under DIR", "DIR" },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &opts->version, "Print the version and exit", NULL },
        { NULL },
    };

    memset(opts, 0, sizeof(*opts));
    opts->timeout = -1;

    /* parse a copy: GOption removes what it consumed */
    args = g_new0(char *, argc + 1);
    for (int i = 0; i < argc; i++)
        args[i] = g_strdup(argv[i]);

    ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, summary);
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse_strv(ctx, &args, &gerr)) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "%s", gerr->message);
        goto error;
    }
    if (args[0] && args[1]) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                        "unexpected argument '%s'", args[1]);
        goto error;
    }
    if (timeout) {
        guint64 secs;
        /* the idle timer counts in milliseconds: keep SECS * 1000 in an int */
        if (!g_ascii_string_to_unsigned(timeout, 10, 1, G_MAXINT / 1000, &secs, NULL)) {
            vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                            "invalid value '%s' for --timeout: expected seconds from 1 to %d",
                            timeout, G_MAXINT / 1000);
            goto error;
        }
        opts->timeout = (int) secs;
    }
    opts->root = make_absolute(opts->root);
    opts->config_file = make_absolute(opts->config_file);
    opts->pid_file = make_absolute(opts->pid_file);
    return 0;

 error:
    vk_daemon_options_clear(opts);
    return -1;
}

void
vk_daemon_options_clear(VkDaemonOptions *opts)
{
    g_clear_pointer(&opts->root, g_free);
    g_clear_pointer(&opts->config_file, g_free);
    g_clear_pointer(&opts->pid_file, g_free);
    opts->timeout = -1;
}
