/* A network interface's offload features as libvirt's virNetDevGetFeatures
 * reports them (ethtool ioctls, RDMA from sysfs), for the node device
 * driver's <feature name='...'/> list.  Asked in the caller's network
 * namespace. */
#pragma once

#include <glib.h>

/* Bits in libvirt's virNetDevFeature order (rx, tx, sg, tso, gso, gro, lro,
 * rxvlan, txvlan, ntuple, rxhash, rdma, txudptnl, switchdev); 0 when the
 * interface cannot be asked.  SYSFS is the sysfs mount ("/sys"). */
guint32 vk_netdev_get_features(const char *sysfs, const char *ifname);
