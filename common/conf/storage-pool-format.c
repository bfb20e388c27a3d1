/* <pool> formatted as libvirt 9.0's pool-dumpxml prints it: sizes with
 * unit='bytes', the source parts the pool's type uses, in libvirt's order
 * (an empty <source> is still printed, open and closed), the target of the
 * pools with a local one. */
#include "common/conf/storage-xml.h"

#include "common/conf/domain-xml.h"
#include "common/util/uuid.h"

static void
format_devices(GString *buf, const VkStoragePoolSource *src, int indent)
{
    for (guint i = 0; i < src->devices->len; i++) {
        const VkStoragePoolSourceDevice *d = g_ptr_array_index(src->devices, i);
        g_string_append_printf(buf, "%*s<device", indent, "");
        vk_storage_attr(buf, "path", d->path);
        if (d->part_separator)
            vk_storage_attr(buf, "part_separator",
                            d->part_separator == VK_TRISTATE_ON ? "yes" : "no");
        if (!d->free_extents || !d->free_extents->len) {
            g_string_append(buf, "/>\n");
            continue;
        }
        g_string_append(buf, ">\n");
        for (guint j = 0; j < d->free_extents->len; j++) {
            const VkStorageExtent *e = &g_array_index(d->free_extents, VkStorageExtent, j);
            g_string_append_printf(buf, "%*s<freeExtent start='%llu' end='%llu'/>\n", indent + 2,
                                   "", e->start, e->end);
        }
        g_string_append_printf(buf, "%*s</device>\n", indent, "");
    }
}

static void
format_hosts(GString *buf, const VkStoragePoolSource *src, int indent)
{
    for (guint i = 0; i < src->hosts->len; i++) {
        int port = src->host_ports && i < src->host_ports->len
                       ? g_array_index(src->host_ports, int, i) : 0;
        g_string_append_printf(buf, "%*s<host", indent, "");
        vk_storage_attr(buf, "name", g_ptr_array_index(src->hosts, i));
        if (port)
            g_string_append_printf(buf, " port='%d'", port);
        g_string_append(buf, "/>\n");
    }
}

static void
format_named(GString *buf, const char *element, const char *value, int indent)
{
    if (!value)
        return;
    g_string_append_printf(buf, "%*s<%s", indent, "", element);
    vk_storage_attr(buf, "name", value);
    g_string_append(buf, "/>\n");
}

static void
source_format(GString *buf, const VkStoragePoolSource *src, VkStoragePoolType type, int indent)
{
    unsigned int flags = vk_storage_pool_source_flags(type);
    const char *format = vk_storage_pool_source_format_name(src, type);
    int in = indent + 2;

    g_string_append_printf(buf, "%*s<source>\n", indent, "");
    if (flags & VK_POOL_SOURCE_HOST)
        format_hosts(buf, src, in);
    if (flags & VK_POOL_SOURCE_DEVICE)
        format_devices(buf, src, in);
    if ((flags & VK_POOL_SOURCE_DIR) && src->dir) {
        g_string_append_printf(buf, "%*s<dir", in, "");
        vk_storage_attr(buf, "path", src->dir);
        g_string_append(buf, "/>\n");
    }
    if ((flags & VK_POOL_SOURCE_ADAPTER) && src->raw_adapter)
        vk_xml_append_indented(buf, src->raw_adapter, in);
    if ((flags & VK_POOL_SOURCE_NAME) && src->name) {
        g_string_append_printf(buf, "%*s<name>", in, "");
        vk_xml_escape_append(buf, src->name);
        g_string_append(buf, "</name>\n");
    }
    if ((flags & VK_POOL_SOURCE_INITIATOR) && src->raw_initiator)
        vk_xml_append_indented(buf, src->raw_initiator, in);
    if (format)
        g_string_append_printf(buf, "%*s<format type='%s'/>\n", in, "", format);
    if (src->raw_other)
        vk_xml_append_indented(buf, src->raw_other, in);
    if (src->protocol_ver) {
        g_string_append_printf(buf, "%*s<protocol", in, "");
        vk_storage_attr(buf, "ver", src->protocol_ver);
        g_string_append(buf, "/>\n");
    }
    format_named(buf, "vendor", src->vendor, in);
    format_named(buf, "product", src->product, in);
    g_string_append_printf(buf, "%*s</source>\n", indent, "");
}

char *
vk_storage_pool_source_format(const VkStoragePoolSource *source, VkStoragePoolType type)
{
    GString *buf = g_string_new(NULL);

    source_format(buf, source, type, 0);
    return g_string_free(buf, FALSE);
}

/* RBD, sheepdog, gluster and iscsi-direct pools are no local files or
 * block devices: no target. */
static bool
has_target(VkStoragePoolType type)
{
    return type != VK_STORAGE_POOL_RBD && type != VK_STORAGE_POOL_SHEEPDOG &&
           type != VK_STORAGE_POOL_GLUSTER && type != VK_STORAGE_POOL_ISCSI_DIRECT;
}

char *
vk_storage_pool_def_format(const VkStoragePoolDef *def)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    char uuid[VK_UUID_STRING_BUFLEN];

    g_string_append_printf(buf, "<pool type='%s'>\n  <name>",
                           vk_storage_pool_type_to_string(def->type));
    vk_xml_escape_append(buf, def->name);
    g_string_append_printf(buf, "</name>\n  <uuid>%s</uuid>\n", vk_uuid_format(def->uuid, uuid));
    g_string_append_printf(buf, "  <capacity unit='bytes'>%llu</capacity>\n"
                                "  <allocation unit='bytes'>%llu</allocation>\n"
                                "  <available unit='bytes'>%llu</available>\n",
                           def->capacity, def->allocation, def->available);
    if (def->raw_features)
        vk_xml_append_indented(buf, def->raw_features, 2);
    source_format(buf, &def->source, def->type, 2);
    if (has_target(def->type)) {
        g_string_append(buf, "  <target>\n");
        if (def->target_path) {
            g_string_append(buf, "    <path>");
            vk_xml_escape_append(buf, def->target_path);
            g_string_append(buf, "</path>\n");
        }
        vk_storage_perms_format(buf, &def->target_perms, 4);
        g_string_append(buf, "  </target>\n");
    }
    if (def->refresh_allocation)
        g_string_append_printf(buf, "  <refresh>\n    <volume allocation='%s'/>\n  </refresh>\n",
                               def->refresh_allocation);
    g_string_append(buf, "</pool>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
