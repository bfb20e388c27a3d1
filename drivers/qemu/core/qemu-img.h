/* Running qemu-img for the driver (image chains, overlays, internal
 * snapshots of shut-off guests), with failures worded as libvirt's
 * virCommandRun words them. */
#pragma once

#include <glib.h>

/* qemu-img with ARGS (NULL-terminated, without the program name).  Its
 * standard output in *OUT when OUT is not NULL.  -1 with an error. */
int vk_qemu_img(const char *const *args, char **out);

/* The virtual size of the image at PATH (read with a shared lock, so that
 * a running guest's image can be asked), or -1 with an error. */
gint64 vk_qemu_img_virtual_size(const char *path);
