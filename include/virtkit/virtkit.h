/* virtkit.h: the Virtkit C API (libvirtkit).
 *
 * Names, types and signatures are libvirt's, so that a program written for
 * <libvirt/libvirt.h> builds against this header for the calls it provides.
 * Versions are libvirt's encoding: major * 1000000 + minor * 1000 + micro.
 */
#pragma once

#include <stddef.h>

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

/* Reasons for each state (the REASON of virDomainGetState). */
typedef enum {
    VIR_DOMAIN_NOSTATE_UNKNOWN = 0,
} virDomainNostateReason;

typedef enum {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,
    VIR_DOMAIN_RUNNING_MIGRATED = 2,
    VIR_DOMAIN_RUNNING_RESTORED = 3,
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,
    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
    VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,
    VIR_DOMAIN_RUNNING_WAKEUP = 8,
    VIR_DOMAIN_RUNNING_CRASHED = 9,
    VIR_DOMAIN_RUNNING_POSTCOPY = 10,
    VIR_DOMAIN_RUNNING_POSTCOPY_FAILED = 11,
} virDomainRunningReason;

typedef enum {
    VIR_DOMAIN_BLOCKED_UNKNOWN = 0,
} virDomainBlockedReason;

typedef enum {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,
    VIR_DOMAIN_PAUSED_MIGRATION = 2,
    VIR_DOMAIN_PAUSED_SAVE = 3,
    VIR_DOMAIN_PAUSED_DUMP = 4,
    VIR_DOMAIN_PAUSED_IOERROR = 5,
    VIR_DOMAIN_PAUSED_WATCHDOG = 6,
    VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    VIR_DOMAIN_PAUSED_SNAPSHOT = 9,
    VIR_DOMAIN_PAUSED_CRASHED = 10,
    VIR_DOMAIN_PAUSED_STARTING_UP = 11,
    VIR_DOMAIN_PAUSED_POSTCOPY = 12,
    VIR_DOMAIN_PAUSED_POSTCOPY_FAILED = 13,
    VIR_DOMAIN_PAUSED_API_ERROR = 14,
} virDomainPausedReason;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VIR_DOMAIN_SHUTDOWN_USER = 1,
} virDomainShutdownReason;

typedef enum {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,
    VIR_DOMAIN_SHUTOFF_MIGRATED = 4,
    VIR_DOMAIN_SHUTOFF_SAVED = 5,
    VIR_DOMAIN_SHUTOFF_FAILED = 6,
    VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_SHUTOFF_DAEMON = 8,
} virDomainShutoffReason;

typedef enum {
    VIR_DOMAIN_CRASHED_UNKNOWN = 0,
    VIR_DOMAIN_CRASHED_PANICKED = 1,
} virDomainCrashedReason;

typedef enum {
    VIR_DOMAIN_PMSUSPENDED_UNKNOWN = 0,
} virDomainPMSuspendedReason;

/* Filled by virDomainGetInfo. */
typedef struct _virDomainInfo virDomainInfo;
typedef virDomainInfo *virDomainInfoPtr;
struct _virDomainInfo {
    unsigned char state;        /* virDomainState */
    unsigned long maxMem;       /* KiB */
    unsigned long memory;       /* KiB */
    unsigned short nrVirtCpu;
    unsigned long long cpuTime; /* nanoseconds */
};

/* Which definition a call changes (attach / detach device...). */
typedef enum {
    VIR_DOMAIN_AFFECT_CURRENT = 0,      /* the live one when running, else the config */
    VIR_DOMAIN_AFFECT_LIVE = 1 << 0,
    VIR_DOMAIN_AFFECT_CONFIG = 1 << 1,
} virDomainModificationImpact;

typedef enum {
    VIR_DOMAIN_DEVICE_MODIFY_CURRENT = 0,
    VIR_DOMAIN_DEVICE_MODIFY_LIVE = 1 << 0,
    VIR_DOMAIN_DEVICE_MODIFY_CONFIG = 1 << 1,
    VIR_DOMAIN_DEVICE_MODIFY_FORCE = 1 << 2,
} virDomainDeviceModifyFlags;

/* virDomainCreateWithFlags, virDomainCreateXML. */
typedef enum {
    VIR_DOMAIN_NONE = 0,
    VIR_DOMAIN_START_PAUSED = 1 << 0,
    VIR_DOMAIN_START_AUTODESTROY = 1 << 1,
    VIR_DOMAIN_START_BYPASS_CACHE = 1 << 2,
    VIR_DOMAIN_START_FORCE_BOOT = 1 << 3,
    VIR_DOMAIN_START_VALIDATE = 1 << 4,
    VIR_DOMAIN_START_RESET_NVRAM = 1 << 5,
} virDomainCreateFlags;

typedef enum {
    VIR_DOMAIN_DEFINE_VALIDATE = 1 << 0,
} virDomainDefineFlags;

typedef enum {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = 1 << 0,
    VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
    VIR_DOMAIN_UNDEFINE_NVRAM = 1 << 2,
    VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = 1 << 3,
    VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 1 << 4,
    VIR_DOMAIN_UNDEFINE_TPM = 1 << 5,
    VIR_DOMAIN_UNDEFINE_KEEP_TPM = 1 << 6,
} virDomainUndefineFlagsValues;

typedef enum {
    VIR_DOMAIN_DESTROY_DEFAULT = 0,
    VIR_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
    VIR_DOMAIN_DESTROY_REMOVE_LOGS = 1 << 1,
} virDomainDestroyFlagsValues;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1 << 0,
    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = 1 << 1,
    VIR_DOMAIN_SHUTDOWN_INITCTL = 1 << 2,
    VIR_DOMAIN_SHUTDOWN_SIGNAL = 1 << 3,
    VIR_DOMAIN_SHUTDOWN_PARAVIRT = 1 << 4,
} virDomainShutdownFlagValues;

typedef enum {
    VIR_DOMAIN_REBOOT_DEFAULT = 0,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = 1 << 0,
    VIR_DOMAIN_REBOOT_GUEST_AGENT = 1 << 1,
    VIR_DOMAIN_REBOOT_INITCTL = 1 << 2,
    VIR_DOMAIN_REBOOT_SIGNAL = 1 << 3,
    VIR_DOMAIN_REBOOT_PARAVIRT = 1 << 4,
} virDomainRebootFlagValues;

