/*
 * Session internals shared by the interpreter files (vm*.c, session*.c,
 * errors.c). A session is one struct at the start of the caller's workspace
 * followed by fixed-size regions, all sized at cfgate_session_init() from the
 * validator, the limits and the placeholder values.
 *
 * Interpreter model: each open JSON value is a level. A level contains the
 * frames applied to that value: one frame per schema node, including every
 * allOf/anyOf/oneOf/not/if/then/else branch, pushed in depth-first order so
 * a frame's applicator children follow it. When the value ends, the frames
 * are finished in reverse order, so children report to their parent before
 * the parent combines their results.
 */
#ifndef CFGATE_SESSION_H
#define CFGATE_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cfgate.h"
#include "cfgate_ir.h"
#include "lexer.h"
#include "number.h"

/* Default limits (cfgate_options_default). */
#define CFGATE_DEFAULT_MAX_DEPTH 64
#define CFGATE_DEFAULT_MAX_PATH 1024
#define CFGATE_DEFAULT_MAX_UNIQUE 4096
#define CFGATE_DEFAULT_MAX_STRING 16384
#define CFGATE_DEFAULT_MAX_ERRORS 64
#define CFGATE_DEFAULT_MAX_FRAMES 1024
#define CFGATE_DEFAULT_MAX_MEMBERS 16384

/* Bytes of each error's schema path and message; longer text is cut. */
#define CFGATE_ERROR_SCHEMA_PATH_SIZE 512
#define CFGATE_ERROR_MESSAGE_SIZE 384
/* Bytes of a string value quoted in messages; longer values end in "...". */
#define CFGATE_PREVIEW_SIZE 48
/* Buffer for a property name quoted in messages: 64 bytes of the name,
 * escapes included, then "..." and the quotes. */
#define VM_NAME_QUOTE_SIZE (64 + sizeof "\"...\"")

/* Three-valued results: a value unknown offline makes a check unknown. */
enum { VM_OK = 0, VM_FAIL = 1, VM_UNKNOWN = 2 };

/* Role of a frame: the way its result reaches its parent frame. */
enum vm_role {
  VM_ROLE_ROOT,           /* the document's root schema */
  VM_ROLE_CHILD,          /* a property value, an item or a property name: ANDed into the parent */
  VM_ROLE_CONTAINS,       /* an item checked against "contains": counted by the parent */
  VM_ROLE_ALL_OF,         /* same value, ANDed */
  VM_ROLE_ANY_OF,         /* same value, counted */
  VM_ROLE_ONE_OF,         /* same value, counted */
  VM_ROLE_NOT,            /* same value, inverted */
  VM_ROLE_IF,
  VM_ROLE_THEN,
  VM_ROLE_ELSE,
  VM_ROLE_DEPENDENCY,     /* same object, applies when the trigger property is present */
  VM_ROLE_ENUM            /* same value, an object or array member of an enum */
};

/* vm_frame.coerced for a string whose type fails outside a branch. */
#define VM_STRING_WRONG_TYPE 2

/* The JSON type of the value a level holds: a CFGATE_IR_TYPE_* bit, or
 * VM_TYPE_UNKNOWN for a value unknown offline. */
#define VM_TYPE_UNKNOWN 0x80u

typedef struct vm_frame {
  const cfgate_ir_node *def; /* &validator->nodes[node], read on every event */
  uint32_t node;
  uint32_t parent;         /* frame index, or CFGATE_IR_NONE for the root */
  uint8_t role;            /* enum vm_role */
  uint8_t result;          /* VM_OK / VM_FAIL / VM_UNKNOWN so far */
  uint8_t speculative;     /* 1: a failure is a branch result, not an error to report */
  uint8_t coerced;         /* 1: a string is checked as the number or boolean it spells;
                              VM_STRING_WRONG_TYPE: a string where the type excludes it,
                              reported at its end so the message can quote it */
  uint32_t role_index;     /* dependency index for VM_ROLE_DEPENDENCY */

  /* applicator results reported by children on the same value, each
   * counted up to 2. Only nodes with applicators, enum members or object
   * keywords read them, so only their frames clear them. */
  struct {
    uint16_t any_ok, any_unknown;
    uint16_t one_ok, one_unknown;
    uint8_t not_result, if_result, then_result, else_result;
    uint8_t enum_node_ok, enum_node_unknown;
    uint8_t dependency_unknown;
    uint8_t pad;
  } tally;

  /* The fields below are set by vm_frame_begin_type() for the type of
   * the value, and read only for that type. */

  /* object: presence bits and the current member */
  uint32_t seen;           /* arena offset of tracked_count presence bits */
  uint32_t key_node;       /* "properties" schema of the current key, or NONE */
  uint64_t key_patterns;   /* bit i: patternProperties entry i matches the current key.
                              Cleared when the object begins and set per key only for a
                              node with patternProperties, so other nodes keep 0. */

  /* array: "contains" results, counted up to 2 */
  uint32_t contains_ok, contains_unknown;

  /* string: enum range still matching, templates ruled out, pattern state */
  uint32_t enum_lo, enum_hi;
  uint64_t template_miss;
  uint32_t pattern_state;  /* arena offset of a streaming DFA state, or NONE */
  /* Padding to 128 bytes makes a frame's offset its index shifted left
   * by 7. At 96 bytes each access to a frame took a lea and a shift, and
   * at 88 bytes (11 times 8) two lea instructions and a shift. */
  uint8_t pad[40];
} vm_frame;

