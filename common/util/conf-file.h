/* libvirt's .conf syntax: `key = value` statements, one per line (or ';'
 * separated), '#' comments.  A value is a string ("double" with backslash
 * escapes, 'single' literal, """triple""" spanning lines), an integer
 * (optionally signed) or a list `[ v, v, ... ]` that may span lines.
 *
 * Getters leave *value alone and return 0 when the key is absent, store it
 * and return 1 when set, and return -1 (VIR_FROM_CONF / VIR_ERR_CONF_SYNTAX,
 * naming file, line and key) when the value has the wrong type or range.
 * When a key appears twice the first one counts, as in libvirt. */
#pragma once

#include <glib.h>

typedef struct VkConfFile VkConfFile;

/* Read and parse PATH (at most 10 MiB, like libvirt).  NULL with an error
 * when it cannot be read or has a syntax error. */
VkConfFile *vk_conf_file_load(const char *path);
/* Parse TEXT; NAME stands for the file in error messages. */
VkConfFile *vk_conf_file_parse(const char *name, const char *text, gssize len);
void vk_conf_file_free(VkConfFile *conf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkConfFile, vk_conf_file_free)

const char *vk_conf_file_name(const VkConfFile *conf);
gboolean vk_conf_has(const VkConfFile *conf, const char *key);
/* Line of KEY's first definition, or 0 when absent (for callers' messages). */
int vk_conf_get_line(const VkConfFile *conf, const char *key);
/* The keys in file order (duplicates included); free with g_strfreev. */
char **vk_conf_get_keys(const VkConfFile *conf);

int vk_conf_get_string(const VkConfFile *conf, const char *key, char **value);
int vk_conf_get_int(const VkConfFile *conf, const char *key, int *value);
int vk_conf_get_uint(const VkConfFile *conf, const char *key, unsigned int *value);
int vk_conf_get_int64(const VkConfFile *conf, const char *key, gint64 *value);
int vk_conf_get_uint64(const VkConfFile *conf, const char *key, guint64 *value);
/* 0 or 1 only, as libvirt. */
int vk_conf_get_bool(const VkConfFile *conf, const char *key, gboolean *value);
/* A list of strings; with ALLOW_STRING a lone string is a one-item list.
 * *value (a GStrv) is replaced. */
int vk_conf_get_string_list(const VkConfFile *conf, const char *key,
                            gboolean allow_string, char ***value);
