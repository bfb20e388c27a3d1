/* The domain definition: libvirt's <domain> XML as plain structs.
 *
 * Parse with vk_domain_def_parse_string(), add the QEMU driver's defaults with
 * vk_domain_def_apply_defaults(), format with vk_domain_def_format().  PCI
 * address assignment lives in common/pci and works on these structs: every
 * device carries a VkDeviceInfo (alias, boot order, address), and the device
 * arrays below are in document order, which is also the order libvirt formats
 * them in.
 *
 * Conventions: a NULL string is "absent" (not formatted); enums have 0 as
 * "absent/default" unless said (an ..._ABSENT value has no name: see
 * VK_ENUM_IMPL_OPTIONAL); sizes are KiB. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "common/conf/disk-chain.h"
#include "common/conf/disk-iotune.h"
#include "common/conf/enum-table.h"
#include "common/pci/address.h"

#define VK_UUID_LEN 16

/* ---------------------------------------------------------------------------
 * Device addresses and the info every device carries
 * ------------------------------------------------------------------------- */

typedef enum {
    VK_DEVICE_ADDRESS_NONE = 0,   /* no <address>: "assign one when needed" */
    VK_DEVICE_ADDRESS_PCI,
    VK_DEVICE_ADDRESS_DRIVE,
    VK_DEVICE_ADDRESS_VIRTIO_SERIAL,
    VK_DEVICE_ADDRESS_CCID,
    VK_DEVICE_ADDRESS_USB,
    VK_DEVICE_ADDRESS_SPAPRVIO,      /* not accepted by the parser */
    VK_DEVICE_ADDRESS_VIRTIO_S390,   /* not accepted by the parser */
    VK_DEVICE_ADDRESS_CCW,           /* not accepted by the parser */
    VK_DEVICE_ADDRESS_VIRTIO_MMIO,   /* not accepted by the parser */
    VK_DEVICE_ADDRESS_ISA,
    VK_DEVICE_ADDRESS_DIMM,          /* memory devices */
    VK_DEVICE_ADDRESS_UNASSIGNED,    /* hostdev only: present but not exposed */
} VkDeviceAddressType;
VK_ENUM_DECL(vk_device_address_type);

typedef struct {
    VkDeviceAddressType type;
    /* type PCI.  A PCI address whose domain/bus/slot/function are all 0 means
     * "assign one" (vk_device_address_pci_wanted()). */
    VkPciAddress pci;
    struct { unsigned int controller, bus, target, unit; } drive;
    struct { unsigned int controller, bus, port; } vioserial;
    struct { unsigned int controller, slot; } ccid;
    /* port is a dotted hub path "1" or "1.2"; NULL when absent */
    struct { unsigned int bus; char *port; } usb;
    struct { unsigned int iobase, irq; } isa;   /* 0 = absent */
    struct { unsigned int slot; unsigned long long base; bool has_base; } dimm;
} VkDeviceAddress;

typedef struct {
    char *alias;               /* <alias name=/>; inactive XML keeps only "ua-" ones */
    unsigned int boot_order;   /* <boot order=/>, 0 = none */
    VkDeviceAddress addr;
    /* <rom bar= file= enabled=/> (interfaces and hostdevs) */
    VkTristate rom_bar;
    VkTristate rom_enabled;
    char *rom_file;
} VkDeviceInfo;

/* True when the device has no address or an all-zero PCI one: the PCI code
 * should assign one (if the device is a PCI device). */
bool vk_device_info_pci_wanted(const VkDeviceInfo *info);
/* True when the device has a user-given (non-zero) PCI address. */
bool vk_device_info_pci_present(const VkDeviceInfo *info);
/* Set a PCI address (type becomes PCI). */
void vk_device_info_set_pci(VkDeviceInfo *info, const VkPciAddress *addr);

/* ---------------------------------------------------------------------------
 * Devices
 * ------------------------------------------------------------------------- */

/* model= of a virtio device (disk, input, rng, filesystem, vsock):
 * VIRTIO, or the variant for conventional PCI (TRANSITIONAL) or PCIe only;
 * ABSENT when not given. */
typedef enum { VK_VIRTIO_MODEL_ABSENT, VK_VIRTIO_MODEL_VIRTIO, VK_VIRTIO_MODEL_TRANSITIONAL,
               VK_VIRTIO_MODEL_NON_TRANSITIONAL } VkVirtioModel;
VK_ENUM_DECL(vk_virtio_model);

/* <disk type= device=> */
typedef enum { VK_DISK_TYPE_FILE, VK_DISK_TYPE_BLOCK, VK_DISK_TYPE_DIR,
               VK_DISK_TYPE_NETWORK, VK_DISK_TYPE_VOLUME } VkDiskType;
VK_ENUM_DECL(vk_disk_type);
typedef enum { VK_DISK_DEVICE_DISK, VK_DISK_DEVICE_CDROM, VK_DISK_DEVICE_FLOPPY,
               VK_DISK_DEVICE_LUN } VkDiskDevice;
VK_ENUM_DECL(vk_disk_device);
/* <target bus=>; NONE = not given (the defaults pick one from the dev name) */
typedef enum { VK_DISK_BUS_NONE, VK_DISK_BUS_IDE, VK_DISK_BUS_FDC, VK_DISK_BUS_SCSI,
               VK_DISK_BUS_VIRTIO, VK_DISK_BUS_XEN, VK_DISK_BUS_USB, VK_DISK_BUS_UML,
               VK_DISK_BUS_SATA, VK_DISK_BUS_SD } VkDiskBus;
VK_ENUM_DECL(vk_disk_bus);

/* <disk><driver cache= io= discard= error_policy= detect_zeroes=>, each
 * ABSENT when not given */
typedef enum { VK_DISK_CACHE_ABSENT, VK_DISK_CACHE_DEFAULT, VK_DISK_CACHE_NONE,
               VK_DISK_CACHE_WRITETHROUGH, VK_DISK_CACHE_WRITEBACK, VK_DISK_CACHE_DIRECTSYNC,
               VK_DISK_CACHE_UNSAFE } VkDiskCache;
VK_ENUM_DECL(vk_disk_cache);
typedef enum { VK_DISK_IO_ABSENT, VK_DISK_IO_NATIVE, VK_DISK_IO_THREADS,
               VK_DISK_IO_IO_URING } VkDiskIo;
VK_ENUM_DECL(vk_disk_io);
typedef enum { VK_DISK_DISCARD_ABSENT, VK_DISK_DISCARD_UNMAP,
               VK_DISK_DISCARD_IGNORE } VkDiskDiscard;
VK_ENUM_DECL(vk_disk_discard);
typedef enum { VK_DISK_ERROR_POLICY_ABSENT, VK_DISK_ERROR_POLICY_STOP,
               VK_DISK_ERROR_POLICY_REPORT, VK_DISK_ERROR_POLICY_IGNORE,
               VK_DISK_ERROR_POLICY_ENOSPACE } VkDiskErrorPolicy;
VK_ENUM_DECL(vk_disk_error_policy);
typedef enum { VK_DISK_DETECT_ZEROES_ABSENT, VK_DISK_DETECT_ZEROES_OFF,
               VK_DISK_DETECT_ZEROES_ON, VK_DISK_DETECT_ZEROES_UNMAP } VkDiskDetectZeroes;
VK_ENUM_DECL(vk_disk_detect_zeroes);
/* <source mode=> of a volume disk, <source startupPolicy=>, <target tray=> */
typedef enum { VK_DISK_SOURCE_MODE_ABSENT, VK_DISK_SOURCE_MODE_HOST,
               VK_DISK_SOURCE_MODE_DIRECT } VkDiskSourceMode;
VK_ENUM_DECL(vk_disk_source_mode);
typedef enum { VK_DISK_STARTUP_ABSENT, VK_DISK_STARTUP_DEFAULT, VK_DISK_STARTUP_MANDATORY,
               VK_DISK_STARTUP_REQUISITE, VK_DISK_STARTUP_OPTIONAL } VkDiskStartupPolicy;
VK_ENUM_DECL(vk_disk_startup_policy);
typedef enum { VK_DISK_TRAY_ABSENT, VK_DISK_TRAY_CLOSED, VK_DISK_TRAY_OPEN } VkDiskTray;
VK_ENUM_DECL(vk_disk_tray);
/* <source protocol=> of a network disk (required there) */
typedef enum { VK_DISK_PROTOCOL_ABSENT, VK_DISK_PROTOCOL_NBD, VK_DISK_PROTOCOL_RBD,
               VK_DISK_PROTOCOL_SHEEPDOG, VK_DISK_PROTOCOL_GLUSTER, VK_DISK_PROTOCOL_ISCSI,
               VK_DISK_PROTOCOL_HTTP, VK_DISK_PROTOCOL_HTTPS, VK_DISK_PROTOCOL_FTP,
               VK_DISK_PROTOCOL_FTPS, VK_DISK_PROTOCOL_TFTP, VK_DISK_PROTOCOL_SSH,
               VK_DISK_PROTOCOL_VXHS, VK_DISK_PROTOCOL_NFS } VkDiskProtocol;
