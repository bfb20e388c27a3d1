/* <device> formatted as libvirt 9.0's nodedev-dumpxml prints it
 * (virNodeDeviceDefFormat): element order, 2-space indents, and its quirks
 * (an empty <firmware> keeps its closing tag, a USB id without a name is
 * "<product id='0x..' />"). */
#include "common/conf/node-device-def.h"

#include "common/conf/domain-xml.h"
#include "common/util/uuid.h"

/* "<NAME>TEXT</NAME>" escaped, at INDENT; nothing for a NULL TEXT. */
static void
text_elem(GString *buf, int indent, const char *name, const char *text)
{
    if (!text)
        return;
    g_string_append_printf(buf, "%*s<%s>", indent, "", name);
    vk_xml_escape_append(buf, text);
    g_string_append_printf(buf, "</%s>\n", name);
}

/* "<NAME id='0x%04x'>TEXT</NAME>", or without text SHORT_END ("/>"). */
static void
id_elem(GString *buf, const char *name, unsigned int id, const char *text, const char *short_end)
{
    g_string_append_printf(buf, "    <%s id='0x%04x'", name, id);
    if (!text) {
        g_string_append_printf(buf, "%s\n", short_end);
        return;
    }
    g_string_append_c(buf, '>');
    vk_xml_escape_append(buf, text);
    g_string_append_printf(buf, "</%s>\n", name);
}

static void
format_system(GString *buf, const VkNodeDevSystem *s)
{
    char uuid[VK_UUID_STRING_BUFLEN];

    text_elem(buf, 4, "product", s->product);
    g_string_append(buf, "    <hardware>\n");
    text_elem(buf, 6, "vendor", s->hw_vendor);
    text_elem(buf, 6, "version", s->hw_version);
    text_elem(buf, 6, "serial", s->hw_serial);
    g_string_append_printf(buf, "      <uuid>%s</uuid>\n", vk_uuid_format(s->uuid, uuid));
    g_string_append(buf, "    </hardware>\n    <firmware>\n");
    text_elem(buf, 6, "vendor", s->fw_vendor);
    text_elem(buf, 6, "version", s->fw_version);
    text_elem(buf, 6, "release_date", s->fw_date);
    g_string_append(buf, "    </firmware>\n");
}

static void
format_address(GString *buf, int indent, const VkPciAddress *a)
{
    g_string_append_printf(buf,
                           "%*s<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%u'/>\n",
                           indent, "", a->domain, a->bus, a->slot, a->function);
}

static void
format_mdev_types(GString *buf, const GPtrArray *types)
{
    if (!types || !types->len)
        return;
    g_string_append(buf, "    <capability type='mdev_types'>\n");
    for (guint i = 0; i < types->len; i++) {
        const VkMdevType *t = g_ptr_array_index(types, i);

        g_string_append(buf, "      <type id='");
        vk_xml_escape_append(buf, t->id);
        g_string_append(buf, "'>\n");
        text_elem(buf, 8, "name", t->name);
        text_elem(buf, 8, "deviceAPI", t->device_api);
        g_string_append_printf(buf, "        <availableInstances>%u</availableInstances>\n",
                               t->available);
        g_string_append(buf, "      </type>\n");
    }
    g_string_append(buf, "    </capability>\n");
}

static void
format_pcie(GString *buf, const VkNodeDevPci *p)
{
    if (!p->has_link_cap && !p->has_link_sta) {
        g_string_append(buf, "    <pci-express/>\n");
        return;
    }
    g_string_append(buf, "    <pci-express>\n");
    if (p->has_link_cap) {
        g_string_append(buf, "      <link validity='cap'");
        if (p->link_port >= 0)
            g_string_append_printf(buf, " port='%d'", p->link_port);
        if (p->link_cap_speed)
            g_string_append_printf(buf, " speed='%s'", p->link_cap_speed);
        g_string_append_printf(buf, " width='%u'/>\n", p->link_cap_width);
    }
    if (p->has_link_sta) {
        g_string_append(buf, "      <link validity='sta'");
        if (p->link_sta_speed)
            g_string_append_printf(buf, " speed='%s'", p->link_sta_speed);
        g_string_append_printf(buf, " width='%u'/>\n", p->link_sta_width);
    }
    g_string_append(buf, "    </pci-express>\n");
}

