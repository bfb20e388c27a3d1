/* <device> as nodedev-create and nodedev-define take it (a new device:
 * named "new device" in errors, its name, path and driver left to the
 * driver), or as nodedev-dumpxml wrote it: libvirt 9.0's
 * virNodeDeviceDefParse with its errors.  Only mdevs get further than the
 * parser in the driver ("Unsupported device type" for the rest, as libvirt). */
#include "common/conf/node-device-def.h"

#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/node-device-parse.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

#define NEW_DEVICE "new device"

static int
parse_mdev(xmlNodePtr node, VkNodeDevMdev *mdev, const char *device)
{
    xmlNodePtr type = vk_xml_child(node, "type");
    xmlNodePtr group = vk_xml_child(node, "iommuGroup");
    unsigned char uuid[VK_UUID_BUFLEN];

    if (!(mdev->type = vk_xml_prop(type, "id"))) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED,
                        "missing type id attribute for '%s'", device);
        return -1;
    }
    mdev->parent_addr = vk_xml_child_text(node, "parent_addr");
    mdev->uuid = vk_xml_child_text(node, "uuid");
    if (mdev->uuid) {
        if (vk_uuid_parse(mdev->uuid, uuid) < 0) {
            vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                            "Invalid uuid '%s' for new mdev device", mdev->uuid);
            return -1;
        }
        /* kept in libvirt's canonical spelling */
        g_free(mdev->uuid);
        mdev->uuid = g_malloc(VK_UUID_STRING_BUFLEN);
        vk_uuid_format(uuid, mdev->uuid);
    }
    if (group) {
        g_autofree char *number = vk_xml_prop(group, "number");

        if (number && vk_xml_parse_uint(number, 10, &mdev->iommu_group) < 0) {
            vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                            "invalid iommuGroup number attribute for '%s'", device);
            return -1;
        }
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        char *value;

        if (!vk_xml_is_element(c, "attr"))
            continue;
        value = vk_xml_prop(c, "value");
        g_ptr_array_add(mdev->attr_names, vk_xml_prop(c, "name") ?: g_strdup(""));
        g_ptr_array_add(mdev->attr_values, value ?: g_strdup(""));
    }
    return 0;
}

static int
parse_cap(VkNodeDeviceDef *def, xmlNodePtr node, const char *device)
{
    g_autofree char *type = vk_xml_prop(node, "type");
    int t;
    VkNodeDevCap *cap;

    if (!type) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "%s",
                        "Missing required attribute 'type' in element 'capability'");
        return -1;
    }
    if ((t = vk_nodedev_cap_from_string(type)) < 0)
        return vk_xml_invalid_attr(node, "type", type, NULL);
    cap = vk_node_device_def_add_cap(def, t);
    if (t == VK_NODEDEV_CAP_MDEV)
        return parse_mdev(node, &cap->mdev, device);
    return vk_node_device_parse_cap_data(node, cap, device);
}

static void
parse_identity(VkNodeDeviceDef *def, xmlNodePtr root)
{
    g_free(def->name);
    def->name = vk_xml_child_text(root, "name");
    def->sysfs_path = vk_xml_child_text(root, "path");
    def->driver = vk_xml_child_text(vk_xml_child(root, "driver"), "name");
    for (xmlNodePtr c = root->children; c; c = c->next) {
        g_autofree char *type = NULL;

        if (!vk_xml_is_element(c, "devnode"))
            continue;
        type = vk_xml_prop(c, "type");
        if (g_strcmp0(type, "dev") == 0) {
            g_free(def->devnode);
            def->devnode = vk_xml_text(c);
        } else if (g_strcmp0(type, "link") == 0) {
            if (!def->devlinks)
                def->devlinks = g_ptr_array_new_with_free_func(g_free);
            g_ptr_array_add(def->devlinks, vk_xml_text(c));
        }
    }
}

static VkNodeDeviceDef *
parse_root(xmlNodePtr root, bool existing)
{
    g_autoptr(VkNodeDeviceDef) def = NULL;
    guint ncaps = 0;

    if (!vk_xml_is_element(root, "device")) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                        "expecting root element of 'device', not '%s'",
                        root ? (const char *) root->name : "");
        return NULL;
    }
    /* a new device is named by the driver: "new device" until then */
    def = vk_node_device_def_new(NEW_DEVICE);
    if (existing)
        parse_identity(def, root);
    if (!def->name) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_NO_NAME, "%s", "");
        return NULL;
    }
    def->parent = vk_xml_child_text(root, "parent");
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "capability"))
            continue;
        ncaps++;
        if (parse_cap(def, c, def->name) < 0)
            return NULL;
    }
    if (!ncaps) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                        "no device capabilities for '%s'", def->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

static VkNodeDeviceDef *
parse_string(const char *xml, bool existing)
{
    xmlDocPtr doc = vk_xml_parse_named_from(xml, NULL, "(node_device_definition)",
                                            VIR_FROM_NODEDEV);
    VkNodeDeviceDef *def;

    if (!doc)
        return NULL;
    def = parse_root(xmlDocGetRootElement(doc), existing);
    xmlFreeDoc(doc);
    return def;
}

VkNodeDeviceDef *
vk_node_device_def_parse_string(const char *xml)
{
    return parse_string(xml, false);
}

VkNodeDeviceDef *
vk_node_device_def_parse_existing(const char *xml)
{
    return parse_string(xml, true);
}
