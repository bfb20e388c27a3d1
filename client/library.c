/* Library-wide calls: initialisation and the library's version. */
#include "client/api-error.h"

/* Nothing to set up: kept because libvirt programs call it first. */
int
virInitialize(void)
{
    return 0;
}

/* As libvirt 9.0 does, every driver's API version is the library's. */
int
virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    vk_client_enter();
    if (libVer)
        *libVer = LIBVIR_VERSION_NUMBER;
    if (typeVer)
        *typeVer = LIBVIR_VERSION_NUMBER;
    return 0;
}
