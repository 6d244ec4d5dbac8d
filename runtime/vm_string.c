/*
 * String values, streamed: a DFA pattern is stepped chunk by chunk, enum
 * strings are narrowed to the range of sorted members that still share the
 * bytes seen so far, and code points are counted for minLength/maxLength.
 * The whole string is kept only when a check needs it at the end (a
 * backtracking pattern, a format assertion, or CloudFormation coercion).
 */
#include <string.h>

#include "session.h"

#define VM_STRING_HASH_SEED 0x84222325cbf29ce4ull

static int string_in_enum(const cfgate_session *s, const cfgate_ir_node *n, const vm_frame *f);

void vm_string_reset(cfgate_session *s) {
  s->string_len = 0;
  s->string_buffered = 0;
  s->string_overflow = 0;
  s->string_bytes = 0;
  s->string_code_points = 0;
  s->string_counted = 0;
  s->string_fast = VM_FAST_NONE;
  s->string_hash = VM_STRING_HASH_SEED;
  s->string_hash_word = 0;
  s->string_hash_bytes = 0;
  s->preview_len = 0;
  s->coerced_kind = 0;
  s->coerced_boolean = 0;
}

static int asserts_format(const cfgate_session *s, const cfgate_ir_node *n) {
  return n->format != CFGATE_IR_FORMAT_NONE &&
         (s->options.assert_formats || s->validator->assert_formats);
}

/* Prepares frame for a string: enum range, pattern state, buffering. */
void vm_string_begin_frame(cfgate_session *s, uint32_t frame) {
  vm_frame *f = &s->frames[frame];
  const cfgate_ir_node *n = f->def;

  if (n->flags & CFGATE_IR_HAS_ENUM) {
    f->enum_lo = 0;
    f->enum_hi = n->enum_strings_count;
    f->template_miss = 0;
  }
  if (n->pattern != CFGATE_IR_NONE) {
    const cfgate_re *re = &s->validator->patterns[n->pattern];
    if (re->engine == CFGATE_RE_ENGINE_DFA) {
      f->pattern_state = vm_arena_alloc(s, cfgate_re_state_size(re, s->placeholder_values));
      if (f->pattern_state != CFGATE_IR_NONE)
        cfgate_re_begin(re, s->arena + f->pattern_state, s->placeholder_values);
    } else {
      s->string_buffered = 1;
    }
  }
  if (asserts_format(s, n) || f->coerced == 1)
    s->string_buffered = 1;
  if (n->min_length != CFGATE_IR_NONE || n->max_length != CFGATE_IR_NONE)
    s->string_counted = 1;
}

static unsigned enum_key(const cfgate_str *str, uint64_t pos) {
  return str->len > pos ? (unsigned)(unsigned char)str->data[pos] + 1 : 0;
}

/* First index in [lo, hi) whose byte key at pos is at least key (or above
 * it when strictly is 1). Keys are sorted within the range because all its
 * members share the bytes before pos. */
