/* Where things live.  System mode uses libvirt's own places so that plain
 * libvirt clients find us; an optional ROOT directory prefixes all of them
 * (tests, demos, containers): ROOT/run/libvirt/virtqemud-sock, ...
 * Session mode (a daemon of an ordinary user) uses libvirt's per-user
 * places instead: $XDG_RUNTIME_DIR/libvirt, $XDG_CONFIG_HOME/libvirt,
 * $XDG_CACHE_HOME/libvirt.  Code names a path by its system-mode place
 * ("/var/log/libvirt/qemu") and vk_paths_prefix() maps it. */
#pragma once

#include <glib.h>

typedef enum {
    VK_SOCKET_RW,      /* <name>-sock */
    VK_SOCKET_RO,      /* <name>-sock-ro */
    VK_SOCKET_ADMIN,   /* <name>-admin-sock */
} VkSocketKind;

typedef struct {
    char *root;        /* absolute, no trailing '/'; NULL in system and session mode */
    gboolean session;  /* per-user places (below: the session values) */
    char *runtime_base;  /* session: $XDG_RUNTIME_DIR/libvirt */
    char *config_base;   /* session: $XDG_CONFIG_HOME/libvirt */
    char *cache_base;    /* session: $XDG_CACHE_HOME/libvirt */
    char *run_dir;     /* ROOT/run/libvirt; session: $XDG_RUNTIME_DIR/libvirt */
    char *config_dir;  /* ROOT/etc/libvirt; session: $XDG_CONFIG_HOME/libvirt */
    char *state_dir;   /* ROOT/var/lib/libvirt; session: $XDG_CACHE_HOME/libvirt/lib */
    char *log_dir;     /* ROOT/var/log/libvirt; session: $XDG_CACHE_HOME/libvirt/log */
} VkPaths;

/* ROOT may be NULL (system mode) or relative (made absolute against the
 * current directory); "/" means system mode too. */
VkPaths *vk_paths_new(const char *root);
/* Session mode, from the XDG variables (GLib's fallbacks when unset:
 * ~/.config, ~/.cache, and the cache directory for the runtime one). */
VkPaths *vk_paths_new_session(void);
VkPaths *vk_paths_copy(const VkPaths *paths);
void vk_paths_free(VkPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkPaths, vk_paths_free)

/* SYSTEM_PATH (absolute) under the root: "/etc/libvirt/qemu" -> ROOT/etc/libvirt/qemu.
 * In session mode, libvirt's per-user place for it: "/etc/libvirt/qemu" ->
 * ~/.config/libvirt/qemu, "/var/log/libvirt/qemu" -> ~/.cache/libvirt/qemu/log,
 * "/run/libvirt/qemu" -> $XDG_RUNTIME_DIR/libvirt/qemu/run, ... */
char *vk_paths_prefix(const VkPaths *paths, const char *system_path);

/* ROOT/run/libvirt/<daemon>-sock, -sock-ro, -admin-sock (session mode
 * has no -sock-ro: libvirt's session daemons listen on the other two). */
char *vk_paths_socket(const VkPaths *paths, const char *daemon, VkSocketKind kind);
/* ROOT/etc/libvirt/<daemon>.conf */
char *vk_paths_config_file(const VkPaths *paths, const char *daemon);
/* ROOT/run/<daemon>.pid, where libvirt's daemons keep theirs
 * (session: $XDG_RUNTIME_DIR/libvirt/<daemon>.pid). */
char *vk_paths_pid_file(const VkPaths *paths, const char *daemon);
