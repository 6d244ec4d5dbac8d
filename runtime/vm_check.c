/*
 * Keyword checks of one frame: the type when its value begins, and at the
 * value's end the number, enum, object, array and applicator keywords,
 * after which the frame reports its result to its parent.
 */
#include <stdio.h>
#include <string.h>

#include "session.h"

/* Marks a function kept out of line, so that its registers and message
 * buffers stay out of the common path of beginning and finishing
 * container frames. */
#define VM_OUT_OF_LINE __attribute__((noinline))

/* Keywords that constrain a value itself, as opposed to applicators. */
#define VM_VALUE_KEYWORDS                                                                         \
  (CFGATE_IR_HAS_TYPE | CFGATE_IR_HAS_ENUM | CFGATE_IR_HAS_OBJECT | CFGATE_IR_HAS_ARRAY |        \
   CFGATE_IR_HAS_STRING | CFGATE_IR_HAS_NUMBER)

static const char *number_keyword(const cfgate_ir_node *n) {
  if (n->minimum != CFGATE_IR_NONE)
    return "minimum";
  if (n->maximum != CFGATE_IR_NONE)
    return "maximum";
  if (n->exclusive_minimum != CFGATE_IR_NONE)
    return "exclusiveMinimum";
  return n->exclusive_maximum != CFGATE_IR_NONE ? "exclusiveMaximum" : "multipleOf";
}

static const char *container_keyword(const cfgate_ir_node *n) {
  if (n->flags & CFGATE_IR_HAS_OBJECT)
    return n->required_count ? "required" : "properties";
  return "items";
}

/* Names the first keyword of n that a string's text decides, or NULL. */
static const char *text_keyword(const cfgate_ir_node *n) {
  if (n->flags & CFGATE_IR_HAS_ENUM)
    return (n->flags & CFGATE_IR_IS_CONST) ? "const" : "enum";
  if (n->pattern != CFGATE_IR_NONE)
    return "pattern";
  if (n->min_length != CFGATE_IR_NONE)
    return "minLength";
  if (n->max_length != CFGATE_IR_NONE)
    return "maxLength";
  return (n->flags & CFGATE_IR_HAS_STRING) ? "format" : NULL;
}

/* Names the first value keyword of n, for an unverified finding. */
static const char *first_keyword(const cfgate_ir_node *n) {
  const char *text = text_keyword(n);

  if (n->flags & CFGATE_IR_HAS_TYPE)
    return "type";
  if (text)
    return text;
  return (n->flags & CFGATE_IR_HAS_NUMBER) ? number_keyword(n) : container_keyword(n);
}

/* Returns 1 when a value of the given type meets the type mask types. A
 * number with a zero fractional part meets "integer". */
int vm_type_allowed(const cfgate_session *s, uint32_t types, uint32_t type) {
  if (types & type)
    return 1;
  return type == CFGATE_IR_TYPE_NUMBER && (types & CFGATE_IR_TYPE_INTEGER) &&
         number_is_integer(s->number);
}

/* NOTE: a type that admits strings is never coerced, so under coercion the
 * string "true" fails {"type": ["boolean", "string"], "enum": [true, "x"]}. */
static int coercible(const cfgate_session *s, uint32_t types) {
  return s->options.coerce &&
         (types & (CFGATE_IR_TYPE_NUMBER | CFGATE_IR_TYPE_INTEGER | CFGATE_IR_TYPE_BOOLEAN));
}

static VM_OUT_OF_LINE void fail_type(cfgate_session *s, uint32_t frame, uint32_t types,
                                     uint32_t type) {
  char expected[64];
  vm_types_text(types, expected, sizeof expected);
  if (type == CFGATE_IR_TYPE_NUMBER) {
    char actual[CFGATE_PREVIEW_SIZE + 4];
    vm_number_preview(s->number_text, s->number_len, actual, sizeof actual);
    vm_fail(s, frame, "type", "expected %s, got number %s", expected, actual);
  } else if (type == CFGATE_IR_TYPE_BOOLEAN) {
    vm_fail(s, frame, "type", "expected %s, got boolean %s", expected,
            s->boolean_value ? "true" : "false");
  } else {
    vm_fail(s, frame, "type", "expected %s, got %s", expected, vm_type_name(type));
  }
}

