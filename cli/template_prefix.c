/*
 * Checks of the known start of a partly unknown string. A prefix breaks a
 * constraint when every string that starts with it does: it is longer than
 * maxLength, no enum value starts with it, or the pattern's automaton has no
 * match left after reading it.
 */
#include "template_prefix.h"

#include <stdlib.h>
#include <string.h>

#include "re/cfgate_re.h"
#include "placeholder.h"
#include "re/re_compile.h"
#include "secret_mask.h"
#include "utf8.h"

enum { PREFIX_QUOTED_BYTES = 64 }; /* bytes of the prefix shown in a message */

/* Compiled patterns kept for the rest of the process, keyed by their text
 * after placeholders are filled. A check meets the same few policy patterns
 * again and again, and building a DFA costs far more than running it. A
 * pattern past the limit is compiled for its own check only. */
enum { PREFIX_CACHE_MAX = 256 };

typedef struct prefix_cached {
  char *text;
  size_t len;
  cfgate_re *re; /* NULL when the pattern does not compile */
} prefix_cached;

static prefix_cached prefix_cache[PREFIX_CACHE_MAX];
static size_t prefix_cache_count;

int template_prefix_path_is_conjunctive(const char *schema_path) {
  static const char *const named[] = {"properties", "patternProperties", "definitions", "allOf"};
  static const char *const single[] = {"items", "additionalItems", "additionalProperties"};
  const char *p = schema_path ? schema_path : "";
  char token[256];

  while (*p == '/') {
    size_t len = strcspn(p + 1, "/");
    snprintf(token, sizeof token, "%.*s", (int)len, p + 1);
    p += len + 1;
    if (*p != '/')
      return 1; /* the last token is the keyword itself */

    int known = 0;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
      if (strcmp(token, named[i]) == 0) {
        known = 1;
        p += strcspn(p + 1, "/") + 1; /* the name or index after it */
      }
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++)
      known |= strcmp(token, single[i]) == 0;
    if (!known && !(token[0] >= '0' && token[0] <= '9'))
      return 0;
  }
  return 1;
}

/* Writes the prefix as a JSON string, cut at a code point boundary. */
static void quote_prefix(const tnode *at, char *out, size_t size) {
  size_t cut = utf8_cut(at->known_prefix, at->known_prefix_len, PREFIX_QUOTED_BYTES);
  json_t *text = json_stringn(at->known_prefix, cut);
  char *quoted = text ? json_dumps(text, JSON_ENCODE_ANY) : NULL;

  snprintf(out, size, "%s%s", quoted ? quoted : "\"\"", cut < at->known_prefix_len ? "..." : "");
  free(quoted);
  json_decref(text);
}

static int prefix_too_long(json_t *node, const tnode *at) {
  json_t *max = json_object_get(node, "maxLength");
  return json_is_integer(max) &&
         (json_int_t)utf8_count(at->known_prefix, at->known_prefix_len) > json_integer_value(max);
}

/* Returns 1 when values is an array of strings none of which starts with the prefix. */
static int no_value_starts_with(json_t *values, const tnode *at) {
  size_t index;
  json_t *value;

  if (!json_is_array(values))
    return 0;
  json_array_foreach(values, index, value) {
    if (!json_is_string(value))
      return 0; /* a number or boolean may equal the converted string */
    if (json_string_length(value) >= at->known_prefix_len &&
        memcmp(json_string_value(value), at->known_prefix, at->known_prefix_len) == 0)
      return 0;
  }
  return 1;
}

/* Looks a placeholder up in the context. check builds its context from C
 * strings, so each value ends in a NUL byte at data[len]. */
static const char *context_lookup(void *data, const char *name, size_t len, int *missing) {
  const cfgate_context *context = data;

  for (size_t i = 0; context && i < context->count; i++) {
    const cfgate_str *key = &context->names[i], *value = &context->values[i];
    if (key->len == len && memcmp(key->data, name, len) == 0 && value->data[value->len] == '\0')
      return value->data;
  }
  *missing = 1;
  return NULL;
}

/* Returns the premultiplied DFA state after bytes[0..len) from state. */
static uint32_t dfa_run(const cfgate_re *re, uint32_t state, const char *bytes, size_t len) {
  for (size_t i = 0; i < len; i++) {
    uint32_t next = state + re->byte_classes[(unsigned char)bytes[i]];
    state = re->transitions16 ? re->transitions16[next] : re->transitions[next];
  }
  return state;
}

/* Returns 1 when an accepting state can be reached from state by some bytes.
 * Only states whose derivative is empty are flagged dead. An anchor that can
 * no longer hold (^ after the first byte) leaves states that loop without
 * accepting, so reachability is searched here. */
