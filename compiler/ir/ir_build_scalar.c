/*
 * Array, string and number keywords, and the shared tables they use: numbers
 * as JSON text, compiled patterns (deduplicated by text) and format names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

static uint32_t build_sub(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                          const char *keyword) {
  json_t *sub = json_object_get(schema, keyword);
  return sub ? ir_node_for(b, sub, base, ir_pool_add_path(b, path, keyword)) : CFGATE_IR_NONE;
}

static void build_tuple(ir_builder *b, json_t *items, uint32_t base, uint32_t path,
                        cfgate_ir_node *node) {
  size_t n = json_array_size(items);
  uint32_t *nodes = malloc((n ? n : 1) * sizeof *nodes);
  if (!nodes) {
    ir_fail_memory(b);
    return;
  }

  for (size_t i = 0; i < n; i++)
    nodes[i] = ir_node_for(b, json_array_get(items, i), base,
                           ir_pool_add_index_path(b, path, "items", i));
  node->tuple_first = ir_list_append(b, nodes, n);
  node->tuple_count = (uint32_t)n;
  free(nodes);
}

void ir_build_array(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                    cfgate_ir_node *node) {
  json_t *items = json_object_get(schema, "items");
  json_t *unique = json_object_get(schema, "uniqueItems");

  if (json_is_array(items)) {
    build_tuple(b, items, base, path, node);
    /* additionalItems only applies after an array of items. */
    node->additional_items = build_sub(b, schema, base, path, "additionalItems");
  } else {
    node->items = build_sub(b, schema, base, path, "items");
  }
  node->contains = build_sub(b, schema, base, path, "contains");
  ir_read_count(b, schema, "minItems", path, &node->min_items);
  ir_read_count(b, schema, "maxItems", path, &node->max_items);
  if (unique && !json_is_boolean(unique))
    ir_fail(b, path, "uniqueItems", "invalid uniqueItems: expected a boolean");
  if (json_is_true(unique))
    node->flags |= CFGATE_IR_UNIQUE_ITEMS;

  if (node->items != CFGATE_IR_NONE || node->tuple_count || json_is_array(items) ||
      node->contains != CFGATE_IR_NONE || node->min_items != CFGATE_IR_NONE ||
      node->max_items != CFGATE_IR_NONE || json_is_true(unique))
    node->flags |= CFGATE_IR_HAS_ARRAY;
}

static int placeholder_lookup(void *user_data, const char *name, size_t len) {
  uint32_t id = ir_placeholder_id(user_data, name, len);
  return id == CFGATE_IR_NONE ? -1 : (int)id;
}

/* Returns the index of placeholder name[0..len) in placeholders[], or NONE. */
uint32_t ir_placeholder_id(const ir_builder *b, const char *name, size_t len) {
  const uint32_t *offsets = b->placeholders.data;
  for (size_t i = 0; i < b->placeholders.len; i++) {
    const char *have = ir_pool_text(b, offsets[i]);
    if (strlen(have) == len && memcmp(have, name, len) == 0)
      return (uint32_t)i;
  }
  return CFGATE_IR_NONE;
}

/* Adds text to the pool with each U+0000 written as the escape \u0000, so
 * messages quote the whole pattern. */
static uint32_t pool_add_nul_escaped(ir_builder *b, const char *text, size_t len) {
  char *escaped = malloc(len * 6 + 1);
  if (!escaped)
    return ir_pool_add(b, text, strlen(text));

  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\0') {
      memcpy(escaped + n, "\\u0000", 6);
      n += 6;
    } else {
      escaped[n++] = text[i];
    }
  }

  uint32_t offset = ir_pool_add(b, escaped, n);
  free(escaped);
  return offset;
}

/* Compiles a pattern once per distinct text. Returns its index in patterns[].
 * The pool keeps NUL-terminated text, so a pattern containing U+0000 is
 * compiled on its own instead of being compared with earlier ones. */
uint32_t ir_pattern_add(ir_builder *b, const char *text, size_t len, uint32_t path,
                        const char *keyword) {
  const uint32_t *texts = b->pattern_texts.data;
  int has_nul = memchr(text, '\0', len) != NULL;
  for (size_t i = 0; i < b->pattern_texts.len && !has_nul; i++)
    if (strcmp(ir_pool_text(b, texts[i]), text) == 0)
      return (uint32_t)i;

  re_compile_options options;
  re_compile_options_default(&options);
  options.force_nfa = b->options->patterns_without_dfa;
  if (b->is_template) {
    options.placeholder_id = placeholder_lookup;
    options.user_data = b;
  }
  re_error error;
  cfgate_re *re = b->failed ? NULL : re_compile(text, len, &options, &error);
  if (!re) {
    ir_fail(b, path, keyword, "invalid pattern \"%s\" at offset %zu: %s", text, error.offset,
            error.message);
    return CFGATE_IR_NONE;
  }

  cfgate_re **slot = ir_vec_push(b, &b->patterns);
  uint32_t *text_slot = slot ? ir_vec_push(b, &b->pattern_texts) : NULL;
  if (!text_slot) {
    if (slot)
      b->patterns.len--;
    re_free(re);
    return CFGATE_IR_NONE;
  }
  *slot = re;
  *text_slot = has_nul ? pool_add_nul_escaped(b, text, len) : ir_pool_add(b, text, len);
  return (uint32_t)(b->patterns.len - 1);
}

