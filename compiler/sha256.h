/*
 * SHA-256 (FIPS 180-4), used to record the digest of each provider schema a
 * template was built from.
 */
#ifndef CFGATE_SHA256_H
#define CFGATE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE    (2 * SHA256_DIGEST_SIZE + 1)

typedef struct sha256_ctx {
  uint32_t state[8];
  uint64_t length; /* bytes hashed so far */
  unsigned char block[64];
  size_t block_used;
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(sha256_ctx *ctx, unsigned char digest[SHA256_DIGEST_SIZE]);

/* Writes the lower-case hex digest of data[0..len) with a NUL terminator. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_SIZE]);

#endif
