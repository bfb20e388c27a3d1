/* The writing side of a file stream's upload (server-file-stream.c), on a
 * thread of its own as libvirt's iohelper does it: the main loop queues
 * the client's data and holes and goes back to moving frames, while the
 * writer puts them into the file, in order.  Main loop only, but for the
 * writer's own thread. */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "common/util/error.h"

typedef struct _VkFileWriter VkFileWriter;

/* A writer for FD (duplicated: the caller keeps its own), a regular file or
 * a block device (BLOCK), named NAME in messages. */
VkFileWriter *vk_file_writer_new(int fd, const char *name, bool block);

/* Queue LEN bytes at DATA, inside BUF (taken, freed once written), for POS.
 * Waits while the queue is full (a few frames).  -1 with the error of an
 * earlier write (reported) once one failed. */
int vk_file_writer_write(VkFileWriter *writer, guint8 *buf, const guint8 *data, gsize len,
                         guint64 pos);
/* Queue making LENGTH bytes at POS read as zeros: a hole in a file (past
 * its end nothing is needed), zeros on a device. */
int vk_file_writer_zero(VkFileWriter *writer, guint64 pos, guint64 length);

/* Once everything queued is written, DONE(error or NULL, DATA) runs in
 * CONTEXT, then FREE(DATA). */
void vk_file_writer_drain(VkFileWriter *writer, GMainContext *context,
                          void (*done)(VkError *error, gpointer data), gpointer data,
                          GDestroyNotify free);

/* Stop: what is queued is written still (libvirt keeps what arrived of an
 * upload cut short), then the thread is gone and the writer's fd closed
 * when this returns; the queue is a few frames, so that is soon. */
void vk_file_writer_free(VkFileWriter *writer);
