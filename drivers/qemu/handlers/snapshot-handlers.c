/* Snapshot procedures (snapshot-handlers.h): lookups and listings read a
 * domain's snapshot list under its lock; changes take the domain's job. */
#include "drivers/qemu/handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/snapshot-actions.h"
#include "drivers/qemu/core/snapshot-store.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

/* Every bit of virDomainSnapshotListFlags */
#define LIST_ALL ((VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL << 1) - 1)
#define FILTER_LEAVES (VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES)
#define FILTER_METADATA (VIR_DOMAIN_SNAPSHOT_LIST_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA)
#define FILTER_STATUS \
    (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | \
     VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY)
#define FILTER_LOCATION (VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)


/* ---------------------------------------------------------------------
 * Reaching a domain's snapshots
 * ------------------------------------------------------------------- */

/* The domain REF names, locked (no job: reading only). */
static VkDomainObj *
lock_domain(const remote_nonnull_domain *ref)
{
    VkDomainObj *obj = vk_qemu_domain_from_ref(ref);

    if (obj)
        vk_domain_obj_lock(obj);
    return obj;
}

static void
unlock_domain(VkDomainObj *obj)
{
    vk_domain_obj_unlock(obj);
    vk_domain_obj_unref(obj);
}

static void
make_snapshot_ref(remote_nonnull_domain_snapshot *ref, VkDomainObj *obj, const char *name)
{
    ref->name = strdup(name);
    vk_qemu_domain_make_ref(&ref->dom, obj->def);
}

/* ---------------------------------------------------------------------
 * Listing filters
 * ------------------------------------------------------------------- */

static bool
is_leaf(VkSnapshotList *list, const VkSnapshotDef *def)
{
    g_autoptr(GPtrArray) children = vk_snapshot_list_children(list, def, false);

    return children->len == 0;
}

/* Within each filter group of FLAGS any bit matches; an empty group
 * matches everything.  All our snapshots have metadata and are internal. */
static bool
matches(VkSnapshotList *list, const VkSnapshotDef *def, unsigned int flags)
{
    bool shutoff = g_strcmp0(def->state, "shutoff") == 0;
    bool disk_only = g_strcmp0(def->state, "disk-snapshot") == 0;

    if ((flags & FILTER_LEAVES) &&
        !(flags & (is_leaf(list, def) ? VIR_DOMAIN_SNAPSHOT_LIST_LEAVES
                                      : VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES)))
        return false;
    if ((flags & FILTER_METADATA) && !(flags & VIR_DOMAIN_SNAPSHOT_LIST_METADATA))
        return false;
    if ((flags & FILTER_STATUS) &&
        !(flags & (shutoff     ? VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE
                   : disk_only ? VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY
                               : VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE)))
        return false;
    if ((flags & FILTER_LOCATION) && !(flags & VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL))
        return false;
    return true;
}

/* The snapshots of OBJ (locked) FLAGS select: under FROM (its children,
 * or all descendants with LIST_DESCENDANTS), else the domain's (roots only
 * with LIST_ROOTS).  NULL with an error for bad flags. */
static GPtrArray *
select_snapshots(VkDomainObj *obj, const VkSnapshotDef *from, unsigned int flags)
{
    VkSnapshotList *list = vk_qemu_snapshots(obj);
    g_autoptr(GPtrArray) all = NULL;
    GPtrArray *out;

    if (vk_check_flags(VIR_FROM_QEMU, flags, LIST_ALL, "virDomainListAllSnapshots") < 0)
        return NULL;
    if (from)
        all = vk_snapshot_list_children(list, from, flags & VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS);
    else if (flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS)
        all = vk_snapshot_list_children(list, NULL, false);
    else
        all = vk_snapshot_list_all(list);
    out = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++)
        if (matches(list, all->pdata[i], flags))
            g_ptr_array_add(out, all->pdata[i]);
    return out;
}

