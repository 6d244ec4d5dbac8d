/*
 * Hard limits of the DSL compiler. Each one produces a "too many X (limit
 * is N)" style error when exceeded, never a silent truncation.
 */
#ifndef CFGATE_DSL_LIMITS_H
#define CFGATE_DSL_LIMITS_H

#define DSL_MAX_ERRORS        20          /* errors reported before compilation stops */
#define DSL_MAX_SOURCE_BYTES  (16u << 20) /* size of one .gate file */
#define DSL_MAX_INCLUDE_DEPTH 32          /* nested include statements */
#define DSL_MAX_FILES         1024        /* .gate files in one policy, includes counted */
#define DSL_MAX_PATH_SEGMENTS 64          /* segments in one rule path */
#define DSL_MAX_BLOCK_DEPTH   64          /* nested rule blocks */
#define DSL_MAX_SCHEMA_DEPTH  256         /* schema nesting followed while joining or copying */
#define DSL_MAX_REF_CHAIN     64          /* $ref hops followed to resolve one node */
#define DSL_MAX_SUGGESTIONS   3           /* names offered after "did you mean" */
#define DSL_MAX_LIST_VALUES   10000       /* values in one 'in [...]' list */
#define DSL_MAX_PLACEHOLDER_VALUES 64     /* strings with placeholders in one 'in' list */

#endif