/* virDomainGetXMLDesc. */
typedef enum {
    VIR_DOMAIN_XML_SECURE = 1 << 0,     /* include passwords */
    VIR_DOMAIN_XML_INACTIVE = 1 << 1,   /* the persistent config, not the live one */
    VIR_DOMAIN_XML_UPDATE_CPU = 1 << 2,
    VIR_DOMAIN_XML_MIGRATABLE = 1 << 3,
} virDomainXMLFlags;

/* The XML of save images and of snapshots: passwords only with SECURE. */
typedef enum {
    VIR_DOMAIN_SAVE_IMAGE_XML_SECURE = VIR_DOMAIN_XML_SECURE,
} virDomainSaveImageXMLFlags;

typedef enum {
    VIR_DOMAIN_SNAPSHOT_XML_SECURE = VIR_DOMAIN_XML_SECURE,
} virDomainSnapshotXMLFlags;

/* ----- Flags and values of the calls the daemons serve (libvirt's names
 * and numbers, from libvirt-domain.h, libvirt-domain-snapshot.h,
 * libvirt-common.h and libvirt-network.h) ----- */

/* Typed parameter calls: the client takes string values. */
typedef enum {
    /* 1 << 0 and 1 << 1 are virDomainModificationImpact's */
    VIR_TYPED_PARAM_STRING_OKAY = 1 << 2,
} virTypedParameterFlags;

/* virDomainSetVcpusFlags, virDomainGetVcpusFlags. */
typedef enum {
    VIR_DOMAIN_VCPU_CURRENT = VIR_DOMAIN_AFFECT_CURRENT,
    VIR_DOMAIN_VCPU_LIVE = VIR_DOMAIN_AFFECT_LIVE,
    VIR_DOMAIN_VCPU_CONFIG = VIR_DOMAIN_AFFECT_CONFIG,
    VIR_DOMAIN_VCPU_MAXIMUM = 1 << 2,
    VIR_DOMAIN_VCPU_GUEST = 1 << 3,
    VIR_DOMAIN_VCPU_HOTPLUGGABLE = 1 << 4,
} virDomainVcpuFlags;

/* virDomainSetMemoryFlags. */
typedef enum {
    VIR_DOMAIN_MEM_CURRENT = VIR_DOMAIN_AFFECT_CURRENT,
    VIR_DOMAIN_MEM_LIVE = VIR_DOMAIN_AFFECT_LIVE,
    VIR_DOMAIN_MEM_CONFIG = VIR_DOMAIN_AFFECT_CONFIG,
    VIR_DOMAIN_MEM_MAXIMUM = 1 << 2,
} virDomainMemoryModFlags;

/* The state of one vCPU (virDomainGetVcpus, "vcpu.N.state"). */
typedef enum {
    VIR_VCPU_OFFLINE = 0,
    VIR_VCPU_RUNNING = 1,
    VIR_VCPU_BLOCKED = 2,
} virVcpuState;

/* virDomainSaveFlags, virDomainRestoreFlags, virDomainManagedSave. */
typedef enum {
    VIR_DOMAIN_SAVE_BYPASS_CACHE = 1 << 0,
    VIR_DOMAIN_SAVE_RUNNING = 1 << 1,
    VIR_DOMAIN_SAVE_PAUSED = 1 << 2,
    VIR_DOMAIN_SAVE_RESET_NVRAM = 1 << 3,
} virDomainSaveRestoreFlags;

/* virDomainBlockResize. */
typedef enum {
    VIR_DOMAIN_BLOCK_RESIZE_BYTES = 1 << 0,
} virDomainBlockResizeFlags;

/* Block jobs: their types, the event's status, and the calls' flags. */
typedef enum {
    VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN = 0,
    VIR_DOMAIN_BLOCK_JOB_TYPE_PULL = 1,
    VIR_DOMAIN_BLOCK_JOB_TYPE_COPY = 2,
    VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT = 3,
    VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT = 4,
    VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP = 5,
} virDomainBlockJobType;

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_COMPLETED = 0,
    VIR_DOMAIN_BLOCK_JOB_FAILED = 1,
    VIR_DOMAIN_BLOCK_JOB_CANCELED = 2,
    VIR_DOMAIN_BLOCK_JOB_READY = 3,
} virConnectDomainEventBlockJobStatus;

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC = 1 << 0,
    VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT = 1 << 1,
} virDomainBlockJobAbortFlags;

/* virDomainGetBlockJobInfo and virDomainBlockJobSetSpeed */
#define VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES (1 << 0)
#define VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES (1 << 0)
#define VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES (1 << 6)

typedef enum {
    VIR_DOMAIN_BLOCK_REBASE_SHALLOW = 1 << 0,
    VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT = 1 << 1,
    VIR_DOMAIN_BLOCK_REBASE_COPY_RAW = 1 << 2,
    VIR_DOMAIN_BLOCK_REBASE_COPY = 1 << 3,
    VIR_DOMAIN_BLOCK_REBASE_RELATIVE = 1 << 4,
    VIR_DOMAIN_BLOCK_REBASE_COPY_DEV = 1 << 5,
    VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES = 1 << 6,
} virDomainBlockRebaseFlags;

typedef enum {
    VIR_DOMAIN_BLOCK_COPY_SHALLOW = 1 << 0,
    VIR_DOMAIN_BLOCK_COPY_REUSE_EXT = 1 << 1,
    VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB = 1 << 2,
    VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES = 1 << 3,
} virDomainBlockCopyFlags;

typedef enum {
    VIR_DOMAIN_BLOCK_COMMIT_SHALLOW = 1 << 0,
    VIR_DOMAIN_BLOCK_COMMIT_DELETE = 1 << 1,
    VIR_DOMAIN_BLOCK_COMMIT_ACTIVE = 1 << 2,
    VIR_DOMAIN_BLOCK_COMMIT_RELATIVE = 1 << 3,
    VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES = 1 << 4,
} virDomainBlockCommitFlags;

/* virDomainOpenConsole. */
typedef enum {
    VIR_DOMAIN_CONSOLE_FORCE = 1 << 0,
    VIR_DOMAIN_CONSOLE_SAFE = 1 << 1,
} virDomainConsoleFlags;

/* virDomainInterfaceAddresses: where the addresses come from. */
typedef enum {
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2,
} virDomainInterfaceAddressesSource;

typedef enum {
    VIR_IP_ADDR_TYPE_IPV4 = 0,
    VIR_IP_ADDR_TYPE_IPV6 = 1,
} virIPAddrType;

