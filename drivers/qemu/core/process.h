/* QEMU processes: start a domain for real (command line, spawn, QMP
 * handshake, cont), stop it, follow what QEMU reports (guest shutdown,
 * reset, panic, exit), keep a status file so that a restarted daemon
 * reconnects. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"
#include "drivers/qemu/agent/agent.h"
#include "drivers/qemu/monitor/qmp.h"
#include "drivers/qemu/security/dac-config.h"

typedef struct _VkQemuDriver VkQemuDriver;

/* What the process code keeps for a running domain (obj->runtime). */
typedef struct {
    VkQmp *monitor;
    char *monitor_path;
    char *priv_dir;
    bool got_shutdown;   /* QEMU reported a SHUTDOWN: the guest powered off */
    bool fake_reboot;    /* the next SHUTDOWN is a reboot: reset and go on */
    bool stopping;       /* we are taking it down: its exit is expected */
    GPtrArray *block_jobs;   /* VkQemuBlockJob (block-job.h), one per disk */
    guint last_node;     /* the highest libvirt-N node number given (0: not counted yet) */
    VkDacConfig *dac;    /* who QEMU runs as: qemu.conf's or the domain's label */
    bool relabeled;      /* its files were given to QEMU's user (dac-domain.h) */
    guint taints;        /* 1 << VkTaint (taint.h) */
    VkAgent *agent;      /* the guest agent while connected (guest-agent.h) */
} VkQemuRuntime;

/* Launch QEMU for the shut-off OBJ (locked, with the job): a live copy of
 * the definition, ids, ports (display, network), taps, the command line, the process with its
 * vCPUs stopped and its monitor connected.  INCOMING: -incoming defer;
 * LOADVM (may be NULL): -loadvm.  Emits nothing.  On failure nothing of
 * the attempt remains and the domain is shut off with reason "failed". */
int vk_qemu_process_launch(VkDomainObj *obj, bool incoming, const char *loadvm);
/* A launch whose next step failed: QEMU goes, the domain is shut off
 * ("failed"), and the error that made it fail is kept. */
void vk_qemu_process_abort_launch(VkDomainObj *obj);

/* Something QEMU reported through MONITOR is to be handled: OBJ is locked
 * and its job taken (without time limit).  The runtime of the run it belongs
 * to, or NULL when that run has ended or is being ended (nothing to do).
 * vk_qemu_process_report_end() in both cases. */
VkQemuRuntime *vk_qemu_process_report_begin(VkDomainObj *obj, VkQmp *monitor);
void vk_qemu_process_report_end(VkDomainObj *obj);

/* Take OBJ (locked, with the job) down: SIGTERM, then SIGKILL, then clean
 * up and mark it shut off with REASON.  Emits nothing. */
void vk_qemu_process_stop(VkDomainObj *obj, int reason);

/* The monitor of a running OBJ (locked), or NULL with "domain is not
 * running". */
VkQmp *vk_qemu_process_monitor(VkDomainObj *obj);

/* Run COMMAND (ARGS: JSON object text or NULL) on OBJ's monitor.  OBJ is
 * locked and its job held by the caller; the lock is dropped while QEMU
 * answers, so lookups and listings never wait for QEMU (the job keeps other
 * changes out).  -1 with an error ("domain is not running" included). */
int vk_qemu_process_monitor_command(VkDomainObj *obj, const char *command, const char *args);

/* The same with parsed JSON, and QEMU's "return" in *REPLY (when not NULL;
 * free with vk_json_free()). */
int vk_qemu_process_monitor_query(VkDomainObj *obj, const char *command, const VkJson *args,
                                  VkJson **reply);

/* A tap on the host bridge of NET (type bridge, or type network once its
 * port named the bridge: network-ports.h), for QEMU, named as libvirt
 * names them (vnetN) and recorded as NET's <target dev=>, as the live XML
 * shows it.  The fd (the tap lives as long as some copy of it), or -1 with
 * an error naming the bridge. */
int vk_qemu_process_open_bridge_tap(VkDomainNetDef *net);

/* DISK's medium went into QEMU as nodes libvirt-NODE-*: what the live XML
 * shows of it (<source index=>, <backingStore/>). */
void vk_qemu_process_note_medium(VkDomainDiskDef *disk, guint node);

/* Who the running OBJ's QEMU runs as (qemu.conf's when not running). */
const VkDacConfig *vk_qemu_process_dac(VkDomainObj *obj);

/* The domain log of the guest NAME (QEMU's output, libvirt's notes). */
char *vk_qemu_process_log_path(const char *name);

/* Persist OBJ's live state (locked) for a daemon restart. */
int vk_qemu_process_save_status(VkDomainObj *obj);

/* At daemon start: bring back every guest whose status file says it runs;
 * those whose QEMU is gone are shut off (reason crashed). */
void vk_qemu_process_reconnect_all(void);

/* Set up the thread that handles what monitors report (driver start). */

/* At daemon stop: close every guest's monitor, leaving the guests running. */
void vk_qemu_process_detach_all(void);

/* After that, once no monitor event is pending: free what each running
 * guest's object kept about its process (the status files keep it). */
void vk_qemu_process_forget_all(void);

/* Whether any guest runs (the daemon must not exit on its idle timeout). */
bool vk_qemu_process_any_running(void);
