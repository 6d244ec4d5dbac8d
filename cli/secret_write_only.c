/*
 * Write-only text outside the findings of its own property: parameter
 * values that a write-only property reads, and YAML alias copies.
 */
#include "secret_write_only.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sub_variables.h"

static void *checked(void *memory) {
  if (!memory) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }
  return memory;
}

typedef struct parameter_walk {
  secret_list *list;
  const tnode *parameters;
  const intrinsic_binding *given;
  size_t given_count;
  unsigned char *added; /* one flag per member of parameters */
} parameter_walk;

/* Adds the values of the parameter named name[0..len), once per walk. */
static void add_parameter(const parameter_walk *walk, const char *name, size_t len,
                          const char *reason) {
  const tnode *parameters = walk->parameters;
  for (size_t i = 0; i < parameters->count; i++) {
    const tnode_member *parameter = &parameters->members[i];
    if (walk->added[i] || parameter->key_len != len || memcmp(parameter->key, name, len) != 0)
      continue;
    if (secret_is_no_echo(parameter->value))
      continue; /* hidden in every finding, with its own note */
    walk->added[i] = 1;

    const char *given = NULL;
    for (size_t j = 0; j < walk->given_count; j++)
      if (strcmp(walk->given[j].name, parameter->key) == 0)
        given = walk->given[j].value;
    secret_list_add_parameter_values(walk->list, parameter, given, reason);
  }
}

/* Adds the parameters that node reads: a Ref, or ${Name} in any string, so
 * that an Fn::Sub text in any position counts. */
static void add_reads(const parameter_walk *walk, const tnode *node, const char *reason) {
  if (node->kind == TNODE_STRING) {
    const char *cursor = node->text;
    sub_variable variable;
    while (sub_next_variable(&cursor, &variable))
      add_parameter(walk, variable.name, variable.len, reason);
  } else if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      add_reads(walk, node->items[i], reason);
  } else if (node->kind == TNODE_OBJECT) {
    const tnode *ref = node->count == 1 ? tnode_get(node, "Ref") : NULL;
    if (ref && ref->kind == TNODE_STRING)
      add_parameter(walk, ref->text, ref->len, reason);
    for (size_t i = 0; i < node->count; i++)
      add_reads(walk, node->members[i].value, reason);
  }
}

static void visit_reads(void *data, const tnode *value, const char *reason) {
  add_reads(data, value, reason);
}

void secret_list_add_write_only_parameters(secret_list *list, json_t *schema,
                                           const tnode *properties, const tnode *parameters,
                                           const intrinsic_binding *given, size_t given_count) {
  if (!properties || !parameters || parameters->kind != TNODE_OBJECT || parameters->count == 0)
    return;
  parameter_walk walk = {list, parameters, given, given_count,
                         checked(calloc(parameters->count, 1))};
  secret_write_only_each(schema, properties, visit_reads, &walk);
  free(walk.added);
}

typedef struct write_only_scalar {
  const tnode *node;
  char *reason;
} write_only_scalar;

void write_only_scalars_init(write_only_scalars *scalars) { memset(scalars, 0, sizeof *scalars); }

void write_only_scalars_fini(write_only_scalars *scalars) {
  for (size_t i = 0; i < scalars->count; i++)
    free(scalars->items[i].reason);
  free(scalars->items);
  write_only_scalars_init(scalars);
}

/* Returns the text of a scalar as its findings quote it, or NULL for a
 * container or an unknown value without text. */
static const char *scalar_text(const tnode *node) {
  if (node->kind == TNODE_STRING || node->kind == TNODE_NUMBER)
    return node->text;
  if (node->kind == TNODE_BOOL)
    return node->boolean ? "true" : "false";
  if (node->kind == TNODE_UNKNOWN)
    return node->plain ? node->plain : node->tag;
  return NULL;
}

static char *copy_text(const char *text) {
  size_t len = strlen(text);
  char *out = checked(malloc(len + 1));
  memcpy(out, text, len + 1);
  return out;
}

/* Returns 1 when node calls a function whose argument is a name, not a
 * value: Ref, Fn::GetAtt, Condition. */
static int reads_names_only(const tnode *node) {
  if (node->kind != TNODE_OBJECT || node->count != 1)
    return 0;
  const char *key = node->members[0].key;
  return strcmp(key, "Ref") == 0 || strcmp(key, "Fn::GetAtt") == 0 ||
         strcmp(key, "Condition") == 0;
}

/* Returns 1 when node calls Fn::If or Fn::FindInMap, whose first argument
 * is the name of a condition or a mapping. */
static int reads_name_first(const tnode *node) {
  if (node->kind != TNODE_OBJECT || node->count != 1 || node->members[0].value->kind != TNODE_ARRAY)
    return 0;
  const char *key = node->members[0].key;
  return strcmp(key, "Fn::If") == 0 || strcmp(key, "Fn::FindInMap") == 0;
}

