/*
 * Template loader: JSON text goes to the JSON reader, YAML to libyaml's
 * document API. libyaml resolves aliases to shared node ids, so the
 * conversion below copies each use. It counts nodes to stop an exponential
 * alias chain at TEMPLATE_MAX_NODES, and depth to stop a recursive alias at
 * TEMPLATE_MAX_DEPTH.
 */
#include "template_load.h"

#include "template_encoding.h"
#include "template_flow_depth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "template_json.h"
#include "template_keys.h"
#include "template_tags.h"
#include "template_yaml11.h"
#include "template_yaml_core.h"
#include "template_yaml_error.h"
#include "template_yaml_keys.h"
#include "utf8.h"

typedef struct loader {
  tnode_arena *arena;
  yaml_document_t *document;
  template_error *error;
  size_t nodes;
  template_reading *reading; /* NULL: YAML 1.2 strings, not counted */
  const unsigned char *bytes; /* the text, to tell an explicit tag from an implicit one */
  size_t size;
  size_t cursor_chars, cursor_bytes; /* a character index of libyaml's marks and its byte */
  size_t *checkpoints; /* byte offset of every MARK_CHECKPOINT_CHARS-th character walked */
  size_t checkpoint_count, checkpoint_capacity;
  yaml_node_t *path[TEMPLATE_MAX_DEPTH + 2]; /* the node converted at each depth */
} loader;

/* Characters between two remembered byte offsets of the mark walk. */
enum { MARK_CHECKPOINT_CHARS = 256 };

static tnode *convert_node(loader *ld, yaml_node_t *node, unsigned depth);


int template_is_json_number(const char *text, size_t len) {
  size_t i = 0;
  if (i < len && text[i] == '-')
    i++;
  if (i >= len)
    return 0;

  if (text[i] == '0') {
    i++;
  } else if (text[i] >= '1' && text[i] <= '9') {
    while (i < len && text[i] >= '0' && text[i] <= '9')
      i++;
  } else {
    return 0;
  }

  if (i < len && text[i] == '.') {
    size_t start = ++i;
    while (i < len && text[i] >= '0' && text[i] <= '9')
      i++;
    if (i == start)
      return 0;
  }

  if (i < len && (text[i] == 'e' || text[i] == 'E')) {
    i++;
    if (i < len && (text[i] == '+' || text[i] == '-'))
      i++;
    size_t start = i;
    while (i < len && text[i] >= '0' && text[i] <= '9')
      i++;
    if (i == start)
      return 0;
  }
  return i == len;
}

static int text_is_one_of(const char *text, size_t len, const char *const *words) {
  for (; *words; words++)
    if (strlen(*words) == len && memcmp(*words, text, len) == 0)
      return 1;
  return 0;
}

/* Classifies a plain (unquoted) scalar the way CloudFormation reads JSON
 * values: null, true/false and JSON numbers keep their type; everything
 * else, including YAML 1.1 forms such as yes, 0777, 1_000 or dates, stays
 * a string. A scalar tagged !!str is not classified: it is a string. */
static tnode_kind plain_scalar_kind(const char *text, size_t len) {
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
  static const char *const trues[] = {"true", "True", "TRUE", NULL};
  static const char *const falses[] = {"false", "False", "FALSE", NULL};

  if (text_is_one_of(text, len, nulls))
    return TNODE_NULL;
  if (text_is_one_of(text, len, trues) || text_is_one_of(text, len, falses))
    return TNODE_BOOL;
  if (template_is_json_number(text, len))
    return TNODE_NUMBER;
  return TNODE_STRING;
}

static tnode *count_node(loader *ld, tnode *node, yaml_node_t *source) {
  if (!node) {
    template_error_set(ld->error, mark_line(source->start_mark), mark_column(source->start_mark),
              "template too large: its values, with every alias expanded, need more than %d "
              "bytes of memory (limit is %d bytes)", TEMPLATE_MAX_BYTES, TEMPLATE_MAX_BYTES);
    return NULL;
  }
  return node;
}

/* Rejects a scalar that contains U+0000. CloudFormation cannot deploy such
 * text, and the intrinsic functions treat strings as C strings. */
static int has_nul(loader *ld, const yaml_node_t *node) {
  if (!memchr(node->data.scalar.value, 0, node->data.scalar.length))
    return 0;

  template_error_set(ld->error, mark_line(node->start_mark), mark_column(node->start_mark),
            "NUL character in a string is not allowed");
  return 1;
}

static void set_scalar_kind(tnode *value, tnode_kind kind) {
  value->kind = kind;
  if (kind == TNODE_BOOL)
    value->boolean = value->text[0] == 't' || value->text[0] == 'T';
}

/* Remembers the byte offset of the walk's character when it starts a
 * stretch of MARK_CHECKPOINT_CHARS. */
static void mark_checkpoint(loader *ld) {
  if (ld->cursor_chars % MARK_CHECKPOINT_CHARS != 0 ||
      ld->cursor_chars / MARK_CHECKPOINT_CHARS != ld->checkpoint_count)
    return;

  if (ld->checkpoint_count == ld->checkpoint_capacity) {
    size_t capacity = ld->checkpoint_capacity ? 2 * ld->checkpoint_capacity : 64;
    size_t *grown = realloc(ld->checkpoints, capacity * sizeof *grown);
    if (!grown)
      abort();
    ld->checkpoints = grown;
    ld->checkpoint_capacity = capacity;
  }
  ld->checkpoints[ld->checkpoint_count++] = ld->cursor_bytes;
}

/* Returns the byte offset of a libyaml mark, whose index counts characters
 * (UTF-8 sequences). Nodes come mostly in document order, so the walk goes
 * on from the last offset found. An alias converts its anchored node again,
 * which moves the walk back and then forward over text it has seen: there it
 * starts from the nearest checkpoint before the mark. */
