/*
 * One streaming validation for `cfgate hook`.
 */
#include "hook_validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hook_dynamic.h"
#include "hook_quote.h"
#include "secret_mask.h"
#include "template_json.h"
#include "template_validate.h"
#include "utf8.h"

typedef struct message_buffer {
  char *data;
  size_t size, len;
  const secret_list *secrets; /* values that findings show as **** */
  int secrets_unread;         /* 1: the tree reader rejected the properties */
  const tnode *references;    /* properties validated with dynamic references unknown, or NULL */
  size_t max_chars;           /* characters of the message that CloudFormation keeps */
  const hook_properties *properties; /* the validated text and its place in the event */
} message_buffer;

enum {
  /* Characters kept free for the "; N more findings not shown" tail. */
  HOOK_TAIL_RESERVE = 96
};

/* The pointer of the properties object itself, written as cfgate validate
 * writes the root, because "/" is the pointer of a property named "". */
#define HOOK_ROOT_POINTER "(root)"

/* The pointer of resourceProperties in the event. */
#define HOOK_PROPERTIES_POINTER "/requestData/targetModel/resourceProperties"

static void append(message_buffer *out, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void append(message_buffer *out, const char *format, ...) {
  /* Less than one UTF-8 sequence of room means the buffer was cut. */
  if (out->len + 4 >= out->size)
    return;
  va_list args;
  va_start(args, format);
  int written = vsnprintf(out->data + out->len, out->size - out->len, format, args);
  va_end(args);
  if (written <= 0)
    return;

  if ((size_t)written < out->size - out->len) {
    out->len += (size_t)written;
    return;
  }
  /* The buffer is full, and its last byte may be inside a UTF-8 sequence. */
  out->len = utf8_cut(out->data, out->size - 1, out->size - 1);
  out->data[out->len] = '\0';
}

/* Returns 1 when a message at pointer may show a write-only value that
 * masking cannot find: the properties were not readable as JSON, or a number
 * may be quoted in another form than the tree reader writes it. Such a
 * message is left out rather than shown. Any other message that masking
 * leaves alone contains no hidden value and stays as it is. */
static int may_show_unlisted(const message_buffer *out, json_t *schema, const char *pointer) {
  if (!secret_write_only_covers(schema, pointer))
    return 0;
  return out->secrets_unread || secret_inexact_covers(out->secrets, pointer);
}

/* Writes the error's message to text, followed for an unverified finding by
 * the dynamic reference that made the value unknown. The note is masked
 * with the message, because the reference may be a write-only value. */
static void reference_note(const message_buffer *out, const cfgate_error *error, char *text,
                           size_t size) {
  snprintf(text, size, "%s", error->message ? error->message : "invalid value");
  if (!out->references || !error->unverified)
    return;

  const tnode *at = hook_dynamic_at(out->references, error->instance_path);
  const tnode *string = at ? hook_dynamic_find(at) : NULL;
  if (!string)
    return;
  char note[400];
  hook_dynamic_describe(string, note, sizeof note);
  size_t used = strlen(text);
  snprintf(text + used, size - used, " (%s)", note);
}

/* Appends a syntax error that the runtime found in the properties, as the
 * event scan words its own: "line L, column C: MESSAGE (in POINTER)", with
 * the position and the pointer in the event. The runtime counts lines and
 * columns from the start of the properties. */
static void append_syntax_error(message_buffer *out, const cfgate_error *error) {
  const hook_properties *properties = out->properties;
  char *escaped = hook_pointer_escape(error->instance_path, error->instance_path_len);
  const char *message = error->message ? error->message : "malformed JSON";

  if (error->line > 0) {
    size_t line = properties->line + error->line - 1;
    size_t column = error->line == 1 ? properties->column + error->column - 1 : error->column;
    append(out, "; line %zu, column %zu: %s", line, column, message);
  } else {
    append(out, "; %s", message);
  }
  append(out, " (in %s%s)", HOOK_PROPERTIES_POINTER,
         escaped ? escaped : "(pointer not shown: out of memory)");
  free(escaped);
}

/* Returns the length of a limit error's message up to the end of its
 * "(limit is N ...)" part, or 0 when it has none. The runtime writes a
 * preview of the value only after that part (": '1111...'"), so the text
 * up to it names the limit and shows no value. */
static size_t limit_text_len(const cfgate_error *error) {
  if (!error->keyword || strcmp(error->keyword, "limit") != 0 || !error->message)
    return 0;
  const char *limit = strstr(error->message, "(limit is ");
  const char *end = limit ? strchr(limit, ')') : NULL;
  return end ? (size_t)(end + 1 - error->message) : 0;
}

/* NOTE: an unverified error is looked up by the runtime's one keyword. On a
 * node with a provider pattern and a policy maxLength, the hook therefore
 * names only the provider's pattern, while cfgate check splits the warning
 * by rule. */
static void append_error(message_buffer *out, json_t *schema, const cfgate_error *error) {
  json_t *rule = template_rule_for(schema, error->schema_path, error->keyword);
  const char *file = json_string_value(json_object_get(rule, "file"));
  const char *because = NULL;
  if (rule)
    because = error->because ? error->because : json_string_value(json_object_get(rule, "because"));

  char text[1024];
  reference_note(out, error, text, sizeof text);
  /* A property name may hold a line break or a terminal escape, so the
   * pointer is escaped like the names that the runtime's messages quote. */
  char *escaped = hook_pointer_escape(error->instance_path, error->instance_path_len);
  const char *pointer = escaped;
  if (!escaped)
    pointer = "(pointer not shown: out of memory)";
  else if (!escaped[0])
    pointer = HOOK_ROOT_POINTER;
  char *masked = secret_mask(out->secrets, error->instance_path, text);
  size_t limit_len = limit_text_len(error);
  if (masked)
    append(out, "; %s: %s", pointer, masked);
  else if (may_show_unlisted(out, schema, error->instance_path) && limit_len > 0)
    append(out, "; %s: %.*s (value hidden: write-only property)", pointer, (int)limit_len,
           error->message);
  else if (may_show_unlisted(out, schema, error->instance_path))
    append(out, "; %s: the value fails %s (value hidden: write-only property)", pointer,
           error->keyword ? error->keyword : "the schema");
  else
    append(out, "; %s: %s", pointer, text);
  free(masked);
  free(escaped);
  if (file)
    append(out, " [rule %s:%lld:%lld]", file,
           (long long)json_integer_value(json_object_get(rule, "line")),
           (long long)json_integer_value(json_object_get(rule, "column")));
  if (because)
    append(out, " (because %s)", because);
}

/* Returns 1 when the session failed only because the error list was full:
 * the runtime then replaces the last finding with "too many errors". */
static int error_cap_failure(cfgate_session *session, size_t max_errors) {
  size_t count = cfgate_error_count(session);
  if (count == 0 || count != max_errors)
    return 0;

  const cfgate_error *last = cfgate_error_at(session, count - 1);
  return last->keyword && strcmp(last->keyword, "limit") == 0 && last->message &&
         strncmp(last->message, "too many errors", 15) == 0;
}

/* Returns 1 when the message no longer fits in out->max_chars characters,
 * keeping room for the tail that counts unshown findings when more follow.
 * A finding is then left out whole, so the count stays true after the cut. */
static int exceeds_budget(const message_buffer *out, int more_follow) {
  size_t chars = hook_message_chars(out->data, out->len);
  size_t budget = out->max_chars;
  if (more_follow)
    budget = budget > HOOK_TAIL_RESERVE ? budget - HOOK_TAIL_RESERVE : 0;
  return chars > budget;
}

/* Cuts the message to the budget that leaves room for the tail, ending it
 * with "...", because the first error alone is too long and later errors
 * must still be counted. */
static void cut_for_tail(message_buffer *out) {
  static const char mark[] = "...";
  size_t budget = out->max_chars > HOOK_TAIL_RESERVE + sizeof mark - 1
                      ? out->max_chars - HOOK_TAIL_RESERVE - (sizeof mark - 1)
                      : 0;
  out->len = hook_message_prefix(out->data, out->len, budget);
  out->data[out->len] = '\0';
  append(out, "%s", mark);
}

/* Appends the errors of session at indexes[0..count), each whole. The first
 * error that would take the message past out->max_chars is left out with
 * every error after it, and a tail counts them, naming them as noun. The
 * first error is always appended. When it alone is too long, it is cut
 * here if errors follow, so that the tail still fits, and otherwise the
 * response writer cuts it. */
static void append_errors(message_buffer *out, json_t *schema, cfgate_session *session,
                          const size_t *indexes, size_t count, const char *noun) {
  size_t shown = 0;
  for (; shown < count; shown++) {
    size_t before = out->len;
    const cfgate_error *error = cfgate_error_at(session, indexes[shown]);
    if (error->keyword && strcmp(error->keyword, "syntax") == 0)
      append_syntax_error(out, error);
    else
      append_error(out, schema, error);
    if (!exceeds_budget(out, shown + 1 < count))
      continue;
    if (shown == 0) {
      if (shown + 1 < count)
        cut_for_tail(out);
      continue;
    }
    out->len = before;
    out->data[before] = '\0';
    break;
  }
  if (shown < count)
    append(out, "; %zu of the %zu %s%s not shown (message limit is %zu characters)",
           count - shown, count, noun, count == 1 ? "" : "s", out->max_chars);
}

/* A resource with findings is NonCompliant even when the list of findings
 * was cut at max_errors. */
static hook_status describe_findings(cfgate_session *session, json_t *schema,
                                     const char *logical_id, const char *type_name,
                                     size_t max_errors, int capped, cfgate_verdict verdict,
                                     message_buffer *out) {
  size_t count = cfgate_error_count(session);
  size_t listed = capped ? count - 1 : count;
  size_t omitted = cfgate_errors_omitted(session);
  const char *outcome = verdict == CFGATE_UNVERIFIED ? "cannot be verified against the policy"
                                                     : "violates the policy";
  append(out, "%s (%s) %s: %zu finding%s", logical_id, type_name, outcome, listed,
         listed == 1 ? "" : "s");
  if (omitted > 0)
    append(out, " listed; %zu later finding%s omitted (limit is %zu)", omitted,
           omitted == 1 ? " was" : "s were", max_errors);
  else if (capped)
    append(out, " listed; later findings were omitted (limit is %zu)", max_errors);

  size_t indexes[HOOK_MAX_ERRORS];
  if (listed > HOOK_MAX_ERRORS) /* hook_options() caps the runtime's list at this */
    listed = HOOK_MAX_ERRORS;
  for (size_t i = 0; i < listed; i++)
    indexes[i] = i;
  append_errors(out, schema, session, indexes, listed, "listed finding");
  return HOOK_NON_COMPLIANT;
}

/* Describes a session that failed or found no JSON. The error that made it
 * fail (an exceeded limit, or the syntax error) comes first, so the budget
 * of the message never leaves it out. */
static hook_status describe_failure(cfgate_session *session, cfgate_verdict verdict,
                                    json_t *schema, const char *logical_id,
                                    const char *type_name, message_buffer *out) {
  const char *cause = verdict == CFGATE_MALFORMED ? "syntax" : "limit";
  size_t count = cfgate_error_count(session);
  size_t indexes[HOOK_MAX_ERRORS], listed = 0;
  for (size_t i = 0; i < count && listed < HOOK_MAX_ERRORS; i++) {
    const char *keyword = cfgate_error_at(session, i)->keyword;
    if (keyword && strcmp(keyword, cause) == 0)
      indexes[listed++] = i;
  }
  for (size_t i = 0; i < count && listed < HOOK_MAX_ERRORS; i++) {
    const char *keyword = cfgate_error_at(session, i)->keyword;
    if (!keyword || strcmp(keyword, cause) != 0)
      indexes[listed++] = i;
  }

  if (verdict == CFGATE_MALFORMED)
    append(out, "%s (%s): resourceProperties is not valid JSON", logical_id, type_name);
  else
    append(out, "%s (%s): validation failed", logical_id, type_name);
  append_errors(out, schema, session, indexes, listed, "finding");
  return HOOK_INTERNAL_FAILURE;
}

static hook_status describe(cfgate_session *session, cfgate_verdict verdict, json_t *schema,
                            const char *logical_id, const char *type_name, size_t max_errors,
                            message_buffer *out) {
  if (verdict == CFGATE_FAILED && error_cap_failure(session, max_errors))
    return describe_findings(session, schema, logical_id, type_name, max_errors, 1, verdict, out);

  switch (verdict) {
  case CFGATE_VALID:
    append(out, "%s (%s) complies with the policy", logical_id, type_name);
    return HOOK_SUCCESS;
  case CFGATE_INVALID:
  case CFGATE_UNVERIFIED:
    return describe_findings(session, schema, logical_id, type_name, max_errors, 0, verdict,
                             out);
  case CFGATE_MALFORMED:
  case CFGATE_FAILED:
    break;
  }
  return describe_failure(session, verdict, schema, logical_id, type_name, out);
}

/* Names the option for a placeholder without a value. The event gives the
 * account, region and partition, so only a context name can be missing. */
static void append_placeholder_hint(message_buffer *out, const char *message) {
  static const char prefix[] = "missing value for placeholder ${";
  if (!message || strncmp(message, prefix, sizeof prefix - 1) != 0)
    return;

  const char *name = message + sizeof prefix - 1;
  const char *end = strchr(name, '}');
  if (end)
    append(out, ": pass --context %.*s=VALUE", (int)(end - name), name);
}

/* Adds the write-only values of the properties when a finding is at or below
 * a write-only property. Only then is the JSON read into a tree, so a
 * compliant event is still validated without one. Returns 1 when the tree
 * reader rejects the properties (1e400), so the values stay unknown. */
static int collect_write_only(cfgate_session *session, json_t *schema, const char *bytes,
                              size_t size, secret_list *secrets) {
  int needed = 0;
  for (size_t i = 0; i < cfgate_error_count(session) && !needed; i++)
    needed = secret_write_only_covers(schema, cfgate_error_at(session, i)->instance_path);
  if (!needed)
    return 0;

  json_t *properties = json_loadb(bytes, size, JSON_ALLOW_NUL, NULL);
  if (!properties)
    return 1;
  secret_list_add_write_only_json(secrets, schema, properties);
  json_decref(properties);
  return 0;
}

/* Validates the properties again after the streaming pass, with each string
 * that contains a dynamic reference sent as an unknown string: CloudFormation
 * replaces it after the hook runs, so a constraint on its text was checked
 * against the wrong value. Returns the verdict of that
 * pass. When the properties cannot be read into a tree, no string is known
 * to be free of a reference: sets *unreadable and writes the message. */
static cfgate_verdict validate_references(cfgate_session *session, const char *bytes, size_t size,
                                          tnode_arena *arena, const char *logical_id,
                                          const char *type_name, message_buffer *out,
                                          int *unreadable) {
  template_error error;
  const tnode *properties = template_json_read(arena, (const unsigned char *)bytes, size, &error);
  if (!properties) {
    append(out,
           "%s (%s): resourceProperties could not be read to look for dynamic references (%s), "
           "so its strings are not verified",
           logical_id, type_name, error.message);
    *unreadable = 1;
    return CFGATE_FAILED;
  }
  if (!hook_dynamic_find(properties))
    return CFGATE_VALID;

  cfgate_session_reset(session);
  hook_dynamic_emit(session, properties);
  out->references = properties;
  return cfgate_finish(session);
}

/* Restores the findings of the streaming pass when the event pass finds
 * none in bytes that the streaming pass found invalid, so that the resource
 * still fails (fail closed). */
static cfgate_verdict revalidate_bytes(cfgate_session *session, const char *bytes, size_t size,
                                       message_buffer *out) {
  cfgate_session_reset(session);
  cfgate_feed(session, bytes, size);
  out->references = NULL;
  return cfgate_finish(session);
}

static void hook_options(cfgate_options *options) {
  cfgate_options_default(options);
  options->all_errors = 1;
  options->coerce = 1;
  if (options->limits.max_errors > HOOK_MAX_ERRORS)
    options->limits.max_errors = HOOK_MAX_ERRORS;
}

hook_status hook_validate(const cfgate_validator *validator, json_t *schema,
                          const cfgate_context *context, const char *logical_id,
                          const char *type_name, const hook_properties *properties,
                          char *message, size_t message_size, size_t max_chars) {
  const char *bytes = properties->bytes;
  size_t size = properties->size;
  secret_list secrets;
  secret_list_init(&secrets);
  message_buffer out = {message, message_size, 0, &secrets, 0, NULL, max_chars, properties};
  tnode_arena arena;
  tnode_arena_init(&arena);
  arena.max_bytes = TEMPLATE_MAX_BYTES;
  message[0] = '\0';
  cfgate_options options;
  hook_options(&options);

  size_t workspace_size = cfgate_workspace_size(validator, &options, context);
  void *workspace = malloc(workspace_size ? workspace_size : 1);
  if (!workspace) {
    append(&out, "out of memory for the validation workspace");
    secret_list_fini(&secrets);
    tnode_arena_fini(&arena);
    return HOOK_INTERNAL_FAILURE;
  }

  cfgate_error error;
  memset(&error, 0, sizeof error);
  cfgate_session *session = cfgate_session_init(workspace, workspace_size, validator, &options,
                                                context, &error);
  hook_status status = HOOK_INTERNAL_FAILURE;
  if (!session) {
    append(&out, "%s (%s): validation could not start: %s", logical_id, type_name,
           error.message ? error.message : "unknown error");
    append_placeholder_hint(&out, error.message);
  } else {
    cfgate_feed(session, bytes, size);
    cfgate_verdict verdict = cfgate_finish(session);
    int unreadable = 0;
    /* A session that failed on a limit is checked for references too, so
     * that the text of a reference is not reported as a wrong value next
     * to the limit. */
    int checkable = verdict == CFGATE_VALID || verdict == CFGATE_INVALID ||
                    verdict == CFGATE_FAILED;
    if (checkable && hook_dynamic_possible(bytes, size)) {
      cfgate_verdict streamed = verdict;
      verdict = validate_references(session, bytes, size, &arena, logical_id, type_name, &out,
                                    &unreadable);
      int restore = (streamed == CFGATE_INVALID && verdict == CFGATE_VALID) ||
                    (streamed == CFGATE_FAILED && verdict != CFGATE_FAILED);
      if (restore && !unreadable)
        verdict = revalidate_bytes(session, bytes, size, &out);
    }
    if (unreadable) {
      status = HOOK_INTERNAL_FAILURE;
    } else {
      out.secrets_unread = collect_write_only(session, schema, bytes, size, &secrets);
      status = describe(session, verdict, schema, logical_id, type_name,
                        options.limits.max_errors, &out);
    }
  }
  free(workspace);
  secret_list_fini(&secrets);
  tnode_arena_fini(&arena);
  return status;
}
