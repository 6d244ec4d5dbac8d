/*
 * Repeated values of an 'in' list. A value given twice changes nothing, so
 * the repeat gets a warning and the template's enum lists each value once.
 * An open-addressing hash set over the list keeps the check linear.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dsl_limits.h"
#include "parse.h"

enum { LIST_NUMBER_DIGITS_MAX = 96 }; /* significant digits compared by value */

/* The value of a number literal as sign, significant digits (no leading or
 * trailing zeros) and the exponent of 0.DIGITS x 10^exponent. */
typedef struct list_number {
  int negative;
  size_t count;
  char digits[LIST_NUMBER_DIGITS_MAX];
  long exponent;
} list_number;

/* Reads the exponent at text[*i..len). Values past 10^8 stop growing, which
 * is far beyond any exponent a DSL number can have and stay in range. */
static long list_exponent(const char *text, size_t len, size_t *i) {
  int negative = *i < len && text[*i] == '-';
  long value = 0;

  if (*i < len && (text[*i] == '-' || text[*i] == '+'))
    (*i)++;
  for (; *i < len; (*i)++)
    value = value < 100000000L ? value * 10 + (text[*i] - '0') : value;
  return negative ? -value : value;
}

/* Fills *out from number text. Returns -1 when the text has a leading zero
 * (an error reported later, which a repeat must not hide) or more
 * significant digits than out holds. */
static int list_number_read(const char *text, size_t len, list_number *out) {
  size_t i = 0;
  long point = 0;
  int seen_point = 0;

  memset(out, 0, sizeof *out);
  out->negative = len > 0 && text[0] == '-';
  i += (size_t)out->negative;
  if (i + 1 < len && text[i] == '0' && isdigit((unsigned char)text[i + 1]))
    return -1;
  for (; i < len && (isdigit((unsigned char)text[i]) || text[i] == '.'); i++) {
    if (text[i] == '.') {
      seen_point = 1;
      continue;
    }
    if (text[i] == '0' && out->count == 0) {
      point -= seen_point;
      continue;
    }
    if (out->count == LIST_NUMBER_DIGITS_MAX)
      return -1;
    out->digits[out->count++] = text[i];
    point += !seen_point;
  }

  if (i < len && (text[i] == 'e' || text[i] == 'E'))
    i++, out->exponent = list_exponent(text, len, &i);
  while (out->count > 0 && out->digits[out->count - 1] == '0')
    out->count--;
  out->exponent += point;
  if (out->count == 0)
    out->negative = 0, out->exponent = 0;
  return 0;
}

/* Returns the FNV-1a hash of bytes, continuing from hash. */
static uint64_t list_fnv(uint64_t hash, const void *bytes, size_t len) {
  const unsigned char *p = bytes;

  for (size_t i = 0; i < len; i++) {
    hash ^= p[i];
    hash *= 1099511628211ull;
  }
  return hash;
}

/* Returns the hash of a literal's kind and value: numbers hash their value,
 * so 1, 1.0 and 10e-1 fall together. */
static uint64_t literal_hash(const ast_literal *literal) {
  uint64_t hash = 14695981039346656037ull ^ (uint64_t)literal->kind;
  list_number number;

  hash *= 1099511628211ull;
  if (literal->kind == AST_LITERAL_NUMBER &&
      list_number_read(literal->text.text, literal->text.len, &number) == 0) {
    hash = list_fnv(hash, number.digits, number.count);
    hash = list_fnv(hash, &number.exponent, sizeof number.exponent);
    return list_fnv(hash, &number.negative, sizeof number.negative);
  }
  return list_fnv(hash, literal->text.text, literal->text.len);
}

/* Returns whether two literals are equal. Numbers compare by value, as JSON
 * Schema's enum compares them. A number with more than LIST_NUMBER_DIGITS_MAX
 * significant digits compares by text. */
