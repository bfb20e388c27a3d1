/* The objects behind the public handles (virConnectPtr, virDomainPtr,
 * virNetworkPtr, virNetworkPortPtr, virStoragePoolPtr, virStorageVolPtr,
 * virNodeDevicePtr, virStreamPtr), private to libvirtkit. */
#pragma once

#include <glib.h>

#include "client/api-error.h"
#include "common/rpc/client-stream.h"
#include "drivers/remote/remote-connection.h"
#include "remote-protocol.h"
#include "virtkit/virtkit.h"

struct _virConnect {
    gint refs;                  /* atomic */
    VkRemoteConnection *remote;
    char *uri;                  /* what the caller opened (virConnectGetURI) */
    GMutex lock;                /* guards type */
    char *type;                 /* cached answer of CONNECT_GET_TYPE */
};

/* What every handle on a daemon's object holds (domains, networks, network
 * ports): the name (none for a port) and UUID the daemon gave, and a
 * reference on the connection.  It is each handle's first member, so that
 * client/handle.c serves the calls they share. */
typedef struct {
    gint refs;                  /* atomic */
    virConnectPtr conn;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
} VkClientHandle;

/* A domain handle, with the id the daemon gave. */
struct _virDomain {
    VkClientHandle h;
    gint id;                    /* -1 when not running; atomic (start and
                                 * destroy change it) */
};

struct _virNetwork {
    VkClientHandle h;
};

struct _virStoragePool {
    VkClientHandle h;
};

/* A volume is named by its pool's name, its own and its key (no UUID). */
struct _virStorageVol {
    VkClientHandle h;
    char *pool;
    char *key;
};

/* A node device is named by its name alone (no UUID); the parent's name
 * is asked once and kept (virNodeDeviceGetParent hands it out). */
struct _virNodeDevice {
    VkClientHandle h;
    char *parent;
};

/* A stream: no name, and the RPC stream once a call opened it. */
struct _virStream {
    VkClientHandle h;
    VkRpcStream *rpc;
    bool sparse;            /* the call asked for a sparse stream */
};

/* A port handle also holds a reference on its network. */
struct _virNetworkPort {
    VkClientHandle h;
    virNetworkPtr net;
};

/* Fill H, taking a reference on CONN. */
void vk_client_handle_init(VkClientHandle *h, virConnectPtr conn, const char *name,
                           const void *uuid);
/* The public calls every kind has, for OBJ (a handle of KIND, or NULL):
 * the API's argument checks and errors, under FUNC's name. */
const char *vk_client_handle_get_name(void *obj, VkClientKind kind, const char *func);
int vk_client_handle_get_uuid(void *obj, VkClientKind kind, unsigned char *uuid,
                              const char *func);
int vk_client_handle_get_uuid_string(void *obj, VkClientKind kind, char *buf,
                                     const char *func);
virConnectPtr vk_client_handle_get_connect(void *obj, VkClientKind kind, const char *func);
int vk_client_handle_ref(void *obj, VkClientKind kind, const char *func);
/* The arguments of the public virXLookupByUUIDString calls: the entry,
 * CONN and UUIDSTR checked, UUIDSTR parsed into UUID. */
bool vk_client_uuid_string_args(virConnectPtr conn, const char *uuidstr, unsigned char *uuid,
                                const char *func);
/* Drop a reference; on the last one release the name, FREE_REST (the
 * kind's own fields and OBJ itself), then the connection. */
int vk_client_handle_free(void *obj, VkClientKind kind, const char *func,
                          void (*free_rest)(void *obj));

/* The wire form of a kind of object: its XDR filter and size, and the
 * making of a handle from it (OWNER: the connection, or the object the
 * handle hangs from). */
typedef struct {
    xdrproc_t filter;
    gsize size;
    void *(*new_handle)(void *owner, const void *wire);
} VkClientWire;

/* Networks and storage pools: the wire form (name, UUID) of H into OUT. */
void vk_client_named_to_wire(const VkClientHandle *h, void *out);
/* Call PROC for OBJ (a network, pool or node device, KIND) as public call
 * FUNC: the entry and the check of OBJ, then ARGS (whose first member is
 * the object's wire form, as in every such call) gets it; the failure
 * reported. */
int vk_client_named_call(void *obj, VkClientKind kind, const char *func, int proc,
                         xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret);
/* PROC for OBJ (a network, pool or node device) sends the object alone
 * and answers one int (GET_AUTOSTART, IS_ACTIVE, IS_PERSISTENT,
 * NUM_OF_CAPS...): that int, or -1 reported. */
