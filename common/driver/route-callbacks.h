/* The event callback ids of one client of the router (for
 * common/driver/router.c and route-upstream.c): each daemon numbers the
 * callbacks registered on its connection on its own, so the router gives
 * the client ids of its own (vk_server_client_new_callback_id: one
 * sequence with the daemon's local registrations), maps them to (kind,
 * daemon's id) in the replies to *_EVENT_REGISTER_ANY, back in
 * *_EVENT_DEREGISTER_ANY, and in the events that carry a callbackID (the
 * first field of their body).  Only those few frames are looked into, at
 * that one field; everything else passes as it is.  Usable from any
 * thread. */
#pragma once

#include <stdbool.h>

#include "common/rpc/message.h"
#include "common/rpc/server.h"
#include "protocol/proc-info.h"

typedef struct _VkRouteCallbacks VkRouteCallbacks;

/* What a procedure does with a callback id. */
typedef enum {
    VK_ROUTE_CB_NONE,
    VK_ROUTE_CB_REGISTER,     /* the reply carries the new id */
    VK_ROUTE_CB_DEREGISTER,   /* the call carries the id */
    VK_ROUTE_CB_EVENT,        /* the event carries it */
} VkRouteCbRole;

/* The kinds of registration, each a list of its own on the daemons. */
typedef enum {
    VK_ROUTE_CB_DOMAIN,
    VK_ROUTE_CB_NETWORK,
    VK_ROUTE_CB_POOL,
    VK_ROUTE_CB_NODEDEV,
    VK_ROUTE_CB_SECRET,
    VK_ROUTE_CB_QEMU_MONITOR,
} VkRouteCbKind;

/* PROG's procedure PROC's role, and its KIND when it has one. */
VkRouteCbRole vk_route_callback_role(guint32 prog, int proc, VkRouteCbKind *kind);

VkRouteCallbacks *vk_route_callbacks_new(void);
void vk_route_callbacks_free(VkRouteCallbacks *cbs);

/* A registration's REPLY from OWNER's daemon (an error passes as it is):
 * the daemon's id becomes a new id of CLIENT, in REPLY too. */
void vk_route_callbacks_registered(VkRouteCallbacks *cbs, VkServerClient *client,
                                   VkProcOwner owner, VkRouteCbKind kind, VkMessage *reply);
/* CALL deregisters one of the client's ids of KIND: it now names the
 * daemon's, and *CLIENT_ID the client's.  -1 with libvirt's error when the
 * client holds no such id (never had it, or its daemon went away). */
int vk_route_callbacks_deregistering(VkRouteCallbacks *cbs, VkRouteCbKind kind,
                                     VkMessage *call, int *client_id);
/* The daemon confirmed the deregistration of CLIENT_ID. */
void vk_route_callbacks_forget(VkRouteCallbacks *cbs, int client_id);
/* An EVENT of KIND from OWNER's daemon now names the client's id; false:
 * it is for no id of the client (dropped, not sent). */
bool vk_route_callbacks_event(VkRouteCallbacks *cbs, VkProcOwner owner, VkRouteCbKind kind,
                              VkMessage *event);
/* OWNER's daemon went away, and with it every registration there. */
void vk_route_callbacks_forget_owner(VkRouteCallbacks *cbs, VkProcOwner owner);