static uint32_t enum_bound(const cfgate_str *strings, uint32_t lo, uint32_t hi, uint64_t pos,
                           unsigned key, int strictly) {
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    unsigned have = enum_key(&strings[mid], pos);
    if (have < key || (strictly && have == key))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void enum_narrow(const cfgate_session *s, const cfgate_ir_node *n, vm_frame *f,
                        const unsigned char *bytes, size_t count) {
  const cfgate_str *strings = s->bound_strings + n->enum_strings_first;
  uint64_t pos = s->string_bytes;
  uint32_t lo = f->enum_lo, hi = f->enum_hi;

  for (size_t k = 0; k < count && lo < hi; k++, pos++) {
    if (hi - lo == 1) {
      /* One member left: compare the rest of the chunk at once. */
      const cfgate_str *last = &strings[lo];
      size_t rest = count - k;
      if (last->len < pos + rest || !vm_same_bytes(last->data + pos, (const char *)bytes + k, rest))
        lo = hi;
      break;
    }
    unsigned key = (unsigned)bytes[k] + 1;
    /* The keys at pos ascend from lo to hi, so an end of the range that
     * has this byte stays, and most bytes of a shared prefix need no search. */
    if (enum_key(&strings[lo], pos) != key)
      lo = enum_bound(strings, lo, hi, pos, key, 0);
    if (lo < hi && enum_key(&strings[hi - 1], pos) != key)
      hi = enum_bound(strings, lo, hi, pos, key, 1);
  }
  f->enum_lo = lo;
  f->enum_hi = hi;
}

static void template_compare(const cfgate_session *s, const cfgate_ir_node *n, vm_frame *f,
                             const unsigned char *bytes, size_t count) {
  uint64_t pos = s->string_bytes;
  for (uint32_t i = 0; i < n->enum_templates_count; i++) {
    const cfgate_str *bound = &s->bound_strings[n->enum_templates_first + i];
    if ((f->template_miss >> i) & 1)
      continue;
    if (pos + count > bound->len || memcmp(bound->data + pos, bytes, count) != 0)
      f->template_miss |= (uint64_t)1 << i;
  }
}

static void feed_frame(cfgate_session *s, vm_frame *f, const unsigned char *bytes, size_t n) {
  const cfgate_ir_node *node = f->def;
  if (f->speculative && f->result == VM_FAIL)
    return;

  if (f->pattern_state != CFGATE_IR_NONE) {
    const cfgate_re *re = &s->validator->patterns[node->pattern];
    void *state = s->arena + f->pattern_state;
    if (!cfgate_re_decided(re, state))
      cfgate_re_feed(re, state, bytes, n);
  }
  if ((node->flags & CFGATE_IR_HAS_ENUM) && f->enum_lo < f->enum_hi)
    enum_narrow(s, node, f, bytes, n);
  if (node->enum_templates_count)
    template_compare(s, node, f, bytes, n);
}

/* Copies the preview into preview[] when it still points to the bytes
 * of a chunk, which the caller of the chunk event may reuse. */
void vm_string_own_preview(cfgate_session *s) {
  if (s->preview_text != s->preview && s->preview_len > 0)
    memcpy(s->preview, s->preview_text, s->preview_len);
  s->preview_text = s->preview;
}

/* Keeps the preview of the string, and the whole string when a check
 * needs it. The first chunk's preview points to its bytes, so most strings
 * copy none: vm_string_own_preview() copies them before they go away. */
static void keep_bytes(cfgate_session *s, const unsigned char *bytes, size_t n) {
  if (s->preview_len == 0) {
    s->preview_text = (const char *)bytes;
    s->preview_len = (uint32_t)(n < CFGATE_PREVIEW_SIZE ? n : CFGATE_PREVIEW_SIZE);
  } else if (s->preview_len < CFGATE_PREVIEW_SIZE) {
    size_t take = CFGATE_PREVIEW_SIZE - s->preview_len;
    take = take < n ? take : n;
    vm_string_own_preview(s);
    memcpy(s->preview + s->preview_len, bytes, take);
    s->preview_len += (uint32_t)take;
  }
  if (!s->string_buffered || s->string_overflow)
    return;
  if (n > s->options.limits.max_string - s->string_len) {
    s->string_overflow = 1;
    return;
  }
  memcpy(s->string + s->string_len, bytes, n);
  s->string_len += (uint32_t)n;
}

static uint64_t hash_round(uint64_t h, uint64_t word) {
  h = (h ^ word) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

/* Extends the canonical hash of the current string (for uniqueItems). The
 * bytes are hashed a little-endian word at a time, so the hash depends on
 * neither the host nor where the string was split into chunks. Up to 7
 * bytes wait in string_hash_word for the next chunk. */
void vm_string_hash(cfgate_session *s, const unsigned char *bytes, size_t n) {
  uint64_t h = s->string_hash, word = s->string_hash_word;
  uint32_t pending = s->string_hash_bytes;
  size_t i = 0;

  for (; pending != 0 && i < n; i++) {
    word |= (uint64_t)bytes[i] << (8 * pending);
    if (++pending == 8) {
      h = hash_round(h, word);
      word = 0;
      pending = 0;
    }
  }
  for (; pending == 0 && i + 8 <= n; i += 8)
    h = hash_round(h, cfgate_ir_load_le64(bytes + i));
  /* With nothing pending, the last 1 to 7 bytes are loaded as words instead
   * of one byte at a time. A chunk of 8 bytes or more ends in a word that
   * overlaps bytes already hashed. A chunk of 4 to 7 bytes is read as two
   * overlapping 4-byte words. */
  if (pending == 0 && i < n && n >= 8) {
    pending = (uint32_t)(n - i);
    word = cfgate_ir_load_le64(bytes + n - 8) >> (8 * (8 - pending));
    i = n;
  } else if (pending == 0 && i == 0 && n >= 4) {
    uint64_t low = cfgate_ir_load_le32(bytes), high = cfgate_ir_load_le32(bytes + n - 4);
    pending = (uint32_t)n;
    word = low | (high >> (8 * (8 - n))) << 32;
    i = n;
  }
  for (; i < n; i++)
    word |= (uint64_t)bytes[i] << (8 * pending++);

  s->string_hash = h;
  s->string_hash_word = word;
  s->string_hash_bytes = pending;
}

/* Returns the hash of the bytes fed to vm_string_hash() so far. Strings
 * that differ only in trailing NUL bytes hash equal here; the caller adds
 * the byte length. */
uint64_t vm_string_hash_value(const cfgate_session *s) {
  return hash_round(s->string_hash, s->string_hash_word);
}

/* Counts the UTF-8 continuation bytes (10xxxxxx) among the eight bytes of
 * x. One multiply sums the marks in the top byte: without -mpopcnt, GCC
 * compiles __builtin_popcountll to a call of __popcountdi2. */
static unsigned continuation_bytes(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t marks = (x & ~(x << 1) & highs) >> 7;
  return (unsigned)((marks * ones) >> 56);
}

/* Counts the code points that start in bytes[0..n): every byte except
 * the continuation bytes, eight bytes at a time. On little-endian hosts
 * the last 4 to 7 bytes are read as two overlapping words of 4. */
static uint64_t count_code_points(const unsigned char *bytes, size_t n) {
  uint64_t count = n;
  size_t i = 0;

  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, bytes + i, 8);
    count -= continuation_bytes(x);
  }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  size_t rest = n - i;
  if (rest >= 4) {
    uint32_t low, high;
    memcpy(&low, bytes + i, 4);
    memcpy(&high, bytes + n - 4, 4);
    /* The first 8 - rest bytes of high are in low too. */
    uint64_t x = (uint64_t)low | (((uint64_t)high >> (8 * (8 - rest))) << 32);
    return count - continuation_bytes(x);
  }
#endif
  for (; i < n; i++)
    count -= (bytes[i] & 0xc0) == 0x80;
  return count;
}

