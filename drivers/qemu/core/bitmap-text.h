/* libvirt's text form of CPU and NUMA node sets ("0-2,5", "0-3,^2"), to
 * and from a byte map (bit N of byte N/8: CPU or node N). */
#pragma once

#include <glib.h>

/* MAP (MAPLEN bytes) as libvirt formats a set: "0-2,5"; NULL when empty. */
char *vk_bitmap_format(const unsigned char *map, int maplen);

/* TEXT into a new map of MAPLEN bytes (bits past it refused); NULL with
 * libvirt's "Failed to parse bitmap 'TEXT'" when it is not a set. */
unsigned char *vk_bitmap_parse(const char *text, int maplen);
