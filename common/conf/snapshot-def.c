/* <domainsnapshot>: parse and format, following libvirt's snapshot_conf.c
 * (element order, defaults, error texts). */
#include "common/conf/snapshot-def.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

static void
disk_free(gpointer data)
{
    VkSnapshotDiskDef *disk = data;

    g_free(disk->name);
    g_free(disk->snapshot);
    g_free(disk->file);
    g_free(disk->driver_type);
    g_free(disk);
}

void
vk_snapshot_def_free(VkSnapshotDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def->state);
    g_free(def->parent);
    g_free(def->memory);
    g_free(def->memory_file);
    g_ptr_array_unref(def->disks);
    vk_domain_def_free(def->dom);
    vk_domain_def_free(def->inactive_dom);
    g_free(def);
}

static VkSnapshotDef *
def_new(void)
{
    VkSnapshotDef *def = g_new0(VkSnapshotDef, 1);

    def->disks = g_ptr_array_new_with_free_func(disk_free);
    return def;
}

void
vk_snapshot_def_add_disk(VkSnapshotDef *def, const char *name, const char *snapshot)
{
    VkSnapshotDiskDef *disk = g_new0(VkSnapshotDiskDef, 1);

    disk->name = g_strdup(name);
    disk->snapshot = g_strdup(snapshot);
    g_ptr_array_add(def->disks, disk);
}

VkSnapshotDiskDef *
vk_snapshot_def_disk(const VkSnapshotDef *def, const char *name)
{
    for (guint i = 0; i < def->disks->len; i++) {
        VkSnapshotDiskDef *disk = g_ptr_array_index(def->disks, i);
        if (g_strcmp0(disk->name, name) == 0)
            return disk;
    }
    return NULL;
}

/* ---------------------------------------------------------------------
 * Parse
 * ------------------------------------------------------------------- */

static int
xml_error(const char *msg)
{
    vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, "%s", msg);
    return -1;
}

/* The text of NODE's child NAME (trimmed), or NULL when absent. */
static char *
child_text(xmlNodePtr node, const char *name)
{
    char *text = vk_xml_child_text(node, name);

    return text ? g_strstrip(text) : NULL;
}

/* <domain> or <inactiveDomain> (parsed as a <domain>) into *DOM. */
static int
parse_domain(xmlNodePtr root, const char *element, VkDomainDef **dom)
{
    xmlNodePtr node = vk_xml_child(root, element);
    g_autofree char *xml = NULL;

    if (!node)
        return 0;
    xmlNodeSetName(node, BAD_CAST "domain");
    xml = vk_domain_xml_serialize(node);
    *dom = vk_domain_def_parse_string(xml, VK_DOMAIN_PARSE_INACTIVE);
    return *dom ? 0 : -1;
}

static void
parse_disk_file(xmlNodePtr node, VkSnapshotDiskDef *disk)
{
    xmlNodePtr src = vk_xml_child(node, "source");
    xmlNodePtr drv = vk_xml_child(node, "driver");

    disk->file = src ? vk_xml_prop(src, "file") : NULL;
    disk->driver_type = drv ? vk_xml_prop(drv, "type") : NULL;
}

static int
parse_disks(xmlNodePtr root, VkSnapshotDef *def)
{
    xmlNodePtr disks = vk_xml_child(root, "disks");

    if (!disks)
        return 0;
    for (xmlNodePtr c = disks->children; c; c = c->next) {
        g_autofree char *name = NULL;
        g_autofree char *snapshot = NULL;

        if (!vk_xml_is_element(c, "disk"))
            continue;
        if (!(name = vk_xml_prop(c, "name")))
            return xml_error("missing name from disk snapshot element");
        if (vk_snapshot_def_disk(def, name)) {
            vk_error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_CONFIG_UNSUPPORTED,
                            "disk '%s' specified twice", name);
            return -1;
        }
        snapshot = vk_xml_prop(c, "snapshot");
        /* a <source> under the disk means an external snapshot file */
        if (!snapshot && vk_xml_child(c, "source"))
            snapshot = g_strdup("external");
        vk_snapshot_def_add_disk(def, name, snapshot);
        parse_disk_file(c, g_ptr_array_index(def->disks, def->disks->len - 1));
    }
    return 0;
}

/* What only an existing snapshot's XML carries. */
static int
parse_existing(xmlNodePtr root, VkSnapshotDef *def, unsigned int flags)
{
    g_autofree char *time = child_text(root, "creationTime");
    xmlNodePtr parent = vk_xml_child(root, "parent");

    if (!def->name)
        return xml_error("a redefined snapshot must have a name");
    if (!(def->state = child_text(root, "state")))
        return xml_error("missing state from existing snapshot");
    if (!time)
        return xml_error("missing creationTime from existing snapshot");
    def->creation_time = g_ascii_strtoll(time, NULL, 10);
    if (parent)
        def->parent = child_text(parent, "name");
    if (flags & VK_SNAPSHOT_PARSE_INTERNAL) {
        g_autofree char *active = child_text(root, "active");
        def->current = active && g_str_equal(active, "1");
    }
    if (parse_domain(root, "domain", &def->dom) < 0 ||
        parse_domain(root, "inactiveDomain", &def->inactive_dom) < 0)
        return -1;
    return 0;
}

