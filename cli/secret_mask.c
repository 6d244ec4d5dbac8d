/*
 * Hidden values: collecting them and masking them in finding messages.
 */
#include "secret_mask.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret_forms.h"

static void *checked(void *memory) {
  if (!memory) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }
  return memory;
}

static char *copy(const char *text, size_t len) {
  char *out = checked(malloc(len + 1));
  memcpy(out, text, len);
  out[len] = '\0';
  return out;
}

void secret_list_init(secret_list *list) { memset(list, 0, sizeof *list); }

void secret_list_fini(secret_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].text);
    free(list->items[i].reason);
    free(list->items[i].scope);
  }
  free(list->items);
  secret_list_init(list);
}

void secret_list_add(secret_list *list, const char *text, size_t len, const char *reason,
                     const char *scope) {
  if (len == 0)
    return;
  if (list->count == list->capacity) {
    size_t next = list->capacity ? list->capacity * 2 : 8;
    list->items = checked(realloc(list->items, next * sizeof *list->items));
    list->capacity = next;
  }
  secret_value *value = &list->items[list->count++];
  value->text = copy(text, len);
  value->reason = copy(reason, strlen(reason));
  value->scope = scope ? copy(scope, strlen(scope)) : NULL;
  value->whole_word = scope != NULL || len < SECRET_MIN_ANYWHERE;
  value->inexact = 0;
  value->rewritten = 0;
  value->quoted = 0;
}

void secret_list_add_quoted(secret_list *list, const char *text, size_t len, const char *reason,
                            const char *scope) {
  size_t count = list->count;
  secret_list_add(list, text, len, reason, scope);
  if (list->count > count)
    list->items[count].quoted = 1;
}

int secret_is_no_echo(const tnode *definition) {
  const tnode *no_echo = tnode_get(definition, "NoEcho");
  if (!no_echo)
    return 0;
  if (no_echo->kind == TNODE_BOOL)
    return no_echo->boolean;
  return !(no_echo->kind == TNODE_STRING && strcasecmp(no_echo->text, "false") == 0);
}

/* Adds text and, because a list parameter's value is split at commas, each
 * of its items as written and without surrounding spaces. */
static void add_with_items(secret_list *list, const char *text, const char *reason) {
  size_t len = strlen(text);
  secret_list_add(list, text, len, reason, NULL);
  if (!memchr(text, ',', len))
    return;

  for (const char *item = text;; item++) {
    const char *end = strchr(item, ',');
    size_t item_len = end ? (size_t)(end - item) : strlen(item);
    secret_list_add(list, item, item_len, reason, NULL);
    const char *first = item, *last = item + item_len;
    while (first < last && (*first == ' ' || *first == '\t'))
      first++;
    while (last > first && (last[-1] == ' ' || last[-1] == '\t'))
      last--;
    if (last - first != (long)item_len)
      secret_list_add(list, first, (size_t)(last - first), reason, NULL);
    if (!end)
      break;
    item = end;
  }
}

/* Adds a Default or AllowedValues item, and each item of a Default written
 * as a YAML sequence. The YAML 1.1 reading makes a plain no or yes a
 * boolean, which messages then write as false or true. A YAML tag that is
 * not a CloudFormation function (!Xk9Sup3rPass) is added as its text. */
static void add_scalar(secret_list *list, const tnode *node, const char *reason) {
  if (!node)
    return;
  if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      add_scalar(list, node->items[i], reason);
    return;
  }
  if (node->kind == TNODE_BOOL) {
    const char *text = node->boolean ? "true" : "false";
    secret_list_add(list, text, strlen(text), reason, NULL);
  }
  if (node->kind == TNODE_UNKNOWN && node->tag)
    secret_list_add(list, node->tag, strlen(node->tag), reason, NULL);
  if ((node->kind == TNODE_STRING || node->kind == TNODE_NUMBER || node->kind == TNODE_BOOL) &&
      node->text) {
    add_with_items(list, node->text, reason);
  }
}

void secret_list_add_parameter_values(secret_list *list, const tnode_member *parameter,
                                      const char *given, const char *reason) {
  const tnode *definition = parameter->value;
  if (given)
    add_with_items(list, given, reason);
  if (!definition || definition->kind != TNODE_OBJECT)
    return;
  add_scalar(list, tnode_get(definition, "Default"), reason);

  const tnode *allowed = tnode_get(definition, "AllowedValues");
  for (size_t i = 0; allowed && allowed->kind == TNODE_ARRAY && i < allowed->count; i++)
    add_scalar(list, allowed->items[i], reason);
}

