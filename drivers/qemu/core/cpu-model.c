/* CPU comparison and baseline, as libvirt 9.0 answers them. */
#include "drivers/qemu/core/cpu-model.h"

#include <string.h>
#include <libxml/tree.h>

#include "common/conf/domain-xml.h"
#include "common/conf/domain.h"
#include "common/conf/xml-read.h"
#include "common/util/error.h"

#define ERR(code, ...) vk_error_report(VIR_FROM_CPU, code, __VA_ARGS__)

/* One parsed <cpu>: host CPUs (those with <arch>) list features without
 * policies, so every one of them is required. */
typedef struct {
    VkDomainCpuDef *def;
    gboolean host_type;
} Cpu;

static void
cpu_clear(Cpu *c)
{
    g_clear_pointer(&c->def, vk_domain_cpu_def_free);
}

static xmlNodePtr
find_cpu_node(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "cpu"))
            return n;
        xmlNodePtr inner = find_cpu_node(n->children);
        if (inner)
            return inner;
    }
    return NULL;
}

/* Parse the first <cpu> of XML; FORCE_HOST: read it as a host CPU (plain
 * baseline), where mode= is refused as libvirt does. */
static int
cpu_parse(const char *xml, gboolean force_host, Cpu *out)
{
    xmlDocPtr doc = vk_xml_parse_string_named(xml, "(CPU_definition)", false);
    if (!doc)
        return -1;
    int ret = -1;
    xmlNodePtr node = find_cpu_node(xmlDocGetRootElement(doc));
    if (!node) {
        vk_error_report(VIR_FROM_CPU, VIR_ERR_XML_ERROR, "%s",
                        "XML does not contain expected 'cpu' element");
        goto out;
    }
    out->host_type = force_host || vk_xml_child(node, "arch") != NULL;
    if (out->host_type && xmlHasProp(node, BAD_CAST "mode")) {
        ERR(VIR_ERR_CONFIG_UNSUPPORTED, "%s", "Attribute mode is only allowed for guest CPU");
        goto out;
    }
    out->def = vk_domain_cpu_parse(node);
    if (out->def && out->host_type && !out->def->model) {
        ERR(VIR_ERR_XML_ERROR, "%s", "Missing CPU model name");
        g_clear_pointer(&out->def, vk_domain_cpu_def_free);
    }
    ret = out->def ? 0 : -1;
 out:
    xmlFreeDoc(doc);
    return ret;
}

static GHashTable *
name_set(void)
{
    return g_hash_table_new(g_str_hash, g_str_equal);
}

static void
set_add_all(GHashTable *set, GHashTable *from)
{
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, from);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_hash_table_add(set, key);
}

static gboolean
set_is_subset(GHashTable *a, GHashTable *b)
{
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &key, NULL))
        if (!g_hash_table_contains(b, key))
            return FALSE;
    return TRUE;
}

/* The names of SET that PRED keeps, in the CPU map's order, joined by ", ". */
static char *
join_in_map_order(const VkCpuMap *map, GHashTable *set, GHashTable *minus, gboolean in_minus)
{
    g_autoptr(GString) s = g_string_new(NULL);
    for (guint i = 0; i < map->features->len; i++) {
        const char *name = ((VkCpuMapFeature *) map->features->pdata[i])->name;
        if (!g_hash_table_contains(set, name) ||
            (minus && g_hash_table_contains(minus, name) != in_minus))
            continue;
        g_string_append_printf(s, "%s%s", s->len ? ", " : "", name);
    }
    return g_string_free(g_steal_pointer(&s), s->len == 0);
}

/* Every feature CPU stands for (its model's, the required ones, less the
 * disabled ones) into SET; forbidden ones into FORBID (may be NULL). */
static int
cpu_features(const VkCpuMap *map, const Cpu *cpu, GHashTable *set, GHashTable *forbid)
{
    const VkDomainCpuDef *def = cpu->def;
    if (def->model) {
        VkCpuMapModel *m = vk_cpu_map_find_model(map, def->model);
        if (!m) {
            ERR(VIR_ERR_INTERNAL_ERROR, "Unknown CPU model %s", def->model);
            return -1;
        }
        set_add_all(set, m->features);
    }
    for (guint i = 0; i < def->features->len; i++) {
        VkDomainCpuFeature *f = def->features->pdata[i];
        if (cpu->host_type || f->policy == VK_CPU_POLICY_REQUIRE || f->policy == VK_CPU_POLICY_FORCE)
            g_hash_table_add(set, f->name);
    }
    for (guint i = 0; !cpu->host_type && i < def->features->len; i++) {
        VkDomainCpuFeature *f = def->features->pdata[i];
        if (f->policy == VK_CPU_POLICY_DISABLE || f->policy == VK_CPU_POLICY_FORBID)
            g_hash_table_remove(set, f->name);
        if (f->policy == VK_CPU_POLICY_FORBID && forbid)
            g_hash_table_add(forbid, f->name);
    }
    return 0;
}

