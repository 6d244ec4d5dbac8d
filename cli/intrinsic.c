/*
 * Intrinsic resolution: the walk over a value, Ref, and the dispatch to one
 * helper per Fn:: function.
 */
#include "intrinsic.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "intrinsic_text.h"
#include "suggest.h"
#include "template_load.h"
#include "template_tags.h"
#include "utf8.h"

const tnode intrinsic_no_value = {.kind = TNODE_NULL, .text = "AWS::NoValue"};

typedef const tnode *(*intrinsic_fn)(intrinsic_context *, const tnode *, const tnode *);

typedef struct intrinsic_entry {
  const char *name;
  intrinsic_fn resolve; /* NULL: the value is unknown offline */
  const char *unknown_reason;
  int is_string; /* 1: the unknown value is always a string */
} intrinsic_entry;

static const intrinsic_entry intrinsic_table[] = {
  {"Fn::Sub", intrinsic_sub, NULL, 0},
  {"Fn::Join", intrinsic_join, NULL, 0},
  {"Fn::Select", intrinsic_select, NULL, 0},
  {"Fn::Split", intrinsic_split, NULL, 0},
  {"Fn::FindInMap", intrinsic_find_in_map, NULL, 0},
  {"Fn::Base64", intrinsic_base64, NULL, 0},
  {"Fn::If", intrinsic_if, NULL, 0},
  {"Fn::GetAtt", intrinsic_get_att, NULL, 0},
  {"Fn::ImportValue", NULL, "Fn::ImportValue reads another stack's export", 1},
  {"Fn::GetAZs", NULL, "Fn::GetAZs depends on the account and region", 0},
  {"Fn::GetStackOutput", NULL, "Fn::GetStackOutput reads another stack's output", 0},
  {"Fn::Cidr", intrinsic_cidr, NULL, 0},
  {"Fn::Transform", NULL, "Fn::Transform runs a macro at deployment", 0},
  {"Fn::Length", intrinsic_length, NULL, 0},
  {"Fn::ToJsonString", intrinsic_to_json_string, NULL, 0},
};

const tnode *intrinsic_fail(intrinsic_context *ctx, const tnode *node, const char *format, ...) {
  va_list args;
  va_start(args, format);
  ctx->error.line = node ? node->line : 0;
  ctx->error.column = node ? node->column : 0;
  ctx->error.limit = 0;
  vsnprintf(ctx->error.message, sizeof ctx->error.message, format, args);
  va_end(args);
  return NULL;
}

void intrinsic_unknown_function_message(const char *name, char *out, size_t size) {
  suggest closest;
  char hint[200];
  suggest_init(&closest, name);
  template_function_suggest(&closest);
  suggest_format(&closest, hint, sizeof hint);
  snprintf(out, size, "unknown intrinsic function '%.*s'%s: CloudFormation rejects it",
           (int)utf8_cut(name, strlen(name), 100), name, hint);
}

const tnode *intrinsic_unknown_function(intrinsic_context *ctx, const tnode *where,
                                        const char *name) {
  char message[400];
  intrinsic_unknown_function_message(name, message, sizeof message);
  return intrinsic_fail(ctx, where, "%s", message);
}

const tnode *intrinsic_fail_limit(intrinsic_context *ctx, const tnode *node, const char *what) {
  intrinsic_fail(ctx, node, "too many nested %s (limit is %d)", what, INTRINSIC_MAX_DEPTH);
  ctx->error.limit = 1;
  return NULL;
}

const char *intrinsic_scalar_text(const tnode *node) {
  if (!node)
    return NULL;
  if (node->kind == TNODE_BOOL) /* YAML's True and TRUE are the boolean true */
    return node->boolean ? "true" : "false";
  if (node->kind == TNODE_STRING || node->kind == TNODE_NUMBER)
    return node->text;
  return NULL;
}

tnode *intrinsic_new_array(intrinsic_context *ctx, tnode_arena *arena, const tnode *where,
                           size_t capacity) {
  tnode *list = tnode_new(arena, TNODE_ARRAY, where->line, where->column);
  if (list)
    list->items = tnode_alloc(arena, capacity * sizeof *list->items);
  if (!list || !list->items) {
    intrinsic_fail(ctx, where, "out of memory");
    return NULL;
  }
  return list;
}

