/*
 * C emitter: writes compiled validators (runtime/cfgate_ir.h) as C source
 * that links only against the runtime, plus a cfgate_registry that maps
 * resource type names to them.
 */
#ifndef CFGATE_EMIT_C_H
#define CFGATE_EMIT_C_H

#include <stddef.h>

#include "cfgate_ir.h"
#include "re/re_compile.h"

/* Maximum bytes of an identifier prefix or of a type name turned into one. */
#define EMIT_C_MAX_IDENTIFIER 200

/* One validator to emit, under its resource type name. */
typedef struct emit_c_entry {
  const char *type_name;              /* "AWS::S3::Bucket" */
  const cfgate_validator *validator;
} emit_c_entry;

/* What failed: the file being written (or "" before any file) and why. */
typedef struct emit_c_error {
  char path[1024];
  char message[1280];
} emit_c_error;

/* Appends the C source of one validator to out: static tables and
 * "const cfgate_validator SYMBOL = {...};". header is the name of the header
 * that declares SYMBOL. Returns 0, or -1 with *error filled when memory runs
 * out or the tables cannot be written (a pattern's C source is not in the
 * expected shape). */
int emit_c_validator(const cfgate_validator *validator, const char *symbol, const char *type_name,
                     const char *header, re_buffer *out, emit_c_error *error);

struct emit_c_staged;

/* Builds PREFIX.h, PREFIX_registry.c and one PREFIX_TYPE.c per entry and
 * stages them in dir, which must exist, with emit_c_output_stage()
 * (emit_c_output.h): checked and written to hidden files, to be renamed by
 * emit_c_output_commit() or removed by emit_c_output_discard(). Entries
 * may come in any order; the registry is sorted by type name and the
 * output does not depend on the input order. prefix must be a C identifier
 * ("cfgate_policy"). A file of one of those names is replaced only when
 * cfgate wrote it, and files PREFIX_*.c that cfgate wrote for other types
 * are removed on commit. Returns 0, or -1 with *error filled (two type
 * names that map to the same identifier, an invalid prefix, a name taken
 * by a file cfgate did not write or a link, or a write failure), with
 * nothing staged. */
int emit_c_stage_dir(const emit_c_entry *entries, size_t count, const char *prefix,
                     const char *dir, struct emit_c_staged *staged, emit_c_error *error);

/* emit_c_stage_dir() and emit_c_output_commit() together. */
int emit_c_write_dir(const emit_c_entry *entries, size_t count, const char *prefix, const char *dir,
                     emit_c_error *error);

struct policy_set;

/* Compiles every allowed type of a compiled policy (compiler/policy.h) and
 * stages it with emit_c_stage_dir() in dir, created when missing, under
 * the prefix cfgate_policy. Denied types get no validator. Returns 0, or
 * -1 with *error filled. */
int emit_c_policy_stage(const struct policy_set *set, const char *dir,
                        struct emit_c_staged *staged, emit_c_error *error);

#endif /* CFGATE_EMIT_C_H */
