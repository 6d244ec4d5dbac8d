/*
 * Candidates of a call whose key or index is unknown, but whose result is
 * one of a few known values. Fn::FindInMap with an unknown top-level or
 * second-level key gives an entry of the mapping (or its DefaultValue).
 * Fn::Select with an unknown index gives an item of a known list. The
 * enumeration of parameter AllowedValues checks each candidate, so a value
 * that no candidate lets pass is a violation.
 * NOTE: a candidate is not tied to the parameter that names its key, so a
 * condition on that parameter (Env == prod) does not rule out the other
 * entries, and a finding of such an entry stays unverified.
 */
#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "intrinsic_candidates.h"

enum { CANDIDATE_LABEL_SIZE = 160 };

typedef struct candidate_set {
  const tnode *values[INTRINSIC_MAX_CANDIDATES];
  char labels[INTRINSIC_MAX_CANDIDATES][CANDIDATE_LABEL_SIZE];
  size_t count, found; /* found counts past INTRINSIC_MAX_CANDIDATES too */
} candidate_set;

static void candidate_add(candidate_set *set, const tnode *value, const char *label) {
  if (set->count < INTRINSIC_MAX_CANDIDATES) {
    set->values[set->count] = value;
    snprintf(set->labels[set->count++], CANDIDATE_LABEL_SIZE, "%s", label);
  }
  set->found++;
}

static int is_closed(const intrinsic_context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->closed_candidate_count; i++)
    if (strcmp(ctx->closed_candidates[i], name) == 0)
      return 1;
  return 0;
}

/* Records the call for enumeration with its labels in lasting_arena.
 * Returns 0 when out of memory. */
static int record_candidates(intrinsic_context *ctx, const char *name, const char *const *labels,
                             size_t count, const tnode *where) {
  for (size_t i = 0; i < ctx->open_choice_count; i++)
    if (strcmp(ctx->open_choice_names[i], name) == 0)
      return 1;
  if (ctx->open_choice_count == INTRINSIC_MAX_CHOICES || is_closed(ctx, name))
    return 1; /* the value stays unknown, which fails closed */

  tnode_arena *arena = ctx->lasting_arena ? ctx->lasting_arena : ctx->arena;
  tnode *list = intrinsic_new_array(ctx, arena, where, count);
  const tnode *copy = tnode_new_string(arena, name, strlen(name), where->line, where->column);
  if (!list || !copy)
    return 0;
  for (size_t i = 0; i < count; i++) {
    list->items[i] = tnode_new_string(arena, labels[i], strlen(labels[i]), where->line,
                                      where->column);
    if (!list->items[i])
      return 0;
  }
  list->count = count;

  size_t slot = ctx->open_choice_count++;
  ctx->open_choice_names[slot] = copy->text;
  ctx->open_choice_allowed[slot] = list;
  ctx->open_choice_is_list[slot] = 0;
  ctx->open_choice_is_candidate[slot] = 1;
  return 1;
}

const tnode *intrinsic_pick_candidate(intrinsic_context *ctx, const char *name,
                                      const tnode *const *values, const char *const *labels,
                                      size_t count, int *failed) {
  *failed = 0;
  for (size_t i = 0; i < ctx->choice_count; i++)
    if (strcmp(ctx->choice_names[i], name) == 0)
      return ctx->choice_indexes[i] < count ? values[ctx->choice_indexes[i]] : NULL;

  if (!record_candidates(ctx, name, labels, count, values[0]))
    *failed = 1;
  return NULL;
}

/* Returns the candidate the pass assumes, the unknown value while the call
 * waits for enumeration, or an unknown value naming the limit. */
