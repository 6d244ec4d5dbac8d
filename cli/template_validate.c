/*
 * Session setup, event feeding and error conversion for one resource.
 */
#include "template_validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_emit.h"
#include "template_limits.h"
#include "template_pointer.h"
#include "template_prefix.h"

/* Runtime errors kept per resource and branch. It is the template's
 * findings limit, so a resource whose errors are dropped could not list
 * them all anyway. */
enum { TEMPLATE_MAX_ERRORS = TEMPLATE_MAX_FINDINGS };

static json_t *schema_child(json_t *node, const char *token) {
  if (json_is_object(node))
    return json_object_get(node, token);
  if (!json_is_array(node))
    return NULL;

  char *end = NULL;
  unsigned long index = strtoul(token, &end, 10);
  return *token && *end == '\0' ? json_array_get(node, index) : NULL;
}

/* Decodes the JSON Pointer token after the '/' at p into token, resolving
 * RFC 6901 escapes and cutting a longer token. Returns the position after it. */
static const char *pointer_next_token(const char *p, char *token, size_t size) {
  size_t len = 0;
  for (p++; *p && *p != '/'; p++) {
    char c = *p;
    if (c == '~' && (p[1] == '0' || p[1] == '1'))
      c = *++p == '0' ? '~' : '/';
    if (len + 1 < size)
      token[len++] = c;
  }
  token[len] = '\0';
  return p;
}

/* Returns the schema node at schema_path, or the last object on the way
 * when the path ends at a keyword's value. */
static json_t *schema_object_at(json_t *schema, const char *schema_path) {
  json_t *node = schema, *object = schema;
  const char *p = schema_path ? schema_path : "";
  char token[512];

  while (node && *p == '/') {
    p = pointer_next_token(p, token, sizeof token);

    node = schema_child(node, token);
    if (json_is_object(node))
      object = node;
  }
  return object;
}

/* Value constraints that an unknown value leaves unchecked, in the order
 * they are named in messages. */
static const char *const value_keywords[] = {
  "const", "enum", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "type",
};

/* Constraints on the items or members of a value, which an unknown array
 * or object leaves unchecked too. A string known only at deployment is
 * neither, so they are not named for it. */
static const char *const container_keywords[] = {
  "minItems", "maxItems", "uniqueItems", "items", "minProperties", "maxProperties",
  "required", "properties", "patternProperties",
};

/* Returns 1 when the schema node's type admits strings, or it has no type. */
static int node_admits_string(json_t *node) {
  json_t *type = json_object_get(node, "type"), *item;
  size_t index;

  if (!type || (json_is_string(type) && strcmp(json_string_value(type), "string") == 0))
    return 1;
  json_array_foreach(type, index, item)
    if (json_is_string(item) && strcmp(json_string_value(item), "string") == 0)
      return 1;
  return 0;
}

/* Returns 1 when an unknown value at "at" leaves keyword unchecked. Where
 * strings are allowed, a string known only at deployment has a known type,
 * and number keywords do not apply to it. Only its text is unknown. */
static int keyword_unchecked(json_t *node, const tnode *at, const char *keyword) {
  static const char *const text_keywords[] = {"const", "enum", "pattern", "format", "minLength",
                                              "maxLength"};

  if (!json_object_get(node, keyword))
    return 0;
  if (at->kind != TNODE_UNKNOWN || !at->unknown_string || !node_admits_string(node))
    return 1;
  for (size_t i = 0; i < sizeof text_keywords / sizeof text_keywords[0]; i++)
    if (strcmp(keyword, text_keywords[i]) == 0)
      return 1;
  return 0;
}

enum { UNCHECKED_MAX = sizeof value_keywords / sizeof value_keywords[0] +
                      sizeof container_keywords / sizeof container_keywords[0] };

/* Returns 1 when keyword constrains the value itself, so that an unknown
 * value leaves it unchecked as a value constraint. */
static int is_value_keyword(const char *keyword) {
  for (size_t i = 0; i < sizeof value_keywords / sizeof value_keywords[0]; i++)
    if (strcmp(keyword, value_keywords[i]) == 0)
      return 1;
  return 0;
}

/* Stores in names the constraints of the schema node at the error that the
 * unknown value at "at" leaves unchecked, in message order, and returns how
 * many. The error's own keyword is used alone when the node names none. */
