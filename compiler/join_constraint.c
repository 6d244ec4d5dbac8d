/*
 * Policy constraints on one template node. A constraint may only narrow the
 * provider schema: it must fit the node's type, and its values and bounds
 * must lie inside the provider's own enum, const and bounds.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir_build.h"
#include "join.h"
#include "pattern_check.h"
#include "placeholder.h"
#include "provider.h"

typedef struct join_apply {
  join_ctx *join;
  json_t *out;
  json_t *original;
  const char *name;
  int types;
  const join_constraint *current; /* the constraint being applied */
  const join_constraint *seen[AST_LET_REF + 1];
  int narrowed;                       /* types left by every constraint applied so far */
  const join_constraint *narrowed_by; /* the first constraint that narrowed them */
} join_apply;

/* Reports a diagnostic about the constraint being applied. A constraint
 * that comes from a let is reported at the let reference in the rule, with
 * a note at the span inside the let. Returns 1 when the diagnostic is
 * stored, 0 when it repeats one or is past the error limit. */
static int apply_report(join_apply *a, diag_severity severity, diag_code code, src_span span,
                        const char *format, ...) __attribute__((format(printf, 5, 6)));

static int apply_report(join_apply *a, diag_severity severity, diag_code code, src_span span,
                        const char *format, ...) {
  char message[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);

  diag_sink *diags = &a->join->compile->diags;
  const ast_constraint *use = a->current ? a->current->use : NULL;
  size_t stored = diags->count;
  diag_report(diags, severity, code, use ? use->span : span, "%s", message);
  if (diags->count == stored)
    return 0;
  if (!use)
    return 1;
  if (a->current->let_through)
    diag_report(diags, DIAG_NOTE, code, span,
                "the constraint comes from let '%s', which the rule uses through %s, defined "
                "here",
                a->current->let_name, a->current->let_through);
  else
    diag_report(diags, DIAG_NOTE, code, span, "the constraint comes from let '%s', defined here",
                a->current->let_name);
  return 1;
}

typedef struct placeholder_check {
  join_apply *apply;
  const ast_string *literal;
} placeholder_check;

static void apply_check_placeholder(void *data, const char *name, size_t len, size_t offset) {
  placeholder_check *check = data;
  join_ctx *join = check->apply->join;
  if (compile_use_placeholder(join->compile, name, len)) {
    char *key = arena_strndup(&join->compile->arena, name, len);
    json_object_set_new(join->placeholders, key, json_true());
    return;
  }

  src_span span = check->literal->span;
  uint32_t start = span.start + 1 + (uint32_t)offset;
  if (start + len + 3 <= span.end)
    span = (src_span){span.file, start, start + (uint32_t)len + 3};
  if (len > 5 && strncmp(name, "AWS::", 5) == 0)
    apply_report(check->apply, DIAG_ERROR, DIAG_UNKNOWN_PLACEHOLDER, span,
                "unknown placeholder '${%.*s}' (the built-in ones are ${AWS::AccountId}, "
                "${AWS::Region}, ${AWS::Partition} and ${AWS::URLSuffix})",
                (int)len, name);
  else
    apply_report(check->apply, DIAG_ERROR, DIAG_UNKNOWN_PLACEHOLDER, span,
                "unknown placeholder '${%.*s}' (declare it with 'context %.*s', or write '${!' for "
                "a literal '${')",
                (int)len, name, (int)len, name);
}

/* Reports a `${` that starts a placeholder without completing one. */
static void apply_check_placeholder_syntax(join_apply *a, const ast_string *text,
                                           int is_pattern) {
  placeholder_defect defect;
  if (!placeholder_find_defect(text->text, is_pattern, &defect))
    return;

  src_span span = text->span;
  uint32_t start = span.start + 1 + (uint32_t)defect.offset;
  if (start + defect.len <= span.end)
    span = (src_span){span.file, start, start + (uint32_t)defect.len};
  apply_report(a, DIAG_ERROR, DIAG_INVALID_PLACEHOLDER, span, "%s '%.*s' in \"%.100s%s\": %s",
               defect.problem, (int)defect.len, text->text + defect.offset, text->text,
               text->len > 100 ? "..." : "", defect.fix);
}

static void apply_placeholders(join_apply *a, const ast_string *text, int is_pattern) {
  placeholder_check check = {a, text};
  apply_check_placeholder_syntax(a, text, is_pattern);
  placeholder_each(text->text, apply_check_placeholder, &check);
}

