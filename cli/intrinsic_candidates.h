/*
 * Enumeration of the values an Fn::FindInMap or Fn::Select can give when
 * its key or index is unknown offline.
 */
#ifndef CFGATE_CLI_INTRINSIC_CANDIDATES_H
#define CFGATE_CLI_INTRINSIC_CANDIDATES_H

#include "intrinsic.h"

/* Returns the item of list (a known array) that the pass assumes for an
 * Fn::Select whose index is unknown, else unknown (recording the call for
 * enumeration), or an unknown value naming the limit when list has more
 * than INTRINSIC_MAX_CANDIDATES items. */
const tnode *intrinsic_select_candidates(intrinsic_context *ctx, const tnode *call,
                                         const tnode *unknown, const tnode *list);

/* The same for an Fn::FindInMap whose resolved arguments have a known map
 * name and an unknown top-level or second-level key: the candidates are
 * the entries the known keys allow, and default_value (NULL: none). */
const tnode *intrinsic_map_candidates(intrinsic_context *ctx, const tnode *call,
                                      const tnode *resolved, const tnode *default_value);

#endif
