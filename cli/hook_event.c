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

/* Splits stackId (arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID)
 * into the event's partition and region. Returns 0 when it is not a stack
 * ARN with a name and an id, or its region is not a region name. */
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
  return hook_region_is_valid(event->region);
}

/* Checks the partition of stackId: a known one, and the one its region is in. */
static int check_stack_partition(const hook_event *event, char *message, size_t size) {
  const char *partition = event->partition;
  int partition_len = (int)utf8_cut(partition, strlen(partition), 200);
  if (!hook_partition_is_known(partition))
    return fail(message, size, "malformed event: unknown partition '%.*s' in stackId",
                partition_len, partition);

  const char *expected = hook_partition_for_region(event->region);
  if (strcmp(partition, expected) != 0)
    return fail(message, size, "malformed event: stackId has partition '%s', but its region "
                "%s is in partition %s", partition, event->region, expected);
  return 1;
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
  if (event->stack_id[0] && !check_stack_partition(event, message, size))
    return 0;
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

/* Returns 1 when the key "clientRequestToken" occurs once in text, so a
 * token found by its span is not one of two duplicates. */
static int mentions_token_once(const char *text, size_t size) {
  static const char key[] = "\"clientRequestToken\"";
  size_t count = 0;
  for (size_t i = 0; i + sizeof key - 1 <= size; i++)
    count += memcmp(text + i, key, sizeof key - 1) == 0;
  return count == 1;
}

/* Returns the token when the bytes of text[start, end) are one JSON string. */
static const char *token_from_span(hook_event *event, const char *text, size_t start, size_t end) {
  event->root = json_loadb(text + start, end - start, JSON_DECODE_ANY, NULL);
  return json_string_value(event->root);
}

/* Reads clientRequestToken from an event that jansson rejected, so the
 * response still echoes it: after a duplicate key elsewhere, before
 * trailing text, or next to invalid UTF-8 or a \\u0000 in another member. The token is
 * left out when the error may be in the token itself or in a duplicate
 * of it, because then its value is ambiguous. */
static void read_token_despite_error(hook_event *event, const char *bytes, size_t size,
                                     const json_error_t *error) {
  static const char *const path[] = {"clientRequestToken"};
  enum json_error_code code = json_error_code(error);
  size_t start = 0, end = 0;

  if (code == json_error_duplicate_key && !strstr(error->text, "\"clientRequestToken\""))
    event->root = json_loadb(bytes, size, 0, NULL);
  else if (code == json_error_end_of_input_expected)
    event->root = json_loadb(bytes, size, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, NULL);
  else if ((code == json_error_invalid_utf8 || code == json_error_null_character) &&
           mentions_token_once(bytes, size) &&
           hook_span_find(bytes, size, path, 1, &start, &end) &&
           ((size_t)error->position < start || (size_t)error->position > end)) {
    event->client_request_token = token_from_span(event, bytes, start, end);
    return;
  }
  event->client_request_token = json_string_value(json_object_get(event->root,
                                                                  "clientRequestToken"));
}

/* Writes the parse error with a 1-based line and column, in words that
 * do not name jansson's flags. */
static int fail_parse(char *message, size_t size, const json_error_t *error) {
  const char *text = error->text;
  if (json_error_code(error) == json_error_null_character)
    text = "the text contains a NUL character (\\u0000), which CloudFormation rejects";
  return fail(message, size, "malformed event: line %d, column %d: %s",
              error->line > 0 ? error->line : 1, error->column > 0 ? error->column : 1, text);
}

int hook_event_parse(hook_event *event, const char *bytes, size_t size, char *message,
                     size_t message_size) {
  json_error_t error;
  memset(event, 0, sizeof *event);
  event->root = json_loadb(bytes, size, JSON_REJECT_DUPLICATES, &error);
  if (!event->root) {
    read_token_despite_error(event, bytes, size, &error);
    return fail_parse(message, message_size, &error);
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
