/* Procedures on domain definitions: define, undefine, lookups, listing,
 * XML, info, state and autostart. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/conf/domain-pci-given.h"
#include "common/rpc/server.h"
#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/qemu/handlers/handlers.h"
#include "drivers/qemu/core/domain-change.h"
#include "drivers/qemu/core/domain-lookup.h"
#include "drivers/qemu/core/domain-stats.h"
#include "drivers/qemu/core/domain-prepare.h"
#include "drivers/qemu/driver.h"
#include "drivers/qemu/core/domain-rename.h"
#include "drivers/qemu/core/events.h"
#include "drivers/qemu/core/firmware-select.h"
#include "drivers/qemu/core/save-restore.h"
#include "drivers/qemu/core/snapshot-actions.h"
#include "drivers/qemu/core/taint.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"


static void
emit_lifecycle(VkEventSubject *s, int event, int detail)
{
    vk_qemu_event_lifecycle(vk_qemu_driver()->events, s->name, s->uuid, s->id, event, detail);
    vk_event_subject_clear(s);
}

static int
define_xml(const char *xml, remote_nonnull_domain *result)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(VkDomainDef) def = vk_qemu_domain_prepare(xml);
    g_autoptr(VkDomainObj) obj = NULL;
    VkDomainDef *previous = NULL;
    VkEventSubject subject;
    bool existed;
    bool was_persistent;

    if (!def)
        return -1;
    if (!(obj = vk_domain_list_add(driver->domains, def, &existed)))
        return -1;
    if (!existed)
        def = NULL;   /* the object owns it now */

    vk_domain_obj_lock(obj);
    if (vk_domain_obj_begin_job(obj) < 0) {
        vk_domain_obj_unlock(obj);
        if (!existed)   /* listed a moment ago, never saved */
            vk_domain_list_remove(driver->domains, obj);
        return -1;
    }
    was_persistent = obj->persistent;
    if (existed)   /* an address given back unchanged keeps its provenance */
        vk_domain_pci_given_carry(def, vk_domain_obj_config(obj));
    if (existed) {
        /* A running guest keeps its live definition; the new one applies
         * from its next start. */
        if (vk_domain_obj_is_active(obj)) {
            previous = obj->new_def;
            obj->new_def = g_steal_pointer(&def);
        } else {
            previous = obj->def;
            obj->def = g_steal_pointer(&def);
            obj->def->id = -1;
        }
    }
    if (vk_domain_store_save_config(driver->store, vk_domain_obj_config(obj)) < 0) {
        /* Put everything back as it was: nothing half-saved. */
        if (!existed) {
            vk_domain_obj_end_job(obj);
            vk_domain_obj_unlock(obj);
            vk_domain_list_remove(driver->domains, obj);
            return -1;
        }
        if (vk_domain_obj_is_active(obj)) {
            vk_domain_def_free(obj->new_def);
            obj->new_def = previous;
        } else {
            vk_domain_def_free(obj->def);
            obj->def = previous;
        }
        vk_domain_obj_end_job(obj);
        vk_domain_obj_unlock(obj);
        return -1;
    }
    vk_domain_def_free(previous);
    obj->persistent = true;
    vk_qemu_domain_make_ref(result, obj->def);
    vk_event_subject_of(&subject, &obj->parent);
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);

    emit_lifecycle(&subject, VIR_DOMAIN_EVENT_DEFINED,
                   existed && was_persistent ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED);
    return 0;
}

static int
domain_define_xml(VkServerClient *client, void *argsp, void *retp)
{
    return define_xml(((remote_domain_define_xml_args *) argsp)->xml,
                      &((remote_domain_define_xml_ret *) retp)->dom);
}

static int
domain_define_xml_flags(VkServerClient *client, void *argsp, void *retp)
{
    /* VIR_DOMAIN_DEFINE_VALIDATE asks for schema validation; our parser is
     * strict already. */
    return define_xml(((remote_domain_define_xml_flags_args *) argsp)->xml,
                      &((remote_domain_define_xml_flags_ret *) retp)->dom);
}

