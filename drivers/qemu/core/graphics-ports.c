#include "drivers/qemu/core/graphics-ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/util/error.h"

#define GRAPHICS_PORT_MIN 5900
#define GRAPHICS_PORT_MAX 65535

struct _VkQemuPorts {
    GMutex lock;
    GHashTable *used;   /* port numbers */
};

VkQemuPorts *
vk_qemu_ports_new(void)
{
    VkQemuPorts *ports = g_new0(VkQemuPorts, 1);

    g_mutex_init(&ports->lock);
    ports->used = g_hash_table_new(NULL, NULL);
    return ports;
}

void
vk_qemu_ports_free(VkQemuPorts *ports)
{
    if (!ports)
        return;
    g_hash_table_destroy(ports->used);
    g_mutex_clear(&ports->lock);
    g_free(ports);
}

static bool
port_bindable(int port)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port),
                                .sin_addr.s_addr = htonl(INADDR_ANY) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok;

    if (fd < 0)
        return false;
    ok = bind(fd, (struct sockaddr *) &addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

static bool
graphics_wants_port(const VkDomainGraphicsDef *g)
{
    bool tcp = !g->listen_socket && g->listen_type != VK_GRAPHICS_LISTEN_SOCKET &&
               g->listen_type != VK_GRAPHICS_LISTEN_NONE;
    return tcp && (g->type == VK_GRAPHICS_VNC || g->type == VK_GRAPHICS_SPICE) &&
           (g->autoport == VK_TRISTATE_ON || g->port <= 0);
}

int
vk_qemu_ports_allocate(VkQemuPorts *ports, VkDomainDef *def)
{
    g_mutex_lock(&ports->lock);
    for (guint i = 0; i < def->graphics->len; i++) {
        VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        int port;

        if (!graphics_wants_port(g))
            continue;
        for (port = GRAPHICS_PORT_MIN; port <= GRAPHICS_PORT_MAX; port++)
            if (!g_hash_table_contains(ports->used, GINT_TO_POINTER(port)) && port_bindable(port))
                break;
        if (port > GRAPHICS_PORT_MAX) {
            g_mutex_unlock(&ports->lock);
            vk_error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "%s",
                            "Unable to find an unused port for graphics");
            return -1;
        }
        g_hash_table_add(ports->used, GINT_TO_POINTER(port));
        g->port = port;
        g->autoport = VK_TRISTATE_ON;
    }
    g_mutex_unlock(&ports->lock);
    return 0;
}

void
vk_qemu_ports_reserve(VkQemuPorts *ports, const VkDomainDef *def)
{
    g_mutex_lock(&ports->lock);
    for (guint i = 0; i < def->graphics->len; i++) {
        const VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g->autoport == VK_TRISTATE_ON && g->port > 0)
            g_hash_table_add(ports->used, GINT_TO_POINTER(g->port));
    }
    g_mutex_unlock(&ports->lock);
}

void
vk_qemu_ports_release(VkQemuPorts *ports, const VkDomainDef *def)
{
    g_mutex_lock(&ports->lock);
    for (guint i = 0; i < def->graphics->len; i++) {
        const VkDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        if (g->autoport == VK_TRISTATE_ON && g->port > 0)
            g_hash_table_remove(ports->used, GINT_TO_POINTER(g->port));
    }
    g_mutex_unlock(&ports->lock);
}
