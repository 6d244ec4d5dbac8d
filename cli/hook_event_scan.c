/*
 * The levels of a hook event and the members read at each: the top level,
 * requestData and requestData.targetModel. Every other value is checked
 * and skipped. Member names are compared after their escapes are decoded.
 */
#include "hook_event_scan.h"

#include <stdlib.h>
#include <string.h>

#include "hook_quote.h"

enum { SCAN_NAME_BYTES = 32 }; /* decoded bytes of a member name compared with the rules */

typedef struct member_rule {
  const char *name;
  hook_field_id field;
  const struct member_rule *members; /* rules of the object it holds, or NULL */
  size_t member_count;
  int closed; /* 1: a member of that object without a rule makes the event malformed */
} member_rule;

static const member_rule model_rules[] = {
  {"resourceProperties", HOOK_FIELD_PROPERTIES, NULL, 0, 0},
  {"previousResourceProperties", HOOK_FIELD_PREVIOUS_PROPERTIES, NULL, 0, 0},
};

static const member_rule request_rules[] = {
  {"targetName", HOOK_FIELD_TARGET_NAME, NULL, 0, 0},
  {"targetLogicalId", HOOK_FIELD_LOGICAL_ID, NULL, 0, 0},
  /* targetModel contains the properties only, so any other member (a
   * misspelt ResourceProperties) makes the event malformed. */
  {"targetModel", HOOK_FIELD_MODEL, model_rules, 2, 1},
};

static const member_rule top_rules[] = {
  {"clientRequestToken", HOOK_FIELD_TOKEN, NULL, 0, 0},
  {"awsAccountId", HOOK_FIELD_ACCOUNT, NULL, 0, 0},
  {"stackId", HOOK_FIELD_STACK, NULL, 0, 0},
  {"actionInvocationPoint", HOOK_FIELD_ACTION, NULL, 0, 0},
  {"requestData", HOOK_FIELD_REQUEST, request_rules, 3, 0},
};

const char *hook_field_pointer(hook_field_id id) {
  static const char *const pointers[HOOK_FIELD_COUNT] = {
    "/clientRequestToken", "/awsAccountId", "/stackId", "/actionInvocationPoint", "/requestData",
    "/requestData/targetName", "/requestData/targetLogicalId", "/requestData/targetModel",
    "/requestData/targetModel/resourceProperties",
    "/requestData/targetModel/previousResourceProperties",
  };
  return pointers[id];
}

hook_field_id hook_field_parent(hook_field_id id) {
  switch (id) {
  case HOOK_FIELD_TARGET_NAME:
  case HOOK_FIELD_LOGICAL_ID:
  case HOOK_FIELD_MODEL: return HOOK_FIELD_REQUEST;
  case HOOK_FIELD_PROPERTIES:
  case HOOK_FIELD_PREVIOUS_PROPERTIES: return HOOK_FIELD_MODEL;
  default: return HOOK_FIELD_COUNT;
  }
}

/* Notes the member being scanned as the place of the first error, once
 * there is one. */
static void place_error(hook_event_scan *scan) {
  if (scan->json.errors == 0 || scan->error_placed)
    return;
  strcpy(scan->error_pointer, scan->pointer);
  scan->error_placed = 1;
}

static const member_rule *find_rule(const member_rule *rules, size_t count,
                                    const hook_json_string *name) {
  for (size_t i = 0; i < count; i++)
    if (strlen(rules[i].name) == name->len && memcmp(rules[i].name, name->data, name->len) == 0)
      return &rules[i];
  return NULL;
}

/* Records a member name of one object and reports it when it repeats an
 * earlier one. Names are compared by a 64-bit hash of their decoded bytes,
 * so two different names with equal hashes also fail, which is closed. */
static int note_member(hook_event_scan *scan, uint64_t *seen, size_t *count,
                       const hook_json_string *name, const member_rule *rule) {
  hook_json *json = &scan->json;
  if (*count >= HOOK_EVENT_MAX_MEMBERS) {
    hook_json_error(json, name->start, 1, "too many members in one object of the event "
                    "(limit is %d)", HOOK_EVENT_MAX_MEMBERS);
    return 0;
  }

  for (size_t i = 0; i < *count; i++) {
    if (seen[i] != name->hash)
      continue;
    char quoted[HOOK_QUOTE_SIZE];
    hook_quote_json(json->text + name->start, name->end - name->start, HOOK_QUOTE_NAME_BYTES,
                    quoted, sizeof quoted);
    hook_json_error(json, name->start, 0, "duplicate property name %s", quoted);
    if (rule && rule->field == HOOK_FIELD_TOKEN)
      scan->token_repeated = 1;
  }
  seen[(*count)++] = name->hash;
  return 1;
}