void secret_list_add_parameter(secret_list *list, const tnode_member *parameter,
                               const char *given) {
  const tnode *definition = parameter->value;
  if (!definition || definition->kind != TNODE_OBJECT || !secret_is_no_echo(definition))
    return;

  char reason[160];
  snprintf(reason, sizeof reason, "NoEcho parameter %.*s",
           (int)(parameter->key_len > 100 ? 100 : parameter->key_len), parameter->key);
  size_t first = list->count;
  secret_list_add_parameter_values(list, parameter, given, reason);
  for (size_t i = first; i < list->count; i++)
    list->items[i].rewritten = 1;
}

void secret_pointer_append(char *pointer, size_t size, const char *token, size_t len) {
  size_t used = strlen(pointer);
  if (used + 1 < size)
    pointer[used++] = '/';
  for (size_t i = 0; i < len && used + 2 < size; i++) {
    if (token[i] == '~' || token[i] == '/') {
      pointer[used++] = '~';
      pointer[used++] = token[i] == '~' ? '0' : '1';
    } else {
      pointer[used++] = token[i];
    }
  }
  pointer[used] = '\0';
}

/* Returns the next segment of a writeOnlyProperties path in *segment and
 * *len, or NULL at its end. */
static const char *next_segment(const char *path, const char **segment, size_t *len) {
  if (*path != '/')
    return NULL;
  *segment = path + 1;
  const char *end = strchr(*segment, '/');
  *len = end ? (size_t)(end - *segment) : strlen(*segment);
  return *segment + *len;
}

enum { SECRET_POINTER_SIZE = 1024 }; /* bytes of a pointer a hidden value is recorded under */

/* What a walk of write-only values adds. */
typedef enum write_only_mode {
  WRITE_ONLY_VALUES,   /* resolved values, hidden in the findings at or below their pointer */
  WRITE_ONLY_LITERALS, /* the text of an unresolved tree, hidden in every message */
  WRITE_ONLY_TAGS,     /* the YAML tags that are not functions, hidden in every message */
  WRITE_ONLY_VISIT     /* nothing: each write-only value goes to a visitor */
} write_only_mode;

typedef struct write_only_walk {
  secret_list *list;
  const char *reason;
  write_only_mode mode;
  secret_write_only_visitor visit; /* WRITE_ONLY_VISIT */
  void *data;
} write_only_walk;

/* Returns 1 when member is a call whose argument is a name rather than
 * text of the value: Ref, Fn::GetAtt, Condition. */
static int names_only(const tnode_member *member) {
  return strcmp(member->key, "Ref") == 0 || strcmp(member->key, "Fn::GetAtt") == 0 ||
         strcmp(member->key, "Condition") == 0;
}

/* Returns the first occurrence of needle[0..n) in text[0..len), or NULL.
 * Unlike strstr(), it reads past NUL bytes, which a JSON string may hold. */
static const char *find_bytes(const char *text, size_t len, const char *needle, size_t n) {
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(text + i, needle, n) == 0)
      return text + i;
  return NULL;
}

/* Adds each dynamic reference ("{{resolve:...}}") in text[0..len), hidden in
 * the findings at or below pointer. A finding on a value that contains a
 * reference quotes the reference alone (the note of an unknown value), so
 * text around it would leave the reference unmasked. An unclosed
 * reference runs to the end of text. */
static void add_references(const write_only_walk *walk, const char *text, size_t len,
                           const char *pointer) {
  static const char start[] = "{{resolve:";
  const char *end = text + len;
  const char *at = text;
  while (at < end) {
    const char *found = find_bytes(at, (size_t)(end - at), start, sizeof start - 1);
    if (!found)
      return;
    const char *close = find_bytes(found, (size_t)(end - found), "}}", 2);
    const char *stop = close ? close + 2 : end;
    if (found != text || stop != end)
      secret_list_add(walk->list, found, (size_t)(stop - found), walk->reason, pointer);
    at = stop;
  }
}

