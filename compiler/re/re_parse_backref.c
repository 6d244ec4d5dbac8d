/*
 * Backreferences whose meaning differs between ECMA-262 and the
 * backtracking engine are rejected, so no pattern can match more strings
 * here than in the dialect it is written in:
 *
 * - a group inside a repetition: ECMA-262 clears the group at the start of
 *   each pass, the engine keeps the text of an earlier pass;
 * - a group inside a lookaround: ECMA-262 keeps the text a positive
 *   lookaround captured, the engine drops it;
 * - a backreference inside a lookbehind: ECMA-262 matches a lookbehind
 *   right to left, so it reads groups the engine has not yet set.
 */
#include "re_parse_internal.h"

enum { IN_LOOP = 1, IN_LOOK = 2, IN_BEHIND = 4 };

typedef struct backref_walk {
  re_parser *ps;
  unsigned char group_context[RE_MAX_CAPTURES];
} backref_walk;

static unsigned child_context(const re_node *node, unsigned context) {
  if (node->kind == RE_NODE_REPEAT && node->max > 1)
    return context | IN_LOOP;
  if (node->kind != RE_NODE_LOOK)
    return context;
  if (node->look == CFGATE_RE_LOOK_BEHIND || node->look == CFGATE_RE_LOOK_NOT_BEHIND)
    return context | IN_LOOK | IN_BEHIND;
  return context | IN_LOOK;
}

static void record_groups(backref_walk *w, const re_node *node, unsigned context) {
  if (node->kind == RE_NODE_GROUP && node->capture < RE_MAX_CAPTURES)
    w->group_context[node->capture] = (unsigned char)context;

  unsigned inner = child_context(node, context);
  for (size_t i = 0; i < node->child_count; i++)
    record_groups(w, node->children[i], inner);
}

static int check_backref(backref_walk *w, const re_node *node, unsigned context) {
  unsigned group = node->capture < RE_MAX_CAPTURES ? w->group_context[node->capture] : 0;

  if (context & IN_BEHIND)
    return re_parse_fail(w->ps, node->offset,
                         "backreference inside a lookbehind is not supported (ECMA-262 "
                         "matches a lookbehind right to left)");
  if (group & IN_LOOK)
    return re_parse_fail(w->ps, node->offset,
                         "backreference to group %u, which is inside a lookaround, is not "
                         "supported (ECMA-262 keeps what a lookaround captured)",
                         node->capture);
  if (group & IN_LOOP)
    return re_parse_fail(w->ps, node->offset,
                         "backreference to group %u, which is inside a repetition, is not "
                         "supported (ECMA-262 clears the group on each repetition)",
                         node->capture);
  return 0;
}

static int check_backrefs(backref_walk *w, const re_node *node, unsigned context) {
  if (node->kind == RE_NODE_BACKREF && check_backref(w, node, context) < 0)
    return -1;

  unsigned inner = child_context(node, context);
  for (size_t i = 0; i < node->child_count; i++)
    if (check_backrefs(w, node->children[i], inner) < 0)
      return -1;
  return 0;
}

int re_parse_check_backrefs(re_parser *ps) {
  if (!ps->ast->has_backref)
    return 0;

  backref_walk w = {.ps = ps};
  record_groups(&w, ps->ast->root, 0);
  return check_backrefs(&w, ps->ast->root, 0);
}
