/*
 * The table interpreter's event core. When a value begins, it pushes a level
 * and the value's frames. When a property name ends, every object frame
 * looks it up and runs patternProperties and propertyNames on it. When a
 * value ends, its frames finish in reverse order and the level is popped.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "lexer_internal.h"
#include "session.h"

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/* Returns nonzero when the eight bytes of x hold '~' or '/'. XOR turns
 * each byte equal to the searched one into zero, and the classic zero-byte
 * test finds it. */
static uint64_t word_needs_escape(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t a = x ^ (ones * '~'), b = x ^ (ones * '/');
  return ((a - ones) & ~a & highs) | ((b - ones) & ~b & highs);
}

#if defined(__SSE2__) && defined(__GNUC__)
/* Returns nonzero when one of the sixteen bytes of x is '~' or '/'. */
static int vector_needs_escape(__m128i x) {
  __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('~')), _mm_cmpeq_epi8(x, _mm_set1_epi8('/')));
  return _mm_movemask_epi8(hits);
}

/* Copies token[0..len), len >= 8, to out with SSE2: up to 16 bytes as two
 * overlapping 8-byte words tested in one register, longer tokens 16 bytes
 * at a time, the last chunk overlapping. Returns 0, with the copy
 * incomplete, at a byte to escape. */
static int copy_plain_words(char *out, const char *token, size_t len) {
  if (len <= 16) {
    uint64_t head, tail;
    memcpy(&head, token, 8);
    memcpy(&tail, token + len - 8, 8);
    if (vector_needs_escape(_mm_set_epi64x((long long)tail, (long long)head)))
      return 0;
    memcpy(out, &head, 8);
    memcpy(out + len - 8, &tail, 8);
    return 1;
  }

  __m128i x;
  for (size_t i = 0; i + 16 < len; i += 16) {
    x = _mm_loadu_si128((const __m128i *)(const void *)(token + i));
    if (vector_needs_escape(x))
      return 0;
    _mm_storeu_si128((__m128i *)(void *)(out + i), x);
  }
  x = _mm_loadu_si128((const __m128i *)(const void *)(token + len - 16));
  if (vector_needs_escape(x))
    return 0;
  _mm_storeu_si128((__m128i *)(void *)(out + len - 16), x);
  return 1;
}
#else
/* Copies token[0..len), len >= 8, to out as 8-byte words, the last one
 * overlapping. Returns 0, with the copy incomplete, at a byte to escape. */
static int copy_plain_words(char *out, const char *token, size_t len) {
  uint64_t x;
  for (size_t i = 0; i + 8 < len; i += 8) {
    memcpy(&x, token + i, 8);
    if (word_needs_escape(x))
      return 0;
    memcpy(out + i, &x, 8);
  }
  memcpy(&x, token + len - 8, 8);
  if (word_needs_escape(x))
    return 0;
  memcpy(out + len - 8, &x, 8);
  return 1;
}
#endif

/* Copies token[0..len), 1 <= len < 8, to out as two overlapping 4-byte
 * words, or as its first, middle and last bytes below 4, without a call
 * of memcpy for a variable length. Returns 0 at a byte to escape. */
static int copy_plain_short(char *out, const char *token, size_t len) {
  if (len >= 4) {
    uint32_t head, tail;
    memcpy(&head, token, 4);
    memcpy(&tail, token + len - 4, 4);
    if (word_needs_escape(head | (uint64_t)tail << 32))
      return 0;
    memcpy(out, &head, 4);
    memcpy(out + len - 4, &tail, 4);
    return 1;
  }

  char first = token[0], middle = token[len / 2], last = token[len - 1];
  uint64_t x = (uint64_t)(unsigned char)first | (uint64_t)(unsigned char)middle << 8 |
               (uint64_t)(unsigned char)last << 16 | (uint64_t)(unsigned char)first << 24;
  if (word_needs_escape(x | x << 32))
    return 0;
  out[0] = first;
  out[len / 2] = middle;
  out[len - 1] = last;
  return 1;
}

/* Copies token[0..len) to out, checking for bytes to escape in the same
 * pass. Returns 0 when token contains one. */
static int copy_plain(char *out, const char *token, size_t len) {
  if (len >= 8)
    return copy_plain_words(out, token, len);
  return len == 0 || copy_plain_short(out, token, len);
}

