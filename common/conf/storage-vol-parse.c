/* <volume>: libvirt 9.0's virStorageVolDefParseXML rules, in its order,
 * with its defaults and error texts: sizes with units below 2^63, the
 * allocation defaulting to the capacity, target and backing store formats
 * from the pool type's list, permissions, compat and features. */
#include "common/conf/storage-xml.h"

#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

/* A <format type=> under NODE of the pool type's FORMATS, its default when
 * absent; no format at all for the pool types without a list. */
static int
parse_format(xmlNodePtr node, const char *const *formats, char **out)
{
    g_autofree char *format = vk_xml_prop(vk_xml_child(node, "format"), "type");

    if (!formats)
        return 0;
    if (format && vk_enum_from_string(formats, format) < 0) {
        VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s", format);
        return -1;
    }
    *out = format ? g_steal_pointer(&format) : g_strdup(formats[0]);
    return 0;
}

static int
parse_backing(xmlNodePtr root, const char *const *formats, VkStorageVolBacking *backing)
{
    xmlNodePtr node = vk_xml_child(root, "backingStore");

    if (!(backing->path = vk_storage_text(vk_xml_child(node, "path"))))
        return 0;
    if (parse_format(node, formats, &backing->format) < 0)
        return -1;
    return vk_storage_perms_parse(vk_xml_child(node, "permissions"), &backing->perms);
}

/* <capacity> (required for a new volume unless it has a backing store) and
 * <allocation> (the capacity when absent). */
static int
parse_sizes(xmlNodePtr root, VkStorageVolDef *def, unsigned int flags)
{
    xmlNodePtr cap = vk_xml_child(root, "capacity"), alloc = vk_xml_child(root, "allocation");
    g_autofree char *cap_text = vk_storage_text(cap), *alloc_text = vk_storage_text(alloc);
    g_autofree char *cap_unit = vk_xml_prop(cap, "unit"), *alloc_unit = vk_xml_prop(alloc, "unit");

    if (cap_text) {
        if (vk_storage_parse_size(cap_text, cap_unit, &def->capacity) < 0)
            return -1;
        def->has_capacity = true;
    } else if (!(flags & VK_STORAGE_VOL_PARSE_EXISTING) && !def->backing.path) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing capacity element");
        return -1;
    }
    if (alloc_text) {
        if (vk_storage_parse_size(alloc_text, alloc_unit, &def->allocation) < 0)
            return -1;
        def->has_allocation = true;
    } else {
        def->allocation = def->capacity;
    }
    return 0;
}

/* compat is "N.M", both parts numbers */
static int
check_compat(const char *compat)
{
    g_auto(GStrv) parts = compat ? g_strsplit(compat, ".", 2) : NULL;
    unsigned int n;

    if (!compat)
        return 0;
    if (!parts[0] || !parts[1] || vk_xml_parse_uint(parts[0], 10, &n) < 0 ||
        vk_xml_parse_uint(parts[1], 10, &n) < 0) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "forbidden characters in 'compat' attribute");
        return -1;
    }
    return 0;
}

/* <features>: lazy_refcounts is the one libvirt knows; compat 1.1 with it */
static int
parse_features(xmlNodePtr target, VkStorageVolDef *def)
{
    xmlNodePtr features = vk_xml_child(target, "features");

    if (!features)
        return 0;
    def->has_features = true;
    if (!def->compat)
        def->compat = g_strdup("1.1");
    for (xmlNodePtr c = features->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrEqual(c->name, BAD_CAST "lazy_refcounts")) {
            VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported feature %s",
                           (const char *) c->name);
            return -1;
        }
        def->lazy_refcounts = true;
    }
    return 0;
}

static int
parse_cluster_size(xmlNodePtr target, VkStorageVolDef *def)
{
    xmlNodePtr node = vk_xml_child(target, "clusterSize");
    g_autofree char *text = vk_storage_text(node);
    g_autofree char *unit = vk_xml_prop(node, "unit");

    if (!text)
        return 0;
    if (vk_xml_parse_ull(text, 10, &def->cluster_size) < 0) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "Invalid clusterSize value");
        return -1;
    }
    return vk_storage_parse_size(text, unit, &def->cluster_size);
}

