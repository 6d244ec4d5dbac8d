/*
 * Reads a JSON template (RFC 8259) into the template tree. Positions are
 * those of the YAML reader: 1-based lines, where CR, LF and CR LF end a
 * line, and columns in code points. Strings keep every character JSON
 * allows, including U+0085, U+2028 and U+2029, which a YAML reader would
 * treat as line breaks.
 */
#include "template_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_encoding.h"
#include "template_keys.h"
#include "utf8.h"

/* A growable array of entries (members, items or string bytes). All open
 * objects share one member stack and all open arrays one item stack. A
 * collection's entries are copied into the arena once, when it closes. */
typedef struct json_stack {
  void *data;
  size_t count, capacity, size; /* size: bytes per entry */
} json_stack;

typedef struct json_reader {
  const unsigned char *p, *end;
  uint32_t line, column; /* position of p */
  tnode_arena *arena;
  template_error *error;
  size_t nodes;
  json_stack members, items;
  json_stack text; /* the string being decoded */
  int string_fault; /* 1 when the error is a character or an escape inside a string */
} json_reader;

static tnode *read_value(json_reader *r, unsigned depth);

static void *fail(json_reader *r, uint32_t line, uint32_t column, const char *format, ...) {
  va_list args;
  va_start(args, format);
  r->error->line = line;
  r->error->column = column;
  vsnprintf(r->error->message, sizeof r->error->message, format, args);
  va_end(args);
  return NULL;
}

/* Reports a syntax error at r->p, naming what the grammar expects there. */
static void *fail_here(json_reader *r, const char *expected) {
  if (r->p == r->end)
    return fail(r, r->line, r->column, "invalid JSON: expected %s, found the end of the text",
                expected);
  if (*r->p < 0x20 || *r->p >= 0x7f)
    return fail(r, r->line, r->column, "invalid JSON: expected %s, found byte 0x%02x", expected,
                (unsigned)*r->p);
  return fail(r, r->line, r->column, "invalid JSON: expected %s, found '%c'", expected, *r->p);
}

static void *fail_size(json_reader *r, uint32_t line, uint32_t column) {
  return fail(r, line, column,
              "template too large: its values need more than %d bytes of memory (limit is %d "
              "bytes)", TEMPLATE_MAX_BYTES, TEMPLATE_MAX_BYTES);
}

/* Appends n entries. Returns 1, or 0 when memory runs out. */
static int stack_push_n(json_stack *stack, const void *entries, size_t n) {
  if (stack->capacity - stack->count < n) {
    size_t capacity = stack->capacity ? stack->capacity : 64;
    while (capacity - stack->count < n)
      capacity *= 2;
    void *data = realloc(stack->data, capacity * stack->size);
    if (!data)
      return 0;
    stack->data = data;
    stack->capacity = capacity;
  }
  memcpy((unsigned char *)stack->data + stack->count * stack->size, entries, n * stack->size);
  stack->count += n;
  return 1;
}

static int stack_push(json_stack *stack, const void *entry) {
  return stack_push_n(stack, entry, 1);
}

static void *stack_at(const json_stack *stack, size_t index) {
  return (unsigned char *)stack->data + index * stack->size;
}

/* Moves the entries from start to the top of the stack into the arena.
 * Returns the copy (room for one entry when there are none), or NULL. */
static void *stack_pop_into_arena(json_stack *stack, size_t start, tnode_arena *arena) {
  size_t count = stack->count - start;
  void *copy = tnode_alloc(arena, (count ? count : 1) * stack->size);
  if (copy && count)
    memcpy(copy, stack_at(stack, start), count * stack->size);
  stack->count = start;
  return copy;
}

/* Advances over n bytes of one line, counting code points. */
static void advance(json_reader *r, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((r->p[i] & 0xc0) != 0x80)
      r->column++;
  r->p += n;
}

/* Skips JSON white space: space, tab, LF and CR. */
static void skip_space(json_reader *r) {
  while (r->p < r->end) {
    unsigned char c = *r->p;
    if (c == ' ' || c == '\t') {
      advance(r, 1);
    } else if (c == '\n' || c == '\r') {
      r->p += c == '\r' && r->p + 1 < r->end && r->p[1] == '\n' ? 2 : 1;
      r->line++;
      r->column = 1;
    } else {
      return;
    }
  }
}

static int accept(json_reader *r, unsigned char c) {
  if (r->p == r->end || *r->p != c)
    return 0;
  advance(r, 1);
  return 1;
}

