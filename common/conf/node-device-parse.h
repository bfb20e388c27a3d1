/* Inside the node device parser: the capability readers of
 * node-device-parse-caps.c, for node-device-parse.c. */
#pragma once

#include <libxml/tree.h>

#include "common/conf/node-device-def.h"

/* The data of NODE (<capability type=...>) into CAP (its type set) for
 * every type but mdev; DEVICE names the device in errors.  -1 with an
 * error (VIR_FROM_NODEDEV). */
int vk_node_device_parse_cap_data(xmlNodePtr node, VkNodeDevCap *cap, const char *device);