/* virDomainGetJobInfo's type. */
typedef enum {
    VIR_DOMAIN_JOB_NONE = 0,
    VIR_DOMAIN_JOB_BOUNDED = 1,
    VIR_DOMAIN_JOB_UNBOUNDED = 2,
    VIR_DOMAIN_JOB_COMPLETED = 3,
    VIR_DOMAIN_JOB_FAILED = 4,
    VIR_DOMAIN_JOB_CANCELLED = 5,
} virDomainJobType;

/* virDomainGetJobStats. */
typedef enum {
    VIR_DOMAIN_JOB_STATS_COMPLETED = 1 << 0,
    VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED = 1 << 1,
} virDomainGetJobStatsFlags;

/* virDomainSetMetadata, virDomainGetMetadata. */
typedef enum {
    VIR_DOMAIN_METADATA_DESCRIPTION = 0,
    VIR_DOMAIN_METADATA_TITLE = 1,
    VIR_DOMAIN_METADATA_ELEMENT = 2,
} virDomainMetadataType;

/* virDomainGetDiskErrors. */
typedef enum {
    VIR_DOMAIN_DISK_ERROR_NONE = 0,
    VIR_DOMAIN_DISK_ERROR_UNSPEC = 1,
    VIR_DOMAIN_DISK_ERROR_NO_SPACE = 2,
} virDomainDiskErrorCode;

/* virDomainSendKey: the code set of the key codes. */
typedef enum {
    VIR_KEYCODE_SET_LINUX = 0,
    VIR_KEYCODE_SET_XT = 1,
    VIR_KEYCODE_SET_ATSET1 = 2,
    VIR_KEYCODE_SET_ATSET2 = 3,
    VIR_KEYCODE_SET_ATSET3 = 4,
    VIR_KEYCODE_SET_OSX = 5,
    VIR_KEYCODE_SET_XT_KBD = 6,
    VIR_KEYCODE_SET_USB = 7,
    VIR_KEYCODE_SET_WIN32 = 8,
    VIR_KEYCODE_SET_QNUM = 9,
} virKeycodeSet;

/* virDomainMemoryStats: the tag of each value. */
typedef enum {
    VIR_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    VIR_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    VIR_DOMAIN_MEMORY_STAT_UNUSED = 4,
    VIR_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    VIR_DOMAIN_MEMORY_STAT_RSS = 7,
    VIR_DOMAIN_MEMORY_STAT_USABLE = 8,
    VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
    VIR_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    VIR_DOMAIN_MEMORY_STAT_NR = 13,
} virDomainMemoryStatTags;

/* virConnectGetAllDomainStats: which groups of statistics. */
typedef enum {
    VIR_DOMAIN_STATS_STATE = 1 << 0,
    VIR_DOMAIN_STATS_CPU_TOTAL = 1 << 1,
    VIR_DOMAIN_STATS_BALLOON = 1 << 2,
    VIR_DOMAIN_STATS_VCPU = 1 << 3,
    VIR_DOMAIN_STATS_INTERFACE = 1 << 4,
    VIR_DOMAIN_STATS_BLOCK = 1 << 5,
    VIR_DOMAIN_STATS_PERF = 1 << 6,
    VIR_DOMAIN_STATS_IOTHREAD = 1 << 7,
    VIR_DOMAIN_STATS_MEMORY = 1 << 8,
    VIR_DOMAIN_STATS_DIRTYRATE = 1 << 9,
    VIR_DOMAIN_STATS_VM = 1 << 10,
} virDomainStatsTypes;

/* virConnectGetAllDomainStats: which domains, and how. */
typedef enum {
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = VIR_CONNECT_LIST_DOMAINS_ACTIVE,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = VIR_CONNECT_LIST_DOMAINS_INACTIVE,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT = VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT = VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = VIR_CONNECT_LIST_DOMAINS_RUNNING,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = VIR_CONNECT_LIST_DOMAINS_PAUSED,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = VIR_CONNECT_LIST_DOMAINS_OTHER,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 1 << 29,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING = 1 << 30,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 1U << 31,
} virConnectGetAllDomainStatsFlags;

/* virDomainSnapshotCreateXML. */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT = 1 << 1,
    VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = 1 << 2,
    VIR_DOMAIN_SNAPSHOT_CREATE_HALT = 1 << 3,
    VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = 1 << 4,
    VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = 1 << 5,
    VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE = 1 << 6,
    VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC = 1 << 7,
    VIR_DOMAIN_SNAPSHOT_CREATE_LIVE = 1 << 8,
    VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE = 1 << 9,
} virDomainSnapshotCreateFlags;

/* virDomainListAllSnapshots (ROOTS), virDomainSnapshotListAllChildren
 * (DESCENDANTS): the same bit. */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_LIST_ROOTS = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_LIST_METADATA = 1 << 1,
    VIR_DOMAIN_SNAPSHOT_LIST_LEAVES = 1 << 2,
    VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES = 1 << 3,
    VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA = 1 << 4,
    VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE = 1 << 5,
    VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE = 1 << 6,
    VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY = 1 << 7,
    VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL = 1 << 8,
    VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL = 1 << 9,
    VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL = 1 << 10,
} virDomainSnapshotListFlags;

/* virDomainRevertToSnapshot. */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED = 1 << 1,
    VIR_DOMAIN_SNAPSHOT_REVERT_FORCE = 1 << 2,
    VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM = 1 << 3,
} virDomainSnapshotRevertFlags;

/* virDomainSnapshotDelete. */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN = 1 << 0,
    VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY = 1 << 1,
    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY = 1 << 2,
} virDomainSnapshotDeleteFlags;

/* What a client registers for (virConnectDomainEventRegisterAny). */
typedef enum {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,
    VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,
    VIR_DOMAIN_EVENT_ID_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_ID_IO_ERROR = 4,
    VIR_DOMAIN_EVENT_ID_GRAPHICS = 5,
    VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,
    VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,
    VIR_DOMAIN_EVENT_ID_DISK_CHANGE = 9,
    VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10,
    VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,
    VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16,
    VIR_DOMAIN_EVENT_ID_TUNABLE = 17,
    VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18,
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,
    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22,
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,
    VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24,
    VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE = 25,
    VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE = 26,
    VIR_DOMAIN_EVENT_ID_LAST = 27,   /* libvirt 9.0's count */
} virDomainEventID;