/* Appends "/token" with '~' and '/' escaped, after copy_plain() found one.
 * It is not inlined, so path_append() saves fewer registers. */
static __attribute__((noinline)) void path_append_escaped(cfgate_session *s, const char *token, size_t len) {
  uint32_t max = s->options.limits.max_path;
  size_t need = 1 + len;
  for (size_t i = 0; i < len; i++)
    need += token[i] == '~' || token[i] == '/';
  if (s->path_len + need > max) {
    vm_limit(s, "instance path too long (limit is %u bytes)", max);
    return;
  }

  char *out = s->path + s->path_len;
  *out++ = '/';
  for (size_t i = 0; i < len; i++) {
    if (token[i] == '~' || token[i] == '/') {
      *out++ = '~';
      *out++ = token[i] == '~' ? '0' : '1';
    } else {
      *out++ = token[i];
    }
  }
  s->path_len += (uint32_t)need;
}

/* Appends "/token" to the instance path, escaping '~' and '/'. Escaping
 * only lengthens a token, so one that does not fit unescaped never fits. */
static void path_append(cfgate_session *s, const char *token, size_t len) {
  uint32_t max = s->options.limits.max_path;
  if (s->path_len + 1 + len > max) {
    vm_limit(s, "instance path too long (limit is %u bytes)", max);
    return;
  }

  char *out = s->path + s->path_len;
  if (!copy_plain(out + 1, token, len)) {
    path_append_escaped(s, token, len);
    return;
  }
  out[0] = '/';
  s->path_len += 1 + (uint32_t)len;
}

/* Appends "/index". Digits need no escaping. An index below 10, the most
 * common, is written without the digit loop. */
static void path_append_index(cfgate_session *s, uint32_t index) {
  if (index < 10 && s->path_len + 2 <= s->options.limits.max_path) {
    char *out = s->path + s->path_len;
    out[0] = '/';
    out[1] = (char)('0' + index);
    s->path_len += 2;
    return;
  }

  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + index % 10);
    index /= 10;
  } while (index);

  uint32_t max = s->options.limits.max_path;
  if (s->path_len + 1 + (uint32_t)n > max) {
    vm_limit(s, "instance path too long (limit is %u bytes)", max);
    return;
  }
  char *out = s->path + s->path_len;
  *out++ = '/';
  for (int i = 0; i < n; i++)
    out[i] = digits[n - 1 - i];
  s->path_len += 1 + (uint32_t)n;
}

/* Bytes an index takes in the instance path at most: '/' and 10 digits. */
#define VM_INDEX_SEGMENT_MAX 11

/* Bytes a property name takes in the instance path at most: '/' and each
 * byte escaped to two. */
static inline uint64_t key_segment_max(uint32_t len) {
  return 1 + 2 * (uint64_t)len;
}

/* Writes the deferred segments of the open objects and arrays, and sets the
 * path length of every level from path_levels up, so the path names the
 * innermost value except for its pending segment. path_room reserved their
 * maximum lengths, so none exceeds the limit. Afterwards path_room is exact. */
void vm_path_write_levels(cfgate_session *s) {
  int wrote = 0;
  for (uint32_t i = s->path_levels; i < s->depth; i++) {
    vm_level *level = &s->levels[i];
    /* Only objects and arrays defer. A scalar level is innermost. Its path
     * length changes only when segments below it are written now, because
     * otherwise its own segment may be written already. */
    if (level->type != CFGATE_IR_TYPE_OBJECT && level->type != CFGATE_IR_TYPE_ARRAY) {
      if (wrote)
        level->path_len = s->path_len;
      continue;
    }
    level->path_len = s->path_len;
    if (level[-1].type == CFGATE_IR_TYPE_ARRAY)
      path_append_index(s, level[-1].count);
    else
      path_append(s, level->path_key, level->path_key_len);
    wrote = 1;
  }
  s->path_levels = s->depth;
  if (wrote)
    s->member_path_len = s->path_len;
  s->path_room = s->options.limits.max_path - s->path_len;
}

/* Writes the deferred segments and the pending segment of the current
 * member or item to the path. */
void vm_path_complete(cfgate_session *s) {
  if (s->path_levels < s->depth)
    vm_path_write_levels(s);
  int pending = s->path_pending;
  if (pending == VM_PATH_DONE)
    return;
  s->path_pending = VM_PATH_DONE;
  if (pending == VM_PATH_KEY)
    path_append(s, s->key_text, s->key_len);
  else
    path_append_index(s, s->pending_index);
  s->path_room = s->options.limits.max_path - s->path_len;
}

