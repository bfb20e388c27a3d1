/* A running guest's cgroups (see domain-cgroup.h). */
#include "drivers/qemu/core/domain-cgroup.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/conf/domain-tune.h"
#include "common/util/error.h"
#include "drivers/qemu/core/cpu-affinity.h"
#include "drivers/qemu/core/domain-tunables.h"
#include "drivers/qemu/core/process.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/monitor/command-line.h"

#define DEFAULT_PARTITION "/machine"

VkCgroupLayout *
vk_qemu_cgroup_layout_new(const VkPaths *paths)
{
    g_autofree char *root = vk_paths_prefix(paths, "/sys/fs/cgroup");

    if (geteuid() != 0 || paths->session)
        return vk_cgroup_layout_read(root, "/nonexistent");   /* no controllers */
    return vk_cgroup_layout_read(root, "/proc/self/mountinfo");
}

static bool
layout_usable(const VkCgroupLayout *layout)
{
    for (int c = 0; c < VK_CGROUP_N; c++) {
        if (vk_cgroup_layout_has(layout, c))
            return true;
    }
    return false;
}

/* The <partition> of DEF's <resource>, or NULL. */
static char *
defined_partition(const VkDomainDef *def)
{
    static const VkDomainTuneKey key = { "resource", "partition" };

    return vk_domain_tune_get(def, &key, NULL);
}

/* The partition's directory as libvirt names it: every level gets
 * ".partition" unless it has a dot already, except a top /machine, /system
 * or /user; a level starting with '_' or '.' gets a '_' before it. */
static char *
partition_dir(const char *partition)
{
    static const char *const top[] = { "machine", "system", "user", NULL };
    g_auto(GStrv) levels = g_strsplit(partition, "/", -1);
    GString *out = g_string_new(NULL);
    bool first = true;

    for (guint i = 0; levels[i]; i++) {
        const char *l = levels[i];

        if (!*l)
            continue;
        g_string_append_c(out, '/');
        if (*l == '_' || *l == '.')
            g_string_append_c(out, '_');
        g_string_append(out, l);
        if (!strchr(l, '.') && !(first && g_strv_contains(top, l)))
            g_string_append(out, ".partition");
        first = false;
    }
    return g_string_free(out, FALSE);
}

/* The guest's partition directory, and whether it is libvirt's default
 * one (which it makes; the others must be there). */
static char *
guest_partition(const VkDomainDef *def, bool *is_default)
{
    g_autofree char *partition = defined_partition(def);

    *is_default = !partition || g_str_equal(partition, DEFAULT_PARTITION);
    return partition_dir(partition ? partition : DEFAULT_PARTITION);
}

/* libvirt's machine name keeps only host name characters of the name. */
static char *
group_path(const VkDomainDef *def)
{
    g_autofree char *dir = vk_qemu_domain_dir_name(def->id, def->name);
    bool is_default;
    g_autofree char *partition = guest_partition(def, &is_default);
    GString *name = g_string_new(NULL);

    for (const char *p = dir + strlen("domain-"); *p; p++) {
        if (g_ascii_isalnum(*p) || *p == '-')
            g_string_append_c(name, *p);
    }
    g_autofree char *leaf = g_string_free(name, FALSE);
    return g_strdup_printf("%s/qemu-%s.libvirt-qemu", partition, leaf);
}

/* A partition other than /machine must be there already, as in libvirt. */
static int
check_partition(const VkCgroupLayout *layout, const VkDomainDef *def)
{
    bool is_default;
    g_autofree char *partition = guest_partition(def, &is_default);
    g_autoptr(VkCgroup) cg = vk_cgroup_new(layout, partition);

    return is_default ? 0 : vk_cgroup_require(cg);
}

