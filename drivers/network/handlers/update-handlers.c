/* virNetworkUpdate: a change of one section of a network's definition, in
 * its config, its live state or both; the live state takes effect through
 * dnsmasq (a SIGHUP or a restart) and the firewall, as libvirt does it. */
#include "common/conf/network-update.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/network/core/network-dnsmasq.h"
#include "drivers/network/core/network-lookup.h"
#include "drivers/network/core/network-store.h"
#include "drivers/network/driver.h"
#include "drivers/network/firewall/firewall.h"
#include "drivers/network/handlers/handlers.h"
#include "remote-protocol.h"

/* virNetworkUpdateFlags */
#define UPDATE_AFFECT_LIVE (1 << 0)
#define UPDATE_AFFECT_CONFIG (1 << 1)

/* Which definitions FLAGS asks for (AFFECT_CURRENT: the live one of an
 * active network, else the config); -1 with libvirt's error when OBJ
 * (locked) has not got one of them. */
static int
resolve_flags(VkNetworkObj *obj, unsigned int *flags)
{
    if (!(*flags & (UPDATE_AFFECT_LIVE | UPDATE_AFFECT_CONFIG)))
        *flags |= obj->active ? UPDATE_AFFECT_LIVE : UPDATE_AFFECT_CONFIG;
    if ((*flags & UPDATE_AFFECT_CONFIG) && !obj->persistent) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot change persistent config of a transient network");
        return -1;
    }
    if ((*flags & UPDATE_AFFECT_LIVE) && !obj->active) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID, "%s",
                        "network is not running");
        return -1;
    }
    return 0;
}

/* Put the changed live definition to work (OBJ locked, its def the new one). */
static int
apply_live(VkNetworkDriver *driver, VkNetworkObj *obj, unsigned int actions)
{
    if ((actions & VK_NETWORK_UPDATE_RELOAD_FIREWALL) &&
        vk_firewall_add_network(driver->firewall, obj->def) < 0)
        return -1;
    if (actions & VK_NETWORK_UPDATE_RESTART_DNSMASQ)
        return vk_network_dnsmasq_restart(driver, obj);
    if (actions & VK_NETWORK_UPDATE_REFRESH_DNSMASQ)
        return vk_network_dnsmasq_reload(driver, obj);
    return 0;
}

static int
network_update(VkServerClient *client, void *argsp, void *retp)
{
    remote_network_update_args *args = argsp;
    VkNetworkDriver *driver = vk_network_driver();
    g_autoptr(VkNetworkDef) config = NULL;
    g_autoptr(VkNetworkDef) live = NULL;
    unsigned int flags = args->flags;
    VkNetworkObj *obj;

    if (vk_check_flags(VIR_FROM_NETWORK, flags, UPDATE_AFFECT_LIVE | UPDATE_AFFECT_CONFIG,
                       "networkUpdate") < 0 ||
        !(obj = vk_network_begin(&args->net)))
        return -1;
    if (resolve_flags(obj, &flags) < 0)
        return vk_object_release(&obj->parent, -1);
    /* Both copies are changed before either is used: nothing half-done. */
    if (flags & UPDATE_AFFECT_CONFIG) {
        config = vk_network_def_copy(vk_network_obj_config(obj));
        if (vk_network_def_update(config, args->command, args->section, args->parentIndex,
                                  args->xml) < 0)
            return vk_object_release(&obj->parent, -1);
    }
    if (flags & UPDATE_AFFECT_LIVE) {
        live = vk_network_def_copy(obj->def);
        if (vk_network_def_update(live, args->command, args->section, args->parentIndex,
                                  args->xml) < 0)
            return vk_object_release(&obj->parent, -1);
    }
    if (config) {
        if (vk_network_store_save_config(driver->store, config) < 0)
            return vk_object_release(&obj->parent, -1);
        VkNetworkDef **slot = obj->active ? &obj->new_def : &obj->def;
        vk_network_def_free(*slot);
        *slot = g_steal_pointer(&config);
    }
    if (live) {
        unsigned int actions = vk_network_update_actions(obj->def, live, args->section);
        VkNetworkDef *old = obj->def;

        live->connections = old->connections;
        obj->def = g_steal_pointer(&live);
        vk_network_def_free(old);
        if (apply_live(driver, obj, actions) < 0 ||
            vk_network_store_save_status(driver->store, obj) < 0)
            return vk_object_release(&obj->parent, -1);
    }
    return vk_object_release(&obj->parent, 0);
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_NETWORK_UPDATE, network_update },
};

void
vk_network_update_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