/* Keeps the preview, counts code points and extends the uniqueItems hash
 * for the next bytes of the current string. */
static void feed_session(cfgate_session *s, const unsigned char *bytes, size_t n, int hashing) {
  keep_bytes(s, bytes, n);
  if (s->string_counted) {
    uint64_t code_points = s->string_code_points + count_code_points(bytes, n);
    s->string_code_points = code_points > UINT32_MAX ? UINT32_MAX : (uint32_t)code_points;
  }

  /* Only a string inside a uniqueItems array needs its canonical hash. */
  if (hashing)
    vm_string_hash(s, bytes, n);
}

/* Feeds decoded bytes of the current string to the session and to every
 * frame of the innermost level. */
void vm_string_feed(cfgate_session *s, const unsigned char *bytes, size_t n) {
  /* With every frame settled at the string's start and no uniqueItems
   * hash to extend, no check reads the bytes. */
  uint32_t first = vm_level_first(s);
  int hashing = s->depth && s->levels[s->depth - 1].hashing;
  if (first == s->frame_top && !hashing) {
    s->string_bytes += n;
    return;
  }

  feed_session(s, bytes, n, hashing);
  for (uint32_t f = first; f < s->frame_top; f++)
    feed_frame(s, &s->frames[f], bytes, n);
  s->string_bytes += n;
}

