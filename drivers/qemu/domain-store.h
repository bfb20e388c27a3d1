/* Where domains live on disk: persistent definitions as
 * ETC/libvirt/qemu/NAME.xml (written atomically), autostart links in
 * ETC/libvirt/qemu/autostart/, and the status of running guests as
 * RUN/libvirt/qemu/NAME.xml so that a restarted daemon finds them. */
#pragma once

#include <stdbool.h>

#include "common/conf/domain.h"
#include "common/util/paths.h"

typedef struct {
    char *config_dir;
    char *autostart_dir;
    char *status_dir;
} VkDomainStore;

VkDomainStore *vk_domain_store_new(const VkPaths *paths);
void vk_domain_store_free(VkDomainStore *store);

int vk_domain_store_save_config(VkDomainStore *store, const VkDomainDef *def);
/* Remove NAME's definition and autostart link (missing files are fine). */
int vk_domain_store_delete_config(VkDomainStore *store, const char *name);

int vk_domain_store_set_autostart(VkDomainStore *store, const char *name, bool autostart);
bool vk_domain_store_get_autostart(VkDomainStore *store, const char *name);

/* Every saved definition; unreadable ones are logged and skipped. */
GPtrArray *vk_domain_store_load_configs(VkDomainStore *store);

/* The status file path of NAME (owned by the caller). */
char *vk_domain_store_status_path(VkDomainStore *store, const char *name);
