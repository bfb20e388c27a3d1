/* One cgroup across the hierarchies of a layout (see cgroup.h). */
#include "common/host/cgroup.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "common/util/error.h"
#include "virtkit/virtkit.h"

/* How long a group whose last task is exiting may stay busy */
#define REMOVE_RETRIES 50
#define REMOVE_RETRY_US (20 * 1000)

VkCgroup *
vk_cgroup_new(const VkCgroupLayout *layout, const char *path)
{
    VkCgroup *cg = g_new0(VkCgroup, 1);

    cg->layout = layout;
    cg->path = g_strdup(path);
    return cg;
}

VkCgroup *
vk_cgroup_child(const VkCgroup *parent, const char *name)
{
    g_autofree char *path = g_build_filename(parent->path, name, NULL);
    VkCgroup *child = vk_cgroup_new(parent->layout, path);

    child->threads = true;
    return child;
}

void
vk_cgroup_free(VkCgroup *cg)
{
    if (!cg)
        return;
    g_free(cg->path);
    g_free(cg);
}

char *
vk_cgroup_dir(const VkCgroup *cg, VkCgroupController controller)
{
    if (!vk_cgroup_layout_has(cg->layout, controller))
        return NULL;
    return g_build_filename(cg->layout->mount[controller], cg->path, NULL);
}

static bool
thread_controller(VkCgroupController c)
{
    return c == VK_CGROUP_CPU || c == VK_CGROUP_CPUACCT || c == VK_CGROUP_CPUSET;
}

/* Whether CG lives in the hierarchy serving C */
static bool
serves(const VkCgroup *cg, VkCgroupController c)
{
    return cg->layout->mount[c] && (!cg->threads || thread_controller(c));
}

static void
add_once(GPtrArray *mounts, const char *mount)
{
    for (guint i = 0; i < mounts->len; i++) {
        if (g_str_equal(g_ptr_array_index(mounts, i), mount))
            return;
    }
    g_ptr_array_add(mounts, (gpointer) mount);
}

/* The distinct mounts CG lives in (several v1 controllers may share one,
 * v2 serves several), each once, the v2 one first: libvirt's v2 backend
 * comes first, and its errors name it. */
static GPtrArray *
distinct_mounts(const VkCgroup *cg)
{
    GPtrArray *mounts = g_ptr_array_new();

    for (int c = 0; c < VK_CGROUP_N; c++) {
        if (serves(cg, c) && vk_cgroup_layout_is_v2(cg->layout, c))
            add_once(mounts, cg->layout->unified);
    }
    for (int c = 0; c < VK_CGROUP_N; c++) {
        if (serves(cg, c))
            add_once(mounts, cg->layout->mount[c]);
    }
    return mounts;
}

static int
write_file(const char *dir, const char *file, const char *value)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    FILE *f = fopen(path, "we");
    int err = 0;

    if (!f) {
        err = errno;
    } else {
        if (fputs(value, f) < 0)
            err = errno;
        if (fclose(f) != 0 && !err)
            err = errno;
    }
    if (err == EINVAL) {
        /* the kernel refused the value itself (libvirt says so) */
        vk_error_report_errno(VIR_FROM_CGROUP, err, "Invalid value '%s' for '%s'", value, file);
        return -1;
    }
    if (err) {
        vk_error_report_errno(VIR_FROM_CGROUP, err, "Unable to write to '%s'", path);
        return -1;
    }
    return 0;
}

static char *
read_file(const char *dir, const char *file)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        vk_error_report_errno(VIR_FROM_CGROUP, errno ? errno : EIO,
                              "Unable to read from '%s'", path);
        return NULL;
    }
    return g_strstrip(text);
}

