/*
 * One pass over a hook event. It checks that the whole text is one JSON
 * object and notes where the fields the hook reads are. It looks for each
 * field at its own level only, so a decoy member deeper in the event is
 * never read.
 */
#ifndef CFGATE_CLI_HOOK_EVENT_SCAN_H
#define CFGATE_CLI_HOOK_EVENT_SCAN_H

#include "hook_json.h"

enum {
  HOOK_EVENT_MAX_MEMBERS = 256, /* members of the top level, requestData or targetModel */
  HOOK_EVENT_POINTER_SIZE = 256 /* bytes of the JSON pointer a scan error names */
};

typedef enum hook_field_id {
  HOOK_FIELD_TOKEN,
  HOOK_FIELD_ACCOUNT,
  HOOK_FIELD_STACK,
  HOOK_FIELD_ACTION,
  HOOK_FIELD_REQUEST,
  HOOK_FIELD_TARGET_NAME,
  HOOK_FIELD_LOGICAL_ID,
  HOOK_FIELD_MODEL,
  HOOK_FIELD_PROPERTIES,
  HOOK_FIELD_PREVIOUS_PROPERTIES,
  HOOK_FIELD_COUNT
} hook_field_id;

typedef struct hook_field {
  int present;
  hook_json_kind kind;
  size_t start, end; /* the value's bytes */
} hook_field;

typedef struct hook_event_scan {
  hook_json json;
  hook_field fields[HOOK_FIELD_COUNT];
  int token_repeated; /* 1 when clientRequestToken occurs twice */
  hook_json_kind root_kind;
  size_t root_start;  /* byte offset of the top-level value */
  char pointer[HOOK_EVENT_POINTER_SIZE]; /* the member being scanned */
  /* The member whose value contains the first error, or the object whose
   * member name or punctuation is wrong; "" for the top level and for an
   * error outside the top-level value. */
  char error_pointer[HOOK_EVENT_POINTER_SIZE];
  int error_placed;   /* 1 once error_pointer is set */
} hook_event_scan;

/* Scans text into *scan. Returns 1 when the text is one JSON object with
 * no repeated member name in the top level, requestData or targetModel;
 * else 0 with the first error in scan->json (a top-level value that is not
 * an object leaves no error but root_kind names it). */
int hook_event_scan_run(hook_event_scan *scan, const char *text, size_t size);

/* Returns the JSON pointer of a field, such as /requestData/targetName. */
const char *hook_field_pointer(hook_field_id id);

/* Returns the field of the object that contains a field, or HOOK_FIELD_COUNT
 * for a member of the top level. */
hook_field_id hook_field_parent(hook_field_id id);

/* Decodes the string value of a present string field into a new buffer.
 * Returns it (the caller frees it), or NULL when the string is invalid or
 * memory runs out. */
char *hook_field_decode(const hook_event_scan *scan, hook_field_id id);

#endif
