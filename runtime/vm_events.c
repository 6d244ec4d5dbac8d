/*
 * Value events: the ev_* callbacks the JSON lexer drives, and the public
 * cfgate_event_* API for callers with their own parser, which also checks
 * that the event order forms one JSON value.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "session.h"
#include "utf8.h"

static int container_type(const cfgate_session *s) {
  return s->depth ? (int)s->levels[s->depth - 1].type : 0;
}

int ev_begin_object(cfgate_session *s) {
  s->token_len = 1;
  return vm_value_begin(s, CFGATE_IR_TYPE_OBJECT);
}

int ev_end_object(cfgate_session *s) {
  return vm_value_end(s);
}

int ev_begin_array(cfgate_session *s) {
  s->token_len = 1;
  return vm_value_begin(s, CFGATE_IR_TYPE_ARRAY);
}

int ev_end_array(cfgate_session *s) {
  return vm_value_end(s);
}

int ev_key_begin(cfgate_session *s) {
  /* key_text may still point to the previous name: with key_len 0 no byte
   * of it is read, and ev_input_end() points it back to key before the
   * input goes away. */
  s->key_len = 0;
  vm_key_position(s);
  return s->decided;
}

int ev_key_chunk(cfgate_session *s, const char *utf8, size_t n) {
  if (s->decided)
    return 1;
  if (n > s->options.limits.max_string - s->key_len) {
    vm_limit(s, "property name too long (limit is %u bytes)", s->options.limits.max_string);
    vm_error_at_key(s);
    return 1;
  }
  ev_input_end(s);
  memcpy(s->key + s->key_len, utf8, n);
  s->key_len += (uint32_t)n;
  return 0;
}

/* A decided document needs no test here: ev_key_begin() returned nonzero
 * for it already, and vm_key_end() reads nothing of the name once decided. */
int ev_key_text(cfgate_session *s, const char *utf8, size_t n) {
  if (s->key_len != 0 || n > s->options.limits.max_string)
    return ev_key_chunk(s, utf8, n);
  s->key_text = utf8;
  s->key_len = (uint32_t)n;
  return 0;
}

void ev_input_end(cfgate_session *s) {
  vm_string_own_preview(s);
  /* Deferred path segments may name keys in the input that goes away. */
  if (s->path_levels < s->depth)
    vm_path_write_levels(s);
  if (s->key_text == s->key)
    return;
  memcpy(s->key, s->key_text, s->key_len);
  s->key_text = s->key;
}

int ev_key_end(cfgate_session *s) {
  return vm_key_end(s);
}

int ev_string_begin(cfgate_session *s) {
  vm_string_reset(s);
  s->string_fast = (uint8_t)vm_string_fast_begin(s);
  if (s->string_fast != VM_FAST_NONE)
    return 0;
  /* Only the full path reads token_len, so a fast-path string skips the store. */
  s->token_len = 1;
  return vm_value_begin(s, CFGATE_IR_TYPE_STRING);
}

int ev_string_text(cfgate_session *s, const char *utf8, size_t n) {
  if (s->decided)
    return 1;
  if (s->string_fast != VM_FAST_NONE) {
    if (s->string_fast != VM_FAST_PASSED)
      vm_string_fast_chunk(s, (const unsigned char *)utf8, n);
    return 0;
  }
  vm_string_feed(s, (const unsigned char *)utf8, n);
  return s->decided;
}

int ev_string_chunk(cfgate_session *s, const char *utf8, size_t n) {
  int decided = ev_string_text(s, utf8, n);
  vm_string_own_preview(s);
  return decided;
}

int ev_string_end(cfgate_session *s) {
  if (s->string_fast != VM_FAST_NONE)
    return vm_string_fast_end(s);
  return vm_value_end(s);
}

static int scalar(cfgate_session *s, uint32_t type) {
  if (vm_scalar_fast(s, type))
    return vm_scalar_fast_end(s, type);
  if (vm_value_begin(s, type))
    return 1;
  return vm_value_end(s);
}

int ev_number(cfgate_session *s, const cfgate_number *n, const char *text, size_t len) {
  s->number = n;
  s->number_text = text;
  s->number_len = len;
  s->token_len = (uint32_t)len;
  return scalar(s, CFGATE_IR_TYPE_NUMBER);
}

int ev_bool(cfgate_session *s, int value) {
  s->boolean_value = value != 0;
  s->token_len = value ? 4 : 5;
  return scalar(s, CFGATE_IR_TYPE_BOOLEAN);
}

int ev_null(cfgate_session *s) {
  s->token_len = 4;
  return scalar(s, CFGATE_IR_TYPE_NULL);
}

int ev_unknown(cfgate_session *s) {
  return scalar(s, VM_TYPE_UNKNOWN);
}

/* Marks the document as driven by value events. Returns 0 and makes it
 * malformed when JSON text was fed to it, because an event would skip the
 * checks that the rest of the open text still needs. */
static int events_allowed(cfgate_session *s) {
  if (s->used_text) {
    vm_malformed(s, "a value event after JSON text was fed: a document takes either "
                 "cfgate_feed() or value events, not both");
    return 0;
  }
  s->used_events = 1;
  return 1;
}

/* Checks that a value may start here: at the top once, after a key in an
 * object, anywhere in an array. */