_Static_assert(sizeof(vm_frame) == 128, "a vm_frame is 128 bytes");

typedef struct vm_level {
  uint32_t first_frame;    /* frames of this value start here */
  uint32_t arena_mark;     /* arena top when the value began */
  uint32_t path_len;       /* instance path length before this value's segment, once written */
  uint32_t path_room;      /* s->path_room before this value's segment */
  uint32_t type;           /* CFGATE_IR_TYPE_* bit or VM_TYPE_UNKNOWN */
  uint32_t count;          /* members or items so far */
  uint32_t unique;         /* arena offset of the uniqueItems hash table, or NONE */
  uint32_t unique_count;
  uint8_t duplicate;       /* 1: two items hashed equal */
  uint8_t unique_unknown;  /* 1: an item was unknown, so uniqueness is unknown */
  uint8_t hashing;         /* 1: this value is inside an array that checks uniqueItems */
  uint8_t property_names;  /* 1: a frame of this object checks propertyNames */
  uint8_t needs_unique;   /* 1: a frame of this array checks uniqueItems */
  uint8_t hashes_values;   /* 1: the values inside this one are hashed (hashing, or unique is set) */
  uint64_t hash;           /* canonical hash of the value so far */
  uint64_t key_hash;       /* hash of the current member's key */
  uint32_t duplicate_of, duplicate_at; /* item indexes of the first equal pair */
  uint32_t names_first;    /* this object's property name hashes start here in names[] */
  uint64_t names_filter;   /* bit (hash >> 58) of each of its property names */
  uint64_t offset;         /* where the value starts in JSON text, 0 for value events */
  uint32_t line, column;   /* 1-based, 0 for value events */
  const char *path_key;    /* the property name of a deferred segment, in the input */
  uint32_t path_key_len;
  /* Padding to 128 bytes makes a level's address its index shifted left
   * by 7. At 96 bytes, each access to a level took a multiply by 3 and a shift. */
  uint8_t pad[20];
} vm_level;

_Static_assert(sizeof(vm_level) == 128, "a vm_level is 128 bytes");

struct cfgate_session {
  const cfgate_validator *validator;
  cfgate_options options;
  cfgate_lexer lexer;

  /* bound per session at init */
  cfgate_str *placeholder_values; /* [validator->placeholder_count] */
  cfgate_number *numbers;         /* [validator->number_count], parsed from the pool */
  cfgate_str *bound_strings;      /* [validator->string_count]: bytes of each enum string */

