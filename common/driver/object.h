/* The live object every driver keeps (a domain, a network, a storage pool,
 * a node device): reference counted, locked, and with a job that makes long
 * operations queue instead of racing.  A driver's object type embeds
 * VkObject as its first member; lists (object-list.h) index it by the
 * identity kept here. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/util/uuid.h"

typedef struct _VkObject VkObject;

typedef struct {
    const char *name;               /* "domain", "network": for messages */
    int error_domain;               /* VIR_FROM_*: the type's errors */
    guint job_wait_ms;              /* how long a job waits for another (libvirt: 30 s) */
    void (*dispose)(VkObject *obj); /* frees what the type added; may be NULL */
    /* called, locked, whenever a job on OBJ ends, by whatever means: every
     * change of an object happens under its job, so this is where what is
     * derived from it (a cached document) goes stale; may be NULL */
    void (*job_ended)(VkObject *obj);
} VkObjectClass;

struct _VkObject {
    const VkObjectClass *klass;
    gint refs;
    GMutex lock;            /* guards the object, with the type's fields */
    GCond job_done;
    bool job_active;
    const char *job_owner;  /* the API whose call holds the job, or NULL */
    bool removed;           /* gone from its list: lookups must not find it */

    /* Identity, as the list indexes it: only the list changes these, under
     * its own lock (so listings need no object lock). */
    char *name;
    unsigned char uuid[VK_UUID_BUFLEN];
    int id;                 /* -1 when inactive, or for types without ids */
};

/* Initialize OBJ (one reference, the caller's) with its identity. */
void vk_object_init(VkObject *obj, const VkObjectClass *klass, const char *name,
                    const unsigned char *uuid);

gpointer vk_object_ref(gpointer obj);
void vk_object_unref(gpointer obj);

void vk_object_lock(VkObject *obj);
void vk_object_unlock(VkObject *obj);

/* Take OBJ's job (called with OBJ locked; the lock is dropped while
 * waiting).  The job is recorded as held by the RPC call this thread runs.
 * -1 with libvirt's "Timed out during operation: cannot acquire state change
 * lock (held by monitor=remoteDispatch...)" when the holder keeps it past
 * the class's job_wait_ms. */
int vk_object_begin_job(VkObject *obj);
/* The same without a time limit, for the driver's own work that must not
 * be dropped (a guest's shutdown event, say). */
void vk_object_begin_internal_job(VkObject *obj);
void vk_object_end_job(VkObject *obj);

/* For a handler that looked OBJ up (holding a reference): lock it and take
 * its job.  On failure OBJ is unlocked and the reference dropped, so the
 * caller just returns -1. */
int vk_object_acquire(VkObject *obj);
/* Undo vk_object_acquire(): end the job, unlock, drop the reference.
 * Returns RC, for "return vk_object_release(obj, -1);". */
int vk_object_release(VkObject *obj, int rc);
