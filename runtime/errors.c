/*
 * Findings: each records the instance JSON pointer, the schema location of
 * the failing keyword, an English message with the expected and actual
 * value, and the policy's because text. Text lives in fixed slots of the
 * workspace, so recording never allocates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "utf8.h"

const char *vm_type_name(uint32_t type) {
  switch (type) {
  case CFGATE_IR_TYPE_NULL:
    return "null";
  case CFGATE_IR_TYPE_BOOLEAN:
    return "boolean";
  case CFGATE_IR_TYPE_OBJECT:
    return "object";
  case CFGATE_IR_TYPE_ARRAY:
    return "array";
  case CFGATE_IR_TYPE_NUMBER:
    return "number";
  case CFGATE_IR_TYPE_INTEGER:
    return "integer";
  case CFGATE_IR_TYPE_STRING:
    return "string";
  default:
    return "unknown value";
  }
}

/* Appends text to out, which contains *used bytes and a NUL, and cuts it
 * at size - 1 bytes as snprintf() would. Returns 0 when it was cut. */
static int append_text(char *out, size_t size, size_t *used, const char *text) {
  size_t len = strlen(text), room = size - 1 - *used;
  int whole = len <= room;
  if (!whole)
    len = room;
  memcpy(out + *used, text, len);
  *used += len;
  out[*used] = '\0';
  return whole;
}

/* Writes a type mask as "string or integer", without a call of snprintf(),
 * because every type finding writes one. */
void vm_types_text(uint32_t types, char *out, size_t size) {
  size_t used = 0;
  out[0] = '\0';
  for (uint32_t bit = 1; bit <= CFGATE_IR_TYPE_STRING; bit <<= 1) {
    if (!(types & bit))
      continue;
    if ((used && !append_text(out, size, &used, " or ")) ||
        !append_text(out, size, &used, vm_type_name(bit)))
      return;
  }
}

/* Writes the JSON escape of byte c into out (at least 7 bytes) and returns
 * its length: \" and \\, the short escapes, \u00XX for other control
 * characters and DEL, else c itself. JSON allows a raw DEL, but a terminal
 * or log viewer may act on it. */
static size_t preview_escape(unsigned char c, char *out) {
  static const char short_escapes[] = "\"\"\\\\\bb\ff\nn\rr\tt";

  for (size_t i = 0; short_escapes[i]; i += 2) {
    if ((unsigned char)short_escapes[i] == c) {
      out[0] = '\\';
      out[1] = short_escapes[i + 1];
      return 2;
    }
  }
  if (c < 0x20 || c == 0x7f)
    return (size_t)snprintf(out, 7, "\\u%04x", c);
  out[0] = (char)c;
  return 1;
}

/* Writes bytes[0..len) as a quoted JSON string, so a NUL byte or a newline
 * shows as \u0000 or \n. total is the length of the whole value, of which
 * bytes may be the start. The bytes may end inside a UTF-8 sequence and the
 * escapes may not fit in size: the text is then cut at the last code point
 * boundary that fits, and "..." marks a cut. */
void vm_quote(const char *bytes, size_t len, uint64_t total, char *out, size_t size) {
  size_t whole = utf8_cut(bytes, len, len);
  size_t room = size - sizeof "\"...\"";
  size_t used = 0, shown = 0;
  char escape[8];

  for (; shown < whole; shown++) {
    unsigned char c = (unsigned char)bytes[shown];
    /* Most bytes need no escape, so they skip the search of the escapes. */
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
      if (used + 1 > room)
        break;
      out[1 + used++] = (char)c;
      continue;
    }
    size_t n = preview_escape(c, escape);
    if (used + n > room)
      break;
    memcpy(out + 1 + used, escape, n);
    used += n;
  }
  if (shown < whole)
    used = utf8_cut(out + 1, used, used);

  /* room leaves space for "...", the closing quote and the NUL. */
  out[0] = '"';
  char *end = out + 1 + used;
  if (total > shown) {
    memcpy(end, "...", 3);
    end += 3;
  }
  end[0] = '"';
  end[1] = '\0';
}

/* Writes the current string value quoted (vm_quote). */
void vm_preview(const cfgate_session *s, char *out, size_t size) {
  vm_quote(s->preview_text, s->preview_len, s->string_bytes, out, size);
}

/* Writes number text, cut to CFGATE_PREVIEW_SIZE bytes with "..." marking
 * the cut. */
void vm_number_preview(const char *text, size_t len, char *out, size_t size) {
  int shown = len > CFGATE_PREVIEW_SIZE ? CFGATE_PREVIEW_SIZE : (int)len;
  snprintf(out, size, "%.*s%s", shown, text, (size_t)shown < len ? "..." : "");
}

