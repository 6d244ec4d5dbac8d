/*
 * A single-pass RFC 8259 syntax check of manifest.json that records where
 * each entry of "types" and "denied" is and compares its typeName with the
 * requested type. The manifest of all 1692 snapshot types is 463 KB, and
 * building a jansson tree of it took 67 M instructions per hook run.
 * Unlike jansson, the scan accepts an unpaired \u surrogate escape outside
 * the typeName values it compares.
 */
#include "policy_manifest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct manifest_scanner {
  const char *text;
  size_t len, pos;
  const char *type_name;
  policy_manifest_match *match;
  char *error;
  size_t error_size;
  int failed;
  int has_types, has_denied; /* members of the root object seen */
  policy_manifest_entry *entries; /* every entry of "types" and "denied", in text order */
  size_t entry_count, entry_capacity;
  size_t allowed_count, denied_count;
} manifest_scanner;

/* The typeName, template and templateSha256 members of one entry object. */
typedef struct manifest_fields {
  int has_type_name, has_template, has_digest;
  size_t type_start, type_end, template_start, template_end;
} manifest_fields;

/* Which part of the manifest a value is in, for the checks of entries. */
typedef enum manifest_place {
  PLACE_OTHER,
  PLACE_ROOT,
  PLACE_TYPES,   /* the "types" array */
  PLACE_DENIED,  /* the "denied" array */
  PLACE_ENTRY,   /* an entry of "types" */
  PLACE_DENIED_ENTRY
} manifest_place;

void policy_manifest_position(const char *text, size_t offset, size_t *line, size_t *column) {
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < offset; i++) {
    *column = text[i] == '\n' ? 1 : *column + 1;
    *line += text[i] == '\n';
  }
}

static int manifest_fail(manifest_scanner *s, const char *message) {
  if (!s->failed) {
    size_t line, column;
    policy_manifest_position(s->text, s->pos < s->len ? s->pos : s->len, &line, &column);
    snprintf(s->error, s->error_size, "line %zu, column %zu: %s", line, column, message);
  }
  s->failed = 1;
  return -1;
}

static void manifest_skip_space(manifest_scanner *s) {
  while (s->pos < s->len && strchr(" \t\r\n", s->text[s->pos]) && s->text[s->pos] != '\0')
    s->pos++;
}

static int manifest_peek(manifest_scanner *s) {
  manifest_skip_space(s);
  return s->pos < s->len ? (unsigned char)s->text[s->pos] : -1;
}

static int manifest_is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Returns the length of the UTF-8 sequence at p (1 to 4), or 0 when it is
 * not a valid one. */
