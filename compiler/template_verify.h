/*
 * Final check of an emitted template before it leaves the compiler: every
 * node with properties is closed, no keyword widens a node past what the
 * compiler writes (patternProperties beside properties, additionalProperties
 * or additionalItems other than false, $id, keywords beside $ref), and every $ref
 * names an emitted definition. A failure is reported as an error, so that no
 * open template is ever written.
 */
#ifndef CFGATE_TEMPLATE_VERIFY_H
#define CFGATE_TEMPLATE_VERIFY_H

#include <jansson.h>
#include <stddef.h>

/* Returns 1 when the template is closed and its references resolve, else 0
 * with "schema location 'POINTER': reason" in problem, where POINTER ends in
 * the keyword at fault. */
int template_verify(json_t *template_schema, char *problem, size_t problem_size);

/* Runs the check of template_verify() and, on failure, writes the JSON
 * pointer of the keyword at fault into location ("" for the root) and the
 * reason alone into reason. */
int template_verify_located(json_t *template_schema, char *location, size_t location_size,
                            char *reason, size_t reason_size);

/* Checks a template read back from a compiled policy folder: its root is a
 * closed object schema with a draft-07 $schema, its x-cfgate.typeName is
 * type_name, and it passes template_verify(). Returns 1 when it does, else
 * 0 with the reason.
 * NOTE: an edit that only removes a constraint (a pattern) passes. */
int template_verify_loaded(json_t *template_schema, const char *type_name, char *problem,
                           size_t problem_size);

#endif
