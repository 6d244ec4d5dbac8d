/*
 * The policy join: a restriction tree built from one type block's rules
 * over its provider schema (join_tree.c), then emitted as a restricted
 * schema template (join_emit.c, join_constraint.c). Internal.
 */
#ifndef CFGATE_JOIN_H
#define CFGATE_JOIN_H

#include <jansson.h>

#include "compile.h"

/* One constraint of a node with the rule it comes from. */
typedef struct join_constraint {
  const ast_constraint *constraint;
  const ast_rule *rule;
  const ast_constraint *use; /* the let reference in the rule that led here, or NULL */
  const char *let_name;      /* the let that lists the constraint, or NULL */
  const char *let_through;   /* "'a' and 'b'": the lets between use and let_name, or NULL */
  struct join_constraint *next;
} join_constraint;

typedef struct join_node join_node;

typedef struct join_child {
  const char *name;
  join_node *node;
  struct join_child *next;
} join_child;

/* The policy's restrictions on one schema node. A node that is not
 * restricted and has no items or values restriction keeps its whole subtree. */
struct join_node {
  json_t *raw;                       /* provider schema node, possibly a $ref */
  json_t *schema;                    /* raw with $refs resolved */
  const char *pointer;               /* read-only pointer such as "/properties/A/B" */
  const char *path;                  /* DSL path for messages such as "A[].B", "" at the root */
  int is_property;                   /* 1 for an object property, 0 for items or values */
  int restricted;                    /* 1 once children, '*' or a block are listed */
  int listed;                        /* 1 when a rule other than deny names this property */
  const ast_rule *listed_by;         /* the first such rule */
  const ast_rule *deny_rule;         /* a deny rule whose path passes through or ends here */
  const ast_rule *star;              /* the '*' rule of this level, or NULL */
  int star_allows_all;               /* 1 when a '*' rule without constraints was given */
  join_constraint *star_constraints; /* constraints of `A.* ...` for each child */
  join_child *children;
  int denied;
  const ast_rule *denied_by;     /* the deny rule that ends at this property, when denied */
  const ast_rule *restricted_by; /* the first rule that made this level list its properties */
  join_node *items, *values;
  join_constraint *constraints;
  const ast_rule *rule; /* the last rule that listed or narrowed this node */
};

typedef struct join_ctx {
  compile_ctx *compile;
  const ast_decl *decl;
  json_t *root;        /* the provider schema */
  json_t *definitions; /* needed definition names (object of null) */
  const char **definition_order;
  size_t definition_count, definition_capacity;
  json_t *placeholders; /* object of placeholder names used */
  int depth;
  int depth_reported; /* 1 once the nesting limit error was reported */
  const char *let_chain[DSL_MAX_BLOCK_DEPTH]; /* lets being expanded, outermost first */
  int let_depth;
} join_ctx;

/* Builds the restriction tree of a type block. A rule with an error is left
 * out of the tree, so the caller can still emit the rest and report the
 * errors of the other rules, but must discard the template. */
join_node *join_build(join_ctx *join, const ast_rule *rules);

/* Emits the template body for a node (new reference). */
json_t *join_emit(join_ctx *join, join_node *node, json_t *raw, const char *pointer);

/* Emits a provider subtree whole (closed, read-only properties removed below
 * pointer; pointer NULL when none lie below). New reference. */
json_t *join_emit_whole(join_ctx *join, json_t *node, const char *pointer);

/* Warns about each deny or narrowing rule whose level is a definition that
 * the emitted template also keeps whole at other paths. Call after the
 * definitions are emitted. */
void join_warn_partial_rules(join_ctx *join, const join_node *node);

/* Closes out, which was built from original: a node with properties gets
 * additionalProperties false. Where the original left them open, the
 * combinator branches and the parent keep accepting each other's names. */
void join_close(join_ctx *join, json_t *out, json_t *original);

/* Reports an error when original has a oneOf with two or more open object
 * branches, because closing them could widen the schema. */
void join_check_one_of(join_ctx *join, json_t *original);

/* Validates constraints against the original schema and adds them to out.
 * Constraints of node_rule (the rule the caller records on out) go on out,
 * those of each other rule into an allOf branch that records that rule.
 * Returns out, or a new wrapper when out is a bare $ref. */
json_t *join_apply_constraints(join_ctx *join, json_t *out, json_t *original,
                               const join_constraint *constraints, const char *name,
                               const ast_rule *node_rule);

/* Returns the span where a constraint is written in its rule: the let
 * reference when it comes from a let. */
src_span join_constraint_span(const join_constraint *c);

/* Warns when a node's `=` value fails one of its other policy constraints
 * (pattern, length or range), so that no value is accepted there. */
void join_check_const(join_ctx *join, const join_constraint *constraints, const char *name);

/* Returns the PROVIDER_* types a constraint checks: a range numbers, a
 * pattern or length strings, items and unique arrays, = and in the types
 * of their values, and PROVIDER_ANY for required. */
int join_constraint_types(const ast_constraint *c);

/* Narrows out's `type` to the types of original (provider_types) that mask
 * allows, keeping the provider's type names. Does nothing when mask allows
 * all of them or none. */
void join_narrow_type(json_t *out, json_t *original, int provider_types, int mask);

/* Returns 1 when level's own properties lack name and two of its
 * combinator branches define name differently. */
int join_definitions_vary(join_ctx *join, json_t *level, const char *name);

/* Returns what the branch definitions of name at level accept together,
 * for checking policy constraints. It has the union of their types, the
 * union of their enum and const values when each definition has them, and
 * the pattern and bounds that all of them share. New reference. */
json_t *join_merge_definitions(join_ctx *join, json_t *level, const char *name);

/* Records the rule's location (and because) on out. */
void join_record_rule(join_ctx *join, json_t *out, const ast_rule *rule);

/* Records the rule on out like join_record_rule(), with the value keywords
 * (pattern, maxLength, type, ...) that the rule set: those of out that
 * before, the node as it was before the rule's constraints, lacks or has
 * with another value, or all of them when before is NULL. A finding on
 * another value keyword of out comes from the provider schema. */
void join_record_rule_keywords(join_ctx *join, json_t *out, const ast_rule *rule,
                               json_t *before);

/* Returns a copy of a provider string of `pattern`, `const` or `enum` with
 * `${` escaped. */
json_t *join_escape_strings(json_t *value);

#endif