/* Returns the first keyword of n that the unknown text of a string leaves
 * unchecked, or NULL when the string's type alone decides n. */
static const char *unknown_string_keyword(const cfgate_ir_node *n) {
  if ((n->flags & CFGATE_IR_HAS_TYPE) && !(n->types & CFGATE_IR_TYPE_STRING))
    return "type"; /* the text decides whether it converts */
  return text_keyword(n);
}

/* Checks a string whose text is unknown. A type that admits no string, even
 * by conversion, fails. The keywords its text decides are unverified. */
static void begin_unknown_string(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n) {
  if ((n->flags & CFGATE_IR_HAS_TYPE) && !(n->types & CFGATE_IR_TYPE_STRING) &&
      !coercible(s, n->types)) {
    char expected[64];
    vm_types_text(n->types, expected, sizeof expected);
    vm_fail(s, frame, "type", "expected %s, got a string known only at deployment", expected);
    return;
  }

  const char *keyword = unknown_string_keyword(n);
  if (keyword)
    vm_unverified(s, frame, keyword);
}

/* Checks a value against the schema false, or an unknown value against
 * any schema, when the value begins. */
static VM_OUT_OF_LINE void begin_false_or_unknown(cfgate_session *s, uint32_t frame,
                                                  const cfgate_ir_node *n) {
  if (n->flags & CFGATE_IR_FALSE)
    vm_fail(s, frame, "false", "no value is allowed here (the schema is false)");
  else if (s->unknown_string)
    begin_unknown_string(s, frame, n);
  else if (n->flags & VM_VALUE_KEYWORDS)
    vm_unverified(s, frame, first_keyword(n));
}

/* Returns 1 when frame applies a subschema of a coerced frame to the same
 * string and has no type of its own. It then reads the string as its
 * parent does, so {"type": "integer", "allOf": [{"maximum": 512}]} checks
 * "100000" as a number in the branch too. */
static int inherits_coercion(const cfgate_session *s, const vm_frame *f) {
  if ((f->def->flags & CFGATE_IR_HAS_TYPE) || f->parent == CFGATE_IR_NONE)
    return 0;
  if (f->role < VM_ROLE_ALL_OF || f->role > VM_ROLE_ELSE)
    return 0;
  return s->frames[f->parent].coerced == 1;
}

/* Returns the arena offset of cleared presence bits for count names, or
 * NONE after reporting the limit. Up to 64 bits take one word, which is
 * reserved and cleared here without a call. */
static uint32_t presence_bits(cfgate_session *s, uint32_t count) {
  if (count > 64 || s->arena_size - s->arena_top < 8)
    return vm_arena_alloc(s, (count + 7) / 8);

  uint32_t offset = s->arena_top;
  s->arena_top += 8;
  memset(s->arena + offset, 0, 8);
  return offset;
}

/* Checks frame's type when its value begins and prepares per-type state.
 * f is &s->frames[frame] and n its node. The caller passes both, because
 * after its byte stores into f they would have to be read again. */
void vm_frame_begin_type(cfgate_session *s, uint32_t frame, vm_frame *f, const cfgate_ir_node *n,
                         uint32_t type) {
  if (type == CFGATE_IR_TYPE_OBJECT) {
    f->key_node = f->seen = CFGATE_IR_NONE;
    f->key_patterns = 0;
  } else if (type == CFGATE_IR_TYPE_ARRAY) {
    f->contains_ok = f->contains_unknown = 0;
  } else if (type == CFGATE_IR_TYPE_STRING) {
    f->pattern_state = CFGATE_IR_NONE;
  }

  if ((n->flags & CFGATE_IR_FALSE) || type == VM_TYPE_UNKNOWN) {
    begin_false_or_unknown(s, frame, n);
    return;
  }

  if (type == CFGATE_IR_TYPE_STRING && inherits_coercion(s, f))
    f->coerced = 1;
  if ((n->flags & CFGATE_IR_HAS_TYPE) && !vm_type_allowed(s, n->types, type)) {
    if (type == CFGATE_IR_TYPE_STRING && coercible(s, n->types))
      f->coerced = 1;
    else if (type == CFGATE_IR_TYPE_STRING && !f->speculative)
      f->coerced = VM_STRING_WRONG_TYPE;
    else
      fail_type(s, frame, n->types, type);
  }
  if (type == CFGATE_IR_TYPE_OBJECT && n->tracked_count)
    f->seen = presence_bits(s, n->tracked_count);
  if (type == CFGATE_IR_TYPE_STRING &&
      ((n->flags & (CFGATE_IR_HAS_STRING | CFGATE_IR_HAS_ENUM)) || f->coerced == 1))
    vm_string_begin_frame(s, frame);
}

