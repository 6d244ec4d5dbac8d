/*
 * The hook response: {"hookStatus", "errorCode", "message",
 * "clientRequestToken"}, with the message cut to the length CloudFormation
 * keeps: 4096 characters for CloudFormation operations and 1024 for Cloud
 * Control API operations (CloudFormation Hooks user guide, "Create Lambda
 * functions to evaluate resources for Lambda Hooks", response field message).
 */
#ifndef CFGATE_CLI_HOOK_RESPONSE_H
#define CFGATE_CLI_HOOK_RESPONSE_H

#include <stddef.h>
#include <stdio.h>

/* Maximum characters (code points) in a response message. */
enum {
  HOOK_MAX_MESSAGE = 4096,              /* CloudFormation operations */
  HOOK_MAX_CLOUD_CONTROL_MESSAGE = 1024 /* Cloud Control API operations */
};

typedef enum hook_status {
  HOOK_SUCCESS,
  HOOK_NON_COMPLIANT,   /* FAILED, errorCode NonCompliant: the resource breaks the policy */
  HOOK_INTERNAL_FAILURE /* FAILED, errorCode InternalFailure: not the resource's fault */
} hook_status;

/* Returns how many characters text[0..len) takes in a response message,
 * where each invisible character is written as its JSON escape. */
size_t hook_message_chars(const char *text, size_t len);

/* Returns the bytes of the longest start of text[0..len) that takes at most
 * max_chars characters in a response message, counted as
 * hook_message_chars() counts them. Characters are kept whole. */
size_t hook_message_prefix(const char *text, size_t len, size_t max_chars);

/* Writes the response JSON and a newline to out. The message has each
 * character of utf8_invisible() written as its JSON escape (\u202e,
 * \ud834\udd73), so a value quoted in it cannot reorder or hide text where
 * the message is shown. A message longer than max_chars characters is cut
 * to max_chars, ending with "...", and keeps each character and escape
 * whole. token may be NULL (the field is then omitted). Returns 0, or -1
 * when writing fails. */
int hook_response_write(FILE *out, hook_status status, const char *message, const char *token,
                        size_t max_chars);

#endif