/* Feeds decoded bytes of a string on the fast path (no level of its own)
 * to the session and to frame f, which is not on the frame stack. */
void vm_string_feed_one(cfgate_session *s, vm_frame *f, const unsigned char *bytes, size_t n,
                        int hashing) {
  feed_session(s, bytes, n, hashing);
  feed_frame(s, f, bytes, n);
  s->string_bytes += n;
}

/* Returns 1 when frame f, fed a whole string, meets its node's pattern,
 * length and enum keywords. The node has no format to assert and no
 * coercion (vm_string_fast_begin checks that). */
int vm_string_passes(const cfgate_session *s, vm_frame *f) {
  const cfgate_ir_node *n = f->def;
  if (n->pattern != CFGATE_IR_NONE &&
      cfgate_re_end(&s->validator->patterns[n->pattern], s->arena + f->pattern_state) != 1)
    return 0;
  if (n->min_length != CFGATE_IR_NONE && s->string_code_points < n->min_length)
    return 0;
  if (n->max_length != CFGATE_IR_NONE && s->string_code_points > n->max_length)
    return 0;
  return !(n->flags & CFGATE_IR_HAS_ENUM) || string_in_enum(s, n, f);
}

static int pattern_result(cfgate_session *s, vm_frame *f, const cfgate_re *re) {
  if (f->pattern_state != CFGATE_IR_NONE)
    return cfgate_re_end(re, s->arena + f->pattern_state);
  if (s->string_overflow) {
    vm_limit(s, "string too long for a pattern check (limit is %u bytes)",
             s->options.limits.max_string);
    return -1;
  }
  return cfgate_re_match(re, s->scratch, s->placeholder_values, (const unsigned char *)s->string,
                         s->string_len);
}

/* Returns the text of pattern index, kept by the builder in an entry of
 * pattern_props[] that belongs to no node, or "" when absent. */
static const char *pattern_text(const cfgate_session *s, uint32_t pattern) {
  for (uint32_t i = s->validator->pattern_prop_count; i-- > 0;)
    if (s->validator->pattern_props[i].pattern == pattern)
      return vm_text(s, s->validator->pattern_props[i].text);
  return "";
}

#define VM_SIMPLIFY_PATTERN \
  "simplify the pattern, for example by removing nested or overlapping repetitions such as (a|aa)*"

/* Fails the session because matching pattern on a value failed closed in
 * state, naming the limit that was reached and what to change. where is ""
 * for a string value, or " on a property name". */
void vm_pattern_limit(cfgate_session *s, const cfgate_re *re, const void *state, const char *pattern,
                      const char *where) {
  switch (cfgate_re_failure_reason(state)) {
  case CFGATE_RE_FAILURE_STEPS:
    vm_limit(s, "too many matching steps for pattern \"%s\"%s (limit is %u per byte of the value); "
             VM_SIMPLIFY_PATTERN, pattern, where, re->step_limit_per_byte);
    return;
  case CFGATE_RE_FAILURE_STACK:
    vm_limit(s, "too many backtracking entries for pattern \"%s\"%s (limit is %u); "
             VM_SIMPLIFY_PATTERN, pattern, where, re->stack_limit);
    return;
  case CFGATE_RE_FAILURE_LENGTH:
    vm_limit(s, "value too long for pattern \"%s\"%s (limit is %u bytes); shorten the value "
             "or simplify the pattern", pattern, where, re->buffer_limit);
    return;
  case CFGATE_RE_FAILURE_PLACEHOLDER:
    vm_limit(s, "pattern \"%s\"%s has a placeholder without a value", pattern, where);
    return;
  case CFGATE_RE_FAILURE_INVALID:
  case CFGATE_RE_FAILURE_NONE:
    break;
  }
  vm_limit(s, "pattern \"%s\"%s could not be matched: the value is not valid UTF-8 or the "
           "compiled pattern is invalid", pattern, where);
}