static const tnode *unknown_at(intrinsic_context *ctx, const tnode *where, const char *format,
                               ...) __attribute__((format(printf, 3, 4)));

static const tnode *unknown_at(intrinsic_context *ctx, const tnode *where, const char *format,
                               ...) {
  char reason[600];
  va_list args;
  va_start(args, format);
  vsnprintf(reason, sizeof reason, format, args);
  va_end(args);

  const tnode *node = tnode_new_unknown(ctx->arena, reason, where->line, where->column);
  return node ? node : intrinsic_fail(ctx, where, "out of memory");
}

/* Returns an unknown node for a value that is always a string, such as a
 * Ref to a resource, so the type of the property is still checked. */
static const tnode *unknown_string_at(intrinsic_context *ctx, const tnode *where,
                                      const char *reason) {
  tnode *node = (tnode *)unknown_at(ctx, where, "%s", reason);
  if (node && node->kind == TNODE_UNKNOWN)
    node->unknown_string = 1;
  return node;
}

static const tnode *string_at(intrinsic_context *ctx, const tnode *where, const char *text) {
  const tnode *node = tnode_new_string(ctx->arena, text, strlen(text), where->line, where->column);
  return node ? node : intrinsic_fail(ctx, where, "out of memory");
}

typedef struct intrinsic_pseudo {
  const char *name;
  const char *option; /* command-line option that sets it; NULL: known only at deployment */
} intrinsic_pseudo;

static const intrinsic_pseudo intrinsic_pseudos[] = {
  {"AWS::AccountId", "--account-id"},
  {"AWS::Region", "--region"},
  {"AWS::Partition", "--partition or --region"},
  {"AWS::URLSuffix", "--partition or --region"},
  {"AWS::StackName", "--stack-name"},
  {"AWS::StackId", "--stack-id"},
  {"AWS::NotificationARNs", NULL},
};

static const char *pseudo_value(const intrinsic_context *ctx, const char *name) {
  if (strcmp(name, "AWS::AccountId") == 0)
    return ctx->account_id;
  if (strcmp(name, "AWS::Region") == 0)
    return ctx->region;
  if (strcmp(name, "AWS::Partition") == 0)
    return ctx->partition;
  if (strcmp(name, "AWS::URLSuffix") == 0)
    return ctx->url_suffix;
  if (strcmp(name, "AWS::StackName") == 0)
    return ctx->stack_name;
  if (strcmp(name, "AWS::StackId") == 0)
    return ctx->stack_id;
  return NULL;
}

static const intrinsic_pseudo *pseudo_find(const char *name) {
  for (size_t i = 0; i < sizeof intrinsic_pseudos / sizeof intrinsic_pseudos[0]; i++)
    if (strcmp(intrinsic_pseudos[i].name, name) == 0)
      return &intrinsic_pseudos[i];
  return NULL;
}

static const tnode *pseudo_ref(intrinsic_context *ctx, const intrinsic_pseudo *pseudo,
                               const tnode *where) {
  const char *value = pseudo_value(ctx, pseudo->name);
  if (value)
    return string_at(ctx, where, value);

  char reason[200];
  if (!pseudo->option)
    return unknown_at(ctx, where, "%s is known only after deployment", pseudo->name);
  snprintf(reason, sizeof reason, "%s is not given (pass %s)", pseudo->name, pseudo->option);
  return unknown_string_at(ctx, where, reason);
}

static const char *parameter_override(const intrinsic_context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->parameter_override_count; i++)
    if (strcmp(ctx->parameter_overrides[i].name, name) == 0)
      return ctx->parameter_overrides[i].value;
  return NULL;
}

/* List parameters (CommaDelimitedList, List<...>) resolve to arrays. */
static int parameter_is_list(const tnode *parameter) {
  const tnode *type = tnode_get(parameter, "Type");
  if (!type || type->kind != TNODE_STRING)
    return 0;
  return strcmp(type->text, "CommaDelimitedList") == 0 || strncmp(type->text, "List<", 5) == 0;
}

const char *intrinsic_list_member(const char *text, size_t *len, const char **next) {
  size_t end = strcspn(text, ",");
  *next = text[end] ? text + end + 1 : NULL;
  while (end && *text == ' ') {
    text++;
    end--;
  }
  while (end && text[end - 1] == ' ')
    end--;
  *len = end;
  return text;
}

