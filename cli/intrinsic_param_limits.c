/*
 * The constraints CloudFormation checks on a parameter value before a
 * deployment: MinLength, MaxLength and AllowedPattern on a String
 * (AllowedPattern on each item of a CommaDelimitedList), a number within
 * MinValue and MaxValue on a Number. A --parameter value or a Default that
 * breaks one is invalid, as CloudFormation rejects such a deployment.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "re/re_compile.h"
#include "utf8.h"

/* Returns the parameter's Type, or "" when it has none. */
static const char *parameter_type(const tnode *parameter) {
  const tnode *type = tnode_get(parameter, "Type");
  return type && type->kind == TNODE_STRING ? type->text : "";
}

/* Reads a numeric field (MinLength: 3 or "3"). Returns 1 with
 * *out set, or 0 when the field is missing or not a number. */
static int number_field(const tnode *parameter, const char *field, double *out) {
  const char *text = intrinsic_scalar_text(tnode_get(parameter, field));
  char *end = NULL;
  if (!text || !*text)
    return 0;
  *out = strtod(text, &end);
  return *end == '\0' && isfinite(*out);
}

/* Returns 1 when the whole of value[0..len) matches pattern (an ECMA-262
 * reading of CloudFormation's Java pattern), 0 when it does not, and -1
 * when the pattern cannot be compiled or matched here. */
static int pattern_matches(const char *pattern, const char *value, size_t len) {
  size_t pattern_len = strlen(pattern);
  char *anchored = malloc(pattern_len + 8);
  if (!anchored)
    return -1;
  memcpy(anchored, "^(?:", 4);
  memcpy(anchored + 4, pattern, pattern_len);
  memcpy(anchored + 4 + pattern_len, ")$", 3);

  /* One short value is matched, so the NFA, which needs no construction,
   * beats a DFA built for the whole pattern first (up to its state limit). */
  re_compile_options options;
  re_compile_options_default(&options);
  options.force_nfa = 1;
  re_error error;
  cfgate_re *re = re_compile(anchored, pattern_len + 6, &options, &error);
  free(anchored);
  if (!re)
    return -1;
  void *state = malloc(cfgate_re_state_size(re, NULL));
  int result = state ? cfgate_re_match(re, state, NULL, (const unsigned char *)value, len) : -1;
  free(state);
  re_free(re);
  return result;
}

/* Finds the first item of a CommaDelimitedList value, with the spaces
 * around it removed as CloudFormation does, that AllowedPattern rejects. */
static int find_list_item(const char *pattern, const char *value, parameter_limit *out) {
  for (const char *next = value; next;) {
    size_t len = 0;
    const char *item = intrinsic_list_member(next, &len, &next);
    if (pattern_matches(pattern, item, len) == 0) {
      out->kind = PARAMETER_LIMIT_PATTERN;
      out->item = item;
      out->item_len = len;
      return 1;
    }
  }
  return 0;
}

static int find_string(const tnode *parameter, const char *value, parameter_limit *out) {
  out->length = utf8_count(value, strlen(value));
  if (number_field(parameter, "MinLength", &out->bound) && (double)out->length < out->bound) {
    out->kind = PARAMETER_LIMIT_MIN_LENGTH;
    return 1;
  }
  if (number_field(parameter, "MaxLength", &out->bound) && (double)out->length > out->bound) {
    out->kind = PARAMETER_LIMIT_MAX_LENGTH;
    return 1;
  }
  if (out->pattern && pattern_matches(out->pattern, value, strlen(value)) == 0) {
    out->kind = PARAMETER_LIMIT_PATTERN;
    return 1;
  }
  return 0;
}

static int find_number(const tnode *parameter, const char *value, parameter_limit *out) {
  char *end = NULL;
  double number = strtod(value, &end);
  if (!*value || *end != '\0' || !isfinite(number)) {
    out->kind = PARAMETER_LIMIT_NOT_NUMBER;
    return 1;
  }
  if (number_field(parameter, "MinValue", &out->bound) && number < out->bound) {
    out->kind = PARAMETER_LIMIT_MIN_VALUE;
    return 1;
  }
  if (number_field(parameter, "MaxValue", &out->bound) && number > out->bound) {
    out->kind = PARAMETER_LIMIT_MAX_VALUE;
    return 1;
  }
  return 0;
}

int intrinsic_parameter_limit_find(const tnode *parameter, const char *value,
                                   parameter_limit *out) {
  const char *type = parameter_type(parameter);
  memset(out, 0, sizeof *out);
  out->pattern = intrinsic_scalar_text(tnode_get(parameter, "AllowedPattern"));

  if (strcmp(type, "String") == 0)
    return find_string(parameter, value, out);
  if (strcmp(type, "Number") == 0)
    return find_number(parameter, value, out);
  if (strcmp(type, "CommaDelimitedList") == 0 && out->pattern)
    return find_list_item(out->pattern, value, out);
  return 0;
}

const tnode *intrinsic_parameter_limits(intrinsic_context *ctx, const char *name,
                                        const tnode *parameter, const char *value,
                                        const tnode *where) {
  parameter_limit limit;
  if (!intrinsic_parameter_limit_find(parameter, value, &limit))
    return where;

  switch (limit.kind) {
  case PARAMETER_LIMIT_MIN_LENGTH:
    return intrinsic_fail(ctx, where, "--parameter %s=%s has %zu characters, fewer than the "
                          "parameter's MinLength %g", name, value, limit.length, limit.bound);
  case PARAMETER_LIMIT_MAX_LENGTH:
    return intrinsic_fail(ctx, where, "--parameter %s=%s has %zu characters, more than the "
                          "parameter's MaxLength %g", name, value, limit.length, limit.bound);
  case PARAMETER_LIMIT_PATTERN:
    if (limit.item)
      return intrinsic_fail(ctx, where, "item '%.*s' of --parameter %s=%s does not match the "
                            "parameter's AllowedPattern '%s'", (int)limit.item_len, limit.item,
                            name, value, limit.pattern);
    return intrinsic_fail(ctx, where, "--parameter %s=%s does not match the parameter's "
                          "AllowedPattern '%s'", name, value, limit.pattern);
  case PARAMETER_LIMIT_NOT_NUMBER:
    return intrinsic_fail(ctx, where, "--parameter %s=%s is not a number, as the parameter's "
                          "Type Number requires", name, value);
  case PARAMETER_LIMIT_MIN_VALUE:
    return intrinsic_fail(ctx, where, "--parameter %s=%s is less than the parameter's MinValue "
                          "%g", name, value, limit.bound);
  case PARAMETER_LIMIT_MAX_VALUE:
    return intrinsic_fail(ctx, where, "--parameter %s=%s is greater than the parameter's "
                          "MaxValue %g", name, value, limit.bound);
  default:
    return where;
  }
}
