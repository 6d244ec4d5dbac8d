/*
 * Repeated values of an 'in' list. A value given twice changes nothing, so
 * the repeat gets a warning and the template's enum lists each value once.
 * An open-addressing hash set over the list keeps the check linear.
 */
#include <stdio.h>
#include <string.h>

#include "dsl_limits.h"
#include "parse.h"

/* Returns the FNV-1a hash of a literal's kind and text. */
static uint64_t literal_hash(const ast_literal *literal) {
  uint64_t hash = 14695981039346656037ull ^ (uint64_t)literal->kind;

  hash *= 1099511628211ull;
  for (size_t i = 0; i < literal->text.len; i++) {
    hash ^= (unsigned char)literal->text.text[i];
    hash *= 1099511628211ull;
  }
  return hash;
}

/* NOTE: numbers compare by their source text, so 1 and 1.0 both stay. */
static int literal_equal(const ast_literal *a, const ast_literal *b) {
  return a->kind == b->kind && a->text.len == b->text.len &&
         memcmp(a->text.text, b->text.text, a->text.len) == 0;
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
