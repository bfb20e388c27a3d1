/* The admin program (virt-admin) that every daemon serves on its
 * -admin-sock. */
#pragma once

#include "common/rpc/program.h"
#include "common/rpc/server.h"

/* Sets the daemon's idle timeout in seconds (0: none). */
typedef void (*VkAdminTimeoutFunc)(gpointer opaque, guint seconds);

/* The program for SERVER, whose clients it shows as the servers NAME (the
 * daemon's, e.g. "virtqemud") and "admin" (those of the admin sockets);
 * MAX_ANONYMOUS_CLIENTS is the configured limit it reports.  One per
 * process. */
VkRpcProgram *vk_admin_program_new(VkServer *server, const char *name,
                                   guint max_anonymous_clients, VkAdminTimeoutFunc set_timeout,
                                   gpointer opaque);
void vk_admin_program_free(VkRpcProgram *program);
