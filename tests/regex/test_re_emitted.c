/* Runs emitted pattern tables with the runtime alone (no compiler linked). */
#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#include "emit_cases.h"
#include "re/cfgate_re.h"

extern const cfgate_re *const emitted_patterns[];

int main(void) {
  static alignas(max_align_t) unsigned char state[1 << 16];
  int failures = 0;

  for (size_t i = 0; i < sizeof emit_cases / sizeof *emit_cases; i++) {
    const cfgate_re *re = emitted_patterns[emit_cases[i].pattern];
    if (cfgate_re_state_size(re, NULL) > sizeof state) {
      printf("FAIL pattern %u: state of %zu bytes\n", emit_cases[i].pattern, cfgate_re_state_size(re, NULL));
      return 1;
    }
    const char *text = emit_cases[i].text;
    int result = cfgate_re_match(re, state, NULL, (const unsigned char *)text, strlen(text));
    if (result != emit_cases[i].expected) {
      printf("FAIL %s on \"%s\": %d, expected %d\n", emit_patterns[emit_cases[i].pattern], text, result,
             emit_cases[i].expected);
      failures++;
    }
  }
  printf("%zu emitted cases, %d failures\n", sizeof emit_cases / sizeof *emit_cases, failures);
  return failures != 0;
}
