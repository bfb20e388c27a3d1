/* <pool>: libvirt 9.0's virStoragePoolDefParseXML rules, in its order, with
 * its defaults and error texts: the source parts per pool type, the target
 * path cleaned, permissions, <features><cow>, <refresh>. */
#include "common/conf/storage-xml.h"

#include <string.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "common/util/uuid.h"

static int
parse_hosts(xmlNodePtr node, VkStoragePoolSource *source)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        char *name;
        int port = 0;
        if (!vk_xml_is_element(c, "host"))
            continue;
        if (!(name = vk_xml_prop(c, "name"))) {
            VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool host name");
            return -1;
        }
        g_ptr_array_add(source->hosts, name);
        if (vk_xml_attr_int(c, "port", &port) < 0)
            return -1;
        g_array_append_val(source->host_ports, port);
    }
    return 0;
}

static int
parse_devices(xmlNodePtr node, VkStoragePoolSource *source)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        VkStoragePoolSourceDevice *dev;
        char *path;
        if (!vk_xml_is_element(c, "device"))
            continue;
        if (!(path = vk_xml_prop(c, "path"))) {
            VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool source device path");
            return -1;
        }
        dev = g_new0(VkStoragePoolSourceDevice, 1);
        dev->path = path;
        g_ptr_array_add(source->devices, dev);
        if (vk_xml_attr_tristate(c, "part_separator", vk_xml_yes_no, &dev->part_separator) < 0)
            return -1;
    }
    return 0;
}

static int
parse_format(xmlNodePtr node, VkStoragePoolType type, VkStoragePoolSource *source)
{
    const char *const *formats = vk_storage_pool_source_formats(type);
    g_autofree char *format = vk_xml_prop(vk_xml_child(node, "format"), "type");

    if (!formats || !format)
        return 0;
    if (vk_enum_from_string(formats, format) < 0) {
        VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "unknown pool format type %s", format);
        return -1;
    }
    source->format = g_steal_pointer(&format);
    return 0;
}

/* The number libvirt gives the source format: its position in libvirt's
 * list for the type (logical's lists "unknown" first), 0 when none. */
static int
format_number(VkStoragePoolType type, const VkStoragePoolSource *source)
{
    const char *name = vk_storage_pool_source_format_name(source, type);

    if (!name)
        return 0;
    if (type == VK_STORAGE_POOL_LOGICAL)
        return g_str_equal(name, "lvm2") ? 1 : 0;
    return vk_enum_from_string(vk_storage_pool_source_formats(type), name);
}

/* NFS's protocol version.  libvirt checks the format's number against
 * netfs's "auto" and "nfs" whatever the pool type, so that any type
 * without a format, or with its first two, passes too. */
static int
parse_protocol(xmlNodePtr node, VkStoragePoolType type, VkStoragePoolSource *source)
{
    static const char *const netfs_names[] = { "auto", "nfs", "glusterfs", "cifs" };
    g_autofree char *ver = vk_xml_prop(vk_xml_child(node, "protocol"), "ver");
    int number = format_number(type, source);

    if (!ver || !*ver)
        return 0;
    if (number > 1) {
        VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                       "storage pool protocol ver unsupported for pool type '%s'",
                       number < 4 ? netfs_names[number] : "(null)");
        return -1;
    }
    /* libvirt 9.0 keeps the version as a string ("4.1"), unchecked */
    source->protocol_ver = g_steal_pointer(&ver);
    return 0;
}

static char *
raw_child(xmlNodePtr node, const char *name)
{
    xmlNodePtr c = vk_xml_child(node, name);

    return c ? vk_domain_xml_serialize(c) : NULL;
}

/* <adapter type='scsi_host' name=|<parentaddr>> or <adapter type='fc_host'
 * wwnn= wwpn=>, as virStorageAdapterParseXML and its checks read it. */
static int
check_adapter(xmlNodePtr node)
{
    g_autofree char *type = vk_xml_prop(node, "type");
    g_autofree char *name = vk_xml_prop(node, "name");
    g_autofree char *wwnn = vk_xml_prop(node, "wwnn");
    g_autofree char *wwpn = vk_xml_prop(node, "wwpn");
    bool parent = vk_xml_child(node, "parentaddr") != NULL;

    if (type && !g_str_equal(type, "scsi_host") && !g_str_equal(type, "fc_host")) {
        return vk_xml_invalid_attr(node, "type", type, NULL);
    }
    if (!type || g_str_equal(type, "scsi_host")) {
        if (!name && !parent) {
            VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s",
                           "Either 'name' or 'parent' must be specified for the 'scsi_host' "
                           "adapter");
            return -1;
        }
        return 0;
    }
    if (!wwnn || !wwpn) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s",
                       "'wwnn' and 'wwpn' must be specified for adapter type 'fchost'");
        return -1;
    }
    return 0;
}

