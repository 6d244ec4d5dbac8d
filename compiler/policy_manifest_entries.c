/*
 * Checks of the entries of a compiled folder's manifest.json beyond its
 * syntax. With a type listed twice, the loader would use one entry while a
 * reviewer might read the other. A template path such as "../other/x.json"
 * or "/tmp/x.json" would load a file from outside the folder. So each
 * typeName must be a type name, each type is listed once in "types" and
 * "denied" together, and each template is "templates/" followed by the file
 * name of its type.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_manifest.h"
#include "snapshot.h"

#define MANIFEST_MIN_TYPE_PARTS 3 /* AWS::S3::Bucket */
#define MANIFEST_MAX_TYPE_PARTS 4 /* Acme::S3::Bucket::MODULE */
#define MANIFEST_SHOWN_BYTES 120  /* bytes of a value quoted in an error */

/* The decoded typeName of one entry. */
typedef struct manifest_name {
  const policy_manifest_entry *entry;
  char text[POLICY_MANIFEST_MAX_TYPE_NAME + 1];
  size_t length;
} manifest_name;

/* Decodes the string token text[start..end) into out. Returns 0, or -1 when
 * jansson cannot decode it or it does not fit (with its NUL) in out. */
static int manifest_decode(const char *text, size_t start, size_t end, char *out,
                           size_t out_size, size_t *length) {
  if (!memchr(text + start, '\\', end - start)) {
    *length = end - start - 2;
    if (*length >= out_size)
      return -1;
    memcpy(out, text + start + 1, *length);
    out[*length] = '\0';
    return 0;
  }

  json_t *value = json_loadb(text + start, end - start, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  int fits = value && json_string_length(value) < out_size;
  if (fits) {
    *length = json_string_length(value);
    memcpy(out, json_string_value(value), *length + 1);
  }
  json_decref(value);
  return fits ? 0 : -1;
}

/* Returns 1 when name[0..length) is three or four parts of ASCII letters
 * and digits joined by "::". An embedded NUL fails, so a name cannot hide
 * a suffix from the loader, which reads names as C strings. */
static int manifest_is_type_name(const char *name, size_t length) {
  size_t parts = 1, part_length = 0;
  for (size_t i = 0; i < length; i++) {
    char c = name[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      part_length++;
    } else if (c == ':' && i + 1 < length && name[i + 1] == ':' && part_length > 0) {
      parts++;
      part_length = 0;
      i++;
    } else {
      return 0;
    }
  }
  return part_length > 0 && parts >= MANIFEST_MIN_TYPE_PARTS && parts <= MANIFEST_MAX_TYPE_PARTS;
}

/* Writes the string token text[start..end), quotes and escapes as written,
 * into out, shortened to MANIFEST_SHOWN_BYTES. */
static void manifest_show(const char *text, size_t start, size_t end, char *out,
                          size_t out_size) {
  size_t length = end - start;
  if (length <= MANIFEST_SHOWN_BYTES)
    snprintf(out, out_size, "%.*s", (int)length, text + start);
  else
    snprintf(out, out_size, "%.*s...\"", MANIFEST_SHOWN_BYTES, text + start);
}

static const char *manifest_list_name(const policy_manifest_entry *entry) {
  return entry->list == POLICY_MANIFEST_ALLOWED ? "types" : "denied";
}

/* Writes "line L, column C: " for text[offset] and then the message. */
__attribute__((format(printf, 5, 6))) static int
manifest_entry_fail(const char *text, size_t offset, char *error, size_t error_size,
                    const char *format, ...) {
  size_t line, column;
  policy_manifest_position(text, offset, &line, &column);
  int used = snprintf(error, error_size, "line %zu, column %zu: ", line, column);
  if (used > 0 && (size_t)used < error_size) {
    va_list args;
    va_start(args, format);
    vsnprintf(error + used, error_size - (size_t)used, format, args);
    va_end(args);
  }
  return -1;
}

static int manifest_check_type_name(const char *text, manifest_name *name, char *error,
                                    size_t error_size) {
  const policy_manifest_entry *entry = name->entry;
  char shown[MANIFEST_SHOWN_BYTES + 8];
  manifest_show(text, entry->type_start, entry->type_end, shown, sizeof shown);

  if (manifest_decode(text, entry->type_start, entry->type_end, name->text, sizeof name->text,
                      &name->length) != 0 ||
      !manifest_is_type_name(name->text, name->length))
    return manifest_entry_fail(text, entry->type_start, error, error_size,
                               "entry %zu of '%s' has the typeName %s, which is not a type "
                               "name such as \"AWS::S3::Bucket\" (at most %d bytes)",
                               entry->number, manifest_list_name(entry), shown,
                               POLICY_MANIFEST_MAX_TYPE_NAME);
  return 0;
}

/* Returns 1 when path[0..length) is "templates/" and the file name of
 * type_name, a valid type name, as snapshot_file_name() writes it: lower
 * case, "-" for "::", ".json" at the end. Comparing in place saves building
 * the name for each of the 1692 entries of a full manifest. */
static int manifest_is_template_of(const char *type_name, const char *path, size_t length) {
  static const char prefix[] = "templates/";
  size_t at = sizeof prefix - 1;
  if (length < at || memcmp(path, prefix, at) != 0)
    return 0;

  for (const char *p = type_name; *p; p++) {
    char expected = *p == ':' ? '-' : (char)tolower((unsigned char)*p);
    p += *p == ':';
    if (at >= length || path[at++] != expected)
      return 0;
  }
  return length - at == 5 && memcmp(path + at, ".json", 5) == 0;
}

/* Checks that an allowed type's template is templates/FILE, with FILE the
 * file name of its type, as `cfgate compile` writes it. */
static int manifest_check_template(const char *text, const manifest_name *name, char *error,
                                   size_t error_size) {
  const policy_manifest_entry *entry = name->entry;
  char actual[600];
  size_t length = 0;
  if (manifest_decode(text, entry->template_start, entry->template_end, actual, sizeof actual,
                      &length) == 0 &&
      manifest_is_template_of(name->text, actual, length))
    return 0;

  char file_name[512], shown[MANIFEST_SHOWN_BYTES + 8];
  snapshot_file_name(name->text, file_name, sizeof file_name);
  manifest_show(text, entry->template_start, entry->template_end, shown, sizeof shown);
  return manifest_entry_fail(text, entry->template_start, error, error_size,
                             "entry %zu of 'types' (%s) has the template %s, but the template "
                             "of this type must be \"templates/%s\"",
                             entry->number, name->text, shown, file_name);
}

/* Orders by type name, then by position in the text. */
static int manifest_compare_names(const void *a, const void *b) {
  const manifest_name *left = *(const manifest_name *const *)a;
  const manifest_name *right = *(const manifest_name *const *)b;
  int order = strcmp(left->text, right->text);
  if (order != 0)
    return order;
  return (left->entry->type_start > right->entry->type_start) -
         (left->entry->type_start < right->entry->type_start);
}

/* Rejects a type listed twice, at the second entry. */
static int manifest_check_duplicates(const char *text, manifest_name *names, size_t count,
                                     char *error, size_t error_size) {
  manifest_name **sorted = malloc((count ? count : 1) * sizeof sorted[0]);
  if (!sorted)
    abort();
  for (size_t i = 0; i < count; i++)
    sorted[i] = &names[i];
  qsort(sorted, count, sizeof sorted[0], manifest_compare_names);

  int result = 0;
  for (size_t i = 1; i < count && result == 0; i++) {
    const manifest_name *first = sorted[i - 1], *second = sorted[i];
    if (strcmp(first->text, second->text) != 0)
      continue;
    size_t first_line, first_column;
    policy_manifest_position(text, first->entry->type_start, &first_line, &first_column);
    result = manifest_entry_fail(text, second->entry->type_start, error, error_size,
                                 "entry %zu of '%s' lists the type \"%s\" again, after entry "
                                 "%zu of '%s' at line %zu: list each type once",
                                 second->entry->number, manifest_list_name(second->entry),
                                 second->text, first->entry->number,
                                 manifest_list_name(first->entry), first_line);
  }
  free(sorted);
  return result;
}

int policy_manifest_check_entries(const char *text, const policy_manifest_entry *entries,
                                  size_t count, char *error, size_t error_size) {
  manifest_name *names = malloc((count ? count : 1) * sizeof names[0]);
  if (!names)
    abort();

  int result = 0;
  for (size_t i = 0; i < count && result == 0; i++) {
    names[i].entry = &entries[i];
    result = manifest_check_type_name(text, &names[i], error, error_size);
    if (result == 0 && entries[i].list == POLICY_MANIFEST_ALLOWED)
      result = manifest_check_template(text, &names[i], error, error_size);
  }
  if (result == 0)
    result = manifest_check_duplicates(text, names, count, error, error_size);
  free(names);
  return result;
}