static const tnode *split_list(intrinsic_context *ctx, const tnode *where, const char *text) {
  size_t count = 1;
  for (const char *p = text; *p; p++)
    count += *p == ',';
  tnode *list = intrinsic_new_array(ctx, ctx->arena, where, count);
  if (!list)
    return NULL;

  const char *next = text;
  for (size_t i = 0; i < count; i++) {
    size_t len = 0;
    const char *member = intrinsic_list_member(next, &len, &next);
    list->items[i] = tnode_new_string(ctx->arena, member, len, where->line, where->column);
    if (!list->items[i])
      return intrinsic_fail(ctx, where, "out of memory");
  }
  list->count = count;
  return list;
}

/* The value of an AWS::SSM::Parameter::Value<...> parameter is read from
 * Systems Manager at deployment: its Default and --parameter value are the
 * SSM parameter name, not the value. */
static int parameter_is_ssm(const tnode *parameter) {
  const tnode *type = tnode_get(parameter, "Type");
  if (!type || type->kind != TNODE_STRING)
    return 0;
  return strncmp(type->text, "AWS::SSM::Parameter::", 21) == 0;
}

/* Returns the AllowedValues array of a parameter when it is a non-empty
 * list of scalars, else NULL. */
static const tnode *parameter_allowed(const tnode *parameter) {
  const tnode *allowed = tnode_get(parameter, "AllowedValues");
  if (!allowed || allowed->kind != TNODE_ARRAY || allowed->count == 0)
    return NULL;

  for (size_t i = 0; i < allowed->count; i++)
    if (!intrinsic_scalar_text(allowed->items[i]))
      return NULL;
  return allowed;
}

/* Returns the key of the parameter in the Parameters section, which lives
 * as long as the template, unlike a name built by Fn::Sub. */
static const char *parameter_key(const intrinsic_context *ctx, const char *name) {
  const tnode *parameters = ctx->parameters;
  for (size_t i = 0; parameters->kind == TNODE_OBJECT && i < parameters->count; i++)
    if (strcmp(parameters->members[i].key, name) == 0)
      return parameters->members[i].key;
  return name;
}

/* Appends the items of list to text, joined with commas, as a deployment
 * passes a list parameter. Returns 0 when an item is not a scalar. */
static int join_items(const tnode *list, intrinsic_text *text) {
  intrinsic_text_append(text, "", 0); /* an empty list is the empty string */
  for (size_t i = 0; i < list->count; i++) {
    const char *item = intrinsic_scalar_text(list->items[i]);
    if (!item)
      return 0;
    intrinsic_text_append(text, ",", i ? 1 : 0);
    intrinsic_text_append(text, item, strlen(item));
  }
  return 1;
}

/* Returns the text of a parameter's Default: a scalar as written, a list's
 * items joined with commas in text. NULL when there is no Default, it is
 * neither of these, or text overflowed. */
static const char *parameter_default(const tnode *parameter, intrinsic_text *text) {
  const tnode *fallback = tnode_get(parameter, "Default");
  if (!fallback || fallback->kind != TNODE_ARRAY)
    return intrinsic_scalar_text(fallback);
  return join_items(fallback, text) && !text->overflow ? text->data : NULL;
}

/* Returns 1 when text is one of the values of list. */
static int list_has_text(const tnode *list, const char *text) {
  for (size_t i = 0; i < list->count; i++)
    if (strcmp(intrinsic_scalar_text(list->items[i]), text) == 0)
      return 1;
  return 0;
}

/* The arena for values that outlive one resolution pass. */
static tnode_arena *lasting_arena(const intrinsic_context *ctx) {
  return ctx->lasting_arena ? ctx->lasting_arena : ctx->arena;
}

/* Appends text as a string value to choices unless it is there already.
 * Returns 0 when out of memory. */
static int choices_add(intrinsic_context *ctx, tnode *choices, const char *text,
                       const tnode *where) {
  if (!text || list_has_text(choices, text))
    return 1;

  choices->items[choices->count] = tnode_new_string(lasting_arena(ctx), text, strlen(text),
                                                    where->line, where->column);
  return choices->items[choices->count++] != NULL;
}