static int number_in_enum(const cfgate_session *s, const cfgate_ir_node *n, const cfgate_number *v) {
  for (uint32_t i = 0; i < n->enum_numbers_count; i++) {
    uint32_t index = s->validator->lists[n->enum_numbers_first + i];
    if (number_compare(v, &s->numbers[index]) == 0)
      return 1;
  }
  return 0;
}

static void fail_enum(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n, const char *actual) {
  if (n->flags & CFGATE_IR_IS_CONST)
    vm_fail(s, frame, "const", "%s is not the required constant", actual);
  else
    vm_fail(s, frame, "enum", "%s is not one of the allowed values", actual);
}

/* Fails frame on keyword with "VALUE RELATION BOUND", the number text cut
 * by vm_number_preview(). Formats only on failure. */
static void fail_number(cfgate_session *s, uint32_t frame, const char *keyword, const char *text,
                        size_t len, const char *relation, const char *bound) {
  char actual[CFGATE_PREVIEW_SIZE + 4];
  vm_number_preview(text, len, actual, sizeof actual);
  vm_fail(s, frame, keyword, "%s %s %s", actual, relation, bound);
}

/* Returns the JSON text of the numbers[] entry index. */
static const char *number_text(const cfgate_session *s, uint32_t index) {
  return vm_text(s, s->validator->numbers[index].text);
}

/* Returns 1 when the number is at most (or, when exclusive, below) the
 * numbers[] entry limit, or when limit is absent. */
static int under_maximum(const cfgate_session *s, const cfgate_number *v, uint32_t limit,
                         int exclusive) {
  if (limit == CFGATE_IR_NONE)
    return 1;
  int c = number_compare(v, &s->numbers[limit]);
  return exclusive ? c < 0 : c <= 0;
}

/* Returns 1 when the number is at least (or, when exclusive, above) the
 * numbers[] entry limit, or when limit is absent. */
static int over_minimum(const cfgate_session *s, const cfgate_number *v, uint32_t limit,
                        int exclusive) {
  if (limit == CFGATE_IR_NONE)
    return 1;
  int c = number_compare(v, &s->numbers[limit]);
  return exclusive ? c > 0 : c >= 0;
}

/* Returns 1 when the number v meets n's numeric keywords and enum. */
int vm_number_passes(const cfgate_session *s, const cfgate_ir_node *n, const cfgate_number *v) {
  if (n->flags & CFGATE_IR_HAS_NUMBER) {
    if (!over_minimum(s, v, n->minimum, 0) || !under_maximum(s, v, n->maximum, 0) ||
        !over_minimum(s, v, n->exclusive_minimum, 1) ||
        !under_maximum(s, v, n->exclusive_maximum, 1))
      return 0;
    if (n->multiple_of != CFGATE_IR_NONE && !number_is_multiple_of(v, &s->numbers[n->multiple_of]))
      return 0;
  }
  return !(n->flags & CFGATE_IR_HAS_ENUM) || number_in_enum(s, n, v);
}