/* Counts a value against the nesting and size limits, at its start. */
static int count_value(json_reader *r, unsigned depth) {
  if (depth > TEMPLATE_MAX_DEPTH) {
    fail(r, r->line, r->column, "too many nested values (limit is %d)", TEMPLATE_MAX_DEPTH);
    return 0;
  }
  if (++r->nodes > TEMPLATE_MAX_NODES) {
    fail(r, r->line, r->column, "too many values (limit is %d)", TEMPLATE_MAX_NODES);
    return 0;
  }
  return 1;
}

/* ---- strings ---- */

/* Appends decoded bytes to the string being read. */
static int text_append(json_reader *r, const void *bytes, size_t n) {
  if (stack_push_n(&r->text, bytes, n))
    return 1;
  fail(r, r->line, r->column, "out of memory while parsing");
  return 0;
}

static int append_code_point(json_reader *r, uint32_t code) {
  unsigned char bytes[4];
  size_t n;
  if (code < 0x80) {
    bytes[0] = (unsigned char)code;
    n = 1;
  } else if (code < 0x800) {
    bytes[0] = (unsigned char)(0xc0 | code >> 6);
    bytes[1] = (unsigned char)(0x80 | (code & 0x3f));
    n = 2;
  } else if (code < 0x10000) {
    bytes[0] = (unsigned char)(0xe0 | code >> 12);
    bytes[1] = (unsigned char)(0x80 | (code >> 6 & 0x3f));
    bytes[2] = (unsigned char)(0x80 | (code & 0x3f));
    n = 3;
  } else {
    bytes[0] = (unsigned char)(0xf0 | code >> 18);
    bytes[1] = (unsigned char)(0x80 | (code >> 12 & 0x3f));
    bytes[2] = (unsigned char)(0x80 | (code >> 6 & 0x3f));
    bytes[3] = (unsigned char)(0x80 | (code & 0x3f));
    n = 4;
  }
  return text_append(r, bytes, n);
}

/* Reads the four hex digits of a \u escape at r->p + 2. Returns the value,
 * or -1. */
static long read_hex4(const json_reader *r) {
  if (r->end - r->p < 6)
    return -1;

  long value = 0;
  for (int i = 2; i < 6; i++) {
    int c = r->p[i];
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
    if (digit < 0)
      return -1;
    value = value * 16 + digit;
  }
  return value;
}

/* Decodes a \u escape, or a pair of them for a code point above U+FFFF. */
static int read_unicode_escape(json_reader *r) {
  uint32_t line = r->line, column = r->column;
  long high = read_hex4(r);
  if (high < 0) {
    fail(r, line, column, "invalid JSON: \\u must be followed by four hex digits");
    return 0;
  }
  advance(r, 6);
  if (high < 0xd800 || high > 0xdfff)
    return append_code_point(r, (uint32_t)high);

  long low = r->p + 1 < r->end && r->p[0] == '\\' && r->p[1] == 'u' ? read_hex4(r) : -1;
  if (high > 0xdbff || low < 0xdc00 || low > 0xdfff) {
    fail(r, line, column, "invalid JSON: \\u%04lX is a lone UTF-16 surrogate", high);
    return 0;
  }
  advance(r, 6);
  uint32_t code = 0x10000 + (uint32_t)((high - 0xd800) << 10) + (uint32_t)(low - 0xdc00);
  return append_code_point(r, code);
}

/* Returns the character a one-letter escape stands for, or -1. */
static int simple_escape(unsigned char letter) {
  switch (letter) {
  case '"': return '"';
  case '\\': return '\\';
  case '/': return '/';
  case 'b': return '\b';
  case 'f': return '\f';
  case 'n': return '\n';
  case 'r': return '\r';
  case 't': return '\t';
  default: return -1;
  }
}

static int read_escape(json_reader *r) {
  if (r->p + 1 < r->end && r->p[1] == 'u')
    return read_unicode_escape(r);

  int c = r->p + 1 < r->end ? simple_escape(r->p[1]) : -1;
  if (c < 0 && r->p + 1 < r->end && r->p[1] > 0x20 && r->p[1] < 0x7f) {
    fail(r, r->line, r->column, "invalid JSON: invalid escape '\\%c' in a string", r->p[1]);
    return 0;
  }
  if (c < 0) {
    fail(r, r->line, r->column, "invalid JSON: invalid escape in a string");
    return 0;
  }
  unsigned char byte = (unsigned char)c;
  advance(r, 2);
  return text_append(r, &byte, 1);
}