/* Returns the values checked for a list parameter with AllowedValues:
 * each allowed item as a list of one item, its Default, the list of all
 * allowed items, and that list twice over. So a count limit, a repeated
 * item or a finding that needs two items together is found. The list is in
 * the lasting arena, because the caller enumerates it over several passes. */
static const tnode *list_choices(intrinsic_context *ctx, const tnode *parameter,
                                 const tnode *allowed) {
  tnode *choices = intrinsic_new_array(ctx, lasting_arena(ctx), allowed, allowed->count + 3);
  if (!choices)
    return NULL;

  for (size_t i = 0; i < allowed->count; i++)
    if (!list_has_text(choices, intrinsic_scalar_text(allowed->items[i])))
      choices->items[choices->count++] = allowed->items[i];

  intrinsic_text fallback, every, twice;
  intrinsic_text_init(&fallback);
  intrinsic_text_init(&every);
  intrinsic_text_init(&twice);
  join_items(allowed, &every);
  join_items(allowed, &twice);
  intrinsic_text_append(&twice, ",", 1);
  join_items(allowed, &twice);
  const char *deployed = parameter_default(parameter, &fallback);
  int too_long = every.overflow || fallback.overflow || twice.overflow;
  int added = !too_long && choices_add(ctx, choices, deployed, allowed) &&
              choices_add(ctx, choices, every.data, allowed) &&
              choices_add(ctx, choices, twice.data, allowed);
  intrinsic_text_fini(&fallback);
  intrinsic_text_fini(&every);
  intrinsic_text_fini(&twice);
  if (too_long)
    return intrinsic_fail(ctx, allowed, "list of all allowed items too long (limit is %d bytes)",
                          INTRINSIC_MAX_STRING);
  return added ? choices : intrinsic_fail(ctx, allowed, "out of memory");
}

/* Records a parameter met past INTRINSIC_MAX_CHOICES, once, up to
 * INTRINSIC_MAX_EXTRA_CHOICES of them. */
static void record_extra_choice(intrinsic_context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->extra_choice_count; i++)
    if (strcmp(ctx->extra_choice_names[i], name) == 0)
      return;

  if (ctx->extra_choice_count < INTRINSIC_MAX_EXTRA_CHOICES)
    ctx->extra_choice_names[ctx->extra_choice_count++] = name;
}

/* Records a parameter whose values the caller enumerates: its AllowedValues,
 * or for a list parameter the lists of list_choices(). Returns 0 when out
 * of memory. */
static int record_open_choice(intrinsic_context *ctx, const char *name, const tnode *parameter,
                              const tnode *allowed) {
  name = parameter_key(ctx, name);
  for (size_t i = 0; i < ctx->open_choice_count; i++)
    if (strcmp(ctx->open_choice_names[i], name) == 0)
      return 1;

  if (ctx->open_choice_count == INTRINSIC_MAX_CHOICES) {
    ctx->too_many_choices = 1;
    record_extra_choice(ctx, name);
    return 1;
  }
  const tnode *choices = parameter_is_list(parameter) ? list_choices(ctx, parameter, allowed)
                                                      : allowed;
  if (!choices)
    return 0;
  ctx->open_choice_names[ctx->open_choice_count] = name;
  ctx->open_choice_is_list[ctx->open_choice_count] = parameter_is_list(parameter);
  ctx->open_choice_allowed[ctx->open_choice_count++] = choices;
  return 1;
}

/* Returns the value assumed for a parameter with AllowedValues, since any
 * of them can be deployed, in *text. A parameter met for the first time is
 * recorded for enumeration and takes its Default or first allowed value
 * meanwhile. *text stays NULL for a parameter without usable
 * AllowedValues. Returns 0 when out of memory.
 * NOTE: a list parameter is checked with each allowed item alone, its
 * Default, all allowed items together and all of them twice over. Other
 * lists that a deployment can pass are not checked: other orders, other
 * subsets of two or more items, and lists longer than twice the allowed
 * items. A finding that only such a list produces is not found. */