static size_t unchecked_keywords(json_t *schema, const cfgate_error *error, const tnode *at,
                                 const char **names) {
  json_t *node = schema_object_at(schema, error->schema_path);
  size_t count = 0;

  for (size_t i = 0; i < sizeof value_keywords / sizeof value_keywords[0]; i++)
    if (keyword_unchecked(node, at, value_keywords[i]))
      names[count++] = value_keywords[i];
  for (size_t i = 0; i < sizeof container_keywords / sizeof container_keywords[0] &&
                     !(at->kind == TNODE_UNKNOWN && at->unknown_string);
       i++)
    if (json_object_get(node, container_keywords[i]))
      names[count++] = container_keywords[i];
  if (count == 0)
    names[count++] = error->keyword;
  return count;
}

/* Writes "the value is unknown before deployment, so its minLength,
 * maxLength and type cannot be checked", naming the count constraints in
 * names. */
static void unverified_message(const char *const *names, size_t count, char *out, size_t size) {
  size_t len = (size_t)snprintf(out, size, "the value is unknown before deployment, so its");
  for (size_t i = 0; i < count && len < size; i++) {
    const char *separator = ", ";
    if (i == 0)
      separator = " ";
    else if (i + 1 == count)
      separator = " and ";
    len += (size_t)snprintf(out + len, size - len, "%s%s", separator, names[i]);
  }
  if (len < size)
    snprintf(out + len, size - len, " cannot be checked");
}

json_t *template_rule_at(json_t *schema, const char *schema_path) {
  json_t *node = schema, *rule = json_object_get(schema, "x-cfgate-rule");
  const char *p = schema_path ? schema_path : "";
  char token[512];

  while (node && *p == '/') {
    p = pointer_next_token(p, token, sizeof token);

    node = schema_child(node, token);
    json_t *found = json_object_get(node, "x-cfgate-rule");
    if (found)
      rule = found;
  }
  return rule;
}

json_t *template_rule_for(json_t *schema, const char *schema_path, const char *keyword) {
  static const char *const provider_keywords[] = {
    "const",     "enum",      "pattern",          "format",           "minLength",
    "maxLength", "minimum",   "maximum",          "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems",         "uniqueItems",      "minProperties",
    "maxProperties", "required", "type",
  };
  json_t *rule = template_rule_at(schema, schema_path);
  json_t *keywords = json_object_get(rule, "keywords");
  int value_keyword = 0;
  for (size_t i = 0; keyword && i < sizeof provider_keywords / sizeof provider_keywords[0]; i++)
    value_keyword |= strcmp(keyword, provider_keywords[i]) == 0;
  if (!value_keyword || !json_is_array(keywords))
    return rule;

  json_t *owner = schema_object_at(schema, schema_path);
  if (json_object_get(owner, "x-cfgate-rule") != rule)
    return NULL;
  size_t index;
  json_t *item;
  json_array_foreach(keywords, index, item)
    if (json_is_string(item) && strcmp(json_string_value(item), keyword) == 0)
      return rule;
  return NULL;
}

static int is_duplicate(const report_resource *resource, const char *pointer, const char *message) {
  for (size_t i = 0; i < resource->finding_count; i++) {
    const report_finding *f = &resource->findings[i];
    if (strcmp(f->pointer, pointer) == 0 && strcmp(f->message, message) == 0)
      return 1;
  }
  return 0;
}

static void rule_id(json_t *rule, const char *keyword, char *id, size_t size) {
  const char *file = json_string_value(json_object_get(rule, "file"));
  if (!file)
    snprintf(id, size, "cfgate/%s", keyword && *keyword ? keyword : "schema");
  else
    snprintf(id, size, "%s:%u:%u", file, (unsigned)json_integer_value(json_object_get(rule, "line")),
             (unsigned)json_integer_value(json_object_get(rule, "column")));
}

/* Returns 1 when the resource already has an unverified finding for the same
 * rule and keyword at pointer, keeping the message that names more
 * constraints. One rule can reach several schema nodes, such as the
 * provider's constraints with the policy's and the policy's alone. */
static int merge_unverified(report_resource *resource, const char *pointer, const char *id,
                            const char *keyword, const char *message) {
  for (size_t i = 0; i < resource->finding_count; i++) {
    report_finding *f = &resource->findings[i];
    if (f->kind != REPORT_UNVERIFIED || strcmp(f->pointer, pointer) != 0 ||
        strcmp(f->rule_id, id) != 0 || strcmp(f->keyword, keyword) != 0)
      continue;
    if (strlen(message) > strlen(f->message))
      report_set(&f->message, message);
    return 1;
  }
  return 0;
}

