/* The command tables, one per group; each cmd-*.c file defines its own.
 * A new command is one more entry in its group's table. */
#pragma once

#include "tools/command.h"

extern const VkshCmdDef vksh_domain_cmds[];           /* cmd-domain.c */
extern const VkshCmdDef vksh_domain_monitor_cmds[];   /* cmd-domain-monitor.c */
extern const VkshCmdDef vksh_host_cmds[];             /* cmd-host.c */
extern const VkshCmdDef vksh_network_cmds[];          /* cmd-network.c */
extern const VkshCmdDef vksh_nodedev_cmds[];          /* cmd-nodedev.c */
extern const VkshCmdDef vksh_shell_cmds[];            /* cmd-shell.c */
extern const VkshCmdDef vksh_storage_pool_cmds[];     /* cmd-storage-pool.c */
extern const VkshCmdDef vksh_storage_vol_cmds[];      /* cmd-storage-vol.c */
