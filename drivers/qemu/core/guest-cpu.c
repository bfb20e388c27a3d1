#include "drivers/qemu/core/guest-cpu.h"

#include "common/util/error.h"
#include "common/util/json.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/monitor/cpu-map.h"

/* QEMU's CPUID words of the first vCPU: PROPERTY is feature-words (what the
 * guest has) or filtered-features (what was asked for but the host lacks). */
static VkJson *
cpuid_words(VkDomainObj *obj, const char *property)
{
    g_autoptr(VkJson) cpus = NULL;
    g_autoptr(VkJson) args = vk_json_new_object();
    VkJson *words = NULL;

    if (vk_qemu_process_monitor_query(obj, "query-cpus-fast", NULL, &cpus) < 0 ||
        vk_json_array_length(cpus) == 0)
        return NULL;
    vk_json_object_set_string(args, "path", vk_json_object_get_string(
                                                vk_json_array_get(cpus, 0), "qom-path", ""));
    vk_json_object_set_string(args, "property", property);
    if (vk_qemu_process_monitor_query(obj, "qom-get", args, &words) < 0)
        return NULL;
    return words;
}

/* Whether WORDS have every CPUID bit of feature F. */
static bool
words_have(const VkJson *words, const VkCpuMapFeature *f)
{
    static const char *const regs[] = { "EAX", "EBX", "ECX", "EDX" };

    for (int r = 0; r < 4; r++) {
        bool found = false;
        if (!f->regs[r])
            continue;
        for (guint i = 0; i < vk_json_array_length(words) && !found; i++) {
            const VkJson *w = vk_json_array_get(words, i);
            if (vk_json_object_get_int(w, "cpuid-input-eax", -1) == f->leaf &&
                vk_json_object_get_int(w, "cpuid-input-ecx", 0) == f->subleaf &&
                g_str_equal(vk_json_object_get_string(w, "cpuid-register", ""), regs[r])) {
                guint64 bits = (guint64) vk_json_object_get_int(w, "features", 0);
                if ((bits & f->regs[r]) != f->regs[r])
                    return false;
                found = true;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

static VkDomainCpuFeature *
find_feature(const VkDomainCpuDef *cpu, const char *name)
{
    for (guint i = 0; i < cpu->features->len; i++) {
        VkDomainCpuFeature *f = g_ptr_array_index(cpu->features, i);
        if (g_str_equal(f->name, name))
            return f;
    }
    return NULL;
}

/* Whether the guest was meant to have feature NAME: the model has it or
 * the definition requires it, and the definition does not take it away. */
static bool
meant_to_have(const VkDomainCpuDef *cpu, const VkCpuMapModel *model, const char *name)
{
    const VkDomainCpuFeature *f = find_feature(cpu, name);

    if (f && (f->policy == VK_CPU_POLICY_DISABLE || f->policy == VK_CPU_POLICY_FORBID))
        return false;
    return (f && (f->policy == VK_CPU_POLICY_REQUIRE || f->policy == VK_CPU_POLICY_FORCE)) ||
           g_hash_table_contains(model->features, name);
}

/* NAME with POLICY: the definition's entry changed, or a new one at the end. */
static void
set_policy(VkDomainCpuDef *cpu, const char *name, VkCpuFeaturePolicy policy)
{
    VkDomainCpuFeature *f = find_feature(cpu, name);

    if (!f) {
        f = g_new0(VkDomainCpuFeature, 1);
        f->name = g_strdup(name);
        g_ptr_array_add(cpu->features, f);
    }
    f->policy = policy;
}

/* libvirt's x86UpdateLive: every feature of the map, in its order, that
 * QEMU enabled beyond the model is required, every one it left out of it
 * (or filtered) is disabled. */
static void
apply_words(VkDomainCpuDef *cpu, const VkCpuMap *map, const VkCpuMapModel *model,
            const VkJson *enabled, const VkJson *filtered)
{
    for (guint i = 0; i < map->features->len; i++) {
        const VkCpuMapFeature *f = g_ptr_array_index(map->features, i);
        bool meant, has;

        if (!(f->regs[0] | f->regs[1] | f->regs[2] | f->regs[3]))
            continue;   /* an MSR feature: CPUID words say nothing of it */
        meant = meant_to_have(cpu, model, f->name);
        has = words_have(enabled, f);

        if (has && !meant)
            set_policy(cpu, f->name, VK_CPU_POLICY_REQUIRE);
        else if ((filtered && words_have(filtered, f)) || (meant && !has))
            set_policy(cpu, f->name, VK_CPU_POLICY_DISABLE);
    }
    cpu->check = VK_CPU_CHECK_FULL;
}

void
vk_qemu_guest_cpu_update(VkDomainObj *obj)
{
    VkDomainCpuDef *cpu = obj->def->cpu;
    const VkCpuMap *map;
    const VkCpuMapModel *model;
    g_autoptr(VkJson) enabled = NULL;
    g_autoptr(VkJson) filtered = NULL;

    if (!cpu || cpu->mode != VK_CPU_MODE_CUSTOM || !cpu->model ||
        obj->def->virt_type != VK_VIRT_KVM)
        return;
    /* the model is all the guest gets: libvirt says so from the start */
    if (cpu->model_fallback != VK_CPU_FALLBACK_ABSENT)
        cpu->model_fallback = VK_CPU_FALLBACK_FORBID;
    vk_domain_cpu_def_free(obj->def->cpu_migratable);
    obj->def->cpu_migratable = vk_domain_cpu_def_copy(cpu);
    if (!(map = vk_qemu_driver_get_cpu_map(vk_qemu_driver())) ||
        !(model = vk_cpu_map_find_model(map, cpu->model)) ||
        !(enabled = cpuid_words(obj, "feature-words"))) {
        g_warning("%s: the live CPU stays as defined: %s", obj->def->name,
                  vk_error_last_message());
        vk_error_reset();
        return;
    }
    filtered = cpuid_words(obj, "filtered-features");
    vk_error_reset();
    apply_words(cpu, map, model, enabled, filtered);
}
