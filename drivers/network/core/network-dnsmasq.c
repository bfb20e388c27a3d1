#include "drivers/network/core/network-dnsmasq.h"

#include <unistd.h>

#include "common/util/error.h"
#include "drivers/network/dnsmasq/dnsmasq-conf.h"
#include "drivers/network/dnsmasq/dnsmasq-process.h"
#include "virtkit-config.h"

#define LEASES_HELPER "virtkit-leaseshelper"

/* The leases helper dnsmasq runs: beside the daemon in a build tree
 * (build/daemons/.. -> build/drivers/network/dnsmasq), else installed. */
static char *
leases_helper_path(void)
{
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
    char *built = dir ? g_build_filename(dir, "..", "drivers", "network", "dnsmasq",
                                         LEASES_HELPER, NULL) : NULL;

    if (built && access(built, X_OK) == 0)
        return built;
    g_free(built);
    return g_build_filename(VIRTKIT_LIBEXECDIR, LEASES_HELPER, NULL);
}

int
vk_network_dnsmasq_start(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    g_autofree char *helper = NULL;

    if (!vk_dnsmasq_needed(obj->def))
        return 0;
    helper = leases_helper_path();
    return vk_dnsmasq_start(driver->paths, obj->def, NULL, helper, &obj->dnsmasq_pid);
}

void
vk_network_dnsmasq_stop(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    if (vk_dnsmasq_stop(driver->paths, obj->def->name, obj->dnsmasq_pid) < 0)
        g_warning("network '%s': dnsmasq did not stop: %s", obj->def->name,
                  vk_error_last_message());
    vk_error_reset();
    obj->dnsmasq_pid = 0;
}

int
vk_network_dnsmasq_reconnect(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    if (!vk_dnsmasq_needed(obj->def))
        return 0;
    if ((obj->dnsmasq_pid = vk_dnsmasq_find(driver->paths, obj->def->name)) > 0)
        return 0;
    return vk_network_dnsmasq_start(driver, obj);
}

int
vk_network_dnsmasq_reload(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    if (!vk_dnsmasq_needed(obj->def) || obj->dnsmasq_pid <= 0)
        return 0;
    return vk_dnsmasq_reload(driver->paths, obj->def, obj->dnsmasq_pid);
}

int
vk_network_dnsmasq_restart(VkNetworkDriver *driver, VkNetworkObj *obj)
{
    vk_network_dnsmasq_stop(driver, obj);
    return vk_network_dnsmasq_start(driver, obj);
}