static void set_rule(report_finding *finding, json_t *rule, const char *keyword) {
  char id[600];
  const char *file = json_string_value(json_object_get(rule, "file"));
  if (!file) {
    rule_id(rule, keyword, id, sizeof id);
    report_set(&finding->rule_id, id);
    return;
  }

  finding->rule_line = (uint32_t)json_integer_value(json_object_get(rule, "line"));
  finding->rule_column = (uint32_t)json_integer_value(json_object_get(rule, "column"));
  rule_id(rule, keyword, id, sizeof id);
  report_set(&finding->rule_file, file);
  report_set(&finding->rule_id, id);
}

/* Rewrites a type error's "got string \"5.5\"" to "got number 5.5" (or
 * "got boolean true") when the template wrote a number or boolean: check
 * sends those to the runtime as strings, the way CloudFormation hands them to
 * a hook, so the runtime names them strings. Returns text otherwise. */
static const char *name_written_type(const cfgate_error *error, const tnode *at, const char *text,
                                     char *out, size_t size) {
  static const char marker[] = ", got string \"";
  const char *got = strstr(text, marker);
  size_t len = strlen(text);
  if (!error->keyword || strcmp(error->keyword, "type") != 0 || !got || text[len - 1] != '"')
    return text;
  if (at->kind != TNODE_NUMBER && at->kind != TNODE_BOOL)
    return text;

  const char *value = got + sizeof marker - 1;
  int value_len = (int)(text + len - 1 - value);
  snprintf(out, size, "%.*s, got %s %.*s", (int)(got - text), text, tnode_kind_name(at->kind),
           value_len, value);
  return out;
}

/* Returns 1 when the known start of an unknown string already breaks a
 * constraint of the node the unverified error is at, with the message in
 * out. Only where that node's failure fails the whole value. Under a
 * write-only property the message quotes the start as "****" and hidden
 * gets the note's reason, because the start is text of the secret (the
 * "Hunter2-" of !Sub "Hunter2-${AWS::StackName}"), which masking the whole
 * written value does not find. */
static int prefix_decides(json_t *schema, const cfgate_error *error, const tnode *at,
                          const cfgate_context *context, char *out, size_t size,
                          const char **keyword, char *hidden, size_t hidden_size) {
  hidden[0] = '\0';
  if (at->kind != TNODE_UNKNOWN || !at->unknown_string || !at->known_prefix ||
      !template_prefix_path_is_conjunctive(error->schema_path))
    return 0;
  int write_only = secret_write_only_reason(schema, error->instance_path, hidden, hidden_size);
  if (!write_only)
    hidden[0] = '\0';
  return template_prefix_violation(schema_object_at(schema, error->schema_path), at, context,
                                   write_only, out, size, keyword);
}

/* Adds a finding with text as its message. An unknown value's reason
 * follows in brackets, then "(value hidden: ...)" when hidden is not empty. */
static void add_finding(report_resource *resource, json_t *schema, const tnode *at,
                        const cfgate_error *error, const char *keyword, const char *text,
                        const char *hidden, int is_unverified) {
  const char *pointer = error->instance_path ? error->instance_path : "";
  char message[1024];

  /* An unverified finding names the intrinsic or reference that makes the value unknown. */
  snprintf(message, sizeof message, "%s%s%s%s%s%s%s", text,
           at->kind == TNODE_UNKNOWN ? " (" : "", at->kind == TNODE_UNKNOWN ? at->text : "",
           at->kind == TNODE_UNKNOWN ? ")" : "", hidden[0] ? " (value hidden: " : "", hidden,
           hidden[0] ? ")" : "");
  if (is_duplicate(resource, pointer, message))
    return;
  json_t *rule = template_rule_for(schema, error->schema_path, keyword);
  char id[600];
  rule_id(rule, keyword, id, sizeof id);
  if (is_unverified && merge_unverified(resource, pointer, id, keyword, message))
    return;

  report_kind kind = is_unverified ? REPORT_UNVERIFIED : REPORT_VIOLATION;
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, kind, message);
  report_set(&finding->pointer, pointer);
  report_set(&finding->keyword, keyword);

  set_rule(finding, rule, keyword);
  /* A constraint of the provider schema has no because of a policy rule. */
  const char *because = NULL;
  if (rule)
    because = error->because ? error->because : json_string_value(json_object_get(rule, "because"));
  report_set(&finding->because, because);

  finding->line = at->line ? at->line : resource->line;
  finding->column = at->line ? at->column : resource->column;
}

