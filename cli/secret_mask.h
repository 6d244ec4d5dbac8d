/*
 * Values that reports never show: the value of a NoEcho parameter and the
 * values of a provider schema's writeOnlyProperties. CloudFormation shows
 * neither (a NoEcho value appears as ****), and check reports and hook
 * messages end up in CI logs and stack events. A finding keeps its verdict
 * and location; each hidden value in its message becomes **** and a note
 * names the parameter or property.
 */
#ifndef CFGATE_CLI_SECRET_MASK_H
#define CFGATE_CLI_SECRET_MASK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "template_node.h"

#define SECRET_MASK "****"

/* Bytes of an unscoped value hidden also inside a word ("pgS3cret"). A
 * shorter one ("no") is hidden only as a whole word, so that "not" stays. */
enum { SECRET_MIN_ANYWHERE = 4 };

typedef struct secret_value {
  char *text;   /* the value as a template or event writes it */
  char *reason; /* "NoEcho parameter DBPassword" */
  char *scope;  /* JSON pointer the value is hidden under, or NULL: in every message */
  int whole_word; /* 1: hidden only where no letter or digit adjoins it */
  int inexact;    /* 1: a message may quote it in another form (1500 for 1.5e3) */
  int rewritten;  /* 1: a NoEcho value, which Fn::ToJsonString and Fn::Base64 may rewrite */
  int quoted;     /* 1: hidden only where the message quotes the finding's value */
} secret_value;

typedef struct secret_list {
  secret_value *items;
  size_t count, capacity;
} secret_list;

void secret_list_init(secret_list *list);
void secret_list_fini(secret_list *list);

/* Adds text[0..len) (an empty value hides nothing and is skipped). scope
 * NULL hides the value in every message. A pointer hides it only as a whole
 * word in the messages of findings at or below that pointer, because there
 * the runtime quotes the whole value. Exits the process when memory runs
 * out. */
void secret_list_add(secret_list *list, const char *text, size_t len, const char *reason,
                     const char *scope);

/* Adds like secret_list_add() a scalar value at or below scope (a pointer)
 * that the runtime's messages quote as the finding's value. It is hidden
 * only there: quoted as a JSON string ("S3cret", cut as "S3c..."), or as a
 * number or boolean at the start of the message or after "got number " or
 * "got boolean ". So a short value ("a") leaves the policy's own pattern
 * ("^q-[a-z]+$") readable in the message. */
void secret_list_add_quoted(secret_list *list, const char *text, size_t len, const char *reason,
                            const char *scope);

/* Returns 1 when a parameter definition has NoEcho other than false. A
 * NoEcho value that CloudFormation would reject counts as true, so a typo
 * never shows a secret. */
int secret_is_no_echo(const tnode *definition);

/* Adds the values of a NoEcho parameter (a member of the template's
 * Parameters section): the given value or Default, its AllowedValues (one of
 * them may be the value), and the items of a list value. given is the
 * --parameter value or NULL. Does nothing for a parameter without NoEcho. */
void secret_list_add_parameter(secret_list *list, const tnode_member *parameter,
                               const char *given);

/* Adds the --parameter value given (or NULL), the Default and the
 * AllowedValues of a member of the template's Parameters section, each
 * with its list items, hidden in every message with reason. */
void secret_list_add_parameter_values(secret_list *list, const tnode_member *parameter,
                                      const char *given, const char *reason);

/* Receives the value of one writeOnlyProperties path, an unresolved tree,
 * and the note's reason for it ("write-only property MasterUserPassword"). */
typedef void (*secret_write_only_visitor)(void *data, const tnode *value, const char *reason);

/* Calls visit for each value in properties, an unresolved tree, at the
 * writeOnlyProperties of schema's x-cfgate block. */
void secret_write_only_each(json_t *schema, const tnode *properties,
                            secret_write_only_visitor visit, void *data);

/* Adds the values at the writeOnlyProperties of schema's x-cfgate block
 * (a restricted template) found in properties, a resolved template tree. */
void secret_list_add_write_only(secret_list *list, json_t *schema, const tnode *properties);

/* Adds the text written under the writeOnlyProperties of schema in
 * properties, an unresolved template tree, hidden in every message: an
 * intrinsic function's error quotes such text before any value exists
 * (Fn::Sub: unterminated ${ in '...'). Names that Ref, Fn::GetAtt,
 * Condition and Fn::If read are left out, and so is text shorter than
 * SECRET_MIN_ANYWHERE bytes. */
void secret_list_add_write_only_literals(secret_list *list, json_t *schema,
                                         const tnode *properties);

/* Adds the YAML tags that are not CloudFormation functions (!Qq7Sup3rS3cret)
 * written under the writeOnlyProperties of schema in properties, an
 * unresolved tree, hidden in every message: the template-level finding on
 * such a tag quotes it. */
void secret_list_add_write_only_tags(secret_list *list, json_t *schema,
                                     const tnode *properties);

/* The same for properties given as JSON (a hook event's resourceProperties).
 * A number is added as the tree reader writes it, which may differ from the
 * event's text, so it is marked inexact. */
void secret_list_add_write_only_json(secret_list *list, json_t *schema, json_t *properties);

/* Adds each value of resolved (the resolved tree of properties) that an
 * opaque call derives from a NoEcho parameter of parameters, hidden in the
 * findings at or below its pointer. An opaque call is one other than Ref,
 * Fn::Sub, Fn::Join, Fn::If, Fn::ToJsonString and the condition functions
 * (Fn::Base64, Fn::Split, Fn::Select, ...), because masking cannot find
 * what it derives. The whole
 * value of every call or list that contains one whose arguments read the
 * parameter is added. */
void secret_list_add_derived(secret_list *list, const tnode *parameters,
                             const tnode *properties, const tnode *resolved);

/* Returns the NoEcho parameter of parameters that an opaque call (see
 * secret_list_add_derived) in properties, an unresolved tree (Properties or
 * the Conditions section), reads when
 * the call or a value in it starts at line:column, or NULL. An intrinsic
 * function's error there may quote what the call derived. */
const char *secret_derived_read_at(const tnode *parameters, const tnode *properties,
                                   uint32_t line, uint32_t column);

/* Appends token[0..len) to pointer (of size bytes) as a JSON pointer
 * segment: ~ as ~0 and / as ~1. A pointer that does not fit is cut. */
void secret_pointer_append(char *pointer, size_t size, const char *token, size_t len);

/* Returns 1 when a value hidden in the findings at pointer is inexact: the
 * message may show it although masking finds it nowhere. */
int secret_inexact_covers(const secret_list *list, const char *pointer);

/* Returns 1 when pointer (an instance JSON pointer) is at or below one of
 * the writeOnlyProperties of schema's x-cfgate block. */
int secret_write_only_covers(json_t *schema, const char *pointer);

/* Like secret_write_only_covers(), and writes the note's reason for the
 * property ("write-only property MasterUserPassword") to reason. */
int secret_write_only_reason(json_t *schema, const char *pointer, char *reason, size_t size);

/* Returns message with each hidden value replaced by ****, also where the
 * message quotes it JSON-escaped or cut short ("S3cr..."), followed by
 * "(value hidden: NoEcho parameter DBPassword)". pointer is the finding's
 * instance pointer. Returns NULL when message shows no hidden value. The
 * caller frees the result. */
char *secret_mask(const secret_list *list, const char *pointer, const char *message);

#endif
