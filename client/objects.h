/* The objects behind the public handles (virConnectPtr, virDomainPtr),
 * private to libvirtkit. */
#pragma once

#include <glib.h>

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

/* A domain handle: the name, UUID and id the daemon gave, and a reference
 * on its connection. */
struct _virDomain {
    gint refs;                  /* atomic */
    virConnectPtr conn;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    gint id;                    /* -1 when not running; atomic (start and
                                 * destroy change it) */
};

/* Call remote procedure PROC on CONN (see vk_remote_connection_call). */
int vk_client_call(virConnectPtr conn, int proc, xdrproc_t args_filter, void *args,
                   xdrproc_t ret_filter, void *ret);

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
