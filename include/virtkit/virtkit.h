/* virtkit.h: the Virtkit C API (libvirtkit).
 *
 * Names, types and signatures are libvirt's, so that a program written for
 * <libvirt/libvirt.h> builds against this header for the calls it provides.
 * Versions are libvirt's encoding: major * 1000000 + minor * 1000 + micro.
 */
#pragma once

#include "virtkit/virterror.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The libvirt API level this library implements. */
#define LIBVIR_VERSION_NUMBER 9000000

/* ===== Connections ===== */

typedef struct _virConnect virConnect;
typedef struct _virConnect *virConnectPtr;

typedef enum {
    VIR_CONNECT_RO = (1 << 0),          /* read-only connection */
    VIR_CONNECT_NO_ALIASES = (1 << 1),  /* accepted, no effect: no aliases */
} virConnectFlags;

/* Kept for libvirt programs that call it first; always 0. */
int virInitialize(void);

/* Version of this library (LIBVER) and of the API for driver TYPE ("QEMU",
 * "network"...; TYPEVER).  TYPE NULL or known: 0; -1 otherwise. */
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);

/* Open NAME (NULL or "": $VIRTKIT_DEFAULT_URI, $LIBVIRT_DEFAULT_URI, else
 * qemu:///system).  NULL with the last error set on failure. */
virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
/* Drop a reference; the last one closes the connection.  The references
 * left, or -1. */
int virConnectClose(virConnectPtr conn);
int virConnectRef(virConnectPtr conn);

/* Hypervisor name ("QEMU"), owned by the connection. */
const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
/* Version of the library on the daemon's side. */
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
/* Strings the caller frees with free(). */
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
/* 1 yes, 0 no, -1 error. */
int virConnectIsAlive(virConnectPtr conn);
int virConnectIsSecure(virConnectPtr conn);
int virConnectIsEncrypted(virConnectPtr conn);

/* ===== The host ===== */

typedef struct _virNodeInfo virNodeInfo;
typedef virNodeInfo *virNodeInfoPtr;
struct _virNodeInfo {
    char model[32];          /* CPU architecture, e.g. "x86_64" */
    unsigned long memory;    /* KiB */
    unsigned int cpus;       /* active CPUs */
    unsigned int mhz;
    unsigned int nodes;      /* NUMA cells */
    unsigned int sockets;    /* per node */
    unsigned int cores;      /* per socket */
    unsigned int threads;    /* per core */
};

#define VIR_NODEINFO_MAXCPUS(nodeinfo) \
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)

int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);

/* ===== Domains ===== */

typedef struct _virDomain virDomain;
typedef struct _virDomain *virDomainPtr;

#define VIR_UUID_BUFLEN (16)
#define VIR_UUID_STRING_BUFLEN (36 + 1)

typedef enum {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED = 2,
    VIR_DOMAIN_PAUSED = 3,
    VIR_DOMAIN_SHUTDOWN = 4,
    VIR_DOMAIN_SHUTOFF = 5,
    VIR_DOMAIN_CRASHED = 6,
    VIR_DOMAIN_PMSUSPENDED = 7,
} virDomainState;

typedef enum {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
} virConnectListAllDomainsFlags;

/* The domains matching FLAGS (0: all).  With DOMAINS non-NULL, *DOMAINS
 * gets a NULL-terminated array the caller frees with free() after
 * virDomainFree on each.  The count, or -1. */
int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);

const char *virDomainGetName(virDomainPtr domain);
/* The running domain's id; (unsigned int) -1 when it is not running. */
unsigned int virDomainGetID(virDomainPtr domain);
int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid);
int virDomainGetUUIDString(virDomainPtr domain, char *buf);
/* STATE: virDomainState; REASON (may be NULL): the state's reason. */
int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags);
virConnectPtr virDomainGetConnect(virDomainPtr domain);
int virDomainRef(virDomainPtr domain);
int virDomainFree(virDomainPtr domain);

#ifdef __cplusplus
}
#endif