/* The vendor CPU asks for: its own or its model's. */
static const char *
cpu_vendor(const VkCpuMap *map, const Cpu *cpu)
{
    if (cpu->def->vendor)
        return cpu->def->vendor;
    VkCpuMapModel *m = cpu->def->model ? vk_cpu_map_find_model(map, cpu->def->model) : NULL;
    return m ? m->vendor : NULL;
}

/* The libvirt names of the features in QEMU's set QEMU_NAMES. */
static GHashTable *
from_qemu(const VkCpuMap *map, GHashTable *qemu_names)
{
    GHashTable *set = name_set();
    for (guint i = 0; i < map->features->len; i++) {
        const char *name = ((VkCpuMapFeature *) map->features->pdata[i])->name;
        if (vk_cpu_map_qemu_has(qemu_names, name))
            g_hash_table_add(set, (gpointer) name);
    }
    return set;
}

/* What the guest CPU is compared with: the host's CPU, or QEMU's host model. */
static GHashTable *
host_features(const VkCpuMap *map, const VkHostCaps *host, const VkQemuCaps *qemu)
{
    if (qemu)
        return from_qemu(map, qemu->host_cpu_features);
    GHashTable *set = name_set();
    for (guint i = 0; i < host->host_features->len; i++)
        g_hash_table_add(set, host->host_features->pdata[i]);
    return set;
}

/* Why CPU cannot run on HOST_SET, or NULL when it can. */
static char *
incompatibility(const VkCpuMap *map, const Cpu *cpu, const char *host_vendor,
                GHashTable *want, GHashTable *forbid, GHashTable *host_set)
{
    if (cpu->def->vendor && g_strcmp0(cpu->def->vendor, host_vendor) != 0)
        return g_strdup_printf("host CPU vendor does not match required CPU vendor %s",
                               cpu->def->vendor);
    g_autofree char *forbidden = join_in_map_order(map, forbid, host_set, TRUE);
    if (forbidden)
        return g_strdup_printf("Host CPU provides forbidden features: %s", forbidden);
    g_autofree char *missing = join_in_map_order(map, want, host_set, FALSE);
    if (missing)
        return g_strdup_printf("Host CPU does not provide required features: %s", missing);
    return NULL;
}

/* The answer for CPU, wanting WANT and not FORBID, on a host with HAVE. */
static int
compare_sets(const VkCpuMap *map, const Cpu *cpu, const char *host_vendor, GHashTable *want,
             GHashTable *forbid, GHashTable *have, unsigned int flags)
{
    g_autofree char *why = incompatibility(map, cpu, host_vendor, want, forbid, have);
    if (why && (flags & VK_CPU_COMPARE_FAIL_INCOMPATIBLE)) {
        ERR(VIR_ERR_CPU_INCOMPATIBLE, "the CPU is incompatible with host CPU: %s", why);
        return VK_CPU_COMPARE_ERROR;
    }
    if (why)
        return VK_CPU_COMPARE_INCOMPATIBLE;
    return g_hash_table_size(want) == g_hash_table_size(have)
           ? VK_CPU_COMPARE_IDENTICAL : VK_CPU_COMPARE_SUPERSET;
}

int
vk_cpu_compare(const VkCpuMap *map, const VkHostCaps *host, const VkQemuCaps *qemu,
               const char *xml, unsigned int flags)
{
    Cpu cpu = { 0 };
    if (cpu_parse(xml, FALSE, &cpu) < 0)
        return VK_CPU_COMPARE_ERROR;
    /* host-model and host-passthrough are the host's CPU, or less. */
    if (cpu.def->mode != VK_CPU_MODE_CUSTOM) {
        cpu_clear(&cpu);
        return VK_CPU_COMPARE_SUPERSET;
    }
    g_autoptr(GHashTable) want = name_set();
    g_autoptr(GHashTable) forbid = name_set();
    g_autoptr(GHashTable) have = host_features(map, host, qemu);
    int ret = cpu_features(map, &cpu, want, forbid) < 0 ? VK_CPU_COMPARE_ERROR
              : compare_sets(map, &cpu, host->cpu_vendor, want, forbid, have, flags);
    cpu_clear(&cpu);
    return ret;
}