static int scan_object(hook_event_scan *scan, const member_rule *rules, size_t rule_count,
                       int closed);

/* Notes where a member the hook reads is, and descends into it when it
 * is an object whose members are read too. */
static int scan_member(hook_event_scan *scan, const member_rule *rule) {
  hook_json *json = &scan->json;
  hook_field *field = &scan->fields[rule->field];
  field->present = 1;
  field->kind = hook_json_peek(json);
  field->start = json->at;

  /* The properties may hold write-only values, which a message must not
   * show, and the hook does not know the schema while it scans them. */
  int properties = rule->field == HOOK_FIELD_PROPERTIES ||
                   rule->field == HOOK_FIELD_PREVIOUS_PROPERTIES;
  json->hide_values = properties;
  int ok = rule->members && field->kind == HOOK_JSON_OBJECT
               ? scan_object(scan, rule->members, rule->member_count, rule->closed)
               : hook_json_skip(json);
  json->hide_values = 0;
  field->end = json->at;
  return ok;
}

/* Reports a member of targetModel other than its two properties. The name
 * is quoted as written (hook_quote_json). */
static void report_unknown_model_member(hook_json *json, const hook_json_string *name) {
  char quoted[HOOK_QUOTE_SIZE];
  hook_quote_json(json->text + name->start, name->end - name->start, HOOK_QUOTE_NAME_BYTES,
                  quoted, sizeof quoted);
  hook_json_error(json, name->start, 0,
                  "unknown member %s: targetModel holds only resourceProperties and "
                  "previousResourceProperties", quoted);
}

static int scan_object(hook_event_scan *scan, const member_rule *rules, size_t rule_count,
                       int closed) {
  uint64_t seen[HOOK_EVENT_MAX_MEMBERS];
  size_t seen_count = 0;
  char name_bytes[SCAN_NAME_BYTES];
  hook_json *json = &scan->json;
  size_t object_len = strlen(scan->pointer);

  hook_json_object_begin(json);
  for (int first = 1;; first = 0) {
    hook_json_string name = {name_bytes, sizeof name_bytes, 0, 0, 0, 0};
    int next = hook_json_object_next(json, first, &name);
    place_error(scan); /* a bad name or punctuation is placed at the object */
    if (next <= 0)
      return next == 0;

    const member_rule *rule = find_rule(rules, rule_count, &name);
    int noted = note_member(scan, seen, &seen_count, &name, rule);
    if (noted && !rule && closed)
      report_unknown_model_member(json, &name);
    place_error(scan);
    if (!noted || (!rule && closed))
      return 0;

    hook_pointer_append(scan->pointer, sizeof scan->pointer, name.data, name.len);
    int ok = rule ? scan_member(scan, rule) : hook_json_skip(json);
    place_error(scan); /* an error in the value is placed at the member */
    scan->pointer[object_len] = '\0';
    if (!ok)
      return 0;
  }
}

int hook_event_scan_run(hook_event_scan *scan, const char *text, size_t size) {
  memset(scan, 0, sizeof *scan);
  hook_json *json = &scan->json;
  hook_json_init(json, text, size);

  scan->root_kind = hook_json_peek(json);
  scan->root_start = json->at;
  if (scan->root_kind == HOOK_JSON_NONE) {
    hook_json_unexpected(json, "'{' to start the event");
    return 0;
  }
  int ok = scan->root_kind == HOOK_JSON_OBJECT
               ? scan_object(scan, top_rules, sizeof top_rules / sizeof top_rules[0], 0)
               : hook_json_skip(json);
  return ok && hook_json_finish(json) && json->errors == 0 &&
         scan->root_kind == HOOK_JSON_OBJECT;
}

char *hook_field_decode(const hook_event_scan *scan, hook_field_id id) {
  const hook_field *field = &scan->fields[id];
  size_t capacity = field->end - field->start + 1;
  hook_json json;
  hook_json_init(&json, scan->json.text, scan->json.size);
  json.at = field->start;

  hook_json_string value = {malloc(capacity), capacity, 0, 0, 0, 0};
  if (!value.data || !hook_json_read_string(&json, &value) || json.errors > 0) {
    free(value.data);
    return NULL;
  }
  return value.data;
}
