#include "drivers/network/core/network-ports.h"

#include <string.h>

#include "common/util/error.h"
#include "common/util/uuid.h"
#include "drivers/network/core/network-hostdev.h"
#include "drivers/network/core/network-store.h"

/* What a guest plugs into on OBJ's network; -1 for the modes whose ports
 * we cannot make. */
static int
fill_plug(VkNetworkObj *obj, VkNetworkPortDef *port)
{
    const VkNetworkDef *def = obj->def;

    switch (def->forward.mode) {
    case VK_NETWORK_FORWARD_HOSTDEV:
        return vk_network_hostdev_plug(def, vk_network_pci_root(), obj->ports, port);
    case VK_NETWORK_FORWARD_NONE:
    case VK_NETWORK_FORWARD_NAT:
    case VK_NETWORK_FORWARD_ROUTE:
    case VK_NETWORK_FORWARD_OPEN:
        port->plug_type = VK_NETWORK_PORT_PLUG_NETWORK;
        break;
    case VK_NETWORK_FORWARD_BRIDGE:
        if (def->bridge) {
            port->plug_type = VK_NETWORK_PORT_PLUG_BRIDGE;
            break;
        }
        G_GNUC_FALLTHROUGH;
    default:
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_CONFIG_UNSUPPORTED,
                        "network '%s' with forward mode '%s' cannot give ports: "
                        "not supported here", def->name,
                        vk_network_forward_mode_to_string(def->forward.mode));
        return -1;
    }
    g_free(port->plug_bridge);
    port->plug_bridge = g_strdup(def->bridge);
    g_free(port->plug_mac_table_manager);
    port->plug_mac_table_manager = g_strdup(def->mac_table_manager);
    return 0;
}

int
vk_network_port_add(VkNetworkDriver *driver, VkNetworkObj *obj, VkNetworkPortDef *port,
                    bool reclaim)
{
    g_autoptr(VkNetworkPortDef) owned = port;
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (vk_network_obj_find_port(obj, port->uuid)) {
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NETWORK_PORT_EXIST,
                        "Network port with UUID %s already exists",
                        vk_uuid_format(port->uuid, uuidstr));
        return -1;
    }
    if (!reclaim && fill_plug(obj, port) < 0)
        return -1;
    if (vk_network_store_save_port(driver->store, obj->def->name, port) < 0)
        return -1;
    vk_network_obj_add_port(obj, g_steal_pointer(&owned));
    obj->def->connections++;
    if (vk_network_store_save_status(driver->store, obj) < 0)
        g_warning("network '%s': its status was not saved: %s", obj->def->name,
                  vk_error_last_message());
    vk_error_reset();
    return 0;
}

VkNetworkPortDef *
vk_network_port_lookup(VkNetworkObj *obj, const unsigned char *uuid)
{
    VkNetworkPortDef *port = vk_network_obj_find_port(obj, uuid);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (!port)
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NO_NETWORK_PORT,
                        "Network port with UUID %s does not exist", vk_uuid_format(uuid, uuidstr));
    return port;
}

int
vk_network_port_remove(VkNetworkDriver *driver, VkNetworkObj *obj, const unsigned char *uuid)
{
    if (!vk_network_port_lookup(obj, uuid))
        return -1;
    vk_network_store_delete_port(driver->store, obj->def->name, uuid);
    vk_network_obj_remove_port(obj, uuid);
    if (obj->def->connections > 0)
        obj->def->connections--;
    if (obj->active && vk_network_store_save_status(driver->store, obj) < 0)
        g_warning("network '%s': its status was not saved: %s", obj->def->name,
                  vk_error_last_message());
    vk_error_reset();
    return 0;
}
