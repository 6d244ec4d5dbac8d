/*
 * Compiled validator tables: the one format shared by the compiler (which
 * builds them in memory from a draft-07 JSON Schema or writes them out as C)
 * and the runtime interpreter (which executes them over value events).
 *
 * Every table is a flat array of plain structs with integer fields. Strings
 * are offsets into one NUL-terminated string pool, numbers are JSON number
 * text in the pool, and patterns are indexes into an array of cfgate_re.
 * The only pointers are the array pointers of struct cfgate_validator, so the
 * C emitter can write any validator as static const arrays.
 *
 * A schema node ("node") is one draft-07 subschema after $ref resolution.
 * Index CFGATE_IR_NONE means "absent" in every index or offset field.
 */
#ifndef CFGATE_IR_H
#define CFGATE_IR_H

#include <stdint.h>
#include <string.h>

#include "cfgate.h"
#include "re/cfgate_re.h"

#define CFGATE_IR_FORMAT_VERSION 4u
#define CFGATE_IR_NONE 0xffffffffu

/* Bits of cfgate_ir_node.types and of the JSON type of an instance value.
 * CFGATE_IR_TYPE_INTEGER in a node's mask also admits numbers with a zero
 * fractional part, as draft-07 requires. */
enum {
  CFGATE_IR_TYPE_NULL = 1u << 0,
  CFGATE_IR_TYPE_BOOLEAN = 1u << 1,
  CFGATE_IR_TYPE_OBJECT = 1u << 2,
  CFGATE_IR_TYPE_ARRAY = 1u << 3,
  CFGATE_IR_TYPE_NUMBER = 1u << 4,
  CFGATE_IR_TYPE_INTEGER = 1u << 5,
  CFGATE_IR_TYPE_STRING = 1u << 6,
  CFGATE_IR_TYPE_ANY = 0x7fu
};

/* Bits of cfgate_ir_node.flags: which keywords the node carries, so the
 * interpreter tests one word instead of visiting absent keywords. */
enum {
  CFGATE_IR_FALSE = 1u << 0,         /* the boolean schema false: nothing is valid */
  CFGATE_IR_HAS_TYPE = 1u << 1,      /* "type" present, with its mask in types */
  CFGATE_IR_HAS_ENUM = 1u << 2,      /* "enum" or "const" present; enum_* fields */
  CFGATE_IR_HAS_OBJECT = 1u << 3,    /* any object keyword present */
  CFGATE_IR_HAS_ARRAY = 1u << 4,     /* any array keyword present */
  CFGATE_IR_HAS_STRING = 1u << 5,    /* minLength, maxLength, pattern or format present */
  CFGATE_IR_HAS_NUMBER = 1u << 6,    /* any numeric keyword present */
  CFGATE_IR_HAS_APPLY = 1u << 7,     /* allOf, anyOf, oneOf, not or if present */
  CFGATE_IR_UNIQUE_ITEMS = 1u << 8,  /* "uniqueItems": true */
  CFGATE_IR_IS_CONST = 1u << 9,     /* enum_* came from "const" (affects messages only) */
  CFGATE_IR_HAS_RULE = 1u << 10     /* x-cfgate-rule present: the node's findings take its
                                       because, or none, not that of an enclosing rule */
};

/* Formats the runtime can assert (format.h); any other name is annotation only. */
typedef enum cfgate_ir_format {
  CFGATE_IR_FORMAT_NONE = 0,
  CFGATE_IR_FORMAT_DATE_TIME,
  CFGATE_IR_FORMAT_DATE,
  CFGATE_IR_FORMAT_TIME,
  CFGATE_IR_FORMAT_EMAIL,
  CFGATE_IR_FORMAT_HOSTNAME,
  CFGATE_IR_FORMAT_IPV4,
  CFGATE_IR_FORMAT_IPV6,
  CFGATE_IR_FORMAT_URI,
  CFGATE_IR_FORMAT_UUID,
  CFGATE_IR_FORMAT_REGEX
} cfgate_ir_format;

/* One schema node. Ranges are (first, count) into the validator's tables.
 * Numeric limits are indexes into numbers[]. Lengths and counts are plain
 * integers, CFGATE_IR_NONE when absent. */