static uint32_t format_code(const char *name) {
  static const struct {
    const char *name;
    uint32_t code;
  } formats[] = {{"date-time", CFGATE_IR_FORMAT_DATE_TIME}, {"date", CFGATE_IR_FORMAT_DATE},
                 {"time", CFGATE_IR_FORMAT_TIME},           {"email", CFGATE_IR_FORMAT_EMAIL},
                 {"hostname", CFGATE_IR_FORMAT_HOSTNAME},   {"ipv4", CFGATE_IR_FORMAT_IPV4},
                 {"ipv6", CFGATE_IR_FORMAT_IPV6},           {"uri", CFGATE_IR_FORMAT_URI},
                 {"uuid", CFGATE_IR_FORMAT_UUID},           {"regex", CFGATE_IR_FORMAT_REGEX}};

  for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
    if (strcmp(formats[i].name, name) == 0)
      return formats[i].code;
  return CFGATE_IR_FORMAT_NONE;
}

void ir_build_string(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node) {
  json_t *pattern = json_object_get(schema, "pattern");
  json_t *format = json_object_get(schema, "format");

  ir_read_count(b, schema, "minLength", path, &node->min_length);
  ir_read_count(b, schema, "maxLength", path, &node->max_length);
  if (pattern && !json_is_string(pattern))
    ir_fail(b, path, "pattern", "invalid pattern: expected a string");
  if (json_is_string(pattern))
    node->pattern = ir_pattern_add(b, json_string_value(pattern), json_string_length(pattern), path, "pattern");
  if (json_is_string(format)) {
    node->format = format_code(json_string_value(format));
    node->format_name = ir_pool_add(b, json_string_value(format), json_string_length(format));
  }

  if (node->min_length != CFGATE_IR_NONE || node->max_length != CFGATE_IR_NONE ||
      node->pattern != CFGATE_IR_NONE || node->format != CFGATE_IR_FORMAT_NONE)
    node->flags |= CFGATE_IR_HAS_STRING;
}

/* Writes a JSON number as text. A real is written with the fewest digits
 * that read back to the same double, so 0.1 stays "0.1".
 * NOTE: jansson has already read the schema's number into a double or an
 * int64, so a number with more than 17 significant digits is not exact. */
static size_t number_text(json_t *value, char *text, size_t size) {
  if (json_is_integer(value))
    return (size_t)snprintf(text, size, "%" JSON_INTEGER_FORMAT, json_integer_value(value));

  double real = json_real_value(value);
  int n = 0;
  for (int precision = 1; precision <= 17; precision++) {
    n = snprintf(text, size, "%.*g", precision, real);
    if (strtod(text, NULL) == real)
      break;
  }
  return (size_t)n;
}

/* Adds a numeric keyword value to numbers[]. Returns its index, or NONE. */
uint32_t ir_number_add(ir_builder *b, json_t *value, uint32_t path, const char *keyword) {
  char text[64];

  if (!json_is_number(value)) {
    ir_fail(b, path, keyword, "invalid %s: expected a number", keyword);
    return CFGATE_IR_NONE;
  }
  size_t len = number_text(value, text, sizeof text);
  cfgate_ir_number *slot = ir_vec_push(b, &b->numbers);
  if (!slot)
    return CFGATE_IR_NONE;
  slot->text = ir_pool_add(b, text, len);
  slot->len = (uint32_t)len;
  return (uint32_t)(b->numbers.len - 1);
}

static uint32_t number_keyword(ir_builder *b, json_t *schema, uint32_t path, const char *keyword) {
  json_t *value = json_object_get(schema, keyword);
  return value ? ir_number_add(b, value, path, keyword) : CFGATE_IR_NONE;
}

void ir_build_number(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node) {
  node->minimum = number_keyword(b, schema, path, "minimum");
  node->maximum = number_keyword(b, schema, path, "maximum");
  node->exclusive_minimum = number_keyword(b, schema, path, "exclusiveMinimum");
  node->exclusive_maximum = number_keyword(b, schema, path, "exclusiveMaximum");
  node->multiple_of = number_keyword(b, schema, path, "multipleOf");

  json_t *multiple = json_object_get(schema, "multipleOf");
  if (multiple && json_number_value(multiple) <= 0)
    ir_fail(b, path, "multipleOf", "invalid multipleOf: expected a number greater than 0");

  if (node->minimum != CFGATE_IR_NONE || node->maximum != CFGATE_IR_NONE ||
      node->exclusive_minimum != CFGATE_IR_NONE || node->exclusive_maximum != CFGATE_IR_NONE ||
      node->multiple_of != CFGATE_IR_NONE)
    node->flags |= CFGATE_IR_HAS_NUMBER;
}