/* Lifecycle events (VIR_DOMAIN_EVENT_ID_LIFECYCLE): the event, and its
 * detail, one enum per event. */
typedef enum {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
} virDomainEventType;

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
} virDomainEventDefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,
} virDomainEventStartedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8,
} virDomainEventSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4,
} virDomainEventResumedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
} virDomainEventStoppedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
} virDomainEventUndefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
    VIR_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,
    VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2,
} virDomainEventShutdownDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY = 0,
    VIR_DOMAIN_EVENT_PMSUSPENDED_DISK = 1,
} virDomainEventPMSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_CRASHED_PANICKED = 0,
    VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED = 1,
} virDomainEventCrashedDetailType;

/* Lookups: NULL with VIR_ERR_NO_DOMAIN when there is no such domain.  The
 * handle is freed with virDomainFree. */
virDomainPtr virDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr);
virDomainPtr virDomainLookupByName(virConnectPtr conn, const char *name);

/* Persistent definitions. */
virDomainPtr virDomainDefineXML(virConnectPtr conn, const char *xml);
virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int virDomainUndefine(virDomainPtr domain);
int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags);

/* Lifecycle.  Start and stop update the handle's id. */
int virDomainCreate(virDomainPtr domain);
int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags);
/* Start a transient domain from XMLDESC. */
virDomainPtr virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
int virDomainDestroy(virDomainPtr domain);
int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags);
int virDomainShutdown(virDomainPtr domain);
int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags);
int virDomainReboot(virDomainPtr domain, unsigned int flags);
int virDomainReset(virDomainPtr domain, unsigned int flags);
int virDomainSuspend(virDomainPtr domain);
int virDomainResume(virDomainPtr domain);

/* Questions.  Strings are freed by the caller with free(). */
char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags);
int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info);
/* 1 yes, 0 no, -1 error. */
int virDomainIsActive(virDomainPtr dom);
int virDomainIsPersistent(virDomainPtr dom);
int virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags);
int virDomainGetAutostart(virDomainPtr domain, int *autostart);
int virDomainSetAutostart(virDomainPtr domain, int autostart);
char *virDomainGetOSType(virDomainPtr domain);
/* TYPE: virDomainMetadataType; URI: the namespace of an ELEMENT. */
char *virDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags);
/* KiB; 0 on error. */
unsigned long virDomainGetMaxMemory(virDomainPtr domain);

/* Devices: XML is one device element (<disk>, <interface>...). */
int virDomainAttachDevice(virDomainPtr domain, const char *xml);
int virDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
int virDomainDetachDevice(virDomainPtr domain, const char *xml);
int virDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);

/* Number of running domains, or -1. */
int virConnectNumOfDomains(virConnectPtr conn);

/* ===== Networks ===== */

typedef struct _virNetwork virNetwork;
typedef virNetwork *virNetworkPtr;
typedef struct _virNetworkPort virNetworkPort;
typedef virNetworkPort *virNetworkPortPtr;

typedef enum {
    VIR_NETWORK_XML_INACTIVE = (1 << 0),   /* the persistent definition */
} virNetworkXMLFlags;

/* virConnectListAllNetworks: within each pair, either bit or both. */
typedef enum {
    VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
} virConnectListAllNetworksFlags;

typedef enum {
    VIR_NETWORK_CREATE_VALIDATE = 1 << 0,  /* validate the XML against the schema */
} virNetworkCreateFlags;

typedef enum {
    VIR_NETWORK_DEFINE_VALIDATE = 1 << 0,  /* validate the XML against the schema */
} virNetworkDefineFlags;

/* virNetworkUpdate: what to do, to which part of <network>, where. */
typedef enum {
    VIR_NETWORK_UPDATE_COMMAND_NONE = 0,       /* (invalid) */
    VIR_NETWORK_UPDATE_COMMAND_MODIFY = 1,
    VIR_NETWORK_UPDATE_COMMAND_DELETE = 2,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3,
    VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4,
} virNetworkUpdateCommand;

typedef enum {
    VIR_NETWORK_SECTION_NONE = 0,                /* (invalid) */
    VIR_NETWORK_SECTION_BRIDGE = 1,              /* <bridge> */
    VIR_NETWORK_SECTION_DOMAIN = 2,              /* <domain> */
    VIR_NETWORK_SECTION_IP = 3,                  /* <ip> */
    VIR_NETWORK_SECTION_IP_DHCP_HOST = 4,        /* <ip>/<dhcp>/<host> */
    VIR_NETWORK_SECTION_IP_DHCP_RANGE = 5,       /* <ip>/<dhcp>/<range> */
    VIR_NETWORK_SECTION_FORWARD = 6,             /* <forward> */
    VIR_NETWORK_SECTION_FORWARD_INTERFACE = 7,   /* <forward>/<interface> */
    VIR_NETWORK_SECTION_FORWARD_PF = 8,          /* <forward>/<pf> */
    VIR_NETWORK_SECTION_PORTGROUP = 9,           /* <portgroup> */
    VIR_NETWORK_SECTION_DNS_HOST = 10,           /* <dns>/<host> */
    VIR_NETWORK_SECTION_DNS_TXT = 11,            /* <dns>/<txt> */
    VIR_NETWORK_SECTION_DNS_SRV = 12,            /* <dns>/<srv> */
} virNetworkUpdateSection;

typedef enum {
    VIR_NETWORK_UPDATE_AFFECT_CURRENT = 0,       /* live if active, else config */
    VIR_NETWORK_UPDATE_AFFECT_LIVE = 1 << 0,
    VIR_NETWORK_UPDATE_AFFECT_CONFIG = 1 << 1,
} virNetworkUpdateFlags;

/* Network lifecycle events (their detail is always 0). */
typedef enum {
    VIR_NETWORK_EVENT_DEFINED = 0,
    VIR_NETWORK_EVENT_UNDEFINED = 1,
    VIR_NETWORK_EVENT_STARTED = 2,
    VIR_NETWORK_EVENT_STOPPED = 3,
} virNetworkEventLifecycleType;

typedef enum {
    VIR_NETWORK_EVENT_ID_LIFECYCLE = 0,
} virNetworkEventID;