typedef struct cfgate_ir_node {
  uint32_t flags;       /* CFGATE_IR_* bits */
  uint32_t types;       /* CFGATE_IR_TYPE_* mask, CFGATE_IR_TYPE_ANY without "type" */
  uint32_t path;        /* pool offset: schema location as a JSON pointer, e.g. "/properties/A" */
  uint32_t because;     /* pool offset of x-cfgate-rule.because, or NONE */

  /* enum and const: a value matches when it equals one of the members. */
  uint32_t enum_strings_first, enum_strings_count; /* into strings[]: literals sorted by bytes */
  uint32_t enum_templates_first, enum_templates_count; /* into strings[]: with placeholders */
  uint32_t enum_numbers_first, enum_numbers_count; /* into lists[], each an index into numbers[] */
  uint32_t enum_scalars;                           /* CFGATE_IR_TYPE_NULL, CFGATE_IR_ENUM_FALSE
                                                      and CFGATE_IR_ENUM_TRUE bits */
  uint32_t enum_nodes_first, enum_nodes_count;     /* into lists[]: object and array members
                                                      compiled to nodes that match exactly */

  /* object keywords */
  uint32_t names_first, names_count;         /* into names[], sorted by hash then bytes */
  uint32_t name_buckets_first;               /* into lists[]: the name index (see
                                                CFGATE_IR_NAME_BUCKET_BITS_MAX), may be
                                                NONE without object keywords */
  uint32_t name_bucket_shift;                /* 64 minus the bits of a hash that pick a bucket */
  uint32_t tracked_count;                    /* presence bits a frame keeps (see cfgate_ir_name) */
  uint32_t required_count;                   /* required names have bits 0..required_count-1 */
  uint32_t pattern_props_first, pattern_props_count; /* into pattern_props[] */
  uint32_t additional_properties;            /* node, or NONE for "any property allowed" */
  uint32_t property_names;                   /* node, or NONE */
  uint32_t dependencies_first, dependencies_count; /* into dependencies[] */
  uint32_t min_properties, max_properties;

  /* array keywords */
  uint32_t items;                            /* node for every item, or NONE */
  uint32_t tuple_first, tuple_count;         /* into lists[]: items given as an array */
  uint32_t additional_items;                 /* node for items after the tuple (every item
                                                when it is empty), or NONE; set only when
                                                "items" is an array */
  uint32_t contains;                         /* node, or NONE */
  uint32_t min_items, max_items;

  /* string keywords */
  uint32_t min_length, max_length;           /* in Unicode code points */
  uint32_t pattern;                          /* index into patterns[], or NONE */
  uint32_t format;                           /* cfgate_ir_format */
  uint32_t format_name;                      /* pool offset of the format name, or NONE */

  /* number keywords: indexes into numbers[] */
  uint32_t minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;

  /* applicators on the same value */
  uint32_t all_of_first, all_of_count;       /* into lists[] */
  uint32_t any_of_first, any_of_count;       /* into lists[] */
  uint32_t one_of_first, one_of_count;       /* into lists[] */
  uint32_t not_node;                         /* node, or NONE */
  uint32_t if_node, then_node, else_node;    /* nodes, or NONE */

  /* Padding to 256 bytes makes a node's offset its index shifted left by
   * 8. At 216 bytes (27 times 8), each access to a node took three lea
   * instructions in place of a shift and an add. The C emitter writes {0}
   * for the padding. */
  uint32_t pad[10];
} cfgate_ir_node;

_Static_assert(sizeof(cfgate_ir_node) == 256, "a cfgate_ir_node is 256 bytes");

/* The name index of a node with names: its names of hash h lie in
 * names[lists[first + k] .. lists[first + k + 1]), where first is
 * name_buckets_first and k = h >> name_bucket_shift. So a lookup reads two
 * list entries and compares the few names between them. The 2^(64 - shift)
 * + 1 entries ascend from names_first to names_first + names_count, or
 * are all equal for a node without names. Every node with
 * CFGATE_IR_HAS_OBJECT has an index. The builder picks at least two
 * buckets per name, up to this many bits. */
#define CFGATE_IR_NAME_BUCKET_BITS_MAX 16u

/* The enum_scalars bits for false and true; null uses CFGATE_IR_TYPE_NULL. */
#define CFGATE_IR_ENUM_FALSE (1u << 16)
#define CFGATE_IR_ENUM_TRUE (1u << 17)

/* A property name that a node lists in "properties", "required" or
 * "dependencies". hash is cfgate_ir_hash() of the name bytes. */
typedef struct cfgate_ir_name {
  uint64_t hash;
  uint32_t text, len;  /* pool offset and byte length */
  uint32_t node;       /* the "properties" schema, or NONE when not in "properties" */
  uint32_t bit;        /* presence bit index in the frame, or NONE when not tracked */
} cfgate_ir_name;

/* One "patternProperties" entry. After the entries of all nodes, the table
 * ends with one entry per pattern with node NONE, so messages can quote the
 * text of a "pattern" keyword. */
typedef struct cfgate_ir_pattern_prop {
  uint32_t pattern;    /* index into patterns[] */
  uint32_t node;
  uint32_t text;       /* pool offset of the regular expression, for messages */
} cfgate_ir_pattern_prop;

/* One "dependencies" entry: when property `bit` is present, either the names
 * in lists[names_first..+names_count] (presence bits) must be present, or the
 * whole object must match `node`. */
typedef struct cfgate_ir_dependency {
  uint32_t bit;                      /* presence bit of the trigger property */
  uint32_t text;                     /* pool offset of the trigger name */
  uint32_t names_first, names_count; /* into lists[]: presence bits */
  uint32_t node;                     /* NONE for the names form */
} cfgate_ir_dependency;

/* A string constant of an enum or const. When segments_count is nonzero the
 * string contains placeholders, and its bytes are the concatenation of its
 * segments with the placeholder values bound per session. */
