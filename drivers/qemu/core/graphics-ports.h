/* Ports of VNC and SPICE displays with autoport: the first free one from
 * 5900, as libvirt picks it, remembered until the guest stops so that two
 * guests starting at once never get the same one. */
#pragma once

#include "common/conf/domain.h"

typedef struct _VkQemuPorts VkQemuPorts;

VkQemuPorts *vk_qemu_ports_new(void);
void vk_qemu_ports_free(VkQemuPorts *ports);

/* Give DEF's displays that want one a port; -1 with libvirt's error when
 * none is free. */
int vk_qemu_ports_allocate(VkQemuPorts *ports, VkDomainDef *def);
/* A guest found running at restart keeps the ports it has. */
void vk_qemu_ports_reserve(VkQemuPorts *ports, const VkDomainDef *def);
/* DEF's guest stopped: its ports are free again. */
void vk_qemu_ports_release(VkQemuPorts *ports, const VkDomainDef *def);