/* Checks the numeric and enum keywords of frame against the number v. */
void vm_check_number(cfgate_session *s, uint32_t frame, const cfgate_number *v, const char *text,
                     size_t len) {
  const cfgate_ir_node *n = s->frames[frame].def;
  if (vm_number_passes(s, n, v))
    return;

  if (n->flags & CFGATE_IR_HAS_NUMBER) {
    if (!over_minimum(s, v, n->minimum, 0))
      fail_number(s, frame, "minimum", text, len, "is less than the minimum", number_text(s, n->minimum));
    if (!under_maximum(s, v, n->maximum, 0))
      fail_number(s, frame, "maximum", text, len, "is greater than the maximum", number_text(s, n->maximum));
    if (!over_minimum(s, v, n->exclusive_minimum, 1))
      fail_number(s, frame, "exclusiveMinimum", text, len, "is not greater than the exclusive minimum",
                  number_text(s, n->exclusive_minimum));
    if (!under_maximum(s, v, n->exclusive_maximum, 1))
      fail_number(s, frame, "exclusiveMaximum", text, len, "is not less than the exclusive maximum",
                  number_text(s, n->exclusive_maximum));
    if (n->multiple_of != CFGATE_IR_NONE && !number_is_multiple_of(v, &s->numbers[n->multiple_of]))
      fail_number(s, frame, "multipleOf", text, len, "is not a multiple of", number_text(s, n->multiple_of));
  }
  if ((n->flags & CFGATE_IR_HAS_ENUM) && !number_in_enum(s, n, v)) {
    char actual[CFGATE_PREVIEW_SIZE + 4];
    vm_number_preview(text, len, actual, sizeof actual);
    fail_enum(s, frame, n, actual);
  }
}

/* Checks enum for true, false or null (CFGATE_IR_ENUM_TRUE, _FALSE or
 * CFGATE_IR_TYPE_NULL). */
void vm_check_scalar(cfgate_session *s, uint32_t frame, uint32_t enum_bit) {
  const cfgate_ir_node *n = s->frames[frame].def;
  if (!(n->flags & CFGATE_IR_HAS_ENUM) || (n->enum_scalars & enum_bit))
    return;

  const char *actual = enum_bit == CFGATE_IR_ENUM_TRUE    ? "true"
                       : enum_bit == CFGATE_IR_ENUM_FALSE ? "false"
                                                          : "null";
  fail_enum(s, frame, n, actual);
}

static int seen_bit(const cfgate_session *s, const vm_frame *f, uint32_t bit) {
  return f->seen != CFGATE_IR_NONE && ((s->arena[f->seen + bit / 8] >> (bit % 8)) & 1);
}

/* Bytes of a property name quoted in a required or dependencies message. */
#define VM_REQUIRED_QUOTE_SIZE (128 + sizeof "\"...\"")

/* Writes the name that has presence bit bit into out as a quoted JSON
 * string (vm_quote), so a NUL or a line break in it shows as an escape. */
static void quote_bit_name(const cfgate_session *s, const cfgate_ir_node *n, uint32_t bit,
                           char *out, size_t size) {
  for (uint32_t i = 0; i < n->names_count; i++) {
    const cfgate_ir_name *name = &s->validator->names[n->names_first + i];
    if (name->bit == bit) {
      vm_quote(vm_text(s, name->text), name->len, name->len, out, size);
      return;
    }
  }
  snprintf(out, size, "\"\"");
}

static VM_OUT_OF_LINE void check_dependencies(cfgate_session *s, uint32_t frame,
                                              const cfgate_ir_node *n) {
  const vm_frame *f = &s->frames[frame];
  for (uint32_t i = 0; i < n->dependencies_count; i++) {
    const cfgate_ir_dependency *dep = &s->validator->dependencies[n->dependencies_first + i];
    if (dep->node != CFGATE_IR_NONE || !seen_bit(s, f, dep->bit))
      continue;
    for (uint32_t k = 0; k < dep->names_count; k++) {
      uint32_t bit = s->validator->lists[dep->names_first + k];
      if (seen_bit(s, f, bit))
        continue;
      char trigger[VM_REQUIRED_QUOTE_SIZE], required[VM_REQUIRED_QUOTE_SIZE];
      quote_bit_name(s, n, dep->bit, trigger, sizeof trigger);
      quote_bit_name(s, n, bit, required, sizeof required);
      vm_fail(s, frame, "dependencies", "property %s requires property %s", trigger, required);
    }
  }
  if (f->tally.dependency_unknown)
    vm_unverified(s, frame, "dependencies");
}

/* Returns 1 when f has seen every required property. Their presence bits
 * come first, so whole bytes are tested at a time. */