static int
undefine(const remote_nonnull_domain *ref, unsigned int flags)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    g_autofree char *nvram = NULL;
    VkEventSubject subject;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    if (vk_domain_obj_begin_job(obj) < 0) {
        vk_domain_obj_unlock(obj);
        return -1;
    }
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot undefine transient domain");
        goto fail;
    }
    /* the snapshot check last: it forgets their metadata when asked to */
    if (vk_qemu_managed_save_check_undefine(obj, flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE) < 0 ||
        vk_qemu_firmware_check_undefine(obj->def, flags, &nvram) < 0 ||
        vk_qemu_snapshot_check_undefine(obj, flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0)
        goto fail;
    if (vk_store_delete_config(driver->store, obj->def->name) < 0)
        goto fail;
    if (nvram && unlink(nvram) < 0 && errno != ENOENT)
        g_warning("cannot remove '%s': %s", nvram, g_strerror(errno));
    obj->persistent = false;
    obj->autostart = false;
    vk_event_subject_of(&subject, &obj->parent);
    if (vk_domain_obj_is_active(obj)) {
        /* It keeps running, now as a transient guest. */
        g_clear_pointer(&obj->new_def, vk_domain_def_free);
    }
    bool active = vk_domain_obj_is_active(obj);
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    if (!active)
        vk_domain_list_remove(driver->domains, obj);
    emit_lifecycle(&subject, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    return 0;

fail:
    vk_domain_obj_end_job(obj);
    vk_domain_obj_unlock(obj);
    return -1;
}

/* A new name for a shut-off domain: Undefined(renamed) goes out for the
 * old name, then Defined(renamed) for the new one. */
static int
domain_rename(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_rename_args *args = argsp;
    VkEventSubject old_subject, new_subject;
    VkDomainObj *obj;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, 0, "qemuDomainRename") < 0)
        return -1;
    if (!args->new_name || !*args->new_name) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                        "string new_name in virDomainRename must not be empty");
        return -1;
    }
    if (!(obj = vk_qemu_domain_begin(&args->dom)))
        return -1;
    vk_event_subject_of(&old_subject, &obj->parent);
    if (vk_qemu_domain_rename(obj, *args->new_name) < 0) {
        vk_event_subject_clear(&old_subject);
        return vk_qemu_domain_end(obj, -1);
    }
    vk_event_subject_of(&new_subject, &obj->parent);
    vk_qemu_domain_end(obj, 0);
    emit_lifecycle(&old_subject, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_RENAMED);
    emit_lifecycle(&new_subject, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_RENAMED);
    ((remote_domain_rename_ret *) retp)->retcode = 0;
    return 0;
}

static int
domain_undefine(VkServerClient *client, void *argsp, void *retp)
{
    return undefine(&((remote_domain_undefine_args *) argsp)->dom, 0);
}

static int
domain_undefine_flags(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_undefine_flags_args *args = argsp;

    return undefine(&args->dom, args->flags);
}

static int
reply_ref(VkDomainObj *obj, remote_nonnull_domain *ref)
{
    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    vk_qemu_domain_make_ref(ref, obj->def);
    vk_domain_obj_unlock(obj);
    vk_domain_obj_unref(obj);
    return 0;
}

static int
domain_lookup_by_name(VkServerClient *client, void *argsp, void *retp)
{
    const char *name = ((remote_domain_lookup_by_name_args *) argsp)->name;
    VkDomainObj *obj = vk_domain_list_find_by_name(vk_qemu_driver()->domains, name);

    if (!obj)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN,
                        "no domain with matching name '%s'", name);
    return reply_ref(obj, &((remote_domain_lookup_by_name_ret *) retp)->dom);
}

