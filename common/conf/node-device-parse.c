/* <device> as nodedev-create and nodedev-define take it: libvirt 9.0's
 * virNodeDeviceDefParse with its errors.  Only mdev definitions get that far
 * in the driver; other capability types parse to their type alone (the
 * driver answers "Unsupported device type" for them, as libvirt does). */
#include "common/conf/node-device-def.h"

#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

#define NEW_DEVICE "new device"

static int
parse_mdev(xmlNodePtr node, VkNodeDevMdev *mdev)
{
    xmlNodePtr type = vk_xml_child(node, "type");
    xmlNodePtr group = vk_xml_child(node, "iommuGroup");
    unsigned char uuid[VK_UUID_BUFLEN];

    if (!(mdev->type = vk_xml_prop(type, "id"))) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_CONFIG_UNSUPPORTED,
                        "missing type id attribute for '%s'", NEW_DEVICE);
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
                            "invalid iommuGroup number attribute for '%s'", NEW_DEVICE);
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
parse_cap(VkNodeDeviceDef *def, xmlNodePtr node)
{
    g_autofree char *type = vk_xml_prop(node, "type");
    int t;
    VkNodeDevCap *cap;

    if (!type) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_XML_ERROR, "%s",
                        "Missing required attribute 'type' in element 'capability'");
        return -1;
    }
    if ((t = vk_nodedev_cap_from_string(type)) < 0)
        return vk_xml_invalid_attr(node, "type", type, NULL);
    cap = vk_node_device_def_add_cap(def, t);
    switch (t) {
    case VK_NODEDEV_CAP_MDEV:
        return parse_mdev(node, &cap->mdev);
    case VK_NODEDEV_CAP_PCI_DEV:
        /* libvirt wants a whole PCI address before anything else */
        if (!vk_xml_child(node, "domain") || !vk_xml_child(node, "bus") ||
            !vk_xml_child(node, "slot") || !vk_xml_child(node, "function")) {
            vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                            "no PCI bus ID supplied for '%s'", NEW_DEVICE);
            return -1;
        }
        return 0;
    default:
        return 0;
    }
}

static VkNodeDeviceDef *
parse_root(xmlNodePtr root)
{
    g_autoptr(VkNodeDeviceDef) def = NULL;
    g_autofree char *name = NULL;
    guint ncaps = 0;

    if (!vk_xml_is_element(root, "device")) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_XML_ERROR,
                        "expecting root element of 'device', not '%s'",
                        root ? (const char *) root->name : "");
        return NULL;
    }
    /* a new device is named by the driver; libvirt ignores <name> here */
    def = vk_node_device_def_new(NEW_DEVICE);
    def->parent = vk_xml_child_text(root, "parent");
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "capability"))
            continue;
        ncaps++;
        if (parse_cap(def, c) < 0)
            return NULL;
    }
    if (!ncaps) {
        vk_error_report(VIR_FROM_NODEDEV, VIR_ERR_INTERNAL_ERROR,
                        "no device capabilities for '%s'", NEW_DEVICE);
        return NULL;
    }
    return g_steal_pointer(&def);
}

VkNodeDeviceDef *
vk_node_device_def_parse_string(const char *xml)
{
    xmlDocPtr doc = vk_xml_parse_named_from(xml, NULL, "(node_device_definition)",
                                            VIR_FROM_NODEDEV);
    VkNodeDeviceDef *def;

    if (!doc)
        return NULL;
    def = parse_root(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}