static void
format_pci(GString *buf, const VkNodeDevPci *p)
{
    if (p->klass >= 0)
        g_string_append_printf(buf, "    <class>0x%06x</class>\n", p->klass);
    g_string_append_printf(buf,
                           "    <domain>%u</domain>\n    <bus>%u</bus>\n"
                           "    <slot>%u</slot>\n    <function>%u</function>\n",
                           p->addr.domain, p->addr.bus, p->addr.slot, p->addr.function);
    id_elem(buf, "product", p->product, p->product_name, "/>");
    id_elem(buf, "vendor", p->vendor, p->vendor_name, "/>");
    if (p->phys_function) {
        g_string_append(buf, "    <capability type='phys_function'>\n");
        format_address(buf, 6, p->phys_function);
        g_string_append(buf, "    </capability>\n");
    }
    if (p->has_virt_functions) {
        g_string_append(buf, "    <capability type='virt_functions'");
        if (p->max_vfs)
            g_string_append_printf(buf, " maxCount='%u'", p->max_vfs);
        if (!p->virt_functions->len) {
            g_string_append(buf, "/>\n");
        } else {
            g_string_append(buf, ">\n");
            for (guint i = 0; i < p->virt_functions->len; i++)
                format_address(buf, 6, &g_array_index(p->virt_functions, VkPciAddress, i));
            g_string_append(buf, "    </capability>\n");
        }
    }
    format_mdev_types(buf, p->mdev_types);
    if (p->iommu_members->len) {
        g_string_append_printf(buf, "    <iommuGroup number='%d'>\n", p->iommu_group);
        for (guint i = 0; i < p->iommu_members->len; i++)
            format_address(buf, 6, &g_array_index(p->iommu_members, VkPciAddress, i));
        g_string_append(buf, "    </iommuGroup>\n");
    }
    if (p->numa_node >= 0)
        g_string_append_printf(buf, "    <numa node='%d'/>\n", p->numa_node);
    if (p->pcie)
        format_pcie(buf, p);
}

static void
format_net(GString *buf, const VkNodeDevNet *n)
{
    text_elem(buf, 4, "interface", n->ifname);
    text_elem(buf, 4, "address", n->address);
    /* virInterfaceLinkFormat: nothing when neither is known */
    if (n->speed || n->state) {
        g_string_append(buf, "    <link");
        if (n->speed)
            g_string_append_printf(buf, " speed='%u'", n->speed);
        if (n->state)
            g_string_append_printf(buf, " state='%s'", vk_nodedev_link_state_to_string(n->state));
        g_string_append(buf, "/>\n");
    }
    for (int i = 0; i < VK_NETDEV_FEAT_LAST; i++)
        if (n->features & (1u << i))
            g_string_append_printf(buf, "    <feature name='%s'/>\n", vk_netdev_feature_to_string(i));
    if (n->subtype >= 0)
        g_string_append_printf(buf, "    <capability type='%s'/>\n",
                               n->subtype == 0 ? "80203" : "80211");
}

static void
format_scsi_host(GString *buf, const VkNodeDevScsiHost *h)
{
    g_string_append_printf(buf, "    <host>%u</host>\n", h->host);
    if (h->unique_id != -1)
        g_string_append_printf(buf, "    <unique_id>%d</unique_id>\n", h->unique_id);
    if (h->fc_host) {
        g_string_append(buf, "    <capability type='fc_host'>\n");
        text_elem(buf, 6, "wwnn", h->wwnn);
        text_elem(buf, 6, "wwpn", h->wwpn);
        text_elem(buf, 6, "fabric_wwn", h->fabric_wwn);
        g_string_append(buf, "    </capability>\n");
    }
    if (h->vport_ops)
        g_string_append_printf(buf,
                               "    <capability type='vport_ops'>\n"
                               "      <max_vports>%d</max_vports>\n"
                               "      <vports>%d</vports>\n    </capability>\n",
                               h->max_vports, h->vports);
}

static void
format_block_sizes(GString *buf, int indent, const VkNodeDevStorage *s)
{
    if (s->logical_block_size)
        g_string_append_printf(buf, "%*s<logical_block_size>%llu</logical_block_size>\n",
                               indent, "", s->logical_block_size);
    if (s->num_blocks)
        g_string_append_printf(buf, "%*s<num_blocks>%llu</num_blocks>\n", indent, "",
                               s->num_blocks);
}

static void
format_storage(GString *buf, const VkNodeDevStorage *s)
{
    text_elem(buf, 4, "block", s->block);
    text_elem(buf, 4, "bus", s->bus);
    text_elem(buf, 4, "drive_type", s->drive_type);
    text_elem(buf, 4, "model", s->model);
    text_elem(buf, 4, "vendor", s->vendor);
    text_elem(buf, 4, "serial", s->serial);
    if (s->removable) {
        g_string_append_printf(buf,
                               "    <capability type='removable'>\n"
                               "      <media_available>%d</media_available>\n"
                               "      <media_size>%llu</media_size>\n",
                               s->media_available ? 1 : 0, s->removable_media_size);
        text_elem(buf, 6, "media_label", s->media_label);
        format_block_sizes(buf, 6, s);
        g_string_append(buf, "    </capability>\n");
    } else {
        g_string_append_printf(buf, "    <size>%llu</size>\n", s->size);
        format_block_sizes(buf, 4, s);
    }
    if (s->hotpluggable)
        g_string_append(buf, "    <capability type='hotpluggable'/>\n");
}

