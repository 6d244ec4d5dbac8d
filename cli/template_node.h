/*
 * In-memory CloudFormation template tree with source positions. Every node
 * records the 1-based line and column where its value starts, so findings
 * can point at the offending value. All nodes and strings of one tree live
 * in one arena and are freed together.
 */
#ifndef CFGATE_CLI_TEMPLATE_NODE_H
#define CFGATE_CLI_TEMPLATE_NODE_H

#include <stddef.h>
#include <stdint.h>

typedef enum tnode_kind {
  TNODE_NULL,
  TNODE_BOOL,
  TNODE_NUMBER,  /* text is JSON number text */
  TNODE_STRING,
  TNODE_ARRAY,
  TNODE_OBJECT,
  TNODE_UNKNOWN  /* a value that cannot be known offline; text gives the reason */
} tnode_kind;

typedef struct tnode tnode;

typedef struct tnode_member {
  const char *key;
  size_t key_len;
  uint32_t line, column; /* position of the key */
  tnode *value;
} tnode_member;

struct tnode {
  tnode_kind kind;
  uint32_t line, column;
  const char *text; /* scalar text, NUL-terminated; the reason for TNODE_UNKNOWN */
  size_t len;
  int boolean;      /* TNODE_BOOL */
  size_t count;     /* items or members */
  tnode **items;    /* TNODE_ARRAY */
  tnode_member *members; /* TNODE_OBJECT, in document order */
  int unknown_string;    /* TNODE_UNKNOWN: 1 when the value is a string (a dynamic reference) */
  const char *known_prefix; /* TNODE_UNKNOWN string: the text it is known to start with, or NULL */
  size_t known_prefix_len;
  int foreign_tag; /* TNODE_UNKNOWN: 1 for a YAML tag that is not a CloudFormation function */
  const char *tag; /* foreign_tag: the tag as the reason quotes it (!Xk9Sup3rPass) */
  const char *plain; /* TNODE_UNKNOWN: the plain scalar that YAML readers disagree on, or NULL */
};

/* A bump allocator; tnode_arena_free() releases every block at once. */
typedef struct tnode_arena {
  struct tnode_block *head;
  size_t used_bytes;
  size_t max_bytes; /* 0: unlimited */
} tnode_arena;

void tnode_arena_init(tnode_arena *arena);
void tnode_arena_fini(tnode_arena *arena);

/* Returns zeroed memory from the arena, or NULL when memory or max_bytes runs out. */
void *tnode_alloc(tnode_arena *arena, size_t size);

/* Returns a NUL-terminated copy of text in the arena, or NULL. */
char *tnode_strdup(tnode_arena *arena, const char *text, size_t len);

/* Node constructors; each returns NULL when the arena is exhausted. */
tnode *tnode_new(tnode_arena *arena, tnode_kind kind, uint32_t line, uint32_t column);
tnode *tnode_new_string(tnode_arena *arena, const char *text, size_t len, uint32_t line,
                        uint32_t column);
tnode *tnode_new_unknown(tnode_arena *arena, const char *reason, uint32_t line, uint32_t column);

/* Returns the member value named key in an object, or NULL. */
tnode *tnode_get(const tnode *object, const char *key);

/* Returns 1 when node is a string equal to text. */
int tnode_is_string(const tnode *node, const char *text);

/* Returns 1 when node is an intrinsic function call: an object whose one
 * member is Ref or an Fn:: function. */
int tnode_is_call(const tnode *node);

/* Returns 1 when node or a value inside it starts at line:column. */
int tnode_contains_position(const tnode *node, uint32_t line, uint32_t column);

/* Returns 1 when node or anything below it is TNODE_UNKNOWN. */
int tnode_has_unknown(const tnode *node);

/* Returns the first TNODE_UNKNOWN node at or below node in document order,
 * or NULL. */
const tnode *tnode_find_unknown(const tnode *node);

/* Returns the first node of a foreign YAML tag at or below node in document
 * order, or NULL. */
const tnode *tnode_find_foreign_tag(const tnode *node);

/* Returns the kind as a lowercase JSON type name ("string", "object", ...). */
const char *tnode_kind_name(tnode_kind kind);

/* Writes what a value is, for a message about a value that should be a
 * name: "a Ref to 'T'", "a Fn::If call", "a mapping", "a list", "the
 * number 5", "empty (null)". */
void tnode_describe(const tnode *value, char *out, size_t size);

#endif