/* Returns the policy rule that set name among the constraints that an
 * unverified error at the schema node leaves unchecked, or NULL for the
 * provider's. The schemas of items and members go with the error's own
 * keyword: they are structure, not a constraint of the value. */
static json_t *unchecked_owner(json_t *schema, const cfgate_error *error, const char *name) {
  static const char *const structure[] = {"items", "properties", "patternProperties"};
  for (size_t i = 0; i < sizeof structure / sizeof structure[0]; i++)
    if (strcmp(name, structure[i]) == 0)
      name = error->keyword;
  return template_rule_for(schema, error->schema_path, name);
}

/* Adds the unverified findings of an error on a value constraint: one for
 * the constraints that a policy rule set on the node, naming the rule, and
 * one for those that only the provider schema sets. */
static void add_unverified(report_resource *resource, json_t *schema, const tnode *at,
                           const cfgate_error *error) {
  const char *names[UNCHECKED_MAX], *group[UNCHECKED_MAX];
  json_t *owners[UNCHECKED_MAX];
  size_t count = unchecked_keywords(schema, error, at, names);
  int done[UNCHECKED_MAX] = {0};
  char text[600];

  for (size_t i = 0; i < count; i++)
    owners[i] = unchecked_owner(schema, error, names[i]);
  for (size_t i = 0; i < count; i++) {
    if (done[i])
      continue;
    size_t grouped = 0;
    const char *keyword = names[i];
    for (size_t j = i; j < count; j++)
      if (!done[j] && owners[j] == owners[i]) {
        group[grouped++] = names[j];
        done[j] = 1;
        if (strcmp(names[j], error->keyword) == 0)
          keyword = error->keyword; /* the finding keeps the runtime's keyword */
      }
    unverified_message(group, grouped, text, sizeof text);
    add_finding(resource, schema, at, error, keyword, text, "", 1);
  }
}

static void add_error(report_resource *resource, json_t *schema, const tnode *properties,
                      const cfgate_context *context, const cfgate_error *error) {
  const char *pointer = error->instance_path ? error->instance_path : "";
  const tnode *at = template_locate(properties, pointer);
  const char *keyword = error->keyword ? error->keyword : "";

  char decided[600], hidden[300], inside[600], retyped[600];
  const char *text = error->message ? error->message : "invalid value";
  text = name_written_type(error, at, text, retyped, sizeof retyped);
  if (!error->unverified) {
    add_finding(resource, schema, at, error, keyword, text, "", 0);
  } else if (prefix_decides(schema, error, at, context, decided, sizeof decided, &keyword,
                            hidden, sizeof hidden)) {
    add_finding(resource, schema, at, error, keyword, decided, hidden, 0);
  } else if (!is_value_keyword(keyword)) {
    snprintf(inside, sizeof inside,
             "a value inside is unknown before deployment, so %s cannot be checked",
             error->keyword ? error->keyword : "value");
    add_finding(resource, schema, at, error, keyword, inside, "", 1);
  } else {
    add_unverified(resource, schema, at, error);
  }
}

static void add_failure(report_resource *resource, const char *message) {
  if (is_duplicate(resource, "", message))
    return;
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, REPORT_FAILED,
                                               message);
  report_set(&finding->rule_id, "cfgate/failed");
  finding->line = resource->line;
  finding->column = resource->column;
}

/* Counts the errors that the runtime dropped past TEMPLATE_MAX_ERRORS. A
 * dropped error may be a violation, or an unknown value that a known
 * prefix decides, so a resource with no failing finding of its own fails
 * here rather than pass on the errors that were kept. */
static void add_omitted(report_resource *resource, size_t first, size_t omitted) {
  resource->findings_left_out += omitted;
  if (template_limits_resource_fails(resource, first))
    return;

  char message[600];
  snprintf(message, sizeof message,
           "too many findings in resource %.200s (limit is %d): %zu more were not checked, so "
           "the resource is denied",
           resource->logical_id, TEMPLATE_MAX_ERRORS, omitted);
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, REPORT_FAILED,
                                               message);
  report_set(&finding->rule_id, "cfgate/findings");
  finding->line = resource->line;
  finding->column = resource->column;
}

