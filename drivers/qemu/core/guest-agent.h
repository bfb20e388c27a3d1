/* A running domain's QEMU guest agent, as libvirt handles it: the channel
 * org.qemu.guest_agent.0 (a unix socket QEMU serves, by default under the
 * channel directory), its state in the live XML, the connection made when
 * the guest opens its end (QEMU's VSERPORT_CHANGE) and dropped when it
 * closes it, the agent-lifecycle event for both, and the errors of a call
 * that finds no agent.  The handlers (handlers/agent-handlers.c) call
 * vk_qemu_agent_call() with the domain locked and its job taken. */
#pragma once

#include <stdbool.h>

#include "common/util/json.h"
#include "drivers/qemu/agent/agent.h"
#include "drivers/qemu/core/domain-obj.h"
#include "remote-protocol.h"

#define VK_QEMU_AGENT_CHANNEL_NAME "org.qemu.guest_agent.0"

/* The agent-lifecycle event's state and reason
 * (virConnectDomainEventAgentLifecycleState / ...Reason). */
enum { VK_AGENT_STATE_CONNECTED = 1, VK_AGENT_STATE_DISCONNECTED = 2 };
enum { VK_AGENT_REASON_UNKNOWN = 0, VK_AGENT_REASON_DOMAIN_STARTED = 1,
       VK_AGENT_REASON_CHANNEL = 2 };

/* DEF's agent channel (unix, virtio, named org.qemu.guest_agent.0), or NULL. */
VkDomainChrDef *vk_qemu_agent_channel(const VkDomainDef *def);

/* At launch, before the command line: an agent channel without a path gets
 * libvirt's, CHANNEL_DIR/domain-ID-NAME/org.qemu.guest_agent.0, and that
 * directory is made.  -1 with an error. */
int vk_qemu_agent_prepare(VkDomainObj *obj, const char *channel_dir);

/* QEMU runs (OBJ locked, with its job): the channel's state from QEMU,
 * the agent-lifecycle event with REASON (virConnectDomainEventAgentLifecycleReason),
 * and a connection when the guest has its end open. */
void vk_qemu_agent_attach(VkDomainObj *obj, int reason);

/* QEMU's VSERPORT_CHANGE for the port ALIAS (OBJ locked, with its job). */
void vk_qemu_agent_port_changed(VkDomainObj *obj, const char *alias, bool open);

/* QEMU reported EVENT (SHUTDOWN, RESET, SUSPEND) on its monitor's thread:
 * a command waiting for it is done.  Takes OBJ's lock briefly. */
void vk_qemu_agent_notify(VkDomainObj *obj, VkAgentAwait event);

/* QEMU is going: the connection closes, the channel directory goes. */
void vk_qemu_agent_detach(VkDomainObj *obj);

/* The connected agent of OBJ (locked): a new reference, or NULL with
 * libvirt's error ("domain is not running", "QEMU guest agent is not
 * configured", "... is not connected"). */
VkAgent *vk_qemu_agent_get(VkDomainObj *obj);

/* Run COMMAND (ARGS: an object or NULL) on OBJ's agent and give its
 * "return" in *RET (may be NULL).  OBJ is locked, with its job; the lock is
 * dropped while the guest answers.  SECONDS: agent.h's. */
int vk_qemu_agent_call(VkDomainObj *obj, const char *command, const VkJson *args, int seconds,
                       VkJson **ret);

/* The same with the whole command CMD; *REPLY gets the whole reply. */
int vk_qemu_agent_command(VkDomainObj *obj, const VkJson *cmd, int seconds, VkAgentAwait await,
                          bool report_unsupported, VkJson **reply);

/* Whether OBJ (locked) has its agent connected. */
bool vk_qemu_agent_connected(VkDomainObj *obj);

/* Ask the agent to power the guest off (REBOOT: to reboot it) and wait
 * until QEMU sees it happen (guest-shutdown has no reply), as libvirt's
 * shutdown/reboot --mode agent do.  OBJ locked, with its job. */
int vk_qemu_agent_shutdown(VkDomainObj *obj, bool reboot);

/* The target (vda ...) of DEF's disk that AGENT_DISK (a disk of the
 * agent's guest-get-fsinfo or guest-get-disks) is, by its PCI address;
 * NULL when none is. */
const char *vk_qemu_agent_disk_target(const VkDomainDef *def, const VkJson *agent_disk);

/* For the agent's procedures: the domain REF names, locked, with its job,
 * and running; NULL with the error (vk_qemu_domain_end() gives it back). */
VkDomainObj *vk_qemu_agent_begin(const remote_nonnull_domain *ref);

/* Before destroy takes the job: a call waiting on the agent of the domain
 * REF names gives up at once (libvirt's agent calls hold a job of their
 * own, which destroy does not wait for). */
void vk_qemu_agent_cancel(const remote_nonnull_domain *ref);
