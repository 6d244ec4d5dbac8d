/*
 * Growable buffer for computed strings.
 */
#include "intrinsic_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"

void intrinsic_text_init(intrinsic_text *text) {
  text->data = NULL;
  text->len = 0;
  text->capacity = 0;
  text->overflow = 0;
}

void intrinsic_text_fini(intrinsic_text *text) {
  free(text->data);
  intrinsic_text_init(text);
}

static int text_reserve(intrinsic_text *text, size_t needed) {
  if (needed <= text->capacity)
    return 1;

  size_t capacity = text->capacity ? text->capacity : 64;
  while (capacity < needed)
    capacity *= 2;
  char *data = realloc(text->data, capacity);
  if (!data)
    return 0;

  text->data = data;
  text->capacity = capacity;
  return 1;
}

int intrinsic_text_append(intrinsic_text *text, const char *bytes, size_t len) {
  if (text->overflow || text->len + len > INTRINSIC_MAX_STRING ||
      !text_reserve(text, text->len + len + 1)) {
    text->overflow = 1;
    return 0;
  }

  if (len)
    memcpy(text->data + text->len, bytes, len);
  text->len += len;
  text->data[text->len] = '\0';
  return 1;
}

void intrinsic_text_base64(intrinsic_text *out, const unsigned char *bytes, size_t len) {
  static const char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  for (size_t i = 0; i < len; i += 3) {
    uint32_t group = (uint32_t)bytes[i] << 16;
    if (i + 1 < len)
      group |= (uint32_t)bytes[i + 1] << 8;
    if (i + 2 < len)
      group |= bytes[i + 2];

    char quad[4] = {alphabet[(group >> 18) & 63], alphabet[(group >> 12) & 63],
                    i + 1 < len ? alphabet[(group >> 6) & 63] : '=',
                    i + 2 < len ? alphabet[group & 63] : '='};
    intrinsic_text_append(out, quad, 4);
  }
}