/* Returns the JSON escape of the C0 control character code. */
static const char *control_escape(uint32_t code) {
  static const char *const names[] = {
    "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
    "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
    "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
    "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"};
  return names[code & 0x1f];
}

/* Copies one raw character, which must be valid UTF-8 and not a control
 * character below U+0020. */
static int read_raw(json_reader *r) {
  uint32_t code;
  size_t n = utf8_decode((const char *)r->p, (size_t)(r->end - r->p), &code);
  if (n == 0) {
    r->error->line = r->line;
    r->error->column = r->column;
    utf8_describe((const char *)r->p, (size_t)(r->end - r->p), "invalid UTF-8: ", r->error->message,
                  sizeof r->error->message);
    return 0;
  }
  if (code < 0x20) {
    fail(r, r->line, r->column,
         "invalid JSON: U+%04X (byte %02X), a C0 control character, must be escaped in a string: "
         "write %s", (unsigned)code, (unsigned)code, control_escape(code));
    return 0;
  }
  if (!text_append(r, r->p, n))
    return 0;
  advance(r, n);
  return 1;
}

/* Decodes the string at r->p into r->text (not NUL-terminated). A decoded
 * U+0000 is an error at the opening quote. */
static int read_string(json_reader *r) {
  uint32_t line = r->line, column = r->column;
  r->text.count = 0;
  advance(r, 1);

  for (;;) {
    if (r->p == r->end) {
      fail(r, line, column, "invalid JSON: string without its closing quote");
      return 0;
    }
    if (*r->p == '"')
      break;
    if (!(*r->p == '\\' ? read_escape(r) : read_raw(r))) {
      r->string_fault = 1;
      return 0;
    }
  }
  advance(r, 1);

  if (r->text.count && memchr(r->text.data, 0, r->text.count)) {
    fail(r, line, column, "NUL character in a string is not allowed");
    return 0;
  }
  return 1;
}

static tnode *read_string_value(json_reader *r) {
  uint32_t line = r->line, column = r->column;
  if (!read_string(r))
    return NULL;

  tnode *node = tnode_new_string(r->arena, r->text.data ? r->text.data : "", r->text.count,
                                 line, column);
  return node ? node : fail_size(r, line, column);
}

/* ---- numbers and literals ---- */

/* Returns the end of the longest text at p that may belong to a number. */
static const unsigned char *number_end(const unsigned char *p, const unsigned char *end) {
  while (p < end && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
                     *p == 'e' || *p == 'E'))
    p++;
  return p;
}

/* Reads a number and keeps its text as written, so no precision is lost. */
static tnode *read_number(json_reader *r) {
  uint32_t line = r->line, column = r->column;
  const unsigned char *end = number_end(r->p, r->end);
  size_t len = (size_t)(end - r->p);
  if (!template_is_json_number((const char *)r->p, len))
    return fail(r, line, column, "invalid JSON: invalid number '%.*s'", (int)(len > 40 ? 40 : len),
                (const char *)r->p);

  tnode *node = tnode_new_string(r->arena, (const char *)r->p, len, line, column);
  if (!node)
    return fail_size(r, line, column);
  node->kind = TNODE_NUMBER;
  advance(r, len);
  return node;
}

static int has_word(const json_reader *r, const char *word) {
  size_t len = strlen(word);
  return (size_t)(r->end - r->p) >= len && memcmp(r->p, word, len) == 0;
}

/* Reads true, false or null. The node's text is the word, as libyaml gives it. */
static tnode *read_literal(json_reader *r) {
  static const struct {
    const char *word;
    tnode_kind kind;
  } literals[] = {{"true", TNODE_BOOL}, {"false", TNODE_BOOL}, {"null", TNODE_NULL}};

  for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
    if (!has_word(r, literals[i].word))
      continue;
    size_t len = strlen(literals[i].word);
    tnode *node = tnode_new_string(r->arena, literals[i].word, len, r->line, r->column);
    if (!node)
      return fail_size(r, r->line, r->column);
    node->kind = literals[i].kind;
    node->boolean = literals[i].word[0] == 't';
    advance(r, len);
    return node;
  }
  return fail_here(r, "a value");
}

/* ---- arrays and objects ---- */

static tnode *read_array(json_reader *r, unsigned depth) {
  tnode *array = tnode_new(r->arena, TNODE_ARRAY, r->line, r->column);
  if (!array)
    return fail_size(r, r->line, r->column);
  size_t start = r->items.count;
  advance(r, 1);
  skip_space(r);

  if (!accept(r, ']')) {
    do {
      skip_space(r);
      tnode *item = read_value(r, depth + 1);
      if (!item)
        return NULL;
      if (!stack_push(&r->items, &item))
        return fail(r, item->line, item->column, "out of memory while parsing");
      skip_space(r);
    } while (accept(r, ','));
    if (!accept(r, ']'))
      return fail_here(r, "',' or ']'");
  }

  array->count = r->items.count - start;
  array->items = stack_pop_into_arena(&r->items, start, r->arena);
  return array->items ? array : fail_size(r, array->line, array->column);
}