/* FROM (NULL: the domain) for a procedure that names a snapshot. */
static int
lookup_from(VkDomainObj *obj, const char *name, VkSnapshotDef **from)
{
    *from = NULL;
    if (!name)
        return 0;
    *from = vk_snapshot_list_get(vk_qemu_snapshots(obj), name);
    return *from ? 0 : -1;
}

/* How many snapshots FLAGS select under NAME (NULL: the domain REF). */
static int
count_snapshots(const remote_nonnull_domain *ref, const char *name, unsigned int flags, int *num)
{
    VkDomainObj *obj = lock_domain(ref);
    g_autoptr(GPtrArray) found = NULL;
    VkSnapshotDef *from;
    int rc = -1;

    if (!obj)
        return -1;
    if (lookup_from(obj, name, &from) == 0 && (found = select_snapshots(obj, from, flags))) {
        *num = (int) found->len;
        rc = 0;
    }
    unlock_domain(obj);
    return rc;
}

/* Their names, at most MAX (libvirt's old listing calls). */
static int
list_names(const remote_nonnull_domain *ref, const char *name, int max, unsigned int flags,
           remote_nonnull_string **names, u_int *len)
{
    VkDomainObj *obj = lock_domain(ref);
    g_autoptr(GPtrArray) found = NULL;
    VkSnapshotDef *from;
    int rc = -1;

    if (!obj)
        return -1;
    if (max < 0 || max > REMOTE_DOMAIN_SNAPSHOT_LIST_MAX) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_RPC, "%s", "maxnames > REMOTE_DOMAIN_SNAPSHOT_LIST_MAX");
    } else if (lookup_from(obj, name, &from) == 0 && (found = select_snapshots(obj, from, flags))) {
        guint n = MIN(found->len, (guint) max);
        *names = calloc(n ? n : 1, sizeof(**names));
        for (guint i = 0; i < n; i++)
            (*names)[i] = strdup(((VkSnapshotDef *) found->pdata[i])->name);
        *len = n;
        rc = 0;
    }
    unlock_domain(obj);
    return rc;
}

/* References to them, when NEED_RESULTS; their number in *RET. */
static int
list_all(const remote_nonnull_domain *ref, const char *name, int need_results, unsigned int flags,
         remote_nonnull_domain_snapshot **snaps, u_int *len, int *ret)
{
    VkDomainObj *obj = lock_domain(ref);
    g_autoptr(GPtrArray) found = NULL;
    VkSnapshotDef *from;
    int rc = -1;

    if (!obj)
        return -1;
    if (lookup_from(obj, name, &from) == 0 && (found = select_snapshots(obj, from, flags))) {
        if (need_results) {
            *snaps = calloc(found->len ? found->len : 1, sizeof(**snaps));
            for (guint i = 0; i < found->len; i++)
                make_snapshot_ref(&(*snaps)[i], obj, ((VkSnapshotDef *) found->pdata[i])->name);
            *len = found->len;
        }
        *ret = (int) found->len;
        rc = 0;
    }
    unlock_domain(obj);
    return rc;
}

/* ---------------------------------------------------------------------
 * Listing procedures
 * ------------------------------------------------------------------- */

static int
domain_snapshot_num(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_num_args *args = argsp;

    return count_snapshots(&args->dom, NULL, args->flags,
                           &((remote_domain_snapshot_num_ret *) retp)->num);
}

static int
domain_snapshot_num_children(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_num_children_args *args = argsp;

    return count_snapshots(&args->snap.dom, args->snap.name, args->flags,
                           &((remote_domain_snapshot_num_children_ret *) retp)->num);
}

static int
domain_snapshot_list_names(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_list_names_args *args = argsp;
    remote_domain_snapshot_list_names_ret *ret = retp;

    return list_names(&args->dom, NULL, args->maxnames, args->flags, &ret->names.names_val,
                      &ret->names.names_len);
}

static int
domain_snapshot_list_children_names(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_list_children_names_args *args = argsp;
    remote_domain_snapshot_list_children_names_ret *ret = retp;

    return list_names(&args->snap.dom, args->snap.name, args->maxnames, args->flags,
                      &ret->names.names_val, &ret->names.names_len);
}