typedef struct cfgate_ir_string {
  uint32_t text, len;                     /* pool offset and byte length (literal strings) */
  uint32_t segments_first, segments_count; /* into segments[] */
} cfgate_ir_string;

/* One piece of a string with placeholders: literal bytes or a placeholder. */
typedef struct cfgate_ir_segment {
  uint32_t placeholder; /* index into placeholders[], or NONE for literal bytes */
  uint32_t text, len;   /* pool offset and length of literal bytes */
} cfgate_ir_segment;

/* A JSON number constant, kept as its JSON text; sessions parse it once. */
typedef struct cfgate_ir_number {
  uint32_t text, len;
} cfgate_ir_number;

/* The compiled validator. The in-memory builder owns the arrays it allocates
 * (ir_free releases them). Emitted C points them at static storage. */
struct cfgate_validator {
  uint32_t format_version;                /* CFGATE_IR_FORMAT_VERSION */
  uint32_t root;                          /* node index of the root schema */
  uint32_t type_name;                     /* pool offset of x-cfgate.typeName, or NONE */
  uint32_t assert_formats;                /* 1: "format" asserted in every session */
  uint32_t unique_nodes;                  /* uniqueItems arrays that can be open at once, or
                                             NONE when a recursive schema leaves it unbounded */

  const cfgate_ir_node *nodes;            uint32_t node_count;
  const cfgate_ir_name *names;            uint32_t name_count;
  const cfgate_ir_pattern_prop *pattern_props; uint32_t pattern_prop_count;
  const cfgate_ir_dependency *dependencies;    uint32_t dependency_count;
  const cfgate_ir_string *strings;        uint32_t string_count;
  const cfgate_ir_segment *segments;      uint32_t segment_count;
  const cfgate_ir_number *numbers;        uint32_t number_count;
  const uint32_t *lists;                  uint32_t list_count;
  const uint32_t *placeholders;           uint32_t placeholder_count; /* pool offsets of names */
  const cfgate_re *patterns;              uint32_t pattern_count;
  const char *pool;                       uint32_t pool_size;
};

/* Reads 8 bytes as a little-endian word, whatever the host's byte order. */
static inline uint64_t cfgate_ir_load_le64(const unsigned char *p) {
  uint64_t word = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(&word, p, 8);
#else
  for (int i = 7; i >= 0; i--)
    word = (word << 8) | p[i];
#endif
  return word;
}

/* Multiplies two words to 128 bits and XORs the halves. Without a 128-bit
 * type the product is built from 32-bit halves, with the same result. */
static inline uint64_t cfgate_ir_mix(uint64_t a, uint64_t b) {
#if defined(__SIZEOF_INT128__)
  __extension__ unsigned __int128 product = (unsigned __int128)a * b;
  return (uint64_t)product ^ (uint64_t)(product >> 64);
#else
  uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
  uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
  uint64_t low = (ll & 0xffffffffu) | (mid << 32);
  uint64_t high = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  return low ^ high;
#endif
}

/* Reads 4 bytes as a little-endian word, whatever the host's byte order. */
static inline uint64_t cfgate_ir_load_le32(const unsigned char *p) {
  return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) | ((uint64_t)p[3] << 24);
}

#define CFGATE_IR_HASH_KEY 0xa0761d6478bd642full

/* Hashes property name bytes in little-endian order, so the builder,
 * emitted tables and the runtime agree on any host. Up to 16 bytes take one
 * 128-bit multiply of two words, and longer names one more per 16 bytes. */
static inline uint64_t cfgate_ir_hash(const void *bytes, size_t n) {
  const unsigned char *p = (const unsigned char *)bytes;
  uint64_t seed = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0xff51afd7ed558ccdull);
  uint64_t a, b;

  if (n > 16) {
    for (; n > 16; n -= 16, p += 16)
      seed = cfgate_ir_mix(cfgate_ir_load_le64(p) ^ CFGATE_IR_HASH_KEY, cfgate_ir_load_le64(p + 8) ^ seed);
    /* The last 16 bytes, overlapping bytes already mixed. */
    a = cfgate_ir_load_le64(p + n - 16);
    b = cfgate_ir_load_le64(p + n - 8);
  } else if (n >= 8) {
    a = cfgate_ir_load_le64(p);
    b = cfgate_ir_load_le64(p + n - 8);
  } else if (n >= 4) {
    a = cfgate_ir_load_le32(p);
    b = cfgate_ir_load_le32(p + n - 4);
  } else {
    a = n ? ((uint64_t)p[0] << 16) | ((uint64_t)p[n / 2] << 8) | p[n - 1] : 0;
    b = 0;
  }
  return cfgate_ir_mix(a ^ CFGATE_IR_HASH_KEY, b ^ seed);
}

/* Checks the structural invariants of a validator: every index in range,
 * every pool offset NUL-terminated, names sorted. Returns NULL when the
 * tables are consistent, else a static description of the first violation. */
const char *cfgate_ir_check(const cfgate_validator *validator);

#endif /* CFGATE_IR_H */
