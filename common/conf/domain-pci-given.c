#include "common/conf/domain-pci-given.h"

#include <string.h>

#include "common/conf/domain-pci-assign.h"
#include "common/conf/domain-xml.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

VkDomainPciGiven *
vk_domain_pci_given_new(void)
{
    VkDomainPciGiven *given = g_new0(VkDomainPciGiven, 1);

    given->devices = g_array_new(FALSE, TRUE, sizeof(VkDomainPciGivenDevice));
    given->controllers = g_array_new(FALSE, TRUE, sizeof(VkDomainPciGivenController));
    return given;
}

void
vk_domain_pci_given_free(VkDomainPciGiven *given)
{
    if (!given)
        return;
    g_array_unref(given->devices);
    g_array_unref(given->controllers);
    g_free(given);
}

static bool
is_pci_controller(VkDomainDeviceKind kind, const void *device)
{
    return kind == VK_DEVICE_CONTROLLER &&
           ((const VkDomainControllerDef *) device)->type == VK_CONTROLLER_PCI;
}

/* An address given: one all zero but the function asks for assignment. */
static bool
address_given(const VkDeviceInfo *info)
{
    return info->addr.type == VK_DEVICE_ADDRESS_PCI && !vk_pci_address_is_empty(&info->addr.pci);
}

static void
add_device(VkDomainPciGiven *given, const VkPciAddress *addr, const VkPciAddress *at)
{
    VkDomainPciGivenDevice d = { .address = *addr, .at = *at };

    if (!vk_domain_pci_given_device(given, at))
        g_array_append_val(given->devices, d);
}

/* While assignment runs: the record, and the device infos of its devices. */
typedef struct {
    VkDomainPciGiven *given;
    GPtrArray *infos;
} Recording;

static int
record_device(VkDomainDef *def, VkDomainDeviceKind kind, void *device, VkDeviceInfo *info,
              void *opaque)
{
    Recording *rec = opaque;

    if (is_pci_controller(kind, device)) {
        const VkDomainControllerDef *c = device;
        VkDomainPciGivenController g = {
            .index = (unsigned int) MAX(c->index, 0), .model = c->pci_model,
            .has_address = address_given(info),
        };
        if (g.has_address)
            g.address = info->addr.pci;
        g_array_append_val(rec->given->controllers, g);
    } else if (address_given(info)) {
        VkDomainPciGivenDevice d = { .address = info->addr.pci };
        g_array_append_val(rec->given->devices, d);
        g_ptr_array_add(rec->infos, info);
    }
    return 0;
}

int
vk_domain_pci_given_assign(VkDomainDef *def, const char *host_root)
{
    g_autoptr(GPtrArray) infos = g_ptr_array_new();
    Recording rec = { vk_domain_pci_given_new(), infos };

    vk_domain_def_foreach_device(def, record_device, &rec);
    vk_domain_pci_given_free(def->pci_given);
    def->pci_given = rec.given;
    if (vk_domain_pci_assign(def, host_root) < 0)
        return -1;
    /* where each one ended */
    for (guint i = 0; i < infos->len; i++) {
        const VkDeviceInfo *info = g_ptr_array_index(infos, i);
        g_array_index(rec.given->devices, VkDomainPciGivenDevice, i).at = info->addr.pci;
    }
    return 0;
}

void
vk_domain_pci_given_add_device(VkDomainDef *def, const VkDeviceInfo *info)
{
    if (!def->pci_given || !address_given(info))
        return;
    add_device(def->pci_given, &info->addr.pci, &info->addr.pci);
}

void
vk_domain_pci_given_forget_device(VkDomainDef *def, const VkDeviceInfo *info)
{
    GArray *devices = def->pci_given ? def->pci_given->devices : NULL;

    for (guint i = devices && vk_device_info_pci_present(info) ? devices->len : 0; i-- > 0;) {
        if (vk_pci_address_equal(&g_array_index(devices, VkDomainPciGivenDevice, i).at,
                                 &info->addr.pci))
            g_array_remove_index(devices, i);
    }
}

const VkPciAddress *
vk_domain_pci_given_device(const VkDomainPciGiven *given, const VkPciAddress *at)
{
    for (guint i = 0; given && i < given->devices->len; i++) {
        const VkDomainPciGivenDevice *d = &g_array_index(given->devices, VkDomainPciGivenDevice, i);
        if (vk_pci_address_equal(&d->at, at))
            return &d->address;
    }
    return NULL;
}

const VkDomainPciGivenController *
vk_domain_pci_given_controller(const VkDomainPciGiven *given, unsigned int index,
                               VkPciControllerModel model)
{
    for (guint i = 0; given && i < given->controllers->len; i++) {
        const VkDomainPciGivenController *g =
            &g_array_index(given->controllers, VkDomainPciGivenController, i);
        if (g->index == index && g->model == model)
            return g;
    }
    return NULL;
}