/* Adds the text of an unresolved tree, including the YAML tag or plain
 * scalar of an unknown value. It skips the names that functions read (Ref,
 * Fn::GetAtt, an Fn::If condition, an Fn::FindInMap map) and text too short
 * to hide in every message. */
static void add_tnode_literals(const write_only_walk *walk, const tnode *node) {
  if (node->kind == TNODE_UNKNOWN) {
    const char *texts[] = {node->tag, node->plain}; /* a YAML tag, a plain scalar */
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
      if (texts[i] && strlen(texts[i]) >= SECRET_MIN_ANYWHERE)
        secret_list_add(walk->list, texts[i], strlen(texts[i]), walk->reason, NULL);
  } else if ((node->kind == TNODE_STRING || node->kind == TNODE_NUMBER) &&
      node->len >= SECRET_MIN_ANYWHERE) {
    if (node->kind == TNODE_STRING)
      add_references(walk, node->text, node->len, NULL);
    secret_list_add(walk->list, node->text, node->len, walk->reason, NULL);
  } else if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      add_tnode_literals(walk, node->items[i]);
  } else if (node->kind == TNODE_OBJECT) {
    const tnode_member *call = node->count == 1 ? &node->members[0] : NULL;
    if (call && names_only(call))
      return;
    int named_first = call && call->value->kind == TNODE_ARRAY &&
                      (strcmp(call->key, "Fn::If") == 0 || strcmp(call->key, "Fn::FindInMap") == 0);
    for (size_t i = 1; named_first && i < call->value->count; i++)
      add_tnode_literals(walk, call->value->items[i]);
    for (size_t i = 0; !named_first && i < node->count; i++)
      add_tnode_literals(walk, node->members[i].value);
  }
}

static void add_tnode_tags(const write_only_walk *walk, const tnode *node) {
  if (node->kind == TNODE_UNKNOWN && node->tag)
    secret_list_add(walk->list, node->tag, strlen(node->tag), walk->reason, NULL);
  for (size_t i = 0; i < node->count && node->kind == TNODE_ARRAY; i++)
    add_tnode_tags(walk, node->items[i]);
  for (size_t i = 0; i < node->count && node->kind == TNODE_OBJECT; i++)
    add_tnode_tags(walk, node->members[i].value);
}

/* Adds every scalar of node, hidden in the findings at or below pointer. */
static void add_tnode_values(const write_only_walk *walk, const tnode *node,
                             const char *pointer) {
  if (walk->mode == WRITE_ONLY_VISIT) {
    walk->visit(walk->data, node, walk->reason);
    return;
  }
  if (walk->mode == WRITE_ONLY_LITERALS) {
    add_tnode_literals(walk, node);
    return;
  }
  if (walk->mode == WRITE_ONLY_TAGS) {
    add_tnode_tags(walk, node);
    return;
  }
  if (node->kind == TNODE_UNKNOWN && node->plain) {
    add_references(walk, node->plain, strlen(node->plain), pointer);
    secret_list_add(walk->list, node->plain, strlen(node->plain), walk->reason, pointer);
  }
  if (node->kind == TNODE_UNKNOWN && node->tag)
    secret_list_add(walk->list, node->tag, strlen(node->tag), walk->reason, pointer);
  if (node->kind == TNODE_STRING)
    add_references(walk, node->text, node->len, pointer);
  if (node->kind == TNODE_STRING || node->kind == TNODE_NUMBER) {
    secret_list_add_quoted(walk->list, node->text, node->len, walk->reason, pointer);
  } else if (node->kind == TNODE_BOOL) {
    const char *text = node->boolean ? "true" : "false";
    secret_list_add_quoted(walk->list, text, strlen(text), walk->reason, pointer);
  } else if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      add_tnode_values(walk, node->items[i], pointer);
  } else if (node->kind == TNODE_OBJECT) {
    for (size_t i = 0; i < node->count; i++)
      add_tnode_values(walk, node->members[i].value, pointer);
  }
}

