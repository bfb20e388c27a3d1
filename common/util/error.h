/* Thread-local last error: code, domain and a message a person can act on.
 * Every fallible function returns 0 / -1 (or NULL) and reports through here;
 * the RPC layer carries the record to clients exactly as libvirt's virError. */
#pragma once

#include <glib.h>
#include "virtkit/virterror.h"

typedef struct {
    int code;       /* virErrorNumber */
    int domain;     /* virErrorDomain */
    char *message;  /* never NULL once reported */
    int level;      /* virErrorLevel */
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
} VkError;

/* Report an error of CODE from DOMAIN.  The message gets libvirt's prefix for
 * the code ("Domain not found: ", "operation failed: ", ...) so that clients
 * print exactly what they would print for libvirt.  FMT may be NULL. */
void vk_error_report(int domain, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Report a failed system call: "FMT: strerror(errnum)", code SYSTEM_ERROR. */
void vk_error_report_errno(int domain, int errnum, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The calling thread's last error, or NULL. */
const VkError *vk_error_last(void);
/* Message of the last error, or a generic text when there is none. */
const char *vk_error_last_message(void);
/* Code of the last error, or VIR_ERR_OK. */
int vk_error_last_code(void);

/* Take the last error away from the thread (NULL when none). */
VkError *vk_error_steal(void);
/* Make ERR (owned) the thread's last error. */
void vk_error_set(VkError *err);
void vk_error_reset(void);

VkError *vk_error_copy(const VkError *err);
void vk_error_free(VkError *err);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkError, vk_error_free)

/* The message libvirt shows for CODE with DETAIL (NULL: the bare text). */
char *vk_error_compose(int code, const char *detail);
