/* The statistics procedures of running guests: domstats (all domains or a
 * list), domblkstat, domifstat, dommemstat, domblkinfo, domcontrol and
 * domblkerror, with libvirt 9.0's field names, units and errors. */
#pragma once

#include "common/rpc/program.h"

void vk_qemu_stats_handlers_register(VkRpcProgram *remote);