static int
domain_list_all_snapshots(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_list_all_snapshots_args *args = argsp;
    remote_domain_list_all_snapshots_ret *ret = retp;

    return list_all(&args->dom, NULL, args->need_results, args->flags,
                    &ret->snapshots.snapshots_val, &ret->snapshots.snapshots_len, &ret->ret);
}

static int
domain_snapshot_list_all_children(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_list_all_children_args *args = argsp;
    remote_domain_snapshot_list_all_children_ret *ret = retp;

    return list_all(&args->snapshot.dom, args->snapshot.name, args->need_results, args->flags,
                    &ret->snapshots.snapshots_val, &ret->snapshots.snapshots_len, &ret->ret);
}

/* ---------------------------------------------------------------------
 * One snapshot
 * ------------------------------------------------------------------- */

/* What a query about one snapshot answers (OBJ locked, SNAP found). */
typedef int (*SnapshotQuery)(VkDomainObj *obj, VkSnapshotDef *snap, void *ret);

/* Run QUERY on the snapshot REF names (name NULL: the current one). */
static int
query(const remote_nonnull_domain *dom, const char *name, unsigned int flags,
      unsigned int allowed, SnapshotQuery fn, void *ret)
{
    VkDomainObj *obj = lock_domain(dom);
    VkSnapshotList *list;
    VkSnapshotDef *snap;
    int rc = -1;

    if (!obj)
        return -1;
    list = vk_qemu_snapshots(obj);
    if (vk_check_flags(VIR_FROM_QEMU, flags, allowed, "virDomainSnapshot") < 0)
        snap = NULL;
    else if (name)
        snap = vk_snapshot_list_get(list, name);
    else if (!(snap = vk_snapshot_list_current(list)))
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN_SNAPSHOT, "%s",
                        "the domain does not have a current snapshot");
    if (snap)
        rc = fn(obj, snap, ret);
    unlock_domain(obj);
    return rc;
}

static int
answer_ref(VkDomainObj *obj, VkSnapshotDef *snap, void *ret)
{
    make_snapshot_ref(ret, obj, snap->name);
    return 0;
}

static int
answer_parent(VkDomainObj *obj, VkSnapshotDef *snap, void *ret)
{
    if (!snap->parent) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN_SNAPSHOT,
                        "snapshot '%s' does not have a parent", snap->name);
        return -1;
    }
    make_snapshot_ref(ret, obj, snap->parent);
    return 0;
}

static int
reply_snapshot_xml(VkSnapshotDef *snap, unsigned int flags, void *ret)
{
    g_autofree char *xml = vk_snapshot_def_format(snap, flags);

    if (!xml)
        return -1;
    *(char **) ret = strdup(xml);
    return 0;
}

static int
answer_xml(VkDomainObj *obj, VkSnapshotDef *snap, void *ret)
{
    return reply_snapshot_xml(snap, 0, ret);
}

static int
answer_secure_xml(VkDomainObj *obj, VkSnapshotDef *snap, void *ret)
{
    return reply_snapshot_xml(snap, VK_SNAPSHOT_FORMAT_SECURE, ret);
}

static int
answer_is_current(VkDomainObj *obj, VkSnapshotDef *snap, void *ret)
{
    *(int *) ret = snap->current;
    return 0;
}

static int
answer_has_metadata(VkDomainObj *obj, VkSnapshotDef *snap, void *ret)
{
    *(int *) ret = 1;
    return 0;
}

static int
domain_snapshot_lookup_by_name(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_lookup_by_name_args *args = argsp;

    return query(&args->dom, args->name, args->flags, 0, answer_ref,
                 &((remote_domain_snapshot_lookup_by_name_ret *) retp)->snap);
}

static int
domain_snapshot_current(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_current_args *args = argsp;

    return query(&args->dom, NULL, args->flags, 0, answer_ref,
                 &((remote_domain_snapshot_current_ret *) retp)->snap);
}

