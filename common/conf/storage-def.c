/* What the pool and volume definitions share: their enumerations, the rules
 * libvirt keeps per pool type (storage_conf.c's poolTypeInfo), permissions,
 * sizes with units, cleaned paths; and their life cycle (free, copy). */
#include "common/conf/storage-xml.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

VK_ENUM_IMPL(vk_storage_pool_type, "dir", "fs", "netfs", "logical", "disk", "iscsi",
             "iscsi-direct", "scsi", "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage")
VK_ENUM_IMPL(vk_storage_vol_type, "file", "block", "dir", "network", "netdir", "ploop")

static const char *const fs_formats[] = { "auto", "ext2", "ext3", "ext4", "ufs", "iso9660",
                                          "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs",
                                          "ocfs2", "vmfs", NULL };
static const char *const netfs_formats[] = { "auto", "nfs", "glusterfs", "cifs", NULL };
/* the default first: logical pools default to lvm2, which libvirt lists second */
static const char *const logical_formats[] = { "lvm2", "unknown", NULL };
static const char *const disk_formats[] = { "unknown", "dos", "dvh", "gpt", "mac", "bsd",
                                            "pc98", "sun", "lvm2", NULL };
/* virStorageFileFormat without "none", raw (the default) first */
static const char *const file_vol_formats[] = { "raw", "dir", "bochs", "cloop", "dmg", "iso",
                                                "vpc", "vdi", "fat", "vhd", "ploop", "cow",
                                                "qcow", "qcow2", "qed", "vmdk", NULL };
static const char *const disk_vol_formats[] = { "none", "linux", "fat16", "fat32", "linux-swap",
                                                "linux-lvm", "linux-raid", "extended", NULL };

unsigned int
vk_storage_pool_source_flags(VkStoragePoolType type)
{
    switch (type) {
    case VK_STORAGE_POOL_LOGICAL:
    case VK_STORAGE_POOL_ZFS:
        return VK_POOL_SOURCE_NAME | VK_POOL_SOURCE_DEVICE;
    case VK_STORAGE_POOL_FS:
    case VK_STORAGE_POOL_DISK:
        return VK_POOL_SOURCE_DEVICE;
    case VK_STORAGE_POOL_NETFS:
        return VK_POOL_SOURCE_HOST | VK_POOL_SOURCE_DIR;
    case VK_STORAGE_POOL_ISCSI:
        return VK_POOL_SOURCE_HOST | VK_POOL_SOURCE_DEVICE | VK_POOL_SOURCE_INITIATOR;
    case VK_STORAGE_POOL_ISCSI_DIRECT:
        return VK_POOL_SOURCE_HOST | VK_POOL_SOURCE_DEVICE | VK_POOL_SOURCE_NETWORK |
               VK_POOL_SOURCE_INITIATOR;
    case VK_STORAGE_POOL_SCSI:
        return VK_POOL_SOURCE_ADAPTER;
    case VK_STORAGE_POOL_RBD:
    case VK_STORAGE_POOL_SHEEPDOG:
        return VK_POOL_SOURCE_HOST | VK_POOL_SOURCE_NETWORK | VK_POOL_SOURCE_NAME;
    case VK_STORAGE_POOL_GLUSTER:
        return VK_POOL_SOURCE_HOST | VK_POOL_SOURCE_NETWORK | VK_POOL_SOURCE_NAME |
               VK_POOL_SOURCE_DIR;
    case VK_STORAGE_POOL_VSTORAGE:
        return VK_POOL_SOURCE_NAME;
    default:
        return 0;
    }
}

const char *const *
vk_storage_pool_source_formats(VkStoragePoolType type)
{
    switch (type) {
    case VK_STORAGE_POOL_FS:
        return fs_formats;
    case VK_STORAGE_POOL_NETFS:
        return netfs_formats;
    case VK_STORAGE_POOL_LOGICAL:
        return logical_formats;
    case VK_STORAGE_POOL_DISK:
        return disk_formats;
    default:
        return NULL;
    }
}