/* Starts the path segment of item index: it stays pending, unless appending
 * it could exceed the path limit, which is then reported when the item
 * begins. Returns 1 when the segment stays pending, so an object or array
 * item can defer it (see path_deferrable()). */
static int path_begin_item(cfgate_session *s, uint32_t index) {
  if (VM_INDEX_SEGMENT_MAX > s->path_room) {
    vm_path_write_levels(s);
    if (VM_INDEX_SEGMENT_MAX > s->path_room) {
      s->member_path_len = s->path_len;
      path_append_index(s, index);
      s->path_room = s->options.limits.max_path - s->path_len;
      return 0;
    }
  }
  s->member_path_len = s->path_len;
  s->path_pending = VM_PATH_INDEX;
  s->pending_index = index;
  return 1;
}

/* Returns the maximum length of the pending segment of the object or array
 * member that begins now when the segment can stay deferred while the value
 * is open, else 0. An index can too, which vm_value_begin() takes from
 * path_begin_item(). A property name can when it is read from the input,
 * which stays until the lexer pass ends. A name copied to key[] is
 * overwritten by the value's own first name. path_begin_item() and
 * path_begin_key() leave a segment pending only when path_room has room
 * for its maximum length. */
static inline uint32_t path_deferrable(const cfgate_session *s) {
  if (s->path_pending == VM_PATH_KEY && s->key_text != s->key)
    return (uint32_t)key_segment_max(s->key_len);
  return 0;
}

/* Moves the pending segment, the property name key_text[0..key_len), to
 * the level of the object or array that just began. Below an array the
 * segment is read again from the parent's item count, which stays the same
 * while the item is open, so the name fields are read only below an object. */
static inline void path_defer(cfgate_session *s, vm_level *level, uint32_t max_bytes,
                              const char *key_text, uint32_t key_len) {
  level->path_key = key_text;
  level->path_key_len = key_len;
  s->path_room -= max_bytes;
  s->path_pending = VM_PATH_DONE;
  if (s->path_levels > s->depth - 1)
    s->path_levels = s->depth - 1;
}

/* Records where the value that begins now starts in the JSON text: the
 * lexer has just consumed its first token of s->token_len ASCII bytes.
 * Value events have no position, so record() and limit_depth() do not
 * read what this stores under them. That saves a test on every value. */
static void level_position(cfgate_session *s, vm_level *level) {
  level->offset = s->lexer.offset - s->token_len;
  level->line = s->lexer.line;
  level->column = lexer_column(&s->lexer) - s->token_len;
}

/* Records where the property name that begins now starts (after its quote).
 * Its line and column are derived only when a message needs them. */
void vm_key_position(cfgate_session *s) {
  s->key_offset = s->lexer.offset - 1;
  s->key_continuations = s->lexer.line_continuations;
}

/* Derives the position of the current property name while the lexer is at
 * its end. A name contains no line break, so the lexer is on the name's line.
 * Key events have no position, so they give zeros. */
static void key_position(const cfgate_session *s, uint64_t *offset, uint32_t *line,
                         uint32_t *column) {
  if (s->used_events) {
    *offset = 0;
    *line = *column = 0;
    return;
  }
  *offset = s->key_offset;
  *line = s->lexer.line;
  *column = (uint32_t)(s->key_offset - s->lexer.line_start - s->key_continuations + 1);
}

/* Moves the last error to the current property name, for a limit that
 * the name itself exceeds. Errors of a level otherwise take its parent's
 * position, because the name has no level of its own. */
void vm_error_at_key(cfgate_session *s) {
  if (s->error_count == 0)
    return;
  cfgate_error *e = &s->errors[s->error_count - 1];
  key_position(s, &e->offset, &e->line, &e->column);
}

/* Reports the depth limit where the value that begins now starts, since
 * that value gets no level that record() could take the position from. */
static __attribute__((noinline, cold)) void limit_depth(cfgate_session *s) {
  /* vm_limit() records nothing after an earlier limit, and that error
   * keeps its own position. */
  if (s->decided && s->failed)
    return;
  vm_limit(s, "nesting too deep (limit is %u)", s->options.limits.max_depth);

  if (s->used_events)
    return;
  vm_level start;
  level_position(s, &start);
  cfgate_error *e = &s->errors[s->error_count - 1];
  e->offset = start.offset;
  e->line = start.line;
  e->column = start.column;
}

