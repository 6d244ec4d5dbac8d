/*
 * Values that intrinsic functions derive from a NoEcho parameter in a form
 * that masking cannot find in a message, hidden as a whole.
 */
#include <stdio.h>
#include <string.h>

#include "secret_mask.h"

enum {
  DERIVED_POINTER_SIZE = 1024, /* bytes of a pointer a derived value is hidden under */
  DERIVED_MAX_NAMES = 16       /* NoEcho parameters named in one note */
};

typedef struct derived_walk {
  secret_list *list;
  const tnode *parameters;
  const char *names[DERIVED_MAX_NAMES]; /* NoEcho parameters that opaque calls read */
  size_t name_count;
} derived_walk;

/* Returns 1 for a call whose result shows a NoEcho value only as the value
 * itself, joined with other text, or in the escapes of Fn::ToJsonString,
 * which masking finds. The condition functions return a boolean and their
 * errors quote no value, so an error inside one is hidden only when it is
 * inside an opaque call there. Any other call is opaque: masking cannot
 * find what it derives from a NoEcho value. */
static int keeps_value_text(const char *function) {
  static const char *const functions[] = {"Ref", "Fn::Sub", "Fn::Join", "Fn::If",
                                          "Fn::ToJsonString", "Fn::Equals", "Fn::And",
                                          "Fn::Or", "Fn::Not"};
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
    if (strcmp(function, functions[i]) == 0)
      return 1;
  return 0;
}

static void note_name(derived_walk *walk, const char *name) {
  for (size_t i = 0; i < walk->name_count; i++)
    if (strcmp(walk->names[i], name) == 0)
      return;
  if (walk->name_count < DERIVED_MAX_NAMES)
    walk->names[walk->name_count++] = name;
}

/* Records the NoEcho parameters that node reads: a Ref to one, or an
 * Fn::Sub text with ${Name}. Any string with ${Name} counts, so a Sub text
 * in any position is covered. */
static void note_reads(derived_walk *walk, const tnode *node) {
  const tnode *parameters = walk->parameters;
  if (node->kind == TNODE_STRING) {
    for (size_t i = 0; i < parameters->count; i++) {
      const tnode_member *parameter = &parameters->members[i];
      if (!secret_is_no_echo(parameter->value))
        continue;
      char variable[DERIVED_POINTER_SIZE];
      if ((size_t)snprintf(variable, sizeof variable, "${%s}", parameter->key) >= sizeof variable)
        continue;
      if (strstr(node->text, variable))
        note_name(walk, parameter->key);
    }
  } else if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      note_reads(walk, node->items[i]);
  } else if (node->kind == TNODE_OBJECT) {
    const tnode *ref = node->count == 1 ? tnode_get(node, "Ref") : NULL;
    const tnode *target =
        ref && ref->kind == TNODE_STRING ? tnode_get(parameters, ref->text) : NULL;
    if (target && secret_is_no_echo(target))
      note_name(walk, ref->text);
    for (size_t i = 0; i < node->count; i++)
      note_reads(walk, node->members[i].value);
  }
}

/* Records the NoEcho parameters that the arguments of the opaque calls at
 * or below node read. */
static void note_opaque_reads(derived_walk *walk, const tnode *node) {
  if (tnode_is_call(node) && !keeps_value_text(node->members[0].key)) {
    note_reads(walk, node->members[0].value);
    return;
  }
  if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      note_opaque_reads(walk, node->items[i]);
  } else if (node->kind == TNODE_OBJECT) {
    for (size_t i = 0; i < node->count; i++)
      note_opaque_reads(walk, node->members[i].value);
  }
}

/* Adds every scalar at or below value, hidden in the findings at or below
 * pointer. */
