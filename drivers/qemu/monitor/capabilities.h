/* What one QEMU binary can do, learnt by starting it with -machine none and
 * asking over QMP (as libvirt does), and cached on disk so that the next
 * daemon start does not start QEMU again. */
#pragma once

#include <glib.h>

/* Bump when the cache layout or the probe changes: old files are ignored. */
#define VK_QEMU_CAPS_CACHE_FORMAT 3

typedef struct {
    char *name;              /* canonical, e.g. "pc-q35-7.2" */
    char *alias;             /* e.g. "q35", or NULL */
    gboolean is_default;
    int max_cpus;
    gboolean deprecated;
    gboolean hotplug_cpus;
    char *default_cpu_type;  /* e.g. "qemu64-x86_64-cpu", or NULL */
} VkQemuMachine;

typedef struct {
    char *name;              /* e.g. "Skylake-Client" */
    char *type_name;         /* QOM type, e.g. "Skylake-Client-x86_64-cpu" */
    char *alias_of;          /* for "Name" aliases of "Name-v1", else NULL */
    gboolean usable;         /* no unavailable features with this accelerator */
    GStrv blockers;          /* QEMU's names of those unavailable features */
    gboolean deprecated;
} VkQemuCpuModel;

typedef struct {
    char *binary;
    gint64 binary_mtime;     /* seconds, as stat() gives */
    gint64 binary_size;
    unsigned long version;   /* major * 1000000 + minor * 1000 + micro */
    char *package;           /* e.g. "Debian 1:7.2+dfsg-7+deb12u18" */
    char *arch;              /* query-target: "x86_64" */
    gboolean kvm_present;    /* KVM support built in */
    gboolean kvm_enabled;    /* KVM usable on this host when probed */
    gboolean kvm_device_ok;  /* /dev/kvm was read-writable when probed */
    GPtrArray *machines;     /* VkQemuMachine*, in QEMU's order */
    GPtrArray *cpu_models;   /* VkQemuCpuModel*, in QEMU's order */
    GHashTable *devices;     /* set of non-abstract device type names */
    GHashTable *host_cpu_features; /* QEMU's names of the features the "host"
                                    * CPU model gets under KVM (empty: no KVM) */
    GHashTable *host_cpu_migratable; /* the same with migratable=on (no invtsc) */
    GHashTable *cpu_feature_names;   /* every CPU feature QEMU knows of */
    gboolean from_cache;     /* TRUE when read from the cache, QEMU not run */
} VkQemuCaps;

void vk_qemu_caps_free(VkQemuCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkQemuCaps, vk_qemu_caps_free)

/* Capabilities of BINARY.  With CACHE_DIR (may be NULL: always probe), a
 * cached result for the same path, mtime and size (and cache format, and
 * /dev/kvm accessibility) is used without starting QEMU; otherwise QEMU is
 * probed and the result written there.  Errors name the binary:
 * "Cannot check QEMU binary X: No such file or directory" (system error, as
 * libvirt), "internal error: Failed to probe QEMU binary X: ...". */
VkQemuCaps *vk_qemu_caps_get(const char *binary, const char *cache_dir);

/* Start BINARY and ask it, ignoring any cache. */
VkQemuCaps *vk_qemu_caps_probe(const char *binary);

/* How many times this process started QEMU to probe (tests check the cache
 * with it). */
guint vk_qemu_caps_probe_count(void);

/* The cache file for BINARY under CACHE_DIR (a hash of the path). */
char *vk_qemu_caps_cache_path(const char *cache_dir, const char *binary);

/* Serialize to / parse from the cache's JSON text. */
char *vk_qemu_caps_to_json(const VkQemuCaps *caps);
VkQemuCaps *vk_qemu_caps_from_json(const char *text, gsize len);

/* The machine NAME stands for: an alias ("q35", "pc") gives its canonical
 * machine ("pc-q35-7.2"); any other name is returned as it is. */
const char *vk_qemu_caps_canonical_machine(const VkQemuCaps *caps, const char *name);

/* The machine QEMU uses by default ("pc-i440fx-7.2" for x86_64), or NULL. */
const char *vk_qemu_caps_default_machine(const VkQemuCaps *caps);

/* The machine called NAME (canonical name or alias), or NULL. */
const VkQemuMachine *vk_qemu_caps_find_machine(const VkQemuCaps *caps, const char *name);

gboolean vk_qemu_caps_has_device(const VkQemuCaps *caps, const char *type_name);