const char *const *
vk_storage_vol_formats(VkStoragePoolType type)
{
    switch (type) {
    case VK_STORAGE_POOL_DIR:
    case VK_STORAGE_POOL_FS:
    case VK_STORAGE_POOL_NETFS:
    case VK_STORAGE_POOL_RBD:
    case VK_STORAGE_POOL_GLUSTER:
    case VK_STORAGE_POOL_VSTORAGE:
        return file_vol_formats;
    case VK_STORAGE_POOL_DISK:
        return disk_vol_formats;
    default:
        return NULL;
    }
}

const char *
vk_storage_pool_source_format_name(const VkStoragePoolSource *source, VkStoragePoolType type)
{
    const char *const *formats = vk_storage_pool_source_formats(type);

    if (!formats)
        return NULL;
    return source->format ? source->format : formats[0];
}

char *
vk_storage_text(xmlNodePtr node)
{
    char *text = vk_xml_text(node);

    if (text && !*text)
        g_clear_pointer(&text, g_free);
    return text;
}

void
vk_storage_attr(GString *buf, const char *name, const char *value)
{
    if (!value)
        return;
    g_string_append_printf(buf, " %s='", name);
    vk_xml_escape_append(buf, value);
    g_string_append_c(buf, '\'');
}

/* <owner> and <group> are read as XPath number(): -1 (which libvirt once
 * wrote) and values beyond 32 bits other than that are refused. */
static int
parse_id(xmlNodePtr node, const char *what, bool *has, guint32 *out)
{
    g_autofree char *text = vk_xml_text(node);
    g_autofree char *trimmed = g_strstrip(g_strdup(text ? text : ""));
    char *end = NULL;
    double val;

    if (!node)
        return 0;
    val = g_ascii_strtod(trimmed, &end);
    if (!*trimmed || *end || strpbrk(trimmed, "eExXnNiI+") || isnan(val) ||
        (val != -1 && (val < 0 || val >= 4294967296.0))) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "malformed %s element", what);
        return -1;
    }
    *out = (guint32) (long long) val;
    *has = (long long) val != -1 && *out != (guint32) -1;
    return 0;
}

int
vk_storage_perms_parse(xmlNodePtr node, VkStoragePerms *perms)
{
    g_autofree char *mode = NULL;
    int m;

    memset(perms, 0, sizeof(*perms));
    if (!node)
        return 0;
    if ((mode = vk_storage_text(vk_xml_child(node, "mode")))) {
        if (vk_xml_parse_int(mode, 8, &m) < 0 || (m & ~0777)) {
            VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "malformed octal mode");
            return -1;
        }
        perms->mode = m;
        perms->has_mode = true;
    }
    if (parse_id(vk_xml_child(node, "owner"), "owner", &perms->has_owner, &perms->owner) < 0 ||
        parse_id(vk_xml_child(node, "group"), "group", &perms->has_group, &perms->group) < 0)
        return -1;
    perms->label = vk_storage_text(vk_xml_child(node, "label"));
    return 0;
}

void
vk_storage_perms_format(GString *buf, const VkStoragePerms *perms, int indent)
{
    if (!perms->has_mode && !perms->has_owner && !perms->has_group && !perms->label)
        return;
    g_string_append_printf(buf, "%*s<permissions>\n", indent, "");
    if (perms->has_mode)
        g_string_append_printf(buf, "%*s<mode>0%o</mode>\n", indent + 2, "", perms->mode);
    if (perms->has_owner)
        g_string_append_printf(buf, "%*s<owner>%d</owner>\n", indent + 2, "", (int) perms->owner);
    if (perms->has_group)
        g_string_append_printf(buf, "%*s<group>%d</group>\n", indent + 2, "", (int) perms->group);
    if (perms->label) {
        g_string_append_printf(buf, "%*s<label>", indent + 2, "");
        vk_xml_escape_append(buf, perms->label);
        g_string_append(buf, "</label>\n");
    }
    g_string_append_printf(buf, "%*s</permissions>\n", indent, "");
}

void
vk_storage_perms_copy(VkStoragePerms *dst, const VkStoragePerms *src)
{
    *dst = *src;
    dst->label = g_strdup(src->label);
}