/* Returns 1 when a number literal is a whole number, also when written
 * with a fraction or an exponent (2.0, 1e1), as JSON Schema counts it. */
static int apply_is_whole(json_t *value) {
  if (json_is_integer(value))
    return 1;
  double number = json_real_value(value);
  return isfinite(number) && number == floor(number) && fabs(number) <= 9007199254740992.0;
}

static int apply_literal_type(const ast_literal *literal, json_t *value) {
  switch (literal->kind) {
  case AST_LITERAL_STRING:
    return PROVIDER_STRING;
  case AST_LITERAL_NUMBER:
    return apply_is_whole(value) ? PROVIDER_NUMBER | PROVIDER_INTEGER : PROVIDER_NUMBER;
  case AST_LITERAL_TRUE:
  case AST_LITERAL_FALSE:
    return PROVIDER_BOOLEAN;
  case AST_LITERAL_NULL:
    return PROVIDER_NULL;
  }
  return 0;
}

static json_t *apply_literal_value(const ast_literal *literal) {
  switch (literal->kind) {
  case AST_LITERAL_STRING:
    return json_stringn(literal->text.text, literal->text.len);
  case AST_LITERAL_NUMBER:
    return json_loads(literal->text.text, JSON_DECODE_ANY, NULL);
  case AST_LITERAL_TRUE:
    return json_true();
  case AST_LITERAL_FALSE:
    return json_false();
  case AST_LITERAL_NULL:
    return json_null();
  }
  return json_null();
}

static const char *apply_type_words(int types) {
  if (types == PROVIDER_ANY)
    return "any value";
  if (types & PROVIDER_OBJECT)
    return "an object";
  if (types & PROVIDER_ARRAY)
    return "an array";
  if (types & PROVIDER_STRING)
    return "a string";
  if (types & PROVIDER_INTEGER)
    return "an integer";
  if (types & PROVIDER_NUMBER)
    return "a number";
  if (types & PROVIDER_BOOLEAN)
    return "a boolean";
  return "null";
}

/* Returns 1 when the numbers a node accepts are integers only: its type
 * names "integer" and not "number", as "integer" or ["integer", "string"]. */
static int apply_integer_only(json_t *root, json_t *original) {
  json_t *type = json_object_get(provider_resolve(root, original), "type");
  int integer = 0, number = 0;
  size_t i;
  json_t *item;
  if (json_is_string(type))
    return strcmp(json_string_value(type), "integer") == 0;
  json_array_foreach(type, i, item) {
    const char *name = json_string_value(item);
    integer |= name && strcmp(name, "integer") == 0;
    number |= name && strcmp(name, "number") == 0;
  }
  return integer && !number;
}

/* Returns 1 when a literal of literal_types fits the node: a number with a
 * fraction needs a node whose numbers are not integers only. */
static int apply_fits_type(const join_apply *a, int literal_types) {
  if (literal_types == PROVIDER_NUMBER)
    return (a->types & PROVIDER_NUMBER) && !apply_integer_only(a->join->root, a->original);
  return (a->types & literal_types) != 0;
}

/* Checks a string literal against the provider pattern, which matcher
 * compiles once for all the values of a constraint. */
static int apply_check_pattern(join_apply *a, const ast_literal *literal,
                               pattern_matcher *matcher) {
  if (!matcher->pattern || strstr(literal->text.text, "${"))
    return 1;
  if (pattern_matcher_accepts(matcher, literal->text.text, literal->text.len) != 0)
    return 1;

  apply_report(a, DIAG_ERROR, DIAG_VALUE_REJECTED, literal->text.span,
              "'%s' does not match the provider schema's pattern for '%s': %s", literal->text.text,
              a->name, matcher->pattern);
  return 0;
}

/* Returns the number of code points of a UTF-8 string, as minLength and
 * maxLength count them. */
static double apply_code_points(const char *text) {
  double count = 0;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    count += (*p & 0xc0) != 0x80;
  return count;
}

/* Returns 1 when number is inside the provider keyword's bound (or the
 * keyword is absent). */
static int apply_within(json_t *original, const char *key, double number) {
  json_t *bound = json_object_get(original, key);
  if (!json_is_number(bound))
    return 1;
  double limit = json_number_value(bound);
  if (strcmp(key, "minimum") == 0 || strcmp(key, "minLength") == 0)
    return number >= limit;
  if (strcmp(key, "maximum") == 0 || strcmp(key, "maxLength") == 0)
    return number <= limit;
  if (strcmp(key, "exclusiveMinimum") == 0)
    return number > limit;
  return number < limit;
}

