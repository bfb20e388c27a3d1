/* Whole-file helpers: atomic replace, bounded read, directory creation. */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* Replace PATH with DATA so that a reader (or a crash) sees the old content
 * or the new one, never a mix: temp file ".NAME.XXXXXX" in the same
 * directory, write, fsync, rename over PATH.  On failure PATH is left as it
 * was and no temp file remains. */
int vk_file_write_atomic(const char *path, const void *data, gsize len, mode_t mode);

/* Remove the temp files that a vk_file_write_atomic() killed before its
 * rename left in DIR (and in its direct subdirectories when RECURSE): regular files
 * ".NAME.XXXXXX" whose NAME ends with SUFFIX.  Only for start-up, when no
 * write can be under way.  Returns how many went. */
guint vk_file_remove_stale_temps(const char *dir, const char *suffix, gboolean recurse);

/* Read all of PATH into *CONTENTS (NUL-terminated; *LEN gets the length when
 * LEN is not NULL).  Fails when the file is larger than MAX_LEN bytes. */
int vk_file_read_all(const char *path, gsize max_len, char **contents, gsize *len);

/* mkdir -p with MODE for the directories it creates. */
int vk_file_make_dirs(const char *path, int mode);

/* The text of DIR/FILE with white space trimmed at both ends, or NULL when
 * it cannot be read (for sysfs and procfs attributes, where a missing file
 * is an answer, not an error: nothing is reported). */
char *vk_file_read_attr(const char *dir, const char *file);

/* DIR/FILE as a number (hex with 0x, else decimal); FALLBACK when missing or
 * not a number. */
gint64 vk_file_read_attr_number(const char *dir, const char *file, gint64 fallback);
