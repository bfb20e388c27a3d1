/* The QEMU program (0x20008087) of libvirt-qemu's calls. */
#pragma once

#include "common/rpc/program.h"

/* The program with its handlers; the daemon gates and serves it. */
VkRpcProgram *vk_qemu_program_new(void);