static void walk_tnode(const write_only_walk *walk, const tnode *node, const char *path,
                       const char *pointer) {
  const char *segment;
  size_t len;
  const char *rest = next_segment(path, &segment, &len);
  if (!rest) {
    add_tnode_values(walk, node, pointer);
    return;
  }

  int any = len == 1 && segment[0] == '*';
  char child[SECRET_POINTER_SIZE];
  if (node->kind == TNODE_OBJECT) {
    for (size_t i = 0; i < node->count; i++) {
      const tnode_member *member = &node->members[i];
      if (!any && (member->key_len != len || memcmp(member->key, segment, len) != 0))
        continue;
      snprintf(child, sizeof child, "%s", pointer);
      secret_pointer_append(child, sizeof child, member->key, member->key_len);
      walk_tnode(walk, member->value, rest, child);
    }
  } else if (node->kind == TNODE_ARRAY && any) {
    for (size_t i = 0; i < node->count; i++) {
      snprintf(child, sizeof child, "%s/%zu", pointer, i);
      walk_tnode(walk, node->items[i], rest, child);
    }
  }
}

static void add_json_values(const write_only_walk *walk, json_t *node, const char *pointer) {
  size_t i;
  json_t *item;
  const char *key;
  char number[64];

  switch (json_typeof(node)) {
  case JSON_STRING:
    add_references(walk, json_string_value(node), json_string_length(node), pointer);
    secret_list_add(walk->list, json_string_value(node), json_string_length(node), walk->reason,
                    pointer);
    break;
  case JSON_INTEGER:
  case JSON_REAL:
    if (json_is_integer(node))
      snprintf(number, sizeof number, "%lld", (long long)json_integer_value(node));
    else
      snprintf(number, sizeof number, "%.17g", json_real_value(node));
    secret_list_add(walk->list, number, strlen(number), walk->reason, pointer);
    walk->list->items[walk->list->count - 1].inexact = 1;
    break;
  case JSON_TRUE:
  case JSON_FALSE:
    secret_list_add(walk->list, json_is_true(node) ? "true" : "false",
                    json_is_true(node) ? 4 : 5, walk->reason, pointer);
    break;
  case JSON_ARRAY:
    json_array_foreach(node, i, item) add_json_values(walk, item, pointer);
    break;
  case JSON_OBJECT:
    json_object_foreach(node, key, item) add_json_values(walk, item, pointer);
    break;
  case JSON_NULL:
    break;
  }
}

static void walk_json(const write_only_walk *walk, json_t *node, const char *path,
                      const char *pointer) {
  const char *segment;
  size_t len;
  const char *rest = next_segment(path, &segment, &len);
  if (!rest) {
    add_json_values(walk, node, pointer);
    return;
  }

  int any = len == 1 && segment[0] == '*';
  char child[SECRET_POINTER_SIZE];
  const char *key;
  json_t *value;
  size_t i;
  if (json_is_object(node)) {
    json_object_foreach(node, key, value) {
      if (!any && (strlen(key) != len || memcmp(key, segment, len) != 0))
        continue;
      snprintf(child, sizeof child, "%s", pointer);
      secret_pointer_append(child, sizeof child, key, strlen(key));
      walk_json(walk, value, rest, child);
    }
  } else if (json_is_array(node) && any) {
    json_array_foreach(node, i, value) {
      snprintf(child, sizeof child, "%s/%zu", pointer, i);
      walk_json(walk, value, rest, child);
    }
  }
}

/* Calls the walk for each writeOnlyProperties path of schema, without its
 * "/properties" start, with the reason naming the property. */
static void each_write_only(secret_list *list, json_t *schema, const tnode *properties,
                            json_t *json_properties, write_only_mode mode,
                            secret_write_only_visitor visit, void *data) {
  json_t *paths = json_object_get(json_object_get(schema, "x-cfgate"), "writeOnlyProperties");
  size_t i;
  json_t *item;
  json_array_foreach(paths, i, item) {
    const char *path = json_string_value(item);
    if (!path || strncmp(path, "/properties/", 12) != 0)
      continue;
    path += 11;

    char reason[300];
    snprintf(reason, sizeof reason, "write-only property %.200s", path + 1);
    write_only_walk walk = {list, reason, mode, visit, data};
    if (properties)
      walk_tnode(&walk, properties, path, "");
    else
      walk_json(&walk, json_properties, path, "");
  }
}

/* Returns 1 when pointer is at or below the write-only path (its part after
 * "/properties"), whose "*" segments match any segment. */