static void add_values(secret_list *list, const tnode *value, const char *reason,
                       const char *pointer) {
  if (value->kind == TNODE_UNKNOWN && value->plain)
    secret_list_add(list, value->plain, strlen(value->plain), reason, pointer);
  if (value->kind == TNODE_UNKNOWN && value->known_prefix)
    secret_list_add_quoted(list, value->known_prefix, value->known_prefix_len, reason, pointer);
  if (value->kind == TNODE_STRING || value->kind == TNODE_NUMBER) {
    secret_list_add_quoted(list, value->text, value->len, reason, pointer);
  } else if (value->kind == TNODE_BOOL) {
    const char *text = value->boolean ? "true" : "false";
    secret_list_add_quoted(list, text, strlen(text), reason, pointer);
  } else if (value->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < value->count; i++)
      add_values(list, value->items[i], reason, pointer);
  } else if (value->kind == TNODE_OBJECT) {
    for (size_t i = 0; i < value->count; i++)
      add_values(list, value->members[i].value, reason, pointer);
  }
}

/* Hides value at pointer when written (its unresolved form) contains an
 * opaque call that reads a NoEcho parameter. The items of a list are
 * hidden with the list, because an item that resolves to AWS::NoValue
 * shifts the pointers of those after it. */
static void hide_derived(derived_walk *walk, const tnode *written, const tnode *value,
                         const char *pointer) {
  walk->name_count = 0;
  note_opaque_reads(walk, written);

  for (size_t i = 0; i < walk->name_count; i++) {
    char reason[160];
    snprintf(reason, sizeof reason, "NoEcho parameter %.100s", walk->names[i]);
    add_values(walk->list, value, reason, pointer);
  }
}

static void walk_properties(derived_walk *walk, const tnode *written, const tnode *value,
                            const char *pointer) {
  if (!written || !value)
    return;
  if (written->kind != TNODE_OBJECT || tnode_is_call(written) || value->kind != TNODE_OBJECT) {
    hide_derived(walk, written, value, pointer);
    return;
  }

  for (size_t i = 0; i < written->count; i++) {
    const tnode_member *member = &written->members[i];
    char child[DERIVED_POINTER_SIZE];
    snprintf(child, sizeof child, "%s", pointer);
    secret_pointer_append(child, sizeof child, member->key, member->key_len);
    if (strlen(child) + 2 >= sizeof child) {
      hide_derived(walk, written, value, pointer); /* a cut pointer could miss the finding */
      return;
    }
    walk_properties(walk, member->value, tnode_get(value, member->key), child);
  }
}

/* Returns 1 when parameters declares a NoEcho parameter. Most templates
 * have none, and then no walk is needed. */
static int declares_no_echo(const tnode *parameters) {
  if (!parameters || parameters->kind != TNODE_OBJECT)
    return 0;
  for (size_t i = 0; i < parameters->count; i++)
    if (secret_is_no_echo(parameters->members[i].value))
      return 1;
  return 0;
}

void secret_list_add_derived(secret_list *list, const tnode *parameters,
                             const tnode *properties, const tnode *resolved) {
  if (!declares_no_echo(parameters) || !properties || !resolved)
    return;

  derived_walk walk = {.list = list, .parameters = parameters};
  walk_properties(&walk, properties, resolved, "");
}

/* Returns the first NoEcho parameter that an opaque call at or below node
 * reads, where the call or a node in it starts at line:column, or NULL. */
static const char *opaque_read_at(derived_walk *walk, const tnode *node, uint32_t line,
                                  uint32_t column) {
  if (tnode_is_call(node) && !keeps_value_text(node->members[0].key)) {
    walk->name_count = 0;
    note_reads(walk, node->members[0].value);
    if (walk->name_count > 0 && tnode_contains_position(node, line, column))
      return walk->names[0];
  }
  for (size_t i = 0; i < node->count; i++) {
    const tnode *child = node->kind == TNODE_ARRAY ? node->items[i] : node->members[i].value;
    const char *name = child ? opaque_read_at(walk, child, line, column) : NULL;
    if (name)
      return name;
  }
  return NULL;
}

const char *secret_derived_read_at(const tnode *parameters, const tnode *properties,
                                   uint32_t line, uint32_t column) {
  if (!declares_no_echo(parameters) || !properties)
    return NULL;

  derived_walk walk = {.parameters = parameters};
  return opaque_read_at(&walk, properties, line, column);
}
