/* Domain events: the driver emits lifecycle, reboot, device, tray, balloon
 * and metadata events to every client whose registration matches (clients
 * register through event-handlers.h). */
#pragma once

#include "common/conf/domain.h"
#include "common/driver/event-registry.h"
#include "common/rpc/program.h"
#include "drivers/qemu/core/domain-obj.h"
#include "virtkit/virtkit.h"   /* the events' and details' VIR_DOMAIN_EVENT_* */

/* The driver's registry of domain event registrations. */
VkEventRegistry *vk_qemu_events_new(void);


/* A lifecycle event of OBJ (locked) to every client registered for it. */
void vk_qemu_emit_lifecycle(VkDomainObj *obj, int event, int detail);

/* Emit to every matching registration.  Call without domain locks held. */
void vk_qemu_event_lifecycle(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                             int id, int event, int detail);
void vk_qemu_event_reboot(VkEventRegistry *events, const char *name, const unsigned char *uuid,
                          int id);
void vk_qemu_event_device_removed(VkEventRegistry *events, const char *name,
                                  const unsigned char *uuid, int id, const char *alias);
void vk_qemu_event_device_added(VkEventRegistry *events, const char *name,
                                const unsigned char *uuid, int id, const char *alias);
/* A removable drive's tray (ALIAS: the disk's) opened or closed. */
void vk_qemu_event_tray_change(VkEventRegistry *events, const char *name,
                               const unsigned char *uuid, int id, const char *alias, bool opened);
/* The balloon now gives the guest ACTUAL_KIB. */
void vk_qemu_event_balloon_change(VkEventRegistry *events, const char *name,
                                  const unsigned char *uuid, int id, guint64 actual_kib);
/* TYPE: virDomainMetadataType (description, title, element with NSURI). */
void vk_qemu_event_metadata_change(VkEventRegistry *events, const char *name,
                                   const unsigned char *uuid, int id, int type,
                                   const char *nsuri);