static size_t manifest_utf8_length(const unsigned char *p, size_t available) {
  if (p[0] < 0x80)
    return 1;
  size_t length = 0;
  if (p[0] >= 0xF0)
    length = 4;
  else if (p[0] >= 0xE0)
    length = 3;
  else if (p[0] >= 0xC2)
    length = 2;
  if (length == 0 || p[0] > 0xF4 || length > available)
    return 0;
  for (size_t i = 1; i < length; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
      (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
    return 0;
  return length;
}

/* Scans a string token. Sets *start and *end to its span, quotes included. */
static int manifest_string(manifest_scanner *s, size_t *start, size_t *end) {
  *start = s->pos++;
  while (s->pos < s->len && s->text[s->pos] != '"') {
    unsigned char c = (unsigned char)s->text[s->pos];
    if (c < 0x20)
      return manifest_fail(s, "control character in a string");
    if (c == '\\') {
      char escape = s->pos + 1 < s->len ? s->text[s->pos + 1] : '\0';
      if (escape == 'u') {
        for (size_t i = 2; i < 6; i++)
          if (s->pos + i >= s->len || !manifest_is_hex(s->text[s->pos + i]))
            return manifest_fail(s, "invalid \\u escape");
        s->pos += 6;
      } else if (escape && strchr("\"\\/bfnrt", escape)) {
        s->pos += 2;
      } else {
        return manifest_fail(s, "invalid escape");
      }
      continue;
    }
    size_t length = manifest_utf8_length((const unsigned char *)s->text + s->pos, s->len - s->pos);
    if (length == 0)
      return manifest_fail(s, "invalid UTF-8");
    s->pos += length;
  }
  if (s->pos >= s->len)
    return manifest_fail(s, "unterminated string");
  *end = ++s->pos;
  return 0;
}

/* Returns 1 when the string token text[start..end) decodes to expected. */
static int manifest_string_equals(manifest_scanner *s, size_t start, size_t end,
                                  const char *expected) {
  size_t raw = end - start - 2;
  if (!memchr(s->text + start, '\\', end - start))
    return strlen(expected) == raw && memcmp(s->text + start + 1, expected, raw) == 0;

  json_t *value = json_loadb(s->text + start, end - start, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  int equal = value && json_string_length(value) == strlen(expected) &&
              memcmp(json_string_value(value), expected, strlen(expected)) == 0;
  json_decref(value);
  return equal;
}

static int manifest_number(manifest_scanner *s) {
  const char *t = s->text;
  size_t p = s->pos;
  if (p < s->len && t[p] == '-')
    p++;
  if (p < s->len && t[p] == '0')
    p++;
  else if (p < s->len && t[p] >= '1' && t[p] <= '9')
    while (p < s->len && t[p] >= '0' && t[p] <= '9')
      p++;
  else
    return manifest_fail(s, "invalid value");

  if (p < s->len && t[p] == '.') {
    size_t digits = ++p;
    while (p < s->len && t[p] >= '0' && t[p] <= '9')
      p++;
    if (p == digits)
      return manifest_fail(s, "invalid number");
  }
  if (p < s->len && (t[p] == 'e' || t[p] == 'E')) {
    p += p + 1 < s->len && (t[p + 1] == '+' || t[p + 1] == '-') ? 2 : 1;
    size_t digits = p;
    while (p < s->len && t[p] >= '0' && t[p] <= '9')
      p++;
    if (p == digits)
      return manifest_fail(s, "invalid number");
  }
  s->pos = p;
  return 0;
}

static int manifest_literal(manifest_scanner *s) {
  static const char *const literals[] = {"true", "false", "null"};
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(literals[i]);
    if (s->len - s->pos >= n && memcmp(s->text + s->pos, literals[i], n) == 0) {
      s->pos += n;
      return 0;
    }
  }
  return manifest_number(s);
}

static int manifest_value(manifest_scanner *s, manifest_place place, unsigned depth);

/* Returns 1 when the value at s->pos is a string of the 64 lowercase
 * hexadecimal digits of a SHA-256 digest, written without escapes. */
static int manifest_is_digest(const manifest_scanner *s) {
  if (s->len - s->pos < 66 || s->text[s->pos] != '"' || s->text[s->pos + 65] != '"')
    return 0;
  for (size_t i = 1; i <= 64; i++) {
    char c = s->text[s->pos + i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return 0;
  }
  return 1;
}

/* Fails with "unexpected end of text" when the text ends where more was
 * expected, else with message. */
static int manifest_expected(manifest_scanner *s, const char *message) {
  return manifest_fail(s, manifest_peek(s) == -1 ? "unexpected end of text" : message);
}

/* Scans the members of an object after its '{'. Records where the
 * typeName and template values of an entry are. */
static int manifest_members(manifest_scanner *s, manifest_place place, unsigned depth,
                            manifest_fields *fields) {
  if (manifest_peek(s) == '}') {
    s->pos++;
    return 0;
  }
  for (;;) {
    size_t key_start, key_end, value_start, value_end;
    if (manifest_peek(s) != '"')
      return manifest_expected(s, "expected a member name");
    if (manifest_string(s, &key_start, &key_end))
      return -1;
    if (manifest_peek(s) != ':')
      return manifest_expected(s, "expected ':'");
    s->pos++;

    int entry = place == PLACE_ENTRY || place == PLACE_DENIED_ENTRY;
    int is_type_name = entry && manifest_string_equals(s, key_start, key_end, "typeName");
    int is_template =
        place == PLACE_ENTRY && manifest_string_equals(s, key_start, key_end, "template");
    manifest_place child = PLACE_OTHER;
    if (place == PLACE_ROOT && manifest_string_equals(s, key_start, key_end, "types"))
      child = PLACE_TYPES;
    if (place == PLACE_ROOT && manifest_string_equals(s, key_start, key_end, "denied"))
      child = PLACE_DENIED;

    if ((child == PLACE_TYPES && s->has_types++) || (child == PLACE_DENIED && s->has_denied++)) {
      s->pos = key_start;
      return manifest_fail(s, "duplicate 'types' or 'denied'");
    }
    int first = manifest_peek(s);
    int is_digest =
        place == PLACE_ENTRY && manifest_string_equals(s, key_start, key_end, "templateSha256");
    if ((is_digest || (place == PLACE_ENTRY && manifest_string_equals(s, key_start, key_end,
                                                                      "previousTemplateSha256"))) &&
        !manifest_is_digest(s))
      return manifest_fail(s, "a template digest is not 64 lowercase hexadecimal digits");
    if ((child == PLACE_TYPES && first != '[') || ((is_type_name || is_template) && first != '"'))
      return manifest_fail(s, child == PLACE_TYPES ? "'types' is not an array"
                                                   : "typeName and template must be strings");
    value_start = s->pos;
    if (manifest_value(s, child, depth + 1))
      return -1;
    value_end = s->pos;

    if ((is_type_name && fields->has_type_name++) || (is_template && fields->has_template++) ||
        (is_digest && fields->has_digest++)) {
      s->pos = key_start;
      return manifest_fail(s, "duplicate typeName, template or templateSha256");
    }
    if (is_type_name) {
      fields->type_start = value_start;
      fields->type_end = value_end;
    }
    if (is_template) {
      fields->template_start = value_start;
      fields->template_end = value_end;
    }

    int next = manifest_peek(s);
    if (next != '}' && next != ',')
      return manifest_expected(s, "expected ',' or '}'");
    s->pos++;
    if (next == '}')
      return 0;
  }
}

static void manifest_record(manifest_scanner *s, manifest_place place, size_t start) {
  policy_manifest_list list =
      place == PLACE_ENTRY ? POLICY_MANIFEST_ALLOWED : POLICY_MANIFEST_DENIED;
  if (s->match->list == POLICY_MANIFEST_ALLOWED)
    return;
  if (s->match->list == POLICY_MANIFEST_DENIED && list == POLICY_MANIFEST_DENIED)
    return;
  s->match->list = list;
  s->match->start = start;
  s->match->end = s->pos;
}

/* Appends the entry whose members were just scanned to s->entries. */
static void manifest_add_entry(manifest_scanner *s, manifest_place place,
                               const manifest_fields *fields) {
  if (s->entry_count == s->entry_capacity) {
    s->entry_capacity = s->entry_capacity ? 2 * s->entry_capacity : 256;
    s->entries = realloc(s->entries, s->entry_capacity * sizeof s->entries[0]);
    if (!s->entries)
      abort();
  }
  policy_manifest_entry *entry = &s->entries[s->entry_count++];
  memset(entry, 0, sizeof *entry);
  entry->list = place == PLACE_ENTRY ? POLICY_MANIFEST_ALLOWED : POLICY_MANIFEST_DENIED;
  entry->number = place == PLACE_ENTRY ? ++s->allowed_count : ++s->denied_count;
  entry->type_start = fields->type_start;
  entry->type_end = fields->type_end;
  entry->template_start = fields->template_start;
  entry->template_end = fields->template_end;
}

static int manifest_object(manifest_scanner *s, manifest_place place, unsigned depth) {
  size_t start = s->pos++;
  manifest_fields fields;
  memset(&fields, 0, sizeof fields);
  if (manifest_members(s, place, depth, &fields))
    return -1;
  if (place != PLACE_ENTRY && place != PLACE_DENIED_ENTRY)
    return 0;

  if (!fields.has_type_name || (place == PLACE_ENTRY && !fields.has_template))
    return manifest_fail(s, "an entry has no typeName or template");
  if (place == PLACE_ENTRY && !fields.has_digest) {
    s->pos = start;
    return manifest_fail(s, "an entry has no templateSha256 (cfgate compile records one for every "
                            "template)");
  }
  manifest_add_entry(s, place, &fields);
  if (s->type_name &&
      manifest_string_equals(s, fields.type_start, fields.type_end, s->type_name))
    manifest_record(s, place, start);
  return 0;
}

static int manifest_array(manifest_scanner *s, manifest_place place, unsigned depth) {
  manifest_place item = place == PLACE_TYPES    ? PLACE_ENTRY
                        : place == PLACE_DENIED ? PLACE_DENIED_ENTRY
                                                : PLACE_OTHER;
  s->pos++;
  if (manifest_peek(s) == ']') {
    s->pos++;
    return 0;
  }
  for (;;) {
    if (item != PLACE_OTHER && manifest_peek(s) != '{')
      return manifest_expected(s, "an entry has no typeName or template");
    if (manifest_value(s, item, depth + 1))
      return -1;
    int next = manifest_peek(s);
    if (next != ']' && next != ',')
      return manifest_expected(s, "expected ',' or ']'");
    s->pos++;
    if (next == ']')
      return 0;
  }
}

static int manifest_value(manifest_scanner *s, manifest_place place, unsigned depth) {
  if (depth > POLICY_MANIFEST_MAX_DEPTH) {
    char message[100];
    snprintf(message, sizeof message, "too many nested arrays and objects (limit is %u)",
             POLICY_MANIFEST_MAX_DEPTH);
    return manifest_fail(s, message);
  }
  size_t start, end;
  switch (manifest_peek(s)) {
  case '{':
    return manifest_object(s, place, depth);
  case '[':
    return manifest_array(s, place, depth);
  case '"':
    return manifest_string(s, &start, &end);
  case -1:
    return manifest_fail(s, "unexpected end of text");
  default:
    return manifest_literal(s);
  }
}

/* Scans the whole text: one object with a "types" array and nothing after
 * it. */
static int manifest_scan_root(manifest_scanner *s) {
  if (manifest_peek(s) != '{')
    return manifest_fail(s, "the manifest is not a JSON object");
  if (manifest_value(s, PLACE_ROOT, 1))
    return -1;
  if (manifest_peek(s) != -1)
    return manifest_fail(s, "text after the manifest object");
  if (!s->has_types)
    return manifest_fail(s, "'types' is not an array");
  return 0;
}

int policy_manifest_scan(const char *text, size_t len, const char *type_name,
                         policy_manifest_match *match, char *error, size_t error_size) {
  manifest_scanner s;
  memset(&s, 0, sizeof s);
  s.text = text;
  s.len = len;
  s.type_name = type_name;
  s.match = match;
  s.error = error;
  s.error_size = error_size;
  memset(match, 0, sizeof *match);

  int result = manifest_scan_root(&s);
  if (result == 0)
    result = policy_manifest_check_entries(text, s.entries, s.entry_count, error, error_size);
  free(s.entries);
  return result;
}