VK_ENUM_DECL(vk_disk_protocol);

typedef struct {
    VkDiskType type;
    VkDiskDevice device;
    char *snapshot;          /* disk attribute snapshot= */
    /* <driver>: name (qemu), type (raw, qcow2...), ioeventfd, event_idx,
     * copy_on_read (on/off), iothread, queues */
    char *driver_name, *driver_type;
    VkTristate driver_ioeventfd, driver_event_idx, driver_copy_on_read;
    VkDiskCache driver_cache;
    VkDiskIo driver_io;
    VkDiskDiscard driver_discard;
    VkDiskErrorPolicy driver_error_policy, driver_rerror_policy;
    VkDiskDetectZeroes driver_detect_zeroes;
    unsigned int driver_iothread;   /* 0 = none */
    unsigned int driver_queues;     /* 0 = none */
    /* <source>: file (type file), dev (block), dir (dir), pool+volume+mode
     * (volume), protocol+name (network) with <host name= port=/> */
    char *src_path;
    char *src_pool, *src_volume;
    VkDiskSourceMode src_mode;
    /* live only, a volume disk once its volume is found (src_path set then):
     * what the volume is for QEMU, file, block or dir */
    VkDiskType src_actual_type;
    VkDiskProtocol src_protocol;
    char *src_name;
    char *src_host_name, *src_host_port, *src_host_transport;
    VkDiskStartupPolicy src_startup;
    bool has_source;         /* <source> element present */
    /* live only: QEMU's nodes for the medium are libvirt-N-format/-storage
     * (<source index=N>, 0 none), and the image has no backing file
     * (<backingStore/>) */
    unsigned int src_index;
    bool src_no_backing;
    /* the images below the top one (<backingStore>, as QEMU opened them
     * for a running guest), ending with <backingStore/> when src_no_backing;
     * live only: the <mirror> of a running copy or active commit (disk-chain.h) */
    GPtrArray *backing;
    VkDiskMirror *mirror;
    /* the chain was probed from the images (a running guest's): the
     * inactive XML leaves it out; a config's chain (given by the user, or
     * from a disk-only snapshot) shows there, without indexes */
    bool backing_detected;
    char *target_dev;        /* <target dev=> (required) */
    VkDiskBus bus;
    VkDiskTray target_tray;  /* cdrom/floppy */
    VkTristate target_removable;   /* removable= on/off (usb) */
    bool readonly, shareable, transient;
    char *serial, *wwn, *vendor, *product;
    /* <blockio logical_block_size= physical_block_size=/> */
    unsigned int blockio_logical, blockio_physical;
    VkDiskIotune iotune;     /* <iotune> */
    VkVirtioModel model;     /* virtio model= on disk */
    VkDeviceInfo info;       /* boot order, address (pci for virtio, drive otherwise) */
} VkDomainDiskDef;

/* <controller type=> */
typedef enum { VK_CONTROLLER_IDE, VK_CONTROLLER_FDC, VK_CONTROLLER_SCSI, VK_CONTROLLER_SATA,
               VK_CONTROLLER_VIRTIO_SERIAL, VK_CONTROLLER_CCID, VK_CONTROLLER_USB,
               VK_CONTROLLER_PCI, VK_CONTROLLER_XENBUS, VK_CONTROLLER_ISA } VkControllerType;
VK_ENUM_DECL(vk_controller_type);

/* model= of a PCI controller; NONE only before the defaults (pci index 0
 * becomes pci-root on pc, pcie-root on q35; other indexes need a model). */
typedef enum {
    VK_PCI_MODEL_NONE = -1,
    VK_PCI_MODEL_PCI_ROOT = 0,
    VK_PCI_MODEL_PCIE_ROOT,
    VK_PCI_MODEL_PCI_BRIDGE,
    VK_PCI_MODEL_DMI_TO_PCI_BRIDGE,
    VK_PCI_MODEL_PCIE_ROOT_PORT,
    VK_PCI_MODEL_PCIE_SWITCH_UPSTREAM_PORT,
    VK_PCI_MODEL_PCIE_SWITCH_DOWNSTREAM_PORT,
    VK_PCI_MODEL_PCI_EXPANDER_BUS,
    VK_PCI_MODEL_PCIE_EXPANDER_BUS,
    VK_PCI_MODEL_PCIE_TO_PCI_BRIDGE,
} VkPciControllerModel;
VK_ENUM_DECL(vk_pci_controller_model);

/* model= of the other controller types that have one (virtio-serial's is a
 * VkVirtioModel; isa has none); 0 = not given */
typedef enum { VK_USB_MODEL_ABSENT, VK_USB_MODEL_PIIX3_UHCI, VK_USB_MODEL_PIIX4_UHCI,
               VK_USB_MODEL_EHCI, VK_USB_MODEL_ICH9_EHCI1, VK_USB_MODEL_ICH9_UHCI1,
               VK_USB_MODEL_ICH9_UHCI2, VK_USB_MODEL_ICH9_UHCI3, VK_USB_MODEL_VT82C686B_UHCI,
               VK_USB_MODEL_PCI_OHCI, VK_USB_MODEL_NEC_XHCI, VK_USB_MODEL_QUSB1,
               VK_USB_MODEL_QUSB2, VK_USB_MODEL_QEMU_XHCI, VK_USB_MODEL_NONE } VkUsbControllerModel;
VK_ENUM_DECL(vk_usb_controller_model);
typedef enum { VK_SCSI_MODEL_ABSENT, VK_SCSI_MODEL_AUTO, VK_SCSI_MODEL_BUSLOGIC,
               VK_SCSI_MODEL_LSILOGIC, VK_SCSI_MODEL_LSISAS1068, VK_SCSI_MODEL_VMPVSCSI,
               VK_SCSI_MODEL_IBMVSCSI, VK_SCSI_MODEL_VIRTIO_SCSI, VK_SCSI_MODEL_LSISAS1078,
               VK_SCSI_MODEL_VIRTIO_TRANSITIONAL, VK_SCSI_MODEL_VIRTIO_NON_TRANSITIONAL,
               VK_SCSI_MODEL_NCR53C90, VK_SCSI_MODEL_AM53C974,
               VK_SCSI_MODEL_DC390 } VkScsiControllerModel;
VK_ENUM_DECL(vk_scsi_controller_model);
typedef enum { VK_IDE_MODEL_ABSENT, VK_IDE_MODEL_PIIX3, VK_IDE_MODEL_PIIX4,
               VK_IDE_MODEL_ICH6 } VkIdeControllerModel;
VK_ENUM_DECL(vk_ide_controller_model);

typedef struct {
    VkControllerType type;
    int index;               /* -1 = not given (the defaults give the next free one) */
    /* model= by type: a VkUsbControllerModel, VkScsiControllerModel,
     * VkVirtioModel (virtio-serial) or VkIdeControllerModel; 0 = not given.
     * A pci controller's is pci_model. */
    int model;
    VkPciControllerModel pci_model;    /* type pci only */
    /* type pci: <model name=/> (the QEMU device name, e.g. "pcie-root-port",
     * "i82801b11-bridge", "pcie-pci-bridge") */
    char *pci_model_name;
    /* type pci <target>: each -1 when absent */
    int chassis_nr, chassis, port, bus_nr;
    VkTristate hotplug;      /* <target hotplug='on|off'> */
    int target_index;        /* <target index=> (spapr), -1 absent */
    int numa_node;           /* <target><node>N</node>, -1 absent */
    /* virtio-serial ports=/vectors=, usb/ccid ports=, scsi/virtio queues; -1 absent */
    int ports, vectors;
    unsigned int queues, cmd_per_lun, max_sectors;   /* <driver .../>, 0 absent */
    unsigned int iothread;   /* virtio-scsi <driver iothread=/>, 0 absent */
    /* usb companion controllers: <master startport=/>, -1 absent */
    int master_startport;
    VkDeviceInfo info;
} VkDomainControllerDef;

/* <interface type=> */
typedef enum { VK_NET_TYPE_USER, VK_NET_TYPE_ETHERNET, VK_NET_TYPE_VHOSTUSER,
               VK_NET_TYPE_SERVER, VK_NET_TYPE_CLIENT, VK_NET_TYPE_MCAST,
               VK_NET_TYPE_NETWORK, VK_NET_TYPE_BRIDGE, VK_NET_TYPE_INTERNAL,
               VK_NET_TYPE_DIRECT, VK_NET_TYPE_HOSTDEV, VK_NET_TYPE_UDP,
               VK_NET_TYPE_VDPA, VK_NET_TYPE_NULL, VK_NET_TYPE_VDS } VkNetType;
