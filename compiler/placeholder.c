#include "placeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int placeholder_word_char(char c, int first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (!first && c >= '0' && c <= '9');
}

size_t placeholder_name_length(const char *text) {
  size_t i = 0;
  for (;;) {
    if (!placeholder_word_char(text[i], 1))
      return 0;
    while (placeholder_word_char(text[i], 0))
      i++;
    if (text[i] == '}')
      return i;
    if (text[i] != ':' || text[i + 1] != ':')
      return 0;
    i += 2;
  }
}

/* Reads the "${" at text. Returns how many bytes after the '$' the escape
 * "${!" or a well-formed placeholder covers, or 0 for neither, and sets
 * *name_len to the placeholder's name length (0 for the escape). */
static size_t placeholder_span(const char *text, size_t *name_len) {
  *name_len = 0;
  if (text[2] == '!')
    return 2;
  *name_len = placeholder_name_length(text + 2);
  return *name_len ? *name_len + 2 : 0;
}

void placeholder_each(const char *text,
                      void (*visit)(void *data, const char *name, size_t len, size_t offset),
                      void *data) {
  for (size_t i = 0; text[i]; i++) {
    if (text[i] != '$' || text[i + 1] != '{')
      continue;
    size_t name_len;
    size_t span = placeholder_span(text + i, &name_len);
    if (name_len)
      visit(data, text + i + 2, name_len, i);
    i += span;
  }
}

enum { PLACEHOLDER_DEFECT_SPAN = 80 }; /* max bytes from '${' to a '}' that closes it */

/* Returns 1 when the byte after "${" shows that a placeholder was meant. */
static int placeholder_meant(char c) {
  return c == '\0' || c == '}' || placeholder_word_char(c, 1);
}

/* Returns the length of the text from the '$' at text to the '}' that
 * closes it, or 0 when no '}' comes before the next "${" or within
 * PLACEHOLDER_DEFECT_SPAN bytes. */
static size_t placeholder_closed_length(const char *text) {
  for (size_t i = 2; text[i] && i < PLACEHOLDER_DEFECT_SPAN; i++) {
    if (text[i] == '}')
      return i + 1;
    if (text[i] == '$' && text[i + 1] == '{')
      return 0;
  }
  return 0;
}

/* Returns the length of "${" and the name characters and colons after it. */
static size_t placeholder_open_length(const char *text) {
  size_t i = 2;
  while (placeholder_word_char(text[i], 0) || text[i] == ':')
    i++;
  return i;
}

static void placeholder_describe(const char *text, placeholder_defect *defect) {
  size_t closed = placeholder_closed_length(text);

  if (text[2] == '}') {
    defect->len = 3;
    defect->problem = "empty placeholder";
    defect->fix = "write ${NAME}, or '${!' for a literal '${'";
  } else if (closed) {
    defect->len = closed;
    defect->problem = "invalid placeholder name";
    defect->fix = "a name is letters, digits and '_', in parts joined by '::' as in "
                  "${AWS::Region}; write '${!' for a literal '${'";
  } else {
    defect->len = placeholder_open_length(text);
    defect->problem = "unterminated placeholder";
    defect->fix = "close it with '}' as in ${AWS::AccountId}, or write '${!' for a literal '${'";
  }
}

/* The regex context of a pattern byte, updated left to right. After a
 * backslash or inside [...], a "${" is regex text and never a placeholder
 * the author meant, as in "[${}]" or "\\${x". */
typedef struct placeholder_regex_state {
  int escaped, in_class;
} placeholder_regex_state;

/* Returns 1 when the byte c is escaped or in a class, then moves past it. */
static int placeholder_regex_step(placeholder_regex_state *state, char c) {
  int literal = state->escaped || state->in_class;

  if (state->escaped)
    state->escaped = 0;
  else if (c == '\\')
    state->escaped = 1;
  else if (state->in_class && c == ']')
    state->in_class = 0;
  else if (c == '[')
    state->in_class = 1;
  return literal;
}

