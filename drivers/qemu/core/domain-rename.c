#include "drivers/qemu/core/domain-rename.h"

#include "common/util/error.h"
#include "drivers/qemu/core/domain-store.h"
#include "drivers/qemu/core/save-restore.h"
#include "drivers/qemu/core/snapshot-store.h"
#include "drivers/qemu/driver.h"
#include "virtkit/virtkit.h"

/* libvirt's checks, in its order: the QEMU driver's first, then those of
 * the domain list (virDomainObjListRename). */
static int
check_rename(VkDomainObj *obj, const char *new_name)
{
    const char *refusal = NULL;
    g_autoptr(VkDomainObj) other = NULL;

    if (vk_domain_obj_is_active(obj))
        refusal = "cannot rename active domain";
    else if (!obj->persistent)
        refusal = "cannot rename a transient domain";
    else if (vk_qemu_has_managed_save(obj))
        refusal = "domain with a managed saved state can't be renamed";
    if (refusal) {
        vk_error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, "%s", refusal);
        return -1;
    }
    if (g_str_equal(obj->def->name, new_name)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s",
                        "Can't rename domain to itself");
        return -1;
    }
    if ((other = vk_domain_list_find_by_name(vk_qemu_driver()->domains, new_name))) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                        "domain with name '%s' already exists", new_name);
        return -1;
    }
    return 0;
}

/* The definition saved (and autostart link made) under NEW_NAME as well;
 * on failure nothing of it stays. */
static int
save_config_as(VkDomainObj *obj, const char *new_name)
{
    VkStore *store = vk_qemu_driver()->store;
    char *own_name = obj->def->name;
    int rc;

    obj->def->name = (char *) new_name;   /* borrowed while the file is written */
    rc = vk_domain_store_save_config(store, obj->def);
    obj->def->name = own_name;
    if (rc == 0 && obj->autostart)
        rc = vk_store_set_autostart(store, new_name, true);
    if (rc < 0)
        vk_store_delete_config(store, new_name);
    return rc;
}

int
vk_qemu_domain_rename(VkDomainObj *obj, const char *new_name)
{
    VkQemuDriver *driver = vk_qemu_driver();
    g_autofree char *old_name = NULL;

    if (check_rename(obj, new_name) < 0 || save_config_as(obj, new_name) < 0)
        return -1;
    /* a define of NEW_NAME may have come in since the check */
    if (!vk_object_list_rename(driver->domains, &obj->parent, new_name)) {
        vk_error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                        "domain with name '%s' already exists", new_name);
        vk_store_delete_config(driver->store, new_name);
        return -1;
    }
    if (vk_qemu_snapshots_rename(obj, new_name) < 0) {
        g_warning("domain '%s' renamed, its snapshots not: %s", new_name, vk_error_last_message());
        vk_error_reset();
    }
    old_name = obj->def->name;
    obj->def->name = g_strdup(new_name);
    vk_store_delete_config(driver->store, old_name);
    return 0;
}
