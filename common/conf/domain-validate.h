/* The checks libvirt's QEMU driver makes on a definition once its defaults
 * and addresses are in place (qemu_validate.c's at define), for what
 * Virtkit models: firmware and ACPI, BIOS serial console, lifecycle actions,
 * IOMMU, virtiofs shared memory. */
#pragma once

#include "common/conf/domain.h"

/* 0 when DEF is acceptable, else -1 with libvirt's error (VIR_FROM_QEMU). */
int vk_domain_def_validate(const VkDomainDef *def);
