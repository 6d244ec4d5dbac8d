/*
 * A growable byte buffer for strings computed by Fn::Sub, Fn::Join and
 * Fn::Base64, bounded by INTRINSIC_MAX_STRING.
 */
#ifndef CFGATE_CLI_INTRINSIC_TEXT_H
#define CFGATE_CLI_INTRINSIC_TEXT_H

#include <stddef.h>

typedef struct intrinsic_text {
  char *data;
  size_t len, capacity;
  int overflow; /* set once an append would pass INTRINSIC_MAX_STRING or malloc failed */
} intrinsic_text;

void intrinsic_text_init(intrinsic_text *text);
void intrinsic_text_fini(intrinsic_text *text);

/* Appends len bytes; returns 0 and sets overflow when the limit is reached. */
int intrinsic_text_append(intrinsic_text *text, const char *bytes, size_t len);

/* Appends the Base64 form of bytes[0..len) (RFC 4648, with '=' padding), as
 * Fn::Base64 writes it. */
void intrinsic_text_base64(intrinsic_text *out, const unsigned char *bytes, size_t len);

#endif