char *
vk_storage_clean_path(const char *path)
{
    const char *uri = strstr(path, "://");
    const char *cur = path;
    GString *clean = g_string_sized_new(strlen(path));

    /* a URI's '//' may matter (RFC 3986) */
    if (uri && strchr(path, '/') > uri)
        return g_string_free(g_string_append(clean, path), FALSE);
    /* a leading "//" is POSIX's own, "///" is "/" */
    if (cur[0] == '/' && cur[1] == '/' && cur[2] != '/') {
        g_string_append(clean, "//");
        cur += 2;
    }
    while (*cur) {
        if (*cur != '/') {
            g_string_append_c(clean, *cur++);
            continue;
        }
        while (*++cur == '/')
            ;
        if (clean->len && !*cur)
            break;
        g_string_append_c(clean, '/');
    }
    return g_string_free(clean, FALSE);
}

/* The factor of UNIT, 0 for a suffix libvirt does not know. */
static unsigned long long
unit_scale(const char *unit)
{
    static const char order[] = "kmgtpe";
    const char *at;
    unsigned long long base, scale = 1;

    if (!unit || !*unit || !g_ascii_strcasecmp(unit, "b") || !g_ascii_strcasecmp(unit, "byte") ||
        !g_ascii_strcasecmp(unit, "bytes"))
        return 1;
    if (!unit[1] || !g_ascii_strcasecmp(unit + 1, "iB"))
        base = 1024;
    else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2])
        base = 1000;
    else
        return 0;
    if (!(at = strchr(order, g_ascii_tolower(unit[0]))) || !unit[0])
        return 0;
    for (const char *p = order; p <= at; p++)
        scale *= base;
    return scale;
}

int
vk_storage_parse_size(const char *text, const char *unit, unsigned long long *out)
{
    unsigned long long scale, val;

    if (vk_xml_parse_ull(text, 10, &val) < 0) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "malformed capacity element");
        return -1;
    }
    if (!(scale = unit_scale(unit))) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
        return -1;
    }
    /* off_t is signed: nothing of 2^63 bytes or more */
    if (val && val > (unsigned long long) G_MAXINT64 / scale) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_OVERFLOW, "value too large: %llu%s", val,
                        unit ? unit : "");
        return -1;
    }
    *out = val * scale;
    return 0;
}

/* ---- life cycle ---------------------------------------------------------- */

static void
source_device_free(gpointer data)
{
    VkStoragePoolSourceDevice *dev = data;

    g_free(dev->path);
    if (dev->free_extents)
        g_array_unref(dev->free_extents);
    g_free(dev);
}

void
vk_storage_pool_source_clear(VkStoragePoolSource *source)
{
    g_clear_pointer(&source->devices, g_ptr_array_unref);
    g_clear_pointer(&source->hosts, g_ptr_array_unref);
    g_clear_pointer(&source->host_ports, g_array_unref);
    g_clear_pointer(&source->dir, g_free);
    g_clear_pointer(&source->name, g_free);
    g_clear_pointer(&source->format, g_free);
    g_clear_pointer(&source->raw_other, g_free);
    g_clear_pointer(&source->raw_adapter, g_free);
    g_clear_pointer(&source->raw_initiator, g_free);
    g_clear_pointer(&source->vendor, g_free);
    g_clear_pointer(&source->product, g_free);
    g_clear_pointer(&source->protocol_ver, g_free);
}

void
vk_storage_pool_source_init(VkStoragePoolSource *source)
{
    memset(source, 0, sizeof(*source));
    source->devices = g_ptr_array_new_with_free_func(source_device_free);
    source->hosts = g_ptr_array_new_with_free_func(g_free);
    source->host_ports = g_array_new(FALSE, TRUE, sizeof(int));
}

void
vk_storage_pool_def_free(VkStoragePoolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    vk_storage_pool_source_clear(&def->source);
    g_free(def->target_path);
    g_free(def->target_perms.label);
    g_free(def->raw_features);
    g_free(def->refresh_allocation);
    g_free(def);
}

static GArray *
extents_copy(GArray *src)
{
    GArray *dst;

    if (!src)
        return NULL;
    dst = g_array_sized_new(FALSE, TRUE, sizeof(VkStorageExtent), src->len);
    g_array_append_vals(dst, src->data, src->len);
    return dst;
}