VK_ENUM_DECL(vk_net_type);
/* <source mode=> of a direct interface, <driver name= txmode=>, <link
 * state=>; ABSENT when not given */
typedef enum { VK_NET_DIRECT_ABSENT, VK_NET_DIRECT_VEPA, VK_NET_DIRECT_PRIVATE,
               VK_NET_DIRECT_BRIDGE, VK_NET_DIRECT_PASSTHROUGH } VkNetDirectMode;
VK_ENUM_DECL(vk_net_direct_mode);
typedef enum { VK_NET_DRIVER_ABSENT, VK_NET_DRIVER_QEMU, VK_NET_DRIVER_VHOST,
               VK_NET_DRIVER_VFIO, VK_NET_DRIVER_KVM } VkNetDriverName;
VK_ENUM_DECL(vk_net_driver_name);
typedef enum { VK_NET_TXMODE_ABSENT, VK_NET_TXMODE_IOTHREAD, VK_NET_TXMODE_TIMER } VkNetTxmode;
VK_ENUM_DECL(vk_net_txmode);
typedef enum { VK_NET_LINK_ABSENT, VK_NET_LINK_UP, VK_NET_LINK_DOWN } VkNetLinkState;
VK_ENUM_DECL(vk_net_link_state);

typedef struct {
    VkNetType type;
    char mac[18];            /* "52:54:00:xx:xx:xx", generated when missing */
    bool mac_generated;      /* not given by the user */
    char *trust_guest_rx_filters;
    /* <source>: network= portgroup= (network), bridge= (bridge), dev= mode=
     * (direct), address/port (udp/mcast/server/client: not kept).  A running
     * guest's type network interface also has portid= (its port on the
     * network) and bridge= (the one the port names): live XML only. */
    char *src_network, *src_portgroup, *src_bridge, *src_dev;
    unsigned char src_portid[VK_UUID_LEN];
    bool has_src_portid;
    VkNetDirectMode src_mode;
    /* type hostdev: <source><address type='pci' .../></source>, managed= */
    VkPciAddress src_pci;
    bool has_src_pci;
    VkTristate managed;
    /* A running guest's type network interface whose port is a host PCI
     * device (a VF of a hostdev network): libvirt's actual type hostdev,
     * with the device in src_pci and managed.  The live XML shows it as
     * <interface type='hostdev'>, status files as <actual type='hostdev'>. */
    bool actual_hostdev;
    char *virtualport_type;  /* <virtualport type=/> (openvswitch, 802.1Qbh...) */
    char *bandwidth_xml;     /* <bandwidth> kept verbatim */
    char *vlan_xml;          /* <vlan> kept verbatim */
    char *target_dev;        /* <target dev=/> */
    bool target_managed_no;  /* <target managed='no'/> */
    char *model;             /* <model type=/>: virtio, e1000, e1000e, rtl8139... */
    /* <driver name= queues= txmode= ...> */
    VkNetDriverName driver_name;
    VkNetTxmode driver_txmode;
    VkTristate driver_ioeventfd, driver_event_idx;   /* on/off */
    unsigned int driver_queues, driver_rx_queue_size, driver_tx_queue_size;
    VkNetLinkState link_state;
    unsigned int mtu;        /* <mtu size=/>, 0 absent */
    VkDeviceInfo info;       /* boot order, rom, address */
} VkDomainNetDef;

/* <input type= bus=> */
typedef enum { VK_INPUT_TYPE_MOUSE, VK_INPUT_TYPE_TABLET, VK_INPUT_TYPE_KEYBOARD,
               VK_INPUT_TYPE_PASSTHROUGH, VK_INPUT_TYPE_EVDEV } VkInputType;
VK_ENUM_DECL(vk_input_type);
typedef enum { VK_INPUT_BUS_ABSENT, VK_INPUT_BUS_PS2, VK_INPUT_BUS_USB, VK_INPUT_BUS_XEN,
               VK_INPUT_BUS_PARALLELS, VK_INPUT_BUS_VIRTIO, VK_INPUT_BUS_NONE } VkInputBus;
VK_ENUM_DECL(vk_input_bus);

typedef struct {
    VkInputType type;        /* required */
    VkInputBus bus;          /* ABSENT until the defaults */
    VkVirtioModel model;
    char *source_evdev;      /* <source evdev=/> (passthrough/evdev) */
    VkDeviceInfo info;
} VkDomainInputDef;

/* <graphics type=> and its <listen type=> (ABSENT: no <listen>) */
typedef enum { VK_GRAPHICS_SDL, VK_GRAPHICS_VNC, VK_GRAPHICS_RDP, VK_GRAPHICS_DESKTOP,
               VK_GRAPHICS_SPICE, VK_GRAPHICS_EGL_HEADLESS, VK_GRAPHICS_DBUS } VkGraphicsType;
VK_ENUM_DECL(vk_graphics_type);
typedef enum { VK_GRAPHICS_LISTEN_ABSENT, VK_GRAPHICS_LISTEN_ADDRESS, VK_GRAPHICS_LISTEN_NETWORK,
               VK_GRAPHICS_LISTEN_SOCKET, VK_GRAPHICS_LISTEN_NONE } VkGraphicsListenType;
VK_ENUM_DECL(vk_graphics_listen_type);

typedef struct {
    VkGraphicsType type;
    int port;                /* -1 with autoport, 0 absent */
    int tls_port;            /* spice tlsPort, 0 absent */
    VkTristate autoport;
    char *websocket;         /* vnc websocket= */
    char *passwd;
    char *keymap;
    char *share_policy;
    char *default_mode;      /* spice defaultMode= */
    /* <listen type=address address=/> or network= or socket=; the legacy
     * listen= attribute becomes one */
    VkGraphicsListenType listen_type;
    char *listen_address, *listen_network, *listen_socket;
    char *gl_enable, *gl_rendernode;   /* spice/egl <gl enable= rendernode=/> */
    char *image_compression;           /* spice <image compression=/> */
    char *audio_id;          /* vnc <audio id=/> */
} VkDomainGraphicsDef;

/* <video><model type=...></video>; DEFAULT (not given) until the defaults */
typedef enum { VK_VIDEO_MODEL_DEFAULT, VK_VIDEO_MODEL_VGA, VK_VIDEO_MODEL_CIRRUS,
               VK_VIDEO_MODEL_VMVGA, VK_VIDEO_MODEL_XEN, VK_VIDEO_MODEL_VBOX, VK_VIDEO_MODEL_QXL,
               VK_VIDEO_MODEL_PARALLELS, VK_VIDEO_MODEL_VIRTIO, VK_VIDEO_MODEL_GOP,
               VK_VIDEO_MODEL_NONE, VK_VIDEO_MODEL_BOCHS, VK_VIDEO_MODEL_RAMFB } VkVideoModel;
VK_ENUM_DECL(vk_video_model);

typedef struct {
    VkVideoModel model;
    unsigned int vram, ram, vram64, vgamem, heads;   /* 0 absent */
    VkTristate primary;      /* primary='yes' (ON) */
    VkTristate accel3d, accel2d;   /* <acceleration accel3d= accel2d=/> yes/no */
    char *driver_name;       /* <driver name='vhostuser'/> */
    VkDeviceInfo info;
} VkDomainVideoDef;

/* serial, parallel, console, channel share one struct */
typedef enum { VK_CHR_SERIAL, VK_CHR_PARALLEL, VK_CHR_CONSOLE, VK_CHR_CHANNEL } VkChrDeviceKind;

/* The host side of a character device (also redirdev and an egd RNG):
 * type=, <source mode=> (tcp, udp, unix) and <protocol type=> (tcp) */
typedef enum { VK_CHR_TYPE_NULL, VK_CHR_TYPE_VC, VK_CHR_TYPE_PTY, VK_CHR_TYPE_DEV,
               VK_CHR_TYPE_FILE, VK_CHR_TYPE_PIPE, VK_CHR_TYPE_STDIO, VK_CHR_TYPE_UDP,
               VK_CHR_TYPE_TCP, VK_CHR_TYPE_UNIX, VK_CHR_TYPE_SPICEVMC, VK_CHR_TYPE_SPICEPORT,
               VK_CHR_TYPE_NMDM, VK_CHR_TYPE_QEMU_VDAGENT, VK_CHR_TYPE_DBUS } VkChrType;
VK_ENUM_DECL(vk_chr_type);
typedef enum { VK_CHR_SOURCE_MODE_ABSENT, VK_CHR_SOURCE_MODE_CONNECT,
               VK_CHR_SOURCE_MODE_BIND } VkChrSourceMode;