static int path_covers(const char *path, const char *pointer) {
  const char *segment;
  size_t len;
  while ((path = next_segment(path, &segment, &len)) != NULL) {
    if (*pointer != '/')
      return 0;
    const char *end = strchr(pointer + 1, '/');
    size_t pointer_len = end ? (size_t)(end - pointer - 1) : strlen(pointer + 1);
    char escaped[SECRET_POINTER_SIZE] = "";
    secret_pointer_append(escaped, sizeof escaped, segment, len);
    int any = len == 1 && segment[0] == '*';
    if (!any && (strlen(escaped + 1) != pointer_len ||
                 memcmp(escaped + 1, pointer + 1, pointer_len) != 0))
      return 0;
    pointer += 1 + pointer_len;
  }
  return 1;
}

int secret_write_only_reason(json_t *schema, const char *pointer, char *reason, size_t size) {
  json_t *paths = json_object_get(json_object_get(schema, "x-cfgate"), "writeOnlyProperties");
  size_t i;
  json_t *item;
  json_array_foreach(paths, i, item) {
    const char *path = json_string_value(item);
    if (!path || strncmp(path, "/properties/", 12) != 0)
      continue;
    if (path_covers(path + 11, pointer ? pointer : "")) {
      snprintf(reason, size, "write-only property %.200s", path + 12);
      return 1;
    }
  }
  return 0;
}

int secret_write_only_covers(json_t *schema, const char *pointer) {
  char reason[300];
  return secret_write_only_reason(schema, pointer, reason, sizeof reason);
}

void secret_list_add_write_only(secret_list *list, json_t *schema, const tnode *properties) {
  if (properties)
    each_write_only(list, schema, properties, NULL, WRITE_ONLY_VALUES, NULL, NULL);
}

void secret_list_add_write_only_literals(secret_list *list, json_t *schema,
                                         const tnode *properties) {
  if (properties)
    each_write_only(list, schema, properties, NULL, WRITE_ONLY_LITERALS, NULL, NULL);
}

void secret_list_add_write_only_tags(secret_list *list, json_t *schema,
                                     const tnode *properties) {
  if (properties)
    each_write_only(list, schema, properties, NULL, WRITE_ONLY_TAGS, NULL, NULL);
}

void secret_list_add_write_only_json(secret_list *list, json_t *schema, json_t *properties) {
  if (properties)
    each_write_only(list, schema, NULL, properties, WRITE_ONLY_VALUES, NULL, NULL);
}

void secret_write_only_each(json_t *schema, const tnode *properties,
                            secret_write_only_visitor visit, void *data) {
  if (properties)
    each_write_only(NULL, schema, properties, NULL, WRITE_ONLY_VISIT, visit, data);
}

/* Returns 1 when pointer is scope or below it. */
static int in_scope(const char *scope, const char *pointer) {
  if (!scope)
    return 1;
  size_t len = strlen(scope);
  return strncmp(pointer, scope, len) == 0 && (pointer[len] == '\0' || pointer[len] == '/');
}

int secret_inexact_covers(const secret_list *list, const char *pointer) {
  for (size_t i = 0; i < list->count; i++)
    if (list->items[i].inexact && in_scope(list->items[i].scope, pointer ? pointer : ""))
      return 1;
  return 0;
}

/* Bytes of a value's start that count as showing it before a "..." that is
 * not a quoted value's cut, or at the end of a message that may be cut. Fewer
 * would hide the last letters of many messages. */
enum { SECRET_MIN_CUT = 4 };

/* Returns how many bytes of value's start a cut at text[end] shows. Before
 * the runtime's cut of a quoted value ("S3cr...\"") and check's cut of a
 * quoted known start ("S3cr"...) any number counts, elsewhere
 * SECRET_MIN_CUT or more. With quoted set, only a start that follows an
 * opening quote counts. */
static size_t cut_start(const char *text, size_t len, size_t end, const char *value,
                        size_t value_len, int quoted) {
  size_t minimum = SECRET_MIN_CUT;
  if (end < len && (strncmp(text + end, "...\"", 4) == 0 || strncmp(text + end, "\"...", 4) == 0))
    minimum = 1;
  else if (end < len && strncmp(text + end, "...", 3) != 0)
    return 0;

  size_t longest = 0;
  for (size_t n = minimum; n < value_len && n <= end; n++)
    if (memcmp(text + end - n, value, n) == 0 && (!quoted || (end > n && text[end - n - 1] == '"')))
      longest = n;
  return longest;
}

