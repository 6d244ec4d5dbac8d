/*
 * CloudFormation stack ARNs (AWS::StackId):
 * arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID.
 */
#ifndef CFGATE_CLI_STACK_ARN_H
#define CFGATE_CLI_STACK_ARN_H

enum { STACK_ARN_MAX_FIELD = 128 }; /* bytes of the partition, region, account or name */

typedef struct stack_arn {
  char partition[STACK_ARN_MAX_FIELD];
  char region[STACK_ARN_MAX_FIELD];
  char account_id[STACK_ARN_MAX_FIELD];
  char stack_name[STACK_ARN_MAX_FIELD];
} stack_arn;

/* Splits text into *arn and returns 1. Returns 0 when text is not a stack
 * ARN: a field is empty or longer than STACK_ARN_MAX_FIELD - 1 bytes, NAME
 * is not a letter followed by letters, digits and hyphens, or ID is not hex
 * digits and hyphens up to the end. The partition, region and account are
 * checked elsewhere. */
int stack_arn_parse(const char *text, stack_arn *arn);

#endif
