/* libvirt's x86 CPU map as installed with libvirt (/usr/share/libvirt/cpu_map):
 * the feature names libvirt uses, in its CPUID order, with their CPUID bits and
 * migratability, and its named models.  Read at run time, never copied: it
 * names the host CPU (capabilities-xml.c) and is what libvirt's answers about
 * CPU models are made of (core/cpu-model.c). */
#pragma once

#include <glib.h>

#define VK_CPU_MAP_DIR "/usr/share/libvirt/cpu_map"

typedef struct {
    char *name;
    guint32 leaf, subleaf;
    guint32 regs[4];          /* eax, ebx, ecx, edx masks */
    gboolean migratable;      /* FALSE: migratable='no' (invtsc, xsaves) */
} VkCpuMapFeature;

typedef struct {
    char *name;
    char *vendor;             /* Intel, AMD, Hygon or NULL */
    gboolean decode_host;     /* <decode host=>: may name a host CPU */
    gboolean decode_guest;    /* <decode guest=>: may name a computed guest CPU */
    GArray *signatures;       /* (family, model) pairs as guint */
    GHashTable *features;     /* set */
} VkCpuMapModel;

typedef struct {
    GPtrArray *features;      /* VkCpuMapFeature*, in file order */
    GPtrArray *models;        /* VkCpuMapModel*, in index order */
} VkCpuMap;

/* The x86 part of the map under DIR (NULL: VK_CPU_MAP_DIR), or NULL when
 * there is none. */
VkCpuMap *vk_cpu_map_load(const char *dir);
void vk_cpu_map_free(VkCpuMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkCpuMap, vk_cpu_map_free)

VkCpuMapModel *vk_cpu_map_find_model(const VkCpuMap *map, const char *name);
const VkCpuMapFeature *vk_cpu_map_find_feature(const VkCpuMap *map, const char *name);

/* Whether QEMU's set of feature names QEMU has libvirt's feature NAME (QEMU
 * spells some differently: pclmulqdq, lahf-lm, sse4-1). */
gboolean vk_cpu_map_qemu_has(GHashTable *qemu, const char *name);