  /* document state */
  vm_level *levels;               /* [max_depth + 1] */
  uint32_t depth;                 /* open levels */
  vm_frame *frames;               /* [max_frames] */
  uint32_t frame_top;
  unsigned char *arena;           /* presence bits, DFA states, uniqueness tables */
  uint32_t arena_top, arena_size;
  char *path;                     /* instance JSON pointer, [max_path + 1]. A name may contain
                                     NUL, so it is read by path_len and not NUL-terminated */
  uint32_t path_len;
  uint32_t member_path_len;       /* path length before the current member's name or index */
  uint32_t path_room;             /* at most the bytes that max_path leaves after path_len
                                     and the maximum lengths of the deferred segments */
  uint32_t path_levels;           /* the open levels below this one have their segments
                                     written; it may exceed depth after a pop */
  uint8_t path_pending;           /* VM_PATH_*: a segment not yet written to path */
  uint32_t pending_index;         /* the item index of a pending VM_PATH_INDEX segment */
  char *key;                      /* current property name when copied, [max_string] */
  const char *key_text;           /* current property name: key, or the input bytes of
                                     the lexer pass that is running (ev_key_text) */
  uint64_t *names;                /* hashes of the property names of the open objects, [max_members] */
  uint32_t name_count;
  uint32_t key_len;
  char *string;                   /* current string when a check needs all of it, [max_string] */
  /* vm_string_reset() clears the fields from string_len to coerced_boolean,
   * which sit together so the compiler can merge the stores. */
  uint32_t string_len;
  uint8_t string_buffered;        /* 1: the current string is being kept in string[] */
  uint8_t string_overflow;        /* 1: the current string did not fit */
  uint8_t string_counted;         /* 1: a frame checks the current string's length */
  uint8_t string_fast;            /* VM_FAST_*: how the current string is checked */
  uint64_t string_bytes;          /* byte length of the current string so far */
  uint64_t string_hash;           /* canonical hash of the current string's whole words so far */
  uint64_t string_hash_word;      /* its last bytes, fewer than 8, little-endian */
  uint32_t string_hash_bytes;     /* how many bytes string_hash_word contains */
  uint32_t string_code_points;    /* code points of the current string so far */
  uint32_t preview_len;
  int coerced_kind;               /* current string as a number: 0 not parsed, 1 valid, 2 invalid,
                                     3 past the number limits */
  int coerced_boolean;            /* current string read as a boolean: 0 no, 1 true, 2 false */
  uint8_t root_done;              /* 1 after the top-level value ended */
  uint8_t expect_value;           /* 1 between a member's key and its value. Only the value
                                     event API sets and reads it, because the lexer's grammar
                                     already orders keys and values */
  uint8_t used_events;            /* 1: driven by cfgate_event_*, not by cfgate_feed */
  uint8_t unknown_string;         /* 1: the unknown value being begun is a string */
  uint32_t token_len;             /* bytes of the token that starts the next value, read
                                     by level_position(). A fast-path string leaves it unset */
  uint64_t key_offset;            /* where the current property name starts */
  uint32_t key_continuations;     /* the lexer's line_continuations at key_offset */
  char preview[CFGATE_PREVIEW_SIZE + 1];
  const char *preview_text;       /* the current string's first bytes for messages: preview, or
                                     the input bytes of the lexer pass that is running */
  size_t unique_table_size;       /* bytes of one uniqueItems table */
  uint32_t unique_tables;         /* uniqueItems tables the arena has room for */
  uint32_t unique_open;           /* uniqueItems tables of the open arrays */
  uint32_t unique_capacity;       /* slots of a uniqueItems table's index */
  void *scratch;                  /* pattern state for whole-string matches */
  size_t scratch_size;
  const cfgate_number *number;    /* current number value */
  const char *number_text;
  size_t number_len;
  cfgate_number event_number;     /* number parsed for cfgate_event_number */
  cfgate_number coerced_number;   /* the current string read as a number (coercion) */
  int coerced_status;             /* number_status of the last parse, for kind 3 */
  int boolean_value;              /* current boolean value */

  /* a string on the fast path (vm_fast.c) */
  uint8_t *string_nodes;          /* [validator->node_count]: VM_STRING_NODE_* of each node */
  vm_frame fast_frame;            /* its one constrained schema, off the frame stack */
  uint32_t fast_arena_mark;       /* arena top before fast_frame's pattern state */
  uint64_t fast_offset;           /* where the string starts, for a replay */
  uint32_t fast_continuations;    /* the lexer's line_continuations at fast_offset */

  /* findings */
  cfgate_error *errors;           /* [max_errors] */
  char *error_text;               /* [max_errors] slots of error_text_size bytes */
  size_t error_text_size;
  uint32_t error_count;
  uint32_t errors_omitted;        /* findings past max_errors, not kept; saturates */
  uint8_t root_result;            /* VM_OK / VM_FAIL / VM_UNKNOWN of the root frame */
  uint8_t decided;                /* 1: the verdict is final, ignore further events */
  uint8_t malformed;
  uint8_t failed;                 /* a limit was exceeded */
  uint8_t invalid;                /* an error of the document was recorded */
  uint8_t finished;               /* 1 after cfgate_finish(), until the next reset */
  uint8_t used_text;              /* 1: cfgate_feed was called for this document. It sits in
                                     the padding at the end, so no other field moves */
};

/* workspace layout (session_layout.c) */
typedef struct vm_layout {
  size_t levels, frames, arena, path, key, names, string, scratch, numbers, placeholders, strings,
      string_nodes, errors, error_text, total;
  size_t arena_size, scratch_size, error_text_size, placeholder_bytes, string_bytes;
  uint32_t unique_tables;
} vm_layout;
int vm_layout_compute(const cfgate_validator *v, const cfgate_options *options,
                      const cfgate_context *context, vm_layout *layout);