static inline vm_level *level_push(cfgate_session *s, uint32_t type, uint32_t path_len,
                                   uint32_t path_room) {
  if (s->depth >= s->options.limits.max_depth) {
    limit_depth(s);
    return NULL;
  }

  /* Only the fields every value reads are set here. The hash, key and
   * duplicate fields are written before they are read, and the position
   * by the caller (level_position, or the property name's position). */
  vm_level *level = &s->levels[s->depth++];
  level->first_frame = s->frame_top;
  level->arena_mark = s->arena_top;
  level->path_len = path_len;
  level->path_room = path_room;
  level->type = type;
  level->count = 0;
  level->unique = CFGATE_IR_NONE;
  level->unique_count = 0;
  level->duplicate = 0;
  level->unique_unknown = 0;
  level->hashing = 0;
  level->property_names = 0;
  level->needs_unique = 0;
  level->hashes_values = 0;
  level->hash = 0;
  level->names_first = s->name_count;
  level->names_filter = 0;
  return level;
}

/* Spawns the children of the parent's frames for the value that begins now.
 * The parent's type and item count are read once, because GCC would read
 * them again after every call. */
static void spawn_children(cfgate_session *s, const vm_level *parent, uint32_t parent_end) {
  uint32_t first = parent->first_frame;
  if (parent->type == CFGATE_IR_TYPE_OBJECT) {
    for (uint32_t f = first; f < parent_end && !s->decided; f++)
      vm_spawn_member(s, f);
    return;
  }
  uint32_t index = parent->count;
  for (uint32_t f = first; f < parent_end && !s->decided; f++)
    vm_spawn_item(s, f, index);
}

/* Opens the uniqueItems table that a frame of the value that just began
 * requested while it was pushed. */
static inline void open_unique(cfgate_session *s, vm_level *level) {
  if (level->needs_unique && !s->decided) {
    level->unique = vm_unique_table_open(s);
    level->hashes_values = level->hashing || level->unique != CFGATE_IR_NONE;
  }
}

/* Starts the top-level value, which the validator's root schema applies to.
 * It is kept out of line so the nested values test for no parent. */
static __attribute__((noinline)) int root_value_begin(cfgate_session *s, uint32_t type) {
  if (s->root_done) {
    vm_limit(s, "more than one top-level value");
    return 1;
  }
  if (type == CFGATE_IR_TYPE_OBJECT || type == CFGATE_IR_TYPE_ARRAY)
    vm_path_complete(s);

  vm_level *level = level_push(s, type, s->path_len, s->path_room);
  if (!level)
    return 1;
  if (type == CFGATE_IR_TYPE_OBJECT || type == CFGATE_IR_TYPE_ARRAY)
    s->path_levels = s->depth;
  level_position(s, level);
  vm_frame_push(s, s->validator->root, CFGATE_IR_NONE, VM_ROLE_ROOT, 0, 0);
  open_unique(s, level);
  return s->decided;
}

/* Starts a value of the given type (a CFGATE_IR_TYPE_* bit or
 * VM_TYPE_UNKNOWN) at the current position. Returns nonzero once decided. */
int vm_value_begin(cfgate_session *s, uint32_t type) {
  if (s->decided)
    return 1;
  if (s->depth == 0)
    return root_value_begin(s, type);

  vm_level *parent = &s->levels[s->depth - 1];
  uint32_t path_room = s->path_room;
  int container = (type & (CFGATE_IR_TYPE_OBJECT | CFGATE_IR_TYPE_ARRAY)) != 0;
  uint32_t deferred = 0;
  if (parent->type == CFGATE_IR_TYPE_ARRAY) {
    if (path_begin_item(s, parent->count) && container)
      deferred = VM_INDEX_SEGMENT_MAX;
  } else if (container) {
    deferred = path_deferrable(s);
  }
  if (container && !deferred)
    vm_path_complete(s);

  uint32_t parent_end = s->frame_top;
  /* Read before level_push(), whose byte stores may alias them, so GCC
   * would read them again. */
  const char *key_text = s->key_text;
  uint32_t key_len = s->key_len;
  vm_level *level = level_push(s, type, s->member_path_len, path_room);
  if (!level)
    return 1;
  if (deferred)
    path_defer(s, level, deferred, key_text, key_len);
  else if (container)
    s->path_levels = s->depth;
  level_position(s, level);
  level->hashing = parent->hashes_values;
  level->hashes_values = level->hashing;

  spawn_children(s, parent, parent_end);
  open_unique(s, level);
  return s->decided;
}

