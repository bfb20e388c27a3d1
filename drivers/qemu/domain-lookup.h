/* From a client's domain reference to our object, and back. */
#pragma once

#include "drivers/qemu/domain-obj.h"
#include "remote-protocol.h"

/* The object a reference names (looked up by UUID, as libvirt does), with a
 * new reference; NULL with libvirt's "no domain with matching uuid" error. */
VkDomainObj *vk_qemu_domain_from_ref(const remote_nonnull_domain *ref);

/* Fill REF (strings allocated with malloc, for XDR to free) from DEF. */
void vk_qemu_domain_make_ref(remote_nonnull_domain *ref, const VkDomainDef *def);
