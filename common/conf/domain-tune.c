/* One child of a tuning element read and changed (see domain-tune.h). */
#include "common/conf/domain-tune.h"

#include <string.h>

#include <libxml/parser.h>

#include "common/conf/domain-raw.h"
#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "virtkit/virtkit.h"

static VkDomainRawElement *
find_raw(const VkDomainDef *def, const char *name, guint *index)
{
    for (guint i = 0; i < def->raw->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw, i);
        if (g_str_equal(r->name, name)) {
            if (index)
                *index = i;
            return r;
        }
    }
    return NULL;
}

static xmlNodePtr
find_child(xmlNodePtr root, const VkDomainTuneKey *key)
{
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        g_autofree char *v = NULL;

        if (!vk_xml_is_element(c, key->child))
            continue;
        if (!key->attr)
            return c;
        v = vk_xml_prop(c, key->attr);
        if (g_strcmp0(v, key->attr_value) == 0)
            return c;
    }
    return NULL;
}

static xmlDocPtr
parse_raw(const VkDomainRawElement *r)
{
    return r ? xmlReadMemory(r->xml, strlen(r->xml), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS)
             : NULL;
}

/* ROOT (the changed element, in DOC) back into DEF: its kept element R
 * (at INDEX) replaced, made, or removed when ROOT is left empty.  DOC is
 * freed. */
static void
store_raw(VkDomainDef *def, VkDomainRawElement *r, guint index, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);

    if (!xmlFirstElementChild(root) && !root->properties) {
        if (r)
            g_ptr_array_remove_index(def->raw, index);
        xmlFreeDoc(doc);
        return;
    }
    vk_domain_raw_canonicalize(root);
    if (!r) {
        r = g_new0(VkDomainRawElement, 1);
        r->name = g_strdup((const char *) root->name);
        g_ptr_array_add(def->raw, r);
    }
    g_free(r->xml);
    r->xml = vk_domain_xml_serialize(root);
    xmlFreeDoc(doc);
}

/* The element NAME of DEF as a document to change (a new empty one when
 * DEF has none); its kept element and place in *R and *INDEX. */
static xmlDocPtr
open_raw(const VkDomainDef *def, const char *name, VkDomainRawElement **r, guint *index)
{
    xmlDocPtr doc;

    *index = 0;
    *r = find_raw(def, name, index);
    if ((doc = parse_raw(*r)))
        return doc;
    doc = xmlNewDoc(BAD_CAST "1.0");
    xmlDocSetRootElement(doc, xmlNewNode(NULL, BAD_CAST name));
    return doc;
}

char *
vk_domain_tune_get(const VkDomainDef *def, const VkDomainTuneKey *key, const char *value_attr)
{
    xmlDocPtr doc = parse_raw(find_raw(def, key->element, NULL));
    xmlNodePtr child = doc ? find_child(xmlDocGetRootElement(doc), key) : NULL;
    char *value = NULL;

    if (child)
        value = value_attr ? vk_xml_prop(child, value_attr) : vk_xml_text(child);
    if (doc)
        xmlFreeDoc(doc);
    return value;
}

static void
set_child(xmlNodePtr root, const VkDomainTuneKey *key, const char *value_attr, const char *value,
          const char *unit)
{
    xmlNodePtr child = find_child(root, key);

    if (!value) {
        if (child) {
            xmlUnlinkNode(child);
            xmlFreeNode(child);
        }
        return;
    }
    if (!child) {
        child = xmlNewChild(root, NULL, BAD_CAST key->child, NULL);
        if (key->attr)
            xmlSetProp(child, BAD_CAST key->attr, BAD_CAST key->attr_value);
    }
    if (value_attr) {
        xmlSetProp(child, BAD_CAST value_attr, BAD_CAST value);
        return;
    }
    if (unit)
        xmlSetProp(child, BAD_CAST "unit", BAD_CAST unit);
    xmlNodeSetContent(child, BAD_CAST value);
}

void
vk_domain_tune_set(VkDomainDef *def, const VkDomainTuneKey *key, const char *value_attr,
                   const char *value, const char *unit)
{
    VkDomainRawElement *r;
    guint index;
    xmlDocPtr doc = open_raw(def, key->element, &r, &index);

    set_child(xmlDocGetRootElement(doc), key, value_attr, value, unit);
    store_raw(def, r, index, doc);
}

/* ---- <blkiotune><device> ------------------------------------------------ */

static xmlNodePtr
find_device(xmlNodePtr root, const char *path)
{
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        g_autofree char *p = vk_xml_is_element(c, "device") ? vk_xml_child_text(c, "path") : NULL;
        if (p && g_str_equal(p, path))
            return c;
    }
    return NULL;
}

char *
vk_domain_blkio_device_get(const VkDomainDef *def, const char *path, const char *field)
{
    xmlDocPtr doc = parse_raw(find_raw(def, "blkiotune", NULL));
    xmlNodePtr dev = doc ? find_device(xmlDocGetRootElement(doc), path) : NULL;
    char *value = dev ? vk_xml_child_text(dev, field) : NULL;

    if (doc)
        xmlFreeDoc(doc);
    return value;
}

