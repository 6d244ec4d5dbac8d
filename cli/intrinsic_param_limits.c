/*
 * The constraints CloudFormation checks on a parameter value before a
 * deployment: MinLength, MaxLength and AllowedPattern on a String, a number
 * within MinValue and MaxValue on a Number. A --parameter value that breaks
 * one is invalid, as CloudFormation rejects such a deployment.
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

/* Returns 1 when the whole value matches pattern (an ECMA-262 reading of
 * CloudFormation's Java pattern), 0 when it does not, and -1 when the
 * pattern cannot be compiled or matched here. */
static int pattern_matches(const char *pattern, const char *value) {
  size_t len = strlen(pattern);
  char *anchored = malloc(len + 8);
  if (!anchored)
    return -1;
  memcpy(anchored, "^(?:", 4);
  memcpy(anchored + 4, pattern, len);
  memcpy(anchored + 4 + len, ")$", 3);

  re_error error;
  cfgate_re *re = re_compile(anchored, len + 6, NULL, &error);
  free(anchored);
  if (!re)
    return -1;
  void *state = malloc(cfgate_re_state_size(re, NULL));
  int result = state ? cfgate_re_match(re, state, NULL, (const unsigned char *)value,
                                       strlen(value))
                     : -1;
  free(state);
  re_free(re);
  return result;
}

static const tnode *check_string(intrinsic_context *ctx, const char *name, const tnode *parameter,
                                 const char *value, const tnode *where) {
  size_t length = utf8_count(value, strlen(value));
  double bound;
  if (number_field(parameter, "MinLength", &bound) && (double)length < bound)
    return intrinsic_fail(ctx, where, "--parameter %s=%s has %zu characters, fewer than the "
                          "parameter's MinLength %g", name, value, length, bound);
  if (number_field(parameter, "MaxLength", &bound) && (double)length > bound)
    return intrinsic_fail(ctx, where, "--parameter %s=%s has %zu characters, more than the "
                          "parameter's MaxLength %g", name, value, length, bound);

  const char *pattern = intrinsic_scalar_text(tnode_get(parameter, "AllowedPattern"));
  if (pattern && pattern_matches(pattern, value) == 0)
    return intrinsic_fail(ctx, where, "--parameter %s=%s does not match the parameter's "
                          "AllowedPattern '%s'", name, value, pattern);
  return where;
}

static const tnode *check_number(intrinsic_context *ctx, const char *name, const tnode *parameter,
                                 const char *value, const tnode *where) {
  char *end = NULL;
  double number = strtod(value, &end);
  if (!*value || *end != '\0' || !isfinite(number))
    return intrinsic_fail(ctx, where, "--parameter %s=%s is not a number, as the parameter's "
                          "Type Number requires", name, value);

  double bound;
  if (number_field(parameter, "MinValue", &bound) && number < bound)
    return intrinsic_fail(ctx, where, "--parameter %s=%s is less than the parameter's MinValue "
                          "%g", name, value, bound);
  if (number_field(parameter, "MaxValue", &bound) && number > bound)
    return intrinsic_fail(ctx, where, "--parameter %s=%s is greater than the parameter's "
                          "MaxValue %g", name, value, bound);
  return where;
}

const tnode *intrinsic_parameter_limits(intrinsic_context *ctx, const char *name,
                                        const tnode *parameter, const char *value,
                                        const tnode *where) {
  const char *type = parameter_type(parameter);
  if (strcmp(type, "String") == 0)
    return check_string(ctx, name, parameter, value, where);
  if (strcmp(type, "Number") == 0)
    return check_number(ctx, name, parameter, value, where);
  return where;
}