static int parameter_choice(intrinsic_context *ctx, const char *name, const tnode *parameter,
                            const char **text) {
  const tnode *allowed = parameter_allowed(parameter);
  *text = NULL;
  if (!allowed)
    return 1;

  for (size_t i = 0; i < ctx->choice_count; i++)
    if (strcmp(ctx->choice_names[i], name) == 0) {
      *text = ctx->choice_values[i];
      return 1;
    }

  if (!record_open_choice(ctx, name, parameter, allowed))
    return 0;
  *text = intrinsic_scalar_text(tnode_get(parameter, "Default"));
  if (!*text)
    *text = intrinsic_scalar_text(allowed->items[0]);
  return 1;
}

/* Returns the unknown value of a parameter: a string unless its type is a
 * list (List<...>, CommaDelimitedList, or an SSM parameter of such a type). */
static const tnode *parameter_unknown(intrinsic_context *ctx, const char *name,
                                      const tnode *parameter, const tnode *where,
                                      const char *reason) {
  const tnode *type = tnode_get(parameter, "Type");
  int is_list = type && type->kind == TNODE_STRING &&
                (strstr(type->text, "List") != NULL || parameter_is_list(parameter));
  char text[500];

  snprintf(text, sizeof text, "parameter %.*s %s", (int)utf8_cut(name, strlen(name), 100), name,
           reason);
  if (is_list)
    return unknown_at(ctx, where, "%s", text);
  return unknown_string_at(ctx, where, text);
}

/* Returns 1 when each member of text (the whole text for a parameter that
 * is not a list) is one of the allowed values, else 0 with the first
 * member that is not in *bad and *bad_len. */
static int parameter_value_allowed(const tnode *parameter, const tnode *allowed,
                                   const char *text, const char **bad, size_t *bad_len) {
  int is_list = parameter_is_list(parameter);
  const char *next = text;

  while (next) {
    size_t len = strlen(next);
    const char *item = next;
    if (is_list)
      item = intrinsic_list_member(next, &len, &next);
    else
      next = NULL;

    int found = 0;
    for (size_t i = 0; i < allowed->count && !found; i++) {
      const char *value = intrinsic_scalar_text(allowed->items[i]);
      found = strlen(value) == len && strncmp(value, item, len) == 0;
    }
    if (!found) {
      *bad = item;
      *bad_len = len;
      return 0;
    }
  }
  return 1;
}

/* Checks that the AllowedValues of a parameter is a non-empty list of
 * values and contains the --parameter value, as CloudFormation requires. */
static const tnode *parameter_check_allowed(intrinsic_context *ctx, const char *name,
                                            const tnode *parameter, const tnode *where) {
  const tnode *allowed = tnode_get(parameter, "AllowedValues");
  const char *text = parameter_override(ctx, name);

  if (!allowed)
    return where;
  if (!parameter_allowed(parameter))
    return intrinsic_fail(ctx, allowed, "parameter %s has AllowedValues that is not a non-empty "
                          "list of strings, numbers or booleans", name);
  const char *bad = NULL;
  size_t bad_len = 0;
  if (!text || parameter_value_allowed(parameter, allowed, text, &bad, &bad_len))
    return where;
  /* A value that is a number may be the text CloudFormation gives a number
   * among them (1.1 for 1.10), so the deployment may accept it. */
  if (template_is_json_number(bad, bad_len) && intrinsic_rewritten_number(allowed))
    return where;
  if (parameter_is_list(parameter))
    return intrinsic_fail(ctx, where, "--parameter %s=%s: item '%.*s' is not one of the "
                          "parameter's AllowedValues", name, text, (int)bad_len, bad);
  return intrinsic_fail(ctx, where, "--parameter %s=%s is not one of the parameter's "
                        "AllowedValues", name, text);
  return where;
}

/* Returns the unknown value of a parameter without a --parameter value or
 * AllowedValues. A deployment can pass any value, so its Default is only
 * one of them. */
static const tnode *parameter_open(intrinsic_context *ctx, const char *name,
                                   const tnode *parameter, const tnode *where) {
  intrinsic_text text;
  intrinsic_text_init(&text);
  const char *fallback = parameter_default(parameter, &text);
  char reason[400] = "has no default and no --parameter value";

  if (fallback) {
    size_t shown_len = utf8_cut(fallback, strlen(fallback), 80);
    snprintf(reason, sizeof reason,
             "can be given any value at deployment (Default '%.*s%s'; pass --parameter "
             "%.*s=VALUE to check one)",
             (int)shown_len, fallback, fallback[shown_len] ? "..." : "",
             (int)utf8_cut(name, strlen(name), 100), name);
  }
  intrinsic_text_fini(&text);
  return parameter_unknown(ctx, name, parameter, where, reason);
}

