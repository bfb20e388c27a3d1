/* The tuning elements of a definition (<cputune>, <memtune>, <blkiotune>,
 * <numatune>, <resource>), which the definition keeps as XML in libvirt's
 * form (domain-raw.h): one child's value read, set or removed, the element
 * put back in libvirt's order and units.  For virsh schedinfo, memtune,
 * vcpupin... --config and for applying them at start. */
#pragma once

#include "common/conf/domain.h"

/* Which child of ELEMENT: the first named CHILD, and when ATTR is given,
 * with ATTR=ATTR_VALUE (<vcpupin vcpu='1'>). */
typedef struct {
    const char *element;     /* "cputune" */
    const char *child;       /* "shares", "vcpupin" */
    const char *attr;        /* NULL, or "vcpu" */
    const char *attr_value;
} VkDomainTuneKey;

/* The child's text, or (VALUE_ATTR given) that attribute of it ("cpuset");
 * NULL when absent. */
char *vk_domain_tune_get(const VkDomainDef *def, const VkDomainTuneKey *key,
                         const char *value_attr);

/* Set the child's text (or its VALUE_ATTR) to VALUE, making the element and
 * the child as needed; VALUE NULL removes the child, and the element when
 * nothing is left in it.  UNIT ("KiB") goes into a unit= attribute. */
void vk_domain_tune_set(VkDomainDef *def, const VkDomainTuneKey *key, const char *value_attr,
                        const char *value, const char *unit);

/* <blkiotune>'s <device> entries: FIELD ("weight", "read_iops_sec",
 * "write_iops_sec", "read_bytes_sec", "write_bytes_sec") of the device at
 * PATH, NULL when not given; the paths in document order. */
char *vk_domain_blkio_device_get(const VkDomainDef *def, const char *path, const char *field);
GStrv vk_domain_blkio_device_paths(const VkDomainDef *def);
/* Set it (VALUE NULL removes it; a device left with nothing goes, and the
 * element when it is empty), children kept in libvirt's order. */
void vk_domain_blkio_device_set(VkDomainDef *def, const char *path, const char *field,
                                const char *value);

/* libvirt's parse-time checks of the tuning elements (VIR_FROM_DOMAIN
 * errors: bandwidth ranges, a <device> without <path>, an unknown NUMA
 * mode), and its silent drop of <vcpupin>s beyond the vCPU count. */
int vk_domain_tune_check(VkDomainDef *def);
/* The QEMU driver's check at define: no <min_guarantee>. */
int vk_domain_tune_validate_qemu(const VkDomainDef *def);