/* Returns 1 when text + at quotes the value of a finding for n bytes: as a
 * JSON string ("...", cut "...\"..."), or bare at the start of the message
 * or after "got number " or "got boolean ", which is how the runtime writes
 * a number or boolean. */
static int quotes_value(const char *text, const char *at, size_t n) {
  const char *end = at + n;
  size_t before = (size_t)(at - text);

  if (before > 0 && at[-1] == '"')
    return *end == '"' || *end == '\0' || strncmp(end, "...", 3) == 0;

  static const char *const bare_after[] = {"got number ", "got boolean "};
  int bare = before == 0;
  for (size_t i = 0; i < sizeof bare_after / sizeof bare_after[0] && !bare; i++) {
    size_t len = strlen(bare_after[i]);
    bare = before >= len && memcmp(at - len, bare_after[i], len) == 0;
  }
  return bare && (*end == '\0' || *end == ' ' || *end == ',' || *end == ')' ||
                  strncmp(end, "...", 3) == 0);
}

/* Returns 1 when at is inside text and a letter or digit. */
static int is_word_byte(const char *text, const char *at) {
  return at >= text && isalnum((unsigned char)*at);
}

/* Marks in hide[] the bytes of text that show value: whole copies, and a
 * start of it just before "..." or at the end of a cut message. With
 * quoted set, only where the message quotes the finding's value
 * (quotes_value). */
static int mark(const char *text, size_t len, const char *value, int whole_word, int quoted,
                unsigned char *hide) {
  size_t value_len = strlen(value);
  int found = 0;

  for (const char *at = text; (at = strstr(at, value)) != NULL; at++) {
    if (whole_word && (is_word_byte(text, at - 1) || is_word_byte(text, at + value_len)))
      continue;
    if (quoted && !quotes_value(text, at, value_len))
      continue;
    memset(hide + (at - text), 1, value_len);
    found = 1;
  }

  for (size_t end = 0; end <= len; end++) {
    size_t longest = cut_start(text, len, end, value, value_len, quoted);
    if (longest) {
      memset(hide + end - longest, 1, longest);
      found = 1;
    }
  }
  return found;
}

/* Widens each hidden run over the number characters next to it. A number
 * is listed in the form the tree reader writes (12345678), and a message
 * may quote its text as the event wrote it (12345678.000), whose rest would
 * otherwise show around the mask. */
static void widen_to_numbers(const char *text, size_t len, unsigned char *hide) {
  static const char number_chars[] = "0123456789.eE+-";

  for (size_t i = 1; i < len; i++)
    if (hide[i - 1] && !hide[i] && strchr(number_chars, text[i]))
      hide[i] = 1;
  for (size_t i = len - 1; i > 0; i--)
    if (hide[i] && !hide[i - 1] && strchr(number_chars, text[i - 1]))
      hide[i - 1] = 1;
}

/* Appends reason to the note unless it already names it. */
static void note_reason(char *note, size_t size, const char *reason) {
  if (strstr(note, reason))
    return;
  size_t used = strlen(note);
  snprintf(note + used, size - used, "%s%s", used ? ", " : "", reason);
}

/* Marks in marks[] the bytes of text that show value in one of its forms
 * (secret_forms_build). Returns 1 when any does. */
static int mark_forms(const char *text, size_t len, const secret_value *value,
                      unsigned char *marks) {
  secret_forms forms;
  secret_forms_build(&forms, value->text, value->rewritten, len + 1);

  int found = 0;
  for (size_t i = 0; i < forms.count; i++) {
    const char *form = forms.items[i];
    int whole_word = value->scope != NULL || strlen(form) < SECRET_MIN_ANYWHERE;
    found |= mark(text, len, form, whole_word, value->quoted, marks);
  }
  secret_forms_fini(&forms);
  return found;
}

/* Clears in marks[] the pattern of the rule where the message quotes it
 * (does not match the pattern "^q-[a-z]+$"). The pattern is the policy's
 * text, the same whatever the hidden value is, so it shows nothing of the
 * value. A mask inside it would show which of its parts the value equals. Its end is the first quote followed by the end of the message or
 * by the text that the runtime and check write after it (" (", " with ",
 * " could ", " has "). A quote inside the pattern before such text ends it
 * early, which only masks more. */