/* Checks a string literal's length, or a number literal's value, against
 * the provider's bounds. A string with placeholders is skipped, because its
 * run-time length is unknown. */
static int apply_check_value_bounds(join_apply *a, const ast_literal *literal, json_t *value) {
  static const char *const length_keys[] = {"minLength", "maxLength"};
  static const char *const number_keys[] = {"minimum", "maximum", "exclusiveMinimum",
                                            "exclusiveMaximum"};
  int is_string = literal->kind == AST_LITERAL_STRING;
  if ((!is_string && !json_is_number(value)) || (is_string && strstr(literal->text.text, "${")))
    return 1;

  double number = is_string ? apply_code_points(literal->text.text) : json_number_value(value);
  const char *const *keys = is_string ? length_keys : number_keys;
  size_t count = is_string ? 2 : 4;
  for (size_t i = 0; i < count; i++) {
    if (apply_within(a->original, keys[i], number))
      continue;
    double limit = json_number_value(json_object_get(a->original, keys[i]));
    if (is_string)
      apply_report(a, DIAG_ERROR, DIAG_VALUE_REJECTED, literal->text.span,
                  "'%s' has %g characters, outside the provider schema's %s %g for '%s'",
                  literal->text.text, number, keys[i], limit, a->name);
    else
      apply_report(a, DIAG_ERROR, DIAG_VALUE_REJECTED, literal->text.span,
                  "%s is outside the provider schema's %s %g for '%s'", literal->text.text, keys[i],
                  limit, a->name);
    return 0;
  }
  return 1;
}

enum { APPLY_MAX_BRANCH_DEPTH = 16 }; /* nested allOf/anyOf/oneOf levels searched */

static int literal_may_fit(json_t *root, json_t *schema, json_t *value, const char *text,
                           int depth);

/* Returns 1 when the branches of keyword ("allOf": all, else any) may
 * accept value. */
static int branches_may_fit(json_t *root, json_t *branches, int all, json_t *value,
                            const char *text, int depth) {
  size_t i;
  json_t *branch;
  json_array_foreach(branches, i, branch) {
    int fits = literal_may_fit(root, branch, value, text, depth + 1);
    if (all && !fits)
      return 0;
    if (!all && fits)
      return 1;
  }
  return all || json_array_size(branches) == 0;
}

/* Returns 0 when a provider node certainly rejects value through its enum,
 * const or pattern, also inside allOf, anyOf and oneOf branches, and 1
 * when it may accept it or cannot tell. text is the literal's string, or
 * NULL for other literals. */
static int literal_may_fit(json_t *root, json_t *schema, json_t *value, const char *text,
                           int depth) {
  schema = provider_resolve(root, schema);
  if (!json_is_object(schema) || depth > APPLY_MAX_BRANCH_DEPTH)
    return 1;

  json_t *allowed = json_object_get(schema, "enum");
  int in_enum = !json_is_array(allowed);
  size_t i;
  json_t *item;
  json_array_foreach(allowed, i, item)
    in_enum |= json_equal(item, value);
  json_t *fixed = json_object_get(schema, "const");
  if (!in_enum || (fixed && !json_equal(fixed, value)))
    return 0;

  const char *pattern = json_string_value(json_object_get(schema, "pattern"));
  if (text && pattern && pattern_accepts(pattern, text, strlen(text)) == 0)
    return 0;

  return branches_may_fit(root, json_object_get(schema, "allOf"), 1, value, text, depth) &&
         (!json_is_array(json_object_get(schema, "anyOf")) ||
          branches_may_fit(root, json_object_get(schema, "anyOf"), 0, value, text, depth)) &&
         (!json_is_array(json_object_get(schema, "oneOf")) ||
          branches_may_fit(root, json_object_get(schema, "oneOf"), 0, value, text, depth));
}

/* Checks the literal against the allOf, anyOf and oneOf branches of the
 * provider node, whose enums and patterns can reject it too. */
static int apply_check_branches(join_apply *a, const ast_literal *literal, json_t *value) {
  const char *text = literal->kind == AST_LITERAL_STRING ? literal->text.text : NULL;
  if (text && strstr(text, "${"))
    return 1;

  json_t *root = a->join->root;
  json_t *node = a->original;
  static const char *const keywords[] = {"allOf", "anyOf", "oneOf"};
  for (size_t i = 0; i < 3; i++) {
    json_t *branches = json_object_get(node, keywords[i]);
    if (!json_is_array(branches) ||
        branches_may_fit(root, branches, i == 0, value, text, 0))
      continue;
    apply_report(a, DIAG_ERROR, DIAG_VALUE_REJECTED, literal->text.span,
                 "the provider schema does not allow '%s' for '%s': %s of its %s branches "
                 "accepts it",
                 literal->text.text, a->name, i == 0 ? "not every one" : "none", keywords[i]);
    return 0;
  }
  return 1;
}

