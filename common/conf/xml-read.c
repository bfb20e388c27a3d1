#include "common/conf/xml-read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util/error.h"

const char *const vk_xml_yes_no[] = { "yes", "no", NULL };
const char *const vk_xml_on_off[] = { "on", "off", NULL };

bool
vk_xml_is_element(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && (!name || xmlStrEqual(n->name, BAD_CAST name));
}

xmlNodePtr
vk_xml_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next) {
        if (vk_xml_is_element(c, name))
            return c;
    }
    return NULL;
}

/* libxml2 returns xmlMalloc'ed memory: copy it into GLib's heap. */
char *
vk_xml_prop(xmlNodePtr node, const char *name)
{
    if (!node)
        return NULL;
    xmlChar *v = xmlGetNoNsProp(node, BAD_CAST name);
    char *r = g_strdup((const char *) v);
    xmlFree(v);
    return r;
}

char *
vk_xml_text(xmlNodePtr node)
{
    if (!node)
        return NULL;
    xmlChar *v = xmlNodeGetContent(node);
    char *r = g_strdup((const char *) v);
    xmlFree(v);
    return r;
}

char *
vk_xml_child_text(xmlNodePtr node, const char *name)
{
    return vk_xml_text(vk_xml_child(node, name));
}

int
vk_xml_parse_ull(const char *str, int base, unsigned long long *out)
{
    char *end = NULL;

    if (!str || !*str || strchr(str, '-'))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(str, &end, base);
    if (errno || end == str || *end)
        return -1;
    *out = v;
    return 0;
}

int
vk_xml_parse_uint(const char *str, int base, unsigned int *out)
{
    unsigned long long v;

    if (vk_xml_parse_ull(str, base, &v) < 0 || v > G_MAXUINT)
        return -1;
    *out = (unsigned int) v;
    return 0;
}

int
vk_xml_parse_int(const char *str, int base, int *out)
{
    char *end = NULL;

    if (!str || !*str)
        return -1;
    errno = 0;
    long long v = strtoll(str, &end, base);
    if (errno || end == str || *end || v < G_MININT || v > G_MAXINT)
        return -1;
    *out = (int) v;
    return 0;
}

int
vk_xml_invalid_attr(xmlNodePtr node, const char *name, const char *value, const char *suffix)
{
    vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                    "Invalid value for attribute '%s' in element '%s': '%s'.%s",
                    name, (const char *) node->name, value, suffix ? suffix : "");
    return -1;
}

int
vk_xml_attr_uint(xmlNodePtr node, const char *name, int base, unsigned int *out)
{
    g_autofree char *v = vk_xml_prop(node, name);

    if (!v)
        return 0;
    if (vk_xml_parse_uint(v, base, out) < 0)
        return vk_xml_invalid_attr(node, name, v, " Expected non-negative integer value");
    return 1;
}

int
vk_xml_attr_int(xmlNodePtr node, const char *name, int *out)
{
    g_autofree char *v = vk_xml_prop(node, name);

    if (!v)
        return 0;
    if (vk_xml_parse_int(v, 10, out) < 0)
        return vk_xml_invalid_attr(node, name, v, " Expected integer value");
    return 1;
}

int
vk_xml_attr_enum(xmlNodePtr node, const char *name, int (*from_string)(const char *), int *out)
{
    g_autofree char *v = vk_xml_prop(node, name);
    int value;

    if (!v)
        return 0;
    if ((value = from_string(v)) < 0)
        return vk_xml_invalid_attr(node, name, v, NULL);
    *out = value;
    return 1;
}

int
vk_xml_attr_tristate(xmlNodePtr node, const char *name, const char *const *words, VkTristate *out)
{
    g_autofree char *v = vk_xml_prop(node, name);

    if (!v)
        return 0;
    if (g_str_equal(v, words[0]))
        *out = VK_TRISTATE_ON;
    else if (g_str_equal(v, words[1]))
        *out = VK_TRISTATE_OFF;
    else
        return vk_xml_invalid_attr(node, name, v, NULL);
    return 1;
}

int
vk_xml_pci_address(xmlNodePtr node, VkPciAddress *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (vk_xml_attr_uint(node, "domain", 0, &addr->domain) < 0 ||
        vk_xml_attr_uint(node, "bus", 0, &addr->bus) < 0 ||
        vk_xml_attr_uint(node, "slot", 0, &addr->slot) < 0 ||
        vk_xml_attr_uint(node, "function", 0, &addr->function) < 0 ||
        vk_xml_attr_tristate(node, "multifunction", vk_xml_on_off, &addr->multifunction) < 0)
        return -1;

    if (!addr->domain && !addr->bus && !addr->slot && !addr->function) {
        /* "assign one": libvirt keeps nothing of it, multifunction included */
        addr->multifunction = VK_TRISTATE_ABSENT;
        return 0;
    }
    if (addr->domain > 0xFFFF) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR,
                        "Invalid PCI address domain='0x%x', must be <= 0xFFFF", addr->domain);
        return -1;
    }
    if (addr->bus > VK_PCI_MAX_BUS) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR,
                        "Invalid PCI address bus='0x%x', must be <= 0xFF", addr->bus);
        return -1;
    }
    if (addr->slot > VK_PCI_MAX_SLOT) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR,
                        "Invalid PCI address slot='0x%x', must be <= 0x1F", addr->slot);
        return -1;
    }
    if (addr->function > VK_PCI_MAX_FUNCTION) {
        vk_error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR,
                        "Invalid PCI address function=0x%x, must be <= 7", addr->function);
        return -1;
    }
    return 0;
}
