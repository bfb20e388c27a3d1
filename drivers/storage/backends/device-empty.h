/* Is there already something on a block device?  libvirt's
 * virStorageBackendDeviceIsEmpty through blkid's low-level probe (the
 * blkid command, which prints what libblkid finds): a filesystem or
 * partition table TYPE matching FORMAT, a different one, or nothing.  The
 * fs and logical pools ask before mkfs / pvcreate unless OVERWRITE. */
#pragma once

#include <stdbool.h>

/* 0 when DEVICE may be written with FORMAT (WRITELABEL: it holds nothing)
 * or used as FORMAT (!WRITELABEL: it holds FORMAT); -1 with libvirt's
 * error otherwise: "Storage pool already built: Device 'D' already
 * formatted using 'F'", "... does not match the expected format ...",
 * "Device 'D' is unrecognized, requires build". */
int vk_storage_device_check_empty(const char *device, const char *format, bool writelabel);
