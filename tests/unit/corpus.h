/* The corpora of the data-driven unit tests (tests/data/SUB): where they
 * are and which documents they hold.  A corpus that cannot be read or holds
 * no document is a wrong path or a broken checkout, never a pass: these
 * calls stop the test program with an error then. */
#pragma once

#include <glib.h>

/* VIRTKIT_TEST_DATA/SUB, or the source tree's tests/data/SUB without it. */
char *vk_test_corpus_dir(const char *sub);

/* The base names (SUFFIX taken off), sorted, of DIR's files named
 * PREFIX...SUFFIX (PREFIX NULL: any) whose names do not end in EXCEPT
 * (NULL: none does).  Never empty. */
GPtrArray *vk_test_corpus_list(const char *dir, const char *prefix, const char *suffix,
                               const char *except);

/* Whether DIR holds NAME+SUFFIX (a document's partner: expected output,
 * recorded error). */
gboolean vk_test_corpus_has(const char *dir, const char *name, const char *suffix);

/* What libvirtd gives back when its output EXPECTED_PATH (NAME.expected.xml,
 * or NAME.xml taken from libvirtd) is defined again: NAME.redefined.xml where
 * that differs (the controllers it appended at define move among those of
 * their type), else the same. */
char *vk_test_corpus_redefined(const char *expected_path);

/* Register the failing case TEST_ROOT/orphan/FILE: FILE is in the corpus
 * without its partner MISSING (a document without its expected output, an
 * expected output whose document is gone). */
void vk_test_corpus_add_orphan(const char *test_root, const char *file, const char *missing);

/* The same for every file NAME+SUFFIX of DIR without its NAME+PARTNER. */
void vk_test_corpus_check_partners(const char *dir, const char *test_root, const char *suffix,
                                   const char *partner);

/* ---- the valid/invalid document corpora (network, storage, ...) --------- */

/* One document of a corpus: CORPUS is the test's own description of it. */
typedef struct {
    gconstpointer corpus;
    char *name;
} VkTestCase;

/* The text of SUB's NAME+SUFFIX (the test stops when it cannot be read). */
char *vk_test_corpus_read(const char *sub, const char *name, const char *suffix);
/* Fail the running test, showing both, when GOT is not WANT. */
void vk_test_assert_same(const char *what, const char *want, const char *got);
/* Check a refusal of NAME against its recorded NAME.error (error code,
 * domain and message, one a line, as the regenerate scripts write them):
 * REFUSED says the document was refused; the thread's last error is the
 * refusal's. */
void vk_test_assert_recorded_error(const char *name, const char *recorded, gboolean refused);
/* Register /SUB/valid/NAME (VALID) for every NAME.xml of SUB and
 * /SUB/invalid/NAME (INVALID) for every invalid-NAME.xml, each with a
 * VkTestCase for CORPUS; a document without its EXPECTED_SUFFIX (valid) or
 * .error (invalid) partner, or a partner without its document, is a failing
 * /SUB/orphan case. */
void vk_test_corpus_register(const char *sub, gconstpointer corpus, GTestDataFunc valid,
                             GTestDataFunc invalid, const char *expected_suffix);
