/* What every public call does with errors, as libvirt: reset the thread's
 * last error on entry; on failure make sure one is set and hand it to the
 * application's error function. */
#pragma once

#include <stdbool.h>

#include "virtkit/virtkit.h"

void vk_client_enter(void);
void vk_client_failed(void);

/* Argument checks that report libvirt's error naming FUNC on failure. */
bool vk_client_check_conn(virConnectPtr conn, const char *func);
bool vk_client_check_domain(virDomainPtr domain, const char *func);
bool vk_client_check_nonnull(const void *arg, const char *argname, const char *func);
