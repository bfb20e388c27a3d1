/* Helper programs of the pool backends (command.h). */
#include "drivers/storage/backends/command.h"

#include <sys/wait.h>

#include "common/util/error.h"

static int
spawn(const char *const *argv, char **out, char **err, int *status)
{
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "LC_ALL", "C", TRUE);
    g_autoptr(GError) gerr = NULL;
    GSpawnFlags flags = G_SPAWN_SEARCH_PATH;

    if (!out)
        flags |= G_SPAWN_STDOUT_TO_DEV_NULL;
    if (!g_spawn_sync(NULL, (char **) argv, envp, flags, NULL, NULL, out, err, status,
                      &gerr)) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR, "Cannot run %s: %s",
                        argv[0], gerr->message);
        return -1;
    }
    return 0;
}

int
vk_storage_command_status(const char *const *argv, char **out, char **err)
{
    int status = 0;

    if (spawn(argv, out, err, &status) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
vk_storage_command_run(const char *const *argv, char **out)
{
    g_autofree char *err = NULL;
    g_autofree char *cmdline = NULL;
    int rc = vk_storage_command_status(argv, out, &err);

    if (rc <= 0)
        return rc;
    cmdline = g_strjoinv(" ", (char **) argv);
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_INTERNAL_ERROR,
                    "Child process (%s) unexpected exit status %d: %s", cmdline, rc,
                    err ? g_strstrip(err) : "");
    if (out)
        g_clear_pointer(out, g_free);
    return -1;
}