static void collect_scalars(write_only_scalars *scalars, const tnode *node, const char *reason) {
  if (reads_names_only(node))
    return; /* a name such as AWS::StackName stays visible in every message */
  if (reads_name_first(node)) {
    const tnode *args = node->members[0].value;
    for (size_t i = 1; i < args->count; i++)
      collect_scalars(scalars, args->items[i], reason);
    return;
  }
  if (scalar_text(node)) {
    if (scalars->count == scalars->capacity) {
      size_t next = scalars->capacity ? scalars->capacity * 2 : 16;
      scalars->items = checked(realloc(scalars->items, next * sizeof *scalars->items));
      scalars->capacity = next;
    }
    scalars->items[scalars->count++] = (write_only_scalar){node, copy_text(reason)};
  }
  for (size_t i = 0; node->kind == TNODE_ARRAY && i < node->count; i++)
    collect_scalars(scalars, node->items[i], reason);
  for (size_t i = 0; node->kind == TNODE_OBJECT && i < node->count; i++)
    collect_scalars(scalars, node->members[i].value, reason);
}

static void visit_scalars(void *data, const tnode *value, const char *reason) {
  collect_scalars(data, value, reason);
}

void write_only_scalars_collect(write_only_scalars *scalars, json_t *schema,
                                const tnode *properties) {
  secret_write_only_each(schema, properties, visit_scalars, scalars);
}

static int compare_position(uint32_t line_a, uint32_t column_a, uint32_t line_b,
                            uint32_t column_b) {
  if (line_a != line_b)
    return line_a < line_b ? -1 : 1;
  if (column_a != column_b)
    return column_a < column_b ? -1 : 1;
  return 0;
}

static int compare_scalars(const void *a, const void *b) {
  const tnode *x = ((const write_only_scalar *)a)->node, *y = ((const write_only_scalar *)b)->node;
  return compare_position(x->line, x->column, y->line, y->column);
}

void write_only_scalars_sort(write_only_scalars *scalars) {
  if (scalars->count > 1)
    qsort(scalars->items, scalars->count, sizeof *scalars->items, compare_scalars);
}

/* Adds text[start..end) when it is long enough to hide anywhere. */
static void add_piece(secret_list *list, const char *text, size_t start, size_t end,
                      const char *reason) {
  if (end > start && end - start >= SECRET_MIN_ANYWHERE && end - start < strlen(text))
    secret_list_add(list, text + start, end - start, reason, NULL);
}

/* Adds the pieces of a copied string that a finding may quote without the
 * rest: the text between its Fn::Sub variables (${Name}) and dynamic
 * references ({{resolve:...}}), which a finding quotes as the known start
 * of a value, and each reference, which the reason of an unknown value
 * quotes alone. */
static void add_copy_pieces(secret_list *list, const char *text, size_t len,
                            const char *reason) {
  size_t start = 0, i = 0;
  while (i < len) {
    const char *close = NULL;
    size_t skip = 0;
    if (text[i] == '$' && i + 1 < len && text[i + 1] == '{') {
      close = memchr(text + i, '}', len - i);
      skip = 1;
    } else if (len - i >= 10 && memcmp(text + i, "{{resolve:", 10) == 0) {
      const char *end = text + len;
      for (const char *p = text + i; p + 1 < end && !close; p++)
        if (p[0] == '}' && p[1] == '}')
          close = p + 1;
      skip = 2;
    }
    if (!close) {
      i++;
      continue;
    }
    size_t stop = (size_t)(close - text) + 1;
    add_piece(list, text, start, i, reason);
    if (skip == 2)
      add_piece(list, text, i, stop, reason);
    start = i = stop;
  }
  add_piece(list, text, start, len, reason);
}

/* Adds node when it copies a collected scalar. The scalars at one position
 * are next to each other after sorting, so a binary search finds the first
 * and the loop checks the rest. */
static void add_copy(secret_list *list, const write_only_scalars *scalars, const tnode *node) {
  const char *text = scalar_text(node);
  if (node->line == 0)
    return; /* a value that no text of the template writes */
  size_t low = 0, high = scalars->count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    const tnode *at = scalars->items[middle].node;
    if (compare_position(at->line, at->column, node->line, node->column) < 0)
      low = middle + 1;
    else
      high = middle;
  }

  for (size_t i = low; i < scalars->count; i++) {
    const write_only_scalar *scalar = &scalars->items[i];
    if (scalar->node->line != node->line || scalar->node->column != node->column)
      break;
    if (scalar->node == node || strcmp(scalar_text(scalar->node), text) != 0)
      continue;
    if (strlen(text) >= SECRET_MIN_ANYWHERE) {
      secret_list_add(list, text, strlen(text), scalar->reason, NULL);
      if (node->kind == TNODE_STRING)
        add_copy_pieces(list, node->text, node->len, scalar->reason);
    } else
      secret_list_add_quoted(list, text, strlen(text), scalar->reason, "");
    return;
  }
}

void secret_list_add_write_only_copies(secret_list *list, const write_only_scalars *scalars,
                                       const tnode *properties) {
  if (!properties || scalars->count == 0)
    return;
  if (scalar_text(properties))
    add_copy(list, scalars, properties);
  for (size_t i = 0; properties->kind == TNODE_ARRAY && i < properties->count; i++)
    secret_list_add_write_only_copies(list, scalars, properties->items[i]);
  for (size_t i = 0; properties->kind == TNODE_OBJECT && i < properties->count; i++)
    secret_list_add_write_only_copies(list, scalars, properties->members[i].value);
}