int vk_client_named_int_call(void *obj, VkClientKind kind, const char *func, int proc);
/* The same as 1 (true), 0 or -1: IS_ACTIVE, IS_PERSISTENT. */
int vk_client_named_bool_call(void *obj, VkClientKind kind, const char *func, int proc);
/* The public virXGetAutostart of networks and pools, through PROC. */
int vk_client_named_get_autostart(void *obj, VkClientKind kind, const char *func, int proc,
                                  int *autostart);
/* Call PROC, whose answer is one object in WIRE's form alone: its new
 * handle, or NULL with the failure reported. */
void *vk_client_object_from_call(virConnectPtr conn, int proc, xdrproc_t args_filter,
                                 void *args, const VkClientWire *wire, void *owner);
/* The answer ANSWER of a LIST_ALL call (objects in WIRE's form, then a
 * count) taken and freed: with LIST, *LIST gets a NULL-terminated array of
 * new handles and their number is returned; without, the count. */
int vk_client_take_list(void *answer, xdrproc_t answer_filter, const VkClientWire *wire,
                        void *owner, void ***list);
/* The answer of an old listing call (names alone) copied into NAMES and
 * freed: the count, or -1 reported when there are more than MAXNAMES
 * (WHAT names them in the error). */
int vk_client_take_names(void *answer, xdrproc_t answer_filter, char **const names,
                         int maxnames, const char *what);
/* MAXNAMES is not negative, or libvirt's error for FUNC reported. */
bool vk_client_check_maxnames(int maxnames, const char *func);
/* Public call FUNC of the old listing calls of CONN (CONNECT_LIST_* and
 * CONNECT_LIST_DEFINED_*: their arguments are maxnames alone, their
 * answer, through RET_FILTER, the names): the names into NAMES, the
 * count, or -1 reported. */
int vk_client_conn_list_names(virConnectPtr conn, const char *func, int proc,
                              xdrproc_t ret_filter, char **const names, int maxnames,
                              const char *what);

/* Call remote procedure PROC on CONN (see vk_remote_connection_call). */
int vk_client_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args,
                   xdrproc_t ret_filter, void *ret);

/* Call PROC, which takes no arguments and answers one int (its *_ret
 * struct is that int alone), for public call FUNC on CONN: the value, or -1
 * with the error reported. */
int vk_client_conn_int_call(virConnectPtr conn, const char *func, int proc);

/* A new handle for the domain the daemon named DOM, holding a reference on
 * CONN. */
virDomainPtr vk_client_domain_new(virConnectPtr conn, const remote_nonnull_domain *dom);
/* The wire form of DOMAIN, pointing into it (do not free). */
void vk_client_domain_to_wire(virDomainPtr domain, remote_nonnull_domain *out);
/* Record the id the domain has now (after a start, -1 after a stop). */
void vk_client_domain_set_id(virDomainPtr domain, int id);

/* Call PROC for DOMAIN (on its connection). */
int vk_client_domain_call(virDomainPtr domain, int proc, xdrproc_t args_filter, void *args,
                          xdrproc_t ret_filter, void *ret);

/* A new handle for the network the daemon named NET, holding a reference
 * on CONN. */
virNetworkPtr vk_client_network_new(virConnectPtr conn, const remote_nonnull_network *net);
/* The wire form of NETWORK, pointing into it (do not free). */
void vk_client_network_to_wire(virNetworkPtr network, remote_nonnull_network *out);
/* Call PROC for NETWORK as public call FUNC: the entry and the check of
 * NETWORK, then ARGS (whose first member is the network, as in every
 * network call) gets the network's wire form; the failure reported. */
int vk_client_network_call(virNetworkPtr network, const char *func, int proc,
                           xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret);

/* Storage pools and volumes (storage-pool.c, storage-vol.c). */
extern const VkClientWire vk_client_pool_wire;
extern const VkClientWire vk_client_vol_wire;
/* Call PROC for POOL as public call FUNC (see vk_client_named_call). */
int vk_client_pool_call(virStoragePoolPtr pool, const char *func, int proc,
                        xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret);
/* The wire form of VOL, pointing into it (do not free). */
void vk_client_vol_to_wire(virStorageVolPtr vol, remote_nonnull_storage_vol *out);

/* stream.c: open ST (unused so far, on VOL's connection) with the call
 * PROC, whose ARGS begin with VOL; SPARSE: the call asked for holes. */
int vk_client_stream_call(virStreamPtr st, virStorageVolPtr vol, const char *func, int proc,
                          xdrproc_t args_filter, void *args, bool sparse);
