/* What every public call does with errors, as libvirt: reset the thread's
 * last error on entry; on failure make sure one is set and hand it to the
 * application's error function. */
#pragma once

#include <stdbool.h>

#include "virtkit/virtkit.h"

void vk_client_enter(void);
void vk_client_failed(void);

/* The kinds of handle, for the error an invalid one gets. */
typedef enum {
    VK_CLIENT_DOMAIN,
    VK_CLIENT_NETWORK,
    VK_CLIENT_NETWORK_PORT,
    VK_CLIENT_STORAGE_POOL,
    VK_CLIENT_STORAGE_VOL,
    VK_CLIENT_STREAM,
    VK_CLIENT_NODE_DEVICE,
} VkClientKind;

/* Argument checks that report libvirt's error naming FUNC on failure. */
bool vk_client_check_conn(virConnectPtr conn, const char *func);
/* OBJ, a handle of KIND, is not NULL. */
bool vk_client_check_object(const void *obj, VkClientKind kind, const char *func);
bool vk_client_check_domain(virDomainPtr domain, const char *func);
bool vk_client_check_network(virNetworkPtr network, const char *func);
/* UUIDSTR parsed into UUID, or libvirt's invalid-argument error. */
bool vk_client_parse_uuid(const char *uuidstr, unsigned char *uuid, const char *func);
bool vk_client_check_nonnull(const void *arg, const char *argname, const char *func);