static int
parse_source(xmlNodePtr node, VkStoragePoolType type, VkStoragePoolSource *source)
{
    g_autofree char *dir = NULL;
    xmlNodePtr auth;

    source->name = vk_storage_text(vk_xml_child(node, "name"));
    if (type == VK_STORAGE_POOL_RBD && !source->name) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "element 'name' is mandatory for RBD pool");
        return -1;
    }
    if (parse_format(node, type, source) < 0 || parse_hosts(node, source) < 0)
        return -1;
    source->raw_initiator = raw_child(node, "initiator");
    if (parse_devices(node, source) < 0)
        return -1;
    if ((dir = vk_xml_prop(vk_xml_child(node, "dir"), "path")))
        source->dir = vk_storage_clean_path(dir);
    /* gluster's volume root by default */
    if (!source->dir && type == VK_STORAGE_POOL_GLUSTER)
        source->dir = g_strdup("/");
    if (vk_xml_child(node, "adapter") && check_adapter(vk_xml_child(node, "adapter")) < 0)
        return -1;
    source->raw_adapter = raw_child(node, "adapter");
    if ((auth = vk_xml_child(node, "auth"))) {
        g_autofree char *auth_type = vk_xml_prop(auth, "type");
        if (!auth_type || !*auth_type) {
            VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "storage pool missing auth type");
            return -1;
        }
        source->raw_other = vk_domain_xml_serialize(auth);
    }
    if (parse_protocol(node, type, source) < 0)
        return -1;
    source->vendor = vk_xml_prop(vk_xml_child(node, "vendor"), "name");
    source->product = vk_xml_prop(vk_xml_child(node, "product"), "name");
    return 0;
}

static int
parse_identity(xmlNodePtr root, VkStoragePoolDef *def)
{
    g_autofree char *uuid = NULL;

    def->name = vk_storage_text(vk_xml_child(root, "name"));
    if (!def->name && (vk_storage_pool_source_flags(def->type) & VK_POOL_SOURCE_NAME))
        def->name = g_strdup(def->source.name);
    if (!def->name) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing pool source name element");
        return -1;
    }
    if (strchr(def->name, '/')) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return -1;
    }
    if (!(uuid = vk_storage_text(vk_xml_child(root, "uuid")))) {
        vk_uuid_generate(def->uuid);
    } else if (vk_uuid_parse(uuid, def->uuid) < 0) {
        vk_error_reset();
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "malformed uuid element");
        return -1;
    }
    return 0;
}

/* <features><cow state=>, for fs and dir pools only */
static int
parse_features(xmlNodePtr root, VkStoragePoolDef *def)
{
    xmlNodePtr cow = vk_xml_child(vk_xml_child(root, "features"), "cow");
    VkTristate state = VK_TRISTATE_ABSENT;

    if (vk_xml_attr_tristate(cow, "state", vk_xml_yes_no, &state) < 0)
        return -1;
    if (!state)
        return 0;
    if (def->type != VK_STORAGE_POOL_FS && def->type != VK_STORAGE_POOL_DIR) {
        VK_STORAGE_ERR(VIR_ERR_NO_SUPPORT, "%s",
                       "cow feature may only be used for 'fs' and 'dir' pools");
        return -1;
    }
    def->raw_features = g_strdup_printf("<features>\n  <cow state='%s'/>\n</features>",
                                        state == VK_TRISTATE_ON ? "yes" : "no");
    return 0;
}

/* What the source must hold for the pool's type. */
static int
check_source(VkStoragePoolDef *def)
{
    unsigned int flags = vk_storage_pool_source_flags(def->type);

    if ((flags & VK_POOL_SOURCE_HOST) && !def->source.hosts->len) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool source host name");
        return -1;
    }
    if ((flags & VK_POOL_SOURCE_DIR) && !def->source.dir) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool source path");
        return -1;
    }
    /* the source name defaults to the pool's name */
    if ((flags & VK_POOL_SOURCE_NAME) && !def->source.name)
        def->source.name = g_strdup(def->name);
    if ((flags & VK_POOL_SOURCE_ADAPTER) && !def->source.raw_adapter) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool source adapter");
        return -1;
    }
    /* a device is required where it is the only source part */
    if (flags == VK_POOL_SOURCE_DEVICE && !def->source.devices->len) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool source device name");
        return -1;
    }
    return 0;
}

/* The target of a pool that has a local one: logical and zfs pools have
 * theirs made from the source name. */