static inline int required_seen(const cfgate_session *s, const vm_frame *f, uint32_t count) {
  if (count == 0)
    return 1;
  if (f->seen == CFGATE_IR_NONE)
    return 0;

  const unsigned char *bits = s->arena + f->seen;
  for (; count >= 8; count -= 8, bits++)
    if (*bits != 0xff)
      return 0;
  unsigned mask = (1u << count) - 1;
  return count == 0 || (*bits & mask) == mask;
}

static VM_OUT_OF_LINE void fail_required(cfgate_session *s, uint32_t frame,
                                         const cfgate_ir_node *n) {
  for (uint32_t bit = 0; bit < n->required_count; bit++) {
    if (seen_bit(s, &s->frames[frame], bit))
      continue;
    char quoted[VM_REQUIRED_QUOTE_SIZE];
    quote_bit_name(s, n, bit, quoted, sizeof quoted);
    vm_fail(s, frame, "required", "missing required property %s", quoted);
  }
}

static VM_OUT_OF_LINE void check_property_count(cfgate_session *s, uint32_t frame,
                                                const cfgate_ir_node *n, uint32_t count) {
  if (n->min_properties != CFGATE_IR_NONE && count < n->min_properties)
    vm_fail(s, frame, "minProperties", "object has %u propert%s, fewer than the minimum %u",
            count, count == 1 ? "y" : "ies", n->min_properties);
  if (n->max_properties != CFGATE_IR_NONE && count > n->max_properties)
    vm_fail(s, frame, "maxProperties", "object has %u propert%s, more than the maximum %u",
            count, count == 1 ? "y" : "ies", n->max_properties);
}

static void finish_object(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n,
                          const vm_level *level) {
  if (!required_seen(s, &s->frames[frame], n->required_count))
    fail_required(s, frame, n);
  if (n->dependencies_count)
    check_dependencies(s, frame, n);
  if ((n->min_properties != CFGATE_IR_NONE && level->count < n->min_properties) ||
      (n->max_properties != CFGATE_IR_NONE && level->count > n->max_properties))
    check_property_count(s, frame, n, level->count);
}

static VM_OUT_OF_LINE void finish_array(cfgate_session *s, uint32_t frame,
                                        const cfgate_ir_node *n, const vm_level *level) {
  const vm_frame *f = &s->frames[frame];
  if (n->min_items != CFGATE_IR_NONE && level->count < n->min_items)
    vm_fail(s, frame, "minItems", "array has %u item%s, fewer than the minimum %u", level->count,
            vm_plural(level->count), n->min_items);
  if (n->max_items != CFGATE_IR_NONE && level->count > n->max_items)
    vm_fail(s, frame, "maxItems", "array has %u item%s, more than the maximum %u", level->count,
            vm_plural(level->count), n->max_items);
  if (n->contains != CFGATE_IR_NONE && f->contains_ok == 0) {
    if (f->contains_unknown)
      vm_unverified(s, frame, "contains");
    else
      vm_fail(s, frame, "contains", level->count == 0 ? "array is empty, so no item matches the "
                                                        "contains schema"
                                    : level->count == 1 ? "the one item does not match the "
                                                          "contains schema"
                                                        : "none of the %u items matches the "
                                                          "contains schema",
              level->count);
  }
  if (!(n->flags & CFGATE_IR_UNIQUE_ITEMS))
    return;
  if (level->duplicate)
    vm_fail(s, frame, "uniqueItems", "items %u and %u are equal", level->duplicate_of,
            level->duplicate_at);
  else if (level->unique_unknown && level->count > 1) /* one item is always unique */
    vm_unverified(s, frame, "uniqueItems");
}

static void settle(cfgate_session *s, uint32_t frame, int result, const char *keyword,
                   const char *message) {
  if (result == VM_FAIL)
    vm_fail(s, frame, keyword, "%s", message);
  else if (result == VM_UNKNOWN)
    vm_unverified(s, frame, keyword);
}

static int one_of_result(const vm_frame *f, char *message, size_t size) {
  if (f->tally.one_ok == 1 && f->tally.one_unknown == 0)
    return VM_OK;
  if (f->tally.one_ok >= 2) {
    snprintf(message, size, "value matches more than one schema of oneOf, expected exactly one");
    return VM_FAIL;
  }
  snprintf(message, size, "value matches none of the schemas of oneOf");
  return f->tally.one_ok + f->tally.one_unknown == 0 ? VM_FAIL : VM_UNKNOWN;
}