/* ---- baseline ---- */

/* The features all of XMLS share, and the vendor they name (*VENDOR; a
 * model's vendor counts when they are compared, not in the answer). */
static GHashTable *
common_features(const VkCpuMap *map, const char *const *xmls, guint n, gboolean force_host,
                char **vendor)
{
    g_autoptr(GHashTable) common = NULL;
    g_autofree char *any_vendor = NULL;
    for (guint i = 0; i < n; i++) {
        Cpu cpu = { 0 };
        g_autoptr(GHashTable) set = name_set();
        if (cpu_parse(xmls[i], force_host, &cpu) < 0 || cpu_features(map, &cpu, set, NULL) < 0) {
            cpu_clear(&cpu);
            return NULL;
        }
        const char *v = cpu_vendor(map, &cpu);
        if (v && any_vendor && !g_str_equal(v, any_vendor)) {
            cpu_clear(&cpu);
            vk_error_report(VIR_FROM_CPU, VIR_ERR_OPERATION_FAILED, "%s", "CPU vendors do not match");
            return NULL;
        }
        if (v && !any_vendor)
            any_vendor = g_strdup(v);
        if (cpu.def->vendor && !*vendor)
            *vendor = g_strdup(cpu.def->vendor);
        /* The sets point into the map or into the parsed CPU: keep names. */
        GHashTable *owned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init(&it, set);
        while (g_hash_table_iter_next(&it, &key, NULL))
            if (!common || g_hash_table_contains(common, key))
                g_hash_table_add(owned, g_strdup(key));
        g_clear_pointer(&common, g_hash_table_unref);
        common = owned;
        cpu_clear(&cpu);
    }
    return g_steal_pointer(&common);
}

/* Keep what QEMU knows of, and with MIGRATABLE what survives migration
 * (QEMU's host model with migratable=on, else the map's migratable='no').
 * osxsave and ospke only say what the host's kernel turned on: libvirt
 * never puts them in a computed CPU. */
static void
filter_features(const VkCpuMap *map, const VkQemuCaps *qemu, gboolean migratable, GHashTable *data)
{
    g_hash_table_remove(data, "osxsave");
    g_hash_table_remove(data, "ospke");
    for (guint i = 0; i < map->features->len; i++) {
        const VkCpuMapFeature *f = map->features->pdata[i];
        gboolean drop = FALSE;
        if (qemu && g_hash_table_size(qemu->cpu_feature_names))
            drop = !vk_cpu_map_qemu_has(qemu->cpu_feature_names, f->name);
        if (migratable && qemu)
            drop = drop || (vk_cpu_map_qemu_has(qemu->host_cpu_features, f->name) &&
                            !vk_cpu_map_qemu_has(qemu->host_cpu_migratable, f->name));
        else if (migratable)
            drop = drop || !f->migratable;
        if (drop)
            g_hash_table_remove(data, f->name);
    }
}

static const VkQemuCpuModel *
qemu_model(const VkQemuCaps *qemu, const char *name)
{
    for (guint i = 0; i < qemu->cpu_models->len; i++) {
        const VkQemuCpuModel *c = qemu->cpu_models->pdata[i];
        if (g_str_equal(c->name, name))
            return c;
    }
    return NULL;
}

typedef struct {
    const VkCpuMapModel *model;
    GHashTable *required;     /* data beyond the model */
    GHashTable *disabled;     /* the model's, which QEMU cannot give */
} Candidate;

static void
candidate_clear(Candidate *c)
{
    g_clear_pointer(&c->required, g_hash_table_unref);
    g_clear_pointer(&c->disabled, g_hash_table_unref);
}

/* M as a name for DATA: only when DATA has all of M's features; what it
 * then lists is DATA beyond M plus M's blockers in QEMU. */
static gboolean
candidate_try(const VkCpuMap *map, const VkCpuMapModel *m, const VkQemuCpuModel *qm,
              GHashTable *data, Candidate *out)
{
    if (!set_is_subset(m->features, data))
        return FALSE;
    out->model = m;
    out->required = name_set();
    out->disabled = name_set();
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, data);
    while (g_hash_table_iter_next(&it, &key, NULL))
        if (!g_hash_table_contains(m->features, key))
            g_hash_table_add(out->required, key);
    if (qm && qm->blockers) {
        g_autoptr(GHashTable) blockers = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; qm->blockers[i]; i++)
            g_hash_table_add(blockers, qm->blockers[i]);
        g_autoptr(GHashTable) named = from_qemu(map, blockers);
        g_hash_table_iter_init(&it, named);
        while (g_hash_table_iter_next(&it, &key, NULL))
            if (g_hash_table_contains(m->features, key))
                g_hash_table_add(out->disabled, key);
    }
    return TRUE;
}

