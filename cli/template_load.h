/*
 * Loads a CloudFormation template (YAML or JSON; libyaml reads both) into a
 * tnode tree with positions. Short-form tags become their long forms
 * (!GetAtt a.b -> {"Fn::GetAtt": ["a", "b"]}), aliases are expanded within
 * TEMPLATE_MAX_NODES, and plain scalars are read by the YAML 1.2 core
 * schema, so "yes", "0777" or "2012-10-17" stay strings. template_load_as()
 * can read them as YAML 1.1 does instead.
 */
#ifndef CFGATE_CLI_TEMPLATE_LOAD_H
#define CFGATE_CLI_TEMPLATE_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "template_node.h"

enum {
  TEMPLATE_MAX_NODES = 200000,        /* nodes after alias expansion */
  TEMPLATE_MAX_DEPTH = 200,           /* nesting of sequences and mappings */
  TEMPLATE_MAX_BYTES = 128 * 1024 * 1024 /* arena bytes for one template */
};

/* Where the value of a load failure that quotes it sits, for hiding it as
 * the value would be hidden. */
typedef enum template_error_owner {
  TEMPLATE_OWNER_NONE,      /* no text quoted, or not located yet */
  TEMPLATE_OWNER_OTHER,     /* a value that no report hides */
  TEMPLATE_OWNER_UNKNOWN,   /* the path to the value was not found */
  TEMPLATE_OWNER_PARAMETER, /* the Default or AllowedValues of a NoEcho parameter */
  TEMPLATE_OWNER_PROPERTY   /* the Properties of a resource */
} template_error_owner;

/* A load failure with its 1-based position. The caller adds the file name.
 * A failure on one scalar or YAML tag (!!int Secret, !GetAtt Secret,
 * !!Secret) quotes its text, which may be a secret. quoted is that text as
 * the message shows it, and owner tells where the value is. */
typedef struct template_error {
  uint32_t line, column;
  char message[256];
  char quoted[256];           /* "" when the message quotes no value */
  template_error_owner owner;
  char owner_name[256];       /* the NoEcho parameter, or the resource's Type */
  char property_pointer[512]; /* TEMPLATE_OWNER_PROPERTY: JSON pointer inside Properties */
} template_error;

/* Parses size bytes into a tree allocated in arena. Returns the root node,
 * or NULL with *error filled. */
tnode *template_load(tnode_arena *arena, const unsigned char *bytes, size_t size,
                     template_error *error);

/* How template_load_as() reads the plain YAML scalars that YAML 1.1 reads
 * as booleans or numbers and YAML 1.2 as strings (template_yaml11.h). */
typedef struct template_reading {
  int yaml11;       /* 0: strings; 1: yes and on true, no and off false, number forms unknown */
  size_t ambiguous; /* set by the load: how many such scalars the template has, keys included */
} template_reading;

/* Loads like template_load(), reads those scalars as reading->yaml11
 * selects, and counts them. Mapping keys follow the same rules: in the
 * YAML 1.1 reading a key yes is true, and a mapping with a key whose text
 * is not known there (0777) is an unknown value. A key that repeats
 * another in either reading is a duplicate key. A NULL reading loads like
 * template_load(). */
tnode *template_load_as(tnode_arena *arena, const unsigned char *bytes, size_t size,
                        template_reading *reading, template_error *error);

/* Returns 1 when text (len bytes) is an RFC 8259 number. */
int template_is_json_number(const char *text, size_t len);

#endif
