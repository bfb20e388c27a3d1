/* Dispatch of one call to its handler through the program's procedure table. */
#include "common/rpc/program.h"
#include "common/rpc/server-stream.h"

#include <string.h>

#include "common/rpc/server.h"

/* Procedure numbers stay well below this in libvirt's protocols. */
#define MAX_PROC 1024

struct _VkRpcProgram {
    guint32 prog;
    guint32 vers;
    const VkProcInfo *(*lookup)(int proc);
    VkRpcHandler handlers[MAX_PROC];
    bool runs_inline[MAX_PROC];   /* set by the daemon, beyond libvirt's high priority */
    VkRpcGate gate;
    VkRpcFallback fallback;   /* calls without a handler; NULL: not supported */
    VkRpcFallback fallback_now;   /* the same on the main loop, when it can */
    gpointer fallback_opaque;
};

VkRpcProgram *
vk_rpc_program_new(guint32 prog, guint32 vers, const VkProcInfo *(*lookup)(int proc))
{
    VkRpcProgram *program = g_new0(VkRpcProgram, 1);

    program->prog = prog;
    program->vers = vers;
    program->lookup = lookup;
    return program;
}

void
vk_rpc_program_free(VkRpcProgram *program)
{
    g_free(program);
}

void
vk_rpc_program_add_handlers(VkRpcProgram *program, const VkRpcHandlerEntry *entries,
                            gsize n_entries)
{
    for (gsize i = 0; i < n_entries; i++) {
        g_return_if_fail(entries[i].proc > 0 && entries[i].proc < MAX_PROC);
        program->handlers[entries[i].proc] = entries[i].handler;
    }
}

void
vk_rpc_program_set_inline(VkRpcProgram *program, const int *procs, gsize n_procs)
{
    for (gsize i = 0; i < n_procs; i++) {
        g_return_if_fail(procs[i] > 0 && procs[i] < MAX_PROC);
        program->runs_inline[procs[i]] = true;
    }
}

void
vk_rpc_program_set_gate(VkRpcProgram *program, VkRpcGate gate)
{
    program->gate = gate;
}

void
vk_rpc_program_set_fallback(VkRpcProgram *program, VkRpcFallback fallback, gpointer opaque)
{
    program->fallback = fallback;
    program->fallback_opaque = opaque;
}

void
vk_rpc_program_set_fallback_now(VkRpcProgram *program, VkRpcFallback fallback_now)
{
    program->fallback_now = fallback_now;
}

bool
vk_rpc_program_matches(const VkRpcProgram *program, guint32 prog, guint32 vers)
{
    return program->prog == prog && program->vers == vers;
}

bool
vk_rpc_program_knows(const VkRpcProgram *program, guint32 prog)
{
    return program->prog == prog;
}

static void
send_error(VkServerClient *client, const VkRpcHeader *call)
{
    g_autoptr(VkMessage) reply = vk_message_new();
    g_autoptr(VkError) err = vk_error_steal();

    if (vk_message_encode_error(reply, call, err) == 0)
        vk_server_client_send(client, g_steal_pointer(&reply));
}

/* The error domain libvirt reports for a refused public API: that of the
 * API's object (virDomainDefineXML -> domain config), as clients see it. */
static int
api_error_domain(const char *api)
{
    static const struct { const char *prefix; int domain; } domains[] = {
        { "virDomain", VIR_FROM_DOMAIN },
        { "virNetwork", VIR_FROM_NETWORK },
        { "virStorage", VIR_FROM_STORAGE },
        { "virNodeDevice", VIR_FROM_NODEDEV },
        { "virInterface", VIR_FROM_INTERFACE },
        { "virSecret", VIR_FROM_SECRET },
        { "virNWFilter", VIR_FROM_NWFILTER },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(domains); i++)
        if (g_str_has_prefix(api, domains[i].prefix))
            return domains[i].domain;
    return VIR_FROM_NONE;
}

/* Check that the call may run; -1 with the error to send otherwise. */
static int
admit_call(VkRpcProgram *program, VkServerClient *client, const VkRpcHeader *hdr,
           const VkProcInfo *info)
{
    if (!info) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "unknown procedure: %d", hdr->proc);
        return -1;
    }
    if (program->gate && program->gate(client, info) < 0)
        return -1;
    if (vk_server_client_is_readonly(client) && !(info->flags & VK_PROC_READONLY_OK)) {
        vk_error_report(api_error_domain(info->api), VIR_ERR_OPERATION_DENIED,
                        "read only access prevents %s", info->api);
        return -1;
    }
    return 0;
}

