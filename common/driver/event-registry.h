/* Which clients want which events of one object type (domains, networks,
 * storage pools, node devices), as libvirt's remote protocol registers
 * them, and the sending of each event to every matching client.  Each
 * driver keeps one registry per object type and builds the messages; a
 * client's registrations go when it does. */
#pragma once

#include <stdbool.h>

#include <rpc/types.h>
#include <rpc/xdr.h>

#include "common/driver/object.h"
#include "common/rpc/server.h"

typedef struct _VkEventRegistry VkEventRegistry;

/* KIND names the type in errors ("domain event 3 already registered");
 * event ids run from 0 to N_EVENT_IDS - 1; ERROR_DOMAIN is VIR_FROM_*. */
VkEventRegistry *vk_event_registry_new(const char *kind, int n_event_ids, int error_domain);
void vk_event_registry_free(VkEventRegistry *registry);

/* The callback form (virConnect*EventRegisterAny through a callback id):
 * the new id (the client's next, vk_server_client_new_callback_id), or -1
 * with libvirt's error.  UUID NULL: every object. */
int vk_event_registry_add_callback(VkEventRegistry *registry, VkServerClient *client,
                                   int event_id, const unsigned char *uuid);
int vk_event_registry_remove_callback(VkEventRegistry *registry, VkServerClient *client,
                                      int callback_id);

/* The old domain forms, without callback ids: one registration per client
 * and event id, or with LEGACY the lifecycle-only virConnectDomainEventRegister. */
int vk_event_registry_add_plain(VkEventRegistry *registry, VkServerClient *client,
                                int event_id, bool legacy);
int vk_event_registry_remove_plain(VkEventRegistry *registry, VkServerClient *client,
                                   int event_id, bool legacy);

/* One event in the forms a registration may want.  The callback form's
 * payload keeps its callback id at *CALLBACK_ID, set for each client. */
typedef struct {
    int event_id;
    int plain_proc;              /* 0: no plain form (newer events) */
    xdrproc_t plain_filter;
    void *plain_msg;
    int callback_proc;
    xdrproc_t callback_filter;
    void *callback_msg;
    int *callback_id;
    const unsigned char *uuid;   /* of the object the event is about */
} VkEventMessage;

/* How many registrations there are (all clients). */
guint vk_event_registry_count(VkEventRegistry *registry);

/* Send M to every client registered for it.  Call without object locks. */
void vk_event_registry_emit(VkEventRegistry *registry, const VkEventMessage *m);

/* Who an event is about: OBJ's name, UUID and id, taken while it is locked
 * (vk_event_subject_of) and used once it is unlocked, when events go out;
 * the driver's emit function frees it (vk_event_subject_clear). */
typedef struct {
    char *name;
    unsigned char uuid[VK_UUID_BUFLEN];
    int id;   /* -1 for types without ids, and for domains shut off */
} VkEventSubject;

void vk_event_subject_of(VkEventSubject *s, const VkObject *obj);
void vk_event_subject_clear(VkEventSubject *s);
