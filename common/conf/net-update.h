/* update-device for interfaces (virsh domif-setlink): a running guest's
 * interface changes its link state; a persistent definition has the
 * interface replaced.  libvirt's checks and errors. */
#pragma once

#include "common/conf/domain-device.h"

/* The index of DEF's interface that DEV names (as detach finds it), once
 * DEV is checked to change nothing a running guest's interface cannot
 * change (its link state can); -1 with libvirt's error. */
int vk_domain_def_find_net_change(const VkDomainDef *def, const VkDomainDeviceDef *dev);

/* update-device of a persistent definition: the interface DEV names is
 * replaced by DEV's (DEV gives it up), which keeps the old one's address
 * when it gives none. */
int vk_domain_def_update_net(VkDomainDef *def, VkDomainDeviceDef *dev);

/* Whether NET's link is up (no <link state=> means up). */
bool vk_domain_net_link_up(const VkDomainNetDef *net);