/* Returns the unknown value of a parameter whose AllowedValues or Default
 * has a value not known offline (a plain YAML 0777 in the YAML 1.1
 * reading, or a number whose text CloudFormation may write otherwise, such
 * as 10.10), or NULL when it has none. A parameter value is a string, and
 * CloudFormation does not document the text it gives such a number. */
static const tnode *parameter_unreadable(intrinsic_context *ctx, const char *name,
                                         const tnode *parameter, const tnode *where) {
  static const char *const fields[] = {"AllowedValues", "Default"};
  char reason[400];

  /* A --parameter value replaces the Default, but it must be among the
   * AllowedValues. It is the deployed value whatever text a number among
   * them gets, so such a number leaves it known. */
  int overridden = parameter_override(ctx, name) != NULL;
  size_t count = overridden ? 1 : 2;
  for (size_t i = 0; i < count; i++) {
    const tnode *field = tnode_get(parameter, fields[i]);
    const tnode *unknown = tnode_find_unknown(field);
    const tnode *number = overridden ? NULL : intrinsic_rewritten_number(field);
    char why[300];
    if (unknown)
      snprintf(why, sizeof why, "%s", unknown->text);
    else if (number)
      intrinsic_number_reason(number, why, sizeof why);
    else
      continue;
    snprintf(reason, sizeof reason, "has %s %s that is not known offline (%s)",
             i == 0 ? "an" : "a", i == 0 ? "AllowedValues item" : "Default", why);
    return parameter_unknown(ctx, name, parameter, where, reason);
  }
  return NULL;
}

/* Returns 1 when the --parameter value of a parameter is not among its
 * AllowedValues. */
static int parameter_override_rejected(intrinsic_context *ctx, const char *name,
                                       const tnode *parameter) {
  const tnode *allowed = tnode_get(parameter, "AllowedValues");
  const char *text = parameter_override(ctx, name);
  const char *bad = NULL;
  size_t bad_len = 0;

  return text && allowed && parameter_allowed(parameter) &&
         !parameter_value_allowed(parameter, allowed, text, &bad, &bad_len);
}

static const tnode *parameter_value(intrinsic_context *ctx, const char *name,
                                    const tnode *parameter, const tnode *where) {
  const tnode *unreadable = parameter_unreadable(ctx, name, parameter, where);
  if (unreadable)
    return unreadable;
  /* The first reading checks a --parameter value against AllowedValues.
   * In the YAML 1.1 reading a value outside them (n, where [y, n] reads as
   * [true, false]) is unknown, because readers that keep y and n as strings
   * deploy it. Its conditions are then undecidable, so both sides are
   * checked. */
  if (ctx->yaml11_reading && parameter_override_rejected(ctx, name, parameter))
    return parameter_unknown(ctx, name, parameter, where,
                             "has a --parameter value outside its AllowedValues as YAML 1.1 "
                             "reads them");
  if (!parameter_check_allowed(ctx, name, parameter, where))
    return NULL;
  const char *override = parameter_override(ctx, name);
  if (override && !intrinsic_parameter_limits(ctx, name, parameter, override, where))
    return NULL;
  if (parameter_is_ssm(parameter))
    return parameter_unknown(ctx, name, parameter, where,
                             "is read from SSM Parameter Store at deployment");

  const char *text = parameter_override(ctx, name);
  if (!text && !parameter_choice(ctx, name, parameter, &text))
    return NULL;
  if (!text)
    return parameter_open(ctx, name, parameter, where);

  if (parameter_is_list(parameter))
    return split_list(ctx, where, text);
  return string_at(ctx, where, text);
}

/* Resolves a Ref or an Fn::Sub variable to name. sub_variable words the
 * error of an undefined name as the variable's. */
