/* What libvirt's VIR_DOMAIN_XML_MIGRATABLE leaves out of a domain's XML so
 * that an older libvirt on the other side accepts it: devices it adds by
 * itself.  Used by the formatter for VK_DOMAIN_FORMAT_MIGRATABLE. */
#pragma once

#include "common/conf/domain.h"

/* The default USB controller of an i440fx machine, or the lone pci-root. */
bool vk_domain_migratable_drops_controller(const VkDomainDef *def,
                                           const VkDomainControllerDef *ctrl);
/* The implicit PS/2 keyboard. */
bool vk_domain_migratable_drops_input(const VkDomainDef *def, const VkDomainInputDef *input);
/* The lone audio backend of type none that the defaults add. */
bool vk_domain_migratable_drops_audio(const VkDomainDef *def, const VkDomainAudioDef *audio);
