/*
 * Hook event field rules. Every rule fails closed: a missing field, or a
 * field of another type, makes the event malformed, and the message names
 * which of the two it is. A message names the field's JSON pointer, its
 * line and column, and its value as written in the event. A missing field
 * has no place, so its message names the object that lacks it.
 */
#include "hook_event.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook_event_scan.h"
#include "hook_quote.h"
#include "hook_region.h"
#include "stack_arn.h"
#include "utf8.h"

static int fail(char *message, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *message, size_t size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(message, size, format, args);
  va_end(args);
  return 0;
}

/* Where a message sends the reader: a field's pointer, line and column. */
typedef struct field_place {
  const hook_event_scan *scan;
  hook_field_id id;
} field_place;

static int fail_field(field_place place, char *message, size_t size, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes "malformed event: POINTER at line L, column C: VALUE PROBLEM",
 * with the value quoted as written in the event (hook_quote_json). */
static int fail_field(field_place place, char *message, size_t size, const char *format, ...) {
  const hook_event_scan *scan = place.scan;
  const hook_field *field = &scan->fields[place.id];
  size_t line, column;
  char quoted[HOOK_QUOTE_SIZE];
  hook_json_position(&scan->json, field->start, &line, &column);
  hook_quote_json(scan->json.text + field->start, field->end - field->start,
                  HOOK_QUOTE_VALUE_BYTES, quoted, sizeof quoted);

  int used = snprintf(message, size, "malformed event: %s at line %zu, column %zu: %s ",
                      hook_field_pointer(place.id), line, column, quoted);
  if (used < 0 || (size_t)used >= size)
    return 0;
  va_list args;
  va_start(args, format);
  vsnprintf(message + used, size - (size_t)used, format, args);
  va_end(args);
  return 0;
}

/* Writes "VALUE is KIND, not EXPECTED" for a field of another type, or
 * "null is not EXPECTED", because the kind of null is its value. */
static int fail_kind(field_place place, char *message, size_t size, const char *expected) {
  hook_json_kind kind = place.scan->fields[place.id].kind;
  if (kind == HOOK_JSON_NULL)
    return fail_field(place, message, size, "is not %s", expected);
  return fail_field(place, message, size, "is %s, not %s", hook_json_kind_name(kind), expected);
}

/* Writes "malformed event: POINTER is missing from OBJECT at line L,
 * column C", placed at the object that lacks the field. */
static int fail_missing(const hook_event_scan *scan, hook_field_id id, char *message,
                        size_t size) {
  hook_field_id parent = hook_field_parent(id);
  size_t start = parent == HOOK_FIELD_COUNT ? scan->root_start : scan->fields[parent].start;
  size_t line, column;
  hook_json_position(&scan->json, start, &line, &column);
  return fail(message, size, "malformed event: %s is missing from %s at line %zu, column %zu",
              hook_field_pointer(id),
              parent == HOOK_FIELD_COUNT ? "the event object" : hook_field_pointer(parent), line,
              column);
}

static int parse_action(hook_event *event, const char *action) {
  if (!action)
    return 0;
  if (strcmp(action, "CREATE_PRE_PROVISION") == 0)
    event->action = HOOK_CREATE;
  else if (strcmp(action, "UPDATE_PRE_PROVISION") == 0)
    event->action = HOOK_UPDATE;
  else if (strcmp(action, "DELETE_PRE_PROVISION") == 0)
    event->action = HOOK_DELETE;
  else
    return 0;
  return 1;
}

static int is_account_id(const char *text) {
  return text && strlen(text) == 12 && strspn(text, "0123456789") == 12;
}

/* Splits stackId (arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID)
 * into the event's partition and region. Returns 0 when it is not a stack
 * ARN with a name and an id. */
static int parse_stack_id(hook_event *event) {
  stack_arn arn;
  if (!stack_arn_parse(event->stack_id, &arn) ||
      strlen(arn.partition) >= sizeof event->partition_buffer ||
      strlen(arn.region) >= sizeof event->region_buffer)
    return 0;

  /* The stack must belong to the account that invokes the hook. */
  event->stack_account_matches = strcmp(arn.account_id, event->account_id) == 0;
  strcpy(event->partition_buffer, arn.partition);
  strcpy(event->region_buffer, arn.region);
  event->partition = event->partition_buffer;
  event->region = event->region_buffer;
  return 1;
}

/* Checks the region and partition of stackId: a region name of a known
 * partition's format, and the partition that region is in. */
static int check_stack_partition(const hook_event *event, field_place place, char *message,
                                 size_t size) {
  const char *partition = event->partition;
  if (!hook_region_is_valid(event->region))
    return fail_field(place, message, size, "has region '%.*s', which is not a region name of "
                      "a known partition (such as us-east-1)",
                      (int)utf8_cut(event->region, strlen(event->region), 100), event->region);
  if (!hook_partition_is_known(partition))
    return fail_field(place, message, size, "has unknown partition '%.*s'",
                      (int)utf8_cut(partition, strlen(partition), 100), partition);

  const char *expected = hook_partition_for_region(event->region);
  if (strcmp(partition, expected) != 0)
    return fail_field(place, message, size, "has partition '%s', but its region %s is in "
                      "partition %s", partition, event->region, expected);
  return 1;
}

/* Reads a string field into the event. Returns 1 with *value set (NULL
 * when the field is absent and optional), or 0 with a message that names
 * the field as missing or as of another type. */
static int string_field(hook_event *event, const hook_event_scan *scan, hook_field_id id,
                        int required, const char **value, char *message, size_t size) {
  const hook_field *field = &scan->fields[id];
  *value = NULL;
  if (!field->present)
    return required ? fail_missing(scan, id, message, size) : 1;
  if (field->kind != HOOK_JSON_STRING)
    return fail_kind((field_place){scan, id}, message, size, "a string");

  char *text = hook_field_decode(scan, id);
  if (!text || event->string_count >= HOOK_EVENT_MAX_STRINGS) {
    free(text);
    return fail(message, size, "out of memory while reading the event");
  }
  event->strings[event->string_count++] = text;
  *value = text;
  return 1;
}

/* Checks that an optional field, when present, is an object. */
static int object_field(const hook_event_scan *scan, hook_field_id id, int required,
                        char *message, size_t size) {
  const hook_field *field = &scan->fields[id];
  if (!field->present)
    return required ? fail_missing(scan, id, message, size) : 1;
  if (field->kind != HOOK_JSON_OBJECT)
    return fail_kind((field_place){scan, id}, message, size, "an object");
  return 1;
}

static int parse_account(hook_event *event, const hook_event_scan *scan, char *message,
                         size_t size) {
  if (!string_field(event, scan, HOOK_FIELD_ACCOUNT, 1, &event->account_id, message, size))
    return 0;
  if (!is_account_id(event->account_id))
    return fail_field((field_place){scan, HOOK_FIELD_ACCOUNT}, message, size,
                      "is not 12 digits");
  return 1;
}

static int parse_action_field(hook_event *event, const hook_event_scan *scan, char *message,
                              size_t size) {
  const char *action;
  if (!string_field(event, scan, HOOK_FIELD_ACTION, 1, &action, message, size))
    return 0;
  if (!parse_action(event, action))
    return fail_field((field_place){scan, HOOK_FIELD_ACTION}, message, size,
                      "is not CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION or "
                      "DELETE_PRE_PROVISION");
  return 1;
}

static int parse_stack(hook_event *event, const hook_event_scan *scan, char *message,
                       size_t size) {
  if (!string_field(event, scan, HOOK_FIELD_STACK, 0, &event->stack_id, message, size))
    return 0;
  if (!event->stack_id || !event->stack_id[0]) {
    event->stack_id = "";
    return 1;
  }

  field_place place = {scan, HOOK_FIELD_STACK};
  if (!parse_stack_id(event))
    return fail_field(place, message, size, "is not a CloudFormation stack ARN");
  if (!check_stack_partition(event, place, message, size))
    return 0;
  if (!event->stack_account_matches)
    return fail_field(place, message, size, "has an account that is not awsAccountId %s",
                      event->account_id);
  return 1;
}

enum { HOOK_MAX_LOGICAL_ID = 255 }; /* characters in a targetLogicalId */

/* Checks that id is 1 to HOOK_MAX_LOGICAL_ID letters, digits, hyphens and
 * colons: a resource's logical ID, or the type name that Cloud Control API
 * events carry. A stack or change set target may also carry slashes,
 * because its id is a stack name or the stack or change set ARN
 * (arn:aws:cloudformation:REGION:ACCOUNT:changeSet/NAME/ID). The message
 * names the first other byte by position, so it carries no control byte. */
static int check_logical_id(const char *id, int stack_target, field_place place, char *message,
                            size_t size) {
  size_t len = strlen(id);
  const char *allowed = stack_target ? "-:/" : "-:";

  if (len == 0 || len > HOOK_MAX_LOGICAL_ID)
    return fail_field(place, message, size, "is %zu bytes long (limit is 1 to %d)", len,
                      HOOK_MAX_LOGICAL_ID);
  for (size_t i = 0; i < len; i++)
    if (!isalnum((unsigned char)id[i]) && !strchr(allowed, id[i]))
      return fail_field(place, message, size, "has byte 0x%02x at position %zu; expected "
                        "letters, digits, hyphens%s only", (unsigned char)id[i], i + 1,
                        stack_target ? ", colons and slashes" : " and colons");
  return 1;
}

static int parse_target(hook_event *event, const hook_event_scan *scan, char *message,
                        size_t size) {
  if (!object_field(scan, HOOK_FIELD_REQUEST, 1, message, size) ||
      !string_field(event, scan, HOOK_FIELD_TARGET_NAME, 1, &event->target_name, message, size))
    return 0;
  if (!event->target_name[0])
    return fail_field((field_place){scan, HOOK_FIELD_TARGET_NAME}, message, size, "is empty");

  if (!string_field(event, scan, HOOK_FIELD_LOGICAL_ID, 0, &event->logical_id, message, size))
    return 0;
  if (!event->logical_id) {
    event->logical_id = event->target_name;
    return 1;
  }
  return check_logical_id(event->logical_id, hook_event_is_stack_target(event),
                          (field_place){scan, HOOK_FIELD_LOGICAL_ID}, message, size);
}

static int parse_properties(hook_event *event, const hook_event_scan *scan, char *message,
                            size_t size) {
  /* A STACK or CHANGE_SET target is not evaluated, so its targetModel is
   * optional, but one that is there must still have the event's shape. */
  if (hook_event_is_stack_target(event))
    return object_field(scan, HOOK_FIELD_MODEL, 0, message, size) &&
           object_field(scan, HOOK_FIELD_PROPERTIES, 0, message, size);
  /* A create or update event carries targetModel. A resource declared
   * without Properties may come without resourceProperties in it. */
  int model_required = event->action != HOOK_DELETE;
  if (!object_field(scan, HOOK_FIELD_MODEL, model_required, message, size) ||
      !object_field(scan, HOOK_FIELD_PROPERTIES, 0, message, size))
    return 0;

  const hook_field *properties = &scan->fields[HOOK_FIELD_PROPERTIES];
  if (properties->present) {
    event->properties_start = properties->start;
    event->properties_end = properties->end;
    hook_json_position(&scan->json, properties->start, &event->properties_line,
                       &event->properties_column);
  }
  return 1;
}

/* Echoes clientRequestToken even from a malformed event, unless the
 * token is repeated (its value is then ambiguous), invalid itself or longer
 * than HOOK_MAX_TOKEN_BYTES. Returns the token's length in bytes, or 0
 * when it was not read. */
static size_t read_token(hook_event *event, const hook_event_scan *scan) {
  const hook_field *field = &scan->fields[HOOK_FIELD_TOKEN];
  if (!field->present || field->kind != HOOK_JSON_STRING || scan->token_repeated ||
      field->end <= field->start || event->string_count >= HOOK_EVENT_MAX_STRINGS)
    return 0;

  char *token = hook_field_decode(scan, HOOK_FIELD_TOKEN);
  size_t len = token ? strlen(token) : 0;
  if (len > HOOK_MAX_TOKEN_BYTES) {
    free(token);
    return len;
  }
  if (token)
    event->strings[event->string_count++] = token;
  event->client_request_token = token;
  return len;
}

/* Writes "malformed event: line L, column C: PROBLEM (in POINTER)", or for
 * valid JSON that is not an object, the event's place and value. */
static int describe_scan_error(const hook_event_scan *scan, char *message, size_t size) {
  char where[HOOK_JSON_ERROR_SIZE + 64];
  if (scan->json.errors == 0) {
    size_t line, column;
    char quoted[HOOK_QUOTE_SIZE];
    hook_json_position(&scan->json, scan->root_start, &line, &column);
    hook_quote_json(scan->json.text + scan->root_start, scan->json.size - scan->root_start,
                    HOOK_QUOTE_VALUE_BYTES, quoted, sizeof quoted);
    if (scan->root_kind == HOOK_JSON_NULL)
      return fail(message, size, "malformed event: the event at line %zu, column %zu: null is "
                  "not an object", line, column);
    return fail(message, size, "malformed event: the event at line %zu, column %zu: %s is %s, "
                "not an object", line, column, quoted, hook_json_kind_name(scan->root_kind));
  }
  hook_json_describe(&scan->json, where, sizeof where);
  if (!scan->error_pointer[0])
    return fail(message, size, "malformed event: %s", where);
  return fail(message, size, "malformed event: %s (in %s)", where, scan->error_pointer);
}

int hook_event_parse(hook_event *event, const char *bytes, size_t size, char *message,
                     size_t message_size) {
  hook_event_scan scan;
  memset(event, 0, sizeof *event);
  int scanned = hook_event_scan_run(&scan, bytes, size);
  size_t token_len = read_token(event, &scan);
  if (!scanned)
    return describe_scan_error(&scan, message, message_size);

  const hook_field *token = &scan.fields[HOOK_FIELD_TOKEN];
  if (token->present && token->kind != HOOK_JSON_STRING)
    return fail_kind((field_place){&scan, HOOK_FIELD_TOKEN}, message, message_size, "a string");
  if (token_len > HOOK_MAX_TOKEN_BYTES)
    return fail_field((field_place){&scan, HOOK_FIELD_TOKEN}, message, message_size,
                      "is %zu bytes long (limit is %d bytes)", token_len, HOOK_MAX_TOKEN_BYTES);
  return parse_account(event, &scan, message, message_size) &&
         parse_action_field(event, &scan, message, message_size) &&
         parse_stack(event, &scan, message, message_size) &&
         parse_target(event, &scan, message, message_size) &&
         parse_properties(event, &scan, message, message_size);
}

void hook_event_fini(hook_event *event) {
  for (size_t i = 0; i < event->string_count; i++)
    free(event->strings[i]);
  event->string_count = 0;
}

int hook_event_is_stack_target(const hook_event *event) {
  return strcmp(event->target_name, "STACK") == 0 || strcmp(event->target_name, "CHANGE_SET") == 0;
}

int hook_event_is_cloud_control(const hook_event *event) {
  return !event->stack_id || !event->stack_id[0];
}
