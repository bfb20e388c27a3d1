/* One device of a domain definition, as attach-device / detach-device see
 * it: parse it (with the defaults libvirt gives a device), check it against
 * a definition, add it, find the device of a definition it names and take
 * that out.  Disks and interfaces are modeled; other device elements parse
 * (their name is kept) so that callers can refuse them in libvirt's words. */
#pragma once

#include "common/conf/domain.h"

typedef struct {
    char *element;            /* "disk", "interface", "controller", ... */
    VkDomainDiskDef *disk;    /* <disk>, else NULL */
    VkDomainNetDef *net;      /* <interface>, else NULL */
} VkDomainDeviceDef;

void vk_domain_device_def_free(VkDomainDeviceDef *dev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainDeviceDef, vk_domain_device_def_free)

/* Parse XML, a document whose root is one device element, into the device
 * arrays of INTO with the domain parser's own element code; *ELEMENT (may be
 * NULL) gets the element's name.  Errors as libvirt's: malformed XML names
 * "(device_definition)"; an element that is no device is "unknown device
 * type".  Implemented in domain-parse.c, beside the element parsers. */
int vk_domain_def_parse_device_string(const char *xml, unsigned int flags, VkDomainDef *into,
                                      char **element);

/* Parse one device for DEF (its machine decides the defaults: disk bus and
 * driver, drive address; IDE refused on q35).  FLAGS: VkDomainParseFlags
 * (VK_DOMAIN_PARSE_INACTIVE drops non-user aliases).  NULL with an error. */
VkDomainDeviceDef *vk_domain_device_def_parse(const char *xml, const VkDomainDef *def,
                                              unsigned int flags);

/* Give DST the values SRC got without the user asking (the generated MAC):
 * the same device attached live and to the config is one device. */
void vk_domain_device_def_copy_generated(VkDomainDeviceDef *dst, const VkDomainDeviceDef *src);

/* Whether DEV may join DEF: a disk target must be new.  LIVE selects the
 * wording libvirt uses for a running guest. */
int vk_domain_def_check_new_device(const VkDomainDef *def, const VkDomainDeviceDef *dev,
                                   bool live);

/* Move DEV's disk or interface into DEF (DEV's pointer becomes NULL).  Disks go where libvirt puts them: among the disks of the
 * same bus, in target order; interfaces at the end.  Returns its
 * VkDeviceInfo, or NULL (nothing added) for an element that is neither. */
VkDeviceInfo *vk_domain_def_add_device(VkDomainDef *def, VkDomainDeviceDef *dev);

/* attach-device to a persistent definition: check DEV, add it (DEV gives
 * it up), then what define does: the defaults (a SCSI disk gets its
 * controller) and PCI address assignment, which keeps every address DEF has
 * and adds the controllers the new device needs.  OPTS as for
 * vk_domain_def_apply_defaults_opts().  On failure DEF may be partly
 * changed: work on a copy. */
int vk_domain_def_attach_device(VkDomainDef *def, VkDomainDeviceDef *dev,
                                const VkDomainDefaultsOptions *opts);

/* detach-device from a persistent definition: the device DEV names goes.
 * -1 with libvirt's error when there is none (DEF unchanged but for the
 * order of its controllers, which becomes the one libvirt reads back). */
int vk_domain_def_detach_device(VkDomainDef *def, const VkDomainDeviceDef *dev);

/* detach-device-alias on a persistent definition: the disk or interface
 * whose (user) alias is ALIAS goes; libvirt's "no device found with alias"
 * otherwise. */
int vk_domain_def_detach_device_alias(VkDomainDef *def, const char *alias);

/* The index in DEF->disks / DEF->nets of the device DEV names: a disk by its
 * target, an interface by its MAC (when given), PCI address and alias (when
 * given).  -1 with libvirt's "device not found" error (LIVE: its wording for
 * a running guest) or "multiple matching devices". */
int vk_domain_def_find_device(const VkDomainDef *def, const VkDomainDeviceDef *dev, bool live);

/* Take the device at INDEX (of DEV's kind) out of DEF and return it, as a
 * device of its own (the caller frees it). */
VkDomainDeviceDef *vk_domain_def_remove_device(VkDomainDef *def, const VkDomainDeviceDef *dev,
                                               guint index);

/* The VkDeviceInfo of DEV's disk or interface, or NULL. */
VkDeviceInfo *vk_domain_device_def_info(const VkDomainDeviceDef *dev);
