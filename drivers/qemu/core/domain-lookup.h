/* From a client's domain reference to our object, and back. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"
#include "remote-protocol.h"

/* The object a reference names (looked up by UUID, as libvirt does), with a
 * new reference; NULL with libvirt's "no domain with matching uuid" error. */
VkDomainObj *vk_qemu_domain_from_ref(const remote_nonnull_domain *ref);

/* The object REF names, locked and with its job taken (no other change
 * until vk_qemu_domain_end()); NULL with an error. */
VkDomainObj *vk_qemu_domain_begin(const remote_nonnull_domain *ref);

/* Give back what vk_qemu_domain_begin() took; returns RC, for
 * "return vk_qemu_domain_end(obj, -1);". */
int vk_qemu_domain_end(VkDomainObj *obj, int rc);

/* Whether OBJ (locked) passes the filter groups of FLAGS
 * (virConnectListAllDomainsFlags): within a group any bit matches; a group
 * with no bit set matches everything. */
bool vk_qemu_domain_matches_list_flags(VkDomainObj *obj, unsigned int flags);

/* Fill REF (strings allocated with malloc, for XDR to free) from DEF. */
void vk_qemu_domain_make_ref(remote_nonnull_domain *ref, const VkDomainDef *def);