static void
report_no_support(const VkProcInfo *info)
{
    vk_error_report(api_error_domain(info->api), VIR_ERR_NO_SUPPORT, "%s", info->api);
}

bool
vk_rpc_program_runs_inline(const VkRpcProgram *program, const VkRpcHeader *hdr)
{
    const VkProcInfo *info;

    if (hdr->type != VK_RPC_CALL || hdr->proc <= 0 || hdr->proc >= MAX_PROC)
        return false;
    info = program->lookup(hdr->proc);
    /* what the fallback takes may wait on another daemon */
    if (!program->handlers[hdr->proc] && program->fallback)
        return false;
    return info && ((info->flags & VK_PROC_PRIORITY) || program->runs_inline[hdr->proc]);
}

bool
vk_rpc_program_try_fallback_now(VkRpcProgram *program, VkServerClient *client,
                                const VkMessage *msg)
{
    const VkRpcHeader *hdr = &msg->header;
    const VkProcInfo *info;

    if (!program->fallback_now || hdr->type != VK_RPC_CALL || hdr->status != VK_RPC_OK ||
        hdr->proc <= 0 || hdr->proc >= MAX_PROC || program->handlers[hdr->proc])
        return false;
    info = program->lookup(hdr->proc);
    /* a refusal is the worker's to send, as for every call */
    if (admit_call(program, client, hdr, info) < 0) {
        vk_error_reset();
        return false;
    }
    return program->fallback_now(client, info, msg, program->fallback_opaque);
}

/* The public API of the call this thread runs, for jobs to name their
 * holder; NULL outside a call. */
static _Thread_local const char *current_api;

const char *
vk_rpc_current_api(void)
{
    return current_api;
}

void
vk_rpc_program_dispatch(VkRpcProgram *program, VkServerClient *client, VkMessage *msg)
{
    const VkRpcHeader *hdr = &msg->header;
    const VkProcInfo *info;
    VkRpcHandler handler = NULL;
    g_autofree void *args = NULL;
    g_autofree void *ret = NULL;
    int rc;

    if (hdr->type != VK_RPC_CALL) {
        /* Streams and fd passing are not served; a MESSAGE expects no reply. */
        if (hdr->type == VK_RPC_CALL_WITH_FDS || hdr->type == VK_RPC_STREAM) {
            vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "Unexpected message type %u", hdr->type);
            send_error(client, hdr);
        }
        return;
    }
    if (hdr->status != VK_RPC_OK) {
        vk_error_report(VIR_FROM_RPC, VIR_ERR_RPC, "Unexpected message status %u", hdr->status);
        send_error(client, hdr);
        return;
    }

    info = program->lookup(hdr->proc);
    if (info && hdr->proc > 0 && hdr->proc < MAX_PROC)
        handler = program->handlers[hdr->proc];
    if (admit_call(program, client, hdr, info) < 0) {
        send_error(client, hdr);
        return;
    }
    if (!handler) {
        if (program->fallback && program->fallback(client, info, msg, program->fallback_opaque))
            return;
        report_no_support(info);
        send_error(client, hdr);
        return;
    }

    args = g_malloc0(MAX(info->args_size, 1));
    ret = g_malloc0(MAX(info->ret_size, 1));
    if (info->args_filter && vk_message_decode_payload(msg, info->args_filter, args) < 0) {
        send_error(client, hdr);
        return;
    }

    vk_server_stream_call_begin(client, hdr);
    current_api = info->api;
    rc = handler(client, args, ret);
    current_api = NULL;
    if (info->args_filter)
        xdr_free(info->args_filter, args);

    g_autoptr(VkMessage) reply = vk_message_new();
    if (rc == 0) {
        VkRpcHeader rhdr = *hdr;
        rhdr.type = VK_RPC_REPLY;
        rhdr.status = VK_RPC_OK;
        rc = vk_message_encode(reply, &rhdr, info->ret_filter, ret);
    }
    if (info->ret_filter)
        xdr_free(info->ret_filter, ret);
    /* a call that opened a stream has its reply sent by the stream's start */
    if (vk_server_stream_call_end(rc == 0, reply)) {
        reply = NULL;
        return;
    }
    if (rc < 0) {
        send_error(client, hdr);
        return;
    }
    vk_server_client_send(client, g_steal_pointer(&reply));
}
