/*
 * Forms of a hidden value that intrinsic functions and the runtime's
 * quoting write.
 */
#include "secret_forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "intrinsic_text.h"

static void *checked(void *memory) {
  if (!memory) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }
  return memory;
}

/* Adds form, cut to max_len bytes, unless it is empty or already listed.
 * Takes ownership of form. */
static void add_form(secret_forms *forms, char *form, size_t max_len) {
  if (strlen(form) > max_len)
    form[max_len] = '\0';
  for (size_t i = 0; i < forms->count; i++) {
    if (strcmp(forms->items[i], form) == 0) {
      free(form);
      return;
    }
  }
  if (!form[0]) {
    free(form);
    return;
  }

  if (forms->count == forms->capacity) {
    forms->capacity = forms->capacity ? forms->capacity * 2 : 16;
    forms->items = checked(realloc(forms->items, forms->capacity * sizeof *forms->items));
  }
  forms->items[forms->count++] = form;
}

/* Returns text with each byte listed in short_escapes (pairs of the byte
 * and the letter after its backslash) escaped that way, and every other
 * control character written as \u00XX, DEL too when escape_del is set. */
static char *escape_with(const char *text, const char *short_escapes, int escape_del) {
  char *out = checked(malloc(strlen(text) * 6 + 1));
  size_t used = 0;

  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    const char *escape = NULL;
    for (size_t i = 0; short_escapes[i]; i += 2)
      if ((unsigned char)short_escapes[i] == *p)
        escape = &short_escapes[i + 1];
    if (escape) {
      out[used++] = '\\';
      out[used++] = *escape;
    } else if (*p < 0x20 || (escape_del && *p == 0x7f)) {
      used += (size_t)snprintf(out + used, 7, "\\u%04x", *p);
    } else {
      out[used++] = (char)*p;
    }
  }
  out[used] = '\0';
  return out;
}

/* Returns text escaped as the runtime quotes a value (runtime/errors.c),
 * which also writes DEL as \u007f. */
static char *quote_escape(const char *text) {
  return escape_with(text, "\"\"\\\\\bb\ff\nn\rr\tt", 1);
}

/* Returns text escaped as Fn::ToJsonString writes a string's content
 * (intrinsic_lang.c): only " and \ get a backslash, and every control
 * character is \u00XX. */
static char *to_json_escape(const char *text) {
  return escape_with(text, "\"\"\\\\", 0);
}

/* Returns the first max_len bytes (or all) of the Base64 form of text,
 * which the first 3 * ceil(max_len / 4) bytes of text decide. */
static char *base64_start(const char *text, size_t max_len) {
  size_t len = strlen(text);
  size_t needed = 3 * ((max_len + 3) / 4);
  if (len > needed)
    len = needed;

  intrinsic_text encoded;
  intrinsic_text_init(&encoded);
  intrinsic_text_base64(&encoded, (const unsigned char *)text, len);
  char *out = checked(malloc(encoded.len + 1));
  memcpy(out, encoded.data ? encoded.data : "", encoded.len);
  out[encoded.len] = '\0';
  int overflow = encoded.overflow;
  intrinsic_text_fini(&encoded);
  if (overflow)
    checked(NULL);
  if (strlen(out) > max_len)
    out[max_len] = '\0';
  return out;
}

static char *copy_start(const char *text, size_t max_len) {
  size_t len = strlen(text);
  if (len > max_len)
    len = max_len;
  char *out = checked(malloc(len + 1));
  memcpy(out, text, len);
  out[len] = '\0';
  return out;
}

/* Bytes past max_len that a level keeps, so that the first max_len bytes
 * of the next level are exact: Base64 reads 3 * ceil(n / 4) input bytes
 * for n output bytes, and that is at most n when n > 8. */
enum { LEVEL_EXTRA = 8 };

/* Adds the forms of nested Fn::ToJsonString calls, each as written and as
 * the runtime quotes it. A level that equals the one before it repeats
 * from there on, so the levels stop there: the cut levels of a value with
 * a " or \ end up as backslashes only. */
static void add_to_json_levels(secret_forms *forms, const char *value, size_t max_len) {
  size_t keep = max_len + LEVEL_EXTRA;
  char *level = copy_start(value, keep);

  for (int i = 0; i < INTRINSIC_MAX_DEPTH; i++) {
    char *next = to_json_escape(level);
    if (strlen(next) > keep)
      next[keep] = '\0';
    int unchanged = strcmp(next, level) == 0;
    free(level);
    level = next;
    if (unchanged)
      break;
    add_form(forms, copy_start(level, max_len), max_len);
    add_form(forms, quote_escape(level), max_len);
  }
  free(level);
}

/* Adds the forms of nested Fn::Base64 calls. */
static void add_base64_levels(secret_forms *forms, const char *value, size_t max_len) {
  size_t keep = max_len + LEVEL_EXTRA;
  char *level = copy_start(value, keep);

  for (int i = 0; i < INTRINSIC_MAX_DEPTH; i++) {
    char *next = base64_start(level, keep);
    int unchanged = strcmp(next, level) == 0;
    free(level);
    level = next;
    if (unchanged)
      break;
    add_form(forms, copy_start(level, max_len), max_len);
  }
  free(level);
}

void secret_forms_build(secret_forms *forms, const char *value, int rewritten, size_t max_len) {
  memset(forms, 0, sizeof *forms);
  add_form(forms, copy_start(value, max_len), max_len);
  add_form(forms, quote_escape(value), max_len);
  if (!rewritten)
    return;

  add_to_json_levels(forms, value, max_len);
  add_base64_levels(forms, value, max_len);
}

void secret_forms_fini(secret_forms *forms) {
  for (size_t i = 0; i < forms->count; i++)
    free(forms->items[i]);
  free(forms->items);
  memset(forms, 0, sizeof *forms);
}