static size_t mark_byte_offset(loader *ld, size_t chars) {
  size_t index = chars / MARK_CHECKPOINT_CHARS;
  if (index >= ld->checkpoint_count)
    index = ld->checkpoint_count ? ld->checkpoint_count - 1 : 0;
  if (ld->checkpoint_count &&
      (chars < ld->cursor_chars || index * MARK_CHECKPOINT_CHARS > ld->cursor_chars)) {
    ld->cursor_chars = index * MARK_CHECKPOINT_CHARS;
    ld->cursor_bytes = ld->checkpoints[index];
  }
  mark_checkpoint(ld);
  while (ld->cursor_chars < chars && ld->cursor_bytes < ld->size) {
    ld->cursor_bytes++;
    while (ld->cursor_bytes < ld->size && (ld->bytes[ld->cursor_bytes] & 0xc0) == 0x80)
      ld->cursor_bytes++;
    ld->cursor_chars++;
    mark_checkpoint(ld);
  }
  return ld->cursor_bytes;
}

/* Returns the length of the line break at at (CR, LF, CR LF, and the
 * U+0085, U+2028 and U+2029 that YAML 1.1 also counts), or 0. */
static size_t line_break_at(const loader *ld, size_t at) {
  const unsigned char *p = ld->bytes + at;
  size_t left = ld->size - at;

  if (left >= 2 && p[0] == '\r' && p[1] == '\n')
    return 2;
  if (left >= 1 && (p[0] == '\r' || p[0] == '\n'))
    return 1;
  if (left >= 2 && p[0] == 0xc2 && p[1] == 0x85)
    return 2;
  if (left >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
    return 3;
  return 0;
}

static int is_blank_at(const loader *ld, size_t at) {
  return ld->bytes[at] == ' ' || ld->bytes[at] == '\t' || line_break_at(ld, at) > 0;
}

/* Returns the offset after the spaces, line breaks and comments at at. */
static size_t skip_blanks(const loader *ld, size_t at) {
  while (at < ld->size) {
    if (ld->bytes[at] == '#') {
      while (at < ld->size && line_break_at(ld, at) == 0)
        at++;
    } else if (is_blank_at(ld, at)) {
      at += line_break_at(ld, at) ? line_break_at(ld, at) : 1;
    } else {
      break;
    }
  }
  return at;
}

/* Returns 1 for the non-specific tag ! or !<!> at at. YAML readers differ
 * on a plain scalar with it: some read it as a string, others resolve it as
 * if it had no tag, so it is treated as untagged and gets both readings. */
static int is_non_specific_tag(const loader *ld, size_t at) {
  size_t end = at + 1;
  if (ld->size - at >= 4 && memcmp(ld->bytes + at, "!<!>", 4) == 0)
    end = at + 4;
  return end >= ld->size || is_blank_at(ld, end);
}

/* Returns the byte offset where the node's tag would start, after an
 * anchor (&name) if it has one, or ld->size when the text is not known. */
static size_t tag_offset(loader *ld, const yaml_node_t *node) {
  if (!ld->bytes)
    return ld->size;

  size_t at = mark_byte_offset(ld, node->start_mark.index);
  if (at < ld->size && ld->bytes[at] == '&') {
    while (at < ld->size && !is_blank_at(ld, at))
      at++;
    at = skip_blanks(ld, at);
  }
  return at;
}

/* Returns 1 when the node's text starts with a tag, after an anchor
 * (&name) if it has one. libyaml gives an untagged scalar the same str tag
 * as an explicit !!str, so only the text can distinguish them. */
static int tagged_in_text(loader *ld, const yaml_node_t *node) {
  size_t at = tag_offset(ld, node);
  return at < ld->size && ld->bytes[at] == '!' && !is_non_specific_tag(ld, at);
}

/* Returns 1 when the node's text starts with the non-specific tag. */
static int non_specific_in_text(loader *ld, const yaml_node_t *node) {
  size_t at = tag_offset(ld, node);
  return at < ld->size && ld->bytes[at] == '!' && is_non_specific_tag(ld, at);
}

static int has_str_tag(const yaml_node_t *node) {
  return node->tag && strcmp((const char *)node->tag, YAML_STR_TAG) == 0;
}

static int is_untagged_plain(loader *ld, const yaml_node_t *node) {
  return node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && has_str_tag(node) &&
         !tagged_in_text(ld, node);
}

/* Returns 1 for an untagged plain scalar that YAML 1.1 reads otherwise than
 * the first reading: yes or 0777 (strings there), or 10.10 and 1e3 (numbers
 * whose text a YAML 1.1 reader writes back as 10.1 and 1000.0). */
static int is_yaml11_ambiguous(loader *ld, const yaml_node_t *node, tnode_kind kind) {
  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;

  if (!is_untagged_plain(ld, node))
    return 0;
  if (kind == TNODE_NUMBER)
    return template_yaml11_number_rewritten(text, len);
  return kind == TNODE_STRING && template_yaml11_kind(text, len) != NULL;
}

/* Returns the unknown value of a plain scalar that YAML readers disagree on,
 * keeping its text so that a hidden value's finding can mask it. */
static tnode *plain_unknown(loader *ld, yaml_node_t *node, const char *reason, uint32_t line,
                            uint32_t column) {
  tnode *unknown = count_node(ld, tnode_new_unknown(ld->arena, reason, line, column), node);
  if (unknown)
    unknown->plain = tnode_strdup(ld->arena, (const char *)node->data.scalar.value,
                                  node->data.scalar.length);
  return unknown;
}

/* Returns the YAML 1.1 value of such a scalar: true for yes and on, false
 * for no and off (lower, title or upper case). The booleans readers dispute
 * (y, n, mixed case) are unknown, and so is a number, because how
 * CloudFormation writes a number it read back as text is not documented. */
static tnode *yaml11_value(loader *ld, yaml_node_t *node, uint32_t line, uint32_t column,
                           int tagged) {
  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;
  int cut = (int)utf8_cut(text, len, 40);
  int value = 0;

  if (template_yaml11_boolean(text, len, &value) && !template_yaml11_boolean_agreed(text, len)) {
    char reason[256];
    snprintf(reason, sizeof reason,
             "YAML 1.1 readers disagree on the plain value %.*s, a boolean for some and a "
             "string for others: quote it (\"%.*s\") or write true or false",
             cut, text, cut, text);
    return plain_unknown(ld, node, reason, line, column);
  }
  if (template_yaml11_boolean(text, len, &value)) {
    tnode *result = count_node(
        ld, tnode_new_string(ld->arena, value ? "true" : "false", value ? 4 : 5, line, column), node);
    if (result)
      set_scalar_kind(result, TNODE_BOOL);
    return result;
  }

  char reason[256];
  if (tagged)
    snprintf(reason, sizeof reason,
             "YAML readers disagree on the text of the number %.*s tagged %s, which YAML 1.1 "
             "reads with other text: write it as a quoted string without the tag",
             cut, text, strcmp((const char *)node->tag, YAML_FLOAT_TAG) == 0 ? "!!float" : "!!int");
  else
    snprintf(reason, sizeof reason,
             "YAML readers disagree on the plain value %.*s, which YAML 1.1 reads as a number%s: "
             "quote it (\"%.*s\") to keep the text",
             cut, text, template_is_json_number(text, len) ? " with other text" : "", cut, text);
  return plain_unknown(ld, node, reason, line, column);
}

/* Returns 1 for a scalar tagged !!str in the text, which is a string
 * whatever its text. */
static int is_explicit_str(loader *ld, const yaml_node_t *node) {
  return has_str_tag(node) && tagged_in_text(ld, node);
}

/* How a YAML 1.1 reader reads a plain mapping key whose text the first
 * reading keeps. */
typedef enum key_reading {
  KEY_SAME,    /* the same text */
  KEY_BOOLEAN, /* a boolean every reader agrees on, so the text true or false */
  KEY_UNKNOWN  /* a null, a disputed boolean or a number with other text */
} key_reading;

/* Returns 1 for a key that starts with a letter and is longer than false,
 * or starts with a letter no boolean or null starts with. No reader reads
 * it as other text, and most keys are such names. */
static int key_is_plain_name(const char *text, size_t len) {
  char first = len ? text[0] : '\0';
  int letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  return letter && (len > 5 || !strchr("yYnNoOtTfF", first));
}

/* Returns how a YAML 1.1 reader reads the text of a plain key, with the
 * rules of a plain value: yes and True are the key true, and 0777, 10.10,
 * y or null have text that CloudFormation does not document. */
static key_reading yaml11_key_text(const char *text, size_t len, int *value) {
  if (key_is_plain_name(text, len))
    return KEY_SAME;

  tnode_kind kind = plain_scalar_kind(text, len);
  if (kind == TNODE_NULL)
    return KEY_UNKNOWN;
  if (kind == TNODE_BOOL) {
    *value = text[0] == 't' || text[0] == 'T';
    return strcmp(text, *value ? "true" : "false") == 0 ? KEY_SAME : KEY_BOOLEAN;
  }
  if (kind == TNODE_NUMBER)
    return template_yaml11_number_rewritten(text, len) ? KEY_UNKNOWN : KEY_SAME;
  if (!template_yaml11_kind(text, len))
    return KEY_SAME;
  if (template_yaml11_boolean(text, len, value) && template_yaml11_boolean_agreed(text, len))
    return KEY_BOOLEAN;
  return KEY_UNKNOWN;
}

/* Returns how a YAML 1.1 reader reads a mapping key. A quoted or tagged
 * key is its text. The text is classified first, because most keys keep
 * it and the tag check walks the text. */
static key_reading yaml11_key(loader *ld, const yaml_node_t *key, int *value) {
  key_reading reading = yaml11_key_text((const char *)key->data.scalar.value,
                                        key->data.scalar.length, value);
  if (reading == KEY_SAME || !is_untagged_plain(ld, key))
    return KEY_SAME;
  return reading;
}

/* Returns the unknown value that stands for a mapping in the YAML 1.1
 * reading when the text of its key there is not known, at that key. */
static tnode *mapping_unknown(loader *ld, const yaml_node_t *mapping, const yaml_node_t *key) {
  const char *text = (const char *)key->data.scalar.value;
  size_t len = key->data.scalar.length;
  int cut = (int)utf8_cut(text, len, 40);
  int value = 0;
  char reason[256];

  if (plain_scalar_kind(text, len) == TNODE_NULL)
    snprintf(reason, sizeof reason,
             "the plain mapping key %.*s is null to YAML readers, and the text CloudFormation "
             "gives a null key is not documented: quote it (\"%.*s\") to keep the text",
             cut, text, cut, text);
  else if (template_yaml11_boolean(text, len, &value))
    snprintf(reason, sizeof reason,
             "YAML 1.1 readers disagree on the mapping key %.*s, a boolean for some and a "
             "string for others: quote it (\"%.*s\") to keep the text",
             cut, text, cut, text);
  else
    snprintf(reason, sizeof reason,
             "YAML readers disagree on the mapping key %.*s, which YAML 1.1 reads as a "
             "number%s: quote it (\"%.*s\") to keep the text",
             cut, text, template_is_json_number(text, len) ? " with other text" : "", cut, text);
  return count_node(ld, tnode_new_unknown(ld->arena, reason, mark_line(key->start_mark),
                                          mark_column(key->start_mark)),
                    (yaml_node_t *)mapping);
}

static tnode *convert_scalar(loader *ld, yaml_node_t *node) {
  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;
  uint32_t line = mark_line(node->start_mark), column = mark_column(node->start_mark);
  if (has_nul(ld, node))
    return NULL;

  /* PyYAML resolves a quoted or block scalar tagged ! like a plain one
   * ("yes" becomes true), other readers keep the string. */
  if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE && has_str_tag(node) &&
      non_specific_in_text(ld, node)) {
    template_error_set(ld->error, line, column,
              "the non-specific tag ! on a quoted or block scalar is read as a string by some "
              "YAML readers and resolved like a plain value by others: remove the tag");
    return NULL;
  }

  tnode_kind kind = TNODE_STRING;
  if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !is_explicit_str(ld, node))
    kind = plain_scalar_kind(text, len);
  if (ld->reading && is_yaml11_ambiguous(ld, node, kind)) {
    ld->reading->ambiguous++;
    if (ld->reading->yaml11)
      return yaml11_value(ld, node, line, column, 0);
  }

  tnode *result = count_node(ld, tnode_new_string(ld->arena, text, len, line, column), node);
  if (!result)
    return NULL;

  set_scalar_kind(result, kind);
  return result;
}

