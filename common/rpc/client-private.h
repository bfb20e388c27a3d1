/* The RPC client's insides, shared by client.c and client-stream.c only. */
#pragma once

#include "common/rpc/client.h"

typedef struct {
    guint32 serial;
    VkMessage *reply;   /* set by the reader thread */
    bool done;
    VkRpcReplyFunc func;   /* set: sent by vk_rpc_client_send_call, nobody waits */
    gpointer opaque;
} VkPendingCall;

struct _VkRpcClient {
    int fd;
    GThread *reader;
    GMutex lock;            /* guards everything below */
    GMutex write_lock;      /* writes to fd; taken after lock, or alone */
    GCond replied;          /* a reply, a stream frame, or the end came */
    guint32 next_serial;
    GHashTable *pending;    /* serial -> VkPendingCall* */
    GHashTable *streams;    /* serial -> VkRpcStream*, open streams */
    GHashTable *relays;     /* serial -> VkRpcRelay*, streams passed on as they are */
    bool eof;
    bool keepalive_dead;    /* we closed it: the daemon stopped answering */
    gint64 last_rx;         /* monotonic usec of the last message received */
    int keepalive_interval; /* seconds; 0: no keepalive */
    guint keepalive_count;
    VkRpcEventFunc event_func;
    gpointer event_opaque;
    /* the reader thread's only */
    guint8 rx_buf[8192];    /* bytes received, not yet taken */
    gsize rx_start, rx_end;
};

/* Write all of MSG (under write_lock, taken here; the lock may be held):
 * -1 with the error when the socket fails. */
int vk_rpc_client_write_locked(VkRpcClient *client, const VkMessage *msg);
/* Wait once for news on CLIENT (lock held), pinging a silent daemon and
 * giving it up as keepalive says. */
void vk_rpc_client_wait_locked(VkRpcClient *client);
/* The error for a connection lost while waiting (lock held). */
void vk_rpc_client_report_lost_locked(VkRpcClient *client);

/* client-stream.c: the reader thread hands over a STREAM or STREAM_HOLE
 * frame (taken); frames of no open stream are dropped. */
void vk_rpc_stream_deliver(VkRpcClient *client, VkMessage *msg);
/* client-stream.c: the connection ended; the relays hear it (reader thread). */
void vk_rpc_relays_end_all(VkRpcClient *client);
/* client.c: send CALL (lock held) as vk_rpc_client_send_call does. */
int vk_rpc_client_send_call_locked(VkRpcClient *client, VkMessage *call, VkRpcReplyFunc func,
                                   gpointer opaque);
/* Open STREAM for the call HDR (lock held), before the call is sent. */
void vk_rpc_stream_attach_locked(VkRpcStream *stream, const VkRpcHeader *hdr);
/* The call failed: the stream is not open. */
void vk_rpc_stream_detach(VkRpcStream *stream);