/* Writes " with NAME="VALUE", ..." for the placeholders of this session
 * that occur as ${NAME} in text, or "" when none does, so a message can show
 * the values a pattern was matched with. Each value is quoted as a JSON
 * string (vm_quote), because a context value may hold quotes or control
 * characters. */
void vm_bound_placeholders(const cfgate_session *s, const char *text, char *out, size_t size) {
  const cfgate_validator *v = s->validator;
  size_t used = 0;

  out[0] = '\0';
  for (uint32_t i = 0; i < v->placeholder_count && used < size; i++) {
    const char *name = v->pool + v->placeholders[i];
    char reference[CFGATE_PREVIEW_SIZE * 2];
    snprintf(reference, sizeof reference, "${%s}", name);
    if (!strstr(text, reference))
      continue;

    const cfgate_str *value = &s->placeholder_values[i];
    int n = snprintf(out + used, size - used, "%s%s=", used ? ", " : " with ", name);
    if (n < 0 || (size_t)n + sizeof "\"...\"" >= size - used)
      return;
    used += (size_t)n;
    vm_quote(value->data, value->len, value->len, out + used, size - used);
    used += strlen(out + used);
  }
}

/* The because text of the rule of frame's node. A node without a rule of
 * its own belongs to the rule of the same-value frame around it, such as an
 * allOf branch with the provider's pattern. A node with a rule and no
 * because has none, so the allOf branch that a child's `required` adds to
 * its parent does not report the parent's because. */
static const char *because_of(const cfgate_session *s, uint32_t frame) {
  while (frame != CFGATE_IR_NONE) {
    const vm_frame *f = &s->frames[frame];
    const cfgate_ir_node *node = vm_node(s, f->node);
    if (node->because != CFGATE_IR_NONE)
      return vm_text(s, node->because);
    if (node->flags & CFGATE_IR_HAS_RULE)
      return NULL;
    if (f->role == VM_ROLE_CHILD || f->role == VM_ROLE_CONTAINS || f->role == VM_ROLE_ROOT)
      return NULL;
    frame = f->parent;
  }
  return NULL;
}

/* Returns the next free error slot, or NULL when max_errors findings are
 * already kept. A finding past the cap is counted in errors_omitted and
 * dropped, so the first max_errors findings stay and the verdict stays
 * CFGATE_INVALID. */
static cfgate_error *error_slot(cfgate_session *s, char **text) {
  if (s->error_count >= s->options.limits.max_errors) {
    if (s->errors_omitted != UINT32_MAX)
      s->errors_omitted++;
    return NULL;
  }

  *text = s->error_text + (size_t)s->error_count * s->error_text_size;
  cfgate_error *e = &s->errors[s->error_count++];
  memset(e, 0, sizeof *e);
  return e;
}

/* Frees the last slot for an exceeded limit, which decides the verdict and
 * so must be kept. The finding it replaces is counted as omitted. */
static void error_make_room(cfgate_session *s) {
  if (s->error_count < s->options.limits.max_errors || s->error_count == 0)
    return;
  s->error_count--;
  if (s->errors_omitted != UINT32_MAX)
    s->errors_omitted++;
}

/* Ends a message that filled its slot with "..." at a code point boundary,
 * because the slot may have cut it inside a UTF-8 sequence. */
static void message_mark_cut(char *message) {
  size_t kept = utf8_cut(message, CFGATE_ERROR_MESSAGE_SIZE - 1, CFGATE_ERROR_MESSAGE_SIZE - 4);
  memcpy(message + kept, "...", 4);
}

/* Writes "path/keyword", or path alone when keyword is NULL, into
 * out[0..CFGATE_ERROR_SCHEMA_PATH_SIZE), cut at that size as snprintf()
 * would cut it. It takes no snprintf() call, because every finding writes
 * a schema path. */
static void join_schema_path(char *out, const char *path, const char *keyword) {
  const size_t max = CFGATE_ERROR_SCHEMA_PATH_SIZE - 1;
  size_t used = strlen(path);
  if (used > max)
    used = max;
  memcpy(out, path, used);

  if (keyword && used < max) {
    out[used++] = '/';
    size_t len = strlen(keyword);
    if (len > max - used)
      len = max - used;
    memcpy(out + used, keyword, len);
    used += len;
  }
  out[used] = '\0';
}

