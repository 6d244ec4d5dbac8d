/*
 * Format assertions for "format" when a session or the validator requests them.
 */
#include "format.h"
#include "session.h"

/* Returns 1 when text is a valid instance of format, 0 when it is not, and
 * -1 when this runtime has no checker for the format (the caller fails the
 * session rather than passing the value). */
int vm_format_valid(uint32_t format, const char *text, size_t len) {
  return format_check((cfgate_ir_format)format, text, len);
}