/* A new v1 cpuset group starts with no CPUs and no nodes: its parent's. */
static void
inherit_cpuset(const char *dir)
{
    g_autofree char *parent = g_path_get_dirname(dir);
    static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *mine = read_file(dir, files[i]);
        g_autofree char *theirs = mine && !*mine ? read_file(parent, files[i]) : NULL;

        if (theirs && *theirs)
            write_file(dir, files[i], theirs);
    }
    vk_error_reset();
}

/* On v2, what PARENT's children may use: the controllers it has that the
 * layout takes from v2 ("+cpu +io ..."), written one at a time so one
 * refused does not stop the others. */
static void
enable_v2_controllers(const VkCgroupLayout *layout, const char *parent, bool threaded_only)
{
    g_autofree char *have = read_file(parent, "cgroup.controllers");
    g_auto(GStrv) names = have ? g_strsplit(have, " ", -1) : NULL;

    for (guint i = 0; names && names[i]; i++) {
        const char *n = names[i];
        VkCgroupController c = g_str_equal(n, "io") ? VK_CGROUP_BLKIO
                               : g_str_equal(n, "cpu") ? VK_CGROUP_CPU
                               : g_str_equal(n, "cpuset") ? VK_CGROUP_CPUSET
                               : g_str_equal(n, "memory") ? VK_CGROUP_MEMORY : VK_CGROUP_N;
        g_autofree char *plus = g_strdup_printf("+%s", n);

        if (c == VK_CGROUP_N || !vk_cgroup_layout_is_v2(layout, c) ||
            (threaded_only && c != VK_CGROUP_CPU && c != VK_CGROUP_CPUSET))
            continue;
        write_file(parent, "cgroup.subtree_control", plus);
    }
    vk_error_reset();
}

/* Make PATH below MOUNT, one level at a time. */
static int
create_in(const VkCgroupLayout *layout, const char *mount, const char *path, bool threaded)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    g_autofree char *dir = g_strdup(mount);
    bool v2 = g_strcmp0(mount, layout->unified) == 0;
    bool cpuset_v1 = !v2 && g_strcmp0(mount, layout->mount[VK_CGROUP_CPUSET]) == 0;
    guint last = g_strv_length(parts);

    while (last > 0 && !*parts[last - 1])
        last--;
    for (guint i = 0; i < last; i++) {
        g_autofree char *parent = g_steal_pointer(&dir);
        bool leaf_thread = threaded && i + 1 == last;

        if (!*parts[i]) {
            dir = g_steal_pointer(&parent);
            continue;
        }
        dir = g_build_filename(parent, parts[i], NULL);
        if (v2 && !leaf_thread)
            enable_v2_controllers(layout, parent, false);
        if (g_mkdir(dir, 0755) < 0 && errno != EEXIST) {
            vk_error_report_errno(VIR_FROM_CGROUP, errno, "Failed to create v%d cgroup '%s/'",
                                  v2 ? 2 : 1, dir);
            return -1;
        }
        if (cpuset_v1)
            inherit_cpuset(dir);
        /* a group with a process takes thread groups below it only once
         * they are threaded; then the threaded controllers can pass down */
        if (v2 && leaf_thread) {
            if (write_file(dir, "cgroup.type", "threaded") < 0)
                return -1;
            enable_v2_controllers(layout, parent, true);
        }
    }
    return 0;
}

int
vk_cgroup_create(const VkCgroup *cg)
{
    g_autoptr(GPtrArray) mounts = distinct_mounts(cg);

    for (guint i = 0; i < mounts->len; i++) {
        if (create_in(cg->layout, g_ptr_array_index(mounts, i), cg->path, cg->threads) < 0)
            return -1;
    }
    return 0;
}

int
vk_cgroup_require(const VkCgroup *cg)
{
    g_autoptr(GPtrArray) mounts = distinct_mounts(cg);

    for (guint i = 0; i < mounts->len; i++) {
        const char *m = g_ptr_array_index(mounts, i);
        g_autofree char *dir = g_build_filename(m, cg->path, NULL);

        if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
            vk_error_report_errno(VIR_FROM_CGROUP, ENOENT, "Failed to create v%d cgroup '%s/'",
                                  g_strcmp0(m, cg->layout->unified) == 0 ? 2 : 1, dir);
            return -1;
        }
    }
    return 0;
}

