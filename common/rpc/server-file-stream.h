/* Streams on a regular file or a block device, for storage volume upload
 * and download (virStorageVolUpload / virStorageVolDownload): the wire is
 * that of every stream (server-stream.h), plus STREAM_HOLE frames when the
 * client asked for a sparse transfer.  Called from a procedure handler. */
#pragma once

#include <stdbool.h>

#include "common/rpc/server-stream.h"

typedef enum {
    VK_STREAM_UPLOAD,     /* client -> file */
    VK_STREAM_DOWNLOAD,   /* file -> client */
} VkStreamDirection;

/* From a procedure handler, as vk_server_stream_open(): a stream between
 * CLIENT and FD (taken, closed on failure too), a regular file or a block
 * device, from OFFSET for LENGTH bytes (0: to the end of the file for a
 * download, without limit for an upload).
 *
 * Upload: data is written at OFFSET on; more than LENGTH fails the stream
 * with libvirt's "cannot write to stream: No space left on device"; with
 * SPARSE the client's holes become holes (zeros on a block device); the
 * client's finish is confirmed once what it sent is written (not synced,
 * as libvirt does not sync either).
 * Download: the file's bytes go out one frame at a time as the client takes
 * them; with SPARSE the file's holes (SEEK_HOLE) go out as hole frames.
 *
 * NULL with an error when FD is neither a file nor a block device. */
VkServerStream *vk_server_stream_open_file(VkServerClient *client, int fd, VkStreamDirection dir,
                                           guint64 offset, guint64 length, bool sparse);
