/* A QMP (QEMU Machine Protocol) client for the monitor socket of one QEMU
 * process.
 *
 * Threading: every monitor has its own reader thread, which blocks on the
 * socket and a wake-up pipe.  It matches replies to waiting commands by their
 * "id" and runs the event and EOF callbacks itself, never while holding the
 * monitor's lock.  Any other thread (a worker running a procedure) may call
 * vk_qmp_execute(), which sends the command and sleeps until the reader hands
 * it the reply, the timeout expires, QEMU goes away or the monitor is closed.
 * A callback must not call vk_qmp_execute() on its own monitor (it would wait
 * for the thread it is running on): that is refused with an error.  A callback
 * may call vk_qmp_close() on its monitor. */
#pragma once

#include <glib.h>

#include "common/util/json.h"

typedef struct _VkQmp VkQmp;

typedef struct {
    /* An asynchronous event (SHUTDOWN, STOP, RESUME, RESET, POWERDOWN,
     * DEVICE_DELETED, ...).  DATA is never NULL (an empty object when QEMU
     * sent none) and is only borrowed for the call: copy what you keep.  GUEST is the event's "guest"
     * member (TRUE when the guest itself caused it).  TIMESTAMP_US is QEMU's
     * timestamp in microseconds since the epoch. */
    void (*event)(VkQmp *mon, const char *name, const VkJson *data,
                  gboolean guest, gint64 timestamp_us, gpointer opaque);
    /* The socket reached end of file or failed: QEMU quit or crashed.
     * Called at most once, and never after vk_qmp_close(). */
    void (*eof)(VkQmp *mon, gpointer opaque);
    /* The monitor is freed: OPAQUE is no longer used.  Lets the owner keep a
     * reference on its object for as long as a callback might still run. */
    void (*dispose)(gpointer opaque);
} VkQmpCallbacks;

#define VK_QMP_DEFAULT_TIMEOUT_MS 30000

/* Connect to the monitor socket at PATH, retrying until it appears, until
 * TIMEOUT_MS passes or until process PID (when > 0) exits; then read the
 * greeting and leave negotiation mode with qmp_capabilities.  VM_NAME (may be
 * NULL) only names the guest in error messages.  CALLBACKS may be NULL. */
VkQmp *vk_qmp_open(const char *path, GPid pid, const char *vm_name,
                   int timeout_ms, const VkQmpCallbacks *callbacks,
                   gpointer opaque);

/* Stop using MON and drop the caller's reference.  A command still waiting
 * wakes up with "operation failed: QEMU monitor was closed".  No EOF callback
 * follows; a callback already running finishes (on the reader thread). */
void vk_qmp_close(VkQmp *mon);

/* Timeout for each command (VK_QMP_DEFAULT_TIMEOUT_MS at first). */
void vk_qmp_set_timeout(VkQmp *mon, int timeout_ms);

/* Run COMMAND with ARGS_JSON (a JSON object text, or NULL) and wait for its
 * reply.  On success *REPLY_JSON (when not NULL) gets the "return" value as
 * JSON text.  Errors: a QMP error reply gives VIR_ERR_INTERNAL_ERROR "unable
 * to execute QEMU command 'X': DESC"; no reply in time gives
 * VIR_ERR_OPERATION_TIMEOUT; QEMU gone gives "End of file from qemu monitor". */
int vk_qmp_execute(VkQmp *mon, const char *command, const char *args_json,
                   char **reply_json);

/* The same with parsed JSON: ARGS (an object, or NULL) is not taken; *REPLY
 * (when not NULL) gets the "return" value, to free with vk_json_free().  When
 * QEMU answers with an error and ERROR_CLASS is not NULL, *ERROR_CLASS gets
 * its class (e.g. "CommandNotFound", "DeviceNotFound"). */
int vk_qmp_execute_node(VkQmp *mon, const char *command, const VkJson *args,
                        VkJson **reply, char **error_class);

/* The same with FD (when >= 0) attached to the command as SCM_RIGHTS
 * ancillary data, for "getfd" (and "add-fd"): QEMU gets its own copy, the
 * caller keeps and closes FD. */
int vk_qmp_execute_with_fd(VkQmp *mon, const char *command, const VkJson *args, int fd,
                           VkJson **reply, char **error_class);

/* COMMAND_JSON as a user wrote it (a QMP command object; its "id" is
 * replaced by ours) and QEMU's whole reply as JSON text in *REPLY_JSON, an
 * error reply included: virsh qemu-monitor-command shows either. */
int vk_qmp_execute_text(VkQmp *mon, const char *command_json, char **reply_json);

/* QEMU's version from the greeting, major * 1000000 + minor * 1000 + micro. */
unsigned long vk_qmp_get_greeting_version(VkQmp *mon);

/* TRUE once the socket reached end of file. */
gboolean vk_qmp_is_eof(VkQmp *mon);