/* Finishes the frames of the innermost value and pops its level. counted is
 * 0 for a property name checked by propertyNames, which is not an item. */
static inline int level_pop(cfgate_session *s, int counted) {
  vm_level *level = &s->levels[s->depth - 1];
  for (uint32_t i = s->frame_top; i-- > level->first_frame && !s->decided;)
    vm_frame_finish(s, i);
  /* hashes_values is set exactly when hashing is set or a uniqueItems
   * table is open, so a value outside uniqueItems arrays tests one byte. */
  if (level->hashes_values) {
    if (counted && level->hashing && !s->decided)
      vm_hash_value_end(s);
    if (level->unique != CFGATE_IR_NONE)
      s->unique_open--;
  }
  s->frame_top = level->first_frame;
  s->name_count = level->names_first;
  s->arena_top = level->arena_mark;
  s->path_len = level->path_len;
  s->path_room = level->path_room;
  s->path_pending = VM_PATH_DONE;
  s->depth--;
  if (s->depth == 0 && counted)
    s->root_done = 1;
  else if (counted && level[-1].type == CFGATE_IR_TYPE_ARRAY)
    vm_count_one(&level[-1].count);
  return s->decided;
}

int vm_value_end(cfgate_session *s) {
  if (s->decided)
    return 1;
  return level_pop(s, 1);
}

/* Finds key in node's names: only the names in the bucket of its hash can
 * have that hash (see CFGATE_IR_NAME_BUCKET_BITS_MAX). Returns NULL when
 * key is not among them. */
static const cfgate_ir_name *name_lookup(const cfgate_session *s, const cfgate_validator *v,
                                         const cfgate_ir_node *n, uint64_t hash) {
  const uint32_t *bucket = v->lists + n->name_buckets_first + (hash >> n->name_bucket_shift);
  const cfgate_ir_name *end = v->names + bucket[1];

  for (const cfgate_ir_name *name = v->names + bucket[0]; name < end; name++)
    if (name->hash == hash && name->len == s->key_len &&
        vm_same_bytes(v->pool + name->text, s->key_text, s->key_len))
      return name;
  return NULL;
}

static uint64_t match_key_patterns(cfgate_session *s, const cfgate_ir_node *n) {
  uint64_t matched = 0;
  for (uint32_t i = 0; i < n->pattern_props_count; i++) {
    const cfgate_ir_pattern_prop *p = &s->validator->pattern_props[n->pattern_props_first + i];
    int r = cfgate_re_match(&s->validator->patterns[p->pattern], s->scratch, s->placeholder_values,
                            (const unsigned char *)s->key_text, s->key_len);
    if (r < 0)
      vm_pattern_limit(s, &s->validator->patterns[p->pattern], s->scratch, vm_text(s, p->text),
                       " on a property name");
    if (r > 0)
      matched |= (uint64_t)1 << i;
  }
  return matched;
}

static void key_frame(cfgate_session *s, const cfgate_validator *v, vm_frame *f, uint64_t hash) {
  const cfgate_ir_node *n = f->def;
  if (!(n->flags & CFGATE_IR_HAS_OBJECT) || (f->speculative && f->result == VM_FAIL)) {
    f->key_node = CFGATE_IR_NONE;
    f->key_patterns = 0;
    return;
  }

  const cfgate_ir_name *name = name_lookup(s, v, n, hash);
  f->key_node = name ? name->node : CFGATE_IR_NONE;
  if (name && name->bit != CFGATE_IR_NONE && f->seen != CFGATE_IR_NONE)
    s->arena[f->seen + name->bit / 8] |= (unsigned char)(1u << (name->bit % 8));
  if (n->pattern_props_count)
    f->key_patterns = match_key_patterns(s, n);
}

/* Checks the property name against the propertyNames schemas of the
 * object's frames, as a string value one level down. */