static const tnode *ref_or_variable(intrinsic_context *ctx, const char *name, const tnode *where,
                                    int sub_variable) {
  if (strcmp(name, "AWS::NoValue") == 0)
    return &intrinsic_no_value;

  const intrinsic_pseudo *pseudo = pseudo_find(name);
  if (pseudo)
    return pseudo_ref(ctx, pseudo, where);

  const tnode *parameter = tnode_get(ctx->parameters, name);
  if (parameter)
    return parameter_value(ctx, name, parameter, where);
  if (intrinsic_names_resource(ctx->resources, name, strlen(name))) {
    char reason[400];
    snprintf(reason, sizeof reason, "Ref to resource %.300s is known only after deployment",
             name);
    return unknown_string_at(ctx, where, reason);
  }
  if (ctx->parameters && ctx->parameters->kind == TNODE_UNKNOWN)
    return unknown_at(ctx, where, "%s", ctx->parameters->text);
  const char *problem = intrinsic_ref_problem(ctx->parameters, ctx->resources, name);
  if (sub_variable)
    return intrinsic_fail(ctx, where, "Fn::Sub variable '%s', %s", name, problem);
  return intrinsic_fail(ctx, where, "Ref to '%s', %s", name, problem);
}

const tnode *intrinsic_ref(intrinsic_context *ctx, const char *name, const tnode *where) {
  return ref_or_variable(ctx, name, where, 0);
}

const tnode *intrinsic_sub_variable_ref(intrinsic_context *ctx, const char *name,
                                        const tnode *where) {
  return ref_or_variable(ctx, name, where, 1);
}

/* Returns 1 when resources has a module (type NAME::MODULE) whose logical
 * ID starts name. A module adds resources named with that prefix at
 * deployment, which only the processed template shows. */
static int module_may_define(const tnode *resources, const char *name, size_t len) {
  for (size_t i = 0; resources && resources->kind == TNODE_OBJECT && i < resources->count; i++) {
    const tnode_member *member = &resources->members[i];
    const tnode *type = tnode_get(member->value, "Type");
    if (!type || type->kind != TNODE_STRING || type->len <= 8 ||
        strcmp(type->text + type->len - 8, "::MODULE") != 0)
      continue;
    if (member->key_len < len && memcmp(member->key, name, member->key_len) == 0)
      return 1;
  }
  return 0;
}

/* Returns 1 when name[0..len) matches pattern, an Fn::ForEach output key
 * whose ${Id} and &{Id} parts stand for any text. */
static int output_key_matches(const char *pattern, const char *name, size_t len) {
  while (*pattern) {
    if ((pattern[0] == '$' || pattern[0] == '&') && pattern[1] == '{') {
      const char *close = strchr(pattern + 2, '}');
      if (close) {
        for (size_t skip = 0; skip <= len; skip++)
          if (output_key_matches(close + 1, name + skip, len - skip))
            return 1;
        return 0;
      }
    }
    if (len == 0 || *pattern != *name)
      return 0;
    pattern++;
    name++;
    len--;
  }
  return len == 0;
}

/* Returns 1 when an output key of the Fn::ForEach loops among members (a
 * section, or the output map of an outer loop) can be name[0..len). */
static int loops_may_define(const tnode *members, const char *name, size_t len, int loops_only) {
  for (size_t i = 0; members && members->kind == TNODE_OBJECT && i < members->count; i++) {
    const tnode_member *member = &members->members[i];
    if (strncmp(member->key, "Fn::ForEach::", 13) != 0) {
      if (!loops_only && output_key_matches(member->key, name, len))
        return 1;
      continue;
    }
    const tnode *loop = member->value;
    if (loop->kind == TNODE_ARRAY && loop->count == 3 &&
        loops_may_define(loop->items[2], name, len, 0))
      return 1;
  }
  return 0;
}

int intrinsic_foreach_may_define(const tnode *section, const char *name, size_t len) {
  return loops_may_define(section, name, len, 1);
}

int intrinsic_names_resource(const tnode *resources, const char *name, size_t len) {
  for (size_t i = 0; resources && resources->kind == TNODE_OBJECT && i < resources->count; i++)
    if (resources->members[i].key_len == len && memcmp(resources->members[i].key, name, len) == 0)
      return 1;
  return module_may_define(resources, name, len) ||
         intrinsic_foreach_may_define(resources, name, len);
}

