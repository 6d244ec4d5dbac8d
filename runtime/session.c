/*
 * Sessions: options, workspace size, binding placeholders and numbers at
 * init, feeding JSON text through the lexer, and the verdict.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "lexer_internal.h"
#include "session.h"
#include "utf8.h"

void cfgate_options_default(cfgate_options *options) {
  memset(options, 0, sizeof *options);
  options->limits.max_depth = CFGATE_DEFAULT_MAX_DEPTH;
  options->limits.max_path = CFGATE_DEFAULT_MAX_PATH;
  options->limits.max_unique = CFGATE_DEFAULT_MAX_UNIQUE;
  options->limits.max_string = CFGATE_DEFAULT_MAX_STRING;
  options->limits.max_errors = CFGATE_DEFAULT_MAX_ERRORS;
  options->limits.max_frames = CFGATE_DEFAULT_MAX_FRAMES;
  options->limits.max_members = CFGATE_DEFAULT_MAX_MEMBERS;
}

size_t cfgate_workspace_size(const cfgate_validator *validator, const cfgate_options *options,
                             const cfgate_context *context) {
  vm_layout layout;
  if (vm_layout_compute(validator, options, context, &layout) != 0)
    return 0;
  return layout.total;
}

/* Fills *error for a failed init, unless error is NULL. A message with a
 * name is written into the start of the workspace when it has room (so it
 * needs no static buffer). */
static void init_error(cfgate_error *error, void *workspace, size_t size, const char *message,
                       const char *name, const char *suffix) {
  static const char fallback[] = "cannot start the session: workspace too small for the message";
  if (!error)
    return;
  memset(error, 0, sizeof *error);
  error->instance_path = "";
  error->schema_path = "";
  error->keyword = "session";
  error->message = fallback;
  if (!*name && !*suffix) {
    /* A message without a name is static text, readable even when the
     * caller passes no workspace because its size came out as 0. */
    error->message = message;
    return;
  }
  if (workspace && size >= 256) {
    snprintf(workspace, 256, "%s%s%s", message, name, suffix);
    error->message = workspace;
  }
}

static void bind_placeholders(cfgate_session *s, unsigned char *base, const vm_layout *l,
                              const cfgate_context *context) {
  const cfgate_validator *v = s->validator;
  s->placeholder_values = (cfgate_str *)(void *)(base + l->placeholders);
  char *bytes = (char *)(s->placeholder_values + v->placeholder_count);

  for (uint32_t i = 0; i < v->placeholder_count; i++) {
    const cfgate_str *value = vm_context_find(context, v->pool + v->placeholders[i]);
    memcpy(bytes, value->data, value->len);
    bytes[value->len] = '\0';
    s->placeholder_values[i].data = bytes;
    s->placeholder_values[i].len = value->len;
    bytes += value->len + 1;
  }
}

static void bind_strings(cfgate_session *s, unsigned char *base, const vm_layout *l) {
  const cfgate_validator *v = s->validator;
  s->bound_strings = (cfgate_str *)(void *)(base + l->strings);
  char *bytes = (char *)(s->bound_strings + v->string_count);

  for (uint32_t i = 0; i < v->string_count; i++) {
    const cfgate_ir_string *str = &v->strings[i];
    s->bound_strings[i].data = str->segments_count ? bytes : v->pool + str->text;
    s->bound_strings[i].len = str->len;
    if (!str->segments_count)
      continue;

    size_t len = 0;
    for (uint32_t k = 0; k < str->segments_count; k++) {
      const cfgate_ir_segment *seg = &v->segments[str->segments_first + k];
      cfgate_str piece = seg->placeholder == CFGATE_IR_NONE
                             ? (cfgate_str){v->pool + seg->text, seg->len}
                             : s->placeholder_values[seg->placeholder];
      memcpy(bytes + len, piece.data, piece.len);
      len += piece.len;
    }
    s->bound_strings[i].len = len;
    bytes += len;
  }
}

/* Parses the validator's numbers. Returns the index of the first number
 * that does not parse, or CFGATE_IR_NONE. */
static uint32_t bind_numbers(cfgate_session *s, unsigned char *base, const vm_layout *l) {
  const cfgate_validator *v = s->validator;
  s->numbers = (cfgate_number *)(void *)(base + l->numbers);
  for (uint32_t i = 0; i < v->number_count; i++)
    if (number_parse(v->pool + v->numbers[i].text, v->numbers[i].len, &s->numbers[i]) != NUMBER_OK)
      return i;
  return CFGATE_IR_NONE;
}