/* Kleene (if AND then) OR (NOT if AND else). */
static int conditional_result(const vm_frame *f) {
  int when_true = vm_combine(f->tally.if_result, f->tally.then_result);
  int when_false = vm_combine(vm_invert(f->tally.if_result), f->tally.else_result);
  if (when_true == VM_OK || when_false == VM_OK)
    return VM_OK;
  return when_true == VM_FAIL && when_false == VM_FAIL ? VM_FAIL : VM_UNKNOWN;
}

/* A "not" of the empty schema rejects every value: that is how a policy's
 * deny rule reaches the runtime, so say so instead of quoting the keyword. */
static const char *not_message(const cfgate_session *s, const cfgate_ir_node *n) {
  const uint32_t constraining = CFGATE_IR_FALSE | CFGATE_IR_HAS_TYPE | CFGATE_IR_HAS_ENUM |
                                CFGATE_IR_HAS_OBJECT | CFGATE_IR_HAS_ARRAY | CFGATE_IR_HAS_STRING |
                                CFGATE_IR_HAS_NUMBER | CFGATE_IR_HAS_APPLY;

  if (vm_node(s, n->not_node)->flags & constraining)
    return "value matches the schema of not";
  return "no value is allowed here (denied by the policy)";
}

static VM_OUT_OF_LINE void finish_applicators(cfgate_session *s, uint32_t frame,
                                              const cfgate_ir_node *n) {
  const vm_frame *f = &s->frames[frame];
  char message[96];

  if (n->any_of_count && f->tally.any_ok == 0)
    settle(s, frame, f->tally.any_unknown ? VM_UNKNOWN : VM_FAIL, "anyOf",
           "value matches none of the schemas of anyOf");
  if (n->one_of_count)
    settle(s, frame, one_of_result(f, message, sizeof message), "oneOf", message);
  if (n->not_node != CFGATE_IR_NONE)
    settle(s, frame, vm_invert(f->tally.not_result), "not", not_message(s, n));
  if (n->if_node != CFGATE_IR_NONE)
    settle(s, frame, conditional_result(f), f->tally.if_result == VM_FAIL ? "else" : "then",
           f->tally.if_result == VM_FAIL ? "value does not match the else schema (the if schema does not match)"
                                   : "value does not match the then schema (the if schema matches)");
}

static VM_OUT_OF_LINE void finish_enum_nodes(cfgate_session *s, uint32_t frame,
                                             const cfgate_ir_node *n, uint32_t type) {
  const vm_frame *f = &s->frames[frame];
  if (f->tally.enum_node_ok)
    return;
  if (f->tally.enum_node_unknown) {
    vm_unverified(s, frame, "enum");
    return;
  }
  fail_enum(s, frame, n, type == CFGATE_IR_TYPE_OBJECT ? "the object" : "the array");
}

static VM_OUT_OF_LINE void finish_scalar(cfgate_session *s, uint32_t frame, uint32_t type) {
  switch (type) {
  case CFGATE_IR_TYPE_STRING:
    vm_string_finish_frame(s, frame);
    break;
  case CFGATE_IR_TYPE_NUMBER:
    vm_check_number(s, frame, s->number, s->number_text, s->number_len);
    break;
  case CFGATE_IR_TYPE_BOOLEAN:
    vm_check_scalar(s, frame, s->boolean_value ? CFGATE_IR_ENUM_TRUE : CFGATE_IR_ENUM_FALSE);
    break;
  case CFGATE_IR_TYPE_NULL:
    vm_check_scalar(s, frame, CFGATE_IR_TYPE_NULL);
    break;
  default:
    break;
  }
}