/* One lease of the network's DHCP server (virNetworkGetDHCPLeases). */
typedef struct _virNetworkDHCPLease virNetworkDHCPLease;
typedef virNetworkDHCPLease *virNetworkDHCPLeasePtr;
struct _virNetworkDHCPLease {
    char *iface;                /* the network's bridge */
    long long expirytime;       /* seconds since the epoch */
    int type;                   /* virIPAddrType */
    char *mac;
    char *iaid;                 /* IPv6 only */
    char *ipaddr;
    unsigned int prefix;
    char *hostname;
    char *clientid;             /* client id or DUID */
};

typedef enum {
    VIR_NETWORK_PORT_CREATE_RECLAIM = (1 << 0),    /* reclaim the resources in use */
    VIR_NETWORK_PORT_CREATE_VALIDATE = (1 << 1),   /* validate the XML against the schema */
} virNetworkPortCreateFlags;

virConnectPtr virNetworkGetConnect(virNetworkPtr network);

/* Listing.  The handles of virConnectListAllNetworks are freed with
 * virNetworkFree, the array with free(); the names of the older calls with
 * free() each. */
int virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags);
int virConnectNumOfNetworks(virConnectPtr conn);
int virConnectListNetworks(virConnectPtr conn, char **const names, int maxnames);
int virConnectNumOfDefinedNetworks(virConnectPtr conn);
int virConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames);

/* Lookups: NULL with VIR_ERR_NO_NETWORK when there is no such network. */
virNetworkPtr virNetworkLookupByName(virConnectPtr conn, const char *name);
virNetworkPtr virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virNetworkPtr virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuid);

/* Transient networks started from XML, persistent definitions. */
virNetworkPtr virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc);
virNetworkPtr virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc,
                                       unsigned int flags);
virNetworkPtr virNetworkDefineXML(virConnectPtr conn, const char *xmlDesc);
virNetworkPtr virNetworkDefineXMLFlags(virConnectPtr conn, const char *xmlDesc,
                                       unsigned int flags);
int virNetworkUndefine(virNetworkPtr network);
/* COMMAND (virNetworkUpdateCommand) XML, one element, in SECTION
 * (virNetworkUpdateSection) of the PARENTINDEX'th parent (-1: the first). */
int virNetworkUpdate(virNetworkPtr network, unsigned int command, unsigned int section,
                     int parentIndex, const char *xml, unsigned int flags);

int virNetworkCreate(virNetworkPtr network);
int virNetworkDestroy(virNetworkPtr network);
int virNetworkRef(virNetworkPtr network);
int virNetworkFree(virNetworkPtr network);

/* Questions.  Strings are freed by the caller with free(). */
const char *virNetworkGetName(virNetworkPtr network);
int virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid);
int virNetworkGetUUIDString(virNetworkPtr network, char *buf);
char *virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags);
char *virNetworkGetBridgeName(virNetworkPtr network);
int virNetworkGetAutostart(virNetworkPtr network, int *autostart);
int virNetworkSetAutostart(virNetworkPtr network, int autostart);
/* 1 yes, 0 no, -1 error. */
int virNetworkIsActive(virNetworkPtr net);
int virNetworkIsPersistent(virNetworkPtr net);

/* The leases of the network's DHCP server, those of MAC only when MAC is
 * not NULL; LEASES NULL for the count alone.  Each lease is freed with
 * virNetworkDHCPLeaseFree, the array with free(). */
int virNetworkGetDHCPLeases(virNetworkPtr network, const char *mac,
                            virNetworkDHCPLeasePtr **leases, unsigned int flags);
void virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease);

/* Network ports: the connection of one guest interface to a network.  A
 * port handle holds a reference on its network. */
int virNetworkListAllPorts(virNetworkPtr network, virNetworkPortPtr **ports,
                           unsigned int flags);
virNetworkPortPtr virNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid);
virNetworkPortPtr virNetworkPortLookupByUUIDString(virNetworkPtr net, const char *uuidstr);
virNetworkPortPtr virNetworkPortCreateXML(virNetworkPtr net, const char *xmldesc,
                                          unsigned int flags);
virNetworkPtr virNetworkPortGetNetwork(virNetworkPortPtr port);
char *virNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags);
int virNetworkPortGetUUID(virNetworkPortPtr port, unsigned char *uuid);
int virNetworkPortGetUUIDString(virNetworkPortPtr port, char *buf);
int virNetworkPortDelete(virNetworkPortPtr port, unsigned int flags);
int virNetworkPortRef(virNetworkPortPtr port);
int virNetworkPortFree(virNetworkPortPtr port);

/* ===== Streams ===== */

/* A stream carries the data of a call that moves bytes (a volume's upload
 * or download): the call opens it, then Send / Recv move the data and
 * Finish (or Abort) ends it. */
typedef struct _virStream virStream;
typedef virStream *virStreamPtr;

typedef enum {
    VIR_STREAM_NONBLOCK = (1 << 0),     /* accepted; calls still block */
} virStreamFlags;

typedef enum {
    VIR_STREAM_RECV_STOP_AT_HOLE = (1 << 0),
} virStreamRecvFlagsValues;

virStreamPtr virStreamNew(virConnectPtr conn, unsigned int flags);
int virStreamRef(virStreamPtr st);
/* Bytes sent, or -1. */
int virStreamSend(virStreamPtr st, const char *data, size_t nbytes);
/* Bytes received, 0 at the end of the data, or -1. */
int virStreamRecv(virStreamPtr st, char *data, size_t nbytes);
/* As virStreamRecv; with VIR_STREAM_RECV_STOP_AT_HOLE, -3 when a hole
 * comes next (virStreamRecvHole tells its length). */
int virStreamRecvFlags(virStreamPtr st, char *data, size_t nbytes, unsigned int flags);
/* A hole of LENGTH bytes (sparse streams). */
int virStreamSendHole(virStreamPtr st, long long length, unsigned int flags);
int virStreamRecvHole(virStreamPtr st, long long *length, unsigned int flags);

/* Give the data from HANDLER (its return: bytes, 0 at the end, -1 error). */
typedef int (*virStreamSourceFunc)(virStreamPtr st, char *data, size_t nbytes, void *opaque);
int virStreamSendAll(virStreamPtr st, virStreamSourceFunc handler, void *opaque);
/* Hand all the data to HANDLER (its return: bytes taken, -1 error). */
typedef int (*virStreamSinkFunc)(virStreamPtr st, const char *data, size_t nbytes,
                                 void *opaque);