static const tnode *pick(intrinsic_context *ctx, const char *name, const candidate_set *set,
                         const tnode *unknown, const char *what) {
  if (set->found > INTRINSIC_MAX_CANDIDATES) {
    char reason[700];
    snprintf(reason, sizeof reason, "%.400s, and %s has too many values to check each (found "
             "%zu, limit is %d)", unknown->text, what, set->found, INTRINSIC_MAX_CANDIDATES);
    tnode *node = tnode_new_unknown(ctx->arena, reason, unknown->line, unknown->column);
    return node ? node : intrinsic_fail(ctx, unknown, "out of memory");
  }
  if (set->count == 0)
    return unknown;

  const char *labels[INTRINSIC_MAX_CANDIDATES];
  for (size_t i = 0; i < set->count; i++)
    labels[i] = set->labels[i];
  int failed = 0;
  const tnode *value = intrinsic_pick_candidate(ctx, name, set->values, labels, set->count,
                                                &failed);
  if (failed)
    return intrinsic_fail(ctx, unknown, "out of memory");
  return value ? value : unknown;
}

const tnode *intrinsic_select_candidates(intrinsic_context *ctx, const tnode *call,
                                         const tnode *unknown, const tnode *list) {
  candidate_set set = {.count = 0, .found = 0};
  for (size_t i = 0; i < list->count; i++) {
    char label[40];
    snprintf(label, sizeof label, "index %zu", i);
    candidate_add(&set, list->items[i], label);
  }

  char name[200];
  snprintf(name, sizeof name, "Fn::Select at line %u, column %u", (unsigned)call->line,
           (unsigned)call->column);
  return pick(ctx, name, &set, unknown, "the list of Fn::Select");
}

/* Adds the values of entry (an inner mapping of the map) under its
 * second-level keys: only second when it is known. */
static void add_entry(candidate_set *set, const char *map_name, const tnode_member *top,
                      const char *second) {
  const tnode *entry = top->value;
  for (size_t i = 0; entry->kind == TNODE_OBJECT && i < entry->count; i++) {
    const tnode_member *member = &entry->members[i];
    if (second && strcmp(member->key, second) != 0)
      continue;
    char label[CANDIDATE_LABEL_SIZE];
    snprintf(label, sizeof label, "[%.40s, %.50s, %.50s]", map_name, top->key, member->key);
    candidate_add(set, member->value, label);
  }
}

const tnode *intrinsic_map_candidates(intrinsic_context *ctx, const tnode *call,
                                      const tnode *resolved, const tnode *default_value) {
  const tnode *unknown = resolved->items[1]->kind == TNODE_UNKNOWN ? resolved->items[1]
                                                                   : resolved->items[2];
  const char *map_name = intrinsic_scalar_text(resolved->items[0]);
  const tnode *map = map_name ? tnode_get(ctx->mappings, map_name) : NULL;
  if (!map || map->kind != TNODE_OBJECT)
    return unknown;

  const char *top = intrinsic_scalar_text(resolved->items[1]);
  const char *second = intrinsic_scalar_text(resolved->items[2]);
  if ((!top && resolved->items[1]->kind != TNODE_UNKNOWN) ||
      (!second && resolved->items[2]->kind != TNODE_UNKNOWN))
    return unknown; /* a key that is not a string gets no candidates */
  candidate_set set = {.count = 0, .found = 0};
  for (size_t i = 0; i < map->count; i++) {
    if (map->members[i].value->kind == TNODE_UNKNOWN)
      return unknown; /* a key whose text the YAML 1.1 reading does not know */
    if (!top || strcmp(map->members[i].key, top) == 0)
      add_entry(&set, map_name, &map->members[i], second);
  }
  if (default_value)
    candidate_add(&set, default_value, "DefaultValue");

  char name[400];
  snprintf(name, sizeof name, "Fn::FindInMap [%.100s, %.100s, %.100s] at line %u, column %u",
           map_name, top ? top : "?", second ? second : "?", (unsigned)call->line,
           (unsigned)call->column);
  char what[200];
  snprintf(what, sizeof what, "mapping %.100s", map_name);
  return pick(ctx, name, &set, unknown, what);
}
