#include "common/conf/domain-raw.h"
#include "common/conf/xml-read.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* VALUE in UNIT (default KiB) as KiB, rounded up; false when either is not
 * understood (the element is then left as written). */
static bool
to_kib(const char *value, const char *unit, unsigned long long *kib)
{
    static const struct { const char *name; unsigned long long bytes; } units[] = {
        { "b", 1ULL }, { "byte", 1ULL }, { "bytes", 1ULL },
        { "k", 1ULL << 10 }, { "kib", 1ULL << 10 }, { "kb", 1000ULL },
        { "m", 1ULL << 20 }, { "mib", 1ULL << 20 }, { "mb", 1000000ULL },
        { "g", 1ULL << 30 }, { "gib", 1ULL << 30 }, { "gb", 1000000000ULL },
        { "t", 1ULL << 40 }, { "tib", 1ULL << 40 }, { "tb", 1000000000000ULL },
    };
    unsigned long long scale = 0, v;
    char *end = NULL;

    if (!value)
        return false;
    while (g_ascii_isspace(*value))
        value++;
    if (!g_ascii_isdigit(*value))
        return false;
    errno = 0;
    v = g_ascii_strtoull(value, &end, 10);
    while (end && g_ascii_isspace(*end))
        end++;
    if (errno || !end || *end)
        return false;
    if (!unit || !*unit) {
        scale = 1024;
    } else {
        for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
            if (g_ascii_strcasecmp(unit, units[i].name) == 0)
                scale = units[i].bytes;
        }
    }
    if (!scale || (v && v > G_MAXUINT64 / scale))
        return false;
    v *= scale;
    *kib = v / 1024 + (v % 1024 ? 1 : 0);
    return true;
}

/* <NAME unit='U'>N</NAME> -> <NAME unit='KiB'>N_KIB</NAME> */
static void
size_element(xmlNodePtr node)
{
    xmlChar *text = xmlNodeGetContent(node);
    g_autofree char *unit = vk_xml_prop(node, "unit");
    unsigned long long kib;

    if (to_kib((const char *) text, unit, &kib)) {
        g_autofree char *v = g_strdup_printf("%llu", kib);
        xmlNodeSetContent(node, BAD_CAST v);
        xmlSetProp(node, BAD_CAST "unit", BAD_CAST "KiB");
    }
    xmlFree(text);
}

/* ATTR='N' unit='U' on NODE -> ATTR='N_KIB' unit='KiB' */
static void
size_attribute(xmlNodePtr node, const char *attr)
{
    g_autofree char *value = vk_xml_prop(node, attr);
    g_autofree char *unit = vk_xml_prop(node, "unit");
    unsigned long long kib;

    if (to_kib(value, unit, &kib)) {
        g_autofree char *v = g_strdup_printf("%llu", kib);
        xmlSetProp(node, BAD_CAST attr, BAD_CAST v);
        xmlSetProp(node, BAD_CAST "unit", BAD_CAST "KiB");
    }
}

/* Put NODE's children named in ORDER first, in that order (stable within a
 * name), the others after them. */
static void
order_children(xmlNodePtr node, const char *const *order)
{
    g_autoptr(GPtrArray) kids = g_ptr_array_new();

    for (xmlNodePtr c = node->children; c; c = c->next)
        g_ptr_array_add(kids, c);
    for (guint i = 0; i < kids->len; i++)
        xmlUnlinkNode(g_ptr_array_index(kids, i));
    for (int o = 0; order[o]; o++) {
        for (guint i = 0; i < kids->len; i++) {
            xmlNodePtr c = g_ptr_array_index(kids, i);
            if (c && vk_xml_is_element(c, order[o])) {
                xmlAddChild(node, c);
                kids->pdata[i] = NULL;
            }
        }
    }
    for (guint i = 0; i < kids->len; i++) {
        xmlNodePtr c = g_ptr_array_index(kids, i);
        if (!c)
            continue;
        if (c->type == XML_ELEMENT_NODE)
            xmlAddChild(node, c);
        else
            xmlFreeNode(c);   /* stray text between elements: dropped anyway */
    }
}

/* Put NODE's attributes named in ORDER first, in that order. */
static void
order_attributes(xmlNodePtr node, const char *const *order)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);

    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (a->ns)
            return;   /* namespaced attributes: leave the element as it is */
        g_ptr_array_add(names, g_strdup((const char *) a->name));
        g_ptr_array_add(values, vk_xml_prop(node, (const char *) a->name));
    }
    for (guint i = 0; i < names->len; i++)
        xmlUnsetProp(node, BAD_CAST g_ptr_array_index(names, i));
    for (int o = 0; order[o]; o++) {
        for (guint i = 0; i < names->len; i++) {
            if (g_str_equal(g_ptr_array_index(names, i), order[o]))
                xmlSetProp(node, BAD_CAST order[o], BAD_CAST g_ptr_array_index(values, i));
        }
    }
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        if (!g_strv_contains(order, n))
            xmlSetProp(node, BAD_CAST n, BAD_CAST g_ptr_array_index(values, i));
    }
}

