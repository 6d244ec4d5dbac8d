/*
 * Table writers of the C emitter. Struct elements are written as positional
 * initializers in field order. The field lists below must follow the structs
 * in cfgate_ir.h, and the static assertions make the build fail when a
 * field is added without being listed here.
 */
#include "emit_c_tables.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field lists, in declaration order. */
#define EMIT_NODE_FIELDS(X)                                                                        \
  X(flags) X(types) X(path) X(because)                                                             \
  X(enum_strings_first) X(enum_strings_count) X(enum_templates_first) X(enum_templates_count)      \
  X(enum_numbers_first) X(enum_numbers_count)                                                      \
  X(enum_scalars) X(enum_nodes_first) X(enum_nodes_count)                                          \
  X(names_first) X(names_count) X(name_buckets_first) X(name_bucket_shift)                         \
  X(tracked_count) X(required_count)                                                               \
  X(pattern_props_first) X(pattern_props_count) X(additional_properties) X(property_names)         \
  X(dependencies_first) X(dependencies_count) X(min_properties) X(max_properties)                  \
  X(items) X(tuple_first) X(tuple_count) X(additional_items) X(contains) X(min_items) X(max_items)  \
  X(min_length) X(max_length) X(pattern) X(format) X(format_name)                                  \
  X(minimum) X(maximum) X(exclusive_minimum) X(exclusive_maximum) X(multiple_of)                  \
  X(all_of_first) X(all_of_count) X(any_of_first) X(any_of_count) X(one_of_first) X(one_of_count) \
  X(not_node) X(if_node) X(then_node) X(else_node)
#define EMIT_NAME_FIELDS(X) X(text) X(len) X(node) X(bit) /* after the 64-bit hash */
#define EMIT_PATTERN_PROP_FIELDS(X) X(pattern) X(node) X(text)
#define EMIT_DEPENDENCY_FIELDS(X) X(bit) X(text) X(names_first) X(names_count) X(node)
#define EMIT_STRING_FIELDS(X) X(text) X(len) X(segments_first) X(segments_count)
#define EMIT_SEGMENT_FIELDS(X) X(placeholder) X(text) X(len)
#define EMIT_NUMBER_FIELDS(X) X(text) X(len)

