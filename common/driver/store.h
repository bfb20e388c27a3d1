/* Where a driver's objects live on disk, as libvirt keeps them: persistent
 * definitions as CONFIG_DIR/NAME.xml (written atomically), autostart links
 * in CONFIG_DIR/autostart/, and the state of active objects as
 * STATUS_DIR/NAME.xml so that a restarted daemon finds them.  The driver
 * formats and parses; the store only moves whole documents. */
#pragma once

#include <stdbool.h>

#include <glib.h>

typedef struct {
    char *config_dir;
    char *autostart_dir;
    char *status_dir;
    int error_domain;   /* VIR_FROM_*: the driver's */
} VkStore;

VkStore *vk_store_new(const char *config_dir, const char *status_dir, int error_domain);
void vk_store_free(VkStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkStore, vk_store_free)

char *vk_store_config_path(VkStore *store, const char *name);
/* Save NAME's definition XML: the old one stays whole if this fails. */
int vk_store_save_config(VkStore *store, const char *name, const char *xml);
/* Remove NAME's definition and autostart link (missing files are fine). */
int vk_store_delete_config(VkStore *store, const char *name);

int vk_store_set_autostart(VkStore *store, const char *name, bool autostart);
bool vk_store_get_autostart(VkStore *store, const char *name);

char *vk_store_status_path(VkStore *store, const char *name);
int vk_store_save_status(VkStore *store, const char *name, const char *xml);
int vk_store_delete_status(VkStore *store, const char *name);

/* Every saved definition, as PARSE (a path -> a definition, or NULL with
 * an error) reads it; those it cannot read are logged and skipped.  The
 * array frees its definitions with FREE_DEF. */
GPtrArray *vk_store_load_configs(VkStore *store, gpointer (*parse)(const char *path),
                                 GDestroyNotify free_def);

/* The paths of every saved definition (CONFIG) or status file. */
GPtrArray *vk_store_config_files(VkStore *store);
GPtrArray *vk_store_status_files(VkStore *store);

/* Remove what a daemon killed half-way through a save left (its temp
 * files); for start-up, before anything is saved. */
void vk_store_remove_stale_temps(VkStore *store);