/* attribute hex number -> libvirt's 0x%0NX */
static void
hex_attribute(xmlNodePtr node, const char *attr, int width)
{
    g_autofree char *value = vk_xml_prop(node, attr);
    char *end = NULL;
    unsigned long long v;

    if (!value || !*value)
        return;
    errno = 0;
    v = g_ascii_strtoull(value, &end, 0);
    if (errno || !end || *end)
        return;
    g_autofree char *out = g_strdup_printf("0x%0*llX", width, v);
    xmlSetProp(node, BAD_CAST attr, BAD_CAST out);
}

static void
memtune(xmlNodePtr node)
{
    static const char *const order[] = { "hard_limit", "soft_limit", "min_guarantee",
                                         "swap_hard_limit", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (vk_xml_is_element(c, NULL) && g_strv_contains(order, (const char *) c->name))
            size_element(c);
    }
    order_children(node, order);
}

static void
blkiotune(xmlNodePtr node)
{
    static const char *const order[] = { "weight", "device", NULL };
    static const char *const device[] = { "path", "weight", "read_iops_sec", "write_iops_sec",
                                          "read_bytes_sec", "write_bytes_sec", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (vk_xml_is_element(c, "device"))
            order_children(c, device);
    }
    order_children(node, order);
}

static void
memory_backing(xmlNodePtr node)
{
    static const char *const order[] = { "hugepages", "nosharepages", "locked", "source",
                                         "access", "allocation", "discard", NULL };
    static const char *const page_attrs[] = { "size", "unit", "nodeset", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "hugepages"))
            continue;
        for (xmlNodePtr p = c->children; p; p = p->next) {
            if (vk_xml_is_element(p, "page")) {
                size_attribute(p, "size");
                order_attributes(p, page_attrs);
            }
        }
    }
    order_children(node, order);
}

static void
cputune(xmlNodePtr node)
{
    static const char *const order[] = {
        "shares", "period", "quota", "global_period", "global_quota", "emulator_period",
        "emulator_quota", "iothread_period", "iothread_quota", "vcpupin", "emulatorpin",
        "iothreadpin", "vcpusched", "iothreadsched", "emulatorsched", "cachetune",
        "memorytune", NULL
    };

    order_children(node, order);
}

static void
numa(xmlNodePtr node)
{
    static const char *const cell_attrs[] = { "id", "cpus", "memory", "unit", "memAccess",
                                              "discard", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "cell"))
            continue;
        size_attribute(c, "memory");
        order_attributes(c, cell_attrs);
    }
}

static void
memory_device(xmlNodePtr node)
{
    static const char *const sizes[] = { "size", "requested", "block", "current", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (vk_xml_is_element(c, "target")) {
            for (xmlNodePtr t = c->children; t; t = t->next) {
                if (vk_xml_is_element(t, NULL) && g_strv_contains(sizes, (const char *) t->name))
                    size_element(t);
            }
        } else if (vk_xml_is_element(c, "source")) {
            for (xmlNodePtr s = c->children; s; s = s->next) {
                if (vk_xml_is_element(s, "pagesize"))
                    size_element(s);
            }
        }
    }
}

static void
redirfilter(xmlNodePtr node)
{
    static const char *const attrs[] = { "class", "vendor", "product", "version", "allow", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "usbdev"))
            continue;
        hex_attribute(c, "class", 2);
        hex_attribute(c, "vendor", 4);
        hex_attribute(c, "product", 4);
        order_attributes(c, attrs);
    }
}

static void
numatune(xmlNodePtr node)
{
    static const char *const attrs[] = { "mode", "nodeset", "placement", NULL };

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!vk_xml_is_element(c, "memory"))
            continue;
        if (!xmlHasProp(c, BAD_CAST "mode"))
            xmlSetProp(c, BAD_CAST "mode", BAD_CAST "strict");
        order_attributes(c, attrs);
    }
}

void
vk_domain_raw_canonicalize(xmlNodePtr node)
{
    if (vk_xml_is_element(node, "numatune"))
        numatune(node);
    else if (vk_xml_is_element(node, "memtune"))
        memtune(node);
    else if (vk_xml_is_element(node, "blkiotune"))
        blkiotune(node);
    else if (vk_xml_is_element(node, "memoryBacking"))
        memory_backing(node);
    else if (vk_xml_is_element(node, "cputune"))
        cputune(node);
    else if (vk_xml_is_element(node, "numa"))
        numa(node);
    else if (vk_xml_is_element(node, "memory"))
        memory_device(node);
    else if (vk_xml_is_element(node, "redirfilter"))
        redirfilter(node);
}