static int
parse_target(xmlNodePtr root, VkStorageVolDef *def, const char *const *formats)
{
    xmlNodePtr target = vk_xml_child(root, "target");
    xmlNodePtr encryption = vk_xml_child(target, "encryption");

    def->target_path = vk_storage_text(vk_xml_child(target, "path"));
    if (parse_format(target, formats, &def->target_format) < 0 ||
        vk_storage_perms_parse(vk_xml_child(target, "permissions"), &def->target_perms) < 0)
        return -1;
    if (encryption)
        def->raw_encryption = vk_domain_xml_serialize(encryption);
    def->compat = vk_storage_text(vk_xml_child(target, "compat"));
    if (check_compat(def->compat) < 0)
        return -1;
    def->nocow = vk_xml_child(target, "nocow") != NULL;
    return parse_cluster_size(target, def) < 0 ? -1 : parse_features(target, def);
}

static void
parse_timestamps(xmlNodePtr node, char **atime, char **mtime, char **ctime, char **btime)
{
    xmlNodePtr stamps = vk_xml_child(node, "timestamps");

    *atime = vk_storage_text(vk_xml_child(stamps, "atime"));
    *mtime = vk_storage_text(vk_xml_child(stamps, "mtime"));
    *ctime = vk_storage_text(vk_xml_child(stamps, "ctime"));
    *btime = vk_storage_text(vk_xml_child(stamps, "btime"));
}

/* What a dump carries of the live volume, read back for a round trip. */
static void
parse_live(xmlNodePtr root, VkStorageVolDef *def)
{
    g_autofree char *physical = vk_storage_text(vk_xml_child(root, "physical"));
    VkStorageVolBacking *b = &def->backing;

    if (physical)
        vk_xml_parse_ull(physical, 10, &def->physical);
    parse_timestamps(vk_xml_child(root, "target"), &def->atime, &def->mtime, &def->ctime,
                     &def->btime);
    if (b->path)
        parse_timestamps(vk_xml_child(root, "backingStore"), &b->atime, &b->mtime, &b->ctime,
                         &b->btime);
}

static VkStorageVolDef *
parse_root(xmlNodePtr root, VkStoragePoolType pool_type, unsigned int flags)
{
    const char *const *formats = vk_storage_vol_formats(pool_type);
    g_autoptr(VkStorageVolDef) def = g_new0(VkStorageVolDef, 1);
    g_autofree char *type = NULL;

    if (!(def->name = vk_storage_text(vk_xml_child(root, "name")))) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing volume name element");
        return NULL;
    }
    def->key = vk_storage_text(vk_xml_child(root, "key"));
    if ((type = vk_xml_prop(root, "type"))) {
        int t = vk_storage_vol_type_from_string(type);
        if (t < 0) {
            VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume type '%s'", type);
            return NULL;
        }
        def->type = t;
        def->has_type = true;
    }
    if (parse_backing(root, formats, &def->backing) < 0 || parse_sizes(root, def, flags) < 0 ||
        parse_target(root, def, formats) < 0)
        return NULL;
    if (flags & VK_STORAGE_VOL_PARSE_EXISTING) {
        parse_live(root, def);
    } else if (strchr(def->name, '/')) {
        /* libvirt's storage driver, right after parsing a new volume */
        VK_STORAGE_ERR(VIR_ERR_OPERATION_INVALID, "volume name '%s' cannot contain '/'",
                       def->name);
        return NULL;
    }
    return g_steal_pointer(&def);
}

VkStorageVolDef *
vk_storage_vol_def_parse_string(const char *xml, VkStoragePoolType pool_type, unsigned int flags)
{
    xmlDocPtr doc = vk_storage_parse_doc(xml, NULL, "(storage_volume_definition)", "volume");
    VkStorageVolDef *def;

    if (!doc)
        return NULL;
    def = parse_root(xmlDocGetRootElement(doc), pool_type, flags);
    xmlFreeDoc(doc);
    return def;
}