VK_ENUM_DECL(vk_chr_source_mode);
typedef enum { VK_CHR_PROTOCOL_ABSENT, VK_CHR_PROTOCOL_RAW, VK_CHR_PROTOCOL_TELNET,
               VK_CHR_PROTOCOL_TELNETS, VK_CHR_PROTOCOL_TLS } VkChrProtocol;
VK_ENUM_DECL(vk_chr_protocol);

/* <target type=> of a serial port, a console and a channel (a parallel
 * port has none: libvirt ignores it) */
typedef enum { VK_CHR_SERIAL_TARGET_ABSENT, VK_CHR_SERIAL_TARGET_ISA, VK_CHR_SERIAL_TARGET_USB,
               VK_CHR_SERIAL_TARGET_PCI, VK_CHR_SERIAL_TARGET_SPAPR_VIO,
               VK_CHR_SERIAL_TARGET_SYSTEM, VK_CHR_SERIAL_TARGET_SCLP,
               VK_CHR_SERIAL_TARGET_ISA_DEBUG } VkChrSerialTarget;
VK_ENUM_DECL(vk_chr_serial_target);
typedef enum { VK_CHR_CONSOLE_TARGET_ABSENT, VK_CHR_CONSOLE_TARGET_SERIAL,
               VK_CHR_CONSOLE_TARGET_XEN, VK_CHR_CONSOLE_TARGET_UML, VK_CHR_CONSOLE_TARGET_VIRTIO,
               VK_CHR_CONSOLE_TARGET_LXC, VK_CHR_CONSOLE_TARGET_OPENVZ, VK_CHR_CONSOLE_TARGET_SCLP,
               VK_CHR_CONSOLE_TARGET_SCLPLM } VkChrConsoleTarget;
VK_ENUM_DECL(vk_chr_console_target);
typedef enum { VK_CHR_CHANNEL_TARGET_ABSENT, VK_CHR_CHANNEL_TARGET_GUESTFWD,
               VK_CHR_CHANNEL_TARGET_VIRTIO, VK_CHR_CHANNEL_TARGET_XEN } VkChrChannelTarget;
VK_ENUM_DECL(vk_chr_channel_target);

/* A virtio channel's <target state=>: whether the guest opened its end
 * (libvirt's virDomainChrDeviceState). */
typedef enum { VK_CHR_STATE_DEFAULT, VK_CHR_STATE_CONNECTED,
               VK_CHR_STATE_DISCONNECTED } VkChrState;
VK_ENUM_DECL(vk_chr_state);

typedef struct {
    VkChrDeviceKind kind;
    VkChrType type;
    /* <source path= mode= host= service=/> */
    char *src_path, *src_host, *src_service, *src_append, *src_channel;
    VkChrSourceMode src_mode;
    VkChrProtocol protocol;
    /* <target type=> by kind: a VkChrSerialTarget, VkChrConsoleTarget or
     * VkChrChannelTarget; 0 = not given */
    int target_type;
    int target_port;         /* -1 absent */
    char *target_name;       /* channel name= */
    VkChrState state;        /* virtio channel state= (live XML only) */
    char *target_address, *target_tgt_port;   /* guestfwd address= port= */
    char *target_model;      /* serial <target><model name=/></target> */
    char *log_file, *log_append;
    VkDeviceInfo info;       /* virtio-serial / isa / pci / usb address */
} VkDomainChrDef;

/* The name of CHR's <target type=>, NULL when not given. */
const char *vk_domain_chr_target_type_to_string(const VkDomainChrDef *chr);
/* True for a console whose target is serial (or not given): libvirt's
 * compatibility console, the first serial port seen from the other side. */
bool vk_domain_chr_is_serial_console(const VkDomainChrDef *chr);

typedef enum { VK_SOUND_MODEL_SB16, VK_SOUND_MODEL_ES1370, VK_SOUND_MODEL_PCSPK,
               VK_SOUND_MODEL_AC97, VK_SOUND_MODEL_ICH6, VK_SOUND_MODEL_ICH9, VK_SOUND_MODEL_USB,
               VK_SOUND_MODEL_ICH7 } VkSoundModel;
VK_ENUM_DECL(vk_sound_model);

typedef struct {
    VkSoundModel model;      /* required */
    GPtrArray *codecs;       /* of char*: <codec type=/> */
    unsigned int audio_id;   /* <audio id=/>, 0 absent */
    VkDeviceInfo info;
} VkDomainSoundDef;

typedef enum { VK_AUDIO_TYPE_NONE, VK_AUDIO_TYPE_ALSA, VK_AUDIO_TYPE_COREAUDIO,
               VK_AUDIO_TYPE_JACK, VK_AUDIO_TYPE_OSS, VK_AUDIO_TYPE_PULSEAUDIO, VK_AUDIO_TYPE_SDL,
               VK_AUDIO_TYPE_SPICE, VK_AUDIO_TYPE_FILE, VK_AUDIO_TYPE_DBUS } VkAudioType;
VK_ENUM_DECL(vk_audio_type);

typedef struct {
    unsigned int id;         /* >= 1 */
    VkAudioType type;        /* required */
    char *server_name, *path;   /* pulseaudio serverName= / file path= */
} VkDomainAudioDef;

typedef enum { VK_HOSTDEV_MODE_SUBSYSTEM, VK_HOSTDEV_MODE_CAPABILITIES } VkHostdevMode;
VK_ENUM_DECL(vk_hostdev_mode);
typedef enum { VK_HOSTDEV_USB, VK_HOSTDEV_PCI, VK_HOSTDEV_SCSI, VK_HOSTDEV_SCSI_HOST,
               VK_HOSTDEV_MDEV } VkHostdevType;
VK_ENUM_DECL(vk_hostdev_type);
/* a PCI hostdev's <driver name=> (the host side backend); ABSENT: not given */
typedef enum { VK_HOSTDEV_DRIVER_ABSENT, VK_HOSTDEV_DRIVER_KVM, VK_HOSTDEV_DRIVER_VFIO,
               VK_HOSTDEV_DRIVER_XEN } VkHostdevDriver;
VK_ENUM_DECL(vk_hostdev_driver);

/* <hostdev mode='subsystem' type='pci'> (only PCI subsystem hostdevs are modeled;
 * usb ones keep vendor/product or bus/device) */
typedef struct {
    VkHostdevMode mode;      /* only subsystem is accepted */
    VkHostdevType type;      /* required */
    VkTristate managed;      /* managed='yes|no' */
    char *model;             /* mdev model= (vfio-pci...), scsi_host model= (virtio...) */
    VkPciAddress src_pci;    /* <source><address domain bus slot function/></source> */
    char *usb_vendor, *usb_product;   /* usb <source><vendor id=/><product id=/> */
    unsigned int usb_bus, usb_device; /* usb <source><address bus= device=/>; 0 absent */
    bool has_usb_address;
    VkHostdevDriver driver;  /* pci only, as libvirt reads it */
    bool readonly, shareable;
    VkDeviceInfo info;       /* boot, rom, guest address */
} VkDomainHostdevDef;

typedef enum { VK_REDIRDEV_BUS_USB } VkRedirdevBus;
VK_ENUM_DECL(vk_redirdev_bus);

typedef struct {
    VkRedirdevBus bus;
    VkChrType type;          /* spicevmc, tcp (required) */
    char *src_host, *src_service;
    VkChrProtocol protocol;  /* tcp <protocol type=/> */
    VkDeviceInfo info;
} VkDomainRedirdevDef;

typedef enum { VK_MEMBALLOON_MODEL_VIRTIO, VK_MEMBALLOON_MODEL_XEN, VK_MEMBALLOON_MODEL_NONE,
               VK_MEMBALLOON_MODEL_VIRTIO_TRANSITIONAL,
               VK_MEMBALLOON_MODEL_VIRTIO_NON_TRANSITIONAL } VkMemballoonModel;
VK_ENUM_DECL(vk_memballoon_model);

typedef struct {
    VkMemballoonModel model; /* required */
    VkTristate autodeflate, free_page_reporting;   /* on/off */
    unsigned int stats_period;  /* <stats period=/>, 0 absent */
    VkDeviceInfo info;
} VkDomainMemballoonDef;

typedef enum { VK_RNG_BACKEND_RANDOM, VK_RNG_BACKEND_EGD, VK_RNG_BACKEND_BUILTIN } VkRngBackend;
VK_ENUM_DECL(vk_rng_backend);

typedef struct {
    VkVirtioModel model;     /* required */
    VkRngBackend backend_model;   /* required */
    char *backend_path;      /* random: /dev/urandom; egd: unused */
    VkChrType egd_type;      /* egd <backend type=> (required for egd) */
    VkChrSourceMode egd_src_mode;
    char *egd_src_host, *egd_src_service, *egd_src_path;
    VkChrProtocol egd_protocol;
    unsigned int rate_bytes, rate_period;   /* <rate bytes= period=/>, 0 absent */
    VkDeviceInfo info;
} VkDomainRngDef;

