#include "drivers/nodedev/core/nodedev-obj.h"

#include <string.h>

#include "common/util/error.h"

static void
dispose(VkObject *parent)
{
    vk_node_device_def_free(((VkNodeDevObj *) parent)->def);
}

static const VkObjectClass nodedev_class = {
    .name = "node device",
    .error_domain = VIR_FROM_NODEDEV,
    .job_wait_ms = 30 * 1000,
    .dispose = dispose,
};

void
vk_nodedev_name_uuid(const char *name, unsigned char uuid[VK_UUID_BUFLEN])
{
    guint8 digest[32];
    gsize len = sizeof(digest);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);

    g_checksum_update(sum, (const guchar *) name, -1);
    g_checksum_get_digest(sum, digest, &len);
    g_checksum_free(sum);
    memcpy(uuid, digest, VK_UUID_BUFLEN);
}

VkNodeDevObj *
vk_nodedev_list_add(VkObjectList *list, VkNodeDeviceDef *def)
{
    VkNodeDevObj *fresh = g_new0(VkNodeDevObj, 1);
    VkNodeDevObj *listed;
    unsigned char uuid[VK_UUID_BUFLEN];
    bool existed = false;

    vk_nodedev_name_uuid(def->name, uuid);
    vk_object_init(&fresh->parent, &nodedev_class, def->name, uuid);
    fresh->def = def;
    fresh->active = true;
    listed = (VkNodeDevObj *) vk_object_list_add(list, &fresh->parent, &existed);
    if (listed != fresh) {
        fresh->def = NULL;
        if (listed)
            vk_nodedev_obj_unref(listed);
        listed = NULL;
        vk_error_reset();
    }
    vk_nodedev_obj_unref(fresh);
    return listed;
}

VkNodeDevObj *
vk_nodedev_lookup(VkObjectList *list, const char *name)
{
    VkNodeDevObj *obj = vk_nodedev_list_find(list, name);

    if (!obj)
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_NO_NODE_DEVICE,
                        "no node device with matching name '%s'", name);
    return obj;
}
