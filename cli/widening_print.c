#define _GNU_SOURCE /* asprintf */
#include "widening_print.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

void widening_print(const policy_widening *widening, const char *severity, FILE *out) {
  char *line = NULL;
  if (asprintf(&line, "%s:%u:%u: %s: %s%s%s: %s [%s]", widening->file, widening->line,
               widening->column, severity, widening->type_name, widening->pointer[0] ? " " : "",
               widening->pointer, widening->detail, widening->code) < 0)
    abort();
  /* diag_escape writes at most 4 bytes per byte of text. */
  size_t size = 4 * strlen(line) + 1;
  char *shown = malloc(size);
  if (!shown)
    abort();
  diag_escape(line, shown, size);
  fprintf(out, "%s\n", shown);
  free(shown);
  free(line);
}