static tnode *convert_sequence(loader *ld, yaml_node_t *node, unsigned depth) {
  yaml_node_item_t *start = node->data.sequence.items.start;
  size_t count = (size_t)(node->data.sequence.items.top - start);
  tnode *result = tnode_new(ld->arena, TNODE_ARRAY, mark_line(node->start_mark),
                            mark_column(node->start_mark));
  if (!count_node(ld, result, node))
    return NULL;

  result->count = count;
  result->items = tnode_alloc(ld->arena, (count ? count : 1) * sizeof *result->items);
  if (!count_node(ld, (tnode *)result->items, node))
    return NULL;

  for (size_t i = 0; i < count; i++) {
    result->items[i] = convert_node(ld, yaml_document_get_node(ld->document, start[i]), depth + 1);
    if (!result->items[i])
      return NULL;
  }
  return result;
}

/* Rejects the YAML merge key: a plain << whose value's keys a merging
 * reader copies into the mapping. libyaml does not merge, so those keys
 * would reach the checker as one property named "<<". A quoted "<<" is an
 * ordinary key. */
static int is_merge_key(loader *ld, const yaml_node_t *key) {
  if (key->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || key->data.scalar.length != 2 ||
      memcmp(key->data.scalar.value, "<<", 2) != 0)
    return 0;

  template_error_set(ld->error, mark_line(key->start_mark), mark_column(key->start_mark),
            "YAML merge key '<<' is not supported: write the merged keys out");
  return 1;
}

