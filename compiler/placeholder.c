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

void placeholder_each(const char *text,
                      void (*visit)(void *data, const char *name, size_t len, size_t offset),
                      void *data) {
  for (size_t i = 0; text[i]; i++) {
    if (text[i] != '$' || text[i + 1] != '{')
      continue;
    if (text[i + 2] == '!') {
      i += 2;
      continue;
    }
    size_t len = placeholder_name_length(text + i + 2);
    if (len) {
      visit(data, text + i + 2, len, i);
      i += len + 2;
    }
  }
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

char *placeholder_escape(const char *text) {
  text_buffer b = {0};
  buffer_append(&b, "", 0);
  for (size_t i = 0; text[i]; i++) {
    buffer_append(&b, text + i, 1);
    if (text[i] == '$' && text[i + 1] == '{' &&
        (text[i + 2] == '!' || placeholder_name_length(text + i + 2))) {
      buffer_append(&b, "{!", 2);
      i++;
    }
  }
  return b.data;
}

static void buffer_append_regex_literal(text_buffer *b, const char *value) {
  for (const char *p = value; *p; p++) {
    if (strchr("\\^$.|?*+()[]{}/", *p))
      buffer_append(b, "\\", 1);
    buffer_append(b, p, 1);
  }
}

char *placeholder_substitute(const char *text, int regex, placeholder_lookup lookup, void *data,
                             char *missing_name, size_t missing_size) {
  text_buffer b = {0};
  buffer_append(&b, "", 0);
  for (size_t i = 0; text[i]; i++) {
    if (text[i] != '$' || text[i + 1] != '{') {
      buffer_append(&b, text + i, 1);
      continue;
    }
    if (text[i + 2] == '!') {
      buffer_append(&b, "${", 2);
      i += 2;
      continue;
    }

    size_t len = placeholder_name_length(text + i + 2);
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
  return b.data;
}
