/*
 * Internals of the template comparison shared by template_widen.c (the
 * walk over paths) and template_widen_branch.c (anyOf, oneOf and
 * if/then/else compared branch by branch).
 */
#ifndef CFGATE_TEMPLATE_WIDEN_INTERNAL_H
#define CFGATE_TEMPLATE_WIDEN_INTERNAL_H

#include "template_widen.h"

/* The schema nodes that apply to every value at one path of one template:
 * a node, the definitions its $ref chain reaches and its allOf members. */
typedef struct node_list {
  const json_t **nodes;
  size_t count, capacity;
} node_list;

/* A pair of lists that both admit a value, waiting to be compared. */
typedef struct widen_pending {
  node_list old_list, new_list;
  char *pointer;
  char *context; /* the branches the pair is in ("oneOf[1] at /Target"), or "" */
  const json_t *rule;
  unsigned depth;
} widen_pending;

typedef struct widen_walk {
  const json_t *old_root, *new_root;
  json_t *compared; /* keys of the list pairs compared so far */
  json_t *reported; /* keys of the findings listed so far, to list each once */
  template_widenings *list;
  /* 1 in a walk that only tests whether there is any finding: it stops at
   * the first one and counts each oneOf branch that changed as one. */
  int probe;
  const char *context; /* of the pair being compared */
  /* Pairs are compared in breadth-first order, so a definition that
   * several paths reach is listed at the shortest one. */
  widen_pending *pending;
  size_t next, count, capacity;
} widen_walk;

void widen_expand(const json_t *root, const json_t *node, unsigned depth, node_list *list);
void node_list_free(node_list *list);
const json_t *widen_resolve(const json_t *root, const char *ref);
int widen_admits(const node_list *list);
int widen_is_deny(const json_t *node);
const json_t *widen_rule(const node_list *list, const json_t *rule);

/* Lists a finding with detail (taken over), in context when it is not
 * "". */
void widen_report_in(widen_walk *walk, const char *context, template_widen_kind kind,
                     const char *pointer, const json_t *rule, char *detail);

/* Queues the lists for comparison in context and takes them over. */
void widen_enqueue(widen_walk *walk, node_list *old_list, node_list *new_list,
                   const char *pointer, const json_t *rule, unsigned depth, const char *context);

/* Compares the queued pairs until none is left, or in a probe until the
 * first finding. */
void widen_run(widen_walk *walk);

/* Compares the anyOf, oneOf and if/then/else of the two lists branch by
 * branch (template_widen_branch.c). */
void widen_compare_groups(widen_walk *walk, const node_list *old_list, const node_list *new_list,
                          const char *pointer, const json_t *rule, unsigned depth);

#endif
