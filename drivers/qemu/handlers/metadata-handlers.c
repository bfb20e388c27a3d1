/* GetMetadata / SetMetadata: title, description and <metadata> elements.
 *
 * A definition keeps <metadata> as formatted XML text (VkDomainDef.metadata);
 * an element is read or changed by parsing that text, working on the tree
 * as libvirt does on its own, and formatting it back.  The stored text is
 * parsed without indentation blanks, as libvirt reads a saved definition: an
 * element with text and child elements mixed loses the blanks between its
 * children at the next change, where libvirtd keeps them until it restarts. */
#include "drivers/qemu/handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "common/conf/domain-pci-given.h"
#include "common/conf/domain-xml.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/domain-change.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

static int
unknown_type(int type)
{
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
    return -1;
}

static int
not_present(void)
{
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN_METADATA, "%s",
                    "Requested metadata element is not present");
    return -1;
}

/* DEF's <metadata> as a document (an empty <metadata/> when it has none). */
static xmlDocPtr
metadata_doc(const VkDomainDef *def)
{
    xmlDocPtr doc;

    if (def->metadata)
        return vk_xml_parse_string_named(def->metadata, "(metadata)", false);
    doc = xmlNewDoc(BAD_CAST "1.0");
    xmlDocSetRootElement(doc, xmlNewDocNode(doc, NULL, BAD_CAST "metadata", NULL));
    return doc;
}

/* The first child of ROOT in namespace URI, or NULL. */
static xmlNodePtr
child_by_ns(xmlNodePtr root, const char *uri)
{
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (n->ns && n->ns->href && g_strcmp0((const char *) n->ns->href, uri) == 0)
            return n;
    return NULL;
}

/* Walk NODE and its element descendants. */
static void
foreach_element(xmlNodePtr node, void (*fn)(xmlNodePtr, void *), void *opaque)
{
    if (node->type != XML_ELEMENT_NODE)
        return;
    fn(node, opaque);
    for (xmlNodePtr c = node->children; c; c = c->next)
        foreach_element(c, fn, opaque);
}

static void
drop_ns(xmlNodePtr node, void *uri)
{
    if (node->ns && g_strcmp0((const char *) node->ns->href, uri) == 0)
        xmlSetNs(node, NULL);
}

static void
add_ns(xmlNodePtr node, void *ns)
{
    if (!node->ns)
        xmlSetNs(node, ns);
}

/* The element of namespace URI in DEF's metadata as the client gave it:
 * without its namespace prefix and declaration.  NULL when there is none
 * (no error reported). */
static char *
element_get(const VkDomainDef *def, const char *uri)
{
    xmlDocPtr doc = def->metadata && uri ? metadata_doc(def) : NULL;
    xmlNodePtr node, copy;
    char *ret = NULL;

    if (!doc)
        return NULL;
    if ((node = child_by_ns(xmlDocGetRootElement(doc), uri)) && (copy = xmlCopyNode(node, 1))) {
        xmlBufferPtr buf = xmlBufferCreate();

        foreach_element(copy, drop_ns, (void *) uri);
        for (xmlNsPtr *link = &copy->nsDef; *link; link = &(*link)->next) {
            if (g_strcmp0((const char *) (*link)->href, uri) == 0) {
                xmlNsPtr gone = *link;
                *link = gone->next;
                xmlFreeNs(gone);
                break;
            }
        }
        if (xmlNodeDump(buf, doc, copy, 0, 1) >= 0)
            ret = g_strdup((const char *) xmlBufferContent(buf));
        xmlBufferFree(buf);
        xmlFreeNode(copy);
    }
    xmlFreeDoc(doc);
    return ret;
}

/* XML (the client's element) with namespace URI and prefix KEY, as a node
 * of DOC; NULL with libvirt's error. */
static xmlNodePtr
element_parse(xmlDocPtr doc, const char *xml, const char *key, const char *uri)
{
    /* libvirt keeps the client's whitespace as given */
    xmlDocPtr given = vk_xml_parse_string_named(xml, "(metadata_xml)", true);
    xmlNodePtr node;
    xmlNsPtr ns;

    if (!given)
        return NULL;
    node = xmlDocCopyNode(xmlDocGetRootElement(given), doc, 1);
    xmlFreeDoc(given);
    if (!key || xmlValidateNCName(BAD_CAST key, 1) != 0) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR, "%s",
                        "failed to validate prefix for a new XML namespace");
        xmlFreeNode(node);
        return NULL;
    }
    /* fails when the element already declares KEY itself */
    if (!(ns = xmlNewNs(node, BAD_CAST uri, BAD_CAST key))) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR, "%s",
                        "failed to create a new XML namespace");
        xmlFreeNode(node);
        return NULL;
    }
    foreach_element(node, add_ns, ns);
    return node;
}