GStrv
vk_domain_blkio_device_paths(const VkDomainDef *def)
{
    xmlDocPtr doc = parse_raw(find_raw(def, "blkiotune", NULL));
    g_autoptr(GStrvBuilder) paths = g_strv_builder_new();

    for (xmlNodePtr c = doc ? xmlDocGetRootElement(doc)->children : NULL; c; c = c->next) {
        g_autofree char *p = vk_xml_is_element(c, "device") ? vk_xml_child_text(c, "path") : NULL;
        if (p)
            g_strv_builder_add(paths, p);
    }
    if (doc)
        xmlFreeDoc(doc);
    return g_strv_builder_end(paths);
}

/* FIELD of DEV set to VALUE (or removed); the canonical form puts it in
 * libvirt's place. */
static void
set_device_field(xmlNodePtr dev, const char *field, const char *value)
{
    for (xmlNodePtr c = dev->children, next; c; c = next) {
        next = c->next;
        if (vk_xml_is_element(c, field)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
    if (value)
        xmlNewTextChild(dev, NULL, BAD_CAST field, BAD_CAST value);
}

void
vk_domain_blkio_device_set(VkDomainDef *def, const char *path, const char *field,
                           const char *value)
{
    VkDomainRawElement *r;
    guint index;
    xmlDocPtr doc = open_raw(def, "blkiotune", &r, &index);
    xmlNodePtr root = xmlDocGetRootElement(doc), dev;

    if (!(dev = find_device(root, path)) && value) {
        dev = xmlNewChild(root, NULL, BAD_CAST "device", NULL);
        xmlNewTextChild(dev, NULL, BAD_CAST "path", BAD_CAST path);
    }
    if (dev) {
        set_device_field(dev, field, value);
        /* a device with only its path says nothing */
        if (xmlFirstElementChild(dev) == xmlLastElementChild(dev)) {
            xmlUnlinkNode(dev);
            xmlFreeNode(dev);
        }
    }
    store_raw(def, r, index, doc);
}

/* ---- checks -------------------------------------------------------------- */

#define CONFIG_ERROR(domain, ...) \
    (vk_error_report(domain, VIR_ERR_CONFIG_UNSUPPORTED, __VA_ARGS__), -1)

static int
check_bandwidth(const VkDomainDef *def)
{
    static const char *const names[] = { "period", "quota", "global_period", "global_quota",
                                         "emulator_period", "emulator_quota", "iothread_period",
                                         "iothread_quota" };

    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        VkDomainTuneKey key = { "cputune", names[i] };
        g_autofree char *text = vk_domain_tune_get(def, &key, NULL);
        bool quota = g_str_has_suffix(names[i], "quota");
        long long max = quota ? 17592186044415LL : 1000000LL;
        long long v = text ? g_ascii_strtoll(text, NULL, 10) : 0;

        if (v > 0 && (v < 1000 || v > max))
            return CONFIG_ERROR(VIR_FROM_DOMAIN, "Value of cputune '%s' must be in range [1000, %lld]",
                                names[i], max);
    }
    return 0;
}

static int
check_blkio_paths(const VkDomainDef *def)
{
    xmlDocPtr doc = parse_raw(find_raw(def, "blkiotune", NULL));
    int rc = 0;

    for (xmlNodePtr c = doc ? xmlDocGetRootElement(doc)->children : NULL; c && rc == 0;
         c = c->next) {
        if (vk_xml_is_element(c, "device") && !vk_xml_child(c, "path"))
            rc = CONFIG_ERROR(VIR_FROM_DOMAIN, "%s", "missing per-device path");
    }
    if (doc)
        xmlFreeDoc(doc);
    return rc;
}

static int
check_numa_mode(const VkDomainDef *def)
{
    static const char *const modes[] = { "strict", "preferred", "interleave", "restrictive",
                                         NULL };
    VkDomainTuneKey key = { "numatune", "memory" };
    g_autofree char *mode = vk_domain_tune_get(def, &key, "mode");

    if (mode && !g_strv_contains(modes, mode))
        return CONFIG_ERROR(VIR_FROM_DOMAIN, "Unsupported NUMA memory tuning mode '%s'", mode);
    return 0;
}

/* <vcpupin>s of vCPUs the guest does not have go, as libvirt drops them */
static void
drop_stray_pins(VkDomainDef *def)
{
    VkDomainRawElement *r;
    guint index;
    xmlDocPtr doc = open_raw(def, "cputune", &r, &index);
    bool changed = false;

    for (xmlNodePtr c = xmlDocGetRootElement(doc)->children, next; c; c = next) {
        g_autofree char *vcpu = vk_xml_is_element(c, "vcpupin") ? vk_xml_prop(c, "vcpu") : NULL;

        next = c->next;
        if (vcpu && g_ascii_strtoull(vcpu, NULL, 10) >= def->vcpus) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            changed = true;
        }
    }
    if (changed)
        store_raw(def, r, index, doc);
    else
        xmlFreeDoc(doc);
}

int
vk_domain_tune_check(VkDomainDef *def)
{
    if (check_blkio_paths(def) < 0 || check_bandwidth(def) < 0 || check_numa_mode(def) < 0)
        return -1;
    drop_stray_pins(def);
    return 0;
}

int
vk_domain_tune_validate_qemu(const VkDomainDef *def)
{
    VkDomainTuneKey key = { "memtune", "min_guarantee" };
    g_autofree char *min = vk_domain_tune_get(def, &key, NULL);

    if (min)
        return CONFIG_ERROR(VIR_FROM_QEMU, "%s",
                            "Parameter 'min_guarantee' not supported by QEMU.");
    return 0;
}