static int dfa_can_accept(const cfgate_re *re, uint32_t state) {
  uint32_t count = re->state_count, *queue = malloc((size_t)count * sizeof *queue);
  unsigned char *seen = calloc(count, 1);
  size_t head = 0, tail = 0;
  int found = queue == NULL || seen == NULL; /* out of memory: assume it can */

  if (!found) {
    queue[tail++] = state / re->class_count;
    seen[state / re->class_count] = 1;
  }
  while (!found && head < tail) {
    uint32_t at = queue[head++];
    found = (re->state_flags[at] & CFGATE_RE_STATE_ACCEPT) != 0;
    for (uint32_t c = 0; !found && c < re->class_count; c++) {
      size_t index = (size_t)at * re->class_count + c;
      uint32_t next = (re->transitions16 ? re->transitions16[index] : re->transitions[index]) /
                      re->class_count;
      if (!seen[next]) {
        seen[next] = 1;
        queue[tail++] = next;
      }
    }
  }
  free(queue);
  free(seen);
  return found;
}

/* Returns the compiled pattern of text, from the cache when it was compiled
 * before. *owned is set when the caller must free it. */
static cfgate_re *compile_cached(char *text, size_t len, int *owned) {
  re_error error;
  *owned = 0;

  for (size_t i = 0; i < prefix_cache_count; i++)
    if (prefix_cache[i].len == len && memcmp(prefix_cache[i].text, text, len) == 0)
      return prefix_cache[i].re;

  cfgate_re *re = re_compile(text, len, NULL, &error);
  if (prefix_cache_count == PREFIX_CACHE_MAX) {
    *owned = 1;
    return re;
  }
  prefix_cache[prefix_cache_count++] = (prefix_cached){text, len, re};
  return re;
}

void template_prefix_cache_free(void) {
  for (size_t i = 0; i < prefix_cache_count; i++) {
    re_free(prefix_cache[i].re);
    free(prefix_cache[i].text);
  }
  prefix_cache_count = 0;
}

/* Returns 1 when no string that starts with the prefix matches pattern,
 * after its placeholders are filled from context. 0 when one may, or when
 * that cannot be decided (a value is missing, or the pattern runs on
 * another engine than the DFA). */
static int pattern_rejects_prefix(json_t *pattern, const tnode *at, const cfgate_context *context) {
  char missing[128];
  size_t len = 0;
  char *text = placeholder_substitute(json_string_value(pattern), json_string_length(pattern), 1,
                                      context_lookup, (void *)context, missing, sizeof missing,
                                      &len);
  int owned = 0;
  size_t cached_before = prefix_cache_count;
  cfgate_re *re = text ? compile_cached(text, len, &owned) : NULL;
  int rejected = 0;

  if (re && re->engine == CFGATE_RE_ENGINE_DFA) {
    uint32_t state = dfa_run(re, re->start_state, at->known_prefix, at->known_prefix_len);
    rejected = !dfa_can_accept(re, state);
  }
  if (owned)
    re_free(re);
  if (prefix_cache_count == cached_before)
    free(text); /* the cache did not take it */
  return rejected;
}

int template_prefix_violation(json_t *node, const tnode *at, const cfgate_context *context,
                              int hidden, char *out, size_t size, const char **keyword) {
  char quoted[PREFIX_QUOTED_BYTES * 6 + 8];
  json_t *pattern = json_object_get(node, "pattern");
  json_t *constant = json_object_get(node, "const");

  if (!at->known_prefix || at->known_prefix_len == 0)
    return 0;
  if (hidden)
    snprintf(quoted, sizeof quoted, "\"%s\"", SECRET_MASK);
  else
    quote_prefix(at, quoted, sizeof quoted);

  if (prefix_too_long(node, at)) {
    *keyword = "maxLength";
    snprintf(out, size, "the value starts with %s, which is already longer than the maxLength %"
             JSON_INTEGER_FORMAT, quoted, json_integer_value(json_object_get(node, "maxLength")));
    return 1;
  }
  json_t *constants = constant ? json_pack("[O]", constant) : NULL;
  int no_constant = constants && no_value_starts_with(constants, at);
  json_decref(constants);
  if (no_constant || no_value_starts_with(json_object_get(node, "enum"), at)) {
    *keyword = no_constant ? "const" : "enum";
    snprintf(out, size, "the value starts with %s, which %s", quoted,
             no_constant ? "the required constant does not" : "no allowed value does");
    return 1;
  }
  if (json_is_string(pattern) && pattern_rejects_prefix(pattern, at, context)) {
    *keyword = "pattern";
    snprintf(out, size, "the value starts with %s, so it cannot match the pattern \"%.200s\"",
             quoted, json_string_value(pattern));
    return 1;
  }
  return 0;
}