static int literal_equal(const ast_literal *a, const ast_literal *b) {
  list_number x, y;

  if (a->kind != b->kind)
    return 0;
  if (a->kind == AST_LITERAL_NUMBER && list_number_read(a->text.text, a->text.len, &x) == 0 &&
      list_number_read(b->text.text, b->text.len, &y) == 0)
    return x.negative == y.negative && x.exponent == y.exponent && x.count == y.count &&
           memcmp(x.digits, y.digits, x.count) == 0;
  return a->text.len == b->text.len && memcmp(a->text.text, b->text.text, a->text.len) == 0;
}

/* Returns the earlier literal equal to literal, or NULL after adding it to
 * the set of mask + 1 slots. */
static const ast_literal *literal_set_find_or_add(const ast_literal **slots, size_t mask,
                                                  const ast_literal *literal) {
  size_t i = (size_t)literal_hash(literal) & mask;

  while (slots[i]) {
    if (literal_equal(slots[i], literal))
      return slots[i];
    i = (i + 1) & mask;
  }
  slots[i] = literal;
  return NULL;
}

/* Writes a string value as a quoted JSON string, a number or a keyword as
 * its source text, cut with "..." past 64 bytes. */
static void literal_describe(const ast_literal *literal, char *out, size_t size) {
  const char *text = literal->text.text;
  size_t shown = literal->text.len > 64 ? 64 : literal->text.len;
  size_t used = 0;

  if (literal->kind != AST_LITERAL_STRING) {
    snprintf(out, size, "%.*s", (int)shown, text);
    return;
  }
  out[used++] = '"';
  for (size_t i = 0; i < shown && used + 8 < size; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\')
      used += (size_t)snprintf(out + used, size - used, "\\%c", c);
    else if (c == '\n' || c == '\t')
      used += (size_t)snprintf(out + used, size - used, "\\%c", c == '\n' ? 'n' : 't');
    else if (c < 0x20)
      used += (size_t)snprintf(out + used, size - used, "\\u%04x", c);
    else
      out[used++] = (char)c;
  }
  snprintf(out + used, size - used, "%s\"", shown < literal->text.len ? "..." : "");
}

static void report_repeat(parse_ctx *ctx, const ast_literal *first, const ast_literal *repeat) {
  const src_file *file = &ctx->diags->sources->files[first->text.span.file];
  uint32_t line, column;
  char value[600];

  src_position(file, first->text.span.start, &line, &column);
  literal_describe(repeat, value, sizeof value);
  diag_report(ctx->diags, DIAG_WARNING, DIAG_DUPLICATE_VALUE, repeat->text.span,
              "value %s is already given in this 'in' list at %s:%u:%u", value, file->path, line,
              column);
}

/* Returns the smallest power of two that is at least twice count. */
static size_t set_size(size_t count) {
  size_t size = 2;

  while (size < 2 * count)
    size *= 2;
  return size;
}

ast_literal *ast_literal_list_end(parse_ctx *ctx, ast_literal *list) {
  size_t count = list->count < DSL_MAX_LIST_VALUES ? list->count : DSL_MAX_LIST_VALUES;
  size_t size = set_size(count);
  const ast_literal **slots = arena_alloc(ctx->arena, size * sizeof *slots);
  ast_literal *tail = list;

  literal_set_find_or_add(slots, size - 1, list);
  for (ast_literal *next = list->next; next; next = next->next) {
    const ast_literal *first = literal_set_find_or_add(slots, size - 1, next);
    if (first) {
      report_repeat(ctx, first, next);
      list->count--;
      continue;
    }
    tail->next = next;
    tail = next;
  }

  tail->next = NULL;
  list->last = tail;
  return list;
}

ast_constraint *ast_empty_list(parse_ctx *ctx, const src_span *span) {
  diag_report(ctx->diags, DIAG_ERROR, DIAG_SYNTAX, *span,
              "an 'in' list needs at least one value: in [\"a\", \"b\"]");
  return NULL;
}