const cfgate_str *vm_context_find(const cfgate_context *context, const char *name);

/* The instance path segment of the current member or item is written only
 * when a finding needs it (vm_path_complete). An object or array value
 * keeps its own segment deferred too, as its property name in the input or
 * as the parent's item count, until a finding or the end of a lexer pass. */
enum { VM_PATH_DONE = 0, VM_PATH_KEY = 1, VM_PATH_INDEX = 2 };

/* value events (vm.c) */
void vm_path_complete(cfgate_session *s);
void vm_error_at_key(cfgate_session *s);
void vm_path_write_levels(cfgate_session *s);
int vm_value_begin(cfgate_session *s, uint32_t type);
int vm_value_end(cfgate_session *s);
int vm_key_end(cfgate_session *s);
void vm_key_position(cfgate_session *s);

/* scalar fast path (vm_fast.c) */
enum {
  VM_FAST_NONE = 0,   /* the string has a level and frames */
  VM_FAST_PASSED = 1, /* every schema of the string passed when it began, and no check
                         reads its bytes */
  VM_FAST_CHECKING = 2, /* one schema checks the string in fast_frame */
  VM_FAST_HASHED = 3  /* like VM_FAST_PASSED, but an enclosing uniqueItems check hashes
                         its bytes */
};
/* How the fast path treats a string that a node applies to. It depends
 * only on the node and the options, so it is worked out once per session. */
enum {
  VM_STRING_NODE_PASSES = 0, /* the node passes any string */
  VM_STRING_NODE_CHECKS = 1, /* fast_frame can check the string against the node */
  VM_STRING_NODE_FULL = 2    /* the string needs the full path */
};
void vm_string_nodes_classify(cfgate_session *s);
int vm_scalar_fast(cfgate_session *s, uint32_t type);
int vm_scalar_fast_end_hashed(cfgate_session *s, uint32_t type);
int vm_string_fast_begin(cfgate_session *s);
void vm_string_fast_chunk(cfgate_session *s, const unsigned char *bytes, size_t n);
int vm_string_fast_end(cfgate_session *s);

/* frames (vm_frame.c) */
void vm_frame_push(cfgate_session *s, uint32_t node, uint32_t parent, int role, uint32_t role_index,
                   int speculative);
void vm_report(cfgate_session *s, uint32_t parent, int role, uint32_t role_index, int result);
int vm_combine(int a, int b);
int vm_invert(int result);
void vm_spawn_member(cfgate_session *s, uint32_t parent_frame);
void vm_spawn_item(cfgate_session *s, uint32_t parent_frame, uint32_t index);
uint32_t vm_arena_alloc(cfgate_session *s, size_t size);
uint32_t vm_arena_reserve(cfgate_session *s, size_t size);

/* per-type checks (vm_check.c, vm_string.c) */
void vm_frame_finish(cfgate_session *s, uint32_t frame);
void vm_frame_begin_type(cfgate_session *s, uint32_t frame, vm_frame *f, const cfgate_ir_node *n,
                         uint32_t type);
void vm_string_reset(cfgate_session *s);
void vm_string_own_preview(cfgate_session *s);
void vm_string_feed(cfgate_session *s, const unsigned char *bytes, size_t n);
void vm_string_hash(cfgate_session *s, const unsigned char *bytes, size_t n);
uint64_t vm_string_hash_value(const cfgate_session *s);
void vm_string_feed_one(cfgate_session *s, vm_frame *f, const unsigned char *bytes, size_t n,
                        int hashing);
int vm_string_passes(const cfgate_session *s, vm_frame *f);
void vm_string_begin_frame(cfgate_session *s, uint32_t frame);
void vm_string_finish_frame(cfgate_session *s, uint32_t frame);
int vm_type_allowed(const cfgate_session *s, uint32_t types, uint32_t type);
int vm_number_passes(const cfgate_session *s, const cfgate_ir_node *n, const cfgate_number *v);
void vm_check_number(cfgate_session *s, uint32_t frame, const cfgate_number *n, const char *text,
                     size_t len);
void vm_check_scalar(cfgate_session *s, uint32_t frame, uint32_t enum_bit);
int vm_format_valid(uint32_t format, const char *text, size_t len);

