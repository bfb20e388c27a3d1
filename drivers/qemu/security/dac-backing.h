/* The backing chain of a local qcow2 image, read from the images' headers
 * (as libvirt reads it before QEMU starts), for the DAC driver: QEMU's
 * user must be able to read every layer. */
#pragma once

#include <glib.h>

/* The backing files of the qcow2 image PATH, nearest first, appended to
 * CHAIN (of g_malloc'ed paths); qcow2 layers are followed further (at most
 * 200 deep, libvirt's limit).  Relative names are taken from the image's
 * directory; network and json: backings end the chain.  Nothing for other
 * formats or unreadable images. */
void vk_dac_backing_chain(const char *path, GPtrArray *chain);
