/* A domain's I/O threads: <iothreads>N</iothreads> and <iothreadids>, as
 * libvirt keeps them (ids the user gave, the rest of N made up from 1 up),
 * and the changes iothreadadd / iothreaddel make. */
#pragma once

#include <libxml/tree.h>

#include "common/conf/domain.h"

typedef struct {
    unsigned int id;
    bool autofill;               /* made up for <iothreads>N, not written */
    int thread_pool_min;         /* -1 absent */
    int thread_pool_max;
} VkDomainIothreadDef;

/* <iothreads> and <iothreadids> of ROOT into DEF (iothreads, iothread_ids);
 * -1 with libvirt's error. */
int vk_domain_iothreads_parse(xmlNodePtr root, VkDomainDef *def);

/* Whether <iothreadids> is written: libvirt writes it once any id is the
 * user's. */
bool vk_domain_iothreads_format_ids(const VkDomainDef *def);

/* The I/O thread ID of DEF, or NULL. */
VkDomainIothreadDef *vk_domain_iothread_find(const VkDomainDef *def, unsigned int id);
/* Add ID (not in DEF yet) at the end of DEF's list. */
void vk_domain_iothread_add(VkDomainDef *def, unsigned int id);
/* Remove ID from DEF's list (nothing when it is not there). */
void vk_domain_iothread_del(VkDomainDef *def, unsigned int id);
/* The target name of the first disk of DEF that uses I/O thread ID, or NULL. */
const char *vk_domain_iothread_user(const VkDomainDef *def, unsigned int id);