typedef enum { VK_WATCHDOG_MODEL_I6300ESB, VK_WATCHDOG_MODEL_IB700,
               VK_WATCHDOG_MODEL_DIAG288 } VkWatchdogModel;
VK_ENUM_DECL(vk_watchdog_model);
/* action=; ABSENT until the defaults (reset) */
typedef enum { VK_WATCHDOG_ACTION_ABSENT, VK_WATCHDOG_ACTION_RESET, VK_WATCHDOG_ACTION_SHUTDOWN,
               VK_WATCHDOG_ACTION_POWEROFF, VK_WATCHDOG_ACTION_PAUSE, VK_WATCHDOG_ACTION_DUMP,
               VK_WATCHDOG_ACTION_NONE, VK_WATCHDOG_ACTION_INJECT_NMI } VkWatchdogAction;
VK_ENUM_DECL(vk_watchdog_action);

typedef struct {
    VkWatchdogModel model;   /* required */
    VkWatchdogAction action;
    VkDeviceInfo info;
} VkDomainWatchdogDef;

/* <tpm model=> (ABSENT, or "default", until the defaults), <backend
 * type=> and version= */
typedef enum { VK_TPM_MODEL_ABSENT, VK_TPM_MODEL_DEFAULT, VK_TPM_MODEL_TIS, VK_TPM_MODEL_CRB,
               VK_TPM_MODEL_SPAPR, VK_TPM_MODEL_SPAPR_PROXY } VkTpmModel;
VK_ENUM_DECL(vk_tpm_model);
typedef enum { VK_TPM_BACKEND_PASSTHROUGH, VK_TPM_BACKEND_EMULATOR,
               VK_TPM_BACKEND_EXTERNAL } VkTpmBackendType;
VK_ENUM_DECL(vk_tpm_backend_type);
typedef enum { VK_TPM_VERSION_ABSENT, VK_TPM_VERSION_DEFAULT, VK_TPM_VERSION_1_2,
               VK_TPM_VERSION_2_0 } VkTpmVersion;
VK_ENUM_DECL(vk_tpm_version);

typedef struct {
    VkTpmModel model;
    VkTpmBackendType backend_type;   /* required */
    VkTpmVersion backend_version;
    char *device_path;       /* passthrough <device path=/> */
    char *persistent_state;  /* emulator persistent_state= */
    char *encryption_secret; /* emulator <encryption secret=/> */
    char *active_pcr_banks;  /* unused, kept NULL */
    VkDeviceInfo info;
} VkDomainTpmDef;

/* <panic model=> (libvirt 9.0 knows no PCI pvpanic model: it came later) */
typedef enum { VK_PANIC_MODEL_ABSENT, VK_PANIC_MODEL_DEFAULT, VK_PANIC_MODEL_ISA,
               VK_PANIC_MODEL_PSERIES, VK_PANIC_MODEL_HYPERV, VK_PANIC_MODEL_S390 } VkPanicModel;
VK_ENUM_DECL(vk_panic_model);

typedef struct {
    VkPanicModel model;
    VkDeviceInfo info;       /* isa address */
} VkDomainPanicDef;

/* <filesystem type= accessmode=> and <driver type=> */
typedef enum { VK_FS_TYPE_MOUNT, VK_FS_TYPE_BLOCK, VK_FS_TYPE_FILE, VK_FS_TYPE_TEMPLATE,
               VK_FS_TYPE_RAM, VK_FS_TYPE_BIND, VK_FS_TYPE_VOLUME } VkFsType;
VK_ENUM_DECL(vk_fs_type);
typedef enum { VK_FS_ACCESS_ABSENT, VK_FS_ACCESS_PASSTHROUGH, VK_FS_ACCESS_MAPPED,
               VK_FS_ACCESS_SQUASH } VkFsAccessMode;
VK_ENUM_DECL(vk_fs_access_mode);
typedef enum { VK_FS_DRIVER_ABSENT, VK_FS_DRIVER_DEFAULT, VK_FS_DRIVER_PATH, VK_FS_DRIVER_HANDLE,
               VK_FS_DRIVER_LOOP, VK_FS_DRIVER_NBD, VK_FS_DRIVER_PLOOP,
               VK_FS_DRIVER_VIRTIOFS } VkFsDriver;
VK_ENUM_DECL(vk_fs_driver);

typedef struct {
    VkFsType type;           /* mount when not given */
    VkFsAccessMode accessmode;
    VkFsDriver driver_type;
    char *driver_queue;      /* virtiofs queue= */
    char *binary_xml;        /* virtiofs <binary> kept verbatim */
    char *src_dir;           /* <source dir=/> (or file=/name= by type) */
    char *target_dir;
    bool readonly;
    VkVirtioModel model;
    VkDeviceInfo info;
} VkDomainFsDef;

typedef enum { VK_IOMMU_MODEL_INTEL, VK_IOMMU_MODEL_SMMUV3, VK_IOMMU_MODEL_VIRTIO } VkIommuModel;
VK_ENUM_DECL(vk_iommu_model);

typedef struct {
    VkIommuModel model;      /* required */
    /* <driver intremap= caching_mode= eim= iotlb= aw_bits=/> */
    VkTristate intremap, caching_mode, eim, iotlb;   /* on/off */
    unsigned int aw_bits;
    bool has_driver;
    VkDeviceInfo info;
} VkDomainIommuDef;

typedef enum { VK_SHMEM_ROLE_ABSENT, VK_SHMEM_ROLE_DEFAULT, VK_SHMEM_ROLE_MASTER,
               VK_SHMEM_ROLE_PEER } VkShmemRole;
VK_ENUM_DECL(vk_shmem_role);
typedef enum { VK_SHMEM_MODEL_ABSENT, VK_SHMEM_MODEL_IVSHMEM, VK_SHMEM_MODEL_PLAIN,
               VK_SHMEM_MODEL_DOORBELL } VkShmemModel;
VK_ENUM_DECL(vk_shmem_model);

typedef struct {
    char *name;              /* required */
    VkShmemRole role;
    VkShmemModel model;      /* ivshmem-plain when not given */
    unsigned long long size_kib;   /* <size unit='M'>, 0 absent */
    char *server_path;       /* doorbell <server path=/> */
    unsigned int msi_vectors;
    VkTristate msi_ioeventfd;      /* on/off */
    bool has_msi;
    VkDeviceInfo info;
} VkDomainShmemDef;

typedef struct {
    VkVirtioModel model;
    VkTristate cid_auto;     /* <cid auto='yes|no' address=/> */
    unsigned int cid_address;
    VkDeviceInfo info;
} VkDomainVsockDef;

/* ---------------------------------------------------------------------------
 * The domain
 * ------------------------------------------------------------------------- */

/* <on_poweroff>, <on_reboot>, <on_crash> (given or libvirt's default) */
typedef enum { VK_LIFECYCLE_DESTROY, VK_LIFECYCLE_RESTART, VK_LIFECYCLE_RENAME_RESTART,
               VK_LIFECYCLE_PRESERVE, VK_LIFECYCLE_COREDUMP_DESTROY,
               VK_LIFECYCLE_COREDUMP_RESTART } VkLifecycleAction;
VK_ENUM_DECL(vk_lifecycle_action);

typedef enum { VK_VIRT_NONE, VK_VIRT_QEMU, VK_VIRT_KQEMU, VK_VIRT_KVM, VK_VIRT_XEN,
               VK_VIRT_LXC, VK_VIRT_UML, VK_VIRT_OPENVZ, VK_VIRT_TEST, VK_VIRT_VMWARE,
               VK_VIRT_HYPERV, VK_VIRT_VBOX, VK_VIRT_PHYP, VK_VIRT_PARALLELS, VK_VIRT_BHYVE,
               VK_VIRT_VZ, VK_VIRT_HVF } VkDomainVirtType;
VK_ENUM_DECL(vk_domain_virt_type);

/* <os firmware=>, <loader type=>, <smbios mode=>; ABSENT when not given */
typedef enum { VK_OS_FIRMWARE_ABSENT, VK_OS_FIRMWARE_BIOS, VK_OS_FIRMWARE_EFI } VkOsFirmware;
VK_ENUM_DECL(vk_os_firmware);
typedef enum { VK_LOADER_TYPE_ABSENT, VK_LOADER_TYPE_ROM, VK_LOADER_TYPE_PFLASH } VkLoaderType;
VK_ENUM_DECL(vk_loader_type);
typedef enum { VK_SMBIOS_ABSENT, VK_SMBIOS_EMULATE, VK_SMBIOS_HOST, VK_SMBIOS_SYSINFO } VkSmbiosMode;
VK_ENUM_DECL(vk_smbios_mode);

