/* A client for the QEMU guest agent (qemu-ga) of one guest, reached through
 * the chardev socket QEMU serves for the org.qemu.guest_agent.0 channel.
 *
 * Synchronous and thread-safe: a worker thread running a procedure calls
 * vk_agent_command(), which holds the agent for one command at a time and
 * waits (poll, with a deadline) for the reply; nothing runs on the main
 * loop.  As libvirt does, a guest-sync with an id (the time in ms) comes
 * first, once per connection, so that a reply left over from an earlier
 * command that timed out is never taken for this one's. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/util/json.h"

typedef struct _VkAgent VkAgent;

/* libvirt's timeouts (virDomainQemuAgentCommandTimeoutValues): seconds,
 * or one of these. */
#define VK_AGENT_TIMEOUT_BLOCK    (-2)   /* wait for ever */
#define VK_AGENT_TIMEOUT_DEFAULT  (-1)   /* VK_AGENT_WAIT_SECONDS */
#define VK_AGENT_TIMEOUT_NOWAIT   0
#define VK_AGENT_WAIT_SECONDS     5      /* also the limit of every guest-sync */
#define VK_AGENT_SHUTDOWN_SECONDS 60     /* guest-shutdown, which has no reply */

/* What a command with no reply (guest-shutdown, guest-suspend-*) waits
 * for instead: the QMP event that shows it worked. */
typedef enum {
    VK_AGENT_AWAIT_NONE,
    VK_AGENT_AWAIT_SHUTDOWN,
    VK_AGENT_AWAIT_RESET,
    VK_AGENT_AWAIT_SUSPEND,
} VkAgentAwait;

/* Connect to the agent socket at PATH; NULL with an error. */
VkAgent *vk_agent_open(const char *path, const char *vm_name);
/* Wake a waiting command with "Guest agent disappeared while executing
 * command" and drop the caller's reference. */
void vk_agent_close(VkAgent *agent);
VkAgent *vk_agent_ref(VkAgent *agent);
void vk_agent_unref(VkAgent *agent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkAgent, vk_agent_unref)

/* Run CMD (an object with "execute" and maybe "arguments") and wait up to
 * SECONDS (or a VK_AGENT_TIMEOUT_*) for the reply.  *REPLY (may be NULL)
 * gets the whole reply object.  Errors as libvirt words them: no answer in
 * time is VIR_ERR_AGENT_UNRESPONSIVE "Guest agent not available for now",
 * an error reply "unable to execute QEMU agent command 'X': DESC".  With
 * REPORT_UNSUPPORTED false a CommandNotFound / CommandDisabled reply gives
 * -2 and no error.  AWAIT: the command has no reply; the event comes
 * through vk_agent_notify_event() and counts as success. */
int vk_agent_command(VkAgent *agent, const VkJson *cmd, int seconds, VkAgentAwait await,
                     bool report_unsupported, VkJson **reply);

/* The command running now (if any) gives up with "Guest agent disappeared
 * while executing command"; the connection stays (the next command syncs
 * again, past the late reply). */
void vk_agent_cancel(VkAgent *agent);

/* QEMU reported EVENT: a command awaiting it is done. */
void vk_agent_notify_event(VkAgent *agent, VkAgentAwait event);