/* Replace (XML given) or remove (XML NULL) DEF's element of namespace URI. */
static int
element_set(VkDomainDef *def, const char *xml, const char *key, const char *uri)
{
    xmlDocPtr doc = metadata_doc(def);
    xmlNodePtr root, node = NULL, old;
    int rc = -1;

    if (!doc)
        return -1;
    root = xmlDocGetRootElement(doc);
    if (xml && !(node = element_parse(doc, xml, key, uri)))
        goto out;
    while ((old = child_by_ns(root, uri))) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    if (node)
        xmlAddChild(root, node);
    g_clear_pointer(&def->metadata, g_free);
    /* an empty <metadata> is not shown, as libvirt's */
    if (xmlFirstElementChild(root))
        def->metadata = vk_domain_xml_metadata(doc, root);
    rc = 0;
out:
    xmlFreeDoc(doc);
    return rc;
}

/* Set TEXT (NULL or "" removes) as *FIELD. */
static void
text_set(char **field, const char *text)
{
    g_free(*field);
    *field = text && *text ? g_strdup(text) : NULL;
}

static int
def_set(VkDomainDef *def, const remote_domain_set_metadata_args *args)
{
    const char *text = args->metadata ? *args->metadata : NULL;

    switch (args->type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        text_set(&def->description, text);
        return 0;
    case VIR_DOMAIN_METADATA_TITLE:
        text_set(&def->title, text);
        return 0;
    case VIR_DOMAIN_METADATA_ELEMENT:
        return element_set(def, text, args->key ? *args->key : NULL, *args->uri);
    default:
        return unknown_type(args->type);
    }
}

/* What the client library checks too; checked again for other clients,
 * since a bad value would break the saved definition. */
static int
check_set_args(const remote_domain_set_metadata_args *args)
{
    const char *text = args->metadata ? *args->metadata : NULL;

    if (args->type == VIR_DOMAIN_METADATA_TITLE && text && strchr(text, '\n'))
        return vk_invalid_arg(VIR_FROM_DOMAIN, "metadata title can't contain newlines");
    if (args->type == VIR_DOMAIN_METADATA_ELEMENT && !args->uri)
        return vk_invalid_arg(VIR_FROM_DOMAIN, "uri in virDomainSetMetadata must not be NULL");
    return 0;
}

static int
domain_set_metadata(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_metadata_args *args = argsp;
    VkDomainObj *obj;
    VkDomainChange ch;
    int rc = -1;

    if (check_set_args(args) < 0 || !(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    if (vk_qemu_change_begin(&ch, obj, args->flags, 0, "qemuDomainSetMetadata") < 0)
        goto out;
    if ((ch.live && def_set(ch.live, args) < 0) || (ch.config && def_set(ch.config, args) < 0))
        goto out;
    if ((rc = vk_qemu_change_commit(&ch)) == 0)
        vk_qemu_event_metadata_change(vk_qemu_driver()->events, obj->def->name, obj->def->uuid,
                                      obj->def->id, args->type, args->uri ? *args->uri : NULL);
out:
    vk_qemu_change_end(&ch);
    return vk_qemu_domain_end(obj, rc);
}

static int
domain_get_metadata(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_metadata_args *args = argsp;
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&args->dom);
    g_autofree char *value = NULL;
    VkDomainDef *def;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    def = vk_qemu_one_def(obj, args->flags, 0, "qemuDomainGetMetadata");
    if (def && args->type == VIR_DOMAIN_METADATA_DESCRIPTION)
        value = g_strdup(def->description);
    else if (def && args->type == VIR_DOMAIN_METADATA_TITLE)
        value = g_strdup(def->title);
    else if (def && args->type == VIR_DOMAIN_METADATA_ELEMENT && args->uri &&
             g_strcmp0(*args->uri, VK_DOMAIN_PCI_GIVEN_NS) == 0)
        /* ours, kept out of the XML: what the user gave of the PCI topology */
        value = def->pci_given ? vk_domain_pci_given_format(def->pci_given, NULL, 0) : NULL;
    else if (def && args->type == VIR_DOMAIN_METADATA_ELEMENT)
        value = element_get(def, args->uri ? *args->uri : NULL);
    vk_domain_obj_unlock(obj);

    if (!def)
        return -1;
    if (args->type < VIR_DOMAIN_METADATA_DESCRIPTION || args->type > VIR_DOMAIN_METADATA_ELEMENT)
        return unknown_type(args->type);
    if (!value)
        return not_present();
    ((remote_domain_get_metadata_ret *) retp)->metadata = strdup(value);
    return 0;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_GET_METADATA, domain_get_metadata },
    { REMOTE_PROC_DOMAIN_SET_METADATA, domain_set_metadata },
};

/* Reading takes the domain's lock for a moment only: fine on the main loop. */
static const int inline_procs[] = {
    REMOTE_PROC_DOMAIN_GET_METADATA,
};

void
vk_qemu_metadata_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
    vk_rpc_program_set_inline(remote, inline_procs, G_N_ELEMENTS(inline_procs));
}
