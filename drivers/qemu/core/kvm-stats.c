/* KVM's per-vCPU statistics (see kvm-stats.h). */
#include "drivers/qemu/core/kvm-stats.h"

#include "common/util/error.h"
#include "drivers/qemu/core/process.h"

struct _VkKvmVcpuStats {
    GHashTable *schema;      /* name -> suffix ("sum", "cur", "max", or "bool") */
    GHashTable *by_index;    /* vCPU index -> its "stats" array (VkJson *) */
};

static VkJson *
query(VkDomainObj *obj, const char *command, const char *args)
{
    g_autoptr(VkJson) args_node = args ? vk_json_parse(args, -1) : NULL;
    VkJson *reply = NULL;

    if (vk_qemu_process_monitor_query(obj, command, args_node, &reply) < 0) {
        vk_error_reset();
        return NULL;
    }
    return reply;
}

/* libvirt's suffix of a stat of TYPE ("cumulative" -> sum...); NULL for
 * the histograms, which it leaves out */
static const char *
suffix_of(const VkJson *schema_entry)
{
    const char *type = vk_json_object_get_string(schema_entry, "type", "");

    if (g_strcmp0(vk_json_object_get_string(schema_entry, "unit", NULL), "boolean") == 0)
        return "bool";
    if (g_str_equal(type, "cumulative"))
        return "sum";
    if (g_str_equal(type, "instant"))
        return "cur";
    if (g_str_equal(type, "peak"))
        return "max";
    return NULL;
}

static GHashTable *
read_schema(VkDomainObj *obj)
{
    g_autoptr(VkJson) schemas = query(obj, "query-stats-schemas", "{\"provider\":\"kvm\"}");
    GHashTable *schema = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < vk_json_array_length(schemas); i++) {
        VkJson *provider = vk_json_array_get(schemas, i);
        VkJson *stats = vk_json_object_get_array(provider, "stats");

        if (g_strcmp0(vk_json_object_get_string(provider, "target", "vcpu"), "vcpu") != 0)
            continue;
        for (guint k = 0; k < vk_json_array_length(stats); k++) {
            VkJson *s = vk_json_array_get(stats, k);
            const char *suffix = suffix_of(s);
            if (suffix)
                g_hash_table_insert(schema, g_strdup(vk_json_object_get_string(s, "name", "")),
                                    (gpointer) suffix);
        }
    }
    return schema;
}

/* qom-path -> vCPU index, from query-cpus-fast */
static GHashTable *
vcpu_indexes(VkDomainObj *obj)
{
    g_autoptr(VkJson) cpus = query(obj, "query-cpus-fast", NULL);
    GHashTable *indexes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < vk_json_array_length(cpus); i++) {
        VkJson *cpu = vk_json_array_get(cpus, i);
        g_hash_table_insert(indexes, g_strdup(vk_json_object_get_string(cpu, "qom-path", "")),
                            GINT_TO_POINTER((int) vk_json_object_get_int(cpu, "cpu-index", i)));
    }
    return indexes;
}

VkKvmVcpuStats *
vk_qemu_kvm_vcpu_stats(VkDomainObj *obj)
{
    g_autoptr(VkJson) list = query(obj, "query-stats", "{\"target\":\"vcpu\",\"providers\":[{\"provider\":\"kvm\"}]}");
    g_autoptr(GHashTable) indexes = NULL;
    VkKvmVcpuStats *stats;

    if (!list)
        return NULL;
    indexes = vcpu_indexes(obj);
    stats = g_new0(VkKvmVcpuStats, 1);
    stats->schema = read_schema(obj);
    stats->by_index = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify) vk_json_free);
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *entry = vk_json_array_get(list, i);
        gpointer index;

        if (g_hash_table_lookup_extended(indexes, vk_json_object_get_string(entry, "qom-path", ""),
                                         NULL, &index))
            g_hash_table_insert(stats->by_index, index,
                                vk_json_copy(vk_json_object_get_array(entry, "stats")));
    }
    return stats;
}

void
vk_qemu_kvm_vcpu_stats_free(VkKvmVcpuStats *stats)
{
    if (!stats)
        return;
    g_hash_table_unref(stats->schema);
    g_hash_table_unref(stats->by_index);
    g_free(stats);
}

void
vk_qemu_kvm_vcpu_stats_add(const VkKvmVcpuStats *stats, int index, VkTypedParams *params)
{
    VkJson *list = stats ? g_hash_table_lookup(stats->by_index, GINT_TO_POINTER(index)) : NULL;

    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *s = vk_json_array_get(list, i);
        const char *name = vk_json_object_get_string(s, "name", "");
        const char *suffix = g_hash_table_lookup(stats->schema, name);
        VkJson *value = vk_json_object_get(s, "value");

        if (!suffix || vk_json_is_array(value))
            continue;
        if (g_str_equal(suffix, "bool"))
            vk_typed_params_add_bool(params, vk_json_get_bool(value, FALSE), "vcpu.%d.%s.cur",
                                     index, name);
        else
            vk_typed_params_add_ullong(params, vk_json_get_uint64(value, 0), "vcpu.%d.%s.%s",
                                       index, name, suffix);
    }
}

guint64
vk_qemu_kvm_vcpu_stats_sum(const VkKvmVcpuStats *stats, const char *name)
{
    GHashTableIter iter;
    gpointer list;
    guint64 sum = 0;

    if (!stats)
        return 0;
    g_hash_table_iter_init(&iter, stats->by_index);
    while (g_hash_table_iter_next(&iter, NULL, &list)) {
        for (guint i = 0; i < vk_json_array_length(list); i++) {
            VkJson *s = vk_json_array_get(list, i);
            if (g_str_equal(vk_json_object_get_string(s, "name", ""), name))
                sum += vk_json_get_uint64(vk_json_object_get(s, "value"), 0);
        }
    }
    return sum;
}
