/* <volume> formatted as libvirt 9.0's vol-dumpxml prints it: sizes with
 * unit='bytes', <physical> only when known, the target and the backing
 * store with the pool type's format, permissions, live timestamps. */
#include "common/conf/storage-xml.h"

#include "common/conf/domain-xml.h"

static void
text_element(GString *buf, const char *name, const char *value, int indent)
{
    if (!value)
        return;
    g_string_append_printf(buf, "%*s<%s>", indent, "", name);
    vk_xml_escape_append(buf, value);
    g_string_append_printf(buf, "</%s>\n", name);
}

static void
format_timestamps(GString *buf, const char *atime, const char *mtime, const char *ctime,
                  const char *btime)
{
    if (!atime && !mtime && !ctime && !btime)
        return;
    g_string_append(buf, "    <timestamps>\n");
    text_element(buf, "atime", atime, 6);
    text_element(buf, "mtime", mtime, 6);
    text_element(buf, "ctime", ctime, 6);
    text_element(buf, "btime", btime, 6);
    g_string_append(buf, "    </timestamps>\n");
}

static void
format_target_extras(GString *buf, const VkStorageVolDef *def)
{
    if (def->raw_encryption)
        vk_xml_append_indented(buf, def->raw_encryption, 4);
    text_element(buf, "compat", def->compat, 4);
    if (def->cluster_size)
        g_string_append_printf(buf, "    <clusterSize unit='B'>%llu</clusterSize>\n",
                               def->cluster_size);
    if (def->has_features && !def->lazy_refcounts)
        g_string_append(buf, "    <features/>\n");
    else if (def->has_features)
        g_string_append(buf, "    <features>\n      <lazy_refcounts/>\n    </features>\n");
}

static void
format_source(GString *buf, const VkStorageVolDef *def)
{
    if (!def->source_extents || !def->source_extents->len)
        return;
    g_string_append(buf, "  <source>\n    <device");
    vk_storage_attr(buf, "path", def->source_device);
    g_string_append(buf, ">\n");
    for (guint i = 0; i < def->source_extents->len; i++) {
        const VkStorageExtent *e = &g_array_index(def->source_extents, VkStorageExtent, i);
        g_string_append_printf(buf, "      <extent start='%llu' end='%llu'/>\n", e->start, e->end);
    }
    g_string_append(buf, "    </device>\n  </source>\n");
}

char *
vk_storage_vol_def_format(const VkStorageVolDef *def, VkStoragePoolType pool_type)
{
    bool formats = vk_storage_vol_formats(pool_type) != NULL;
    g_autoptr(GString) buf = g_string_new(NULL);

    g_string_append_printf(buf, "<volume type='%s'>\n", vk_storage_vol_type_to_string(def->type));
    text_element(buf, "name", def->name, 2);
    text_element(buf, "key", def->key, 2);
    format_source(buf, def);
    g_string_append_printf(buf, "  <capacity unit='bytes'>%llu</capacity>\n"
                                "  <allocation unit='bytes'>%llu</allocation>\n",
                           def->capacity, def->allocation);
    if (def->physical)
        g_string_append_printf(buf, "  <physical unit='bytes'>%llu</physical>\n", def->physical);
    g_string_append(buf, "  <target>\n");
    text_element(buf, "path", def->target_path, 4);
    if (formats && def->target_format)
        g_string_append_printf(buf, "    <format type='%s'/>\n", def->target_format);
    vk_storage_perms_format(buf, &def->target_perms, 4);
    format_timestamps(buf, def->atime, def->mtime, def->ctime, def->btime);
    format_target_extras(buf, def);
    g_string_append(buf, "  </target>\n");
    if (def->backing.path) {
        g_string_append(buf, "  <backingStore>\n");
        text_element(buf, "path", def->backing.path, 4);
        if (formats && def->backing.format)
            g_string_append_printf(buf, "    <format type='%s'/>\n", def->backing.format);
        vk_storage_perms_format(buf, &def->backing.perms, 4);
        format_timestamps(buf, def->backing.atime, def->backing.mtime, def->backing.ctime,
                          def->backing.btime);
        g_string_append(buf, "  </backingStore>\n");
    }
    g_string_append(buf, "</volume>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
