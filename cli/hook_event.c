/*
 * Hook event parsing. Every field rule fails closed: a missing or
 * mistyped field makes the event malformed.
 */
#include "hook_event.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hook_region.h"
#include "hook_span.h"
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

static const char *string_field(json_t *object, const char *name) {
  return json_string_value(json_object_get(object, name));
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

/* stackId is arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID. */
static int parse_stack_id(hook_event *event) {
  const char *fields[6];
  const char *p = event->stack_id;
  for (size_t i = 0; i < 6; i++) {
    fields[i] = p;
    p = i < 5 ? strchr(p, ':') : p;
    if (!p)
      return 0;
    p += i < 5;
  }

  size_t partition_len = (size_t)(fields[2] - fields[1] - 1);
  size_t region_len = (size_t)(fields[4] - fields[3] - 1);
  size_t account_len = (size_t)(fields[5] - fields[4] - 1);
  if (strncmp(fields[0], "arn:", 4) != 0 || strncmp(fields[2], "cloudformation:", 15) != 0 ||
      partition_len == 0 || partition_len >= sizeof event->partition_buffer ||
      region_len == 0 || region_len >= sizeof event->region_buffer)
    return 0;

  /* The stack must belong to the account that invokes the hook. */
  event->stack_account_matches = account_len == strlen(event->account_id) &&
                                 strncmp(fields[4], event->account_id, account_len) == 0;

  memcpy(event->partition_buffer, fields[1], partition_len);
  event->partition_buffer[partition_len] = '\0';
  memcpy(event->region_buffer, fields[3], region_len);
  event->region_buffer[region_len] = '\0';
  event->partition = event->partition_buffer;
  event->region = event->region_buffer;
  return hook_region_is_valid(event->region);
}

static int parse_envelope(hook_event *event, char *message, size_t size) {
  json_t *root = event->root;
  event->account_id = string_field(root, "awsAccountId");
  if (!is_account_id(event->account_id))
    return fail(message, size, "malformed event: awsAccountId is missing or not 12 digits");

  if (!parse_action(event, string_field(root, "actionInvocationPoint")))
    return fail(message, size,
                "malformed event: actionInvocationPoint must be CREATE_PRE_PROVISION, "
                "UPDATE_PRE_PROVISION or DELETE_PRE_PROVISION");

  json_t *stack_id = json_object_get(root, "stackId");
  event->stack_id = stack_id ? json_string_value(stack_id) : "";
  if (!event->stack_id)
    return fail(message, size, "malformed event: stackId is not a string");
  /* A stackId is quoted up to 200 bytes, cut at a code point boundary. */
  int stack_id_len = (int)utf8_cut(event->stack_id, strlen(event->stack_id), 200);
  if (event->stack_id[0] && !parse_stack_id(event))
    return fail(message, size, "malformed event: stackId '%.*s' is not a CloudFormation stack ARN",
                stack_id_len, event->stack_id);
  if (event->stack_id[0] && !hook_partition_is_known(event->partition))
    return fail(message, size, "malformed event: unknown partition '%.*s' in stackId",
                (int)utf8_cut(event->partition, strlen(event->partition), 200), event->partition);
  if (event->stack_id[0] && !event->stack_account_matches)
    return fail(message, size, "malformed event: the account in stackId '%.*s' is not "
                "awsAccountId %s", stack_id_len, event->stack_id, event->account_id);
  return 1;
}

static int find_properties(hook_event *event, const char *bytes, size_t size, char *message,
                           size_t message_size) {
  static const char *const path[] = {"requestData", "targetModel", "resourceProperties"};
  json_t *model = json_object_get(json_object_get(event->root, "requestData"), "targetModel");
  json_t *properties = json_object_get(model, "resourceProperties");
  if (model && !json_is_object(model))
    return fail(message, message_size, "malformed event: requestData.targetModel is not an object");
  if (!properties)
    return 1;
  if (!json_is_object(properties))
    return fail(message, message_size,
                "malformed event: requestData.targetModel.resourceProperties is not an object");

  if (!hook_span_find(bytes, size, path, 3, &event->properties_start, &event->properties_end))
    return fail(message, message_size,
                "malformed event: resourceProperties could not be located in the event text");
  return 1;
}

static int parse_request(hook_event *event, const char *bytes, size_t size, char *message,
                         size_t message_size) {
  json_t *request = json_object_get(event->root, "requestData");
  if (!json_is_object(request))
    return fail(message, message_size, "malformed event: requestData is missing or not an object");

  event->target_name = string_field(request, "targetName");
  if (!event->target_name || !event->target_name[0])
    return fail(message, message_size, "malformed event: requestData.targetName is missing");

  json_t *logical_id = json_object_get(request, "targetLogicalId");
  event->logical_id = logical_id ? json_string_value(logical_id) : event->target_name;
  if (!event->logical_id)
    return fail(message, message_size, "malformed event: requestData.targetLogicalId is not a string");

  if (hook_event_is_stack_target(event))
    return 1;
  return find_properties(event, bytes, size, message, message_size);
}

/* Reads clientRequestToken from an event rejected for a duplicate key, so
 * the response still echoes it. The token is left out when the duplicate
 * may be the token itself, because then its value is ambiguous. */
static void read_token_despite_duplicate(hook_event *event, const char *bytes, size_t size,
                                         const json_error_t *error) {
  if (!strstr(error->text, "duplicate object key") ||
      strstr(error->text, "\"clientRequestToken\""))
    return;

  event->root = json_loadb(bytes, size, 0, NULL);
  event->client_request_token = json_string_value(json_object_get(event->root,
                                                                  "clientRequestToken"));
}

int hook_event_parse(hook_event *event, const char *bytes, size_t size, char *message,
                     size_t message_size) {
  json_error_t error;
  memset(event, 0, sizeof *event);
  event->root = json_loadb(bytes, size, JSON_REJECT_DUPLICATES, &error);
  if (!event->root) {
    read_token_despite_duplicate(event, bytes, size, &error);
    return fail(message, message_size, "malformed event: line %d, column %d: %s", error.line,
                error.column, error.text);
  }
  if (!json_is_object(event->root))
    return fail(message, message_size, "malformed event: the event is not a JSON object");

  json_t *token = json_object_get(event->root, "clientRequestToken");
  event->client_request_token = json_string_value(token);
  if (token && !event->client_request_token)
    return fail(message, message_size, "malformed event: clientRequestToken is not a string");

  return parse_envelope(event, message, message_size) &&
         parse_request(event, bytes, size, message, message_size);
}

void hook_event_fini(hook_event *event) {
  json_decref(event->root);
  event->root = NULL;
}

int hook_event_is_stack_target(const hook_event *event) {
  return strcmp(event->target_name, "STACK") == 0 || strcmp(event->target_name, "CHANGE_SET") == 0;
}
