/*
 * CloudFormation Hook invocation events (the Lambda hook event, and the
 * cloudformation-cli wire request with the same envelope): the fields
 * cfgate uses, checked, plus the byte span of resourceProperties in the
 * event text so the runtime can validate those bytes directly. The event
 * is scanned without building a tree.
 */
#ifndef CFGATE_CLI_HOOK_EVENT_H
#define CFGATE_CLI_HOOK_EVENT_H

#include <stddef.h>

enum { HOOK_EVENT_MAX_STRINGS = 8 }; /* decoded fields an event owns */

/* Bytes of clientRequestToken. CloudFormation sends a UUID (36 bytes); a
 * longer token makes the event malformed and is not echoed, so that the
 * response stays small. */
enum { HOOK_MAX_TOKEN_BYTES = 1024 };

typedef enum hook_action {
  HOOK_CREATE,
  HOOK_UPDATE,
  HOOK_DELETE
} hook_action;

typedef struct hook_event {
  char *strings[HOOK_EVENT_MAX_STRINGS]; /* the decoded fields below; owned */
  size_t string_count;
  const char *client_request_token; /* NULL when absent */
  const char *account_id;
  const char *stack_id;         /* "" for Cloud Control calls */
  hook_action action;
  const char *target_name;      /* resource type, or STACK / CHANGE_SET */
  const char *logical_id;       /* targetLogicalId, or target_name when absent */
  const char *region, *partition; /* from stackId; NULL when stackId is empty */
  char region_buffer[64], partition_buffer[32];
  int stack_account_matches;    /* 1 when the account field of stackId is account_id */
  size_t properties_start, properties_end; /* byte span of resourceProperties; 0, 0 when absent */
  size_t properties_line, properties_column; /* position of properties_start (hook_json_position) */
} hook_event;

/* Parses bytes into *event. Returns 1, or 0 with a message naming the field
 * that is missing or of another type, or the line and column of a syntax
 * error (the event is then malformed). The token is filled whenever it was
 * read before a syntax error, occurs once and is a valid string, so a
 * malformed event still echoes it. */
int hook_event_parse(hook_event *event, const char *bytes, size_t size, char *message,
                     size_t message_size);

void hook_event_fini(hook_event *event);

/* Returns 1 for the stack and change set targets, which carry a template
 * URL instead of resource properties. */
int hook_event_is_stack_target(const hook_event *event);

/* Returns 1 for a Cloud Control API event, whose stackId is empty or
 * missing, and for an event rejected before its stackId was read. */
int hook_event_is_cloud_control(const hook_event *event);

#endif