/* ---- a redefine ------------------------------------------------------------ */

/* PREVIOUS's items with who chose them: its PCI items' infos to their
 * VkPciOrigin, and its PCI controllers. */
typedef struct {
    GHashTable *origins;
    VkDomainDef *def;
} Previous;

/* The origin of PREVIOUS's device (not a PCI controller) at ADDR; 0: none. */
static int
previous_device_origin(const Previous *prev, const VkPciAddress *addr)
{
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init(&iter, prev->origins);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const VkDeviceInfo *info = key;
        bool controller = false;

        for (guint i = 0; i < prev->def->controllers->len && !controller; i++) {
            const VkDomainControllerDef *c = g_ptr_array_index(prev->def->controllers, i);
            controller = &c->info == info && c->type == VK_CONTROLLER_PCI;
        }
        if (!controller && vk_device_info_pci_present(info) &&
            vk_pci_address_equal(&info->addr.pci, addr))
            return GPOINTER_TO_INT(value);
    }
    return 0;
}

/* PREVIOUS's PCI controller of INDEX and MODEL, NULL when none. */
static const VkDomainControllerDef *
previous_controller(const Previous *prev, unsigned int index, VkPciControllerModel model)
{
    for (guint i = 0; i < prev->def->controllers->len; i++) {
        const VkDomainControllerDef *c = g_ptr_array_index(prev->def->controllers, i);
        if (c->type == VK_CONTROLLER_PCI && c->index == (int) index && c->pci_model == model)
            return c;
    }
    return NULL;
}

/* A controller given again: unchanged, it keeps its provenance (false:
 * it was added, and is again not the user's). */
static bool
carry_controller(const Previous *prev, VkDomainPciGivenController *g)
{
    const VkDomainControllerDef *was = previous_controller(prev, g->index, g->model);
    int origin;
    bool same_place;

    if (!was)
        return true;   /* new, or another model: the user's */
    origin = GPOINTER_TO_INT(g_hash_table_lookup(prev->origins, &was->info));
    same_place = !g->has_address ||
                 (vk_device_info_pci_present(&was->info) &&
                  vk_pci_address_equal(&was->info.addr.pci, &g->address));
    if (!same_place)
        return true;
    if (origin == VK_PCI_ORIGIN_ADDED)
        return false;
    if (origin == VK_PCI_ORIGIN_ASSIGNED)
        g->has_address = false;
    return true;
}

void
vk_domain_pci_given_carry(VkDomainDef *def, VkDomainDef *previous)
{
    VkDomainPciGiven *given = def->pci_given;
    Previous prev = { .def = previous };

    if (!given || !previous)
        return;
    prev.origins = vk_domain_pci_origins(previous);
    for (guint i = given->devices->len; i-- > 0;) {
        VkDomainPciGivenDevice *d = &g_array_index(given->devices, VkDomainPciGivenDevice, i);
        const VkPciAddress *was = vk_domain_pci_given_device(previous->pci_given, &d->at);
        if (was)
            d->address = *was;   /* where the user first put it */
        else if (previous_device_origin(&prev, &d->at) == VK_PCI_ORIGIN_ASSIGNED)
            g_array_remove_index(given->devices, i);
    }
    for (guint i = given->controllers->len; i-- > 0;) {
        VkDomainPciGivenController *g = &g_array_index(given->controllers,
                                                       VkDomainPciGivenController, i);
        if (g->index > 0 && !carry_controller(&prev, g))
            g_array_remove_index(given->controllers, i);
    }
    g_hash_table_unref(prev.origins);
}

/* ---- XML ------------------------------------------------------------------- */

/* NAME='0000:00:05.0', and multifunction= as given */
static void
format_address(GString *out, const char *name, const VkPciAddress *addr)
{
    g_autofree char *a = vk_pci_address_format(addr);

    g_string_append_printf(out, " %s='%s'", name, a);
    if (addr->multifunction != VK_TRISTATE_ABSENT)
        g_string_append_printf(out, " %s-multifunction='%s'", name,
                               addr->multifunction == VK_TRISTATE_ON ? "on" : "off");
}

/* The address NAME (with its NAME-multifunction) of N; 0 when absent. */
static int
parse_address(xmlNodePtr n, const char *name, VkPciAddress *addr, bool *present)
{
    g_autofree char *text = vk_xml_prop(n, name);
    g_autofree char *mf_name = g_strdup_printf("%s-multifunction", name);
    g_autofree char *mf = vk_xml_prop(n, mf_name);

    *present = text != NULL;
    if (!text)
        return 0;
    if (vk_pci_address_parse(text, addr) < 0)
        return -1;
    addr->multifunction = g_strcmp0(mf, "on") == 0 ? VK_TRISTATE_ON :
                          g_strcmp0(mf, "off") == 0 ? VK_TRISTATE_OFF : VK_TRISTATE_ABSENT;
    return 0;
}