/* Finds the marks of keys[0..count) of mapping in the text, as
 * template_yaml_key_marks() does. Returns 1 when all were found. */
static int key_marks(const loader *ld, const yaml_node_t *mapping, const size_t *keys,
                     size_t count, yaml_mark_t *marks) {
  size_t id = (size_t)(mapping - ld->document->nodes.start) + 1;
  return ld->bytes && template_yaml_key_marks(ld->bytes, ld->size, id, mapping->start_mark.index,
                                              keys, count, marks);
}

/* Moves a duplicate key's error to the positions of the keys in the text.
 * In the document a key written as an alias (*k : v) has its anchor's
 * position. So the positions of member index and of the earlier key it
 * repeats are read from the events, and the error is set again. */
static void locate_duplicate(loader *ld, const yaml_node_t *mapping, tnode_member *members,
                             size_t index, template_keys *keys) {
  size_t first = 0;
  while (first < index && (members[first].key_len != members[index].key_len ||
                           memcmp(members[first].key, members[index].key,
                                  members[index].key_len) != 0))
    first++;

  yaml_mark_t marks[2];
  size_t wanted[2] = {first, index};
  if (first == index || !key_marks(ld, mapping, wanted, 2, marks))
    return;

  members[first].line = mark_line(marks[0]);
  members[first].column = mark_column(marks[0]);
  members[index].line = mark_line(marks[1]);
  members[index].column = mark_column(marks[1]);
  template_keys_add(keys, members, index, ld->error);
}

/* Checks that a key is a scalar with no tag and no NUL character, and not
 * the merge key <<. Returns 1, or 0 with the error set at the key's node. */
static int check_key(loader *ld, const yaml_node_t *key) {
  uint32_t line = mark_line(key->start_mark), column = mark_column(key->start_mark);

  if (key->type != YAML_SCALAR_NODE) {
    template_error_set(ld->error, line, column, "mapping key is not a scalar");
    return 0;
  }
  if (key->tag && strcmp((const char *)key->tag, YAML_STR_TAG) != 0) {
    char shown[200];
    template_error_set(ld->error, line, column, "YAML tag '%s' on a mapping key is not allowed",
              template_yaml_tag_name((const char *)key->tag, shown, sizeof shown));
    return 0;
  }
  return !has_nul(ld, key) && !is_merge_key(ld, key);
}

/* Moves the error of key index of mapping to where the key is in the text.
 * A key written as an alias (*k : v) has its anchor's node in the document,
 * and so the anchor's position. */
static void locate_key_error(loader *ld, const yaml_node_t *mapping, size_t index) {
  yaml_mark_t mark;
  if (!key_marks(ld, mapping, &index, 1, &mark))
    return;
  ld->error->line = mark_line(mark);
  ld->error->column = mark_column(mark);
}

/* The state of one mapping's keys while it is converted. */
typedef struct mapping_keys {
  template_keys seen;          /* the keys as this reading reads them */
  size_t renamed;              /* keys that YAML 1.1 reads as true or false */
  const yaml_node_t *unknown;  /* the first key whose YAML 1.1 text is not known, or NULL */
} mapping_keys;

/* Sets the text of a key in this reading. The YAML 1.1 reading gives a
 * key that it reads as a boolean the text true or false, and remembers the
 * first key whose text it does not know. */
