/* The host capabilities XML (`virsh capabilities`) and the domain
 * capabilities XML (`virsh domcapabilities`), in libvirt's formats, from
 * probed QEMU binaries plus facts read from the host. */
#pragma once

#include <glib.h>
#include "drivers/qemu/monitor/capabilities.h"

typedef struct {
    unsigned int id, socket_id, die_id, core_id;
    char *siblings;           /* e.g. "0,4" */
} VkHostCpu;

typedef struct {
    unsigned int id;
    guint64 memory_kib;
    GArray *page_counts;      /* guint64 per VkHostCaps.page_sizes_kib entry */
    GArray *distances;        /* (node id, value) pairs as guint */
    GPtrArray *cpus;          /* VkHostCpu* */
} VkHostCell;

typedef struct {
    unsigned int id, level;
    const char *type;         /* both, data, code */
    guint64 size_bytes;
    char *cpus;
} VkHostCacheBank;

typedef struct {
    char *uuid;
    char *arch;               /* uname machine: x86_64 */
    char *cpu_model;          /* NULL when no CPU map to decode with */
    char *cpu_vendor;         /* AMD, Intel, Hygon or NULL */
    guint64 microcode;        /* 0: unknown */
    unsigned int family, model, stepping;  /* family 0: unknown */
    guint64 tsc_hz;           /* 0: unknown */
    gboolean tsc_scaling;
    unsigned int sockets, dies, cores, threads;
    unsigned int phys_bits;   /* 0: unknown */
    GPtrArray *features;      /* libvirt's names, beyond the model's */
    GPtrArray *host_features; /* every feature the CPU has */
    GArray *page_sizes_kib;   /* guint */
    gboolean iommu;
    GPtrArray *cells;         /* VkHostCell* */
    GPtrArray *cache_banks;   /* VkHostCacheBank* */
    char *dac_label;          /* "+0:+0" */
    gboolean vfio;            /* /dev/vfio/vfio and IOMMU groups */
} VkHostCaps;

void vk_host_caps_free(VkHostCaps *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkHostCaps, vk_host_caps_free)

/* Read the host's facts.  SYSROOT ("/" normally) prefixes the sysfs and
 * procfs paths; CPU_MAP_DIR (NULL: /usr/share/libvirt/cpu_map) holds the
 * x86 CPU model and feature definitions used to name the host CPU as libvirt
 * does; HOST_UUID (NULL: DMI product UUID, else /etc/machine-id). CPUID is
 * read from the CPU this runs on (x86 only). */
VkHostCaps *vk_host_caps_read(const char *sysroot, const char *cpu_map_dir,
                              const char *host_uuid);

/* `virsh capabilities`: the host, then one <guest> per probed binary. */
char *vk_qemu_caps_format_capabilities(const VkHostCaps *host,
                                       VkQemuCaps *const *guests, guint n_guests);

/* `virsh domcapabilities` for CAPS.  MACHINE (NULL: the default machine;
 * aliases are made canonical) and VIRTTYPE ("kvm", "qemu" or NULL: kvm when
 * usable) as the API's arguments; FIRMWARE_DIR (NULL: /usr/share/qemu/firmware)
 * holds QEMU's firmware descriptors.  NULL with libvirt's error for a machine
 * the binary lacks or an unusable virttype. */
char *vk_qemu_caps_format_domain_caps(const VkHostCaps *host, const VkQemuCaps *caps,
                                      const char *machine, const char *virttype,
                                      const char *firmware_dir);