static void check_property_names(cfgate_session *s, uint32_t first, uint32_t end) {
  vm_path_complete(s);
  vm_string_reset(s);
  vm_level *level = level_push(s, CFGATE_IR_TYPE_STRING, s->path_len, s->path_room);
  if (!level) {
    vm_error_at_key(s);
    return;
  }
  key_position(s, &level->offset, &level->line, &level->column);
  for (uint32_t f = first; f < end && !s->decided; f++) {
    uint32_t node = s->frames[f].def->property_names;
    if (node != CFGATE_IR_NONE && !(s->frames[f].speculative && s->frames[f].result == VM_FAIL))
      vm_frame_push(s, node, f, VM_ROLE_CHILD, 0, s->frames[f].speculative);
  }
  vm_string_feed(s, (const unsigned char *)s->key_text, s->key_len);
  level_pop(s, 0);

  /* A branch frame may have failed on the name. vm_spawn_member() reads a
   * set key_node or key_patterns as a live frame, so clear them. */
  for (uint32_t f = first; f < end; f++) {
    if (s->frames[f].speculative && s->frames[f].result == VM_FAIL) {
      s->frames[f].key_node = CFGATE_IR_NONE;
      s->frames[f].key_patterns = 0;
    }
  }
}

/* Starts the path segment of the current key. It stays pending until a
 * finding needs it, unless appending it could exceed the path limit ('~'
 * and '/' take two bytes), which must be reported here. */
static void path_begin_key(cfgate_session *s) {
  if (key_segment_max(s->key_len) > s->path_room) {
    vm_path_write_levels(s);
    if (key_segment_max(s->key_len) > s->path_room) {
      path_append(s, s->key_text, s->key_len);
      s->path_room = s->options.limits.max_path - s->path_len;
      return;
    }
  }
  s->path_pending = VM_PATH_KEY;
}

/* Returns 1 when an earlier member of the innermost object has the name
 * whose hash is given, else remembers it and counts the member. One bit
 * per name in a 64-bit filter decides most names without reading the
 * list. Equal hashes count as equal names: a collision rejects the
 * document, which fails closed. The count needs no test for wrapping
 * around, because it never exceeds name_count, which max_members bounds. */
static int name_repeated(cfgate_session *s, vm_level *level, uint64_t hash) {
  /* The low six bits pick the filter bit, because x86-64 takes a shift
   * count mod 64 and so needs no instruction to extract them. */
  uint64_t bit = 1ull << (hash & 63);
  if (level->names_filter & bit) {
    for (uint32_t i = level->names_first; i < s->name_count; i++)
      if (s->names[i] == hash)
        return 1;
  }
  if (s->name_count >= s->options.limits.max_members) {
    vm_limit(s, "too many property names in the open objects (limit is %u)", s->options.limits.max_members);
    return 0;
  }

  level->names_filter |= bit;
  s->names[s->name_count++] = hash;
  level->count++;
  return 0;
}

/* A property name repeated in one object makes the text malformed: parsers
 * disagree on which member counts, so no verdict would be safe. */
static void report_repeated_name(cfgate_session *s) {
  char quoted[VM_NAME_QUOTE_SIZE], message[VM_NAME_QUOTE_SIZE + 32];
  vm_quote(s->key_text, s->key_len, s->key_len, quoted, sizeof quoted);
  snprintf(message, sizeof message, "duplicate property name %s", quoted);
  uint64_t offset;
  uint32_t line, column;

  key_position(s, &offset, &line, &column);
  ev_syntax_error(s, offset, line, column, message);
}

/* Ends a property name: counts the member, starts its instance path segment
 * and prepares every object frame for the member's value. */
int vm_key_end(cfgate_session *s) {
  if (s->decided)
    return 1;

  vm_level *level = &s->levels[s->depth - 1];
  uint64_t hash = cfgate_ir_hash(s->key_text, s->key_len);
  if (name_repeated(s, level, hash)) {
    report_repeated_name(s);
    return 1;
  }
  level->key_hash = hash;
  s->member_path_len = s->path_len;
  path_begin_key(s);

  uint32_t end = s->frame_top;
  vm_frame *frame = s->frames + level->first_frame;
  /* Read once: the presence bit store of key_frame() writes a byte, which
   * may alias s->validator, so a read inside the loop is repeated per frame. */
  const cfgate_validator *v = s->validator;
  for (uint32_t left = end - level->first_frame; left && !s->decided; left--)
    key_frame(s, v, frame++, hash);
  if (!s->decided && level->property_names)
    check_property_names(s, level->first_frame, end);
  return s->decided;
}