static int read_key(loader *ld, tnode_member *member, const yaml_node_t *key,
                    mapping_keys *keys) {
  const char *text = (const char *)key->data.scalar.value;
  size_t len = key->data.scalar.length;
  int value = 0;
  key_reading reading = ld->reading ? yaml11_key(ld, key, &value) : KEY_SAME;

  if (reading != KEY_SAME)
    ld->reading->ambiguous++;
  if (reading == KEY_BOOLEAN)
    keys->renamed++;
  if (reading == KEY_BOOLEAN && ld->reading->yaml11) {
    text = value ? "true" : "false";
    len = strlen(text);
  }
  if (reading == KEY_UNKNOWN && ld->reading->yaml11 && !keys->unknown)
    keys->unknown = key;

  member->key_len = len;
  member->key = tnode_strdup(ld->arena, text, len);
  return count_node(ld, (tnode *)member->key, (yaml_node_t *)key) != NULL;
}

static int convert_pair(loader *ld, const yaml_node_t *mapping, tnode *object, size_t index,
                        mapping_keys *keys, yaml_node_pair_t *pair, unsigned depth) {
  yaml_node_t *key = yaml_document_get_node(ld->document, pair->key);
  tnode_member *member = &object->members[index];
  member->line = mark_line(key->start_mark);
  member->column = mark_column(key->start_mark);

  if (!check_key(ld, key)) {
    locate_key_error(ld, mapping, index);
    return 0;
  }

  if (!read_key(ld, member, key, keys))
    return 0;
  if (!template_keys_add(&keys->seen, object->members, index, ld->error)) {
    locate_duplicate(ld, mapping, object->members, index, &keys->seen);
    return 0;
  }

  member->value = convert_node(ld, yaml_document_get_node(ld->document, pair->value), depth + 1);
  return member->value != NULL;
}

/* Sets the error of a key that repeats an earlier one only when YAML 1.1
 * reads them (yes and "true"), at the later key. */
static void set_yaml11_duplicate(loader *ld, const tnode_member *yaml11, size_t index,
                                 const tnode *object) {
  size_t first = 0;
  while (first < index && strcmp(yaml11[first].key, yaml11[index].key) != 0)
    first++;

  const tnode_member *key = &object->members[index], *earlier = &object->members[first];
  template_error_set(ld->error, yaml11[index].line, yaml11[index].column,
            "duplicate key '%.*s' (first at line %u as '%.*s'), because YAML 1.1 reads both as "
            "%s: quote the plain key to keep its text",
            (int)utf8_cut(key->key, key->key_len, 60), key->key, (unsigned)yaml11[first].line,
            (int)utf8_cut(earlier->key, earlier->key_len, 60), earlier->key, yaml11[index].key);
}

/* Checks the keys of a converted mapping as YAML 1.1 reads them, where
 * yes and on are the key true: a key that repeats another there is a
 * duplicate key in both readings. */
static int check_yaml11_duplicates(loader *ld, const yaml_node_t *mapping, const tnode *object) {
  yaml_node_pair_t *pairs = mapping->data.mapping.pairs.start;
  tnode_member *yaml11 = calloc(object->count, sizeof *yaml11);
  if (!yaml11) {
    template_error_set(ld->error, object->line, object->column, "out of memory while parsing");
    return 0;
  }

  template_keys seen;
  template_keys_init(&seen);
  int ok = 1;
  for (size_t i = 0; ok && i < object->count; i++) {
    const yaml_node_t *key = yaml_document_get_node(ld->document, pairs[i].key);
    int value = 0;
    yaml11[i] = object->members[i];
    if (yaml11_key(ld, key, &value) == KEY_BOOLEAN) {
      yaml11[i].key = value ? "true" : "false";
      yaml11[i].key_len = strlen(yaml11[i].key);
    }
    ok = template_keys_add(&seen, yaml11, i, ld->error);
    if (!ok) {
      locate_duplicate(ld, mapping, yaml11, i, &seen);
      set_yaml11_duplicate(ld, yaml11, i, object);
    }
  }
  template_keys_fini(&seen);
  free(yaml11);
  return ok;
}

static tnode *convert_mapping(loader *ld, yaml_node_t *node, unsigned depth) {
  yaml_node_pair_t *start = node->data.mapping.pairs.start;
  size_t count = (size_t)(node->data.mapping.pairs.top - start);
  tnode *result = tnode_new(ld->arena, TNODE_OBJECT, mark_line(node->start_mark),
                            mark_column(node->start_mark));
  if (!count_node(ld, result, node))
    return NULL;

  result->count = count;
  result->members = tnode_alloc(ld->arena, (count ? count : 1) * sizeof *result->members);
  if (!count_node(ld, (tnode *)result->members, node))
    return NULL;

  mapping_keys keys = {.renamed = 0};
  template_keys_init(&keys.seen);
  size_t converted = 0;
  while (converted < count &&
         convert_pair(ld, node, result, converted, &keys, &start[converted], depth))
    converted++;
  template_keys_fini(&keys.seen);
  if (converted != count)
    return NULL;

  if (keys.renamed && !check_yaml11_duplicates(ld, node, result))
    return NULL;
  if (keys.unknown)
    return mapping_unknown(ld, node, keys.unknown);
  return result;
}

static tnode *convert_untagged(loader *ld, yaml_node_t *node, unsigned depth) {
  switch (node->type) {
  case YAML_SCALAR_NODE:
    return convert_scalar(ld, node);
  case YAML_SEQUENCE_NODE:
    return convert_sequence(ld, node, depth);
  case YAML_MAPPING_NODE:
    return convert_mapping(ld, node, depth);
  default:
    template_error_set(ld->error, mark_line(node->start_mark), mark_column(node->start_mark),
              "empty YAML node");
    return NULL;
  }
}

/* Returns 1 for a scalar tagged !!int or !!float whose text a YAML 1.1
 * reader writes back in another form: any !!float without a fraction
 * (!!float 5 is 5.0), and the forms template_yaml11_number_rewritten()
 * names. */