static void
source_copy(VkStoragePoolSource *dst, const VkStoragePoolSource *src)
{
    vk_storage_pool_source_init(dst);
    for (guint i = 0; src->devices && i < src->devices->len; i++) {
        const VkStoragePoolSourceDevice *d = g_ptr_array_index(src->devices, i);
        VkStoragePoolSourceDevice *c = g_new0(VkStoragePoolSourceDevice, 1);
        c->path = g_strdup(d->path);
        c->part_separator = d->part_separator;
        c->free_extents = extents_copy(d->free_extents);
        g_ptr_array_add(dst->devices, c);
    }
    for (guint i = 0; src->hosts && i < src->hosts->len; i++) {
        int port = src->host_ports && i < src->host_ports->len
                       ? g_array_index(src->host_ports, int, i) : 0;
        g_ptr_array_add(dst->hosts, g_strdup(g_ptr_array_index(src->hosts, i)));
        g_array_append_val(dst->host_ports, port);
    }
    dst->dir = g_strdup(src->dir);
    dst->name = g_strdup(src->name);
    dst->format = g_strdup(src->format);
    dst->raw_other = g_strdup(src->raw_other);
    dst->raw_adapter = g_strdup(src->raw_adapter);
    dst->raw_initiator = g_strdup(src->raw_initiator);
    dst->protocol_ver = g_strdup(src->protocol_ver);
    dst->vendor = g_strdup(src->vendor);
    dst->product = g_strdup(src->product);
}

VkStoragePoolDef *
vk_storage_pool_def_copy(const VkStoragePoolDef *def)
{
    VkStoragePoolDef *copy = g_new0(VkStoragePoolDef, 1);

    *copy = *def;
    copy->name = g_strdup(def->name);
    source_copy(&copy->source, &def->source);
    copy->target_path = g_strdup(def->target_path);
    vk_storage_perms_copy(&copy->target_perms, &def->target_perms);
    copy->raw_features = g_strdup(def->raw_features);
    copy->refresh_allocation = g_strdup(def->refresh_allocation);
    return copy;
}

void
vk_storage_vol_def_free(VkStorageVolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->key);
    g_free(def->source_device);
    if (def->source_extents)
        g_array_unref(def->source_extents);
    g_free(def->target_path);
    g_free(def->target_format);
    g_free(def->target_perms.label);
    g_free(def->compat);
    g_free(def->atime);
    g_free(def->mtime);
    g_free(def->ctime);
    g_free(def->btime);
    g_free(def->backing.path);
    g_free(def->backing.format);
    g_free(def->backing.perms.label);
    g_free(def->backing.atime);
    g_free(def->backing.mtime);
    g_free(def->backing.ctime);
    g_free(def->backing.btime);
    g_free(def->raw_encryption);
    g_free(def);
}

VkStorageVolDef *
vk_storage_vol_def_copy(const VkStorageVolDef *def)
{
    VkStorageVolDef *copy = g_new0(VkStorageVolDef, 1);

    *copy = *def;
    copy->name = g_strdup(def->name);
    copy->key = g_strdup(def->key);
    copy->source_device = g_strdup(def->source_device);
    copy->source_extents = extents_copy(def->source_extents);
    copy->target_path = g_strdup(def->target_path);
    copy->target_format = g_strdup(def->target_format);
    vk_storage_perms_copy(&copy->target_perms, &def->target_perms);
    copy->compat = g_strdup(def->compat);
    copy->atime = g_strdup(def->atime);
    copy->mtime = g_strdup(def->mtime);
    copy->ctime = g_strdup(def->ctime);
    copy->btime = g_strdup(def->btime);
    copy->backing.path = g_strdup(def->backing.path);
    copy->backing.format = g_strdup(def->backing.format);
    vk_storage_perms_copy(&copy->backing.perms, &def->backing.perms);
    copy->backing.atime = g_strdup(def->backing.atime);
    copy->backing.mtime = g_strdup(def->backing.mtime);
    copy->backing.ctime = g_strdup(def->backing.ctime);
    copy->backing.btime = g_strdup(def->backing.btime);
    copy->raw_encryption = g_strdup(def->raw_encryption);
    return copy;
}