static void place_regions(cfgate_session *s, unsigned char *base, const vm_layout *l) {
  s->levels = (vm_level *)(void *)(base + l->levels);
  s->frames = (vm_frame *)(void *)(base + l->frames);
  s->arena = base + l->arena;
  s->arena_size = (uint32_t)l->arena_size;
  s->path = (char *)(base + l->path);
  s->key = (char *)(base + l->key);
  s->key_text = s->key;
  s->names = (uint64_t *)(void *)(base + l->names);
  s->string = (char *)(base + l->string);
  s->scratch = base + l->scratch;
  s->string_nodes = base + l->string_nodes;
  s->unique_table_size = vm_unique_table_size(s->options.limits.max_unique);
  s->unique_capacity = vm_unique_capacity(s->options.limits.max_unique);
  s->unique_tables = l->unique_tables;
  s->scratch_size = l->scratch_size;
  /* The NFA's sparse sets read slots before writing them, by design.
   * Clearing them once lets memory checkers see only defined bytes. */
  memset(s->scratch, 0, s->scratch_size);
  s->errors = (cfgate_error *)(void *)(base + l->errors);
  s->error_text = (char *)(base + l->error_text);
  s->error_text_size = l->error_text_size;
}

/* Writes "message${name}suffix" for a context binding whose name need not
 * end in a NUL byte. */
static void init_binding_error(cfgate_error *error, void *workspace, size_t size,
                               const char *message, const cfgate_str *name, const char *suffix) {
  char text[160];
  int len = name->len > 120 ? 120 : (int)name->len;

  snprintf(text, sizeof text, "%.*s%s", len, name->data ? name->data : "",
           name->len > 120 ? "..." : "");
  init_error(error, workspace, size, message, text, suffix);
}

/* Returns 1 when a binding before index i has the same name. */
static int binding_repeats(const cfgate_context *context, size_t i) {
  const cfgate_str *name = &context->names[i];
  for (size_t k = 0; k < i; k++)
    if (context->names[k].len == name->len &&
        memcmp(context->names[k].data, name->data, name->len) == 0)
      return 1;
  return 0;
}

/* Returns 1 and fills *error when a binding of the context has an empty
 * value, a value that is not UTF-8 text, or a name that an earlier binding
 * has. An empty value would make a pattern such as "^acme-${Team}-" match
 * every team's prefix, a value with invalid bytes cannot match a string of
 * the document, and a second binding would be ignored without a word. */
static int check_bindings(const cfgate_context *context, void *workspace, size_t size,
                          cfgate_error *error) {
  for (size_t i = 0; context && i < context->count; i++) {
    const cfgate_str *name = &context->names[i];
    if (context->values[i].len == 0) {
      init_binding_error(error, workspace, size, "empty value for placeholder ${", name,
                         "} in the context: a placeholder needs a value");
      return 1;
    }
    if (!utf8_is_text(context->values[i].data, context->values[i].len)) {
      init_binding_error(error, workspace, size, "value of placeholder ${", name,
                         "} in the context is not valid UTF-8 text or contains NUL");
      return 1;
    }
    if (binding_repeats(context, i)) {
      init_binding_error(error, workspace, size, "two values for placeholder ${", name,
                         "} in the context: bind each name once");
      return 1;
    }
  }
  return 0;
}

static const char *missing_placeholder(const cfgate_validator *v, const cfgate_context *context) {
  for (uint32_t i = 0; i < v->placeholder_count; i++)
    if (!vm_context_find(context, v->pool + v->placeholders[i]))
      return v->pool + v->placeholders[i];
  return NULL;
}

cfgate_session *cfgate_session_init(void *workspace, size_t size, const cfgate_validator *validator,
                                    const cfgate_options *options, const cfgate_context *context,
                                    cfgate_error *error) {
  vm_layout layout;
  if (!validator || !options) {
    init_error(error, workspace, size, "cannot start the session: the validator or the options "
               "are NULL (cfgate_registry_find() returns NULL for a type that the policy denies "
               "or does not name)", "", "");
    return NULL;
  }
  if (vm_layout_compute(validator, options, context, &layout) != 0) {
    init_error(error, workspace, size, "cannot start the session: a limit is zero or too large, "
               "or the workspace size does not fit in size_t (cfgate_workspace_size() returns 0)",
               "", "");
    return NULL;
  }
  const char *missing = missing_placeholder(validator, context);
  if (missing) {
    init_error(error, workspace, size, "missing value for placeholder ${", missing,
               "} in the context");
    return NULL;
  }
  if (check_bindings(context, workspace, size, error))
    return NULL;
  if (!workspace || size < layout.total || (uintptr_t)workspace % _Alignof(max_align_t) != 0) {
    init_error(error, workspace, size, "cannot start the session: the workspace is smaller than "
               "cfgate_workspace_size() or not aligned to max_align_t", "", "");
    return NULL;
  }

  unsigned char *base = workspace;
  cfgate_session *s = workspace;
  memset(s, 0, sizeof *s);
  s->validator = validator;
  s->options = *options;
  /* These fields of the fast-path frame never change (vm_fast.c). */
  s->fast_frame.parent = CFGATE_IR_NONE;
  s->fast_frame.role = VM_ROLE_CHILD;
  s->fast_frame.result = VM_OK;
  s->fast_frame.speculative = 0;
  s->fast_frame.coerced = 0;
  /* vm_string_own_preview() points it back here at the end of every lexer
   * pass and chunk event, so no reset leaves it pointing to old input. */
  s->preview_text = s->preview;
  place_regions(s, base, &layout);
  vm_string_nodes_classify(s);
  bind_placeholders(s, base, &layout, context);
  bind_strings(s, base, &layout);
  if (bind_numbers(s, base, &layout) != CFGATE_IR_NONE) {
    init_error(error, workspace, size, "cannot start the session: a number in the validator is "
               "invalid or too long", "", "");
    return NULL;
  }
  cfgate_session_reset(s);
  return s;
}