static int value_allowed(cfgate_session *s) {
  if (!events_allowed(s) || s->decided)
    return 0;
  if (container_type(s) == CFGATE_IR_TYPE_OBJECT && !s->expect_value) {
    vm_malformed(s, "a value event in an object must follow a key event");
    return 0;
  }
  if (s->depth == 0 && s->root_done) {
    vm_malformed(s, "a value event after the top-level value ended");
    return 0;
  }
  s->expect_value = 0;
  return 1;
}

/* Checks that the innermost open value is a container of this type and
 * that no key waits for its value. event is "end-object" or "end-array". */
static int end_allowed(cfgate_session *s, uint32_t type, const char *event) {
  char message[96];

  if (!events_allowed(s) || s->decided)
    return 0;
  if (s->expect_value) {
    snprintf(message, sizeof message, "missing value after a key event, before the %s event", event);
    vm_malformed(s, message);
    return 0;
  }
  if (container_type(s) != (int)type) {
    snprintf(message, sizeof message, "an %s event without an open %s", event,
             type == CFGATE_IR_TYPE_OBJECT ? "object" : "array");
    vm_malformed(s, message);
    return 0;
  }
  return 1;
}

/* Returns the text of a key, string or number event: text itself, or ""
 * for a NULL pointer with length 0. A NULL pointer with a nonzero length
 * makes the document malformed and returns NULL. */
static const char *event_text(cfgate_session *s, const char *text, size_t len, const char *event) {
  if (text != NULL)
    return text;
  if (len == 0)
    return "";

  char message[128];
  snprintf(message, sizeof message,
           "a %s event with a NULL pointer and length %zu (NULL is allowed only with length 0)", event,
           len);
  vm_malformed(s, message);
  return NULL;
}

/* Makes the document malformed when text[0..len) is not valid UTF-8, as
 * the JSON tokenizer does for such bytes in a string. text_kind is "string"
 * or "property name". Returns 1 when the text is invalid. */
static int reject_invalid_utf8(cfgate_session *s, const char *text, size_t len, const char *text_kind) {
  size_t valid = utf8_valid_prefix(text, len);
  if (valid == len)
    return 0;

  char prefix[64], message[160];
  snprintf(prefix, sizeof prefix, "invalid UTF-8 in %s at byte %zu: ", text_kind, valid);
  utf8_describe(text + valid, len - valid, prefix, message, sizeof message);
  vm_malformed(s, message);
  return 1;
}

int cfgate_event_begin_object(cfgate_session *session) {
  return value_allowed(session) ? ev_begin_object(session) : 1;
}

int cfgate_event_key(cfgate_session *session, const char *key, size_t len) {
  if (!events_allowed(session) || session->decided)
    return 1;
  if (container_type(session) != CFGATE_IR_TYPE_OBJECT || session->expect_value) {
    vm_malformed(session, "a key event outside an object or in place of a value");
    return 1;
  }
  key = event_text(session, key, len, "key");
  if (key == NULL || reject_invalid_utf8(session, key, len, "property name"))
    return 1;
  if (ev_key_begin(session) || ev_key_chunk(session, key, len))
    return 1;
  session->expect_value = 1;
  return ev_key_end(session);
}

int cfgate_event_end_object(cfgate_session *session) {
  if (!end_allowed(session, CFGATE_IR_TYPE_OBJECT, "end-object"))
    return 1;
  return ev_end_object(session);
}

int cfgate_event_begin_array(cfgate_session *session) {
  return value_allowed(session) ? ev_begin_array(session) : 1;
}

int cfgate_event_end_array(cfgate_session *session) {
  if (!end_allowed(session, CFGATE_IR_TYPE_ARRAY, "end-array"))
    return 1;
  return ev_end_array(session);
}

int cfgate_event_string(cfgate_session *session, const char *text, size_t len) {
  if (!value_allowed(session))
    return 1;
  text = event_text(session, text, len, "string");
  if (text == NULL || reject_invalid_utf8(session, text, len, "string"))
    return 1;
  if (ev_string_begin(session) || ev_string_chunk(session, text, len))
    return 1;
  return ev_string_end(session);
}

int cfgate_event_number(cfgate_session *session, const char *text, size_t len) {
  if (!value_allowed(session))
    return 1;
  text = event_text(session, text, len, "number");
  if (text == NULL)
    return 1;
  number_status status = number_parse(text, len, &session->event_number);
  if (status == NUMBER_INVALID) {
    vm_malformed(session, number_status_message(status));
    return 1;
  }
  if (status != NUMBER_OK) {
    vm_limit(session, "%s", number_status_message(status));
    return 1;
  }
  return ev_number(session, &session->event_number, text, len);
}

int cfgate_event_bool(cfgate_session *session, int value) {
  return value_allowed(session) ? ev_bool(session, value) : 1;
}

int cfgate_event_null(cfgate_session *session) {
  return value_allowed(session) ? ev_null(session) : 1;
}

int cfgate_event_unknown(cfgate_session *session) {
  return value_allowed(session) ? ev_unknown(session) : 1;
}

int cfgate_event_unknown_string(cfgate_session *session) {
  if (!value_allowed(session))
    return 1;

  session->unknown_string = 1;
  int decided = ev_unknown(session);
  session->unknown_string = 0;
  return decided;
}