static void
format_mdev(GString *buf, const VkNodeDevMdev *m)
{
    if (m->type) {
        g_string_append(buf, "    <type id='");
        vk_xml_escape_append(buf, m->type);
        g_string_append(buf, "'/>\n");
    }
    text_elem(buf, 4, "uuid", m->uuid);
    text_elem(buf, 4, "parent_addr", m->parent_addr);
    g_string_append_printf(buf, "    <iommuGroup number='%u'/>\n", m->iommu_group);
    for (guint i = 0; i < m->attr_names->len; i++) {
        g_string_append(buf, "    <attr name='");
        vk_xml_escape_append(buf, g_ptr_array_index(m->attr_names, i));
        g_string_append(buf, "' value='");
        vk_xml_escape_append(buf, g_ptr_array_index(m->attr_values, i));
        g_string_append(buf, "'/>\n");
    }
}

static void
format_cap(GString *buf, const VkNodeDevCap *cap)
{
    switch (cap->type) {
    case VK_NODEDEV_CAP_SYSTEM:
        format_system(buf, &cap->system);
        break;
    case VK_NODEDEV_CAP_PCI_DEV:
        format_pci(buf, &cap->pci);
        break;
    case VK_NODEDEV_CAP_USB_DEV:
        g_string_append_printf(buf, "    <bus>%u</bus>\n    <device>%u</device>\n",
                               cap->usb_dev.bus, cap->usb_dev.device);
        id_elem(buf, "product", cap->usb_dev.product, cap->usb_dev.product_name, " />");
        id_elem(buf, "vendor", cap->usb_dev.vendor, cap->usb_dev.vendor_name, " />");
        break;
    case VK_NODEDEV_CAP_USB_INTERFACE:
        g_string_append_printf(buf,
                               "    <number>%u</number>\n    <class>%u</class>\n"
                               "    <subclass>%u</subclass>\n    <protocol>%u</protocol>\n",
                               cap->usb_if.number, cap->usb_if.klass, cap->usb_if.subclass,
                               cap->usb_if.protocol);
        text_elem(buf, 4, "description", cap->usb_if.description);
        break;
    case VK_NODEDEV_CAP_NET:
        format_net(buf, &cap->net);
        break;
    case VK_NODEDEV_CAP_SCSI_HOST:
        format_scsi_host(buf, &cap->scsi_host);
        break;
    case VK_NODEDEV_CAP_SCSI_TARGET:
        text_elem(buf, 4, "target", cap->scsi_target);
        break;
    case VK_NODEDEV_CAP_SCSI:
        g_string_append_printf(buf,
                               "    <host>%u</host>\n    <bus>%u</bus>\n"
                               "    <target>%u</target>\n    <lun>%u</lun>\n",
                               cap->scsi.host, cap->scsi.bus, cap->scsi.target, cap->scsi.lun);
        text_elem(buf, 4, "type", cap->scsi.type);
        break;
    case VK_NODEDEV_CAP_STORAGE:
        format_storage(buf, &cap->storage);
        break;
    case VK_NODEDEV_CAP_SCSI_GENERIC:
        text_elem(buf, 4, "char", cap->sg_path);
        break;
    case VK_NODEDEV_CAP_DRM:
        text_elem(buf, 4, "type", vk_nodedev_drm_to_string(cap->drm));
        break;
    case VK_NODEDEV_CAP_MDEV:
        format_mdev(buf, &cap->mdev);
        break;
    case VK_NODEDEV_CAP_CCW_DEV:
        g_string_append_printf(buf,
                               "    <cssid>0x%x</cssid>\n    <ssid>0x%x</ssid>\n"
                               "    <devno>0x%04x</devno>\n",
                               cap->ccw.cssid, cap->ccw.ssid, cap->ccw.devno);
        break;
    default:
        break;
    }
}

char *
vk_node_device_def_format(const VkNodeDeviceDef *def)
{
    GString *buf = g_string_new("<device>\n");

    text_elem(buf, 2, "name", def->name);
    text_elem(buf, 2, "path", def->sysfs_path);
    if (def->devnode) {
        g_string_append(buf, "  <devnode type='dev'>");
        vk_xml_escape_append(buf, def->devnode);
        g_string_append(buf, "</devnode>\n");
    }
    for (guint i = 0; def->devlinks && i < def->devlinks->len; i++) {
        g_string_append(buf, "  <devnode type='link'>");
        vk_xml_escape_append(buf, g_ptr_array_index(def->devlinks, i));
        g_string_append(buf, "</devnode>\n");
    }
    text_elem(buf, 2, "parent", def->parent);
    if (def->driver) {
        g_string_append(buf, "  <driver>\n");
        text_elem(buf, 4, "name", def->driver);
        g_string_append(buf, "  </driver>\n");
    }
    for (guint i = 0; i < def->caps->len; i++) {
        const VkNodeDevCap *cap = g_ptr_array_index(def->caps, i);

        g_string_append_printf(buf, "  <capability type='%s'>\n",
                               vk_nodedev_cap_to_string(cap->type));
        format_cap(buf, cap);
        g_string_append(buf, "  </capability>\n");
    }
    g_string_append(buf, "</device>\n");
    return g_string_free(buf, FALSE);
}
