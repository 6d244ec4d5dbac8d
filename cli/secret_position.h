/*
 * Positions of findings on values derived from a NoEcho parameter. The
 * value an Fn::FindInMap or Fn::Select picks is written at a line and
 * column that depend on the parameter's value, so a finding there would
 * show the secret through its position although its message hides it.
 */
#ifndef CFGATE_CLI_SECRET_POSITION_H
#define CFGATE_CLI_SECRET_POSITION_H

#include <stddef.h>

#include "report.h"
#include "template_node.h"

/* Moves each finding of resource from index first on that has no pointer
 * (an intrinsic function error) and sits in a map of mappings. It moves to
 * the first Fn::FindInMap call in properties, the unresolved tree, that
 * names the map and reads a NoEcho parameter of parameters, because the
 * key such a call looks up may be the parameter's value. Call it before
 * the messages of errors inside such calls are hidden, so that the moved
 * finding's message is hidden too. */
void secret_position_anchor_mappings(report_resource *resource, size_t first,
                                     const tnode *parameters, const tnode *mappings,
                                     const tnode *properties);

/* Moves each finding of resource from index first on whose value depends
 * on a NoEcho parameter of parameters to the property's own position in
 * properties, the unresolved tree. That is the outermost intrinsic
 * function call on the finding's pointer that reads the parameter, or the
 * innermost object or list on it where the pointer names no written value.
 * A finding without a pointer (an intrinsic function error) moves to the
 * value of the property around its position when that value reads the
 * parameter. */
void secret_position_anchor(report_resource *resource, size_t first, const tnode *parameters,
                            const tnode *properties);

/* Moves each finding of resource from index first on that has no pointer
 * (an intrinsic function error) to the value of the member of section (the
 * Conditions section) that contains it. Only a value that reads a NoEcho
 * parameter of parameters counts. */
void secret_position_anchor_errors(report_resource *resource, size_t first,
                                   const tnode *parameters, const tnode *section);

#endif
