/*
 * Validates the resourceProperties bytes of a hook event with the runtime's
 * streaming validator (CloudFormation coercion on, because the hook gets
 * every primitive as a string) and builds the response message.
 */
#ifndef CFGATE_CLI_HOOK_VALIDATE_H
#define CFGATE_CLI_HOOK_VALIDATE_H

#include <jansson.h>
#include <stddef.h>

#include "cfgate.h"
#include "hook_response.h"

enum { HOOK_MAX_ERRORS = 20 }; /* errors named in one response message */

/* The resourceProperties of one event: its JSON text and where that text
 * starts in the event, so that a syntax error in it gets its line and
 * column in the event. */
typedef struct hook_properties {
  const char *bytes;
  size_t size;
  size_t line, column; /* 1-based; the column counts code points */
} hook_properties;

/* Validates the properties against validator. Writes the message into
 * message (NUL-terminated, truncated to message_size) and returns the
 * response status. schema is the restricted template, for rule lookup.
 * Findings that would take the message past max_chars characters are left
 * out whole and counted at its end. */
hook_status hook_validate(const cfgate_validator *validator, json_t *schema,
                          const cfgate_context *context, const char *logical_id,
                          const char *type_name, const hook_properties *properties,
                          char *message, size_t message_size, size_t max_chars);

#endif
