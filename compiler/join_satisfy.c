/*
 * Satisfiability of a node's `=` and `in` values: each value must also pass
 * the node's other policy constraints (pattern, length and range). An `=`
 * value that fails means no value at all is accepted there, and an `in`
 * value that fails is never accepted. Strings with placeholders are
 * skipped, because their run-time value is unknown.
 */
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "pattern_check.h"

typedef struct satisfy_check {
  join_ctx *join;
  const join_constraint *fixed; /* the `=` or `in` constraint */
  const ast_literal *literal;   /* the value being checked */
  const char *name;             /* the property, for messages */
} satisfy_check;

src_span join_constraint_span(const join_constraint *c) {
  return c->use ? c->use->span : c->constraint->span;
}

/* Reports the `=` value failing `other`, quoting other's source text. */
static void satisfy_report(satisfy_check *check, const join_constraint *other) {
  const src_file *files = check->join->compile->sources.files;
  src_span text = other->constraint->span;
  src_span span = join_constraint_span(other);
  uint32_t line, column;
  src_position(&files[span.file], span.start, &line, &column);

  const ast_literal *literal = check->literal;
  const char *quote = literal->kind == AST_LITERAL_STRING ? "\"" : "";
  if (check->fixed->constraint->kind == AST_ENUM) {
    diag_report(&check->join->compile->diags, DIAG_WARNING, DIAG_UNSATISFIABLE, literal->text.span,
                "'in' value %s%s%s of '%s' is never accepted: it fails '%.*s' at %s:%u:%u",
                quote, literal->text.text, quote, check->name, (int)(text.end - text.start),
                files[text.file].text + text.start, files[span.file].path, line, column);
    return;
  }
  diag_report(&check->join->compile->diags, DIAG_WARNING, DIAG_UNSATISFIABLE,
              join_constraint_span(check->fixed),
              "no value satisfies '%s': its '=' value %s%s%s fails '%.*s' at %s:%u:%u",
              check->name, quote, literal->text.text, quote, (int)(text.end - text.start),
              files[text.file].text + text.start, files[span.file].path, line, column);
}

static double satisfy_code_points(const char *text) {
  double count = 0;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    count += (*p & 0xc0) != 0x80;
  return count;
}

/* Returns 1 when value lies inside the constraint's bounds. */
static int satisfy_within(const ast_constraint *c, double value) {
  if (c->low.present && value < strtod(c->low.number.text, NULL))
    return 0;
  return !c->high.present || value <= strtod(c->high.number.text, NULL);
}

/* Returns 1 when text is one JSON number and nothing else. */
static int satisfy_is_json_number(const char *text) {
  const char *p = text + (*text == '-');
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    p += strspn(p, "0123456789");
  else
    return 0;
  if (*p == '.') {
    size_t digits = strspn(p + 1, "0123456789");
    if (!digits)
      return 0;
    p += 1 + digits;
  }
  if (*p == 'e' || *p == 'E') {
    p += 1 + (p[1] == '+' || p[1] == '-');
    size_t digits = strspn(p, "0123456789");
    if (!digits)
      return 0;
    p += digits;
  }
  return *p == '\0';
}

/* Returns 1 when a value can pass a range. A range narrows a union type to
 * its numbers, so a string passes only as the number it reads as under
 * CloudFormation coercion ("2" as 2), and true, false and null never. */
static int satisfy_range(const ast_constraint *c, const ast_literal *literal) {
  if (literal->kind == AST_LITERAL_STRING && !satisfy_is_json_number(literal->text.text))
    return 0;
  if (literal->kind != AST_LITERAL_STRING && literal->kind != AST_LITERAL_NUMBER)
    return 0;
  return satisfy_within(c, strtod(literal->text.text, NULL));
}

static void satisfy_check_one(satisfy_check *check, const join_constraint *other) {
  const ast_constraint *c = other->constraint;
  const ast_literal *literal = check->literal;
  int is_string = literal->kind == AST_LITERAL_STRING;
  switch (c->kind) {
  case AST_PATTERN:
    if (is_string && !strstr(c->pattern.text, "${") &&
        pattern_accepts(c->pattern.text, literal->text.text, literal->text.len) == 0)
      satisfy_report(check, other);
    break;
  case AST_LENGTH:
    if (is_string && !satisfy_within(c, satisfy_code_points(literal->text.text)))
      satisfy_report(check, other);
    break;
  case AST_RANGE:
    if (!satisfy_range(c, literal))
      satisfy_report(check, other);
    break;
  default:
    break;
  }
}

/* Checks one value of `fixed` against every other constraint. */
static void satisfy_check_value(satisfy_check *check, const join_constraint *constraints,
                                const ast_literal *literal) {
  if (literal->kind == AST_LITERAL_STRING && strstr(literal->text.text, "${"))
    return;

  check->literal = literal;
  for (const join_constraint *c = constraints; c; c = c->next)
    satisfy_check_one(check, c);
}

void join_check_const(join_ctx *join, const join_constraint *constraints, const char *name) {
  satisfy_check check = {join, NULL, NULL, name};

  for (const join_constraint *c = constraints; c; c = c->next) {
    ast_constraint_kind kind = c->constraint->kind;
    if ((kind != AST_CONST && kind != AST_ENUM) || !c->constraint->values)
      continue;

    check.fixed = c;
    if (kind == AST_CONST)
      satisfy_check_value(&check, constraints, c->constraint->values);
    for (const ast_literal *v = c->constraint->values; kind == AST_ENUM && v; v = v->next)
      satisfy_check_value(&check, constraints, v);
  }
}