static int is_core_number_rewritten(const yaml_node_t *node) {
  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;

  if (strcmp((const char *)node->tag, YAML_FLOAT_TAG) == 0 && !memchr(text, '.', len))
    return 1;
  return !template_is_json_number(text, len) || template_yaml11_number_rewritten(text, len);
}

/* Returns the first node that the path to the deepest node reaches twice,
 * or NULL. libyaml resolves an alias inside the value its anchor names to
 * that same node, so such a path repeats it. */
static const yaml_node_t *repeated_on_path(const loader *ld) {
  for (size_t i = 0; i <= TEMPLATE_MAX_DEPTH; i++)
    for (size_t j = i + 1; j <= TEMPLATE_MAX_DEPTH + 1; j++)
      if (ld->path[i] == ld->path[j])
        return ld->path[i];
  return NULL;
}

/* Returns the length of the anchor name (after &) that node's text starts
 * with, after a tag if it has one, and sets *name to it. Returns 0 when the
 * text is not known or has no anchor there. */
static size_t anchor_name(loader *ld, const yaml_node_t *node, const char **name) {
  if (!ld->bytes)
    return 0;

  size_t at = mark_byte_offset(ld, node->start_mark.index);
  if (at < ld->size && ld->bytes[at] == '!') {
    while (at < ld->size && !is_blank_at(ld, at))
      at++;
    at = skip_blanks(ld, at);
  }
  if (at >= ld->size || ld->bytes[at] != '&')
    return 0;

  size_t start = ++at;
  while (at < ld->size && !is_blank_at(ld, at) && !strchr(",[]{}", ld->bytes[at]))
    at++;
  *name = (const char *)ld->bytes + start;
  return at - start;
}

/* Words the nesting limit, which a recursive alias (one inside the value
 * its anchor names) always reaches: that case is named at the anchor. */
static void set_depth_error(loader *ld, uint32_t line, uint32_t column) {
  const yaml_node_t *anchored = repeated_on_path(ld);
  if (!anchored) {
    template_error_set(ld->error, line, column, "too many nested values (limit is %d)", TEMPLATE_MAX_DEPTH);
    return;
  }

  const char *name = NULL;
  int len = (int)anchor_name(ld, anchored, &name);
  if (len > 64)
    len = 64;
  line = mark_line(anchored->start_mark);
  column = mark_column(anchored->start_mark);
  if (len > 0)
    template_error_set(ld->error, line, column,
              "recursive alias: *%.*s is inside the value that &%.*s names, so the value "
              "would contain itself",
              len, name, len, name);
  else
    template_error_set(ld->error, line, column,
              "recursive alias: the value at line %u, column %u contains an alias to itself",
              (unsigned)line, (unsigned)column);
}

/* Returns the key of the pair of mapping whose value is child, or NULL. A
 * node that an alias repeats in the mapping is found at its first key,
 * which is converted first, so an error on it is raised there. */
static const yaml_node_t *pair_key(loader *ld, const yaml_node_t *mapping,
                                   const yaml_node_t *child) {
  for (yaml_node_pair_t *pair = mapping->data.mapping.pairs.start;
       pair < mapping->data.mapping.pairs.top; pair++)
    if (yaml_document_get_node(ld->document, pair->value) == child)
      return yaml_document_get_node(ld->document, pair->key);
  return NULL;
}

/* Returns the scalar value of key in mapping, or NULL when it is missing.
 * A value that is not a scalar is returned too, so the caller can tell. */
static const yaml_node_t *mapping_value(loader *ld, const yaml_node_t *mapping, const char *key) {
  for (yaml_node_pair_t *pair = mapping->data.mapping.pairs.start;
       pair < mapping->data.mapping.pairs.top; pair++) {
    const yaml_node_t *name = yaml_document_get_node(ld->document, pair->key);
    if (name && name->type == YAML_SCALAR_NODE &&
        strcmp((const char *)name->data.scalar.value, key) == 0)
      return yaml_document_get_node(ld->document, pair->value);
  }
  return NULL;
}

static int scalar_is(const yaml_node_t *node, const char *text) {
  return node && node->type == YAML_SCALAR_NODE &&
         strcmp((const char *)node->data.scalar.value, text) == 0;
}

/* Appends one JSON pointer segment, ~ as ~0 and / as ~1, cutting a pointer
 * that does not fit. */
static void append_segment(char *pointer, size_t size, const char *segment) {
  size_t used = strlen(pointer);
  if (used + 1 < size)
    pointer[used++] = '/';
  for (; *segment && used + 2 < size; segment++) {
    if (*segment == '~' || *segment == '/') {
      pointer[used++] = '~';
      pointer[used++] = *segment == '~' ? '0' : '1';
    } else {
      pointer[used++] = *segment;
    }
  }
  pointer[used] = '\0';
}

/* Records where the value that an error quotes is, from the nodes on the
 * path to it: the Default or AllowedValues of a NoEcho parameter, the
 * Properties of a resource (with its Type and the pointer inside), or
 * elsewhere. check then hides the quoted text where it would hide the value. */