static int
domain_lookup_by_uuid(VkServerClient *client, void *argsp, void *retp)
{
    const unsigned char *uuid =
        (const unsigned char *) ((remote_domain_lookup_by_uuid_args *) argsp)->uuid;
    VkDomainObj *obj = vk_domain_list_find_by_uuid(vk_qemu_driver()->domains, uuid);
    char uuidstr[VK_UUID_STRING_BUFLEN];

    if (!obj)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'",
                        vk_uuid_format(uuid, uuidstr));
    return reply_ref(obj, &((remote_domain_lookup_by_uuid_ret *) retp)->dom);
}

static int
domain_lookup_by_id(VkServerClient *client, void *argsp, void *retp)
{
    int id = ((remote_domain_lookup_by_id_args *) argsp)->id;
    VkDomainObj *obj = vk_domain_list_find_by_id(vk_qemu_driver()->domains, id);

    if (!obj)
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_NO_DOMAIN, "no domain with matching id %d", id);
    return reply_ref(obj, &((remote_domain_lookup_by_id_ret *) retp)->dom);
}


/* Every domain, unfiltered (virsh list --all, virt-manager's polling):
 * straight from the list, without taking each domain's lock. */
static int
list_all_unfiltered(remote_connect_list_all_domains_args *args,
                    remote_connect_list_all_domains_ret *ret)
{
    guint n;
    g_autofree VkDomainIdentity *all = vk_object_list_identities(vk_qemu_driver()->domains, &n);

    ret->ret = n;
    if (!args->need_results) {
        for (guint i = 0; i < n; i++)
            free(all[i].name);
        return 0;
    }
    ret->domains.domains_val = calloc(MAX(n, 1), sizeof(remote_nonnull_domain));
    ret->domains.domains_len = n;
    for (guint i = 0; i < n; i++) {
        remote_nonnull_domain *dom = &ret->domains.domains_val[i];
        dom->name = all[i].name;   /* handed over: XDR frees it */
        memcpy(dom->uuid, all[i].uuid, VK_UUID_LEN);
        dom->id = all[i].id;
    }
    return 0;
}

static int
connect_list_all_domains(VkServerClient *client, void *argsp, void *retp)
{
    remote_connect_list_all_domains_args *args = argsp;
    remote_connect_list_all_domains_ret *ret = retp;
    g_autoptr(GPtrArray) all = NULL;
    guint n = 0;

    if (args->flags == 0)
        return list_all_unfiltered(args, ret);
    all = vk_object_list_snapshot(vk_qemu_driver()->domains);
    if (args->need_results)
        ret->domains.domains_val = calloc(MAX(all->len, 1), sizeof(remote_nonnull_domain));
    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        if (!obj->parent.removed && vk_qemu_domain_matches_list_flags(obj, args->flags)) {
            if (args->need_results)
                vk_qemu_domain_make_ref(&ret->domains.domains_val[n], obj->def);
            n++;
        }
        vk_domain_obj_unlock(obj);
    }
    ret->domains.domains_len = args->need_results ? n : 0;
    ret->ret = n;
    return 0;
}

static int
connect_num_of(bool active)
{
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);
    int n = 0;

    for (guint i = 0; i < all->len; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        n += vk_domain_obj_is_active(obj) == active;
        vk_domain_obj_unlock(obj);
    }
    return n;
}

static int
connect_num_of_domains(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_num_of_domains_ret *) retp)->num = connect_num_of(true);
    return 0;
}

static int
connect_num_of_defined_domains(VkServerClient *client, void *args, void *retp)
{
    ((remote_connect_num_of_defined_domains_ret *) retp)->num = connect_num_of(false);
    return 0;
}

static int
connect_list_domains(VkServerClient *client, void *argsp, void *retp)
{
    int max = ((remote_connect_list_domains_args *) argsp)->maxids;
    remote_connect_list_domains_ret *ret = retp;
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);

    ret->ids.ids_val = calloc(MAX(all->len, 1), sizeof(int));
    for (guint i = 0; i < all->len && (int) ret->ids.ids_len < max; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        if (vk_domain_obj_is_active(obj))
            ret->ids.ids_val[ret->ids.ids_len++] = obj->def->id;
        vk_domain_obj_unlock(obj);
    }
    return 0;
}

