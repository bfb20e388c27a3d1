/* Snapshot lists and their metadata files (snapshot-store.h). */
#include "drivers/qemu/core/snapshot-store.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "common/util/error.h"
#include "common/util/file.h"
#include "drivers/qemu/driver.h"

/* What libvirt writes at the top of every file it keeps (virXMLSaveFile). */
#define FILE_WARNING \
    "<!--\n" \
    "WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n" \
    "OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n" \
    "  virsh snapshot-edit\n" \
    "or other application using the libvirt API.\n" \
    "-->\n\n"

#define MAX_FILE_SIZE (16 * 1024 * 1024)

struct _VkSnapshotList {
    char *dir;            /* ROOT/var/lib/libvirt/qemu/snapshot/DOMAIN */
    GHashTable *by_name;  /* name -> VkSnapshotDef (owned) */
};

void
vk_snapshot_list_free(VkSnapshotList *list)
{
    if (!list)
        return;
    g_free(list->dir);
    g_hash_table_destroy(list->by_name);
    g_free(list);
}

static char *
domain_dir(const char *name)
{
    g_autofree char *base =
        vk_paths_prefix(vk_qemu_driver()->paths, "/var/lib/libvirt/qemu/snapshot");

    return g_build_filename(base, name, NULL);
}

static char *
file_path(VkSnapshotList *list, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);

    return g_build_filename(list->dir, file, NULL);
}

/* One metadata file into LIST; a broken one is skipped with a warning,
 * as libvirt does. */
static void
load_file(VkSnapshotList *list, const char *path)
{
    g_autofree char *xml = NULL;
    VkSnapshotDef *def;

    if (vk_file_read_all(path, MAX_FILE_SIZE, &xml, NULL) < 0 ||
        !(def = vk_snapshot_def_parse_string(
              xml, VK_SNAPSHOT_PARSE_REDEFINE | VK_SNAPSHOT_PARSE_INTERNAL))) {
        g_warning("ignoring snapshot metadata '%s': %s", path, vk_error_last_message());
        vk_error_reset();
        return;
    }
    g_hash_table_replace(list->by_name, def->name, def);
}

static VkSnapshotList *
list_load(const char *domain)
{
    VkSnapshotList *list = g_new0(VkSnapshotList, 1);
    g_autoptr(GDir) dir = NULL;
    const char *file;

    list->dir = domain_dir(domain);
    list->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) vk_snapshot_def_free);
    if (!(dir = g_dir_open(list->dir, 0, NULL)))
        return list;   /* no snapshot yet */
    while ((file = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;
        if (!g_str_has_suffix(file, ".xml"))
            continue;
        path = g_build_filename(list->dir, file, NULL);
        load_file(list, path);
    }
    return list;
}

VkSnapshotList *
vk_qemu_snapshots(VkDomainObj *obj)
{
    if (!obj->snapshots)
        obj->snapshots = list_load(obj->def->name);
    return obj->snapshots;
}

int
vk_qemu_snapshots_rename(VkDomainObj *obj, const char *new_name)
{
    g_autofree char *from = domain_dir(obj->def->name);
    g_autofree char *to = domain_dir(new_name);

    g_clear_pointer(&obj->snapshots, vk_snapshot_list_free);
    if (g_rename(from, to) < 0 && errno != ENOENT) {
        vk_error_report_errno(VIR_FROM_QEMU, errno,
                              "cannot rename file '%s' as '%s'", from, to);
        return -1;
    }
    return 0;
}

void
vk_qemu_snapshots_discard(VkDomainObj *obj)
{
    g_autofree char *dir = domain_dir(obj->def->name);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *file;

    g_clear_pointer(&obj->snapshots, vk_snapshot_list_free);
    while (d && (file = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, file, NULL);
        g_unlink(path);
    }
    g_rmdir(dir);
}

guint
vk_snapshot_list_count(VkSnapshotList *list)
{
    return g_hash_table_size(list->by_name);
}

VkSnapshotDef *
vk_snapshot_list_find(VkSnapshotList *list, const char *name)
{
    return g_hash_table_lookup(list->by_name, name);
}

VkSnapshotDef *
vk_snapshot_list_get(VkSnapshotList *list, const char *name)
{
    VkSnapshotDef *def = vk_snapshot_list_find(list, name);

    if (!def)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN_SNAPSHOT,
                        "no domain snapshot with matching name '%s'", name);
    return def;
}