typedef struct {
    VkOsFirmware firmware;
    GPtrArray *firmware_features;   /* of VkDomainOsFwFeature: <firmware><feature enabled= name=/> */
    char *type;              /* hvm */
    char *arch;              /* x86_64 */
    char *machine;           /* q35, pc-q35-7.2... */
    char *loader;            /* <loader>PATH</loader> */
    bool has_loader;         /* <loader> present (maybe without a path) */
    VkTristate loader_readonly, loader_secure;   /* yes/no */
    VkLoaderType loader_type;
    char *nvram;             /* <nvram>PATH</nvram> */
    char *nvram_template;
    char *kernel, *initrd, *cmdline, *dtb;
    GArray *boot_devs;       /* of VkDomainBootDev: <boot dev=/> in order */
    VkTristate bootmenu;     /* enable='yes|no' */
    int bootmenu_timeout;    /* -1 absent */
    VkSmbiosMode smbios_mode;
    VkTristate bios_useserial;   /* <bios useserial= rebootTimeout=/> yes/no */
    int bios_reboot_timeout; /* -2 absent (-1 is a valid value) */
} VkDomainOsDef;
typedef enum { VK_BOOT_FD, VK_BOOT_CDROM, VK_BOOT_HD, VK_BOOT_NETWORK } VkDomainBootDev;
VK_ENUM_DECL(vk_domain_boot_dev);

typedef struct {
    bool enabled;
    char *name;
} VkDomainOsFwFeature;

/* <features>: each switch is ABSENT / ON / OFF.  Elements libvirt formats as
 * <name/> when on (acpi, apic, pae, privnet, hap, viridian) and as
 * <name state='on|off'/> otherwise. */
typedef enum {
    VK_FEATURE_ACPI, VK_FEATURE_APIC, VK_FEATURE_PAE, VK_FEATURE_HAP, VK_FEATURE_VIRIDIAN,
    VK_FEATURE_PRIVNET, VK_FEATURE_HYPERV, VK_FEATURE_KVM, VK_FEATURE_PVSPINLOCK,
    VK_FEATURE_CAPABILITIES, VK_FEATURE_PMU, VK_FEATURE_VMPORT, VK_FEATURE_GIC,
    VK_FEATURE_SMM, VK_FEATURE_IOAPIC, VK_FEATURE_HPT, VK_FEATURE_VMCOREINFO,
    VK_FEATURE_HTM, VK_FEATURE_NESTED_HV, VK_FEATURE_MSRS, VK_FEATURE_CCF_ASSIST,
    VK_FEATURE_XEN, VK_FEATURE_CFPC, VK_FEATURE_SBBC, VK_FEATURE_IBS, VK_FEATURE_TCG,
    VK_FEATURE_LAST
} VkDomainFeature;
VK_ENUM_DECL(vk_domain_feature);

/* The Hyper-V enlightenments (elements of <hyperv>), in libvirt's order */
typedef enum { VK_HYPERV_RELAXED, VK_HYPERV_VAPIC, VK_HYPERV_SPINLOCKS, VK_HYPERV_VPINDEX,
               VK_HYPERV_RUNTIME, VK_HYPERV_SYNIC, VK_HYPERV_STIMER, VK_HYPERV_RESET,
               VK_HYPERV_VENDOR_ID, VK_HYPERV_FREQUENCIES, VK_HYPERV_REENLIGHTENMENT,
               VK_HYPERV_TLBFLUSH, VK_HYPERV_IPI, VK_HYPERV_EVMCS, VK_HYPERV_AVIC } VkHypervFeatureName;
VK_ENUM_DECL(vk_hyperv_feature_name);
/* <hyperv mode=>, <ioapic driver=>, <msrs unknown=>; ABSENT when not given */
typedef enum { VK_HYPERV_MODE_ABSENT, VK_HYPERV_MODE_CUSTOM, VK_HYPERV_MODE_PASSTHROUGH } VkHypervMode;
VK_ENUM_DECL(vk_hyperv_mode);
typedef enum { VK_IOAPIC_ABSENT, VK_IOAPIC_KVM, VK_IOAPIC_QEMU } VkIoapicDriver;
VK_ENUM_DECL(vk_ioapic_driver);
typedef enum { VK_MSRS_ABSENT, VK_MSRS_IGNORE, VK_MSRS_FAULT } VkMsrsUnknown;
VK_ENUM_DECL(vk_msrs_unknown);

typedef struct {
    VkHypervFeatureName name;
    VkTristate state;
    unsigned int retries;    /* spinlocks */
    char *value;             /* vendor_id */
    bool stimer_direct;      /* stimer <direct state='on'/> */
} VkDomainHypervFeature;

typedef struct {
    VkTristate state[VK_FEATURE_LAST];
    VkTristate apic_eoi;
    VkHypervMode hyperv_mode;
    GPtrArray *hyperv;       /* of VkDomainHypervFeature, in libvirt's order */
    VkTristate kvm_hidden, kvm_hint_dedicated, kvm_poll_control, kvm_pv_ipi;
    VkIoapicDriver ioapic_driver;
    unsigned long long smm_tseg_mib;   /* <tseg unit='MiB'>, 0 absent */
    bool smm_has_tseg;
    VkMsrsUnknown msrs_unknown;
} VkDomainFeatures;

/* <cpu mode= match= check=>, <model fallback=>, <feature policy=>,
 * <cache mode=>; the optional ones ABSENT when not given */
typedef enum { VK_CPU_MODE_CUSTOM, VK_CPU_MODE_HOST_MODEL, VK_CPU_MODE_HOST_PASSTHROUGH,
               VK_CPU_MODE_MAXIMUM } VkCpuMode;
VK_ENUM_DECL(vk_cpu_mode);
typedef enum { VK_CPU_MATCH_ABSENT, VK_CPU_MATCH_MINIMUM, VK_CPU_MATCH_EXACT,
               VK_CPU_MATCH_STRICT } VkCpuMatch;
VK_ENUM_DECL(vk_cpu_match);
typedef enum { VK_CPU_CHECK_ABSENT, VK_CPU_CHECK_NONE, VK_CPU_CHECK_PARTIAL,
               VK_CPU_CHECK_FULL } VkCpuCheck;
VK_ENUM_DECL(vk_cpu_check);
typedef enum { VK_CPU_FALLBACK_ABSENT, VK_CPU_FALLBACK_ALLOW, VK_CPU_FALLBACK_FORBID } VkCpuFallback;
VK_ENUM_DECL(vk_cpu_fallback);
/* require first: it is the default */
typedef enum { VK_CPU_POLICY_REQUIRE, VK_CPU_POLICY_FORCE, VK_CPU_POLICY_OPTIONAL,
               VK_CPU_POLICY_DISABLE, VK_CPU_POLICY_FORBID } VkCpuFeaturePolicy;
VK_ENUM_DECL(vk_cpu_feature_policy);
typedef enum { VK_CPU_CACHE_ABSENT, VK_CPU_CACHE_EMULATE, VK_CPU_CACHE_PASSTHROUGH,
               VK_CPU_CACHE_DISABLE } VkCpuCacheMode;
VK_ENUM_DECL(vk_cpu_cache_mode);

typedef struct {
    VkCpuFeaturePolicy policy;
    char *name;
} VkDomainCpuFeature;

typedef struct {
    VkCpuMode mode;          /* custom when not given */
    VkCpuMatch match;
    VkCpuCheck check;
    VkTristate migratable;   /* on/off */
    char *model;             /* <model>NAME</model> */
    VkCpuFallback model_fallback;
    char *model_vendor_id;
    char *vendor;
    unsigned int sockets, dies, cores, threads;   /* <topology>, 0 absent */
    GPtrArray *features;     /* of VkDomainCpuFeature */
    VkCpuCacheMode cache_mode;   /* <cache mode= level=/> */
    int cache_level;         /* -1 absent */
    char *numa_xml;          /* <numa> kept verbatim (formatted as given) */
} VkDomainCpuDef;

/* <clock offset= basis=>, <timer name= tickpolicy= track=>; the optional
 * ones ABSENT when not given */
typedef enum { VK_CLOCK_OFFSET_UTC, VK_CLOCK_OFFSET_LOCALTIME, VK_CLOCK_OFFSET_VARIABLE,
               VK_CLOCK_OFFSET_TIMEZONE, VK_CLOCK_OFFSET_ABSOLUTE } VkClockOffset;
VK_ENUM_DECL(vk_clock_offset);
typedef enum { VK_CLOCK_BASIS_ABSENT, VK_CLOCK_BASIS_UTC, VK_CLOCK_BASIS_LOCALTIME } VkClockBasis;
VK_ENUM_DECL(vk_clock_basis);
typedef enum { VK_TIMER_PLATFORM, VK_TIMER_PIT, VK_TIMER_RTC, VK_TIMER_HPET, VK_TIMER_TSC,
               VK_TIMER_KVMCLOCK, VK_TIMER_HYPERVCLOCK, VK_TIMER_ARMVTIMER } VkTimerName;
