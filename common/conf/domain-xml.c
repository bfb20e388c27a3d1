#include "common/conf/domain-xml.h"

#include <string.h>
#include <libxml/parser.h>

#include "common/util/error.h"

#define ERR(code, ...) vk_error_report(VIR_FROM_DOMAIN, code, __VA_ARGS__)

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

typedef struct {
    bool reported;
    int err_domain;   /* virErrorDomain the errors are reported in */
    const char *name;
} ParseErrState;

/* Report the first fatal libxml2 error as libvirt does: the document name,
 * the line, libxml2's message, the offending line and a pointer under it. */
static void
catch_xml_error(void *ctx, const char *msg G_GNUC_UNUSED, ...)
{
    xmlParserCtxtPtr pctxt = ctx;
    ParseErrState *st = pctxt ? pctxt->_private : NULL;

    if (!st || st->reported || !pctxt->input ||
        pctxt->lastError.level != XML_ERR_FATAL || !pctxt->lastError.message)
        return;
    st->reported = true;

    const xmlChar *cur = pctxt->input->cur;
    const xmlChar *base = pctxt->input->base;
    while (cur > base && (*cur == '\n' || *cur == '\r'))
        cur--;
    while (cur > base && *cur != '\n' && *cur != '\r')
        cur--;
    if (*cur == '\n' || *cur == '\r')
        cur++;
    size_t col = (size_t) (pctxt->input->cur - cur);

    g_autoptr(GString) line = g_string_new(NULL);
    while (*cur && *cur != '\n' && *cur != '\r')
        g_string_append_c(line, (char) *cur++);
    g_autoptr(GString) pointer = g_string_new(NULL);
    for (size_t n = 0; n < col && n < line->len; n++)
        g_string_append_c(pointer, line->str[n] == '\t' ? '\t' : '-');
    g_string_append_c(pointer, '^');

    vk_error_report(st->err_domain, VIR_ERR_XML_DETAIL, "%s:%d: %s%s\n%s",
        pctxt->lastError.file ? pctxt->lastError.file : st->name,
        pctxt->lastError.line, pctxt->lastError.message,
        line->len ? line->str : "(null)", pointer->str);
}

/* XML, or the file PATH when XML is NULL; see vk_xml_parse_string_named(). */
static xmlDocPtr
parse_named(const char *xml, const char *path, const char *name, bool keep_blanks,
            int err_domain)
{
    ParseErrState st = { .err_domain = err_domain, .name = name };
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;

    if (!pctxt || !pctxt->sax) {
        ERR(VIR_ERR_NO_MEMORY, NULL);
    } else {
        int opts = XML_PARSE_NONET | XML_PARSE_NOWARNING | (keep_blanks ? 0 : XML_PARSE_NOBLANKS);
        vk_error_reset();
        pctxt->_private = &st;
        pctxt->sax->error = catch_xml_error;
        if (path)
            doc = xmlCtxtReadFile(pctxt, path, NULL, opts);
        else
            doc = xmlCtxtReadDoc(pctxt, BAD_CAST xml, name, NULL, opts);
        if (!doc && vk_error_last_code() == VIR_ERR_OK)
            vk_error_report(err_domain, VIR_ERR_XML_ERROR, "failed to parse xml document '%s'",
                            name);
    }
    xmlFreeParserCtxt(pctxt);
    return doc;
}

xmlDocPtr
vk_xml_parse_string_named(const char *xml, const char *name, bool keep_blanks)
{
    return parse_named(xml, NULL, name, keep_blanks, VIR_FROM_DOMAIN);
}

xmlDocPtr
vk_xml_parse_file_named(const char *path, const char *name, bool keep_blanks)
{
    return parse_named(NULL, path, name, keep_blanks, VIR_FROM_DOMAIN);
}

xmlDocPtr
vk_xml_parse_named_from(const char *xml, const char *path, const char *name, int err_domain)
{
    return parse_named(xml, path, name, false, err_domain);
}
