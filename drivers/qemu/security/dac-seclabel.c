#include "drivers/qemu/security/dac-seclabel.h"

#include <libxml/parser.h>
#include <string.h>

/* DEF's <seclabel model='dac'> (kept as XML text), or NULL. */
static VkDomainRawElement *
find_dac_seclabel(const VkDomainDef *def)
{
    for (guint i = 0; i < def->raw->len; i++) {
        VkDomainRawElement *r = g_ptr_array_index(def->raw, i);
        g_autofree char *model = NULL;
        if (g_str_equal(r->name, "seclabel") &&
            g_strcmp0(model = vk_domain_raw_element_attr(r, "model"), "dac") == 0)
            return r;
    }
    return NULL;
}

/* The text of R's child element NAME, or NULL. */
static char *
child_text(const VkDomainRawElement *r, const char *name)
{
    xmlDocPtr doc = xmlReadMemory(r->xml, (int) strlen(r->xml), NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    char *text = NULL;

    for (xmlNodePtr n = doc ? xmlDocGetRootElement(doc)->children : NULL; n && !text; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *) name)) {
            xmlChar *t = xmlNodeGetContent(n);
            text = g_strdup((const char *) t);
            xmlFree(t);
        }
    }
    if (doc)
        xmlFreeDoc(doc);
    return text;
}

static bool
relabels(const VkDomainRawElement *r)
{
    g_autofree char *type = vk_domain_raw_element_attr(r, "type");
    g_autofree char *relabel = vk_domain_raw_element_attr(r, "relabel");

    return g_strcmp0(type, "none") != 0 && g_strcmp0(relabel, "no") != 0;
}

VkDacConfig *
vk_qemu_dac_for_domain(const VkDacConfig *base, const VkDomainDef *def)
{
    const VkDomainRawElement *r = find_dac_seclabel(def);
    g_autofree char *type = r ? vk_domain_raw_element_attr(r, "type") : NULL;
    g_autofree char *label = NULL;
    VkDacConfig *cfg;
    uid_t user = base->user;
    gid_t group = base->group;

    if (g_strcmp0(type, "static") == 0 && (label = child_text(r, "label")) &&
        vk_dac_config_parse_label(label, &user, &group) < 0)
        return NULL;
    cfg = vk_dac_config_with_ids(base, user, group);
    if (r && !relabels(r))
        cfg->dynamic_ownership = false;
    return cfg;
}

static char *
seclabel_xml(const char *type, const char *label)
{
    g_autofree char *text = g_markup_escape_text(label, -1);

    return g_strdup_printf("<seclabel type='%s' model='dac' relabel='yes'>\n"
                           "  <label>%s</label>\n  <imagelabel>%s</imagelabel>\n"
                           "</seclabel>", type, text, text);
}

void
vk_qemu_dac_add_seclabel(const VkDacConfig *cfg, VkDomainDef *def)
{
    VkDomainRawElement *r = find_dac_seclabel(def);
    g_autofree char *type = r ? vk_domain_raw_element_attr(r, "type") : NULL;
    g_autofree char *label = r ? child_text(r, "label") : NULL;
    g_autofree char *image = r ? child_text(r, "imagelabel") : NULL;
    bool is_static = g_strcmp0(type, "static") == 0;

    if (r && (!relabels(r) || image || (is_static && !label)))
        return;   /* complete as it is */
    if (!r) {
        r = g_new0(VkDomainRawElement, 1);
        r->name = g_strdup("seclabel");
        g_ptr_array_add(def->raw, r);
    }
    if (!is_static) {
        g_free(label);
        label = vk_dac_config_label(cfg);
    }
    g_free(r->xml);
    r->xml = seclabel_xml(is_static ? "static" : "dynamic", label);
}
