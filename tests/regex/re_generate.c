/* Test string generation: walks the syntax tree choosing members, counts and alternatives at random. */
#include "re_generate.h"

#include <stdlib.h>
#include <string.h>

#define GENERATE_MAX_LENGTH 4096u

uint32_t re_random(uint64_t *seed) {
  uint64_t x = *seed;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *seed = x;
  return (uint32_t)(x >> 16);
}

int re_text_append(re_text *text, const char *bytes, size_t n) {
  if (text->len + n + 1 > text->cap) {
    size_t cap = text->cap ? text->cap * 2 : 64;
    while (cap < text->len + n + 1) cap *= 2;
    char *data = realloc(text->data, cap);
    if (!data) return -1;
    text->data = data;
    text->cap = cap;
  }
  memcpy(text->data + text->len, bytes, n);
  text->len += n;
  text->data[text->len] = '\0';
  return 0;
}

int re_text_append_code_point(re_text *text, uint32_t c) {
  char out[4];
  size_t n;

  if (c < 0x80) {
    out[0] = (char)c;
    n = 1;
  } else if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    n = 3;
  } else {
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    n = 4;
  }
  return re_text_append(text, out, n);
}

/* Picks a member of set, preferring range ends and ASCII; skips surrogates. */
static int pick_member(const re_charset *set, uint64_t *seed, uint32_t *c) {
  if (set->count == 0) return 0;
  size_t index = re_random(seed) % set->count;
  if (re_random(seed) % 2 && set->ranges[0] < 0x80) index = 0;
  uint32_t low = set->ranges[2 * index], high = set->ranges[2 * index + 1];
  uint32_t span = high - low + 1;
  *c = low + (span > 64 && re_random(seed) % 2 ? re_random(seed) % 64 : re_random(seed) % span);
  if (*c >= 0xD800 && *c <= 0xDFFF) *c = 0xE000 <= high ? 0xE000 : low;
  return !(*c >= 0xD800 && *c <= 0xDFFF);
}

static int generate(const re_node *node, unsigned extra, uint64_t *seed, re_text *text) {
  uint32_t c, count;

  if (text->len > GENERATE_MAX_LENGTH) return 0;
  switch (node->kind) {
  case RE_NODE_CLASS:
    return pick_member(&node->set, seed, &c) ? re_text_append_code_point(text, c) : 0;
  case RE_NODE_CONCAT:
    for (size_t i = 0; i < node->child_count; i++) {
      if (generate(node->children[i], extra, seed, text) < 0) return -1;
    }
    return 0;
  case RE_NODE_ALTERNATE:
    return generate(node->children[re_random(seed) % node->child_count], extra, seed, text);
  case RE_NODE_GROUP:
    return generate(node->children[0], extra, seed, text);
  case RE_NODE_REPEAT:
    count = node->min + re_random(seed) % (extra + 1);
    if (count > node->max) count = node->max;
    for (uint32_t i = 0; i < count; i++) {
      if (generate(node->children[0], extra, seed, text) < 0) return -1;
    }
    return 0;
  default:
    return 0;
  }
}

int re_generate_accepted(const re_node *root, unsigned extra_repeats, uint64_t *seed, re_text *text) {
  return generate(root, extra_repeats, seed, text);
}

static uint32_t random_code_point(uint64_t *seed) {
  static const uint32_t samples[] = {0x00, 0x0A, 0x0D, 0x09, 0xA0, 0xE9, 0x2028, 0x3000, 0xFEFF,
                                     0x1F432, 0x10FFFF, 0x7F0, 0x9EA, 0x130, 0x212A, 0x17F};

  switch (re_random(seed) % 6) {
  case 0: return samples[re_random(seed) % (sizeof samples / sizeof *samples)];
  case 1: return 0x80 + re_random(seed) % 0x780;
  case 2: return 0x10000 + re_random(seed) % 0x1000;
  default: return 0x20 + re_random(seed) % 0x5F;
  }
}

int re_generate_random(size_t len, uint64_t *seed, re_text *text) {
  for (size_t i = 0; i < len; i++) {
    if (re_text_append_code_point(text, random_code_point(seed)) < 0) return -1;
  }
  return 0;
}

/* Returns the byte offset of the code point boundary at or before position. */
static size_t boundary(const re_text *text, size_t position) {
  while (position > 0 && position < text->len && (text->data[position] & 0xC0) == 0x80) position--;
  return position;
}

int re_generate_near_miss(re_text *text, uint64_t *seed) {
  re_text edited = {0};
  size_t at = text->len ? boundary(text, re_random(seed) % (text->len + 1)) : 0;
  size_t next = at;
  int kind = re_random(seed) % 3;

  if (next < text->len) {
    next++;
    while (next < text->len && (text->data[next] & 0xC0) == 0x80) next++;
  }
  if (re_text_append(&edited, text->data ? text->data : "", at) < 0) return -1;
  if (kind != 0 && re_text_append_code_point(&edited, random_code_point(seed)) < 0) return -1;
  size_t resume = kind == 2 ? at : next;
  if (re_text_append(&edited, text->data ? text->data + resume : "", text->len - resume) < 0) return -1;

  free(text->data);
  *text = edited;
  return 0;
}