VkCgroup *
vk_qemu_cgroup_of(VkDomainObj *obj)
{
    const VkCgroupLayout *layout = vk_qemu_driver()->cgroups;
    g_autofree char *path = NULL;
    g_autoptr(VkCgroup) cg = NULL;

    if (!vk_domain_obj_is_active(obj) || !layout_usable(layout))
        return NULL;
    path = group_path(obj->def);
    cg = vk_cgroup_new(layout, path);
    return vk_cgroup_exists(cg) ? g_steal_pointer(&cg) : NULL;
}

bool
vk_qemu_cgroup_has(VkDomainObj *obj, VkCgroupController controller)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);

    return cg && vk_cgroup_layout_has(cg->layout, controller);
}

VkCgroup *
vk_qemu_cgroup_thread_group(VkDomainObj *obj, const char *kind, int n)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autofree char *name = n >= 0 ? g_strdup_printf("%s%d", kind, n) : g_strdup(kind);

    return cg ? vk_cgroup_child(cg, name) : NULL;
}

/* vcpu2 before vcpu10 */
static gint
name_order(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *) a, *y = *(const char *const *) b;
    size_t nx = strcspn(x, "0123456789"), ny = strcspn(y, "0123456789");
    int c = strncmp(x, y, MIN(nx, ny));

    if (c || nx != ny)
        return c ? c : (int) nx - (int) ny;
    return atoi(x + nx) - atoi(y + ny);
}

GPtrArray *
vk_qemu_cgroup_thread_groups(const VkCgroup *cg, const char *kind)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func((GDestroyNotify) vk_cgroup_free);
    g_autofree char *dir = vk_cgroup_dir(cg, VK_CGROUP_CPU);
    g_autoptr(GDir) d = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    if (!dir)
        dir = vk_cgroup_dir(cg, VK_CGROUP_CPUSET);
    d = dir ? g_dir_open(dir, 0, NULL) : NULL;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        bool match = !kind || g_str_equal(name, kind) ||
                     (g_str_has_prefix(name, kind) && g_ascii_isdigit(name[strlen(kind)]));
        if (match && g_file_test(path, G_FILE_TEST_IS_DIR))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, name_order);
    for (guint i = 0; i < names->len; i++)
        g_ptr_array_add(groups, vk_cgroup_child(cg, g_ptr_array_index(names, i)));
    return groups;
}

/* Thread TID into the child group NAME of CG (made first). */
static int
place_thread(const VkCgroup *cg, const char *name, pid_t tid)
{
    g_autoptr(VkCgroup) child = vk_cgroup_child(cg, name);

    if (vk_cgroup_create(child) < 0)
        return -1;
    return tid > 0 ? vk_cgroup_add_thread(child, tid) : 0;
}

/* Each thread QMP lists in COMMAND's reply into "PREFIX<number>"; their ids
 * into TAKEN. */
static int
place_listed_threads(VkDomainObj *obj, const VkCgroup *cg, const char *command,
                     const char *prefix, GHashTable *taken)
{
    g_autoptr(VkJson) list = NULL;

    if (vk_qemu_process_monitor_query(obj, command, NULL, &list) < 0)
        return -1;
    for (guint i = 0; i < vk_json_array_length(list); i++) {
        VkJson *t = vk_json_array_get(list, i);
        gint64 tid = vk_json_object_get_int(t, "thread-id", 0);
        int n = g_str_equal(prefix, "vcpu") ? (int) vk_json_object_get_int(t, "cpu-index", i)
                                            : vk_qemu_iothread_number(t);
        g_autofree char *name = g_strdup_printf("%s%d", prefix, n);

        if (n < 0 || place_thread(cg, name, (pid_t) tid) < 0)
            return -1;
        g_hash_table_add(taken, GINT_TO_POINTER((int) tid));
    }
    return 0;
}

/* Every other thread of QEMU into "emulator", as libvirt leaves the
 * guest's own group without tasks. */
