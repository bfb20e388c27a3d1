/* The QEMU driver's procedure handlers, one family per file of this folder;
 * the driver registers them all on the remote program at start.  They sit
 * on core/ (domains, QEMU processes, saved state) and monitor/ (talking to
 * QEMU); nothing below them calls them. */
#pragma once

#include <stdbool.h>

#include "common/rpc/program.h"

void vk_qemu_balloon_handlers_register(VkRpcProgram *remote);      /* dommemstat --period */
void vk_qemu_blkio_handlers_register(VkRpcProgram *remote);        /* blkiotune */
void vk_qemu_agent_handlers_register(VkRpcProgram *remote);        /* domtime, domfsfreeze */
void vk_qemu_agent_qemu_handlers_register(VkRpcProgram *qemu);     /* qemu-agent-command */
void vk_qemu_block_handlers_register(VkRpcProgram *remote);        /* blockresize, blockinfo */
void vk_qemu_block_job_handlers_register(VkRpcProgram *remote);    /* blockpull, blockcommit, blockcopy, blockjob */
void vk_qemu_sched_handlers_register(VkRpcProgram *remote);        /* schedinfo */
void vk_qemu_memtune_handlers_register(VkRpcProgram *remote);      /* memtune */
void vk_qemu_cpu_stats_handlers_register(VkRpcProgram *remote);    /* cpu-stats */
void vk_qemu_connect_handlers_register(VkRpcProgram *remote);      /* capabilities, node info */
void vk_qemu_console_handlers_register(VkRpcProgram *remote);      /* virsh console */
void vk_qemu_cpu_handlers_register(VkRpcProgram *remote);          /* cpu-compare, cpu-baseline */
void vk_qemu_device_handlers_register(VkRpcProgram *remote);       /* attach/detach/update */
void vk_qemu_domain_handlers_register(VkRpcProgram *remote);       /* define, lookups, lists */
void vk_qemu_event_handlers_register(VkRpcProgram *remote);        /* event registrations */
void vk_qemu_guest_address_handlers_register(VkRpcProgram *remote); /* domifaddr, hostname, time */
void vk_qemu_guest_info_handlers_register(VkRpcProgram *remote);   /* guestvcpus, domfsinfo */
void vk_qemu_guestinfo_handlers_register(VkRpcProgram *remote);    /* guestinfo */
void vk_qemu_input_handlers_register(VkRpcProgram *remote);        /* send-key */
void vk_qemu_iotune_handlers_register(VkRpcProgram *remote);       /* blkdeviotune */
void vk_qemu_iothread_handlers_register(VkRpcProgram *remote);     /* iothreadadd, del, set */
void vk_qemu_job_handlers_register(VkRpcProgram *remote);          /* domjobinfo, domjobabort */
void vk_qemu_lifecycle_handlers_register(VkRpcProgram *remote);    /* start, stop, pause */
void vk_qemu_metadata_handlers_register(VkRpcProgram *remote);     /* desc, metadata */
void vk_qemu_pin_handlers_register(VkRpcProgram *remote);          /* vcpupin, emulatorpin, iothreadpin */
void vk_qemu_nodedev_handlers_register(VkRpcProgram *remote);
void vk_qemu_numa_handlers_register(VkRpcProgram *remote);         /* numatune */      /* PCI detach, reattach, reset */
void vk_qemu_save_handlers_register(VkRpcProgram *remote);         /* save, restore, managedsave */
void vk_qemu_screenshot_handlers_register(VkRpcProgram *remote);   /* screenshot */
void vk_qemu_snapshot_handlers_register(VkRpcProgram *remote);     /* snapshots */
void vk_qemu_stats_handlers_register(VkRpcProgram *remote);        /* domstats and friends */
void vk_qemu_tuning_handlers_register(VkRpcProgram *remote);       /* vcpus, memory, pins */

/* domifaddr --source agent (guest-info-handlers.c), for the handler of
 * every source (guest-address-handlers.c). */
#include "remote-protocol.h"
int vk_qemu_agent_interface_addresses(const remote_domain_interface_addresses_args *args,
                                      remote_domain_interface_addresses_ret *ret);

/* vcpucount --guest (guest-info-handlers.c): the vCPUs the guest agent
 * knows (MAXIMUM), or those online, of the running domain REF names. */
int vk_qemu_agent_vcpu_count(const remote_nonnull_domain *ref, bool maximum, int *num);
/* setvcpus --guest: vCPUs of the guest on- or offline until N are online. */
int vk_qemu_agent_set_vcpu_count(const remote_nonnull_domain *ref, unsigned int n);
