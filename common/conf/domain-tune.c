/* One child of a tuning element read and changed (see domain-tune.h). */
#include "common/conf/domain-tune.h"

#include <string.h>

#include <libxml/parser.h>

#include "common/conf/domain-raw.h"
#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"

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
    guint index = 0;
    VkDomainRawElement *r = find_raw(def, key->element, &index);
    xmlDocPtr doc = parse_raw(r);
    xmlNodePtr root;

    if (!doc) {
        doc = xmlNewDoc(BAD_CAST "1.0");
        xmlDocSetRootElement(doc, xmlNewNode(NULL, BAD_CAST key->element));
    }
    root = xmlDocGetRootElement(doc);
    set_child(root, key, value_attr, value, unit);
    if (!xmlFirstElementChild(root) && !root->properties) {
        if (r)
            g_ptr_array_remove_index(def->raw, index);
        xmlFreeDoc(doc);
        return;
    }
    vk_domain_raw_canonicalize(root);
    if (!r) {
        r = g_new0(VkDomainRawElement, 1);
        r->name = g_strdup(key->element);
        g_ptr_array_add(def->raw, r);
    }
    g_free(r->xml);
    r->xml = vk_domain_xml_serialize(root);
    xmlFreeDoc(doc);
}
