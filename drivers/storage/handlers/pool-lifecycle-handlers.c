/* A pool's life: start (virStoragePoolCreate, with an optional build),
 * transient pools (CreateXML), build, destroy, delete and refresh. */
#include <stdlib.h>
#include <string.h>

#include "common/util/arg-checks.h"
#include "common/util/error.h"
#include "drivers/storage/backends/backend.h"
#include "drivers/storage/core/pool-events.h"
#include "drivers/storage/core/pool-lookup.h"
#include "drivers/storage/core/pool-start.h"
#include "drivers/storage/driver.h"
#include "drivers/storage/handlers/handlers.h"
#include "remote-protocol.h"

#define CREATE_FLAGS (VK_POOL_CREATE_WITH_BUILD | VK_POOL_CREATE_WITH_BUILD_OVERWRITE | \
                      VK_POOL_CREATE_WITH_BUILD_NO_OVERWRITE)
#define BUILD_FLAGS (VK_STORAGE_POOL_BUILD_NO_OVERWRITE | VK_STORAGE_POOL_BUILD_OVERWRITE)

static int
check_inactive(VkStoragePoolObj *obj, const char *what)
{
    if (!obj->active)
        return 0;
    vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                    "storage pool '%s' is %s", obj->def->name, what);
    return -1;
}

/* OBJ (locked, job held) started, or -1; its event subject in *S. */
static int
start_pool(VkStorageDriver *driver, VkStoragePoolObj *obj, unsigned int flags,
           VkEventSubject *s)
{
    if (check_inactive(obj, "already active") < 0 ||
        vk_storage_pool_start(driver, obj, flags) < 0)
        return -1;
    vk_event_subject_of(s, &obj->parent);
    return 0;
}

static int
pool_create(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_create_args *args = argsp;
    VkStorageDriver *driver = vk_storage_driver();
    VkStoragePoolObj *obj;
    VkEventSubject subject;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, CREATE_FLAGS, "storagePoolCreate") < 0 ||
        !(obj = vk_storage_pool_begin(&args->pool)))
        return -1;
    if (start_pool(driver, obj, args->flags, &subject) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_object_release(&obj->parent, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_STARTED);
    return 0;
}

static int
pool_create_xml(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_create_xml_args *args = argsp;
    VkStorageDriver *driver = vk_storage_driver();
    VkEventSubject subject;
    VkStoragePoolObj *obj;
    VkObjectPlacing p;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, CREATE_FLAGS, "storagePoolCreateXML") < 0 ||
        vk_object_place_begin(&driver->placer, args->xml, &p) < 0)
        return -1;
    obj = (VkStoragePoolObj *) p.obj;
    if (p.existed) {
        vk_error_report(VIR_FROM_STORAGE, VIR_ERR_OPERATION_INVALID,
                        "storage pool '%s' is already %s", obj->def->name,
                        obj->active ? "active" : "defined");
        return vk_object_place_end(&driver->placer, &p, -1);
    }
    if (start_pool(driver, obj, args->flags, &subject) < 0)
        return vk_object_place_end(&driver->placer, &p, -1);
    vk_storage_pool_make_ref(&((remote_storage_pool_create_xml_ret *) retp)->pool, obj->def);
    vk_object_place_end(&driver->placer, &p, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_STARTED);
    return 0;
}

static int
pool_build(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_build_args *args = argsp;
    VkStorageDriver *driver = vk_storage_driver();
    VkStoragePoolObj *obj;
    VkEventSubject subject;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, BUILD_FLAGS, "storagePoolBuild") < 0 ||
        vk_storage_check_build_flags(args->flags) < 0 ||
        !(obj = vk_storage_pool_begin(&args->pool)))
        return -1;
    if (check_inactive(obj, "already active") < 0 || vk_storage_pool_build(obj, args->flags) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_CREATED);
    return 0;
}

static int
pool_destroy(VkServerClient *client, void *argsp, void *retp)
{
    VkStorageDriver *driver = vk_storage_driver();
    VkStoragePoolObj *obj = vk_storage_pool_begin(
        &((remote_storage_pool_destroy_args *) argsp)->pool);
    VkEventSubject subject;

    if (!obj)
        return -1;
    if (vk_storage_pool_check_active(obj) < 0)
        return vk_object_release(&obj->parent, -1);
    if (vk_storage_vol_busy_check(obj) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_storage_pool_stop(driver, obj);
    vk_event_subject_of(&subject, &obj->parent);
    if (!obj->persistent)
        vk_object_list_remove(driver->pools, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_STOPPED);
    return 0;
}

static int
pool_delete(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_delete_args *args = argsp;
    VkStorageDriver *driver = vk_storage_driver();
    VkStoragePoolObj *obj;
    VkEventSubject subject;

    /* virStoragePoolDeleteFlags: NORMAL 0, ZEROED 1 */
    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 1, "storagePoolDelete") < 0 ||
        !(obj = vk_storage_pool_begin(&args->pool)))
        return -1;
    if (check_inactive(obj, "still active") < 0 || vk_storage_pool_delete(obj, args->flags) < 0)
        return vk_object_release(&obj->parent, -1);
    vk_event_subject_of(&subject, &obj->parent);
    vk_object_release(&obj->parent, 0);
    vk_pool_event_emit(driver->events, &subject, VK_POOL_EVENT_DELETED);
    return 0;
}

/* A refresh that fails stops the pool, as libvirt does. */
static int
pool_refresh(VkServerClient *client, void *argsp, void *retp)
{
    remote_storage_pool_refresh_args *args = argsp;
    VkStorageDriver *driver = vk_storage_driver();
    VkStoragePoolObj *obj;
    VkEventSubject subject;
    int event = VK_POOL_EVENT_REFRESHED;
    int rc = 0;

    if (vk_check_flags(VIR_FROM_STORAGE, args->flags, 0, "storagePoolRefresh") < 0 ||
        !(obj = vk_storage_pool_begin(&args->pool)))
        return -1;
    if (vk_storage_pool_check_active(obj) < 0 || vk_storage_vol_busy_check(obj) < 0)
        return vk_object_release(&obj->parent, -1);
    if (vk_storage_pool_refresh(driver, obj) < 0) {
        g_autoptr(VkError) err = vk_error_steal();
        vk_storage_pool_stop(driver, obj);
        vk_error_set(g_steal_pointer(&err));
        event = VK_POOL_EVENT_STOPPED;
        rc = -1;
    }
    vk_event_subject_of(&subject, &obj->parent);
    if (rc < 0 && !obj->persistent)
        vk_object_list_remove(driver->pools, &obj->parent);
    vk_object_release(&obj->parent, rc);
    vk_pool_event_emit(driver->events, &subject, event);
    return rc;
}

static const VkRpcHandlerEntry handlers[] = {
    { REMOTE_PROC_STORAGE_POOL_CREATE, pool_create },
    { REMOTE_PROC_STORAGE_POOL_CREATE_XML, pool_create_xml },
    { REMOTE_PROC_STORAGE_POOL_BUILD, pool_build },
    { REMOTE_PROC_STORAGE_POOL_DESTROY, pool_destroy },
    { REMOTE_PROC_STORAGE_POOL_DELETE, pool_delete },
    { REMOTE_PROC_STORAGE_POOL_REFRESH, pool_refresh },
};

void
vk_storage_pool_lifecycle_handlers_register(VkRpcProgram *remote)
{
    vk_rpc_program_add_handlers(remote, handlers, G_N_ELEMENTS(handlers));
}
