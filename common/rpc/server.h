/* The RPC server: UNIX listeners, connected clients, a worker pool that runs
 * procedure calls off the main loop, keepalive and server-sent messages. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/rpc/message.h"

typedef struct _VkServer VkServer;
typedef struct _VkServerClient VkServerClient;
typedef struct _VkRpcProgram VkRpcProgram;

typedef struct {
    /* At the limit the server stops accepting (connections wait in the
     * socket's queue, max_queued_clients long) until a client leaves, as
     * libvirt does.  Admin sockets have limits of their own, so that
     * virt-admin still gets in when the others are full. */
    guint max_clients;
    guint max_queued_clients;   /* listen() backlog; 0: 1000 */
    guint admin_max_clients;    /* 0: as max_clients */
    guint admin_max_queued_clients;
    guint min_workers;
    guint max_workers;
    guint max_client_requests;  /* calls in flight per client before reading pauses */
    int keepalive_interval;     /* seconds; <= 0 disables server pings */
    guint keepalive_count;      /* unanswered pings before a client is dropped */
} VkServerConfig;

/* Called in the main loop when a client connects / has gone. */
typedef void (*VkServerClientHook)(VkServerClient *client, gpointer opaque);

VkServer *vk_server_new(const VkServerConfig *config, GMainContext *context);
void vk_server_free(VkServer *server);

/* Listen on a new UNIX socket at PATH with file mode MODE (a stale socket file
 * is replaced), or on an already listening FD (socket activation). */
typedef enum {
    VK_LISTEN_READ_WRITE,
    VK_LISTEN_READ_ONLY,
    VK_LISTEN_ADMIN,     /* serves only the programs added for admin */
} VkListenKind;

int vk_server_listen_unix(VkServer *server, const char *path, mode_t mode, VkListenKind kind);
int vk_server_listen_fd(VkServer *server, int fd, VkListenKind kind);

/* Serve PROGRAM on the admin sockets (ADMIN) or on the others.  The server
 * does not own PROGRAM; it must outlive the server. */
void vk_server_add_program(VkServer *server, VkRpcProgram *program, bool admin);
void vk_server_set_client_hooks(VkServer *server, VkServerClientHook opened,
                                VkServerClientHook closed, gpointer opaque);

guint vk_server_client_count(VkServer *server);
/* How many messages clients have sent so far (to tell a quiet server). */
guint64 vk_server_message_count(VkServer *server);
/* Seconds since the server last had a client (0 while it has one). */
guint vk_server_idle_seconds(VkServer *server);

/* Clients: reference counted, usable from any thread. */
VkServerClient *vk_server_client_ref(VkServerClient *client);
void vk_server_client_unref(VkServerClient *client);
bool vk_server_client_is_readonly(VkServerClient *client);
/* The client opened its connection read-only: refuse writes from now on. */
void vk_server_client_set_readonly(VkServerClient *client);
/* A new event callback id for the client: 1, 2, ... one sequence for
 * every kind of event it registers for, here and through the router. */
int vk_server_client_new_callback_id(VkServerClient *client);
/* Peer credentials from SO_PEERCRED. */
void vk_server_client_get_identity(VkServerClient *client, uid_t *uid, gid_t *gid, pid_t *pid);
/* Per-connection state of the program that serves the client. */
gpointer vk_server_client_get_private(VkServerClient *client);
void vk_server_client_set_private(VkServerClient *client, gpointer data, GDestroyNotify destroy);
/* The client said it speaks keepalive: from now on it is pinged when silent
 * and dropped when it stops answering. */
void vk_server_client_enable_keepalive(VkServerClient *client);
/* Queue an already encoded message; it is sent in order.  -1 if closed. */
int vk_server_client_send(VkServerClient *client, VkMessage *msg);
/* Encode and queue an asynchronous MESSAGE (an event). */
int vk_server_client_send_event(VkServerClient *client, guint32 prog, guint32 vers, int proc,
                                xdrproc_t filter, void *data);
/* Ask for the connection to be closed (any thread). */
void vk_server_client_close(VkServerClient *client);

/* ---- what the admin program shows and changes ---- */

/* The clients now, each with a reference. */
GPtrArray *vk_server_clients(VkServer *server);
/* A client's id (1, 2, ... in connection order), when it connected (real
 * time, seconds) and whether it came through an admin socket. */
guint64 vk_server_client_id(VkServerClient *client);
gint64 vk_server_client_connected_at(VkServerClient *client);
bool vk_server_client_is_admin(VkServerClient *client);

typedef struct {
    guint min, max;    /* as configured */
    guint current;     /* threads there (the minimum counts as there) */
    guint free;        /* of those, not running a call */
    guint queued;      /* calls waiting for a thread */
} VkServerWorkers;

void vk_server_get_workers(VkServer *server, VkServerWorkers *out);
/* -1 with an error when MAX is 0 or below MIN. */
int vk_server_set_workers(VkServer *server, guint min, guint max);
/* The client limit of the admin sockets (ADMIN) or of the others. */
guint vk_server_get_max_clients(VkServer *server, bool admin);
void vk_server_set_max_clients(VkServer *server, bool admin, guint max);
