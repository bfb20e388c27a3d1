/* What a concluded block job does to its disk, as libvirt 9.0 does it: a
 * pull or commit drops the images it merged from the chain, a pivot moves
 * the disk to the commit's base or the copy's target, an abort leaves the
 * disk as it was and drops the copy's target; QEMU's nodes of the images
 * no longer used are deleted. */
#pragma once

#include "drivers/qemu/core/block-job.h"

/* Apply the end of JOB (ERROR: QEMU's error text, NULL when it went well)
 * to its disk; the status its events carry (virConnectDomainEventBlockJobStatus). */
int vk_qemu_block_job_finish(VkDomainObj *obj, VkQemuBlockJob *job, const char *error);