/* Writes " (it allows 'A', 'B' or 'C')" for a provider enum of a few
 * strings into out, and for a literal with a placeholder, why it cannot
 * pass and what to write instead. Writes "" when neither applies. */
static void describe_allowed(json_t *allowed, const ast_literal *literal, char *out, size_t size) {
  enum { LISTED_VALUES_MAX = 8 };
  size_t count = json_array_size(allowed), used = 0, i;
  json_t *item;

  out[0] = '\0';
  if (count > 0 && count <= LISTED_VALUES_MAX) {
    used = (size_t)snprintf(out, size, " (it allows");
    json_array_foreach(allowed, i, item) {
      if (!json_is_string(item) || used >= size) {
        out[0] = '\0';
        used = 0;
        break;
      }
      used += (size_t)snprintf(out + used, size - used, "%s'%s'", i == 0 ? " " :
                               i + 1 == count ? " or " : ", ", json_string_value(item));
    }
    if (used > 0 && used < size)
      used += (size_t)snprintf(out + used, size - used, ")");
  }

  if (literal->kind == AST_LITERAL_STRING && strstr(literal->text.text, "${") && used < size)
    snprintf(out + used, size - used, "; a value with a placeholder must be one of them as "
                                      "written, so list the allowed values with 'in [...]'");
}

/* Checks a literal against the provider node: type, enum, const, bounds
 * and pattern. A string with placeholders skips the pattern check, because its
 * run-time value is unknown. */
static int apply_check_literal(join_apply *a, const ast_literal *literal, json_t *value,
                               pattern_matcher *matcher) {
  int literal_types = apply_literal_type(literal, value);
  if (!apply_fits_type(a, literal_types)) {
    char property[80];
    provider_type_phrase(a->types, property, sizeof property);
    apply_report(a, DIAG_ERROR, DIAG_WRONG_KIND, literal->text.span,
                "'%s' is %s, but '%s' is %s", literal->text.text, apply_type_words(literal_types),
                a->name, property);
    return 0;
  }

  json_t *allowed = json_object_get(a->original, "enum");
  json_t *fixed = json_object_get(a->original, "const");
  int in_enum = !allowed;
  size_t i;
  json_t *item;
  json_array_foreach(allowed, i, item)
    in_enum |= json_equal(item, value);
  if (!in_enum || (fixed && !json_equal(fixed, value))) {
    char hint[400];
    describe_allowed(in_enum ? NULL : allowed, literal, hint, sizeof hint);
    apply_report(a, DIAG_ERROR, DIAG_VALUE_REJECTED, literal->text.span,
                "the provider schema does not allow '%s' for '%s'%s", literal->text.text, a->name,
                hint);
    return 0;
  }

  if (!apply_check_branches(a, literal, value))
    return 0;

  if (literal->kind == AST_LITERAL_STRING)
    apply_placeholders(a, &literal->text, 0);
  if (!apply_check_value_bounds(a, literal, value))
    return 0;
  return literal->kind != AST_LITERAL_STRING || apply_check_pattern(a, literal, matcher);
}

/* Returns 1 when number text starts with a 0 followed by a digit, as in 01
 * or -007, which JSON does not allow. */
static int has_leading_zero(const char *text) {
  if (*text == '-')
    text++;
  return text[0] == '0' && text[1] >= '0' && text[1] <= '9';
}

/* Reports a number that JSON cannot hold as an integer or a double. */
static int apply_number_fits(join_apply *a, const ast_string *text, json_t *value) {
  if (value)
    return 1;
  if (has_leading_zero(text->text))
    apply_report(a, DIAG_ERROR, DIAG_INVALID_NUMBER, text->span,
                 "number %s has a leading zero, which JSON does not allow", text->text);
  else
    apply_report(a, DIAG_ERROR, DIAG_INVALID_NUMBER, text->span,
                 "number %s is out of range (integers up to 64 bits, decimals as doubles)",
                 text->text);
  return 0;
}

typedef struct placeholder_search {
  const compile_ctx *compile;
  int found; /* 1 once a declared placeholder was seen */
} placeholder_search;