VK_ENUM_DECL(vk_timer_name);
typedef enum { VK_TIMER_TICKPOLICY_ABSENT, VK_TIMER_TICKPOLICY_DELAY, VK_TIMER_TICKPOLICY_CATCHUP,
               VK_TIMER_TICKPOLICY_MERGE, VK_TIMER_TICKPOLICY_DISCARD } VkTimerTickpolicy;
VK_ENUM_DECL(vk_timer_tickpolicy);
typedef enum { VK_TIMER_TRACK_ABSENT, VK_TIMER_TRACK_BOOT, VK_TIMER_TRACK_GUEST,
               VK_TIMER_TRACK_WALL, VK_TIMER_TRACK_REALTIME } VkTimerTrack;
VK_ENUM_DECL(vk_timer_track);

typedef struct {
    VkTimerName name;        /* required */
    VkTimerTickpolicy tickpolicy;
    VkTristate present;      /* yes/no */
    VkTimerTrack track;      /* rtc track= */
    char *frequency, *mode;  /* tsc */
} VkDomainTimerDef;

typedef struct {
    VkClockOffset offset;    /* utc when not given */
    char *timezone;          /* offset timezone */
    char *adjustment;        /* offset variable */
    VkClockBasis basis;      /* offset variable */
    GPtrArray *timers;       /* of VkDomainTimerDef */
} VkDomainClockDef;

/* A top-level element Virtkit does not model (blkiotune, memtune, numatune,
 * cputune, memoryBacking, sysinfo, seclabel, ...) kept as XML text and put
 * back in libvirt's position for it. */
typedef struct {
    char *name;
    char *xml;               /* the element, formatted without indentation */
    /* devices that get addresses at define (hub, smartcard, memory): their
     * alias and address, kept out of XML; NULL for the others */
    VkDeviceInfo *info;
    /* a <seclabel> the daemon added, not the user: libvirt's "implicit"
     * labels, left out of the migratable XML */
    bool implicit;
} VkDomainRawElement;

/* What the user gave of the PCI topology (domain-pci-given.h). */
typedef struct VkDomainPciGiven VkDomainPciGiven;

typedef enum { VK_VCPU_PLACEMENT_STATIC, VK_VCPU_PLACEMENT_AUTO } VkVcpuPlacement;
VK_ENUM_DECL(vk_vcpu_placement);

typedef struct {
    VkDomainVirtType virt_type;
    int id;                  /* -1 when not running */
    char *name;
    unsigned char uuid[VK_UUID_LEN];
    bool has_genid;
    unsigned char genid[VK_UUID_LEN];
    char *title;
    char *description;
    char *metadata;          /* the children of <metadata>, formatted (NULL when absent) */
    VkDomainPciGiven *pci_given;   /* recorded at define; NULL: not known */

    unsigned long long max_memory_kib;   /* <maxMemory slots=>, 0 absent */
    unsigned int max_memory_slots;
    unsigned long long memory_kib;       /* <memory> */
    unsigned long long current_memory_kib;   /* <currentMemory>, 0 = same as memory */
    VkTristate memory_dump_core;   /* <memory dumpCore=> on/off */

    unsigned int vcpus;      /* <vcpu>N</vcpu> (maximum) */
    unsigned int current_vcpus;   /* current=, 0 = same as vcpus */
    VkVcpuPlacement vcpu_placement;
    char *cpuset;
    unsigned int iothreads;  /* <iothreads>: iothread_ids->len, 0 absent */
    GArray *iothread_ids;    /* VkDomainIothreadDef (domain-iothreads.h), or NULL */

    VkDomainOsDef os;
    VkDomainFeatures features;
    bool has_features;       /* <features> present */
    VkDomainCpuDef *cpu;     /* NULL when absent */
    /* running: the <cpu> as the guest was started with, before QEMU's
     * features were filled in (libvirt's origCPU, for the migratable XML);
     * NULL otherwise */
    VkDomainCpuDef *cpu_migratable;
    VkDomainClockDef clock;
    VkLifecycleAction on_poweroff, on_reboot, on_crash;
    VkTristate pm_suspend_to_mem, pm_suspend_to_disk;   /* enabled='yes|no' */
    bool has_pm;

    GPtrArray *raw;          /* of VkDomainRawElement */

    /* <devices>, each array in document order */
    char *emulator;
    GPtrArray *disks;        /* VkDomainDiskDef */
    GPtrArray *controllers;  /* VkDomainControllerDef, kept in libvirt's order
                              * (see vk_domain_def_add_controller) */
    GPtrArray *filesystems;  /* VkDomainFsDef */
    GPtrArray *nets;         /* VkDomainNetDef */
    GPtrArray *serials;      /* VkDomainChrDef */
    GPtrArray *parallels;    /* VkDomainChrDef */
    GPtrArray *consoles;     /* VkDomainChrDef */
    GPtrArray *channels;     /* VkDomainChrDef */
    GPtrArray *inputs;       /* VkDomainInputDef */
    GPtrArray *tpms;         /* VkDomainTpmDef */
    GPtrArray *graphics;     /* VkDomainGraphicsDef */
    GPtrArray *sounds;       /* VkDomainSoundDef */
    GPtrArray *audios;       /* VkDomainAudioDef */
    GPtrArray *videos;       /* VkDomainVideoDef */
    GPtrArray *hostdevs;     /* VkDomainHostdevDef */
    GPtrArray *redirdevs;    /* VkDomainRedirdevDef */
    GPtrArray *watchdogs;    /* VkDomainWatchdogDef */
    VkDomainMemballoonDef *memballoon;   /* NULL when absent */
    GPtrArray *rngs;         /* VkDomainRngDef */
    GPtrArray *panics;       /* VkDomainPanicDef */
    GPtrArray *shmems;       /* VkDomainShmemDef */
    VkDomainIommuDef *iommu; /* NULL when absent */
    VkDomainVsockDef *vsock; /* NULL when absent */
    GPtrArray *raw_devices;  /* VkDomainRawElement: hub, smartcard, memory... */
} VkDomainDef;

/* The value of ATTR on R's element itself (as written, entities not
 * expanded), or NULL. */
char *vk_domain_raw_element_attr(const VkDomainRawElement *r, const char *attr);

VkDomainDef *vk_domain_def_new(void);
void vk_domain_def_free(VkDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainDef, vk_domain_def_free)

void vk_domain_disk_def_free(VkDomainDiskDef *def);
void vk_domain_controller_def_free(VkDomainControllerDef *def);
void vk_domain_net_def_free(VkDomainNetDef *def);
/* The type NET works as (libvirt's virDomainNetGetActualType): hostdev for
 * a network interface plugged into a VF, else its own. */
VkNetType vk_domain_net_actual_type(const VkDomainNetDef *net);
void vk_domain_input_def_free(VkDomainInputDef *def);
void vk_domain_graphics_def_free(VkDomainGraphicsDef *def);
void vk_domain_video_def_free(VkDomainVideoDef *def);
void vk_domain_chr_def_free(VkDomainChrDef *def);
void vk_domain_sound_def_free(VkDomainSoundDef *def);
void vk_domain_audio_def_free(VkDomainAudioDef *def);
void vk_domain_hostdev_def_free(VkDomainHostdevDef *def);
void vk_domain_redirdev_def_free(VkDomainRedirdevDef *def);
void vk_domain_memballoon_def_free(VkDomainMemballoonDef *def);
void vk_domain_rng_def_free(VkDomainRngDef *def);
void vk_domain_watchdog_def_free(VkDomainWatchdogDef *def);
void vk_domain_tpm_def_free(VkDomainTpmDef *def);
void vk_domain_panic_def_free(VkDomainPanicDef *def);
void vk_domain_fs_def_free(VkDomainFsDef *def);
void vk_domain_iommu_def_free(VkDomainIommuDef *def);
void vk_domain_shmem_def_free(VkDomainShmemDef *def);
void vk_domain_vsock_def_free(VkDomainVsockDef *def);
void vk_domain_cpu_def_free(VkDomainCpuDef *def);
void vk_domain_cpu_feature_free(VkDomainCpuFeature *f);
/* A deep copy of DEF. */
VkDomainCpuDef *vk_domain_cpu_def_copy(const VkDomainCpuDef *def);
/* A <cpu> element alone, as in a domain (also libvirt's host CPU, whose
 * <arch>, <signature>, <counter> and the like are skipped); NULL with
 * libvirt's error. */
VkDomainCpuDef *vk_domain_cpu_parse(struct _xmlNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainDiskDef, vk_domain_disk_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainControllerDef, vk_domain_controller_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainNetDef, vk_domain_net_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainInputDef, vk_domain_input_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainGraphicsDef, vk_domain_graphics_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainVideoDef, vk_domain_video_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainChrDef, vk_domain_chr_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainSoundDef, vk_domain_sound_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainHostdevDef, vk_domain_hostdev_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainMemballoonDef, vk_domain_memballoon_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkDomainCpuDef, vk_domain_cpu_def_free)