static int
connect_list_defined_domains(VkServerClient *client, void *argsp, void *retp)
{
    int max = ((remote_connect_list_defined_domains_args *) argsp)->maxnames;
    remote_connect_list_defined_domains_ret *ret = retp;
    g_autoptr(GPtrArray) all = vk_object_list_snapshot(vk_qemu_driver()->domains);

    ret->names.names_val = calloc(MAX(all->len, 1), sizeof(char *));
    for (guint i = 0; i < all->len && (int) ret->names.names_len < max; i++) {
        VkDomainObj *obj = g_ptr_array_index(all, i);
        vk_domain_obj_lock(obj);
        if (!vk_domain_obj_is_active(obj))
            ret->names.names_val[ret->names.names_len++] = strdup(obj->def->name);
        vk_domain_obj_unlock(obj);
    }
    return 0;
}

static int
domain_get_xml_desc(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_xml_desc_args *args = argsp;
    g_autoptr(VkDomainObj) obj = NULL;
    g_autofree char *xml = NULL;

    unsigned int extra = (args->flags & VIR_DOMAIN_XML_SECURE) ? VK_DOMAIN_FORMAT_SECURE : 0;

    if (args->flags & VIR_DOMAIN_XML_MIGRATABLE)
        extra |= VK_DOMAIN_FORMAT_MIGRATABLE;

    /* a migratable XML could carry them too: libvirt refuses both */
    if (vk_qemu_check_secure(client, args->flags,
                             VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_MIGRATABLE,
                             "virDomainGetXMLDesc") < 0 ||
        !(obj = vk_qemu_domain_from_ref(&args->dom)))
        return -1;
    vk_domain_obj_lock(obj);
    if (args->flags & VIR_DOMAIN_XML_INACTIVE)
        xml = vk_domain_obj_format(obj, vk_domain_obj_config(obj), VK_DOMAIN_FORMAT_INACTIVE | extra);
    else
        xml = vk_domain_obj_format(obj, obj->def, extra | (vk_domain_obj_is_active(obj)
                                                              ? 0 : VK_DOMAIN_FORMAT_INACTIVE));
    vk_domain_obj_unlock(obj);
    if (!xml)
        return -1;
    ((remote_domain_get_xml_desc_ret *) retp)->xml = g_steal_pointer(&xml);
    return 0;
}

/* CPU time of a running QEMU in nanoseconds, from /proc; 0 when gone. */
static unsigned long long
process_cpu_time(pid_t pid)
{
    VkCpuTimes t;

    return vk_stats_cpu_times(pid, 0, &t) == 0 ? t.user_ns + t.system_ns : 0;
}

static int
domain_get_info(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_info_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&((remote_domain_get_info_args *) argsp)->dom);

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    ret->state = obj->state;
    ret->maxMem = obj->def->memory_kib;
    ret->memory = obj->def->current_memory_kib ? obj->def->current_memory_kib
                                               : obj->def->memory_kib;
    ret->nrVirtCpu = vk_domain_def_current_vcpus(obj->def);
    ret->cpuTime = vk_domain_obj_is_active(obj) ? process_cpu_time(obj->pid) : 0;
    vk_domain_obj_unlock(obj);
    return 0;
}

static int
domain_get_state(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_state_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&((remote_domain_get_state_args *) argsp)->dom);

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    ret->state = obj->state;
    ret->reason = obj->reason;
    vk_domain_obj_unlock(obj);
    return 0;
}

/* The answers that are one field of the object: OBJ is locked in FN. */
typedef int (*VkDomainFieldFunc)(VkDomainObj *obj, void *retp);

static int
with_domain(const remote_nonnull_domain *ref, VkDomainFieldFunc fn, void *retp)
{
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(ref);
    int rc;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    rc = fn(obj, retp);
    vk_domain_obj_unlock(obj);
    return rc;
}

