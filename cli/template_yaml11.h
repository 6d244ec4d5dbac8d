/*
 * Plain YAML scalars that YAML 1.1 and YAML 1.2 read differently. cfgate
 * reads a plain scalar by the YAML 1.2 core schema, where `yes`, `0777` and
 * `1_000` are strings. CloudFormation documents YAML 1.1 support, where they
 * are a boolean and numbers, so such a value is not known offline.
 */
#ifndef CFGATE_CLI_TEMPLATE_YAML11_H
#define CFGATE_CLI_TEMPLATE_YAML11_H

#include <stddef.h>

/* Returns the kind YAML 1.1 gives a plain scalar that YAML 1.2 reads as a
 * string ("boolean" or "number"), or NULL when both read it the same. */
const char *template_yaml11_kind(const char *text, size_t len);

#endif