static void collect(report_resource *resource, json_t *schema, const tnode *properties,
                    const cfgate_context *context, cfgate_session *session,
                    cfgate_verdict verdict) {
  size_t first = resource->finding_count;
  size_t count = cfgate_error_count(session);
  for (size_t i = 0; i < count; i++)
    add_error(resource, schema, properties, context, cfgate_error_at(session, i));
  size_t omitted = cfgate_errors_omitted(session);
  if (omitted > 0)
    add_omitted(resource, first, omitted);

  if (verdict == CFGATE_FAILED && count == 0)
    add_failure(resource, "validation failed: a limit was exceeded");
  else if (verdict != CFGATE_VALID && count == 0)
    add_failure(resource, "validation failed without a finding; the resource is denied");
}

static void options_for_check(cfgate_options *options) {
  cfgate_options_default(options);
  options->all_errors = 1;
  options->coerce = 1;
  options->limits.max_errors = TEMPLATE_MAX_ERRORS;
}

/* Hides secrets in the findings from first on whose rule is rule_id (NULL:
 * every finding), then frees them. */
static void hide_in_findings(report_resource *resource, size_t first, secret_list *secrets,
                             const char *rule_id) {
  for (size_t i = first; i < resource->finding_count && secrets->count > 0; i++) {
    const char *rule = resource->findings[i].rule_id;
    if (!rule_id || (rule && strcmp(rule, rule_id) == 0))
      template_hide_secrets(&resource->findings[i], secrets);
  }
  secret_list_fini(secrets);
}

/* Hides the values of write-only properties in the findings from first on:
 * CloudFormation never returns them, and a report is kept in CI logs. */
static void hide_write_only(report_resource *resource, size_t first, json_t *schema,
                            const tnode *properties) {
  secret_list secrets;
  secret_list_init(&secrets);
  secret_list_add_write_only(&secrets, schema, properties);
  hide_in_findings(resource, first, &secrets, NULL);
}

void template_hide_in_write_only_findings(report_resource *resource, size_t first,
                                          json_t *schema, const secret_list *secrets) {
  for (size_t i = first; i < resource->finding_count && secrets->count > 0; i++) {
    report_finding *finding = &resource->findings[i];
    if ((finding->rule_id && strcmp(finding->rule_id, "cfgate/intrinsic") == 0) ||
        secret_write_only_covers(schema, finding->pointer))
      template_hide_secrets(finding, secrets);
  }
}

void template_hide_write_only_text(report_resource *resource, size_t first, json_t *schema,
                                   const tnode *properties) {
  secret_list secrets;
  secret_list_init(&secrets);
  secret_list_add_write_only_literals(&secrets, schema, properties);
  template_hide_in_write_only_findings(resource, first, schema, &secrets);
  secret_list_fini(&secrets);

  secret_list tags;
  secret_list_init(&tags);
  secret_list_add_write_only_tags(&tags, schema, properties);
  hide_in_findings(resource, first, &tags, NULL);
}

void template_hide_secrets(report_finding *finding, const secret_list *secrets) {
  char *masked = secret_mask(secrets, finding->pointer, finding->message);
  if (masked) {
    report_set(&finding->message, masked);
    free(masked);
  }
}

void template_validate(report_resource *resource, const cfgate_validator *validator,
                       json_t *schema, const cfgate_context *context, const tnode *properties) {
  size_t first = resource->finding_count;
  cfgate_options options;
  options_for_check(&options);

  size_t size = cfgate_workspace_size(validator, &options, context);
  void *workspace = malloc(size ? size : 1);
  if (!workspace) {
    add_failure(resource, "out of memory for the validation workspace");
    return;
  }

  cfgate_error error;
  memset(&error, 0, sizeof error);
  cfgate_session *session = cfgate_session_init(workspace, size, validator, &options, context,
                                                &error);
  if (!session) {
    char message[600];
    snprintf(message, sizeof message, "validation could not start: %s",
             error.message ? error.message : "unknown error");
    add_failure(resource, message);
  } else {
    template_emit(session, properties);
    collect(resource, schema, properties, context, session, cfgate_finish(session));
  }
  free(workspace);
  hide_write_only(resource, first, schema, properties);
}