static int
field_is_active(VkDomainObj *obj, void *retp)
{
    ((remote_domain_is_active_ret *) retp)->active = vk_domain_obj_is_active(obj);
    return 0;
}

static int
field_is_persistent(VkDomainObj *obj, void *retp)
{
    ((remote_domain_is_persistent_ret *) retp)->persistent = obj->persistent;
    return 0;
}

static int
field_is_updated(VkDomainObj *obj, void *retp)
{
    ((remote_domain_is_updated_ret *) retp)->updated = 0;
    return 0;
}

static int
field_autostart(VkDomainObj *obj, void *retp)
{
    ((remote_domain_get_autostart_ret *) retp)->autostart = obj->autostart;
    return 0;
}

static int
field_os_type(VkDomainObj *obj, void *retp)
{
    ((remote_domain_get_os_type_ret *) retp)->type = strdup(obj->def->os.type ? obj->def->os.type
                                                                               : "hvm");
    return 0;
}

static int
field_max_memory(VkDomainObj *obj, void *retp)
{
    ((remote_domain_get_max_memory_ret *) retp)->memory = obj->def->memory_kib;
    return 0;
}

static int
field_managed_save(VkDomainObj *obj, void *retp)
{
    ((remote_domain_has_managed_save_image_ret *) retp)->result = vk_qemu_has_managed_save(obj);
    return 0;
}

static int
field_security_label(VkDomainObj *obj, void *retp)
{
    remote_domain_get_security_label_ret *ret = retp;

    /* Security model "none": an empty label, not enforcing. */
    ret->label.label_len = 1;
    ret->label.label_val = calloc(1, 1);
    ret->enforcing = 0;
    return 0;
}

/* virDomainMessageType: with no flag, every kind */
#define MESSAGE_DEPRECATION (1 << 0)
#define MESSAGE_TAINTING (1 << 1)

static int
domain_get_messages(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_get_messages_args *args = argsp;
    remote_domain_get_messages_ret *ret = retp;
    g_autoptr(VkDomainObj) obj = NULL;
    g_auto(GStrv) msgs = NULL;
    guint n;

    if (vk_check_flags(VIR_FROM_QEMU, args->flags, MESSAGE_DEPRECATION | MESSAGE_TAINTING,
                       "qemuDomainGetMessages") < 0 ||
        !(obj = vk_qemu_domain_from_ref(&args->dom)))
        return -1;
    vk_domain_obj_lock(obj);
    if (!args->flags || (args->flags & MESSAGE_TAINTING))
        msgs = vk_qemu_taint_messages(obj);
    vk_domain_obj_unlock(obj);
    n = msgs ? g_strv_length(msgs) : 0;
    ret->msgs.msgs_len = n;
    ret->msgs.msgs_val = calloc(n ? n : 1, sizeof(char *));
    for (guint i = 0; i < n; i++)
        ret->msgs.msgs_val[i] = strdup(msgs[i]);
    return 0;
}

#define FIELD_HANDLER(fn, args_type, field) \
    static int fn##_handler(VkServerClient *client, void *argsp, void *retp) \
    { \
        return with_domain(&((args_type *) argsp)->dom, field, retp); \
    }
FIELD_HANDLER(domain_is_active, remote_domain_is_active_args, field_is_active)
FIELD_HANDLER(domain_is_persistent, remote_domain_is_persistent_args, field_is_persistent)
FIELD_HANDLER(domain_is_updated, remote_domain_is_updated_args, field_is_updated)
FIELD_HANDLER(domain_get_autostart, remote_domain_get_autostart_args, field_autostart)
FIELD_HANDLER(domain_get_os_type, remote_domain_get_os_type_args, field_os_type)
FIELD_HANDLER(domain_get_max_memory, remote_domain_get_max_memory_args, field_max_memory)
FIELD_HANDLER(domain_get_security_label, remote_domain_get_security_label_args,
              field_security_label)
