#include "common/conf/storage-pool-caps.h"

#include "common/conf/storage-xml.h"

/* One <enum name=NAME> of VALUES (NULL-terminated), "none" first when
 * WITH_NONE (the file formats' table leaves it out). */
static void
format_enum(GString *buf, const char *name, const char *const *values, bool with_none)
{
    g_string_append_printf(buf, "      <enum name='%s'>\n", name);
    if (with_none)
        g_string_append(buf, "        <value>none</value>\n");
    for (; *values; values++)
        g_string_append_printf(buf, "        <value>%s</value>\n", *values);
    g_string_append(buf, "      </enum>\n");
}

static void
format_pool_options(GString *buf, VkStoragePoolType type)
{
    /* libvirt lists logical's formats in its enum's order, default second */
    static const char *const logical_order[] = { "unknown", "lvm2", NULL };
    const char *const *formats = vk_storage_pool_source_formats(type);

    if (!formats)
        return;
    g_string_append(buf, "    <poolOptions>\n");
    g_string_append_printf(buf, "      <defaultFormat type='%s'/>\n", formats[0]);
    format_enum(buf, "sourceFormatType",
                type == VK_STORAGE_POOL_LOGICAL ? logical_order : formats, false);
    g_string_append(buf, "    </poolOptions>\n");
}

static void
format_vol_options(GString *buf, VkStoragePoolType type)
{
    const char *const *formats = vk_storage_vol_formats(type);
    bool file = type != VK_STORAGE_POOL_DISK;

    if (!formats)
        return;
    g_string_append(buf, "    <volOptions>\n");
    g_string_append_printf(buf, "      <defaultFormat type='%s'/>\n", formats[0]);
    if (type == VK_STORAGE_POOL_RBD)   /* libvirt lists none for rbd */
        g_string_append(buf, "      <enum name='targetFormatType'>\n      </enum>\n");
    else
        format_enum(buf, "targetFormatType", formats, file);
    g_string_append(buf, "    </volOptions>\n");
}

char *
vk_storage_pool_caps_format(bool (*supported)(VkStoragePoolType type))
{
    GString *buf = g_string_new("<storagepoolCapabilities>\n");

    for (int type = VK_STORAGE_POOL_DIR; type <= VK_STORAGE_POOL_VSTORAGE; type++) {
        g_string_append_printf(buf, "  <pool type='%s' supported='%s'>\n",
                               vk_storage_pool_type_to_string(type),
                               supported(type) ? "yes" : "no");
        format_pool_options(buf, type);
        format_vol_options(buf, type);
        g_string_append(buf, "  </pool>\n");
    }
    g_string_append(buf, "</storagepoolCapabilities>\n");
    return g_string_free(buf, FALSE);
}