static void finish_value(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n,
                         const vm_level *level) {
  if (level->type == CFGATE_IR_TYPE_OBJECT) {
    if (n->flags & CFGATE_IR_HAS_OBJECT)
      finish_object(s, frame, n, level);
  } else if (level->type == CFGATE_IR_TYPE_ARRAY) {
    if (n->flags & CFGATE_IR_HAS_ARRAY)
      finish_array(s, frame, n, level);
  } else {
    finish_scalar(s, frame, level->type);
    return;
  }
  if (n->flags & CFGATE_IR_HAS_ENUM)
    finish_enum_nodes(s, frame, n, level->type);
}

/* Returns 1 when frame, on the object that just ended, passes with nothing
 * to check or report: no applicator or enum member waits, its object
 * keywords hold, and a success changes nothing in its parent. */
static int object_frame_passes(const cfgate_session *s, const vm_frame *f, const cfgate_ir_node *n) {
  if (n->flags & (CFGATE_IR_FALSE | CFGATE_IR_HAS_APPLY | CFGATE_IR_HAS_ENUM))
    return 0;
  if (f->result != VM_OK ||
      (f->role != VM_ROLE_CHILD && f->role != VM_ROLE_ALL_OF && f->role != VM_ROLE_ROOT))
    return 0;
  if (!(n->flags & CFGATE_IR_HAS_OBJECT))
    return 1;
  return n->dependencies_count == 0 && n->min_properties == CFGATE_IR_NONE &&
         n->max_properties == CFGATE_IR_NONE && required_seen(s, f, n->required_count);
}

/* Returns 1 when frame, on the array that just ended, passes with nothing
 * to check or report, as object_frame_passes() does for objects. An array
 * with "contains", or whose uniqueItems check found a duplicate or an
 * unknown item, takes the general path. */
static int array_frame_passes(const vm_frame *f, const cfgate_ir_node *n, const vm_level *level) {
  if (n->flags & (CFGATE_IR_FALSE | CFGATE_IR_HAS_APPLY | CFGATE_IR_HAS_ENUM))
    return 0;
  if (f->result != VM_OK ||
      (f->role != VM_ROLE_CHILD && f->role != VM_ROLE_ALL_OF && f->role != VM_ROLE_ROOT))
    return 0;
  if (!(n->flags & CFGATE_IR_HAS_ARRAY))
    return 1;
  if ((n->flags & CFGATE_IR_UNIQUE_ITEMS) && (level->duplicate || level->unique_unknown))
    return 0;
  return n->contains == CFGATE_IR_NONE &&
         (n->min_items == CFGATE_IR_NONE || level->count >= n->min_items) &&
         (n->max_items == CFGATE_IR_NONE || level->count <= n->max_items);
}

/* Runs the end-of-value checks of a frame that object_frame_passes() or
 * array_frame_passes() does not settle and reports its result to its
 * parent. */
static VM_OUT_OF_LINE void finish_general(cfgate_session *s, uint32_t frame) {
  vm_frame *f = &s->frames[frame];
  const cfgate_ir_node *n = f->def;
  const vm_level *level = &s->levels[s->depth - 1];

  int dead = f->speculative && f->result == VM_FAIL;
  if (!dead && !(n->flags & CFGATE_IR_FALSE) && level->type != VM_TYPE_UNKNOWN)
    finish_value(s, frame, n, level);
  if (!(f->speculative && f->result == VM_FAIL) && (n->flags & CFGATE_IR_HAS_APPLY))
    finish_applicators(s, frame, n);

  /* Success changes nothing in a parent that ANDs its children. */
  if (f->result == VM_OK && (f->role == VM_ROLE_CHILD || f->role == VM_ROLE_ALL_OF ||
                             f->role == VM_ROLE_ROOT))
    return;
  vm_report(s, f->parent, f->role, f->role_index, f->result);
}

/* Runs frame's end-of-value checks and reports its result to its parent.
 * A passing object frame returns after a few tests, and the compiler can
 * inline that part into its callers. */
void vm_frame_finish(cfgate_session *s, uint32_t frame) {
  const vm_frame *f = &s->frames[frame];
  const vm_level *level = &s->levels[s->depth - 1];
  if (level->type == CFGATE_IR_TYPE_OBJECT && object_frame_passes(s, f, f->def))
    return;
  if (level->type == CFGATE_IR_TYPE_ARRAY && array_frame_passes(f, f->def, level))
    return;
  finish_general(s, frame);
}