int virStreamRecvAll(virStreamPtr st, virStreamSinkFunc handler, void *opaque);

/* Sparse variants: whether the source is in data and how long the section
 * is, skipping a hole in it, and a hole for the sink. */
typedef int (*virStreamSourceHoleFunc)(virStreamPtr st, int *inData, long long *length,
                                       void *opaque);
typedef int (*virStreamSourceSkipFunc)(virStreamPtr st, long long length, void *opaque);
typedef int (*virStreamSinkHoleFunc)(virStreamPtr st, long long length, void *opaque);
int virStreamSparseSendAll(virStreamPtr st, virStreamSourceFunc handler,
                           virStreamSourceHoleFunc holeHandler,
                           virStreamSourceSkipFunc skipHandler, void *opaque);
int virStreamSparseRecvAll(virStreamPtr st, virStreamSinkFunc handler,
                           virStreamSinkHoleFunc holeHandler, void *opaque);

/* End the data (and wait for the other side to confirm), or break the
 * stream off. */
int virStreamFinish(virStreamPtr st);
int virStreamAbort(virStreamPtr st);
int virStreamFree(virStreamPtr st);

/* ===== Storage pools and volumes ===== */

typedef struct _virStoragePool virStoragePool;
typedef virStoragePool *virStoragePoolPtr;
typedef struct _virStorageVol virStorageVol;
typedef virStorageVol *virStorageVolPtr;

typedef enum {
    VIR_STORAGE_POOL_INACTIVE = 0,
    VIR_STORAGE_POOL_BUILDING = 1,
    VIR_STORAGE_POOL_RUNNING = 2,
    VIR_STORAGE_POOL_DEGRADED = 3,
    VIR_STORAGE_POOL_INACCESSIBLE = 4,
} virStoragePoolState;

typedef enum {
    VIR_STORAGE_POOL_BUILD_NEW = 0,
    VIR_STORAGE_POOL_BUILD_REPAIR = (1 << 0),
    VIR_STORAGE_POOL_BUILD_RESIZE = (1 << 1),
    VIR_STORAGE_POOL_BUILD_NO_OVERWRITE = (1 << 2),
    VIR_STORAGE_POOL_BUILD_OVERWRITE = (1 << 3),
} virStoragePoolBuildFlags;

typedef enum {
    VIR_STORAGE_POOL_DELETE_NORMAL = 0,
    VIR_STORAGE_POOL_DELETE_ZEROED = 1 << 0,
} virStoragePoolDeleteFlags;

typedef enum {
    VIR_STORAGE_POOL_CREATE_NORMAL = 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1 << 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 1 << 1,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 1 << 2,
} virStoragePoolCreateFlags;

typedef enum {
    VIR_STORAGE_POOL_DEFINE_VALIDATE = 1 << 0,
} virStoragePoolDefineFlags;

typedef struct _virStoragePoolInfo virStoragePoolInfo;
typedef virStoragePoolInfo *virStoragePoolInfoPtr;
struct _virStoragePoolInfo {
    int state;                      /* virStoragePoolState */
    unsigned long long capacity;    /* bytes */
    unsigned long long allocation;
    unsigned long long available;
};

typedef enum {
    VIR_STORAGE_VOL_FILE = 0,
    VIR_STORAGE_VOL_BLOCK = 1,
    VIR_STORAGE_VOL_DIR = 2,
    VIR_STORAGE_VOL_NETWORK = 3,
    VIR_STORAGE_VOL_NETDIR = 4,
    VIR_STORAGE_VOL_PLOOP = 5,
} virStorageVolType;

typedef enum {
    VIR_STORAGE_VOL_DELETE_NORMAL = 0,
    VIR_STORAGE_VOL_DELETE_ZEROED = 1 << 0,
    VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 1 << 1,
} virStorageVolDeleteFlags;

typedef enum {
    VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0,
    VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1,
    VIR_STORAGE_VOL_WIPE_ALG_DOD = 2,
    VIR_STORAGE_VOL_WIPE_ALG_BSI = 3,
    VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4,
    VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7,
    VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8,
    VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9,
} virStorageVolWipeAlgorithm;

typedef enum {
    VIR_STORAGE_VOL_USE_ALLOCATION = 0,
    VIR_STORAGE_VOL_GET_PHYSICAL = 1 << 0,
} virStorageVolInfoFlags;

typedef struct _virStorageVolInfo virStorageVolInfo;
typedef virStorageVolInfo *virStorageVolInfoPtr;
struct _virStorageVolInfo {
    int type;                       /* virStorageVolType */
    unsigned long long capacity;    /* bytes */
    unsigned long long allocation;
};

typedef enum {
    VIR_STORAGE_XML_INACTIVE = (1 << 0),
} virStorageXMLFlags;

/* virConnectListAllStoragePools: within each pair, either bit or both;
 * the pool types add up. */
typedef enum {
    VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1 << 0,
    VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 1 << 5,
    VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 1 << 6,
    VIR_CONNECT_LIST_STORAGE_POOLS_FS = 1 << 7,
    VIR_CONNECT_LIST_STORAGE_POOLS_NETFS = 1 << 8,
    VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL = 1 << 9,
    VIR_CONNECT_LIST_STORAGE_POOLS_DISK = 1 << 10,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI = 1 << 11,
    VIR_CONNECT_LIST_STORAGE_POOLS_SCSI = 1 << 12,
    VIR_CONNECT_LIST_STORAGE_POOLS_MPATH = 1 << 13,
    VIR_CONNECT_LIST_STORAGE_POOLS_RBD = 1 << 14,
    VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG = 1 << 15,
    VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER = 1 << 16,
    VIR_CONNECT_LIST_STORAGE_POOLS_ZFS = 1 << 17,
    VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE = 1 << 18,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT = 1 << 19,
} virConnectListAllStoragePoolsFlags;

typedef enum {
    VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1 << 0,
    VIR_STORAGE_VOL_CREATE_REFLINK = 1 << 1,
    VIR_STORAGE_VOL_CREATE_VALIDATE = 1 << 2,
} virStorageVolCreateFlags;

typedef enum {
    VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1 << 0,
} virStorageVolDownloadFlags;

typedef enum {
    VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1 << 0,
} virStorageVolUploadFlags;

typedef enum {
    VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1 << 0,
    VIR_STORAGE_VOL_RESIZE_DELTA = 1 << 1,
    VIR_STORAGE_VOL_RESIZE_SHRINK = 1 << 2,
} virStorageVolResizeFlags;