static int
parse_target(xmlNodePtr root, VkStoragePoolDef *def)
{
    xmlNodePtr target = vk_xml_child(root, "target");
    g_autofree char *path = NULL;

    if (vk_storage_pool_source_flags(def->type) & VK_POOL_SOURCE_NETWORK)
        return 0;
    if (def->type == VK_STORAGE_POOL_LOGICAL)
        path = g_strdup_printf("/dev/%s", def->source.name);
    else if (def->type == VK_STORAGE_POOL_ZFS)
        path = g_strdup_printf("/dev/zvol/%s", def->source.name);
    else if (!(path = vk_storage_text(vk_xml_child(target, "path")))) {
        VK_STORAGE_ERR(VIR_ERR_XML_ERROR, "%s", "missing storage pool target path");
        return -1;
    }
    def->target_path = vk_storage_clean_path(path);
    return vk_storage_perms_parse(vk_xml_child(target, "permissions"), &def->target_perms);
}

static int
parse_refresh(xmlNodePtr root, VkStoragePoolDef *def)
{
    xmlNodePtr vol = vk_xml_child(vk_xml_child(root, "refresh"), "volume");
    g_autofree char *allocation = vk_xml_prop(vol, "allocation");

    if (!allocation || !*allocation)
        return 0;
    if (!g_str_equal(allocation, "default") && !g_str_equal(allocation, "capacity")) {
        VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED,
                       "unknown storage pool volume refresh allocation type %s", allocation);
        return -1;
    }
    def->refresh_allocation = g_steal_pointer(&allocation);
    return 0;
}

static bool
initiator_iqn(xmlNodePtr source)
{
    g_autofree char *iqn = vk_xml_prop(vk_xml_child(vk_xml_child(source, "initiator"), "iqn"),
                                       "name");
    return iqn != NULL;
}

static VkStoragePoolDef *
parse_root(xmlNodePtr root)
{
    g_autoptr(VkStoragePoolDef) def = g_new0(VkStoragePoolDef, 1);
    g_autofree char *type = vk_xml_prop(root, "type");
    xmlNodePtr source;

    vk_storage_pool_source_init(&def->source);
    if (!type) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                        "Missing required attribute 'type' in element 'pool'");
        return NULL;
    }
    if (vk_xml_attr_enum(root, "type", vk_storage_pool_type_from_string,
                         VK_XML_ENUM_OUT(def->type)) < 0)
        return NULL;
    if ((source = vk_xml_child(root, "source")) &&
        parse_source(source, def->type, &def->source) < 0)
        return NULL;
    if (parse_identity(root, def) < 0 || parse_features(root, def) < 0 ||
        check_source(def) < 0 || parse_target(root, def) < 0)
        return NULL;
    if (def->type == VK_STORAGE_POOL_ISCSI_DIRECT && !initiator_iqn(source)) {
        VK_STORAGE_ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "missing initiator IQN");
        return NULL;
    }
    if (parse_refresh(root, def) < 0)
        return NULL;
    /* libvirt 9.0 has no sheepdog backend: its driver refuses the type */
    if (def->type == VK_STORAGE_POOL_SHEEPDOG) {
        VK_STORAGE_ERR(VIR_ERR_INTERNAL_ERROR, "missing backend for pool type %d (sheepdog)",
                       VK_STORAGE_POOL_SHEEPDOG);
        return NULL;
    }
    return g_steal_pointer(&def);
}

xmlDocPtr
vk_storage_parse_doc(const char *xml, const char *path, const char *name,
                     const char *root_name)
{
    xmlDocPtr doc = vk_xml_parse_named_from(xml, path, name, VIR_FROM_STORAGE);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

    if (doc && (!root || !xmlStrEqual(root->name, BAD_CAST root_name))) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "expecting root element of '%s', not '%s'",
                        root_name, root ? (const char *) root->name : "");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static VkStoragePoolDef *
pool_parse(const char *xml, const char *path)
{
    xmlDocPtr doc = vk_storage_parse_doc(xml, path, "(storage_pool_definition)", "pool");
    VkStoragePoolDef *def;

    if (!doc)
        return NULL;
    def = parse_root(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return def;
}

VkStoragePoolDef *
vk_storage_pool_def_parse_string(const char *xml)
{
    return pool_parse(xml, NULL);
}

VkStoragePoolDef *
vk_storage_pool_def_parse_file(const char *path)
{
    return pool_parse(NULL, path);
}

int
vk_storage_pool_source_parse_string(const char *xml, VkStoragePoolType type,
                                    VkStoragePoolSource *out)
{
    xmlDocPtr doc = vk_storage_parse_doc(xml, NULL, "(storage_source_specification)", "source");
    int rc;

    vk_storage_pool_source_clear(out);
    vk_storage_pool_source_init(out);
    if (!doc)
        return -1;
    rc = parse_source(xmlDocGetRootElement(doc), type, out);
    xmlFreeDoc(doc);
    return rc;
}
