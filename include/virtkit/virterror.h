/* virterror.h: error numbers, error domains and the error record of the
 * Virtkit C API.  The numbers are libvirt's, so that code written for
 * libvirt's virterror.h compiles and behaves the same against Virtkit. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VIR_ERR_NONE = 0,
    VIR_ERR_WARNING = 1,
    VIR_ERR_ERROR = 2,
} virErrorLevel;

/* Where an error came from. */
typedef enum {
    VIR_FROM_NONE = 0, VIR_FROM_XEN, VIR_FROM_XEND, VIR_FROM_XENSTORE,
    VIR_FROM_SEXPR, VIR_FROM_XML = 5, VIR_FROM_DOM, VIR_FROM_RPC,
    VIR_FROM_PROXY, VIR_FROM_CONF, VIR_FROM_QEMU = 10, VIR_FROM_NET,
    VIR_FROM_TEST, VIR_FROM_REMOTE, VIR_FROM_OPENVZ, VIR_FROM_XENXM = 15,
    VIR_FROM_STATS_LINUX, VIR_FROM_LXC, VIR_FROM_STORAGE, VIR_FROM_NETWORK,
    VIR_FROM_DOMAIN = 20, VIR_FROM_UML, VIR_FROM_NODEDEV, VIR_FROM_XEN_INOTIFY,
    VIR_FROM_SECURITY, VIR_FROM_VBOX = 25, VIR_FROM_INTERFACE, VIR_FROM_ONE,
    VIR_FROM_ESX, VIR_FROM_PHYP, VIR_FROM_SECRET = 30, VIR_FROM_CPU,
    VIR_FROM_XENAPI, VIR_FROM_NWFILTER, VIR_FROM_HOOK,
    VIR_FROM_DOMAIN_SNAPSHOT = 35, VIR_FROM_AUDIT, VIR_FROM_SYSINFO,
    VIR_FROM_STREAMS, VIR_FROM_VMWARE, VIR_FROM_EVENT = 40, VIR_FROM_LIBXL,
    VIR_FROM_LOCKING, VIR_FROM_HYPERV, VIR_FROM_CAPABILITIES,
    VIR_FROM_URI = 45, VIR_FROM_AUTH, VIR_FROM_DBUS, VIR_FROM_PARALLELS,
    VIR_FROM_DEVICE, VIR_FROM_SSH = 50, VIR_FROM_LOCKSPACE, VIR_FROM_INITCTL,
    VIR_FROM_IDENTITY, VIR_FROM_CGROUP, VIR_FROM_ACCESS = 55, VIR_FROM_SYSTEMD,
    VIR_FROM_BHYVE, VIR_FROM_CRYPTO, VIR_FROM_FIREWALL, VIR_FROM_POLKIT = 60,
    VIR_FROM_THREAD, VIR_FROM_ADMIN, VIR_FROM_LOGGING, VIR_FROM_XENXL,
    VIR_FROM_PERF = 65, VIR_FROM_LIBSSH, VIR_FROM_RESCTRL, VIR_FROM_FIREWALLD,
    VIR_FROM_DOMAIN_CHECKPOINT, VIR_FROM_TPM = 70, VIR_FROM_BPF, VIR_FROM_CH,
} virErrorDomain;