static void error_fill(cfgate_session *s, cfgate_error *e, char *text, uint32_t node,
                       const char *keyword, const char *format, va_list args) {
  size_t path_size = s->options.limits.max_path + 1;
  char *instance_path = text;
  char *schema_path = text + path_size;
  char *message = schema_path + CFGATE_ERROR_SCHEMA_PATH_SIZE;

  /* A property name may contain NUL, so the path is copied by length. */
  memcpy(instance_path, s->path, s->path_len);
  instance_path[s->path_len] = '\0';
  if (node == CFGATE_IR_NONE)
    schema_path[0] = '\0';
  else if (strcmp(keyword, "false") == 0)
    /* The boolean schema false has no keyword, so the path names the node. */
    join_schema_path(schema_path, vm_text(s, vm_node(s, node)->path), NULL);
  else
    join_schema_path(schema_path, vm_text(s, vm_node(s, node)->path), keyword);
  int written = vsnprintf(message, CFGATE_ERROR_MESSAGE_SIZE, format, args);
  if (written >= CFGATE_ERROR_MESSAGE_SIZE)
    message_mark_cut(message);

  e->instance_path = instance_path;
  e->instance_path_len = s->path_len;
  e->schema_path = schema_path;
  e->keyword = keyword;
  e->message = message;
}

static void record(cfgate_session *s, uint32_t frame, const char *keyword, int unverified,
                   const char *format, va_list args) {
  vm_path_complete(s);
  char *text;
  cfgate_error *e = error_slot(s, &text);
  if (!e)
    return;

  uint32_t node = frame == CFGATE_IR_NONE ? CFGATE_IR_NONE : s->frames[frame].node;
  error_fill(s, e, text, node, keyword, format, args);
  /* Value events have no position, so their findings keep the zeros of
   * error_slot(). */
  if (s->depth && !s->used_events) {
    const vm_level *level = &s->levels[s->depth - 1];
    e->offset = level->offset;
    e->line = level->line;
    e->column = level->column;
  }
  e->because = frame == CFGATE_IR_NONE ? NULL : because_of(s, frame);
  e->unverified = unverified;
}

void vm_fail_at(cfgate_session *s, uint32_t frame, const char *keyword, int unverified,
                const char *format, ...) {
  vm_frame *f = &s->frames[frame];
  int result = unverified ? VM_UNKNOWN : VM_FAIL;
  f->result = (uint8_t)vm_combine(f->result, result);
  if (f->speculative || s->decided)
    return;

  va_list args;
  va_start(args, format);
  record(s, frame, keyword, unverified, format, args);
  va_end(args);
  if (!unverified) {
    s->invalid = 1;
    s->decided = s->decided || !s->options.all_errors;
  }
}

/* Fails frame's node on keyword. On a branch (anyOf, not, ...) the failure
 * is only the branch's result; elsewhere it is an error of the document. */
void vm_fail(cfgate_session *s, uint32_t frame, const char *keyword, const char *format, ...) {
  vm_frame *f = &s->frames[frame];
  f->result = VM_FAIL;
  if (f->speculative || s->decided)
    return;

  va_list args;
  va_start(args, format);
  record(s, frame, keyword, 0, format, args);
  va_end(args);
  s->invalid = 1;
  s->decided = s->decided || !s->options.all_errors;
}

/* Marks frame's result unknown because the value is unknown offline. */
void vm_unverified(cfgate_session *s, uint32_t frame, const char *keyword) {
  vm_fail_at(s, frame, keyword, 1, "the value is unknown before deployment, so its %s cannot be checked",
             keyword);
}

/* Records an exceeded limit. The verdict becomes CFGATE_FAILED. */
void vm_limit(cfgate_session *s, const char *format, ...) {
  if (s->decided && s->failed)
    return;

  va_list args;
  error_make_room(s);
  va_start(args, format);
  record(s, CFGATE_IR_NONE, "limit", 0, format, args);
  va_end(args);
  s->failed = 1;
  s->decided = 1;
}

static void record_text(cfgate_session *s, const char *keyword, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void record_text(cfgate_session *s, const char *keyword, const char *format, ...) {
  va_list args;
  va_start(args, format);
  record(s, CFGATE_IR_NONE, keyword, 0, format, args);
  va_end(args);
}

/* Records malformed input. The verdict becomes CFGATE_MALFORMED. The
 * findings on the values read so far are dropped, because a text that is
 * not JSON has no validation result, only its syntax error. After an
 * earlier verdict the instance path stopped following the text, so the
 * error gets the root path and only its position. */
void vm_malformed(cfgate_session *s, const char *message) {
  if (s->malformed)
    return;
  if (s->decided) {
    s->path_len = 0;
    s->path[0] = '\0';
  }
  s->error_count = 0;
  s->errors_omitted = 0;
  record_text(s, "syntax", "%s", message);
  s->malformed = 1;
  s->decided = 1;
}

size_t cfgate_error_count(const cfgate_session *session) {
  return session->error_count;
}

size_t cfgate_errors_omitted(const cfgate_session *session) {
  return session->errors_omitted;
}

const cfgate_error *cfgate_error_at(const cfgate_session *session, size_t index) {
  return index < session->error_count ? &session->errors[index] : NULL;
}
