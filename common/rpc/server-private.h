/* What server.c and server-client.c share; nothing outside common/rpc. */
#pragma once

#include "common/rpc/server.h"
#include "common/rpc/program.h"

struct _VkServer {
    VkServerConfig config;
    GMainContext *context;
    GPtrArray *listeners;   /* VkServerListener* */
    GPtrArray *programs;        /* VkRpcProgram*, not owned */
    GPtrArray *admin_programs;  /* the same, for admin sockets */
    GMutex lock;            /* guards clients, counts, limits and idle_since */
    GPtrArray *clients;     /* VkServerClient*, one reference each */
    guint n_clients[2];     /* [admin]: how many of each kind */
    gint64 idle_since;      /* monotonic usec when the last client left */
    guint64 messages;       /* received so far (atomic) */
    guint64 next_client_id; /* under lock */
    gint busy_workers;      /* running a call now (atomic) */
    guint min_workers;      /* as configured (GLib's pool has no minimum) */
    GThreadPool *workers;
    GThreadPool *relay_writers;   /* server-relay.c's, made at the first relay */
    VkServerClientHook client_opened;
    VkServerClientHook client_closed;
    gpointer hook_opaque;
};

struct _VkServerClient {
    gint refs;
    VkServer *server;
    int fd;
    bool readonly;
    bool admin;
    uid_t uid;
    gid_t gid;
    pid_t pid;
    guint64 id;             /* as virt-admin names clients */
    gint64 connected_at;    /* real time, seconds */
    gint last_callback_id;  /* atomic: vk_server_client_new_callback_id */

    /* main loop only */
    GSource *read_source;
    guint8 stage[4096];     /* bytes read but not yet a whole frame */
    gsize staged;
    VkMessage *rx;          /* a frame larger than what was staged */
    GSource *keepalive_timer;
    guint pings_unanswered;
    GPtrArray *streams;     /* VkServerStream*, open streams (server-stream.c) */

    GMutex lock;            /* guards everything below */
    bool closed;
    GQueue tx;              /* VkMessage* waiting to be written */
    GSource *write_source;
    bool writing;           /* a thread writes the queue without the lock */
    guint in_flight;
    bool reading_paused;
    bool keepalive;
    gint64 last_rx;         /* monotonic usec of the last byte received */
    gpointer priv;
    GDestroyNotify priv_destroy;
    GPtrArray *relays;      /* VkServerRelay*, streams passed on (server-relay.c) */
};

VkServerClient *vk_server_client_new(VkServer *server, int fd, VkListenKind kind);
/* Start reading; called once the client is in the server's list. */
void vk_server_client_start(VkServerClient *client);
/* Main loop: tear the connection down (idempotent). */
void vk_server_client_shutdown(VkServerClient *client);
/* Main loop: a call is going to a worker (pauses reading at the limit). */
void vk_server_client_count_call(VkServerClient *client);
/* Worker: the call that counted against in_flight is done. */
void vk_server_client_call_done(VkServerClient *client);

/* server.c: a complete message arrived from CLIENT (main loop). */
void vk_server_handle_message(VkServer *server, VkServerClient *client, VkMessage *msg);
/* server.c: CLIENT has gone; drop it from the list (main loop). */
void vk_server_remove_client(VkServer *server, VkServerClient *client);