static void check_pattern(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n) {
  const cfgate_re *re = &s->validator->patterns[n->pattern];
  vm_frame *f = &s->frames[frame];
  int r = pattern_result(s, f, re);
  char preview[CFGATE_PREVIEW_SIZE + 8];

  if (r < 0 && !s->failed) {
    const void *state = f->pattern_state != CFGATE_IR_NONE ? s->arena + f->pattern_state : s->scratch;
    vm_pattern_limit(s, re, state, pattern_text(s, n->pattern), "");
  }
  if (r == 0) {
    char bound[CFGATE_ERROR_MESSAGE_SIZE];
    vm_preview(s, preview, sizeof preview);
    vm_bound_placeholders(s, pattern_text(s, n->pattern), bound, sizeof bound);
    vm_fail(s, frame, "pattern", "%s does not match the pattern \"%s\"%s", preview,
            pattern_text(s, n->pattern), bound);
  }
}

static void check_length(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n) {
  uint32_t length = s->string_code_points;
  int too_short = n->min_length != CFGATE_IR_NONE && length < n->min_length;
  int too_long = n->max_length != CFGATE_IR_NONE && length > n->max_length;
  if (!too_short && !too_long)
    return;

  char preview[CFGATE_PREVIEW_SIZE + 8];
  vm_preview(s, preview, sizeof preview);
  if (too_short)
    vm_fail(s, frame, "minLength", "%s has %u character%s, fewer than the minimum %u", preview,
            length, vm_plural(length), n->min_length);
  else
    vm_fail(s, frame, "maxLength", "%s has %u character%s, more than the maximum %u", preview,
            length, vm_plural(length), n->max_length);
}

static int string_in_enum(const cfgate_session *s, const cfgate_ir_node *n, const vm_frame *f) {
  if (f->enum_lo < f->enum_hi &&
      s->bound_strings[n->enum_strings_first + f->enum_lo].len == s->string_bytes)
    return 1;
  for (uint32_t i = 0; i < n->enum_templates_count; i++)
    if (!((f->template_miss >> i) & 1) &&
        s->bound_strings[n->enum_templates_first + i].len == s->string_bytes)
      return 1;
  return 0;
}

static void check_enum(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n) {
  char preview[CFGATE_PREVIEW_SIZE + 8];
  if (string_in_enum(s, n, &s->frames[frame]))
    return;

  vm_preview(s, preview, sizeof preview);
  if (n->flags & CFGATE_IR_IS_CONST)
    vm_fail(s, frame, "const", "%s is not the required constant", preview);
  else
    vm_fail(s, frame, "enum", "%s is not one of the allowed values", preview);
}

static void check_format(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n) {
  if (s->string_overflow) {
    vm_limit(s, "string too long for a format check (limit is %u bytes)",
             s->options.limits.max_string);
    return;
  }
  int valid = vm_format_valid(n->format, s->string, s->string_len);
  if (valid < 0) {
    vm_limit(s, "format \"%s\" cannot be asserted by this runtime", vm_text(s, n->format_name));
    return;
  }
  if (!valid) {
    char preview[CFGATE_PREVIEW_SIZE + 8];
    vm_preview(s, preview, sizeof preview);
    vm_fail(s, frame, "format", "%s is not a valid %s", preview, vm_text(s, n->format_name));
  }
}

/* Parses the buffered string as a number into s->coerced_number. Returns 1
 * for a number, 2 for a string that is not one, and 3 for a number past the
 * exact-number limits (s->coerced_status records which). */
