#include "common/conf/domain-xml.h"

#include <string.h>

void
vk_xml_escape_append(GString *buf, const char *str)
{
    const char *run = str;

    /* Copy runs of plain characters at once: most values need no escaping. */
    for (const char *p = str; p && *p; p++) {
        unsigned char c = (unsigned char) *p;
        if (c >= 0x20 ? (c != '&' && c != '<' && c != '>' && c != '\'' && c != '"')
                      : (c == '\t' || c == '\n' || c == '\r'))
            continue;
        g_string_append_len(buf, run, p - run);
        run = p + 1;
        switch (*p) {
        case '&': g_string_append(buf, "&amp;"); break;
        case '<': g_string_append(buf, "&lt;"); break;
        case '>': g_string_append(buf, "&gt;"); break;
        case '\'': g_string_append(buf, "&apos;"); break;
        case '"': g_string_append(buf, "&quot;"); break;
        default:
            break;   /* other control characters are dropped */
        }
    }
    if (run)
        g_string_append(buf, run);
}

static void
serialize(GString *buf, xmlNodePtr node, int level)
{
    bool has_elem = false, has_text = false;

    for (int i = 0; i < level * 2; i++)
        g_string_append_c(buf, ' ');
    g_string_append_c(buf, '<');
    if (node->ns && node->ns->prefix)
        g_string_append_printf(buf, "%s:", (const char *) node->ns->prefix);
    g_string_append(buf, (const char *) node->name);
    for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next) {
        if (ns->prefix)
            g_string_append_printf(buf, " xmlns:%s='", (const char *) ns->prefix);
        else
            g_string_append(buf, " xmlns='");
        vk_xml_escape_append(buf, (const char *) ns->href);
        g_string_append_c(buf, '\'');
    }
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
        g_string_append_c(buf, ' ');
        if (a->ns && a->ns->prefix)
            g_string_append_printf(buf, "%s:", (const char *) a->ns->prefix);
        g_string_append_printf(buf, "%s='", (const char *) a->name);
        vk_xml_escape_append(buf, (const char *) v);
        g_string_append_c(buf, '\'');
        xmlFree(v);
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            has_elem = true;
        else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            has_text = true;
    }
    /* libvirt reads these elements into structures and drops stray text
     * between child elements, so do we: that also keeps the output stable */
    if (has_elem)
        has_text = false;
    if (!has_elem && !has_text) {
        g_string_append(buf, "/>");
        return;
    }
    g_string_append_c(buf, '>');
    if (!has_elem) {
        xmlChar *t = xmlNodeGetContent(node);
        /* line breaks as character references keep the indentation of the
         * kept subtree (re-applied on every format) from growing */
        for (const char *p = (const char *) t; p && *p; p++) {
            if (*p == '\n')
                g_string_append(buf, "&#10;");
            else if (*p == '\r')
                g_string_append(buf, "&#13;");
            else {
                char one[2] = { *p, 0 };
                vk_xml_escape_append(buf, one);
            }
        }
        xmlFree(t);
    } else {
        for (xmlNodePtr c = node->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE) {
                g_string_append_c(buf, '\n');
                serialize(buf, c, level + 1);
            }
        }
        g_string_append_c(buf, '\n');
        for (int i = 0; i < level * 2; i++)
            g_string_append_c(buf, ' ');
    }
    g_string_append(buf, "</");
    if (node->ns && node->ns->prefix)
        g_string_append_printf(buf, "%s:", (const char *) node->ns->prefix);
    g_string_append_printf(buf, "%s>", (const char *) node->name);
}

char *
vk_domain_xml_serialize(xmlNodePtr node)
{
    GString *buf = g_string_new(NULL);

    serialize(buf, node, 0);
    return g_string_free(buf, FALSE);
}

char *
vk_domain_xml_metadata(xmlDocPtr doc, xmlNodePtr node)
{
    xmlNodePtr copy = xmlDocCopyNode(node, doc, 1);
    xmlBufferPtr xbuf;
    char *ret = NULL;

    if (!copy)
        return NULL;
    xmlNodePtr c = copy->children;
    while (c) {
        xmlNodePtr next = c->next;
        if (!c->ns || !c->ns->href) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else {
            /* drop later siblings that repeat this namespace */
            xmlNodePtr d = next;
            while (d) {
                xmlNodePtr dn = d->next;
                if (d->ns && d->ns->href && xmlStrEqual(d->ns->href, c->ns->href)) {
                    if (d == next)
                        next = dn;
                    xmlUnlinkNode(d);
                    xmlFreeNode(d);
                }
                d = dn;
            }
        }
        c = next;
    }
    xbuf = xmlBufferCreate();
    int old_indent = xmlIndentTreeOutput;
    xmlIndentTreeOutput = 1;
    if (xmlNodeDump(xbuf, doc, copy, 1, 1) >= 0)
        ret = g_strdup((const char *) xmlBufferContent(xbuf));
    xmlIndentTreeOutput = old_indent;
    xmlBufferFree(xbuf);
    xmlFreeNode(copy);
    return ret;
}

void
vk_xml_append_indented(GString *buf, const char *text, int indent)
{
    const char *p = text;

    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        for (int i = 0; i < indent; i++)
            g_string_append_c(buf, ' ');
        g_string_append_len(buf, p, (gssize) len);
        g_string_append_c(buf, '\n');
        p = nl ? nl + 1 : p + len;
    }
}