char *
vk_domain_pci_given_format(const VkDomainPciGiven *given, const char *prefix, int indent)
{
    GString *out = g_string_new(NULL);
    g_autofree char *p = prefix ? g_strdup_printf("%s:", prefix) : g_strdup("");
    g_autofree char *pad = g_strnfill(indent, ' ');

    g_string_append_printf(out, "%s<%spci-given", pad, p);
    if (prefix)
        g_string_append_printf(out, " xmlns:%s='%s'", prefix, VK_DOMAIN_PCI_GIVEN_NS);
    g_string_append(out, ">\n");
    for (guint i = 0; i < given->devices->len; i++) {
        const VkDomainPciGivenDevice *d = &g_array_index(given->devices, VkDomainPciGivenDevice, i);
        g_string_append_printf(out, "%s  <%sdevice", pad, p);
        format_address(out, "address", &d->address);
        if (!vk_pci_address_equal(&d->at, &d->address))
            format_address(out, "at", &d->at);
        g_string_append(out, "/>\n");
    }
    for (guint i = 0; i < given->controllers->len; i++) {
        const VkDomainPciGivenController *g =
            &g_array_index(given->controllers, VkDomainPciGivenController, i);
        g_string_append_printf(out, "%s  <%scontroller index='%u' model='%s'", pad, p, g->index,
                               vk_pci_controller_model_to_string(g->model));
        if (g->has_address)
            format_address(out, "address", &g->address);
        g_string_append(out, "/>\n");
    }
    g_string_append_printf(out, "%s</%spci-given>", pad, p);
    return g_string_free(out, FALSE);
}

static int
bad_element(const char *what)
{
    vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "invalid %s in pci-given metadata", what);
    return -1;
}

static int
parse_child(VkDomainPciGiven *given, xmlNodePtr n)
{
    g_autofree char *model = vk_xml_prop(n, "model");
    VkDomainPciGivenController g = { 0 };
    bool present, at_present;
    int m;

    if (vk_xml_is_element(n, "device")) {
        VkDomainPciGivenDevice d = { 0 };
        if (parse_address(n, "address", &d.address, &present) < 0 || !present ||
            parse_address(n, "at", &d.at, &at_present) < 0)
            return bad_element("device");
        if (!at_present)
            d.at = d.address;
        add_device(given, &d.address, &d.at);
        return 0;
    }
    if (!vk_xml_is_element(n, "controller"))
        return 0;   /* from a later version: not ours to judge */
    if (vk_xml_attr_uint(n, "index", 10, &g.index) < 0 || !model ||
        (m = vk_pci_controller_model_from_string(model)) < 0)
        return bad_element("controller");
    g.model = m;
    if (parse_address(n, "address", &g.address, &g.has_address) < 0)
        return bad_element("controller address");
    g_array_append_val(given->controllers, g);
    return 0;
}

VkDomainPciGiven *
vk_domain_pci_given_parse_node(xmlNodePtr node)
{
    g_autoptr(VkDomainPciGiven) given = vk_domain_pci_given_new();

    for (xmlNodePtr n = node->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && parse_child(given, n) < 0)
            return NULL;
    }
    return g_steal_pointer(&given);
}

VkDomainPciGiven *
vk_domain_pci_given_parse_string(const char *xml)
{
    xmlDocPtr doc = vk_xml_parse_string_named(xml, "(pci-given)", false);
    VkDomainPciGiven *given;

    if (!doc)
        return NULL;
    given = vk_domain_pci_given_parse_node(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return given;
}

static bool
is_ours(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *) n->ns->href, VK_DOMAIN_PCI_GIVEN_NS) == 0;
}

VkDomainPciGiven *
vk_domain_pci_given_take(xmlNodePtr metadata)
{
    VkDomainPciGiven *given = NULL;
    xmlNodePtr next;

    for (xmlNodePtr n = metadata->children; n; n = next) {
        next = n->next;
        if (!is_ours(n))
            continue;
        /* the last one: ours comes after what a client may have set */
        vk_domain_pci_given_free(given);
        if (!(given = vk_domain_pci_given_parse_node(n)))
            vk_error_reset();
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
    return given;
}

char *
vk_domain_pci_given_metadata(const VkDomainDef *def)
{
    g_autofree char *ours = NULL;
    g_autofree char *before = NULL;
    const char *end;

    if (!def->pci_given)
        return NULL;
    /* as a child of <metadata>, itself indented by 2 in <domain> */
    ours = vk_domain_pci_given_format(def->pci_given, VK_DOMAIN_PCI_GIVEN_PREFIX, 4);
    end = def->metadata ? g_strrstr(def->metadata, "</metadata>") : NULL;
    /* the client's elements first, as they were */
    before = end ? g_strndup(def->metadata, end - def->metadata) : g_strdup("<metadata>");
    return g_strdup_printf("%s\n%s\n  </metadata>", g_strchomp(before), ours);
}