static int
place_emulator_threads(VkDomainObj *obj, const VkCgroup *cg, GHashTable *taken)
{
    g_autofree char *task_dir = g_strdup_printf("/proc/%d/task", (int) obj->pid);
    g_autoptr(GDir) dir = g_dir_open(task_dir, 0, NULL);
    const char *name;

    if (place_thread(cg, "emulator", 0) < 0)
        return -1;
    while (dir && (name = g_dir_read_name(dir))) {
        pid_t tid = (pid_t) atoi(name);
        if (!g_hash_table_contains(taken, GINT_TO_POINTER((int) tid)) &&
            place_thread(cg, "emulator", tid) < 0)
            return -1;
    }
    return 0;
}

int
vk_qemu_cgroup_sync_vcpus(VkDomainObj *obj)
{
    g_autoptr(VkCgroup) cg = vk_qemu_cgroup_of(obj);
    g_autoptr(GHashTable) taken = g_hash_table_new(NULL, NULL);
    g_autoptr(GPtrArray) groups = NULL;
    g_autoptr(VkJson) cpus = NULL;

    if (!cg)
        return 0;
    if (place_listed_threads(obj, cg, "query-cpus-fast", "vcpu", taken) < 0 ||
        vk_qemu_process_monitor_query(obj, "query-cpus-fast", NULL, &cpus) < 0)
        return -1;
    groups = vk_qemu_cgroup_thread_groups(cg, "vcpu");
    for (guint i = 0; i < groups->len; i++) {
        const VkCgroup *g = g_ptr_array_index(groups, i);
        int n = atoi(strrchr(g->path, '/') + strlen("/vcpu"));
        bool online = false;

        for (guint k = 0; k < vk_json_array_length(cpus) && !online; k++)
            online = vk_json_object_get_int(vk_json_array_get(cpus, k), "cpu-index", -1) == n;
        if (!online && vk_cgroup_remove(g) < 0)
            return -1;
    }
    /* new vCPU groups get the guest's bandwidth and pins */
    return vk_qemu_tunables_apply(obj);
}

/* The live XML names the partition, as libvirt's does. */
static void
note_partition(VkDomainDef *def)
{
    g_autofree char *given = defined_partition(def);
    VkDomainRawElement *r;

    if (given)
        return;
    r = g_new0(VkDomainRawElement, 1);
    r->name = g_strdup("resource");
    r->xml = g_strdup("<resource>\n  <partition>" DEFAULT_PARTITION "</partition>\n</resource>");
    g_ptr_array_add(def->raw, r);
}

int
vk_qemu_cgroup_setup(VkDomainObj *obj)
{
    const VkCgroupLayout *layout = vk_qemu_driver()->cgroups;
    g_autofree char *path = NULL;
    g_autoptr(VkCgroup) cg = NULL;
    g_autoptr(GHashTable) taken = g_hash_table_new(NULL, NULL);

    if (!layout_usable(layout))
        return 0;
    path = group_path(obj->def);
    cg = vk_cgroup_new(layout, path);
    if (check_partition(layout, obj->def) < 0 || vk_cgroup_create(cg) < 0 || vk_cgroup_add_process(cg, obj->pid) < 0 ||
        place_listed_threads(obj, cg, "query-cpus-fast", "vcpu", taken) < 0 ||
        (obj->def->iothreads > 0 &&
         place_listed_threads(obj, cg, "query-iothreads", "iothread", taken) < 0) ||
        place_emulator_threads(obj, cg, taken) < 0)
        return -1;
    note_partition(obj->def);
    return vk_qemu_tunables_apply(obj);
}

void
vk_qemu_cgroup_remove(VkDomainObj *obj)
{
    const VkCgroupLayout *layout = vk_qemu_driver()->cgroups;
    g_autofree char *path = NULL;
    g_autoptr(VkCgroup) cg = NULL;

    if (!layout_usable(layout) || obj->def->id < 0)
        return;
    path = group_path(obj->def);
    cg = vk_cgroup_new(layout, path);
    if (vk_cgroup_remove(cg) < 0) {
        g_warning("%s: %s", obj->def->name, vk_error_last_message());
        vk_error_reset();
    }
}