/* Storage pool lifecycle events. */
typedef enum {
    VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
    VIR_STORAGE_POOL_EVENT_ID_REFRESH = 1,
} virStoragePoolEventID;

typedef enum {
    VIR_STORAGE_POOL_EVENT_DEFINED = 0,
    VIR_STORAGE_POOL_EVENT_UNDEFINED = 1,
    VIR_STORAGE_POOL_EVENT_STARTED = 2,
    VIR_STORAGE_POOL_EVENT_STOPPED = 3,
    VIR_STORAGE_POOL_EVENT_CREATED = 4,
    VIR_STORAGE_POOL_EVENT_DELETED = 5,
} virStoragePoolEventLifecycleType;

/* Listing.  The handles of virConnectListAllStoragePools are freed with
 * virStoragePoolFree, the array with free(); names with free(). */
int virConnectListAllStoragePools(virConnectPtr conn, virStoragePoolPtr **pools,
                                  unsigned int flags);
int virConnectNumOfStoragePools(virConnectPtr conn);
int virConnectListStoragePools(virConnectPtr conn, char **const names, int maxnames);
int virConnectNumOfDefinedStoragePools(virConnectPtr conn);
int virConnectListDefinedStoragePools(virConnectPtr conn, char **const names, int maxnames);
/* The sources of TYPE ("netfs", "logical"...) the host has, as XML
 * (free()); SRCSPEC (may be NULL) narrows the search. */
char *virConnectFindStoragePoolSources(virConnectPtr conn, const char *type,
                                       const char *srcSpec, unsigned int flags);
char *virConnectGetStoragePoolCapabilities(virConnectPtr conn, unsigned int flags);

virStoragePoolPtr virStoragePoolLookupByName(virConnectPtr conn, const char *name);
virStoragePoolPtr virStoragePoolLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virStoragePoolPtr virStoragePoolLookupByUUIDString(virConnectPtr conn, const char *uuid);
virStoragePoolPtr virStoragePoolLookupByVolume(virStorageVolPtr vol);
virStoragePoolPtr virStoragePoolLookupByTargetPath(virConnectPtr conn, const char *path);

/* Definitions and lifecycle (FLAGS: virStoragePoolCreateFlags,
 * virStoragePoolDefineFlags, virStoragePoolBuildFlags,
 * virStoragePoolDeleteFlags). */
virStoragePoolPtr virStoragePoolCreateXML(virConnectPtr conn, const char *xmlDesc,
                                          unsigned int flags);
virStoragePoolPtr virStoragePoolDefineXML(virConnectPtr conn, const char *xmlDesc,
                                          unsigned int flags);
