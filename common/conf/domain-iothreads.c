#include "common/conf/domain-iothreads.h"

#include "common/conf/xml-read.h"
#include "common/util/error.h"
#include "virtkit/virtkit.h"

#define ERR(code, ...) vk_error_report(VIR_FROM_DOMAIN, code, __VA_ARGS__)

static GArray *
ids_of(VkDomainDef *def)
{
    if (!def->iothread_ids)
        def->iothread_ids = g_array_new(FALSE, TRUE, sizeof(VkDomainIothreadDef));
    return def->iothread_ids;
}

VkDomainIothreadDef *
vk_domain_iothread_find(const VkDomainDef *def, unsigned int id)
{
    for (guint i = 0; def->iothread_ids && i < def->iothread_ids->len; i++) {
        VkDomainIothreadDef *t = &g_array_index(def->iothread_ids, VkDomainIothreadDef, i);
        if (t->id == id)
            return t;
    }
    return NULL;
}

static VkDomainIothreadDef *
append(VkDomainDef *def, unsigned int id, bool autofill)
{
    VkDomainIothreadDef t = { id, autofill, -1, -1 };
    GArray *ids = ids_of(def);

    g_array_append_val(ids, t);
    def->iothreads = ids->len;
    return &g_array_index(ids, VkDomainIothreadDef, ids->len - 1);
}

void
vk_domain_iothread_add(VkDomainDef *def, unsigned int id)
{
    append(def, id, false);
}

void
vk_domain_iothread_del(VkDomainDef *def, unsigned int id)
{
    for (guint i = 0; def->iothread_ids && i < def->iothread_ids->len; i++) {
        if (g_array_index(def->iothread_ids, VkDomainIothreadDef, i).id == id) {
            g_array_remove_index(def->iothread_ids, i);
            def->iothreads = def->iothread_ids->len;
            return;
        }
    }
}

const char *
vk_domain_iothread_user(const VkDomainDef *def, unsigned int id)
{
    for (guint i = 0; i < def->disks->len; i++) {
        const VkDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        if (disk->driver_iothread == id)
            return disk->target_dev;
    }
    return NULL;
}

bool
vk_domain_iothreads_format_ids(const VkDomainDef *def)
{
    for (guint i = 0; def->iothread_ids && i < def->iothread_ids->len; i++) {
        if (!g_array_index(def->iothread_ids, VkDomainIothreadDef, i).autofill)
            return true;
    }
    return false;
}

static int
parse_one(xmlNodePtr node, VkDomainDef *def)
{
    unsigned int id = 0;
    VkDomainIothreadDef *t;
    int rc = vk_xml_attr_uint(node, "id", 10, &id);

    if (rc < 0)
        return -1;
    if (rc == 0 || id == 0) {
        vk_error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "%s",
                        rc == 0 ? "Missing required attribute 'id' in element 'iothread'"
                                : "Invalid value for attribute 'id' in element 'iothread': "
                                  "Zero is not permitted");
        return -1;
    }
    if (vk_domain_iothread_find(def, id)) {
        ERR(VIR_ERR_XML_ERROR, "duplicate iothread id '%u' found", id);
        return -1;
    }
    t = append(def, id, false);
    if (vk_xml_attr_int(node, "thread_pool_min", &t->thread_pool_min) < 0 ||
        vk_xml_attr_int(node, "thread_pool_max", &t->thread_pool_max) < 0)
        return -1;
    return 0;
}

/* <iothreads>N with fewer ids given: the missing ones, lowest free first. */
static void
autofill(VkDomainDef *def, unsigned int wanted)
{
    for (unsigned int id = 1; def->iothread_ids->len < wanted; id++) {
        if (!vk_domain_iothread_find(def, id))
            append(def, id, true);
    }
}

int
vk_domain_iothreads_parse(xmlNodePtr root, VkDomainDef *def)
{
    unsigned int wanted = 0;
    xmlNodePtr n;

    if ((n = vk_xml_child(root, "iothreads"))) {
        g_autofree char *txt = vk_xml_text(n);
        g_strstrip(txt);
        if (vk_xml_parse_uint(txt, 10, &wanted) < 0) {
            ERR(VIR_ERR_XML_ERROR, "invalid iothreads count '%s'", txt);
            return -1;
        }
    }
    ids_of(def);
    if ((n = vk_xml_child(root, "iothreadids"))) {
        for (xmlNodePtr c = n->children; c; c = c->next) {
            if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "iothread") &&
                parse_one(c, def) < 0)
                return -1;
        }
    }
    autofill(def, wanted);
    def->iothreads = def->iothread_ids->len;
    return 0;
}