static int coerce_number(cfgate_session *s) {
  if (s->string_overflow)
    return 2;

  s->coerced_status = number_parse(s->string, s->string_len, &s->coerced_number);
  if (s->coerced_status == NUMBER_OK)
    return 1;
  return s->coerced_status == NUMBER_INVALID ? 2 : 3;
}

/* Returns the types a coerced frame reads its string as: its node's, or for
 * a branch without a type those of the nearest typed frame it belongs to. */
static uint32_t coerced_types(const cfgate_session *s, uint32_t frame) {
  const vm_frame *f = &s->frames[frame];
  while (!(f->def->flags & CFGATE_IR_HAS_TYPE) && f->parent != CFGATE_IR_NONE)
    f = &s->frames[f->parent];
  return f->def->types;
}

/* Reads the buffered string as the boolean or number it spells, for a frame
 * whose type excludes strings (CloudFormation coercion). */
static void finish_coerced(cfgate_session *s, uint32_t frame) {
  char preview[CFGATE_PREVIEW_SIZE + 8];
  int is_true = s->string_len == 4 && memcmp(s->string, "true", 4) == 0;
  int is_false = s->string_len == 5 && memcmp(s->string, "false", 5) == 0;
  uint32_t types = coerced_types(s, frame);

  if ((types & CFGATE_IR_TYPE_BOOLEAN) && (is_true || is_false)) {
    s->coerced_boolean = is_true ? 1 : 2;
    vm_check_scalar(s, frame, is_true ? CFGATE_IR_ENUM_TRUE : CFGATE_IR_ENUM_FALSE);
    return;
  }
  if (s->coerced_kind == 0)
    s->coerced_kind = coerce_number(s);
  if (s->coerced_kind == 3 && (types & (CFGATE_IR_TYPE_NUMBER | CFGATE_IR_TYPE_INTEGER))) {
    vm_preview(s, preview, sizeof preview);
    vm_limit(s, "%s: %s", number_status_message(s->coerced_status), preview);
    return;
  }
  int integer_ok = s->coerced_kind == 1 && number_is_integer(&s->coerced_number);
  if ((types & CFGATE_IR_TYPE_NUMBER && s->coerced_kind == 1) ||
      (types & CFGATE_IR_TYPE_INTEGER && integer_ok)) {
    vm_check_number(s, frame, &s->coerced_number, s->string, s->string_len);
    return;
  }

  char expected[64];
  vm_preview(s, preview, sizeof preview);
  vm_types_text(types, expected, sizeof expected);
  vm_fail(s, frame, "type", "expected %s, got string %s", expected, preview);
}

/* Fails frame for a string where its type excludes strings, quoting the
 * string's start. */
static void fail_wrong_type(cfgate_session *s, uint32_t frame, const cfgate_ir_node *n) {
  char preview[CFGATE_PREVIEW_SIZE + 8];
  char expected[64];

  vm_preview(s, preview, sizeof preview);
  vm_types_text(n->types, expected, sizeof expected);
  vm_fail(s, frame, "type", "expected %s, got string %s", expected, preview);
}

/* Runs the end-of-string checks of frame. */
void vm_string_finish_frame(cfgate_session *s, uint32_t frame) {
  const cfgate_ir_node *n = s->frames[frame].def;
  if (s->frames[frame].coerced == VM_STRING_WRONG_TYPE)
    fail_wrong_type(s, frame, n);
  else if (s->frames[frame].coerced) {
    finish_coerced(s, frame);
    return;
  }

  if (n->pattern != CFGATE_IR_NONE)
    check_pattern(s, frame, n);
  if (n->min_length != CFGATE_IR_NONE || n->max_length != CFGATE_IR_NONE)
    check_length(s, frame, n);
  if (asserts_format(s, n))
    check_format(s, frame, n);
  if (n->flags & CFGATE_IR_HAS_ENUM)
    check_enum(s, frame, n);
}
