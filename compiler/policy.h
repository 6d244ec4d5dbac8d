/*
 * Policies in memory: compiles .gate files against a provider schema
 * snapshot, or loads the output folder of `cfgate compile`, into a list of
 * (resource type, restricted schema template). Used by `cfgate compile`,
 * `cfgate check --policy` and `cfgate hook`. The template format is
 * described in docs/TEMPLATE-FORMAT.md.
 */
#ifndef CFGATE_POLICY_H
#define CFGATE_POLICY_H

#include <jansson.h>
#include <stdio.h>

#include "sha256.h"

/* One resource type the policy names. */
typedef struct policy_type {
  char *type_name;                       /* "AWS::S3::Bucket" */
  json_t *template_schema;               /* owned by the set; NULL when the type is denied */
  char provider_sha256[SHA256_HEX_SIZE]; /* "" for a denied type */
  char *file;                            /* policy file and position of the type declaration */
  unsigned line, column;
} policy_type;

typedef struct policy_set {
  policy_type *types; /* sorted by type_name */
  size_t count;
  char **sources; /* policy files read, includes counted, in load order */
  size_t source_count;
} policy_set;

/* One error or warning of a compilation, as handed to on_diagnostic. */
typedef struct policy_diagnostic {
  const char *severity; /* "error", "warning" or "note" */
  const char *code;     /* stable name such as "unknown-property" */
  const char *file;     /* NULL when the diagnostic has no location */
  unsigned line, column;
  const char *message;
} policy_diagnostic;

typedef struct policy_options {
  const char *schemas; /* folder or zip of provider schemas; NULL uses $CFGATE_SCHEMAS */
  size_t max_errors;   /* 0 uses DSL_MAX_ERRORS */
  FILE *diagnostics;   /* where errors and warnings are printed; NULL prints nothing */
  /* Called once per diagnostic when not NULL; the strings are valid during
   * the call only. */
  void (*on_diagnostic)(void *data, const policy_diagnostic *diagnostic);
  void *diagnostic_data;
} policy_options;

/* Compiles the .gate files in paths (a folder stands for the .gate files in
 * it, sorted by name). Returns a new set the caller frees with
 * policy_set_free(), or NULL after printing the errors to
 * options->diagnostics. *error_count receives the number of errors when it
 * is not NULL. */
policy_set *policy_compile(const char *const *paths, size_t path_count,
                           const policy_options *options, size_t *error_count);

/* Maximum size of a file path that loading a compiled folder builds, NUL
 * included: PATH_MAX on Linux. A longer path is an error. */
#define POLICY_MAX_PATH 4096
/* Size of an error buffer that fits every message of
 * policy_load_compiled() and policy_load_compiled_type() whole: a path of
 * POLICY_MAX_PATH bytes and the longest reason. */
#define POLICY_ERROR_SIZE (POLICY_MAX_PATH + 2048)

/* Loads `manifest.json` and the templates of a folder written by
 * `cfgate compile`. Returns a new set, or NULL with a message in error. */
policy_set *policy_load_compiled(const char *folder, char *error, size_t error_size);

/* Loads `manifest.json` of a folder written by `cfgate compile` and the
 * template of type_name alone, so the cost does not grow with the number of
 * templates. Every manifest entry is still checked for its required fields.
 * The new set has one entry for type_name (without a template when the
 * policy denies the type) or none when the policy does not name it.
 * Returns NULL with a message in error. */
policy_set *policy_load_compiled_type(const char *folder, const char *type_name, char *error,
                                      size_t error_size);

/* Returns the entry of a type (borrowed), or NULL when the policy does not
 * name it. A NULL result and an entry without a template both deny. */
const policy_type *policy_set_find(const policy_set *set, const char *type_name);

void policy_set_free(policy_set *set);

/* Size of an error buffer that fits every message of policy_set_write()
 * whole: the output folder name twice and the longest reason. */
#define POLICY_WRITE_ERROR_SIZE (2 * POLICY_MAX_PATH + 1024)

/* policy_set_write() wrote nothing because a template admits what the
 * template it replaces rejected, and the options do not accept that. */
#define POLICY_WRITE_WIDENS 1

/* A property or value that a new template admits and the template it
 * replaces in the output folder rejected, as handed to on_widening. The
 * strings are valid during the call only. */
typedef struct policy_widening {
  const char *type_name;
  const char *pointer; /* JSON pointer below Properties, "" for the whole type */
  const char *detail;  /* what is new, such as "new property" */
  const char *code;    /* "new-property" or "wider-constraint" */
  const char *file;    /* the rule that admits it, else the type declaration */
  unsigned line, column;
} policy_widening;

typedef struct policy_write_options {
  /* 1: write the templates even when they admit what the ones they replace
   * rejected; 0: write nothing then */
  int accept_widening;
  /* Called once per such property or value when not NULL. */
  void (*on_widening)(void *data, const policy_widening *widening);
  void *widening_data;
  size_t widening_count; /* set to the number of calls to on_widening */
} policy_write_options;

/* Compares each type that set allows and baseline (a compiled folder)
 * allows too, when their provider schemas differ, and hands what only the
 * set's template admits to options->on_widening (template_widen.h). A type
 * that baseline denies or does not name is not compared. Returns the
 * number of findings. */
size_t policy_set_compare(const policy_set *baseline, const policy_set *set,
                          const policy_write_options *options);

/* Writes manifest.json and templates/ into folder (created when missing).
 * It replaces or removes only the templates that the folder's existing
 * manifest.json lists, and rejects a folder with other .json files in
 * templates/ or with symbolic links (output_folder.h). When the provider
 * schema of a listed type changed, it compares the new template with the
 * one found (template_widen.h) and reports what only the new one admits.
 * options may be NULL, which accepts nothing and reports nothing. Returns
 * 0, POLICY_WRITE_WIDENS with nothing written, or -1, each but 0 with
 * "PATH: error: ..." in error. */
int policy_set_write(const policy_set *set, const char *folder, policy_write_options *options,
                     char *error, size_t error_size);

#endif
