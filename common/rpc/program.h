/* An RPC program (remote, admin, ...): its procedure table and the handlers
 * a daemon registered for it.  Procedures without a handler are answered with
 * libvirt's "not supported by the connection driver" error. */
#pragma once

#include "common/rpc/message.h"
#include "protocol/proc-info.h"

typedef struct _VkServerClient VkServerClient;
typedef struct _VkRpcProgram VkRpcProgram;

/* A handler gets decoded ARGS and fills RET (both zeroed structs of the
 * procedure's types).  0: RET is sent; -1: the thread's last error is sent. */
typedef int (*VkRpcHandler)(VkServerClient *client, void *args, void *ret);

typedef struct {
    int proc;
    VkRpcHandler handler;
} VkRpcHandlerEntry;

/* Runs before every call; -1 (with an error) refuses it.  Used for "the
 * connection is not open yet". */
typedef int (*VkRpcGate)(VkServerClient *client, const VkProcInfo *info);

/* For a call that has no handler here (after the gate and the read-only
 * check): true when the fallback took it and answers it itself, now or
 * later, through vk_server_client_send (a router passing it to the daemon
 * that owns it); false for "not supported".  Runs on a worker thread: such
 * calls never run on the main loop.  MSG stays the caller's. */
typedef bool (*VkRpcFallback)(VkServerClient *client, const VkProcInfo *info,
                              const VkMessage *msg, gpointer opaque);

/* Optional beside the fallback (same opaque): FALLBACK_NOW tries to take
 * such a call right away on the main loop, which must not wait: true when
 * it took the call; false sends the call to a worker and the fallback as
 * usual (a router whose connection to the owner is open sends it now,
 * sparing the hand-over to a worker). */
void vk_rpc_program_set_fallback_now(VkRpcProgram *program, VkRpcFallback fallback_now);
/* Main loop: a call without a handler that the fallback took right away. */
bool vk_rpc_program_try_fallback_now(VkRpcProgram *program, VkServerClient *client,
                                     const VkMessage *msg);

VkRpcProgram *vk_rpc_program_new(guint32 prog, guint32 vers,
                                 const VkProcInfo *(*lookup)(int proc));
void vk_rpc_program_free(VkRpcProgram *program);
void vk_rpc_program_add_handlers(VkRpcProgram *program, const VkRpcHandlerEntry *entries,
                                 gsize n_entries);
void vk_rpc_program_set_gate(VkRpcProgram *program, VkRpcGate gate);
void vk_rpc_program_set_fallback(VkRpcProgram *program, VkRpcFallback fallback,
                                 gpointer opaque);
/* PROCS never block in this daemon (no waiting on QEMU or a job): run them
 * on the main loop like libvirt's high-priority procedures, sparing the
 * hand-over to a worker. */
void vk_rpc_program_set_inline(VkRpcProgram *program, const int *procs, gsize n_procs);

bool vk_rpc_program_matches(const VkRpcProgram *program, guint32 prog, guint32 vers);
bool vk_rpc_program_knows(const VkRpcProgram *program, guint32 prog);

/* Whether the call HDR is cheap and never blocks (libvirt's high-priority
 * procedures), so the server may run it on its main loop. */
bool vk_rpc_program_runs_inline(const VkRpcProgram *program, const VkRpcHeader *hdr);

/* Run the call MSG from CLIENT and queue the reply (worker thread). */
void vk_rpc_program_dispatch(VkRpcProgram *program, VkServerClient *client, VkMessage *msg);

/* The public API ("virDomainCreate") whose call this thread is running, or
 * NULL outside a call: a job records it as its holder. */
const char *vk_rpc_current_api(void);