int virStoragePoolBuild(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolUndefine(virStoragePoolPtr pool);
int virStoragePoolCreate(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolDestroy(virStoragePoolPtr pool);
int virStoragePoolDelete(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolRefresh(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolRef(virStoragePoolPtr pool);
int virStoragePoolFree(virStoragePoolPtr pool);

virConnectPtr virStoragePoolGetConnect(virStoragePoolPtr pool);
const char *virStoragePoolGetName(virStoragePoolPtr pool);
int virStoragePoolGetUUID(virStoragePoolPtr pool, unsigned char *uuid);
int virStoragePoolGetUUIDString(virStoragePoolPtr pool, char *buf);
int virStoragePoolGetInfo(virStoragePoolPtr pool, virStoragePoolInfoPtr info);
/* FLAGS: virStorageXMLFlags; free() the XML. */
char *virStoragePoolGetXMLDesc(virStoragePoolPtr pool, unsigned int flags);
int virStoragePoolGetAutostart(virStoragePoolPtr pool, int *autostart);
int virStoragePoolSetAutostart(virStoragePoolPtr pool, int autostart);
/* 1 yes, 0 no, -1 error. */
int virStoragePoolIsActive(virStoragePoolPtr pool);
int virStoragePoolIsPersistent(virStoragePoolPtr pool);

/* The volumes of a pool. */
int virStoragePoolNumOfVolumes(virStoragePoolPtr pool);
int virStoragePoolListVolumes(virStoragePoolPtr pool, char **const names, int maxnames);
int virStoragePoolListAllVolumes(virStoragePoolPtr pool, virStorageVolPtr **vols,
                                 unsigned int flags);

virConnectPtr virStorageVolGetConnect(virStorageVolPtr vol);
virStorageVolPtr virStorageVolLookupByName(virStoragePoolPtr pool, const char *name);
virStorageVolPtr virStorageVolLookupByKey(virConnectPtr conn, const char *key);
virStorageVolPtr virStorageVolLookupByPath(virConnectPtr conn, const char *path);
const char *virStorageVolGetName(virStorageVolPtr vol);
const char *virStorageVolGetKey(virStorageVolPtr vol);
/* FLAGS: virStorageVolCreateFlags. */
virStorageVolPtr virStorageVolCreateXML(virStoragePoolPtr pool, const char *xmldesc,
                                        unsigned int flags);
virStorageVolPtr virStorageVolCreateXMLFrom(virStoragePoolPtr pool, const char *xmldesc,
                                            virStorageVolPtr clonevol, unsigned int flags);
/* Move LENGTH bytes (0: to the end) from OFFSET through stream ST, a
 * virStreamNew of the volume's connection (FLAGS: virStorageVolDownloadFlags,
 * virStorageVolUploadFlags). */
int virStorageVolDownload(virStorageVolPtr vol, virStreamPtr stream,
                          unsigned long long offset, unsigned long long length,
                          unsigned int flags);
int virStorageVolUpload(virStorageVolPtr vol, virStreamPtr stream, unsigned long long offset,
                        unsigned long long length, unsigned int flags);
int virStorageVolDelete(virStorageVolPtr vol, unsigned int flags);
int virStorageVolWipe(virStorageVolPtr vol, unsigned int flags);
/* ALGORITHM: virStorageVolWipeAlgorithm. */
int virStorageVolWipePattern(virStorageVolPtr vol, unsigned int algorithm, unsigned int flags);
int virStorageVolRef(virStorageVolPtr vol);
int virStorageVolFree(virStorageVolPtr vol);
int virStorageVolGetInfo(virStorageVolPtr vol, virStorageVolInfoPtr info);
/* FLAGS: virStorageVolInfoFlags. */
int virStorageVolGetInfoFlags(virStorageVolPtr vol, virStorageVolInfoPtr info,
                              unsigned int flags);
char *virStorageVolGetXMLDesc(virStorageVolPtr pool, unsigned int flags);
/* free() the path. */
char *virStorageVolGetPath(virStorageVolPtr vol);
/* CAPACITY in bytes (FLAGS: virStorageVolResizeFlags). */
int virStorageVolResize(virStorageVolPtr vol, unsigned long long capacity,
                        unsigned int flags);

/* ===== Node devices ===== */

typedef struct _virNodeDevice virNodeDevice;
typedef virNodeDevice *virNodeDevicePtr;

/* virConnectListAllNodeDevices: the capability bits add up (none: every
 * device); INACTIVE / ACTIVE choose by state (neither: both). */
typedef enum {
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM = 1 << 0,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV = 1 << 1,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV = 1 << 2,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE = 1 << 3,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET = 1 << 4,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST = 1 << 5,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET = 1 << 6,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI = 1 << 7,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE = 1 << 8,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST = 1 << 9,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS = 1 << 10,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC = 1 << 11,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM = 1 << 12,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES = 1 << 13,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV = 1 << 14,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV = 1 << 15,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV = 1 << 16,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA = 1 << 17,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD = 1 << 18,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE = 1 << 19,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX = 1 << 20,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD = 1 << 21,
    VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE = 1 << 30,
    VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE = 1U << 31,
} virConnectListAllNodeDeviceFlags;

typedef enum {
    VIR_NODE_DEVICE_CREATE_XML_VALIDATE = 1 << 0,
} virNodeDeviceCreateXMLFlags;

typedef enum {
    VIR_NODE_DEVICE_DEFINE_XML_VALIDATE = 1 << 0,
} virNodeDeviceDefineXMLFlags;

/* Listing: CAP (NULL: any) is a capability name ("pci", "net"...).  The
 * handles of virConnectListAllNodeDevices are freed with virNodeDeviceFree,
 * the array with free(); names with free(). */
int virNodeNumOfDevices(virConnectPtr conn, const char *cap, unsigned int flags);
int virNodeListDevices(virConnectPtr conn, const char *cap, char **const names, int maxnames,
                       unsigned int flags);
int virConnectListAllNodeDevices(virConnectPtr conn, virNodeDevicePtr **devices,
                                 unsigned int flags);

virNodeDevicePtr virNodeDeviceLookupByName(virConnectPtr conn, const char *name);
virNodeDevicePtr virNodeDeviceLookupSCSIHostByWWN(virConnectPtr conn, const char *wwnn,
                                                  const char *wwpn, unsigned int flags);

/* The name, and the parent's (NULL for the root, "computer"); both belong
 * to the handle. */
const char *virNodeDeviceGetName(virNodeDevicePtr dev);
const char *virNodeDeviceGetParent(virNodeDevicePtr dev);
int virNodeDeviceNumOfCaps(virNodeDevicePtr dev);
int virNodeDeviceListCaps(virNodeDevicePtr dev, char **const names, int maxnames);
/* free() the XML. */
char *virNodeDeviceGetXMLDesc(virNodeDevicePtr dev, unsigned int flags);
int virNodeDeviceRef(virNodeDevicePtr dev);
int virNodeDeviceFree(virNodeDevicePtr dev);

/* A PCI device given to (or taken back from) the driver that lets guests
 * use it; DRIVERNAME "vfio" (NULL: the hypervisor's default). */
int virNodeDeviceDettach(virNodeDevicePtr dev);
int virNodeDeviceDetachFlags(virNodeDevicePtr dev, const char *driverName, unsigned int flags);
int virNodeDeviceReAttach(virNodeDevicePtr dev);
int virNodeDeviceReset(virNodeDevicePtr dev);

/* Devices made on the host (mdevs, vHBA ports): FLAGS
 * virNodeDeviceCreateXMLFlags, virNodeDeviceDefineXMLFlags. */
virNodeDevicePtr virNodeDeviceCreateXML(virConnectPtr conn, const char *xmlDesc,
                                        unsigned int flags);
int virNodeDeviceDestroy(virNodeDevicePtr dev);
virNodeDevicePtr virNodeDeviceDefineXML(virConnectPtr conn, const char *xmlDesc,
                                        unsigned int flags);
int virNodeDeviceUndefine(virNodeDevicePtr dev, unsigned int flags);
int virNodeDeviceCreate(virNodeDevicePtr dev, unsigned int flags);
int virNodeDeviceSetAutostart(virNodeDevicePtr dev, int autostart);
int virNodeDeviceGetAutostart(virNodeDevicePtr dev, int *autostart);
/* 1 yes, 0 no, -1 error. */
int virNodeDeviceIsPersistent(virNodeDevicePtr dev);
int virNodeDeviceIsActive(virNodeDevicePtr dev);

/* ===== Capabilities ===== */

/* The host's and the hypervisor's capabilities XML (free()). */
char *virConnectGetCapabilities(virConnectPtr conn);
/* What a domain of VIRTTYPE ("kvm", "qemu") on ARCH / MACHINE / EMULATORBIN
 * can use (any may be NULL for the default). */
char *virConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                      const char *arch, const char *machine,
                                      const char *virttype, unsigned int flags);

/* ===== Security ===== */

#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)

typedef struct _virSecurityLabel virSecurityLabel;
typedef virSecurityLabel *virSecurityLabelPtr;
struct _virSecurityLabel {
    char label[VIR_SECURITY_LABEL_BUFLEN];
    int enforcing;              /* 1 enforcing, 0 permissive */
};

typedef struct _virSecurityModel virSecurityModel;
typedef virSecurityModel *virSecurityModelPtr;
struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN];   /* "selinux", "apparmor", "none"... */
    char doi[VIR_SECURITY_DOI_BUFLEN];       /* domain of interpretation */
};

int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);
int virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel);

/* virDomainMessageType: which messages virDomainGetMessages gives (0: all) */
typedef enum {
    VIR_DOMAIN_MESSAGE_DEPRECATION = (1 << 0),
    VIR_DOMAIN_MESSAGE_TAINTING = (1 << 1),
} virDomainMessageType;

/* The domain's "tainted: ..." and "deprecated configuration: ..." lines:
 * how many, in *MSGS (a NULL-terminated array to free with each string);
 * -1 on error. */
int virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags);

#ifdef __cplusplus
}
#endif