static void apply_find_placeholder(void *data, const char *name, size_t len, size_t offset) {
  placeholder_search *search = data;
  (void)offset;
  search->found |= compile_is_placeholder(search->compile, name, len);
}

/* Returns 1 when a string literal contains a declared placeholder, so that
 * the validator matches it per session instead of as fixed text. */
static int apply_has_placeholder(const join_apply *a, const ast_literal *literal) {
  placeholder_search search = {a->join->compile, 0};
  if (literal->kind == AST_LITERAL_STRING)
    placeholder_each(literal->text.text, apply_find_placeholder, &search);
  return search.found;
}

/* The validator matches the strings with placeholders of one enum in turn,
 * and ir_build() takes at most IR_MAX_PLACEHOLDER_STRINGS of them. */
_Static_assert(DSL_MAX_PLACEHOLDER_VALUES <= IR_MAX_PLACEHOLDER_STRINGS,
               "the DSL limit must fit the validator's limit");

static void apply_values(join_apply *a, const ast_constraint *c) {
  pattern_matcher matcher;
  pattern_matcher_init(&matcher, json_string_value(json_object_get(a->original, "pattern")));

  json_t *values = json_array();
  size_t with_placeholders = 0;
  for (const ast_literal *literal = c->values; literal; literal = literal->next) {
    json_t *value = apply_literal_value(literal);
    if (!apply_number_fits(a, &literal->text, value))
      continue;
    int has_placeholder = apply_has_placeholder(a, literal);
    with_placeholders += (size_t)has_placeholder;
    if (has_placeholder && with_placeholders == DSL_MAX_PLACEHOLDER_VALUES + 1)
      apply_report(a, DIAG_ERROR, DIAG_LIMIT, literal->text.span,
                   "too many strings with placeholders in an 'in' list (limit is %d)",
                   DSL_MAX_PLACEHOLDER_VALUES);
    if (apply_check_literal(a, literal, value, &matcher))
      json_array_append(values, value);
    json_decref(value);
  }
  pattern_matcher_fini(&matcher);

  if (c->kind == AST_CONST)
    json_object_set(a->out, "const", json_array_get(values, 0));
  else
    json_object_set(a->out, "enum", values);
  json_decref(values);
}

static int apply_require_type(join_apply *a, const ast_constraint *c, int type) {
  if (a->types & type)
    return 1;
  char property[80];
  provider_type_phrase(a->types, property, sizeof property);
  apply_report(a, DIAG_ERROR, DIAG_WRONG_KIND, c->span, "'%s' needs %s, but '%s' is %s",
              ast_constraint_name(c->kind), apply_type_words(type), a->name, property);
  return 0;
}

static void apply_pattern(join_apply *a, const ast_constraint *c) {
  apply_placeholders(a, &c->pattern, 1);
  if (!pattern_check_syntax(a->join->compile, &c->pattern))
    return;
  json_t *pattern = json_string(c->pattern.text);
  if (!json_object_get(a->out, "pattern")) {
    json_object_set_new(a->out, "pattern", pattern);
    return;
  }

  json_t *all = json_object_get(a->out, "allOf");
  if (!all) {
    all = json_array();
    json_object_set_new(a->out, "allOf", all);
  }
  json_t *branch = json_pack("{s:o}", "pattern", pattern);
  if (a->current)
    join_record_rule_keywords(a->join, branch, a->current->rule, NULL);
  json_array_append_new(all, branch);
}

typedef struct apply_bounds_spec {
  int type;
  const char *min_key, *max_key;
  const char *exclusive_min_key, *exclusive_max_key; /* NULL for lengths and item counts */
  int whole;                                         /* 1: bounds are counts (integers >= 0) */
} apply_bounds_spec;

static int apply_bound_value(join_apply *a, const ast_bound *bound, int whole, double *value) {
  if (!bound->present)
    return 1;
  *value = strtod(bound->number.text, NULL);
  if (whole && !(*value >= 0 && *value <= 4294967295.0 && *value == floor(*value))) {
    apply_report(a, DIAG_ERROR, DIAG_INVALID_RANGE, bound->number.span,
                "'%s' is not a count: use a whole number from 0 to 4294967295", bound->number.text);
    return 0;
  }
  return 1;
}