static void locate_quoted_error(loader *ld, unsigned depth) {
  template_error *error = ld->error;
  if (!error->quoted[0] || error->owner != TEMPLATE_OWNER_NONE)
    return;
  error->owner = TEMPLATE_OWNER_UNKNOWN;
  if (depth > TEMPLATE_MAX_DEPTH)
    return;

  const yaml_node_t *keys[4] = {NULL, NULL, NULL, NULL}; /* the keys of depths 1 to 3 */
  char inside[sizeof error->property_pointer] = "";
  for (unsigned i = 1; i <= depth; i++) {
    const yaml_node_t *parent = ld->path[i - 1], *child = ld->path[i];
    char segment[32];
    const char *text = segment;
    if (parent->type == YAML_MAPPING_NODE) {
      const yaml_node_t *key = pair_key(ld, parent, child);
      if (!key || key->type != YAML_SCALAR_NODE)
        return;
      if (i <= 3)
        keys[i] = key;
      text = (const char *)key->data.scalar.value;
    } else if (parent->type == YAML_SEQUENCE_NODE) {
      yaml_node_item_t *item = parent->data.sequence.items.start;
      while (item < parent->data.sequence.items.top &&
             yaml_document_get_node(ld->document, *item) != child)
        item++;
      if (item == parent->data.sequence.items.top)
        return;
      if (i <= 3) {
        error->owner = TEMPLATE_OWNER_OTHER; /* neither a resource's nor a parameter's value */
        return;
      }
      snprintf(segment, sizeof segment, "%zu", (size_t)(item - parent->data.sequence.items.start));
    } else {
      return;
    }
    if (i > 3)
      append_segment(inside, sizeof inside, text);
  }

  error->owner = TEMPLATE_OWNER_OTHER;
  if (depth < 3)
    return;
  const yaml_node_t *owner = ld->path[2];
  if (scalar_is(keys[1], "Resources") && scalar_is(keys[3], "Properties")) {
    const yaml_node_t *type = mapping_value(ld, owner, "Type");
    error->owner = TEMPLATE_OWNER_PROPERTY;
    snprintf(error->owner_name, sizeof error->owner_name, "%s",
             type && type->type == YAML_SCALAR_NODE ? (const char *)type->data.scalar.value : "");
    snprintf(error->property_pointer, sizeof error->property_pointer, "%s", inside);
    return;
  }

  /* NoEcho counts unless it is false, as check reads it (secret_is_no_echo). */
  const yaml_node_t *no_echo = mapping_value(ld, owner, "NoEcho");
  int hidden = no_echo && !(no_echo->type == YAML_SCALAR_NODE &&
                            strcasecmp((const char *)no_echo->data.scalar.value, "false") == 0);
  if (scalar_is(keys[1], "Parameters") && hidden &&
      (scalar_is(keys[3], "Default") || scalar_is(keys[3], "AllowedValues"))) {
    error->owner = TEMPLATE_OWNER_PARAMETER;
    snprintf(error->owner_name, sizeof error->owner_name, "%s",
             (const char *)keys[2]->data.scalar.value);
  }
}

/* Sets the error of a template past TEMPLATE_MAX_NODES values. The
 * message names aliases only when the document has fewer values than the
 * limit before its aliases are expanded: libyaml keeps one node per value
 * written and per mapping key. */
static void set_too_many_values(loader *ld, uint32_t line, uint32_t column) {
  size_t written = (size_t)(ld->document->nodes.top - ld->document->nodes.start);
  for (const yaml_node_t *node = ld->document->nodes.start; node < ld->document->nodes.top; node++)
    if (node->type == YAML_MAPPING_NODE)
      written -= (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);

  if (written > TEMPLATE_MAX_NODES)
    template_error_set(ld->error, line, column, "too many values (limit is %d)",
                       TEMPLATE_MAX_NODES);
  else
    template_error_set(ld->error, line, column,
                       "too many values, counting each alias expansion (limit is %d)",
                       TEMPLATE_MAX_NODES);
}

static tnode *convert_node(loader *ld, yaml_node_t *node, unsigned depth) {
  uint32_t line = mark_line(node->start_mark), column = mark_column(node->start_mark);
  if (depth <= TEMPLATE_MAX_DEPTH + 1)
    ld->path[depth] = node;
  if (depth > TEMPLATE_MAX_DEPTH) {
    set_depth_error(ld, line, column);
    return NULL;
  }
  if (++ld->nodes > TEMPLATE_MAX_NODES) {
    set_too_many_values(ld, line, column);
    return NULL;
  }

  const char *function = NULL;
  int tag = template_tag_function(node, &function);
  if (tag == TEMPLATE_TAG_FOREIGN)
    return count_node(ld, template_tag_foreign(ld->arena, node, line, column), node);
  if (!tag) {
    template_error_set(ld->error, line, column, "unknown tag '%s'", (const char *)node->tag);
    template_error_quote(ld->error, (const char *)node->tag, strlen((const char *)node->tag));
    locate_quoted_error(ld, depth);
    return NULL;
  }

  int core_kind = -1;
  if (template_yaml_is_core_tag((const char *)node->tag) &&
      !template_yaml_core_kind(node, &core_kind, ld->error)) {
    locate_quoted_error(ld, depth);
    return NULL;
  }

  tnode *value = convert_untagged(ld, node, depth);
  if (value && core_kind >= 0)
    set_scalar_kind(value, (tnode_kind)core_kind);
  if (value && core_kind == TNODE_NUMBER && ld->reading && is_core_number_rewritten(node)) {
    ld->reading->ambiguous++;
    if (ld->reading->yaml11)
      value = yaml11_value(ld, node, line, column, 1);
  }
  if (!value || !function)
    return value;
  tnode *call = template_tag_expand(ld->arena, function, value, ld->error);
  if (!call)
    locate_quoted_error(ld, depth);
  return call;
}

static int has_second_document(yaml_parser_t *parser, const unsigned char *bytes, size_t size,
                               template_error *error) {
  yaml_document_t next;
  if (!yaml_parser_load(parser, &next)) {
    template_yaml_parser_error(error, parser, bytes, size);
    return 1;
  }

  yaml_node_t *root = yaml_document_get_root_node(&next);
  if (root)
    template_error_set(error, mark_line(root->start_mark), mark_column(root->start_mark),
              "more than one YAML document in the template");
  yaml_document_delete(&next);
  return root != NULL;
}

