/*
 * The combinations a resource is validated under: each parameter with
 * AllowedValues takes each allowed value (a list parameter also its
 * Default and all its items) and each undecidable Fn::If condition takes
 * true and false. For each finding of the resource, a
 * mask records the combinations it appears in, so a finding that appears
 * in some combinations only names the parameter and condition values it
 * needs.
 */
#ifndef CFGATE_CLI_TEMPLATE_BRANCH_MASK_H
#define CFGATE_CLI_TEMPLATE_BRANCH_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "intrinsic.h"
#include "report.h"

/* Combinations validated per resource: the product of 2 per undecidable
 * condition and the count of enumerated values per parameter. */
enum { BRANCH_MAX_COMBINATIONS = 1024 };

/* Distinct parameters and conditions a limit left out, up to this many. */
enum { BRANCH_MAX_LEFT_OUT = 64 };

/* A parameter or condition left out of the enumeration by a limit. */
typedef struct branch_left_out {
  const char *name;
  int condition; /* 1: an undecidable condition, 0: a parameter */
  size_t factor; /* values it would multiply the combinations by, 0 when not known */
} branch_left_out;

/* The parameters and conditions being enumerated. In combination k,
 * condition i is false when bit i of k is set, and parameter j takes the
 * value at digit j of k >> condition_count, read in mixed radix with the
 * counts of allowed[j], parameter 0 lowest. */
typedef struct branch_space {
  const char *conditions[INTRINSIC_MAX_ASSUMED];
  size_t condition_count;
  const char *parameters[INTRINSIC_MAX_CHOICES];
  const tnode *allowed[INTRINSIC_MAX_CHOICES]; /* values enumerated for parameters[j] */
  int candidate[INTRINSIC_MAX_CHOICES]; /* 1: parameters[j] names a call's candidates */
  size_t parameter_count;
  const char *closed_candidates[BRANCH_MAX_LEFT_OUT]; /* calls whose values stay unknown */
  size_t closed_candidate_count;
  size_t combinations;
  const char *partial_list;  /* a list parameter of which only some lists are enumerated */
  int too_many_conditions;   /* more than INTRINSIC_MAX_ASSUMED conditions were met */
  int too_many_parameters;   /* more than INTRINSIC_MAX_CHOICES parameters were met */
  int too_many_combinations; /* a parameter or condition would pass BRANCH_MAX_COMBINATIONS */
  branch_left_out left_out[BRANCH_MAX_LEFT_OUT]; /* for the message naming the limit */
  size_t left_out_count;
  int left_out_full; /* more were left out than left_out has room for */
} branch_space;

void branch_space_init(branch_space *space);

/* Sets the assumed parameter and condition values of combination in ctx. */
void branch_space_assume(const branch_space *space, size_t combination, intrinsic_context *ctx);

/* Adds the parameters (and, when with_conditions is set, the conditions)
 * that ctx met without an assumed value. Returns 1 when one was added, so
 * the enumeration starts over with it. One that would pass a limit is
 * left out and sets a too_many_ flag. */
int branch_space_add(branch_space *space, const intrinsic_context *ctx, int with_conditions);

/* Writes why a limit left combinations out: the parameter count found, or
 * else the count of combinations needed. Writes "" when none was left out. */
void branch_space_describe_limit(const branch_space *space, char *out, size_t size);

/* Writes "parameter A is x and parameter B is y" with the value of each
 * parameter of the space in combination, or "" when it has none. */
void branch_space_describe(const branch_space *space, size_t combination, char *out,
                           size_t size);

/* Per finding from first on, one bit per combination. */
typedef struct branch_mask {
  uint64_t *bits;    /* words per finding, bits[i * words] for finding first + i */
  uint64_t *created; /* the combinations in which the resource was validated */
  uint64_t *tried;   /* those and the combinations whose properties did not resolve */
  size_t first, count, capacity, words;
} branch_mask;

void branch_mask_init(branch_mask *mask, size_t first, size_t combinations);
void branch_mask_fini(branch_mask *mask);

/* Clears every bit for an enumeration that starts over with combinations. */
void branch_mask_reset(branch_mask *mask, size_t combinations);

/* Moves the findings of one combination into resource, which was
 * validated in it. A finding with the pointer and message of one already
 * there adds the combination to its bits, and a new one is appended.
 * Takes ownership of found and frees it. */
void branch_mask_merge(branch_mask *mask, report_resource *resource, report_finding *found,
                       size_t found_count, size_t combination);

/* Moves the invalid finding of a combination whose properties did not
 * resolve into resource, like branch_mask_merge(). The combination does not
 * count as validated, so only invalid findings are named against it. Takes
 * ownership of found and frees it. */
void branch_mask_merge_invalid(branch_mask *mask, report_resource *resource,
                               report_finding *found, size_t combination);

/* Makes a violation or invalid finding unverified when, for each of the
 * parameter and condition values it appears with, some candidate of a call
 * (an Fn::FindInMap with an unknown key) lets the value pass. The deployed
 * key may be such a candidate. A finding that every candidate gets for
 * some parameter and condition values stays as it is. */
void branch_mask_soften(const branch_mask *mask, report_resource *resource,
                        const branch_space *space);

/* Appends " (when parameter Alg is AES256 and condition A is false)" to
 * each finding that appears in some of the validated combinations only
 * (for an invalid finding, of the combinations tried).
 * A finding whose message length differs from lengths[i - first] already
 * names its Fn::If branch, so it gets the parameter values only. */
void branch_mask_name(const branch_mask *mask, report_resource *resource,
                      const branch_space *space, const size_t *lengths);

#endif