bool
vk_cgroup_exists(const VkCgroup *cg)
{
    g_autoptr(GPtrArray) mounts = distinct_mounts(cg);
    g_autofree char *dir = mounts->len ? g_build_filename(g_ptr_array_index(mounts, 0),
                                                          cg->path, NULL) : NULL;

    return dir && g_file_test(dir, G_FILE_TEST_IS_DIR);
}

/* ID into every hierarchy's FILE_V1 or FILE_V2 of the group. */
static int
add_task(const VkCgroup *cg, pid_t id, const char *file_v1, const char *file_v2)
{
    g_autoptr(GPtrArray) mounts = distinct_mounts(cg);
    g_autofree char *text = g_strdup_printf("%d", (int) id);

    for (guint i = 0; i < mounts->len; i++) {
        const char *m = g_ptr_array_index(mounts, i);
        g_autofree char *dir = g_build_filename(m, cg->path, NULL);
        bool v2 = g_strcmp0(m, cg->layout->unified) == 0;

        if (write_file(dir, v2 ? file_v2 : file_v1, text) < 0)
            return -1;
    }
    return 0;
}

int
vk_cgroup_add_process(const VkCgroup *cg, pid_t pid)
{
    return add_task(cg, pid, "cgroup.procs", "cgroup.procs");
}

int
vk_cgroup_add_thread(const VkCgroup *cg, pid_t tid)
{
    return add_task(cg, tid, "tasks", "cgroup.threads");
}

static int
remove_dir(const char *dir)
{
    for (int i = 0; i < REMOVE_RETRIES; i++) {
        if (g_rmdir(dir) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            break;
        g_usleep(REMOVE_RETRY_US);
    }
    vk_error_report_errno(VIR_FROM_CGROUP, errno, "Unable to remove cgroup '%s'", dir);
    return -1;
}

/* DIR's child groups (vcpuN, emulator...), then DIR itself. */
static int
remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    int rc = 0;

    if (!d)
        return 0;   /* not there: nothing to do */
    while ((name = g_dir_read_name(d))) {
        g_autofree char *child = g_build_filename(dir, name, NULL);
        if (g_file_test(child, G_FILE_TEST_IS_DIR) && remove_tree(child) < 0)
            rc = -1;
    }
    return remove_dir(dir) < 0 ? -1 : rc;
}

int
vk_cgroup_remove(const VkCgroup *cg)
{
    g_autoptr(GPtrArray) mounts = distinct_mounts(cg);
    int rc = 0;

    for (guint i = 0; i < mounts->len; i++) {
        g_autofree char *dir = g_build_filename(g_ptr_array_index(mounts, i), cg->path, NULL);
        if (remove_tree(dir) < 0)
            rc = -1;
    }
    return rc;
}

int
vk_cgroup_set(const VkCgroup *cg, VkCgroupController controller, const char *file,
              const char *value)
{
    g_autofree char *dir = vk_cgroup_dir(cg, controller);

    if (!dir) {
        vk_error_report(VIR_FROM_CGROUP, VIR_ERR_INTERNAL_ERROR,
                        "Controller '%s' is not mounted", vk_cgroup_controller_name(controller));
        return -1;
    }
    return write_file(dir, file, value);
}

char *
vk_cgroup_get(const VkCgroup *cg, VkCgroupController controller, const char *file)
{
    g_autofree char *dir = vk_cgroup_dir(cg, controller);

    if (!dir) {
        vk_error_report(VIR_FROM_CGROUP, VIR_ERR_INTERNAL_ERROR,
                        "Controller '%s' is not mounted", vk_cgroup_controller_name(controller));
        return NULL;
    }
    return read_file(dir, file);
}
