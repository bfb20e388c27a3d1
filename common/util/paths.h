/* Where things live.  System mode uses libvirt's own places so that plain
 * libvirt clients find us; an optional ROOT directory prefixes all of them
 * (tests, demos, containers): ROOT/run/libvirt/virtqemud-sock, ... */
#pragma once

#include <glib.h>

typedef enum {
    VK_SOCKET_RW,      /* <name>-sock */
    VK_SOCKET_RO,      /* <name>-sock-ro */
    VK_SOCKET_ADMIN,   /* <name>-admin-sock */
} VkSocketKind;

typedef struct {
    char *root;        /* absolute, no trailing '/'; NULL in system mode */
    char *run_dir;     /* ROOT/run/libvirt */
    char *config_dir;  /* ROOT/etc/libvirt */
    char *state_dir;   /* ROOT/var/lib/libvirt */
    char *log_dir;     /* ROOT/var/log/libvirt */
} VkPaths;

/* ROOT may be NULL (system mode) or relative (made absolute against the
 * current directory); "/" means system mode too. */
VkPaths *vk_paths_new(const char *root);
void vk_paths_free(VkPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkPaths, vk_paths_free)

/* SYSTEM_PATH (absolute) under the root: "/etc/libvirt/qemu" -> ROOT/etc/libvirt/qemu. */
char *vk_paths_prefix(const VkPaths *paths, const char *system_path);

/* ROOT/run/libvirt/<daemon>-sock, -sock-ro, -admin-sock. */
char *vk_paths_socket(const VkPaths *paths, const char *daemon, VkSocketKind kind);
/* ROOT/etc/libvirt/<daemon>.conf */
char *vk_paths_config_file(const VkPaths *paths, const char *daemon);
/* ROOT/run/<daemon>.pid, where libvirt's daemons keep theirs. */
char *vk_paths_pid_file(const VkPaths *paths, const char *daemon);