static VkSnapshotDef *
parse_root(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(VkSnapshotDef) def = def_new();
    xmlNodePtr memory;

    if (!xmlStrEqual(root->name, BAD_CAST "domainsnapshot")) {
        xml_error("domainsnapshot");
        return NULL;
    }
    def->name = child_text(root, "name");
    def->description = child_text(root, "description");
    if ((memory = vk_xml_child(root, "memory"))) {
        def->memory = vk_xml_prop(memory, "snapshot");
        def->memory_file = vk_xml_prop(memory, "file");
        if (!def->memory && def->memory_file)
            def->memory = g_strdup("external");
    }
    if (parse_disks(root, def) < 0)
        return NULL;
    if (flags & VK_SNAPSHOT_PARSE_REDEFINE) {
        if (parse_existing(root, def, flags) < 0)
            return NULL;
    } else {
        /* a new snapshot: libvirt names it after the time it is taken */
        def->creation_time = g_get_real_time() / G_USEC_PER_SEC;
        if (!def->name)
            def->name = g_strdup_printf("%" G_GINT64_FORMAT, def->creation_time);
    }
    return g_steal_pointer(&def);
}

VkSnapshotDef *
vk_snapshot_def_parse_string(const char *xml, unsigned int flags)
{
    xmlDocPtr doc = vk_xml_parse_string_named(xml, "(domain_snapshot)", false);
    VkSnapshotDef *def;

    if (!doc)
        return NULL;
    def = parse_root(xmlDocGetRootElement(doc), flags);
    xmlFreeDoc(doc);
    return def;
}

/* ---------------------------------------------------------------------
 * Format
 * ------------------------------------------------------------------- */

static void
append_element(GString *buf, const char *indent, const char *name, const char *text)
{
    g_string_append_printf(buf, "%s<%s>", indent, name);
    vk_xml_escape_append(buf, text);
    g_string_append_printf(buf, "</%s>\n", name);
}

static void
format_disks(GString *buf, const VkSnapshotDef *def)
{
    if (def->disks->len == 0)
        return;
    g_string_append(buf, "  <disks>\n");
    for (guint i = 0; i < def->disks->len; i++) {
        VkSnapshotDiskDef *disk = g_ptr_array_index(def->disks, i);
        g_string_append(buf, "    <disk name='");
        vk_xml_escape_append(buf, disk->name);
        g_string_append_c(buf, '\'');
        if (disk->snapshot)
            g_string_append_printf(buf, " snapshot='%s'", disk->snapshot);
        if (!disk->file) {
            g_string_append(buf, "/>\n");
            continue;
        }
        g_string_append(buf, " type='file'>\n");
        if (disk->driver_type)
            g_string_append_printf(buf, "      <driver type='%s'/>\n", disk->driver_type);
        g_string_append(buf, "      <source file='");
        vk_xml_escape_append(buf, disk->file);
        g_string_append(buf, "'/>\n    </disk>\n");
    }
    g_string_append(buf, "  </disks>\n");
}

/* DOM formatted as a config, its root element named ELEMENT. */
static int
format_domain(GString *buf, const VkDomainDef *dom, const char *element, unsigned int flags)
{
    g_autofree char *xml = vk_domain_def_format(dom, VK_DOMAIN_FORMAT_INACTIVE |
                                                         ((flags & VK_SNAPSHOT_FORMAT_SECURE)
                                                              ? VK_DOMAIN_FORMAT_SECURE : 0));
    GString *renamed;
    char *end;

    if (!xml)
        return -1;
    if (g_str_equal(element, "domain")) {
        vk_xml_append_indented(buf, g_strchomp(xml), 2);
        return 0;
    }
    /* <inactiveDomain> is a <domain> under another name */
    renamed = g_string_new(NULL);
    g_string_append_printf(renamed, "<%s%s", element, xml + strlen("<domain"));
    if ((end = g_strrstr(renamed->str, "</domain>")))
        g_string_truncate(renamed, (gsize) (end - renamed->str));
    g_string_append_printf(renamed, "</%s>", element);
    vk_xml_append_indented(buf, renamed->str, 2);
    g_string_free(renamed, TRUE);
    return 0;
}

char *
vk_snapshot_def_format(const VkSnapshotDef *def, unsigned int flags)
{
    g_autoptr(GString) buf = g_string_new("<domainsnapshot>\n");

    append_element(buf, "  ", "name", def->name);
    if (def->description)
        append_element(buf, "  ", "description", def->description);
    if (def->state)
        g_string_append_printf(buf, "  <state>%s</state>\n", def->state);
    if (def->parent) {
        g_string_append(buf, "  <parent>\n");
        append_element(buf, "    ", "name", def->parent);
        g_string_append(buf, "  </parent>\n");
    }
    g_string_append_printf(buf, "  <creationTime>%" G_GINT64_FORMAT "</creationTime>\n",
                           def->creation_time);
    if (def->memory)
        g_string_append_printf(buf, "  <memory snapshot='%s'/>\n", def->memory);
    format_disks(buf, def);
    if (def->dom && format_domain(buf, def->dom, "domain", flags) < 0)
        return NULL;
    if (def->inactive_dom && format_domain(buf, def->inactive_dom, "inactiveDomain", flags) < 0)
        return NULL;
    if (flags & VK_SNAPSHOT_FORMAT_INTERNAL)
        g_string_append_printf(buf, "  <active>%d</active>\n", def->current ? 1 : 0);
    g_string_append(buf, "</domainsnapshot>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}