#define EMIT_COUNT_FIELD(field) +1
#define EMIT_SIZE_CHECK(type, fields, extra)                                                       \
  _Static_assert(sizeof(type) == (0 fields(EMIT_COUNT_FIELD)) * sizeof(uint32_t) + (extra),       \
                 "the C emitter's field list for " #type " is out of date")

EMIT_SIZE_CHECK(cfgate_ir_node, EMIT_NODE_FIELDS, sizeof(((cfgate_ir_node *)0)->pad));
EMIT_SIZE_CHECK(cfgate_ir_name, EMIT_NAME_FIELDS, sizeof(uint64_t));
EMIT_SIZE_CHECK(cfgate_ir_pattern_prop, EMIT_PATTERN_PROP_FIELDS, 0);
EMIT_SIZE_CHECK(cfgate_ir_dependency, EMIT_DEPENDENCY_FIELDS, 0);
EMIT_SIZE_CHECK(cfgate_ir_string, EMIT_STRING_FIELDS, 0);
EMIT_SIZE_CHECK(cfgate_ir_segment, EMIT_SEGMENT_FIELDS, 0);
EMIT_SIZE_CHECK(cfgate_ir_number, EMIT_NUMBER_FIELDS, 0);

/* Appends ", value" for one uint32 field of *element to the text of a row. */
#define EMIT_FIELD_TEXT(field)                                                                     \
  {                                                                                                \
    char value[16];                                                                                \
    emit_format_u32(value, sizeof value, element->field);                                          \
    size_t used = strlen(row);                                                                     \
    snprintf(row + used, sizeof row - used, "%s%s", used > 1 ? "," : "", value);                   \
  }

static void table_begin(emit_writer *writer, const char *type, const char *name, uint32_t count) {
  emit_printf(writer, "\nstatic const %s %s[%" PRIu32 "] = {", type, name, count);
  emit_list_begin(writer);
}

static void table_end(emit_writer *writer) {
  emit_list_end(writer);
  emit_printf(writer, "};\n");
}

/* Writes one row per element: each expands fields into a "{a,b,c}" row.
 * tail ends the row, ",{0}" for a struct whose last field is padding. */
#define EMIT_STRUCT_TABLE_TAIL(function, type, array, count_field, name, fields, tail)             \
  void function(emit_writer *writer, const cfgate_validator *validator) {                         \
    if (validator->count_field == 0)                                                               \
      return;                                                                                      \
    table_begin(writer, #type, name, validator->count_field);                                      \
    for (uint32_t i = 0; i < validator->count_field; i++) {                                        \
      const type *element = &validator->array[i];                                                 \
      char row[1024] = "{";                                                                        \
      fields(EMIT_FIELD_TEXT)                                                                      \
      strncat(row, tail "}", sizeof row - strlen(row) - 1);                                        \
      emit_list_item(writer, row);                                                                 \
    }                                                                                              \
    table_end(writer);                                                                             \
  }

#define EMIT_STRUCT_TABLE(function, type, array, count_field, name, fields)                        \
  EMIT_STRUCT_TABLE_TAIL(function, type, array, count_field, name, fields, "")

EMIT_STRUCT_TABLE_TAIL(emit_table_nodes, cfgate_ir_node, nodes, node_count, "nodes", EMIT_NODE_FIELDS,
                       ",{0}")
EMIT_STRUCT_TABLE(emit_table_pattern_props, cfgate_ir_pattern_prop, pattern_props, pattern_prop_count,
                  "pattern_props", EMIT_PATTERN_PROP_FIELDS)
EMIT_STRUCT_TABLE(emit_table_dependencies, cfgate_ir_dependency, dependencies, dependency_count,
                  "dependencies", EMIT_DEPENDENCY_FIELDS)
EMIT_STRUCT_TABLE(emit_table_strings, cfgate_ir_string, strings, string_count, "strings", EMIT_STRING_FIELDS)
EMIT_STRUCT_TABLE(emit_table_segments, cfgate_ir_segment, segments, segment_count, "segments",
                  EMIT_SEGMENT_FIELDS)
EMIT_STRUCT_TABLE(emit_table_numbers, cfgate_ir_number, numbers, number_count, "numbers", EMIT_NUMBER_FIELDS)

/* Names lead with a 64-bit hash, which needs UINT64_C. */
void emit_table_names(emit_writer *writer, const cfgate_validator *validator) {
  if (validator->name_count == 0)
    return;

  table_begin(writer, "cfgate_ir_name", "names", validator->name_count);
  for (uint32_t i = 0; i < validator->name_count; i++) {
    const cfgate_ir_name *element = &validator->names[i];
    char row[256];
    snprintf(row, sizeof row, "{UINT64_C(0x%016" PRIx64 ")", element->hash);
    EMIT_NAME_FIELDS(EMIT_FIELD_TEXT)
    strncat(row, "}", sizeof row - strlen(row) - 1);
    emit_list_item(writer, row);
  }
  table_end(writer);
}

void emit_table_u32(emit_writer *writer, const char *name, const uint32_t *values, uint32_t count) {
  if (count == 0)
    return;

  table_begin(writer, "uint32_t", name, count);
  for (uint32_t i = 0; i < count; i++) {
    char value[16];
    emit_format_u32(value, sizeof value, values[i]);
    emit_list_item(writer, value);
  }
  table_end(writer);
}

/* Formats one pool byte as a character constant: printable ASCII as itself,
 * anything else as an octal escape, so that bytes above 127 initialize a
 * plain char without an overflow whether char is signed or not. */
static void format_pool_byte(char *text, size_t size, unsigned char byte) {
  if (byte == '\'' || byte == '\\')
    snprintf(text, size, "'\\%c'", byte);
  else if (byte >= 0x20 && byte < 0x7f)
    snprintf(text, size, "'%c'", byte);
  else
    snprintf(text, size, "'\\%03o'", byte);
}

/* The pool contains NUL-separated strings. It is written as character
 * constants, because a string literal this long is beyond what -pedantic
 * accepts (4095 bytes). */
void emit_table_pool(emit_writer *writer, const cfgate_validator *validator) {
  if (validator->pool_size == 0)
    return;

  table_begin(writer, "char", "pool", validator->pool_size);
  for (uint32_t i = 0; i < validator->pool_size; i++) {
    char value[8];
    format_pool_byte(value, sizeof value, (unsigned char)validator->pool[i]);
    emit_list_item(writer, value);
  }
  table_end(writer);
}

/* Splits the C source re_emit_c() wrote for one pattern into its arrays
 * (appended to the writer now) and its initializer "{...}" (returned in a
 * new string for the patterns array). */
static char *split_pattern_source(emit_writer *writer, const char *source, const char *prefix) {
  char marker[128];
  snprintf(marker, sizeof marker, "static const cfgate_re %s =", prefix);

  const char *start = strstr(source, marker);
  const char *end = start != NULL ? strrchr(start, ';') : NULL;
  if (start == NULL || end == NULL)
    return NULL;

  emit_bytes(writer, source, (size_t)(start - source));
  const char *init = start + strlen(marker);
  size_t len = (size_t)(end - init);
  char *initializer = malloc(len + 1);
  if (initializer != NULL) {
    memcpy(initializer, init, len);
    initializer[len] = '\0';
  }
  return initializer;
}

static int emit_pattern_arrays(emit_writer *writer, const cfgate_re *re, uint32_t index, char **initializer) {
  re_buffer source = {NULL, 0, 0};
  char prefix[32];

  snprintf(prefix, sizeof prefix, "pattern_%" PRIu32, index);
  if (re_emit_c(re, prefix, &source) != 0) {
    free(source.data);
    return -1;
  }

  emit_printf(writer, "\n");
  *initializer = split_pattern_source(writer, source.data != NULL ? source.data : "", prefix);
  free(source.data);
  return *initializer != NULL ? 0 : -1;
}

int emit_table_patterns(emit_writer *writer, const cfgate_validator *validator) {
  uint32_t count = validator->pattern_count;
  char **initializers = count > 0 ? calloc(count, sizeof *initializers) : NULL;
  int status = 0;

  if (count == 0)
    return 0;
  if (initializers == NULL)
    return -1;

  for (uint32_t i = 0; i < count && status == 0; i++)
    status = emit_pattern_arrays(writer, &validator->patterns[i], i, &initializers[i]);

  if (status == 0) {
    emit_printf(writer, "\nstatic const cfgate_re patterns[%" PRIu32 "] = {\n", count);
    for (uint32_t i = 0; i < count; i++)
      emit_printf(writer, " %s,\n", initializers[i]);
    emit_printf(writer, "};\n");
  }

  for (uint32_t i = 0; i < count; i++)
    free(initializers[i]);
  free(initializers);
  return status;
}
