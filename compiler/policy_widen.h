/*
 * The approval step of a compilation into a folder written before: lists
 * what a type's new template admits and the template found in the folder
 * rejects, when the type's provider schema changed since
 * (docs/TEMPLATE-FORMAT.md, "New properties").
 */
#ifndef CFGATE_POLICY_WIDEN_H
#define CFGATE_POLICY_WIDEN_H

#include "output_folder.h"
#include "policy.h"

/* Compares the template of type, whose text has the SHA-256 digest, with
 * the one that the folder's manifest lists for it, and hands each finding
 * to options->on_widening. A type the manifest does not list (newly
 * allowed by the policy), a template found with the same bytes, and one
 * compiled from the same provider schema are not compared. Returns the
 * number of findings. */
size_t policy_widen_type(const output_folder *out, const policy_type *type, const char *digest,
                         const policy_write_options *options);

#endif