/* What went wrong. */
typedef enum {
    VIR_ERR_OK = 0, VIR_ERR_INTERNAL_ERROR, VIR_ERR_NO_MEMORY,
    VIR_ERR_NO_SUPPORT, VIR_ERR_UNKNOWN_HOST, VIR_ERR_NO_CONNECT = 5,
    VIR_ERR_INVALID_CONN, VIR_ERR_INVALID_DOMAIN, VIR_ERR_INVALID_ARG,
    VIR_ERR_OPERATION_FAILED, VIR_ERR_GET_FAILED = 10, VIR_ERR_POST_FAILED,
    VIR_ERR_HTTP_ERROR, VIR_ERR_SEXPR_SERIAL, VIR_ERR_NO_XEN,
    VIR_ERR_XEN_CALL = 15, VIR_ERR_OS_TYPE, VIR_ERR_NO_KERNEL, VIR_ERR_NO_ROOT,
    VIR_ERR_NO_SOURCE, VIR_ERR_NO_TARGET = 20, VIR_ERR_NO_NAME, VIR_ERR_NO_OS,
    VIR_ERR_NO_DEVICE, VIR_ERR_NO_XENSTORE, VIR_ERR_DRIVER_FULL = 25,
    VIR_ERR_CALL_FAILED, VIR_ERR_XML_ERROR, VIR_ERR_DOM_EXIST,
    VIR_ERR_OPERATION_DENIED, VIR_ERR_OPEN_FAILED = 30, VIR_ERR_READ_FAILED,
    VIR_ERR_PARSE_FAILED, VIR_ERR_CONF_SYNTAX, VIR_ERR_WRITE_FAILED,
    VIR_ERR_XML_DETAIL = 35, VIR_ERR_INVALID_NETWORK, VIR_ERR_NETWORK_EXIST,
    VIR_ERR_SYSTEM_ERROR, VIR_ERR_RPC, VIR_ERR_GNUTLS_ERROR = 40,
    VIR_WAR_NO_NETWORK, VIR_ERR_NO_DOMAIN, VIR_ERR_NO_NETWORK,
    VIR_ERR_INVALID_MAC, VIR_ERR_AUTH_FAILED = 45, VIR_ERR_INVALID_STORAGE_POOL,
    VIR_ERR_INVALID_STORAGE_VOL, VIR_WAR_NO_STORAGE, VIR_ERR_NO_STORAGE_POOL,
    VIR_ERR_NO_STORAGE_VOL = 50, VIR_WAR_NO_NODE, VIR_ERR_INVALID_NODE_DEVICE,
    VIR_ERR_NO_NODE_DEVICE, VIR_ERR_NO_SECURITY_MODEL,
    VIR_ERR_OPERATION_INVALID = 55, VIR_WAR_NO_INTERFACE, VIR_ERR_NO_INTERFACE,
    VIR_ERR_INVALID_INTERFACE, VIR_ERR_MULTIPLE_INTERFACES,
    VIR_WAR_NO_NWFILTER = 60, VIR_ERR_INVALID_NWFILTER, VIR_ERR_NO_NWFILTER,
    VIR_ERR_BUILD_FIREWALL, VIR_WAR_NO_SECRET, VIR_ERR_INVALID_SECRET = 65,
    VIR_ERR_NO_SECRET, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_OPERATION_TIMEOUT,
    VIR_ERR_MIGRATE_PERSIST_FAILED, VIR_ERR_HOOK_SCRIPT_FAILED = 70,
    VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_ERR_NO_DOMAIN_SNAPSHOT,
    VIR_ERR_INVALID_STREAM, VIR_ERR_ARGUMENT_UNSUPPORTED,
    VIR_ERR_STORAGE_PROBE_FAILED = 75, VIR_ERR_STORAGE_POOL_BUILT,
    VIR_ERR_SNAPSHOT_REVERT_RISKY, VIR_ERR_OPERATION_ABORTED,
    VIR_ERR_AUTH_CANCELLED, VIR_ERR_NO_DOMAIN_METADATA = 80,
    VIR_ERR_MIGRATE_UNSAFE, VIR_ERR_OVERFLOW, VIR_ERR_BLOCK_COPY_ACTIVE,
    VIR_ERR_OPERATION_UNSUPPORTED, VIR_ERR_SSH = 85, VIR_ERR_AGENT_UNRESPONSIVE,
    VIR_ERR_RESOURCE_BUSY, VIR_ERR_ACCESS_DENIED, VIR_ERR_DBUS_SERVICE,
    VIR_ERR_STORAGE_VOL_EXIST = 90, VIR_ERR_CPU_INCOMPATIBLE,
    VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_MIGRATE_FINISH_OK,
    VIR_ERR_AUTH_UNAVAILABLE, VIR_ERR_NO_SERVER = 95, VIR_ERR_NO_CLIENT,
    VIR_ERR_AGENT_UNSYNCED, VIR_ERR_LIBSSH, VIR_ERR_DEVICE_MISSING,
    VIR_ERR_INVALID_NWFILTER_BINDING = 100, VIR_ERR_NO_NWFILTER_BINDING,
    VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_ERR_NO_DOMAIN_CHECKPOINT,
    VIR_ERR_NO_DOMAIN_BACKUP, VIR_ERR_INVALID_NETWORK_PORT = 105,
    VIR_ERR_NETWORK_PORT_EXIST, VIR_ERR_NO_NETWORK_PORT, VIR_ERR_NO_HOSTNAME,
    VIR_ERR_CHECKPOINT_INCONSISTENT, VIR_ERR_MULTIPLE_DOMAINS = 110,
    VIR_ERR_NUMBER_LAST
} virErrorNumber;

/* The object handles an error record refers to (C11 allows the same
 * typedef again in virtkit.h). */
typedef struct _virConnect *virConnectPtr;
typedef struct _virDomain *virDomainPtr;
typedef struct _virNetwork *virNetworkPtr;

/* The error record of the C API, laid out as libvirt's.  conn, dom and net
 * are kept for source compatibility and are always NULL, as in libvirt. */
typedef struct _virError virError;
typedef virError *virErrorPtr;
struct _virError {
    int code;               /* virErrorNumber */
    int domain;             /* virErrorDomain */
    char *message;          /* what a person reads */
    virErrorLevel level;
    virConnectPtr conn;
    virDomainPtr dom;
    char *str1;             /* extra information, mostly unused */
    char *str2;
    char *str3;
    int int1;
    int int2;
    virNetworkPtr net;
};

/* Called with each error a public call reports (see virSetErrorFunc). */
typedef void (*virErrorFunc)(void *userData, virErrorPtr error);

/* The calling thread's last error, owned by the library (NULL: none).
 * Every public call resets it on entry. */
virErrorPtr virGetLastError(void);
/* A copy of the last error the caller frees with virFreeError, or NULL. */
virErrorPtr virSaveLastError(void);
void virResetLastError(void);
/* Free the strings of ERR and zero it. */
void virResetError(virErrorPtr err);
void virFreeError(virErrorPtr err);
/* Copy the last error into TO (which the caller resets); the error code,
 * 0 when there is none. */
int virCopyLastError(virErrorPtr to);
/* The last error's message, or "no error". */
const char *virGetLastErrorMessage(void);
int virGetLastErrorCode(void);
int virGetLastErrorDomain(void);
/* Install HANDLER to be called with every error a public call reports
 * (NULL: none; unlike libvirt, the default prints nothing). */
void virSetErrorFunc(void *userData, virErrorFunc handler);

#ifdef __cplusplus
}
#endif
