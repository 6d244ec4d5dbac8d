/*
 * Reads one hook event into memory, up to HOOK_MAX_EVENT_BYTES. Lambda
 * accepts at most 6 MB for a synchronous invocation, so CloudFormation
 * cannot send a larger event, and the hook's memory stays bounded by this
 * limit plus a constant.
 */
#ifndef CFGATE_CLI_HOOK_READ_H
#define CFGATE_CLI_HOOK_READ_H

#include <stddef.h>

enum { HOOK_MAX_EVENT_BYTES = 6 * 1024 * 1024 }; /* bytes of one event */

typedef enum hook_read_status {
  HOOK_READ_OK,
  HOOK_READ_TOO_LARGE, /* more than HOOK_MAX_EVENT_BYTES */
  HOOK_READ_FAILED     /* cannot be opened or read */
} hook_read_status;

/* Reads the file at path, or standard input for "-". Returns
 * HOOK_READ_OK with *bytes (the caller frees it) and *size set, or another
 * status with a message in error that names the file. */
hook_read_status hook_read_event(const char *path, char **bytes, size_t *size, char *error,
                                 size_t error_size);

#endif