/* Reads one "key": value member onto the member stack. The members of the
 * object start at index start there. */
static int read_member(json_reader *r, size_t start, template_keys *keys, unsigned depth) {
  tnode_member member = {.line = r->line, .column = r->column};
  if (r->p == r->end || *r->p != '"') {
    fail_here(r, "a string key");
    return 0;
  }
  if (!read_string(r))
    return 0;

  member.key_len = r->text.count;
  member.key = tnode_strdup(r->arena, r->text.data ? r->text.data : "", member.key_len);
  if (!member.key) {
    fail_size(r, member.line, member.column);
    return 0;
  }
  size_t index = r->members.count;
  if (!stack_push(&r->members, &member)) {
    fail(r, member.line, member.column, "out of memory while parsing");
    return 0;
  }
  if (!template_keys_add(keys, stack_at(&r->members, start), index - start, r->error))
    return 0;

  skip_space(r);
  if (!accept(r, ':')) {
    fail_here(r, "':'");
    return 0;
  }
  skip_space(r);
  /* The value may grow the stack, so the member is found again by index. */
  tnode *value = read_value(r, depth + 1);
  ((tnode_member *)stack_at(&r->members, index))->value = value;
  return value != NULL;
}

static int read_members(json_reader *r, size_t start, unsigned depth) {
  template_keys keys;
  template_keys_init(&keys);
  int ok = 1;
  do {
    skip_space(r);
    ok = read_member(r, start, &keys, depth);
    skip_space(r);
  } while (ok && accept(r, ','));
  template_keys_fini(&keys);
  return ok;
}

static tnode *read_object(json_reader *r, unsigned depth) {
  tnode *object = tnode_new(r->arena, TNODE_OBJECT, r->line, r->column);
  if (!object)
    return fail_size(r, r->line, r->column);
  size_t start = r->members.count;
  advance(r, 1);
  skip_space(r);

  if (!accept(r, '}')) {
    if (!read_members(r, start, depth))
      return NULL;
    if (!accept(r, '}'))
      return fail_here(r, "',' or '}'");
  }

  object->count = r->members.count - start;
  object->members = stack_pop_into_arena(&r->members, start, r->arena);
  return object->members ? object : fail_size(r, object->line, object->column);
}

static tnode *read_value(json_reader *r, unsigned depth) {
  if (r->p == r->end)
    return fail_here(r, "a value");
  if (!count_value(r, depth))
    return NULL;

  switch (*r->p) {
  case '{':
    return read_object(r, depth);
  case '[':
    return read_array(r, depth);
  case '"':
    return read_string_value(r);
  case '-':
  case '0': case '1': case '2': case '3': case '4':
  case '5': case '6': case '7': case '8': case '9':
    return read_number(r);
  default:
    return read_literal(r);
  }
}

/* Reads the text into a tree, or returns NULL with *error set and
 * *string_fault set to 1 when the error is inside a string. */
static tnode *read_text(tnode_arena *arena, const unsigned char *bytes, size_t size,
                        template_error *error, int *string_fault) {
  json_reader r = {.p = bytes, .end = bytes + size, .line = 1, .column = 1, .arena = arena,
                   .error = error};
  r.members.size = sizeof(tnode_member);
  r.items.size = sizeof(tnode *);
  r.text.size = 1;

  skip_space(&r);
  tnode *root = read_value(&r, 0);
  skip_space(&r);
  if (root && r.p != r.end)
    root = fail_here(&r, "the end of the text after the value");

  free(r.members.data);
  free(r.items.data);
  free(r.text.data);
  *string_fault = r.string_fault;
  return root;
}

tnode *template_json_read(tnode_arena *arena, const unsigned char *bytes, size_t size,
                          template_error *error) {
  int string_fault;
  return read_text(arena, bytes, size, error, &string_fault);
}

int template_json_string_error(tnode_arena *arena, const unsigned char *bytes, size_t size,
                               template_error *error) {
  template_error own;
  int string_fault = 0;
  if (read_text(arena, bytes, size, &own, &string_fault) || !string_fault)
    return 0;
  *error = own;
  return 1;
}
