/* I/O threads of a running guest changed through QMP: object-add and
 * object-del of an iothread object, qom-set of its polling properties.
 * Objects are named iothreadN, as on the command line. */
#pragma once

#include "drivers/qemu/core/domain-obj.h"

/* Add I/O thread ID to the QEMU of OBJ (locked, with its job) and check
 * that QEMU lists it.  -1 with an error. */
int vk_qemu_iothread_hotplug_add(VkDomainObj *obj, unsigned int id);
/* Remove I/O thread ID from OBJ's QEMU.  -1 with an error. */
int vk_qemu_iothread_hotplug_del(VkDomainObj *obj, unsigned int id);
/* Set the property PROPERTY (poll-max-ns, poll-grow, ...) of I/O thread ID
 * to VALUE.  -1 with an error. */
int vk_qemu_iothread_set_property(VkDomainObj *obj, unsigned int id, const char *property,
                                  gint64 value);
