/* Block jobs of a running guest (pull, commit, copy): QEMU runs them
 * (block-stream, block-commit, blockdev-mirror, with our job ids and
 * auto-dismiss off); we keep one record per disk in the runtime and in the
 * status file, so that a restarted daemon still knows them, and when QEMU
 * says a job is ready or has concluded we change the disk's chain as
 * libvirt does and emit the block-job and block-job-2 events.
 * Every function wants the domain locked and its job taken. */
#pragma once

#include <stdbool.h>

#include "drivers/qemu/core/domain-obj.h"

/* How a job is to end, once we asked QEMU to end it. */
typedef enum {
    VK_BLOCK_JOB_END_NONE,     /* runs to its end on its own (pull, commit) */
    VK_BLOCK_JOB_END_ABORT,    /* block-job-cancel: the disk stays as it was */
    VK_BLOCK_JOB_END_PIVOT,    /* block-job-complete: the disk moves over */
} VkBlockJobEnd;

typedef struct {
    char *disk;          /* the disk's target (vda) */
    char *id;            /* QEMU's job id */
    int type;            /* virDomainBlockJobType */
    bool ready;
    VkBlockJobEnd ending;
    guint64 bandwidth;   /* bytes/s, 0 unlimited */
    /* the images the job joins: commit: TOP (0 for the active layer) into
     * BASE; pull: into BASE (0 the whole chain); copy: the target is the
     * disk's <mirror>, BASE unused */
    guint top, base;
    bool shallow;        /* copy: only the top image; the target keeps the backing chain */
} VkQemuBlockJob;

void vk_qemu_block_job_free(VkQemuBlockJob *job);

/* The job of DISK (its target) on OBJ, or NULL. */
VkQemuBlockJob *vk_qemu_block_job_find(VkDomainObj *obj, const char *disk);

/* Add JOB (taken) to OBJ's jobs and save the status. */
void vk_qemu_block_job_add(VkDomainObj *obj, VkQemuBlockJob *job);

/* The next free node number of OBJ (libvirt-N-*); numbers are never given
 * twice in one run, as libvirt's counter. */
guint vk_qemu_block_next_node(VkDomainObj *obj);

/* QEMU said job ID changed to STATUS (JOB_STATUS_CHANGE), on the driver's
 * event thread: "ready" marks it ready; "concluded" finishes it. */
void vk_qemu_block_job_status_changed(VkDomainObj *obj, const char *id, const char *status);

/* After a reconnect: act on what QEMU says of each of OBJ's jobs (ready,
 * concluded), as if it had been heard when it happened. */
void vk_qemu_block_jobs_check(VkDomainObj *obj);

/* Ask QEMU to end JOB as ENDING (cancel or complete) and wait until it has
 * concluded and is finished.  -1 with an error. */
int vk_qemu_block_job_end(VkDomainObj *obj, VkQemuBlockJob *job, VkBlockJobEnd ending);

/* Wait until the job of DISK (its target) is ready or has ended (finished
 * here then); 0 at once when DISK has none.  For jobs we start and see
 * through ourselves (a snapshot's deletion). */
int vk_qemu_block_job_wait(VkDomainObj *obj, const char *disk);

/* The jobs and node counter in the status file (<blockjobs>, <nodename>),
 * and read back at a reconnect. */
void vk_qemu_block_jobs_format(GString *xml, VkDomainObj *obj);
void vk_qemu_block_jobs_parse(VkDomainObj *obj, void *status_root);
