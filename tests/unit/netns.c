/* A network namespace for a test program (see netns.h). */
#include "netns.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#include <glib.h>

#include "common/host/netlink-link.h"
#include "common/util/error.h"

const char *vk_test_netns_skip;

void
vk_test_netns_enter(void)
{
    static char reason[128];

    if (unshare(CLONE_NEWNET) < 0) {
        g_snprintf(reason, sizeof(reason), "no network namespace of our own: %s", g_strerror(errno));
        vk_test_netns_skip = reason;
    } else if (vk_link_set_up("lo", true) < 0) {
        vk_test_netns_skip = "cannot bring lo up in the new namespace";
    }
}

void
vk_test_assert_ok(int rc)
{
    if (rc < 0)
        g_error("failed: %s", vk_error_last_message());
}

char *
vk_test_run(const char *command_line)
{
    g_auto(GStrv) argv = NULL;
    g_autofree char *out = NULL;
    int status;

    if (!g_shell_parse_argv(command_line, NULL, &argv, NULL) ||
        !g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &out, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL))
        return NULL;
    return g_steal_pointer(&out);
}