/* libvirt's choice: in the map's order, the model that lists fewest
 * features; models not meant to name a guest CPU (cpu64-rhel6), another
 * vendor's and (with QEMU) those QEMU lacks are skipped. */
static int
decode(const VkCpuMap *map, const VkQemuCaps *qemu, GHashTable *data, const char *vendor,
       Candidate *best)
{
    for (guint i = 0; i < map->models->len; i++) {
        const VkCpuMapModel *m = map->models->pdata[i];
        const VkQemuCpuModel *qm = qemu ? qemu_model(qemu, m->name) : NULL;
        Candidate c = { 0 };
        if (!m->decode_guest || (qemu && !qm) ||
            (m->vendor && vendor && !g_str_equal(m->vendor, vendor)) ||
            !candidate_try(map, m, qm, data, &c))
            continue;
        guint listed = g_hash_table_size(c.required) + g_hash_table_size(c.disabled);
        if (!best->model ||
            listed < g_hash_table_size(best->required) + g_hash_table_size(best->disabled)) {
            candidate_clear(best);
            *best = c;
        } else {
            candidate_clear(&c);
        }
    }
    if (!best->model) {
        vk_error_report(VIR_FROM_CPU, VIR_ERR_OPERATION_FAILED, "%s",
                        "Cannot find suitable CPU model for given data");
        return -1;
    }
    return 0;
}

static void
format_feature(GString *s, const char *policy, const char *name)
{
    g_string_append_printf(s, "  <feature policy='%s' name='%s'/>\n", policy, name);
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* --features: all of the model's features too, sorted by name. */
static void
format_expanded(GString *s, const Candidate *c)
{
    g_autoptr(GHashTable) all = name_set();
    set_add_all(all, c->model->features);
    set_add_all(all, c->required);
    guint n = 0;
    g_autofree gpointer *names = g_hash_table_get_keys_as_array(all, &n);
    qsort(names, n, sizeof(gpointer), compare_names);
    for (guint i = 0; i < n; i++)
        format_feature(s, g_hash_table_contains(c->disabled, names[i]) ? "disable" : "require",
                       names[i]);
}

static char *
format_baseline(const VkCpuMap *map, const Candidate *c, const char *vendor, gboolean expand)
{
    GString *s = g_string_new("<cpu mode='custom' match='exact'>\n");
    g_string_append_printf(s, "  <model fallback='forbid'>%s</model>\n", c->model->name);
    if (vendor)
        g_string_append_printf(s, "  <vendor>%s</vendor>\n", vendor);
    if (expand) {
        format_expanded(s, c);
    } else {
        for (guint i = 0; i < map->features->len; i++) {
            const char *name = ((VkCpuMapFeature *) map->features->pdata[i])->name;
            if (g_hash_table_contains(c->required, name))
                format_feature(s, "require", name);
        }
        for (guint i = 0; i < map->features->len; i++) {
            const char *name = ((VkCpuMapFeature *) map->features->pdata[i])->name;
            if (g_hash_table_contains(c->disabled, name))
                format_feature(s, "disable", name);
        }
    }
    g_string_append(s, "</cpu>\n");
    return g_string_free(s, FALSE);
}

char *
vk_cpu_baseline(const VkCpuMap *map, const VkQemuCaps *qemu,
                const char *const *xmls, guint n, unsigned int flags)
{
    g_autofree char *vendor = NULL;
    if (n == 0) {
        vk_error_report(VIR_FROM_CPU, VIR_ERR_INVALID_ARG, "%s", "No CPU definitions specified");
        return NULL;
    }
    /* The plain call reads every CPU as a host CPU; the hypervisor one
     * takes guest CPUs too. */
    g_autoptr(GHashTable) data = common_features(map, xmls, n, qemu == NULL, &vendor);
    if (!data)
        return NULL;
    filter_features(map, qemu, (flags & VK_CPU_BASELINE_MIGRATABLE) != 0, data);
    Candidate best = { 0 };
    if (decode(map, qemu, data, vendor, &best) < 0)
        return NULL;
    char *xml = format_baseline(map, &best, vendor,
                                (flags & VK_CPU_BASELINE_EXPAND_FEATURES) != 0);
    candidate_clear(&best);
    return xml;
}
