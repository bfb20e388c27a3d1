#include "drivers/network/core/network-lookup.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"
#include "drivers/network/driver.h"

VkNetworkObj *
vk_network_from_ref(const remote_nonnull_network *ref)
{
    VkNetworkObj *obj = vk_network_list_find_by_uuid(vk_network_driver()->networks,
                                                     (const unsigned char *) ref->uuid);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (!obj) {
        vk_uuid_format((const unsigned char *) ref->uuid, uuidstr);
        vk_error_report(VIR_FROM_NETWORK, VIR_ERR_NO_NETWORK,
                        "no network with matching uuid '%s' (%s)", uuidstr, ref->name);
    }
    return obj;
}

VkNetworkObj *
vk_network_begin(const remote_nonnull_network *ref)
{
    VkNetworkObj *obj = vk_network_from_ref(ref);

    if (!obj || vk_object_acquire(&obj->parent) < 0)
        return NULL;
    return obj;
}

void
vk_network_make_ref(remote_nonnull_network *ref, const VkNetworkDef *def)
{
    ref->name = strdup(def->name);
    memcpy(ref->uuid, def->uuid, VK_UUID_BUFLEN);
}

void
vk_network_port_make_ref(remote_nonnull_network_port *ref, const VkNetworkDef *net,
                         const VkNetworkPortDef *port)
{
    vk_network_make_ref(&ref->net, net);
    memcpy(ref->uuid, port->uuid, VK_UUID_BUFLEN);
}

int
vk_network_check_active(VkNetworkObj *obj)
{
    if (obj->active)
        return 0;
    vk_error_report(VIR_FROM_NETWORK, VIR_ERR_OPERATION_INVALID,
                    "network '%s' is not active", obj->def->name);
    return -1;
}