/* A new controller with every optional field absent (index -1). */
VkDomainControllerDef *vk_domain_controller_def_new(VkControllerType type);
/* The name of CTRL's model= as the XML spells it, NULL when not given. */
const char *vk_domain_controller_model_to_string(const VkDomainControllerDef *ctrl);

/* Add CTRL (owned) after the existing controllers.  libvirt keeps controllers
 * in document order and appends the ones it adds (implicit ones at define,
 * then the PCI controllers address assignment needs, in the order they are
 * created), so this is all that is needed to print them in libvirt's order. */
void vk_domain_def_add_controller(VkDomainDef *def, VkDomainControllerDef *ctrl);
/* Insert a parsed CTRL where libvirt's parser puts it: among the controllers
 * of its type by index (the order dumpxml shows; implicit controllers added
 * later are appended with vk_domain_def_add_controller). */
void vk_domain_def_insert_controller(VkDomainDef *def, VkDomainControllerDef *ctrl);

/* The controller of TYPE and INDEX, or NULL. */
VkDomainControllerDef *vk_domain_def_find_controller(const VkDomainDef *def,
                                                     VkControllerType type, int index);

/* The vCPUs the guest has enabled: <vcpu current=>, else all of them. */
unsigned int vk_domain_def_current_vcpus(const VkDomainDef *def);

/* True when the guest has a balloon device: a <memballoon> whose model is
 * not none. */
bool vk_domain_def_has_balloon(const VkDomainDef *def);

/* The disk NAME names, as libvirt's block calls accept it: its target
 * ("vda"), else its source path; NULL when none. */
VkDomainDiskDef *vk_domain_def_disk_by_name(const VkDomainDef *def, const char *name);

/* Kinds of devices, for vk_domain_def_foreach_device(). */
typedef enum {
    VK_DEVICE_DISK, VK_DEVICE_CONTROLLER, VK_DEVICE_FS, VK_DEVICE_NET, VK_DEVICE_SERIAL,
    VK_DEVICE_PARALLEL, VK_DEVICE_CONSOLE, VK_DEVICE_CHANNEL, VK_DEVICE_INPUT,
    VK_DEVICE_TPM, VK_DEVICE_SOUND, VK_DEVICE_VIDEO, VK_DEVICE_HOSTDEV,
    VK_DEVICE_REDIRDEV, VK_DEVICE_WATCHDOG, VK_DEVICE_MEMBALLOON, VK_DEVICE_RNG,
    VK_DEVICE_PANIC, VK_DEVICE_SHMEM, VK_DEVICE_IOMMU, VK_DEVICE_VSOCK,
} VkDomainDeviceKind;

/* Called with the device (a VkDomain*Def of KIND) and its info; return -1 to
 * stop the walk (vk_domain_def_foreach_device then returns -1). */
typedef int (*VkDomainDeviceFunc)(VkDomainDef *def, VkDomainDeviceKind kind,
                                  void *device, VkDeviceInfo *info, void *opaque);

/* Walk every device that has a VkDeviceInfo, in libvirt's formatting order. */
int vk_domain_def_foreach_device(VkDomainDef *def, VkDomainDeviceFunc func, void *opaque);

/* ---------------------------------------------------------------------------
 * Parse, format, defaults
 * ------------------------------------------------------------------------- */

typedef enum {
    /* The definition is for a persistent config (define): aliases that are
     * not user aliases ("ua-") are dropped, id= is ignored. */
    VK_DOMAIN_PARSE_INACTIVE = 1 << 0,
} VkDomainParseFlags;

/* Parse a <domain> document.  NULL with an error reported on failure:
 * VIR_ERR_XML_DETAIL for malformed XML, VIR_ERR_XML_ERROR /
 * VIR_ERR_CONFIG_UNSUPPORTED / VIR_ERR_INTERNAL_ERROR for bad values. */
VkDomainDef *vk_domain_def_parse_string(const char *xml, unsigned int flags);
VkDomainDef *vk_domain_def_parse_file(const char *path, unsigned int flags);

typedef enum {
    /* Format the persistent config: no id=, no aliases except "ua-" ones. */
    VK_DOMAIN_FORMAT_INACTIVE = 1 << 0,
    /* With secrets (graphics passwords): for our own files and copies, and
     * for clients that asked with VIR_DOMAIN_XML_SECURE.  Without it they
     * are left out, as libvirt leaves them out. */
    VK_DOMAIN_FORMAT_SECURE = 1 << 1,
    /* For our status files: a network interface keeps its type with the
     * port's <actual> inside (libvirt's VIR_DOMAIN_DEF_FORMAT_ACTUAL_NET). */
    VK_DOMAIN_FORMAT_STATUS = 1 << 2,
    /* virsh dumpxml --migratable: INACTIVE and CPU_AS_STARTED, without the
     * devices libvirt adds by itself (domain-migratable.h). */
    VK_DOMAIN_FORMAT_MIGRATABLE = 1 << 3,
    /* A running guest's <cpu> as it was started (cpu_migratable), not with
     * the features QEMU filled in: what save images hold. */
    VK_DOMAIN_FORMAT_CPU_AS_STARTED = 1 << 4,
    /* For our own files and copies: what the user gave of the PCI topology
     * (domain-pci-given.h) inside <metadata>.  Never for clients. */
    VK_DOMAIN_FORMAT_PRIVATE = 1 << 5,
} VkDomainFormatFlags;

/* The document as virsh dumpxml prints it (ending with a newline). */
char *vk_domain_def_format(const VkDomainDef *def, unsigned int flags);

/* Machine type aliases: { "q35", "pc-q35-7.2" }, ..., { NULL, NULL }. */
typedef struct {
    const char *alias;
    const char *canonical;
} VkMachineAlias;

/* The table used when the caller passes none (QEMU 7.2's). */
extern const VkMachineAlias vk_domain_default_machine_aliases[];

/* Add what libvirt's QEMU driver adds at define on x86_64 (emulator, canonical
 * machine, default cpu, inputs, audio, memballoon, non-PCI implicit
 * controllers, drive addresses, default buses).  PCI addresses are left to
 * common/pci.  ALIASES may be NULL.  -1 with an error when the definition
 * cannot work (IDE on q35, say). */
int vk_domain_def_apply_defaults(VkDomainDef *def, const VkMachineAlias *aliases);

/* Where libvirt's QEMU driver keeps NVRAM variable stores in system mode. */
#define VK_DOMAIN_DEFAULT_NVRAM_DIR "/var/lib/libvirt/qemu/nvram"

/* What the daemon can set for vk_domain_def_apply_defaults_opts(); a NULL
 * field (or NULL options) means the system default. */
typedef struct {
    const VkMachineAlias *aliases;   /* machine aliases, NULL: QEMU 7.2's */
    const char *nvram_dir;           /* NVRAM_DIR/NAME_VARS.fd for a pflash loader
                                      * without <nvram>; NULL: VK_DOMAIN_DEFAULT_NVRAM_DIR */
} VkDomainDefaultsOptions;

/* vk_domain_def_apply_defaults() with OPTS (may be NULL). */
int vk_domain_def_apply_defaults_opts(VkDomainDef *def, const VkDomainDefaultsOptions *opts);

/* True when the machine type is a q35 one ("q35", "pc-q35-*"). */
bool vk_domain_machine_is_q35(const char *machine);
/* True when the machine type is an i440fx one ("pc", "pc-i440fx-*", "pc-0.x"...). */
bool vk_domain_machine_is_i440fx(const char *machine);

/* The index of a disk target name, as libvirt counts them: vda -> 0,
 * vdz -> 25, vdaa -> 26 (prefixes fd, hd, vd, sd, xvd, ubd); -1 when the
 * name is none of those. */
int vk_domain_disk_name_index(const char *name);
void vk_domain_def_insert_disk(VkDomainDef *def, VkDomainDiskDef *disk);

/* The kind of storage DISK is to QEMU: its type, or for a volume disk
 * whose volume was found (src_path set), the volume's (libvirt's
 * virStorageSourceGetActualType). */
VkDiskType vk_domain_disk_actual_type(const VkDomainDiskDef *disk);

/* Format UUID as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx into BUF (37 bytes). */
void vk_domain_uuid_format(const unsigned char *uuid, char *buf);
/* Parse a UUID the way libvirt does (hex digits, dashes and spaces between
 * pairs allowed); -1 on a bad one (no error reported). */
int vk_domain_uuid_parse(const char *str, unsigned char *uuid);
/* A random (version 4) UUID. */
void vk_domain_uuid_generate(unsigned char *uuid);