const char *intrinsic_ref_problem(const tnode *parameters, const tnode *resources,
                                  const char *name) {
  if (strcmp(name, "AWS::NoValue") == 0 || pseudo_find(name) || tnode_get(parameters, name) ||
      intrinsic_names_resource(resources, name, strlen(name)))
    return NULL;
  if (strncmp(name, "AWS::", 5) == 0)
    return "which is not a pseudo parameter";
  if (parameters && parameters->kind == TNODE_UNKNOWN)
    return NULL; /* the YAML 1.1 reading of a parameter name such as 0777 */
  return "which is not a parameter or resource";
}

static const tnode *resolve_ref(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  const tnode *target = intrinsic_value(ctx, args);
  if (!target || target->kind == TNODE_UNKNOWN)
    return target;
  if (target->kind != TNODE_STRING)
    return intrinsic_fail(ctx, args, "Ref expects a name, found %s", tnode_kind_name(target->kind));
  return intrinsic_ref(ctx, target->text, call);
}

static const tnode *resolve_call(intrinsic_context *ctx, const tnode *call) {
  const tnode_member *member = &call->members[0];
  if (strcmp(member->key, "Ref") == 0)
    return resolve_ref(ctx, call, member->value);

  for (size_t i = 0; i < sizeof intrinsic_table / sizeof intrinsic_table[0]; i++) {
    const intrinsic_entry *entry = &intrinsic_table[i];
    if (strcmp(member->key, entry->name) != 0)
      continue;
    if (entry->resolve)
      return entry->resolve(ctx, call, member->value);
    if (entry->is_string)
      return unknown_string_at(ctx, call, entry->unknown_reason);
    return unknown_at(ctx, call, "%s", entry->unknown_reason);
  }
  if (!template_function_is_known(member->key))
    return intrinsic_unknown_function(ctx, call, member->key);
  return unknown_at(ctx, call, "%s is not resolved offline", member->key);
}

static const tnode *resolve_array(intrinsic_context *ctx, const tnode *node) {
  tnode *copy = intrinsic_new_array(ctx, ctx->arena, node, node->count + 1);
  if (!copy)
    return NULL;

  for (size_t i = 0; i < node->count; i++) {
    const tnode *item = intrinsic_resolve(ctx, node->items[i]);
    if (!item)
      return NULL;
    if (item != &intrinsic_no_value)
      copy->items[copy->count++] = (tnode *)item;
  }
  return copy;
}

static const tnode *resolve_object(intrinsic_context *ctx, const tnode *node) {
  tnode *copy = tnode_new(ctx->arena, TNODE_OBJECT, node->line, node->column);
  if (copy)
    copy->members = tnode_alloc(ctx->arena, (node->count + 1) * sizeof *copy->members);
  if (!copy || !copy->members)
    return intrinsic_fail(ctx, node, "out of memory");

  for (size_t i = 0; i < node->count; i++) {
    const tnode *value = intrinsic_resolve(ctx, node->members[i].value);
    if (!value)
      return NULL;
    if (value == &intrinsic_no_value)
      continue;
    copy->members[copy->count] = node->members[i];
    copy->members[copy->count++].value = (tnode *)value;
  }
  return copy;
}

static const tnode *resolve_value(intrinsic_context *ctx, const tnode *node) {
  if (tnode_is_call(node))
    return resolve_call(ctx, node);

  switch (node->kind) {
  case TNODE_ARRAY:
    return resolve_array(ctx, node);
  case TNODE_OBJECT:
    return resolve_object(ctx, node);
  default:
    return node;
  }
}

/* Counts every level of arrays, objects and calls, the same levels as the
 * runtime's max_depth (64 by default), so the message names what was nested. */
const tnode *intrinsic_resolve(intrinsic_context *ctx, const tnode *node) {
  if (ctx->depth >= INTRINSIC_MAX_DEPTH && tnode_is_call(node))
    return intrinsic_fail_limit(ctx, node, "intrinsic functions, arrays and objects");
  if (ctx->depth >= INTRINSIC_MAX_DEPTH)
    return intrinsic_fail_limit(ctx, node, "arrays and objects");

  ctx->depth++;
  const tnode *result = resolve_value(ctx, node);
  ctx->depth--;
  return result;
}