FIELD_HANDLER(domain_has_managed_save_image, remote_domain_has_managed_save_image_args,
              field_managed_save)

static int
domain_set_autostart(VkServerClient *client, void *argsp, void *retp)
{
    remote_domain_set_autostart_args *args = argsp;
    g_autoptr(VkDomainObj) obj = vk_qemu_domain_from_ref(&args->dom);
    int rc = 0;

    if (!obj)
        return -1;
    vk_domain_obj_lock(obj);
    if (!obj->persistent) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s",
                        "cannot set autostart for transient domain");
        rc = -1;
    } else if (obj->autostart != !!args->autostart) {
        rc = vk_store_set_autostart(vk_qemu_driver()->store, obj->def->name,
                                           args->autostart);
        if (rc == 0)
            obj->autostart = args->autostart;
    }
    vk_domain_obj_unlock(obj);
    return rc;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_DOMAIN_DEFINE_XML, domain_define_xml },
    { REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS, domain_define_xml_flags },
    { REMOTE_PROC_DOMAIN_UNDEFINE, domain_undefine },
    { REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, domain_undefine_flags },
    { REMOTE_PROC_DOMAIN_RENAME, domain_rename },
    { REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, domain_lookup_by_name },
    { REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID, domain_lookup_by_uuid },
    { REMOTE_PROC_DOMAIN_LOOKUP_BY_ID, domain_lookup_by_id },
    { REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, connect_list_all_domains },
    { REMOTE_PROC_CONNECT_NUM_OF_DOMAINS, connect_num_of_domains },
    { REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS, connect_num_of_defined_domains },
    { REMOTE_PROC_CONNECT_LIST_DOMAINS, connect_list_domains },
    { REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS, connect_list_defined_domains },
    { REMOTE_PROC_DOMAIN_GET_XML_DESC, domain_get_xml_desc },
    { REMOTE_PROC_DOMAIN_GET_INFO, domain_get_info },
    { REMOTE_PROC_DOMAIN_GET_STATE, domain_get_state },
    { REMOTE_PROC_DOMAIN_IS_ACTIVE, domain_is_active_handler },
    { REMOTE_PROC_DOMAIN_IS_PERSISTENT, domain_is_persistent_handler },
    { REMOTE_PROC_DOMAIN_IS_UPDATED, domain_is_updated_handler },
    { REMOTE_PROC_DOMAIN_GET_AUTOSTART, domain_get_autostart_handler },
    { REMOTE_PROC_DOMAIN_SET_AUTOSTART, domain_set_autostart },
    { REMOTE_PROC_DOMAIN_GET_OS_TYPE, domain_get_os_type_handler },
    { REMOTE_PROC_DOMAIN_GET_MAX_MEMORY, domain_get_max_memory_handler },
    { REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, domain_has_managed_save_image_handler },
    { REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL, domain_get_security_label_handler },
    { REMOTE_PROC_DOMAIN_GET_MESSAGES, domain_get_messages },
};

/* These only take a domain's lock for a moment (never its job, never QEMU):
 * safe to run on the main loop. */
static const int inline_procs[] = {
    REMOTE_PROC_DOMAIN_GET_XML_DESC,
    REMOTE_PROC_DOMAIN_GET_INFO,
    REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
    REMOTE_PROC_CONNECT_LIST_DOMAINS,
    REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS,
    REMOTE_PROC_CONNECT_NUM_OF_DOMAINS,
    REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS,
    REMOTE_PROC_DOMAIN_GET_AUTOSTART,
    REMOTE_PROC_DOMAIN_GET_OS_TYPE,
    REMOTE_PROC_DOMAIN_GET_MAX_MEMORY,
    REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE,
    REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL,
};

void
vk_qemu_domain_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
    vk_rpc_program_set_inline(remote, inline_procs, G_N_ELEMENTS(inline_procs));
}
