#include "drivers/nodedev/core/mdev-lifecycle.h"

#include <string.h>

#include "common/util/error.h"
#include "drivers/nodedev/core/mdev.h"
#include "drivers/nodedev/core/nodedev-obj.h"
#include "drivers/nodedev/core/nodedev-udev.h"
#include "drivers/nodedev/driver.h"

#define SETTLE_MS 5000   /* how long an mdev may take to appear or go */

static int
unsupported_type(void)
{
    vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Unsupported device type");
    return -1;
}

/* PARENT's sysfs path when it offers TYPE, else NULL with an error.  A
 * parent without any mdev types is what libvirt 9.0 cannot handle without
 * mdevctl, and its error is the one clients know there. */
static char *
parent_offering(const char *parent, const char *type)
{
    VkNodeDevObj *obj;
    VkNodeDevCap *cap;
    char *syspath = NULL;

    if (!parent) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                        "missing parent device");
        return NULL;
    }
    if (!(obj = vk_nodedev_list_find(vk_nodedev_driver()->devices, parent))) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED,
                        "invalid parent device '%s'", parent);
        return NULL;
    }
    vk_object_lock(&obj->parent);
    cap = vk_node_device_def_find_cap(obj->def, VK_NODEDEV_CAP_PCI_DEV);
    if (!cap || !cap->pci.mdev_types || !obj->def->sysfs_path) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR,
                        "Cannot find 'mdevctl' in path: No such file or directory");
    } else {
        for (guint i = 0; i < cap->pci.mdev_types->len && !syspath; i++) {
            VkMdevType *t = g_ptr_array_index(cap->pci.mdev_types, i);
            if (strcmp(t->id, type) == 0)
                syspath = g_strdup(obj->def->sysfs_path);
        }
        if (!syspath)
            vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED,
                            "mediated device type '%s' is not supported by '%s'", type, parent);
    }
    vk_object_unlock(&obj->parent);
    vk_nodedev_obj_unref(obj);
    return syspath;
}

VkNodeDeviceDef *
vk_nodedev_mdev_parse(const char *xml, char **parent_syspath)
{
    g_autoptr(VkNodeDeviceDef) def = vk_node_device_def_parse_string(xml);
    VkNodeDevCap *cap;

    if (!def)
        return NULL;
    if (!(cap = vk_node_device_def_find_cap(def, VK_NODEDEV_CAP_MDEV))) {
        unsupported_type();
        return NULL;
    }
    if (!(*parent_syspath = parent_offering(def->parent, cap->mdev.type)))
        return NULL;
    if (!cap->mdev.uuid)
        cap->mdev.uuid = g_uuid_string_random();
    g_free(cap->mdev.parent_addr);
    cap->mdev.parent_addr = g_path_get_basename(*parent_syspath);
    g_free(def->name);
    def->name = vk_mdev_device_name(cap->mdev.uuid, cap->mdev.parent_addr);
    return g_steal_pointer(&def);
}

bool
vk_nodedev_mdev_settle(const char *path, bool gone)
{
    for (int waited = 0; waited < SETTLE_MS; waited += 10) {
        if (g_file_test(path, G_FILE_TEST_EXISTS) != gone)
            return true;
        g_usleep(10 * 1000);
    }
    return false;
}

char *
vk_nodedev_mdev_start(const VkNodeDeviceDef *def, const char *parent_syspath)
{
    const VkNodeDevMdev *m = &vk_node_device_def_find_cap(def, VK_NODEDEV_CAP_MDEV)->mdev;
    g_autofree char *syspath = g_build_filename(parent_syspath, m->uuid, NULL);
    /* the device's directory comes before its links: wait for those */
    g_autofree char *type_link = g_build_filename(syspath, "mdev_type", NULL);
    char *name;

    if (vk_mdev_create(parent_syspath, m->type, m->uuid) < 0)
        return NULL;
    if (!vk_nodedev_mdev_settle(type_link, false) ||
        !(name = vk_nodedev_udev_add_syspath(vk_nodedev_driver(), syspath))) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                        "Device '%s' did not appear in sysfs", m->uuid);
        return NULL;
    }
    return name;
}

int
vk_nodedev_mdev_start_xml(const char *xml)
{
    g_autoptr(VkNodeDeviceDef) def = NULL;
    g_autofree char *parent_syspath = NULL;
    g_autofree char *name = NULL;

    if (!(def = vk_nodedev_mdev_parse(xml, &parent_syspath)) ||
        !(name = vk_nodedev_mdev_start(def, parent_syspath)))
        return -1;
    return 0;
}

void
vk_nodedev_mdev_autostart(VkNodeDevDriver *driver)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(driver->devices);

    for (guint i = 0; i < all->len; i++) {
        VkNodeDevObj *obj = g_ptr_array_index(all, i);
        g_autofree char *xml = NULL;

        vk_object_lock(&obj->parent);
        if (obj->autostart && !obj->active)
            xml = vk_node_device_def_format(obj->def);
        vk_object_unlock(&obj->parent);
        if (xml && vk_nodedev_mdev_start_xml(xml) < 0)
            g_warning("autostart of node device '%s' failed: %s", obj->parent.name,
                      vk_error_last_message());
        vk_error_reset();
    }
}
