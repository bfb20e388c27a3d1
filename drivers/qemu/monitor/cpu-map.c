/* libvirt's installed x86 CPU map, read at run time. */
#include "drivers/qemu/monitor/cpu-map.h"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static void
cpu_feature_free(gpointer p)
{
    VkCpuMapFeature *f = p;
    g_free(f->name);
    g_free(f);
}

static void
cpu_model_def_free(gpointer p)
{
    VkCpuMapModel *m = p;
    g_free(m->name);
    g_free(m->vendor);
    g_array_unref(m->signatures);
    g_hash_table_unref(m->features);
    g_free(m);
}

void
vk_cpu_map_free(VkCpuMap *map)
{
    if (!map)
        return;
    g_ptr_array_unref(map->features);
    g_ptr_array_unref(map->models);
    g_free(map);
}

static char *
xml_prop(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *out = v ? g_strdup((const char *)v) : NULL;
    xmlFree(v);
    return out;
}

static guint64
xml_prop_uint(xmlNode *n, const char *name)
{
    g_autofree char *v = xml_prop(n, name);
    return v ? g_ascii_strtoull(v, NULL, 0) : 0;
}

static gboolean
xml_is(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

static xmlDoc *
cpu_map_open(const char *dir, const char *file)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    return xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static void
cpu_map_add_features(VkCpuMap *map, xmlNode *root)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        if (!xml_is(n, "feature"))
            continue;
        /* Features read from MSRs have no CPUID bits: the host CPU is not
         * checked for them, but QEMU may report them. */
        VkCpuMapFeature *f = g_new0(VkCpuMapFeature, 1);
        f->name = xml_prop(n, "name");
        g_autofree char *migratable = xml_prop(n, "migratable");
        f->migratable = g_strcmp0(migratable, "no") != 0;
        for (xmlNode *c = n->children; c; c = c->next) {
            if (!xml_is(c, "cpuid"))
                continue;
            f->leaf = xml_prop_uint(c, "eax_in");
            f->subleaf = xml_prop_uint(c, "ecx_in");
            f->regs[0] = xml_prop_uint(c, "eax");
            f->regs[1] = xml_prop_uint(c, "ebx");
            f->regs[2] = xml_prop_uint(c, "ecx");
            f->regs[3] = xml_prop_uint(c, "edx");
            break;
        }
        if (f->name)
            g_ptr_array_add(map->features, f);
        else
            cpu_feature_free(f);
    }
}

VkCpuMapModel *
vk_cpu_map_find_model(const VkCpuMap *map, const char *name)
{
    for (guint i = 0; i < map->models->len; i++) {
        VkCpuMapModel *m = map->models->pdata[i];
        if (g_str_equal(m->name, name))
            return m;
    }
    return NULL;
}

static void
cpu_map_add_models(VkCpuMap *map, xmlNode *root)
{
    for (xmlNode *n = root->children; n; n = n->next) {
        if (!xml_is(n, "model"))
            continue;
        VkCpuMapModel *m = g_new0(VkCpuMapModel, 1);
        m->name = xml_prop(n, "name");
        m->decode_host = TRUE;
        m->decode_guest = TRUE;
        m->signatures = g_array_new(FALSE, FALSE, sizeof(guint));
        m->features = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (xmlNode *c = n->children; c; c = c->next) {
            if (xml_is(c, "decode")) {
                g_autofree char *h = xml_prop(c, "host");
                g_autofree char *g = xml_prop(c, "guest");
                m->decode_host = g_strcmp0(h, "off") != 0;
                m->decode_guest = g_strcmp0(g, "off") != 0;
            } else if (xml_is(c, "signature")) {
                guint fam = xml_prop_uint(c, "family"), mod = xml_prop_uint(c, "model");
                g_array_append_val(m->signatures, fam);
                g_array_append_val(m->signatures, mod);
            } else if (xml_is(c, "vendor")) {
                g_free(m->vendor);
                m->vendor = xml_prop(c, "name");
            } else if (xml_is(c, "feature")) {
                g_hash_table_add(m->features, xml_prop(c, "name"));
            } else if (xml_is(c, "model")) {
                /* A model may start from another one's definition. */
                g_autofree char *parent = xml_prop(c, "name");
                VkCpuMapModel *p = parent ? vk_cpu_map_find_model(map, parent) : NULL;
                if (p) {
                    GHashTableIter it;
                    gpointer key;
                    g_hash_table_iter_init(&it, p->features);
                    while (g_hash_table_iter_next(&it, &key, NULL))
                        g_hash_table_add(m->features, g_strdup(key));
                    if (!m->vendor && p->vendor)
                        m->vendor = g_strdup(p->vendor);
                }
            }
        }
        if (m->name)
            g_ptr_array_add(map->models, m);
        else
            cpu_model_def_free(m);
    }
}

VkCpuMap *
vk_cpu_map_load(const char *dir)
{
    if (!dir)
        dir = VK_CPU_MAP_DIR;
    xmlDoc *index = cpu_map_open(dir, "index.xml");
    if (!index)
        return NULL;
    VkCpuMap *map = g_new0(VkCpuMap, 1);
    map->features = g_ptr_array_new_with_free_func(cpu_feature_free);
    map->models = g_ptr_array_new_with_free_func(cpu_model_def_free);

    for (xmlNode *arch = xmlDocGetRootElement(index)->children; arch; arch = arch->next) {
        g_autofree char *name = xml_is(arch, "arch") ? xml_prop(arch, "name") : NULL;
        if (g_strcmp0(name, "x86") != 0)
            continue;
        for (xmlNode *inc = arch->children; inc; inc = inc->next) {
            g_autofree char *file = xml_is(inc, "include") ? xml_prop(inc, "filename") : NULL;
            if (!file)
                continue;
            xmlDoc *doc = cpu_map_open(dir, file);
            if (!doc) {
                g_info("CPU map file %s/%s unreadable", dir, file);
                continue;
            }
            cpu_map_add_features(map, xmlDocGetRootElement(doc));
            cpu_map_add_models(map, xmlDocGetRootElement(doc));
            xmlFreeDoc(doc);
        }
    }
    xmlFreeDoc(index);
    return map;
}


gboolean
vk_cpu_map_qemu_has(GHashTable *qemu, const char *name)
{
    if (g_str_equal(name, "pclmuldq"))
        name = "pclmulqdq";
    if (g_hash_table_contains(qemu, name))
        return TRUE;
    g_autofree char *dashed = g_strdelimit(g_strdup(name), "_.", '-');
    g_autofree char *underscored = g_strdelimit(g_strdup(name), "-.", '_');
    return g_hash_table_contains(qemu, dashed) || g_hash_table_contains(qemu, underscored);
}

const VkCpuMapFeature *
vk_cpu_map_find_feature(const VkCpuMap *map, const char *name)
{
    for (guint i = 0; i < map->features->len; i++) {
        const VkCpuMapFeature *f = map->features->pdata[i];
        if (g_str_equal(f->name, name))
            return f;
    }
    return NULL;
}