static int apply_outside(join_apply *a, const ast_bound *bound, const char *key, double value,
                         int below, int exclusive) {
  json_t *limit = key ? json_object_get(a->original, key) : NULL;
  if (!bound->present || !json_is_number(limit))
    return 0;
  double provider = json_number_value(limit);
  int outside = below ? (exclusive ? value <= provider : value < provider)
                      : (exclusive ? value >= provider : value > provider);
  if (outside)
    apply_report(
        a, DIAG_ERROR, DIAG_OUT_OF_BOUNDS, bound->number.span,
        "%s %s is outside the provider schema's %s %g for '%s' (a policy may only narrow it)",
        below ? "lower bound" : "upper bound", bound->number.text, key, provider, a->name);
  return outside;
}

/* A count is written as an integer even when the policy spells it 1.0 or 5e0. */
static void apply_set_bound(join_apply *a, const ast_bound *bound, const char *key, int whole) {
  if (!bound->present)
    return;
  json_t *value = whole ? json_integer((json_int_t)strtod(bound->number.text, NULL))
                        : json_loads(bound->number.text, JSON_DECODE_ANY, NULL);
  if (apply_number_fits(a, &bound->number, value))
    json_object_set_new(a->out, key, value);
}

static void apply_bounds(join_apply *a, const ast_constraint *c, const apply_bounds_spec *spec) {
  if (!apply_require_type(a, c, spec->type))
    return;
  double low = 0, high = 0;
  if (!apply_bound_value(a, &c->low, spec->whole, &low) ||
      !apply_bound_value(a, &c->high, spec->whole, &high))
    return;
  if (c->low.present && c->high.present && low > high) {
    apply_report(a, DIAG_ERROR, DIAG_INVALID_RANGE, c->span,
                "empty range: %s is greater than %s", c->low.number.text, c->high.number.text);
    return;
  }
  if (!spec->whole && apply_integer_only(a->join->root, a->original) && c->low.present &&
      c->high.present && ceil(low) > floor(high))
    apply_report(a, DIAG_WARNING, DIAG_UNSATISFIABLE, c->span,
                 "no value satisfies '%s': it is an integer, and no integer lies in %s..%s",
                 a->name, c->low.number.text, c->high.number.text);

  int outside = apply_outside(a, &c->low, spec->min_key, low, 1, 0) +
                apply_outside(a, &c->low, spec->exclusive_min_key, low, 1, 1) +
                apply_outside(a, &c->high, spec->max_key, high, 0, 0) +
                apply_outside(a, &c->high, spec->exclusive_max_key, high, 0, 1);
  if (outside)
    return;
  apply_set_bound(a, &c->low, spec->min_key, spec->whole);
  apply_set_bound(a, &c->high, spec->max_key, spec->whole);
}

static void apply_one(join_apply *a, const ast_constraint *c) {
  static const apply_bounds_spec length = {
      PROVIDER_STRING, "minLength", "maxLength", NULL, NULL, 1};
  static const apply_bounds_spec range = {PROVIDER_NUMBER,    "minimum",          "maximum",
                                          "exclusiveMinimum", "exclusiveMaximum", 0};
  static const apply_bounds_spec items = {PROVIDER_ARRAY, "minItems", "maxItems", NULL, NULL, 1};
  switch (c->kind) {
  case AST_CONST:
  case AST_ENUM:
    apply_values(a, c);
    break;
  case AST_PATTERN:
    if (apply_require_type(a, c, PROVIDER_STRING))
      apply_pattern(a, c);
    break;
  case AST_LENGTH:
    apply_bounds(a, c, &length);
    break;
  case AST_RANGE:
    apply_bounds(a, c, &range);
    break;
  case AST_ITEMS:
    apply_bounds(a, c, &items);
    break;
  case AST_UNIQUE:
    if (apply_require_type(a, c, PROVIDER_ARRAY))
      json_object_set_new(a->out, "uniqueItems", json_true());
    break;
  case AST_REQUIRED:
  case AST_LET_REF:
    break;
  }
}

static void apply_format_position(join_apply *a, src_span span, char *out, size_t size) {
  uint32_t line, column;
  const src_file *file = &a->join->compile->sources.files[span.file];
  src_position(file, span.start, &line, &column);
  snprintf(out, size, "%s:%u:%u", file->path, line, column);
}

/* Adds a note at an earlier constraint that comes from a let, after an
 * error about a later one that names it. The note names the let and the
 * lets the rule reaches it through. When the later constraint comes
 * through another let reference or none, it also gives the position of the
 * reference that leads to the earlier one. */