void cfgate_session_reset(cfgate_session *s) {
  lexer_init(&s->lexer);
  s->lexer.syntax_after_stop = 1;
  s->depth = 0;
  s->frame_top = 0;
  s->name_count = 0;
  s->arena_top = 0;
  s->unique_open = 0;
  s->path_len = 0;
  s->path[0] = '\0';
  s->path_pending = VM_PATH_DONE;
  s->path_room = s->options.limits.max_path;
  s->path_levels = 0;
  s->member_path_len = 0;
  s->key_len = 0;
  s->key_text = s->key;
  s->expect_value = 0;
  s->used_events = 0;
  s->used_text = 0;
  s->root_done = 0;
  s->error_count = 0;
  s->errors_omitted = 0;
  s->root_result = VM_OK;
  s->decided = 0;
  s->malformed = 0;
  s->failed = 0;
  s->invalid = 0;
  s->finished = 0;
  vm_string_reset(s);
}

/* Makes the document malformed, at the position where it ended, because
 * bytes that arrive after cfgate_finish() were never validated. */
static void feed_after_finish(cfgate_session *s) {
  const cfgate_lexer *lexer = &s->lexer;

  ev_syntax_error(s, lexer->offset, lexer->line, lexer_column(lexer),
                  "bytes fed after cfgate_finish(): call cfgate_session_reset() before the "
                  "next document");
}

/* Makes the document malformed, because the lexer would go on from its
 * own state, not from the value that the events left open. */
__attribute__((noinline, cold)) static void feed_after_events(cfgate_session *s) {
  vm_malformed(s, "JSON text fed after value events: a document takes either cfgate_feed() or "
               "value events, not both");
}

int cfgate_feed(cfgate_session *session, const void *bytes, size_t size) {
  if (session->malformed)
    return 1;
  if (session->finished) {
    feed_after_finish(session);
    return 1;
  }
  if (session->used_events) {
    feed_after_events(session);
    return 1;
  }
  session->used_text = 1;
  return lexer_feed(&session->lexer, session, bytes, size) != 0;
}

static cfgate_verdict verdict(const cfgate_session *s) {
  if (s->malformed)
    return CFGATE_MALFORMED;
  if (s->failed)
    return CFGATE_FAILED;
  if (s->invalid || s->root_result == VM_FAIL)
    return CFGATE_INVALID;
  return s->root_result == VM_UNKNOWN ? CFGATE_UNVERIFIED : CFGATE_VALID;
}

cfgate_verdict cfgate_finish(cfgate_session *session) {
  cfgate_session *s = session;
  if (!s->decided && s->used_events && !s->root_done)
    vm_malformed(s, "the value events ended before the document was complete");
  else if (!s->used_events)
    lexer_finish(&s->lexer, s);
  s->finished = 1;
  return verdict(s);
}

/* Records a syntax error from the lexer. */
void ev_limit_at(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column,
                 const char *message) {
  size_t before = s->error_count;

  vm_limit(s, "%s", message);
  if (s->error_count > before || (s->error_count && s->failed)) {
    cfgate_error *e = &s->errors[s->error_count - 1];
    e->offset = offset;
    e->line = line;
    e->column = column;
  }
}

void ev_syntax_error(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column,
                     const char *message) {
  /* Only the first syntax error is kept, with its own position. */
  if (s->malformed)
    return;
  vm_malformed(s, message);
  if (s->error_count) {
    cfgate_error *e = &s->errors[s->error_count - 1];
    e->offset = offset;
    e->line = line;
    e->column = column;
  }
}
