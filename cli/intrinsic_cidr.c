/*
 * Fn::Cidr: [ipBlock, count, cidrBits] splits an IPv4 or IPv6 block into
 * count blocks with cidrBits host bits each, from the start of the block.
 * With literal arguments the result is known before deployment, so a
 * policy on the address (no SSH from the internet) is checked on it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"

enum { CIDR_MAX_COUNT = 256 }; /* maximum count in the Fn::Cidr reference */

typedef struct cidr_block {
  unsigned char address[16]; /* network byte order; IPv4 uses the first 4 */
  unsigned bits;             /* 32 or 128 */
  unsigned prefix;
} cidr_block;

/* Reads a decimal integer of at most max from text, without leading
 * zeros, as in an address. */
static int read_digits(const char *text, unsigned long max, unsigned long *value) {
  if (!text || text[0] < '0' || text[0] > '9' || (text[0] == '0' && text[1] != '\0'))
    return 0;

  char *end = NULL;
  unsigned long parsed = strtoul(text, &end, 10);
  if (*end || parsed > max)
    return 0;
  *value = parsed;
  return 1;
}

/* Reads a non-negative integer of at most max from a number or a string
 * ("6"). Returns 0 when node is no such value. */
static int read_small_integer(const tnode *node, unsigned long max, unsigned long *value) {
  return node->kind != TNODE_BOOL && read_digits(intrinsic_scalar_text(node), max, value);
}

/* Reads "ADDRESS/PREFIX". The host bits of ADDRESS are cleared, so the
 * blocks start at the network address. Returns 0 when text is no block.
 * NOTE: whether CloudFormation clears such bits or rejects the block
 * (10.0.9.9/16) is not documented; clearing them is an estimate. */
static int read_block(const char *text, cidr_block *block) {
  const char *slash = strchr(text, '/');
  char address[64];
  if (!slash || (size_t)(slash - text) >= sizeof address)
    return 0;
  memcpy(address, text, (size_t)(slash - text));
  address[slash - text] = '\0';

  memset(block, 0, sizeof *block);
  block->bits = strchr(address, ':') ? 128 : 32;
  if (inet_pton(block->bits == 128 ? AF_INET6 : AF_INET, address, block->address) != 1)
    return 0;

  unsigned long prefix = 0;
  if (!read_digits(slash + 1, block->bits, &prefix))
    return 0;
  block->prefix = (unsigned)prefix;

  for (unsigned bit = block->prefix; bit < block->bits; bit++)
    block->address[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
  return 1;
}

/* Writes block number index of size host_bits inside block as text. */
static void write_subnet(const cidr_block *block, unsigned long index, unsigned host_bits,
                         char *out, size_t size) {
  unsigned char address[16];
  memcpy(address, block->address, sizeof address);
  for (unsigned i = 0; i < 9 && (index >> i); i++) {
    if (!(index >> i & 1))
      continue;
    unsigned bit = block->bits - 1 - (host_bits + i); /* counted from the most significant */
    address[bit / 8] |= (unsigned char)(0x80u >> (bit % 8));
  }

  char text[INET6_ADDRSTRLEN];
  inet_ntop(block->bits == 128 ? AF_INET6 : AF_INET, address, text, sizeof text);
  snprintf(out, size, "%s/%u", text, block->bits - host_bits);
}

/* Returns 1 when count blocks of host_bits fit in block. */
static int subnets_fit(const cidr_block *block, unsigned long count, unsigned host_bits) {
  unsigned spare = block->bits - block->prefix - host_bits; /* bits that number the blocks */
  return spare >= 9 || count <= (1ul << spare);
}

static const tnode *cidr_list(intrinsic_context *ctx, const tnode *call, const cidr_block *block,
                              unsigned long count, unsigned host_bits) {
  tnode *list = intrinsic_new_array(ctx, ctx->arena, call, count);
  if (!list)
    return NULL;

  for (unsigned long i = 0; i < count; i++) {
    char text[INET6_ADDRSTRLEN + 8];
    write_subnet(block, i, host_bits, text, sizeof text);
    list->items[i] = tnode_new_string(ctx->arena, text, strlen(text), call->line, call->column);
    if (!list->items[i])
      return intrinsic_fail(ctx, call, "out of memory");
  }
  list->count = count;
  return list;
}

/* Writes node's text for a message, cut to fit, or its kind. */
static const char *shown_value(const tnode *node, char *out, size_t size) {
  const char *text = intrinsic_scalar_text(node);
  if (text)
    snprintf(out, size, "'%.60s'%s", text, strlen(text) > 60 ? "..." : "");
  else
    snprintf(out, size, "%s", tnode_kind_name(node->kind));
  return out;
}

const tnode *intrinsic_cidr(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  if (args->kind != TNODE_ARRAY || args->count != 3)
    return intrinsic_fail(ctx, args, "Fn::Cidr expects [ipBlock, count, cidrBits]");
  const tnode *resolved = intrinsic_value(ctx, args);
  if (!resolved || resolved->kind == TNODE_UNKNOWN)
    return resolved;
  if (resolved->count != 3)
    return intrinsic_fail(ctx, args, "Fn::Cidr argument resolved to AWS::NoValue");
  for (size_t i = 0; i < 3; i++)
    if (resolved->items[i]->kind == TNODE_UNKNOWN)
      return resolved->items[i];

  const tnode *ip_block = resolved->items[0];
  char shown[80];
  cidr_block block;
  if (!intrinsic_scalar_text(ip_block) || !read_block(intrinsic_scalar_text(ip_block), &block))
    return intrinsic_fail(ctx, ip_block, "Fn::Cidr ipBlock %s is not an IPv4 or IPv6 CIDR block "
                          "such as 10.0.0.0/16", shown_value(ip_block, shown, sizeof shown));

  unsigned long count = 0, host_bits = 0;
  if (!read_small_integer(resolved->items[1], CIDR_MAX_COUNT, &count) || count == 0)
    return intrinsic_fail(ctx, resolved->items[1], "Fn::Cidr count %s is not an integer from 1 "
                          "to %d", shown_value(resolved->items[1], shown, sizeof shown),
                          CIDR_MAX_COUNT);
  unsigned room = block.bits - block.prefix;
  if (!read_small_integer(resolved->items[2], room, &host_bits))
    return intrinsic_fail(ctx, resolved->items[2], "Fn::Cidr cidrBits %s is not an integer from "
                          "0 to %u, the host bits of the /%u block",
                          shown_value(resolved->items[2], shown, sizeof shown), room, block.prefix);
  if (!subnets_fit(&block, count, (unsigned)host_bits)) {
    unsigned long max_blocks = 1ul << (room - host_bits);
    return intrinsic_fail(ctx, resolved->items[1], "Fn::Cidr count %lu does not fit: a /%u "
                          "block holds at most %lu %s of %lu host bits", count, block.prefix,
                          max_blocks, max_blocks == 1 ? "block" : "blocks", host_bits);
  }
  return cidr_list(ctx, call, &block, count, (unsigned)host_bits);
}