static void apply_note_first(join_apply *a, diag_code code, const join_constraint *first) {
  if (!first->use)
    return;

  diag_sink *diags = &a->join->compile->diags;
  src_span span = first->constraint->span;
  const char *kind = ast_constraint_name(first->constraint->kind);
  if (first->use != a->current->use) {
    char use[1100];
    apply_format_position(a, first->use->span, use, sizeof use);
    if (first->let_through)
      diag_report(diags, DIAG_NOTE, code, span,
                  "the first '%s' comes from let '%s', used at %s through %s, defined here",
                  kind, first->let_name, use, first->let_through);
    else
      diag_report(diags, DIAG_NOTE, code, span,
                  "the first '%s' comes from let '%s', used at %s, defined here", kind,
                  first->let_name, use);
  } else if (first->let_through) {
    diag_report(diags, DIAG_NOTE, code, span,
                "the first '%s' comes from let '%s', which the rule uses through %s, defined "
                "here",
                kind, first->let_name, first->let_through);
  } else {
    diag_report(diags, DIAG_NOTE, code, span, "the first '%s' comes from let '%s', defined here",
                kind, first->let_name);
  }
}

/* Reports a second '=', 'in', 'pattern' or bounds constraint of the same
 * group on one node (an error), or a repeated 'required' or 'unique' (a
 * warning, because repeating them changes nothing). Returns 1 when c must
 * not be applied. */
static int apply_conflict(join_apply *a, const join_constraint *item) {
  const ast_constraint *c = item->constraint;
  int same_group = c->kind == AST_CONST || c->kind == AST_ENUM;
  const join_constraint *first = a->seen[c->kind];
  if (!first && same_group)
    first = a->seen[c->kind == AST_CONST ? AST_ENUM : AST_CONST];
  if (!first) {
    a->seen[c->kind] = item;
    return 0;
  }

  /* The position where the first constraint is written, inside its let
   * when it has one: the let reference can be the same one that the second
   * constraint comes through. */
  char where[1100];
  apply_format_position(a, first->constraint->span, where, sizeof where);
  if (c->kind == AST_REQUIRED || c->kind == AST_UNIQUE) {
    if (apply_report(a, DIAG_WARNING, DIAG_DUPLICATE_CONSTRAINT, c->span,
                     "'%s' of '%s' is already given at %s", ast_constraint_name(c->kind),
                     a->name, where))
      apply_note_first(a, DIAG_DUPLICATE_CONSTRAINT, first);
    return 1;
  }
  if (apply_report(a, DIAG_ERROR, DIAG_CONFLICT, c->span,
                   "'%s' of '%s' is already constrained by '%s' at %s",
                   ast_constraint_name(c->kind), a->name,
                   ast_constraint_name(first->constraint->kind), where))
    apply_note_first(a, DIAG_CONFLICT, first);
  return 1;
}

/* Narrows the node's types by an applied constraint, or reports that an
 * earlier constraint already left none of the types this one checks
 * (`pattern` and `items` on a string-or-array property). Returns the types
 * the constraint checks, or PROVIDER_ANY after an error. */
static int apply_narrow(join_apply *a, const join_constraint *item) {
  int types = join_constraint_types(item->constraint);
  if (types == PROVIDER_ANY || !(a->types & types))
    return PROVIDER_ANY;
  if (a->narrowed & types) {
    if ((a->narrowed & types) != a->narrowed && !a->narrowed_by)
      a->narrowed_by = item;
    a->narrowed &= types;
    return types;
  }

  char where[1100];
  const ast_constraint *c = item->constraint;
  apply_format_position(a, a->narrowed_by->constraint->span, where, sizeof where);
  if (apply_report(a, DIAG_ERROR, DIAG_CONFLICT, c->span,
                   "'%s' needs %s, but '%s' at %s already limits '%s' to %s",
                   ast_constraint_name(c->kind), apply_type_words(types & a->types),
                   ast_constraint_name(a->narrowed_by->constraint->kind), where, a->name,
                   apply_type_words(a->narrowed & a->types)))
    apply_note_first(a, DIAG_CONFLICT, a->narrowed_by);
  return PROVIDER_ANY;
}

/* Applies the constraints that come from `rule` to a->out, and narrows
 * a->out's type to the forms those constraints check. */
static void apply_rule_constraints(join_apply *a, const join_constraint *constraints,
                                   const ast_rule *rule) {
  int types = PROVIDER_ANY;
  for (const join_constraint *c = constraints; c; c = c->next) {
    if (c->rule != rule)
      continue;
    a->current = c;
    size_t errors = a->join->compile->diags.errors;
    if (!apply_conflict(a, c))
      apply_one(a, c->constraint);
    if (a->join->compile->diags.errors == errors)
      types &= apply_narrow(a, c);
  }
  a->current = NULL;
  join_narrow_type(a->out, a->original, a->types, types);
}

