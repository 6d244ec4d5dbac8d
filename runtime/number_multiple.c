/*
 * Exact multipleOf. With a = A * 10^ea and m = M * 10^em normalized (A and
 * M have no trailing zero), a / m = (A / M) * 10^(ea - em). When ea < em the
 * quotient needs 10 to divide A, which normalization excludes. Otherwise,
 * writing M = 2^p * 5^q * R with R coprime to 10, M divides A * 10^k
 * (k = ea - em) exactly when p <= v2(A) + k, q <= v5(A) + k and R divides A.
 * That keeps every big integer within the digits of A and M, even for 1e400.
 */
#include "number.h"

#include <string.h>

#define BIG_BASE 1000000000u
#define BIG_LIMBS (CFGATE_MAX_NUMBER_DIGITS / 9 + 2)

/* Unsigned integer in base 10^9, least significant limb first. */
typedef struct big {
  uint32_t limb[BIG_LIMBS];
  int count; /* limbs in use; zero has none */
} big;

static void big_trim(big *x) {
  while (x->count > 0 && x->limb[x->count - 1] == 0)
    x->count--;
}

/* x = x * factor + addend; the callers keep the result within BIG_LIMBS. */
static void big_mul_add(big *x, uint32_t factor, uint32_t addend) {
  uint64_t carry = addend;

  for (int i = 0; i < x->count; i++) {
    uint64_t t = (uint64_t)x->limb[i] * factor + carry;

    x->limb[i] = (uint32_t)(t % BIG_BASE);
    carry = t / BIG_BASE;
  }
  if (carry > 0 && x->count < BIG_LIMBS)
    x->limb[x->count++] = (uint32_t)carry;
}

static void big_from_digits(big *x, const cfgate_number *n) {
  memset(x, 0, sizeof *x);
  for (int i = 0; i < n->count; i++)
    big_mul_add(x, 10, n->digits[i]);
  big_trim(x);
}

static int big_compare(const big *a, const big *b) {
  if (a->count != b->count)
    return a->count < b->count ? -1 : 1;
  for (int i = a->count - 1; i >= 0; i--) {
    if (a->limb[i] != b->limb[i])
      return a->limb[i] < b->limb[i] ? -1 : 1;
  }
  return 0;
}

/* a -= b, where a >= b. */
static void big_subtract(big *a, const big *b) {
  int64_t borrow = 0;

  for (int i = 0; i < a->count; i++) {
    int64_t t = (int64_t)a->limb[i] - (i < b->count ? b->limb[i] : 0) - borrow;

    borrow = t < 0;
    a->limb[i] = (uint32_t)(t < 0 ? t + BIG_BASE : t);
  }
  big_trim(a);
}

/* Divides x by divisor when the division is exact and returns 1; otherwise
 * leaves x unchanged and returns 0. */
static int big_divide_exact(big *x, uint32_t divisor) {
  big quotient = *x;
  uint64_t remainder = 0;

  for (int i = x->count - 1; i >= 0; i--) {
    uint64_t t = remainder * BIG_BASE + x->limb[i];

    quotient.limb[i] = (uint32_t)(t / divisor);
    remainder = t % divisor;
  }
  if (remainder != 0)
    return 0;
  big_trim(&quotient);
  *x = quotient;
  return 1;
}

/* Removes every factor `prime` from x and returns how many there were. */
static int64_t big_remove_factor(big *x, uint32_t prime) {
  int64_t count = 0;

  while (x->count > 0 && big_divide_exact(x, prime))
    count++;
  return count;
}

/* Returns 1 when divisor (nonzero) divides the coefficient of n. The
 * remainder r stays below divisor, so r * 10 + digit fits in BIG_LIMBS. */
static int digits_divisible_by(const cfgate_number *n, const big *divisor) {
  big remainder = {{0}, 0};

  for (int i = 0; i < n->count; i++) {
    big_mul_add(&remainder, 10, n->digits[i]);
    big_trim(&remainder);
    while (big_compare(&remainder, divisor) >= 0)
      big_subtract(&remainder, divisor);
  }
  return remainder.count == 0;
}

int number_is_multiple_of(const cfgate_number *a, const cfgate_number *m) {
  big coefficient_a, rest_m;
  int64_t k, twos_m, fives_m, twos_a, fives_a;

  if (m->count == 0)
    return 0;
  if (a->count == 0)
    return 1;
  if (a->exponent < m->exponent)
    return 0;
  k = (int64_t)a->exponent - m->exponent;

  big_from_digits(&rest_m, m);
  twos_m = big_remove_factor(&rest_m, 2);
  fives_m = big_remove_factor(&rest_m, 5);

  big_from_digits(&coefficient_a, a);
  twos_a = big_remove_factor(&coefficient_a, 2);
  fives_a = big_remove_factor(&coefficient_a, 5);

  if (twos_m > twos_a + k || fives_m > fives_a + k)
    return 0;
  return digits_divisible_by(a, &rest_m);
}