static void keep_rule_patterns(const char *text, size_t len, unsigned char *marks) {
  static const char opening[] = "pattern \"";
  static const char *const after[] = {" (", " with ", " could ", " has "};

  for (const char *at = strstr(text, opening); at; at = strstr(at + 1, opening)) {
    size_t start = (size_t)(at - text) + sizeof opening - 1;
    for (size_t end = start; end < len; end++) {
      if (text[end] != '"')
        continue;
      int closes = end + 1 == len;
      for (size_t i = 0; i < sizeof after / sizeof after[0] && !closes; i++)
        closes = strncmp(text + end + 1, after[i], strlen(after[i])) == 0;
      if (!closes)
        continue;
      memset(marks + start, 0, end - start);
      break;
    }
  }
}

static int any_marked(const unsigned char *marks, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (marks[i])
      return 1;
  return 0;
}

/* Returns 1 when the bytes that inner marks are also marked by outer, which
 * marks more. */
static int marks_within(const unsigned char *inner, const unsigned char *outer, size_t len) {
  int more = 0;
  for (size_t i = 0; i < len; i++) {
    if (inner[i] && !outer[i])
      return 0;
    more |= outer[i] && !inner[i];
  }
  return more;
}

/* NOTE: only the listed values and the forms that secret_forms_build()
 * lists are found here. A part that Fn::Split picks out, a value that
 * Fn::Base64 encodes with other text, and a value with bytes that are not
 * UTF-8 (reports write them as \xff) are not. check hides the values that
 * such calls derive as a whole (secret_list_add_derived), and replaces the
 * errors inside them (secret_derived_read_at). */
char *secret_mask(const secret_list *list, const char *pointer, const char *message) {
  size_t len = strlen(message);
  unsigned char *hide = checked(calloc(len + 1, 1));
  char note[600] = "";
  int found_number = 0;

  /* Each value's marks are kept apart, so that a value found only inside
   * another value's copy (the 9 that a cut secret ends with) is not named. */
  unsigned char **marks = checked(calloc(list->count + 1, sizeof *marks));
  for (size_t i = 0; i < list->count; i++) {
    const secret_value *value = &list->items[i];
    if (!in_scope(value->scope, pointer ? pointer : ""))
      continue;
    marks[i] = checked(calloc(len + 1, 1));
    mark_forms(message, len, value, marks[i]);
    keep_rule_patterns(message, len, marks[i]);
    if (!any_marked(marks[i], len)) {
      free(marks[i]);
      marks[i] = NULL;
    }
  }

  for (size_t i = 0; i < list->count; i++) {
    if (!marks[i])
      continue;
    int named = 1;
    for (size_t j = 0; j < list->count && named; j++)
      if (j != i && marks[j] && marks_within(marks[i], marks[j], len))
        named = 0;
    if (named)
      note_reason(note, sizeof note, list->items[i].reason);
    for (size_t b = 0; b < len; b++)
      hide[b] |= marks[i][b];
    found_number |= list->items[i].inexact;
  }
  for (size_t i = 0; i < list->count; i++)
    free(marks[i]);
  free(marks);
  if (found_number)
    widen_to_numbers(message, len, hide);

  if (!note[0]) {
    free(hide);
    return NULL;
  }

  char *out = checked(malloc(len * (sizeof SECRET_MASK) + strlen(note) + 32));
  size_t used = 0;
  for (size_t i = 0; i < len;) {
    if (!hide[i]) {
      out[used++] = message[i++];
      continue;
    }
    memcpy(out + used, SECRET_MASK, sizeof SECRET_MASK - 1);
    used += sizeof SECRET_MASK - 1;
    while (i < len && hide[i])
      i++;
  }
  out[used] = '\0';

  /* A message masked before, then extended (a "when parameter P is ..."
   * note), already carries the same note, so it is not repeated. */
  char *suffix = checked(malloc(strlen(note) + 32));
  snprintf(suffix, strlen(note) + 32, " (value hidden: %s)", note);
  if (!strstr(out, suffix))
    memcpy(out + used, suffix, strlen(suffix) + 1);
  free(suffix);
  free(hide);
  return out;
}
