/* A definition as the QEMU driver keeps it: parsed, with the defaults
 * libvirt's QEMU driver adds and every PCI address assigned. */
#pragma once

#include "common/conf/domain.h"

/* Parse XML and make it ready to save or start; NULL with libvirt's error
 * (nothing is kept of a definition that fails). */
VkDomainDef *vk_qemu_domain_prepare(const char *xml);
