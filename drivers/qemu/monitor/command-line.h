/* The QEMU command line for a domain definition: argv and environment for
 * qemu-system-x86_64 7.2, in the form libvirt 9.0 generates.
 *
 * The definition must have had the defaults applied
 * (vk_domain_def_apply_defaults) and its PCI addresses assigned
 * (vk_domain_pci_assign).  What the XML does not say (paths, file
 * descriptors, the accelerator) comes from VkQemuCommandOptions.
 *
 * Like libvirt 9.0 with QEMU 7.2, -device, -blockdev, -netdev, -object and
 * -audiodev take JSON values; -chardev, -spice, -vnc, -name keep QEMU's
 * key=value syntax, where a comma inside a value is written twice. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "common/conf/domain.h"

/* How one <interface> of the definition reaches the host. */
typedef struct {
    int tap_fd;      /* an open tap/macvtap fd the child inherits; -1: none */
    int vhost_fd;    /* an open /dev/vhost-net fd; -1: none */
    /* hotplug: the name a running QEMU got the tap fd under (QMP getfd);
     * used instead of tap_fd and vhost_fd.  NULL: none */
    const char *tap_fd_name;
} VkQemuNetFds;

typedef struct {
    /* QEMU binary; NULL: the definition's <emulator>, else
     * /usr/bin/qemu-system-x86_64 */
    const char *emulator;
    /* QMP monitor socket (QEMU listens on it); required */
    const char *monitor_path;
    /* -accel kvm when true, tcg otherwise (no /dev/kvm) */
    bool kvm;
    /* the domain id (libvirt's domxml-to-native uses -1) */
    int id;
    /* the domain's private directory: HOME and XDG_* of the process
     * (libvirt: /var/lib/libvirt/qemu/domain-ID-SHORTNAME); required */
    const char *priv_dir;
    /* directory of the unix sockets of <channel type='unix'> without a path
     * (libvirt: /var/lib/libvirt/qemu/channel/target/domain-ID-SHORTNAME);
     * NULL: priv_dir */
    const char *channel_dir;
    /* QEMU's stdout/stderr log; not on the command line (the process code
     * redirects to it), kept here so one struct describes the launch */
    const char *log_path;
    /* non-NULL: -pidfile PATH (libvirt writes the pid itself instead) */
    const char *pid_path;
    /* PATH given to QEMU; NULL: the daemon's own PATH */
    const char *path_env;
    /* TCP ports chosen by the caller for autoport graphics; 0: 5900 */
    int vnc_port;
    int spice_port;
    /* one entry per def->nets element (may be NULL / shorter): interfaces of
     * type network, bridge, ethernet and direct use tap_fd when >= 0, else
     * -netdev tap,ifname=<target dev>,script=no,downscript=no (a tap the
     * process code created and put on the bridge beforehand) */
    const VkQemuNetFds *net_fds;
    guint n_net_fds;
    /* non-NULL: -incoming VALUE ("defer": the state comes later through
     * QMP migrate-incoming, as for a restore) */
    const char *incoming;
    /* non-NULL: -loadvm NAME, the guest starts from that internal snapshot
     * (a revert, drivers/qemu/snapshot-handlers.c) */
    const char *loadvm;
} VkQemuCommandOptions;

typedef struct {
    GPtrArray *argv;      /* NULL-terminated; argv[0] is the emulator */
    GPtrArray *env;       /* NULL-terminated "NAME=VALUE" strings */
    GArray *pass_fds;     /* int: fds the child must inherit (taps, vhost) */
} VkQemuCommand;

/* Build the command line.  NULL with an error (VIR_FROM_QEMU,
 * VIR_ERR_CONFIG_UNSUPPORTED naming the element) when the definition asks for
 * something Virtkit cannot start. */
VkQemuCommand *vk_qemu_command_build(const VkDomainDef *def, const VkQemuCommandOptions *opts);
void vk_qemu_command_free(VkQemuCommand *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkQemuCommand, vk_qemu_command_free)

/* The command as a shell line, environment first, arguments quoted when
 * needed (for logs, like the head of libvirt's domain log). */
char *vk_qemu_command_to_string(const VkQemuCommand *cmd);

/* Append VALUE to BUF with every comma doubled (QEMU's key=value escape). */
void vk_qemu_escape_comma_append(GString *buf, const char *value);

/* "domain-ID-SHORTNAME", libvirt's per-domain directory name: the name cut to
 * 20 characters. */
char *vk_qemu_domain_dir_name(int id, const char *name);

/* Give every device of DEF without an alias the one QEMU knows it by
 * (virtio-disk0, net0, pci.1, usb, input0, video0, balloon0...), as libvirt
 * shows them in a running guest's XML. */
void vk_qemu_name_devices(VkDomainDef *def);

/* What libvirt names a device in QEMU (its "id", the alias in the live XML):
 * the user's "ua-" alias, else virtio-diskN / sataC-B-U / scsiC-B-T-U ... for
 * a disk (DEF: its controllers), netN / hostdevN for the INDEX-th interface. */
char *vk_qemu_disk_alias(const VkDomainDef *def, const VkDomainDiskDef *disk);
char *vk_qemu_net_alias(const VkDomainNetDef *net, guint index);

/* The options the command line has for one device of DEF, as option / JSON
 * pairs: a disk gives "-blockdev" (storage node libvirt-N-storage, then
 * format node libvirt-N-format, N = NODE_INDEX; none without media) and
 * "-device"; an interface "-netdev" (id "host" + alias) and "-device", named
 * as the INDEX-th interface, its host side as FDS says (may be NULL; as
 * VkQemuCommandOptions.net_fds).  The JSON values are what QMP blockdev-add,
 * netdev_add and device_add take.  NULL with an error (as for
 * vk_qemu_command_build()) when the device cannot be built. */
/* The N of the nodes libvirt-N-storage / libvirt-N-format that the
 * command line gives DEF's disk I. */
guint vk_qemu_disk_node_index(const VkDomainDef *def, guint i);

/* "libvirt-N-format": the node a disk's guest device reads, medium N. */
char *vk_qemu_format_node_name(guint n);

GPtrArray *vk_qemu_command_disk_objects(const VkDomainDef *def, const VkDomainDiskDef *disk,
                                        guint node_index);
GPtrArray *vk_qemu_command_net_objects(const VkDomainDef *def, const VkDomainNetDef *net,
                                       guint index, const VkQemuNetFds *fds);
