/* A guest's <seclabel model='dac'>: the DAC settings it asks for, and the
 * element the live XML shows (libvirt's virSecurityDACGenLabel). */
#pragma once

#include "common/conf/domain.h"
#include "drivers/qemu/security/dac-config.h"

/* DEF's DAC settings: BASE (qemu.conf), or those of its own <seclabel
 * model='dac'>: type='static' runs QEMU as its <label>, relabel='no' (or
 * type='none') chowns nothing.  NULL with an error for a label naming no
 * one. */
VkDacConfig *vk_qemu_dac_for_domain(const VkDacConfig *base, const VkDomainDef *def);

/* The live XML's seclabel, as libvirt fills it in: without a DAC one in
 * DEF (or one without its label), <seclabel type='dynamic' model='dac'
 * relabel='yes'> with the +UID:+GID of CFG as label and image label; a
 * static one that relabels gets its label as image label. */
void vk_qemu_dac_add_seclabel(const VkDacConfig *cfg, VkDomainDef *def);
