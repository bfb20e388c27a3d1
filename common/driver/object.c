#include "common/driver/object.h"

#include <string.h>

#include "common/rpc/program.h"
#include "common/util/error.h"

void
vk_object_init(VkObject *obj, const VkObjectClass *klass, const char *name,
               const unsigned char *uuid)
{
    obj->klass = klass;
    obj->refs = 1;
    g_mutex_init(&obj->lock);
    g_cond_init(&obj->job_done);
    obj->name = g_strdup(name);
    memcpy(obj->uuid, uuid, VK_UUID_BUFLEN);
    obj->id = -1;
}

gpointer
vk_object_ref(gpointer data)
{
    VkObject *obj = data;

    g_atomic_int_inc(&obj->refs);
    return obj;
}

void
vk_object_unref(gpointer data)
{
    VkObject *obj = data;

    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    if (obj->klass->dispose)
        obj->klass->dispose(obj);
    g_free(obj->name);
    g_mutex_clear(&obj->lock);
    g_cond_clear(&obj->job_done);
    g_free(obj);
}

void
vk_object_lock(VkObject *obj)
{
    g_mutex_lock(&obj->lock);
}

void
vk_object_unlock(VkObject *obj)
{
    g_mutex_unlock(&obj->lock);
}

int
vk_object_begin_job(VkObject *obj)
{
    gint64 deadline = g_get_monotonic_time() + (gint64) obj->klass->job_wait_ms * 1000;

    while (obj->job_active) {
        if (!g_cond_wait_until(&obj->job_done, &obj->lock, deadline) && obj->job_active) {
            /* libvirt names the holder by its dispatch function */
            if (obj->job_owner)
                vk_error_report(obj->klass->error_domain, VIR_ERR_OPERATION_TIMEOUT,
                                "cannot acquire state change lock (held by "
                                "monitor=remoteDispatch%s)",
                                obj->job_owner + (g_str_has_prefix(obj->job_owner, "vir") ? 3 : 0));
            else
                vk_error_report(obj->klass->error_domain, VIR_ERR_OPERATION_TIMEOUT, "%s",
                                "cannot acquire state change lock");
            return -1;
        }
    }
    obj->job_active = true;
    obj->job_owner = vk_rpc_current_api();
    return 0;
}

void
vk_object_begin_internal_job(VkObject *obj)
{
    while (obj->job_active)
        g_cond_wait(&obj->job_done, &obj->lock);
    obj->job_active = true;
    obj->job_owner = NULL;
}

void
vk_object_end_job(VkObject *obj)
{
    obj->job_active = false;
    obj->job_owner = NULL;
    if (obj->klass->job_ended)
        obj->klass->job_ended(obj);
    g_cond_broadcast(&obj->job_done);
}

int
vk_object_acquire(VkObject *obj)
{
    vk_object_lock(obj);
    if (vk_object_begin_job(obj) < 0) {
        vk_object_unlock(obj);
        vk_object_unref(obj);
        return -1;
    }
    return 0;
}

int
vk_object_release(VkObject *obj, int rc)
{
    vk_object_end_job(obj);
    vk_object_unlock(obj);
    vk_object_unref(obj);
    return rc;
}