/* Returns 1 when an earlier item of the list comes from the same rule. */
static int apply_rule_seen(const join_constraint *constraints, const join_constraint *item) {
  for (const join_constraint *c = constraints; c != item; c = c->next)
    if (c->rule == item->rule)
      return 1;
  return 0;
}

/* Puts the constraints of `rule` into a new allOf branch of out that
 * records the rule, so a rejected value names that rule and its because. */
static void apply_rule_branch(join_apply *a, json_t *out, const join_constraint *constraints,
                              const ast_rule *rule) {
  a->out = json_object();
  apply_rule_constraints(a, constraints, rule);
  if (json_object_size(a->out) == 0) {
    json_decref(a->out);
    return;
  }

  join_record_rule_keywords(a->join, a->out, rule, NULL);
  json_t *all = json_object_get(out, "allOf");
  if (!all) {
    all = json_array();
    json_object_set_new(out, "allOf", all);
  }
  json_array_append_new(all, a->out);
}

json_t *join_apply_constraints(join_ctx *join, json_t *out, json_t *original,
                               const join_constraint *constraints, const char *name,
                               const ast_rule *node_rule) {
  if (!json_is_object(out))
    return out;
  if (json_object_get(out, "$ref")) {
    /* The wrapper repeats the definition's type, so that coercion reads a
     * string such as "50" as the number its own bounds apply to. */
    json_t *wrapper = json_pack("{s:[o]}", "allOf", out);
    json_t *type = json_object_get(original, "type");
    if (type)
      json_object_set(wrapper, "type", type);
    out = wrapper;
  }

  const char *slash = strrchr(name, '/');
  join_apply a = {join,
                  out,
                  original,
                  slash ? slash + 1 : name,
                  provider_types(join->root, original),
                  NULL,
                  {0},
                  PROVIDER_ANY,
                  NULL};
  if (strcmp(a.name, "*") == 0)
    a.name = name;

  /* The node records node_rule, so that rule's constraints go on the node
   * itself and every other rule's constraints into a branch of their own.
   * Rules are applied in source order, so a conflict names the later one. */
  size_t errors = join->compile->diags.errors;
  for (const join_constraint *c = constraints; c; c = c->next) {
    if (apply_rule_seen(constraints, c))
      continue;
    a.out = out;
    if (c->rule == node_rule)
      apply_rule_constraints(&a, constraints, node_rule);
    else
      apply_rule_branch(&a, out, constraints, c->rule);
  }

  if (join->compile->diags.errors == errors)
    join_check_const(join, constraints, a.name);
  return out;
}

/* The keywords that constrain a value itself, as listed in a rule's
 * keywords. Other keywords (additionalProperties, not, allOf, ...) are the
 * structure that the policy closes, whatever the provider gives. */
static const char *const value_keywords[] = {
  "const",     "enum",      "pattern",          "format",           "minLength",
  "maxLength", "minimum",   "maximum",          "exclusiveMinimum", "exclusiveMaximum",
  "multipleOf", "minItems", "maxItems",         "uniqueItems",      "minProperties",
  "maxProperties", "required", "type",
};

void join_record_rule_keywords(join_ctx *join, json_t *out, const ast_rule *rule,
                               json_t *before) {
  if (!json_is_object(out))
    return;
  join_record_rule(join, out, rule);

  json_t *keywords = json_array();
  for (size_t i = 0; i < sizeof value_keywords / sizeof value_keywords[0]; i++) {
    json_t *value = json_object_get(out, value_keywords[i]);
    if (value && !json_equal(value, json_object_get(before, value_keywords[i])))
      json_array_append_new(keywords, json_string(value_keywords[i]));
  }
  json_object_set_new(json_object_get(out, "x-cfgate-rule"), "keywords", keywords);
}

void join_record_rule(join_ctx *join, json_t *out, const ast_rule *rule) {
  if (!json_is_object(out))
    return;
  const src_file *file = &join->compile->sources.files[rule->span.file];
  uint32_t line, column;
  src_position(file, rule->span.start, &line, &column);
  json_t *record = json_pack("{s:s, s:I, s:I}", "file", file->path, "line", (json_int_t)line,
                             "column", (json_int_t)column);
  if (rule->has_because)
    json_object_set_new(record, "because", json_stringn(rule->because.text, rule->because.len));
  json_object_set_new(out, "x-cfgate-rule", record);
}