int placeholder_find_defect(const char *text, int is_pattern, placeholder_defect *defect) {
  placeholder_regex_state state = {0, 0};

  for (size_t i = 0; text[i]; i++) {
    int regex_text = is_pattern && placeholder_regex_step(&state, text[i]);
    if (text[i] != '$' || text[i + 1] != '{' || regex_text)
      continue;

    size_t name_len;
    size_t span = placeholder_span(text + i, &name_len);
    if (span) {
      i += span;
      continue;
    }
    if (placeholder_meant(text[i + 2])) {
      defect->offset = i;
      placeholder_describe(text + i, defect);
      return 1;
    }
  }
  return 0;
}

/* A small growable string. */
typedef struct text_buffer {
  char *data;
  size_t len, capacity;
} text_buffer;

static void buffer_append(text_buffer *b, const char *text, size_t len) {
  if (b->len + len + 1 > b->capacity) {
    b->capacity = (b->len + len + 1) * 2;
    b->data = realloc(b->data, b->capacity);
    if (!b->data)
      abort();
  }
  memcpy(b->data + b->len, text, len);
  b->len += len;
  b->data[b->len] = '\0';
}

/* Returns the length of a placeholder name at text, as placeholder_name_length()
 * does, reading no byte at or past text[len]. A name ends at its '}', so a
 * '}' inside the bound keeps the scan inside it. */
static size_t placeholder_name_length_within(const char *text, size_t len) {
  return memchr(text, '}', len) ? placeholder_name_length(text) : 0;
}

/* Returns 1 when the "${" at text[i] could be read as a placeholder or an escape. */
static int placeholder_needs_escape(const char *text, size_t len, size_t i) {
  if (i + 2 >= len || text[i] != '$' || text[i + 1] != '{')
    return 0;
  return text[i + 2] == '!' || placeholder_name_length_within(text + i + 2, len - i - 2);
}

char *placeholder_escape(const char *text, size_t len, size_t *escaped_len) {
  text_buffer b = {0};
  buffer_append(&b, "", 0);
  for (size_t i = 0; i < len; i++) {
    if (placeholder_needs_escape(text, len, i)) {
      buffer_append(&b, "${!", 3);
      i++;
      continue;
    }
    buffer_append(&b, text + i, 1);
  }
  *escaped_len = b.len;
  return b.data;
}

static void buffer_append_regex_literal(text_buffer *b, const char *value) {
  for (const char *p = value; *p; p++) {
    if (strchr("\\^$.|?*+()[]{}/", *p))
      buffer_append(b, "\\", 1);
    buffer_append(b, p, 1);
  }
}

char *placeholder_substitute(const char *text, size_t text_len, int regex,
                             placeholder_lookup lookup, void *data, char *missing_name,
                             size_t missing_size, size_t *result_len) {
  text_buffer b = {0};
  buffer_append(&b, "", 0);
  for (size_t i = 0; i < text_len; i++) {
    if (text[i] != '$' || i + 2 >= text_len || text[i + 1] != '{') {
      buffer_append(&b, text + i, 1);
      continue;
    }
    if (text[i + 2] == '!') {
      buffer_append(&b, "${", 2);
      i += 2;
      continue;
    }

    size_t len = placeholder_name_length_within(text + i + 2, text_len - i - 2);
    int missing = 0;
    const char *value = len ? lookup(data, text + i + 2, len, &missing) : NULL;
    if (missing) {
      snprintf(missing_name, missing_size, "%.*s", (int)len, text + i + 2);
      free(b.data);
      return NULL;
    }
    if (!value) {
      buffer_append(&b, text + i, 1);
      continue;
    }

    if (regex)
      buffer_append_regex_literal(&b, value);
    else
      buffer_append(&b, value, strlen(value));
    i += len + 2;
  }
  *result_len = b.len;
  return b.data;
}