/* uniqueItems hashing (vm_unique.c) */
void vm_hash_value_end(cfgate_session *s);
void vm_hash_scalar_end(cfgate_session *s, uint32_t type);
size_t vm_unique_table_size(uint32_t max_unique);
uint32_t vm_unique_capacity(uint32_t max_unique);
uint32_t vm_unique_table_open(cfgate_session *s);

/* Returns "s" unless count is 1, for plural nouns in messages. */
static inline const char *vm_plural(uint32_t count) {
  return count == 1 ? "" : "s";
}

/* findings (errors.c) */
void vm_fail(cfgate_session *s, uint32_t frame, const char *keyword, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
void vm_fail_at(cfgate_session *s, uint32_t frame, const char *keyword, int unverified,
                const char *format, ...) __attribute__((format(printf, 5, 6)));
void vm_limit(cfgate_session *s, const char *format, ...) __attribute__((format(printf, 2, 3)));
void vm_pattern_limit(cfgate_session *s, const cfgate_re *re, const void *state, const char *pattern,
                      const char *where);
void vm_unverified(cfgate_session *s, uint32_t frame, const char *keyword);
void vm_malformed(cfgate_session *s, const char *message);
const char *vm_type_name(uint32_t type);
void vm_types_text(uint32_t types, char *out, size_t size);
void vm_quote(const char *bytes, size_t len, uint64_t total, char *out, size_t size);
void vm_preview(const cfgate_session *s, char *out, size_t size);
void vm_number_preview(const char *text, size_t len, char *out, size_t size);
void vm_bound_placeholders(const cfgate_session *s, const char *text, char *out, size_t size);

/* Adds one to a member, item or code point count, stopping at UINT32_MAX:
 * a saturated count still exceeds every maximum a schema can state, so a
 * huge value fails closed instead of wrapping around to a small count. */
static inline void vm_count_one(uint32_t *count) {
  /* Adds the comparison result, so GCC 12 emits setne and add, not a branch. */
  *count += *count != UINT32_MAX;
}

/* Returns 1 when a[0..n) equals b[0..n). An inline loop beats memcmp on
 * short property names and strings, and the last word overlaps bytes
 * already found equal. 8 to 16 bytes compare as two words without a loop. */
static inline int vm_same_bytes(const char *a, const char *b, size_t n) {
  uint64_t word_a, word_b;
  if (n >= 8 && n <= 16) {
    uint64_t tail_a, tail_b;
    memcpy(&word_a, a, 8);
    memcpy(&word_b, b, 8);
    memcpy(&tail_a, a + n - 8, 8);
    memcpy(&tail_b, b + n - 8, 8);
    return word_a == word_b && tail_a == tail_b;
  }
  if (n > 16) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      memcpy(&word_a, a + i, 8);
      memcpy(&word_b, b + i, 8);
      if (word_a != word_b)
        return 0;
    }
    memcpy(&word_a, a + n - 8, 8);
    memcpy(&word_b, b + n - 8, 8);
    return word_a == word_b;
  }

  if (n >= 4) {
    uint32_t head_a, head_b, tail_a, tail_b;
    memcpy(&head_a, a, 4);
    memcpy(&head_b, b, 4);
    memcpy(&tail_a, a + n - 4, 4);
    memcpy(&tail_b, b + n - 4, 4);
    return head_a == head_b && tail_a == tail_b;
  }
  for (; n > 0; n--)
    if (*a++ != *b++)
      return 0;
  return 1;
}

/* Ends a scalar that passed on the fast path as popping its level would.
 * Its hash goes to an enclosing uniqueItems check and an item is counted.
 * Returns nonzero once decided. It is inline, so the end of a scalar or a
 * string on the fast path makes no call in the common case. */
static inline int vm_scalar_fast_end(cfgate_session *s, uint32_t type) {
  vm_level *parent = &s->levels[s->depth - 1];
  if (parent->hashes_values)
    return vm_scalar_fast_end_hashed(s, type);
  if (parent->type == CFGATE_IR_TYPE_ARRAY)
    vm_count_one(&parent->count);
  return s->decided;
}

static inline const cfgate_ir_node *vm_node(const cfgate_session *s, uint32_t node) {
  return &s->validator->nodes[node];
}

static inline const char *vm_text(const cfgate_session *s, uint32_t offset) {
  return offset == CFGATE_IR_NONE ? "" : s->validator->pool + offset;
}

/* Frames of the innermost open value: [first, s->frame_top). */
static inline uint32_t vm_level_first(const cfgate_session *s) {
  return s->depth ? s->levels[s->depth - 1].first_frame : 0;
}

#endif /* CFGATE_SESSION_H */
