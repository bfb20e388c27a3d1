#include "drivers/network/core/network-obj.h"

#include <string.h>

#include "common/util/error.h"

static void
dispose(VkObject *parent)
{
    VkNetworkObj *obj = (VkNetworkObj *) parent;

    vk_network_def_free(obj->def);
    vk_network_def_free(obj->new_def);
    g_hash_table_destroy(obj->ports);
}

static const VkObjectClass network_class = {
    .name = "network",
    .error_domain = VIR_FROM_NETWORK,
    .job_wait_ms = 30 * 1000,
    .dispose = dispose,
};

static guint
uuid_hash(gconstpointer key)
{
    guint h;

    memcpy(&h, key, sizeof(h));   /* random bytes already */
    return h;
}

static gboolean
uuid_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, VK_UUID_BUFLEN) == 0;
}

VkNetworkDef *
vk_network_obj_config(VkNetworkObj *obj)
{
    return obj->new_def ? obj->new_def : obj->def;
}

VkNetworkObj *
vk_network_list_add(VkObjectList *list, VkNetworkDef *def, bool *existed)
{
    VkNetworkObj *fresh = g_new0(VkNetworkObj, 1);
    VkNetworkObj *listed;

    vk_object_init(&fresh->parent, &network_class, def->name, def->uuid);
    fresh->def = def;
    fresh->ports = g_hash_table_new_full(uuid_hash, uuid_equal, NULL,
                                         (GDestroyNotify) vk_network_port_def_free);
    listed = (VkNetworkObj *) vk_object_list_add(list, &fresh->parent, existed);
    if (listed != fresh)
        fresh->def = NULL;   /* not taken: the caller keeps it */
    vk_network_obj_unref(fresh);
    return listed;
}

void
vk_network_obj_add_port(VkNetworkObj *obj, VkNetworkPortDef *port)
{
    g_hash_table_replace(obj->ports, port->uuid, port);
}

VkNetworkPortDef *
vk_network_obj_find_port(VkNetworkObj *obj, const unsigned char *uuid)
{
    return g_hash_table_lookup(obj->ports, uuid);
}

bool
vk_network_obj_remove_port(VkNetworkObj *obj, const unsigned char *uuid)
{
    return g_hash_table_remove(obj->ports, uuid);
}