static int
domain_has_current_snapshot(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_has_current_snapshot_args *args = argsp;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "virDomainHasCurrentSnapshot") < 0 ||
        !(obj = lock_domain(&args->dom)))
        return -1;
    ((remote_domain_has_current_snapshot_ret *) retp)->result =
        vk_snapshot_list_current(vk_qemu_snapshots(obj)) != NULL;
    unlock_domain(obj);
    return 0;
}

static int
domain_snapshot_get_parent(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_get_parent_args *args = argsp;

    return query(&args->snap.dom, args->snap.name, args->flags, 0, answer_parent,
                 &((remote_domain_snapshot_get_parent_ret *) retp)->snap);
}

static int
domain_snapshot_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_get_xml_desc_args *args = argsp;

    if (vk_qemu_check_secure(client, args->flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE,
                             "virDomainSnapshotGetXMLDesc") < 0)
        return -1;
    return query(&args->snap.dom, args->snap.name, args->flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE,
                 (args->flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE) ? answer_secure_xml : answer_xml,
                 &((remote_domain_snapshot_get_xml_desc_ret *) retp)->xml);
}

static int
domain_snapshot_is_current(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_is_current_args *args = argsp;

    return query(&args->snap.dom, args->snap.name, args->flags, 0, answer_is_current,
                 &((remote_domain_snapshot_is_current_ret *) retp)->current);
}

static int
domain_snapshot_has_metadata(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_has_metadata_args *args = argsp;

    return query(&args->snap.dom, args->snap.name, args->flags, 0, answer_has_metadata,
                 &((remote_domain_snapshot_has_metadata_ret *) retp)->metadata);
}

/* ---------------------------------------------------------------------
 * Changes
 * ------------------------------------------------------------------- */

static int
domain_snapshot_create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_create_xml_args *args = argsp;
    remote_domain_snapshot_create_xml_ret *ret = retp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->dom);
    g_autofree char *name = NULL;

    if (!obj)
        return -1;
    if (vk_qemu_snapshot_create(obj, args->xml_desc, args->flags, &name) < 0)
        return vk_qemu_domain_end(obj, -1);
    make_snapshot_ref(&ret->snap, obj, name);
    return vk_qemu_domain_end(obj, 0);
}

static int
domain_revert_to_snapshot(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_revert_to_snapshot_args *args = argsp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->snap.dom);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, vk_qemu_snapshot_revert(obj, args->snap.name, args->flags));
}

static int
domain_snapshot_delete(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_snapshot_delete_args *args = argsp;
    VkDomainObj *obj = vk_qemu_domain_begin(&args->snap.dom);

    if (!obj)
        return -1;
    return vk_qemu_domain_end(obj, vk_qemu_snapshot_delete(obj, args->snap.name, args->flags));
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML, domain_snapshot_create_xml },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_GET_XML_DESC, domain_snapshot_get_xml_desc },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_NUM, domain_snapshot_num },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_LIST_NAMES, domain_snapshot_list_names },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_LOOKUP_BY_NAME, domain_snapshot_lookup_by_name },
    { REMOTE_PROC_DOMAIN_HAS_CURRENT_SNAPSHOT, domain_has_current_snapshot },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_CURRENT, domain_snapshot_current },
    { REMOTE_PROC_DOMAIN_REVERT_TO_SNAPSHOT, domain_revert_to_snapshot },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_DELETE, domain_snapshot_delete },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_GET_PARENT, domain_snapshot_get_parent },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_NUM_CHILDREN, domain_snapshot_num_children },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES, domain_snapshot_list_children_names },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_IS_CURRENT, domain_snapshot_is_current },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_HAS_METADATA, domain_snapshot_has_metadata },
    { REMOTE_PROC_DOMAIN_LIST_ALL_SNAPSHOTS, domain_list_all_snapshots },
    { REMOTE_PROC_DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN, domain_snapshot_list_all_children },
};

void
vk_qemu_snapshot_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
