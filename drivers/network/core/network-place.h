/* A network definition from a client (define, create) on its way into the
 * driver's list: parsed with the host's defaults under the define lock,
 * listed, then locked with its job taken, and unlisted again if the call
 * fails for a network that was not there before. */
#pragma once

#include <stdbool.h>

#include "drivers/network/core/network-obj.h"
#include "drivers/network/driver.h"

typedef struct {
    VkNetworkObj *obj;   /* locked, job held */
    bool existed;        /* one with the same name and UUID was listed */
    VkNetworkDef *def;   /* when EXISTED: the new definition, for the caller to place */
} VkNetworkPlacing;

/* -1 with libvirt's error; nothing is listed then. */
int vk_network_place_begin(VkNetworkDriver *driver, const char *xml, VkNetworkPlacing *p);
/* End the job, unlock, unlist a new network when RC < 0, drop the
 * reference and whatever of P->def is left; returns RC. */
int vk_network_place_end(VkNetworkDriver *driver, VkNetworkPlacing *p, int rc);
