/* A guest's host PCI devices (<hostdev mode='subsystem' type='pci'>) at its
 * start and stop, through common/pci's binding steps as libvirt 9.0 takes
 * them: its support check first (on a host without VFIO the start is
 * refused before anything is written), then the managed devices detached
 * to vfio-pci, reset, and given back at stop.  The driver keeps which guest
 * holds which device. */
#pragma once

#include "common/pci/host-binding.h"
#include "drivers/qemu/core/domain-obj.h"

/* The binder of the driver's host PCI steps (its state under the run dir);
 * free *STATE_DIR after use.  Tests point ROOT at a sysfs tree of their own
 * through VIRTKIT_TEST_PCI_ROOT (the binder then logs its writes there and
 * waits for the test, playing the kernel, to take each bind/unbind/probe);
 * a daemon otherwise works on "/". */
void vk_qemu_pci_binder_init(VkPciBinder *b, char **state_dir);

/* At start, OBJ (locked, its live definition in place, its network ports
 * made): its PCI hostdevs and the host devices of its interfaces (type
 * hostdev, or a hostdev network's VF, whose MAC is then set through its
 * PF).  -1 with libvirt's error, nothing left detached. */
int vk_qemu_hostdevs_prepare(VkDomainObj *obj);
/* After a daemon restart: OBJ (running) holds its devices again. */
void vk_qemu_hostdevs_adopt(VkDomainObj *obj);
/* At stop: the devices go back (those the start detached). */
void vk_qemu_hostdevs_release(VkDomainObj *obj);