VkSnapshotDef *
vk_snapshot_list_current(VkSnapshotList *list)
{
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, list->by_name);
    while (g_hash_table_iter_next(&it, NULL, &value))
        if (((VkSnapshotDef *) value)->current)
            return value;
    return NULL;
}

/* ---------------------------------------------------------------------
 * The tree
 * ------------------------------------------------------------------- */

static gint
compare_age(gconstpointer a, gconstpointer b)
{
    const VkSnapshotDef *x = *(VkSnapshotDef *const *) a;
    const VkSnapshotDef *y = *(VkSnapshotDef *const *) b;

    if (x->creation_time != y->creation_time)
        return x->creation_time < y->creation_time ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Whether DEF's parent is PARENT (NULL: DEF is a root; a parent that no
 * longer exists makes a root too). */
static bool
is_child_of(VkSnapshotList *list, const VkSnapshotDef *def, const VkSnapshotDef *parent)
{
    if (!parent)
        return !def->parent || !vk_snapshot_list_find(list, def->parent);
    return g_strcmp0(def->parent, parent->name) == 0;
}

static void
collect(VkSnapshotList *list, const VkSnapshotDef *parent, bool descendants, GPtrArray *out)
{
    g_autoptr(GPtrArray) direct = g_ptr_array_new();
    GHashTableIter it;
    gpointer value;

    g_hash_table_iter_init(&it, list->by_name);
    while (g_hash_table_iter_next(&it, NULL, &value))
        if (is_child_of(list, value, parent))
            g_ptr_array_add(direct, value);
    g_ptr_array_sort(direct, compare_age);
    for (guint i = 0; i < direct->len; i++) {
        g_ptr_array_add(out, direct->pdata[i]);
        if (descendants)
            collect(list, direct->pdata[i], true, out);
    }
}

GPtrArray *
vk_snapshot_list_all(VkSnapshotList *list)
{
    GPtrArray *out = g_ptr_array_new();

    collect(list, NULL, true, out);
    return out;
}

GPtrArray *
vk_snapshot_list_children(VkSnapshotList *list, const VkSnapshotDef *parent, bool descendants)
{
    GPtrArray *out = g_ptr_array_new();

    collect(list, parent, descendants, out);
    return out;
}

/* ---------------------------------------------------------------------
 * Changes
 * ------------------------------------------------------------------- */

int
vk_snapshot_list_save(VkSnapshotList *list, const VkSnapshotDef *def)
{
    g_autofree char *xml = vk_snapshot_def_format(def, VK_SNAPSHOT_FORMAT_INTERNAL |
                                                               VK_SNAPSHOT_FORMAT_SECURE);
    g_autofree char *path = file_path(list, def->name);
    g_autofree char *text = NULL;

    if (!xml || vk_file_make_dirs(list->dir, 0755) < 0)
        return -1;
    text = g_strconcat(FILE_WARNING, xml, NULL);
    return vk_file_write_atomic(path, text, strlen(text), 0600);
}

int
vk_snapshot_list_add(VkSnapshotList *list, VkSnapshotDef *def)
{
    if (vk_snapshot_list_save(list, def) < 0) {
        vk_snapshot_def_free(def);
        return -1;
    }
    g_hash_table_replace(list->by_name, def->name, def);
    return 0;
}

int
vk_snapshot_list_set_current(VkSnapshotList *list, VkSnapshotDef *def)
{
    VkSnapshotDef *old = vk_snapshot_list_current(list);

    if (old == def)
        return def ? vk_snapshot_list_save(list, def) : 0;
    if (old) {
        old->current = false;
        if (vk_snapshot_list_save(list, old) < 0)
            return -1;
    }
    if (!def)
        return 0;
    def->current = true;
    return vk_snapshot_list_save(list, def);
}

int
vk_snapshot_list_remove(VkSnapshotList *list, VkSnapshotDef *def)
{
    g_autoptr(GPtrArray) children = vk_snapshot_list_children(list, def, false);
    g_autofree char *path = file_path(list, def->name);

    for (guint i = 0; i < children->len; i++) {
        VkSnapshotDef *c = g_ptr_array_index(children, i);
        g_free(c->parent);
        c->parent = g_strdup(def->parent);
        if (vk_snapshot_list_save(list, c) < 0)
            return -1;
    }
    if (g_unlink(path) < 0 && errno != ENOENT) {
        vk_error_report_errno(VIR_FROM_QEMU, errno, "Failed to unlink %s", path);
        return -1;
    }
    g_hash_table_remove(list->by_name, def->name);
    return 0;
}