/* Rejects a UTF-16 or UTF-32 byte order mark. libyaml would decode UTF-16,
 * but the JSON checks, the columns in messages and the hook read UTF-8, so
 * templates are UTF-8 only. Without a mark, the NUL bytes of UTF-16 text
 * fail as control characters. */
static int is_wide_encoding(const unsigned char *bytes, size_t size, template_error *error) {
  const char *encoding = utf8_wide_byte_order_mark(bytes, size);
  if (!encoding)
    return 0;

  template_error_set(error, 1, 1,
            "the template is %s (it starts with a byte order mark); cfgate reads UTF-8 "
            "templates only: convert it, for example with iconv -f %s -t UTF-8",
            encoding, encoding);
  return 1;
}

/* Rejects a UTF-16 or UTF-32 mark after a UTF-8 one, which iconv alone
 * cannot convert. */
static int is_wide_after_utf8_mark(const unsigned char *bytes, size_t size,
                                   template_error *error) {
  const char *encoding = utf8_wide_byte_order_mark(bytes, size);
  if (!encoding)
    return 0;

  template_error_set(error, 1, 1,
            "the template starts with a UTF-8 byte order mark and then a %s one: remove the "
            "first 3 bytes and convert the rest to UTF-8 (iconv -f %s -t UTF-8)",
            encoding, encoding);
  return 1;
}

/* Rejects text whose flow collections nest far past TEMPLATE_MAX_DEPTH,
 * at the bracket where the nesting passed it. */
static int flow_too_deep(const unsigned char *bytes, size_t size, template_error *error) {
  uint32_t line, column;
  if (!template_flow_too_deep(bytes, size, TEMPLATE_MAX_DEPTH, &line, &column))
    return 0;

  template_error_set(error, line, column, "too many nested values (limit is %d)", TEMPLATE_MAX_DEPTH);
  return 1;
}

/* Reads JSON text. jansson checks the grammar first, because its messages
 * name the problem at its line and column. An error inside a string is
 * taken from the JSON reader, which names the character or escape at its
 * own position. The JSON reader has no cost quadratic in the depth, but
 * the nesting scan runs first for it too, so that JSON nested far too deep
 * gets the same message as YAML. NOTE: the text is parsed twice, and
 * jansson's tree briefly doubles the memory. */
static tnode *load_json(tnode_arena *arena, const unsigned char *bytes, size_t size,
                        template_error *error) {
  if (!template_json_check(bytes, size, error)) {
    template_json_string_error(arena, bytes, size, error);
    return NULL;
  }
  if (flow_too_deep(bytes, size, error))
    return NULL;
  return template_json_read(arena, bytes, size, error);
}

/* Converts the first document of the parser's stream and rejects a second
 * one. */
static tnode *convert_document(tnode_arena *arena, yaml_parser_t *parser,
                               yaml_document_t *document, const unsigned char *bytes,
                               size_t size, template_reading *reading, template_error *error) {
  yaml_node_t *top = yaml_document_get_root_node(document);
  if (!top) {
    template_error_set(error, 1, 1, "empty template: no YAML or JSON document");
    return NULL;
  }

  loader ld = {.arena = arena, .document = document, .error = error, .reading = reading,
               .bytes = bytes, .size = size};
  tnode *root = convert_node(&ld, top, 0);
  free(ld.checkpoints);
  if (root && has_second_document(parser, bytes, size, error))
    return NULL;
  return root;
}

/* Reads YAML text with libyaml. libyaml builds the whole document before
 * the nesting limit is checked, and deeply nested flow collections take
 * quadratic time to scan, so a text far past the limit is rejected before
 * libyaml reads it. */
static tnode *load_yaml(tnode_arena *arena, const unsigned char *bytes, size_t size,
                        template_reading *reading, template_error *error) {
  yaml_parser_t parser;
  yaml_document_t document;
  if (flow_too_deep(bytes, size, error))
    return NULL;
  if (!yaml_parser_initialize(&parser)) {
    template_error_set(error, 1, 1, "out of memory while parsing");
    return NULL;
  }

  yaml_parser_set_input_string(&parser, bytes, size);
  if (!yaml_parser_load(&parser, &document)) {
    template_yaml_parser_error(error, &parser, bytes, size);
    yaml_parser_delete(&parser);
    return NULL;
  }

  tnode *root = convert_document(arena, &parser, &document, bytes, size, reading, error);
  yaml_document_delete(&document);
  yaml_parser_delete(&parser);
  return root;
}

tnode *template_load(tnode_arena *arena, const unsigned char *bytes, size_t size,
                     template_error *error) {
  return template_load_as(arena, bytes, size, NULL, error);
}

tnode *template_load_as(tnode_arena *arena, const unsigned char *bytes, size_t size,
                        template_reading *reading, template_error *error) {
  template_error_set(error, 1, 1, "no error");
  arena->max_bytes = TEMPLATE_MAX_BYTES;

  if (is_wide_encoding(bytes, size, error))
    return NULL;

  /* A UTF-8 byte order mark is allowed before JSON and YAML; jansson
   * rejects it, so it is skipped here. */
  if (size >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf) {
    bytes += 3;
    size -= 3;
  }
  /* libyaml would skip a second mark without counting it in its positions,
   * and a JSON reader rejects it, so it is an error for both. */
  if (size >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf) {
    template_error_set(error, 1, 1, "the template starts with two byte order marks: remove one");
    return NULL;
  }
  if (is_wide_after_utf8_mark(bytes, size, error))
    return NULL;

  /* YAML flow style is close to JSON but reads some valid JSON otherwise:
   * it folds a raw U+0085 inside a string into a space, and it limits keys
   * to 1024 characters. So text that starts like JSON is read as JSON. */
  int json = template_json_detect(bytes, size);
  if (!template_encoding_check(bytes, size, !json, error))
    return NULL;
  if (json)
    return load_json(arena, bytes, size, error);
  return load_yaml(arena, bytes, size, reading, error);
}
