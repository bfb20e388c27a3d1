/* What server-stream.c and server-file-stream.c share; nothing outside
 * common/rpc.  Everything here runs in the server's main loop. */
#pragma once

#include "common/rpc/server-stream.h"
#include "common/rpc/server-file-stream.h"
#include "common/rpc/message.h"

typedef struct _VkFileStream VkFileStream;

struct _VkServerStream {
    gint refs;
    VkServerClient *client;   /* NULL once detached from it */
    VkRpcHeader call;         /* program, version, procedure and serial */
    GMainContext *context;
    int fd;                   /* -1 once released */
    GSource *in_source;       /* fd readable: data for the client */
    GSource *out_source;      /* fd writable: PENDING can go */
    GByteArray *pending;      /* client data not yet written to the fd */
    VkFileStream *file;       /* a file or block device: server-file-stream.c */
    guint in_flight;          /* data frames on their way to the client */
    bool eof_sent;
    bool listed;              /* in client->streams */
    bool ok;                  /* the client finished it cleanly */
    bool ending;              /* the outcome waits for an upload's last writes */
    void (*on_release)(gpointer);
    gpointer on_release_data;
    void (*on_finish)(bool ok, gpointer data);
    gpointer on_finish_data;
};

/* A STREAM-type header for the stream's call with STATUS. */
VkRpcHeader vk_server_stream_header(const VkServerStream *stream, VkRpcType type, int status);
/* Send MSG; the next frame waits until it has left (flow control). */
void vk_server_stream_send_paced(VkServerStream *stream, VkMessage *msg);
/* An empty STREAM frame: CONTINUE is the end of our data, OK confirms the
 * client's finish or abort. */
void vk_server_stream_send_empty(VkServerStream *stream, int status);
/* Fail with the thread's last error (sent to the client); the stream is gone. */
void vk_server_stream_fail(VkServerStream *stream);
/* Out of the client's list and released: over. */
void vk_server_stream_forget(VkServerStream *stream);
/* Confirm the client's finish (OK) or abort with an empty STREAM / OK,
 * after the stream is over (on_finish has run): over. */
void vk_server_stream_confirm(VkServerStream *stream, bool ok);

/* ---- server-file-stream.c, for server-stream.c ---- */

/* Produce the next frame of a download (when none is on its way). */
void vk_server_file_stream_resume(VkServerStream *stream);
/* Data, a hole (a STREAM_HOLE frame) and the finish (STREAM / OK) from the
 * client; the first two may fail the stream, the last ends it. */
void vk_server_file_stream_write(VkServerStream *stream, VkMessage *msg);
void vk_server_file_stream_hole(VkServerStream *stream, const VkMessage *msg);
void vk_server_file_stream_finish(VkServerStream *stream);
/* The stream lets go of its fd: stop producing frames. */
void vk_server_file_stream_stop(VkServerStream *stream);
void vk_server_file_stream_free(VkFileStream *file);
