/* The listings of the remote program (ListAll*, NumOf*, List*), once for
 * every object type: the objects a filter lets through, checked with each
 * object locked. */
#pragma once

#include <stdbool.h>

#include <rpc/types.h>

#include "common/driver/object-list.h"

/* MATCH(OBJ locked, FLAGS): whether OBJ is listed (e.g. the active ones). */
typedef bool (*VkObjectMatch)(VkObject *obj, unsigned int flags);

/* The listed objects that MATCH lets through, as new references (the array
 * drops them), removed ones left out. */
GPtrArray *vk_object_list_matching(VkObjectList *list, VkObjectMatch match, unsigned int flags);

/* Their names, at most MAX of them, malloc'ed for XDR: the old List* and
 * ListDefined* calls. */
void vk_object_list_names_matching(VkObjectList *list, VkObjectMatch match, unsigned int flags,
                                   int max, char ***names, u_int *len);

/* A filter group of virConnectListAll*Flags: bits A and B (e.g. ACTIVE and
 * INACTIVE) ask for objects where COND holds or does not; neither bit set
 * means either. */
static inline bool
vk_list_flags_group(unsigned int flags, unsigned int a, unsigned int b, bool cond)
{
    if (!(flags & (a | b)))
        return true;
    return ((flags & a) && cond) || ((flags & b) && !cond);
}
